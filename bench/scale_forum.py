"""The forum bench/store_scale.py builds: its shape at any size, its rows, and loading them.

Rows are generated with a seeded ``random.Random`` (the same forum every run) and loaded through
the project's schema, already migrated: stdlib ``sqlite3`` ``executemany`` in one transaction,
or asyncpg ``COPY``, then the group counters the app keeps.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STATUSES = ("new", "under_review", "planned", "in_progress", "done", "not_taken_forward")
BODY = "Ordinary words about caring, sleep and respite, the length of a real reply. " * 2


class FixedClock:
    def __init__(self, start: datetime = NOW) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


# --- the shape of the forum -------------------------------------------------------------------


@dataclass
class Shape:
    posts: int
    threads: int
    groups: int
    members: int
    boards: int
    ideas: int
    supports: int
    outcomes: int
    notifications: int
    reports: int

    @classmethod
    def for_posts(cls, posts: int) -> Shape:
        scale = posts / 1_000_000
        return cls(
            posts=posts,
            threads=max(40, int(50_000 * scale)),
            groups=20,
            members=max(60, int(5_000 * scale)),
            boards=10,
            ideas=max(40, int(20_000 * scale)),
            supports=int(266_000 * scale),
            outcomes=max(5, int(500 * scale)),
            notifications=int(305_000 * scale),
            reports=max(20, int(3_000 * scale)),
        )


@dataclass
class Cast:
    """Who is who in the built forum (ids)."""

    admin: int
    leader: int  # leads group 1
    staff: int  # staffs every board
    reader: int  # a carer in every group, with read marks
    heavy: int  # the member with ~1% of all posts
    hot_group: int
    big_thread: int  # the thread with the most posts
    top_idea: int  # the idea with the most supporters
    board: int
    writers: list[int] = field(default_factory=list)


def stamp(at: datetime) -> str:
    """How SQLAlchemy stores a datetime in SQLite."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def rows_of(shape: Shape, rng: random.Random) -> tuple[Cast, dict[str, tuple[list[str], list]]]:
    """Every table's rows as (columns, list of tuples), with datetimes as datetimes."""
    m, g, b = shape.members, shape.groups, shape.boards
    admin, leader, staff, reader, heavy = 1, 2, 3, 4, 5
    writers = list(range(6, 6 + 8))
    old = NOW - timedelta(days=800)
    tables: dict[str, tuple[list[str], list]] = {}
    roles = {admin: "admin", staff: "staff"}
    tables["members"] = (
        ["id", "handle", "handle_key", "role", "state", "created_at"],
        [
            (i, f"carer{i}", f"carer{i}", roles.get(i, "carer"), "active", old)
            for i in range(1, m + 1)
        ],
    )
    tables["groups"] = (
        ["id", "slug", "name", "description", "visibility", "created_at", "slow_mode_seconds"],
        [(i, f"group-{i}", f"Group {i:02d}", "", "open", old, 0) for i in range(1, g + 1)],
    )
    memberships = set()
    for member in range(1, m + 1):
        for group in rng.sample(range(1, g + 1), 3):
            memberships.add((member, group))
    for member in (leader, reader, heavy, *writers):
        memberships.update((member, group) for group in range(1, g + 1))
    tables["memberships"] = (
        ["member_id", "group_id", "role", "joined_at"],
        [
            (member, group, "leader" if member == leader and group == 1 else "member", old)
            for member, group in sorted(memberships)
        ],
    )
    # Threads: posts spread unevenly (a few long threads), newest activity at the end.
    t = shape.threads
    weights = [1.0 + (20.0 if n % 97 == 0 else 0.0) + rng.random() for n in range(t)]
    total = sum(weights)
    per_thread = [max(1, int(shape.posts * w / total)) for w in weights]
    per_thread[0] += shape.posts - sum(per_thread)  # thread 1 is the biggest
    if per_thread[0] < 1:
        per_thread[0] = 1
    threads, posts = [], []
    post_id = 0
    minutes = shape.posts + 10
    for n in range(t):
        thread_id = n + 1
        group = n % g + 1
        created = NOW - timedelta(minutes=minutes - post_id)
        author = rng.randint(1, m)
        count = per_thread[n]
        for k in range(count):
            post_id += 1
            who = author if k == 0 else (heavy if rng.random() < 0.0107 else rng.randint(1, m))
            at = NOW - timedelta(minutes=minutes - post_id)
            posts.append((post_id, thread_id, group, who, f"Post {post_id}. {BODY}", at, 1))
        threads.append(
            (thread_id, group, author, f"Thread {thread_id}", created, at, count - 1, n < 3, False)
        )
    tables["threads"] = (
        [
            "id",
            "group_id",
            "author_id",
            "title",
            "created_at",
            "last_post_at",
            "reply_count",
            "pinned",
            "locked",
        ],
        threads,
    )
    tables["posts"] = (
        ["id", "thread_id", "group_id", "author_id", "body", "created_at", "version"],
        posts,
    )
    reads = [
        (reader, row[0], max(1, row[6] + 1 - rng.randint(0, 3)), NOW)
        for row in threads
        if rng.random() < 0.04
    ]
    tables["thread_reads"] = (["member_id", "thread_id", "posts_seen", "read_at"], reads)
    tables["boards"] = (
        ["id", "slug", "name", "description", "response_window_days", "created_at"],
        [(i, f"board-{i}", f"Board {i:02d}", "", 28, old) for i in range(1, b + 1)],
    )
    tables["board_staff"] = (
        ["board_id", "member_id", "added_at"],
        [(i, staff, old) for i in range(1, b + 1)],
    )
    ideas = []
    for n in range(shape.ideas):
        at = NOW - timedelta(minutes=(shape.ideas - n) * 40)
        status = STATUSES[n % len(STATUSES)] if n % 3 else "new"
        author = heavy if n % 50 == 0 else rng.randint(1, m)
        ideas.append([n + 1, n % b + 1, author, f"Idea {n + 1}", BODY, status, 0, at, at])
    supports: dict[tuple[int, int], datetime] = {}
    top = ideas[0]
    top[2] = admin
    for member in range(6, min(m, 6 + m // 2)):
        supports[(1, member)] = NOW - timedelta(minutes=member)
    while len(supports) < shape.supports:
        idea = min(int(rng.paretovariate(1.2)), shape.ideas)
        member = heavy if rng.random() < 0.02 else rng.randint(1, m)
        if member != ideas[idea - 1][2]:
            supports.setdefault((idea, member), NOW - timedelta(minutes=rng.randint(1, 500_000)))
    for idea, _member in supports:
        ideas[idea - 1][6] += 1
    tables["ideas"] = (
        [
            "id",
            "board_id",
            "author_id",
            "title",
            "body",
            "status",
            "support_count",
            "created_at",
            "updated_at",
        ],
        [tuple(row) for row in ideas],
    )
    tables["supports"] = (
        ["idea_id", "member_id", "comment", "created_at"],
        [(idea, member, "", at) for (idea, member), at in supports.items()],
    )
    tables["outcomes"] = (
        ["id", "board_id", "title", "description", "happened_on", "recorded_by_id", "created_at"],
        [
            (
                i,
                i % b + 1,
                f"Outcome {i}",
                BODY,
                date(2026, 1, 1) + timedelta(days=i % 300),
                staff,
                NOW,
            )
            for i in range(1, shape.outcomes + 1)
        ],
    )
    tables["outcome_ideas"] = (
        ["outcome_id", "idea_id"],
        [(i, (i * 7) % shape.ideas + 1) for i in range(1, shape.outcomes + 1)],
    )
    credits = {(i, rng.randint(1, m)) for i in range(1, shape.outcomes + 1) for _ in range(3)}
    credits.update((i, heavy) for i in range(1, shape.outcomes + 1, 4))
    tables["outcome_credits"] = (
        ["outcome_id", "member_id", "reason"],
        [(o, mm, "supported") for o, mm in credits],
    )
    tables["notifications"] = (
        ["member_id", "kind", "text", "created_at", "read_at"],
        [
            (
                heavy if n % 20 == 0 else rng.randint(1, m),
                "idea_status",
                "An idea you support is now Planned.",
                NOW - timedelta(minutes=shape.notifications - n),
                None if n % 3 == 0 else NOW,
            )
            for n in range(shape.notifications)
        ],
    )
    reports = set()
    while len(reports) < shape.reports:
        kind = rng.choice(("post", "post", "post", "thread", "idea"))
        top_id = {"post": shape.posts, "thread": t, "idea": shape.ideas}[kind]
        reports.add((kind, rng.randint(1, top_id), rng.randint(1, m)))
    tables["reports"] = (
        ["target_kind", "target_id", "reporter_id", "reason", "text", "state", "created_at"],
        [
            (kind, target, reporter, "unkind", "", "open", NOW - timedelta(minutes=n))
            for n, (kind, target, reporter) in enumerate(sorted(reports))
        ],
    )
    cast = Cast(
        admin=admin,
        leader=leader,
        staff=staff,
        reader=reader,
        heavy=heavy,
        hot_group=1,
        big_thread=1,
        top_idea=1,
        board=1,
        writers=writers,
    )
    return cast, tables


COUNTERS = """
UPDATE groups SET
    thread_count = (SELECT count(*) FROM threads WHERE threads.group_id = groups.id),
    post_count = (SELECT coalesce(sum(reply_count + 1), 0) FROM threads
                  WHERE threads.group_id = groups.id),
    last_post_at = (SELECT max(last_post_at) FROM threads WHERE threads.group_id = groups.id)
"""


def load_sqlite(path: Path, tables: dict[str, tuple[list[str], list]]) -> int:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")  # building only; the app runs FULL
    connection.execute("PRAGMA cache_size=-1000000")  # building only: the indexes fit in RAM
    connection.execute("BEGIN")
    rows = 0
    for name, (columns, data) in tables.items():
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"
        connection.executemany(
            statement,
            (tuple(stamp(v) if isinstance(v, datetime) else v for v in row) for row in data),
        )
        rows += len(data)
    connection.execute(COUNTERS)
    connection.execute("COMMIT")
    connection.close()
    return rows


async def load_pg(url: str, tables: dict[str, tuple[list[str], list]]) -> int:
    connection = await asyncpg.connect(plain_dsn(url))
    rows = 0
    try:
        for name, (columns, data) in tables.items():
            await connection.copy_records_to_table(name, records=data, columns=columns)
            rows += len(data)
        await connection.execute(COUNTERS)
        for name in tables:
            if "id" in tables[name][0]:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
        # What autovacuum would have done by now: statistics, and the visibility map that lets
        # counts be answered from an index alone.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return rows


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
