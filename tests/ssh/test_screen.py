"""The screen relay: what the client is sent makes its screen the app's, at a fraction of
the bytes. A client is a pyte screen fed only the relay's frames; the app's screen is a pyte
screen fed the app's raw output, as the client was before the relay."""

from __future__ import annotations

import pyte
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wcwidth import wcwidth

from forum_tui.ssh.screen import ScreenRelay

ALT = b"\x1b[?1049h\x1b[?25l"


def shown(screen: pyte.Screen) -> tuple[object, ...]:
    """Every cell as a terminal shows it (a stub without its wide character is a blank),
    and the cursor when it is visible."""
    rows = []
    for y in range(screen.lines):
        line = screen.buffer[y]
        row = [[line[x].data, *line[x][1:]] for x in range(screen.columns)]
        for x, cell in enumerate(row):
            if cell[0] == "" or wcwidth(cell[0][0]) == 0:
                if x and wcwidth(row[x - 1][0][:1]) == 2:  # the stub of a wide character
                    row[x - 1][0] += cell[0]
                    cell[0] = ""
                else:  # a terminal shows a blank
                    cell[0] = " "
        rows.append(tuple(tuple(cell) for cell in row))
    cursor = screen.cursor
    at = None if cursor.hidden or cursor.x >= screen.columns else (cursor.x, cursor.y)
    return tuple(rows), at


class Pair:
    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.relay = ScreenRelay(cols, rows)
        self.app = pyte.Screen(cols, rows)
        self.app_stream = pyte.ByteStream(self.app)
        self.client = pyte.Screen(cols, rows)
        self.client_stream = pyte.ByteStream(self.client)
        self.sent = bytearray()

    def feed(self, data: bytes | str) -> None:
        raw = data.encode() if isinstance(data, str) else data
        self.relay.feed(raw)
        self.app_stream.feed(raw)

    def frame(self) -> bytes:
        out = self.relay.frame()
        self.sent += out
        self.client_stream.feed(out)
        return out

    def same(self) -> bool:
        return shown(self.client) == shown(self.app)


# --- random app output --------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.sampled_from(
        list("abc xyz.│─█") + ["é", "中", "文", "😀", "👍", "\u0301", "\u0308", "ｱ", "\ufffd"]
    ),
    min_size=1,
    max_size=30,
)
SGR_CODES = st.sampled_from(
    ["0", "1", "2", "3", "4", "5", "7", "9", "22", "23", "24", "27", "29", "39", "49"]
    + [str(n) for n in (*range(30, 38), *range(40, 48), *range(90, 98), *range(100, 108))]
    + ["38;5;208", "48;5;17", "38;5;1", "38;2;10;20;30", "48;2;200;0;100"]
)


def piece(cols: int, rows: int) -> st.SearchStrategy[str]:
    n = st.integers(1, max(cols, rows))
    return st.one_of(
        TEXT,
        TEXT,
        st.builds(lambda y, x: f"\x1b[{y};{x}H", st.integers(1, rows), st.integers(1, cols)),
        st.builds(lambda codes: f"\x1b[{';'.join(codes)}m", st.lists(SGR_CODES, max_size=4)),
        st.sampled_from(["\x1b[K", "\x1b[1K", "\x1b[2K", "\x1b[J", "\x1b[2J", "\r", "\n", "\b"]),
        st.builds(lambda k, f: f"\x1b[{k}{f}", n, st.sampled_from(list("ABCDX@PLMGd"))),
        st.sampled_from(["\x1b[?25h", "\x1b[?25l", "\x1b[?7l", "\x1b[?7h", "\x1b7", "\x1b8"]),
        st.sampled_from(["\x1b[3;6r", "\x1b[r", "\x1b[4h", "\x1b[4l", "\x1bM", "\x1bD"]),
        # Not screen content: passes through, or is dropped, but never moves a cell.
        st.sampled_from(["\x07", "\x1b[?2004h", "\x1b[?1000l", "\x1b]0;title\x07"]),
        st.sampled_from(["\x1b[?2026h", "\x1b[?2026l", "\x1b[2 q", "\x1b[>1u", "\x1b[c"]),
    )


