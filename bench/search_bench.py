"""Search benchmark: two common words and two rare words at up to 1M posts, beside the bare query.

    python bench/search_bench.py [--posts 1000000] [--repeats 50] [--pg URL] [--json]
    python bench/search_bench.py --quick          # CI-sized: 20,000 posts, 10 repeats

Builds a fresh SQLite file in a temporary directory (and, with ``--pg``, a scratch PostgreSQL
database it creates and drops), migrated with ``forum_tui.store.migrations.upgrade`` so the
search indexes are the project's own (FTS5 tables and triggers; stored tsvector + GIN). Then it
bulk-loads 12 groups (3 private, the searcher is in one of them), N/20 threads and N posts whose
bodies are drawn from a fixed vocabulary: each common word is in about a quarter of the posts,
the two rare words together in about 1 in 2,000.

Figures, per backend and per query, p50 / p95 in ms over ``--repeats`` timed runs after a
warm-up:

* ``SearchService.search`` — what a member's search costs: the member, their groups, one search
  per kind (posts, threads, ideas) with visibility filters, the rows of the page and snippets.
* bare — the same words as the cheapest possible full-text query: ids of the newest 21 matching
  posts, no joins and no filters (``posts_fts MATCH … ORDER BY rowid DESC LIMIT 21`` /
  ``search_vector @@ … ORDER BY id DESC LIMIT 21``). ratio = service / bare.
* ranked (naive) — unless ``--no-naive``: the 20 best matches ranked over every match (bm25 /
  ts_rank), the query the design warns about; p50 of 3 runs only.

``--json`` prints the figures as one JSON object after the table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
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
from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum_tui.services.search import SearchService  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import Database  # noqa: E402

START = datetime(2024, 1, 1, tzinfo=UTC)
GROUPS, PRIVATE_GROUPS, AUTHORS, POSTS_PER_THREAD = 12, 3, 200, 20
COMMON = ("tired", "sleep")
RARE = ("ombudsman", "zopiclone")
COMMON_SHARE, RARE_SHARE = 0.25, 0.0005
QUERIES = {"two common words": " ".join(COMMON), "two rare words": " ".join(RARE)}
BATCH = 20_000


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnoprstuvwy"
    return ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)]


def bodies(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    out = []
    for _ in range(n):
        body = rng.choices(words, k=rng.randint(12, 40))
        for word in COMMON:
            if rng.random() < COMMON_SHARE:
                body.insert(rng.randrange(len(body)), word)
        if rng.random() < RARE_SHARE:  # the rare words come together, as a topic does
            for word in RARE:
                body.insert(rng.randrange(len(body)), word)
        out.append(" ".join(body))
    return out


def rows(posts: int) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple], list[tuple]]:
    """members, groups, memberships, threads, posts as tuples in column order."""
    members = [(i, f"m{i}", f"m{i}", "carer", "active", START) for i in range(1, AUTHORS + 1)]
    groups = [
        (g, f"g{g}", f"Group {g}", "", "private" if g <= PRIVATE_GROUPS else "open", START, 0)
        for g in range(1, GROUPS + 1)
    ]
    # The searcher (member 1) is in every open group and in private group 1 only.
    memberships = [(1, g, "member", START) for g in range(1, GROUPS + 1) if g == 1 or g > 3]
    threads = []
    text_of = bodies(posts)
    post_rows = []
    for i in range(posts):
        thread_id = i // POSTS_PER_THREAD + 1
        at = START + timedelta(seconds=30 * i)
        author = i % AUTHORS + 1
        if i % POSTS_PER_THREAD == 0:
            group = thread_id % GROUPS + 1
            title = " ".join(text_of[i].split()[:6])[:120]
            threads.append((thread_id, group, author, title, at, at, POSTS_PER_THREAD - 1))
        post_rows.append((i + 1, thread_id, author, text_of[i], at, 1))
    return members, groups, memberships, threads, post_rows


COLUMNS = {
    "members": ("id", "handle", "handle_key", "role", "state", "created_at"),
    "groups": (
        "id",
        "slug",
        "name",
        "description",
        "visibility",
        "created_at",
        "slow_mode_seconds",
    ),
    "memberships": ("member_id", "group_id", "role", "joined_at"),
    "threads": (
        "id",
        "group_id",
        "author_id",
        "title",
        "created_at",
        "last_post_at",
        "reply_count",
    ),
    "posts": ("id", "thread_id", "author_id", "body", "created_at", "version"),
}
DEFAULTS = {"threads": ", pinned, locked", "posts": ""}


def load_sqlite(path: str, data: tuple[list[tuple], ...]) -> None:
    """Plain sqlite3 executemany, FTS triggers firing as in the app."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    for table, table_rows in zip(COLUMNS, data, strict=True):
        columns = COLUMNS[table]
        extra = DEFAULTS.get(table, "")
        marks = ", ".join("?" for _ in columns) + (", 0, 0" if extra else "")
        sql = f"INSERT INTO {table} ({', '.join(columns)}{extra}) VALUES ({marks})"
        for start in range(0, len(table_rows), BATCH):
            batch = [
                tuple(
                    v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
                    for v in row
                )
                for row in table_rows[start : start + BATCH]
            ]
            connection.executemany(sql, batch)
            connection.commit()
    connection.execute("INSERT INTO posts_fts(posts_fts) VALUES ('optimize')")
    connection.commit()
    connection.close()


