"""``NO_COLOR``: no colour codes at all, and nothing that needs colour to be seen.

Textual meets ``NO_COLOR`` with its ``Monochrome`` filter (every colour becomes a 256-colour
grey, still sent as colour codes) or, with an ANSI theme, ``NoColor`` (every cell restated as
the default colours). Neither is "no colour": a monochrome terminal, or a carer who set
NO_COLOR to make the screen readable, still gets colour codes, and a 2G link pays for them.
This filter drops colour from every segment and keeps what is not colour — bold, reverse,
underline — which is what the forum's styles use to show focus and selection (forum.tcss).
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter, Monochrome, NoColor

CONTRAST = 0.15  # a background this much lighter or darker than the screen's is a highlight


class WithoutColour(LineFilter):
    """Drops colour; a background that stands out (a selection, the focused post) becomes
    reverse video, so what colour showed is still shown."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        base = _luminance(background.rgb)
        return [
            Segment(text, None if style is None else _plain(style, base), control)
            for text, style, control in segments
        ]


@lru_cache(maxsize=1024)
def _plain(style: Style, base: float) -> Style:
    plain = style.without_color
    if style.bgcolor is not None and not style.bgcolor.is_default:
        stands_out = abs(_luminance(style.bgcolor.get_truecolor()) - base) > CONTRAST
        if stands_out and not style.reverse:
            plain += Style(reverse=True)
    return plain


def _luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = rgb
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def take_colour_away(app: App[object]) -> None:
    """Under NO_COLOR, replaces Textual's colour-to-grey filters with WithoutColour.

    Textual keeps its filters in ``App._filters`` and has no public way to swap the one it
    chose for NO_COLOR; the list is read on every render, so replacing it here, before the
    app runs, is enough."""
    if not app.no_color:
        return
    kept = [f for f in app._filters if not isinstance(f, (Monochrome, NoColor))]
    app._filters = [*kept, WithoutColour()]
