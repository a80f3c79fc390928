"""When frames go out: one per burst of app output, none while the link is full, and the
latest screen (not every one in between) once it drains. Time is a fake clock."""

from __future__ import annotations

from collections.abc import Callable

import pyte

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
