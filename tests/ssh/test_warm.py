"""serve --warm: sessions forked from a process that has the app loaded, and otherwise the
same as fresh ones: their own PTY, session and process group, exit status and hang-up."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ssh.conftest import wait_until
from tests.ssh.test_no_color import colour_codes

pytestmark = pytest.mark.ssh


def stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


async def test_a_warm_session_is_a_session_of_its_own(servers: Callable[..., Any]) -> None:
    forum = await servers(warm=True)
    warm = forum.running.hub.warm
    assert warm is not None and warm.process is not None
    _conn, screen = await forum.open(env={"NO_COLOR": "1"})
    await screen.wait_for("signed in as carer_ann")
    await screen.wait_highlighted("Carers' Corner")
    [session] = forum.running.hub.sessions
    assert session.child is not None
    pid = session.child.pid
    fields = stat(pid)
    assert int(fields[1]) == warm.process.pid  # forked by the warm process
    assert int(fields[2]) == pid and int(fields[3]) == pid  # its own process group and session
    assert os.readlink(f"/proc/{pid}/fd/0").startswith("/dev/pts/")  # on its own PTY
    # This session's environment, not the warm process's (which has no NO_COLOR).
    assert colour_codes(bytes(screen.raw)) == []
    screen.type("\x11")  # Ctrl+Q: the app exits, and the client gets its exit status
    await screen.wait_closed()
    assert screen.exit_status == 0
    await wait_until(lambda: not Path(f"/proc/{pid}").exists())  # reaped, not a zombie


async def test_a_dropped_warm_session_is_hung_up(servers: Callable[..., Any]) -> None:
    forum = await servers(warm=True)
    conn, screen = await forum.open()
    await screen.wait_for("signed in as carer_ann")
    [session] = forum.running.hub.sessions
    assert session.child is not None
    pid = session.child.pid
    conn.abort()
    await wait_until(lambda: not Path(f"/proc/{pid}").exists())
    await wait_until(lambda: not forum.running.hub.sessions)
    # The warm process is still there for the next session.
    _conn, again = await forum.open()
    await again.wait_for("signed in as carer_ann")


@pytest.mark.parametrize("warm", [False, True])
async def test_a_warm_session_reads_its_own_colour_settings(
    servers: Callable[..., Any], warm: bool
) -> None:
    """Textual reads its settings when imported, which the warm process did once; each
    session's own (here full colour) must still apply, as in a fresh process."""
    forum = await servers(warm=warm)
    _conn, screen = await forum.open(env={"COLORTERM": "truecolor"})
    await screen.wait_highlighted("Carers' Corner")
    assert b"38;2;" in bytes(screen.raw) or b"48;2;" in bytes(screen.raw)
    _conn, plain = await forum.open()
    await plain.wait_highlighted("Carers' Corner")
    assert b"38;2;" not in bytes(plain.raw) and b"48;2;" not in bytes(plain.raw)
