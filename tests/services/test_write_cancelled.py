"""A post is committed exactly once even when the session goes away in the middle of sending.

The caller of ``reply``/``start_thread``/``edit_post`` is cancelled (an SSH session hanging up
cancels the app's workers) while the transaction is under way: the transaction must still end
cleanly — commit or roll back, never stop half way — the pool must get its connection back,
PostgreSQL must not be left with a connection "idle in transaction", and a retry with the same
idempotency key must give one post, not two.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass

import asyncpg
import pytest
from sqlalchemy import func, select

from forum_tui.services import Services
from forum_tui.services.threads import ThreadService
from forum_tui.store.database import Database
from forum_tui.store.tables import DraftRow, PostRow
from tests.conftest import add_member

WAIT = 10


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


class Hold:
    """Stops a write inside its transaction (after the post is inserted) until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> None:
        self.inside = asyncio.Event()
        self.release = asyncio.Event()
        original = ThreadService._discard_draft

        async def held(session, member_id: int, place: str) -> None:  # noqa: ANN001
            await original(session, member_id, place)
            self.inside.set()
            await self.release.wait()
            if fail:
                raise RuntimeError("the database went wrong after the insert")

        monkeypatch.setattr(ThreadService, "_discard_draft", staticmethod(held))


async def posts_with_key(db: Database, key: str) -> int:
    async with db.read() as session:
        return await session.scalar(
            select(func.count(PostRow.id)).where(PostRow.idempotency_key == key)
        )


async def assert_clean(db: Database) -> None:
    """Every connection is back in the pool, and none is left holding a transaction open."""
    for engine in {db.engine, db.write_engine}:
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    if db.is_sqlite:
        return
    dsn = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        stuck = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        )
    finally:
        await connection.close()
    assert stuck == 0


async def cancel_while_held(send: Awaitable[object], hold: Hold, *, times: int = 1) -> None:
    """Starts ``send``, cancels it (``times`` over) while it is inside its transaction, then
    lets the transaction go on. The caller sees its cancellation only once the write ended."""
    task = asyncio.ensure_future(send)
    async with asyncio.timeout(WAIT):
        await hold.inside.wait()
    for _ in range(times):
        task.cancel()
        await asyncio.sleep(0)
    assert not task.done()  # held back: the transaction is still running
    hold.release.set()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(WAIT):
            await task


@pytest.mark.parametrize("times", [1, 3])
async def test_a_cancelled_reply_still_commits_once(
    services: Services, monkeypatch: pytest.MonkeyPatch, times: int
) -> None:
    place = await seed(services)
    await services.drafts.save_draft(place.author, f"reply:{place.thread}", "Thank you all")
    hold = Hold(monkeypatch)
    send = services.threads.reply(place.author, place.thread, "Thank you all", idempotency_key="k1")
    await cancel_while_held(send, hold, times=times)
    assert await posts_with_key(services.db, "k1") == 1
    async with services.db.read() as session:  # the draft went with the post, in one commit
        assert await session.get(DraftRow, (place.author, f"reply:{place.thread}")) is None
    await assert_clean(services.db)
    monkeypatch.undo()
    # The member's retry (same key) gets the same post; a new reply still works.
    again = await services.threads.reply(
        place.author, place.thread, "Thank you all", idempotency_key="k1"
    )
    assert await posts_with_key(services.db, "k1") == 1
    later = await services.threads.reply(place.author, place.thread, "And one more.")
    assert later.id > again.id
    view = await services.threads.open_thread(place.author, place.thread)
    assert view.thread.reply_count == 2
    await assert_clean(services.db)


async def test_a_cancelled_reply_that_fails_rolls_back_cleanly(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = await seed(services)
    hold = Hold(monkeypatch, fail=True)
    send = services.threads.reply(place.author, place.thread, "Lost?", idempotency_key="k2")
    await cancel_while_held(send, hold)
    assert await posts_with_key(services.db, "k2") == 0
    await assert_clean(services.db)
    monkeypatch.undo()
    await services.threads.reply(place.author, place.thread, "Lost?", idempotency_key="k2")
    assert await posts_with_key(services.db, "k2") == 1
    view = await services.threads.open_thread(place.author, place.thread)
    assert view.thread.reply_count == 1  # the rolled-back reply left no count behind


async def test_a_cancelled_new_thread_still_commits_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = await seed(services)
    hold = Hold(monkeypatch)
    send = services.threads.start_thread(
        place.author, place.group, "Hospital discharge", "Sent home at 9pm.", idempotency_key="t1"
    )
    await cancel_while_held(send, hold)
    monkeypatch.undo()
    assert await posts_with_key(services.db, "t1") == 1
    await services.threads.start_thread(
        place.author, place.group, "Hospital discharge", "Sent home at 9pm.", idempotency_key="t1"
    )
    assert await posts_with_key(services.db, "t1") == 1
    await assert_clean(services.db)


async def test_a_cancelled_edit_still_lands(services: Services) -> None:
    place = await seed(services)
    post = await services.threads.reply(place.author, place.thread, "Typo hree.")
    task = asyncio.ensure_future(
        services.threads.edit_post(place.author, post.id, "Typo here.", version=1)
    )
    await asyncio.sleep(0)  # under way: the write task has started
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(WAIT):
            await task
    view = await services.threads.open_thread(place.author, place.thread)
    assert view.posts.items[-1].body == "Typo here."
    assert view.posts.items[-1].version == 2
    await assert_clean(services.db)


async def test_cancelled_at_any_point_a_retry_gives_exactly_one_post(services: Services) -> None:
    """Cancels the caller after 0, 1, 2, … turns of the event loop: wherever the cut falls,
    the pool is clean and the retry with the same key leaves exactly one post."""
    place = await seed(services)
    for turns in range(0, 40, 3):
        key = f"cut-{turns}"
        task = asyncio.ensure_future(
            services.threads.reply(
                place.author, place.thread, f"Reply {turns}", idempotency_key=key
            )
        )
        for _ in range(turns):
            await asyncio.sleep(0)
        task.cancel()
        try:
            async with asyncio.timeout(WAIT):
                await task
        except asyncio.CancelledError:
            pass
        assert await posts_with_key(services.db, key) in (0, 1)
        await assert_clean(services.db)
        await services.threads.reply(
            place.author, place.thread, f"Reply {turns}", idempotency_key=key
        )
        assert await posts_with_key(services.db, key) == 1
    view = await services.threads.open_thread(place.author, place.thread)
    assert view.thread.reply_count == len(range(0, 40, 3))


async def test_closing_the_services_lets_a_write_under_way_finish(
    services: Services, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = await seed(services)
    hold = Hold(monkeypatch)
    send = asyncio.ensure_future(
        services.threads.reply(place.author, place.thread, "Last words", idempotency_key="k3")
    )
    async with asyncio.timeout(WAIT):
        await hold.inside.wait()
    send.cancel()  # the app shuts down: its workers are cancelled, then the services closed
    closing = asyncio.ensure_future(services.close())
    await asyncio.sleep(0)
    assert not closing.done()  # waiting for the write
    hold.release.set()
    async with asyncio.timeout(WAIT):
        await closing
    with pytest.raises(asyncio.CancelledError):
        await send
    fresh = Database(db_url)
    try:
        assert await posts_with_key(fresh, "k3") == 1
    finally:
        await fresh.dispose()
