"""Many people replying at once: no reply is lost from the count and nobody sees "busy".

design.md §3: on SQLite, writers start with BEGIN IMMEDIATE and counters move in SQL; without
that, concurrent writers lost increments or failed with "database is locked".
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from sqlalchemy import func, select

from forum_tui.services import Services, build_services
from forum_tui.store.database import Database
from forum_tui.store.tables import PostRow
from tests.conftest import FakeClock, add_member

WRITERS = 4
REPLIES_EACH = 50


async def test_separate_sqlite_connections_lose_no_replies(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "forum.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    clock = FakeClock()
    # One Database each: separate engines and connections, as separate SSH sessions have.
    writers = [build_services(Database(url), clock) for _ in range(WRITERS)]
    try:
        first = writers[0]
        group = await first.groups.add_group("sleep", "Sleep")
        members = []
        for number in range(WRITERS):
            members.append(await add_member(first, f"carer-{number}"))
            await first.groups.add_to_group("sleep", f"carer-{number}")
        thread = await first.threads.start_thread(members[0].id, group.id, "Busy night", "Go")

        sends = [
            services.threads.reply(member.id, thread.id, f"Reply {n} from {member.handle}")
            for services, member in zip(writers, members, strict=True)
            for n in range(REPLIES_EACH)
        ]
        results = await asyncio.wait_for(asyncio.gather(*sends, return_exceptions=True), 30)
        errors = [repr(result) for result in results if isinstance(result, BaseException)]
        assert errors == []  # no StoreBusy ("database is locked"), no Conflict

        total = WRITERS * REPLIES_EACH
        view = await first.threads.open_thread(members[1].id, thread.id, limit=total + 1)
        assert view.thread.reply_count == total
        assert len(view.posts.items) == total + 1
        mine, _ = await first.groups.list_groups(members[1].id)
        assert mine[0].unread == 0
    finally:
        for services in writers:
            await services.close()


async def test_concurrent_replies_on_one_connection_pool_keep_an_exact_count(
    services: Services,
) -> None:
    ann = await add_member(services, "ann")
    bob = await add_member(services, "bob")
    group = await services.groups.add_group("sleep", "Sleep")
    for handle in ("ann", "bob"):
        await services.groups.add_to_group("sleep", handle)
    thread = await services.threads.start_thread(ann.id, group.id, "Busy night", "Go")

    await asyncio.gather(
        *(services.threads.reply((ann, bob)[n % 2].id, thread.id, f"Reply {n}") for n in range(20))
    )

    listed = (await services.threads.list_threads(ann.id, group.id)).items[0]
    assert listed.reply_count == 20
    async with services.db.read() as session:
        posts = await session.scalar(
            select(func.count(PostRow.id)).where(PostRow.thread_id == thread.id)
        )
    assert posts == 21
