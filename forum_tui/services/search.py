"""Search: threads, posts and ideas a member may see, newest first, keyset-paged.

Who sees what (the same rules as reading): threads and posts of open groups and of the private
groups the member is in (every group for an admin); boards are public. Hidden threads, posts and
ideas are found only by those who moderate them: the group's leaders, the board's staff, admins.

Order: matches of every word (or of the phrase), newest first. Nothing ranks every match of a
common word, which is what makes full-text search slow at a million posts (design.md §3); see
forum_tui/store/search.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from forum_tui.domain.enums import GroupRole, Role, Visibility
from forum_tui.domain.errors import NotFound
from forum_tui.domain.models import Page
from forum_tui.domain.search import ResultKind, SearchResult, Terms, snippet, terms_of
from forum_tui.services._boards_common import load_board, staffed_board_ids
from forum_tui.services._common import (
    NO_SUCH_GROUP,
    Service,
    load_member,
    member_by_handle,
    visible_group,
)
from forum_tui.store.board_tables import BoardRow, IdeaRow
from forum_tui.store.search import Scope, search
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

SEARCH_PAGE = 20
SEARCH_PAGE_MAX = 50
KINDS = (ResultKind.POST, ResultKind.THREAD, ResultKind.IDEA)
# A cursor holds, per kind, the id to continue below; DONE when that kind has no more.
DONE = 0

Author = aliased(MemberRow)
_RANK = {ResultKind.THREAD: 2, ResultKind.IDEA: 1, ResultKind.POST: 0}


async def _scope(
    session: AsyncSession,
    member: MemberRow | None,
    *,
    group_id: int | None,
    board_id: int | None,
    author_id: int | None,
) -> Scope:
    if member is None or member.role == Role.ADMIN:
        return Scope(None, None, None, group_id, board_id, author_id)
    # One round trip: every open group, and every group the member is in with their role.
    groups = (
        await session.execute(
            select(GroupRow.id, MembershipRow.role)
            .outerjoin(
                MembershipRow,
                (MembershipRow.group_id == GroupRow.id) & (MembershipRow.member_id == member.id),
            )
            .where((GroupRow.visibility == Visibility.OPEN) | MembershipRow.role.is_not(None))
        )
    ).all()
    visible = sorted(g for g, _ in groups)
    led = sorted(g for g, role in groups if role == GroupRole.LEADER)
    boards = sorted(await staffed_board_ids(session, member))
    return Scope(visible, led, boards, group_id, board_id, author_id)


class SearchService(Service):
    async def search(
        self,
        member_id: int | None,
        typed: str,
        *,
        group_id: int | None = None,
        board_id: int | None = None,
        ideas_only: bool = False,
        author: str | None = None,
        after: tuple | None = None,
        limit: int = SEARCH_PAGE,
    ) -> Page[SearchResult]:
        """A page of what ``typed`` finds for the member, newest first.

        Any member may search; each sees only what they may read (module docstring). Filters:
        ``group_id`` (threads and posts of that group), ``board_id`` (ideas of that board),
        ``ideas_only``, ``author`` (a handle). A private group the member is not in, or an
        unknown handle, is refused with NotFound. Text with no word in it finds nothing;
        search syntax in it is searched as words. Pass ``after`` from the previous page.
        ``member_id`` None is the operator at the command line, who sees what an admin sees.
        """
        terms = terms_of(typed)
        limit = max(1, min(limit, SEARCH_PAGE_MAX))
        async with self.db.read() as session:
            member = None if member_id is None else await load_member(session, member_id)
            if group_id is not None and member is not None:
                await visible_group(session, member, group_id)
            elif group_id is not None and await session.get(GroupRow, group_id) is None:
                raise NotFound(NO_SUCH_GROUP)
            if board_id is not None:
                await load_board(session, board_id)
            author_id = None
            if author is not None and author.strip():
                author_id = (await member_by_handle(session, author.strip().lstrip("@"))).id
            if terms is None:
                return Page((), None)
            scope = await _scope(
                session, member, group_id=group_id, board_id=board_id, author_id=author_id
            )
            kinds = _kinds(group_id, board_id, ideas_only)
            cursor = dict(zip(KINDS, after or (None, None, None), strict=True))
            found: list[SearchResult] = []
            fetched: dict[ResultKind, int] = {}
            for kind in kinds:
                before = cursor[kind]
                if before == DONE:
                    continue
                hits = await search(session, kind, terms, scope, before=before, limit=limit + 1)
                fetched[kind] = len(hits)
                found += await _results(session, kind, [i for i, _ in hits], terms, scope)
            # Same moment: a thread before its opening post (they are made together).
            found.sort(key=lambda r: (r.created_at, _RANK[r.kind], r.id), reverse=True)
            page = found[:limit]
            return Page(tuple(page), _next_cursor(kinds, cursor, fetched, page, found, limit))


def _kinds(group_id: int | None, board_id: int | None, ideas_only: bool) -> tuple[ResultKind, ...]:
    if ideas_only or (board_id is not None and group_id is None):
        return (ResultKind.IDEA,)
    if group_id is not None:
        return (ResultKind.POST, ResultKind.THREAD)
    return KINDS


def _next_cursor(
    kinds: tuple[ResultKind, ...],
    cursor: dict[ResultKind, int | None],
    fetched: dict[ResultKind, int],
    page: list[SearchResult],
    found: list[SearchResult],
    limit: int,
) -> tuple | None:
    """Per kind: below the last one shown; DONE if all of that kind's matches were shown."""
    nxt: dict[ResultKind, int | None] = {k: DONE for k in KINDS}
    for kind in kinds:
        if cursor[kind] == DONE:
            continue
        shown = [r.id for r in page if r.kind is kind]
        left = [r for r in found[limit:] if r.kind is kind]
        if not left and fetched.get(kind, 0) <= limit:
            continue  # every match of this kind is on this page
        nxt[kind] = shown[-1] if shown else cursor[kind]
    if all(value == DONE for value in nxt.values()):
        return None
    return tuple(nxt[k] for k in KINDS)


