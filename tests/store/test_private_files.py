"""New databases and their folder are private (issue 9 §5): folder 0700, the database and its
``-wal``/``-shm`` 0600, whatever the umask; an existing loose one is warned about at start-up,
not silently changed."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from forum_tui.services import build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.store.private_files import loose_files
from tests.cli.test_cli import forum_tui


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a login shell: without care, files come out 0644, folders 0755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
async def test_a_new_database_its_wal_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "srv" / "forum-tui"
    path = folder / "forum.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await migrations.upgrade(db)
        services = build_services(db)
        await services.accounts.add_member("carer_ann", password="a long password")
        # While the database is open (WAL mode), all three files exist.
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(file.exists() for file in files)
        assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}
        assert mode(folder) == 0o700
        assert mode(folder.parent) == 0o700  # a parent made on the way is private too
        assert loose_files(folder, [path]) == []
    finally:
        await db.dispose()


def test_the_cli_makes_the_default_data_folder_and_database_private(tmp_path: Path) -> None:
    # The umask of the child is the test runner's; the files must not depend on it.
    made = tmp_path / "home" / "forum-tui"
    result = forum_tui(tmp_path, "db", "upgrade", env={"FORUM_TUI_DATA_DIR": str(made)})
    assert result.returncode == 0, result.stderr
    assert mode(made) == 0o700
    assert mode(made / "forum.db") == 0o600


async def test_an_existing_loose_database_is_warned_about_not_changed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.ssh.conftest import options

    folder = tmp_path / "data"
    path = folder / "forum.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await migrations.upgrade(db)
    finally:
        await db.dispose()
    folder.chmod(0o755)
    path.chmod(0o644)
    found = loose_files(folder, [path])
    assert [(loose.path, loose.mode, loose.folder) for loose in found] == [
        (folder, 0o755, True),
        (path, 0o644, False),
    ]
    assert found[1].warning.endswith(f"Run:  chmod 600 {path}")

    # The server says so once at start-up, in its log, and leaves the modes alone.
    from forum_tui.config import Settings
    from forum_tui.ssh.server import start_server

    caplog.set_level(logging.INFO, "forum_tui.ssh")
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(folder))
    running = await start_server(
        Settings(f"sqlite+aiosqlite:///{path}"), options(host_key=tmp_path / "key")
    )
    await running.close()
    lines = [r.getMessage() for r in caplog.records if "event=loose_file" in r.getMessage()]
    # The folder, the file, and the -wal/-shm SQLite made with the file's loose mode.
    assert len(lines) == 4
    assert f"chmod 700 {folder}" in lines[0] and f"chmod 600 {path}" in lines[1]
    assert f"chmod 600 {path}-wal" in lines[2] and f"chmod 600 {path}-shm" in lines[3]
    assert (mode(folder), mode(path)) == (0o755, 0o644)
