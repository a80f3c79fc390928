"""Private check-ins (design.md §6): the list of those I can read, one conversation, and the
form a leader, staff member or admin uses to start one.

Only a leader of a group the member is in, staff or an admin can start one; the member answers
and can close it. Members cannot start one with each other, so there is no 'new' key for them:
the service refuses it too. Every message is plain text.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, TextArea
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.leaders import CheckIn, CheckInMessage, CheckInView
from forum_tui.ui.format import ago, plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.drafting import DraftingScreen
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.screens.modals import BoardModal
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.marked_list import MarkedList

PRIVACY = (
    "Private: only {member}, {started} and the leaders of {group} can read this. "
    "It is not a crisis service; in danger now, call 999."
)


def who_can_read(checkin: CheckIn) -> str:
    group = checkin.group_name or "no group (staff)"
    return PRIVACY.format(member=checkin.member_handle, started=checkin.started_by, group=group)


def checkin_line(checkin: CheckIn, now_label: str) -> str:
    state = "open" if checkin.open else "closed"
    with_whom = "with you" if checkin.about_me else f"with {checkin.member_handle}"
    where = f" · {checkin.group_name}" if checkin.group_name else ""
    return (
        f"{checkin.subject} · {with_whom}{where}\n"
        f"  started by {checkin.started_by} · {plural(checkin.message_count, 'message')}"
        f" · last {now_label} · {state}"
    )


def message_text(message: CheckInMessage, label: str) -> str:
    who = "you" if message.mine else message.author_handle
    return f"{who} · {label}\n{message.body}"


class StartCheckInModal(BoardModal[int | None]):
    """A leader's first message to a member; Ctrl+S sends it. Returns the check-in's id."""

    AUTO_FOCUS = "#checkin-first"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", id="send-checkin", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, handle: str, group_id: int | None, group_name: str | None) -> None:
        super().__init__()
        self.handle = handle
        self.group_id = group_id
        self.group_name = group_name

    def compose(self) -> ComposeResult:
        group = f" · for {self.group_name}" if self.group_name else ""
        with Vertical(id="checkin-box", classes="modal-box"):
            yield Plain(f"Check in privately with {self.handle}{group}", classes="section")
            yield Plain(
                f"Only {self.handle}, you and the group's other leaders can read it; "
                f"{self.handle} can answer and close it. Ctrl+S sends; Esc cancels.",
                classes="modal-help",
            )
            yield Composer(
                f"Hi {self.handle}, I saw your post and wanted to check in. How are you doing?",
                id="checkin-first",
            )
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def action_send(self) -> None:
        self.start(self.query_one("#checkin-first", Composer).text)

    @work(exclusive=True, group="start-checkin", exit_on_error=False)
    async def start(self, body: str) -> None:
        try:
            view = await self.forum.services.checkins.start_checkin(
                self.forum.member_id, self.handle, body, group_id=self.group_id
            )
        except ForumError as error:
            self.show_error(str(error))  # the message stays in the box
            return
        self.forum.tell(f"Check-in started: {self.handle} is told.")
        self.dismiss(view.checkin.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CheckInsScreen(Rewraps, ForumScreen):
    """The check-ins I can read: open ones first, then the latest message first."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[int, CheckIn] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Private check-ins")
        yield Plain(
            "Leaders and staff can check in with a member in private; the member answers. "
            "Members cannot message each other privately.",
            id="checkins-about",
        )
        yield MarkedList(id="checkins", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @work(exclusive=True, group="checkins", exit_on_error=False)
    async def load(self) -> None:
        try:
            found = await self.forum.services.checkins.list_checkins(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.shown = {c.id: c for c in found}
        opened = sum(1 for c in found if c.open)
        self.set_title(f"Private check-ins · {opened} open")
        now = self.forum.clock()
        box = self.query_one("#checkins", OptionList)
        highlighted = box.highlighted
        box.set_options(
            [
                Option(wrapped(box, checkin_line(c, ago(c.last_message_at, now))), id=f"c:{c.id}")
                for c in found
            ]
        )
        if not found:
            box.add_option(Option(plain("No check-ins."), disabled=True))
        else:
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()

    @on(OptionList.OptionSelected, "#checkins")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        option = self.query_one("#checkins", OptionList).highlighted_option
        if option is not None and option.id:
            self.app.push_screen(CheckInScreen(int(option.id.partition(":")[2])))


class CheckInScreen(DraftingScreen):
    """One check-in: its messages oldest first, and the answer box (kept as a draft)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "answer", "Answer", id="answer"),
        Binding("ctrl+s", "send", "Send", id="send", priority=True),
        Binding("x", "close_checkin", "Close check-in", id="close-checkin"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self, checkin_id: int) -> None:
        super().__init__()
        self.checkin_id = checkin_id
        self.place = f"checkin:{checkin_id}"
        self.view: CheckInView | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Private check-in")
        yield Plain("", id="checkin-privacy")
        yield VerticalScroll(Plain("", id="checkin-messages"), id="checkin-scroll")
        with Vertical(id="reply-box"):
            yield Plain("Answer (Ctrl+S sends · Esc back)", id="reply-hint")
            yield Composer(id="composer")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load(first=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("answer", "send"):
            return self.view is not None and self.view.can_reply
        if action == "close_checkin":
            return self.view is not None and self.view.can_close
        return True

    def action_back(self) -> None:
        if isinstance(self.focused, TextArea):
            self.query_one("#checkin-scroll", VerticalScroll).focus()
            return
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    def action_answer(self) -> None:
        self.query_one("#composer", Composer).focus()

    @work(exclusive=True, group="checkin", exit_on_error=False)
    async def load(self, first: bool = False) -> None:
        services = self.forum.services
        try:
            view = await services.checkins.open_checkin(self.forum.member_id, self.checkin_id)
            draft = await services.drafts.get_draft(self.forum.member_id, self.place)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            if self.view is None:
                self.app.pop_screen()
            return
        self.show(view)
        if first and draft is not None and draft.body and view.can_reply:
            composer = self.query_one("#composer", Composer)
            composer.text = draft.body
            self.restored("", draft.body)
            composer.focus()
            self.forum.tell("Your unsent answer was kept: it is back in the box.")

    def show(self, view: CheckInView) -> None:
        self.view = view
        checkin = view.checkin
        with_whom = "you" if checkin.about_me else checkin.member_handle
        state = "" if checkin.open else f" · closed by {checkin.closed_by or 'a member'}"
        self.set_title(f"Check-in with {with_whom}: {checkin.subject}{state}")
        self.query_one("#checkin-privacy", Plain).show(who_can_read(checkin))
        now = self.forum.clock()
        text = "\n\n".join(message_text(m, ago(m.created_at, now)) for m in view.messages)
        self.query_one("#checkin-messages", Plain).show(text)
        scroller = self.query_one("#checkin-scroll", VerticalScroll)
        self.call_after_refresh(scroller.scroll_end, animate=False)
        composer = self.query_one("#composer", Composer)
        hint = self.query_one("#reply-hint", Plain)
        if view.can_reply:
            hint.show("Answer (Ctrl+S sends · Esc back)")
            composer.display = True
        else:
            hint.show("This check-in is closed: it takes no more messages.")
            composer.display = False
        self.refresh_bindings()

    def action_send(self) -> None:
        body = self.query_one("#composer", Composer).text
        if not body.strip():
            self.forum.tell("Your answer is empty: type something first.", error=True)
            return
        if not self._sending:
            self.send(body)

    @work(exclusive=True, group="checkin-send", exit_on_error=False)
    async def send(self, body: str) -> None:
        self._sending = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        try:
            view = await self.forum.services.checkins.reply(
                self.forum.member_id, self.checkin_id, body
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)  # the text stays, and so does the draft
            self._sending = False
            self.draft_changed()
            return
        finally:
            self._sending = False
        self.forget_draft()
        self.query_one("#composer", Composer).text = ""
        self.show(view)
        self.forum.tell("Sent.")

    def action_close_checkin(self) -> None:
        self.close_checkin()

    @work(exclusive=True, group="checkin-send", exit_on_error=False)
    async def close_checkin(self) -> None:
        try:
            view = await self.forum.services.checkins.close(self.forum.member_id, self.checkin_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.show(view)
        self.forum.tell("Check-in closed. It stays here to read.")


__all__ = ["CheckInScreen", "CheckInsScreen", "StartCheckInModal"]
