"""Terminal benchmark: bytes the real app writes to an 80x24 terminal per interaction.

    python bench/terminal_bench.py [--runs 3] [--quiet 0.5] [--keys 5]

Runs ``python -m forum_tui demo`` on a pseudo-terminal (80x24, TERM=xterm-256color, no
COLORTERM, so 256 colours), with FORUM_TUI_DATA_DIR set to a temporary directory, and reads
everything it writes, feeding it to pyte as a terminal would. An interaction ends when the app
has written nothing for ``--quiet`` seconds; its bytes are everything written from the key press
to then.

First a cold start builds the demo database (timed on its own). Then, for each of colour and
NO_COLOR=1, ``--runs`` runs on a fresh copy of that database measure:

* start to the home screen usable (signed in, the groups listed): seconds, and bytes to quiet;
* Enter on the first group (a screen change), then ``--keys`` Down presses in its thread list;
* back up, then Enter on the thread with the most replies on screen (a screen change), then
  ``--keys`` Down presses moving from post to post;
* the baseline, on the group screen and on the thread screen: one full-screen repaint, forced by
  SIGWINCH at the same size (Textual redraws all 24 rows), median of 3, so each key has a
  ratio to it.

Figures are medians over runs (and over key presses). See bench/README.md.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parents[1]
ROWS, COLS = 24, 80
DOWN, UP, ENTER, CTRL_Q = "\x1b[B", "\x1b[A", "\r", "\x11"
REPAINTS = 3  # full repaints per screen; the first one after a screen change can differ
SET_UP_TIMEOUT = 120  # the cold start hashes demo passwords and writes ~270 posts


class Terminal:
    """The app on a pseudo-terminal, read back with pyte (as tests/ui/test_terminal.py does)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "forum_tui", "demo"],
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.total = 0

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.total += len(chunk)
        self.stream.feed(chunk)
        return True

    def until(self, shown: Callable[[str], bool], what: str, timeout: float = 30) -> float:
        """Reads until the screen passes ``shown``; gives the time since the app started."""
        deadline = time.monotonic() + timeout
        while not shown(self.text):
            if time.monotonic() > deadline:
                raise SystemExit(f"terminal bench: {what} never appeared. Screen:\n{self.text}")
            self._read(0.05)
        return time.monotonic() - self.started

    def settle(self, quiet: float) -> None:
        """Reads until nothing has come for ``quiet`` seconds."""
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            if self._read(0.02):
                last = time.monotonic()

    def press(self, key: str, quiet: float, shown: Callable[[str], bool] | None = None) -> int:
        """Bytes written in answer to one key: until ``shown`` (if given), then quiet."""
        before = self.total
        os.write(self.master, key.encode())
        if shown is not None:
            self.until(shown, f"the screen after {key!r}")
        self.settle(quiet)
        return self.total - before

    def repaint(self, quiet: float) -> int:
        """A full-screen repaint: SIGWINCH at the same size makes Textual redraw every row."""
        before = self.total
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.killpg(self.process.pid, signal.SIGWINCH)
        self.settle(quiet)
        return self.total - before

    def quit(self) -> None:
        if self.process.poll() is None:
            os.write(self.master, CTRL_Q.encode())
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(5)
        os.close(self.master)
        os.close(self.slave)


def environment(data_dir: Path, no_color: bool) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "FORUM_TUI_DATA_DIR": str(data_dir),
    }
    if no_color:
        env["NO_COLOR"] = "1"
    return env


def home_usable(text: str) -> bool:
    return "signed in as" in text and re.search(r"\d+ threads?\b", text) is not None


def group_shown(text: str) -> bool:
    title = text.splitlines()[0]
    return re.search(r" · \d+ threads?\b", title) is not None and " replies · " in text


def thread_shown(text: str) -> bool:
    title = text.splitlines()[0]
    return re.search(r" · \d+ repl(y|ies)\b", title) is not None


@dataclass
class Run:
    start_s: float = 0.0
    home: int = 0
    enter_group: int = 0
    list_keys: list[int] = field(default_factory=list)
    group_repaint: list[int] = field(default_factory=list)
    enter_thread: int = 0
    post_keys: list[int] = field(default_factory=list)
    thread_repaint: list[int] = field(default_factory=list)
    thread_title: str = ""


