"""What keeps every screen fast at a million posts (issue 11), checked by what the services
return and by the statements they run, on SQLite and PostgreSQL. The speed itself is measured
by bench/store_scale.py, never here."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from forum_tui.domain.errors import NotFound
from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.services import Services
from forum_tui.services.moderation_queue import QUEUE_PAGE
from forum_tui.store.database import Database
from forum_tui.store.tables import GroupRow, PostRow, ThreadReadRow, ThreadRow
from tests.conftest import FakeClock, add_member
from tests.services.moderation_world import World, make_world


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SELECT (WITH)/INSERT/UPDATE statements run on the read engine meanwhile."""
    seen: list[str] = []

    def _record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.split(None, 1)[0].upper() in ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", _record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", _record)


async def recount(services: Services, group_id: int) -> tuple[int, int]:
    async with services.db.read() as session:
        threads = await session.scalar(
            select(func.count()).select_from(ThreadRow).where(ThreadRow.group_id == group_id)
        )
        posts = await session.scalar(
            select(func.count())
            .select_from(PostRow)
            .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
            .where(ThreadRow.group_id == group_id)
        )
        return threads or 0, posts or 0


async def counters(services: Services, group_id: int) -> tuple[int, int]:
    async with services.db.read() as session:
        row = await session.get(GroupRow, group_id)
        assert row is not None
        return row.thread_count, row.post_count


async def test_group_counters_follow_threads_replies_and_moves(w: World) -> None:
    s = w.s
    assert await counters(s, w.sleep.id) == await recount(s, w.sleep.id) == (1, 3)
    other = await s.threads.start_thread(w.ann.id, w.sleep.id, "Respite", "Anyone tried it?")
    await s.threads.reply(w.cat.id, other.id, "Yes, twice.")
    assert await counters(s, w.sleep.id) == await recount(s, w.sleep.id) == (2, 5)

    await s.moderation.move_thread(w.lee.id, other.id, w.respite.id)
    assert await counters(s, w.sleep.id) == await recount(s, w.sleep.id) == (1, 3)
    assert await counters(s, w.respite.id) == await recount(s, w.respite.id) == (1, 2)
    async with s.db.read() as session:
        respite = await session.get(GroupRow, w.respite.id)
        latest = await session.scalar(
            select(func.max(ThreadRow.last_post_at)).where(ThreadRow.group_id == w.sleep.id)
        )
        sleep = await session.get(GroupRow, w.sleep.id)
        assert respite is not None and sleep is not None
        assert (
            respite.last_post_at
            == (await s.threads.open_thread(w.lee.id, other.id)).thread.last_post_at
        )
        assert sleep.last_post_at == latest


async def test_home_counts_unread_from_the_members_own_read_marks(w: World) -> None:
    s = w.s
    mine, _ = await s.groups.list_groups(w.cat.id)
    (sleep,) = [g for g in mine if g.id == w.sleep.id]
    assert (sleep.thread_count, sleep.unread) == (1, 3)  # never opened: all 3 posts unread
    await s.threads.open_thread(w.cat.id, w.thread.id)
    mine, _ = await s.groups.list_groups(w.cat.id)
    assert [g.unread for g in mine if g.id == w.sleep.id] == [0]
    await s.threads.reply(w.ann.id, w.thread.id, "Still up.")
    await s.threads.start_thread(w.ann.id, w.sleep.id, "Mornings", "And mornings?")
    mine, _ = await s.groups.list_groups(w.cat.id)
    assert [(g.thread_count, g.unread) for g in mine if g.id == w.sleep.id] == [(2, 2)]
    assert (await s.groups.get_group(w.cat.id, w.sleep.id)).thread_count == 2


async def read_mark(services: Services, member_id: int, thread_id: int) -> tuple[int, object]:
    async with services.db.read() as session:
        row = await session.get(ThreadReadRow, (member_id, thread_id))
        assert row is not None
        return row.posts_seen, row.read_at


async def test_reopening_a_read_thread_writes_nothing(w: World) -> None:
    s = w.s
    await s.threads.open_thread(w.cat.id, w.thread.id)
    await s.groups.list_groups(w.cat.id)  # waits for the member's read marks
    first = await read_mark(s, w.cat.id, w.thread.id)
    assert first[0] == 3
    w.clock.advance(minutes=5)
    with statements(s.db) as run:
        view = await s.threads.open_thread(w.cat.id, w.thread.id)
    await s.groups.list_groups(w.cat.id)
    assert len(view.posts.items) == 3
    assert await read_mark(s, w.cat.id, w.thread.id) == first  # same time: not written again
    # member + thread + group + membership + read mark in one statement, then the page
    assert len(run) == 2, run

    await s.threads.reply(w.ann.id, w.thread.id, "Still up.")
    w.clock.advance(minutes=5)
    await s.threads.open_thread(w.cat.id, w.thread.id)
    await s.groups.list_groups(w.cat.id)
    assert (await read_mark(s, w.cat.id, w.thread.id))[0] == 4


