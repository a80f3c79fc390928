"""Per-group counters (threads, posts, last activity), moved in SQL inside the transaction that
adds or moves the posts, so home reads one row per group instead of counting its threads.

Like ``reply_count``, they are never read, incremented in Python and written back: two posting
transactions at once would lose one increment (design.md §3).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.store.tables import GroupRow, ThreadRow


async def count_post(
    session: AsyncSession, group_id: int, now: datetime, *, new_thread: bool
) -> None:
    """One more post in the group (and one more thread when it opens one)."""
    await session.execute(
        update(GroupRow)
        .where(GroupRow.id == group_id)
        .values(
            thread_count=GroupRow.thread_count + (1 if new_thread else 0),
            post_count=GroupRow.post_count + 1,
            last_post_at=now,
        )
        .execution_options(synchronize_session=False)
    )


async def count_thread_move(
    session: AsyncSession, thread: ThreadRow, from_group_id: int, to_group_id: int
) -> None:
    """A thread with its posts moved between groups; call after its ``group_id`` changed."""
    posts = thread.reply_count + 1
    last = literal(thread.last_post_at, GroupRow.last_post_at.type)
    await session.execute(
        update(GroupRow)
        .where(GroupRow.id == to_group_id)
        .values(
            thread_count=GroupRow.thread_count + 1,
            post_count=GroupRow.post_count + posts,
            last_post_at=func.coalesce(
                func.max(GroupRow.last_post_at, last)
                if session.bind.dialect.name == "sqlite"
                else func.greatest(GroupRow.last_post_at, last),
                last,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    # A rare write: the latest activity left behind is looked up, not kept.
    remaining = (
        select(func.max(ThreadRow.last_post_at))
        .where(ThreadRow.group_id == from_group_id)
        .scalar_subquery()
    )
    await session.execute(
        update(GroupRow)
        .where(GroupRow.id == from_group_id)
        .values(
            thread_count=GroupRow.thread_count - 1,
            post_count=GroupRow.post_count - posts,
            last_post_at=remaining,
        )
        .execution_options(synchronize_session=False)
    )
