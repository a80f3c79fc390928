"""The review queue's four statements (``moderation_queue``), each built once per shape.

Every value is a bound parameter (lists as expanding ones), so a statement built here is
compiled once and then taken from SQLAlchemy's cache: rebuilding a statement per call, with the
values in it, cost more than running it (issue 11).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    exists,
    literal_column,
    null,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from forum_tui.domain.enums import GroupRole, MemberState
from forum_tui.domain.moderation import TargetKind
from forum_tui.store.board_tables import BoardRow, BoardStaffRow, IdeaRow
from forum_tui.store.moderation_tables import ReportRow
from forum_tui.store.tables import GroupRow, MemberRow, MembershipRow, PostRow, ThreadRow

RECENT_HISTORY = 5

POST, THREAD, IDEA = str(TargetKind.POST), str(TargetKind.THREAD), str(TargetKind.IDEA)
GROUP, BOARD = "group", "board"


def _text(value: str) -> object:
    return literal_column(f"'{value}'")  # only the constants above, never a member's text


def _in(name: str) -> object:
    return bindparam(name, expanding=True)


@cache
def scope_statement() -> Select[tuple[str, str, str | None, int | None]]:
    """The member's role and state, with a row per group they lead and board they staff."""
    member = bindparam("member")
    moderates = union_all(
        select(_text(GROUP).label("kind"), MembershipRow.group_id.label("id")).where(
            MembershipRow.member_id == member, MembershipRow.role == str(GroupRole.LEADER)
        ),
        select(_text(BOARD), BoardStaffRow.board_id).where(BoardStaffRow.member_id == member),
    ).subquery("moderates")
    return (
        select(MemberRow.role, MemberRow.state, moderates.c.kind, moderates.c.id)
        .outerjoin(moderates, true())
        .where(MemberRow.id == member)
    )


@cache
def reports_statement(
    groups: bool | None, boards: bool | None, states: tuple[str, ...]
) -> Select[tuple]:
    """The reports (in ``states``) of the oldest ``limit`` reported items in scope, oldest first.

    ``groups``/``boards``: None for every group's/board's items, True for those in the bound
    list, False for none. The oldest items come from one plain join per kind of item and
    state, each walking the reports in order and stopping at the limit. (One outer join over
    all three kinds, with a CASE for the thread, took 114 ms on PostgreSQL at 1 M posts; one
    walk for two states, 3–20 ms on SQLite, which then sorts every report of the kind.)
    """
    # An item's first report (in scope of ``states``): no earlier one on the same item.
    Earlier = aliased(ReportRow)
    first_of_item = ~(
        exists()
        .where(
            Earlier.target_kind == ReportRow.target_kind,
            Earlier.target_id == ReportRow.target_id,
            Earlier.state.in_(states),
            # "+ 0": look the item's reports up by item (the unique index), not by state and id
            Earlier.id + 0 < ReportRow.id,
        )
        .correlate(ReportRow)
    )
    columns = (ReportRow.id, ReportRow.target_kind, ReportRow.target_id)
    parts = []
    if groups is not False:
        posts = (
            select(*columns)
            .join(PostRow, PostRow.id == ReportRow.target_id)
            .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
            .where(ReportRow.target_kind == POST)
        )
        threads = (
            select(*columns)
            .join(ThreadRow, ThreadRow.id == ReportRow.target_id)
            .where(ReportRow.target_kind == THREAD)
        )
        if groups:
            posts = posts.where(ThreadRow.group_id.in_(_in("groups")))
            threads = threads.where(ThreadRow.group_id.in_(_in("groups")))
        parts += [posts, threads]
    if boards is not False:
        ideas = (
            select(*columns)
            .join(IdeaRow, IdeaRow.id == ReportRow.target_id)
            .where(ReportRow.target_kind == IDEA)
        )
        if boards:
            ideas = ideas.where(IdeaRow.board_id.in_(_in("boards")))
        parts.append(ideas)
    limit = bindparam("limit")
    # Each part is wrapped so that its ORDER BY … LIMIT applies to it alone.
    each = union_all(
        *(
            select(
                part.where(ReportRow.state == state, first_of_item)
                .order_by(ReportRow.id)
                .limit(limit)
                .subquery()
            )
            for part in parts
            for state in states
        )
    ).subquery("first_reports")
    oldest = select(each.c.target_kind, each.c.target_id).order_by(each.c.id).limit(limit)
    oldest_items = oldest.subquery("oldest")
    Reporter = aliased(MemberRow)
    return (
        select(
            ReportRow.target_kind,
            ReportRow.target_id,
            ReportRow.state,
            ReportRow.reason,
            ReportRow.text,
            ReportRow.created_at,
            Reporter.handle.label("reporter"),
            Reporter.state.label("reporter_state"),
        )
        .join(
            oldest_items,
            and_(
                oldest_items.c.target_kind == ReportRow.target_kind,
                oldest_items.c.target_id == ReportRow.target_id,
            ),
        )
        .join(Reporter, Reporter.id == ReportRow.reporter_id)
        .where(ReportRow.state.in_(states))
        .order_by(ReportRow.id)
    )


def _shown_handle(member: type[MemberRow]) -> object:
    """The member's handle, or NULL for an erased member (shown as a former member)."""
    return case((member.state == str(MemberState.ERASED), null()), else_=member.handle)