@st.composite
def visits(draw: st.DrawFn) -> tuple[int, int, bytes, list[tuple[int, bool]]]:
    cols, rows = draw(st.sampled_from([(80, 24), (20, 8), (33, 11)]))
    blob = "".join(draw(st.lists(piece(cols, rows), min_size=1, max_size=50))).encode()
    cuts = sorted(set(draw(st.lists(st.integers(0, len(blob)), max_size=15))) | {len(blob)})
    # After each chunk the link is free (a frame goes out) or busy (the frame is skipped).
    free = draw(st.lists(st.booleans(), min_size=len(cuts), max_size=len(cuts)))
    return cols, rows, blob, list(zip(cuts, free, strict=True))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(visits())
def test_the_client_screen_is_the_app_screen_after_every_frame(
    visit: tuple[int, int, bytes, list[tuple[int, bool]]],
) -> None:
    cols, rows, blob, plan = visit
    pair = Pair(cols, rows)
    pair.feed(ALT)
    start = 0
    for cut, free in plan:
        pair.feed(blob[start:cut])  # cut anywhere: inside a sequence, inside a character
        start = cut
        if free:
            pair.frame()
            assert pair.same(), blob
    pair.frame()
    assert pair.same(), blob
    assert pair.frame() == b""  # nothing changed: nothing sent


# --- what it costs ------------------------------------------------------------------------


def full_screen(mark: int) -> str:
    """A Textual-like repaint: every row, full width, attributes restated per segment."""
    rows = []
    for y in range(24):
        label = f"row {y}" + (" <" if y == mark else "")
        rows.append(f"\x1b[{y + 1};1H\x1b[0;37;40m{label:<40}\x1b[0;37;40m{'':<40}")
    return "".join(rows)


def test_a_repaint_of_the_same_screen_costs_nothing() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed(full_screen(3))
    first = pair.frame()
    assert pair.same()
    pair.feed(full_screen(3))
    pair.feed(full_screen(3))
    assert pair.frame() == b""
    assert len(first) < len(full_screen(3))


def test_a_list_move_sends_only_the_two_marks() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed(full_screen(3))
    pair.frame()
    pair.feed(full_screen(4))
    out = pair.frame()
    assert pair.same()
    assert len(out) <= 30, out  # two cursor moves, two marks, one erase
    raw = len(full_screen(4).encode())
    assert raw > 2500


def test_blank_ends_of_rows_are_erased_not_written() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed("\x1b[1;1H" + "x" * 80)
    pair.frame()
    pair.feed("\x1b[1;1Hab" + " " * 78)
    out = pair.frame()
    assert pair.same()
    assert b"\x1b[K" in out and len(out) < 20, out


def test_modes_pass_through_and_sync_markers_do_not() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed("\x1b[?2026h\x1b[?2004h\x1b[?1000h\x07\x1b[1;1Hhi\x1b[?2026l")
    out = pair.frame()
    assert b"\x1b[?2004h" in out and b"\x1b[?1000h" in out and b"\x07" in out
    assert b"2026" not in out
    assert pair.same()


def test_wide_characters_combining_marks_and_emoji_stay_aligned() -> None:
    pair = Pair(20, 8)
    pair.feed(ALT)
    pair.feed("\x1b[1;1H中文 e\u0301 👍 x|")
    pair.frame()
    assert pair.client.display[0].startswith("中文 é 👍 x|")
    pair.feed("\x1b[1;2Ha")  # half of a wide character overwritten
    pair.frame()
    assert pair.same()
    pair.feed("\x1b[1;1H😀")
    pair.frame()
    assert pair.same()


