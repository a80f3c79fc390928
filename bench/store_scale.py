"""Store at scale: every screen's service call at a million posts, beside its bare queries, and
8 writer processes with a reader alongside.

    python bench/store_scale.py [--posts 1000000] [--calls 200] [--writers 8] [--replies 500]
                                [--pg postgresql+asyncpg://postgres@HOST/DB] [--json FILE]
                                [--ci]

1. Builds a forum through the project's schema (``migrations.upgrade``), bulk-loaded with the
   stdlib ``sqlite3`` module (or asyncpg COPY on PostgreSQL), printing rows/s. At the default
   1,000,000 posts: 50,000 threads in 20 groups, 5,000 members, 20,000 ideas on 10 boards with
   ~266k supports, 500 outcomes, ~305k notifications and 3,000 reports; ``--posts`` scales
   every count with it.
2. Times each screen's service call (p50/p95 over ``--calls`` calls, after a warm-up) and, in
   the same run, the bare statements that call ran (captured from the driver, replayed with
   stdlib ``sqlite3`` or asyncpg in one transaction): ``name: p50 / p95 ms (bare: … ms,
   ratio: …×)``. The ratio is what the async stack, the ORM and the service's own Python cost
   on top of the SQL.
3. Runs ``--writers`` processes × ``--replies`` replies through ``ThreadService.reply`` (one hot
   thread per process, spread over two groups) while a reader opens the hottest thread over and
   over, and checks: acknowledged = stored, lock errors, lost thread and group counter
   increments, the reader's p95.

``--ci`` exits non-zero unless the concurrency counts are exact (every acknowledged reply
stored, none lost, no lock or other error); it asserts nothing about times. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event, func, literal, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scale_forum import (  # noqa: E402, I001  (beside this script, not in the package)
    Cast,
    FixedClock,
    Shape,
    load_pg,
    load_sqlite,
    plain_dsn,
    rows_of,
)

from forum_tui.domain.errors import StoreBusy, StoreError  # noqa: E402
from forum_tui.services import build_services  # noqa: E402
from forum_tui.services.limits import PostingLimits  # noqa: E402
from forum_tui.services.threads import ThreadService  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import SQLITE_PRAGMAS, Database  # noqa: E402
from forum_tui.store.tables import GroupRow, PostRow, ThreadRow  # noqa: E402

# --- timing screens ---------------------------------------------------------------------------


@dataclass
class Screen:
    name: str
    p50: float
    p95: float
    bare: float
    statements: int

    @property
    def ratio(self) -> float:
        return self.p50 / self.bare if self.bare else 0.0


class Capture:
    """The statements a call runs, with their parameters, as the driver receives them."""

    def __init__(self, db: Database) -> None:
        self.on = False
        self.seen: list[tuple[str, Any]] = []
        for engine in {db.engine, db.write_engine}:
            event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if self.on:
            self.seen.append((statement, parameters))

    async def run(self, work: Callable[[], Awaitable[Any]]) -> list[tuple[str, Any]]:
        self.seen, self.on = [], True
        try:
            await work()
        finally:
            self.on = False
        # The screen's reads only: a read mark the call saves afterwards (``save_later``) is a
        # write of its own, not part of what the screen waited for.
        return [(s, p) for s, p in self.seen if s.split(None, 1)[0].upper() in ("SELECT", "WITH")]


async def background_done() -> None:
    """Waits for what a call left running (a read mark saved after its page was returned):
    the bare replay runs synchronously, and must not hold the event loop while a write the
    call started holds SQLite's write lock waiting for the loop (that waited out the busy
    timeout: "database is locked")."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if others:
        await asyncio.wait(others)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def time_calls(work: Callable[[], Awaitable[Any]], calls: int) -> list[float]:
    await work()
    samples = []
    for _ in range(calls):
        began = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def bare_sqlite(path: Path, statements: list[tuple[str, Any]], calls: int) -> float:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)

    def once() -> None:
        connection.execute("BEGIN")
        for statement, parameters in statements:
            connection.execute(statement, parameters).fetchall()
        connection.execute("COMMIT")

    once()
    samples = []
    for _ in range(calls):
        began = time.perf_counter()
        once()
        samples.append((time.perf_counter() - began) * 1000)
    connection.close()
    return statistics.median(samples)