def one_run(data_dir: Path, no_color: bool, keys: int, quiet: float) -> Run:
    run = Run()
    terminal = Terminal(environment(data_dir, no_color))
    try:
        run.start_s = terminal.until(home_usable, "the home screen")
        terminal.settle(quiet)
        run.home = terminal.total

        run.enter_group = terminal.press(ENTER, quiet, group_shown)
        run.group_repaint = [terminal.repaint(quiet) for _ in range(REPAINTS)]
        run.list_keys = [terminal.press(DOWN, quiet) for _ in range(keys)]
        for _ in range(keys):
            terminal.press(UP, quiet)  # back to the top of the list
        # Open the busiest thread on screen, so there are posts to move between.
        replies = [int(n) for n in re.findall(r"^\s+by \S+ · (\d+) repl", terminal.text, re.M)]
        busiest = replies.index(max(replies))
        for _ in range(busiest):
            terminal.press(DOWN, quiet)

        run.enter_thread = terminal.press(ENTER, quiet, thread_shown)
        run.thread_title = terminal.text.splitlines()[0].strip()
        run.thread_repaint = [terminal.repaint(quiet) for _ in range(REPAINTS)]
        run.post_keys = [terminal.press(DOWN, quiet) for _ in range(keys)]
    finally:
        terminal.quit()
    return run


def cold_start(data_dir: Path, quiet: float) -> tuple[float, int]:
    """The very first run: builds the demo database, then shows home."""
    terminal = Terminal(environment(data_dir, no_color=False))
    try:
        seconds = terminal.until(home_usable, "the home screen", timeout=SET_UP_TIMEOUT)
        terminal.settle(quiet)
        return seconds, terminal.total
    finally:
        terminal.quit()


def fresh_copy(seeded: Path, into: Path) -> Path:
    if into.exists():
        shutil.rmtree(into)
    shutil.copytree(seeded, into)
    return into


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(label: str, runs: list[Run]) -> list[tuple[str, str, str, str]]:
    list_key = median([median(r.list_keys) for r in runs])
    post_key = median([median(r.post_keys) for r in runs])
    group_full = median([median(r.group_repaint) for r in runs])
    thread_full = median([median(r.thread_repaint) for r in runs])

    def key_range(name: str) -> str:
        values = [value for r in runs for value in getattr(r, name)]
        return f"{min(values):,}-{max(values):,}"

    return [
        (label, "start -> home usable", f"{median([r.start_s for r in runs]):.2f} s", ""),
        (label, "bytes to home (settled)", f"{median([r.home for r in runs]):,.0f}", ""),
        (label, "Enter: open group", f"{median([r.enter_group for r in runs]):,.0f}", ""),
        (label, "group: full repaint (baseline)", f"{group_full:,.0f}", "1.00"),
        (
            label,
            f"Down in thread list ({key_range('list_keys')})",
            f"{list_key:,.0f}",
            f"{list_key / group_full:.2f}",
        ),
        (label, "Enter: open thread", f"{median([r.enter_thread for r in runs]):,.0f}", ""),
        (label, "thread: full repaint (baseline)", f"{thread_full:,.0f}", "1.00"),
        (
            label,
            f"Down to next post ({key_range('post_keys')})",
            f"{post_key:,.0f}",
            f"{post_key / thread_full:.2f}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per colour mode")
    parser.add_argument("--keys", type=int, default=5, help="Down presses measured per list")
    parser.add_argument("--quiet", type=float, default=0.5, help="seconds of silence = done")
    args = parser.parse_args()
    if args.keys < 2:
        parser.error("--keys must be at least 2")

    print(
        f"forum-tui terminal bench · {datetime.now():%Y-%m-%d %H:%M} · {os.cpu_count()} CPUs · "
        f"{COLS}x{ROWS} xterm-256color · quiet {args.quiet} s · medians of {args.runs} runs"
    )
    with tempfile.TemporaryDirectory(prefix="forum-term-") as tmp:
        seeded = Path(tmp) / "seeded"
        seeded.mkdir()
        cold_s, cold_bytes = cold_start(seeded, args.quiet)
        rows: list[tuple[str, str, str, str]] = [
            ("colour", "first run: demo set-up -> home", f"{cold_s:.2f} s", ""),
            ("colour", "bytes to home, first run", f"{cold_bytes:,}", ""),
        ]
        titles = set()
        for label, no_color in (("colour", False), ("NO_COLOR", True)):
            runs = []
            for n in range(args.runs):
                data_dir = fresh_copy(seeded, Path(tmp) / f"run-{label}-{n}")
                runs.append(one_run(data_dir, no_color, args.keys, args.quiet))
            titles.update(r.thread_title for r in runs)
            rows += report(label, runs)

    print(f"thread opened: {' | '.join(sorted(titles))}")
    print(f"{'mode':<9} {'interaction':<38} {'bytes / time':>12} {'x full':>7}")
    for label, what, value, ratio in rows:
        print(f"{label:<9} {what:<38} {value:>12} {ratio:>7}")


if __name__ == "__main__":
    main()
