"""Spam and flood limits on posting, checked inside the posting transaction.

Limits are computed from the rows that already exist (the member's posts, threads and ideas in
the last minutes), so there is no counter table to drift or to clean up; the queries use the
index on ``posts.author_id`` (and ``threads``/``ideas`` by author) and look at a few minutes of
one member's writing.

What is limited (defaults; each can be changed with an environment variable, see
:meth:`PostingLimits.from_env`):

* **Rate**: at most 10 posts (threads and replies together) per 10 minutes per member, anywhere.
  Ideas: at most 5 per hour.
* **Duplicates**: the same post body (after cleaning) by the same member within 10 minutes,
  anywhere, is refused ("You posted exactly this a moment ago…"); the same for an idea's body.
* **New members**: in their first 24 hours, at most 3 new threads and 10 replies.
* **Slow mode**: a group leader may set seconds between posts per member in their group
  (``groups.slow_mode_seconds``; 0 is off).

Group leaders (in that group) and admins are exempt from slow mode and the new-member limits, not
from the rate or duplicate checks (a leader's stuck key repeats as much as anyone's). A refusal
is :class:`RateLimited` whose message says when the member can post again; nothing is written,
and the UI keeps the text in the composer.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.enums import GroupRole, Role
from forum_tui.domain.errors import RateLimited
from forum_tui.store.board_tables import IdeaRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

ENV_PREFIX = "FORUM_TUI_"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name} must be a whole number, not {raw!r}.") from None
    if value < 0:
        raise ValueError(f"{ENV_PREFIX}{name} must be 0 or more, not {value}.")
    return value


@dataclass(frozen=True)
class PostingLimits:
    """How much a member may write how fast. A count of 0 switches that limit off."""

    enabled: bool = True
    posts_per_window: int = 10
    window: timedelta = timedelta(minutes=10)
    duplicate_window: timedelta = timedelta(minutes=10)
    new_member_period: timedelta = timedelta(hours=24)
    new_member_threads: int = 3
    new_member_replies: int = 10
    ideas_per_window: int = 5
    ideas_window: timedelta = timedelta(hours=1)

    @classmethod
    def off(cls) -> PostingLimits:
        """No limits at all: for seeding demo data and for tests about other things."""
        return cls(enabled=False)

    @classmethod
    def from_env(cls) -> PostingLimits:
        """The defaults, changed by environment variables:

        ``FORUM_TUI_POSTING_LIMITS=off`` switches every limit off (slow mode included);
        ``FORUM_TUI_POSTS_PER_WINDOW`` (10) and ``FORUM_TUI_POST_WINDOW_MINUTES`` (10);
        ``FORUM_TUI_DUPLICATE_MINUTES`` (10); ``FORUM_TUI_NEW_MEMBER_HOURS`` (24),
        ``FORUM_TUI_NEW_MEMBER_THREADS`` (3), ``FORUM_TUI_NEW_MEMBER_REPLIES`` (10);
        ``FORUM_TUI_IDEAS_PER_WINDOW`` (5) and ``FORUM_TUI_IDEA_WINDOW_MINUTES`` (60).
        """
        switch = os.environ.get(ENV_PREFIX + "POSTING_LIMITS", "on").strip().lower()
        if switch in ("off", "0", "false", "no"):
            return cls.off()
        base = cls()
        return replace(
            base,
            posts_per_window=_env_int("POSTS_PER_WINDOW", base.posts_per_window),
            window=timedelta(minutes=_env_int("POST_WINDOW_MINUTES", 10)),
            duplicate_window=timedelta(minutes=_env_int("DUPLICATE_MINUTES", 10)),
            new_member_period=timedelta(hours=_env_int("NEW_MEMBER_HOURS", 24)),
            new_member_threads=_env_int("NEW_MEMBER_THREADS", base.new_member_threads),
            new_member_replies=_env_int("NEW_MEMBER_REPLIES", base.new_member_replies),
            ideas_per_window=_env_int("IDEAS_PER_WINDOW", base.ideas_per_window),
            ideas_window=timedelta(minutes=_env_int("IDEA_WINDOW_MINUTES", 60)),
        )


def when(at: datetime, now: datetime) -> str:
    """'at 10:07 UTC (in 3 minutes)': when the member can post again, in words."""
    seconds = max(1, math.ceil((at - now).total_seconds()))
    if seconds < 60:
        wait = f"in {seconds} second{'s' if seconds != 1 else ''}"
    elif seconds < 2 * 3600:
        minutes = math.ceil(seconds / 60)
        wait = f"in {minutes} minute{'s' if minutes != 1 else ''}"
    else:
        wait = f"in about {round(seconds / 3600)} hours"
    return f"at {at:%H:%M} UTC ({wait})"


def slow_mode_seconds(group: GroupRow) -> int:
    """The group's slow mode in seconds between one member's posts there; 0 is off."""
    return int(group.slow_mode_seconds or 0)


def _exempt(member: MemberRow, membership: MembershipRow | None) -> bool:
    """Leaders of the group and admins skip slow mode and the new-member limits."""
    return member.role == Role.ADMIN or (
        membership is not None and membership.role == GroupRole.LEADER
    )


async def check_post(
    session: AsyncSession,
    limits: PostingLimits,
    member: MemberRow,
    group: GroupRow,
    membership: MembershipRow | None,
    body: str,
    now: datetime,
    *,
    new_thread: bool,
) -> None:
    """Raises RateLimited if this post (a new thread's first post, or a reply) would break a
    limit. Call inside the posting transaction, after the permission checks."""
    if not limits.enabled:
        return
    await _refuse_duplicate(session, limits, member, body, now)
    await _refuse_flood(session, limits, member, now)
    if _exempt(member, membership):
        return
    await _refuse_new_member_excess(session, limits, member, now, new_thread=new_thread)
    await _refuse_slow_mode(session, member, group, now)


async def _refuse_duplicate(
    session: AsyncSession, limits: PostingLimits, member: MemberRow, body: str, now: datetime
) -> None:
    if limits.duplicate_window <= timedelta(0):
        return
    since = now - limits.duplicate_window
    last = await session.scalar(
        select(func.max(PostRow.created_at)).where(
            PostRow.author_id == member.id, PostRow.created_at > since, PostRow.body == body
        )
    )
    if last is not None:
        raise RateLimited(
            f"You posted exactly this a moment ago ({last:%H:%M} UTC), so it was not sent "
            f"twice. To post it again anyway, wait until {last + limits.duplicate_window:%H:%M}"
            " UTC, or change it a little. Your text is kept."
        )


async def _refuse_flood(
    session: AsyncSession, limits: PostingLimits, member: MemberRow, now: datetime
) -> None:
    count = limits.posts_per_window
    if count <= 0:
        return
    recent = list(
        await session.scalars(
            select(PostRow.created_at)
            .where(PostRow.author_id == member.id, PostRow.created_at > now - limits.window)
            .order_by(PostRow.created_at.desc())
            .limit(count)
        )
    )
    if len(recent) >= count:
        # The oldest of the last ``count`` posts leaving the window frees one place.
        again = recent[count - 1] + limits.window
        minutes = int(limits.window.total_seconds() // 60)
        raise RateLimited(
            f"You have posted {count} times in {minutes} minutes, the most we allow, to keep "
            f"the forum calm. You can post again {when(again, now)}. Your text is kept."
        )


async def _refuse_new_member_excess(
    session: AsyncSession,
    limits: PostingLimits,
    member: MemberRow,
    now: datetime,
    *,
    new_thread: bool,
) -> None:
    if member.created_at is None or limits.new_member_period <= timedelta(0):
        return
    until = member.created_at + limits.new_member_period
    if now >= until:
        return
    threads = int(
        await session.scalar(
            select(func.count()).select_from(ThreadRow).where(ThreadRow.author_id == member.id)
        )
        or 0
    )
    hours = int(limits.new_member_period.total_seconds() // 3600)
    if new_thread:
        allowed, done, what = limits.new_member_threads, threads, "new threads"
    else:
        posts = int(
            await session.scalar(
                select(func.count()).select_from(PostRow).where(PostRow.author_id == member.id)
            )
            or 0
        )
        allowed, done, what = limits.new_member_replies, max(0, posts - threads), "replies"
    if allowed > 0 and done >= allowed:
        raise RateLimited(
            f"Welcome! In your first {hours} hours you can post {allowed} {what}, and you have. "
            f"You can post more {when(until, now)}. Your text is kept."
        )


async def _refuse_slow_mode(
    session: AsyncSession, member: MemberRow, group: GroupRow, now: datetime
) -> None:
    seconds = slow_mode_seconds(group)
    if seconds <= 0:
        return
    gap = timedelta(seconds=seconds)
    last = await session.scalar(
        select(func.max(PostRow.created_at))
        .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
        .where(
            PostRow.author_id == member.id,
            ThreadRow.group_id == group.id,
            PostRow.created_at > now - gap,
        )
    )
    if last is not None:
        raise RateLimited(
            f"{group.name} is in slow mode: one post every {_duration(seconds)} per member. "
            f"You can post here again {when(last + gap, now)}. Your text is kept."
        )


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"


async def check_idea(
    session: AsyncSession, limits: PostingLimits, member: MemberRow, body: str, now: datetime
) -> None:
    """Raises RateLimited for an idea repeated within the duplicate window, or past the ideas
    rate. Call inside the transaction that adds the idea."""
    if not limits.enabled:
        return
    if limits.duplicate_window > timedelta(0):
        last = await session.scalar(
            select(func.max(IdeaRow.created_at)).where(
                IdeaRow.author_id == member.id,
                IdeaRow.created_at > now - limits.duplicate_window,
                IdeaRow.body == body,
            )
        )
        if last is not None:
            raise RateLimited(
                f"You added exactly this idea a moment ago ({last:%H:%M} UTC), so it was not "
                "added twice. Supporters can find it on the board. Your text is kept."
            )
    count = limits.ideas_per_window
    if count <= 0:
        return
    recent = list(
        await session.scalars(
            select(IdeaRow.created_at)
            .where(IdeaRow.author_id == member.id, IdeaRow.created_at > now - limits.ideas_window)
            .order_by(IdeaRow.created_at.desc())
            .limit(count)
        )
    )
    if len(recent) >= count:
        again = recent[count - 1] + limits.ideas_window
        raise RateLimited(
            f"You have added {count} ideas in a short time, the most we allow at once. "
            f"You can add another {when(again, now)}. Your text is kept."
        )


__all__ = ["PostingLimits", "check_idea", "check_post", "slow_mode_seconds", "when"]