@cache
def targets_statement() -> Select[tuple]:
    """The reported posts, threads and ideas (bound id lists ``post``, ``thread``, ``idea``)
    with their place, author, hidden state and context: one row each, in any order."""
    Author = aliased(MemberRow)
    # Context: the post just before a reported post in its thread, and a thread's opening post.
    Before, BeforeAuthor, Opening = aliased(PostRow), aliased(MemberRow), aliased(PostRow)
    before = (
        select(Before.body)
        .where(Before.thread_id == PostRow.thread_id, Before.id < PostRow.id)
        .order_by(Before.id.desc())
        .limit(1)
        .correlate(PostRow)
    )
    before_handle = (
        select(_shown_handle(BeforeAuthor))  # type: ignore[arg-type]
        .select_from(Before)
        .join(BeforeAuthor, BeforeAuthor.id == Before.author_id)
        .where(Before.thread_id == PostRow.thread_id, Before.id < PostRow.id)
        .order_by(Before.id.desc())
        .limit(1)
        .correlate(PostRow)
    )
    opening = (
        select(Opening.body)
        .where(Opening.thread_id == ThreadRow.id)
        .order_by(Opening.id)
        .limit(1)
        .correlate(ThreadRow)
    )
    nothing = null()
    posts = (
        select(
            _text(POST).label("kind"),
            PostRow.id.label("id"),
            PostRow.author_id.label("author_id"),
            ThreadRow.group_id.label("place_id"),
            GroupRow.name.label("place_name"),
            ThreadRow.title.label("title"),
            PostRow.body.label("body"),
            PostRow.hidden_at.is_not(None).label("hidden"),
            Author.handle.label("handle"),
            Author.state.label("author_state"),
            before.scalar_subquery().label("before_body"),
            before_handle.scalar_subquery().label("before_handle"),
        )
        .join(ThreadRow, ThreadRow.id == PostRow.thread_id)
        .join(GroupRow, GroupRow.id == ThreadRow.group_id)
        .outerjoin(Author, Author.id == PostRow.author_id)
        .where(PostRow.id.in_(_in(POST)))
    )
    threads = (
        select(
            _text(THREAD),
            ThreadRow.id,
            ThreadRow.author_id,
            ThreadRow.group_id,
            GroupRow.name,
            ThreadRow.title,
            opening.scalar_subquery(),
            ThreadRow.hidden_at.is_not(None),
            Author.handle,
            Author.state,
            nothing,
            nothing,
        )
        .join(GroupRow, GroupRow.id == ThreadRow.group_id)
        .outerjoin(Author, Author.id == ThreadRow.author_id)
        .where(ThreadRow.id.in_(_in(THREAD)))
    )
    ideas = (
        select(
            _text(IDEA),
            IdeaRow.id,
            IdeaRow.author_id,
            IdeaRow.board_id,
            BoardRow.name,
            IdeaRow.title,
            IdeaRow.body,
            IdeaRow.hidden_at.is_not(None),
            Author.handle,
            Author.state,
            nothing,
            nothing,
        )
        .join(BoardRow, BoardRow.id == IdeaRow.board_id)
        .outerjoin(Author, Author.id == IdeaRow.author_id)
        .where(IdeaRow.id.in_(_in(IDEA)))
    )
    return union_all(posts, threads, ideas)  # type: ignore[return-value]


@cache
def recent_statement(sqlite: bool) -> Select[tuple]:
    """The latest RECENT_HISTORY + 1 posts of each reported item's author in its group and
    ideas of each idea's author on its board (bound id lists as for ``targets_statement``),
    as (kind, author, place, id, text, created_at) in any order.

    Each is a walk of the author's (author_id, group_id, created_at) index, newest first,
    stopping at the limit: PostgreSQL joins each (author, place) LATERAL; SQLite has no
    LATERAL but walks the same way for ``rowid IN (correlated subquery)``. (Before posts kept
    their group, the walk read the author's posts in every group and looked up each one's
    thread: 7 ms a queue on PostgreSQL at 1 M posts.)
    """
    in_groups = union(
        select(PostRow.author_id, PostRow.group_id).where(PostRow.id.in_(_in(POST))),
        select(ThreadRow.author_id, ThreadRow.group_id).where(ThreadRow.id.in_(_in(THREAD))),
    ).subquery("authors_in_groups")
    on_boards = (
        select(IdeaRow.author_id, IdeaRow.board_id)
        .where(IdeaRow.id.in_(_in(IDEA)))
        .distinct()
        .subquery("authors_on_boards")
    )
    Post, Idea = aliased(PostRow), aliased(IdeaRow)
    posts = (
        select(Post.id, Post.body, Post.created_at)
        .where(Post.author_id == in_groups.c.author_id, Post.group_id == in_groups.c.group_id)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(RECENT_HISTORY + 1)
    )
    ideas = (
        select(Idea.id, Idea.title, Idea.created_at)
        .where(
            Idea.author_id == on_boards.c.author_id,
            # "+ 0": walk the author's few ideas, not the board's by time (12 ms on SQLite)
            Idea.board_id + 0 == on_boards.c.board_id,
        )
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(RECENT_HISTORY + 1)
    )
    return union_all(
        _each(POST, in_groups, posts, PostRow.body, sqlite),
        _each(IDEA, on_boards, ideas, IdeaRow.title, sqlite),
    )  # type: ignore[return-value]


def _each(kind: str, keys: Any, newest: Select[Any], text: Any, sqlite: bool) -> Select[Any]:
    """(kind, author, place, id, text, created_at) of the rows ``newest`` picks for each row
    of ``keys``; ``text`` is the column to show (a post's body, an idea's title)."""
    author, place = keys.c
    if sqlite:
        row = aliased(text.class_)
        picked = newest.with_only_columns(newest.selected_columns[0]).correlate(keys)
        return (
            select(_text(kind), author, place, row.id, getattr(row, text.key), row.created_at)
            .select_from(keys)
            .join(row, row.id.in_(picked))
        )
    lateral = newest.correlate(keys).lateral()
    return select(_text(kind), author, place, *lateral.c).select_from(keys).join(lateral, true())
