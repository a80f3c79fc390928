"""One app process on its own pseudo-terminal, and the bytes between it and an SSH channel.

Textual's drivers own process-wide state (stdin, signals, the terminal size), so each SSH
session runs the app in a process of its own: a new session (``setsid``) whose controlling
terminal is the PTY, so a window-size change (``TIOCSWINSZ``) reaches it as SIGWINCH and a
hang-up as SIGHUP, like any program run by sshd.

What the server writes to the PTY is always valid UTF-8 (invalid client bytes become U+FFFD)
and comes at a bounded rate; what it reads from the PTY is read only while the SSH channel can
take it, so a slow client slows the app rather than filling the server's memory.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fcntl
import json
import os
import resource
import signal
import struct
import sys
import termios
from collections.abc import Callable
from typing import Any

from forum_tui.ssh.throttle import TokenBucket

# Window sizes the PTY is ever given. 0 means "unknown" in SSH and becomes the classic
# 80x24; anything else is clamped, so a 10000x10000 request does not make the app allocate
# 100 million cells, and a 1x1 one does not squeeze widgets to nothing (Textual fails below
# a few columns). A client window below MIN gets the server's "window too small" notice.
DEFAULT_SIZE = (80, 24)
MAX_COLS, MAX_ROWS = 500, 200
MIN_COLS, MIN_ROWS = 20, 8
RESIZE_SETTLE = 0.05  # seconds: a storm of resizes becomes one every RESIZE_SETTLE

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
READ_CHUNK = 65536
EVENT_MAX = 1024  # bytes in one report line from the app (a sign-in: ~80)
INPUT_HIGH_WATER = 65536  # bytes waiting for the PTY before the channel stops being read
INPUT_LOW_WATER = 16384

# What a terminal needs to be usable again if the app could not tidy up (it was killed):
# CAN aborts any escape sequence cut off mid-way, then attributes, the normal screen, the
# cursor, and every mouse, paste, focus and keyboard mode Textual may have switched on.
TERMINAL_RESET = (
    b"\x18\x1b[0m\x1b[?1049l\x1b[?25h"
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"
    b"\x1b[?2004l\x1b[?1004l\x1b[?2048l\x1b[<u"
)


def clamp_size(cols: int, rows: int) -> tuple[int, int]:
    if cols <= 0 or rows <= 0:
        cols, rows = (cols or DEFAULT_SIZE[0]), (rows or DEFAULT_SIZE[1])
    return (
        max(MIN_COLS, min(MAX_COLS, cols)),
        max(MIN_ROWS, min(MAX_ROWS, rows)),
    )


def limit_memory(pid: int, data_bytes: int) -> None:
    """Caps the app process's memory (``RLIMIT_DATA``: its heap and other private writable
    memory), soft and hard, so one session can never take the host's memory.

    Set from the server on the running process (``prlimit``), so it holds however the process
    was started. ``RLIMIT_DATA`` rather than ``RLIMIT_AS``: the address space also counts
    SQLite's 256 MB memory map of the database file and every shared library, which are not
    the session's to lose. An app at the cap gets MemoryError wherever it next allocates and
    may wedge, so the server also watches :func:`memory_in_use` and ends a session nearing
    the cap while it can still save its drafts.
    """
    resource.prlimit(pid, resource.RLIMIT_DATA, (data_bytes, data_bytes))


def memory_in_use(pid: int) -> int:
    """The process's private memory counted by ``RLIMIT_DATA`` (bytes; 0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            fields = statm.read().split()
    except OSError:
        return 0
    return int(fields[5]) * PAGE_SIZE  # "data": data + stack, in pages


