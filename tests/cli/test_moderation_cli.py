"""``forum-tui member suspend|unsuspend|role``: the operator's moderation commands, recorded in
the audit log as "operator"."""

from __future__ import annotations

import asyncio
from pathlib import Path

from forum_tui.domain.enums import MemberState, Role
from forum_tui.services import build_services
from forum_tui.store.database import Database
from tests.cli.test_cli import (
    _add_member,
    failed,
    forum_db,
    forum_tui,
    migrated_template,
    sqlite,
    succeeded,
)

__all__ = ["forum_db", "migrated_template"]  # fixtures used here


async def _state(path: Path, handle: str) -> tuple[str, str, list[str]]:
    db = Database(sqlite(path))
    services = build_services(db)
    try:
        member = await services.accounts.find_member(handle)
        admin = await services.accounts.add_member("chief", role=Role.ADMIN)
        log = await services.moderation.audit_log(admin.id)
        return member.state, member.role, [f"{e.actor_handle} {e.action}" for e in log]
    finally:
        await db.dispose()


def test_suspend_unsuspend_and_role_from_the_command_line(tmp_path: Path, forum_db: Path) -> None:
    asyncio.run(_add_member(forum_db, "ann_carer"))
    out = succeeded(
        forum_tui(
            tmp_path, "member", "suspend", "ann_carer", "--until", "2099-01-31", "--reason", "Spam"
        )
    )
    assert "Suspended ann_carer until 31 Jan 2099 00:00 UTC." in out
    succeeded(forum_tui(tmp_path, "member", "unsuspend", "ann_carer"))
    succeeded(forum_tui(tmp_path, "member", "role", "ann_carer", "staff", "--reason", "Hired"))
    state, role, log = asyncio.run(_state(forum_db, "ann_carer"))
    assert (state, role) == (MemberState.ACTIVE, Role.STAFF)
    assert log == ["operator change_role", "operator unsuspend", "operator suspend"]
    failed(forum_tui(tmp_path, "member", "suspend", "nobody", "--reason", "x"), "nobody")
