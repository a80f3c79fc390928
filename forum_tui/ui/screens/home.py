"""Home: my groups with what is new in them, unsent drafts, and open groups to join."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.consent import Consent
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.ui.format import ago, plural
from forum_tui.ui.live import ForumChanged
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.marked_list import MarkedList


def group_line(group: Group) -> Content:
    news = f" · {group.unread} new" if group.unread else ""
    lead = " · you lead it" if group.i_lead else ""
    private = " · private" if group.visibility == "private" else ""
    return plain(f"{group.name}\n  {plural(group.thread_count, 'thread')}{news}{lead}{private}")


class HomeScreen(ForumScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", id="open", show=False),
        Binding("v", "help_a_carer", "Help a carer post", id="help-a-carer"),
        Binding("j", "join", "Join group", id="join"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
        Binding("b", "boards", "Boards", id="boards"),
        Binding("c", "contributions", "Contributions", id="my-contributions"),
        Binding("d", "staff_desk", "Desk", id="staff-desk"),
        Binding("o", "notifications", "News", id="notifications"),
        Binding("m", "moderation", "Moderate", id="moderation"),
        # In the help (f1), not the footer: the footer is full at 80 columns.
        Binding("x", "my_data", "My data (export)", id="my-data", show=False),
        Binding("a", "account", "Account: SSH keys, invites", id="account", show=False),
        Binding("p", "checkins", "Private check-ins", id="checkins", show=False),
    ]
    _staffs = False  # staffs a board (or is an admin): the staff desk is for them
    _leads = False  # leads a group, staffs a board or is an admin: moderation is for them

    def compose(self) -> ComposeResult:
        yield from self.compose_title("forum-tui")
        with VerticalScroll(id="home", can_focus=False):
            yield Plain("Your groups", classes="section")
            yield MarkedList(id="my-groups", markup=False)
            yield Plain("Unsent drafts", classes="section", id="drafts-heading")
            yield MarkedList(id="drafts", markup=False)
            yield Plain("Open groups you can join", classes="section", id="open-heading")
            yield MarkedList(id="open-groups", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        member = self.forum.member
        assert member is not None
        self.set_title(f"forum-tui · signed in as {member.handle}")
        self.load()
        self.load_board_news()

    def on_screen_resume(self) -> None:
        self.load()
        self.load_board_news()

    def action_refresh(self) -> None:
        self.load()

    @on(ForumChanged)
    def forum_changed(self, event: ForumChanged) -> None:
        """New posts in any group move the unread counts (under another screen: on resume)."""
        if self.is_current and (event.change.everything or event.change.kind == "group"):
            self.load()
        if self.is_current and event.change.kind in ("*", "group", "member"):
            self.load_board_news()  # the notification count in the title

    @work(exclusive=True, group="home", exit_on_error=False)
    async def load(self) -> None:
        services = self.forum.services
        try:
            mine, others = await services.groups.list_groups(self.forum.member_id)
            drafts = await services.drafts.list_drafts(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.check_moderation()
        self._fill(
            "#my-groups",
            [Option(group_line(g), id=f"group:{g.id}") for g in mine],
            "You are not in any group yet: pick one below and press j to join.",
        )
        now = self.forum.clock()
        self._fill(
            "#drafts",
            [
                Option(plain(f"{d.label}\n  saved {ago(d.updated_at, now)}"), id=d.place)
                for d in drafts
            ],
        )
        self._fill(
            "#open-groups",
            [Option(group_line(g), id=f"group:{g.id}") for g in others],
        )
        for box, heading, shown in (
            ("#drafts", "#drafts-heading", bool(drafts)),
            ("#open-groups", "#open-heading", bool(others)),
        ):
            self.query_one(box).display = shown
            self.query_one(heading).display = shown
        focused = self.focused
        if not isinstance(focused, OptionList) or not focused.display:
            first = next(
                (
                    self.query_one(s, OptionList)
                    for s in ("#my-groups", "#open-groups")
                    if self.query_one(s, OptionList).option_count
                ),
                None,
            )
            if first is not None:
                first.focus()

    def _fill(self, selector: str, options: list[Option], empty: str = "") -> None:
        box = self.query_one(selector, OptionList)
        highlighted = box.highlighted
        box.set_options(options)
        if not options and empty:
            box.add_option(Option(plain(empty), disabled=True))
        if options:
            box.highlighted = min(highlighted or 0, len(options) - 1)

    @on(OptionList.OptionSelected)
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        box = self.focused
        if isinstance(box, OptionList) and box.highlighted_option is not None:
            self._open(box.highlighted_option.id)

    def _open(self, option_id: str | None) -> None:
        from forum_tui.ui.screens.group import GroupScreen
        from forum_tui.ui.screens.thread import ThreadScreen

        if not option_id:
            return
        kind, _, raw = option_id.partition(":")
        if kind == "group":
            self.app.push_screen(GroupScreen(int(raw)))
        elif kind == "reply":
            self.app.push_screen(ThreadScreen(int(raw)))
        elif kind == "thread":
            self.app.push_screen(GroupScreen(int(raw), start_thread=True))
        elif kind == "checkin":
            from forum_tui.ui.screens.checkins import CheckInScreen

            self.app.push_screen(CheckInScreen(int(raw)))
        elif kind == "idea":
            from forum_tui.ui.screens.new_idea import NewIdeaScreen

            self.app.push_screen(NewIdeaScreen(int(raw)))

    def action_join(self) -> None:
        box = self.query_one("#open-groups", OptionList)
        option = box.highlighted_option
        if option is None or option.id is None:
            self.forum.tell("Highlight a group under 'Open groups you can join', then press j.")
            return
        self.join(int(option.id.partition(":")[2]))

    @work(exclusive=True, group="join", exit_on_error=False)
    async def join(self, group_id: int) -> None:
        try:
            group = await self.forum.services.groups.join_group(self.forum.member_id, group_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(f"You joined {group.name}.")
        self.load()

    # Boards, "you said, we did" and notifications (screens/boards.py and its neighbours).

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "staff_desk":
            return self._staffs
        if action == "moderation":
            return self._leads
        if action == "help_a_carer":  # drop-in volunteers (services.consents checks it too)
            member = self.forum.member
            return member is not None and member.role == Role.VOLUNTEER
        return True

    @work(exclusive=True, group="home-boards", exit_on_error=False)
    async def load_board_news(self) -> None:
        services = self.forum.services
        member = self.forum.member
        assert member is not None
        try:
            unread = await services.notifications.unread_count(member.id)
            boards = await services.boards.list_boards(member.id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        news = f" · {plural(unread, 'new item')} in News (o)" if unread else ""
        self.set_title(f"forum-tui · signed in as {member.handle}{news}")
        self._staffs = member.is_admin or any(board.i_am_staff for board in boards)
        self.refresh_bindings()

    def action_boards(self) -> None:
        from forum_tui.ui.screens.boards import BoardsScreen

        self.app.push_screen(BoardsScreen())

    def action_contributions(self) -> None:
        from forum_tui.ui.screens.contributions import ContributionsScreen

        self.app.push_screen(ContributionsScreen())

    def action_staff_desk(self) -> None:
        from forum_tui.ui.screens.staff_desk import StaffDeskScreen

        if self._staffs:
            self.app.push_screen(StaffDeskScreen())

    def action_notifications(self) -> None:
        from forum_tui.ui.screens.notifications import NotificationsScreen

        self.app.push_screen(NotificationsScreen())

    @work(exclusive=True, group="home-moderation", exit_on_error=False)
    async def check_moderation(self) -> None:
        """Leaders, board staff and admins get the Moderation screen (m)."""
        try:
            self._leads = await self.forum.services.moderation.can_moderate(self.forum.member_id)
        except ForumError:
            self._leads = False
        self.refresh_bindings()

    def action_moderation(self) -> None:
        from forum_tui.ui.screens.moderation import ModerationScreen

        if self._leads:
            self.app.push_screen(ModerationScreen())

    def action_my_data(self) -> None:
        from forum_tui.ui.screens.my_data import MyDataScreen

        self.app.push_screen(MyDataScreen())

    def action_help_a_carer(self) -> None:
        from forum_tui.ui.screens.assist import AssistScreen, HelpCarerModal

        def confirmed(consent: Consent | None) -> None:
            if consent is not None:
                self.app.push_screen(AssistScreen(consent))

        self.app.push_screen(HelpCarerModal(), confirmed)

    def action_account(self) -> None:
        from forum_tui.ui.screens.account import AccountScreen

        self.app.push_screen(AccountScreen())

    def action_checkins(self) -> None:
        from forum_tui.ui.screens.checkins import CheckInsScreen

        self.app.push_screen(CheckInsScreen())