def _keys_as_typed(fd: int) -> None:
    """Sets the new PTY to pass the client's keys through untouched, before the app starts.

    A new PTY starts "cooked": it echoes what is typed, turns Enter (CR) into LF and Ctrl+C
    into a signal. The app sets the same raw flags as here when it starts, but the client's
    keys arrive from the moment the session opens; typed in that second they were echoed
    back (a password typed ahead at the kiosk's sign-in showed on screen) and Enter reached the
    app as Ctrl+J, so a handle and password typed ahead both landed in the handle box.
    """
    attrs = termios.tcgetattr(fd)
    attrs[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR | termios.IXON | termios.IXOFF)
    attrs[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN)
    attrs[6][termios.VMIN], attrs[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class ChildProcess:
    """The app process of one SSH session and its PTY.

    ``on_output`` receives what the app writes; ``pause_input``/``resume_input`` are how this
    asks the SSH channel to stop and start delivering the client's keys.
    """

    def __init__(
        self,
        process: asyncio.subprocess.Process,
        master: int,
        *,
        on_output: Callable[[bytes], None],
        pause_input: Callable[[], None],
        resume_input: Callable[[], None],
        input_bucket: TokenBucket,
        events: int | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self._events = events
        self._events_tail = b""
        self._on_event = on_event
        self.process = process
        self.pid = process.pid
        self._master = master
        self._loop = asyncio.get_running_loop()
        self._on_output = on_output
        self._pause_input = pause_input
        self._resume_input = resume_input
        self._bucket = input_bucket
        if events is not None:
            self._loop.add_reader(events, self._read_events)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = bytearray()
        self._writer_on = False
        self._reader_on = False
        self._output_paused_by: set[str] = set()
        self._output_done = asyncio.Event()
        self._input_paused_by: set[str] = set()
        self._throttle_timer: asyncio.TimerHandle | None = None
        self._size: tuple[int, int] | None = None
        self._resize_timer: asyncio.TimerHandle | None = None
        self._closed = False
        self.bytes_in = 0
        self.bytes_out = 0
        self._start_reading()

    @classmethod
    async def start(
        cls,
        *,
        env: dict[str, str],
        identity: dict[str, Any],
        size: tuple[int, int],
        cwd: str,
        python: str = sys.executable,
        spawn: Callable[..., Any] | None = None,
        **callbacks: Any,
    ) -> ChildProcess:
        """Starts ``python -m forum_tui.ssh.session`` on a new PTY.

        The identity (who signed in) goes down a pipe that only the child inherits: never on
        the command line, where other local users could read it, nor in the environment.
        """
        master, slave = os.openpty()
        read_end, write_end = os.pipe()
        events_read, events_write = os.pipe()  # the app's reports (sign-ins) to the server
        try:
            os.set_inheritable(events_write, True)
            os.set_blocking(events_read, False)
            cols, rows = clamp_size(*size)
            _set_size(slave, cols, rows)
            _keys_as_typed(slave)
            os.set_blocking(master, False)
            os.set_inheritable(read_end, True)
            payload = json.dumps(identity).encode("utf-8")
            assert len(payload) < 4096, "identity must fit the pipe without blocking"
            os.write(write_end, payload)
            os.close(write_end)
            write_end = -1
            forked = None
            if spawn is not None:  # forked from the warm process (warm.py)
                forked = await spawn(
                    slave=slave, identity_fd=read_end, events_fd=events_write, env=env, cwd=cwd
                )
            process = forked or await asyncio.create_subprocess_exec(
                python,
                "-m",
                "forum_tui.ssh.session",
                "--identity-fd",
                str(read_end),
                "--events-fd",
                str(events_write),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                pass_fds=(read_end, events_write),
                start_new_session=True,
                env=env,
                cwd=cwd,
            )
        except BaseException:
            os.close(master)
            os.close(events_read)
            raise
        finally:
            os.close(slave)
            os.close(read_end)
            os.close(events_write)
            if write_end >= 0:
                os.close(write_end)
        child = cls(process, master, events=events_read, **callbacks)
        child._size = (cols, rows)
        return child

    # --- app -> server: its reports ----------------------------------------------------------

    def _read_events(self) -> None:
        """One JSON object a line (``ssh/session.py``'s ``sign_in_reporter``); anything else,
        or a line longer than ``EVENT_MAX``, is dropped."""
        assert self._events is not None
        try:
            data = os.read(self._events, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the app has gone
            self._close_events()
            return
        *lines, self._events_tail = (self._events_tail + data).split(b"\n")
        if len(self._events_tail) > EVENT_MAX:
            self._events_tail = b""
        for line in lines:
            with contextlib.suppress(ValueError):
                event = json.loads(line) if len(line) <= EVENT_MAX else None
                if isinstance(event, dict) and self._on_event is not None:
                    self._on_event(event)

    def _close_events(self) -> None:
        if self._events is not None:
            self._loop.remove_reader(self._events)
            with contextlib.suppress(OSError):
                os.close(self._events)
            self._events = None

    # --- app -> client -----------------------------------------------------------------------

    def _start_reading(self) -> None:
        if (
            not self._reader_on
            and not self._output_paused_by
            and not self._output_done.is_set()
            and not self._closed
        ):
            self._loop.add_reader(self._master, self._on_readable)
            self._reader_on = True

    def _stop_reading(self) -> None:
        if self._reader_on:
            self._loop.remove_reader(self._master)
            self._reader_on = False

    def _on_readable(self) -> None:
        try:
            data = os.read(self._master, READ_CHUNK)
        except BlockingIOError:
            return
        except OSError:  # EIO: every process holding the PTY has gone
            data = b""
        if not data:
            self._stop_reading()
            self._output_done.set()
            return
        self.bytes_out += len(data)
        self._on_output(data)

    def pause_output(self, reason: str) -> None:
        """Stop reading the app (the SSH channel's buffer is full, or the window is too
        small to show it) until every reason is gone; the app then waits on its writes."""
        self._output_paused_by.add(reason)
        self._stop_reading()

    def resume_output(self, reason: str) -> None:
        self._output_paused_by.discard(reason)
        self._start_reading()

    def discard_output(self) -> None:
        """The client has gone: keep reading (so the app never blocks on a write) but drop."""
        self._on_output = lambda _data: None
        self._output_paused_by.clear()
        self._start_reading()

    # --- client -> app -----------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """The client's bytes: decoded leniently, re-encoded as UTF-8, rate-limited."""
        if self._closed:
            return
        self.bytes_in += len(data)
        text = self._decoder.decode(data)
        if text:
            self._pending += text.encode("utf-8")
            self._flush()
        wait = self._bucket.take(len(data))
        if wait > 0:
            self._hold_input("throttle")
            if self._throttle_timer is not None:
                self._throttle_timer.cancel()
            self._throttle_timer = self._loop.call_later(wait, self._release_input, "throttle")
        if len(self._pending) > INPUT_HIGH_WATER:
            self._hold_input("backlog")

    def _flush(self) -> None:
        while self._pending and not self._closed:
            try:
                written = os.write(self._master, self._pending[:READ_CHUNK])
            except BlockingIOError:
                break
            except OSError:  # the app has gone: nothing will read this
                self._pending.clear()
                break
            del self._pending[:written]
        if self._pending and not self._writer_on and not self._closed:
            self._loop.add_writer(self._master, self._flush)
            self._writer_on = True
        elif not self._pending and self._writer_on:
            self._loop.remove_writer(self._master)
            self._writer_on = False
        if len(self._pending) <= INPUT_LOW_WATER:
            self._release_input("backlog")

    def _hold_input(self, reason: str) -> None:
        if not self._input_paused_by:
            self._pause_input()
        self._input_paused_by.add(reason)

    def _release_input(self, reason: str) -> None:
        if reason not in self._input_paused_by:
            return
        self._input_paused_by.discard(reason)
        if not self._input_paused_by and not self._closed:
            self._resume_input()

    # --- window size and signals -------------------------------------------------------------

    def resize(self, cols: int, rows: int) -> None:
        """Applies a window-size change at most once per RESIZE_SETTLE seconds (the last one
        wins), so a client sending a thousand resizes a second costs the app a few repaints."""
        self._size = clamp_size(cols, rows)
        if self._resize_timer is None:
            self._apply_size()
            self._resize_timer = self._loop.call_later(RESIZE_SETTLE, self._settled)

    def _settled(self) -> None:
        self._resize_timer = None
        self._apply_size()

    def _apply_size(self) -> None:
        if self._size is None or self._closed:
            return
        with contextlib.suppress(OSError):
            current = fcntl.ioctl(self._master, termios.TIOCGWINSZ, b"\0" * 8)
            rows, cols = struct.unpack("HHHH", current)[:2]
            if (cols, rows) != self._size:
                _set_size(self._master, *self._size)  # the kernel sends SIGWINCH

    def signal(self, signum: int) -> None:
        """Signals the app's whole process group (it leads its own session)."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)

    # --- ending ------------------------------------------------------------------------------

    async def wait(self) -> int:
        """Waits for the app to exit, then for its last output (its terminal tidy-up)."""
        code = await self.process.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._output_done.wait(), 2.0)
        return code

    async def hang_up(self, grace: float = 2.0) -> int:
        """SIGHUP (as when a terminal closes: the app keeps its drafts), then SIGTERM, then
        SIGKILL, ``grace`` seconds apart; always reaps the process."""
        for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
            if self.process.returncode is not None:
                break
            self.signal(signum)
            if signum == signal.SIGHUP:
                self.signal(signal.SIGCONT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self.process.wait()), grace)
        return await self.process.wait()

    def close(self) -> None:
        """Releases the PTY. Call once the process has exited."""
        if self._closed:
            return
        self._closed = True
        self._stop_reading()
        self._close_events()
        if self._writer_on:
            self._loop.remove_writer(self._master)
            self._writer_on = False
        for timer in (self._throttle_timer, self._resize_timer):
            if timer is not None:
                timer.cancel()
        with contextlib.suppress(OSError):
            os.close(self._master)
        self._output_done.set()
