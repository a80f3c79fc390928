"""Outcomes ("we did"): who may record them, whom they credit, and what carers then see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forum_tui.domain.boards import IdeaStatus, NotificationKind
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.services import Services
from tests.conftest import FakeClock
from tests.services.board_world import MAY_RESPOND, ROLES, World, make_world
from tests.services.test_scale import statements

S = IdeaStatus


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


def today(w: World) -> date:
    return w.clock().date()


@pytest.mark.parametrize("role", ROLES)
async def test_only_the_boards_staff_or_an_admin_record_outcomes(w: World, role: str) -> None:
    idea = await w.idea(w.bev)
    actor = w.by_role(role)
    attempt = w.s.outcomes.record_outcome(
        actor.id, w.cmht.id, "Evening group started", "First Tuesday monthly", today(w), [idea.id]
    )
    if role in MAY_RESPOND:
        outcome = await attempt
        assert (outcome.title, outcome.recorded_by) == ("Evening group started", actor.handle)
        assert [o.id for o in await w.s.outcomes.list_outcomes(w.ann.id, w.cmht.id)] == [outcome.id]
        extra = await w.s.outcomes.credit_member(actor.id, outcome.id, "cal")
        assert extra.contributor_count == 2
    else:
        with pytest.raises(PermissionDenied, match="Only the staff of Community mental health"):
            await attempt
        assert await w.s.outcomes.list_outcomes(w.ann.id, w.cmht.id) == []


async def test_staff_of_one_board_cannot_credit_on_another(w: World) -> None:
    idea = await w.idea(w.bev)
    outcome = await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening group started", "Monthly", today(w), [idea.id]
    )
    with pytest.raises(PermissionDenied):
        await w.s.outcomes.credit_member(w.nina.id, outcome.id, "cal")
    with pytest.raises(PermissionDenied):
        await w.s.outcomes.credit_member(w.ann.id, outcome.id, "cal")
    with pytest.raises(NotFound):
        await w.s.outcomes.credit_member(w.sam.id, 999, "cal")


async def test_an_outcome_credits_authors_and_supporters_once_each(w: World) -> None:
    group = await w.idea(w.ann, "Evening carers' group")
    leaflet = await w.idea(w.bev, "Leaflet for new carers")
    unrelated = await w.idea(w.dev, "Something else")
    await w.s.ideas.support_idea(w.bev.id, group.id)  # bev: author of one, supporter of other
    await w.s.ideas.support_idea(w.cal.id, group.id)
    await w.s.ideas.support_idea(w.cal.id, leaflet.id)  # cal supports both
    await w.s.ideas.support_idea(w.ann.id, unrelated.id)  # not linked: no extra credit
    await w.s.ideas.support_idea(w.sam.id, leaflet.id)  # the recorder supports one

    outcome = await w.s.outcomes.record_outcome(
        w.sam.id,
        w.cmht.id,
        "Carers' evening and a new leaflet",
        "Since October the team runs an evening group, and every new carer gets the leaflet.",
        today(w) - timedelta(days=3),
        [group.id, leaflet.id, group.id],
        ["ann", "Nina"],  # ann is credited already; nina spoke at the workshop
    )
    # ann, bev, cal, sam, nina: five people, each once.
    assert outcome.contributor_count == 5
    assert [(r.id, r.title, r.status) for r in outcome.ideas] == [
        (group.id, "Evening carers' group", S.NEW),
        (leaflet.id, "Leaflet for new carers", S.NEW),
    ]
    assert outcome.credits_me  # sam, the recorder, supported the leaflet idea
    assert outcome.happened_on == today(w) - timedelta(days=3)

    for member, credited in ((w.ann, True), (w.cal, True), (w.dev, False), (w.admin, False)):
        [seen] = await w.s.outcomes.list_outcomes(member.id, w.cmht.id)
        assert seen.credits_me is credited, member.handle
    assert await w.s.outcomes.list_outcomes(w.ann.id, w.ward.id) == []

    # Crediting someone already credited changes nothing and tells them nothing new.
    again = await w.s.outcomes.credit_member(w.sam.id, outcome.id, "cal")
    assert again.contributor_count == 5
    added = await w.s.outcomes.credit_member(w.sam.id, outcome.id, "dev")
    assert added.contributor_count == 6


async def test_an_outcome_notifies_everyone_it_credits_but_the_recorder(w: World) -> None:
    idea = await w.idea(w.ann, "Evening carers' group")
    await w.s.ideas.support_idea(w.bev.id, idea.id)
    await w.s.ideas.support_idea(w.sam.id, idea.id)
    outcome = await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening group started", "Monthly", today(w), [idea.id], ["cal"]
    )
    for member in (w.ann, w.bev, w.cal):
        [note] = await w.s.notifications.list_notifications(member.id)
        assert note.kind is NotificationKind.OUTCOME_CREDIT and note.outcome_id == outcome.id
        assert note.text == (
            "You are credited in “Evening group started”, a change made by "
            "Community mental health team."
        )
    assert await w.s.notifications.list_notifications(w.sam.id) == []
    assert await w.s.notifications.list_notifications(w.dev.id) == []
    await w.s.outcomes.credit_member(w.sam.id, outcome.id, "cal")
    assert await w.s.notifications.unread_count(w.cal.id) == 1


async def test_an_outcome_links_only_ideas_on_its_own_board(w: World) -> None:
    mine = await w.idea()
    ward_idea = await w.s.ideas.add_idea(w.bev.id, w.ward.id, "Ward idea", "Body")
    for ideas, words in (
        ([mine.id, ward_idea.id], f"#{ward_idea.id} is not on Community"),
        ([9999], "#9999"),
        ([], "at least one idea"),
    ):
        with pytest.raises(ValidationError, match=words):
            await w.s.outcomes.record_outcome(
                w.sam.id, w.cmht.id, "A change", "What changed", today(w), ideas
            )
    with pytest.raises(ValidationError, match="future"):
        await w.s.outcomes.record_outcome(
            w.sam.id, w.cmht.id, "A change", "What", today(w) + timedelta(days=1), [mine.id]
        )
    with pytest.raises(ValidationError, match="description"):
        await w.s.outcomes.record_outcome(w.sam.id, w.cmht.id, "A change", " ", today(w), [mine.id])
    with pytest.raises(NotFound, match="nobody"):
        await w.s.outcomes.record_outcome(
            w.sam.id, w.cmht.id, "A change", "What", today(w), [mine.id], ["nobody"]
        )
    assert await w.s.outcomes.list_outcomes(w.ann.id, w.cmht.id) == []
    assert await w.s.notifications.list_notifications(w.ann.id) == []


async def test_outcomes_are_listed_newest_first_and_shown_on_their_ideas(w: World) -> None:
    idea = await w.idea()
    older = await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Older change", "Before", today(w) - timedelta(days=30), [idea.id]
    )
    newer = await w.s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Newer change", "After", today(w), [idea.id]
    )
    with statements(w.s.db) as run:
        listed = await w.s.outcomes.list_outcomes(w.dev.id, w.cmht.id)
    assert [o.id for o in listed] == [newer.id, older.id]
    assert [(o.board_name, o.recorded_by, o.contributor_count) for o in listed] == [
        (w.cmht.name, "sam", 1),
        (w.cmht.name, "sam", 1),
    ]
    # member, board, the outcomes with their names and counts, their ideas: however many
    assert len(run) == 4, run
    view = await w.s.ideas.open_idea(w.dev.id, idea.id)
    assert [o.title for o in view.outcomes] == ["Newer change", "Older change"]


async def test_my_contributions_shows_statuses_notes_and_outcomes(w: World) -> None:
    mine = await w.idea(w.ann, "A named contact when my coordinator is away")
    theirs = await w.idea(w.bev, "Evening carers' group")
    other = await w.idea(w.bev, "Crisis plan copies")
    w.clock.advance(minutes=1)
    await w.s.ideas.support_idea(w.ann.id, other.id, "We never got one")
    w.clock.advance(minutes=1)
    await w.s.ideas.support_idea(w.ann.id, theirs.id)
    await w.s.ideas.change_status(
        w.sam.id, mine.id, S.PLANNED, "From January, every carer gets one."
    )
    await w.s.outcomes.record_outcome(
        w.sam.id,
        w.cmht.id,
        "Cover contacts for every coordinator",
        "Each care coordinator now names a colleague who answers while they are on leave.",
        today(w),
        [mine.id],
    )
    await w.s.ideas.support_idea(w.cal.id, mine.id)  # after the outcome: not credited

    c = await w.s.contributions.my_contributions(w.ann.id)
    assert [(i.title, i.status, i.latest_note) for i in c.my_ideas] == [
        (
            "A named contact when my coordinator is away",
            S.PLANNED,
            "From January, every carer gets one.",
        )
    ]
    assert [i.title for i in c.supported_ideas] == ["Evening carers' group", "Crisis plan copies"]
    assert [(o.title, o.credits_me) for o in c.outcomes] == [
        ("Cover contacts for every coordinator", True)
    ]
    assert c.outcomes[0].description.startswith("Each care coordinator now names")
    assert c.summary == "1 idea · 2 supported · 1 led to change · 0 hours"
    cal = await w.s.contributions.my_contributions(w.cal.id)
    assert (cal.outcomes, [i.id for i in cal.supported_ideas]) == ((), [mine.id])
