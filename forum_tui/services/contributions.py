"""My contributions: the screen a carer is proudest of — their ideas, the ideas they support,
the outcomes that credit them, and the time they gave."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import Integer, and_, bindparam, distinct, exists, func, or_, select

from forum_tui.domain.boards import Contributions, Idea, Involvement, InvolvementState, Outcome
from forum_tui.services._boards_common import (
    hours_of,
    idea_from_result,
    idea_query,
    involvement_where,
    outcome_query,
    outcomes_from_results,
)
from forum_tui.services._common import Service, load_member
from forum_tui.store.board_tables import (
    IdeaRow,
    InvolvementRow,
    OutcomeCreditRow,
    OutcomeIdeaRow,
    OutcomeRow,
    SupportRow,
)

CONTRIBUTIONS_SHOWN = 50  # of each list, newest first; the summary counts them all


class ContributionService(Service):
    async def my_contributions(
        self, member_id: int, *, shown: int = CONTRIBUTIONS_SHOWN
    ) -> Contributions:
        """The member's own contributions; nobody else's can be asked for.

        My ideas (newest first) and the ideas I support (most recently supported first), each
        with its current status and latest staff note; the outcomes crediting me (newest
        first); my involvement on every board (newest first): the newest ``shown`` of each,
        with totals for all of them (hours added up by the store, from every entry).
        """
        now = self.now()
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            params = {"member": member.id, "shown": shown}
            # The counts first: a list with nothing in it costs no statement (most carers have
            # no outcome or logged time yet).
            mine_total, supported_total, outcomes_total, changed_total, logged = (
                await session.execute(_totals(), params)
            ).one()
            mine_query, supported_query, credited_query = _lists()
            mine: list[Idea] = []
            supported: list[Idea] = []
            outcomes: list[Outcome] = []
            involvement: list[Involvement] = []
            if mine_total:
                mine = [
                    idea_from_result(row, member.id, now)
                    for row in await session.execute(mine_query, params)
                ]
            if supported_total:
                supported = [
                    idea_from_result(row, member.id, now)
                    for row in await session.execute(supported_query, params)
                ]
            if outcomes_total:
                outcomes = await outcomes_from_results(
                    session, (await session.execute(credited_query, params)).all()
                )
            hours: tuple[tuple[InvolvementState, float], ...] = ()
            if logged:
                involvement = await involvement_where(
                    session, InvolvementRow.member_id == member.id, limit=shown
                )
                hours = tuple(
                    (InvolvementState(state), hours_of(int(minutes or 0)))
                    for state, minutes in await session.execute(_minutes_by_state(), params)
                )
            return Contributions(
                my_ideas=tuple(mine),
                supported_ideas=tuple(supported),
                outcomes=tuple(outcomes),
                involvement=tuple(involvement),
                my_ideas_total=int(mine_total or 0),
                supported_total=int(supported_total or 0),
                outcomes_total=int(outcomes_total or 0),
                changed_total=int(changed_total or 0),
                involvement_total=int(logged or 0),
                hours_by_state=hours,
            )


@functools.cache
def _lists() -> tuple[Any, Any, Any]:
    """My newest ideas, the ideas I supported most recently (straight from the member's
    supports index) and the newest outcomes crediting me: built once and run with the member
    and how many to show as parameters (building them each call cost ~2 ms)."""
    me = bindparam("member", type_=Integer)
    shown = bindparam("shown", type_=Integer)
    mine = (
        idea_query(me)
        .where(IdeaRow.author_id == me)
        .order_by(IdeaRow.created_at.desc(), IdeaRow.id.desc())
        .limit(shown)
    )
    newest = (
        select(SupportRow.idea_id)
        .where(SupportRow.member_id == me)
        .order_by(SupportRow.created_at.desc(), SupportRow.idea_id.desc())
        .limit(shown)
    )
    supported_at = (
        select(SupportRow.created_at)
        .where(SupportRow.idea_id == IdeaRow.id, SupportRow.member_id == me)
        .correlate(IdeaRow)
        .scalar_subquery()
    )
    supported = (
        idea_query(me)
        .where(IdeaRow.id.in_(newest), IdeaRow.author_id != me)
        .order_by(supported_at.desc(), IdeaRow.id.desc())
    )
    credited = (
        outcome_query(me)
        .join(OutcomeCreditRow, OutcomeCreditRow.outcome_id == OutcomeRow.id)
        .where(OutcomeCreditRow.member_id == me)
        .order_by(OutcomeRow.happened_on.desc(), OutcomeRow.id.desc())
        .limit(shown)
    )
    return mine, supported, credited


@functools.cache
def _minutes_by_state() -> Any:
    """All my logged minutes, by state: the hours in the summary count every entry, though
    the list shows the newest few."""
    return (
        select(InvolvementRow.state, func.sum(InvolvementRow.minutes))
        .where(InvolvementRow.member_id == bindparam("member", type_=Integer))
        .group_by(InvolvementRow.state)
    )


@functools.cache
def _totals() -> Any:
    """My ideas, supports and credits counted, how many of my ideas and supported ideas are
    linked to an outcome crediting me, and my logged involvement entries: one statement, each
    part on the member's own rows.
    Built once and run with the member as a parameter (building it cost ~0.5 ms a call)."""
    member_id = bindparam("member", type_=Integer)
    mine = select(func.count()).where(IdeaRow.author_id == member_id).scalar_subquery()
    supports = (
        select(func.count())
        .select_from(SupportRow)
        .where(SupportRow.member_id == member_id)
        .scalar_subquery()
    )
    credits = (
        select(func.count())
        .select_from(OutcomeCreditRow)
        .where(OutcomeCreditRow.member_id == member_id)
        .scalar_subquery()
    )
    backed = exists().where(
        SupportRow.idea_id == OutcomeIdeaRow.idea_id, SupportRow.member_id == member_id
    )
    changed = (  # as before: linked to an outcome that credits me
        select(func.count(distinct(OutcomeIdeaRow.idea_id)))
        .join(
            OutcomeCreditRow,
            and_(
                OutcomeCreditRow.outcome_id == OutcomeIdeaRow.outcome_id,
                OutcomeCreditRow.member_id == member_id,
            ),
        )
        .join(IdeaRow, IdeaRow.id == OutcomeIdeaRow.idea_id)
        .where(or_(IdeaRow.author_id == member_id, backed))
        .scalar_subquery()
    )
    logged = (
        select(func.count())
        .select_from(InvolvementRow)
        .where(InvolvementRow.member_id == member_id)
        .scalar_subquery()
    )
    return select(mine, supports, credits, changed, logged)


__all__ = ["CONTRIBUTIONS_SHOWN", "ContributionService"]
