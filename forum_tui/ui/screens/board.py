"""A board: its ideas by status (a small bar chart of plain block characters) and the list of
ideas, filtered by status and sorted as the member chooses, loaded as they scroll."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Board, Idea, IdeaSort, IdeaStatus
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import plural
from forum_tui.ui.narrow import SHORT_SCREEN, status_line
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import SORT_WORDS, SORTS, idea_line, status_chart
from forum_tui.ui.screens.listing import wrapped
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList

# Load the next page when the highlight comes this close to the end of what is loaded.
PREFETCH = 5
STATUSES = tuple(IdeaStatus)


class BoardScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("a", "add_idea", "Add idea", id="add-idea"),
        Binding("f", "next_filter", "Filter", id="filter"),
        Binding("s", "next_sort", "Sort", id="sort"),
        Binding("w", "outcomes", "You said, we did", id="you-said-we-did"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
        Binding("m", "meeting_idea", "Idea from a meeting", id="meeting-idea", show=False),
        Binding("0", "filter(0)", "All statuses", id="filter-all", show=False),
        *[
            Binding(
                str(number),
                f"filter({number})",
                f"Only {status.label.lower()}",
                id=f"filter-{status.value.replace('_', '-')}",
                show=False,
            )
            for number, status in enumerate(STATUSES, start=1)
        ],
    ]

    def __init__(self, board_id: int) -> None:
        super().__init__()
        self.board_id = board_id
        self.board: Board | None = None
        self.status: IdeaStatus | None = None
        self.sort = IdeaSort.MOST_SUPPORTED
        self._after: tuple | None = None
        self._loading = False
        self._shown_width = 0

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Board")
        yield Plain("", id="board-chart")
        yield Plain("", id="board-showing")
        yield MarkedList(id="ideas", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.board is not None:
            self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._draw_chart()
        # The ideas are wrapped to the width: list them again when it changes.
        if self._shown_width and event.size.width != self._shown_width:
            self.load()
        self._shown_width = event.size.width

    def action_back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="meeting-idea", exit_on_error=False)
    async def action_meeting_idea(self) -> None:
        """Staff and group leaders: an idea raised at a meeting (screens/meeting_idea.py)."""
        from forum_tui.ui.screens.meeting_idea import (
            NOBODY,
            MeetingIdeaModal,
            groups_for_meeting_ideas,
        )

        staff = self.board is not None and self.board.i_am_staff
        member = self.forum.member
        admin = member is not None and member.is_admin
        groups = await groups_for_meeting_ideas(self.forum, staff or admin)
        if not groups:
            self.forum.tell(NOBODY)
            return

        def added(idea: Idea | None) -> None:
            if idea is not None:
                self.forum.tell(f"Added: {idea.title}. The members named are credited.")
                self.load()

        self.app.push_screen(MeetingIdeaModal(self.board_id, groups), added)

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True, group="board", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        member_id = self.forum.member_id
        try:
            self.board = await services.boards.get_board(member_id, self.board_id)
            page = await services.ideas.list_ideas(
                member_id, self.board_id, status=self.status, sort=self.sort
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            if self.board is None:
                self.app.pop_screen()
            return
        board = self.board
        staff = " · you are staff here" if board.i_am_staff else ""
        self.set_title(f"{board.name} · {plural(board.idea_count, 'idea')}{staff}")
        self._draw_chart()
        self._show_what()
        box = self.query_one("#ideas", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        self._append(page.items)
        self._after = page.after
        if not page.items:
            box.add_option(Option(plain(self._nothing()), disabled=True))
        else:
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()

    def _nothing(self) -> str:
        if self.sort is IdeaSort.AWAITING_RESPONSE:
            return "No idea here is waiting past the response window. Press s for other sorts."
        if self.status is not None:
            return f"No ideas are '{self.status.label}'. Press 0 to see every status."
        return "No ideas yet. Press a to add the first one."

    def _draw_chart(self) -> None:
        if self.board is None:
            return
        width = max(self.size.width - 2, 20)
        if self.app.size.height < SHORT_SCREEN:  # the ideas keep the room (ui/narrow.py)
            chart = status_line(self.board.status_counts, width=width, selected=self.status)
        else:
            chart = status_chart(self.board.status_counts, width=width, selected=self.status)
        self.query_one("#board-chart", Plain).show(chart)

    def _show_what(self) -> None:
        which = f"'{self.status.label}' ideas" if self.status else "All ideas"
        self.query_one("#board-showing", Plain).show(
            f"{which} · {SORT_WORDS[self.sort]} · 1-7: one status, 0: all · s: sort"
        )

    def _append(self, ideas: tuple[Idea, ...]) -> None:
        now = self.forum.clock()
        box = self.query_one("#ideas", OptionList)
        box.add_options(
            [Option(wrapped(box, idea_line(idea, now)), id=f"idea:{idea.id}") for idea in ideas]
        )

    @on(OptionList.OptionHighlighted, "#ideas")
    def maybe_load_more(self, event: OptionList.OptionHighlighted) -> None:
        box = event.option_list
        near_end = event.option_index >= box.option_count - PREFETCH
        if near_end and self._after is not None and not self._loading:
            self.load_more()

    @work(exclusive=True, group="board-more", exit_on_error=False)
    async def load_more(self) -> None:
        if self._after is None:
            return
        self._loading = True
        try:
            page = await self.forum.services.ideas.list_ideas(
                self.forum.member_id,
                self.board_id,
                status=self.status,
                sort=self.sort,
                after=self._after,
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        finally:
            self._loading = False
        self._append(page.items)
        self._after = page.after

    @on(OptionList.OptionSelected, "#ideas")
    def open_idea(self, event: OptionList.OptionSelected) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen

        if event.option.id:
            self.app.push_screen(IdeaScreen(int(event.option.id.partition(":")[2])))

    def action_filter(self, number: int) -> None:
        self.status = STATUSES[number - 1] if 1 <= number <= len(STATUSES) else None
        self._reload_list()

    def action_next_filter(self) -> None:
        order: list[IdeaStatus | None] = [None, *STATUSES]
        self.status = order[(order.index(self.status) + 1) % len(order)]
        self._reload_list()

    def action_next_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._reload_list()

    def _reload_list(self) -> None:
        self.query_one("#ideas", OptionList).highlighted = None
        self._draw_chart()
        self._show_what()
        self.load()

    def action_add_idea(self) -> None:
        from forum_tui.ui.screens.new_idea import NewIdeaScreen

        self.app.push_screen(NewIdeaScreen(self.board_id))

    def action_outcomes(self) -> None:
        from forum_tui.ui.screens.outcomes import OutcomesScreen

        self.app.push_screen(OutcomesScreen(self.board_id))
