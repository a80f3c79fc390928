"""When a session's screen changes go out: one frame per burst, none while the link is full.

The app writes a screen change in several bursts a few milliseconds apart (painted, then
filled in by workers). ``FrameSender`` waits for ``quiet`` seconds without output (at most
``longest`` after the first byte) and sends one frame: the difference (``screen.py``) between
the client's screen and the app's latest. If the link still holds unsent or unacknowledged
bytes (a slow link), it sends nothing and looks again every ``poll`` seconds; the frames in
between are never sent, and when the link drains the client gets the latest screen in one.

Timers come from ``call_later`` (the event loop's in the server, a fake one in tests).
"""

from __future__ import annotations

import contextlib
import fcntl
import struct
import termios
from collections.abc import Callable
from typing import Any, Protocol

from forum_tui.ssh.screen import ScreenRelay

QUIET = 0.008  # seconds without app output that end a burst
LONGEST = 0.05  # a burst is sent at most this long after it began
POLL = 0.025  # how often a full link is looked at again


class Timer(Protocol):
    def cancel(self) -> None: ...


class FrameSender:
    def __init__(
        self,
        relay: ScreenRelay,
        write: Callable[[bytes], None],
        backlog: Callable[[], int],
        *,
        call_later: Callable[[float, Callable[[], None]], Timer],
        clock: Callable[[], float],
        quiet: float = QUIET,
        longest: float = LONGEST,
        poll: float = POLL,
    ) -> None:
        self.relay = relay
        self._write = write
        self._backlog = backlog
        self._call_later = call_later
        self._clock = clock
        self._quiet, self._longest, self._poll = quiet, longest, poll
        self._timer: Timer | None = None
        self._burst_began: float | None = None
        self._paused = False
        self.frames_sent = 0
        self.frames_held = 0  # looks at a full link that sent nothing
        self.bytes_in = 0
        self.bytes_out = 0

    def app_output(self, data: bytes) -> None:
        self.bytes_in += len(data)
        self.relay.feed(data)
        self._schedule()

    def resize(self, cols: int, rows: int) -> None:
        self.relay.resize(cols, rows)
        self._schedule()

    def pause(self) -> None:
        """The server is showing its own notice (a window too small): send nothing."""
        self._paused = True
        self._cancel()

    def resume(self) -> None:
        """The notice has been cleared: the next frame redraws the whole screen."""
        self._paused = False
        self.relay.forget_client()
        self._schedule()

    def finish(self) -> None:
        """The app has ended: whatever is owed goes out now, link full or not."""
        self._cancel()
        self._send()

    def _schedule(self) -> None:
        now = self._clock()
        if self._burst_began is None:
            self._burst_began = now
        due = min(now + self._quiet, self._burst_began + self._longest)
        self._cancel()
        self._timer = self._call_later(max(0.0, due - now), self._due)

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _due(self) -> None:
        self._timer = None
        if self._paused:
            return
        if self._backlog() > 0:
            self.frames_held += 1
            self._timer = self._call_later(self._poll, self._due)
            return
        self._send()

    def _send(self) -> None:
        self._burst_began = None
        out = self.relay.frame()
        if out:
            self.frames_sent += 1
            self.bytes_out += len(out)
            self._write(out)


def link_backlog(chan: Any) -> Callable[[], int]:
    """Bytes written to the SSH channel that the client has not yet acknowledged: the
    channel's own buffer plus the socket's send queue (unsent and unacknowledged)."""
    sock = chan.get_extra_info("socket")
    fd = sock.fileno() if sock is not None else -1

    def backlog() -> int:
        queued = int(chan.get_write_buffer_size())
        if fd >= 0:
            with contextlib.suppress(OSError):
                raw = fcntl.ioctl(fd, termios.TIOCOUTQ, b"\0\0\0\0")  # SIOCOUTQ on a socket
                queued += struct.unpack("i", raw)[0]
        return queued

    return backlog


def frames_for(chan: Any, write: Callable[[bytes], None], size: tuple[int, int]) -> FrameSender:
    """The frame sender of one SSH session, on the running event loop."""
    import asyncio

    loop = asyncio.get_running_loop()
    return FrameSender(
        ScreenRelay(*size), write, link_backlog(chan), call_later=loop.call_later, clock=loop.time
    )
