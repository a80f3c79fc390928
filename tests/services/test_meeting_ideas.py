"""Ideas raised at a group meeting: the board's staff or the group's leader enters them,
crediting the members who raised them, and the credit counts like any other."""

from __future__ import annotations

from datetime import date

import pytest

from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member
from tests.services.board_world import ROLES, World, make_world


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    world = await make_world(services, clock)
    await services.groups.add_group("corner", "Carers' Corner")
    await services.groups.add_group("owls", "Night owls")
    for handle in ("ann", "bev"):
        await services.groups.add_to_group("corner", handle)
    await add_member(services, "lee")
    await add_member(services, "lou")
    await services.groups.set_leader("corner", "lee")
    await services.groups.set_leader("owls", "lou")
    return world


async def corner(w: World) -> int:
    mine, others = await w.s.groups.list_groups(w.ann.id)
    return next(g.id for g in mine + others if g.name == "Carers' Corner")


async def add(w: World, actor_id: int, credited: list[str] | None = None):  # noqa: ANN201
    return await w.s.meeting_ideas.add_meeting_idea(
        actor_id,
        w.cmht.id,
        await corner(w),
        "12 March",
        "Evening appointments for working carers",
        "Several of us cannot get to daytime reviews.",
        credited if credited is not None else ["ann", "@bev"],
    )


async def test_staff_enter_a_meetings_idea_and_the_members_are_credited(w: World) -> None:
    idea = await add(w, w.sam.id)
    assert idea.body.startswith("Raised at the 12 March meeting of Carers' Corner, by ann and bev.")
    assert idea.support_count == 2
    for member in (w.ann, w.bev):
        mine = await w.s.contributions.my_contributions(member.id)
        assert [i.id for i in mine.supported_ideas] == [idea.id]
    await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening clinic", "Tuesdays until 8pm.", date(2026, 10, 1), [idea.id]
    )
    for member in (w.ann, w.bev):
        mine = await w.s.contributions.my_contributions(member.id)
        assert [o.title for o in mine.outcomes] == ["Evening clinic"]
        assert mine.led_to_change == 1
    assert (await w.s.contributions.my_contributions(w.cal.id)).supported_ideas == ()


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_enter_a_meetings_idea(w: World, role: str) -> None:
    actor = w.by_role(role)
    if role in ("staff of this board", "admin"):
        assert (await add(w, actor.id)).support_count == 2
    else:
        with pytest.raises(PermissionDenied, match="staff, or a leader of the group"):
            await add(w, actor.id)


async def test_the_groups_leader_may_and_another_groups_leader_may_not(w: World) -> None:
    lee = await w.s.accounts.find_member("lee")
    lou = await w.s.accounts.find_member("lou")
    assert (await add(w, lee.id)).author_handle == "lee"
    with pytest.raises(PermissionDenied):
        await add(w, lou.id)


async def test_only_members_of_the_group_are_credited(w: World) -> None:
    with pytest.raises(ValidationError, match="cal is not in Carers' Corner"):
        await add(w, w.sam.id, ["ann", "cal"])
    with pytest.raises(ValidationError, match="Name 1 to"):
        await add(w, w.sam.id, [" "])
    mine = await w.s.contributions.my_contributions(w.ann.id)
    assert mine.supported_ideas == ()
