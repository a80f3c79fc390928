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

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, exists, func, not_, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import DeskList, Idea, StaffDesk
from forum_tui.domain.errors import ValidationError
from forum_tui.domain.ids import is_storable_id
from forum_tui.domain.models import Page
from forum_tui.services._boards_common import (
    IDEA_COLUMNS,
    OPEN_STATUSES,
    idea_from_result,
    idea_query,
    inside_windows,
    keyset_past,
    load_board,
    longest_waits,
    staffed_boards,
    window_starts,
    windows_table,
)
from forum_tui.services._common import Service, load_member
from forum_tui.store.board_tables import BoardRow, IdeaRow, IdeaUpdateRow, OutcomeIdeaRow
from forum_tui.store.tables import UTCDateTime

# A page of each list: more than a screen holds, and what a member of staff works through in a
# sitting; the rest is one key away (the screen says how many more). 200 of each cost ~20 ms
# of Python at 1 M posts, for ideas nobody scrolled to.
DESK_PAGE = 50
DESK_MAX = 200


def _unanswered() -> Any:
    """No staff response yet: no IdeaUpdate and no outcome linked."""
    return not_(
        or_(
            exists().where(IdeaUpdateRow.idea_id == IdeaRow.id),
            exists().where(OutcomeIdeaRow.idea_id == IdeaRow.id),
        )
    )


def _windows(boards: int) -> list[tuple[Any, Any]]:
    return [
        (bindparam(f"board{n}", type_=Integer), bindparam(f"start{n}", type_=UTCDateTime))
        for n in range(boards)
    ]


def _overdue_total(windows: list[tuple[Any, Any]], table: Any) -> Any:
    """How many ideas are overdue, from indexes (a scalar subquery the database runs once): the
    boards' open ideas, counted from the (board_id, status) index alone, less the open ones
    inside their windows (a seek over the window's ideas only)."""
    open_ideas = (
        select(func.count())
        .select_from(IdeaRow)
        .where(
            IdeaRow.board_id.in_([board_id for board_id, _ in windows]),
            IdeaRow.status.in_(OPEN_STATUSES),
        )
        .scalar_subquery()
    )
    inside = select(func.count()).select_from(inside_windows(table).subquery())
    return open_ideas - inside.scalar_subquery()


def _longest_waits_lateral(windows: Any, after: tuple | None, limit: Any) -> Any:
    """PostgreSQL: each board's longest waits by a LATERAL seek of its index, ``limit`` each,
    then the first ``limit`` of them. Same ideas as ``longest_waits``, but its plan does not
    grow with the boards (PostgreSQL plans every call: ~5 ms for a 10-arm UNION)."""
    waits = (
        select(IdeaRow.id, IdeaRow.updated_at)
        .where(
            IdeaRow.board_id == windows.c.board_id,
            IdeaRow.status.in_(OPEN_STATUSES),
            IdeaRow.updated_at <= windows.c.start,
            *keyset_past(IdeaRow.updated_at, after, later=True),
        )
        .order_by(IdeaRow.updated_at, IdeaRow.id)
        .limit(limit)
        .lateral("waits")
    )
    return (
        select(waits.c.id)
        .select_from(windows)
        .join(waits, true())
        .order_by(waits.c.updated_at, waits.c.id)
        .limit(limit)
        .subquery()
    )


