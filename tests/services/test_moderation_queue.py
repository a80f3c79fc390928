"""The review queue's details when it holds many items by many authors: each item shows its
own author's recent history in its own group or board, and the post just before it."""

from __future__ import annotations

import pytest

from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.services import Services
from tests.conftest import FakeClock
from tests.services.moderation_world import World, make_world

POST, THREAD, IDEA = TargetKind.POST, TargetKind.THREAD, TargetKind.IDEA


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def test_each_item_shows_its_own_authors_history_in_that_place(w: World) -> None:
    s = w.s
    for handle in ("ann", "bob"):
        await s.groups.add_to_group("respite", handle)

    async def reply(author: int, thread: int, body: str) -> int:
        w.clock.advance(minutes=5)
        return (await s.threads.reply(author, thread, body)).id

    in_sleep = [await reply(w.bob.id, w.thread.id, f"Bob in Sleep {n}") for n in range(6)]
    w.clock.advance(minutes=5)
    breaks = await s.threads.start_thread(w.ann.id, w.respite.id, "Breaks", "Ann opens Breaks")
    bob_in_respite = await reply(w.bob.id, breaks.id, "Bob in Respite")
    eve_once = await reply(w.eve.id, w.thread.id, "Eve's only post")
    ward = await s.boards.add_board("ward", "Ward 7 discharge")
    w.clock.advance(minutes=5)
    await s.ideas.add_idea(w.bob.id, ward.id, "On another board", "Not on this one.")
    w.clock.advance(minutes=5)
    await s.ideas.add_idea(w.bob.id, w.cmht.id, "Weekend group", "Saturdays too.")
    reported = [
        (POST, in_sleep[2]),
        (POST, bob_in_respite),
        (THREAD, breaks.id),
        (POST, eve_once),
        (IDEA, w.idea.id),
    ]
    for kind, target in reported:
        w.clock.advance(minutes=1)
        await s.moderation.report(w.cat.id, kind, target, ReportReason.UNKIND)

    queue = await s.moderation.review_queue(w.lee.id)
    assert [(q.target_kind, q.target_id, q.author_handle) for q in queue] == [
        (POST, in_sleep[2], "bob"),
        (POST, bob_in_respite, "bob"),
        (THREAD, breaks.id, "ann"),
        (POST, eve_once, "eve"),
    ]
    assert [q.author_recent for q in queue] == [
        # newest first, at most five, never the reported post itself
        ("Bob in Sleep 5", "Bob in Sleep 4", "Bob in Sleep 3", "Bob in Sleep 1", "Bob in Sleep 0"),
        (),  # bob's posts in Sleep are not his history in Respite
        ("Ann opens Breaks",),
        (),
    ]
    assert [q.context for q in queue] == [
        ("Thread: Night shifts", "Before it, bob: Bob in Sleep 1"),
        ("Thread: Breaks", "Before it, ann: Ann opens Breaks"),
        ("Thread: Breaks",),
        ("Thread: Night shifts", "Before it, bob: Bob in Sleep 5"),
    ]
    assert [(q.place, q.text) for q in queue[1:3]] == [
        ("Respite › Breaks", "Bob in Respite"),
        ("Respite › Breaks", "Breaks\n\nAnn opens Breaks"),
    ]

    (idea,) = await s.moderation.review_queue(w.sam.id)
    assert (idea.target_id, idea.place, idea.board_id) == (w.idea.id, w.cmht.name, w.cmht.id)
    assert idea.author_recent == ("Weekend group",)  # not the idea itself, nor the ward's
    everything = await s.moderation.review_queue(w.admin.id)
    assert [(q.target_kind, q.target_id) for q in everything] == reported


async def test_the_post_before_by_an_erased_member_names_a_former_member(w: World) -> None:
    await w.s.moderation.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND)
    await w.s.privacy.erase_member(None, "ann")

    (item,) = await w.s.moderation.review_queue(w.lee.id)
    assert item.context[-1].startswith("Before it, former member: ")
    assert item.author_handle == "bob"
    assert item.author_recent == ("Who else is up at 3am?",)


async def test_a_moved_threads_posts_are_their_authors_history_where_it_went(w: World) -> None:
    """Posts keep their thread's group (migration 0013): moving the thread moves them too."""
    s = w.s
    await s.groups.add_to_group("respite", "bob")
    w.clock.advance(minutes=5)
    await s.threads.reply(w.bob.id, w.thread.id, "Bob before the move")
    await s.moderation.move_thread(w.admin.id, w.thread.id, w.respite.id)
    w.clock.advance(minutes=5)
    breaks = await s.threads.start_thread(w.bob.id, w.respite.id, "Breaks", "Bob opens Breaks")
    await s.moderation.report(w.cat.id, THREAD, breaks.id, ReportReason.UNKIND)

    (item,) = await s.moderation.review_queue(w.lee.id)
    assert (item.target_id, item.place) == (breaks.id, "Respite › Breaks")
    # newest first: the thread's opening post, then what bob wrote in the thread that moved
    assert item.author_recent[:2] == ("Bob opens Breaks", "Bob before the move")
    w.clock.advance(minutes=5)
    await s.threads.reply(w.bob.id, w.thread.id, "Bob after the move")
    (item,) = await s.moderation.review_queue(w.lee.id)
    assert item.author_recent[:2] == ("Bob after the move", "Bob opens Breaks")
