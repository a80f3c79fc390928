"""A small forum for UI tests, on SQLite, with a fixed clock so screens (and snapshots) are
the same on every run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from forum_tui.config import Settings
from forum_tui.domain.enums import Role, Visibility
from forum_tui.services import build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp, make_app
from tests.conftest import FakeClock

PASSWORD = "correct horse battery"
HOSTILE = "[@click=app.quit]x[/] [bold]loud [/ \x1b]52;c;cm0gLXJmIH4K\x07end"


@dataclass
class Forum:
    url: str
    clock: FakeClock
    ann: int
    bob: int
    corner: int
    night_owls: int
    respite_thread: int
    hostile_thread: int

    def app(self, member_id: int | None = None) -> ForumApp:
        return make_app(Settings(self.url), member_id=member_id, clock=self.clock)


async def _seed(url: str, clock: FakeClock) -> Forum:
    db = Database(url)
    await migrations.upgrade(db)
    s = build_services(db, clock)
    ann = await s.accounts.add_member("carer_ann", password=PASSWORD)
    bob = await s.accounts.add_member("bob_leads", password=PASSWORD)
    await s.accounts.add_member("sam_staff", role=Role.STAFF)
    corner = await s.groups.add_group(
        "carers-corner",
        "Carers' Corner",
        description="Leaders read this group 9am-6pm on weekdays. This is not a crisis line.",
    )
    owls = await s.groups.add_group("night-owls", "Night owls")
    await s.groups.add_group("partners", "Partners", visibility=Visibility.PRIVATE)
    for slug in ("carers-corner", "night-owls", "partners"):
        await s.groups.set_leader(slug, "bob_leads")
    await s.groups.join_group(ann.id, corner.id)
    start = clock.current
    clock.current = start - timedelta(days=3)
    respite = await s.threads.start_thread(
        bob.id, corner.id, "Respite - does it exist?", "Has anyone found respite that works?"
    )
    clock.current = start - timedelta(days=2)
    await s.threads.reply(ann.id, respite.id, "We had a week at my sister's. It helped.")
    clock.current = start - timedelta(hours=5)
    hostile = await s.threads.start_thread(bob.id, corner.id, "Odd characters [/", HOSTILE)
    clock.current = start - timedelta(hours=2)
    await s.threads.start_thread(ann.id, corner.id, "Sleep", "Three nights of no sleep again.")
    clock.current = start
    await db.dispose()
    return Forum(url, clock, ann.id, bob.id, corner.id, owls.id, respite.id, hostile.id)


@pytest.fixture
def forum(tmp_path: Path) -> Forum:
    clock = FakeClock()
    return asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}", clock))
