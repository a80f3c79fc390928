"""Which notifications a member gets: each kind in the app, or off (``s`` on Notifications)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.errors import ForumError
from forum_tui.services.following import APP, OFF
from forum_tui.ui.screens.modals import BoardModal
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList

LABELS = {
    NotificationKind.REPLY: "Replies in threads I started or replied in",
    NotificationKind.MENTION: "Posts that name me (@handle)",
    NotificationKind.FOLLOWED: "Threads and ideas I follow",
    NotificationKind.IDEA_STATUS: "Ideas I wrote or support change status",
    NotificationKind.OUTCOME_CREDIT: "Changes that credit me",
    NotificationKind.REPORT_RESOLVED: "What happened to my reports",
}


class NotificationChoicesModal(BoardModal[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="close-choices"),
        Binding("enter", "toggle", "In the app / off", id="toggle-choice", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: dict[NotificationKind, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Plain("Notifications I get", classes="section")
            yield MarkedList(id="choices", markup=False)
            yield Plain(
                "Enter switches between in the app and off. Esc closes.", classes="modal-help"
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="choices", exit_on_error=False)
    async def load(self) -> None:
        try:
            self.choices = await self.forum.services.following.notification_choices(
                self.forum.member_id
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self._show()

    def _show(self) -> None:
        box = self.query_one("#choices", OptionList)
        highlighted = box.highlighted
        box.set_options(
            [
                Option(
                    plain(f"[{'in the app' if delivery == APP else 'off'}] {LABELS[kind]}"),
                    id=str(kind),
                )
                for kind, delivery in self.choices.items()
            ]
        )
        box.highlighted = highlighted or 0
        box.focus()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        option = self.query_one("#choices", OptionList).highlighted_option
        if option is not None and option.id:
            self.switch(NotificationKind(option.id))

    @work(exclusive=True, group="choice", exit_on_error=False)
    async def switch(self, kind: NotificationKind) -> None:
        delivery = OFF if self.choices.get(kind) == APP else APP
        try:
            await self.forum.services.following.set_notification_choice(
                self.forum.member_id, kind, delivery
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.choices[kind] = delivery
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)
