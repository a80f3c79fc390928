"""Adding an idea to a board: a title and what would help, kept as a draft while typed.

While the title is typed, ideas already on the board that look alike are shown under it, so a
carer can support one of those instead of adding the same idea again.
"""

from __future__ import annotations

import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.text import TITLE_MAX, TITLE_MIN
from forum_tui.ui.screens.drafting import DraftingScreen
from forum_tui.ui.screens.idea_text import one_line, status_label
from forum_tui.ui.screens.privacy_nudge import send_after_nudge
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

LOOK_AFTER = 0.4  # seconds of quiet in the title before looking for similar ideas
SIMILAR_LIMIT = 5


class NewIdeaScreen(DraftingScreen):
    AUTO_FOCUS = "#title"
    BINDINGS = [
        Binding("ctrl+s", "send", "Add idea", id="send-idea", priority=True),
        Binding("escape", "cancel", "Back (draft kept)", id="back"),
    ]
    title_id = "title"

    def __init__(self, board_id: int) -> None:
        super().__init__()
        self.board_id = board_id
        self.place = f"idea:{board_id}"
        self._send_key = uuid.uuid4().hex
        self._look_timer: Timer | None = None
        self._looked_for = ""

    def compose(self) -> ComposeResult:
        yield from self.compose_title("New idea")
        with Vertical(id="new-idea"):
            yield Plain("Your idea in a few words", classes="field-label")
            yield Field(
                placeholder="e.g. An evening carers' group", id="title", max_length=TITLE_MAX * 2
            )
            yield Plain("", id="similar-heading")
            yield MarkedList(id="similar", markup=False)
            yield Plain(
                "What would help, and why (Tab moves between boxes · Ctrl+S adds it)",
                classes="field-label",
            )
            yield Composer(id="composer")
            yield Plain("", id="form-error")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_similar([])
        self.load()

    @work(exclusive=True, group="new-idea", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            board = await services.boards.get_board(self.forum.member_id, self.board_id)
            draft = self.kept_draft(
                await services.drafts.get_draft(self.forum.member_id, self.place)
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            self.app.pop_screen()
            return
        self.set_title(f"New idea · {board.name}")
        if draft is not None:
            self.query_one("#title", Input).value = draft.title
            self.query_one("#composer", Composer).text = draft.body
            self.restored(draft.title, draft.body)
            self.forum.tell("Your unsent idea was kept: it is back for you to finish.")

    @property
    def looked_for(self) -> str:
        """The title the similar-ideas hint last looked for (what it shows is for this)."""
        return self._looked_for

    @on(Input.Changed, "#title")
    def title_changed(self, event: Input.Changed) -> None:
        if self._look_timer is not None:
            self._look_timer.stop()
        self._look_timer = self.set_timer(LOOK_AFTER, self.look_for_similar)

    @work(exclusive=True, group="similar", exit_on_error=False)
    async def look_for_similar(self) -> None:
        text = " ".join(self.query_one("#title", Input).value.split())
        if text == self._looked_for:
            return
        if len(text) < TITLE_MIN:
            self._looked_for = text
            self._show_similar([])
            return
        try:
            ideas = await self.forum.services.ideas.similar_ideas(
                self.forum.member_id, self.board_id, text, limit=SIMILAR_LIMIT
            )
        except ForumError:
            return  # only a help while typing: adding the idea still works
        self._looked_for = text
        self._show_similar(
            [
                Option(
                    plain(
                        f"{i.ref} {one_line(i.title, 40)} · [{status_label(i, reason_limit=16)}]"
                    ),
                    id=f"idea:{i.id}",
                )
                for i in ideas
            ]
        )

    def _show_similar(self, options: list[Option]) -> None:
        box = self.query_one("#similar", OptionList)
        box.set_options(options)
        heading = self.query_one("#similar-heading", Plain)
        heading.show(
            "Already on this board (Tab, then Enter to open one and support it instead):"
            if options
            else ""
        )
        box.display = heading.display = bool(options)

    @on(OptionList.OptionSelected, "#similar")
    def open_similar(self, event: OptionList.OptionSelected) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen

        if event.option.id:
            self.app.push_screen(IdeaScreen(int(event.option.id.partition(":")[2])))

    def action_cancel(self) -> None:
        self.app.pop_screen()

    def action_send(self) -> None:
        title, body = self.typed()
        send_after_nudge(self, f"{title}\n{body}", lambda: self.send(title, body))

    @work(exclusive=True, group="send-idea", exit_on_error=False)
    async def send(self, title: str, body: str) -> None:
        from forum_tui.ui.screens.idea import IdeaScreen

        try:
            idea = await self.forum.services.ideas.add_idea(
                self.forum.member_id, self.board_id, title, body, idempotency_key=self._send_key
            )
        except ForumError as error:
            self.query_one("#form-error", Plain).show(str(error))
            return
        self.forget_draft()
        self.forum.tell("Your idea is on the board. Staff will answer it here.")
        self.app.switch_screen(IdeaScreen(idea.id))
