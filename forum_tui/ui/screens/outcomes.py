"""'You said, we did' for one board: each change the service made, the carers' ideas behind it,
and how many carers contributed."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Board, Outcome
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import outcome_lines
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


class OutcomesScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open idea", id="open-idea"),
        Binding("o", "record_outcome", "Record outcome", id="record-outcome"),
        Binding("i", "log_time", "Log time", id="log-time"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self, board_id: int, *, select: int | None = None) -> None:
        super().__init__()
        self.board_id = board_id
        self._select = select  # an outcome to show first (opened from a notification)
        self.board: Board | None = None
        self.outcomes: dict[int, Outcome] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("You said, we did")
        yield Plain(
            "Changes this service made, and the carers' ideas that led to them. "
            "Enter opens an idea.",
            id="outcomes-about",
        )
        yield MarkedList(id="outcomes", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.board is not None:
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("record_outcome", "log_time"):
            return self.board is not None and self.board.i_am_staff
        return True

    @work(exclusive=True, group="outcomes", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        member_id = self.forum.member_id
        try:
            self.board = await services.boards.get_board(member_id, self.board_id)
            outcomes = await services.outcomes.list_outcomes(member_id, self.board_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            if self.board is None:
                self.app.pop_screen()
            return
        self.set_title(f"You said, we did · {self.board.name} · {plural(len(outcomes), 'change')}")
        self.outcomes = {o.id: o for o in outcomes}
        box = self.query_one("#outcomes", OptionList)
        highlighted = box.highlighted
        box.set_options(
            [Option(wrapped(box, outcome_lines(o)), id=f"outcome:{o.id}") for o in outcomes]
        )
        if not outcomes:
            box.add_option(
                Option(
                    plain("No changes recorded here yet. Ideas are answered first."), disabled=True
                )
            )
        else:
            ids = [o.id for o in outcomes]
            if self._select in ids:
                highlighted, self._select = ids.index(self._select), None
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#outcomes")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        option = self.query_one("#outcomes", OptionList).highlighted_option
        if option is not None:
            self._open(option.id)

    def _open(self, option_id: str | None) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen
        from forum_tui.ui.screens.modals import ChooseIdeaModal

        if not option_id:
            return
        outcome = self.outcomes.get(int(option_id.partition(":")[2]))
        if outcome is None or not outcome.ideas:
            return
        if len(outcome.ideas) == 1:
            self.app.push_screen(IdeaScreen(outcome.ideas[0].id))
            return

        def chosen(idea_id: int | None) -> None:
            if idea_id is not None:
                self.app.push_screen(IdeaScreen(idea_id))

        self.app.push_screen(
            ChooseIdeaModal(f"The ideas behind '{outcome.title}'", outcome.ideas), chosen
        )

    def action_record_outcome(self) -> None:
        from forum_tui.ui.screens.modals import RecordOutcomeModal

        if self.board is None:
            return

        def recorded(outcome: object) -> None:
            if outcome is not None:
                self.forum.tell("Saved. Each person who helped is named in it.")
                self.load()

        self.app.push_screen(RecordOutcomeModal(self.board.id, self.board.name, []), recorded)

    def action_log_time(self) -> None:
        from forum_tui.ui.screens.involvement import LogInvolvementModal, LogTarget

        if self.board is None:
            return

        def logged(entry: object) -> None:
            if entry is not None:
                self.forum.tell("Logged: it shows in the carer's My contributions as promised.")

        target = LogTarget(self.board.id, self.board.name)
        self.app.push_screen(LogInvolvementModal(target), logged)
