"""Backups (design.md §7): SQLite's online backup is consistent while the forum keeps writing."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from forum_tui.domain.errors import ValidationError
from forum_tui.services import build_services
from forum_tui.store import backup
from forum_tui.store.database import Database


@pytest.fixture
def live_db(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "forum.db"
    shutil.copy(sqlite_template, path)
    return path


def _check(copy: Path) -> int:
    """The copy passes integrity_check; returns how many posts it holds."""
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        return int(connection.execute("SELECT count(*) FROM posts").fetchone()[0])
    finally:
        connection.close()


async def test_a_backup_taken_during_writes_is_whole_and_consistent(
    live_db: Path, tmp_path: Path
) -> None:
    db = Database(f"sqlite+aiosqlite:///{live_db}")
    services = build_services(db)
    try:
        ann = await services.accounts.add_member("ann")
        group = await services.groups.add_group("nights", "Night-time caring")
        await services.groups.join_group(ann.id, group.id)
        thread = await services.threads.start_thread(ann.id, group.id, "Nights", "First post")
        stop = asyncio.Event()
        going = asyncio.Event()  # set once a stream of replies is under way
        posted = 0

        async def keep_replying() -> None:
            nonlocal posted
            while not stop.is_set():
                await services.threads.reply(ann.id, thread.id, f"Reply {posted} " + "x" * 400)
                posted += 1
                if posted >= 20:
                    going.set()
                await asyncio.sleep(0)

        writer = asyncio.create_task(keep_replying())
        await going.wait()
        counts = []
        for number in range(3):
            before = posted
            copy = await backup.backup_sqlite_async(str(live_db), tmp_path / f"copy{number}.db")
            after = posted
            held = await asyncio.to_thread(_check, copy)
            # The first post plus every reply committed before the copy, and none invented.
            assert 1 + before <= held <= 1 + after + 1
            counts.append(held)
            assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
        stop.set()
        await writer
        assert counts == sorted(counts) and counts[-1] > counts[0] - 1
    finally:
        await services.close()
    assert not await asyncio.to_thread(lambda: list(tmp_path.glob("*.partial")))


def test_a_backup_of_a_closed_database_works(live_db: Path, tmp_path: Path) -> None:
    copy = backup.backup_sqlite(str(live_db), tmp_path / "copy.db")
    assert _check(copy) == 0


def test_the_target_is_checked_before_anything_is_written(live_db: Path, tmp_path: Path) -> None:
    existing = tmp_path / "there.db"
    existing.write_text("keep me")
    with pytest.raises(ValidationError, match="already exists.*--force"):
        backup.check_target(str(existing), force=False)
    assert backup.check_target(str(existing), force=True) == existing
    with pytest.raises(ValidationError, match="does not exist"):
        backup.check_target(str(tmp_path / "no" / "copy.db"), force=False)
    with pytest.raises(ValidationError, match="folder"):
        backup.check_target(str(tmp_path), force=False)
    assert existing.read_text() == "keep me"
    backup.backup_sqlite(str(live_db), existing)  # --force: replaced whole
    assert _check(existing) == 0


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in (root writes anywhere but /sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked


def test_an_unwritable_folder_is_one_clear_error(live_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Cannot write"):
        backup.backup_sqlite(str(live_db), unwritable_folder(tmp_path) / "copy.db")


def test_postgres_gets_the_pg_dump_command_without_a_password() -> None:
    url = make_url("postgresql+asyncpg://forum:s3cret@db.example:5433/carers")
    command = backup.pg_dump_command(url, "/backups/forum dump.pgc")
    assert command == (
        "pg_dump --format=custom '--file=/backups/forum dump.pgc' --host=db.example "
        "--port=5433 --username=forum --dbname=carers"
    )
    assert "s3cret" not in command
