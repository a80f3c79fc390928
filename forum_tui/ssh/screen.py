"""Send screen changes, not repaints: the app's output becomes the difference to the client.

Textual repaints generously: a screen change paints the whole screen several times, a list
move rewrites every option, each row goes out full width. Over a 2G link every byte is a
tenth of a millisecond of a carer's wait, so, as mosh does, the server keeps two screens per
session: the one the app has drawn (its output fed to a terminal emulator, pyte) and the one
the client has (what this module last sent). ``frame()`` sends only the cells that differ,
with the cheapest cursor moves, attribute changes only where they change, and erase-to-end-
of-line for blank ends of rows. The app's repaints of an unchanged screen cost nothing.

What is not screen content passes through in order at the start of the next frame: mouse,
paste, focus and keyboard modes, cursor shape, titles, the bell, clearing the scrollback, and the
app's queries to the terminal (whose answers reach the app through the input, untouched).
Synchronised-output markers are dropped (each frame is already one write). Modes that change
how the client interprets positions (origin, autowrap, scroll margins, insert) are applied to
the app's screen only: the client stays in its defaults, and this module's output assumes them.

Only the alternate screen is diffed (Textual always uses it). Before the app enters it and
after it leaves, output passes through unchanged, so the app's tidy-up and the server's own
messages reach the client as written.

Colours are kept as the SGR parameters the app used (``31``, ``38;5;208``, ``38;2;…``), so
what the client receives is what the app chose, in the same colour system.
"""

from __future__ import annotations

import codecs
import re

import pyte

from forum_tui.ssh.cells import (
    BLANK,
    FLAGS,
    SCROLL_MIN,
    AppScreen,
    Cell,
    as_shown,
    blank_run,
    find_scroll,
    sgr_codes,
    width,
)

MERGE_GAP = 3  # unchanged cells between two changes rewritten rather than jumped over
ERASE_MIN = 3  # blank cells at the end of a row cleared with EL rather than written
ERASE_CHARS_MIN = 8  # blank cells inside a row cleared with ECH (then a move) rather than written
TAIL_MAX = 4096  # an unfinished escape sequence longer than this is dropped
ALT_SCREEN = {"1049", "1047", "47"}
SCREEN_MODES = {"6", "7", "25"}  # origin, autowrap, cursor visibility: the model needs them
DROPPED_MODES = {"2026", "3", "5"}  # synchronised output, 132 columns, reverse screen
SCREEN_CSI = set("@ABCDEFGHJKLMPXadefgmr`")  # positions, erases, inserts, SGR, margins
# Queries and window operations go to the client. Any other CSI (scrolling, repeat, tabs
# backwards…) is one Textual does not send and pyte does not model: it is dropped rather than
# let the client's screen drift from the model.
PASSED_CSI = set("cnt")

TOKEN = re.compile(
    r"""
    \x1b\[(?P<csi_p>[\x30-\x3f]*)(?P<csi_i>[\x20-\x2f]*)(?P<csi_f>[\x40-\x7e])
    | \x1b\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)
    | \x1b[P_^X][^\x1b]*\x1b\\
    | \x1b(?P<esc_i>[\x20-\x2f]*)(?P<esc_f>[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e])
    | (?P<ctl>[\x00-\x1a\x1c-\x1f\x7f])
    | (?P<text>[^\x00-\x1f\x7f-\x9f]+)
    | [\x80-\x9f]
    """,
    re.X | re.S,
)
UNFINISHED = re.compile(
    r"\x1b(\[[\x30-\x3f]*[\x20-\x2f]*|\][^\x07\x1b]*\x1b?|[P_^X][^\x1b]*\x1b?|[\x20-\x2f]*)?\Z"
)


