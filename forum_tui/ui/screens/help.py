"""Help: every key that works on the screen you came from, and what it does, then the
helplines from the forum's safety settings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from forum_tui.domain.moderation import Signposting
from forum_tui.services.safety import current_safety, full_text
from forum_tui.ui.widgets import Plain

ABOUT = "forum-tui is a place for unpaid carers to support each other."
KIOSK_HELP = (
    "This computer is shared. Ctrl+E (or Ctrl+Q) ends your session and clears the screen.\n"
    "Ctrl+G hides the screen at once. Unsent text is kept for you, not left on the screen."
)


def helplines_text() -> str:
    """The helplines of this forum's safety settings (``safety.toml`` or the shipped defaults),
    the same ones the author's box after a post of crisis promises are here."""
    settings = current_safety()
    return full_text(Signposting(message=settings.message, helplines=settings.helplines))


def describe_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) for the bindings active on ``screen``, as the footer would show."""
    rows: dict[str, tuple[str, str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        # Only forum-tui's own keys (they carry ids); Textual's scrolling keys are explained
        # in one line below instead of a dozen.
        if not binding.id or not binding.description or not active.enabled:
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        # A footer label kept short to fit 80 columns carries its full meaning as a tooltip.
        what = binding.tooltip or binding.description
        rows.setdefault(what, (shown, what))
    return sorted(rows.values(), key=lambda row: row[0]) if rows else []


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close help", id="close-help")]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.keys = describe_keys(below)

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.keys), default=4) + 2
        lines = [f"{key:<{width}}{what}" for key, what in self.keys]
        if getattr(self.app, "kiosk", None) is not None:  # a shared computer (ui/kiosk.py)
            lines = [KIOSK_HELP, "", *lines]
        from forum_tui.ui.keys import TYPING_HELP

        lines += ["", "In a list, ▸ marks where you are: arrow keys move it, Enter opens it."]
        lines += ["Tab moves between boxes.", TYPING_HELP]
        lines += ["", ABOUT]
        with VerticalScroll(id="help-box"):
            yield Plain("Keys on this screen", classes="section")
            yield Plain("\n".join(lines), id="help-keys")
            yield Plain("Help now", classes="section")
            yield Plain(helplines_text(), id="help-helplines")
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