@functools.lru_cache(maxsize=64)
def _page_query(which: DeskList, boards: int, first: bool, dialect: str) -> Any:
    """One page of a desk list over ``boards`` boards: its ids picked by index seeks, then its
    ideas; the first page also counts the whole list. Built once per shape and run with
    parameters: building it afresh cost more than running it (~3 ms a call for 10 boards)."""
    windows = _windows(boards)
    after = (bindparam("after_value", type_=UTCDateTime), bindparam("after_id", type_=Integer))
    limit = bindparam("limit", type_=Integer)
    table = windows_table(windows)  # one per statement: a CTE is named once
    total: Any = None
    if which is DeskList.OVERDUE:
        if dialect == "postgresql":
            picked = _longest_waits_lateral(table, None if first else after, limit)
        else:
            ids = longest_waits(windows, after=None if first else after)
            keys = ids.selected_columns
            picked = ids.order_by(keys.updated_at, keys.id).limit(limit).subquery()
        order: tuple[Any, ...] = (IdeaRow.updated_at, IdeaRow.id)
        if first:
            total = _overdue_total(windows, table)
    else:
        # The window's unanswered ideas, gathered once for the page and the count alike.
        new = inside_windows(table, _unanswered()).cte("unanswered")
        picked = (
            select(new.c.id)
            .where(*([] if first else [tuple_(new.c.created_at, new.c.id) < tuple_(*after)]))
            .order_by(new.c.created_at.desc(), new.c.id.desc())
            .limit(limit)
            .subquery()
        )
        order = (IdeaRow.created_at.desc(), IdeaRow.id.desc())
        if first:
            total = select(func.count()).select_from(new).scalar_subquery()
    query = (
        idea_query(bindparam("viewer", type_=Integer))
        .where(IdeaRow.id.in_(select(picked.c.id)))
        .order_by(*order)
    )
    return query if total is None else query.add_columns(total)


async def _page(
    session: AsyncSession,
    member_id: int,
    boards: Sequence[BoardRow],
    now: datetime,
    which: DeskList,
    after: tuple | None,
    limit: int,
) -> tuple[Page[Idea], int]:
    """One page of a desk list, and how many ideas the whole list holds (counted for the first
    page only; a later page gives how many it has)."""
    params: dict[str, Any] = {"viewer": member_id, "limit": limit + 1}
    for n, (board_id, start) in enumerate(window_starts(boards, now)):
        params[f"board{n}"], params[f"start{n}"] = board_id, start
    if after is not None:
        params["after_value"], params["after_id"] = after
    dialect = session.bind.dialect.name
    query = _page_query(which, len(boards), after is None, dialect)
    rows = (await session.execute(query, params)).all()
    ideas = [idea_from_result(row[:IDEA_COLUMNS], member_id, now) for row in rows]
    total = int(rows[0][IDEA_COLUMNS]) if rows and after is None else len(ideas)
    if len(ideas) <= limit:
        return Page(tuple(ideas), None), total
    last = ideas[limit - 1]
    cursor = (last.updated_at if which is DeskList.OVERDUE else last.created_at, last.id)
    return Page(tuple(ideas[:limit]), cursor), total


class StaffDeskService(Service):
    async def staff_desk(self, member_id: int, *, limit: int = DESK_PAGE) -> StaffDesk:
        """The desk of the boards the member staffs (every board, for an admin): the first
        ``limit`` of each list (50 unless asked, at most 200), with how many each holds.

        Anyone who staffs no board gets an empty desk (nothing of any board is shown to them).
        """
        now = self.now()
        limit = max(1, min(limit, DESK_MAX))
        async with self.db.read() as session:
            boards = await self._boards(session, member_id)
            if not boards:
                return StaffDesk((), (), now)
            overdue, overdue_total = await _page(
                session, member_id, boards, now, DeskList.OVERDUE, None, limit
            )
            new, new_total = await _page(
                session, member_id, boards, now, DeskList.UNANSWERED, None, limit
            )
            return StaffDesk(
                overdue.items,
                new.items,
                now,
                overdue_total=overdue_total,
                unanswered_total=new_total,
                overdue_after=overdue.after,
                unanswered_after=new.after,
            )

    async def more_of_desk(
        self, member_id: int, which: DeskList, after: tuple, *, limit: int = DESK_PAGE
    ) -> Page[Idea]:
        """The next page of one desk list, after the cursor the previous page gave
        (``StaffDesk.overdue_after`` / ``unanswered_after``, or this page's ``after``).

        As ``staff_desk``: only the boards the member staffs; anyone else gets an empty page.
        """
        now = self.now()
        limit = max(1, min(limit, DESK_MAX))
        async with self.db.read() as session:
            boards = await self._boards(session, member_id)
            if not boards:
                return Page((), None)
            page, _ = await _page(session, member_id, boards, now, DeskList(which), after, limit)
            return page

    @staticmethod
    async def _boards(session: AsyncSession, member_id: int) -> list[BoardRow]:
        return await staffed_boards(session, await load_member(session, member_id))

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


__all__ = ["DESK_PAGE", "StaffDeskService"]
