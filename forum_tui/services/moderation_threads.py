"""Leader tools for threads: lock, pin and move (leaders of the group and admins; see
``moderation``). Each act is logged and announced to the screens showing the thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import Role
from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.domain.models import Member
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.services._common import is_leader, load_member, require_active, visible_group
from forum_tui.services._counters import count_thread_move
from forum_tui.services.changes import announce, group_topic, thread_topic
from forum_tui.services.moderation_base import ModerationBase, _clean_reason, _Target
from forum_tui.store.tables import PostRow, ThreadRow


class ThreadModeration(ModerationBase):
    async def lock_thread(self, member_id: int, thread_id: int, reason: str = "") -> None:
        """Locks a thread: it takes no more replies. Leaders of its group and admins only."""
        await self._thread_flag(member_id, thread_id, Action.LOCK, reason)

    async def unlock_thread(self, member_id: int, thread_id: int, reason: str = "") -> None:
        """Unlocks a thread. Leaders of its group and admins only."""
        await self._thread_flag(member_id, thread_id, Action.UNLOCK, reason)

    async def pin_thread(self, member_id: int, thread_id: int, reason: str = "") -> None:
        """Pins a thread to the top of its group. Leaders of its group and admins only."""
        await self._thread_flag(member_id, thread_id, Action.PIN, reason)

    async def unpin_thread(self, member_id: int, thread_id: int, reason: str = "") -> None:
        """Unpins a thread. Leaders of its group and admins only."""
        await self._thread_flag(member_id, thread_id, Action.UNPIN, reason)

    async def _thread_as_moderator(
        self, session: AsyncSession, member_id: int, thread_id: int, now: datetime
    ) -> tuple[Member, _Target]:
        """The acting member and the thread, once they are known to moderate it and may act."""
        member = await load_member(session, member_id)
        target = await self._load_target(session, member, TargetKind.THREAD, thread_id)
        await self._require_moderator(session, member, target)
        require_active(member, now)
        return member, target

    async def _thread_flag(
        self, member_id: int, thread_id: int, action: Action, reason: str
    ) -> None:
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            member, target = await self._thread_as_moderator(session, member_id, thread_id, now)
            column, value = {
                Action.LOCK: ("locked", True),
                Action.UNLOCK: ("locked", False),
                Action.PIN: ("pinned", True),
                Action.UNPIN: ("pinned", False),
            }[action]
            values: dict[str, object] = {column: value}
            if column == "locked":  # shown to readers where the reply box was
                values["lock_reason"] = reason or None if value else None
            await session.execute(
                update(ThreadRow)
                .where(ThreadRow.id == target.id)
                .values(values)
                .execution_options(synchronize_session=False)
            )
            self._log(
                session,
                member.id,
                action,
                TargetKind.THREAD,
                target.id,
                now,
                group_id=target.group_id,
                reason=reason,
            )
            await announce(session, thread_topic(target.id), group_topic(target.group_id or 0))

    async def move_thread(
        self, member_id: int, thread_id: int, to_group_id: int, reason: str = ""
    ) -> None:
        """Moves a thread (with its posts) to another group. The member must lead both groups,
        or be an admin. Moving it to the group it is in is refused (ValidationError)."""
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            member, target = await self._thread_as_moderator(session, member_id, thread_id, now)
            to_group, membership = await visible_group(session, member, to_group_id)
            if member.role != Role.ADMIN and not is_leader(membership):
                raise PermissionDenied("You can only move threads into groups you lead.")
            assert target.group is not None
            if to_group.id == target.group.id:
                raise ValidationError(f"This thread is already in {to_group.name}.")
            from_group = target.group
            await session.execute(
                update(ThreadRow)
                .where(ThreadRow.id == target.id)
                .values(group_id=to_group.id)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(PostRow)
                .where(PostRow.thread_id == target.id)
                .values(group_id=to_group.id)
                .execution_options(synchronize_session=False)
            )
            await count_thread_move(session, target.row, from_group.id, to_group.id)  # type: ignore[arg-type]
            words = f"moved from {from_group.name} to {to_group.name}"
            for group_id in (from_group.id, to_group.id):
                self._log(
                    session,
                    member.id,
                    Action.MOVE_THREAD,
                    TargetKind.THREAD,
                    target.id,
                    now,
                    group_id=group_id,
                    reason=f"{words}: {reason}" if reason else words,
                )
            await announce(
                session,
                thread_topic(target.id),
                group_topic(from_group.id),
                group_topic(to_group.id),
            )


__all__ = ["ThreadModeration"]
