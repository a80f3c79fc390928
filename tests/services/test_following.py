"""Replies and mentions that notify, following threads and ideas, and per-kind choices.

The world (tests/services/moderation_world.py): Sleep is private (ann, bob, cat, dan, eve; led by
lee). bob started "Night shifts", ann replied, bob replied again.
"""

from __future__ import annotations

import pytest

from forum_tui.domain.boards import IdeaStatus, NotificationKind
from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.search import mentioned_handles
from forum_tui.services import Services
from tests.conftest import FakeClock
from tests.services.moderation_world import World, make_world


@pytest.fixture
async def world(services: Services, clock: FakeClock) -> World:
    w = await make_world(services, clock)
    for member in (w.ann, w.bob, w.cat, w.dan, w.eve, w.lee, w.lou, w.sam, w.admin):
        await services.notifications.mark_read(member.id)  # what setting up the world said
    return w


async def news(s: Services, member_id: int) -> list[tuple[str, str]]:
    return [
        (n.kind.value, n.text)
        for n in await s.notifications.list_notifications(member_id, unread_only=True)
        if n.kind in (NotificationKind.REPLY, NotificationKind.MENTION, NotificationKind.FOLLOWED)
    ]


async def test_a_reply_tells_the_starter_and_the_repliers_not_the_author(world: World) -> None:
    s = world.s
    post = await s.threads.reply(world.cat.id, world.thread.id, "Same here.")
    told = "New reply in “Night shifts” in Sleep."
    assert await news(s, world.bob.id) == [("reply", told)]
    assert await news(s, world.ann.id) == [("reply", told)]
    assert await news(s, world.cat.id) == []
    assert await news(s, world.dan.id) == []  # in the group, never posted: not told
    [notice] = await s.notifications.list_notifications(world.ann.id, unread_only=True)
    assert (notice.thread_id, notice.post_id) == (world.thread.id, post.id)
    assert await s.notifications.unread_count(world.ann.id) == 1


async def test_a_mention_tells_that_member_once(world: World) -> None:
    s = world.s
    await s.threads.reply(world.cat.id, world.thread.id, "@ann, I am here. And @dan. @nobody")
    assert await news(s, world.ann.id) == [
        ("mention", "You were mentioned in “Night shifts” in Sleep.")
    ]
    assert await news(s, world.dan.id) == [
        ("mention", "You were mentioned in “Night shifts” in Sleep.")
    ]
    assert [kind for kind, _ in await news(s, world.bob.id)] == ["reply"]


async def test_a_mention_in_a_new_thread_notifies(world: World) -> None:
    s = world.s
    await s.threads.start_thread(world.ann.id, world.sleep.id, "Hello", "Welcome @eve!")
    assert await news(s, world.eve.id) == [("mention", "You were mentioned in “Hello” in Sleep.")]


async def test_a_mention_never_leaks_a_private_group(world: World) -> None:
    s = world.s
    # lou and sam are not in the private group Sleep: nothing tells them it exists.
    await s.threads.reply(world.ann.id, world.thread.id, "Ask @lou or @sam, or @boss.")
    assert await news(s, world.lou.id) == []
    assert await news(s, world.sam.id) == []
    assert [kind for kind, _ in await news(s, world.admin.id)] == ["mention"]  # admins read all


async def test_who_left_the_group_hears_nothing_more(world: World) -> None:
    s = world.s
    await s.groups.leave_group(world.ann.id, world.sleep.id)
    await s.threads.reply(world.cat.id, world.thread.id, "Still up. @ann?")
    assert await news(s, world.ann.id) == []


async def test_following_and_unfollowing_a_thread(world: World) -> None:
    s = world.s
    assert not await s.following.follows_thread(world.dan.id, world.thread.id)
    assert await s.following.follows_thread(world.ann.id, world.thread.id)
    await s.following.follow_thread(world.dan.id, world.thread.id, True)
    await s.following.follow_thread(world.ann.id, world.thread.id, False)
    assert await s.following.follows_thread(world.dan.id, world.thread.id)
    assert not await s.following.follows_thread(world.ann.id, world.thread.id)
    await s.threads.reply(world.cat.id, world.thread.id, "Same here.")
    assert await news(s, world.dan.id) == [
        ("followed", "New reply in “Night shifts” in Sleep, which you follow.")
    ]
    assert await news(s, world.ann.id) == []


async def test_a_private_thread_cannot_be_followed_from_outside(world: World) -> None:
    with pytest.raises(NotFound):
        await world.s.following.follow_thread(world.lou.id, world.thread.id, True)


async def test_following_an_idea_tells_of_its_status(world: World) -> None:
    s = world.s
    await s.following.follow_idea(world.dan.id, world.idea.id, True)
    assert await s.following.follows_idea(world.dan.id, world.idea.id)
    await s.ideas.change_status(world.sam.id, world.idea.id, IdeaStatus.PLANNED, "From March.")
    [(kind, text)] = await news(s, world.dan.id)
    assert kind == "followed" and "Evening group" in text
    await s.following.follow_idea(world.dan.id, world.idea.id, False)
    await s.ideas.change_status(world.sam.id, world.idea.id, IdeaStatus.IN_PROGRESS, "Started.")
    assert len(await news(s, world.dan.id)) == 1


async def test_a_kind_turned_off_is_neither_written_nor_shown(world: World) -> None:
    s = world.s
    choices = await s.following.notification_choices(world.ann.id)
    assert choices[NotificationKind.REPLY] == "app"
    await s.following.set_notification_choice(world.ann.id, NotificationKind.REPLY, "off")
    await s.following.set_notification_choice(world.bob.id, NotificationKind.IDEA_STATUS, "off")
    assert (await s.following.notification_choices(world.ann.id))[NotificationKind.REPLY] == "off"
    await s.threads.reply(world.cat.id, world.thread.id, "Same here.")
    assert await news(s, world.ann.id) == []
    await s.ideas.change_status(world.sam.id, world.idea.id, IdeaStatus.PLANNED, "From March.")
    kinds = {n.kind for n in await s.notifications.list_notifications(world.bob.id)}
    assert NotificationKind.REPLY in kinds
    assert NotificationKind.IDEA_STATUS not in kinds
    await s.following.set_notification_choice(world.ann.id, NotificationKind.REPLY, "app")
    await s.threads.reply(world.cat.id, world.thread.id, "Again.")
    assert [kind for kind, _ in await news(s, world.ann.id)] == ["reply"]


async def test_leaders_notices_cannot_be_turned_off(world: World) -> None:
    with pytest.raises(ValidationError):
        await world.s.following.set_notification_choice(
            world.lee.id, NotificationKind.CRISIS_SIGNPOST, "off"
        )
    with pytest.raises(ValidationError):
        await world.s.following.set_notification_choice(world.lee.id, NotificationKind.REPLY, "sms")


def test_mentions_are_read_like_handles() -> None:
    assert mentioned_handles("Thanks @bev_leeds. And @Ann, @ann!") == ["bev_leeds", "Ann"]
    assert mentioned_handles("mail me at ann@example.org") == []
    assert mentioned_handles("@x is too short") == []
