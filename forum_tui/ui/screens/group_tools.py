"""A leader's group tools beside the Members list of the Moderation screen: slow mode; and for
admins, suspending an account (with a reason and an end). Dialogs here, acts in the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.models import Group
from forum_tui.services.slow_mode import slow_mode_words
from forum_tui.ui.format import plural
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.screens.moderation import ModerationScreen

SLOW_MODES = (
    (0, "Off"),
    (60, "1 minute between posts"),
    (5 * 60, "5 minutes"),
    (15 * 60, "15 minutes"),
    (60 * 60, "1 hour"),
    (24 * 60 * 60, "1 day"),
)
SUSPENSIONS = ((1, "1 day"), (7, "7 days"), (30, "30 days"), (0, "Until an admin lifts it"))
SUSPEND_REASON = "Repeatedly against the forum's guidelines"


class SlowModeModal(ModalScreen[int | None]):
    """How long each member waits between posts in the group: arrows, Enter."""

    AUTO_FOCUS = "#slow-choice"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, group_name: str, seconds: int) -> None:
        super().__init__()
        self.group_name = group_name
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="slow-box", classes="modal-box"):
            yield Plain(f"Slow mode in {self.group_name}", classes="section")
            yield Plain(
                "Each member may post at most once per…  It calms a heated group; members see "
                "when they can post again. Enter sets it; Esc cancels.",
                classes="modal-help",
            )
            yield MarkedList(
                *[Option(label, id=str(seconds)) for seconds, label in SLOW_MODES],
                id="slow-choice",
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        values = [seconds for seconds, _ in SLOW_MODES]
        box = self.query_one("#slow-choice", OptionList)
        box.highlighted = values.index(self.seconds) if self.seconds in values else 0

    @on(OptionList.OptionSelected, "#slow-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Suspension:
    days: int  # 0: until an admin lifts it
    reason: str


class SuspendModal(ModalScreen[Suspension | None]):
    """For how long, then a reason (recorded in the log): Enter, Enter."""

    AUTO_FOCUS = "#suspend-days"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, handle: str) -> None:
        super().__init__()
        self.handle = handle

    def compose(self) -> ComposeResult:
        with Vertical(id="suspend-box", classes="modal-box"):
            yield Plain(f"Suspend {self.handle}'s account, everywhere", classes="section")
            yield Plain(
                "They can still read, but not post anywhere. For how long? (arrows, Enter)",
                classes="modal-help",
            )
            yield MarkedList(
                *[Option(label, id=str(days)) for days, label in SUSPENSIONS], id="suspend-days"
            )
            yield Plain("Reason (kept in the audit log); Enter suspends", classes="modal-help")
            yield Field(SUSPEND_REASON, id="suspend-reason", max_length=500)
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#suspend-days", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#suspend-days")
    def _to_reason(self) -> None:
        self.query_one("#suspend-reason", Input).focus()

    @on(Input.Submitted, "#suspend-reason")
    def _submitted(self, event: Input.Submitted) -> None:
        option = self.query_one("#suspend-days", OptionList).highlighted_option
        days = int(option.id or 0) if option is not None else 1
        if not event.value.strip():
            self.query_one(".modal-error", Plain).show("Give a reason: it is kept in the log.")
            return
        self.dismiss(Suspension(days, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


@work(exclusive=True, group="mod-slow-mode", exit_on_error=False)
async def ask_slow_mode(screen: ModerationScreen, group: Group) -> None:
    """Shows the group's slow mode and sets the one the leader picks."""
    moderation = screen.forum.services.moderation
    me = screen.forum.member_id
    try:
        seconds = await moderation.slow_mode_seconds(me, group.id)
    except ForumError as error:
        screen.forum.tell(str(error), error=True)
        return

    def chosen(new: int | None) -> None:
        if new is not None:
            screen.member_act(
                f"Slow mode in {group.name}: {slow_mode_words(new)}.",
                moderation.set_slow_mode(me, group.id, new),
                screen.current_member,
            )

    screen.app.push_screen(SlowModeModal(group.name, seconds), chosen)


def ask_suspension(screen: ModerationScreen, handle: str) -> None:
    """An admin suspends ``handle`` for a while, or until lifted, with a reason."""
    moderation = screen.forum.services.moderation
    me = screen.forum.member_id

    def chosen(suspension: Suspension | None) -> None:
        if suspension is None:
            return
        days = suspension.days
        until = screen.forum.clock() + timedelta(days=days) if days else None
        how_long = f"for {plural(days, 'day')}" if days else "until an admin lifts it"
        screen.member_act(
            f"{handle}'s account is suspended {how_long}.",
            moderation.suspend(me, handle, until, suspension.reason),
            handle,
        )

    screen.app.push_screen(SuspendModal(handle), chosen)
