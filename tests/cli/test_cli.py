"""The ``forum-tui`` command as an operator meets it: a real process, its words and exit code.

Every command runs as ``python -m forum_tui`` in a child process with ``FORUM_TUI_DATA_DIR``
pointing at the test's own directory and no ``FORUM_TUI_DATABASE_URL`` inherited, so nothing here
touches a real forum. The demo seeding is checked in-process (it is the slow part) on SQLite, and
on PostgreSQL when ``FORUM_TUI_TEST_PG_URL`` is set.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from forum_tui import demo_content
from forum_tui.config import Settings
from forum_tui.domain.enums import GroupRole, Visibility
from forum_tui.services import build_services
from forum_tui.services.demo import seed_demo
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.store.tables import GroupRow, MemberRow, PostRow, ThreadRow
from tests.conftest import PG_URL, _migrate, _pg_exec

UNREACHABLE_PG = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
PASSWORD = "a long enough password\n"


# --- running the command ---------------------------------------------------------------------


def forum_tui(
    data_dir: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs ``forum-tui ARGS`` the way an operator would, with stdin/stdout not a terminal."""
    child_env = {k: v for k, v in os.environ.items() if k != "FORUM_TUI_DATABASE_URL"}
    child_env["FORUM_TUI_DATA_DIR"] = str(data_dir)
    child_env.update(env or {})
    try:
        return subprocess.run(
            [sys.executable, "-m", "forum_tui", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=child_env,
            cwd=data_dir,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"forum-tui {' '.join(args)} did not finish (a full-screen app started?)")


def member_add(
    data_dir: Path,
    handle: str,
    *options: str,
    password: str = PASSWORD,
    db: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``forum-tui [--db DB] member add HANDLE --password-stdin OPTIONS`` with ``password``."""
    chosen = ("--db", db) if db else ()
    args = (*chosen, "member", "add", handle, "--password-stdin", *options)
    return forum_tui(data_dir, *args, stdin=password, env=env)


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must have worked."""
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def failed(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one-line error of a command that must have failed cleanly, mentioning ``words``."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "\x1b" not in result.stdout, "no terminal control sequences: the UI must not start"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("forum-tui: "), line
    for word in words:
        assert word.lower() in line.lower(), (word, line)
    return line


def sqlite(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


# --- databases in known states ----------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-template") / "forum.db"
    asyncio.run(_migrate(sqlite(path)))
    return path


async def _add_member(path: Path, handle: str) -> None:
    db = Database(sqlite(path))
    try:
        await build_services(db).accounts.add_member(handle)
    finally:
        await db.dispose()


@pytest.fixture
def forum_db(tmp_path: Path, migrated_template: Path) -> Path:
    """A migrated, empty forum at the default place for this test's data dir."""
    path = tmp_path / "forum.db"
    path.write_bytes(migrated_template.read_bytes())
    return path


@pytest.fixture
def newer_db(tmp_path: Path, migrated_template: Path) -> Path:
    """A forum written by a (pretend) newer forum-tui."""
    path = tmp_path / "newer.db"
    path.write_bytes(migrated_template.read_bytes())
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffff'")
    return path


@pytest.fixture
def foreign_db(tmp_path: Path) -> Path:
    """Somebody else's SQLite database."""
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
        connection.execute("INSERT INTO orders (item) VALUES ('tea')")
    return path


@pytest.fixture
def random_file(tmp_path: Path) -> Path:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(8192))
    return path


# --- schema -------------------------------------------------------------------------------------


def test_db_upgrade_creates_the_forum_and_db_current_says_so(tmp_path: Path) -> None:
    head = migrations.head_revision()

    out = succeeded(forum_tui(tmp_path, "db", "current"))
    assert out.startswith("(no revision) (empty;")

    out = succeeded(forum_tui(tmp_path, "db", "upgrade"))
    assert "Upgraded" in out and head in out
    assert (tmp_path / "forum.db").exists(), "the default database lives in FORUM_TUI_DATA_DIR"

    out = succeeded(forum_tui(tmp_path, "db", "current"))
    assert out.startswith(head) and "current" in out

    out = succeeded(forum_tui(tmp_path, "db", "upgrade"))
    assert "Already up to date" in out and head in out


def test_commands_before_db_upgrade_say_what_to_run(tmp_path: Path) -> None:
    line = failed(member_add(tmp_path, "ann"))
    assert "forum-tui db upgrade" in line


def test_db_current_names_a_newer_or_foreign_database(
    tmp_path: Path, newer_db: Path, foreign_db: Path
) -> None:
    out = succeeded(forum_tui(tmp_path, "--db", sqlite(newer_db), "db", "current"))
    assert out.startswith("ffffffff (newer;")
    out = succeeded(forum_tui(tmp_path, "--db", sqlite(foreign_db), "db", "current"))
    assert out.startswith("(no revision) (foreign;")


# --- members and groups -------------------------------------------------------------------------


def test_member_add(tmp_path: Path, forum_db: Path) -> None:
    out = succeeded(member_add(tmp_path, "ann"))
    assert out.strip() == "Added ann (carer)."

    again = member_add(tmp_path, "ann")
    failed(again, "ann", "taken")

    short = member_add(tmp_path, "bob", password="short\n")
    failed(short, "password", "8 characters")

    # Reserved handles: refused at sign-up, but the operator may name real accounts with them.
    out = succeeded(member_add(tmp_path, "admin", "--role", "admin"))
    assert out.strip() == "Added admin (admin)."

    async def check() -> None:
        db = Database(sqlite(forum_db))
        try:
            services = build_services(db)
            ann = await services.accounts.sign_in("ann", PASSWORD.strip())
            assert ann.handle == "ann"
        finally:
            await db.dispose()

    asyncio.run(check())


def test_group_add_and_leader(tmp_path: Path, forum_db: Path) -> None:
    asyncio.run(_add_member(forum_db, "ann"))

    out = succeeded(forum_tui(tmp_path, "group", "add", "carers-corner", "Carers' Corner"))
    assert "carers-corner" in out and "Carers' Corner" in out and "open" in out
    out = succeeded(forum_tui(tmp_path, "group", "add", "secret", "Secret", "--private"))
    assert "secret" in out and "private" in out
    out = succeeded(forum_tui(tmp_path, "group", "leader", "carers-corner", "ann"))
    assert out.strip() == "ann now leads carers-corner."

    failed(forum_tui(tmp_path, "group", "leader", "nope", "ann"), "no group", "nope")
    failed(forum_tui(tmp_path, "group", "leader", "carers-corner", "nobody"), "nobody")

    async def check() -> None:
        db = Database(sqlite(forum_db))
        try:
            services = build_services(db)
            assert (await services.groups.find_group("secret")).visibility is Visibility.PRIVATE
            ann = await services.accounts.find_member("ann")
            mine, others = await services.groups.list_groups(ann.id)
            assert [(g.slug, g.my_role) for g in mine] == [("carers-corner", GroupRole.LEADER)]
            assert "secret" not in {g.slug for g in others}
        finally:
            await db.dispose()

    asyncio.run(check())


# --- databases that cannot be used: one line, exit 1, never a traceback -------------------------


def contents(path: Path) -> str | bytes:
    """What a SQLite file holds (its SQL dump), or its raw bytes if it is not SQLite at all.

    Not the file's bytes for real SQLite files: forum-tui opens every SQLite database in WAL mode,
    which rewrites a header byte, and a checkpoint moves pages about.
    """
    try:
        with sqlite3.connect(path) as connection:
            return "\n".join(connection.iterdump())
    except sqlite3.DatabaseError:
        return path.read_bytes()


MEMBER_ADD = ("member", "add", "ann", "--password-stdin")
DB_UPGRADE = ("db", "upgrade")


@pytest.mark.parametrize(
    ("target", "command", "words"),
    [
        (UNREACHABLE_PG, MEMBER_ADD, ["cannot reach", "127.0.0.1:1"]),
        ("nonsense://x", MEMBER_ADD, ["sqlite+aiosqlite:///", "postgresql+asyncpg://"]),
        ("random_file", MEMBER_ADD, ["not a forum-tui database"]),
        ("random_file", DB_UPGRADE, ["not a forum-tui database"]),
        ("foreign_db", MEMBER_ADD, ["not a forum-tui database"]),
        ("foreign_db", DB_UPGRADE, ["not a forum-tui database", "refusing"]),
        ("newer_db", MEMBER_ADD, ["newer", "ffffffff"]),
        ("newer_db", DB_UPGRADE, ["newer", "ffffffff"]),
    ],
    ids=[
        "unreachable-postgres",
        "nonsense-url",
        "random-bytes",
        "random-bytes-upgrade",
        "foreign-sqlite",
        "foreign-sqlite-upgrade",
        "newer-schema",
        "newer-schema-upgrade",
    ],
)
def test_unusable_database_is_one_clear_line(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    target: str,
    command: tuple[str, ...],
    words: list[str],
) -> None:
    """``target`` is a URL, or the name of a fixture making a SQLite file."""
    path: Path | None = None if "://" in target else request.getfixturevalue(target)
    url = sqlite(path) if path else target
    before = contents(path) if path else None

    failed(forum_tui(tmp_path, "--db", url, *command, stdin=PASSWORD), *words)

    if path is not None:
        assert contents(path) == before, "a database we refuse keeps everything it had"


@pytest.mark.parametrize(
    ("kind", "command", "words"),
    [
        ("newer_db", [], ["newer"]),
        ("foreign_db", [], ["not a forum-tui database"]),
        ("newer_db", ["demo"], ["newer"]),
    ],
    ids=["app-newer", "app-foreign", "demo-newer"],
)
def test_app_refuses_a_database_it_cannot_open_before_the_full_screen(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str, command: list[str], words: list[str]
) -> None:
    path: Path = request.getfixturevalue(kind)
    failed(forum_tui(tmp_path, "--db", sqlite(path), *command), *words)


# --- choosing the database ----------------------------------------------------------------------


def test_forum_tui_database_url_is_honoured_like_db(tmp_path: Path, newer_db: Path) -> None:
    chosen = tmp_path / "chosen" / "forum.db"
    env = {"FORUM_TUI_DATABASE_URL": sqlite(chosen)}
    succeeded(forum_tui(tmp_path, "db", "upgrade", env=env))
    assert chosen.exists() and not (tmp_path / "forum.db").exists()
    out = succeeded(member_add(tmp_path, "ann", env=env))
    assert "Added ann" in out

    newer = {"FORUM_TUI_DATABASE_URL": sqlite(newer_db)}
    failed(member_add(tmp_path, "bob", env=newer), "newer")
    # --db wins over the environment.
    out = succeeded(forum_tui(tmp_path, "--db", sqlite(chosen), "db", "current", env=newer))
    assert "current" in out


def test_demo_keeps_its_own_file_unless_a_database_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORUM_TUI_DATABASE_URL", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path))
    assert Settings.load().database_url == sqlite(tmp_path / "forum.db")
    assert Settings.load().for_demo().database_url == sqlite(tmp_path / "demo.db")
    assert Settings.load(UNREACHABLE_PG).for_demo().database_url == UNREACHABLE_PG
    monkeypatch.setenv("FORUM_TUI_DATABASE_URL", "sqlite+aiosqlite:///elsewhere.db")
    assert Settings.load().for_demo().database_url == "sqlite+aiosqlite:///elsewhere.db"


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("forum-tui")
    assert script.exists(), "pip install should put a forum-tui command beside python"
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "forum-tui" in result.stdout


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def scratch_pg() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    if not PG_URL:
        pytest.skip("FORUM_TUI_TEST_PG_URL is not set: PostgreSQL half not run")
    name = f"forum_tui_cli_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_cli_on_postgres(tmp_path: Path, scratch_pg: str) -> None:
    out = succeeded(forum_tui(tmp_path, "--db", scratch_pg, "db", "upgrade"))
    assert "Upgraded" in out
    out = succeeded(member_add(tmp_path, "ann", db=scratch_pg))
    assert "Added ann" in out
    out = succeeded(forum_tui(tmp_path, "--db", scratch_pg, "db", "current"))
    assert out.startswith(migrations.head_revision()) and "current" in out


# --- the demo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    first_id: int
    second_id: int
    after_first: dict[str, int]
    after_second: dict[str, int]
    flags: tuple[int, int, int]  # pinned threads, locked threads, sum of (reply_count + 1)
    carer_groups: tuple[set[str], set[str]]  # the demo carer's (mine, others)
    leader_groups: set[str]  # the private group's leader's own groups


async def _counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            name: await session.scalar(select(func.count()).select_from(table))
            for name, table in (
                ("members", MemberRow),
                ("groups", GroupRow),
                ("threads", ThreadRow),
                ("posts", PostRow),
            )
        }


async def _seed_twice(url: str) -> SeedResult:
    db = Database(url)
    try:
        services = build_services(db)
        first_id = await seed_demo(services)
        after_first = await _counts(db)
        second_id = await seed_demo(services)
        after_second = await _counts(db)
        async with db.read() as session:
            pinned = await session.scalar(select(func.count()).where(ThreadRow.pinned.is_(True)))
            locked = await session.scalar(select(func.count()).where(ThreadRow.locked.is_(True)))
            by_counter = await session.scalar(select(func.sum(ThreadRow.reply_count + 1)))
        carer = await services.accounts.sign_in(demo_content.DEMO_CARER, demo_content.DEMO_PASSWORD)
        mine, others = await services.groups.list_groups(carer.id)
        private = next(g for g in demo_content.GROUPS if g.visibility == "private")
        leader = await services.accounts.sign_in(private.leader, demo_content.DEMO_PASSWORD)
        leader_mine, _ = await services.groups.list_groups(leader.id)
        return SeedResult(
            first_id=first_id,
            second_id=second_id,
            after_first=after_first,
            after_second=after_second,
            flags=(int(pinned or 0), int(locked or 0), int(by_counter or 0)),
            carer_groups=({g.slug for g in mine}, {g.slug for g in others}),
            leader_groups={g.slug for g in leader_mine},
        )
    finally:
        await db.dispose()


def test_demo_seeding_is_idempotent_and_matches_demo_content(db_url: str) -> None:
    """Seeding takes seconds, so one test (per database) seeds twice and checks it all."""
    seeded = asyncio.run(_seed_twice(db_url))
    groups = demo_content.GROUPS
    threads = [t for g in groups for t in g.threads]
    expected = {
        "members": len(demo_content.MEMBERS),
        "groups": len(groups),
        "threads": len(threads),
        "posts": sum(len(t.posts) for t in threads),
    }
    assert seeded.after_first == expected
    assert seeded.after_second == seeded.after_first, "a second run must add nothing"
    assert seeded.second_id == seeded.first_id
    assert expected["members"] >= 10 and expected["groups"] >= 3
    assert expected["threads"] >= 30 and expected["posts"] >= 200

    pinned, locked, posts_by_counter = seeded.flags
    assert pinned == sum(t.pinned for t in threads) and locked == sum(t.locked for t in threads)
    assert posts_by_counter == expected["posts"], "reply counts agree with the posts"

    # The demo carer signs in with the documented password and sees the open groups only.
    private = {g.slug for g in groups if g.visibility == "private"}
    mine, others = seeded.carer_groups
    assert mine == {g.slug for g in groups if demo_content.DEMO_CARER in g.members}
    assert others == {g.slug for g in groups if g.visibility == "open"} - mine
    assert not private & (mine | others), "a private group is invisible to non-members"
    assert private <= seeded.leader_groups
