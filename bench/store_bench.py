"""Store benchmark: thread-list paging and concurrent replies, each against a baseline.

    python bench/store_bench.py [--threads 100000] [--repeats 30] [--writers 4]
                                [--replies 200] [--pg postgresql+asyncpg://postgres@HOST/DB]

Builds a fresh SQLite file in a temporary directory (and, with ``--pg``, a scratch PostgreSQL
database created and dropped here with asyncpg), migrates it with
``forum_tui.store.migrations.upgrade``, bulk-inserts one group with N threads straight into the
store tables, then measures, on each backend:

a. ``ThreadService.list_threads``, first page.
b. A deep page (page N/30/2) reached by following ``after`` cursors once, then timed by its
   cursor; against the same page by OFFSET (the service's query with ``.offset()``), measured
   in the same run. The ratio is offset/keyset, at the query level and at the service level.
c. Concurrent replies to one thread: W separate ``Database`` objects (own engines, own
   connections) each sending R replies through ``ThreadService.reply``, all at once with
   ``asyncio.gather``. Baselines in the same run: the naive read-modify-write counter
   (``SELECT reply_count`` then ``UPDATE … SET reply_count = value + 1``) inside one plain
   deferred ``BEGIN`` transaction, and the same with the read in its own transaction before the
   ``BEGIN IMMEDIATE`` write (what an ORM object loaded earlier and saved later does).

Times are medians of repeated runs, in milliseconds. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import and_, event, func, insert, literal, or_, select, tuple_, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum_tui.domain.errors import StoreBusy, StoreError  # noqa: E402
from forum_tui.services.limits import PostingLimits  # noqa: E402
from forum_tui.services.threads import THREADS_PAGE, Author, ThreadService  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import SQLITE_PRAGMAS, Database  # noqa: E402
from forum_tui.store.tables import (  # noqa: E402
    GroupRow,
    MemberRow,
    MembershipRow,
    PostRow,
    ThreadReadRow,
    ThreadRow,
)

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PINNED = 3  # a few pinned threads, so the keyset crosses the pinned/unpinned boundary
BATCH = 5000


class FixedClock:
    """Like tests/conftest.py's FakeClock: time moves only when told (so rows are repeatable)."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


# --- building the database --------------------------------------------------------------------


@dataclass
class Forum:
    url: str
    label: str
    group_id: int
    reader_id: int
    writer_ids: list[int]
    reply_thread_id: int
    threads: int
    build_s: float


async def bulk_fill(db: Database, threads: int, writers: int) -> tuple[int, int, list[int], int]:
    """One group, a reader, W writers, N threads with one opening post each. Core inserts."""
    members = [
        {
            "handle": handle,
            "handle_key": handle,
            "role": "carer",
            "state": "active",
            "created_at": START - timedelta(days=400),
        }
        for handle in ["reader", *(f"writer{i}" for i in range(writers))]
    ]
    async with db.write() as session:
        await session.execute(insert(MemberRow), members)
        ids = dict((await session.execute(select(MemberRow.handle, MemberRow.id))).all())
        group_id = await session.scalar(
            insert(GroupRow)
            .values(
                slug="bench",
                name="Bench group",
                description="",
                visibility="open",
                created_at=START - timedelta(days=400),
            )
            .returning(GroupRow.id)
        )
        await session.execute(
            insert(MembershipRow),
            [
                {"member_id": member_id, "group_id": group_id, "role": "member", "joined_at": START}
                for member_id in ids.values()
            ],
        )
    author_ids = [ids[f"writer{i}"] for i in range(writers)]
    for start in range(0, threads, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, threads)):
            # Newest activity first is thread N-1; every 7th shares a timestamp with the next,
            # so ties on last_post_at are broken by id, as in real data.
            at = START - timedelta(seconds=(threads - n) * 60 - (n % 7 == 0) * 60)
            rows.append(
                {
                    "id": n + 1,
                    "group_id": group_id,
                    "author_id": author_ids[n % writers],
                    "title": f"Thread {n + 1}: a carers' question",
                    "created_at": at,
                    "last_post_at": at,
                    "reply_count": 0,
                    "pinned": n < PINNED,
                    "locked": False,
                }
            )
        posts = [
            {
                "thread_id": row["id"],
                "author_id": row["author_id"],
                "body": "An opening post of ordinary length, about respite and sleep. " * 3,
                "created_at": row["created_at"],
                "version": 1,
            }
            for row in rows
        ]
        async with db.write() as session:
            await session.execute(insert(ThreadRow), rows)
            await session.execute(insert(PostRow), posts)
    if not db.is_sqlite:
        # The sequence behind threads.id does not move for explicit ids; autovacuum would have
        # analysed a table this size by the time anyone read it.
        async with db.connect(write=True) as connection:
            await connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('threads', 'id'), "
                "(SELECT max(id) FROM threads))"
            )
        async with db.connect(write=True) as connection:
            await connection.exec_driver_sql("ANALYZE")
    return group_id, ids["reader"], author_ids, threads  # thread N: newest, not pinned


