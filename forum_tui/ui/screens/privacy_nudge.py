"""The privacy nudge: before a post, reply or idea is sent, say what in it may identify someone.

"Edit" is the default (Enter or Esc): the text stays where it was typed. "Send anyway" sends
it as written. It is a prompt, never a block, and the check runs here: nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer

from forum_tui.domain.identifying import Finding, find_identifying
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.button import MarkedButton


class PrivacyNudgeModal(ModalScreen[bool]):
    """Dismissed with True for "send anyway", False for "edit"."""

    DEFAULT_CSS = """
    PrivacyNudgeModal { align: center middle; }
    #nudge-buttons { height: auto; margin-top: 1; }
    #nudge-buttons Button { margin-right: 2; }
    """
    AUTO_FOCUS = "#nudge-edit"
    BINDINGS = [
        Binding("escape,e", "edit", "Edit (keep my text)", id="nudge-edit"),
        Binding("s", "send_anyway", "Send anyway", id="nudge-send-anyway"),
    ]

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        listed = "\n".join(f"  - {finding.describe()}" for finding in self.findings)
        with Vertical(id="nudge-box", classes="modal-box"):
            yield Plain("Could this name someone?", classes="section")
            yield Plain(
                "Others in the group will read this. It seems to hold:\n"
                f"{listed}\n"
                # True over SSH (the check runs on the forum's server) and on one's own PC.
                "You may want to take these out. Nothing is posted yet. "
                "The forum checked this itself: no one else saw it.",
                classes="modal-help",
                id="nudge-findings",
            )
            with Horizontal(id="nudge-buttons"):
                yield MarkedButton("Edit (e)", id="nudge-edit", variant="primary", compact=True)
                yield MarkedButton("Send anyway (s)", id="nudge-send", compact=True)
        yield Footer(compact=True)

    @on(Button.Pressed, "#nudge-edit")
    def action_edit(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#nudge-send")
    def action_send_anyway(self) -> None:
        self.dismiss(True)


def send_after_nudge(screen: Screen[object], text: str, send: Callable[[], None]) -> None:
    """Calls ``send`` now if ``text`` names nobody; else asks first, and sends only on
    "send anyway". On "edit" nothing changes: the text is still in its box."""
    findings = find_identifying(text)
    if not findings:
        send()
        return

    def answered(send_anyway: bool | None) -> None:
        if send_anyway:
            send()

    screen.app.push_screen(PrivacyNudgeModal(findings), answered)
