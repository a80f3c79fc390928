"""What the board services share: who may respond on a board, and turning rows into the
frozen shapes of ``forum_tui.domain.boards``.

Rules defined here, used everywhere:

* **Board staff.** A member may respond on a board (change statuses, record outcomes, log
  involvement) when they are an admin, or when they are on the board's staff list *and* their
  global role is still staff or admin.
* **Awaiting response.** An open idea awaits a response once its last staff update (or its
  creation, if it has none) is at least the board's response window ago. ``awaiting_days`` is the
  whole days since then, and is None for every idea that is not awaiting. Closed ideas never
  await anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    exists,
    func,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ClauseElement

from forum_tui.domain.boards import (
    Board,
    Idea,
    IdeaRef,
    IdeaStatus,
    Involvement,
    InvolvementState,
    NotificationKind,
    Outcome,
    Recognition,
)
from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied
from forum_tui.services._hidden import idea_as_seen
from forum_tui.store.board_tables import (
    BoardRow,
    BoardStaffRow,
    IdeaRow,
    IdeaUpdateRow,
    InvolvementRow,
    NotificationRow,
    OutcomeCreditRow,
    OutcomeIdeaRow,
    OutcomeRow,
    SupportRow,
)
from forum_tui.store.tables import MemberRow, UTCDateTime

NO_SUCH_BOARD = "There is no such board."
NO_SUCH_IDEA = "There is no such idea."
NO_SUCH_OUTCOME = "There is no such outcome."
FORMER_MEMBER = "former member"

STATUS_ORDER: tuple[IdeaStatus, ...] = tuple(IdeaStatus)
OPEN_STATUSES: tuple[str, ...] = tuple(str(s) for s in IdeaStatus if not s.closed)

Author = aliased(MemberRow)
Recorder = aliased(MemberRow)
# Made once: an alias builds a proxy of every column the first time it is used (~0.5 ms a call).
Original = aliased(IdeaRow)


# --- boards and their staff ---------------------------------------------------------------------


def board_from_row(
    row: BoardRow, *, i_am_staff: bool = False, counts: dict[IdeaStatus, int] | None = None
) -> Board:
    counts = counts or {}
    return Board(
        id=row.id,
        slug=row.slug,
        name=row.name,
        description=row.description,
        response_window_days=row.response_window_days,
        i_am_staff=i_am_staff,
        idea_count=sum(counts.values()),
        status_counts=tuple((status, counts.get(status, 0)) for status in STATUS_ORDER),
    )


async def load_board(session: AsyncSession, board_id: int) -> BoardRow:
    row = await session.get(BoardRow, board_id)
    if row is None:
        raise NotFound(NO_SUCH_BOARD)
    return row


async def board_by_slug(session: AsyncSession, slug: str) -> BoardRow:
    row = (
        await session.execute(select(BoardRow).where(BoardRow.slug == slug.strip().lower()))
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"There is no board with the slug {slug!r}.")
    return row


async def status_counts(
    session: AsyncSession, board_ids: Iterable[int]
) -> dict[int, dict[IdeaStatus, int]]:
    """Ideas per status for each board (statuses with none are left out)."""
    ids = list(board_ids)
    counts: dict[int, dict[IdeaStatus, int]] = {board_id: {} for board_id in ids}
    if not ids:
        return counts
    rows = await session.execute(
        select(IdeaRow.board_id, IdeaRow.status, func.count())
        .where(IdeaRow.board_id.in_(ids))
        .group_by(IdeaRow.board_id, IdeaRow.status)
    )
    for board_id, status, count in rows:
        counts[board_id][IdeaStatus(status)] = count
    return counts


def holds_staff_role(member: MemberRow) -> bool:
    return member.role in (Role.STAFF, Role.ADMIN) and member.state != MemberState.ERASED


async def staffed_board_ids(session: AsyncSession, member: MemberRow) -> set[int]:
    """The boards the member may respond on (every board, for an admin)."""
    if member.role == Role.ADMIN:
        return set(await session.scalars(select(BoardRow.id)))
    if not holds_staff_role(member):
        return set()
    return set(
        await session.scalars(
            select(BoardStaffRow.board_id).where(BoardStaffRow.member_id == member.id)
        )
    )


async def staffed_boards(session: AsyncSession, member: MemberRow) -> list[BoardRow]:
    """The boards the member may respond on (every board, for an admin), in one statement."""
    if member.role == Role.ADMIN:
        return list(await session.scalars(select(BoardRow).order_by(BoardRow.id)))
    if not holds_staff_role(member):
        return []
    return list(
        await session.scalars(
            select(BoardRow)
            .join(BoardStaffRow, BoardStaffRow.board_id == BoardRow.id)
            .where(BoardStaffRow.member_id == member.id)
            .order_by(BoardRow.id)
        )
    )


async def may_respond(session: AsyncSession, member: MemberRow, board_id: int) -> bool:
    if member.role == Role.ADMIN:
        return True
    if not holds_staff_role(member):
        return False
    return await session.get(BoardStaffRow, (board_id, member.id)) is not None


async def require_board_staff(
    session: AsyncSession, member: MemberRow, board: BoardRow, doing: str
) -> None:
    """Refuses anyone but the board's staff and admins, saying who can ``doing``."""
    if not await may_respond(session, member, board.id):
        raise PermissionDenied(f"Only the staff of {board.name} can {doing}.")