class ScreenRelay:
    """The app's screen and the client's, for one session. Not thread-safe; no I/O."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.app = AppScreen(cols, rows)
        self._stream = pyte.Stream(self.app)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""
        self._screen_text: list[str] = []
        self._out: list[str] = []
        self.diffing = False  # inside the alternate screen
        self._client: list[tuple[Cell, ...]] | None = None  # None: unknown, redraw all
        self._pen = BLANK
        self._cx: int | None = None
        self._cy: int | None = None
        self._cursor_shown: bool | None = None

    # --- the app's output in ------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        text = self._tail + self._decoder.decode(data)
        self._tail = ""
        pos = 0
        while pos < len(text):
            match = TOKEN.match(text, pos)
            if match is None:  # an escape sequence not finished yet, or broken off
                if UNFINISHED.match(text, pos):
                    self._tail = text[pos:] if len(text) - pos <= TAIL_MAX else ""
                    break
                found = [i for i in (text.find("\x1b", pos + 1), text.find("\x18", pos)) if i > 0]
                pos = min(found) if found else len(text)
                continue
            pos = match.end()
            self._token(match)
        self._apply()

    def _token(self, match: re.Match[str]) -> None:
        token = match.group(0)
        if not self.diffing:
            if match.group("csi_f") in ("h", "l") and match.group("csi_p").startswith("?"):
                modes = match.group("csi_p")[1:].split(";")
                if match.group("csi_f") == "h" and ALT_SCREEN & set(modes):
                    self._out.append(token)
                    self._enter_alt_screen()
                    return
            self._out.append(token)
            return
        final = match.group("csi_f")
        if final is not None:
            self._csi(token, match.group("csi_p"), match.group("csi_i"), final)
        elif match.group("text") is not None:
            self._screen_text.append(token)
        elif match.group("ctl") is not None:
            if token == "\x07":
                self._out.append(token)
            elif token in "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f":
                self._screen_text.append(token)
        elif match.group("esc_f") is not None:
            if token in ("\x1b=", "\x1b>"):  # keypad modes: how the client sends keys
                self._out.append(token)
            else:
                self._screen_text.append(token)
        elif match.group("osc") is not None:
            if not match.group("osc").startswith("8;"):  # hyperlinks belong to cells
                self._out.append(token)
        elif token.startswith("\x1b"):  # DCS, APC, PM, SOS: queries and the like
            self._out.append(token)

    def _csi(self, token: str, params: str, intermediates: str, final: str) -> None:
        if intermediates or (params[:1] in ("<", "=", ">")):
            self._out.append(token)  # cursor shape, keyboard protocol, queries
        elif params.startswith("?") and final in ("h", "l"):
            for mode in params[1:].split(";"):
                if mode in ALT_SCREEN:
                    if final == "l":
                        self._leave_alt_screen(f"\x1b[?{mode}l")
                        return
                elif mode in SCREEN_MODES:
                    self._screen_text.append(f"\x1b[?{mode}{final}")
                elif mode not in DROPPED_MODES:
                    self._out.append(f"\x1b[?{mode}{final}")
        elif final == "J" and params == "3":
            # Clear the scrollback (a kiosk's End session): the client's own, so it goes to
            # the client, and the screen is then drawn afresh over a cleared one.
            self._out.append(token)
            self.forget_client()
        elif final in SCREEN_CSI or final in ("h", "l"):
            self._screen_text.append(token)
        elif final in PASSED_CSI:
            self._out.append(token)  # device status and attribute queries, window ops

    def _apply(self) -> None:
        if self._screen_text:
            self._stream.feed("".join(self._screen_text))
            self._screen_text.clear()

    def _enter_alt_screen(self) -> None:
        self.diffing = True
        self.app.reset()
        self._client = None
        self._cursor_shown = None

    def _leave_alt_screen(self, token: str) -> None:
        self._apply()
        self._out.append(self._diff())
        self._out.append(token)
        self.diffing = False

    # --- what the client gets -----------------------------------------------------------

    def frame(self) -> bytes:
        """Everything owed to the client: passed-through sequences, then the screen's
        difference. Empty when the client already shows the app's screen."""
        self._apply()
        if self.diffing:
            self._out.append(self._diff())
        out = "".join(self._out)
        self._out.clear()
        return out.encode("utf-8")

    def pending(self) -> bool:
        """True when frame() might have something to send."""
        return bool(self._out or self._screen_text or self.app.dirty or self._client is None)

    def resize(self, cols: int, rows: int) -> None:
        if (cols, rows) != (self.cols, self.rows):
            self.cols, self.rows = cols, rows
            self.app.resize(lines=rows, columns=cols)
            self.forget_client()

    def forget_client(self) -> None:
        """Something else was written to the client (or its window changed): the next
        frame redraws the whole screen."""
        self._client = None
        self._cursor_shown = None
        self._cx = self._cy = None

    def _row(self, y: int) -> tuple[Cell, ...]:
        line = self.app.buffer[y]
        return tuple(as_shown([line[x] for x in range(self.cols)]))

    def _diff(self) -> str:
        if not self.diffing:
            return ""
        parts: list[str] = []
        dirty = self.app.dirty
        if self._client is None or len(self._client) != self.rows:
            parts.append("\x1b[0m\x1b[H\x1b[2J")
            self._client = [(BLANK,) * self.cols for _ in range(self.rows)]
            self._pen, self._cx, self._cy = BLANK, 0, 0
            dirty.update(range(self.rows))
        news = {y: self._row(y) for y in dirty if y < self.rows}
        dirty.clear()
        if len(news) >= SCROLL_MIN:
            self._scroll(parts, news)
        for y, new in sorted(news.items()):
            old = self._client[y]
            if new != old:
                self._draw_row(parts, y, old, new)
                self._client[y] = new
        cursor = self.app.cursor
        shown = not cursor.hidden
        if shown and (self._cx, self._cy) != (cursor.x, cursor.y) and cursor.x < self.cols:
            parts.append(self._move(cursor.x, cursor.y))
        if shown != self._cursor_shown:
            parts.append("\x1b[?25h" if shown else "\x1b[?25l")
            self._cursor_shown = shown
        return "".join(parts)

    def _scroll(self, parts: list[str], news: dict[int, tuple[Cell, ...]]) -> None:
        """When rows have moved up or down (a list or a thread scrolled), moves them on the
        client too, within a scroll region, so only the rows that are new get drawn."""
        assert self._client is not None
        client = self._client
        found = find_scroll(client, [news.get(y, client[y]) for y in range(self.rows)])
        if found is None:
            return
        top, bottom, k = found
        if self._pen != BLANK:  # new lines take the pen's background on a real terminal
            parts.append("\x1b[m")
            self._pen = BLANK
        if k > 0:  # content moves up: line feeds at the bottom of the region
            parts.append(f"\x1b[{top + 1};{bottom + 1}r\x1b[{bottom + 1}H" + "\n" * k)
            client[top : bottom + 1] = client[top + k : bottom + 1] + [(BLANK,) * self.cols] * k
        else:  # content moves down: reverse line feeds at the top
            parts.append(f"\x1b[{top + 1};{bottom + 1}r\x1b[{top + 1}H" + "\x1bM" * -k)
            client[top : bottom + 1] = [(BLANK,) * self.cols] * -k + client[top : bottom + 1 + k]
        # Margins back to the whole screen. The cursor goes home on xterm, but not on every
        # emulator (pyte leaves it): the next move is absolute.
        parts.append("\x1b[r")
        self._cx = self._cy = None
        for y in range(top, bottom + 1):
            news.setdefault(y, self._row(y))

    def _spans(self, old: tuple[Cell, ...], new: tuple[Cell, ...]) -> list[list[int]]:
        spans: list[list[int]] = []
        for x in range(self.cols):
            if old[x] != new[x]:
                if spans and x - spans[-1][1] <= MERGE_GAP:
                    spans[-1][1] = x + 1
                else:
                    spans.append([x, x + 1])
        for span in spans:  # a wide character is drawn whole, and overwritten whole
            while span[0] > 0 and (new[span[0]].data == "" or old[span[0]].data == ""):
                span[0] -= 1
            while span[1] < self.cols and (new[span[1]].data == "" or old[span[1]].data == ""):
                span[1] += 1
        merged: list[list[int]] = []
        for span in spans:
            if merged and span[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span[1])
            else:
                merged.append(span)
        return merged

    def _draw_row(
        self, parts: list[str], y: int, old: tuple[Cell, ...], new: tuple[Cell, ...]
    ) -> None:
        blank_from = self.cols
        last = new[-1]
        if last.data == " " and not (last.reverse or last.underscore or last.strikethrough):
            while blank_from > 0 and new[blank_from - 1] == last:
                blank_from -= 1
        for start, end in self._spans(old, new):
            erase = end == self.cols and self.cols - max(start, blank_from) >= ERASE_MIN
            stop = max(start, blank_from) if erase else end
            x = start
            while x < stop:
                cell = new[x]
                if cell.data == "" and x > start and width(new[x - 1].data) == 2:
                    x += 1
                    continue  # the stub of the wide character just drawn
                if (self._cx, self._cy) != (x, y):
                    parts.append(self._move(x, y))
                parts.append(self._sgr(cell))
                run = blank_run(new, x, stop)
                if run >= ERASE_CHARS_MIN:  # a stretch of blanks: erased, not written
                    parts.append(f"\x1b[{run}X")
                    x += run
                    continue
                parts.append(cell.data or " ")
                advance = 2 if width(cell.data) == 2 else 1
                self._cx = x + advance if x + advance < self.cols else None
                self._cy = y
                x += 1
            if erase:
                if (self._cx, self._cy) != (stop, y):
                    parts.append(self._move(stop, y))
                parts.append(self._sgr(last))
                parts.append("\x1b[K")

    def _move(self, x: int, y: int) -> str:
        best = f"\x1b[{y + 1};{x + 1}H" if x else f"\x1b[{y + 1}H"
        cx, cy = self._cx, self._cy
        options = [best]
        if cx is not None and cy is not None:
            if cy == y:
                if x == 0:
                    options.append("\r")
                elif x > cx:
                    options.append(f"\x1b[{x - cx}C" if x - cx > 1 else "\x1b[C")
                else:
                    options.append(f"\x1b[{cx - x}D" if cx - x > 1 else "\b")
            elif y == cy + 1 and x == 0:
                options.append("\r\n")
            elif x == cx and y > cy:
                options.append(f"\x1b[{y - cy}B" if y - cy > 1 else "\x1b[B")
        self._cx, self._cy = x, y
        return min(options, key=len)

    def _sgr(self, cell: Cell) -> str:
        pen = self._pen
        if cell[1:] == pen[1:]:
            return ""
        self._pen = cell._replace(data=" ")
        full = ["0", *sgr_codes(cell)]
        steps: list[str] = []
        if (pen.bold and not cell.bold) or (pen.dim and not cell.dim):
            steps.append("22")
            steps += ["1"] * cell.bold + ["2"] * cell.dim
        else:
            steps += ["1"] * (cell.bold and not pen.bold) + ["2"] * (cell.dim and not pen.dim)
        for name, on, off in FLAGS:
            if getattr(cell, name) != getattr(pen, name):
                steps.append(on if getattr(cell, name) else off)
        if cell.fg != pen.fg:
            steps.append(cell.fg or "39")
        if cell.bg != pen.bg:
            steps.append(cell.bg or "49")
        chosen = steps if len(";".join(steps)) < len(";".join(full)) else full
        return "\x1b[m" if chosen == ["0"] else f"\x1b[{';'.join(chosen)}m"
