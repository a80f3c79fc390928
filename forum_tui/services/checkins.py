"""Private check-ins (design.md §6): after a crisis alert a leader can check in with a member
in private. There is no other private channel: members cannot open one with each other, so no
unsupervised private conversation between members exists.

Who may do what:

* **start**: a leader of a group the member is in (the check-in belongs to that group), a
  staff member, or an admin. Anyone else — a carer, a volunteer, a leader of a group the member
  is not in — is refused (PermissionDenied). Nobody checks in with themselves.
* **read and answer**: the member checked on, whoever started it, and the leaders of its group
  (so a leader going off shift is covered). Nobody else learns it exists (NotFound).
* **close**: any of those; a closed check-in takes no more answers.

Every message tells the others who can read it (NotificationKind.CHECKIN). A check-in is part
of the member's export and goes with their erasure (services.privacy).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.leaders import CHECKIN_SUBJECT, CheckIn, CheckInMessage, CheckInView
from forum_tui.domain.text import clean_body, clean_title
from forum_tui.services._boards_common import FORMER_MEMBER, holds_staff_role, notify, quoted
from forum_tui.services._common import (
    NO_SUCH_GROUP,
    Service,
    is_leader,
    load_member,
    member_by_handle,
    require_active,
)
from forum_tui.store.checkin_tables import CheckInMessageRow, CheckInRow
from forum_tui.store.tables import DraftRow, GroupRow, MemberRow, MembershipRow

NO_SUCH_CHECKIN = "There is no such check-in."
MEMBERS_CANNOT = (
    "Members cannot start private conversations with each other. A leader of your group or a "
    "staff member can check in with you, and you can answer them."
)
CHECKINS_MAX = 200


class CheckInService(Service):
    async def start_checkin(
        self,
        member_id: int,
        handle: str,
        body: str,
        *,
        group_id: int | None = None,
        subject: str = CHECKIN_SUBJECT,
    ) -> CheckInView:
        """Opens a private check-in with the member ``handle`` and sends its first message.

        A leader names the group (``group_id``) they check in for; without one, the first group
        they lead that the member is in. See the module docstring for who may.
        """
        body = clean_body(body)
        subject = clean_title(subject)
        now = self.now()
        async with self.db.write() as session:
            actor = await load_member(session, member_id)
            require_active(actor, now)
            target = await member_by_handle(session, handle)
            if target.id == actor.id:
                raise ValidationError("You cannot check in with yourself.")
            group = await self._group_for(session, actor, target, group_id)
            row = CheckInRow(
                member_id=target.id,
                group_id=group.id if group is not None else None,
                started_by_id=actor.id,
                subject=subject,
                created_at=now,
                last_message_at=now,
            )
            session.add(row)
            await session.flush()
            session.add(
                CheckInMessageRow(checkin_id=row.id, author_id=actor.id, body=body, created_at=now)
            )
            where = f" (for {group.name})" if group is not None else ""
            notify(
                session,
                [target.id],
                NotificationKind.CHECKIN,
                f"{actor.handle} started a private check-in with you{where}: "
                f"{quoted(subject)}. Only you, they and your group's leaders can read it.",
                now,
                checkin_id=row.id,
            )
            others = [
                m for m in await self._readers(session, row) if m not in (actor.id, target.id)
            ]
            notify(
                session,
                others,
                NotificationKind.CHECKIN,
                f"{actor.handle} started a private check-in with {target.handle}{where}.",
                now,
                checkin_id=row.id,
            )
            await session.flush()
            return await self._view(session, actor, row)

    async def reply(self, member_id: int, checkin_id: int, body: str) -> CheckInView:
        """Adds a message to an open check-in. Its readers only (module docstring); refused
        when it is closed (ValidationError) or the member is suspended."""
        body = clean_body(body)
        now = self.now()
        async with self.db.write() as session:
            actor = await load_member(session, member_id)
            row = await self._visible(session, actor, checkin_id, lock=True)
            require_active(actor, now)
            if row.closed_at is not None:
                raise ValidationError("This check-in is closed: it takes no more messages.")
            session.add(
                CheckInMessageRow(checkin_id=row.id, author_id=actor.id, body=body, created_at=now)
            )
            row.last_message_at = now
            draft = await session.get(DraftRow, (actor.id, f"checkin:{row.id}"))
            if draft is not None:  # sent: the unsent copy goes in the same transaction
                await session.delete(draft)
            others = [m for m in await self._readers(session, row) if m != actor.id]
            notify(
                session,
                others,
                NotificationKind.CHECKIN,
                f"{actor.handle} answered in the private check-in {quoted(row.subject)}.",
                now,
                checkin_id=row.id,
            )
            await session.flush()
            return await self._view(session, actor, row)

    async def close(self, member_id: int, checkin_id: int) -> CheckInView:
        """Closes a check-in: it stays readable and takes no more messages. Its readers only;
        refused when it is already closed (ValidationError)."""
        now = self.now()
        async with self.db.write() as session:
            actor = await load_member(session, member_id)
            row = await self._visible(session, actor, checkin_id, lock=True)
            if row.closed_at is not None:
                raise ValidationError("This check-in is already closed.")
            row.closed_at = now
            row.closed_by_id = actor.id
            others = [m for m in await self._readers(session, row) if m != actor.id]
            notify(
                session,
                others,
                NotificationKind.CHECKIN,
                f"{actor.handle} closed the private check-in {quoted(row.subject)}.",
                now,
                checkin_id=row.id,
            )
            await session.flush()
            return await self._view(session, actor, row)

    async def open_checkin(self, member_id: int, checkin_id: int) -> CheckInView:
        """A check-in with its messages, oldest first. Its readers only (NotFound otherwise)."""
        async with self.db.read() as session:
            actor = await load_member(session, member_id)
            row = await self._visible(session, actor, checkin_id)
            return await self._view(session, actor, row)

    async def list_checkins(self, member_id: int) -> list[CheckIn]:
        """The check-ins the member can read: open ones first, then the latest message first."""
        async with self.db.read() as session:
            actor = await load_member(session, member_id)
            led = select(MembershipRow.group_id).where(
                MembershipRow.member_id == actor.id, MembershipRow.role == str(GroupRole.LEADER)
            )
            rows = list(
                await session.scalars(
                    select(CheckInRow)
                    .where(
                        or_(
                            CheckInRow.member_id == actor.id,
                            CheckInRow.started_by_id == actor.id,
                            CheckInRow.group_id.in_(led),
                        )
                    )
                    .order_by(
                        CheckInRow.closed_at.is_not(None),
                        CheckInRow.last_message_at.desc(),
                        CheckInRow.id.desc(),
                    )
                    .limit(CHECKINS_MAX)
                )
            )
            return [await self._checkin(session, actor, row) for row in rows]

    # --- helpers ----------------------------------------------------------------------------------

    @staticmethod
    async def _group_for(
        session: AsyncSession, actor: MemberRow, target: MemberRow, group_id: int | None
    ) -> GroupRow | None:
        """The group the check-in belongs to, after checking the actor may start it."""
        overseer = actor.role == Role.ADMIN or holds_staff_role(actor)
        if group_id is not None:
            group = await session.get(GroupRow, group_id)
            if group is None:
                raise NotFound(NO_SUCH_GROUP)
            own = await session.get(MembershipRow, (actor.id, group.id))
            theirs = await session.get(MembershipRow, (target.id, group.id))
            if not overseer and not is_leader(own):
                if own is None and group.visibility == "private":
                    raise NotFound(NO_SUCH_GROUP)
                raise PermissionDenied(f"Only the leaders of {group.name} can check in for it.")
            if theirs is None:
                raise ValidationError(f"{target.handle} is not a member of {group.name}.")
            return group
        shared = await session.scalar(
            select(GroupRow)
            .join(MembershipRow, MembershipRow.group_id == GroupRow.id)
            .where(
                MembershipRow.member_id == actor.id,
                MembershipRow.role == str(GroupRole.LEADER),
                GroupRow.id.in_(
                    select(MembershipRow.group_id).where(MembershipRow.member_id == target.id)
                ),
            )
            .order_by(GroupRow.id)
            .limit(1)
        )
        if shared is not None:
            return shared
        if overseer:
            return None
        if await session.scalar(
            select(func.count())
            .select_from(MembershipRow)
            .where(MembershipRow.member_id == actor.id, MembershipRow.role == str(GroupRole.LEADER))
        ):
            raise PermissionDenied(
                f"You can check in only with members of a group you lead; {target.handle} is "
                "not in one."
            )
        raise PermissionDenied(MEMBERS_CANNOT)

    @staticmethod
    async def _readers(session: AsyncSession, row: CheckInRow) -> list[int]:
        """Everyone who may read the check-in, erased accounts left out."""
        ids = {row.member_id, row.started_by_id}
        if row.group_id is not None:
            ids |= set(
                await session.scalars(
                    select(MembershipRow.member_id).where(
                        MembershipRow.group_id == row.group_id,
                        MembershipRow.role == str(GroupRole.LEADER),
                    )
                )
            )
        erased = set(
            await session.scalars(
                select(MemberRow.id).where(
                    MemberRow.id.in_(ids), MemberRow.state == str(MemberState.ERASED)
                )
            )
        )
        return sorted(ids - erased)

    async def _visible(
        self, session: AsyncSession, actor: MemberRow, checkin_id: int, *, lock: bool = False
    ) -> CheckInRow:
        query = select(CheckInRow).where(CheckInRow.id == checkin_id)
        if lock:
            query = query.with_for_update()
        row = await session.scalar(query)
        if row is None or actor.id not in await self._readers(session, row):
            raise NotFound(NO_SUCH_CHECKIN)
        return row

    @staticmethod
    async def _handles(session: AsyncSession, ids: set[int]) -> dict[int, str]:
        return {
            mid: FORMER_MEMBER if state == MemberState.ERASED else handle
            for mid, handle, state in await session.execute(
                select(MemberRow.id, MemberRow.handle, MemberRow.state).where(MemberRow.id.in_(ids))
            )
        }

    async def _checkin(self, session: AsyncSession, actor: MemberRow, row: CheckInRow) -> CheckIn:
        ids = {row.member_id, row.started_by_id} | ({row.closed_by_id} - {None})
        handles = await self._handles(session, ids)  # type: ignore[arg-type]
        group = await session.get(GroupRow, row.group_id) if row.group_id is not None else None
        count = await session.scalar(
            select(func.count())
            .select_from(CheckInMessageRow)
            .where(CheckInMessageRow.checkin_id == row.id)
        )
        return CheckIn(
            id=row.id,
            member_handle=handles.get(row.member_id, FORMER_MEMBER),
            started_by=handles.get(row.started_by_id, FORMER_MEMBER),
            group_name=group.name if group is not None else None,
            subject=row.subject,
            created_at=row.created_at,
            last_message_at=row.last_message_at,
            closed_at=row.closed_at,
            closed_by=handles.get(row.closed_by_id) if row.closed_by_id else None,
            about_me=row.member_id == actor.id,
            message_count=int(count or 0),
        )

    async def _view(self, session: AsyncSession, actor: MemberRow, row: CheckInRow) -> CheckInView:
        messages = list(
            await session.scalars(
                select(CheckInMessageRow)
                .where(CheckInMessageRow.checkin_id == row.id)
                .order_by(CheckInMessageRow.id)
            )
        )
        handles = await self._handles(session, {m.author_id for m in messages})
        is_open = row.closed_at is None
        active = actor.state == MemberState.ACTIVE or _suspension_over(actor, self.now())
        return CheckInView(
            checkin=await self._checkin(session, actor, row),
            messages=tuple(
                CheckInMessage(
                    id=m.id,
                    author_handle=handles.get(m.author_id, FORMER_MEMBER),
                    body=m.body,
                    created_at=m.created_at,
                    mine=m.author_id == actor.id,
                )
                for m in messages
            ),
            can_reply=is_open and active,
            can_close=is_open,
        )


def _suspension_over(member: MemberRow, now: datetime) -> bool:
    return (
        member.state == MemberState.SUSPENDED
        and member.suspended_until is not None
        and member.suspended_until <= now
    )


__all__ = ["MEMBERS_CANNOT", "NO_SUCH_CHECKIN", "CheckInService"]
