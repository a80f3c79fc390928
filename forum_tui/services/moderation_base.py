"""What every part of moderation shares: the item being moderated (``_Target``), who may act
on it, and the audit log every act appends to. The rules themselves are in ``moderation``'s
docstring; ``moderation_threads`` and ``moderation_members`` hold the leader and admin tools."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import GroupRole, MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.moderation import AUTO_HIDE_REPORTS, Action, ReportState, TargetKind
from forum_tui.domain.text import clean_body, is_blank
from forum_tui.services._boards_common import NO_SUCH_IDEA, holds_staff_role, may_respond, quoted
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
from forum_tui.services.changes import announce, group_topic, post_topic, thread_topic
from forum_tui.store.board_tables import BoardRow, BoardStaffRow, IdeaRow
from forum_tui.store.database import Database
from forum_tui.store.moderation_tables import ModerationActionRow
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


class ModerationBase(Service):
    """The shared state and helpers of ``ModerationService`` and its parts."""

    def __init__(
        self, db: Database, clock: Clock = utcnow, *, auto_hide_reports: int = AUTO_HIDE_REPORTS
    ) -> None:
        super().__init__(db, clock)
        self.auto_hide_reports = max(1, auto_hide_reports)

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


__all__ = ["ModerationBase"]
