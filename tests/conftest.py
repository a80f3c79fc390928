"""Fixtures: a migrated database per test, on SQLite always and on PostgreSQL when
FORUM_TUI_TEST_PG_URL is set (``.ci/run`` sets it), and services over it with a fake clock.

Migrating once per session into a template and copying it per test keeps the suite fast: a copied
SQLite file on one side, ``CREATE DATABASE … TEMPLATE`` on the other.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from argon2 import Parameters, PasswordHasher, Type
from sqlalchemy.engine import make_url

from forum_tui.domain.enums import Role
from forum_tui.domain.models import Member
from forum_tui.services import Services, accounts, build_services
from forum_tui.store import migrations
from forum_tui.store.database import Database

# Posting limits are off for the suite, as the clock is fixed: tests write many posts in one
# fake instant. tests/services/test_limits.py turns them on explicitly. Child processes (the SSH
# tests' app sessions) inherit this.
os.environ.setdefault("FORUM_TUI_POSTING_LIMITS", "off")

PG_URL = os.environ.get("FORUM_TUI_TEST_PG_URL")
BACKENDS = ["sqlite", "postgres"]


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self, start: datetime = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await migrations.upgrade(db)
    finally:
        await db.dispose()


def _pg_admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _pg_exec(sql: str) -> None:
    assert PG_URL
    connection = await asyncpg.connect(_pg_admin_dsn(PG_URL))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashes() -> Iterator[None]:
    """argon2id with 1 pass over 1 MiB for the suite's own hashing, not the app's 3 passes over
    64 MiB (0.13 s each: most UI tests seed two or three members with passwords). Hashes
    still verify by their own parameters; the app's profile is checked in test_accounts.py.
    Processes the tests start (``forum-tui demo``, SSH sessions' apps) hash as the app does."""
    quick = Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=1,
        memory_cost=1024,
        parallelism=1,
    )
    app_hasher = accounts._hasher
    accounts._hasher = PasswordHasher.from_parameters(quick)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._hasher = app_hasher
    accounts._dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("FORUM_TUI_TEST_PG_URL is not set: PostgreSQL half not run")
    name = f"forum_tui_tpl_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}"'))
    asyncio.run(_migrate(make_url(PG_URL).set(database=name).render_as_string(False)))
    yield name
    asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "forum.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"forum_tui_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(False)
    asyncio.run(_pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    return build_services(db, clock)


async def add_member(
    services: Services, handle: str, role: Role = Role.CARER, password: str | None = None
) -> Member:
    return await services.accounts.add_member(handle, role=role, password=password)