async def bare_pg(url: str, statements: list[tuple[str, Any]], calls: int) -> float:
    connection = await asyncpg.connect(
        plain_dsn(url), server_settings={"plan_cache_mode": "force_custom_plan"}
    )
    try:

        async def once() -> None:
            async with connection.transaction():
                for statement, parameters in statements:
                    await connection.fetch(statement, *(parameters or ()))

        await once()
        samples = []
        for _ in range(calls):
            began = time.perf_counter()
            await once()
            samples.append((time.perf_counter() - began) * 1000)
    finally:
        await connection.close()
    return statistics.median(samples)


def screens_of(s: Any, c: Cast) -> Iterator[tuple[str, Callable[[], Awaitable[Any]]]]:
    """Each screen's service calls, as the app makes them, after the floor every call pays."""

    async def floor() -> None:
        async with s.db.read() as session:
            await session.execute(select(literal(1)))

    yield "floor: SELECT 1 in a read transaction", floor
    yield "home: groups", lambda: s.groups.list_groups(c.reader)
    yield "home: drafts", lambda: s.drafts.list_drafts(c.reader)
    yield "home: notification count", lambda: s.notifications.unread_count(c.heavy)
    yield "home: boards", lambda: s.boards.list_boards(c.reader)
    yield "home: can moderate", lambda: s.moderation.can_moderate(c.leader)
    yield "group: first page", lambda: s.threads.list_threads(c.reader, c.hot_group)
    yield "thread: open the longest", lambda: s.threads.open_thread(c.reader, c.big_thread)
    yield "board: open (counts)", lambda: s.boards.get_board(c.reader, c.board)
    yield "board: most supported", lambda: s.ideas.list_ideas(c.reader, c.board)
    yield "idea: the top idea", lambda: s.ideas.open_idea(c.reader, c.top_idea)
    yield "my contributions, heavy", lambda: s.contributions.my_contributions(c.heavy)
    yield "notifications", lambda: s.notifications.list_notifications(c.heavy)
    yield "outcomes of a board", lambda: s.outcomes.list_outcomes(c.reader, c.board)
    yield "staff desk, 10 boards", lambda: s.desk.staff_desk(c.staff)
    yield "moderation queue, leader", lambda: s.moderation.review_queue(c.leader)
    yield "moderation queue, admin", lambda: s.moderation.review_queue(c.admin)


async def deep_page(s: Any, c: Cast, pages: int) -> Callable[[], Awaitable[Any]]:
    page = await s.threads.list_threads(c.reader, c.hot_group)
    for _ in range(pages):
        if page.after is None:
            break
        page = await s.threads.list_threads(c.reader, c.hot_group, after=page.after)
    after = page.after
    return lambda: s.threads.list_threads(c.reader, c.hot_group, after=after)


async def time_screens(url: str, path: Path | None, cast: Cast, calls: int) -> list[Screen]:
    db = Database(url)
    clock = FixedClock()
    services = build_services(db, clock, limits=PostingLimits())  # the default limits, checked
    capture = Capture(db)
    results = []
    try:
        screens = list(screens_of(services, cast))
        screens.insert(7, ("group: page 20 by cursor", await deep_page(services, cast, 20)))
        for name, work in screens:
            samples = await time_calls(work, calls)
            statements = await capture.run(work)
            await background_done()
            if path is not None:
                bare = bare_sqlite(path, statements, calls)
            else:
                bare = await bare_pg(url, statements, calls)
            screen = Screen(
                name,
                statistics.median(samples),
                percentile(samples, 0.95),
                bare,
                len(statements),
            )
            results.append(screen)
            print(
                f"  {name}: {screen.p50:.2f} / {screen.p95:.2f} ms "
                f"(bare: {screen.bare:.2f} ms, ratio: {screen.ratio:.1f}×, "
                f"{screen.statements} statements)",
                flush=True,
            )
        reply_samples = []
        thread = cast.big_thread + 1
        for n in range(min(calls, 100)):
            clock.current += timedelta(minutes=2)  # within the flood limit
            began = time.perf_counter()
            await services.threads.reply(cast.heavy, thread, f"timed reply {n}")
            reply_samples.append((time.perf_counter() - began) * 1000)
        screen = Screen(
            "reply by the heaviest poster (write)",
            statistics.median(reply_samples),
            percentile(reply_samples, 0.95),
            0.0,
            0,
        )
        results.append(screen)
        print(f"  {screen.name}: {screen.p50:.2f} / {screen.p95:.2f} ms", flush=True)
    finally:
        await services.close()
        await db.dispose()
    return results


