"""Writes that finish even when the member's session goes away in the middle of them.

When an SSH connection drops mid-send, the task awaiting the service is cancelled. Cancelling a
transaction half way is never what we want: on PostgreSQL the cancellation can land between
statements and leave the pooled connection "idle in transaction" (or leak it), and on either
database the member cannot tell whether their post went in. So a post's transaction runs in a
task of its own that the caller's cancellation does not reach: it commits or rolls back, the
connection goes back to the pool clean, and only then does the caller's cancellation carry on.
The idempotency key makes the member's retry return that same post.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)

# The longest a cancelled caller (or closing the services) waits for a write to end. SQLite's
# busy timeout is 10 s and PostgreSQL's connect timeout 10 s: a write lasting longer than this
# is stuck, and the database rolls it back when the connection goes.
GRACE = 20.0

_in_flight: set[asyncio.Task[Any]] = set()


def _forget(task: asyncio.Task[Any]) -> None:
    _in_flight.discard(task)
    if not task.cancelled() and task.exception() is not None:
        # Retrieved here so a write whose caller had gone is not reported as never retrieved.
        log.debug("a write finished after its caller had gone: %s", task.exception())


async def finish_even_if_cancelled(work: Coroutine[Any, Any, T]) -> T:
    """Runs ``work`` (one transaction) to its end even if the caller is cancelled meanwhile.

    The caller's cancellation is held back until the transaction has committed or rolled back
    (at most ``GRACE`` seconds), then raised as usual.
    """
    task = asyncio.ensure_future(work)
    _in_flight.add(task)
    task.add_done_callback(_forget)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await _outlast([task])
        raise


def start_in_background(work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """Starts ``work`` (one transaction) without waiting for it. Closing the services still
    waits for it (``finish_writes``); its failure is logged, never raised at anyone."""
    task = asyncio.ensure_future(work)
    _in_flight.add(task)
    task.add_done_callback(_forget)
    return task


async def _outlast(tasks: list[asyncio.Task[Any]], grace: float = GRACE) -> bool:
    """Waits for ``tasks`` to end, through any number of cancellations, for at most ``grace``.

    Returns whether the waiting task was cancelled meanwhile, for it to raise afterwards.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    cancelled = False
    while (pending := [t for t in tasks if not t.done()]) and (left := deadline - loop.time()) > 0:
        try:
            # asyncio.wait never cancels what it waits for, unlike wait_for.
            await asyncio.wait(pending, timeout=left)
        except asyncio.CancelledError:
            cancelled = True
    return cancelled


async def finish_writes(grace: float = GRACE) -> None:
    """Before the database is closed: lets every write still running end by itself."""
    loop = asyncio.get_running_loop()
    if await _outlast([t for t in _in_flight if t.get_loop() is loop], grace):
        raise asyncio.CancelledError


__all__ = ["GRACE", "finish_even_if_cancelled", "finish_writes", "start_in_background"]
