"""Revision 0010 (notification targets) upgrades a forum with notifications already in it,
keeping them, on SQLite and PostgreSQL; older notifications simply point at nothing new."""

from __future__ import annotations

from sqlalchemy import DateTime, bindparam, text

from forum_tui.domain.boards import NotificationKind
from forum_tui.services import build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database
from tests.conftest import FakeClock
from tests.store.test_migrations import WHEN, _insert, empty_db, empty_url, schema_diff  # noqa: F401


async def test_notifications_written_before_0010_are_kept(empty_db: Database) -> None:  # noqa: F811
    db = empty_db
    await migrations.upgrade(db, "0005")
    async with db.connect(write=True) as connection:
        member_id = await _insert(
            connection,
            "INSERT INTO members (handle, handle_key, role, state, created_at) "
            "VALUES ('ann', 'ann', 'carer', 'active', :at) RETURNING id",
            at=WHEN,
        )
        await connection.execute(
            text(
                "INSERT INTO notifications (member_id, kind, text, created_at) "
                "VALUES (:member, 'moderation', 'Written before 0010', :at)"
            ).bindparams(bindparam("at", type_=DateTime(timezone=True))),
            {"member": member_id, "at": WHEN},
        )
    await migrations.upgrade(db)
    assert await schema_diff(db) == []
    [kept] = await build_services(db, FakeClock()).notifications.list_notifications(member_id)
    assert (kept.kind, kept.text, kept.created_at) == (
        NotificationKind.MODERATION,
        "Written before 0010",
        WHEN,
    )
    assert (kept.thread_id, kept.post_id, kept.group_id) == (None, None, None)
