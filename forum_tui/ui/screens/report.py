"""Reporting a post, a thread or an idea: a reason from a short list, a few words if wanted.

The dialog calls the service itself; a refusal (already reported, gone meanwhile) is shown
inside it, so nothing typed is lost. It is dismissed with True once the report is in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from forum_tui.domain.errors import ForumError
from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.ui.widgets import Plain, plain
from forum_tui.ui.widgets.fields import Field
from forum_tui.ui.widgets.marked_list import MarkedList

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

REPORT_TEXT_MAX = 500

THANKS = {
    TargetKind.IDEA: "Thank you — the board's staff will look at this.",
}
DEFAULT_THANKS = "Thank you — a group leader will look at this."


class ReportModal(ModalScreen[bool]):
    """Why is this being reported? Arrows choose a reason, Enter moves on, Enter sends."""

    AUTO_FOCUS = "#report-reason"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send report", id="send-report", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, kind: TargetKind, target_id: int, what: str) -> None:
        super().__init__()
        self.kind = kind
        self.target_id = target_id
        self.what = what  # in words: "post by carer_ann in 'Sleep'"

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="report-box", classes="modal-box"):
            yield Plain(f"Report {self.what}", classes="section")
            yield Plain(
                "Only the group's leaders see reports, and not who sent them to the author. "
                "Why are you reporting it? (arrows, then Enter)",
                classes="modal-help",
            )
            yield MarkedList(
                *[Option(plain(reason.label), id=reason.value) for reason in ReportReason],
                id="report-reason",
                markup=False,
            )
            yield Field(
                placeholder="a few words for the leaders (optional); Enter sends",
                id="report-text",
                max_length=REPORT_TEXT_MAX,
            )
            yield Plain("", classes="modal-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#report-reason", OptionList).highlighted = 0

    @property
    def reason(self) -> ReportReason | None:
        option = self.query_one("#report-reason", OptionList).highlighted_option
        return ReportReason(option.id) if option is not None and option.id else None

    @on(OptionList.OptionSelected, "#report-reason")
    def _to_text(self) -> None:
        self.query_one("#report-text", Input).focus()

    @on(Input.Submitted, "#report-text")
    def _submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        reason = self.reason
        if reason is None:
            self.query_one(".modal-error", Plain).show("Choose a reason first.")
            return
        self.send(reason, self.query_one("#report-text", Input).value.strip())

    @work(exclusive=True, group="report", exit_on_error=False)
    async def send(self, reason: ReportReason, text: str) -> None:
        try:
            await self.forum.services.moderation.report(
                self.forum.member_id, self.kind, self.target_id, reason, text
            )
        except ForumError as error:
            self.query_one(".modal-error", Plain).show(str(error))
            return
        self.forum.tell(THANKS.get(self.kind, DEFAULT_THANKS))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
