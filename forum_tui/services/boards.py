"""Service-improvement boards: one per named service, with the staff who respond on it."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import DEFAULT_RESPONSE_WINDOW_DAYS, Board
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.domain.text import clean_body, clean_title
from forum_tui.services._boards_common import (
    board_by_slug,
    board_from_row,
    load_board,
    may_respond,
    staffed_board_ids,
    status_counts,
)
from forum_tui.services._common import Service, load_member, member_by_handle
from forum_tui.store.board_tables import BoardRow, BoardStaffRow

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
WINDOW_MIN, WINDOW_MAX = 1, 365


async def _require_operator(session: AsyncSession, actor_id: int | None) -> None:
    """``None`` is the operator at the command line, who holds the database already."""
    if actor_id is None:
        return
    actor = await load_member(session, actor_id)
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only an admin can set up boards and their staff.")


class BoardService(Service):
    async def add_board(
        self,
        slug: str,
        name: str,
        *,
        description: str = "",
        response_window_days: int = DEFAULT_RESPONSE_WINDOW_DAYS,
        actor_id: int | None = None,
    ) -> Board:
        """Creates a board for one named service. Admins only, or the operator (``None``).

        Refuses a malformed or taken slug, a name outside 3–120 characters, and a response
        window outside 1–365 days.
        """
        slug = slug.strip().lower()
        if not SLUG.match(slug):
            raise ValidationError(
                "A board slug has 1 to 40 lowercase letters, digits and hyphens, "
                "like 'cmht-carers'."
            )
        name = clean_title(name)
        description = clean_body(description) if description.strip() else ""
        if not WINDOW_MIN <= response_window_days <= WINDOW_MAX:
            raise ValidationError(
                f"The response window is {WINDOW_MIN} to {WINDOW_MAX} days "
                f"(not {response_window_days})."
            )
        async with self.db.write() as session:
            await _require_operator(session, actor_id)
            if await session.scalar(select(BoardRow.id).where(BoardRow.slug == slug)):
                raise ValidationError(f"There is already a board with the slug {slug}.")
            row = BoardRow(
                slug=slug,
                name=name,
                description=description,
                response_window_days=response_window_days,
                created_at=self.now(),
            )
            session.add(row)
            await session.flush()
            return board_from_row(row)

    async def add_staff(self, slug: str, handle: str, *, actor_id: int | None = None) -> Board:
        """Puts a member on a board's staff. Admins only, or the operator (``None``).

        Refuses a member whose global role is not staff or admin: a carer is made staff with
        ``forum-tui member add --role staff`` (a separate account), never by a board. Adding
        someone already on the staff changes nothing.
        """
        async with self.db.write() as session:
            await _require_operator(session, actor_id)
            board = await board_by_slug(session, slug)
            member = await member_by_handle(session, handle)
            if member.role not in (Role.STAFF, Role.ADMIN):
                raise ValidationError(
                    f"{member.handle} has the role {member.role}: only staff or admin accounts "
                    "can respond on a board."
                )
            if await session.get(BoardStaffRow, (board.id, member.id)) is None:
                session.add(
                    BoardStaffRow(board_id=board.id, member_id=member.id, added_at=self.now())
                )
                await session.flush()
            counts = await status_counts(session, [board.id])
            return board_from_row(board, counts=counts[board.id])

    async def list_boards(self, member_id: int) -> list[Board]:
        """Every board, by name, with its idea counts per status. Any member may see them.

        ``i_am_staff`` is True where the member may respond: the board's staff, or an admin.
        """
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            rows = list(
                await session.scalars(
                    select(BoardRow).order_by(func.lower(BoardRow.name), BoardRow.id)
                )
            )
            staffed = await staffed_board_ids(session, member)
            counts = await status_counts(session, [row.id for row in rows])
            return [
                board_from_row(row, i_am_staff=row.id in staffed, counts=counts[row.id])
                for row in rows
            ]

    async def get_board(self, member_id: int, board_id: int) -> Board:
        """One board with its counts. Any member may see any board; NotFound if there is none."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            row = await load_board(session, board_id)
            counts = await status_counts(session, [row.id])
            return board_from_row(
                row, i_am_staff=await may_respond(session, member, row.id), counts=counts[row.id]
            )

    async def find_board(self, slug: str) -> Board:
        """Looks a board up by slug, for operators at the command line."""
        async with self.db.read() as session:
            row = await board_by_slug(session, slug)
            counts = await status_counts(session, [row.id])
            return board_from_row(row, counts=counts[row.id])


__all__ = ["BoardService"]