async def _results(
    session: AsyncSession, kind: ResultKind, ids: list[int], terms: Terms, scope: Scope
) -> list[SearchResult]:
    if not ids:
        return []
    words = terms.words
    if kind is ResultKind.POST:
        rows = await session.execute(
            select(PostRow, ThreadRow.title, ThreadRow.hidden_at, GroupRow, Author.handle)
            .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
            .join(GroupRow, GroupRow.id == ThreadRow.group_id)
            .join(Author, Author.id == PostRow.author_id)
            .where(PostRow.id.in_(ids))
        )
        return [
            SearchResult(
                kind=kind,
                id=post.id,
                title=title,
                place=group.name,
                author_handle=handle,
                created_at=post.created_at,
                snippet=snippet(post.body, words),
                thread_id=post.thread_id,
                post_id=post.id,
                group_id=group.id,
                hidden=post.hidden_at is not None or thread_hidden is not None,
            )
            for post, title, thread_hidden, group, handle in rows
        ]
    if kind is ResultKind.THREAD:
        rows = await session.execute(
            select(ThreadRow, GroupRow, Author.handle)
            .join(GroupRow, GroupRow.id == ThreadRow.group_id)
            .join(Author, Author.id == ThreadRow.author_id)
            .where(ThreadRow.id.in_(ids))
        )
        return [
            SearchResult(
                kind=kind,
                id=thread.id,
                title=thread.title,
                place=group.name,
                author_handle=handle,
                created_at=thread.created_at,
                snippet=snippet(thread.title, words),
                thread_id=thread.id,
                group_id=group.id,
                hidden=thread.hidden_at is not None,
            )
            for thread, group, handle in rows
        ]
    rows = await session.execute(
        select(IdeaRow, BoardRow, Author.handle)
        .join(BoardRow, BoardRow.id == IdeaRow.board_id)
        .join(Author, Author.id == IdeaRow.author_id)
        .where(IdeaRow.id.in_(ids))
    )
    return [
        SearchResult(
            kind=kind,
            id=idea.id,
            title=idea.title,
            place=board.name,
            author_handle=handle,
            created_at=idea.created_at,
            snippet=snippet(f"{idea.title} — {idea.body}", words),
            idea_id=idea.id,
            board_id=board.id,
            hidden=idea.hidden_at is not None,
        )
        for idea, board, handle in rows
    ]


__all__ = ["SEARCH_PAGE", "SearchService"]
