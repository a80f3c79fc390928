"""A button that shows it has focus without colour.

Textual shows a focused button by its colours (and reverse video, which every button with a
background also gets under NO_COLOR — ``ui/no_color.py``), so with two buttons side by side and
no colour, as in the privacy nudge, nothing says which Enter presses. The ▸ marker does, as in
every list (``widgets/marked_list.py``).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Button

MARK, NO_MARK = "▸ ", "  "  # the same width, so the button does not move when focus does


class MarkedButton(Button):
    def __init__(self, label: str, **kwargs: object) -> None:
        self.text = label
        super().__init__(NO_MARK + label, **kwargs)  # type: ignore[arg-type]

    def on_focus(self, _event: events.Focus) -> None:
        self.label = MARK + self.text

    def on_blur(self, _event: events.Blur) -> None:
        self.label = NO_MARK + self.text