async def build(url: str, label: str, threads: int, writers: int) -> Forum:
    began = time.perf_counter()
    db = Database(url)
    try:
        await migrations.upgrade(db)
        group_id, reader, writer_ids, reply_thread = await bulk_fill(db, threads, writers)
    finally:
        await db.dispose()
    return Forum(
        url, label, group_id, reader, writer_ids, reply_thread, threads, time.perf_counter() - began
    )


# --- timing -----------------------------------------------------------------------------------


async def median_ms(work: Callable[[], Awaitable[Any]], repeats: int) -> float:
    await work()  # warm: connection pool, statement cache, page cache
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def list_query(member_id: int, group_id: int, limit: int = THREADS_PAGE) -> Any:
    """The query ThreadService.list_threads runs (same joins, same order), without the checks."""
    return (
        select(ThreadRow, Author.handle, ThreadReadRow.posts_seen)
        .join(Author, Author.id == ThreadRow.author_id)
        .outerjoin(
            ThreadReadRow,
            and_(ThreadReadRow.thread_id == ThreadRow.id, ThreadReadRow.member_id == member_id),
        )
        .where(ThreadRow.group_id == group_id)
        .order_by(ThreadRow.pinned.desc(), ThreadRow.last_post_at.desc(), ThreadRow.id.desc())
        .limit(limit + 1)
    )


def keyset(query: Any, after: tuple) -> Any:
    pinned, last_post_at, thread_id = after
    return query.where(
        or_(
            ThreadRow.pinned < literal(pinned),
            and_(
                ThreadRow.pinned == pinned,
                or_(
                    ThreadRow.last_post_at < last_post_at,
                    and_(ThreadRow.last_post_at == last_post_at, ThreadRow.id < thread_id),
                ),
            ),
        )
    )


def keyset_row_value(query: Any, after: tuple) -> Any:
    """The same condition as one row-value comparison, which both databases turn into an index
    seek on ix_threads_group_list (all three columns run in the same direction)."""
    return query.where(tuple_(ThreadRow.pinned, ThreadRow.last_post_at, ThreadRow.id) < after)


@dataclass
class Paging:
    floor_ms: float
    first_ms: float
    deep_page: int
    walk_s: float
    keyset_service_ms: float
    keyset_query_ms: float
    row_value_query_ms: float
    offset_query_ms: float
    same_rows: bool


async def bench_paging(forum: Forum, repeats: int) -> Paging:
    db = Database(forum.url)
    service = ThreadService(db, FixedClock())
    me, group = forum.reader_id, forum.group_id
    try:

        async def floor() -> None:
            async with db.read() as session:
                await session.execute(select(literal(1)))

        floor_ms = await median_ms(floor, repeats)
        first_ms = await median_ms(lambda: service.list_threads(me, group), repeats)

        # Follow the cursors once, as a reader scrolling all the way down would.
        deep_page = max(1, forum.threads // THREADS_PAGE // 2)
        began = time.perf_counter()
        page = await service.list_threads(me, group)
        after = page.after
        for _ in range(deep_page - 1):
            assert after is not None, "ran out of pages"
            after = (await service.list_threads(me, group, after=after)).after
        walk_s = time.perf_counter() - began
        assert after is not None
        cursor = after  # the cursor that fetches page number `deep_page` (0-based)

        keyset_service_ms = await median_ms(
            lambda: service.list_threads(me, group, after=cursor), repeats
        )
        deep = await service.list_threads(me, group, after=cursor)

        async def fetch(query: Any) -> list[Any]:
            async with db.read() as session:
                return (await session.execute(query)).all()

        by_keyset = keyset(list_query(me, group), cursor)
        by_row_value = keyset_row_value(list_query(me, group), cursor)
        by_offset = list_query(me, group).offset(deep_page * THREADS_PAGE)
        keyset_query_ms = await median_ms(lambda: fetch(by_keyset), repeats)
        row_value_query_ms = await median_ms(lambda: fetch(by_row_value), repeats)
        offset_query_ms = await median_ms(lambda: fetch(by_offset), repeats)
        offset_ids = [row.id for row, _handle, _seen in (await fetch(by_offset))[:THREADS_PAGE]]
        keyset_ids = [row.id for row, _handle, _seen in (await fetch(by_keyset))[:THREADS_PAGE]]
        row_ids = [row.id for row, _handle, _seen in (await fetch(by_row_value))[:THREADS_PAGE]]
        same_rows = offset_ids == keyset_ids == row_ids == [thread.id for thread in deep.items]
    finally:
        await db.dispose()
    return Paging(
        floor_ms,
        first_ms,
        deep_page,
        walk_s,
        keyset_service_ms,
        keyset_query_ms,
        row_value_query_ms,
        offset_query_ms,
        same_rows,
    )


# --- concurrent replies -----------------------------------------------------------------------


@dataclass
class Replies:
    how: str
    sent: int  # replies whose transaction committed
    busy: int  # StoreBusy / "database is locked"
    other_errors: int
    seconds: float
    lost: int  # committed replies the counter does not count
    posts_match: bool  # posts in the thread == reply_count + 1

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def raw_engine(url: str, *, begin: str | None) -> AsyncEngine:
    """An engine like the store's, but with the given BEGIN (SQLite) — for the baselines."""
    parsed = make_url(url)
    engine = create_async_engine(parsed)
    if parsed.get_backend_name() != "sqlite":
        return engine

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin or "BEGIN")

    return engine


