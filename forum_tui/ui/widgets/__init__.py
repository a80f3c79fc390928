"""Small widgets shared by screens. Member text always goes in as plain ``Content``."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class Plain(Static):
    """A Static that shows text exactly as written: never markup, whatever the brackets."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(Content(text), markup=False, **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(Content(text))
