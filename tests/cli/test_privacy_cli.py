"""``forum-tui member export|erase`` and ``forum-tui db backup`` as an operator meets them: real
processes on SQLite and PostgreSQL, clear confirmations, one-line errors, no tracebacks."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import sqlite3
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from forum_tui.services import build_services
from forum_tui.services.privacy import FORMER_MEMBER, REMOVED_TEXT
from forum_tui.store.database import Database
from tests.cli.test_cli import failed, forum_tui, succeeded
from tests.conftest import PG_URL, _migrate, _pg_exec

SECRET_POST = "QXCLI my mum's diagnosis"


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write in (root writes anywhere but /sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked


async def _seed(url: str) -> int:
    db = Database(url)
    services = build_services(db)
    try:
        ann = await services.accounts.add_member("ann_carer", password="a long enough password")
        bob = await services.accounts.add_member("bob_reader")
        group = await services.groups.add_group("nights", "Night-time caring")
        await services.groups.join_group(ann.id, group.id)
        await services.groups.join_group(bob.id, group.id)
        thread = await services.threads.start_thread(ann.id, group.id, "Nights", SECRET_POST)
        await services.threads.reply(bob.id, thread.id, "Bob's reply")
        return thread.id
    finally:
        await services.close()


async def _open_thread(url: str, thread_id: int) -> list[tuple[str, str]]:
    db = Database(url)
    services = build_services(db)
    try:
        bob = await services.accounts.find_member("bob_reader")
        view = await services.threads.open_thread(bob.id, thread_id)
        return [(post.author_handle, post.body) for post in view.posts.items]
    finally:
        await services.close()


@pytest.fixture(params=["sqlite", "postgres"])
def cli_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated forum holding Ann's thread with Bob's reply, on either database."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
        asyncio.run(_migrate(url))
        yield url
        return
    if not PG_URL:
        pytest.skip("FORUM_TUI_TEST_PG_URL is not set: PostgreSQL half not run")
    name = f"forum_tui_priv_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        asyncio.run(_migrate(url))
        yield url
    finally:
        asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_member_export(tmp_path: Path, cli_db: str) -> None:
    asyncio.run(_seed(cli_db))
    out = succeeded(forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer"))
    data = json.loads(out)
    assert data["account"]["handle"] == "ann_carer" and data["account"]["password"] == "set"
    assert SECRET_POST in out and "Bob's reply" not in out and "argon2" not in out

    target = tmp_path / "ann.json"
    result = forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(target))
    assert succeeded(result) == ""
    assert f"Wrote the export of ann_carer to {target}" in result.stderr
    written = json.loads(target.read_text("utf-8"))
    assert {**written, "exported_at": ""} == {**data, "exported_at": ""}

    again = forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(target))
    failed(again, "already there")
    target.chmod(0o644)
    forced = forum_tui(
        tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(target), "--force"
    )
    succeeded(forced)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # replaced, and private again

    # --force never follows a symbolic link: a link to a file is refused and the file kept;
    # a dangling link creates nothing where it points.
    loose = tmp_path / "loose.txt"
    loose.write_text("someone else's\n")
    loose.chmod(0o644)
    link = tmp_path / "link.json"
    link.symlink_to(loose)
    for extra in ((), ("--force",)):
        failed(
            forum_tui(
                tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(link), *extra
            ),
            "symbolic link",
        )
    assert loose.read_text() == "someone else's\n" and stat.S_IMODE(loose.stat().st_mode) == 0o644
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "made-through-link.json")
    failed(
        forum_tui(
            tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(dangling),
            "--force",
        ),
        "symbolic link",
    )  # fmt: skip
    assert not (tmp_path / "made-through-link.json").exists()

    nowhere = unwritable_folder(tmp_path) / "ann.json"
    failed(
        forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(nowhere)),
        "cannot write",
    )
    missing = tmp_path / "no" / "such" / "ann.json"
    failed(
        forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer", "-o", str(missing)),
        "does not exist",
    )
    failed(forum_tui(tmp_path, "--db", cli_db, "member", "export", "nobody_here"), "nobody_here")


def test_member_erase(tmp_path: Path, cli_db: str) -> None:
    thread_id = asyncio.run(_seed(cli_db))
    refused = forum_tui(tmp_path, "--db", cli_db, "member", "erase", "ann_carer")
    failed(refused, "--yes", "terminal")
    failed(forum_tui(tmp_path, "--db", cli_db, "member", "erase", "nobody_here", "--yes"), "nobody")

    out = succeeded(forum_tui(tmp_path, "--db", cli_db, "member", "erase", "ann_carer", "--yes"))
    assert out.startswith("Erased ann_carer (member ") and "former member" in out
    assert "1 posts, 1 threads and 0 ideas" in out
    assert asyncio.run(_open_thread(cli_db, thread_id)) == [
        (FORMER_MEMBER, REMOVED_TEXT),
        ("bob_reader", "Bob's reply"),
    ]
    failed(forum_tui(tmp_path, "--db", cli_db, "member", "export", "ann_carer"), "ann_carer")
    failed(forum_tui(tmp_path, "--db", cli_db, "member", "erase", "ann_carer", "--yes"), "ann")


def _erase_at_a_terminal(tmp_path: Path, url: str, typed: str) -> tuple[int, str]:
    """Runs ``member erase ann_carer`` with a terminal as standard input, typing ``typed``."""
    env = {k: v for k, v in os.environ.items() if k != "FORUM_TUI_DATABASE_URL"}
    env["FORUM_TUI_DATA_DIR"] = str(tmp_path)
    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "forum_tui", "--db", url, "member", "erase", "ann_carer"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
            text=True,
        )
        os.write(leader, typed.encode() + b"\n")
        out, err = child.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert "Traceback" not in err, err
    return child.returncode, out + err


def test_member_erase_asks_for_the_handle_at_a_terminal(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
    asyncio.run(_migrate(url))
    thread_id = asyncio.run(_seed(url))
    code, said = _erase_at_a_terminal(tmp_path, url, "ann")
    assert code == 1 and "did not match; nothing was erased" in said
    assert "cannot be undone" in said and "Type the handle to confirm" in said
    assert asyncio.run(_open_thread(url, thread_id))[0] == ("ann_carer", SECRET_POST)
    code, said = _erase_at_a_terminal(tmp_path, url, "ann_carer")
    assert code == 0 and "Erased ann_carer" in said
    assert asyncio.run(_open_thread(url, thread_id))[0] == (FORMER_MEMBER, REMOVED_TEXT)


def test_db_backup_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
    asyncio.run(_migrate(url))
    asyncio.run(_seed(url))
    target = tmp_path / "backup.db"
    out = succeeded(forum_tui(tmp_path, "--db", url, "db", "backup", str(target)))
    assert out.strip() == f"Backed up {tmp_path / 'forum.db'} to {target}."
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM posts").fetchone() == (2,)
    failed(forum_tui(tmp_path, "--db", url, "db", "backup", str(target)), "exists", "--force")
    succeeded(forum_tui(tmp_path, "--db", url, "db", "backup", str(target), "--force"))
    nowhere = unwritable_folder(tmp_path) / "backup.db"
    failed(forum_tui(tmp_path, "--db", url, "db", "backup", str(nowhere)), "cannot write")
    missing = tmp_path / "no" / "backup.db"
    failed(forum_tui(tmp_path, "--db", url, "db", "backup", str(missing)), "does not exist")
    absent = f"sqlite+aiosqlite:///{tmp_path / 'absent' / 'none.db'}"
    failed(forum_tui(tmp_path, "--db", absent, "db", "backup", str(tmp_path / "x.db")), "no")


def test_db_backup_on_postgres_prints_the_pg_dump_command(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://forum:s3cret@db.example:5433/carers"
    result = forum_tui(tmp_path, "--db", url, "db", "backup", "/backups/forum.pgc")
    out = succeeded(result)
    assert out.strip() == (
        "pg_dump --format=custom --file=/backups/forum.pgc --host=db.example --port=5433 "
        "--username=forum --dbname=carers"
    )
    assert "s3cret" not in out + result.stderr and "pg_restore" in result.stderr
