"""Notifications: what happened to ideas I wrote or support, and changes that credit me.

Opening this screen marks what it shows as read; the ones that were new are labelled '[new]' so
the member still sees which they had not read (a label, not a colour).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.boards import Notification, NotificationKind
from forum_tui.domain.errors import ForumError
from forum_tui.ui.format import ago, plural
from forum_tui.ui.live import ForumChanged
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.listing import Rewraps, wrapped
from forum_tui.ui.widgets import plain
from forum_tui.ui.widgets.marked_list import MarkedList


def notification_line(notification: Notification, label: str) -> str:
    new = "[new] " if not notification.read else ""
    return f"{new}{notification.text}\n  {label}"


class NotificationsScreen(Rewraps, ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("enter", "open", "Open", id="open"),
        Binding("c", "check_in", "Check in privately", id="check-in"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
        Binding("s", "choices", "Choose what I get", id="notification-choices"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: dict[int, Notification] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Notifications")
        yield MarkedList(id="notifications", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @on(ForumChanged)
    def forum_changed(self, event: ForumChanged) -> None:
        """A reply or mention for me shows up without a key press (live updates)."""
        if self.is_current and event.change.kind in ("*", "member", "thread", "group"):
            self.load()

    def action_choices(self) -> None:
        from forum_tui.ui.screens.notification_choices import NotificationChoicesModal

        self.app.push_screen(NotificationChoicesModal())

    @work(exclusive=True, group="notifications", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        member_id = self.forum.member_id
        try:
            found = await services.notifications.list_notifications(member_id)
            unread = [n.id for n in found if not n.read]
            if unread:
                await services.notifications.mark_read(member_id, unread)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        # Keep the '[new]' labels of this visit when refreshed: they were new when opened.
        for n in found:
            if n.id in self.shown and not self.shown[n.id].read:
                found[found.index(n)] = self.shown[n.id]
        self.shown = {n.id: n for n in found}
        new = sum(1 for n in found if not n.read)
        self.set_title(f"Notifications · {plural(new, 'new one', 'new ones')}")
        now = self.forum.clock()
        box = self.query_one("#notifications", OptionList)
        highlighted = box.highlighted
        box.set_options(
            [
                Option(wrapped(box, notification_line(n, ago(n.created_at, now))), id=f"n:{n.id}")
                for n in found
            ]
        )
        if not found:
            box.add_option(
                Option(
                    plain(
                        "Nothing yet. You are told here of replies to you and posts that "
                        "name you, when an idea you wrote or support changes, and when a "
                        "change credits you. s chooses which you get."
                    ),
                    disabled=True,
                )
            )
        else:
            box.highlighted = min(highlighted or 0, box.option_count - 1)
        box.focus()

    @on(OptionList.OptionSelected, "#notifications")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        option = self.query_one("#notifications", OptionList).highlighted_option
        if option is None or not option.id:
            return
        notification = self.shown.get(int(option.id.partition(":")[2]))
        if notification is not None:
            self.open_subject(notification)

    @work(exclusive=True, group="open-notification", exit_on_error=False)
    async def open_subject(self, notification: Notification) -> None:
        """Opens what the notification is about (issue 8 §4): a report, the review queue at
        that item; otherwise the thread at the post, the idea, the outcome or the group."""
        from forum_tui.ui.screens.group import GroupScreen
        from forum_tui.ui.screens.idea import IdeaScreen
        from forum_tui.ui.screens.moderation import ModerationScreen
        from forum_tui.ui.screens.outcomes import OutcomesScreen
        from forum_tui.ui.screens.thread import ThreadScreen

        n = notification
        if n.checkin_id is not None:
            from forum_tui.ui.screens.checkins import CheckInScreen

            self.app.push_screen(CheckInScreen(n.checkin_id))
        elif n.kind is NotificationKind.REPORT and (n.post_id or n.thread_id or n.idea_id):
            if n.post_id is not None:
                item = f"post:{n.post_id}"
            elif n.thread_id is not None:
                item = f"thread:{n.thread_id}"
            else:
                item = f"idea:{n.idea_id}"
            self.app.push_screen(ModerationScreen(select=item))
        elif n.kind is NotificationKind.REUSE_REQUEST and n.post_id is not None:
            from forum_tui.ui.screens.reuse import ReuseAnswerModal

            try:
                request = await self.forum.services.reuse.request_for_post(
                    self.forum.member_id, n.post_id
                )
            except ForumError as error:
                self.forum.tell(str(error), error=True)
                return
            self.app.push_screen(ReuseAnswerModal(request))
        elif n.thread_id is not None:
            self.app.push_screen(ThreadScreen(n.thread_id, at_post=n.post_id))
        elif n.idea_id is not None:
            self.app.push_screen(IdeaScreen(n.idea_id))
        elif n.outcome_id is not None:
            try:
                outcome = await self.forum.services.outcomes.get_outcome(
                    self.forum.member_id, n.outcome_id
                )
            except ForumError as error:
                self.forum.tell(str(error), error=True)
                return
            self.app.push_screen(OutcomesScreen(outcome.board_id, select=outcome.id))
        elif n.group_id is not None:
            self.app.push_screen(GroupScreen(n.group_id))
        else:
            self.forum.tell("This notice is all there is: there is nothing more to open.")

    # After a crisis alert, a leader checks in privately with the member (design.md §6).

    @property
    def current(self) -> Notification | None:
        option = self.query_one("#notifications", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return self.shown.get(int(option.id.partition(":")[2]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check_in":
            notification = self.current
            return notification is not None and bool(notification.about_handle)
        return True

    @on(OptionList.OptionHighlighted, "#notifications")
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_check_in(self) -> None:
        from forum_tui.ui.screens.checkins import CheckInScreen, StartCheckInModal

        notification = self.current
        if notification is None or not notification.about_handle:
            return

        def started(checkin_id: int | None) -> None:
            if checkin_id is not None:
                self.app.push_screen(CheckInScreen(checkin_id))

        self.app.push_screen(
            StartCheckInModal(notification.about_handle, notification.group_id, None), started
        )
