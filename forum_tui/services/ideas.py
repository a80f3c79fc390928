"""Ideas on a board: adding, finding similar ones, listing, supporting, and staff responses.

The lifecycle (``forum_tui.domain.boards.next_statuses``): ``new → under_review → planned →
in_progress → done``, skipping forward allowed; staff may also move an idea back among the open
statuses (never back to New), or close it as ``not_taken_forward`` (the note is the reason) or
``duplicate`` (pointing at another idea on the same board, whose supporters it gains). Closed
ideas (done, not taken forward, duplicate) take no further status change and no new support.
Every change, including a note that keeps the status, is an IdeaUpdate and notifies the author
and supporters in the same transaction.

Support: once per member. An author's support of their own idea adds nothing (no row, no count);
``support_count`` counts the other members backing the idea.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import (
    Idea,
    IdeaSort,
    IdeaStatus,
    IdeaUpdate,
    IdeaView,
    NotificationKind,
    Page,
    Support,
    next_statuses,
)
from forum_tui.domain.enums import MemberState
from forum_tui.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum_tui.domain.ids import is_storable_id
from forum_tui.domain.text import clean_body, clean_title, is_blank, strip_controls
from forum_tui.services._boards_common import (
    FORMER_MEMBER,
    NO_SUCH_IDEA,
    awaiting_condition,
    idea_from_result,
    idea_query,
    ideas_where,
    load_board,
    load_idea,
    longest_waits,
    may_respond,
    next_idea_number,
    notify,
    outcomes_from_rows,
    quoted,
    require_board_staff,
    staffed_boards,
    window_starts,
)
from forum_tui.services._common import Clock, Service, load_member, require_active, utcnow
from forum_tui.services._writes import finish_even_if_cancelled
from forum_tui.services.following import notify_idea_followers
from forum_tui.services.limits import PostingLimits, check_idea
from forum_tui.store.board_tables import (
    IdeaRow,
    IdeaUpdateRow,
    OutcomeIdeaRow,
    OutcomeRow,
    SupportRow,
    search_idea_ids,
    search_words,
)
from forum_tui.store.database import Database
from forum_tui.store.tables import DraftRow, MemberRow

IDEAS_PAGE = 30
IDEAS_PAGE_MAX = 100
SIMILAR_MAX = 20
SIMILAR_MIN_CHARS = 3
COMMENT_MAX = 500
NOTE_MAX = 2000
AWAITING_MAX = 200
AWAITING_PAGE = 50  # the staff desk's longest waits; 200 cost 7 ms of SQL alone at 1 M posts
IDEMPOTENCY_KEY_MAX = 64


def _check_key(idempotency_key: str | None) -> str | None:
    if idempotency_key is not None and not 0 < len(idempotency_key) <= IDEMPOTENCY_KEY_MAX:
        raise ValueError("idempotency key must be 1-64 characters")
    return idempotency_key


def _clean_comment(comment: str) -> str:
    if is_blank(comment):
        return ""
    cleaned = clean_body(comment)
    if len(cleaned) > COMMENT_MAX:
        raise ValidationError(
            f"A comment can have at most {COMMENT_MAX} characters (this one has {len(cleaned):,})."
        )
    return cleaned


def _clean_note(note: str, new_status: IdeaStatus) -> str:
    if is_blank(note):
        if new_status is IdeaStatus.NOT_TAKEN_FORWARD:
            raise ValidationError("Say why this idea will not go ahead: a reason is needed.")
        raise ValidationError("Write a public note: carers see it with the new status.")
    cleaned = clean_body(note)
    if len(cleaned) > NOTE_MAX:
        raise ValidationError(
            f"A note can have at most {NOTE_MAX:,} characters (this one has {len(cleaned):,})."
        )
    return cleaned


async def _insert_support(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Adds a support unless the member already supports the idea; True if one was added."""
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(SupportRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idea_id", "member_id"])
        .returning(SupportRow.member_id)
    )
    return (await session.execute(statement)).first() is not None


