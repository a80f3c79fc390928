"""Boards: one per named service, where carers put ideas to that service and see the answers."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Board, IdeaStatus
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import one_line
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


def board_line(board: Board) -> str:
    counts = dict(board.status_counts)
    staff = " · you are staff" if board.i_am_staff else ""
    lines = [f"{one_line(board.name)}{staff}"]
    if board.description.strip():
        lines.append(f"  {one_line(board.description, 74)}")
    answered = [
        f"{counts.get(status, 0)} {status.label.lower()}"
        for status in (IdeaStatus.PLANNED, IdeaStatus.IN_PROGRESS, IdeaStatus.DONE)
        if counts.get(status, 0)
    ]
    lines.append("  " + " · ".join([plural(board.idea_count, "idea"), *answered]))
    return "\n".join(lines)


class BoardsScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        Binding("w", "outcomes", "You said, we did", id="you-said-we-did"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Boards")
        yield Plain(
            "Put ideas to the services you rely on, support others' ideas, and see the "
            "answers. Enter opens a board.",
            id="boards-about",
        )
        yield MarkedList(id="boards", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True, group="boards", exit_on_error=False)
    async def load(self) -> None:
        try:
            boards = await self.forum.services.boards.list_boards(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            if not self.loaded:
                self.app.pop_screen()
            return
        self.loaded = True
        self.set_title(f"Boards · {plural(len(boards), 'service')}")
        box = self.query_one("#boards", OptionList)
        highlighted = box.highlighted
        box.set_options([Option(wrapped(box, board_line(b)), id=f"board:{b.id}") for b in boards])
        if not boards:
            box.add_option(Option(plain("There are no boards yet."), disabled=True))
        else:
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()

    def _highlighted(self) -> int | None:
        option = self.query_one("#boards", OptionList).highlighted_option
        return int(option.id.partition(":")[2]) if option is not None and option.id else None

    @on(OptionList.OptionSelected, "#boards")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from forum_tui.ui.screens.board import BoardScreen

        if (board_id := self._highlighted()) is not None:
            self.app.push_screen(BoardScreen(board_id))

    def action_outcomes(self) -> None:
        from forum_tui.ui.screens.outcomes import OutcomesScreen

        if (board_id := self._highlighted()) is not None:
            self.app.push_screen(OutcomesScreen(board_id))
