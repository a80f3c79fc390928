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
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Group
from forum_tui.domain.moderation import (
    AUTO_HIDE_REPORTS,
    Action,
    AuditEntry,
    GroupMember,
    QueueItem,
    ReportReason,
    ReportState,
    TargetKind,
)
from forum_tui.domain.text import clean_body, is_blank
from forum_tui.services._boards_common import (
    FORMER_MEMBER,
    NO_SUCH_IDEA,
    holds_staff_role,
    may_respond,
    notify,
    quoted,
    staffed_board_ids,
)
from forum_tui.services._common import (
    NO_SUCH_THREAD,
    Clock,
    Service,
    is_leader,
    load_member,
    member_by_handle,
    require_active,
    utcnow,
    visible_group,
)
from forum_tui.services._counters import count_thread_move
from forum_tui.services.changes import announce, group_topic, post_topic, thread_topic
from forum_tui.services.groups import group_from_row
from forum_tui.services.moderation_queue import review_queue
from forum_tui.services.notification_targets import about
from forum_tui.services.silence_rules import require_may_lift_silence
from forum_tui.store.board_tables import BoardRow, BoardStaffRow, IdeaRow
from forum_tui.store.database import Database
from forum_tui.store.moderation_tables import ModerationActionRow, ReportRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

NO_SUCH_POST = "There is no such post, or it is in a private group."
REASON_MAX = 500
REPORT_TEXT_MAX = 1000
SLOW_MODE_MAX = 24 * 60 * 60  # a day between posts is the most a leader may ask
AUDIT_MAX = 500
OPERATOR = "operator"
AUTOMATIC = "automatic"

OPEN = str(ReportState.OPEN)
ESCALATED = str(ReportState.ESCALATED)
CONTENT_KINDS = (TargetKind.POST, TargetKind.THREAD, TargetKind.IDEA)


def _clean_reason(reason: str, *, required: bool, what: str = "reason") -> str:
    if is_blank(reason or ""):
        if required:
            raise ValidationError(f"Write a {what}: the member concerned is told it.")
        return ""
    cleaned = clean_body(reason)
    if len(cleaned) > REASON_MAX:
        raise ValidationError(
            f"A {what} can have at most {REASON_MAX} characters (this one has {len(cleaned):,})."
        )
    return cleaned


def _content_kind(kind: TargetKind | str) -> TargetKind:
    try:
        kind = TargetKind(kind)
    except ValueError:
        raise ValidationError("Only a post, a thread or an idea can be reported.") from None
    if kind not in CONTENT_KINDS:
        raise ValidationError("Only a post, a thread or an idea can be reported.")
    return kind


class _Target:
    """A post, thread or idea loaded for moderation, with where it lives."""

    def __init__(
        self,
        kind: TargetKind,
        row: PostRow | ThreadRow | IdeaRow,
        *,
        thread: ThreadRow | None = None,
        group: GroupRow | None = None,
        board: BoardRow | None = None,
    ) -> None:
        self.kind = kind
        self.row = row
        self.thread = thread
        self.group = group
        self.board = board

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def author_id(self) -> int:
        return self.row.author_id

    @property
    def group_id(self) -> int | None:
        return self.group.id if self.group else None

    @property
    def board_id(self) -> int | None:
        return self.board.id if self.board else None

    @property
    def hidden(self) -> bool:
        return self.row.hidden_at is not None

    def words(self) -> str:
        """The item in words, for notifications and the log."""
        if self.kind is TargetKind.IDEA:
            return f"Your idea {quoted(self.row.title)}"  # type: ignore[union-attr]
        assert self.thread is not None
        if self.kind is TargetKind.THREAD:
            return f"Your thread {quoted(self.thread.title)}"
        return f"Your post in {quoted(self.thread.title)}"

    def label(self) -> str:
        if self.kind is TargetKind.IDEA:
            return quoted(self.row.title)  # type: ignore[union-attr]
        assert self.thread is not None
        if self.kind is TargetKind.THREAD:
            return quoted(self.thread.title)
        return f"post #{self.row.id} in {quoted(self.thread.title)}"