async def thread_counts(url: str, thread_id: int) -> tuple[int, int]:
    db = Database(url)
    try:
        async with db.read() as session:
            count = await session.scalar(
                select(ThreadRow.reply_count).where(ThreadRow.id == thread_id)
            )
            posts = await session.scalar(
                select(func.count(PostRow.id)).where(PostRow.thread_id == thread_id)
            )
    finally:
        await db.dispose()
    return int(count or 0), int(posts or 0)


async def _reset(url: str, thread_id: int) -> None:
    db = Database(url)
    try:
        async with db.write() as session:
            await session.execute(
                PostRow.__table__.delete().where(
                    PostRow.thread_id == thread_id, PostRow.body.like("reply %")
                )
            )
            await session.execute(
                update(ThreadRow).where(ThreadRow.id == thread_id).values(reply_count=0)
            )
    finally:
        await db.dispose()


def _is_busy(error: BaseException) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return isinstance(error, StoreBusy) or "database is locked" in text


async def run_writers(
    forum: Forum,
    how: str,
    replies: int,
    make_writer: Callable[[int], Awaitable[tuple[Callable[[int, str], Awaitable[None]], Any]]],
) -> Replies:
    """Each writer gets its own engine(s); all send at once; then the counter is checked."""
    await _reset(forum.url, forum.reply_thread_id)
    before, _posts = await thread_counts(forum.url, forum.reply_thread_id)
    writers = [await make_writer(member_id) for member_id in forum.writer_ids]
    tally = {"sent": 0, "busy": 0, "other": 0}

    async def one_writer(index: int, send: Callable[[int, str], Awaitable[None]]) -> None:
        for n in range(replies):
            try:
                await send(forum.writer_ids[index], f"reply {index}-{n} from the bench")
            except (StoreError, DBAPIError) as error:
                tally["busy" if _is_busy(error) else "other"] += 1
            else:
                tally["sent"] += 1

    began = time.perf_counter()
    await asyncio.gather(*(one_writer(i, send) for i, (send, _close) in enumerate(writers)))
    seconds = time.perf_counter() - began
    for _send, close in writers:
        await close()
    after, posts = await thread_counts(forum.url, forum.reply_thread_id)
    return Replies(
        how=how,
        sent=tally["sent"],
        busy=tally["busy"],
        other_errors=tally["other"],
        seconds=seconds,
        lost=before + tally["sent"] - after,
        posts_match=posts == after + 1,
    )


async def bench_replies(forum: Forum, replies: int) -> list[Replies]:
    thread_id = forum.reply_thread_id
    clock = FixedClock()

    async def via_service(_member_id: int) -> tuple[Any, Any]:
        db = Database(forum.url)  # its own engines, so its own connections
        # Measures the store under contention, not the flood limits a real member would meet.
        service = ThreadService(db, clock, PostingLimits.off())

        async def send(member_id: int, body: str) -> None:
            await service.reply(member_id, thread_id, body)

        return send, db.dispose

    def naive(*, read_apart: bool) -> Callable[[int], Awaitable[tuple[Any, Any]]]:
        async def make(_member_id: int) -> tuple[Any, Any]:
            # Deferred BEGIN for the one-transaction variant; the store's own BEGIN IMMEDIATE
            # for the write when the read happened earlier in a transaction of its own.
            engine = raw_engine(forum.url, begin="BEGIN IMMEDIATE" if read_apart else "BEGIN")
            reader = raw_engine(forum.url, begin="BEGIN") if read_apart else engine

            async def send(member_id: int, body: str) -> None:
                if read_apart:
                    async with reader.begin() as connection:
                        value = await connection.scalar(
                            select(ThreadRow.reply_count).where(ThreadRow.id == thread_id)
                        )
                async with engine.begin() as connection:
                    if not read_apart:
                        value = await connection.scalar(
                            select(ThreadRow.reply_count).where(ThreadRow.id == thread_id)
                        )
                    await connection.execute(
                        insert(PostRow).values(
                            thread_id=thread_id,
                            author_id=member_id,
                            body=body,
                            created_at=clock(),
                            version=1,
                        )
                    )
                    await connection.execute(
                        update(ThreadRow)
                        .where(ThreadRow.id == thread_id)
                        .values(reply_count=value + 1, last_post_at=clock())
                    )

            async def close() -> None:
                await engine.dispose()
                if reader is not engine:
                    await reader.dispose()

            return send, close

        return make

    plain_begin = "deferred BEGIN" if forum.label == "sqlite" else "BEGIN (read committed)"
    return [
        await run_writers(forum, "ThreadService.reply (store)", replies, via_service),
        await run_writers(
            forum, f"naive read+write, {plain_begin}", replies, naive(read_apart=False)
        ),
        await run_writers(forum, "naive, read in its own txn", replies, naive(read_apart=True)),
    ]


