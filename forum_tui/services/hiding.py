"""The hidden list: everything hidden in the groups a leader leads (and on the boards a staff
member staffs), with who hid it, when and why, so nothing hidden is out of reach of a restore.

Hiding and restoring themselves are ``ModerationService.hide`` / ``restore``: they work on any
post, thread or idea whether or not anyone reported it. Who may list what:

* leaders: hidden posts and threads of the groups they lead;
* board staff: hidden ideas of the boards they staff;
* admins: everything;
* anyone else: refused (PermissionDenied).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.errors import PermissionDenied
from forum_tui.domain.leaders import HiddenItem
from forum_tui.domain.moderation import TargetKind
from forum_tui.services._boards_common import FORMER_MEMBER, quoted, staffed_board_ids
from forum_tui.services._common import Service, load_member
from forum_tui.store.board_tables import BoardRow, IdeaRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

HIDDEN_MAX = 200
# Hidden rows are read through their partial index first (store.hidden_indexes), at most this
# many of each kind, most recently hidden first; then those rows are joined by id and kept if
# they are in the member's groups (or boards). With the group in the SQL, SQLite's planner
# starts from the group's threads and reads every post in them (bench/leaders_bench.py).
HIDDEN_SCAN = 5_000
BY_REPORTS = "reports (pending review)"


async def _recently_hidden(session: AsyncSession, table: Any) -> list[int]:
    return list(
        await session.scalars(
            select(table.id)
            .where(table.hidden_at.is_not(None))
            .order_by(table.hidden_at.desc(), table.id.desc())
            .limit(HIDDEN_SCAN)
        )
    )


Author = aliased(MemberRow)
Hider = aliased(MemberRow)


def _handle(handle: str | None, state: str | None) -> str:
    if handle is None:
        return FORMER_MEMBER
    return FORMER_MEMBER if state == MemberState.ERASED else handle


def _hider(row: Any, handle: str | None, state: str | None) -> str:
    return BY_REPORTS if row.hidden_by_id is None else _handle(handle, state)


class HidingService(Service):
    async def hidden_items(self, member_id: int, *, limit: int = HIDDEN_MAX) -> list[HiddenItem]:
        """Hidden items the member moderates, most recently hidden first (module docstring)."""
        limit = max(1, min(limit, HIDDEN_MAX))
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            admin = member.role == Role.ADMIN
            led = set(
                await session.scalars(
                    select(MembershipRow.group_id).where(
                        MembershipRow.member_id == member.id,
                        MembershipRow.role == str(GroupRole.LEADER),
                    )
                )
            )
            staffed = await staffed_board_ids(session, member)
            if not (admin or led or staffed):
                raise PermissionDenied(
                    "Only group leaders, board staff and admins see what is hidden."
                )
            items = await self._posts(session, None if admin else led, limit)
            items += await self._threads(session, None if admin else led, limit)
            items += await self._ideas(session, None if admin else staffed, limit)
            items.sort(key=lambda item: (item.hidden_at, item.target_id), reverse=True)
            return items[:limit]

    @staticmethod
    async def _posts(
        session: AsyncSession, groups: set[int] | None, limit: int
    ) -> list[HiddenItem]:
        if groups is not None and not groups:
            return []
        ids = await _recently_hidden(session, PostRow)
        if not ids:
            return []
        query = (
            select(
                PostRow,
                ThreadRow.title,
                GroupRow,
                Author.handle,
                Author.state,
                Hider.handle,
                Hider.state,
            )
            .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
            .join(GroupRow, GroupRow.id == ThreadRow.group_id)
            .join(Author, Author.id == PostRow.author_id)
            .outerjoin(Hider, Hider.id == PostRow.hidden_by_id)
            .where(PostRow.id.in_(ids))
            .order_by(PostRow.hidden_at.desc(), PostRow.id.desc())
        )
        rows = [
            row
            for row in (await session.execute(query)).all()
            if groups is None or row[2].id in groups
        ]
        return [
            HiddenItem(
                kind=TargetKind.POST,
                target_id=post.id,
                place=f"{group.name} › {quoted(title)}",
                author_handle=_handle(author, author_state),
                text=post.body,
                hidden_by=_hider(post, hider, hider_state),
                hidden_at=post.hidden_at,
                reason=post.hidden_reason or "",
                thread_id=post.thread_id,
                group_id=group.id,
            )
            for post, title, group, author, author_state, hider, hider_state in rows
        ]

    @staticmethod
    async def _threads(
        session: AsyncSession, groups: set[int] | None, limit: int
    ) -> list[HiddenItem]:
        if groups is not None and not groups:
            return []
        ids = await _recently_hidden(session, ThreadRow)
        if not ids:
            return []
        query = (
            select(ThreadRow, GroupRow, Author.handle, Author.state, Hider.handle, Hider.state)
            .join(GroupRow, GroupRow.id == ThreadRow.group_id)
            .join(Author, Author.id == ThreadRow.author_id)
            .outerjoin(Hider, Hider.id == ThreadRow.hidden_by_id)
            .where(ThreadRow.id.in_(ids))
            .order_by(ThreadRow.hidden_at.desc(), ThreadRow.id.desc())
        )
        rows = [
            row
            for row in (await session.execute(query)).all()
            if groups is None or row[1].id in groups
        ]
        return [
            HiddenItem(
                kind=TargetKind.THREAD,
                target_id=thread.id,
                place=group.name,
                author_handle=_handle(author, author_state),
                text=thread.title,
                hidden_by=_hider(thread, hider, hider_state),
                hidden_at=thread.hidden_at,
                reason=thread.hidden_reason or "",
                thread_id=thread.id,
                group_id=group.id,
            )
            for thread, group, author, author_state, hider, hider_state in rows
        ]

    @staticmethod
    async def _ideas(
        session: AsyncSession, boards: set[int] | None, limit: int
    ) -> list[HiddenItem]:
        if boards is not None and not boards:
            return []
        ids = await _recently_hidden(session, IdeaRow)
        if not ids:
            return []
        query = (
            select(IdeaRow, BoardRow.name, Author.handle, Author.state, Hider.handle, Hider.state)
            .join(BoardRow, BoardRow.id == IdeaRow.board_id)
            .join(Author, Author.id == IdeaRow.author_id)
            .outerjoin(Hider, Hider.id == IdeaRow.hidden_by_id)
            .where(IdeaRow.id.in_(ids))
            .order_by(IdeaRow.hidden_at.desc(), IdeaRow.id.desc())
        )
        rows = [
            row
            for row in (await session.execute(query)).all()
            if boards is None or row[0].board_id in boards
        ]
        return [
            HiddenItem(
                kind=TargetKind.IDEA,
                target_id=idea.id,
                place=board,
                author_handle=_handle(author, author_state),
                text=f"{idea.title}\n{idea.body}",
                hidden_by=_hider(idea, hider, hider_state),
                hidden_at=idea.hidden_at,
                reason=idea.hidden_reason or "",
                board_id=idea.board_id,
            )
            for idea, board, author, author_state, hider, hider_state in rows
        ]


__all__ = ["BY_REPORTS", "HidingService"]
