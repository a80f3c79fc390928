"""The schema's history: migrations give exactly the models' tables, keep data on upgrade, and
the start-up check says plainly what to do with a database that is empty, old, new or not ours.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Boolean, DateTime, bindparam, inspect, text
from sqlalchemy.engine import make_url

from forum_tui.domain.enums import Role
from forum_tui.domain.errors import ForumError, SchemaMismatch, StoreError
from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.services import build_services
from forum_tui.store import migrations
from forum_tui.store.board_tables import is_full_text_object
from forum_tui.store.database import Database
from forum_tui.store.migrations import SchemaState
from forum_tui.store.tables import Base
from tests.conftest import PG_URL, FakeClock, _pg_exec, add_member

FIRST = "0001"


def _not_full_text(name: str | None, _type: str, _parent: Any) -> bool:
    """Full-text search objects live outside the models (see forum_tui.store.board_tables)."""
    return not is_full_text_object(name)


def _schema_diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": _not_full_text}
    )
    return compare_metadata(context, Base.metadata)


async def schema_diff(db: Database) -> list[Any]:
    async with db.connect() as connection:
        return await connection.run_sync(_schema_diff)


async def table_names(db: Database) -> set[str]:
    async with db.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
        return
    if not PG_URL:
        pytest.skip("FORUM_TUI_TEST_PG_URL is not set: PostgreSQL half not run")
    name = f"forum_tui_m_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(False)
    asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def empty_db(empty_url: str) -> Any:
    database = Database(empty_url)
    yield database
    await database.dispose()


# --- (a) migrations give exactly the models' schema ----------------------------------------


async def test_the_migrated_database_matches_the_models(db: Database) -> None:
    assert await schema_diff(db) == []
    status = await migrations.schema_status(db)
    assert status.state is SchemaState.CURRENT
    assert status.revision == migrations.head_revision()


async def test_upgrading_a_new_sqlite_file_gives_the_models_schema(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'fresh' / 'forum.db'}")
    try:
        await migrations.upgrade(db)
        assert await schema_diff(db) == []
        assert {"members", "groups", "threads", "posts", "drafts"} <= await table_names(db)
        assert (await migrations.schema_status(db)).state is SchemaState.CURRENT
    finally:
        await db.dispose()


async def test_the_diff_would_notice_a_missing_index(tmp_path: Path) -> None:
    """The check above is only worth having if a drifted schema makes it fail."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}")
    try:
        await migrations.upgrade(db)
        async with db.connect(write=True) as connection:
            await connection.execute(text("DROP INDEX ix_threads_group_list"))
        diff = await schema_diff(db)
        assert [entry[0] for entry in diff] == ["add_index"]
    finally:
        await db.dispose()


# --- (b) upgrading keeps the data ----------------------------------------------------------

WHEN = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


async def _insert(connection: Any, sql: str, **values: Any) -> int:
    statement = text(sql).bindparams(
        *(
            bindparam(name, type_=DateTime(timezone=True))
            for name, value in values.items()
            if isinstance(value, datetime)
        ),
        *(
            bindparam(name, type_=Boolean())
            for name, value in values.items()
            if isinstance(value, bool)
        ),
    )
    return (await connection.execute(statement, values)).scalar_one()


async def test_upgrading_from_the_first_revision_keeps_threads_and_posts(
    empty_db: Database,
) -> None:
    db = empty_db
    await migrations.upgrade(db, FIRST)
    assert await migrations.current_revision(db) == FIRST
    assert "drafts" not in await table_names(db)

    # What forum-tui at revision 0001 wrote, in its own SQL, with the ids the database chose.
    async with db.connect(write=True) as connection:
        member_id = await _insert(
            connection,
            "INSERT INTO members (handle, handle_key, display_name, role, state, created_at) "
            "VALUES (:handle, :key, :name, 'carer', 'active', :at) RETURNING id",
            handle="Carer_Ann",
            key="carerann",
            name="Ann",
            at=WHEN,
        )
        group_id = await _insert(
            connection,
            "INSERT INTO groups (slug, name, description, visibility, created_at) "
            "VALUES ('sleep', 'Sleep', 'Night-time caring', 'open', :at) RETURNING id",
            at=WHEN,
        )
        await connection.execute(
            text(
                "INSERT INTO memberships (member_id, group_id, role, joined_at) "
                "VALUES (:member, :group, 'member', :at)"
            ).bindparams(bindparam("at", type_=DateTime(timezone=True))),
            {"member": member_id, "group": group_id, "at": WHEN},
        )
        thread_id = await _insert(
            connection,
            "INSERT INTO threads (group_id, author_id, title, created_at, last_post_at, "
            "reply_count, pinned, locked) "
            "VALUES (:group, :member, 'Nights before the upgrade', :at, :at, 0, :no, :no) "
            "RETURNING id",
            group=group_id,
            member=member_id,
            at=WHEN,
            no=False,
        )
        post_id = await _insert(
            connection,
            "INSERT INTO posts (thread_id, author_id, body, created_at, version) "
            "VALUES (:thread, :member, :body, :at, 1) RETURNING id",
            thread=thread_id,
            member=member_id,
            body="Written before the upgrade — £5 «quoted» 🙂",
            at=WHEN,
        )

    await migrations.upgrade(db)
    assert (await migrations.schema_status(db)).state is SchemaState.CURRENT
    assert await schema_diff(db) == []

    services = build_services(db, FakeClock())
    mine, _ = await services.groups.list_groups(member_id)
    # The group counters (0006) start from the rows already there.
    assert [(g.slug, g.name, g.thread_count, g.unread) for g in mine] == [("sleep", "Sleep", 1, 1)]
    assert mine[0].description == "Night-time caring"
    view = await services.threads.open_thread(member_id, thread_id)
    assert view.thread.title == "Nights before the upgrade"
    assert view.thread.author_handle == "Carer_Ann"
    assert view.thread.last_post_at == WHEN
    assert [(p.id, p.body, p.author_handle, p.created_at) for p in view.posts.items] == [
        (post_id, "Written before the upgrade — £5 «quoted» 🙂", "Carer_Ann", WHEN)
    ]
    assert view.can_reply

    # The upgraded forum carries on: new posts, and the tables 0002 added, work.
    await services.drafts.save_draft(member_id, f"reply:{thread_id}", "After the upgrade")
    await services.threads.reply(member_id, thread_id, "After the upgrade")
    view = await services.threads.open_thread(member_id, thread_id)
    assert view.thread.reply_count == 1
    assert [p.body for p in view.posts.items][-1] == "After the upgrade"
    assert await services.drafts.list_drafts(member_id) == []
    assert (await services.accounts.find_member("carer_ann")).display_name == "Ann"
    mine, _ = await services.groups.list_groups(member_id)
    assert [(g.thread_count, g.unread) for g in mine] == [(1, 0)]
    # A report on the new reply shows the post from before the upgrade as the author's
    # history in that group: 0013 gave the old post its thread's group.
    admin = await add_member(services, "boss", role=Role.ADMIN)
    (reply,) = [p for p in view.posts.items if p.body == "After the upgrade"]
    await services.moderation.report(admin.id, TargetKind.POST, reply.id, ReportReason.UNKIND)
    (item,) = await services.moderation.review_queue(admin.id)
    assert item.author_recent == ("Written before the upgrade — £5 «quoted» 🙂",)


