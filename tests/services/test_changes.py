"""The change feed: every session hears of a commit made anywhere, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import asyncpg
import pytest

from forum_tui.services import Services, build_services
from forum_tui.services import changes as changes_module
from forum_tui.services.changes import (
    PG_APPLICATION_NAME,
    Change,
    ChangeFeed,
    announce,
    parse_topics,
)
from forum_tui.store.database import Database
from forum_tui.store.tables import PostRow
from tests.conftest import FakeClock, add_member

WAIT = 10  # seconds: the most any test waits for a change (a reply shows in well under 1 s)


@dataclass
class Heard:
    """What one watcher heard, in order, with a way to wait for a topic."""

    feed: ChangeFeed
    topics: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for(self, topic: str) -> list[str]:
        async with asyncio.timeout(WAIT):
            while topic not in self.topics:
                self.arrived.clear()
                await self.arrived.wait()
        return self.topics


@asynccontextmanager
async def watching(feed: ChangeFeed) -> AsyncIterator[Heard]:
    heard = Heard(feed)

    async def follow() -> None:
        async for change in feed.watch():
            heard.topics.append(change.topic)
            heard.arrived.set()

    task = asyncio.create_task(follow())
    try:
        async with asyncio.timeout(WAIT):
            await feed.listening.wait()
        yield heard
    finally:
        await feed.close()
        async with asyncio.timeout(WAIT):
            await task


@dataclass
class Place:
    author: int
    group: int
    thread: int


async def seed(services: Services) -> Place:
    ann = await add_member(services, "carer_ann")
    corner = await services.groups.add_group("carers-corner", "Carers' Corner")
    await services.groups.join_group(ann.id, corner.id)
    thread = await services.threads.start_thread(ann.id, corner.id, "Respite", "Anyone?")
    return Place(ann.id, corner.id, thread.id)


async def test_a_reply_is_heard_with_its_thread_and_group(services: Services, db_url: str) -> None:
    place = await seed(services)
    # Another process's view of the same database: its own engine, its own feed connection.
    other = Database(db_url)
    try:
        async with watching(ChangeFeed(other)) as heard:
            await services.threads.reply(place.author, place.thread, "We found a sitter.")
            await heard.wait_for(f"thread:{place.thread}")
            await heard.wait_for(f"group:{place.group}")
    finally:
        await other.dispose()


async def test_a_new_thread_is_heard(services: Services) -> None:
    place = await seed(services)
    async with watching(ChangeFeed(services.db)) as heard:
        thread = await services.threads.start_thread(place.author, place.group, "Sleep", "None.")
        topics = await heard.wait_for(f"thread:{thread.id}")
        await heard.wait_for(f"group:{place.group}")
    assert f"thread:{place.thread}" not in topics


async def test_drafts_and_rolled_back_writes_are_not_heard(services: Services) -> None:
    place = await seed(services)
    async with watching(ChangeFeed(services.db)) as heard:
        await services.drafts.save_draft(place.author, f"reply:{place.thread}", "half a thought")
        with pytest.raises(RuntimeError):
            async with services.db.write() as session:
                await announce(session, "thread:999999")
                raise RuntimeError("the write fails after announcing")
        # A later reply is heard; nothing before it was.
        await services.threads.reply(place.author, place.thread, "Now a real reply.")
        topics = await heard.wait_for(f"thread:{place.thread}")
    assert topics[0] in (f"thread:{place.thread}", f"group:{place.group}")
    assert "thread:999999" not in topics


async def test_an_edit_is_heard_on_postgres(services: Services, backend: str) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite announces new posts only (see forum_tui/services/changes.py)")
    place = await seed(services)
    post = await services.threads.reply(place.author, place.thread, "Typo hree.")
    async with watching(ChangeFeed(services.db)) as heard:
        await services.threads.edit_post(place.author, post.id, "Typo here.", version=1)
        assert await heard.wait_for(f"post:{post.id}") == [f"post:{post.id}"]


async def test_many_new_posts_at_once_say_everything_changed(
    services: Services, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL tells each commit as it happens")
    monkeypatch.setattr(changes_module, "NEW_POSTS_AT_ONCE", 3)
    place = await seed(services)
    feed = ChangeFeed(services.db, poll_every=0.5)
    async with watching(feed) as heard:
        async with services.db.write() as session:  # one commit, several posts (an import)
            session.add_all(
                PostRow(
                    thread_id=place.thread,
                    group_id=place.group,
                    author_id=place.author,
                    body=f"Imported {n}",
                    created_at=services.threads.now(),
                    version=1,
                )
                for n in range(4)
            )
        await heard.wait_for("*")
        await services.threads.reply(place.author, place.thread, "And after the flood.")
        await heard.wait_for(f"thread:{place.thread}")


async def test_several_feeds_hear_the_same_reply(services: Services, db_url: str) -> None:
    place = await seed(services)
    hosts = [Database(db_url) for _ in range(3)]
    try:
        async with (
            watching(ChangeFeed(hosts[0])) as first,
            watching(ChangeFeed(hosts[1])) as second,
            watching(ChangeFeed(hosts[2])) as third,
        ):
            await services.threads.reply(place.author, place.thread, "Hello, everyone.")
            for heard in (first, second, third):
                await heard.wait_for(f"thread:{place.thread}")
    finally:
        for host in hosts:
            await host.dispose()


async def _listeners(db_url: str) -> int:
    connection = await asyncpg.connect(
        Database(db_url).url.set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        return await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = $1",
            PG_APPLICATION_NAME,
        )
    finally:
        await connection.close()


async def test_closing_the_feed_closes_its_connection(services: Services, backend: str) -> None:
    feed = ChangeFeed(services.db)
    async with watching(feed):
        if backend == "postgres":
            assert await _listeners(str(services.db.url.render_as_string(False))) == 1
    assert not feed.listening.is_set()
    if backend == "postgres":
        url = services.db.url.render_as_string(False)
        for _ in range(WAIT * 20):  # the server ends the backend a moment after the close
            if not await _listeners(url):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the LISTEN connection is still open after close()")


async def test_cancelling_the_watcher_closes_its_connection(services: Services) -> None:
    feed = ChangeFeed(services.db)
    started = asyncio.Event()

    async def follow() -> None:
        started.set()
        async for _ in feed.watch():
            pass

    task = asyncio.create_task(follow())
    async with asyncio.timeout(WAIT):
        await feed.listening.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not feed.listening.is_set()


async def test_a_lost_postgres_connection_is_reopened(services: Services, backend: str) -> None:
    if backend != "postgres":
        pytest.skip("PostgreSQL only: the SQLite watcher has no server to lose")
    place = await seed(services)
    url = services.db.url.render_as_string(False)
    feed = ChangeFeed(services.db)
    async with watching(feed) as heard:
        admin = await asyncpg.connect(
            services.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        )
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = $1",
                PG_APPLICATION_NAME,
            )
        finally:
            await admin.close()
        assert killed == 1
        # Changes made while it was down were not heard: the feed says to catch up on all.
        await heard.wait_for("*")
        assert feed.listening.is_set()
        await services.threads.reply(place.author, place.thread, "Still hearing you.")
        await heard.wait_for(f"thread:{place.thread}")
    assert await _listeners(url) == 0


async def test_a_database_that_is_down_never_breaks_the_feed() -> None:
    # An unreachable server: watch() keeps retrying quietly until it is closed.
    db = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    feed = ChangeFeed(db)
    heard: list[Change] = []

    async def follow() -> None:
        async for change in feed.watch():
            heard.append(change)

    task = asyncio.create_task(follow())
    await asyncio.sleep(0)  # let it try (and fail) at least once before closing
    await asyncio.wait({task}, timeout=1)
    assert not task.done()
    await feed.close()
    async with asyncio.timeout(WAIT):
        await task
    assert heard == []
    await db.dispose()


async def test_notices_from_anyone_are_checked(services: Services, backend: str) -> None:
    assert parse_topics("thread:12 group:3") == [Change("thread:12"), Change("group:3")]
    assert parse_topics("junk thread:abc group:0 post:7 *; DROP TABLE") == [Change("post:7")]
    if backend != "postgres":
        return
    async with watching(ChangeFeed(services.db)) as heard:
        async with services.db.write() as session:
            await announce(session, "thread:abc", "x" * 5000, "group:5")
        assert await heard.wait_for("group:5") == ["group:5"]


async def test_the_change_names_its_kind_and_id() -> None:
    assert Change("thread:12").kind == "thread" and Change("thread:12").id == 12
    assert Change("*").everything and Change("*").id is None


async def test_build_services_has_a_feed(db: Database, clock: FakeClock) -> None:
    services = build_services(db, clock)
    assert isinstance(services.changes, ChangeFeed)


async def test_an_idle_sqlite_feed_costs_one_pragma_per_poll(
    services: Services, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite polls; PostgreSQL waits on LISTEN without any query")
    place = await seed(services)
    statements: list[str] = []
    polled = asyncio.Event()
    opened = changes_module._SqliteWatcher.open

    async def traced_open(self) -> None:  # noqa: ANN001
        await opened(self)

        def trace(sql: str) -> None:
            statements.append(sql)
            polled.set()

        await self.connection.set_trace_callback(trace)

    monkeypatch.setattr(changes_module._SqliteWatcher, "open", traced_open)
    async with watching(ChangeFeed(services.db, poll_every=0.05)) as heard:
        async with asyncio.timeout(WAIT):
            while len(statements) < 5:
                polled.clear()
                await polled.wait()
        idle = list(statements)
        await services.threads.reply(place.author, place.thread, "A reply")
        await heard.wait_for(f"thread:{place.thread}")
    assert set(idle) == {"PRAGMA data_version"}  # nothing else while nothing changes
    after = statements[len(idle) :]
    looked = [sql for sql in after if sql != "PRAGMA data_version"]
    assert len(looked) == 1 and "FROM posts" in looked[0]  # one query for the one change
