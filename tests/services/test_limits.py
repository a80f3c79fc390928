"""Spam and flood limits: rate, duplicates, new members, slow mode and who is exempt, at their
boundaries with a fake clock, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum_tui.domain.enums import Role
from forum_tui.domain.errors import RateLimited
from forum_tui.domain.models import Group, Member, Thread
from forum_tui.services import PostingLimits, Services, build_services
from forum_tui.services.limits import when
from forum_tui.store.board_tables import IdeaRow
from forum_tui.store.database import Database
from forum_tui.store.tables import GroupRow, PostRow
from tests.conftest import FakeClock, add_member


@dataclass
class World:
    s: Services
    clock: FakeClock
    ann: Member  # carer, member of both groups
    leo: Member  # leader of Sleep
    admin: Member  # admin, member of Sleep
    sleep: Group
    dads: Group
    thread: Thread  # in Sleep, by leo
    other: Thread  # in Dads, by leo


async def make_world(db: Database, clock: FakeClock, limits: PostingLimits) -> World:
    s = build_services(db, clock, limits=limits)
    ann = await add_member(s, "ann")
    leo = await add_member(s, "leo")
    admin = await add_member(s, "root-op", role=Role.ADMIN)
    sleep = await s.groups.add_group("sleep", "Sleep")
    dads = await s.groups.add_group("dads", "Dads who care")
    for slug in ("sleep", "dads"):
        await s.groups.add_to_group(slug, "ann")
        await s.groups.add_to_group(slug, "root-op")
        await s.groups.set_leader(slug, "leo")
    thread = await s.threads.start_thread(leo.id, sleep.id, "Nights", "Who is up?")
    other = await s.threads.start_thread(leo.id, dads.id, "Dads", "Hello dads")
    return World(s, clock, ann, leo, admin, sleep, dads, thread, other)


@pytest.fixture
async def world(db: Database, clock: FakeClock) -> World:
    """Limits as shipped; everyone's first day is over, so only the rate applies at first."""
    built = await make_world(db, clock, PostingLimits())
    clock.advance(hours=25)
    return built


async def post_count(s: Services, member_id: int) -> int:
    async with s.db.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(PostRow).where(PostRow.author_id == member_id)
        )
        return int(count or 0)


# --- rate --------------------------------------------------------------------------------------


async def test_ten_posts_in_ten_minutes_then_refused_until_the_oldest_leaves_the_window(
    world: World,
) -> None:
    s, clock, ann = world.s, world.clock, world.ann
    first_at = clock.current
    for n in range(10):
        await s.threads.reply(ann.id, world.thread.id, f"Reply number {n}")
        clock.advance(seconds=30)
    # 4½ minutes after the first: the 11th post is refused and nothing is written.
    with pytest.raises(RateLimited) as refused:
        await s.threads.reply(ann.id, world.other.id, "One more")
    message = str(refused.value)
    assert "10 times in 10 minutes" in message
    assert when(first_at + timedelta(minutes=10), clock.current) in message
    assert "Your text is kept" in message
    assert await post_count(s, ann.id) == 10
    # Threads count too.
    with pytest.raises(RateLimited):
        await s.threads.start_thread(ann.id, world.sleep.id, "A new one", "Body")

    clock.current = first_at + timedelta(minutes=10) - timedelta(seconds=1)
    with pytest.raises(RateLimited):
        await s.threads.reply(ann.id, world.thread.id, "Still too soon")
    clock.current = first_at + timedelta(minutes=10)  # the first post has left the window
    await s.threads.reply(ann.id, world.thread.id, "Allowed again")
    with pytest.raises(RateLimited):  # ... but only one place was freed
        await s.threads.reply(ann.id, world.thread.id, "And again")
    assert await post_count(s, ann.id) == 11


async def test_the_rate_applies_to_leaders_and_admins_too(world: World) -> None:
    s = world.s
    for member in (world.leo, world.admin):
        for n in range(8 if member is world.leo else 10):  # leo started 2 threads already...
            await s.threads.reply(member.id, world.thread.id, f"{member.handle} {n}")
        if member is world.leo:
            # ...25 hours ago, outside the window: 8 + 0 so far, two more are allowed.
            await s.threads.reply(member.id, world.thread.id, "leo 8")
            await s.threads.reply(member.id, world.thread.id, "leo 9")
        with pytest.raises(RateLimited):
            await s.threads.reply(member.id, world.thread.id, "one too many")


async def test_a_retried_send_with_its_key_is_not_refused(world: World) -> None:
    s, ann = world.s, world.ann
    first = await s.threads.reply(ann.id, world.thread.id, "Same words", idempotency_key="k1")
    again = await s.threads.reply(ann.id, world.thread.id, "Same words", idempotency_key="k1")
    assert again.id == first.id
    assert await post_count(s, ann.id) == 1