async def _idea_row_for_update(session: AsyncSession, idea_id: int) -> IdeaRow:
    """The idea, locked against concurrent status changes and supports (PostgreSQL; a SQLite
    write transaction holds the whole database already)."""
    row = (
        await session.execute(select(IdeaRow).where(IdeaRow.id == idea_id).with_for_update())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(NO_SUCH_IDEA)
    return row


def _sort_keys(sort: IdeaSort) -> tuple[tuple[Any, Any], bool]:
    """The (column, column) a sort orders by, and whether it is descending."""
    match sort:
        case IdeaSort.MOST_SUPPORTED:
            return (IdeaRow.support_count, IdeaRow.id), True
        case IdeaSort.NEWEST:
            return (IdeaRow.created_at, IdeaRow.id), True
        case IdeaSort.RECENTLY_UPDATED:
            return (IdeaRow.updated_at, IdeaRow.id), True
        case IdeaSort.AWAITING_RESPONSE:
            return (IdeaRow.updated_at, IdeaRow.id), False
    raise ValueError(f"unknown sort {sort!r}")


def _cursor(idea: Idea, sort: IdeaSort) -> tuple[Any, int]:
    match sort:
        case IdeaSort.MOST_SUPPORTED:
            return (idea.support_count, idea.id)
        case IdeaSort.NEWEST:
            return (idea.created_at, idea.id)
        case _:
            return (idea.updated_at, idea.id)


def _status_text(
    idea: IdeaRow, old: IdeaStatus, new: IdeaStatus, target: IdeaRow | None
) -> tuple[str, str]:
    """What the author and the supporters are told, in that order."""
    title = quoted(idea.title)
    if new is IdeaStatus.DUPLICATE and target is not None:
        tail = f"was marked a duplicate of {quoted(target.title)}; its support now counts there."
        return f"Your idea {title} {tail}", f"{title}, an idea you support, {tail}"
    if new is old:
        tail = f"has a new staff note (still {new.label})."
        return f"Your idea {title} {tail}", f"{title}, an idea you support, {tail}"
    tail = f"is now {new.label}."
    return f"Your idea {title} {tail}", f"{title}, an idea you support, {tail}"


# An idea page lists its first supporters (oldest first) with their experiences; the count
# on the idea is of all of them. The top idea at 1 M posts had 2,499.
SUPPORTS_SHOWN = 50


class IdeaService(Service):
    def __init__(
        self, db: Database, clock: Clock = utcnow, limits: PostingLimits | None = None
    ) -> None:
        super().__init__(db, clock)
        self.limits = PostingLimits.from_env() if limits is None else limits

    async def add_idea(
        self,
        member_id: int,
        board_id: int,
        title: str,
        body: str,
        *,
        idempotency_key: str | None = None,
    ) -> Idea:
        """Adds an idea to a board. Any active member may; suspended members are refused.

        Title 3–120 characters, body as for posts. The member's draft for ``idea:<board id>`` is
        discarded in the same transaction, which runs to its end even if the caller is cancelled
        (the session went away mid-send). The same ``idempotency_key`` sent twice adds one idea.
        The same body again within minutes, or too many ideas at once, is refused with
        RateLimited (``services.limits``).
        """
        title = clean_title(title)
        body = clean_body(body)
        key = _check_key(idempotency_key)
        return await finish_even_if_cancelled(self._add_idea(member_id, board_id, title, body, key))

    async def _add_idea(
        self, member_id: int, board_id: int, title: str, body: str, key: str | None
    ) -> Idea:
        now = self.now()
        try:
            async with self.db.write() as session:
                member = await load_member(session, member_id)
                require_active(member, now)
                board = await load_board(session, board_id)
                existing = await self._idea_by_key(session, member.id, key)
                if existing is not None:
                    return await load_idea(session, member.id, existing, now)
                await check_idea(session, self.limits, member, body, now)
                row = IdeaRow(
                    board_id=board.id,
                    number=await next_idea_number(session, board.id),
                    author_id=member.id,
                    title=title,
                    body=body,
                    status=str(IdeaStatus.NEW),
                    support_count=0,
                    created_at=now,
                    updated_at=now,
                    idempotency_key=key,
                )
                session.add(row)
                await session.flush()
                draft = await session.get(DraftRow, (member.id, f"idea:{board.id}"))
                if draft is not None:
                    await session.delete(draft)
                return await load_idea(session, member.id, row.id, now)
        except Conflict:
            # Two sends with one key raced (PostgreSQL): the other one's idea is this idea.
            if key is None:
                raise
            async with self.db.read() as session:
                existing = await self._idea_by_key(session, member_id, key)
                if existing is None:
                    raise
                return await load_idea(session, member_id, existing, now)

    @staticmethod
    async def _idea_by_key(session: AsyncSession, author_id: int, key: str | None) -> int | None:
        if key is None:
            return None
        return await session.scalar(
            select(IdeaRow.id).where(IdeaRow.author_id == author_id, IdeaRow.idempotency_key == key)
        )

    async def similar_ideas(
        self, member_id: int, board_id: int, text: str, limit: int = 5
    ) -> list[Idea]:
        """Ideas on the board whose title or body share words with ``text``, best match first.

        For the "similar ideas" hint while a title is typed: any member may call it. Text under
        three characters, or of common words only, gives []. Whatever is typed is searched as
        plain words (search syntax such as ``"foo* OR (bar`` is never interpreted), the last word
        also as a prefix while it is still being typed. Duplicates are left out: they point at
        the idea to support instead. Only the newest few hundred matches are ranked, so common
        words stay fast on a big board.
        """
        text = strip_controls(text)
        stripped = text.strip()
        words = search_words(stripped)
        if len(stripped) < SIMILAR_MIN_CHARS or not words:
            return []
        prefix_last = not text[-1].isspace() and stripped.casefold().endswith(words[-1])
        limit = max(1, min(limit, SIMILAR_MAX))
        now = self.now()
        async with self.db.read() as session:
            await load_member(session, member_id)
            board = await load_board(session, board_id)
            ids = await search_idea_ids(
                session, board.id, words, prefix_last=prefix_last, limit=limit
            )
            if not ids:
                return []
            found = await ideas_where(session, member_id, now, IdeaRow.id.in_(ids), order=())
            by_id = {idea.id: idea for idea in found}
            return [by_id[i] for i in ids if i in by_id]

    async def list_ideas(
        self,
        member_id: int,
        board_id: int,
        *,
        status: IdeaStatus | None = None,
        sort: IdeaSort = IdeaSort.MOST_SUPPORTED,
        after: tuple | None = None,
        limit: int = IDEAS_PAGE,
    ) -> Page[Idea]:
        """A page of a board's ideas. Any member may read any board.

        Sorts: most supported, newest, recently updated (newest first, ties by id), and
        awaiting response (only ideas awaiting a response, longest wait first). ``status``
        narrows any sort to one status. Keyset-paged: pass ``after`` from the previous page.
        """
        limit = max(1, min(limit, IDEAS_PAGE_MAX))
        now = self.now()
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            board = await load_board(session, board_id)
            reveal = await may_respond(session, member, board.id)  # staff see hidden text
            query = idea_query(member_id).where(IdeaRow.board_id == board.id)
            if status is not None:
                query = query.where(IdeaRow.status == str(IdeaStatus(status)))
            if sort is IdeaSort.AWAITING_RESPONSE:
                query = query.where(awaiting_condition(board.response_window_days, now))
            (first, second), descending = _sort_keys(IdeaSort(sort))
            if after is not None:
                value, last_id = after
                if descending:
                    query = query.where(or_(first < value, and_(first == value, second < last_id)))
                else:
                    query = query.where(or_(first > value, and_(first == value, second > last_id)))
            order = (first.desc(), second.desc()) if descending else (first, second)
            rows = (await session.execute(query.order_by(*order).limit(limit + 1))).all()
            ideas = tuple(
                idea_from_result(result, member_id, now, reveal_hidden=reveal)
                for result in rows[:limit]
            )
            more = len(rows) > limit
            return Page(ideas, _cursor(ideas[-1], IdeaSort(sort)) if more and ideas else None)

    async def open_idea(self, member_id: int, idea_id: int) -> IdeaView:
        """An idea with its timeline of staff updates (oldest first), its supporters (oldest
        first), the outcomes it led to (newest first) and what the member may do with it.

        Any member may open any idea. ``can_support`` is True when the member could press
        "support" now: active, not the author, not already supporting, and the idea is open.
        ``allowed_statuses`` is empty unless the member is the board's staff or an admin.
        """
        now = self.now()
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            idea = await load_idea(session, member.id, idea_id, now)
            updates = await session.execute(
                select(IdeaUpdateRow, MemberRow.handle, MemberRow.state)
                .join(MemberRow, MemberRow.id == IdeaUpdateRow.staff_id)
                .where(IdeaUpdateRow.idea_id == idea.id)
                .order_by(IdeaUpdateRow.id)
            )
            supports = await session.execute(
                select(SupportRow, MemberRow.handle, MemberRow.state)
                .join(MemberRow, MemberRow.id == SupportRow.member_id)
                .where(SupportRow.idea_id == idea.id)
                .order_by(SupportRow.created_at, SupportRow.member_id)
                .limit(SUPPORTS_SHOWN)
            )
            outcome_rows = list(
                await session.scalars(
                    select(OutcomeRow)
                    .join(OutcomeIdeaRow, OutcomeIdeaRow.outcome_id == OutcomeRow.id)
                    .where(OutcomeIdeaRow.idea_id == idea.id)
                    .order_by(OutcomeRow.happened_on.desc(), OutcomeRow.id.desc())
                )
            )
            staff = await may_respond(session, member, idea.board_id)
            if staff and idea.hidden_notice:
                idea = await load_idea(session, member.id, idea.id, now, reveal_hidden=True)
            try:
                require_active(member, now)
                active = True
            except PermissionDenied:
                active = False
            return IdeaView(
                idea=idea,
                updates=tuple(
                    IdeaUpdate(
                        id=row.id,
                        idea_id=row.idea_id,
                        staff_handle=FORMER_MEMBER if state == MemberState.ERASED else handle,
                        old_status=IdeaStatus(row.old_status),
                        new_status=IdeaStatus(row.new_status),
                        note=row.note,
                        created_at=row.created_at,
                    )
                    for row, handle, state in updates
                ),
                supports=tuple(
                    Support(
                        member_handle=FORMER_MEMBER if state == MemberState.ERASED else handle,
                        comment=row.comment,
                        created_at=row.created_at,
                        carried_from=row.carried_from_id,
                    )
                    for row, handle, state in supports
                ),
                outcomes=tuple(await outcomes_from_rows(session, outcome_rows, member.id)),
                can_support=active
                and not idea.status.closed
                and not idea.mine
                and not idea.supported_by_me,
                can_change_status=staff and active and not idea.status.closed,
                allowed_statuses=next_statuses(idea.status) if staff and active else (),
            )

    async def support_idea(self, member_id: int, idea_id: int, comment: str = "") -> Idea:
        """Supports ("me too") an idea, optionally with a short comment about one's own
        experience (at most 500 characters). Any active member may.

        Once per member: supporting again changes nothing. Supporting your own idea changes
        nothing either (the author is not counted as their own supporter). A closed idea
        (done, not taken forward, duplicate) refuses new support.
        """
        comment = _clean_comment(comment)
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            row = await _idea_row_for_update(session, idea_id)
            already = await session.get(SupportRow, (row.id, member.id))
            if row.author_id == member.id or already is not None:
                return await load_idea(session, member.id, row.id, now)
            status = IdeaStatus(row.status)
            if status.closed:
                raise PermissionDenied(
                    f"This idea is closed ({status.label}), so it takes no new support."
                )
            values = {
                "idea_id": row.id,
                "member_id": member.id,
                "comment": comment,
                "carried_from_id": None,
                "created_at": now,
            }
            if await _insert_support(session, values):
                await session.execute(
                    update(IdeaRow)
                    .where(IdeaRow.id == row.id)
                    .values(support_count=IdeaRow.support_count + 1)
                    .execution_options(synchronize_session=False)
                )
            return await load_idea(session, member.id, row.id, now)

    async def withdraw_support(self, member_id: int, idea_id: int) -> Idea:
        """Withdraws the member's support. Any active member may, from any idea they support,
        open or closed; withdrawing a support that is not there changes nothing.

        Outcomes already recorded keep crediting the member: they record who backed the idea
        when the change was made.
        """
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            row = await _idea_row_for_update(session, idea_id)
            removed = (
                await session.execute(
                    delete(SupportRow)
                    .where(SupportRow.idea_id == row.id, SupportRow.member_id == member.id)
                    .returning(SupportRow.member_id)
                    .execution_options(synchronize_session=False)
                )
            ).first()
            if removed is not None:
                await session.execute(
                    update(IdeaRow)
                    .where(IdeaRow.id == row.id)
                    .values(support_count=IdeaRow.support_count - 1)
                    .execution_options(synchronize_session=False)
                )
            return await load_idea(session, member.id, row.id, now)

    async def change_status(
        self,
        member_id: int,
        idea_id: int,
        new_status: IdeaStatus,
        note: str,
        *,
        duplicate_of: int | None = None,
    ) -> Idea:
        """Staff respond to an idea: a new status (or the same one) with a public note.

        The board's staff and admins only; everyone else gets PermissionDenied, staff of other
        boards included. The note is required (1–2,000 characters; for Not taken forward it is
        the reason). Refused: any change to a closed idea, a move back to New, and a duplicate
        that does not point at another, non-duplicate idea on the same board. Marking a
        duplicate carries its author and supporters to the other idea as supporters, each
        counted once. The author and supporters (not the staff member acting) are notified in
        the same transaction.
        """
        new_status = IdeaStatus(new_status)
        note = _clean_note(note, new_status)
        if duplicate_of is not None and new_status is not IdeaStatus.DUPLICATE:
            raise ValidationError("Only an idea that repeats another can point to it.")
        now = self.now()
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            row = await _idea_row_for_update(session, idea_id)
            board = await load_board(session, row.board_id)
            await require_board_staff(session, member, board, "change the status of its ideas")
            old_status = IdeaStatus(row.status)
            if old_status.closed:
                raise ValidationError(
                    f"This idea is closed ({old_status.label}): its status can no longer change."
                )
            if new_status not in next_statuses(old_status):
                raise ValidationError(
                    "Once staff have answered, an idea cannot go back to New. Choose Under review."
                )
            target = None
            if new_status is IdeaStatus.DUPLICATE:
                target = await self._duplicate_target(session, row, duplicate_of)
            session.add(
                IdeaUpdateRow(
                    idea_id=row.id,
                    staff_id=member.id,
                    old_status=str(old_status),
                    new_status=str(new_status),
                    note=note,
                    created_at=now,
                )
            )
            row.status = str(new_status)
            row.updated_at = now
            if target is not None:
                row.duplicate_of_id = target.id
            supporters = list(
                await session.execute(
                    select(SupportRow.member_id, SupportRow.comment).where(
                        SupportRow.idea_id == row.id
                    )
                )
            )
            if target is not None:
                await self._carry_supporters(session, row, target, supporters, now)
            to_author, to_supporters = _status_text(row, old_status, new_status, target)
            if row.author_id != member.id:
                notify(
                    session,
                    [row.author_id],
                    NotificationKind.IDEA_STATUS,
                    to_author,
                    now,
                    idea_id=row.id,
                )
            notify(
                session,
                [m for m, _ in supporters if m not in (member.id, row.author_id)],
                NotificationKind.IDEA_STATUS,
                to_supporters,
                now,
                idea_id=row.id,
            )
            told = {member.id, row.author_id, *(m for m, _ in supporters)}
            await notify_idea_followers(session, row, to_supporters, now, skip=told)
            await session.flush()
            return await load_idea(session, member.id, row.id, now)

    @staticmethod
    async def _duplicate_target(
        session: AsyncSession, idea: IdeaRow, duplicate_of: int | None
    ) -> IdeaRow:
        if duplicate_of is None:
            raise ValidationError("Say which idea this one duplicates.")
        if duplicate_of == idea.id:
            raise ValidationError("An idea cannot point to itself.")
        target = (
            (
                await session.execute(
                    select(IdeaRow).where(IdeaRow.id == duplicate_of).with_for_update()
                )
            ).scalar_one_or_none()
            if is_storable_id(duplicate_of)  # a typed #99999999999999999999 names no idea
            else None
        )
        if target is None or target.board_id != idea.board_id:
            raise ValidationError("A duplicate must point at another idea on the same board.")
        if target.status == IdeaStatus.DUPLICATE:
            raise ValidationError(
                f"{quoted(target.title)} is itself a duplicate: point at idea "
                f"#{target.duplicate_of_id}, the one it duplicates."
            )
        return target

    @staticmethod
    async def _carry_supporters(
        session: AsyncSession,
        idea: IdeaRow,
        target: IdeaRow,
        supporters: list[Any],
        now: Any,
    ) -> None:
        """The duplicate's author and supporters become the target's supporters, each once.

        Carried even to a closed target: the count then says how many asked for it. The
        target's own author is never made its supporter.
        """
        carried = 0
        for backer, comment in [(idea.author_id, ""), *supporters]:
            if backer == target.author_id:
                continue
            values = {
                "idea_id": target.id,
                "member_id": backer,
                "comment": comment,
                "carried_from_id": idea.id,
                "created_at": now,
            }
            carried += await _insert_support(session, values)
        if carried:
            await session.execute(
                update(IdeaRow)
                .where(IdeaRow.id == target.id)
                .values(support_count=IdeaRow.support_count + carried)
                .execution_options(synchronize_session=False)
            )

    async def awaiting_response(self, member_id: int, *, limit: int = AWAITING_PAGE) -> list[Idea]:
        """The staff desk: open ideas awaiting a response on the boards the member staffs
        (every board, for an admin), longest wait first, each with ``awaiting_days``: the
        ``limit`` longest (50 unless asked, at most 200).

        A member who staffs no board gets an empty list.
        """
        now = self.now()
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            boards = await staffed_boards(session, member)
            if not boards:
                return []
            limit = max(1, min(limit, AWAITING_MAX))
            longest = longest_waits(window_starts(boards, now))
            keys = longest.selected_columns
            picked = longest.order_by(keys.updated_at, keys.id).limit(limit).subquery()
            return await ideas_where(
                session,
                member.id,
                now,
                IdeaRow.id.in_(select(picked.c.id)),
                order=(IdeaRow.updated_at, IdeaRow.id),
            )


__all__ = ["IdeaService"]
