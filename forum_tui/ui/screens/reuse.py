"""Consent before reuse (issue 13): "suggest this post as an idea" from a thread, and the
author's yes-or-no when someone else asks (services.reuse).

Both dialogs call the service themselves and show a refusal inside, so nothing typed is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.reuse import ReuseRequest, ReuseStatus
from forum_tui.domain.text import TITLE_MAX
from forum_tui.ui.screens.idea_text import one_line
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

EXCERPT = 200


def excerpt(body: str) -> str:
    text = one_line(body)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


class SuggestIdeaModal(ModalScreen[bool]):
    """Which board, and the idea in a few words. The author's own post becomes the idea now;
    anyone else's waits for its author's yes."""

    AUTO_FOCUS = "#reuse-board"
    DEFAULT_CSS = "#reuse-board { height: auto; max-height: 8; }"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="send-suggestion", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, post_id: int, author_handle: str, own: bool) -> None:
        super().__init__()
        self.post_id = post_id
        self.author_handle = author_handle
        self.own = own

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        if self.own:
            how = "Your post will become an idea on the board you choose."
        else:
            how = (
                f"This is {self.author_handle}'s post. We will ask them first: it becomes an "
                "idea, with them as its author, only if they say yes."
            )
        with Vertical(id="reuse-box", classes="modal-box"):
            yield Plain("Suggest this post as an idea", classes="section")
            yield Plain(f"{how} Choose a board (arrows, then Enter).", classes="modal-help")
            yield MarkedList(id="reuse-board", markup=False)
            yield Field(
                placeholder="the idea in a few words; Enter sends",
                id="reuse-title",
                max_length=TITLE_MAX * 2,
            )
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="reuse-boards", exit_on_error=False)
    async def load(self) -> None:
        try:
            boards = await self.forum.services.boards.list_boards(self.forum.member_id)
        except ForumError as error:
            self.query_one(".modal-error", Plain).show(str(error))
            return
        box = self.query_one("#reuse-board", OptionList)
        box.add_options([Option(plain(b.name), id=str(b.id)) for b in boards])
        if boards:
            box.highlighted = 0

    @on(OptionList.OptionSelected, "#reuse-board")
    def _to_title(self) -> None:
        self.query_one("#reuse-title", Input).focus()

    @on(Input.Submitted, "#reuse-title")
    def _submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        option = self.query_one("#reuse-board", OptionList).highlighted_option
        if option is None or not option.id:
            self.query_one(".modal-error", Plain).show("Choose a board first.")
            return
        self.send(int(option.id), self.query_one("#reuse-title", Input).value)

    @work(exclusive=True, group="reuse-send", exit_on_error=False)
    async def send(self, board_id: int, title: str) -> None:
        try:
            done = await self.forum.services.reuse.suggest_idea(
                self.forum.member_id, self.post_id, board_id, title
            )
        except ForumError as error:
            self.query_one(".modal-error", Plain).show(str(error))
            return
        if done.status is ReuseStatus.ACCEPTED:
            self.forum.tell(f"Added as an idea on {done.board_name}.")
        else:
            self.forum.tell(f"Asked {done.author_handle}. It becomes an idea only if they say yes.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


ANSWERS = (("no", "No, keep it as a post"), ("yes", "Yes, make it an idea"))


class ReuseAnswerModal(ModalScreen[bool]):
    """Someone asks to make the member's post an idea: No (first) or Yes, then Enter."""

    AUTO_FOCUS = "#reuse-answer"
    BINDINGS = [Binding("escape", "cancel", "Decide later", id="cancel")]
    DEFAULT_CSS = """
    #reuse-request { height: auto; max-height: 12; }
    #reuse-answer { height: auto; }
    """

    def __init__(self, request: ReuseRequest) -> None:
        super().__init__()
        self.request = request

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        r = self.request
        with Vertical(id="reuse-box", classes="modal-box"):
            yield Plain("May your post become an idea?", classes="section")
            with VerticalScroll(id="reuse-request"):
                yield Plain(
                    f"{r.asked_by_handle} asks to make your post in “{one_line(r.thread_title)}” "
                    f"an idea on {r.board_name}, called “{one_line(r.title)}”. You would be "
                    "its author. Your post:",
                    classes="modal-help",
                )
                yield Plain(excerpt(r.post_body), id="reuse-post")
            if r.status is ReuseStatus.PENDING:
                yield MarkedList(
                    *[Option(label, id=key) for key, label in ANSWERS],
                    id="reuse-answer",
                    markup=False,
                )
            else:
                said = "yes" if r.status is ReuseStatus.ACCEPTED else "no"
                yield Plain(f"You already said {said}.", id="reuse-answered")
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.request.status is ReuseStatus.PENDING:
            self.query_one("#reuse-answer", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#reuse-answer")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.send(event.option.id == "yes")

    @work(exclusive=True, group="reuse-answer", exit_on_error=False)
    async def send(self, accept: bool) -> None:
        try:
            done = await self.forum.services.reuse.answer(
                self.forum.member_id, self.request.id, accept
            )
        except ForumError as error:
            self.query_one(".modal-error", Plain).show(str(error))
            return
        if done.status is ReuseStatus.ACCEPTED:
            self.forum.tell(f"Done: your post is now an idea on {done.board_name}.")
        else:
            self.forum.tell("Thank you. Your post stays a post; no idea was made.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
