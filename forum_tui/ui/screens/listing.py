"""Entries of board lists, wrapped to the list's width with hanging indents (see ``hang``).

Options in an OptionList wrap at the left edge; wrapping them here first keeps each entry
reading as one block. Screens re-render their lists when the terminal is resized.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

from forum_tui.ui.screens.idea_text import hang
from forum_tui.ui.widgets import plain
from forum_tui.ui.widgets.marked_list import GUTTER, MarkedList

# Room kept for a vertical scrollbar that may appear once the entries are in (a list's
# selection marker, GUTTER, comes off too).
SCROLLBAR = 2


def text_width(widget: Widget) -> int:
    width = widget.scrollable_content_region.width or widget.app.size.width - 2
    gutter = GUTTER if isinstance(widget, MarkedList) else 0
    return max(width - SCROLLBAR - gutter, 20)


def wrapped(widget: Widget, text: str) -> Content:
    """Member text, inert (``plain``), wrapped to fit ``widget``."""
    return plain(hang(text, text_width(widget)))


class Rewraps:
    """For a screen of wrapped lists: loads again when the terminal's width changes."""

    _shown_width = 0

    def on_resize(self, event: events.Resize) -> None:
        if self._shown_width and event.size.width != self._shown_width:
            self.load()  # type: ignore[attr-defined]
        self._shown_width = event.size.width
