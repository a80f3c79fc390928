"""The terminal over SSH: window sizes, bad bytes, key floods, idle sessions and caps."""

from __future__ import annotations

import asyncio
import fcntl
import struct
import termios
import time

import pytest

from forum_tui.ssh.throttle import TokenBucket
from tests.ssh.conftest import WAIT, SshForum, open_thread, wait_until

pytestmark = pytest.mark.ssh


def pty_size(forum: SshForum) -> tuple[int, int]:
    [session] = forum.running.hub.sessions
    assert session.child is not None
    raw = fcntl.ioctl(session.child._master, termios.TIOCGWINSZ, b"\0" * 8)
    rows, cols = struct.unpack("HHHH", raw)[:2]
    return cols, rows


async def test_a_resize_reaches_the_app_clamped_and_tiny_windows_get_a_notice(
    forum: SshForum,
) -> None:
    _conn, screen = await forum.open()
    await screen.wait_for("Carers' Corner")

    screen.resize(100, 30)
    await screen.wait_for(lambda _: "Quit" in screen.screen.display[29])
    assert "signed in as carer_ann" in screen.screen.display[0]
    assert pty_size(forum) == (100, 30)

    screen.resize(10, 5)
    await screen.wait_for(lambda _: screen.screen.display[0].startswith("Window too"))
    # The notice is the server's, at once; the PTY follows when the resizes settle.
    await wait_until(lambda: pty_size(forum) == (20, 8))  # never smaller than the app can lay out
    screen.resize(1, 1)
    await screen.wait_for(lambda _: screen.screen.display == ["W"])

    before = len(screen.raw)
    screen.chan.change_terminal_size(10000, 10000)  # the screen kept small: pyte is slow
    await wait_until(lambda: pty_size(forum) == (500, 200))
    # The app drew it all (its footer on row 200), and the client was sent the change: the
    # footer, on a screen cleared first. (Not a byte count: the whole home screen at 500x200
    # can be under 300 bytes as a diff, when no frame went out in the middle of the paint.)
    [session] = forum.running.hub.sessions
    assert session.frames is not None
    await wait_until(lambda: "Quit" in session.frames.relay.app.display[199])
    await wait_until(lambda: b"Quit" in bytes(screen.raw[before:]))
    assert b"\x1b[2J" in bytes(screen.raw[before:])

    for width in range(40, 140):  # a storm of resizes: coalesced, the last one wins
        screen.chan.change_terminal_size(width, 24)
    screen.resize(80, 24)
    await wait_until(lambda: pty_size(forum) == (80, 24))
    await screen.wait_for(lambda _: "Quit" in screen.screen.display[23])
    await screen.wait_for("signed in as carer_ann")
    assert not screen.closed.is_set()


async def test_invalid_utf8_becomes_replacement_characters_and_the_session_lives(
    forum: SshForum,
) -> None:
    _conn, screen = await forum.open()
    await open_thread(screen)
    screen.type(bytes.fromhex("6f6b20fffe20c0af20eda08020656e64"))  # "ok \xff\xfe \xc0\xaf …"
    screen.type(b" caf\xc3")  # a character split across two packets still arrives whole
    screen.type(b"\xa9 still here")
    await screen.wait_for("still here")
    assert "ok \ufffd\ufffd" in screen.text
    assert "café still here" in screen.text

    place = f"reply:{forum.seeded.thread}"
    drafts = forum.services.drafts

    async def draft_body() -> str:
        draft = await drafts.get_draft(forum.seeded.ann, place)
        return draft.body if draft else ""

    deadline = time.monotonic() + WAIT
    while not (await draft_body()).endswith("still here"):
        assert time.monotonic() < deadline, "the draft was never saved"
        await asyncio.sleep(0.1)
    body = await draft_body()
    assert body.startswith("ok \ufffd") and "café" in body
    assert not screen.closed.is_set()

    # Low bandwidth: a screen nobody is typing in sends nothing (no blinking cursor).
    sent = len(screen.raw)
    await asyncio.sleep(1.2)
    assert len(screen.raw) - sent < 64


async def test_a_key_flood_is_slowed_not_dropped(servers) -> None:  # noqa: ANN001
    forum: SshForum = await servers(input_rate=40_000, input_burst=20_000)
    _conn, screen = await forum.open()
    await screen.wait_for("Carers' Corner")
    [session] = forum.running.hub.sessions
    child = session.child
    assert child is not None
    flood = b"\x1b[200~" + b"x" * 100_000 + b"\x1b[201~"  # a 100 KB paste
    started = time.monotonic()
    screen.type(flood)
    await wait_until(lambda: child.bytes_in >= len(flood), within=30)
    took = time.monotonic() - started
    # 20 KB at once, the rest at 40 KB a second: about two seconds, not instantly.
    assert took >= 1.5
    screen.type("\x1bOP")  # F1: the app still answers
    await screen.wait_for("Close help")
    assert not screen.closed.is_set()


def test_the_input_bucket_allows_a_burst_then_a_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=1000, burst=5000, clock=lambda: now[0])
    assert bucket.take(5000) == 0
    assert bucket.take(1000) == pytest.approx(1.0)
    now[0] += 1.0
    assert bucket.take(0) == 0
    now[0] += 100
    assert bucket.take(4000) == 0  # refilled, but never above the burst


async def test_an_idle_session_is_warned_then_ended(servers) -> None:  # noqa: ANN001
    forum: SshForum = await servers(idle_timeout=3)
    _conn, screen = await forum.open()
    await screen.wait_for("Carers' Corner")
    screen.type("\x1b[B")  # a key press restarts the clock
    pressed = time.monotonic()
    await screen.wait_for("Still there?")
    [session] = forum.running.hub.sessions
    await screen.wait_closed()
    assert time.monotonic() - pressed >= 2.9
    assert b"signed out after 3 seconds without a key press" in screen.raw
    assert session.child is not None and session.child.process.returncode is not None
    assert not forum.running.hub.sessions


async def test_sessions_are_capped_in_total_and_per_member(servers) -> None:  # noqa: ANN001
    forum: SshForum = await servers(max_sessions=2, max_sessions_per_member=1)
    _conn, first = await forum.open("carer_ann")
    await first.wait_for("signed in as carer_ann")

    _conn, second = await forum.open("carer_ann")
    await second.wait_closed()
    assert b"You already have 1 forum window open, the most allowed" in second.raw
    assert second.exit_status == 1

    _conn, bobs = await forum.open("bob_leads")
    await bobs.wait_for("signed in as bob_leads")

    _conn, admins = await forum.open("forum_admin")
    await admins.wait_closed()
    assert b"The forum is full right now (2 people are connected)" in admins.raw

    first.type("\x11")
    await first.wait_closed()
    _conn, again = await forum.open("forum_admin")
    await again.wait_for("signed in as forum_admin")
