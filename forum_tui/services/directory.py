"""The directory the command line prints: groups, boards and members by slug or handle, so an
operator (or a newcomer to the forum's setup) never has to read the source to find a slug.
Operator level: no member check, like every ``forum-tui`` command."""

from __future__ import annotations

from sqlalchemy import func, select

from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.leaders import DirectoryEntry
from forum_tui.services._common import Service
from forum_tui.store.board_tables import BoardRow, BoardStaffRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow


class DirectoryService(Service):
    async def groups(self) -> list[DirectoryEntry]:
        """Every group by slug: name, visibility, members and leaders."""
        async with self.db.read() as session:
            counts = dict(
                (
                    await session.execute(
                        select(MembershipRow.group_id, func.count()).group_by(
                            MembershipRow.group_id
                        )
                    )
                ).all()
            )
            leaders: dict[int, list[str]] = {}
            for group_id, handle in await session.execute(
                select(MembershipRow.group_id, MemberRow.handle)
                .join(MemberRow, MemberRow.id == MembershipRow.member_id)
                .where(
                    MembershipRow.role == str(GroupRole.LEADER),
                    MemberRow.state != str(MemberState.ERASED),
                )
                .order_by(func.lower(MemberRow.handle))
            ):
                leaders.setdefault(group_id, []).append(handle)
            rows = await session.scalars(select(GroupRow).order_by(GroupRow.slug))
            return [
                DirectoryEntry(
                    row.slug,
                    row.name,
                    f"{row.visibility} · {counts.get(row.id, 0)} members · leaders: "
                    + (", ".join(leaders.get(row.id, [])) or "none"),
                )
                for row in rows
            ]

    async def boards(self) -> list[DirectoryEntry]:
        """Every board by slug: name and staff."""
        async with self.db.read() as session:
            staff: dict[int, list[str]] = {}
            for board_id, handle in await session.execute(
                select(BoardStaffRow.board_id, MemberRow.handle)
                .join(MemberRow, MemberRow.id == BoardStaffRow.member_id)
                .where(MemberRow.state != str(MemberState.ERASED))
                .order_by(func.lower(MemberRow.handle))
            ):
                staff.setdefault(board_id, []).append(handle)
            rows = await session.scalars(select(BoardRow).order_by(BoardRow.slug))
            return [
                DirectoryEntry(
                    row.slug, row.name, "staff: " + (", ".join(staff.get(row.id, [])) or "none")
                )
                for row in rows
            ]

    async def members(self, role: Role | None = None) -> list[DirectoryEntry]:
        """Every member (erased accounts left out) by handle, optionally of one role."""
        async with self.db.read() as session:
            query = select(MemberRow).where(MemberRow.state != str(MemberState.ERASED))
            if role is not None:
                query = query.where(MemberRow.role == str(Role(role)))
            rows = await session.scalars(query.order_by(func.lower(MemberRow.handle)))
            return [
                DirectoryEntry(row.handle, row.display_name or "", f"{row.role} · {row.state}")
                for row in rows
            ]


__all__ = ["DirectoryService"]
