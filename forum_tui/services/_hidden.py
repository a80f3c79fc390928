"""Hidden content on the read paths (services.moderation hides it; these show it).

Readers see ``hidden_notice`` in place of the text of a hidden post, thread (its title and
opening post) or idea; the item keeps its place, so order and counts do not change. The author,
admins and the item's moderators (the group's leaders; the board's staff for ideas) see the
text and the notice beside it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import Idea
from forum_tui.domain.enums import GroupRole, Role
from forum_tui.domain.models import Post, Thread
from forum_tui.domain.moderation import TargetKind, hidden_label, hidden_notice
from forum_tui.store.tables import MemberRow, MembershipRow, PostRow, ThreadRow


def notice_of(row: Any, kind: TargetKind) -> str:
    """The notice for a row with ``hidden_at``/``hidden_by_id``/``hidden_reason``, or ""."""
    if row.hidden_at is None:
        return ""
    return hidden_notice(kind, row.hidden_reason, automatic=row.hidden_by_id is None)


def leads(member: MemberRow, membership: MembershipRow | None) -> bool:
    """Whether the member sees hidden text in this group: an admin or one of its leaders."""
    return member.role == Role.ADMIN or (
        membership is not None and membership.role == GroupRole.LEADER
    )


async def opening_post_id(session: AsyncSession, thread: ThreadRow) -> int | None:
    """The thread's first post, when the thread is hidden (it hides with the title)."""
    if thread.hidden_at is None:
        return None
    return await session.scalar(
        select(PostRow.id).where(PostRow.thread_id == thread.id).order_by(PostRow.id).limit(1)
    )


def thread_as_seen(
    thread: Thread, row: ThreadRow, member: MemberRow, membership: MembershipRow | None
) -> Thread:
    notice = notice_of(row, TargetKind.THREAD)
    if not notice:
        return thread
    if leads(member, membership) or row.author_id == member.id:
        return replace(thread, hidden_notice=notice)
    label = hidden_label(TargetKind.THREAD, automatic=row.hidden_by_id is None)
    return replace(thread, title=label, hidden_notice=notice)


def post_as_seen(
    post: Post,
    row: PostRow,
    member: MemberRow,
    membership: MembershipRow | None,
    thread: ThreadRow,
    opening_id: int | None,
) -> Post:
    """``opening_id`` from ``opening_post_id``: the opening post of a hidden thread is hidden."""
    notice = notice_of(row, TargetKind.POST)
    if not notice and opening_id is not None and row.id == opening_id:
        notice = notice_of(thread, TargetKind.THREAD)
    if not notice:
        return post
    if leads(member, membership) or row.author_id == member.id:
        return replace(post, hidden_notice=notice)
    return replace(post, body=notice, hidden_notice=notice)


def idea_as_seen(idea: Idea, row: Any, member_id: int | None, *, reveal: bool = False) -> Idea:
    """``reveal``: the viewer is the board's staff or an admin."""
    notice = notice_of(row, TargetKind.IDEA)
    if not notice:
        return idea
    if reveal or (member_id is not None and row.author_id == member_id):
        return replace(idea, hidden_notice=notice)
    label = hidden_label(TargetKind.IDEA, automatic=row.hidden_by_id is None)
    return replace(idea, title=label, body=notice, hidden_notice=notice, latest_note="")
