"""When frames go out: one per burst of app output, none while the link is full, and the
latest screen (not every one in between) once it drains. Time is a fake clock."""

from __future__ import annotations

from collections.abc import Callable

import pyte
import pytest

from forum_tui.ssh.frames import FrameSender
from forum_tui.ssh.screen import ScreenRelay
from tests.ssh.test_screen import shown


class FakeLoop:
    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[FakeTimer] = []

    def call_later(self, delay: float, callback: Callable[[], None]) -> FakeTimer:
        timer = FakeTimer(self.now + delay, callback)
        self.timers.append(timer)
        return timer

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while True:
            due = [t for t in self.timers if not t.cancelled and t.when <= end]
            if not due:
                break
            timer = min(due, key=lambda t: t.when)
            self.timers.remove(timer)
            self.now = timer.when
            timer.callback()
        self.now = end


class FakeTimer:
    def __init__(self, when: float, callback: Callable[[], None]) -> None:
        self.when, self.callback, self.cancelled = when, callback, False

    def cancel(self) -> None:
        self.cancelled = True


class Link:
    """The client end: what arrived, drawn on a pyte screen; ``queued`` is the backlog."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.queued = 0
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        self.stream.feed(data)


def make() -> tuple[FakeLoop, Link, FrameSender, pyte.Screen, pyte.ByteStream]:
    loop, link = FakeLoop(), Link()
    sender = FrameSender(
        ScreenRelay(80, 24),
        link.write,
        lambda: link.queued,
        call_later=loop.call_later,
        clock=lambda: loop.now,
        quiet=0.01,
        longest=0.05,
        poll=0.02,
    )
    app = pyte.Screen(80, 24)
    return loop, link, sender, app, pyte.ByteStream(app)


def write(sender: FrameSender, app_stream: pyte.ByteStream, text: str) -> None:
    sender.app_output(text.encode())
    app_stream.feed(text.encode())


def test_a_burst_of_output_is_one_frame() -> None:
    loop, link, sender, app, stream = make()
    write(sender, stream, "\x1b[?1049h\x1b[?25l")
    for n in range(4):  # painted, then filled in: four writes 5 ms apart
        write(sender, stream, f"\x1b[{n + 1};1Hpart {n}")
        loop.advance(0.005)
    assert link.writes == []
    loop.advance(0.01)
    assert len(link.writes) == 1
    assert shown(link.screen) == shown(app)


def test_a_stream_that_never_pauses_still_goes_out_within_longest() -> None:
    loop, link, sender, app, stream = make()
    write(sender, stream, "\x1b[?1049h")
    for n in range(20):
        write(sender, stream, f"\x1b[1;1Htick {n}")
        loop.advance(0.004)
    assert len(link.writes) >= 1
    loop.advance(0.05)
    assert shown(link.screen) == shown(app)


def test_a_full_link_skips_frames_and_sends_the_latest_when_it_drains() -> None:
    loop, link, sender, app, stream = make()
    write(sender, stream, "\x1b[?1049h\x1b[1;1Hfirst")
    loop.advance(0.02)
    assert len(link.writes) == 1
    link.queued = 500  # the first frame is still on its way
    for n in range(10):
        write(sender, stream, f"\x1b[1;1Hscreen {n}")
        loop.advance(0.03)
    assert len(link.writes) == 1 and sender.frames_held > 0
    link.queued = 0
    loop.advance(0.03)
    assert len(link.writes) == 2
    assert "screen 9" in link.screen.display[0]
    assert shown(link.screen) == shown(app)


def test_paused_for_a_notice_then_everything_is_redrawn() -> None:
    loop, link, sender, app, stream = make()
    write(sender, stream, "\x1b[?1049h\x1b[3;1Hthe app")
    loop.advance(0.02)
    sender.pause()
    link.write(b"\x1b[H\x1b[2JWindow too small")  # the server's own notice
    write(sender, stream, "\x1b[4;1Hmore")
    loop.advance(1.0)
    assert link.screen.display[0].startswith("Window too small")
    sender.resume()
    loop.advance(0.02)
    assert shown(link.screen) == shown(app)


def test_finish_sends_what_is_owed_even_on_a_full_link() -> None:
    loop, link, sender, app, stream = make()
    write(sender, stream, "\x1b[?1049h\x1b[1;1Hbye\x1b[?1049l")
    link.queued = 100
    sender.finish()
    assert b"".join(link.writes).endswith(b"\x1b[?1049l")


def test_link_backlog_counts_what_the_other_end_has_not_taken() -> None:
    """Over real TCP: bytes the client's side has not taken (the link is "full") count,
    and once it has read them the backlog is back to the channel's own buffer."""
    import contextlib
    import select
    import socket
    import time

    from forum_tui.ssh.frames import link_backlog

    listener = socket.create_server(("127.0.0.1", 0))
    theirs = socket.socket()
    theirs.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    theirs.connect(listener.getsockname())
    ours, _ = listener.accept()
    ours.setblocking(False)

    class Channel:
        def __init__(self, buffered: int) -> None:
            self.buffered = buffered

        def get_extra_info(self, name: str) -> object:
            return ours if name == "socket" else None

        def get_write_buffer_size(self) -> int:
            return self.buffered

    try:
        assert link_backlog(Channel(0))() == 0
        assert link_backlog(Channel(7))() == 7  # the SSH channel's own buffer
        sent = 0
        try:
            while sent < 50_000_000:
                sent += ours.send(b"x" * 65536)
        except BlockingIOError:
            pass  # the other end's window and our send buffer are full
        assert link_backlog(Channel(0))() > 0
        theirs.setblocking(False)
        taken, deadline = 0, time.monotonic() + 20
        while taken < sent or link_backlog(Channel(0))() > 0:
            assert time.monotonic() < deadline, "the backlog never drained"
            select.select([theirs], [], [], 0.05)  # readable, or a moment for the last ACK
            with contextlib.suppress(BlockingIOError):
                taken += len(theirs.recv(1 << 20))
        assert link_backlog(Channel(0))() == 0
    finally:
        for sock in (ours, theirs, listener):
            sock.close()


@pytest.mark.ssh
async def test_the_same_screen_costs_a_fraction_with_changes_sent(servers) -> None:  # noqa: ANN001
    """End to end: the home screen over SSH, with screen differences (the default) and with
    the app's raw output (``send_changes=False``, the server before issue 10)."""
    sizes = {}
    for send_changes in (True, False):
        forum = await servers(send_changes=send_changes)
        _conn, screen = await forum.open()
        await screen.wait_highlighted("Carers' Corner")
        await screen.wait_for("signed in as carer_ann")
        sizes[send_changes] = len(screen.raw)
    assert sizes[True] * 3 < sizes[False], sizes
