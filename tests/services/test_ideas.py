"""Ideas: adding, supporting, the status lifecycle, awaiting response, paging and search."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum_tui.domain.boards import IdeaSort, IdeaStatus, NotificationKind
from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.services import Services
from forum_tui.store.board_tables import IdeaUpdateRow
from forum_tui.store.tables import MemberRow
from tests.conftest import FakeClock, add_member
from tests.services.board_world import MAY_RESPOND, ROLES, World, make_world

S = IdeaStatus
OPEN = (S.NEW, S.UNDER_REVIEW, S.PLANNED, S.IN_PROGRESS)
CLOSED = (S.DONE, S.NOT_TAKEN_FORWARD, S.DUPLICATE)
# How to bring a new idea to each status (board A's staff, one step at a time).
PATH_TO = {
    S.NEW: (),
    S.UNDER_REVIEW: (S.UNDER_REVIEW,),
    S.PLANNED: (S.UNDER_REVIEW, S.PLANNED),
    S.IN_PROGRESS: (S.PLANNED, S.IN_PROGRESS),
    S.DONE: (S.IN_PROGRESS, S.DONE),
    S.NOT_TAKEN_FORWARD: (S.NOT_TAKEN_FORWARD,),
    S.DUPLICATE: (S.DUPLICATE,),
}


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def updates_of(services: Services, idea_id: int) -> int:
    async with services.db.read() as session:
        return await session.scalar(
            select(func.count()).select_from(IdeaUpdateRow).where(IdeaUpdateRow.idea_id == idea_id)
        )


# --- adding ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CARER, Role.VOLUNTEER, Role.STAFF, Role.ADMIN], ids=str)
async def test_any_active_member_may_add_an_idea(w: World, role: Role) -> None:
    member = await add_member(w.s, "someone", role=role)
    idea = await w.s.ideas.add_idea(
        member.id, w.ward.id, "  Visiting   hours after 6pm ", "Shift workers\x1b[2J cannot visit."
    )
    assert (idea.title, idea.body) == ("Visiting hours after 6pm", "Shift workers cannot visit.")
    assert (idea.status, idea.author_handle, idea.mine, idea.board_name) == (
        S.NEW,
        "someone",
        True,
        "Oakfield ward",
    )
    assert idea.support_count == 0 and idea.created_at == idea.updated_at == w.clock()
    page = await w.s.ideas.list_ideas(w.bev.id, w.ward.id)
    assert [i.title for i in page.items] == ["Visiting hours after 6pm"]
    assert not page.items[0].mine


async def test_adding_an_idea_is_refused_when_suspended_or_malformed(w: World) -> None:
    with pytest.raises(ValidationError, match="3 to 120"):
        await w.s.ideas.add_idea(w.ann.id, w.cmht.id, "Hi", "Body")
    with pytest.raises(ValidationError, match="3 to 120"):
        await w.s.ideas.add_idea(w.ann.id, w.cmht.id, "x" * 121, "Body")
    with pytest.raises(ValidationError, match="empty"):
        await w.s.ideas.add_idea(w.ann.id, w.cmht.id, "A fine title", " \u200b\n ")
    with pytest.raises(NotFound, match="no such board"):
        await w.s.ideas.add_idea(w.ann.id, 999, "A fine title", "Body")
    async with w.s.db.write() as session:
        await session.execute(
            update(MemberRow).where(MemberRow.id == w.bev.id).values(state=MemberState.SUSPENDED)
        )
    with pytest.raises(PermissionDenied, match="suspended"):
        await w.s.ideas.add_idea(w.bev.id, w.cmht.id, "A fine title", "Body")
    assert (await w.s.ideas.list_ideas(w.ann.id, w.cmht.id)).items == ()


async def test_adding_an_idea_discards_its_draft_and_a_retry_adds_it_once(w: World) -> None:
    place = f"idea:{w.cmht.id}"
    await w.s.drafts.save_draft(w.ann.id, place, "Meetings after", "Evening group")
    await w.s.drafts.save_draft(w.ann.id, f"idea:{w.ward.id}", "Other board", "Keep me")
    first = await w.s.ideas.add_idea(
        w.ann.id, w.cmht.id, "Evening group", "Meetings after work", idempotency_key="k1"
    )
    again = await w.s.ideas.add_idea(
        w.ann.id, w.cmht.id, "Evening group", "Meetings after work", idempotency_key="k1"
    )
    assert again.id == first.id
    assert len((await w.s.ideas.list_ideas(w.ann.id, w.cmht.id)).items) == 1
    assert await w.s.drafts.get_draft(w.ann.id, place) is None
    assert [d.label for d in await w.s.drafts.list_drafts(w.ann.id)] == [
        "New idea on Oakfield ward"
    ]


# --- support --------------------------------------------------------------------------------------


async def test_support_counts_each_member_once_and_never_the_author(w: World) -> None:
    idea = await w.idea(w.ann)
    assert (await w.s.ideas.support_idea(w.ann.id, idea.id)).support_count == 0  # own idea
    supported = await w.s.ideas.support_idea(w.bev.id, idea.id, "Same for us \x07since May")
    assert (supported.support_count, supported.supported_by_me) == (1, True)
    assert (await w.s.ideas.support_idea(w.bev.id, idea.id, "again")).support_count == 1
    assert (await w.s.ideas.support_idea(w.cal.id, idea.id)).support_count == 2

    view = await w.s.ideas.open_idea(w.ann.id, idea.id)
    assert [(s.member_handle, s.comment) for s in view.supports] == [
        ("bev", "Same for us since May"),
        ("cal", ""),
    ]
    assert not view.can_support  # her own idea
    assert not (await w.s.ideas.open_idea(w.bev.id, idea.id)).can_support  # already supports
    assert (await w.s.ideas.open_idea(w.dev.id, idea.id)).can_support

    withdrawn = await w.s.ideas.withdraw_support(w.bev.id, idea.id)
    assert (withdrawn.support_count, withdrawn.supported_by_me) == (1, False)
    assert (await w.s.ideas.withdraw_support(w.bev.id, idea.id)).support_count == 1
    assert (await w.s.ideas.withdraw_support(w.ann.id, idea.id)).support_count == 1


async def test_a_support_comment_is_at_most_500_characters(w: World) -> None:
    idea = await w.idea()
    with pytest.raises(ValidationError, match="500"):
        await w.s.ideas.support_idea(w.bev.id, idea.id, "x" * 501)
    assert (await w.s.ideas.support_idea(w.bev.id, idea.id, "x" * 500)).support_count == 1


async def test_supports_arriving_together_are_all_counted(w: World) -> None:
    idea = await w.idea()
    people = [await add_member(w.s, f"carer-{n}") for n in range(8)]
    await asyncio.gather(*(w.s.ideas.support_idea(p.id, idea.id) for p in people))
    await asyncio.gather(*(w.s.ideas.support_idea(p.id, idea.id) for p in people[:3]))
    await asyncio.gather(*(w.s.ideas.withdraw_support(p.id, idea.id) for p in people[:2]))
    view = await w.s.ideas.open_idea(w.ann.id, idea.id)
    assert view.idea.support_count == len(view.supports) == 6


@pytest.mark.parametrize("closed", CLOSED, ids=str)
async def test_closed_ideas_refuse_new_support(w: World, closed: S) -> None:
    other = await w.idea(w.cal, "Another idea")
    idea = await w.idea()
    await w.s.ideas.support_idea(w.bev.id, idea.id)
    idea = await w.move(idea, *PATH_TO[closed], duplicate_of=other.id)
    with pytest.raises(PermissionDenied, match=f"closed \\({closed.label}\\)"):
        await w.s.ideas.support_idea(w.dev.id, idea.id)
    assert (await w.s.ideas.support_idea(w.bev.id, idea.id)).supported_by_me  # already did
    assert not (await w.s.ideas.open_idea(w.dev.id, idea.id)).can_support
    assert (await w.s.ideas.open_idea(w.dev.id, idea.id)).idea.support_count == 1


# --- the lifecycle --------------------------------------------------------------------------------


async def test_every_transition_is_allowed_or_refused_as_documented(w: World) -> None:
    """From each status to each status: open ideas go anywhere but back to New (the same
    status is a note); closed ideas go nowhere."""
    target = await w.idea(w.cal, "The idea duplicates point at")
    for source in S:
        for goal in S:
            idea = await w.move(await w.idea(), *PATH_TO[source], duplicate_of=target.id)
            assert idea.status is source
            before = await updates_of(w.s, idea.id)
            w.clock.advance(hours=1)
            attempt = w.s.ideas.change_status(
                w.sam.id,
                idea.id,
                goal,
                "Because we can",
                duplicate_of=target.id if goal is S.DUPLICATE else None,
            )
            allowed = source in OPEN and goal is not S.NEW
            if allowed:
                changed = await attempt
                assert (changed.status, changed.updated_at) == (goal, w.clock())
                assert changed.latest_note == "Because we can"
                view = await w.s.ideas.open_idea(w.ann.id, idea.id)
                last = view.updates[-1]
                assert (last.old_status, last.new_status, last.staff_handle) == (
                    source,
                    goal,
                    "sam",
                )
            else:
                with pytest.raises(ValidationError, match="closed|back to New"):
                    await attempt
                assert (await w.s.ideas.open_idea(w.ann.id, idea.id)).idea.status is source
            assert await updates_of(w.s, idea.id) == before + allowed, (source, goal)


async def test_staff_see_where_an_idea_may_go(w: World) -> None:
    idea = await w.idea()
    view = await w.s.ideas.open_idea(w.sam.id, idea.id)
    assert view.can_change_status
    assert view.allowed_statuses == (
        S.UNDER_REVIEW,
        S.PLANNED,
        S.IN_PROGRESS,
        S.DONE,
        S.NOT_TAKEN_FORWARD,
        S.DUPLICATE,
    )
    for member in (w.ann, w.nina, w.dev):
        view = await w.s.ideas.open_idea(member.id, idea.id)
        assert (view.can_change_status, view.allowed_statuses) == (False, ())
    await w.move(idea, S.DONE)
    view = await w.s.ideas.open_idea(w.sam.id, idea.id)
    assert (view.can_change_status, view.allowed_statuses) == (False, ())


async def test_a_note_is_required_and_not_taken_forward_needs_a_reason(w: World) -> None:
    idea = await w.idea()
    with pytest.raises(ValidationError, match="a reason is needed"):
        await w.s.ideas.change_status(w.sam.id, idea.id, S.NOT_TAKEN_FORWARD, "  \x1b[0m \n")
    with pytest.raises(ValidationError, match="public note"):
        await w.s.ideas.change_status(w.sam.id, idea.id, S.PLANNED, "")
    with pytest.raises(ValidationError, match="2,000"):
        await w.s.ideas.change_status(w.sam.id, idea.id, S.PLANNED, "x" * 2001)
    assert await updates_of(w.s, idea.id) == 0
    reason = "The trust has no budget for this; we have asked the council instead."
    closed = await w.s.ideas.change_status(w.sam.id, idea.id, S.NOT_TAKEN_FORWARD, reason)
    assert (closed.status, closed.latest_note) == (S.NOT_TAKEN_FORWARD, reason)
    other = await w.idea(title="Long note")
    assert (await w.s.ideas.change_status(w.sam.id, other.id, S.PLANNED, "y" * 2000)).latest_note


@pytest.mark.parametrize("role", ROLES)
async def test_only_the_boards_staff_or_an_admin_change_a_status(w: World, role: str) -> None:
    idea = await w.idea(w.bev)
    actor = w.by_role(role)
    attempt = w.s.ideas.change_status(actor.id, idea.id, S.UNDER_REVIEW, "We are looking at it")
    if role in MAY_RESPOND:
        assert (await attempt).status is S.UNDER_REVIEW
    else:
        with pytest.raises(PermissionDenied, match="Only the staff of Community mental health"):
            await attempt
        assert (await w.s.ideas.open_idea(w.bev.id, idea.id)).idea.status is S.NEW


async def test_staff_who_are_no_longer_staff_cannot_respond(w: World) -> None:
    idea = await w.idea()
    async with w.s.db.write() as session:
        await session.execute(
            update(MemberRow).where(MemberRow.id == w.sam.id).values(role="carer")
        )
    with pytest.raises(PermissionDenied):
        await w.s.ideas.change_status(w.sam.id, idea.id, S.PLANNED, "Planned")
    assert not (await w.s.boards.get_board(w.sam.id, w.cmht.id)).i_am_staff


async def test_a_duplicate_points_at_another_non_duplicate_idea_on_the_same_board(w: World) -> None:
    idea = await w.idea()
    elsewhere = await w.s.ideas.add_idea(w.bev.id, w.ward.id, "Ward idea", "On board B")
    chained = await w.move(
        await w.idea(title="Already a duplicate"), S.DUPLICATE, duplicate_of=idea.id
    )
    for duplicate_of, words in (
        (None, "which idea"),
        (idea.id, "itself"),
        (elsewhere.id, "same board"),
        (12345, "same board"),
        (chained.id, "itself a duplicate"),
    ):
        with pytest.raises(ValidationError, match=words):
            await w.s.ideas.change_status(
                w.sam.id,
                idea.id,
                S.DUPLICATE,
                "Same as another",
                duplicate_of=duplicate_of,
            )
    with pytest.raises(ValidationError, match="Only an idea that repeats another"):
        await w.s.ideas.change_status(w.sam.id, chained.id, S.PLANNED, "x", duplicate_of=idea.id)
    assert (await w.s.ideas.open_idea(w.ann.id, idea.id)).idea.status is S.NEW


async def test_a_duplicate_carries_its_author_and_supporters_without_double_counting(
    w: World,
) -> None:
    kept = await w.idea(w.ann, "Evening carers' group")
    dupe = await w.idea(w.bev, "Carers' meeting after work")
    await w.s.ideas.support_idea(w.cal.id, kept.id)  # already supports both
    for member in (w.cal, w.dev, w.ann):  # ann wrote the kept idea: never its own supporter
        await w.s.ideas.support_idea(member.id, dupe.id, f"{member.handle} too")
    assert (await w.s.ideas.open_idea(w.ann.id, kept.id)).idea.support_count == 1

    marked = await w.s.ideas.change_status(
        w.sam.id, dupe.id, S.DUPLICATE, "The same as the evening group idea", duplicate_of=kept.id
    )
    assert (marked.status, marked.duplicate_of) == (S.DUPLICATE, kept.id)
    view = await w.s.ideas.open_idea(w.ann.id, kept.id)
    # cal (already there) + bev (the duplicate's author) + dev; not ann, the kept idea's author.
    assert view.idea.support_count == 3 == len(view.supports)
    carried = {s.member_handle: (s.comment, s.carried_from) for s in view.supports}
    assert carried == {"cal": ("", None), "bev": ("", dupe.id), "dev": ("dev too", dupe.id)}
    bev_view = await w.s.ideas.open_idea(w.bev.id, kept.id)
    assert bev_view.idea.supported_by_me and not bev_view.can_support


# --- notifications --------------------------------------------------------------------------------


async def test_a_status_change_notifies_the_author_and_every_supporter(w: World) -> None:
    idea = await w.idea(w.ann, "Evening carers' group")
    await w.s.ideas.support_idea(w.bev.id, idea.id)
    await w.s.ideas.support_idea(w.sam.id, idea.id)  # staff member acting: not told
    await w.s.ideas.change_status(w.sam.id, idea.id, S.PLANNED, "Starting in March")

    [to_ann] = await w.s.notifications.list_notifications(w.ann.id)
    assert to_ann.kind is NotificationKind.IDEA_STATUS and to_ann.idea_id == idea.id
    assert to_ann.text == "Your idea “Evening carers' group” is now Planned."
    [to_bev] = await w.s.notifications.list_notifications(w.bev.id)
    assert to_bev.text == "“Evening carers' group”, an idea you support, is now Planned."
    assert await w.s.notifications.list_notifications(w.sam.id) == []
    assert await w.s.notifications.list_notifications(w.cal.id) == []

    await w.s.ideas.change_status(w.admin.id, idea.id, S.PLANNED, "Date fixed: 4 March")
    assert await w.s.notifications.unread_count(w.ann.id) == 2
    latest, first = await w.s.notifications.list_notifications(w.ann.id)
    assert "new staff note (still Planned)" in latest.text
    await w.s.notifications.mark_read(w.ann.id, [first.id, to_bev.id])  # bev's id is ignored
    assert await w.s.notifications.unread_count(w.ann.id) == 1
    assert await w.s.notifications.unread_count(w.bev.id) == 2
    unread = await w.s.notifications.list_notifications(w.ann.id, unread_only=True)
    assert [n.id for n in unread] == [latest.id]
    await w.s.notifications.mark_read(w.ann.id)
    assert await w.s.notifications.unread_count(w.ann.id) == 0
    assert all(n.read for n in await w.s.notifications.list_notifications(w.ann.id))


# --- awaiting response ----------------------------------------------------------------------------


async def test_awaiting_response_starts_exactly_at_the_window(w: World) -> None:
    idea = await w.idea()
    created = w.clock()

    async def check(awaiting_days: int | None) -> None:
        seen = (await w.s.ideas.open_idea(w.ann.id, idea.id)).idea
        assert seen.awaiting_days == awaiting_days
        desk = await w.s.ideas.awaiting_response(w.sam.id)
        assert [i.id for i in desk] == ([idea.id] if awaiting_days is not None else [])
        page = await w.s.ideas.list_ideas(w.ann.id, w.cmht.id, sort=IdeaSort.AWAITING_RESPONSE)
        assert [i.awaiting_days for i in page.items] == (
            [awaiting_days] if awaiting_days is not None else []
        )

    w.clock.current = created + timedelta(days=28) - timedelta(seconds=1)
    await check(None)
    w.clock.current = created + timedelta(days=28)
    await check(28)
    w.clock.current = created + timedelta(days=30, hours=23, minutes=59)
    await check(30)

    # A staff update restarts the clock, a note that keeps the status included.
    responded = w.clock()
    await w.s.ideas.change_status(w.sam.id, idea.id, S.UNDER_REVIEW, "Looking into it")
    await check(None)
    w.clock.current = responded + timedelta(days=28) - timedelta(seconds=1)
    await check(None)
    w.clock.current = responded + timedelta(days=28)
    await check(28)
    await w.s.ideas.change_status(w.sam.id, idea.id, S.UNDER_REVIEW, "Still looking: sorry")
    await check(None)

    # Closed ideas never wait.
    await w.s.ideas.change_status(w.sam.id, idea.id, S.DONE, "Done")
    w.clock.advance(days=400)
    await check(None)


async def test_a_boards_own_window_sets_when_ideas_await(w: World) -> None:
    quick = await w.s.boards.add_board("quick", "Quick board", response_window_days=7)
    idea = await w.s.ideas.add_idea(w.ann.id, quick.id, "A quick one", "Body")
    slow = await w.idea()
    w.clock.advance(days=7)
    assert (await w.s.ideas.open_idea(w.ann.id, idea.id)).idea.awaiting_days == 7
    assert (await w.s.ideas.open_idea(w.ann.id, slow.id)).idea.awaiting_days is None
    assert [i.id for i in await w.s.ideas.awaiting_response(w.admin.id)] == [idea.id]


async def test_the_staff_desk_lists_only_my_boards_oldest_wait_first(w: World) -> None:
    oldest = await w.idea(title="Oldest")
    w.clock.advance(days=2)
    ward_idea = await w.s.ideas.add_idea(w.bev.id, w.ward.id, "Ward visiting", "Body")
    w.clock.advance(days=1)
    newer = await w.idea(title="Newer")
    answered = await w.idea(title="Answered")
    w.clock.advance(days=40)
    await w.s.ideas.change_status(w.sam.id, answered.id, S.PLANNED, "Planned for spring")
    fresh = await w.idea(title="Fresh")

    sam_desk = await w.s.ideas.awaiting_response(w.sam.id)
    assert [(i.id, i.awaiting_days) for i in sam_desk] == [(oldest.id, 43), (newer.id, 40)]
    nina_desk = await w.s.ideas.awaiting_response(w.nina.id)
    assert [(i.id, i.awaiting_days) for i in nina_desk] == [(ward_idea.id, 41)]
    admin_desk = await w.s.ideas.awaiting_response(w.admin.id)
    assert [i.id for i in admin_desk] == [oldest.id, ward_idea.id, newer.id]
    assert fresh.id not in {i.id for i in admin_desk}
    for member in (w.ann, w.dev):
        assert await w.s.ideas.awaiting_response(member.id) == []


# --- lists and paging -----------------------------------------------------------------------------


async def test_keyset_pages_cover_every_idea_once_for_every_sort(w: World) -> None:
    supporters = [await add_member(w.s, f"fan-{n}") for n in range(4)]
    ideas = []
    for n in range(23):
        if n % 5:  # some ideas share a creation time, so ties are broken by id
            w.clock.advance(days=3)
        idea = await w.idea(title=f"Idea number {n}")
        for fan in supporters[: n % 4]:  # support counts 0-3, many ties
            await w.s.ideas.support_idea(fan.id, idea.id)
        ideas.append(idea)
    for idea in ideas[::3]:
        await w.s.ideas.change_status(w.sam.id, idea.id, S.UNDER_REVIEW, "Looking")
    await w.s.ideas.change_status(w.sam.id, ideas[4].id, S.DONE, "Done")
    w.clock.advance(days=20)
    await w.s.ideas.add_idea(w.ann.id, w.ward.id, "On the other board", "Not listed here")

    fresh = {i.id: (await w.s.ideas.open_idea(w.ann.id, i.id)).idea for i in ideas}
    expected = {
        IdeaSort.MOST_SUPPORTED: sorted(fresh.values(), key=lambda i: (-i.support_count, -i.id)),
        IdeaSort.NEWEST: sorted(fresh.values(), key=lambda i: (i.created_at, i.id), reverse=True),
        IdeaSort.RECENTLY_UPDATED: sorted(
            fresh.values(), key=lambda i: (i.updated_at, i.id), reverse=True
        ),
        IdeaSort.AWAITING_RESPONSE: sorted(
            (i for i in fresh.values() if i.awaiting_days is not None),
            key=lambda i: (i.updated_at, i.id),
        ),
    }
    assert 0 < len(expected[IdeaSort.AWAITING_RESPONSE]) < len(ideas)
    for sort, want in expected.items():
        seen, after, pages = [], None, 0
        while True:
            page = await w.s.ideas.list_ideas(w.bev.id, w.cmht.id, sort=sort, after=after, limit=4)
            seen += page.items
            pages += 1
            after = page.after
            if after is None:
                break
        assert [i.id for i in seen] == [i.id for i in want], sort
        assert pages == max(1, -(-len(want) // 4)), sort

    planned = await w.s.ideas.list_ideas(w.bev.id, w.cmht.id, status=S.UNDER_REVIEW, limit=100)
    assert {i.id for i in planned.items} == {
        i.id for i in fresh.values() if i.status is S.UNDER_REVIEW
    }
    assert all(i.latest_note == "Looking" for i in planned.items)


# --- similar ideas --------------------------------------------------------------------------------


async def test_similar_ideas_match_words_while_a_title_is_typed(w: World) -> None:
    evening = await w.idea(title="Evening group for working carers")
    await w.idea(title="Crisis plan copies")
    leaflet = await w.s.ideas.add_idea(
        w.bev.id, w.cmht.id, "Leaflet about confidentiality", "Explain what staff can tell us."
    )
    dupe = await w.move(
        await w.idea(title="Evening meetings"), S.DUPLICATE, duplicate_of=evening.id
    )
    await w.s.ideas.add_idea(w.bev.id, w.ward.id, "Evening visiting on the ward", "Other board")

    found = await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "carers group in the evenings")
    assert [i.id for i in found] == [evening.id]  # stemmed; the duplicate and board B left out
    assert dupe.id not in {i.id for i in found}
    typing = await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "confidential")
    assert [i.id for i in typing] == [leaflet.id]  # the last word as a prefix, as it is typed
    body = await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "what can staff tell")
    assert [i.id for i in body] == [leaflet.id]
    assert await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "ev") == []
    assert await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "the and for") == []
    assert await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, "   ") == []


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ('"foo* OR (bar', False),
        ("NEAR(evening group", True),
        ("evening AND OR NOT", True),
        ("title:evening", True),
        ("evening -group ^start", True),
        ("'; DROP TABLE ideas; --", False),
        ("évening grøup ü", None),  # accents fold on SQLite only
        ("evening & | ! <-> :* group", True),
        ("\x00\x1b[2Jevening", True),
        ('"', False),
        ("*", False),
    ],
)
async def test_search_syntax_in_typed_text_is_just_text(
    w: World, typed: str, finds: bool | None
) -> None:
    evening = await w.idea(title="Evening group for working carers")
    found = await w.s.ideas.similar_ideas(w.cal.id, w.cmht.id, typed)
    if finds is not None:
        assert [i.id for i in found] == ([evening.id] if finds else [])
    assert len((await w.s.ideas.list_ideas(w.cal.id, w.cmht.id)).items) == 1