# --- concurrency ------------------------------------------------------------------------------


def _writer(
    url: str, member_id: int, thread_id: int, replies: int, synchronous: str, queue: Any
) -> None:
    from forum_tui.store import database

    # The store's pragmas, but for the durability being measured.
    database.SQLITE_PRAGMAS = tuple(
        f"PRAGMA synchronous={synchronous}" if p.startswith("PRAGMA synchronous") else p
        for p in database.SQLITE_PRAGMAS
    )

    async def run() -> tuple[int, int, int]:
        db = Database(url)
        service = ThreadService(db, FixedClock(), PostingLimits.off())
        acknowledged = busy = other = 0
        try:
            for n in range(replies):
                try:
                    await service.reply(member_id, thread_id, f"bench reply {member_id}-{n}")
                except StoreBusy:
                    busy += 1
                except StoreError:
                    other += 1
                else:
                    acknowledged += 1
        finally:
            await db.dispose()
        return acknowledged, busy, other

    queue.put(asyncio.run(run()))


@dataclass
class Concurrency:
    synchronous: str
    writers: int
    replies: int
    acknowledged: int
    stored: int
    lock_errors: int
    other_errors: int
    lost_thread_counts: int
    lost_group_counts: int
    seconds: float
    reader_opens: int
    reader_p50: float
    reader_p95: float

    @property
    def exact(self) -> bool:
        return (
            self.acknowledged == self.stored == self.writers * self.replies
            and self.lock_errors == self.other_errors == 0
            and self.lost_thread_counts == self.lost_group_counts == 0
        )


async def _counts(db: Database, thread_ids: list[int], group_ids: list[int]) -> tuple:
    async with db.read() as session:
        stored = await session.scalar(
            select(func.count()).select_from(PostRow).where(PostRow.body.like("bench reply %"))
        )
        replies = await session.scalar(
            select(func.sum(ThreadRow.reply_count)).where(ThreadRow.id.in_(thread_ids))
        )
        posts = await session.scalar(
            select(func.sum(GroupRow.post_count)).where(GroupRow.id.in_(group_ids))
        )
    return int(stored or 0), int(replies or 0), int(posts or 0)


