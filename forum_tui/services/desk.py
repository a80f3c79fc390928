"""The staff desk: what is waiting for a board's staff.

Two lists, so a brand-new idea is seen the day it is added and silence stays visible:

* **overdue**: open ideas with no staff response within the board's window, longest wait first;
* **unanswered**: open ideas with no staff response yet that are still inside the window,
  newest first.

A staff response is an IdeaUpdate (a status change or a public note) or an outcome recorded
against the idea (which also restarts its awaiting clock), so an answered idea leaves both
lists until the window runs out again.
"""

from __future__ import annotations

from sqlalchemy import exists, not_, or_, select

from forum_tui.domain.boards import StaffDesk
from forum_tui.domain.errors import ValidationError
from forum_tui.domain.ids import is_storable_id
from forum_tui.services._boards_common import (
    OPEN_STATUSES,
    awaiting_on_boards,
    ideas_where,
    load_board,
    staffed_board_ids,
)
from forum_tui.services._common import Service, load_member
from forum_tui.store.board_tables import BoardRow, IdeaRow, IdeaUpdateRow, OutcomeIdeaRow

DESK_MAX = 200


class StaffDeskService(Service):
    async def staff_desk(self, member_id: int, *, limit: int = DESK_MAX) -> StaffDesk:
        """The desk of the boards the member staffs (every board, for an admin).

        Anyone who staffs no board gets an empty desk (nothing of any board is shown to them).
        """
        now = self.now()
        limit = max(1, min(limit, DESK_MAX))
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            board_ids = await staffed_board_ids(session, member)
            if not board_ids:
                return StaffDesk((), (), now)
            boards = list(await session.scalars(select(BoardRow).where(BoardRow.id.in_(board_ids))))
            overdue_condition = awaiting_on_boards(boards, now)
            overdue = await ideas_where(
                session,
                member.id,
                now,
                overdue_condition,
                order=(IdeaRow.updated_at, IdeaRow.id),
                limit=limit,
            )
            answered = or_(
                exists().where(IdeaUpdateRow.idea_id == IdeaRow.id),
                exists().where(OutcomeIdeaRow.idea_id == IdeaRow.id),
            )
            unanswered = await ideas_where(
                session,
                member.id,
                now,
                IdeaRow.board_id.in_(board_ids),
                IdeaRow.status.in_(OPEN_STATUSES),
                not_(answered),
                not_(overdue_condition),
                order=(IdeaRow.created_at.desc(), IdeaRow.id.desc()),
                limit=limit,
            )
            return StaffDesk(tuple(overdue), tuple(unanswered), now)

    async def idea_ids(self, board_id: int, numbers: list[int]) -> list[int]:
        """The ids of the board's ideas with these numbers (as staff type them: "12, 14"), in
        the order given. Refused (ValidationError) for a number the board has no idea with."""
        async with self.db.read() as session:
            board = await load_board(session, board_id)
            found = dict(
                (
                    await session.execute(
                        select(IdeaRow.number, IdeaRow.id).where(
                            IdeaRow.board_id == board.id,
                            # a typed 99999999999999999999 names no idea: never sent as a number
                            IdeaRow.number.in_([n for n in numbers if is_storable_id(n)]),
                        )
                    )
                ).all()
            )
            missing = [n for n in numbers if n not in found]
            if missing:
                raise ValidationError(
                    f"{board.name} has no idea {', '.join(f'#{n}' for n in missing)}."
                )
            return [found[n] for n in numbers]


__all__ = ["StaffDeskService"]
