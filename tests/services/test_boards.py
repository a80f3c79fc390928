"""Boards: setting them up, their staff, and what every member sees of them."""

from __future__ import annotations

import pytest

from forum_tui.domain.boards import IdeaStatus
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member
from tests.services.board_world import ROLES, World, make_world

S = IdeaStatus


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def test_add_board_checks_its_slug_name_and_window(services: Services) -> None:
    board = await services.boards.add_board(
        " CMHT-Carers ", "Community  mental health team", description="Sam reads this weekly."
    )
    assert (board.slug, board.name, board.description, board.response_window_days) == (
        "cmht-carers",
        "Community mental health team",
        "Sam reads this weekly.",
        28,
    )
    assert board.status_counts == tuple((status, 0) for status in S)
    for slug, name, window, words in (
        ("cmht carers", "A name", 28, "slug"),
        ("-cmht", "A name", 28, "slug"),
        ("ok", "No", 28, "3 to 120"),
        ("ok", "A name", 0, "1 to 365"),
        ("ok", "A name", 366, "1 to 365"),
        ("cmht-carers", "Again", 28, "already a board"),
    ):
        with pytest.raises(ValidationError, match=words):
            await services.boards.add_board(slug, name, response_window_days=window)
    assert (await services.boards.add_board("ok", "A name", response_window_days=365)).slug == "ok"


@pytest.mark.parametrize("role", [Role.CARER, Role.VOLUNTEER, Role.STAFF], ids=str)
async def test_only_an_admin_or_the_operator_sets_up_boards(services: Services, role: Role) -> None:
    actor = await add_member(services, "actor", role=role)
    admin = await services.accounts.add_member("boss", role=Role.ADMIN)
    await add_member(services, "sam", role=Role.STAFF)
    with pytest.raises(PermissionDenied, match="Only an admin"):
        await services.boards.add_board("cmht", "CMHT", actor_id=actor.id)
    await services.boards.add_board("cmht", "CMHT", actor_id=admin.id)
    with pytest.raises(PermissionDenied, match="Only an admin"):
        await services.boards.add_staff("cmht", "sam", actor_id=actor.id)
    board = await services.boards.add_staff("cmht", "sam", actor_id=admin.id)
    sam = await services.accounts.find_member("sam")
    assert (await services.boards.get_board(sam.id, board.id)).i_am_staff


@pytest.mark.parametrize("role", [Role.CARER, Role.VOLUNTEER], ids=str)
async def test_board_staff_must_hold_a_staff_role(services: Services, role: Role) -> None:
    await add_member(services, "someone", role=role)
    await services.boards.add_board("cmht", "CMHT")
    with pytest.raises(ValidationError, match=f"role {role}"):
        await services.boards.add_staff("cmht", "someone")
    with pytest.raises(NotFound, match="nobody"):
        await services.boards.add_staff("cmht", "nobody")
    with pytest.raises(NotFound, match="no board"):
        await services.boards.add_staff("nope", "someone")


async def test_adding_the_same_staff_member_twice_changes_nothing(w: World) -> None:
    await w.s.boards.add_staff("cmht", "sam")
    await w.s.boards.add_staff("cmht", "boss")  # an admin may be named staff too
    assert [b.slug for b in await w.s.boards.list_boards(w.sam.id) if b.i_am_staff] == ["cmht"]


@pytest.mark.parametrize("role", ROLES)
async def test_every_member_sees_every_board_with_its_counts(w: World, role: str) -> None:
    first = await w.idea(w.bev, "First idea")
    await w.idea(w.bev, "Second idea")
    await w.move(first, S.PLANNED)
    await w.s.ideas.add_idea(w.bev.id, w.ward.id, "Ward idea", "Body")

    viewer = w.by_role(role)
    boards = await w.s.boards.list_boards(viewer.id)
    assert [b.name for b in boards] == ["Community mental health team", "Oakfield ward"]
    cmht, ward = boards
    assert cmht.idea_count == 2 and ward.idea_count == 1
    assert dict(cmht.status_counts) == {
        S.NEW: 1,
        S.UNDER_REVIEW: 0,
        S.PLANNED: 1,
        S.IN_PROGRESS: 0,
        S.DONE: 0,
        S.NOT_TAKEN_FORWARD: 0,
        S.DUPLICATE: 0,
    }
    assert [s for s, _ in cmht.status_counts] == list(S)  # lifecycle order
    assert cmht.i_am_staff == (role in {"staff of this board", "admin"})
    assert ward.i_am_staff == (role in {"staff of another board", "admin"})
    assert await w.s.boards.get_board(viewer.id, cmht.id) == cmht
    with pytest.raises(NotFound):
        await w.s.boards.get_board(viewer.id, 999)


async def test_find_board_by_slug(w: World) -> None:
    assert (await w.s.boards.find_board(" CMHT ")).id == w.cmht.id
    with pytest.raises(NotFound, match="'nope'"):
        await w.s.boards.find_board("nope")


async def test_an_idea_draft_is_labelled_with_its_board_and_dropped_without_one(w: World) -> None:
    await w.s.drafts.save_draft(w.ann.id, f"idea:{w.ward.id}", "Half an idea", "Visiting")
    await w.s.drafts.save_draft(w.ann.id, "idea:999", "Board gone", "Lost")
    drafts = await w.s.drafts.list_drafts(w.ann.id)
    assert [(d.place, d.label, d.title) for d in drafts] == [
        (f"idea:{w.ward.id}", "New idea on Oakfield ward", "Visiting")
    ]
    assert (await w.s.drafts.get_draft(w.ann.id, "idea:999")).body == "Board gone"
    with pytest.raises(ValueError):
        await w.s.drafts.save_draft(w.ann.id, "idea:x", "Nope")