async def test_a_refused_reply_keeps_the_draft(world: World) -> None:
    s, ann = world.s, world.ann
    await s.threads.reply(ann.id, world.thread.id, "I said this")
    await s.drafts.save_draft(ann.id, f"reply:{world.thread.id}", "I said this")
    with pytest.raises(RateLimited):
        await s.threads.reply(ann.id, world.thread.id, "I said this")
    draft = await s.drafts.get_draft(ann.id, f"reply:{world.thread.id}")
    assert draft is not None and draft.body == "I said this"


# --- duplicates --------------------------------------------------------------------------------


async def test_identical_body_within_ten_minutes_is_refused_anywhere(world: World) -> None:
    s, clock, ann = world.s, world.clock, world.ann
    await s.threads.reply(ann.id, world.thread.id, "Has anyone tried melatonin?")
    posted_at = clock.current
    clock.advance(minutes=3)
    with pytest.raises(RateLimited, match="You posted exactly this a moment ago"):
        await s.threads.reply(ann.id, world.other.id, "Has anyone tried melatonin?")
    # Cleaning happens first: trailing spaces do not make it different.
    with pytest.raises(RateLimited, match="exactly this"):
        await s.threads.reply(ann.id, world.thread.id, "Has anyone tried melatonin?   \n")
    with pytest.raises(RateLimited, match="exactly this"):
        await s.threads.start_thread(
            ann.id, world.dads.id, "Melatonin", "Has anyone tried melatonin?"
        )
    # A different body, or someone else's identical one, is fine.
    await s.threads.reply(ann.id, world.thread.id, "Has anyone tried melatonin??")
    await s.threads.reply(world.leo.id, world.thread.id, "Has anyone tried melatonin?")

    clock.current = posted_at + timedelta(minutes=10) - timedelta(seconds=1)
    with pytest.raises(RateLimited):
        await s.threads.reply(ann.id, world.thread.id, "Has anyone tried melatonin?")
    clock.current = posted_at + timedelta(minutes=10)
    await s.threads.reply(ann.id, world.thread.id, "Has anyone tried melatonin?")


# --- new members -------------------------------------------------------------------------------


async def test_new_member_first_day_three_threads_and_ten_replies(
    db: Database, clock: FakeClock
) -> None:
    w = await make_world(db, clock, PostingLimits())
    s, newbie = w.s, await add_member(w.s, "newbie")
    joined = clock.current
    await s.groups.add_to_group("sleep", "newbie")
    for n in range(3):
        await s.threads.start_thread(newbie.id, w.sleep.id, f"Thread {n}", f"Body {n}")
        clock.advance(seconds=70)  # spaced so the 10-per-10-minutes rate never bites
    with pytest.raises(RateLimited) as refused:
        await s.threads.start_thread(newbie.id, w.sleep.id, "Thread 3", "Body 3")
    assert "first 24 hours you can post 3 new threads" in str(refused.value)
    assert when(joined + timedelta(hours=24), clock.current) in str(refused.value)
    for n in range(10):  # replies have their own allowance
        await s.threads.reply(newbie.id, w.thread.id, f"Reply {n}")
        clock.advance(seconds=70)
    with pytest.raises(RateLimited, match="10 replies"):
        await s.threads.reply(newbie.id, w.thread.id, "Reply 10")

    clock.current = joined + timedelta(hours=24) - timedelta(seconds=1)
    with pytest.raises(RateLimited):
        await s.threads.reply(newbie.id, w.thread.id, "Reply 10")
    clock.current = joined + timedelta(hours=24)
    await s.threads.reply(newbie.id, w.thread.id, "Reply 10")
    await s.threads.start_thread(newbie.id, w.sleep.id, "Thread 3", "Body 3")


async def test_leaders_and_admins_are_exempt_from_new_member_limits(
    db: Database, clock: FakeClock
) -> None:
    w = await make_world(db, clock, PostingLimits())
    s = w.s
    # leo (leader of Sleep) and the admin joined moments ago: both new.
    for member in (w.leo, w.admin):
        for n in range(4):
            await s.threads.start_thread(member.id, w.sleep.id, f"Thread {n}", f"{member.id} {n}")
            clock.advance(seconds=70)
    # ann, a new carer, is not exempt.
    for n in range(3):
        await s.threads.start_thread(w.ann.id, w.sleep.id, f"Mine {n}", f"Mine {n}")
    with pytest.raises(RateLimited):
        await s.threads.start_thread(w.ann.id, w.sleep.id, "Mine 3", "Mine 3")


async def test_new_member_limits_can_be_set(db: Database, clock: FakeClock) -> None:
    limits = replace(PostingLimits(), new_member_threads=1, new_member_replies=0)
    w = await make_world(db, clock, limits)
    await w.s.threads.start_thread(w.ann.id, w.sleep.id, "Only one", "Only one")
    with pytest.raises(RateLimited, match="1 new threads"):
        await w.s.threads.start_thread(w.ann.id, w.sleep.id, "Second", "Second")
    for n in range(5):  # 0 = no reply limit for new members
        await w.s.threads.reply(w.ann.id, w.thread.id, f"Reply {n}")


# --- slow mode ---------------------------------------------------------------------------------


