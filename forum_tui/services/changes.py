"""Live updates: what changed in the forum since a screen was drawn, told to every session.

Every SSH session is its own process (issue 3), so a reply written by one process has to reach
the others through the database itself. ``ChangeFeed.watch()`` yields :class:`Change` topics —
``thread:<id>`` (a post was added to it), ``group:<id>`` (one of its threads changed),
``post:<id>`` (a post was edited) and ``*`` (anything may have changed: catch up on everything)
— and each screen reloads only what its topics cover. It holds one dedicated connection per
``watch()``, outside the pool, and never raises: a lost connection is reopened with a growing
pause, followed by ``*`` because changes may have been missed meanwhile.

**SQLite** (all sessions on one host): every ``POLL_EVERY`` seconds the watcher asks its own
connection for ``PRAGMA data_version``, which changes when any *other* connection, in any
process, has committed, and costs no page read. Only when it changed does one indexed range query
look for posts above the highest post id seen (``posts.id`` is the rowid, so this is a primary
key range scan returning the new rows only). That covers new replies and new threads, which is
what live updates are for; draft saves and read marks move ``data_version`` too but find no new
posts. Not announced live on SQLite: edits, and anything that does not add a post — finding
those cheaply needs a change log table, which the schema does not have; they show the next time
the screen loads.

**PostgreSQL** (several ``serve`` hosts on one database): the watcher ``LISTEN``\\s on
``forum_changes`` on its own asyncpg connection. Services call :func:`announce` inside the
writing transaction, so the notice goes out on commit and never for a rolled-back write. The
payload is the topics, space-separated; anything malformed in it is dropped. LISTEN needs a
session-level connection: behind PgBouncer in transaction mode the feed hears nothing.

No Textual here: the app turns changes into messages (``forum_tui/ui/live.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import asyncpg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.store.database import Database

log = logging.getLogger(__name__)

CHANNEL = "forum_changes"
POLL_EVERY = 0.5  # seconds between SQLite checks: a reply shows within about this long
KEEPALIVE = 15.0  # seconds of silence on PostgreSQL before the connection is checked
RETRY_FIRST, RETRY_MAX = 0.5, 30.0  # pause before reopening a lost connection, doubling
NEW_POSTS_AT_ONCE = 500  # more new posts than this in one poll: just say "everything changed"
# "<kind>:<id>": thread, group and post today; other areas may announce their own kinds.
TOPIC = re.compile(r"^[a-z][a-z_]{0,30}:[1-9][0-9]{0,17}$")
PG_APPLICATION_NAME = "forum-tui live updates"


@dataclass(frozen=True)
class Change:
    """One thing that changed: ``thread:<id>``, ``group:<id>``, ``post:<id>`` or ``*``."""

    topic: str

    @property
    def kind(self) -> str:
        return self.topic.partition(":")[0]

    @property
    def id(self) -> int | None:
        raw = self.topic.partition(":")[2]
        return int(raw) if raw else None

    @property
    def everything(self) -> bool:
        return self.topic == "*"


EVERYTHING = Change("*")


def thread_topic(thread_id: int) -> str:
    return f"thread:{thread_id}"


def group_topic(group_id: int) -> str:
    return f"group:{group_id}"


def post_topic(post_id: int) -> str:
    return f"post:{post_id}"


async def announce(session: AsyncSession, *topics: str) -> None:
    """Tells other sessions what this transaction changed, when (and only if) it commits.

    On PostgreSQL this is ``pg_notify`` in the caller's transaction; on SQLite it does nothing,
    because the watchers there see new posts by themselves.
    """
    if session.get_bind().dialect.name != "postgresql" or not topics:
        return
    await session.execute(select(func.pg_notify(CHANNEL, " ".join(topics))))


def parse_topics(payload: str) -> list[Change]:
    """The topics in a notice. Anything malformed is dropped: any database user may notify."""
    return [Change(topic) for topic in payload.split() if TOPIC.match(topic)]


class _Watcher(ABC):
    """One dedicated connection and the way to ask it what changed: one kind per database
    (``_SqliteWatcher``, ``_PostgresWatcher``)."""

    connection: Any = None

    @abstractmethod
    async def open(self) -> None: ...

    @abstractmethod
    async def changes(self, closing: asyncio.Event) -> list[Change]:
        """Waits for the next changes (or ``closing``); raises if the connection is lost."""

    @abstractmethod
    async def shut(self) -> None: ...


class _SqliteWatcher(_Watcher):
    # posts.id is the rowid: a primary-key range scan that reads only the new rows.
    NEW_POSTS = (
        "SELECT posts.id, posts.thread_id, threads.group_id FROM posts"
        " JOIN threads ON threads.id = posts.thread_id"
        " WHERE posts.id > ? ORDER BY posts.id LIMIT ?"
    )

    def __init__(self, path: str, poll_every: float) -> None:
        self.path = path
        self.poll_every = poll_every
        self.connection: aiosqlite.Connection | None = None
        self.version: int | None = None
        self.highest = 0

    async def open(self) -> None:
        # Autocommit (isolation_level None): no statement here ever leaves a read transaction
        # open, which would freeze data_version and hold back WAL checkpoints.
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await connection.execute("PRAGMA busy_timeout=5000")
            await connection.execute("PRAGMA query_only=ON")
            self.version = await self._one(connection, "PRAGMA data_version")
            self.highest = await self._one(connection, "SELECT coalesce(max(id), 0) FROM posts")
        except BaseException:
            await connection.close()
            raise
        self.connection = connection

    @staticmethod
    async def _one(connection: aiosqlite.Connection, sql: str) -> int:
        async with connection.execute(sql) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def changes(self, closing: asyncio.Event) -> list[Change]:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closing.wait(), self.poll_every)
        if closing.is_set() or self.connection is None:
            return []
        version = await self._one(self.connection, "PRAGMA data_version")
        if version == self.version:
            return []
        self.version = version
        async with self.connection.execute(
            self.NEW_POSTS, (self.highest, NEW_POSTS_AT_ONCE)
        ) as cursor:
            rows = list(await cursor.fetchall())
        if not rows:
            return []
        if len(rows) == NEW_POSTS_AT_ONCE:
            self.highest = await self._one(
                self.connection, "SELECT coalesce(max(id), 0) FROM posts"
            )
            return [EVERYTHING]
        self.highest = int(rows[-1][0])
        topics: dict[str, None] = {}
        for _post_id, thread_id, group_id in rows:
            topics[thread_topic(thread_id)] = None
            topics[group_topic(group_id)] = None
        return [Change(topic) for topic in topics]

    async def shut(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()


class _PostgresWatcher(_Watcher):
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.connection: asyncpg.Connection | None = None
        self.heard: asyncio.Queue[list[Change] | None] = asyncio.Queue()

    async def open(self) -> None:
        self.heard = asyncio.Queue()
        connection = await asyncpg.connect(
            self.dsn, timeout=10, server_settings={"application_name": PG_APPLICATION_NAME}
        )
        try:
            await connection.add_listener(CHANNEL, self._heard)
        except BaseException:
            await connection.close(timeout=2)
            raise
        connection.add_termination_listener(self._lost)
        self.connection = connection

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self.heard.put_nowait(parse_topics(payload))

    def _lost(self, _connection: Any) -> None:
        self.heard.put_nowait(None)

    async def changes(self, closing: asyncio.Event) -> list[Change]:
        if closing.is_set():
            return []
        heard = asyncio.ensure_future(self.heard.get())
        closed = asyncio.ensure_future(closing.wait())
        try:
            done, _ = await asyncio.wait(
                {heard, closed}, timeout=KEEPALIVE, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            closed.cancel()
            if not heard.done():
                heard.cancel()
        if heard not in done:
            if not closing.is_set():
                await self._check_alive()
            return []
        batches = [heard.result()]
        while not self.heard.empty():  # everything already queued, in one go
            batches.append(self.heard.get_nowait())
        if None in batches or self.connection is None or self.connection.is_closed():
            raise ConnectionError("the live-updates connection to PostgreSQL was lost")
        topics: dict[str, None] = {}
        for batch in batches:
            for change in batch or ():
                topics[change.topic] = None
        return [Change(topic) for topic in topics]

    async def _check_alive(self) -> None:
        """Catches a half-open connection (a network drop with no reset) after a quiet spell."""
        if self.connection is None or self.connection.is_closed():
            raise ConnectionError("the live-updates connection to PostgreSQL was lost")
        await self.connection.fetchval("SELECT 1", timeout=5)

    async def shut(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None or connection.is_closed():
            return
        connection.remove_termination_listener(self._lost)
        try:
            await connection.close(timeout=2)
        except Exception:
            connection.terminate()


class ChangeFeed:
    """Tells a session what changed in the forum, whichever process or host changed it.

    ``async for change in feed.watch(): ...`` runs until ``close()`` or until the consumer
    stops (cancelling the consumer closes the connection). Cheap enough for every session: on
    SQLite one ``PRAGMA data_version`` per ``poll_every`` and one small query when it moved; on
    PostgreSQL one idle LISTEN connection.
    """

    def __init__(self, db: Database, *, poll_every: float = POLL_EVERY) -> None:
        self.db = db
        self.poll_every = poll_every
        self._closing: asyncio.Event | None = None
        self._closed = False
        # Set while a watch() has its connection open: changes committed from then on are told.
        self.listening = asyncio.Event()

    def _watcher(self) -> _Watcher:
        if self.db.is_sqlite:
            path = self.db.url.database or ""
            return _SqliteWatcher(str(Path(path).expanduser()), self.poll_every)
        dsn = self.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return _PostgresWatcher(dsn)

    async def watch(self) -> AsyncIterator[Change]:
        """Yields each change once it is committed; ``*`` after a reconnection."""
        if self._closing is None:
            self._closing = asyncio.Event()
        closing = self._closing
        watcher = self._watcher()
        pause = RETRY_FIRST
        opened_before = False
        try:
            while not self._closed:
                try:
                    if watcher.connection is None:
                        await watcher.open()
                        self.listening.set()
                        pause = RETRY_FIRST
                        if opened_before:
                            # Whatever happened while the connection was down was not heard.
                            yield EVERYTHING
                        opened_before = True
                    changes = await watcher.changes(closing)
                except Exception as error:
                    if self._closed:
                        break
                    log.warning("live updates paused for %.1fs: %s", pause, _one_line(error))
                    self.listening.clear()
                    await watcher.shut()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(closing.wait(), pause)
                    pause = min(pause * 2, RETRY_MAX)
                    continue
                for change in changes:
                    yield change
        finally:
            self.listening.clear()
            await watcher.shut()

    async def close(self) -> None:
        """Ends every ``watch()`` of this feed; each closes its own connection on the way out."""
        self._closed = True
        if self._closing is not None:
            self._closing.set()


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


__all__ = [
    "CHANNEL",
    "Change",
    "ChangeFeed",
    "EVERYTHING",
    "announce",
    "group_topic",
    "parse_topics",
    "post_topic",
    "thread_topic",
]