# --- ideas ----------------------------------------------------------------------------------------


def is_awaiting(status: IdeaStatus, updated_at: datetime, window_days: int, now: datetime) -> bool:
    return not status.closed and now - updated_at >= timedelta(days=window_days)


def awaiting_days(
    status: IdeaStatus, updated_at: datetime, window_days: int, now: datetime
) -> int | None:
    if not is_awaiting(status, updated_at, window_days, now):
        return None
    return (now - updated_at).days


def awaiting_condition(window_days: int, now: datetime) -> Any:
    """SQL for "awaiting response" on a board with this window (see the module docstring)."""
    return and_(
        IdeaRow.status.in_(OPEN_STATUSES),
        IdeaRow.updated_at <= now - timedelta(days=window_days),
    )


def window_starts(boards: Sequence[BoardRow], now: datetime) -> list[tuple[int, datetime]]:
    """(board id, start of its response window): an idea last answered before it awaits one."""
    return [(board.id, now - timedelta(days=board.response_window_days)) for board in boards]


def longest_waits(windows: Sequence[tuple[Any, Any]], *, after: tuple | None = None) -> Any:
    """The ideas awaiting a response on the boards of ``windows`` (board id, window start), as
    (id, updated_at), after the (updated_at, id) cursor ``after``: a compound select for the
    caller to order by (updated_at, id) and limit. Values may be bound parameters.

    One arm per board, each an ordered seek of that board's (board_id, updated_at, id) index,
    merged by the database (SQLite's MERGE of a compound ORDER BY, PostgreSQL's Merge Append),
    so a LIMIT reads only as many ideas as it returns. One OR over all boards read and sorted
    every awaiting idea instead (~15k at 1 M posts: 28 ms of SQL for the staff desk).
    """
    return union_all(
        *(
            select(IdeaRow.id, IdeaRow.updated_at).where(
                IdeaRow.board_id == board_id,
                IdeaRow.status.in_(OPEN_STATUSES),
                IdeaRow.updated_at <= start,
                *keyset_past(IdeaRow.updated_at, after, later=True),
            )
            for board_id, start in windows
        )
    )


def windows_table(windows: Sequence[tuple[Any, Any]]) -> Any:
    """The (board id, window start) pairs as a small table (a CTE of one-row selects; a VALUES
    list would not be cached) to join ideas to: one join plans in a fraction of the time of one
    UNION arm per board (PostgreSQL plans every call) and still seeks each board's
    (board_id, updated_at) index."""
    return union_all(
        *(
            select(
                _typed(board_id, Integer).label("board_id"),
                _typed(start, UTCDateTime).label("start"),
            )
            for board_id, start in windows
        )
    ).cte("windows")


def _typed(value: Any, type_: Any) -> Any:
    return value if isinstance(value, ClauseElement) else literal(value, type_)


def inside_windows(windows: Any, *conditions: Any) -> Any:
    """Open ideas touched inside their board's window (not awaiting yet), as (id, created_at),
    on the boards of ``windows`` (a ``windows_table``): a seek over the window's ideas only."""
    return (
        select(IdeaRow.id, IdeaRow.created_at)
        .join(
            windows,
            and_(IdeaRow.board_id == windows.c.board_id, IdeaRow.updated_at > windows.c.start),
        )
        .where(IdeaRow.status.in_(OPEN_STATUSES), *conditions)
    )


def keyset_past(column: Any, after: tuple | None, *, later: bool) -> list[Any]:
    """The keyset condition past the cursor (value, id), as one row-value comparison both
    databases seek an index by. The cursor's parts may be bound parameters."""
    if after is None:
        return []
    value, idea_id = after
    bound = tuple_(
        value if isinstance(value, ClauseElement) else literal(value, column.type),
        idea_id if isinstance(idea_id, ClauseElement) else literal(idea_id, IdeaRow.id.type),
    )
    keys = tuple_(column, IdeaRow.id)
    return [keys > bound if later else keys < bound]


