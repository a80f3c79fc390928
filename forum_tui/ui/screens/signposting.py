"""Signposting shown to the author right after they post words of crisis, or edit them into a
post (design.md §6).

The post has already gone: this never blocks or questions it. It lists the configured
helplines in plain text and stays until the author dismisses it with a key, so it is not missed
the way a passing toast could be.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from forum_tui.domain.moderation import Signposting
from forum_tui.services.safety import full_text
from forum_tui.ui.widgets import Plain

TITLE = "Your post is up. You are not on your own."
EDITED = "Your post is updated. You are not on your own."


class SignpostingScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SignpostingScreen {
        align: center middle;
    }
    #signposting-box {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: solid $foreground;
        background: $surface;
        padding: 0 1;
    }
    #signposting-box .section {
        text-style: bold;
    }
    #signposting-text {
        height: auto;
    }
    """

    BINDINGS = [
        Binding("escape,enter,space", "close", "Close", id="close-signposting"),
    ]

    def __init__(self, signposting: Signposting, *, title: str = TITLE) -> None:
        super().__init__()
        self.signposting = signposting
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="signposting-box"):
            yield Plain(self.title_text, classes="section")
            yield Plain(full_text(self.signposting), id="signposting-text")
            yield Plain("Press Esc or Enter to close. Helplines are also in Help (F1).")
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
