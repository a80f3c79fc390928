"""Lists whose selection is a marker plus bold, not a full-width colour band.

A band is seen only by its colour (invisible with NO_COLOR to anyone who cannot tell reverse
video from a header), and moving it restyles two whole rows, so every cell of both goes down
the wire again (issue 10: ~230 B per Down). A marker in a two-cell gutter is seen without
colour and without bold, and a move changes the marker's two cells plus the two options' first
lines (bold on and off), never their padding or their other lines.

Every list on our screens is a ``MarkedList``; ``forum.tcss`` gives the highlighted option its
bold. The marker shows only while the list has focus, so on a screen of several lists (home)
the marker says which list the keys move, and the others keep their place in bold. Gaining or
losing focus repaints the list (Textual's own ``_on_focus``), so the marker follows.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import OptionList

MARKER = "▸ "  # U+25B8 is narrow in every terminal (unlike ▶, East Asian "ambiguous")
GUTTER = len(MARKER)


class MarkedList(OptionList):
    """An ``OptionList`` that marks the highlighted option with ``MARKER`` in a left gutter."""

    # A move repaints the two first lines it changes (``watch_highlighted``), not every option.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def _get_left_gutter_width(self) -> int:
        return GUTTER

    def render_line(self, y: int) -> Strip:
        # OptionList.render_line, but only the highlighted option's first line is bold (and
        # carries the marker): a move then rewrites two titles, not two whole entries.
        line_number = self.scroll_offset.y + y
        base = self.get_visual_style("option-list--option")
        width = self.scrollable_content_region.width
        try:
            index, line_offset = self._lines[line_number]
            option = self.options[index]
        except IndexError:
            return Strip.blank(width, base.rich_style)
        marked = False
        style = base
        if option.disabled:
            style = self.get_visual_style("option-list--option", "option-list--option-disabled")
        elif index == self.highlighted and line_offset == 0:
            style = self.get_visual_style("option-list--option", "option-list--option-highlighted")
            marked = self.has_focus
        elif index == self._mouse_hovering_over:
            style = self.get_visual_style("option-list--option", "option-list--option-hover")
        strips = self._get_option_render(option, style)
        if line_offset >= len(strips):
            return Strip.blank(width, base.rich_style)
        strip = strips[line_offset]
        gutter = Segment(MARKER if marked else " " * GUTTER, base.rich_style)
        return Strip([gutter, *strip], strip.cell_length + GUTTER)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        for index in (old, new):
            self._refresh_option(index)

    def _refresh_option(self, index: int | None) -> None:
        if index is None or not self.is_mounted:
            return
        top = self._index_to_line.get(index)
        if top is not None:
            self.refresh_lines(top, 1)  # the marker and the bold are on the first line only
