"""My contributions: the screen a carer is proudest of — their ideas, the ideas they support,
the outcomes that credit them, and the time they gave."""

from __future__ import annotations

from sqlalchemy import select

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
    OutcomeRow,
    SupportRow,
)


class ContributionService(Service):
    async def my_contributions(self, member_id: int) -> Contributions:
        """The member's own contributions; nobody else's can be asked for.

        My ideas (newest first) and the ideas I support (most recently supported first), each
        with its current status and latest staff note; the outcomes crediting me (newest
        first); my involvement on every board (newest first).
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
                IdeaRow.id.in_(select(SupportRow.idea_id).where(SupportRow.member_id == member.id)),
                IdeaRow.author_id != member.id,
                order=(supported_at.desc(), IdeaRow.id.desc()),
            )
            outcome_rows = list(
                await session.scalars(
                    select(OutcomeRow)
                    .join(OutcomeCreditRow, OutcomeCreditRow.outcome_id == OutcomeRow.id)
                    .where(OutcomeCreditRow.member_id == member.id)
                    .order_by(OutcomeRow.happened_on.desc(), OutcomeRow.id.desc())
                )
            )
            return Contributions(
                my_ideas=tuple(mine),
                supported_ideas=tuple(supported),
                outcomes=tuple(await outcomes_from_rows(session, outcome_rows, member.id)),
                involvement=tuple(
                    await involvement_where(session, InvolvementRow.member_id == member.id)
                ),
            )


__all__ = ["ContributionService"]