async def test_opening_a_thread_does_not_wait_for_the_write_lock(w: World, backend: str) -> None:
    s = w.s
    holding, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with s.db.write() as session:
            # SQLite: BEGIN IMMEDIATE holds the write lock; PostgreSQL: the read mark's row.
            await session.execute(
                ThreadReadRow.__table__.update()
                .where(ThreadReadRow.thread_id == w.thread.id)
                .values(posts_seen=ThreadReadRow.posts_seen)
            )
            holding.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await holding.wait()
    view = await s.threads.open_thread(w.cat.id, w.thread.id)  # returns while the lock is held
    assert [p.body for p in view.posts.items][-1] == "Something unkind"
    release.set()
    await task
    mine, _ = await s.groups.list_groups(w.cat.id)
    assert [g.unread for g in mine if g.id == w.sleep.id] == [0]


async def test_the_thread_list_looks_the_reader_up_in_one_statement(w: World) -> None:
    with statements(w.s.db) as run:
        page = await w.s.threads.list_threads(w.cat.id, w.sleep.id)
    assert [t.title for t in page.items] == ["Night shifts"]
    assert len(run) == 2, run


async def test_the_queue_is_bounded_and_its_statements_do_not_grow(
    w: World, clock: FakeClock
) -> None:
    s = w.s
    posts = [w.post]
    for number in range(QUEUE_PAGE + 4):
        clock.advance(minutes=2)
        writer = (w.bob, w.ann, w.eve)[number % 3]
        posts.append(await s.threads.reply(writer.id, w.thread.id, f"Reply number {number}"))
    for post in posts[:3]:
        await s.moderation.report(w.cat.id, TargetKind.POST, post.id, ReportReason.SPAM)
    with statements(s.db) as few:
        small = await s.moderation.review_queue(w.lee.id)
    assert [q.target_id for q in small] == [p.id for p in posts[:3]]
    for post in posts[3:]:
        await s.moderation.report(w.dan.id, TargetKind.POST, post.id, ReportReason.SPAM)
    with statements(s.db) as many:
        full = await s.moderation.review_queue(w.lee.id)
    assert [q.target_id for q in full] == [p.id for p in posts[:QUEUE_PAGE]]  # oldest first
    assert full[1].context[-1] == "Before it, bob: Something unkind"
    assert full[3].author_recent[0] == f"Reply number {QUEUE_PAGE + 3}"
    assert len(many) == len(few) <= 12, (few, many)
    carer = await add_member(s, "newcomer")
    assert await s.moderation.review_queue(w.admin.id) != []
    with pytest.raises(Exception, match="Only group leaders"):
        await s.moderation.review_queue(carer.id)


async def test_my_contributions_shows_the_newest_and_counts_them_all(w: World) -> None:
    s = w.s
    ideas = [w.idea]
    for number, author in enumerate((w.ann, w.cat, w.dan, w.eve)):
        w.clock.advance(minutes=10)
        ideas.append(await s.ideas.add_idea(author.id, w.cmht.id, f"Idea {number}", "Please."))
    for idea in ideas:
        w.clock.advance(minutes=1)
        await s.ideas.support_idea(w.lee.id, idea.id)
    outcome = await s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening meetings", "We did it.", w.clock().date(), [w.idea.id]
    )
    assert outcome.ideas

    c = await s.contributions.my_contributions(w.lee.id, shown=2)
    assert [i.title for i in c.supported_ideas] == ["Idea 3", "Idea 2"]  # newest support first
    assert (c.supported_count, c.idea_count, c.led_to_change) == (5, 0, 1)
    assert c.summary.startswith("0 ideas · 5 supported · 1 led to change ·")
    everything = await s.contributions.my_contributions(w.lee.id)
    assert len(everything.supported_ideas) == 5 and everything.led_to_change == 1
    bob = await s.contributions.my_contributions(w.bob.id, shown=1)
    assert [i.title for i in bob.my_ideas] == ["Evening group"] and bob.idea_count == 1


async def test_refreshing_rows_in_place_reads_only_those_threads(w: World) -> None:
    s = w.s
    other = await s.threads.start_thread(w.ann.id, w.sleep.id, "Mornings", "And mornings?")
    fresh = await s.threads.refresh_threads(w.cat.id, w.sleep.id, [w.thread.id, 10_000])
    assert [(t.id, t.reply_count, t.unread) for t in fresh] == [(w.thread.id, 2, 3)]
    assert other.id not in [t.id for t in fresh]
    with pytest.raises(NotFound):  # a private group does not exist for outsiders
        await s.threads.refresh_threads(w.lou.id, w.sleep.id, [w.thread.id])
    assert await s.threads.refresh_threads(w.admin.id, w.sleep.id, []) == ()


async def test_an_idea_page_lists_its_first_supporters_only(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forum_tui.services import ideas as idea_module
    from forum_tui.ui.screens.idea import experiences

    monkeypatch.setattr(idea_module, "SUPPORTS_SHOWN", 2)
    for supporter, comment in ((w.ann, "Same here"), (w.cat, ""), (w.dan, "Evenings, yes")):
        w.clock.advance(minutes=1)
        await w.s.ideas.support_idea(supporter.id, w.idea.id, comment)
    view = await w.s.ideas.open_idea(w.eve.id, w.idea.id)
    assert view.idea.support_count == 3
    assert [s.member_handle for s in view.supports] == ["ann", "cat"]  # oldest first
    assert experiences(view).endswith("(From the first 2 supporters.)")
    assert "Same here" in experiences(view)
