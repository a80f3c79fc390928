"""Revision 0007 (issue 12) on a forum that already has ideas: each board's ideas are numbered
1, 2, 3… in the order they were added, nothing is lost, search still finds them, and new ideas
and check-ins work after the upgrade. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from forum_tui.services import build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database
from tests.conftest import FakeClock
from tests.store.test_migrations import (  # noqa: F401
    WHEN,
    _insert,
    empty_db,
    empty_url,
    schema_diff,
)


async def _idea(connection: Any, board: int, author: int, title: str) -> int:
    return await _insert(
        connection,
        "INSERT INTO ideas (board_id, author_id, title, body, status, support_count, "
        "created_at, updated_at) VALUES (:board, :author, :title, 'Before the upgrade', 'new', "
        "0, :at, :at) RETURNING id",
        board=board,
        author=author,
        title=title,
        at=WHEN,
    )


async def test_ideas_are_numbered_per_board_on_upgrade(empty_db: Database) -> None:  # noqa: F811
    db = empty_db
    await migrations.upgrade(db, "0005")
    async with db.connect(write=True) as connection:
        ann = await _insert(
            connection,
            "INSERT INTO members (handle, handle_key, role, state, created_at) "
            "VALUES ('ann', 'ann', 'carer', 'active', :at) RETURNING id",
            at=WHEN,
        )
        boards = [
            await _insert(
                connection,
                "INSERT INTO boards (slug, name, description, response_window_days, created_at) "
                f"VALUES ('{slug}', '{slug}', '', 28, :at) RETURNING id",
                at=WHEN,
            )
            for slug in ("cmht", "ward")
        ]
        ids = [
            await _idea(connection, boards[0], ann, "Evening carers group"),
            await _idea(connection, boards[1], ann, "Ward visiting hours"),
            await _idea(connection, boards[0], ann, "Parking for carers"),
        ]

    await migrations.upgrade(db)
    assert await schema_diff(db) == []
    services = build_services(db, FakeClock())
    opened = [(await services.ideas.open_idea(ann, i)).idea for i in ids]
    assert [(i.title, i.number) for i in opened] == [
        ("Evening carers group", 1),
        ("Ward visiting hours", 1),
        ("Parking for carers", 2),
    ]
    assert [i.title for i in await services.ideas.similar_ideas(ann, boards[0], "parking")] == [
        "Parking for carers"
    ]
    added = await services.ideas.add_idea(ann, boards[0], "Text reminders", "A day before.")
    assert added.number == 3
    assert await services.desk.idea_ids(boards[0], [2, 3]) == [ids[2], added.id]
