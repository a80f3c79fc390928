"""The involvement ledger for a board's staff: log the time a carer gave, see what is still owed
(promised, not yet given or paid) at the top, and mark it given or paid.

Reached from the staff desk (v), and the log form from the desk, an idea or a board's
'You said, we did' (i). Every permission is checked by the involvement service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Board, Involvement, InvolvementState, Recognition
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import day, one_line
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.screens.modals import BoardModal
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

RECOGNITIONS = {
    Recognition.THANKS: "thanks",
    Recognition.VOUCHER: "a voucher",
    Recognition.PAID: "payment",
}


def ledger_line(entry: Involvement) -> str:
    hours = f"{entry.hours:g} hour{'s' if f'{entry.hours:g}' != '1' else ''}"
    owed = "OWED · " if entry.state is InvolvementState.PROMISED else ""
    return (
        f"{owed}{entry.member_handle} · {hours} · {day(entry.happened_on)}\n"
        f"  {one_line(entry.activity)} · {entry.recognition.value} ({entry.state.value})"
    )


@dataclass(frozen=True)
class LogTarget:
    """Where the form logs to, and who it starts with (the idea's author, say)."""

    board_id: int
    board_name: str
    handle: str = ""


class LogInvolvementModal(BoardModal[Involvement | None]):
    """Member, date, hours, what they did, and recognition: Ctrl+S logs it (promised)."""

    AUTO_FOCUS = "#time-member"
    BINDINGS = [
        Binding("ctrl+s", "save", "Log it", id="save-involvement", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, target: LogTarget) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        today = self.forum.clock().date().isoformat()
        with Vertical(id="time-box", classes="modal-box"):
            yield Plain(f"Log time given · {self.target.board_name}", classes="section")
            with Horizontal(classes="form-row"):
                yield Plain("Member", classes="inline-label")
                yield Field(self.target.handle, placeholder="their handle", id="time-member")
            with Horizontal(classes="form-row"):
                yield Plain("Date", classes="inline-label")
                yield Field(today, placeholder="YYYY-MM-DD", id="time-date")
            with Horizontal(classes="form-row"):
                yield Plain("Hours", classes="inline-label")
                yield Field(placeholder="e.g. 2.5", id="time-hours")
            with Horizontal(classes="form-row"):
                yield Plain("What they did", classes="inline-label")
                yield Field(placeholder="e.g. Leaflet review workshop", id="time-activity")
            yield Plain(
                "Recognition the member chose (arrows); it is logged as promised",
                classes="modal-help",
            )
            yield MarkedList(
                *[Option(label, id=str(r)) for r, label in RECOGNITIONS.items()],
                id="time-recognition",
            )
            yield Plain("Ctrl+S logs it; Esc cancels.", classes="modal-help")
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#time-recognition", OptionList).highlighted = 0
        if self.target.handle:
            self.query_one("#time-hours", Input).focus()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(OptionList.OptionSelected, "#time-recognition")
    def _chosen(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        value = {
            name: self.query_one(f"#time-{name}", Input).value.strip()
            for name in ("member", "date", "hours", "activity")
        }
        try:
            happened_on = date.fromisoformat(value["date"])
        except ValueError:
            self.show_error("Type the date as year-month-day, e.g. 2026-11-02.")
            self.query_one("#time-date", Input).focus()
            return
        try:
            hours = float(value["hours"].replace(",", "."))
        except ValueError:
            self.show_error("Type the hours as a number, e.g. 2.5.")
            self.query_one("#time-hours", Input).focus()
            return
        option = self.query_one("#time-recognition", OptionList).highlighted_option
        recognition = Recognition(option.id if option and option.id else Recognition.THANKS)
        self.log_entry(
            value["member"].lstrip("@"), happened_on, hours, value["activity"], recognition
        )

    @work(exclusive=True, group="log-involvement", exit_on_error=False)
    async def log_entry(
        self, handle: str, happened_on: date, hours: float, activity: str, recognition: Recognition
    ) -> None:
        try:
            entry = await self.forum.services.involvement.log_involvement(
                self.forum.member_id,
                handle,
                self.target.board_id,
                happened_on,
                activity,
                hours,
                recognition,
            )
        except ForumError as error:
            self.show_error(str(error))  # everything typed stays in the form
            return
        self.dismiss(entry)

    def action_cancel(self) -> None:
        self.dismiss(None)


class InvolvementScreen(Rewraps, ForumScreen):
    """A board's involvement log, what is still owed first."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("i", "log_time", "Log time", id="log-time"),
        Binding("g", "mark('given')", "Mark given", id="mark-given"),
        Binding("p", "mark('paid')", "Mark paid", id="mark-paid"),
        Binding("u", "mark('promised')", "Back to promised", id="mark-promised", show=False),
        Binding("b", "next_board", "Next board", id="next-board"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self, board_id: int | None = None) -> None:
        super().__init__()
        self.boards: list[Board] = []
        self.board_id = board_id
        self.entries: dict[int, Involvement] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Involvement")
        yield Plain("", id="ledger-about")
        yield MarkedList(id="ledger", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @property
    def board(self) -> Board | None:
        return next((b for b in self.boards if b.id == self.board_id), None)

    @property
    def current(self) -> Involvement | None:
        option = self.query_one("#ledger", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return self.entries.get(int(option.id.partition(":")[2]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            entry = self.current
            if entry is None or entry.state.value == parameters[0]:
                return False
            if parameters[0] == "paid":
                return entry.recognition is Recognition.PAID
            return True
        if action == "next_board":
            return len(self.boards) > 1
        if action == "log_time":
            return self.board is not None
        return True

    @work(exclusive=True, group="ledger", exit_on_error=False)
    async def load(self, select: int | None = None) -> None:
        services = self.forum.services
        me = self.forum.member_id
        try:
            if not self.boards:
                self.boards = [b for b in await services.boards.list_boards(me) if b.i_am_staff]
                if self.board is None and self.boards:
                    self.board_id = self.boards[0].id
            board = self.board
            if board is None:
                self.query_one("#ledger-about", Plain).show("You do not staff any board.")
                return
            entries = await services.involvement.board_involvement(me, board.id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.entries = {e.id: e for e in entries}
        owed = [e for e in entries if e.state is InvolvementState.PROMISED]
        owed_hours = sum(e.hours for e in owed)
        more = " · b: next board" if len(self.boards) > 1 else ""
        self.set_title(f"Involvement · {board.name}")
        self.query_one("#ledger-about", Plain).show(
            f"Still owed: {plural(len(owed), 'entry', 'entries')}, {owed_hours:g} hours "
            f"(promised, not yet given or paid) · at the top{more}"
        )
        box = self.query_one("#ledger", OptionList)
        highlighted = box.highlighted
        box.set_options([Option(wrapped(box, ledger_line(e)), id=f"time:{e.id}") for e in entries])
        if not entries:
            box.add_option(
                Option(
                    plain("Nothing logged yet: press i to log time a carer gave."), disabled=True
                )
            )
        else:
            ids = [e.id for e in entries]
            index = ids.index(select) if select in ids else (highlighted or 0)
            box.highlighted = min(index, len(ids) - 1)
        box.focus()
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#ledger")
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_next_board(self) -> None:
        if len(self.boards) > 1:
            ids = [b.id for b in self.boards]
            index = ids.index(self.board_id) if self.board_id in ids else -1
            self.board_id = ids[(index + 1) % len(ids)]
            self.load()

    def action_log_time(self) -> None:
        board = self.board
        if board is None:
            return

        def logged(entry: Involvement | None) -> None:
            if entry is not None:
                self.forum.tell(
                    f"Logged {entry.hours:g} hours for {entry.member_handle} "
                    f"({entry.recognition.value}, promised)."
                )
                self.load(select=entry.id)

        self.app.push_screen(LogInvolvementModal(LogTarget(board.id, board.name)), logged)

    def action_mark(self, state: str) -> None:
        entry = self.current
        if entry is not None:
            self.mark(entry, InvolvementState(state))

    @work(exclusive=True, group="ledger-mark", exit_on_error=False)
    async def mark(self, entry: Involvement, state: InvolvementState) -> None:
        try:
            done = await self.forum.services.involvement.set_involvement_state(
                self.forum.member_id, entry.id, state
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(
            f"{done.member_handle}'s {done.recognition.value} for {one_line(done.activity, 40)}"
            f" is now {done.state.value}."
        )
        self.load(select=done.id)
