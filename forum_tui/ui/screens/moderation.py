"""Moderation, for group leaders (and admins): the review queue, the members of the groups they
lead, and the log of what was done.

Leaders are volunteers with little time, so the queue is built for a few keys: the oldest report
is highlighted, its text is shown in context with the reporters' reasons and the author's recent
posts, and one key acts on it (d dismiss, h hide, r restore, x escalate). After each action the
next report is highlighted by itself, so three reports take about five key presses.

Every permission is checked by the moderation service; keys shown here are only a convenience.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.enums import GroupRole, Visibility
from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.domain.moderation import AuditEntry, GroupMember, QueueItem
from forum_tui.services.moderation_queue import QUEUE_PAGE
from forum_tui.ui.format import ago, plural
from forum_tui.ui.screens.base import ForumScreen
from forum_tui.ui.screens.idea_text import hang, one_line
from forum_tui.ui.screens.listing import text_width
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

HIDE_REASON = "Against the group's guidelines"
SILENCE_REASON = "Taking a break: please re-read the group's guidelines"
REMOVE_REASON = "Against the group's guidelines"
SECTIONS = ("queue", "members", "log")
SECTION_NAMES = {"queue": "Queue", "members": "Members", "log": "Log"}
QUEUE_ACTIONS = ("dismiss_report", "hide", "restore", "escalate")
MEMBER_ACTIONS = ("silence", "unsilence", "remove", "invite", "next_group")


def item_key(item: QueueItem) -> str:
    return f"{item.target_kind.value}:{item.target_id}"


def queue_line(item: QueueItem) -> str:
    flags = "[hidden] " if item.hidden else ""
    flags += "[escalated] " if item.escalated else ""
    count = plural(len(item.reports), "report")
    place = one_line(item.place, 40)
    return f"{flags}{item.target_kind.value}: {place} · {item.author_handle} · {count}"


def queue_detail(item: QueueItem, now: datetime) -> str:
    """Everything a leader needs to judge one report, as plain text (member words inside)."""
    state = ""
    if item.hidden:
        state += " · hidden pending review"
    if item.escalated:
        state += " · escalated to an admin"
    lines = [
        f"{item.target_kind.value.capitalize()} in {item.place}",
        f"by {item.author_handle} · first reported {ago(item.first_reported_at, now)}{state}",
    ]
    if item.context:
        lines += ["", "In context:"] + [f"  {one_line(c, 200)}" for c in item.context]
    lines += ["", "Reported text:"] + [f"  {line}" for line in item.text.splitlines() or [""]]
    lines += ["", f"Reasons ({len(item.reports)}):"]
    for reporter, reason, text in item.reports:
        said = f': "{one_line(text, 160)}"' if text.strip() else ""
        lines.append(f"  {reporter} · {reason.label}{said}")
    lines += ["", f"Recent posts by {item.author_handle} in this group:"]
    if item.author_recent:
        lines += [f"  - {one_line(text, 160)}" for text in item.author_recent]
    else:
        lines.append("  (none)")
    return "\n".join(lines)


def member_line(member: GroupMember, now: datetime) -> str:
    silenced = ""
    if member.silenced_until is not None and member.silenced_until > now:
        silenced = f" · silenced until {member.silenced_until:%d %b %H:%M}"
    return f"{member.handle} · {member.role.value}{silenced}"


def log_line(entry: AuditEntry) -> str:
    action = entry.action.value.replace("_", " ")
    reason = f"\n  {one_line(entry.reason, 150)}" if entry.reason.strip() else ""
    target = one_line(entry.target_label or entry.place, 60)
    return f"{entry.created_at:%d %b %H:%M} · {entry.actor_handle} · {action} · {target}{reason}"


class PromptModal(ModalScreen[str | None]):
    """One line of text, pre-filled with a sensible default: Enter accepts, Esc cancels."""

    AUTO_FOCUS = "#prompt-text"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, heading: str, help_text: str, value: str = "", *, required: bool = True):
        super().__init__()
        self.heading = heading
        self.help_text = help_text
        self.value = value
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box", classes="modal-box"):
            yield Plain(self.heading, classes="section")
            yield Plain(self.help_text, classes="modal-help")
            yield Field(self.value, id="prompt-text", max_length=500)
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    @on(Input.Submitted, "#prompt-text")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one(".modal-error", Plain).show("This cannot be empty.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Silencing:
    days: int
    reason: str


class SilenceModal(ModalScreen[Silencing | None]):
    """How long (1 or 7 days), then a reason the member will be told: Enter, Enter."""

    AUTO_FOCUS = "#silence-days"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, handle: str) -> None:
        super().__init__()
        self.handle = handle

    def compose(self) -> ComposeResult:
        with Vertical(id="silence-box", classes="modal-box"):
            yield Plain(f"Silence {self.handle}", classes="section")
            yield Plain(
                "They can still read the group, but not post. For how long? (arrows, Enter)",
                classes="modal-help",
            )
            yield MarkedList(Option("1 day", id="1"), Option("7 days", id="7"), id="silence-days")
            yield Plain("Reason (they will be told it); Enter silences", classes="modal-help")
            yield Field(SILENCE_REASON, id="silence-reason", max_length=500)
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#silence-days", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#silence-days")
    def _to_reason(self) -> None:
        self.query_one("#silence-reason", Input).focus()

    @on(Input.Submitted, "#silence-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        option = self.query_one("#silence-days", OptionList).highlighted_option
        days = int(option.id or 1) if option is not None else 1
        if not event.value.strip():
            self.query_one(".modal-error", Plain).show("Give a reason: they will be told it.")
            return
        self.dismiss(Silencing(days, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ModerationScreen(ForumScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("1", "section('queue')", "Queue", id="mod-queue", show=False),
        Binding("2", "section('members')", "Members", id="mod-members", show=False),
        Binding("3", "section('log')", "Log", id="mod-log", show=False),
        Binding("d", "dismiss_report", "Dismiss", id="mod-dismiss"),
        Binding("h", "hide", "Hide", id="mod-hide"),
        Binding("r", "restore", "Restore", id="mod-restore"),
        Binding("x", "escalate", "Ask an admin", id="mod-escalate"),
        Binding("s", "silence", "Silence", id="mod-silence"),
        Binding("u", "unsilence", "Unsilence", id="mod-unsilence"),
        Binding("k", "remove", "Remove", id="mod-remove"),
        Binding("i", "invite", "Invite", id="mod-invite"),
        Binding("g", "next_group", "Next group", id="mod-next-group"),
        Binding("w", "slow_mode", "Slow mode", id="mod-slow-mode"),
        Binding("z", "suspend", "Suspend account", id="mod-suspend"),
        Binding("4", "hidden", "Hidden list", id="mod-hidden"),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    ]

    def __init__(self, select: str | None = None) -> None:
        super().__init__()
        self._select = select  # a queue item (item_key) to show first, from a notification
        self.section = "queue"
        self.items: dict[str, QueueItem] = {}
        self.groups: list[Group] = []
        self.group_index = 0
        self.members: dict[str, GroupMember] = {}
        self._busy = False

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        yield from self.compose_title("Moderation")
        yield Plain("", id="mod-sections")
        with ContentSwitcher(initial="queue-pane", id="mod-panes"):
            with Vertical(id="queue-pane"):
                yield MarkedList(id="queue", markup=False)
                with VerticalScroll(id="queue-detail"):
                    yield Plain("", id="queue-item")
            with Vertical(id="members-pane"):
                yield Plain("", id="members-group")
                yield MarkedList(id="members", markup=False)
            with Vertical(id="log-pane"):
                yield MarkedList(id="log", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._show_sections()
        self.load_queue()
        self.load_groups()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def on_resize(self) -> None:
        self._show_current()  # the report's text is wrapped to the width

    # Sections

    def _show_sections(self) -> None:
        count = len(self.items)
        names = []
        for number, section in enumerate(SECTIONS, start=1):
            name = SECTION_NAMES[section]
            if section == "queue":
                name += f" ({count})"
            names.append(f"[{number} {name}]" if section == self.section else f" {number} {name} ")
        self.query_one("#mod-sections", Plain).show(" ".join(names) + "  (1, 2, 3)  4 Hidden list")

    def action_section(self, section: str) -> None:
        self.section = section
        self.query_one("#mod-panes", ContentSwitcher).current = f"{section}-pane"
        self._show_sections()
        self.query_one(f"#{section}", OptionList).focus()
        if section == "log":
            self.load_log()
        elif section == "members":
            self.load_members()
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load_queue()
        if self.section == "members":
            self.load_members()
        elif self.section == "log":
            self.load_log()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "slow_mode":
            return self.section == "members" and self.group is not None
        if action == "suspend":  # admins only (the service checks again)
            member = self.forum.member
            handle = self.current_member
            return (
                self.section == "members"
                and member is not None
                and member.is_admin
                and handle is not None
                and handle != member.handle
            )
        if action in QUEUE_ACTIONS:
            item = self.current
            if self.section != "queue" or item is None:
                return False
            if action == "restore":
                return item.hidden
            if action == "escalate":
                return not item.escalated
            return True
        if action in MEMBER_ACTIONS:
            if self.section != "members" or self.group is None:
                return False
            if action == "next_group":
                return len(self.groups) > 1
            private = self.group.visibility is Visibility.PRIVATE
            if action == "invite":
                return private
            handle = self.current_member
            if handle is None or self.members[handle].role is GroupRole.LEADER:
                return False  # leaders are not silenced or removed by other leaders
            if action == "remove":
                return private
            silenced_until = self.members[handle].silenced_until
            silenced = silenced_until is not None and silenced_until > self.forum.clock()
            return silenced if action == "unsilence" else not silenced
        return True

    # The queue

    @property
    def current(self) -> QueueItem | None:
        option = self.query_one("#queue", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return self.items.get(option.id)

    @work(exclusive=True, group="mod-queue", exit_on_error=False)
    async def load_queue(self, select: str | None = None) -> None:
        select = select or self._select  # kept until shown: a refresh may cancel this load
        try:
            items = await self.forum.services.moderation.review_queue(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.items = {item_key(item): item for item in items}
        self._select = None
        box = self.query_one("#queue", OptionList)
        highlighted = box.highlighted
        box.set_options([Option(plain(queue_line(i)), id=item_key(i)) for i in items])
        if not items:
            box.add_option(Option(plain("Nothing to review: the queue is clear."), disabled=True))
        else:
            keys = list(self.items)
            index = keys.index(select) if select in self.items else (highlighted or 0)
            box.highlighted = min(index, len(keys) - 1)
        more = " · the oldest; more as you resolve them" if len(items) >= QUEUE_PAGE else ""
        self.set_title(f"Moderation · {plural(len(items), 'report')} to review{more}")
        self._show_sections()
        self._show_current()
        if self.section == "queue":
            box.focus()

    @on(OptionList.OptionHighlighted, "#queue")
    def _show_current(self) -> None:
        item = self.current
        text = (
            queue_detail(item, self.forum.clock())
            if item is not None
            else "When a member reports something in a group you lead, it appears here, "
            "oldest first."
        )
        detail = self.query_one("#queue-detail", VerticalScroll)
        self.query_one("#queue-item", Plain).show(hang(text, text_width(detail), deeper=0))
        self.query_one("#queue-detail", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    def _next_key(self, item: QueueItem) -> str | None:
        """The item to highlight once this one is dealt with: the next, or else the one before."""
        keys = list(self.items)
        index = keys.index(item_key(item))
        rest = keys[index + 1 :] or keys[:index][-1:]
        return rest[0] if rest else None

    def _act(self, done: str, call: Callable[[QueueItem], Awaitable[object]]) -> None:
        item = self.current
        if item is None or self._busy:
            return
        self.act(item, done, call)

    @work(exclusive=True, group="mod-act", exit_on_error=False)
    async def act(
        self, item: QueueItem, done: str, call: Callable[[QueueItem], Awaitable[object]]
    ) -> None:
        self._busy = True
        try:
            await call(item)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        finally:
            self._busy = False
        self.forum.tell(done)
        self.load_queue(select=self._next_key(item))

    def action_dismiss_report(self) -> None:
        moderation = self.forum.services.moderation
        me = self.forum.member_id
        self._act(
            "Dismissed: the post stays as it is.",
            lambda i: moderation.dismiss_report(me, i.target_kind, i.target_id),
        )

    def action_hide(self) -> None:
        item = self.current
        if item is None or self._busy:
            return
        moderation = self.forum.services.moderation
        me = self.forum.member_id

        def chosen(reason: str | None) -> None:
            if reason:
                self._act(
                    "Hidden: readers now see the reason instead, and the author is told.",
                    lambda i: moderation.hide(me, i.target_kind, i.target_id, reason),
                )

        self.app.push_screen(
            PromptModal(
                f"Hide this {item.target_kind.value} by {item.author_handle}",
                "Readers will see 'Hidden by a group leader:' and this reason. "
                "Enter hides; Esc cancels.",
                HIDE_REASON,
            ),
            chosen,
        )

    def action_restore(self) -> None:
        moderation = self.forum.services.moderation
        me = self.forum.member_id
        self._act(
            "Restored: everyone can read it again.",
            lambda i: moderation.restore(me, i.target_kind, i.target_id),
        )

    def action_escalate(self) -> None:
        moderation = self.forum.services.moderation
        me = self.forum.member_id
        self._act(
            "Passed to an admin.",
            lambda i: moderation.escalate(me, i.target_kind, i.target_id),
        )

    # Members

    @property
    def group(self) -> Group | None:
        return self.groups[self.group_index] if self.groups else None

    @property
    def current_member(self) -> str | None:
        option = self.query_one("#members", OptionList).highlighted_option
        return option.id if option is not None and option.id in self.members else None

    @work(exclusive=True, group="mod-groups", exit_on_error=False)
    async def load_groups(self) -> None:
        try:
            groups = await self.forum.services.moderation.led_groups(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.groups = list(groups)
        self.group_index = min(self.group_index, max(len(self.groups) - 1, 0))
        if self.section == "members":
            self.load_members()

    @work(exclusive=True, group="mod-members", exit_on_error=False)
    async def load_members(self, select: str | None = None) -> None:
        group = self.group
        heading = self.query_one("#members-group", Plain)
        box = self.query_one("#members", OptionList)
        if group is None:
            heading.show("You do not lead any group.")
            box.clear_options()
            return
        try:
            members = await self.forum.services.moderation.group_members(
                self.forum.member_id, group.id
            )
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.members = {m.handle: m for m in members}
        private = " · private" if group.visibility is Visibility.PRIVATE else ""
        more = " · g: next group" if len(self.groups) > 1 else ""
        heading.show(f"{group.name}{private} · {plural(len(members), 'member')}{more}")
        highlighted = box.highlighted
        now = self.forum.clock()
        box.set_options([Option(plain(member_line(m, now)), id=m.handle) for m in members])
        if members:
            keys = list(self.members)
            index = keys.index(select) if select in self.members else (highlighted or 0)
            box.highlighted = min(index, len(keys) - 1)
        if self.section == "members":
            box.focus()
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#members")
    def _member_moved(self) -> None:
        self.refresh_bindings()

    def action_next_group(self) -> None:
        if self.groups:
            self.group_index = (self.group_index + 1) % len(self.groups)
            self.load_members()

    @work(exclusive=True, group="mod-member-act", exit_on_error=False)
    async def member_act(self, done: str, call: Awaitable[object], select: str | None) -> None:
        try:
            await call
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        self.forum.tell(done)
        self.load_members(select=select)

    def action_silence(self) -> None:
        handle, group = self.current_member, self.group
        if handle is None or group is None:
            return
        moderation = self.forum.services.moderation
        me = self.forum.member_id

        def chosen(silencing: Silencing | None) -> None:
            if silencing is None:
                return
            until = self.forum.clock() + timedelta(days=silencing.days)
            self.member_act(
                f"{handle} is silenced for {plural(silencing.days, 'day')}.",
                moderation.silence(me, group.id, handle, until, silencing.reason),
                handle,
            )

        self.app.push_screen(SilenceModal(handle), chosen)

    def action_unsilence(self) -> None:
        handle, group = self.current_member, self.group
        if handle is None or group is None:
            return
        self.member_act(
            f"{handle} can post again.",
            self.forum.services.moderation.unsilence(self.forum.member_id, group.id, handle),
            handle,
        )

    def action_remove(self) -> None:
        handle, group = self.current_member, self.group
        if handle is None or group is None:
            return
        moderation = self.forum.services.moderation
        me = self.forum.member_id

        def chosen(reason: str | None) -> None:
            if reason:
                self.member_act(
                    f"{handle} was removed from {group.name}.",
                    moderation.remove_member(me, group.id, handle, reason),
                    None,
                )

        self.app.push_screen(
            PromptModal(
                f"Remove {handle} from {group.name}",
                "They will no longer see this private group. Reason (they will be told it); "
                "Enter removes, Esc cancels.",
                REMOVE_REASON,
            ),
            chosen,
        )

    def action_invite(self) -> None:
        group = self.group
        if group is None:
            return
        moderation = self.forum.services.moderation
        me = self.forum.member_id

        def chosen(handle: str | None) -> None:
            if handle:
                handle = handle.lstrip("@")
                self.member_act(
                    f"{handle} is invited to {group.name}.",
                    moderation.invite_to_group(me, group.id, handle),
                    handle,
                )

        self.app.push_screen(
            PromptModal(
                f"Invite a member to {group.name}",
                "Their handle; Enter invites, Esc cancels.",
            ),
            chosen,
        )

    # The log

    @work(exclusive=True, group="mod-log", exit_on_error=False)
    async def load_log(self) -> None:
        try:
            entries = await self.forum.services.moderation.audit_log(self.forum.member_id)
        except ForumError as error:
            self.forum.tell(str(error), error=True)
            return
        box = self.query_one("#log", OptionList)
        box.set_options([Option(plain(log_line(e)), id=f"log:{e.id}") for e in entries])
        if not entries:
            box.add_option(Option(plain("Nothing has been done yet."), disabled=True))
        else:
            box.highlighted = 0

    # Group tools and the hidden list (screens/group_tools.py, screens/hidden.py)

    def action_hidden(self) -> None:
        from forum_tui.ui.screens.hidden import HiddenScreen

        self.app.push_screen(HiddenScreen())

    def action_slow_mode(self) -> None:
        from forum_tui.ui.screens.group_tools import ask_slow_mode

        if self.group is not None:
            ask_slow_mode(self, self.group)

    def action_suspend(self) -> None:
        from forum_tui.ui.screens.group_tools import ask_suspension

        if self.current_member is not None:
            ask_suspension(self, self.current_member)
