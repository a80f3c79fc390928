"""Small widgets shared by screens. Member text always goes in as plain ``Content``."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from forum_tui.domain.text import strip_controls


def plain(text: str) -> Content:
    """Member text as inert content: no markup, and (again, after the store) no control codes.

    Text is cleaned before it is stored; cleaning again here means a row written by anything
    else (an old version, a manual fix in SQL) still cannot drive the reader's terminal.
    """
    return Content(strip_controls(text))


class Plain(Static):
    """A Static that shows text exactly as written: never markup, whatever the brackets."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(plain(text), markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(plain(text))
