"""Use cases. Each public method is one transaction, checks permission and returns domain
objects. Never imports Textual: the CLI, the SSH server, the tests and the UI all share these.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_tui.services._common import Clock, utcnow
from forum_tui.services.accounts import AccountService
from forum_tui.services.drafts import DraftService
from forum_tui.services.groups import GroupService
from forum_tui.services.threads import ThreadService
from forum_tui.store.database import Database


@dataclass(frozen=True)
class Services:
    db: Database
    accounts: AccountService
    groups: GroupService
    threads: ThreadService
    drafts: DraftService

    async def close(self) -> None:
        await self.db.dispose()


def build_services(db: Database, clock: Clock = utcnow) -> Services:
    return Services(
        db=db,
        accounts=AccountService(db, clock),
        groups=GroupService(db, clock),
        threads=ThreadService(db, clock),
        drafts=DraftService(db, clock),
    )


__all__ = ["Services", "build_services", "Clock", "utcnow"]