# --- PostgreSQL scratch database --------------------------------------------------------------


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def pg_create(url: str) -> str:
    name = f"forum_tui_bench_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(_admin_dsn(url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return (
        make_url(url)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )


async def pg_drop(admin_url: str, url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(_admin_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


# --- report -----------------------------------------------------------------------------------


def report(forum: Forum, paging: Paging, replies: list[Replies], writers: int, each: int) -> None:
    page = paging.deep_page
    rows = [
        ("    floor: SELECT 1 in db.read()", paging.floor_ms, "one round trip + transaction"),
        ("(a) first page, ThreadService.list_threads", paging.first_ms, ""),
        (f"(b) page {page} by cursor, list_threads", paging.keyset_service_ms, ""),
        (f"    page {page} by cursor, its query alone", paging.keyset_query_ms, ""),
        (
            f"    page {page} by OFFSET (baseline)",
            paging.offset_query_ms,
            f"offset/keyset {paging.offset_query_ms / paging.keyset_query_ms:.1f}x query, "
            f"{paging.offset_query_ms / paging.keyset_service_ms:.1f}x service",
        ),
        (
            f"    page {page}, row-value cursor (not in app)",
            paging.row_value_query_ms,
            f"offset/row-value {paging.offset_query_ms / paging.row_value_query_ms:.0f}x",
        ),
    ]
    print(
        f"\n== {forum.label}: {forum.threads:,} threads in one group "
        f"(built in {forum.build_s:.1f} s) =="
    )
    print(f"{'thread list':<46} {'ms':>8}")
    for label, ms, note in rows:
        print(f"{label:<46} {ms:>8.2f}  {note}".rstrip())
    print(
        f"    walking {page} cursors to get there: {paging.walk_s:.1f} s; "
        f"same {THREADS_PAGE} rows every way: {'yes' if paging.same_rows else 'NO'}"
    )
    print(f"(c) {writers} writers x {each} replies to one thread, all at once")
    print(
        f"    {'how':<42} {'sent':>5} {'busy':>5} {'other':>5} {'lost':>5} {'rep/s':>6}"
        "  posts=count+1"
    )
    for r in replies:
        print(
            f"    {r.how:<42} {r.sent:>5} {r.busy:>5} {r.other_errors:>5} {r.lost:>5}"
            f" {r.per_second:>6.0f}  {'yes' if r.posts_match else 'NO'}"
        )


async def run_backend(url: str, label: str, args: argparse.Namespace) -> None:
    forum = await build(url, label, args.threads, args.writers)
    paging = await bench_paging(forum, args.repeats)
    replies = await bench_replies(forum, args.replies)
    report(forum, paging, replies, args.writers, args.replies)


async def main(args: argparse.Namespace) -> None:
    print(
        f"forum-tui store bench · {datetime.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · "
        f"medians of {args.repeats} runs"
    )
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as tmp:
        await run_backend(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "sqlite", args)
    if args.pg:
        url = await pg_create(args.pg)
        try:
            await run_backend(url, "postgresql", args)
        finally:
            await pg_drop(args.pg, url)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=100_000, help="threads in the group")
    parser.add_argument("--repeats", type=int, default=30, help="timed runs per figure")
    parser.add_argument("--writers", type=int, default=4, help="concurrent Database objects")
    parser.add_argument("--replies", type=int, default=200, help="replies per writer")
    parser.add_argument(
        "--pg", metavar="URL", help="also run on a scratch database of this PostgreSQL server"
    )
    args = parser.parse_args()
    if args.threads < THREADS_PAGE * 4:
        parser.error(f"--threads must be at least {THREADS_PAGE * 4}")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
