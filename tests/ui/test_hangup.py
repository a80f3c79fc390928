"""A session that hangs up keeps its draft: the real app, on a real pseudo-terminal, gets SIGHUP
(as an SSH session child does when the connection drops) while a reply is half typed.

The draft debounce is switched off in the child (``SAVE_AFTER`` an hour), so the draft can only
have been saved by the hang-up itself, never by the timer. The process must also end: with the
terminal gone, Textual's own shutdown can block for ever writing to it (seen with tmux
kill-session), which the last case forces.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable

import pytest

from forum_tui.services import build_services
from forum_tui.store.database import Database
from tests.conftest import FakeClock
from tests.ui.conftest import Forum, _seed
from tests.ui.test_terminal import Terminal

LAUNCH = """
import sys
from forum_tui.config import Settings
from forum_tui.ui.app import make_app
from forum_tui.ui.screens import drafting
drafting.SAVE_AFTER = 3600  # only the hang-up can save the draft
if sys.argv[3] == "stuck":
    import time
    from textual.drivers.linux_driver import LinuxDriver
    LinuxDriver.disable_input = lambda self: time.sleep(3600)  # the dead terminal never drains
make_app(Settings(sys.argv[1]), member_id=int(sys.argv[2])).run()
"""
TYPED = "half-written thought about respite"


@pytest.fixture
def shared(db_url: str) -> Forum:
    return asyncio.run(_seed(db_url, FakeClock()))


async def _draft(url: str, member_id: int, place: str) -> str | None:
    db = Database(url)
    try:
        draft = await build_services(db).drafts.get_draft(member_id, place)
        return draft.body if draft else None
    finally:
        await db.dispose()


def _read_until(terminal: Terminal, done: Callable[[str], bool], timeout: float = 20) -> None:
    """Like ``Terminal.read_until``, for any condition on the screen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([terminal.master], [], [], 0.1)
        if ready:
            terminal.stream.feed(os.read(terminal.master, 65536))
        if done("\n".join(terminal.screen.display)):
            return
    raise AssertionError("the screen never got there:\n" + "\n".join(terminal.screen.display))


def _wait_for_exit(process: subprocess.Popen[bytes], timeout: float = 15) -> int:
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError("the app did not exit after hanging up") from None


@pytest.mark.parametrize("how", ["sighup", "pty-closed-then-sighup", "stuck"])
def test_a_hang_up_saves_the_reply_being_typed(shared: Forum, how: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
    }
    terminal = Terminal([sys.executable, "-c", LAUNCH, shared.url, str(shared.ann), how], env)
    try:
        terminal.read_until("Carers' Corner")
        terminal.type("\r")  # open the group
        terminal.read_until("Respite")
        terminal.type("\x1b[B\x1b[B\r")  # down twice: the oldest thread, "Respite"
        terminal.read_until("r Reply")  # loaded, the reply key live in the footer
        terminal.type("r")
        # In the composer: the footer drops "r Reply" (focus moves after the key is handled).
        _read_until(terminal, lambda shown: "r Reply" not in shown.splitlines()[-1])
        terminal.type(TYPED)
        terminal.read_until(TYPED)  # on screen: the app has every key
        if how == "pty-closed-then-sighup":  # the server closed the pty, then signalled
            os.close(terminal.master)
            terminal.master = os.open(os.devnull, os.O_RDONLY)  # for Terminal.close()
        os.killpg(terminal.process.pid, signal.SIGHUP)
        os.killpg(terminal.process.pid, signal.SIGTERM)  # sshd-style: SIGTERM right after
        _wait_for_exit(terminal.process)
    finally:
        terminal.close()
    draft = asyncio.run(_draft(shared.url, shared.ann, f"reply:{shared.respite_thread}"))
    assert draft == TYPED
