"""Idea from a meeting (m on a board, listed in Help): the board's staff or a group's leader
enters an idea raised at a group meeting and names the members who raised it
(services/meeting_ideas.py). The dialog keeps what was typed when the service refuses it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Idea
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

NOBODY = "Only the board's staff, or a group's leader, can add an idea from a meeting."


class MeetingIdeaModal(ModalScreen[Idea | None]):
    DEFAULT_CSS = "MeetingIdeaModal { align: center middle; }"
    AUTO_FOCUS = "#meeting-group"
    BINDINGS = [
        Binding("ctrl+s", "save", "Add the idea", id="meeting-save", priority=True),
        Binding("escape", "cancel", "Cancel", id="meeting-cancel"),
    ]

    def __init__(self, board_id: int, groups: list[Group]) -> None:
        super().__init__()
        self.board_id = board_id
        self.groups = groups

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-box"):
            yield Plain("Idea from a meeting", classes="section")
            yield Plain("Which group met? (arrows)", classes="modal-help")
            yield MarkedList(
                *[Option(plain(g.name), id=str(g.id)) for g in self.groups],
                id="meeting-group",
                markup=False,
            )
            yield Field(placeholder="which meeting: 12 March", id="meeting-when", max_length=60)
            yield Field(placeholder="who raised it: ann, bob", id="meeting-who", max_length=600)
            yield Field(placeholder="the idea in a few words", id="meeting-title", max_length=120)
            yield Plain("What they said, in their words:", classes="modal-help")
            yield Composer(id="meeting-body")
            yield Plain("Ctrl+S adds it · Esc cancels", classes="modal-help")
            yield Plain("", classes="modal-error", id="meeting-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#meeting-group", OptionList).highlighted = 0
        self.query_one("#meeting-body").styles.height = 4

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        option = self.query_one("#meeting-group", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        self.save(
            int(option.id),
            self.query_one("#meeting-when", Input).value,
            self.query_one("#meeting-who", Input).value.split(","),
            self.query_one("#meeting-title", Input).value,
            self.query_one("#meeting-body", Composer).text,
        )

    @work(exclusive=True, group="meeting-idea", exit_on_error=False)
    async def save(
        self, group_id: int, meeting: str, credited: list[str], title: str, body: str
    ) -> None:
        try:
            idea = await self.forum.services.meeting_ideas.add_meeting_idea(
                self.forum.member_id, self.board_id, group_id, meeting, title, body, credited
            )
        except ForumError as error:
            self.query_one("#meeting-error", Plain).show(str(error))
            return
        self.dismiss(idea)


async def groups_for_meeting_ideas(forum: ForumApp, board_staff: bool) -> list[Group]:
    """The groups whose meetings this member may enter ideas from: every group they can see
    when they are the board's staff (or an admin), else the groups they lead."""
    mine, others = await forum.services.groups.list_groups(forum.member_id)
    if board_staff:
        return mine + others
    return [group for group in mine if group.i_lead]
