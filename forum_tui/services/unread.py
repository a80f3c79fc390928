"""What is new for a member: the first unread post of a thread, and "mark all read" per group.

The read mark is ``thread_reads.posts_seen`` (how many posts of the thread the member has seen;
services.threads moves it when a thread is opened). Posts are numbered in id order, so the first
unread post is the one after the first ``posts_seen``; it is found through the thread's post
index without counting the posts before it one by one in Python.
"""

from __future__ import annotations

from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql, sqlite

from forum_tui.domain.errors import NotFound
from forum_tui.services import _read_marks as read_marks
from forum_tui.services._common import NO_SUCH_THREAD, Service, load_member, visible_group
from forum_tui.services.changes import announce, group_topic
from forum_tui.store.tables import PostRow, ThreadReadRow, ThreadRow


class UnreadService(Service):
    async def first_unread(self, member_id: int, thread_id: int) -> int | None:
        """The id of the first post in the thread the member has not seen; None when they have
        seen them all. Refused (NotFound) for a thread the member cannot read."""
        await read_marks.saved(member_id)  # a thread just opened counts as read
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            thread = await session.get(ThreadRow, thread_id)
            if thread is None:
                raise NotFound(NO_SUCH_THREAD)
            try:
                await visible_group(session, member, thread.group_id)
            except NotFound:
                raise NotFound(NO_SUCH_THREAD) from None
            seen = await session.scalar(
                select(ThreadReadRow.posts_seen).where(
                    ThreadReadRow.member_id == member.id, ThreadReadRow.thread_id == thread.id
                )
            )
            return await session.scalar(
                select(PostRow.id)
                .where(PostRow.thread_id == thread.id)
                .order_by(PostRow.id)
                .offset(max(seen or 0, 0))
                .limit(1)
            )

    async def mark_group_read(self, member_id: int, group_id: int) -> int:
        """Marks every thread of a group the member can read as read. Returns how many threads
        had something unread. Private groups: members (and admins) only."""
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            group, _ = await visible_group(session, member, group_id)
            now = self.now()
            unread = list(
                await session.scalars(
                    select(ThreadRow.id)
                    .outerjoin(
                        ThreadReadRow,
                        (ThreadReadRow.thread_id == ThreadRow.id)
                        & (ThreadReadRow.member_id == member.id),
                    )
                    .where(
                        ThreadRow.group_id == group.id,
                        ThreadReadRow.posts_seen.is_(None)
                        | (ThreadReadRow.posts_seen < ThreadRow.reply_count + 1),
                    )
                )
            )
            if unread:
                insert = (
                    postgresql.insert
                    if session.bind.dialect.name == "postgresql"
                    else sqlite.insert
                )
                statement = insert(ThreadReadRow).from_select(
                    ["member_id", "thread_id", "posts_seen", "read_at"],
                    select(
                        literal(member.id),
                        ThreadRow.id,
                        ThreadRow.reply_count + 1,
                        literal(now, ThreadReadRow.read_at.type),
                    ).where(ThreadRow.group_id == group.id),
                )
                await session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["member_id", "thread_id"],
                        set_={
                            "posts_seen": statement.excluded.posts_seen,
                            "read_at": statement.excluded.read_at,
                        },
                    )
                )
                await announce(session, group_topic(group.id))
            return len(unread)


__all__ = ["UnreadService"]