async def load_postgres(dsn: str, data: tuple[list[tuple], ...]) -> None:
    """COPY into the project's tables; the GIN index is rebuilt after the load, as an operator
    restoring a dump would have it built."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET maintenance_work_mem = '256MB'")
        await connection.execute("DROP INDEX ix_posts_search")
        for table, table_rows in zip(COLUMNS, data, strict=True):
            columns = list(COLUMNS[table])
            records = table_rows
            if table == "threads":
                columns += ["pinned", "locked"]
                records = [(*row, False, False) for row in table_rows]
            for start in range(0, len(records), BATCH):
                await connection.copy_records_to_table(
                    table, records=records[start : start + BATCH], columns=columns
                )
        await connection.execute("CREATE INDEX ix_posts_search ON posts USING gin (search_vector)")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def bare_query(postgres: bool) -> str:
    if postgres:
        return (
            "SELECT id FROM posts WHERE search_vector @@ to_tsquery('english', :q) "
            "ORDER BY id DESC LIMIT 21"
        )
    return "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q ORDER BY rowid DESC LIMIT 21"


def naive_query(postgres: bool) -> str:
    if postgres:
        return (
            "SELECT id FROM posts WHERE search_vector @@ to_tsquery('english', :q) "
            "ORDER BY ts_rank(search_vector, to_tsquery('english', :q)) DESC LIMIT 20"
        )
    return "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q ORDER BY bm25(posts_fts) LIMIT 20"


async def timings(work: Callable[[], Awaitable[Any]], repeats: int) -> tuple[float, float]:
    await work()
    runs = []
    for _ in range(repeats):
        began = time.perf_counter()
        await work()
        runs.append((time.perf_counter() - began) * 1000)
    runs.sort()
    p95 = runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]
    return statistics.median(runs), p95


async def measure(db: Database, label: str, args: argparse.Namespace) -> dict[str, Any]:
    service = SearchService(db)
    postgres = not db.is_sqlite
    figures: dict[str, Any] = {}
    for name, words in QUERIES.items():
        q = " & ".join(words.split()) if postgres else " ".join(f'"{w}"' for w in words.split())

        async def via_service(words: str = words) -> None:
            page = await service.search(1, words)
            assert page.items, f"{words!r} found nothing"

        async def bare(q: str = q) -> None:
            async with db.read() as session:
                (await session.execute(text(bare_query(postgres)), {"q": q})).all()

        async def naive(q: str = q) -> None:
            async with db.read() as session:
                (await session.execute(text(naive_query(postgres)), {"q": q})).all()

        async with db.read() as session:
            matches = await session.scalar(
                text(
                    "SELECT count(*) FROM posts WHERE search_vector @@ to_tsquery('english', :q)"
                    if postgres
                    else "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :q"
                ),
                {"q": q},
            )
        p50, p95 = await timings(via_service, args.repeats)
        b50, b95 = await timings(bare, args.repeats)
        entry = {
            "matches": matches,
            "p50_ms": round(p50, 3),
            "p95_ms": round(p95, 3),
            "bare_p50_ms": round(b50, 3),
            "bare_p95_ms": round(b95, 3),
            "ratio_p95": round(p95 / b95, 2),
        }
        line = (
            f"{label} {name} ({matches:,} matching posts): {p50:.2f} / {p95:.2f} ms "
            f"(bare {b50:.2f} / {b95:.2f} ms, ratio {p95 / b95:.1f}×)"
        )
        if args.naive:
            n50, _ = await timings(naive, 3)
            entry["ranked_all_p50_ms"] = round(n50, 1)
            line += f"; ranked over every match (naive): {n50:.1f} ms"
        print(line, flush=True)
        figures[name] = entry
    return figures


async def run_backend(url: str, label: str, args: argparse.Namespace, data: Any) -> dict:
    db = Database(url)
    try:
        began = time.perf_counter()
        await migrations.upgrade(db)
        if db.is_sqlite:
            await asyncio.to_thread(load_sqlite, db.url.database, data)
        else:
            await load_postgres(
                make_url(url).set(drivername="postgresql").render_as_string(False), data
            )
        built = time.perf_counter() - began
        print(f"== {label}: {args.posts:,} posts loaded in {built:.0f} s", flush=True)
        figures = await measure(db, label, args)
        return {"build_s": round(built, 1), **figures}
    finally:
        await db.dispose()


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def main(args: argparse.Namespace) -> None:
    print(
        f"forum-tui search bench · {datetime.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · "
        f"{args.posts:,} posts · p50 / p95 of {args.repeats} runs",
        flush=True,
    )
    data = rows(args.posts)
    result: dict[str, Any] = {"posts": args.posts, "repeats": args.repeats}
    with tempfile.TemporaryDirectory(prefix="forum-search-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        result["sqlite"] = await run_backend(url, "sqlite", args, data)
    if args.pg:
        name = f"forum_tui_bench_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(_admin_dsn(args.pg))
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(args.pg).set(drivername="postgresql+asyncpg", database=name)
        try:
            result["postgresql"] = await run_backend(
                url.render_as_string(False), "postgresql", args, data
            )
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    if args.json:
        print(json.dumps(result))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--pg", metavar="URL", help="also run on a scratch PostgreSQL database")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--no-naive", dest="naive", action="store_false")
    parser.add_argument("--quick", action="store_true", help="CI size: 20,000 posts, 10 runs")
    args = parser.parse_args()
    if args.quick:
        args.posts, args.repeats = 20_000, 10
    if args.posts < 2000:
        parser.error("--posts must be at least 2000")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
