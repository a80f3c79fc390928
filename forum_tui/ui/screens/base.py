"""What every signed-in screen has: a title bar of plain text and the footer of keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.screen import Screen

from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.footer import ForumFooter

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp


class ForumScreen(Screen[None]):
    def compose_title(self, title: str) -> ComposeResult:
        yield Plain(title, id="title-bar")

    def compose_footer(self) -> ComposeResult:
        yield ForumFooter(compact=True)

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def set_title(self, title: str) -> None:
        self.query_one("#title-bar", Plain).show(title)
