"""Moderation: reports and the review queue, leader tools, admin tools and the audit log.

Who may do what (checked here, role by role, never only in the UI):

* **Posts and threads** are moderated by the leaders of their group and by admins. Anyone else
  is refused with PermissionDenied, or NotFound when the group is private and they are not in
  it (a private group does not exist for outsiders).
* **Ideas** are moderated by the staff of their board and by admins (``may_respond``).
* **Members of a group** (silence, remove, invite, slow mode) by its leaders and admins. A
  leader cannot silence or remove another leader; an admin can.
* **Accounts** (suspend, change role) by admins only. ``member_id=None`` on those is the
  operator at the command line, recorded in the log as "operator".

Every act appends one ``ModerationActionRow`` in the same transaction (a thread move appends one
for each of the two groups, so both groups' leaders see it). No service updates or deletes them.

Reports: one per member and item; a second report of the same item by the same member is refused
with a ValidationError saying so. After ``auto_hide_reports`` distinct open reports the item is
hidden pending review (an ``auto_hide`` row with no actor) and the leaders (or the board's
staff) are notified; they are also notified of an item's first report. Hiding, restoring,
dismissing or escalating resolves every open report on the item (admins' decisions also resolve
escalated ones); reporters are told their report was reviewed, and the author of hidden or
restored content is told, with the reason. Dismissing the reports of an item hidden pending
review shows it again.

Hidden content keeps its place (thread order, reply counts and unread counts are unchanged).
Readers see ``hidden_notice`` in place of the text; the group's leaders (the board's staff for
ideas), admins and the author see the text and the notice. A hidden thread hides its title and
opening post; replies are moderated one by one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.errors import PermissionDenied, ValidationError
from forum_tui.domain.models import Group
from forum_tui.domain.moderation import (
    Action,
    AuditEntry,
    QueueItem,
    ReportReason,
    ReportState,
    TargetKind,
)
from forum_tui.services._boards_common import FORMER_MEMBER, notify, staffed_board_ids
from forum_tui.services._common import is_leader, load_member, require_active, visible_group
from forum_tui.services.groups import group_from_row
from forum_tui.services.moderation_base import (
    AUDIT_MAX,
    AUTOMATIC,
    ESCALATED,
    OPEN,
    OPERATOR,
    REPORT_TEXT_MAX,
    _clean_reason,
    _content_kind,
)
from forum_tui.services.moderation_members import MemberModeration
from forum_tui.services.moderation_queue import review_queue
from forum_tui.services.moderation_threads import ThreadModeration
from forum_tui.services.notification_targets import about
from forum_tui.store.board_tables import BoardRow
from forum_tui.store.moderation_tables import ModerationActionRow, ReportRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow


class ModerationService(ThreadModeration, MemberModeration):
    """Reports, the review queue and the audit log; the leader and admin tools are its parts
    ``ThreadModeration`` and ``MemberModeration``, over ``ModerationBase``."""

    # --- reports --------------------------------------------------------------------------------

    async def report(
        self,
        member_id: int,
        kind: TargetKind,
        target_id: int,
        reason: ReportReason,
        text: str = "",
    ) -> None:
        """Reports a post, thread or idea. Any active member who can see it, except its author.

        Refused: a second report of the same item by the same member (ValidationError), the
        author reporting their own item, suspended members. Items in a private group the member
        is not in are NotFound. At ``auto_hide_reports`` distinct open reports the item is
        hidden pending review; the leaders (board staff) hear of the first report and of that.
        """
        kind = _content_kind(kind)
        reason = ReportReason(reason)
        text = _clean_reason(text, required=False, what="note")
        if len(text) > REPORT_TEXT_MAX:
            raise ValidationError(f"A note can have at most {REPORT_TEXT_MAX} characters.")
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            target = await self._load_target(session, member, kind, target_id)
            await self._lock(session, target)
            if target.author_id == member.id:
                raise ValidationError("You cannot report what you wrote yourself.")
            already = await session.scalar(
                select(ReportRow.id).where(
                    ReportRow.target_kind == str(kind),
                    ReportRow.target_id == target.id,
                    ReportRow.reporter_id == member.id,
                )
            )
            if already is not None:
                raise ValidationError(
                    f"You have already reported this {kind}; a leader will look at it."
                )
            session.add(
                ReportRow(
                    target_kind=str(kind),
                    target_id=target.id,
                    reporter_id=member.id,
                    reason=str(reason),
                    text=text,
                    state=OPEN,
                    created_at=now,
                )
            )
            await session.flush()
            open_count = await session.scalar(
                select(func.count(func.distinct(ReportRow.reporter_id))).where(
                    ReportRow.target_kind == str(kind),
                    ReportRow.target_id == target.id,
                    ReportRow.state.in_((OPEN, ESCALATED)),
                )
            )
            moderators = [m for m in await self._moderators_of(session, target) if m != member.id]
            where = self._where(target)
            if open_count == 1:
                notify(
                    session,
                    moderators,
                    NotificationKind.REPORT,
                    f"A {kind} in {where} was reported ({reason.label}); it is in your "
                    "review queue.",
                    now,
                    **about(kind, target.id, target.thread.id if target.thread else None),
                )
            if (
                open_count is not None
                and open_count >= self.auto_hide_reports
                and not target.hidden
            ):
                self._set_hidden(target, None, None, now)
                self._log(
                    session,
                    None,
                    Action.AUTO_HIDE,
                    kind,
                    target.id,
                    now,
                    group_id=target.group_id,
                    board_id=target.board_id,
                    reason=f"{open_count} members reported it",
                )
                notify(
                    session,
                    moderators,
                    NotificationKind.REPORT,
                    f"A {kind} in {where} was reported by {open_count} members and is hidden "
                    "pending your review.",
                    now,
                    **about(kind, target.id, target.thread.id if target.thread else None),
                )
                await self._announce(session, target)

    async def review_queue(self, member_id: int) -> list[QueueItem]:
        """Reported items awaiting a decision, oldest report first (``moderation_queue``)."""
        return await review_queue(self.db, member_id)

    async def dismiss_report(
        self, member_id: int, kind: TargetKind, target_id: int, note: str = ""
    ) -> None:
        """Dismisses the open reports on an item: nothing wrong with it. Its moderators only.

        An item hidden pending review (by reports) is shown again. Refused with ValidationError
        when there is no open report on it.
        """
        note = _clean_reason(note, required=False, what="note")
        await self._resolve(member_id, kind, target_id, Action.DISMISS_REPORT, note)

    async def escalate(
        self, member_id: int, kind: TargetKind, target_id: int, note: str = ""
    ) -> None:
        """Passes the open reports on an item to the admins, who are notified. Its moderators
        only; refused with ValidationError when there is no open report on it."""
        note = _clean_reason(note, required=False, what="note")
        await self._resolve(member_id, kind, target_id, Action.ESCALATE_REPORT, note)

    async def hide(self, member_id: int, kind: TargetKind, target_id: int, reason: str) -> None:
        """Hides a post, thread or idea; ``reason`` (required) is shown to readers in its place.

        Its moderators only. Resolves its reports; the author is notified with the reason.
        Hiding again changes the reason.
        """
        reason = _clean_reason(reason, required=True)
        await self._resolve(member_id, kind, target_id, Action.HIDE, reason)

    async def restore(
        self, member_id: int, kind: TargetKind, target_id: int, reason: str = ""
    ) -> None:
        """Shows a hidden item again. Its moderators only; refused (ValidationError) if it is not
        hidden. Resolves its open reports as dismissed; the author is notified."""
        reason = _clean_reason(reason, required=False)
        await self._resolve(member_id, kind, target_id, Action.RESTORE, reason)

    async def _resolve(
        self, member_id: int, kind: TargetKind, target_id: int, action: Action, reason: str
    ) -> None:
        kind = _content_kind(kind)
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            target = await self._load_target(session, member, kind, target_id)
            await self._lock(session, target)
            await self._require_moderator(session, member, target)
            require_active(member, now)
            states = (OPEN, ESCALATED) if member.role == Role.ADMIN else (OPEN,)
            if action is Action.ESCALATE_REPORT:
                states = (OPEN,)
            pending = list(
                await session.scalars(
                    select(ReportRow).where(
                        ReportRow.target_kind == str(kind),
                        ReportRow.target_id == target.id,
                        ReportRow.state.in_(states),
                    )
                )
            )
            if action in (Action.DISMISS_REPORT, Action.ESCALATE_REPORT) and not pending:
                raise ValidationError(f"There is no open report on this {kind}.")
            if action is Action.RESTORE and not target.hidden:
                raise ValidationError(f"This {kind} is not hidden.")
            new_state = {
                Action.DISMISS_REPORT: ReportState.DISMISSED,
                Action.ESCALATE_REPORT: ReportState.ESCALATED,
                Action.HIDE: ReportState.HIDDEN,
                Action.RESTORE: ReportState.DISMISSED,
            }[action]
            for report in pending:
                report.state = str(new_state)
                if new_state is not ReportState.ESCALATED:
                    report.resolved_at = now
                    report.resolved_by_id = member.id
            self._log(
                session,
                member.id,
                action,
                kind,
                target.id,
                now,
                group_id=target.group_id,
                board_id=target.board_id,
                reason=reason,
            )
            where = self._where(target)
            subject = about(kind, target.id, target.thread.id if target.thread else None)
            if action is Action.HIDE:
                self._set_hidden(target, member.id, reason, now)
                if target.author_id != member.id:
                    notify(
                        session,
                        [target.author_id],
                        NotificationKind.MODERATION,
                        f"{target.words()} in {where} was hidden: {reason}",
                        now,
                        **subject,
                    )
            elif action is Action.RESTORE or (
                action is Action.DISMISS_REPORT
                and target.hidden
                and target.row.hidden_by_id is None
            ):
                self._set_hidden(target, None, None, now, hide=False)
                if action is Action.DISMISS_REPORT:
                    self._log(
                        session,
                        member.id,
                        Action.RESTORE,
                        kind,
                        target.id,
                        now,
                        group_id=target.group_id,
                        board_id=target.board_id,
                        reason="reports dismissed",
                    )
                if target.author_id != member.id:
                    tail = f": {reason}" if reason else "."
                    notify(
                        session,
                        [target.author_id],
                        NotificationKind.MODERATION,
                        f"{target.words()} in {where} is shown again{tail}",
                        now,
                        **subject,
                    )
            if action is Action.ESCALATE_REPORT:
                admins = await session.scalars(
                    select(MemberRow.id).where(
                        MemberRow.role == str(Role.ADMIN),
                        MemberRow.state == str(MemberState.ACTIVE),
                        MemberRow.id != member.id,
                    )
                )
                notify(
                    session,
                    list(admins),
                    NotificationKind.REPORT,
                    f"A reported {kind} in {where} was escalated to the admins"
                    + (f": {reason}" if reason else "."),
                    now,
                    **subject,
                )
            else:
                reporters = [r.reporter_id for r in pending if r.reporter_id != member.id]
                notify(
                    session,
                    reporters,
                    NotificationKind.REPORT_RESOLVED,
                    f"Thank you: the {kind} you reported in {where} has been reviewed.",
                    now,
                    **subject,
                )
            await self._announce(session, target)

    # --- reading ----------------------------------------------------------------------------------

    async def audit_log(
        self,
        member_id: int,
        *,
        group_id: int | None = None,
        limit: int = 100,
        before_id: int | None = None,
    ) -> list[AuditEntry]:
        """The log of moderating acts, newest first; pass the last entry's id as ``before_id``
        for the next page. Admins see everything; leaders the entries of groups they lead,
        board staff those of their boards; anyone else is refused (PermissionDenied). Asking
        for a group one does not lead is refused (NotFound for a private group one is not in).
        """
        limit = max(1, min(limit, AUDIT_MAX))
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            admin = member.role == Role.ADMIN
            query = select(ModerationActionRow)
            if group_id is not None:
                _, membership = await visible_group(session, member, group_id)
                if not admin and not is_leader(membership):
                    raise PermissionDenied("Only the group's leaders can read its log.")
                query = query.where(ModerationActionRow.group_id == group_id)
            elif not admin:
                led = await self._led_group_ids(session, member)
                staffed = await staffed_board_ids(session, member)
                if not (led or staffed):
                    raise PermissionDenied("Only group leaders, board staff and admins read logs.")
                query = query.where(
                    ModerationActionRow.group_id.in_(led)
                    | ModerationActionRow.board_id.in_(staffed)
                )
            if before_id is not None:
                query = query.where(ModerationActionRow.id < before_id)
            rows = list(
                await session.scalars(query.order_by(ModerationActionRow.id.desc()).limit(limit))
            )
            return await self._entries(session, rows)

    async def led_groups(self, member_id: int) -> list[Group]:
        """The groups the member can moderate: those they lead (every group, for an admin)."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            query = (
                select(GroupRow, MembershipRow.role)
                .outerjoin(
                    MembershipRow,
                    (MembershipRow.group_id == GroupRow.id)
                    & (MembershipRow.member_id == member.id),
                )
                .order_by(func.lower(GroupRow.name), GroupRow.id)
            )
            if member.role != Role.ADMIN:
                query = query.where(MembershipRow.role == str(GroupRole.LEADER))
            return [group_from_row(row, role) for row, role in await session.execute(query)]

    async def can_moderate(self, member_id: int) -> bool:
        """Whether the Moderation screen applies: the member leads a group, staffs a board or
        is an admin."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            if member.role == Role.ADMIN:
                return True
            return bool(
                await self._led_group_ids(session, member)
                or await staffed_board_ids(session, member)
            )

    async def _entries(
        self, session: AsyncSession, rows: list[ModerationActionRow]
    ) -> list[AuditEntry]:
        actor_ids = {row.actor_id for row in rows if row.actor_id is not None}
        member_ids = actor_ids | {
            row.target_id
            for row in rows
            if row.target_kind == TargetKind.MEMBER and row.target_id is not None
        }
        members = await self._handles(session, member_ids)
        group_names = dict(
            (
                await session.execute(
                    select(GroupRow.id, GroupRow.name).where(
                        GroupRow.id.in_({row.group_id for row in rows if row.group_id})
                    )
                )
            ).all()
        )
        board_names = dict(
            (
                await session.execute(
                    select(BoardRow.id, BoardRow.name).where(
                        BoardRow.id.in_({row.board_id for row in rows if row.board_id})
                    )
                )
            ).all()
        )
        entries = []
        for row in rows:
            if row.actor_id is None:
                actor = AUTOMATIC if row.action == Action.AUTO_HIDE else OPERATOR
            else:
                actor = members.get(row.actor_id, FORMER_MEMBER)
            place = (
                group_names.get(row.group_id, "")
                if row.group_id
                else board_names.get(row.board_id or 0, "") or "whole forum"
            )
            entries.append(
                AuditEntry(
                    id=row.id,
                    actor_handle=actor,
                    action=Action(row.action),
                    target_kind=TargetKind(row.target_kind),
                    target_id=row.target_id,
                    place=place,
                    reason=row.reason,
                    created_at=row.created_at,
                    target_label=await self._target_label(session, row, members),
                    group_id=row.group_id,
                    board_id=row.board_id,
                )
            )
        return entries

    @staticmethod
    async def _handles(session: AsyncSession, ids: Iterable[int]) -> dict[int, str]:
        ids = set(ids)
        if not ids:
            return {}
        return {
            member.id: FORMER_MEMBER if member.state == MemberState.ERASED else member.handle
            for member in await session.scalars(select(MemberRow).where(MemberRow.id.in_(ids)))
        }

    async def _target_label(
        self, session: AsyncSession, row: ModerationActionRow, members: dict[int, str]
    ) -> str:
        if row.target_id is None:
            return ""
        kind = TargetKind(row.target_kind)
        if kind is TargetKind.MEMBER:
            return f"@{members.get(row.target_id, FORMER_MEMBER)}"
        if kind is TargetKind.GROUP:
            return ""
        target = await self._target_row(session, kind, row.target_id)
        return target.label() if target is not None else f"{kind} #{row.target_id}"


__all__ = ["ModerationService"]
