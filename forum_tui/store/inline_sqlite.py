"""SQLite reads run on the event loop's own thread, not through aiosqlite's worker thread.

aiosqlite runs every call (BEGIN, each statement, each fetch, COMMIT, the pool's reset) on a
thread of its own and hands the result back to the event loop: five to eight hand-offs for a
two-statement screen. Each costs little on an idle machine (~0.1 ms) but waits for the
scheduler on a busy one: on the 2-core test machine under load, ``SELECT 1`` in a read
transaction took 1.6 ms through the thread and 0.35 ms inline (bench/README.md, issue 11).

Reads may run inline because of how the forum is deployed: every SSH session and browser tab
is its own process (one member), and in WAL mode a reader never waits for a writer, so a read
holds the loop for no longer than its own SQL (well under a few milliseconds for every screen
at 1 M posts). Writes stay on aiosqlite's thread: ``BEGIN IMMEDIATE`` can wait up to the busy
timeout for another process's write, and the loop must keep serving the screen meanwhile.

This reuses aiosqlite's ``Connection`` (and so SQLAlchemy's aiosqlite dialect unchanged); only
the queue that would hand each call to the worker thread runs the call at once instead.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite


class _RunNow:
    """Stands in for aiosqlite's queue to its worker thread: runs each call as it is put."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting caller, as aiosqlite does
            if future is not None and not future.done():
                future.set_exception(error)
        else:
            if future is not None and not future.done():
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run on the caller's thread (no worker thread)."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunNow()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()  # no thread to start


def connect_inline(database: Any, *, iter_chunk_size: int = 64, **kwargs: Any) -> InlineConnection:
    """``aiosqlite.connect``'s signature, for SQLAlchemy's ``async_creator_fn`` connect arg."""
    return InlineConnection(partial(sqlite3.connect, str(database), **kwargs), iter_chunk_size)


__all__ = ["InlineConnection", "connect_inline"]
