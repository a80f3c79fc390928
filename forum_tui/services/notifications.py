"""Notifications (minimal; a later issue adds the full centre): a member is told in-app when an
idea they wrote or support changes status, and when an outcome credits them.

They are written by the idea and outcome services in the same transaction as the change (see
``_boards_common.notify``); this service only reads them and marks them read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from forum_tui.domain.boards import Notification, NotificationKind
from forum_tui.domain.enums import MemberState
from forum_tui.services._common import Service, load_member
from forum_tui.store.board_tables import NotificationRow
from forum_tui.store.follow_tables import NotificationSettingRow
from forum_tui.store.tables import MemberRow

NOTIFICATIONS_MAX = 200


def _notification(row: NotificationRow, about: str | None = None) -> Notification:
    return Notification(
        id=row.id,
        kind=NotificationKind(row.kind),
        text=row.text,
        created_at=row.created_at,
        read=row.read_at is not None,
        idea_id=row.idea_id,
        outcome_id=row.outcome_id,
        thread_id=row.thread_id,
        post_id=row.post_id,
        checkin_id=row.checkin_id,
        about_handle=about,
        group_id=row.group_id,
    )


def not_turned_off(member_id: int) -> Any:
    """Leaves out the kinds the member turned off (services.following), whoever wrote them."""
    off = select(NotificationSettingRow.kind).where(
        NotificationSettingRow.member_id == member_id, NotificationSettingRow.delivery == "off"
    )
    return NotificationRow.kind.not_in(off)


class NotificationService(Service):
    async def list_notifications(
        self, member_id: int, *, unread_only: bool = False, limit: int = 50
    ) -> list[Notification]:
        """The member's own notifications, newest first by date (at most ``limit``, up to 200).

        By date, not by id: notifications written for past events (seeding, imports) are not
        in id order, and a list that jumps from 30 Sep back to 22 Nov reads as broken.
        """
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            query = (
                select(NotificationRow, MemberRow.handle, MemberRow.state)
                .outerjoin(MemberRow, MemberRow.id == NotificationRow.about_member_id)
                .where(NotificationRow.member_id == member.id, not_turned_off(member.id))
            )
            if unread_only:
                query = query.where(NotificationRow.read_at.is_(None))
            query = query.order_by(
                NotificationRow.created_at.desc(), NotificationRow.id.desc()
            ).limit(max(1, min(limit, NOTIFICATIONS_MAX)))
            return [
                _notification(row, None if state == MemberState.ERASED else handle)
                for row, handle, state in await session.execute(query)
            ]

    async def unread_count(self, member_id: int) -> int:
        """How many of the member's notifications are unread."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            count = await session.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(
                    NotificationRow.member_id == member.id,
                    NotificationRow.read_at.is_(None),
                    not_turned_off(member.id),
                )
            )
            return int(count or 0)

    async def mark_read(self, member_id: int, ids: list[int] | None = None) -> None:
        """Marks the member's notifications read: those in ``ids``, or all when ``None``.
        Ids of other members' notifications are ignored."""
        if ids is not None and not ids:
            return
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            statement = (
                update(NotificationRow)
                .where(NotificationRow.member_id == member.id, NotificationRow.read_at.is_(None))
                .values(read_at=self.now())
                .execution_options(synchronize_session=False)
            )
            if ids is not None:
                statement = statement.where(NotificationRow.id.in_(ids))
            await session.execute(statement)


__all__ = ["NotificationService"]