def test_before_and_after_the_alternate_screen_output_passes_unchanged() -> None:
    pair = Pair()
    pair.feed("plain \x1b[31mred\x1b[0m\r\n")
    assert pair.frame() == b"plain \x1b[31mred\x1b[0m\r\n"
    pair.feed(ALT + b"\x1b[2;3Hin the app")
    pair.frame()
    pair.feed("\x1b[2;3Hin the app!\x1b[?1049l\x1b[?25hbye\r\n")
    out = pair.frame()
    assert out.endswith(b"\x1b[?1049l\x1b[?25hbye\r\n")
    assert b"!" in out  # the last change went out before the client left the screen


def test_forget_client_redraws_everything() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed(full_screen(1))
    pair.frame()
    pair.client_stream.feed(b"\x1b[H\x1b[2JWindow too small")  # the server's own notice
    pair.relay.forget_client()
    pair.frame()
    assert pair.same()


def test_a_kiosks_clear_of_the_scrollback_reaches_the_client_before_the_new_screen() -> None:
    pair = Pair()
    pair.feed(ALT)
    pair.feed(b"\x1b[1;1Hcarer_ann's thread")
    pair.frame()
    pair.feed(b"\x1b[H\x1b[2J\x1b[3J\x1b[1;1HThis computer is shared")  # End session
    out = pair.frame()
    assert out.startswith(b"\x1b[3J")  # the client's scrollback goes first
    assert out.index(b"\x1b[2J") > 0  # then the screen is drawn afresh over a cleared one
    assert pair.same()
    assert "carer_ann" not in "".join(pair.client.display)


def test_a_combining_mark_at_the_start_of_a_row_reaches_the_row_above() -> None:
    # Found by the property test below: the mark joins the last cell of the previous row.
    pair = Pair()
    pair.feed(ALT)
    pair.feed("".join(f"\x1b[{y + 1};1Ha" for y in range(24)))
    pair.frame()
    pair.feed("\x1b[2;3r\x1b[2;1H\x1b[1M\x1b[r\u0301")
    pair.frame()
    assert pair.same()


@st.composite
def scrolls(draw: st.DrawFn) -> tuple[list[str], str]:
    lines = draw(st.lists(TEXT, min_size=24, max_size=24))
    top = draw(st.integers(1, 20))
    bottom = draw(st.integers(top + 1, 24))
    k = draw(st.integers(1, bottom - top))
    how = draw(st.sampled_from(["index", "reverse", "delete", "insert"]))
    edits = "".join(draw(st.lists(piece(80, 24), max_size=5)))
    margins = f"\x1b[{top};{bottom}r"
    moves = {
        "index": f"{margins}\x1b[{bottom};1H" + "\n" * k,
        "reverse": f"{margins}\x1b[{top};1H" + "\x1bM" * k,
        "delete": f"{margins}\x1b[{top};1H\x1b[{k}M",
        "insert": f"{margins}\x1b[{top};1H\x1b[{k}L",
    }
    return lines, moves[how] + "\x1b[r" + edits


@settings(max_examples=200, deadline=None, derandomize=True)
@given(scrolls())
def test_scrolled_rows_are_moved_on_the_client_not_redrawn(case: tuple[list[str], str]) -> None:
    lines, scroll = case
    pair = Pair()
    pair.feed(ALT)
    pair.feed("".join(f"\x1b[{y + 1};1H\x1b[{31 + y % 7}m{text}" for y, text in enumerate(lines)))
    pair.frame()
    assert pair.same()
    pair.feed(scroll)
    pair.frame()
    assert pair.same(), scroll


def test_a_scrolled_thread_costs_its_new_rows_only() -> None:
    pair = Pair()
    pair.feed(ALT)
    posts = [f"post line {n}: some words of a reply, a little longer" for n in range(40)]

    def page(first: int) -> str:
        rows = [f"\x1b[{y + 2};1H{posts[first + y]:<78}" for y in range(20)]
        return "\x1b[1;1HTitle" + "".join(rows) + "\x1b[24;1Hesc Back r Reply"

    pair.feed(page(0))
    pair.frame()
    pair.feed(page(3))  # three lines further down
    out = pair.frame()
    assert pair.same()
    assert b"\x1b[2;21r" in out
    assert len(out) < 250, len(out)  # three rows of ~50 characters, and the scroll