class ModerationService(Service):
    def __init__(
        self, db: Database, clock: Clock = utcnow, *, auto_hide_reports: int = AUTO_HIDE_REPORTS
    ) -> None:
        super().__init__(db, clock)
        self.auto_hide_reports = max(1, auto_hide_reports)

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

    # --- leader tools -----------------------------------------------------------------------------

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

    async def _thread_flag(
        self, member_id: int, thread_id: int, action: Action, reason: str
    ) -> None:
        reason = _clean_reason(reason, required=False)
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            target = await self._load_target(session, member, TargetKind.THREAD, thread_id)
            await self._require_moderator(session, member, target)
            require_active(member, now)
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
            member = await load_member(session, member_id)
            target = await self._load_target(session, member, TargetKind.THREAD, thread_id)
            await self._require_moderator(session, member, target)
            require_active(member, now)
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

    # --- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _log(
        session: AsyncSession,
        actor_id: int | None,
        action: Action,
        kind: TargetKind,
        target_id: int | None,
        now: datetime,
        *,
        group_id: int | None = None,
        board_id: int | None = None,
        reason: str = "",
    ) -> None:
        session.add(
            ModerationActionRow(
                actor_id=actor_id,
                action=str(action),
                target_kind=str(kind),
                target_id=target_id,
                group_id=group_id,
                board_id=board_id,
                reason=reason,
                created_at=now,
            )
        )

    @staticmethod
    async def _lock(session: AsyncSession, target: _Target) -> None:
        """Locks the item's row (PostgreSQL; a SQLite write holds the database already), so two
        reports at once both count towards auto-hide, and a report and a decision serialise."""
        table = type(target.row)
        await session.execute(
            select(table.id)  # type: ignore[attr-defined]
            .where(table.id == target.id)  # type: ignore[attr-defined]
            .with_for_update()
        )

    @staticmethod
    def _set_hidden(
        target: _Target, by: int | None, reason: str | None, now: datetime, *, hide: bool = True
    ) -> None:
        target.row.hidden_at = now if hide else None
        target.row.hidden_by_id = by if hide else None
        target.row.hidden_reason = reason if hide else None

    @staticmethod
    async def _announce(session: AsyncSession, target: _Target) -> None:
        if target.kind is TargetKind.POST:
            await session.flush()
            assert target.thread is not None
            await announce(session, post_topic(target.id), thread_topic(target.thread.id))
        elif target.kind is TargetKind.THREAD:
            await session.flush()
            await announce(session, thread_topic(target.id), group_topic(target.group_id or 0))

    @staticmethod
    def _where(target: _Target) -> str:
        if target.board is not None:
            return target.board.name
        assert target.group is not None
        return target.group.name

    @staticmethod
    async def _target_row(
        session: AsyncSession, kind: TargetKind, target_id: int
    ) -> _Target | None:
        """The item and where it lives, or None; no visibility check."""
        if kind is TargetKind.IDEA:
            idea = await session.get(IdeaRow, target_id)
            if idea is None:
                return None
            board = await session.get(BoardRow, idea.board_id)
            return _Target(kind, idea, board=board)
        if kind is TargetKind.POST:
            post = await session.get(PostRow, target_id)
            if post is None:
                return None
            thread = await session.get(ThreadRow, post.thread_id)
            assert thread is not None
            group = await session.get(GroupRow, thread.group_id)
            return _Target(kind, post, thread=thread, group=group)
        thread = await session.get(ThreadRow, target_id)
        if thread is None:
            return None
        group = await session.get(GroupRow, thread.group_id)
        return _Target(kind, thread, thread=thread, group=group)

    async def _load_target(
        self, session: AsyncSession, member: MemberRow, kind: TargetKind, target_id: int
    ) -> _Target:
        """The item if the member can see it: NotFound otherwise, as for reading."""
        missing = {
            TargetKind.POST: NO_SUCH_POST,
            TargetKind.THREAD: NO_SUCH_THREAD,
            TargetKind.IDEA: NO_SUCH_IDEA,
        }[kind]
        target = await self._target_row(session, kind, target_id)
        if target is None:
            raise NotFound(missing)
        if target.group is not None:
            try:
                await visible_group(session, member, target.group.id)
            except NotFound:
                raise NotFound(missing) from None
        return target

    @staticmethod
    async def _require_moderator(session: AsyncSession, member: MemberRow, target: _Target) -> None:
        if member.role == Role.ADMIN:
            return
        if target.board is not None:
            if not await may_respond(session, member, target.board.id):
                raise PermissionDenied(
                    f"Only the staff of {target.board.name} can moderate its ideas."
                )
            return
        assert target.group is not None
        membership = await session.get(MembershipRow, (member.id, target.group.id))
        if not is_leader(membership):
            raise PermissionDenied(f"Only the leaders of {target.group.name} can do that.")

    async def _group_as_moderator(
        self, session: AsyncSession, member_id: int, group_id: int
    ) -> tuple[MemberRow, GroupRow]:
        member = await load_member(session, member_id)
        group, membership = await visible_group(session, member, group_id)
        if member.role != Role.ADMIN and not is_leader(membership):
            raise PermissionDenied(f"Only the leaders of {group.name} can do that.")
        require_active(member, self.now())
        return member, group

    async def _group_target(
        self, session: AsyncSession, member_id: int, group_id: int, handle: str
    ) -> tuple[MemberRow, GroupRow, MembershipRow | None, MemberRow, MembershipRow]:
        member, group = await self._group_as_moderator(session, member_id, group_id)
        target = await member_by_handle(session, handle)
        membership = await session.get(MembershipRow, (target.id, group.id))
        if membership is None:
            raise NotFound(f"{target.handle} is not a member of {group.name}.")
        own = await session.get(MembershipRow, (member.id, group.id))
        return member, group, own, target, membership

    @staticmethod
    def _may_act_on(member: MemberRow, target: MemberRow, membership: MembershipRow) -> None:
        if target.id == member.id:
            raise ValidationError("You cannot do that to yourself.")
        if membership.role == GroupRole.LEADER and member.role != Role.ADMIN:
            raise PermissionDenied("Only an admin can do that to another leader.")

    async def _require_admin(
        self, session: AsyncSession, member_id: int | None
    ) -> MemberRow | None:
        if member_id is None:
            return None
        member = await load_member(session, member_id)
        if member.role != Role.ADMIN:
            raise PermissionDenied("Only an admin can do that.")
        require_active(member, self.now())
        return member

    @staticmethod
    async def _led_group_ids(session: AsyncSession, member: MemberRow) -> set[int]:
        return set(
            await session.scalars(
                select(MembershipRow.group_id).where(
                    MembershipRow.member_id == member.id,
                    MembershipRow.role == str(GroupRole.LEADER),
                )
            )
        )

    @staticmethod
    async def _moderators_of(session: AsyncSession, target: _Target) -> list[int]:
        """Who hears about reports on the item: the group's leaders or the board's staff, and
        the admins when there are none."""
        if target.board is not None:
            staff = [
                row
                for row in await session.scalars(
                    select(MemberRow)
                    .join(BoardStaffRow, BoardStaffRow.member_id == MemberRow.id)
                    .where(BoardStaffRow.board_id == target.board.id)
                )
                if holds_staff_role(row)
            ]
            ids = [row.id for row in staff]
        else:
            assert target.group is not None
            ids = list(
                await session.scalars(
                    select(MembershipRow.member_id)
                    .join(MemberRow, MemberRow.id == MembershipRow.member_id)
                    .where(
                        MembershipRow.group_id == target.group.id,
                        MembershipRow.role == str(GroupRole.LEADER),
                        MemberRow.state != str(MemberState.ERASED),
                    )
                )
            )
        if ids:
            return ids
        return list(
            await session.scalars(
                select(MemberRow.id).where(
                    MemberRow.role == str(Role.ADMIN), MemberRow.state == str(MemberState.ACTIVE)
                )
            )
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
