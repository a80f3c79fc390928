"""Consent before reuse (issue 13, design.md §5, §7): a post becomes the start of an idea only by
its author, or with the author's recorded consent.

- The author suggests their own post: the idea is added at once on the chosen board.
- Anyone else who can read the post asks: the request is recorded (pending) and the author is
  notified; Enter on the notification offers accept or decline. Only the author may answer.
  Accepted: the idea is added, with the post's words and the asker's title, and the post's
  author as the idea's author (it is their words; the asker is recorded in ``post_reuses`` and
  told of the answer). Declined or still pending: no idea.
- Either way the idea links back to the thread at that post (``idea_source``), shown on the
  idea page to those who can read that thread.

One pending request per post at a time; a post that is already an idea is not made one again.
Hidden posts and threads cannot be suggested.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import IdeaStatus, NotificationKind
from forum_tui.domain.enums import MemberState
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.reuse import IdeaSource, ReuseRequest, ReuseStatus
from forum_tui.domain.text import clean_title
from forum_tui.services._boards_common import load_board, next_idea_number, notify, quoted
from forum_tui.services._common import (
    Clock,
    Service,
    load_member,
    reader_in_group,
    require_active,
    utcnow,
)
from forum_tui.services.limits import PostingLimits, check_idea
from forum_tui.store.board_tables import BoardRow, IdeaRow, NotificationRow
from forum_tui.store.database import Database
from forum_tui.store.reuse_tables import PostReuseRow
from forum_tui.store.tables import MemberRow, PostRow, ThreadRow

NO_SUCH_POST = "That post does not exist, or you cannot read it."


class ReuseService(Service):
    def __init__(
        self, db: Database, clock: Clock = utcnow, limits: PostingLimits | None = None
    ) -> None:
        super().__init__(db, clock)
        self.limits = PostingLimits.from_env() if limits is None else limits

    async def suggest_idea(
        self, member_id: int, post_id: int, board_id: int, title: str
    ) -> ReuseRequest:
        """ "Suggest this as an idea". The post's author: the idea is added now (status
        ``accepted``). Anyone else who can read the post: a pending request the author is
        notified of. Refused: suspended members, hidden posts, a post with a pending request or
        already made an idea; a post the member cannot read is NotFound."""
        title = clean_title(title)
        now = self.now()
        async with self.db.write() as session:
            member, post, thread = await self._readable_post(session, member_id, post_id)
            require_active(member, now)
            if post.hidden_at is not None or thread.hidden_at is not None:
                raise ValidationError("A hidden post cannot be suggested as an idea.")
            board = await load_board(session, board_id)
            author = await session.get(MemberRow, post.author_id)
            if author is None or author.state == MemberState.ERASED:
                raise ValidationError("The author of that post has left, so it cannot be reused.")
            earlier = await session.scalars(
                select(PostReuseRow).where(
                    PostReuseRow.post_id == post.id,
                    PostReuseRow.status != str(ReuseStatus.DECLINED),
                )
            )
            for row in earlier:
                if row.status == ReuseStatus.PENDING:
                    raise ValidationError(
                        "Someone has already asked the author about this post. "
                        "It waits for their answer."
                    )
                if row.idea_id is not None:
                    raise ValidationError("This post is already the start of an idea.")
            row = PostReuseRow(
                post_id=post.id,
                board_id=board.id,
                asked_by_id=member.id,
                author_id=author.id,
                title=title,
                status=str(ReuseStatus.PENDING),
                created_at=now,
            )
            session.add(row)
            await session.flush()
            if author.id == member.id:
                await self._make_idea(session, row, author, post, now)
            else:
                notify(
                    session,
                    [author.id],
                    NotificationKind.REUSE_REQUEST,
                    f"{member.handle} asks to make your post in {quoted(thread.title)} an idea "
                    f"on {board.name}: {quoted(title)}. Open this to say yes or no.",
                    now,
                    thread_id=thread.id,
                    post_id=post.id,
                )
            return await self._view(session, row)

    async def request_for_post(self, member_id: int, post_id: int) -> ReuseRequest:
        """The latest request about the member's own post (for its notification). Anyone but
        the author gets NotFound: a request is between the asker and the author."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            row = await session.scalar(
                select(PostReuseRow)
                .where(PostReuseRow.post_id == post_id, PostReuseRow.author_id == member.id)
                .order_by(PostReuseRow.id.desc())
                .limit(1)
            )
            if row is None:
                raise NotFound("There is no request about that post.")
            return await self._view(session, row)

    async def answer(self, member_id: int, request_id: int, accept: bool) -> ReuseRequest:
        """The author's answer. Accept: the idea is added on the chosen board, the author as
        its author. Decline: nothing is added. Either way the asker is told. Only the author
        may answer, and only once."""
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            row = await session.get(PostReuseRow, request_id, with_for_update=True)
            if row is None:
                raise NotFound("There is no such request.")
            if row.author_id != member.id:
                raise PermissionDenied("Only the post's author can answer this request.")
            if row.status != ReuseStatus.PENDING:
                raise ValidationError(f"You have already answered: {row.status}.")
            post = await session.get(PostRow, row.post_id)
            assert post is not None  # the request goes with the post (ON DELETE CASCADE)
            if accept:
                require_active(member, now)
                thread = await session.get(ThreadRow, post.thread_id)
                if post.hidden_at is not None or (thread is not None and thread.hidden_at):
                    raise ValidationError(
                        "Your post has been hidden since, so it cannot become an idea now."
                    )
                await self._make_idea(session, row, member, post, now)
                notify(
                    session,
                    [row.asked_by_id],
                    NotificationKind.REUSE_ANSWER,
                    f"{member.handle} agreed: their post is now the idea {quoted(row.title)}.",
                    now,
                    idea_id=row.idea_id,
                )
            else:
                row.status = str(ReuseStatus.DECLINED)
                row.decided_at = now
                notify(
                    session,
                    [row.asked_by_id],
                    NotificationKind.REUSE_ANSWER,
                    f"{member.handle} would rather their post did not become an idea.",
                    now,
                    thread_id=post.thread_id,
                    post_id=post.id,
                )
            await session.execute(
                update(NotificationRow)
                .where(
                    NotificationRow.member_id == member.id,
                    NotificationRow.kind == str(NotificationKind.REUSE_REQUEST),
                    NotificationRow.post_id == post.id,
                    NotificationRow.read_at.is_(None),
                )
                .values(read_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.flush()
            return await self._view(session, row)

    async def idea_source(self, member_id: int, idea_id: int) -> IdeaSource | None:
        """The thread and post an idea started from, if it did and the member may read that
        thread (a private group's thread is not named to others)."""
        async with self.db.read() as session:
            found = (
                await session.execute(
                    select(PostReuseRow.post_id, ThreadRow)
                    .join(PostRow, PostRow.id == PostReuseRow.post_id)
                    .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
                    .where(PostReuseRow.idea_id == idea_id)
                    .limit(1)
                )
            ).first()
            if found is None:
                return None
            post_id, thread = found
            try:
                _member, group, _membership = await reader_in_group(
                    session, member_id, thread.group_id
                )
            except NotFound:
                return None
            return IdeaSource(thread.id, post_id, thread.title, group.name)

    # --- helpers --------------------------------------------------------------------------------

    @staticmethod
    async def _readable_post(
        session: AsyncSession, member_id: int, post_id: int
    ) -> tuple[MemberRow, PostRow, ThreadRow]:
        post = await session.get(PostRow, post_id)
        thread = None if post is None else await session.get(ThreadRow, post.thread_id)
        if post is None or thread is None:
            raise NotFound(NO_SUCH_POST)
        try:
            member, _group, _membership = await reader_in_group(session, member_id, thread.group_id)
        except NotFound as error:
            if "member account" in str(error):
                raise
            raise NotFound(NO_SUCH_POST) from None
        return member, post, thread

    async def _make_idea(
        self,
        session: AsyncSession,
        row: PostReuseRow,
        author: MemberRow,
        post: PostRow,
        now: datetime,
    ) -> None:
        await check_idea(session, self.limits, author, post.body, now)
        idea = IdeaRow(
            board_id=row.board_id,
            number=await next_idea_number(session, row.board_id),
            author_id=author.id,
            title=row.title,
            body=post.body,
            status=str(IdeaStatus.NEW),
            support_count=0,
            created_at=now,
            updated_at=now,
        )
        session.add(idea)
        await session.flush()
        row.idea_id = idea.id
        row.status = str(ReuseStatus.ACCEPTED)
        row.decided_at = now

    @staticmethod
    async def _view(session: AsyncSession, row: PostReuseRow) -> ReuseRequest:
        post = await session.get(PostRow, row.post_id)
        assert post is not None
        thread = await session.get(ThreadRow, post.thread_id)
        board = await session.get(BoardRow, row.board_id)
        asker = await session.get(MemberRow, row.asked_by_id)
        author = await session.get(MemberRow, row.author_id)
        assert thread is not None and board is not None
        assert asker is not None and author is not None
        return ReuseRequest(
            id=row.id,
            post_id=post.id,
            thread_id=thread.id,
            thread_title=thread.title,
            board_id=board.id,
            board_name=board.name,
            asked_by_handle=asker.handle,
            author_handle=author.handle,
            title=row.title,
            post_body=post.body,
            status=ReuseStatus(row.status),
            idea_id=row.idea_id,
        )


__all__ = ["ReuseService"]
