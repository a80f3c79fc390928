"""What every service shares: the clock, loading the acting member, and group access rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import and_, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied
from forum_tui.domain.models import Member
from forum_tui.domain.text import handle_key
from forum_tui.store.database import Database
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


NO_SUCH_GROUP = "There is no such group, or it is private."
NO_SUCH_THREAD = "There is no such thread, or it is in a private group."


class Service:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.now = clock


def member_from_row(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        handle=row.handle,
        display_name=row.display_name,
        role=Role(row.role),
        state=MemberState(row.state),
        suspended_until=row.suspended_until,
    )


async def load_member(session: AsyncSession, member_id: int) -> MemberRow:
    row = await session.get(MemberRow, member_id)
    if row is None or row.state == MemberState.ERASED:
        raise NotFound("That member account does not exist.")
    return row


def require_active(member: MemberRow, now: datetime) -> None:
    """A suspended member can still read but cannot write anything."""
    if member.state == MemberState.SUSPENDED and (
        member.suspended_until is None or member.suspended_until > now
    ):
        until = (
            f" until {member.suspended_until:%d %b %Y %H:%M} UTC" if member.suspended_until else ""
        )
        raise PermissionDenied(f"Your account is suspended{until}, so you cannot post.")


async def membership_of(
    session: AsyncSession, member_id: int, group_id: int
) -> MembershipRow | None:
    return await session.get(MembershipRow, (member_id, group_id))


async def visible_group(
    session: AsyncSession, member: MemberRow, group_id: int
) -> tuple[GroupRow, MembershipRow | None]:
    """The group if the member may see it. Private groups do not exist for non-members."""
    group = await session.get(GroupRow, group_id)
    if group is None:
        raise NotFound(NO_SUCH_GROUP)
    membership = await membership_of(session, member.id, group.id)
    if group.visibility == Visibility.PRIVATE and membership is None and member.role != Role.ADMIN:
        raise NotFound(NO_SUCH_GROUP)
    return group, membership


def check_group_visible(
    member: MemberRow, group: GroupRow | None, membership: MembershipRow | None
) -> GroupRow:
    """``visible_group``'s rule on rows already loaded: NotFound for a missing group, and for
    a private one the member is not in (unless an admin)."""
    if group is None:
        raise NotFound(NO_SUCH_GROUP)
    if group.visibility == Visibility.PRIVATE and membership is None and member.role != Role.ADMIN:
        raise NotFound(NO_SUCH_GROUP)
    return group


async def reader_in_group(
    session: AsyncSession, member_id: int, group_id: int
) -> tuple[MemberRow, GroupRow, MembershipRow | None]:
    """The member, the group and their membership in ONE statement (every group read starts
    with these; three lookups cost ~0.4 ms each at 1 M posts), with the checks of
    ``load_member`` and ``visible_group``."""
    row = (
        await session.execute(
            select(MemberRow, GroupRow, MembershipRow)
            .select_from(MemberRow)
            .outerjoin(GroupRow, GroupRow.id == literal(group_id))
            .outerjoin(
                MembershipRow,
                and_(MembershipRow.member_id == MemberRow.id, MembershipRow.group_id == group_id),
            )
            .where(MemberRow.id == member_id)
        )
    ).first()
    if row is None or row[0].state == MemberState.ERASED:
        raise NotFound("That member account does not exist.")
    member, group, membership = row
    return member, check_group_visible(member, group, membership), membership


def require_can_post(
    member: MemberRow, group: GroupRow, membership: MembershipRow | None, now: datetime
) -> None:
    """Posting needs an active account, membership of the group, and not being silenced."""
    require_active(member, now)
    if membership is None:
        raise PermissionDenied(f"Join {group.name} to post in it.")
    if membership.silenced_until is not None and membership.silenced_until > now:
        raise PermissionDenied(
            f"A group leader has paused your posting in {group.name} until "
            f"{membership.silenced_until:%d %b %Y %H:%M} UTC. You can still read."
        )


def is_leader(membership: MembershipRow | None) -> bool:
    return membership is not None and membership.role == GroupRole.LEADER


async def member_by_handle(session: AsyncSession, handle: str) -> MemberRow:
    row = (
        await session.execute(select(MemberRow).where(MemberRow.handle_key == handle_key(handle)))
    ).scalar_one_or_none()
    if row is None or row.state == MemberState.ERASED:
        raise NotFound(f"No member has the handle {handle!r}.")
    return row
