"""What is new: the first unread post of a thread, and "mark all read" for a group."""

from __future__ import annotations

import pytest

from forum_tui.domain.errors import NotFound
from forum_tui.services import Services
from tests.conftest import FakeClock
from tests.services.moderation_world import World, make_world


@pytest.fixture
async def world(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def test_the_first_unread_post_is_the_one_after_those_seen(world: World) -> None:
    s = world.s
    thread = world.thread.id
    # cat never opened the thread: its first post is the first unread one.
    first = (await s.threads.open_thread(world.bob.id, thread)).posts.items[0].id
    assert await s.unread.first_unread(world.cat.id, thread) == first
    await s.threads.open_thread(world.cat.id, thread)
    assert await s.unread.first_unread(world.cat.id, thread) is None
    reply = await s.threads.reply(world.ann.id, thread, "Two new posts")
    await s.threads.reply(world.bob.id, thread, "after cat read it")
    assert await s.unread.first_unread(world.cat.id, thread) == reply.id
    # Your own reply counts as read.
    assert await s.unread.first_unread(world.bob.id, thread) is None


async def test_a_private_thread_has_no_unread_for_outsiders(world: World) -> None:
    with pytest.raises(NotFound):
        await world.s.unread.first_unread(world.lou.id, world.thread.id)


async def test_mark_all_read_in_a_group(world: World) -> None:
    s = world.s
    other = await s.threads.start_thread(world.ann.id, world.sleep.id, "Second", "Hello")
    mine = {g.id: g for g in (await s.groups.list_groups(world.cat.id))[0]}
    assert mine[world.sleep.id].unread > 0
    assert await s.unread.mark_group_read(world.cat.id, world.sleep.id) == 2
    mine = {g.id: g for g in (await s.groups.list_groups(world.cat.id))[0]}
    assert mine[world.sleep.id].unread == 0
    assert await s.unread.first_unread(world.cat.id, other.id) is None
    assert await s.unread.mark_group_read(world.cat.id, world.sleep.id) == 0
    with pytest.raises(NotFound):
        await s.unread.mark_group_read(world.lou.id, world.sleep.id)
