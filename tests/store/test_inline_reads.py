"""SQLite reads run on the event loop's thread; writes on aiosqlite's (store/inline_sqlite.py).

What a member would notice: a screen still reads while another session holds the write lock
(and has not committed), errors still come out as the store's clear messages, and a write
still waits on its own thread, so the screen keeps answering keys while it waits.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from forum_tui.domain.errors import StoreError
from forum_tui.store.database import Database
from forum_tui.store.tables import MemberRow


@pytest.fixture
async def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "forum.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite+aiosqlite:///{path}")
    yield db
    await db.dispose()


async def _thread_of(session) -> int:  # noqa: ANN001
    """The thread the driver ran the statement on (a function SQLite calls back)."""
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    ran_on: list[int] = []

    def where() -> int:
        ran_on.append(threading.get_ident())
        return 1

    await raw.create_function("where_am_i", 0, where)
    await session.execute(text("SELECT where_am_i()"))
    return ran_on[0]


async def test_reads_run_on_the_loop_thread_and_writes_do_not(sqlite_db: Database) -> None:
    async with sqlite_db.read() as session:
        assert await _thread_of(session) == threading.get_ident()
    async with sqlite_db.write() as session:
        assert await _thread_of(session) != threading.get_ident()


async def test_a_read_is_not_held_up_by_another_sessions_open_write(
    sqlite_db: Database,
) -> None:
    before = await _members(sqlite_db)
    other = sqlite3.connect(sqlite_db.sqlite_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another session is writing and has not committed
        other.execute(
            "INSERT INTO members (handle, handle_key, display_name, role, state, created_at) "
            "VALUES ('newcomer', 'newcomer', 'Newcomer', 'carer', 'active', "
            "'2026-12-02 10:00:00.000000')"
        )
        assert await _members(sqlite_db) == before  # read at once, without the uncommitted row
        other.execute("COMMIT")
    finally:
        other.close()
    assert await _members(sqlite_db) == before + 1


async def test_a_broken_read_still_gives_the_stores_message(sqlite_db: Database) -> None:
    with pytest.raises(StoreError, match="database"):
        async with sqlite_db.read() as session:
            await session.execute(text("SELECT * FROM no_such_table"))


async def _members(db: Database) -> int:
    async with db.read() as session:
        return (await session.execute(select(func.count()).select_from(MemberRow))).scalar_one()
