"""Leader and admin tools for members: silence, remove, invite and slow mode in a group
(its leaders and admins), suspend and change role (admins only; ``member_id=None`` is the
operator at the command line). See ``moderation`` for who may do what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.errors import ValidationError
from forum_tui.domain.moderation import Action, GroupMember, TargetKind
from forum_tui.services._boards_common import notify
from forum_tui.services._common import load_member, member_by_handle, visible_group
from forum_tui.services.changes import announce, group_topic
from forum_tui.services.moderation_base import SLOW_MODE_MAX, ModerationBase, _clean_reason
from forum_tui.services.silence_rules import require_may_lift_silence
from forum_tui.store.tables import MemberRow, MembershipRow


class MemberModeration(ModerationBase):
    # --- leader tools ---------------------------------------------------------------------------

    async def silence(
        self, member_id: int, group_id: int, handle: str, until: datetime, reason: str
    ) -> None:
        """Pauses a member's posting in a group until ``until`` (they can still read).

        Leaders of the group and admins only; a leader cannot silence another leader or
        themselves. ``until`` must be in the future; ``reason`` is required and the member is
        told it.
        """
        reason = _clean_reason(reason, required=True)
        now = self.now()
        if until.tzinfo is None or until <= now:
            raise ValidationError("Choose a time in the future for the silence to end.")
        async with self.db.write() as session:
            member, group, _, target, membership = await self._group_target(
                session, member_id, group_id, handle
            )
            self._may_act_on(member, target, membership)
            membership.silenced_until = until
            self._log(
                session,
                member.id,
                Action.SILENCE,
                TargetKind.MEMBER,
                target.id,
                now,
                group_id=group.id,
                reason=f"until {until:%d %b %Y %H:%M} UTC: {reason}",
            )
            notify(
                session,
                [target.id],
                NotificationKind.MODERATION,
                f"A leader of {group.name} paused your posting there until "
                f"{until:%d %b %Y %H:%M} UTC: {reason}",
                now,
                group_id=group.id,
            )
            await announce(session, group_topic(group.id))

    async def unsilence(self, member_id: int, group_id: int, handle: str, reason: str = "") -> None:
        """Lets a silenced member post again. Leaders of the group and admins only; never one's
        own silence, and a leader never one set by an admin or on a leader
        (``silence_rules``)."""
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            member, group, _, target, membership = await self._group_target(
                session, member_id, group_id, handle
            )
            await require_may_lift_silence(session, member, group, target, membership)
            membership.silenced_until = None
            self._log(
                session,
                member.id,
                Action.UNSILENCE,
                TargetKind.MEMBER,
                target.id,
                now,
                group_id=group.id,
                reason=reason,
            )
            notify(
                session,
                [target.id],
                NotificationKind.MODERATION,
                f"You can post in {group.name} again.",
                now,
                group_id=group.id,
            )

    async def remove_member(self, member_id: int, group_id: int, handle: str, reason: str) -> None:
        """Removes a member from a private group (an open group can be rejoined at will: silence
        instead). Leaders of the group and admins; a leader cannot remove another leader or
        themselves. ``reason`` is required and recorded."""
        reason = _clean_reason(reason, required=True)
        now = self.now()
        async with self.db.write() as session:
            member, group, _, target, membership = await self._group_target(
                session, member_id, group_id, handle
            )
            if group.visibility != Visibility.PRIVATE:
                raise ValidationError(
                    f"{group.name} is open: anyone can join it again. Silence the member instead."
                )
            self._may_act_on(member, target, membership)
            await session.delete(membership)
            self._log(
                session,
                member.id,
                Action.REMOVE_MEMBER,
                TargetKind.MEMBER,
                target.id,
                now,
                group_id=group.id,
                reason=reason,
            )
            notify(
                session,
                [target.id],
                NotificationKind.MODERATION,
                f"You were removed from {group.name}: {reason}",
                now,
            )
            await announce(session, group_topic(group.id))

    async def invite_to_group(self, member_id: int, group_id: int, handle: str) -> None:
        """Adds an existing member to a private group. Leaders of the group and admins only.
        An open group needs no invitation (ValidationError); a member already in it is left
        as they are."""
        now = self.now()
        async with self.db.write() as session:
            member, group = await self._group_as_moderator(session, member_id, group_id)
            if group.visibility != Visibility.PRIVATE:
                raise ValidationError(f"{group.name} is open: anyone can join it.")
            target = await member_by_handle(session, handle)
            if await session.get(MembershipRow, (target.id, group.id)) is not None:
                return
            session.add(
                MembershipRow(
                    member_id=target.id,
                    group_id=group.id,
                    role=str(GroupRole.MEMBER),
                    joined_at=now,
                )
            )
            self._log(
                session,
                member.id,
                Action.INVITE_MEMBER,
                TargetKind.MEMBER,
                target.id,
                now,
                group_id=group.id,
            )
            notify(
                session,
                [target.id],
                NotificationKind.MODERATION,
                f"A leader added you to {group.name}.",
                now,
                group_id=group.id,
            )

    async def set_slow_mode(self, member_id: int, group_id: int, seconds: int) -> None:
        """Sets the group's slow mode: each member may post at most once per ``seconds``
        (0 switches it off; at most a day). Stored in ``groups.slow_mode_seconds``; posting
        enforces it. Leaders of the group and admins only."""
        if not 0 <= seconds <= SLOW_MODE_MAX:
            raise ValidationError("Slow mode is between 0 (off) and 86,400 seconds (a day).")
        now = self.now()
        async with self.db.write() as session:
            member, group = await self._group_as_moderator(session, member_id, group_id)
            group.slow_mode_seconds = seconds
            self._log(
                session,
                member.id,
                Action.SLOW_MODE,
                TargetKind.GROUP,
                group.id,
                now,
                group_id=group.id,
                reason=f"{seconds} seconds between posts" if seconds else "off",
            )
            await announce(session, group_topic(group.id))

    async def slow_mode_seconds(self, member_id: int, group_id: int) -> int:
        """The group's slow mode in seconds (0: off), for anyone who can see the group."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            group, _ = await visible_group(session, member, group_id)
            return group.slow_mode_seconds

    # --- admin tools ------------------------------------------------------------------------------

    async def suspend(
        self, member_id: int | None, handle: str, until: datetime | None, reason: str
    ) -> None:
        """Suspends an account site-wide until ``until`` (None: until an admin lifts it). A
        suspended member can read but not write. Admins only (``None``: the operator); an admin
        cannot suspend themselves. ``reason`` is required."""
        reason = _clean_reason(reason, required=True)
        now = self.now()
        if until is not None and (until.tzinfo is None or until <= now):
            raise ValidationError("Choose a time in the future for the suspension to end.")
        async with self.db.write() as session:
            actor = await self._require_admin(session, member_id)
            target = await member_by_handle(session, handle)
            if actor is not None and target.id == actor.id:
                raise ValidationError("You cannot suspend your own account.")
            target.state = str(MemberState.SUSPENDED)
            target.suspended_until = until
            when = f"until {until:%d %b %Y %H:%M} UTC" if until else "until lifted"
            self._log(
                session,
                member_id,
                Action.SUSPEND,
                TargetKind.MEMBER,
                target.id,
                now,
                reason=f"{when}: {reason}",
            )

    async def unsuspend(self, member_id: int | None, handle: str, reason: str = "") -> None:
        """Lifts a suspension. Admins only (``None``: the operator)."""
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            await self._require_admin(session, member_id)
            target = await member_by_handle(session, handle)
            target.state = str(MemberState.ACTIVE)
            target.suspended_until = None
            self._log(
                session,
                member_id,
                Action.UNSUSPEND,
                TargetKind.MEMBER,
                target.id,
                now,
                reason=reason,
            )

    async def change_role(
        self, member_id: int | None, handle: str, role: Role, reason: str = ""
    ) -> None:
        """Changes a member's site-wide role. Admins only (``None``: the operator); an admin
        cannot change their own role (so the last admin cannot lock everyone out)."""
        role = Role(role)
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            actor = await self._require_admin(session, member_id)
            target = await member_by_handle(session, handle)
            if actor is not None and target.id == actor.id:
                raise ValidationError("You cannot change your own role; ask another admin.")
            old = target.role
            target.role = str(role)
            words = f"{old} to {role}"
            self._log(
                session,
                member_id,
                Action.CHANGE_ROLE,
                TargetKind.MEMBER,
                target.id,
                now,
                reason=f"{words}: {reason}" if reason else words,
            )

    async def group_members(self, member_id: int, group_id: int) -> list[GroupMember]:
        """The members of a group, leaders first then by handle, each as (handle, role,
        silenced_until) — the latter None unless a silence is still running. Leaders of the
        group and admins only."""
        now = self.now()
        async with self.db.read() as session:
            _, group = await self._group_as_moderator(session, member_id, group_id)
            rows = await session.execute(
                select(MemberRow.handle, MembershipRow.role, MembershipRow.silenced_until)
                .join(MemberRow, MemberRow.id == MembershipRow.member_id)
                .where(
                    MembershipRow.group_id == group.id,
                    MemberRow.state != str(MemberState.ERASED),
                )
                .order_by(
                    (MembershipRow.role == str(GroupRole.LEADER)).desc(),
                    func.lower(MemberRow.handle),
                )
            )
            return [
                GroupMember(
                    handle,
                    GroupRole(role),
                    silenced if silenced is not None and silenced > now else None,
                )
                for handle, role, silenced in rows
            ]


__all__ = ["MemberModeration"]
