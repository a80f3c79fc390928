"""The staff desk: ideas on my boards still waiting for an answer, the longest wait first, with
one key to answer (change the status with a public note) and one to record an outcome."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Idea
from forum_tui.domain.errors import ForumError
from forum_tui.services.ideas import AWAITING_PAGE
from forum_tui.ui.format import plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import one_line, status_label
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import Plain, plain


def waiting_line(idea: Idea) -> str:
    return (
        f"#{idea.id} {one_line(idea.title)} · {idea.board_name}\n"
        f"  [{status_label(idea)}] · {plural(idea.support_count, 'supporter')}"
        f" · by {idea.author_handle}"
    )


class StaffDeskScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        Binding("t", "change_status", "Answer (status)", id="change-status"),
        Binding("o", "record_outcome", "Record outcome", id="record-outcome"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ideas: dict[int, Idea] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Staff desk")
        yield Plain(
            "Ideas on your boards waiting for an answer, longest wait first: carers see "
            "how long each has waited. Enter opens one; t answers it here.",
            id="desk-about",
        )
        yield OptionList(id="awaiting", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "change_status", "record_outcome"):
            return self.current is not None
        return True

    @property
    def current(self) -> Idea | None:
        option = self.query_one("#awaiting", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return self.ideas.get(int(option.id.partition(":")[2]))

    @work(exclusive=True, group="desk", exit_on_error=False)
    async def load(self) -> None:
        try:
            ideas = await self.forum.services.ideas.awaiting_response(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.ideas = {i.id: i for i in ideas}
        longest = " · the longest waits" if len(ideas) >= AWAITING_PAGE else ""
        self.set_title(f"Staff desk · {plural(len(ideas), 'idea')} awaiting a response{longest}")
        box = self.query_one("#awaiting", OptionList)
        highlighted = box.highlighted
        box.set_options([Option(wrapped(box, waiting_line(i)), id=f"idea:{i.id}") for i in ideas])
        if not ideas:
            box.add_option(
                Option(plain("Nothing is waiting: every idea has had an answer."), disabled=True)
            )
        else:
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#awaiting")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#awaiting")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen

        if (idea := self.current) is not None:
            self.app.push_screen(IdeaScreen(idea.id))

    def action_change_status(self) -> None:
        if (idea := self.current) is not None:
            self.answer(idea.id)

    @work(exclusive=True, group="desk-answer", exit_on_error=False)
    async def answer(self, idea_id: int) -> None:
        from forum_tui.ui.screens.modals import ChangeStatusModal

        try:
            view = await self.forum.services.ideas.open_idea(self.forum.member_id, idea_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        if not view.can_change_status or not view.allowed_statuses:
            self.forum.tell("You cannot change this idea's status.", error=True)
            return

        def changed(idea: object) -> None:
            if idea is not None:
                self.forum.tell("Answered. Its author and supporters will be told.")
                self.load()

        self.app.push_screen(ChangeStatusModal(view), changed)

    def action_record_outcome(self) -> None:
        from forum_tui.ui.screens.modals import RecordOutcomeModal

        idea = self.current
        if idea is None:
            return

        def recorded(outcome: object) -> None:
            if outcome is not None:
                self.forum.tell("Outcome recorded: everyone who helped is credited.")
                self.load()

        self.app.push_screen(
            RecordOutcomeModal(idea.board_id, idea.board_name, [idea.id]), recorded
        )
