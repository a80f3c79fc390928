"""Keys typed ahead over SSH arrive in one read and are applied in order (issue 8 §2); a key
flood leaves the session small and answering (issue 9 §3). Each burst is ONE channel write."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from forum_tui.domain.text import BODY_MAX
from tests.ssh.conftest import PASSWORD, WAIT, SshForum, open_thread

pytestmark = pytest.mark.ssh

MEGABYTE = 1024 * 1024
FLOOD_WAIT = 180.0  # seconds: a bound, not a target (the terminal parser reads ~100 KB/s)


async def last_reply(forum: SshForum) -> str:
    view = await forum.services.threads.open_thread(forum.seeded.ann, forum.seeded.thread)
    return view.posts.items[-1].body


async def wait_for_reply(forum: SshForum, body_test, within: float = WAIT) -> str:  # noqa: ANN001
    deadline = time.monotonic() + within
    while not body_test(body := await last_reply(forum)):
        assert time.monotonic() < deadline, f"no such reply was stored; last: {body[:80]!r}"
        await asyncio.sleep(0.1)
    return body


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_typed_ahead_burst_with_backspaces_is_applied_in_order(forum: SshForum) -> None:
    _conn, screen = await forum.open()
    await open_thread(screen)
    screen.type("b" + "a" + "\x7f" + "c" + " hello\x7f\x7fAB\x1b[D\x1b[D\x1b[3~\x13")
    assert await wait_for_reply(forum, lambda body: body != "Has anyone found respite that works?")
    assert await last_reply(forum) == "bc helB"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_sign_up_typed_in_one_burst_with_tabs_joins(forum: SshForum) -> None:
    code = await forum.services.access.create_invite(forum.seeded.bob, "carers-corner")
    _conn, screen = await forum.open("new")
    await screen.wait_for("join with an invite code")
    await screen.wait_cursor_on("Invite code")
    screen.type(f"{code}\tnew_carer\t{PASSWORD}\t{PASSWORD}\r\x13")
    await screen.wait_for("signed in as new_carer")
    member = await forum.services.accounts.find_member("new_carer")
    assert (await forum.services.accounts.sign_in("new_carer", PASSWORD)).id == member.id


async def test_a_paste_without_bracketed_paste_arrives_whole_and_in_order(
    forum: SshForum,
) -> None:
    """A terminal without bracketed paste sends a paste as typing: thousands of keys, Enter
    for each line break. It is stored exactly as pasted."""
    lines = [f"Line {n:04d} of a long letter about respite, pasted in." for n in range(300)]
    _conn, screen = await forum.open()
    await open_thread(screen)
    screen.type("\r".join(lines) + "\x13")
    body = await wait_for_reply(forum, lambda body: body.startswith("Line 0000"))
    assert body == "\n".join(lines)


async def test_a_megabyte_of_keys_leaves_the_session_small_and_answering(
    servers,  # noqa: ANN001
) -> None:
    forum: SshForum = await servers(input_rate=1e9, input_burst=1e9)
    _conn, screen = await forum.open()
    await open_thread(screen)
    [session] = forum.running.hub.sessions
    assert session.child is not None
    screen.type(b"x" * MEGABYTE + b"\x13")  # and Ctrl+S, once the megabyte is through
    await wait_for_reply(forum, lambda body: body.startswith("xxx"), within=FLOOD_WAIT)
    assert await last_reply(forum) == "x" * BODY_MAX
    assert peak_memory_mb(session.child.pid) < 300

    # An unbound key held down on home, in a second session: F5, 200,000 times (1 MB).
    _conn, home = await forum.open()
    await home.wait_highlighted("Carers' Corner")
    [other] = [s for s in forum.running.hub.sessions if s is not session]
    assert other.child is not None
    home.type(b"\x1b[15~" * 200_000)
    home.type("\x1bOP")  # F1, after the flood: Help opens once the flood is through
    await home.wait_for("Keys on this screen", within=FLOOD_WAIT)
    assert peak_memory_mb(other.child.pid) < 300
    screen.type("\x11")  # and the first session still answers
    await screen.wait_closed()
