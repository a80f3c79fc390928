"""What every signed-in screen has: a title bar of plain text and the footer of keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker

from forum_tui.ui.paint_once import PaintOnce
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.footer import ForumFooter

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp


class ForumScreen(PaintOnce, Screen[None]):
    """A signed-in screen; pushed by ForumApp with ``hold`` so it is painted once, loaded."""

    def _on_mount(self, event: object) -> None:
        self.call_after_refresh(self.release_when_loaded)  # a screen that loads nothing

    def _on_unmount(self, event: object) -> None:
        self.release()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self.release_when_loaded()

    def compose_title(self, title: str) -> ComposeResult:
        yield Plain(title, id="title-bar")

    def compose_footer(self) -> ComposeResult:
        yield ForumFooter(compact=True)

    @property
    def forum(self) -> ForumApp:
        return cast("ForumApp", self.app)

    def set_title(self, title: str) -> None:
        self.query_one("#title-bar", Plain).show(title)