def idea_query(member_id: int | None) -> Select[Any]:
    """Ideas with what an Idea needs: board, author, the viewer's support, the latest note."""
    latest_note = (
        select(IdeaUpdateRow.note)
        .where(IdeaUpdateRow.idea_id == IdeaRow.id)
        .order_by(IdeaUpdateRow.id.desc())
        .limit(1)
        .correlate(IdeaRow)
        .scalar_subquery()
    )
    supported = exists().where(SupportRow.idea_id == IdeaRow.id, SupportRow.member_id == member_id)
    duplicate_number = (
        select(Original.number)
        .where(Original.id == IdeaRow.duplicate_of_id)
        .correlate(IdeaRow)
        .scalar_subquery()
    )
    return (
        select(
            IdeaRow,
            BoardRow.name,
            BoardRow.response_window_days,
            Author.handle,
            Author.state,
            supported.label("supported"),
            latest_note.label("latest_note"),
            duplicate_number.label("duplicate_number"),
        )
        .join(BoardRow, BoardRow.id == IdeaRow.board_id)
        .join(Author, Author.id == IdeaRow.author_id)
        # Counters move in SQL (support_count + 1), so never trust a row already in the session.
        .execution_options(populate_existing=True)
    )


IDEA_COLUMNS = 8  # what idea_query selects, before any column a caller adds


def idea_from_result(
    result: Any, member_id: int | None, now: datetime, *, reveal_hidden: bool = False
) -> Idea:
    """``reveal_hidden``: the viewer is the board's staff or an admin, who see hidden text."""
    row, board_name, window, handle, author_state, supported, latest_note, duplicate_number = result
    status = IdeaStatus(row.status)
    idea = Idea(
        id=row.id,
        board_id=row.board_id,
        board_name=board_name,
        title=row.title,
        body=row.body,
        author_handle=FORMER_MEMBER if author_state == MemberState.ERASED else handle,
        status=status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        support_count=row.support_count,
        supported_by_me=bool(supported),
        mine=member_id is not None and row.author_id == member_id,
        awaiting_days=awaiting_days(status, row.updated_at, window, now),
        duplicate_of=row.duplicate_of_id,
        latest_note=latest_note or "",
        number=row.number or 0,
        duplicate_number=duplicate_number or 0,
    )
    return idea_as_seen(idea, row, member_id, reveal=reveal_hidden)


async def load_idea(
    session: AsyncSession,
    member_id: int | None,
    idea_id: int,
    now: datetime,
    *,
    reveal_hidden: bool = False,
) -> Idea:
    result = (await session.execute(idea_query(member_id).where(IdeaRow.id == idea_id))).first()
    if result is None:
        raise NotFound(NO_SUCH_IDEA)
    return idea_from_result(result, member_id, now, reveal_hidden=reveal_hidden)


async def next_idea_number(session: AsyncSession, board_id: int) -> int:
    """The number the board's next idea gets: one more than its highest. The board's row is
    locked first (PostgreSQL; a SQLite write holds the database), so two ideas added at once
    never share a number."""
    await session.execute(select(BoardRow.id).where(BoardRow.id == board_id).with_for_update())
    highest = await session.scalar(
        select(func.max(IdeaRow.number)).where(IdeaRow.board_id == board_id)
    )
    return int(highest or 0) + 1


async def ideas_where(
    session: AsyncSession,
    member_id: int | None,
    now: datetime,
    *conditions: Any,
    order: Sequence[Any],
    limit: int | None = None,
) -> list[Idea]:
    query = idea_query(member_id).where(*conditions).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [idea_from_result(result, member_id, now) for result in await session.execute(query)]


# --- outcomes -------------------------------------------------------------------------------------


def outcome_query(member_id: int | None) -> Select[Any]:
    """Outcomes with what an Outcome needs besides its linked ideas, in one statement: the
    board's name, who recorded it, how many it credits and whether it credits the member."""
    contributors = (
        select(func.count())
        .select_from(OutcomeCreditRow)
        .where(OutcomeCreditRow.outcome_id == OutcomeRow.id)
        .correlate(OutcomeRow)
        .scalar_subquery()
    )
    credits_me = (
        exists()
        .where(
            OutcomeCreditRow.outcome_id == OutcomeRow.id, OutcomeCreditRow.member_id == member_id
        )
        .correlate(OutcomeRow)  # not to outcome_credits when the caller joins it too
    )
    return (
        select(
            OutcomeRow,
            BoardRow.name,
            Recorder.handle,
            Recorder.state,
            contributors.label("contributors"),
            (credits_me if member_id is not None else literal(False)).label("credits_me"),
        )
        .join(BoardRow, BoardRow.id == OutcomeRow.board_id)
        .outerjoin(Recorder, Recorder.id == OutcomeRow.recorded_by_id)
    )