# --- (c) the start-up check ----------------------------------------------------------------


async def test_an_empty_database_asks_for_db_upgrade(empty_db: Database) -> None:
    assert (await migrations.schema_status(empty_db)).state is SchemaState.EMPTY
    with pytest.raises(SchemaMismatch, match="forum-tui db upgrade"):
        await migrations.ensure_schema(empty_db, create=False)
    assert await table_names(empty_db) == set()  # refusing did not half-create anything

    await migrations.ensure_schema(empty_db, create=True)  # first run creates the forum
    assert (await migrations.schema_status(empty_db)).state is SchemaState.CURRENT


async def test_an_older_database_names_the_upgrade_command(empty_db: Database) -> None:
    await migrations.upgrade(empty_db, FIRST)
    status = await migrations.schema_status(empty_db)
    assert (status.state, status.revision) == (SchemaState.OLDER, FIRST)
    with pytest.raises(SchemaMismatch) as refused:
        await migrations.ensure_schema(empty_db, create=True)  # create does not mean upgrade
    assert "forum-tui db upgrade" in str(refused.value)
    assert FIRST in str(refused.value)
    assert await migrations.current_revision(empty_db) == FIRST

    await migrations.ensure_schema(empty_db, create=False, upgrade_older=True)
    assert (await migrations.schema_status(empty_db)).state is SchemaState.CURRENT


async def test_a_newer_database_is_refused_and_left_alone(empty_db: Database) -> None:
    await migrations.upgrade(empty_db)
    async with empty_db.connect(write=True) as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'ffffffff'"))
    status = await migrations.schema_status(empty_db)
    assert (status.state, status.revision) == (SchemaState.NEWER, "ffffffff")
    with pytest.raises(SchemaMismatch, match="newer"):
        await migrations.ensure_schema(empty_db, create=True, upgrade_older=True)
    with pytest.raises(SchemaMismatch, match="newer"):
        await migrations.upgrade(empty_db)
    assert await migrations.current_revision(empty_db) == "ffffffff"


async def test_a_database_of_something_else_is_not_touched(empty_db: Database) -> None:
    async with empty_db.connect(write=True) as connection:
        await connection.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)"))
    assert (await migrations.schema_status(empty_db)).state is SchemaState.FOREIGN
    for attempt in (
        lambda: migrations.ensure_schema(empty_db, create=True, upgrade_older=True),
        lambda: migrations.upgrade(empty_db),
    ):
        with pytest.raises(StoreError, match="not a forum-tui database"):
            await attempt()
    assert await table_names(empty_db) == {"recipes"}


async def test_a_sqlite_file_of_someone_elses_tables_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        assert (await migrations.schema_status(db)).state is SchemaState.FOREIGN
        with pytest.raises(StoreError) as refused:
            await migrations.ensure_schema(db, create=True)
        assert type(refused.value) is StoreError
        assert str(path) in str(refused.value)
    finally:
        await db.dispose()


async def test_a_file_that_is_not_a_database_gives_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    content = random.Random(7).randbytes(8192)
    path.write_bytes(content)
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        for attempt in (
            lambda: migrations.schema_status(db),
            lambda: migrations.ensure_schema(db, create=True),
            lambda: migrations.upgrade(db),
        ):
            with pytest.raises(ForumError) as refused:
                await attempt()
            assert isinstance(refused.value, StoreError)
            assert type(refused.value).__module__ == "forum_tui.domain.errors"
            assert "not a forum-tui database" in str(refused.value)
            assert str(path) in str(refused.value)
    finally:
        await db.dispose()
    assert path.read_bytes() == content  # nothing was written into someone's file
