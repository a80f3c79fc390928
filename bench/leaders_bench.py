"""Leaders' benchmark: the hidden list at scale, against the same list without its index.

    python bench/leaders_bench.py [--posts 200000] [--hidden 40] [--repeats 20] [--pg URL]
    python bench/leaders_bench.py --ci          # 20,000 posts, 5 repeats: a few seconds

Builds a fresh SQLite file in a temporary directory (and, with ``--pg``, a scratch PostgreSQL
database created and dropped here), migrates it, bulk-inserts one group led by a leader with
N posts in N/10 threads, hides H posts spread over the table, then times
``HidingService.hidden_items`` for the leader — what pressing 4 on the Moderation screen costs.
Two baselines, measured in the same run on the same data:

* the same list as ONE statement with the group in its WHERE (the obvious way to write it):
  SQLite's planner then starts from the group's threads and reads every post in them;
* the service's call after dropping the partial index ``ix_posts_hidden``: finding the hidden
  posts reads the whole table.

Medians in ms, after one warm-up call. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import insert, select, update
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum_tui.services import build_services  # noqa: E402
from forum_tui.services.hiding import Author, Hider  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import Database  # noqa: E402
from forum_tui.store.tables import (  # noqa: E402
    GroupRow,
    MemberRow,
    MembershipRow,
    PostRow,
    ThreadRow,
)

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BATCH = 5_000
POSTS_PER_THREAD = 10


async def median_ms(work: Callable[[], Awaitable[Any]], repeats: int) -> float:
    await work()
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def fill(db: Database, posts: int, hidden: int) -> int:
    """One group, its leader and a writer, ``posts`` posts; ``hidden`` of them hidden."""
    async with db.write() as session:
        await session.execute(
            insert(MemberRow),
            [
                {
                    "handle": handle,
                    "handle_key": handle,
                    "role": "carer",
                    "state": "active",
                    "created_at": START - timedelta(days=400),
                }
                for handle in ("leader", "writer")
            ],
        )
        ids = dict((await session.execute(select(MemberRow.handle, MemberRow.id))).all())
        group_id = await session.scalar(
            insert(GroupRow)
            .values(
                slug="bench",
                name="Bench",
                description="",
                visibility="open",
                created_at=START - timedelta(days=400),
            )
            .returning(GroupRow.id)
        )
        await session.execute(
            insert(MembershipRow),
            [
                {"member_id": ids[h], "group_id": group_id, "role": role, "joined_at": START}
                for h, role in (("leader", "leader"), ("writer", "member"))
            ],
        )
    threads = max(1, posts // POSTS_PER_THREAD)
    for begin in range(0, threads, BATCH):
        rows = [
            {
                "id": n + 1,
                "group_id": group_id,
                "author_id": ids["writer"],
                "title": f"Thread {n + 1}",
                "created_at": START - timedelta(minutes=threads - n),
                "last_post_at": START - timedelta(minutes=threads - n),
                "reply_count": POSTS_PER_THREAD - 1,
                "pinned": False,
                "locked": False,
            }
            for n in range(begin, min(begin + BATCH, threads))
        ]
        async with db.write() as session:
            await session.execute(insert(ThreadRow), rows)
    for begin in range(0, posts, BATCH):
        rows = [
            {
                "thread_id": n // POSTS_PER_THREAD + 1,
                "group_id": group_id,
                "author_id": ids["writer"],
                "body": "A reply of ordinary length, about respite and sleep. " * 3,
                "created_at": START - timedelta(seconds=posts - n),
                "version": 1,
            }
            for n in range(begin, min(begin + BATCH, posts))
        ]
        async with db.write() as session:
            await session.execute(insert(PostRow), rows)
    step = max(1, posts // max(hidden, 1))
    async with db.write() as session:
        await session.execute(
            update(PostRow)
            .where(PostRow.id % step == 0)
            .values(hidden_at=START, hidden_by_id=ids["leader"], hidden_reason="Bench")
        )
    if not db.is_sqlite:
        async with db.connect(write=True) as connection:
            await connection.exec_driver_sql("ANALYZE")
    return ids["leader"]


def one_statement_query(leader: int) -> Any:
    """The hidden posts of the leader's groups, joined and filtered in one SELECT."""
    led = select(MembershipRow.group_id).where(
        MembershipRow.member_id == leader, MembershipRow.role == "leader"
    )
    return (
        select(PostRow, ThreadRow.title, GroupRow, Author.handle, Hider.handle)
        .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
        .join(GroupRow, GroupRow.id == ThreadRow.group_id)
        .join(Author, Author.id == PostRow.author_id)
        .outerjoin(Hider, Hider.id == PostRow.hidden_by_id)
        .where(PostRow.hidden_at.is_not(None), ThreadRow.group_id.in_(led))
        .order_by(PostRow.hidden_at.desc(), PostRow.id.desc())
        .limit(200)
    )


async def measure(url: str, label: str, posts: int, hidden: int, repeats: int) -> None:
    db = Database(url)
    try:
        began = time.perf_counter()
        await migrations.upgrade(db)
        leader = await fill(db, posts, hidden)
        built = time.perf_counter() - began
        hiding = build_services(db).hiding
        found = len(await hiding.hidden_items(leader))
        indexed = await median_ms(lambda: hiding.hidden_items(leader), repeats)

        async def one_statement() -> int:
            async with db.read() as session:
                rows = await session.execute(one_statement_query(leader))
                return len(rows.all())

        assert await one_statement() == found
        joined = await median_ms(one_statement, repeats)
        async with db.connect(write=True) as connection:
            await connection.exec_driver_sql("DROP INDEX ix_posts_hidden")
            if not db.is_sqlite:
                await connection.exec_driver_sql("ANALYZE posts")
        assert len(await hiding.hidden_items(leader)) == found
        scanned = await median_ms(lambda: hiding.hidden_items(leader), repeats)
    finally:
        await db.dispose()
    print(f"{label}: {posts:,} posts, {found} hidden (built in {built:.1f} s)")
    print(f"  hidden list, with ix_posts_hidden    {indexed:9.2f} ms")
    print(f"  one statement, group in SQL (base 1) {joined:9.2f} ms")
    print(f"  service, no partial index (base 2)   {scanned:9.2f} ms")
    print(f"  ratio base 1 / service               {joined / indexed:9.1f} x")
    print(f"  ratio base 2 / service               {scanned / indexed:9.1f} x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--hidden", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--pg", default=None, help="any database URL on a PostgreSQL server")
    parser.add_argument("--ci", action="store_true", help="20,000 posts, 5 repeats")
    args = parser.parse_args()
    if args.ci:
        args.posts, args.repeats = 20_000, 5
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await measure(url, "SQLite", args.posts, args.hidden, args.repeats)
    if args.pg:
        name = f"forum_tui_bench_{uuid.uuid4().hex[:10]}"
        admin = make_url(args.pg).set(drivername="postgresql").render_as_string(False)
        connection = await asyncpg.connect(admin)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        try:
            url = make_url(args.pg).set(database=name).render_as_string(False)
            await measure(url, "PostgreSQL", args.posts, args.hidden, args.repeats)
        finally:
            connection = await asyncpg.connect(admin)
            try:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await connection.close()


if __name__ == "__main__":
    asyncio.run(main())