async def concurrency(
    url: str, cast: Cast, writers: int, replies: int, synchronous: str = "FULL"
) -> Concurrency:
    # One hot thread per writer, in groups 1 and 2 (thread n is in group (n-1) % 20 + 1).
    threads = [2 + 20 * (i // 2) + (i % 2) for i in range(writers)]
    groups = sorted({(t - 1) % 20 + 1 for t in threads})
    members = (cast.writers * (writers // len(cast.writers) + 1))[:writers]
    db = Database(url)
    services = build_services(db, FixedClock())
    stored0, replies0, posts0 = await _counts(db, threads, groups)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [
        context.Process(
            target=_writer,
            args=(url, members[i], threads[i], replies, synchronous, queue),
        )
        for i in range(writers)
    ]
    began = time.perf_counter()
    for process in processes:
        process.start()
    samples: list[float] = []
    while any(p.is_alive() for p in processes) or not samples:
        start = time.perf_counter()
        await services.threads.open_thread(cast.reader, threads[0])
        samples.append((time.perf_counter() - start) * 1000)
        await asyncio.sleep(0.005)  # a reader, not a second load generator
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    seconds = time.perf_counter() - began
    stored1, replies1, posts1 = await _counts(db, threads, groups)
    stored = stored1 - stored0
    await services.close()
    await db.dispose()
    acknowledged = sum(r[0] for r in results)
    return Concurrency(
        synchronous=synchronous,
        writers=writers,
        replies=replies,
        acknowledged=acknowledged,
        stored=stored,
        lock_errors=sum(r[1] for r in results),
        other_errors=sum(r[2] for r in results),
        lost_thread_counts=stored - (replies1 - replies0),
        lost_group_counts=stored - (posts1 - posts0),
        seconds=seconds,
        reader_opens=len(samples),
        reader_p50=statistics.median(samples),
        reader_p95=percentile(samples, 0.95),
    )


# --- running it -------------------------------------------------------------------------------


async def run_backend(label: str, url: str, path: Path | None, args: argparse.Namespace) -> dict:
    shape = Shape.for_posts(args.posts)
    print(f"\n== {label}: {shape.posts:,} posts, {shape.threads:,} threads ==", flush=True)
    db = Database(url)
    try:
        await migrations.upgrade(db)
    finally:
        await db.dispose()
    began = time.perf_counter()
    cast, tables = rows_of(shape, random.Random(11))
    generated = time.perf_counter() - began
    began = time.perf_counter()
    if path is not None:
        rows = await asyncio.to_thread(load_sqlite, path, tables)
    else:
        rows = await load_pg(url, tables)
    loaded = time.perf_counter() - began
    del tables
    print(
        f"built: {rows:,} rows in {loaded:.1f} s ({rows / loaded:,.0f} rows/s; "
        f"generating them took {generated:.1f} s)",
        flush=True,
    )
    print(f"screens, {args.calls} calls each: p50 / p95", flush=True)
    screens = await time_screens(url, path, cast, args.calls)
    runs = []
    for synchronous in (
        ("FULL", "NORMAL") if path is not None and args.compare_normal else ("FULL",)
    ):
        runs.append(await run_writers(url, cast, args, synchronous if path else "(server)"))
    return {
        "backend": label,
        "shape": asdict(shape),
        "rows": rows,
        "load_seconds": loaded,
        "screens": [asdict(s) | {"ratio": s.ratio} for s in screens],
        "concurrency": runs,
    }


async def run_writers(url: str, cast: Cast, args: argparse.Namespace, synchronous: str) -> dict:
    print(
        f"{args.writers} writer processes × {args.replies} replies, a reader alongside "
        f"(synchronous={synchronous})",
        flush=True,
    )
    conc = await concurrency(url, cast, args.writers, args.replies, synchronous)
    print(
        f"  acknowledged {conc.acknowledged:,}, stored {conc.stored:,}, lock errors "
        f"{conc.lock_errors}, other errors {conc.other_errors}, lost increments "
        f"{conc.lost_thread_counts} (threads) / {conc.lost_group_counts} (groups), "
        f"{conc.acknowledged / conc.seconds:.0f} replies/s; reader: {conc.reader_opens} opens, "
        f"p50 {conc.reader_p50:.2f} / p95 {conc.reader_p95:.2f} ms; "
        f"exact: {'yes' if conc.exact else 'NO'}",
        flush=True,
    )
    return asdict(conc) | {"exact": conc.exact}


async def main(args: argparse.Namespace) -> int:
    print(
        f"forum-tui store at scale · {datetime.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version}",
        flush=True,
    )
    results = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory(prefix="forum-scale-") as tmp:
            path = Path(tmp) / "scale.db"
            url = f"sqlite+aiosqlite:///{path}"
            results.append(await run_backend("sqlite", url, path, args))
    if args.pg:
        url = await pg_create(args.pg)
        try:
            results.append(await run_backend("postgresql", url, None, args))
        finally:
            await pg_drop(args.pg, url)
    if args.json:
        text = json.dumps(results, indent=2, default=str)
        await asyncio.to_thread(Path(args.json).write_text, text)
        print(f"wrote {args.json}")
    if args.ci and not all(run["exact"] for r in results for run in r["concurrency"]):
        print("store_scale: concurrency counts are NOT exact", file=sys.stderr)
        return 1
    return 0


async def pg_create(url: str) -> str:
    name = f"forum_tui_scale_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(plain_dsn(url))
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
    connection = await asyncpg.connect(plain_dsn(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await connection.close()


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000, help="posts in the forum")
    parser.add_argument("--calls", type=int, default=200, help="timed calls per screen")
    parser.add_argument("--writers", type=int, default=8, help="writer processes")
    parser.add_argument("--replies", type=int, default=500, help="replies per writer")
    parser.add_argument("--pg", metavar="URL", help="also run on a scratch PostgreSQL database")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only (with --pg)")
    parser.add_argument(
        "--compare-normal",
        action="store_true",
        help="run the writers again with synchronous=NORMAL, to show what FULL costs",
    )
    parser.add_argument(
        "--ci", action="store_true", help="exit 1 unless the concurrency counts are exact"
    )
    args = parser.parse_args(None if argv is None else list(argv))
    if args.posts < 10_000:
        parser.error("--posts must be at least 10000")
    return args


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
