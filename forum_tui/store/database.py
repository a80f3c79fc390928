"""Engines and transactions for SQLite (default, embedded) and PostgreSQL (scale-out).

Two rules from measurements in design.md §3 shape this module:

* On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so that two writers never
  both hold a read snapshot and then fight for the write lock ("database is locked" whatever the
  busy timeout). Reads use a second engine with ordinary deferred transactions so they never
  queue behind writers (WAL lets them run side by side).
* Counters are updated in SQL (``reply_count = reply_count + 1``), never read-modify-write.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, InterfaceError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from forum_tui.domain.errors import Conflict, StoreBusy, StoreError
from forum_tui.store.inline_sqlite import connect_inline
from forum_tui.store.private_files import create_private_file, make_private_dir

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # A writer waits up to 30 s for another to finish before "busy, try again". SQLite's wait
    # is not fair (a writer that has waited long looks for the lock every 100 ms, a new one
    # every 1-5 ms), so under writers working flat out one can lose for many seconds: at 10 s,
    # 1 reply in 800-4,000 was refused in bench/store_scale.py on a slow host. Waiting longer
    # is better than refusing a post.
    "PRAGMA busy_timeout=30000",
    "PRAGMA foreign_keys=ON",
    # FULL: a reply the app has acknowledged survives a power cut too (NORMAL in WAL mode can
    # lose the last commits). Posts are precious and writes are few; bench/store_scale.py
    # measures what FULL costs against NORMAL (README: Durability).
    "PRAGMA synchronous=FULL",
    "PRAGMA cache_size=-65536",
    "PRAGMA mmap_size=268435456",
    "PRAGMA temp_store=MEMORY",
)


def parse_url(url: str) -> URL:
    """Checks a database URL and names the supported kinds if it is not one of them."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL. Use sqlite+aiosqlite:///PATH "
            "or postgresql+asyncpg://USER@HOST/DB."
        ) from None
    if parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    if parsed.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise StoreError(
            f"Unsupported database {parsed.drivername!r}: use sqlite+aiosqlite:///PATH "
            "or postgresql+asyncpg://USER@HOST/DB."
        )
    return parsed


def describe(url: URL) -> str:
    """The database in words, without any password."""
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _translate(error: BaseException, where: str) -> StoreError | Conflict:
    """Turns a driver error into one sentence a carer or an operator can act on."""
    text = str(getattr(error, "orig", None) or error)
    lowered = text.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return StoreBusy(
            "The forum is busy right now and could not save. Nothing you typed is lost: "
            "please try again in a moment."
        )
    if "database or disk is full" in lowered or "no space left" in lowered:
        return StoreError(
            "The forum's storage is full, so this could not be saved. Nothing you typed is "
            "lost: it stays here while you try again later."
        )
    if "file is not a database" in lowered or "malformed" in lowered:
        return StoreError(f"{where} is not a forum-tui database, or it is damaged.")
    if "unable to open database" in lowered or "readonly database" in lowered:
        return StoreError(f"Cannot open {where}: check the path and its permissions.")
    if isinstance(error, IntegrityError):
        return Conflict("That was changed by someone else at the same moment; please try again.")
    if isinstance(error, OSError | socket.gaierror | InterfaceError) or (
        "connect" in lowered or "connection" in lowered
    ):
        return StoreError(f"Cannot reach {where}: {text.splitlines()[0] if text else 'no reply'}")
    return StoreError(f"The database refused the request ({text.splitlines()[0]}).")


class Database:
    """Both engines and the two kinds of transaction services use.

    ``read()`` for queries, ``write()`` for anything that changes data. Each is one
    transaction; driver errors come out as domain errors with a clear message.
    """

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url = parse_url(str(url)) if isinstance(url, str) else url
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.where = describe(self.url)
        if self.is_sqlite:
            self._prepare_sqlite_file()
            self.engine = self._sqlite_engine(echo, immediate=False)
            self.write_engine = self._sqlite_engine(echo, immediate=True)
        else:
            self.engine = create_async_engine(
                self.url,
                echo=echo,
                pool_pre_ping=True,
                connect_args={
                    "server_settings": {"plan_cache_mode": "force_custom_plan"},
                    "timeout": 10,
                },
            )
            self.write_engine = self.engine
        self._reads = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writes = async_sessionmaker(self.write_engine, expire_on_commit=False)

    def _prepare_sqlite_file(self) -> None:
        """A new database and its folder are private (0600, 0700): see ``private_files``."""
        path = self.url.database
        if path and path != ":memory:" and not path.startswith("file:"):
            file = Path(path).expanduser()
            make_private_dir(file.parent)
            with contextlib.suppress(OSError):  # unwritable: SQLite says so, in its words
                create_private_file(file)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL or an in-memory database."""
        path = self.url.database if self.is_sqlite else None
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        return Path(path).expanduser()

    def _sqlite_engine(self, echo: bool, *, immediate: bool) -> AsyncEngine:
        # Reads run on the event loop's thread, writes on aiosqlite's: see ``inline_sqlite``.
        connect_args = {} if immediate else {"async_creator_fn": connect_inline}
        engine = create_async_engine(self.url, echo=echo, connect_args=connect_args)

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._guard(), self._reads() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        async with self._guard(), self._writes() as session, session.begin():
            yield session

    @asynccontextmanager
    async def connect(self, *, write: bool = False) -> AsyncIterator[Any]:
        """A raw connection in a transaction, for migrations and schema checks."""
        engine = self.write_engine if write else self.engine
        async with self._guard(), engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        try:
            yield
        except (DBAPIError, OSError, socket.gaierror, TimeoutError) as error:
            raise _translate(error, self.where) from error

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.write_engine is not self.engine:
            await self.write_engine.dispose()
