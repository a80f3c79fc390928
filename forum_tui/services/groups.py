"""Peer-support groups: seeing, joining and leaving them, and setting them up."""

from __future__ import annotations

import re

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import GroupRole, Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Group
from forum_tui.domain.text import clean_body, clean_title
from forum_tui.services import _read_marks as read_marks
from forum_tui.services._common import (
    NO_SUCH_GROUP,
    Service,
    load_member,
    member_by_handle,
    reader_in_group,
    require_active,
    visible_group,
)
from forum_tui.store.tables import GroupRow, MembershipRow, ThreadReadRow, ThreadRow

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def group_from_row(
    row: GroupRow, my_role: str | None = None, thread_count: int = 0, unread: int = 0
) -> Group:
    return Group(
        id=row.id,
        slug=row.slug,
        name=row.name,
        description=row.description,
        visibility=Visibility(row.visibility),
        my_role=GroupRole(my_role) if my_role else None,
        thread_count=thread_count,
        unread=max(unread, 0),
    )


async def _require_operator(session: AsyncSession, actor_id: int | None) -> None:
    """``None`` is the operator at the command line, who holds the database already."""
    if actor_id is None:
        return
    actor = await load_member(session, actor_id)
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only an admin can set up groups and their leaders.")


class GroupService(Service):
    async def list_groups(self, member_id: int) -> tuple[list[Group], list[Group]]:
        """The member's own groups (with unread posts) and the open groups they could join.

        Private groups the member is not in are never listed.
        """
        await read_marks.saved(member_id)
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            # Unread = the group's posts (a counter) less what the member has seen, summed over
            # the member's own read marks only: no thread of the group is read here.
            seen = (
                select(ThreadRow.group_id, func.sum(ThreadReadRow.posts_seen).label("seen"))
                .join(ThreadRow, ThreadRow.id == ThreadReadRow.thread_id)
                .where(ThreadReadRow.member_id == member.id)
                .group_by(ThreadRow.group_id)
                .subquery()
            )
            rows = await session.execute(
                select(
                    GroupRow,
                    MembershipRow.role,
                    GroupRow.thread_count,
                    GroupRow.post_count - func.coalesce(seen.c.seen, 0),
                )
                .outerjoin(
                    MembershipRow,
                    and_(
                        MembershipRow.group_id == GroupRow.id, MembershipRow.member_id == member.id
                    ),
                )
                .outerjoin(seen, seen.c.group_id == GroupRow.id)
                .order_by(func.lower(GroupRow.name), GroupRow.id)
            )
            mine: list[Group] = []
            others: list[Group] = []
            for group, role, threads, unread in rows:
                if role is not None:
                    mine.append(group_from_row(group, role, threads or 0, int(unread or 0)))
                elif group.visibility == Visibility.OPEN or member.role == Role.ADMIN:
                    others.append(group_from_row(group, None, threads or 0))
            return mine, others

    async def get_group(self, member_id: int, group_id: int) -> Group:
        """A group with its thread count (a counter, not a count). Anyone may see an open
        group; a private one is NotFound for anyone but its members and admins."""
        async with self.db.read() as session:
            _, group, membership = await reader_in_group(session, member_id, group_id)
            return group_from_row(
                group, membership.role if membership else None, group.thread_count
            )

    async def find_group(self, slug: str) -> Group:
        """Looks a group up by slug, for operators at the command line."""
        async with self.db.read() as session:
            row = await self._by_slug(session, slug)
            return group_from_row(row)

    async def join_group(self, member_id: int, group_id: int) -> Group:
        """Any active member may join an open group; private groups need a leader's invitation."""
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, self.now())
            group, membership = await visible_group(session, member, group_id)
            if membership is None:
                if group.visibility != Visibility.OPEN:
                    raise PermissionDenied(f"{group.name} is private: a leader must invite you.")
                session.add(
                    MembershipRow(
                        member_id=member.id,
                        group_id=group.id,
                        role=str(GroupRole.MEMBER),
                        joined_at=self.now(),
                    )
                )
                await session.flush()
            membership = await session.get(MembershipRow, (member.id, group.id))
            return group_from_row(group, membership.role if membership else None)

    async def leave_group(self, member_id: int, group_id: int) -> None:
        """A member may leave any group they are in, except the last leader of it."""
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            group, membership = await visible_group(session, member, group_id)
            if membership is None:
                return
            if membership.role == GroupRole.LEADER:
                leaders = await session.scalar(
                    select(func.count())
                    .select_from(MembershipRow)
                    .where(
                        MembershipRow.group_id == group.id,
                        MembershipRow.role == GroupRole.LEADER,
                    )
                )
                if leaders == 1:
                    raise PermissionDenied(
                        f"You are the only leader of {group.name}. Ask an admin to name a "
                        "new leader before you leave."
                    )
            await session.delete(membership)

    async def add_group(
        self,
        slug: str,
        name: str,
        *,
        description: str = "",
        visibility: Visibility = Visibility.OPEN,
        actor_id: int | None = None,
    ) -> Group:
        """Creates a group. Admins only (or the operator at the command line)."""
        slug = slug.strip().lower()
        if not SLUG.match(slug):
            raise ValidationError(
                "A group slug has 1 to 40 lowercase letters, digits and hyphens, "
                "like 'young-carers'."
            )
        name = clean_title(name)
        description = clean_body(description) if description.strip() else ""
        async with self.db.write() as session:
            await _require_operator(session, actor_id)
            if await session.scalar(select(GroupRow.id).where(GroupRow.slug == slug)):
                raise ValidationError(f"There is already a group with the slug {slug}.")
            row = GroupRow(
                slug=slug,
                name=name,
                description=description,
                visibility=str(visibility),
                created_at=self.now(),
            )
            session.add(row)
            await session.flush()
            return group_from_row(row)

    async def set_leader(self, slug: str, handle: str, *, actor_id: int | None = None) -> Group:
        """Makes a member a leader of a group, adding them to it if needed. Admins only."""
        async with self.db.write() as session:
            await _require_operator(session, actor_id)
            group = await self._by_slug(session, slug)
            member = await member_by_handle(session, handle)
            membership = await session.get(MembershipRow, (member.id, group.id))
            if membership is None:
                session.add(
                    MembershipRow(
                        member_id=member.id,
                        group_id=group.id,
                        role=str(GroupRole.LEADER),
                        joined_at=self.now(),
                    )
                )
            else:
                membership.role = str(GroupRole.LEADER)
            return group_from_row(group, str(GroupRole.LEADER))

    async def add_to_group(self, slug: str, handle: str, *, actor_id: int | None = None) -> None:
        """Puts a member in a group (open or private). Admins only, or the operator."""
        async with self.db.write() as session:
            await _require_operator(session, actor_id)
            group = await self._by_slug(session, slug)
            member = await member_by_handle(session, handle)
            if await session.get(MembershipRow, (member.id, group.id)) is None:
                session.add(
                    MembershipRow(
                        member_id=member.id,
                        group_id=group.id,
                        role=str(GroupRole.MEMBER),
                        joined_at=self.now(),
                    )
                )

    @staticmethod
    async def _by_slug(session: AsyncSession, slug: str) -> GroupRow:
        row = (
            await session.execute(select(GroupRow).where(GroupRow.slug == slug.strip().lower()))
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(f"There is no group with the slug {slug!r}.")
        return row


__all__ = ["GroupService", "NO_SUCH_GROUP", "group_from_row"]
