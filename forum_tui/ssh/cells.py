"""The cells of a session's screen, as the app drew them and as a terminal shows them.

``AppScreen`` is pyte's terminal emulator with cells (``Cell``) that keep the SGR parameters
the app used for colours (``31``, ``38;5;208``, ``38;2;…``) and dim, which pyte drops, so the
relay (``screen.py``) can restate exactly what the app chose. The functions here work on rows
of cells: how a terminal shows a row, runs of erasable blanks, and whether rows scrolled.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pyte
from wcwidth import wcwidth

SCROLL_MIN = 3  # rows a scroll must save before one is sent


class Cell(NamedTuple):
    """One cell: its text and attributes. Colours are SGR parameters, "" for the default."""

    data: str
    fg: str = ""
    bg: str = ""
    bold: bool = False
    italics: bool = False
    underscore: bool = False
    strikethrough: bool = False
    reverse: bool = False
    blink: bool = False
    dim: bool = False


BLANK = Cell(" ")
FLAGS = (  # attribute, SGR on, SGR off
    ("italics", "3", "23"),
    ("underscore", "4", "24"),
    ("blink", "5", "25"),
    ("reverse", "7", "27"),
    ("strikethrough", "9", "29"),
)
SIMPLE_SGR = {
    1: {"bold": True},
    2: {"dim": True},
    3: {"italics": True},
    4: {"underscore": True},
    5: {"blink": True},
    7: {"reverse": True},
    9: {"strikethrough": True},
    22: {"bold": False, "dim": False},
    23: {"italics": False},
    24: {"underscore": False},
    25: {"blink": False},
    27: {"reverse": False},
    29: {"strikethrough": False},
    39: {"fg": ""},
    49: {"bg": ""},
}


class AppScreen(pyte.Screen):
    """pyte's screen, with cells that keep the app's own colour codes and dim."""

    @property
    def default_char(self) -> Cell:  # type: ignore[override]
        return BLANK

    def reset(self) -> None:
        super().reset()
        self.cursor.attrs = BLANK

    def draw(self, data: str) -> None:
        # A combining mark at the start of a row joins the last cell of the row above, which
        # pyte changes without marking that row dirty: mark it, or the client never gets it.
        if self.cursor.x == 0 and self.cursor.y > 0:
            self.dirty.add(self.cursor.y - 1)
        super().draw(data)

    def select_graphic_rendition(self, *attrs: int, **_kwargs: Any) -> None:
        if not attrs:
            attrs = (0,)
        change: dict[str, Any] = {}
        params = list(attrs)
        while params:
            code = params.pop(0)
            if code == 0:
                change.update(BLANK._asdict())
            elif code in SIMPLE_SGR:
                change.update(SIMPLE_SGR[code])
            elif 30 <= code <= 37 or 90 <= code <= 97:
                change["fg"] = str(code)
            elif 40 <= code <= 47 or 100 <= code <= 107:
                change["bg"] = str(code)
            elif code in (38, 48) and params:
                key = "fg" if code == 38 else "bg"
                kind = params.pop(0)
                if kind == 5 and params:
                    index = params.pop(0)
                    if 0 <= index <= 255:
                        change[key] = f"{code};5;{index}"
                elif kind == 2 and len(params) >= 3:
                    rgb = [params.pop(0) for _ in range(3)]
                    if all(0 <= part <= 255 for part in rgb):
                        change[key] = f"{code};2;{rgb[0]};{rgb[1]};{rgb[2]}"
        change.pop("data", None)
        self.cursor.attrs = self.cursor.attrs._replace(**change)


def find_scroll(
    old: list[tuple[Cell, ...]], new: list[tuple[Cell, ...]]
) -> tuple[int, int, int] | None:
    """(top, bottom, k): scrolling rows top..bottom up by k (down if k < 0) makes at least
    SCROLL_MIN more rows of ``old`` equal to ``new``; None if no scroll is worth it."""
    where: dict[tuple[Cell, ...], list[int]] = {}
    for y, row in enumerate(old):
        where.setdefault(row, []).append(y)
    votes: dict[int, list[int]] = {}
    for y, row in enumerate(new):
        if row != old[y] and any(cell.data != " " for cell in row):
            for source in where.get(row, ())[:4]:
                votes.setdefault(source - y, []).append(y)
    best: tuple[int, int, int] | None = None
    best_gain = SCROLL_MIN - 1
    for k, ys in votes.items():
        if len(ys) <= best_gain:
            continue
        top = min(ys) if k > 0 else min(ys) + k
        bottom = max(ys) + k if k > 0 else max(ys)
        if bottom - top < 1:
            continue
        gain = 0
        for y in range(top, bottom + 1):
            moved = old[y + k] if top <= y + k <= bottom else None
            gain += (moved == new[y]) - (old[y] == new[y])
        if gain > best_gain:
            best, best_gain = (top, bottom, k), gain
    return best


def as_shown(cells: list[Any]) -> list[Any]:
    """A row as a terminal shows it. pyte keeps two states no terminal has: the stub after
    a wide character whose first half was overwritten (a terminal shows a blank), and a
    combining mark stored in the stub (a terminal puts it on the wide character)."""
    for x, cell in enumerate(cells):
        data = cell.data
        if data == "" or width(data) == 0:
            if x and width(cells[x - 1].data) == 2:
                if data:
                    cells[x - 1] = cells[x - 1]._replace(data=cells[x - 1].data + data)
                    cells[x] = cell._replace(data="")
            else:
                cells[x] = cell._replace(data=" ")
    return cells


def blank_run(row: tuple[Cell, ...], x: int, stop: int) -> int:
    """How many cells from x (before stop) are the same blank, one that erasing draws as a
    terminal does (erasing paints the background only: no reverse, underline or strike)."""
    cell = row[x]
    if cell.data != " " or cell.reverse or cell.underscore or cell.strikethrough:
        return 0
    end = x
    while end < stop and row[end] == cell:
        end += 1
    return end - x


def sgr_codes(cell: Cell) -> list[str]:
    codes = ["1"] * cell.bold + ["2"] * cell.dim
    codes += [on for name, on, _off in FLAGS if getattr(cell, name)]
    return codes + [c for c in (cell.fg, cell.bg) if c]


def width(data: str) -> int:
    return wcwidth(data[0]) if data else 0