async def set_slow_mode(s: Services, group_id: int, seconds: int) -> None:
    async with s.db.write() as session:
        await session.execute(
            update(GroupRow).where(GroupRow.id == group_id).values(slow_mode_seconds=seconds)
        )


async def test_slow_mode_spaces_posts_per_member_in_that_group(world: World) -> None:
    s, clock, ann = world.s, world.clock, world.ann
    await set_slow_mode(s, world.sleep.id, 120)
    await s.threads.reply(ann.id, world.thread.id, "First")
    posted_at = clock.current
    clock.advance(seconds=60)
    with pytest.raises(RateLimited) as refused:
        await s.threads.reply(ann.id, world.thread.id, "Second")
    assert "Sleep is in slow mode: one post every 2 minutes" in str(refused.value)
    assert when(posted_at + timedelta(seconds=120), clock.current) in str(refused.value)
    with pytest.raises(RateLimited, match="slow mode"):
        await s.threads.start_thread(ann.id, world.sleep.id, "New one", "New one")
    # Another group, and another member in this group, are not held up.
    await s.threads.reply(ann.id, world.other.id, "In Dads")
    await s.threads.reply(world.admin.id, world.thread.id, "Admin here")
    await s.threads.reply(world.admin.id, world.thread.id, "Admin again (exempt)")
    await s.threads.reply(world.leo.id, world.thread.id, "Leader here")
    await s.threads.reply(world.leo.id, world.thread.id, "Leader again (exempt)")

    clock.current = posted_at + timedelta(seconds=119)
    with pytest.raises(RateLimited):
        await s.threads.reply(ann.id, world.thread.id, "Second")
    clock.current = posted_at + timedelta(seconds=120)
    await s.threads.reply(ann.id, world.thread.id, "Second")

    await set_slow_mode(s, world.sleep.id, 0)  # off again
    await s.threads.reply(ann.id, world.thread.id, "Third")


# --- ideas -------------------------------------------------------------------------------------


async def test_ideas_duplicate_and_rate(world: World) -> None:
    s, clock, ann = world.s, world.clock, world.ann
    board = await s.boards.add_board("cmht", "Community mental health team")
    await s.ideas.add_idea(ann.id, board.id, "Evening group", "An evening carers' group")
    with pytest.raises(RateLimited, match="exactly this idea"):
        await s.ideas.add_idea(ann.id, board.id, "Evening group again", "An evening carers' group")
    for n in range(4):
        await s.ideas.add_idea(ann.id, board.id, f"Idea {n}", f"Idea body {n}")
    started = clock.current
    with pytest.raises(RateLimited, match="5 ideas"):
        await s.ideas.add_idea(ann.id, board.id, "Idea 5", "Idea body 5")
    async with s.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(IdeaRow)) == 5
    clock.current = started + timedelta(hours=1)
    await s.ideas.add_idea(ann.id, board.id, "Idea 5", "Idea body 5")
    await s.ideas.add_idea(ann.id, board.id, "Evening group", "An evening carers' group")


# --- switching limits off and configuring them ----------------------------------------------------


async def test_limits_off_allow_a_burst(db: Database, clock: FakeClock) -> None:
    w = await make_world(db, clock, PostingLimits.off())
    for _ in range(15):
        await w.s.threads.reply(w.ann.id, w.thread.id, "Same again")
    assert await post_count(w.s, w.ann.id) == 15
    await set_slow_mode(w.s, w.sleep.id, 600)
    await w.s.threads.reply(w.ann.id, w.thread.id, "Slow mode is off with the limits")


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORUM_TUI_POSTING_LIMITS", "on")
    assert PostingLimits.from_env() == PostingLimits()
    monkeypatch.setenv("FORUM_TUI_POSTS_PER_WINDOW", "4")
    monkeypatch.setenv("FORUM_TUI_POST_WINDOW_MINUTES", "5")
    monkeypatch.setenv("FORUM_TUI_NEW_MEMBER_HOURS", "48")
    monkeypatch.setenv("FORUM_TUI_DUPLICATE_MINUTES", "0")
    limits = PostingLimits.from_env()
    assert limits.posts_per_window == 4
    assert limits.window == timedelta(minutes=5)
    assert limits.new_member_period == timedelta(hours=48)
    assert limits.duplicate_window == timedelta(0)
    monkeypatch.setenv("FORUM_TUI_POSTS_PER_WINDOW", "lots")
    with pytest.raises(ValueError, match="FORUM_TUI_POSTS_PER_WINDOW must be a whole number"):
        PostingLimits.from_env()
    monkeypatch.setenv("FORUM_TUI_POSTING_LIMITS", "off")
    assert not PostingLimits.from_env().enabled


def test_when_says_the_time_and_the_wait() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert when(now + timedelta(seconds=30), now) == "at 10:00 UTC (in 30 seconds)"
    assert when(now + timedelta(minutes=7), now) == "at 10:07 UTC (in 7 minutes)"
    assert when(now + timedelta(hours=20), now) == "at 06:00 UTC (in about 20 hours)"
