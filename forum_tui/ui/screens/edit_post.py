"""Editing one's own post, in a modal that gives back the new text (or None to cancel)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer

from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.composer import Composer


class EditPostScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-box"):
            yield Plain("Edit your post (Ctrl+S saves · Esc cancels)", classes="section")
            yield Composer(self.text, id="edit-composer")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        composer = self.query_one(Composer)
        composer.focus()
        composer.move_cursor(composer.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(Composer).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
