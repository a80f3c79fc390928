"""My contributions: the screen a carer is proudest of — their ideas, the ideas they support,
the outcomes that credit them, and the time they gave."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, distinct, exists, func, or_, select

from forum_tui.domain.boards import Contributions
from forum_tui.services._boards_common import (
    ideas_where,
    involvement_where,
    outcomes_from_rows,
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
        first): the newest ``shown`` of each, with totals for all of them. My involvement on
        every board (newest first), all of it: hours given are added up from it.
        """
        now = self.now()
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            mine = await ideas_where(
                session,
                member.id,
                now,
                IdeaRow.author_id == member.id,
                order=(IdeaRow.created_at.desc(), IdeaRow.id.desc()),
                limit=shown,
            )
            # Newest supports first, straight from the member's supports index.
            newest = (
                select(SupportRow.idea_id)
                .where(SupportRow.member_id == member.id)
                .order_by(SupportRow.created_at.desc(), SupportRow.idea_id.desc())
                .limit(shown)
            )
            supported_at = (
                select(SupportRow.created_at)
                .where(SupportRow.idea_id == IdeaRow.id, SupportRow.member_id == member.id)
                .correlate(IdeaRow)
                .scalar_subquery()
            )
            supported = await ideas_where(
                session,
                member.id,
                now,
                IdeaRow.id.in_(newest),
                IdeaRow.author_id != member.id,
                order=(supported_at.desc(), IdeaRow.id.desc()),
            )
            outcome_rows = list(
                await session.scalars(
                    select(OutcomeRow)
                    .join(OutcomeCreditRow, OutcomeCreditRow.outcome_id == OutcomeRow.id)
                    .where(OutcomeCreditRow.member_id == member.id)
                    .order_by(OutcomeRow.happened_on.desc(), OutcomeRow.id.desc())
                    .limit(shown)
                )
            )
            mine_total, supported_total, outcomes_total, changed_total = (
                await session.execute(_totals(member.id))
            ).one()
            return Contributions(
                my_ideas=tuple(mine),
                supported_ideas=tuple(supported),
                outcomes=tuple(await outcomes_from_rows(session, outcome_rows, member.id)),
                involvement=tuple(
                    await involvement_where(session, InvolvementRow.member_id == member.id)
                ),
                my_ideas_total=int(mine_total or 0),
                supported_total=int(supported_total or 0),
                outcomes_total=int(outcomes_total or 0),
                changed_total=int(changed_total or 0),
            )


def _totals(member_id: int) -> Any:
    """My ideas, supports and credits counted, and how many of my ideas and supported ideas
    are linked to an outcome crediting me: one statement, each part on the member's own rows."""
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
    return select(mine, supports, credits, changed)


__all__ = ["CONTRIBUTIONS_SHOWN", "ContributionService"]
