"""The real app on a real pseudo-terminal, read back with pyte: what a carer's terminal gets.

A post body carrying escape sequences is written straight into the database (as an old version
or a manual fix might), bypassing the services' cleaning: the terminal must still never receive
them, and the text must still read as written.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pyte
from sqlalchemy import update

from forum_tui.store.database import Database
from forum_tui.store.tables import PostRow
from tests.ui.conftest import PASSWORD, Forum

RAW = "\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x1b]0;NHS Login\x07 [@click=app.quit]x[/] still here"


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.raw = bytearray()
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def read_until(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                self.raw += chunk
                self.stream.feed(chunk)
            shown = "\n".join(self.screen.display)
            if text in shown:
                return shown
        screen = "\n".join(self.screen.display)
        raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        os.close(self.master)


async def _plant_raw_body(url: str, thread_id: int) -> None:
    db = Database(url)
    async with db.write() as session:
        await session.execute(
            update(PostRow).where(PostRow.thread_id == thread_id).values(body=RAW)
        )
    await db.dispose()


def test_escape_sequences_never_reach_the_terminal(forum: Forum) -> None:
    asyncio.run(_plant_raw_body(forum.url, forum.hostile_thread))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "FORUM_TUI_DATABASE_URL": forum.url,
    }
    terminal = Terminal([sys.executable, "-m", "forum_tui"], env)
    try:
        terminal.read_until("Sign in with your handle")
        # Typed ahead, as over a slow link: keys are applied in the order they arrive.
        terminal.type("carer_ann\r" + PASSWORD + "\r")
        terminal.read_until("3 threads")
        terminal.type("\r")
        terminal.read_until("Odd characters")
        terminal.type("\x1b[B\r")  # down (the second thread by activity), then open it
        shown = terminal.read_until("still here")
    finally:
        terminal.close()
    assert "[@click=app.quit]x[/] still here" in shown
    raw = bytes(terminal.raw)
    assert b"\x1b]52" not in raw  # clipboard never written
    assert b"NHS Login" not in raw  # window title never set
    assert b"cm0gLXJmIH4K" not in raw
