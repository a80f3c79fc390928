"""Involvement: time members gave to co-production, and how each chose to be recognised.

Payments can affect a carer's benefits, so recognition (thanks, voucher, paid) is recorded per
entry as the member chose it, and its state (promised, given) moves when it is delivered. Staff
log and export their board's entries (CSV, so payments can be made); each member sees their own
in My contributions.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_tui.domain.boards import (
    Involvement,
    InvolvementState,
    NotificationKind,
    Recognition,
)
from forum_tui.domain.errors import NotFound, ValidationError
from forum_tui.domain.text import clean_title
from forum_tui.services._boards_common import (
    board_by_slug,
    involvement_where,
    load_board,
    notify,
    quoted,
    require_board_staff,
)
from forum_tui.services._common import Service, load_member, member_by_handle, require_active
from forum_tui.store.board_tables import BoardRow, InvolvementRow
from forum_tui.store.tables import MemberRow

HOURS_MAX = 24
CSV_HEADER = (
    "date",
    "member",
    "display_name",
    "board",
    "activity",
    "hours",
    "recognition",
    "state",
)


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet shows as text: a cell a carer typed starting with = + - @ (or a
    tab or CR) would otherwise be run as a formula when the CSV is opened."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _clean_activity(activity: str) -> str:
    try:
        return clean_title(activity)
    except ValidationError:
        raise ValidationError(
            "Say what the activity was, in 3 to 120 letters, like 'Leaflet review day'."
        ) from None


def _check_state(recognition: Recognition, state: InvolvementState) -> None:
    """Paid is the state of a payment made, so only paid recognition is marked paid; any
    recognition may be marked given (entries logged before 'paid' existed were)."""
    if state is InvolvementState.PAID and recognition is not Recognition.PAID:
        raise ValidationError(
            f"Only paid recognition is marked paid; a {recognition.value} is marked given."
        )


def owed_first(entries: list[Involvement]) -> list[Involvement]:
    """A board's log for its staff: what is still owed (promised, not yet given or paid) at
    the top, oldest promise first; then the rest, newest first."""
    owed = [e for e in entries if e.state is InvolvementState.PROMISED]
    owed.sort(key=lambda e: (e.happened_on, e.id))
    return owed + [e for e in entries if e.state is not InvolvementState.PROMISED]


def _minutes(hours: float) -> int:
    if not 0 < hours <= HOURS_MAX:
        raise ValidationError(f"Hours must be more than 0 and at most {HOURS_MAX} (not {hours:g}).")
    minutes = round(hours * 60)
    if minutes < 1:
        raise ValidationError("Hours must come to at least a minute.")
    return minutes


def _hours_text(minutes: int) -> str:
    hours = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return f"{hours} hour{'s' if hours != '1' else ''}"


class InvolvementService(Service):
    async def log_involvement(
        self,
        member_id: int,
        handle: str,
        board_id: int,
        happened_on: date,
        activity: str,
        hours: float,
        recognition: Recognition,
        state: InvolvementState = InvolvementState.PROMISED,
    ) -> Involvement:
        """Logs time the member ``handle`` gave to the board's co-production work.

        The board's staff and admins only. Refused: hours not above 0 or over 24, an activity
        outside 3–120 characters, a date in the future, an unknown handle. Hours are kept to
        the minute.
        """
        activity = _clean_activity(activity)
        minutes = _minutes(hours)
        recognition = Recognition(recognition)
        state = InvolvementState(state)
        _check_state(recognition, state)
        now = self.now()
        if happened_on > now.date():
            raise ValidationError("Log involvement once it has happened: not a future date.")
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, now)
            board = await load_board(session, board_id)
            await require_board_staff(session, member, board, "log involvement on it")
            person = await member_by_handle(session, handle)
            row = InvolvementRow(
                member_id=person.id,
                board_id=board.id,
                happened_on=happened_on,
                activity=activity,
                minutes=minutes,
                recognition=str(recognition),
                state=str(state),
                recorded_by_id=member.id,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            if person.id != member.id:
                notify(
                    session,
                    [person.id],
                    NotificationKind.INVOLVEMENT,
                    f"{board.name} logged {_hours_text(minutes)} of your time: {quoted(activity)}"
                    f" ({recognition.value}, {state.value}). It is in My contributions.",
                    now,
                )
            return (await involvement_where(session, InvolvementRow.id == row.id))[0]

    async def set_involvement_state(
        self, member_id: int, involvement_id: int, state: InvolvementState
    ) -> Involvement:
        """Marks an entry's recognition promised, given (thanks, voucher) or paid (payment).
        Staff of its board and admins only; a member is told when theirs is given or paid."""
        state = InvolvementState(state)
        async with self.db.write() as session:
            member = await load_member(session, member_id)
            require_active(member, self.now())
            row = await session.get(InvolvementRow, involvement_id)
            if row is None:
                raise NotFound("There is no such involvement entry.")
            board = await load_board(session, row.board_id)
            await require_board_staff(session, member, board, "change its involvement log")
            require_active(member, self.now())
            self._mark(session, row, board, state)
            await session.flush()
            return (await involvement_where(session, InvolvementRow.id == row.id))[0]

    async def board_involvement(self, member_id: int, board_id: int) -> list[Involvement]:
        """Every involvement entry on a board: what is still owed first (oldest promise
        first), then the rest newest first. Its staff and admins only."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            board = await load_board(session, board_id)
            await require_board_staff(session, member, board, "see its involvement log")
            return owed_first(await involvement_where(session, InvolvementRow.board_id == board.id))

    async def board_involvement_by_slug(self, slug: str) -> list[Involvement]:
        """The operator's ``forum-tui involvement list``: as ``board_involvement``."""
        async with self.db.read() as session:
            board = await board_by_slug(session, slug)
            return owed_first(await involvement_where(session, InvolvementRow.board_id == board.id))

    async def log_involvement_by_slug(
        self,
        slug: str,
        handle: str,
        happened_on: date,
        activity: str,
        hours: float,
        recognition: Recognition,
        state: InvolvementState = InvolvementState.PROMISED,
    ) -> Involvement:
        """The operator's ``forum-tui involvement log``: as ``log_involvement``, by board slug,
        with no member check (whoever runs the command line runs the forum)."""
        activity = _clean_activity(activity)
        minutes = _minutes(hours)
        recognition = Recognition(recognition)
        state = InvolvementState(state)
        _check_state(recognition, state)
        now = self.now()
        if happened_on > now.date():
            raise ValidationError("Log involvement once it has happened: not a future date.")
        async with self.db.write() as session:
            board = await board_by_slug(session, slug)
            person = await member_by_handle(session, handle)
            row = InvolvementRow(
                member_id=person.id,
                board_id=board.id,
                happened_on=happened_on,
                activity=activity,
                minutes=minutes,
                recognition=str(recognition),
                state=str(state),
                recorded_by_id=None,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return (await involvement_where(session, InvolvementRow.id == row.id))[0]

    async def set_involvement_state_as_operator(
        self, involvement_id: int, state: InvolvementState
    ) -> Involvement:
        """The operator's ``forum-tui involvement set-state``: no member check."""
        state = InvolvementState(state)
        async with self.db.write() as session:
            row = await session.get(InvolvementRow, involvement_id)
            if row is None:
                raise NotFound("There is no such involvement entry.")
            self._mark(session, row, await load_board(session, row.board_id), state)
            await session.flush()
            return (await involvement_where(session, InvolvementRow.id == row.id))[0]

    async def my_involvement(self, member_id: int) -> list[Involvement]:
        """The member's own involvement on every board, newest first."""
        async with self.db.read() as session:
            member = await load_member(session, member_id)
            return await involvement_where(session, InvolvementRow.member_id == member.id)

    async def export_board_involvement_csv(self, member_id: int | None, board_id: int) -> str:
        """A board's involvement as CSV, oldest first, for making payments: one header row,
        then one row per entry. The board's staff and admins only; ``None`` is the operator
        at the command line."""
        async with self.db.read() as session:
            board = await load_board(session, board_id)
            if member_id is not None:
                member = await load_member(session, member_id)
                await require_board_staff(session, member, board, "export its involvement log")
            return await self._csv(session, board)

    async def export_involvement_csv_by_slug(self, slug: str) -> str:
        """The same export for the operator at the command line, by board slug."""
        async with self.db.read() as session:
            return await self._csv(session, await board_by_slug(session, slug))

    def _mark(
        self, session: AsyncSession, row: InvolvementRow, board: BoardRow, state: InvolvementState
    ) -> None:
        """Moves the entry to ``state``; the member is told when it is given or paid."""
        _check_state(Recognition(row.recognition), state)
        changed = row.state != str(state)
        row.state = str(state)
        if changed and state is not InvolvementState.PROMISED:
            notify(
                session,
                [row.member_id],
                NotificationKind.INVOLVEMENT,
                f"{board.name} marked your {row.recognition} for {quoted(row.activity)} "
                f"({_hours_text(row.minutes)}) as {state.value}.",
                self.now(),
            )

    @staticmethod
    async def _csv(session: AsyncSession, board: BoardRow) -> str:
        rows = await session.execute(
            select(InvolvementRow, MemberRow.handle, MemberRow.display_name)
            .join(MemberRow, MemberRow.id == InvolvementRow.member_id)
            .where(InvolvementRow.board_id == board.id)
            .order_by(InvolvementRow.happened_on, InvolvementRow.id)
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for row, handle, display_name in rows:
            writer.writerow(
                (
                    row.happened_on.isoformat(),
                    spreadsheet_safe(handle),
                    spreadsheet_safe(display_name or ""),
                    spreadsheet_safe(board.name),
                    spreadsheet_safe(row.activity),
                    f"{row.minutes / 60:.2f}",
                    row.recognition,
                    row.state,
                )
            )
        return out.getvalue()


__all__ = ["CSV_HEADER", "InvolvementService", "spreadsheet_safe"]
