"""PostgreSQL restarted under open sessions (issue 9, faults): every connection the forum
holds is cut, as a restart cuts them; the next action succeeds, nothing is lost or doubled,
and live updates come back.

The test database is shared with other engineers' suites on this machine, so the server is
not really restarted: ``pg_terminate_backend`` ends every connection to this test's own
database, which is what a restart does to a client (its sockets are closed under it).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from forum_tui.services import Services
from forum_tui.services.changes import Change
from tests.conftest import add_member
from tests.services.test_threads import one_group, stored_bodies

pytestmark = pytest.mark.parametrize("backend", ["postgres"])


async def restart(db_url: str) -> int:
    """Ends every connection to this test's database but this one; how many were ended."""
    url = make_url(db_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        return int(
            await connection.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await connection.close()


async def test_the_next_action_after_a_restart_succeeds_and_nothing_is_doubled(
    services: Services, db_url: str
) -> None:
    ann = await add_member(services, "carer_ann")
    group = await one_group(services, "carer_ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Nights", "Another bad one.")
    key = uuid.uuid4().hex
    await services.threads.reply(ann.id, thread.id, "Sent before the restart", idempotency_key=key)
    await services.drafts.save_draft(ann.id, f"reply:{thread.id}", "Half a reply")

    assert await restart(db_url) >= 1  # the forum's pooled connections, at least

    # The member's next action works at once: pooled connections are checked before use.
    view = await services.threads.open_thread(ann.id, thread.id)
    assert [post.body for post in view.posts.items][-1] == "Sent before the restart"
    draft = await services.drafts.get_draft(ann.id, f"reply:{thread.id}")
    assert draft is not None and draft.body == "Half a reply"
    # A reply whose answer was lost in the restart is sent again with the same key: once.
    await services.threads.reply(ann.id, thread.id, "Sent before the restart", idempotency_key=key)
    await services.threads.reply(ann.id, thread.id, "Sent after the restart")
    assert await stored_bodies(services, thread.id) == [
        "Another bad one.",
        "Sent before the restart",
        "Sent after the restart",
    ]


async def test_live_updates_come_back_after_a_restart(services: Services, db_url: str) -> None:
    ann = await add_member(services, "carer_ann")
    group = await one_group(services, "carer_ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Nights", "Another bad one.")
    seen: list[Change] = []
    changed = asyncio.Event()

    async def follow() -> None:
        async for change in services.changes.watch():
            seen.append(change)
            changed.set()

    async def until(condition: Callable[[], bool]) -> None:
        async with asyncio.timeout(30):
            while not condition():
                changed.clear()
                await changed.wait()

    follower = asyncio.create_task(follow())
    try:
        await asyncio.wait_for(services.changes.listening.wait(), 20)
        await restart(db_url)
        # The feed reconnects and says "anything may have changed meanwhile"…
        await until(lambda: any(change.everything for change in seen))
        # …then hears the next reply, which itself needed no retry.
        await services.threads.reply(ann.id, thread.id, "After the restart")
        await until(lambda: any(c.kind == "thread" and c.id == thread.id for c in seen))
    finally:
        follower.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await follower