async def outcomes_from_results(session: AsyncSession, results: Sequence[Any]) -> list[Outcome]:
    """Outcomes from ``outcome_query`` rows, in their order, each with its linked ideas (one
    more statement for all of them)."""
    if not results:
        return []
    refs: dict[int, list[IdeaRef]] = {result[0].id: [] for result in results}
    linked = await session.execute(
        select(OutcomeIdeaRow.outcome_id, IdeaRow.id, IdeaRow.title, IdeaRow.status, IdeaRow.number)
        .join(IdeaRow, IdeaRow.id == OutcomeIdeaRow.idea_id)
        .where(OutcomeIdeaRow.outcome_id.in_(list(refs)))
        .order_by(OutcomeIdeaRow.outcome_id, IdeaRow.id)
    )
    for outcome_id, idea_id, title, status, number in linked:
        refs[outcome_id].append(IdeaRef(idea_id, title, IdeaStatus(status), number or 0))
    return [
        Outcome(
            id=row.id,
            board_id=row.board_id,
            board_name=board_name,
            title=row.title,
            description=row.description,
            happened_on=row.happened_on,
            recorded_by=(
                FORMER_MEMBER if handle is None or state == MemberState.ERASED else handle
            ),
            ideas=tuple(refs[row.id]),
            contributor_count=int(contributors or 0),
            credits_me=bool(credits_me),
        )
        for row, board_name, handle, state, contributors, credits_me in results
    ]


async def outcomes_where(
    session: AsyncSession,
    member_id: int | None,
    *conditions: Any,
    order: Sequence[Any] = (OutcomeRow.happened_on.desc(), OutcomeRow.id.desc()),
    limit: int | None = None,
) -> list[Outcome]:
    """Outcomes (newest first unless ``order`` says otherwise), in two statements."""
    query = outcome_query(member_id).where(*conditions).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return await outcomes_from_results(session, (await session.execute(query)).all())


async def outcomes_from_rows(
    session: AsyncSession, rows: Sequence[OutcomeRow], member_id: int | None
) -> list[Outcome]:
    """Outcomes in the order given, each with its linked ideas and contributor count."""
    if not rows:
        return []
    found = {
        outcome.id: outcome
        for outcome in await outcomes_where(
            session, member_id, OutcomeRow.id.in_([row.id for row in rows])
        )
    }
    return [found[row.id] for row in rows]


async def load_outcome(session: AsyncSession, outcome_id: int, member_id: int | None) -> Outcome:
    found = await outcomes_where(session, member_id, OutcomeRow.id == outcome_id)
    if not found:
        raise NotFound(NO_SUCH_OUTCOME)
    return found[0]


# --- involvement ----------------------------------------------------------------------------------


def hours_of(minutes: int) -> float:
    return round(minutes / 60, 2)


async def involvement_where(
    session: AsyncSession, *conditions: Any, limit: int | None = None
) -> list[Involvement]:
    """Involvement entries, newest first (the newest ``limit`` of them, if given)."""
    rows = await session.execute(
        select(InvolvementRow, MemberRow.handle, MemberRow.state, BoardRow.name)
        .join(MemberRow, MemberRow.id == InvolvementRow.member_id)
        .join(BoardRow, BoardRow.id == InvolvementRow.board_id)
        .where(*conditions)
        .order_by(InvolvementRow.happened_on.desc(), InvolvementRow.id.desc())
        .limit(limit)
    )
    return [
        involvement_from_row(row, FORMER_MEMBER if state == MemberState.ERASED else handle, name)
        for row, handle, state, name in rows
    ]


def involvement_from_row(row: InvolvementRow, handle: str, board_name: str) -> Involvement:
    return Involvement(
        id=row.id,
        member_handle=handle,
        board_id=row.board_id,
        board_name=board_name,
        happened_on=row.happened_on,
        activity=row.activity,
        hours=hours_of(row.minutes),
        recognition=Recognition(row.recognition),
        state=InvolvementState(row.state),
    )


# --- notifications --------------------------------------------------------------------------------


def notify(
    session: AsyncSession,
    member_ids: Iterable[int],
    kind: NotificationKind,
    text: str,
    now: datetime,
    *,
    idea_id: int | None = None,
    outcome_id: int | None = None,
    thread_id: int | None = None,
    post_id: int | None = None,
    checkin_id: int | None = None,
    about_member_id: int | None = None,
    group_id: int | None = None,
) -> None:
    """Adds a notification for each member, in the caller's transaction. The ids say what it
    is about, so Enter on it opens that (the idea, the outcome, the thread at the post, the
    group); a notification must always name one."""
    for member_id in sorted(set(member_ids)):
        session.add(
            NotificationRow(
                member_id=member_id,
                kind=str(kind),
                text=text,
                idea_id=idea_id,
                outcome_id=outcome_id,
                thread_id=thread_id,
                post_id=post_id,
                checkin_id=checkin_id,
                about_member_id=about_member_id,
                group_id=group_id,
                created_at=now,
                read_at=None,
            )
        )


def quoted(title: str) -> str:
    return f"“{title}”"
