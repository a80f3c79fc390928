"""One SSH session channel: the client's terminal wired to its own app process.

It relays the client's keys to the child app (``ssh/child.py``) and the app's screen changes
back as frames (``ssh/frames.py``), applies window sizes, and ends the session on idle, on too
much memory, or when the app stops. Connections and sign-in are ``ssh/server.py``'s.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import textwrap
import time
from typing import TYPE_CHECKING, Any

import asyncssh

from forum_tui.config import data_dir
from forum_tui.ssh.child import (
    MIN_COLS,
    MIN_ROWS,
    TERMINAL_RESET,
    ChildProcess,
    clamp_size,
    limit_memory,
    memory_in_use,
)
from forum_tui.ssh.command import public_address, run_command
from forum_tui.ssh.door import lower_priority
from forum_tui.ssh.frames import FrameSender, frames_for
from forum_tui.ssh.kiosk_account import kiosk_identity
from forum_tui.ssh.oplog import log_event
from forum_tui.ssh.throttle import TokenBucket

if TYPE_CHECKING:
    from forum_tui.ssh.server import ForumConnection

SIGN_IN_RESULTS = ("ok", "fail", "throttled", "error")  # from the app: anything else is dropped

NEEDS_TERMINAL = (
    "forum-tui needs a terminal. Connect with:  ssh -t {user}@HOST  "
    "(you cannot run commands, copy files or forward ports here).\r\n"
)
MEMORY_CHECK = 0.5  # seconds between looks at each session's memory
MEMORY_END_AT = 0.9  # of ServeOptions.session_memory
TOO_MUCH_MEMORY = (
    "\r\nThis window was closed: it was given more at once than it could hold (a stuck key or "
    "a very long paste?). Please connect again; your drafts are kept.\r\n"
)
CRASHED = "\r\nforum-tui stopped unexpectedly. Please connect again; your drafts are kept.\r\n"


class ForumSession(asyncssh.SSHServerSession[bytes]):
    """One interactive session: the client's terminal wired to an app process."""

    def __init__(self, connection: ForumConnection) -> None:
        self.connection = connection
        self.hub = connection.hub
        self.id = self.hub.next_id()
        self.member = connection.member
        self.kiosk = connection.kiosk and self.member is None
        # Whose session this counts against: the member, or for sign-up (a kiosk) the address.
        self.owner: tuple[str, Any] = (
            ("member", self.member.id)
            if self.member
            else ("kiosk" if self.kiosk else "sign_up", connection.ip)
        )
        self.sign_up = self.member is None and not self.kiosk
        options = self.hub.options
        # Sign-up sessions belong to strangers: a short idle limit, not a member's half hour.
        self.idle_timeout = (
            min(options.idle_timeout, options.door.sign_up_idle_timeout)
            if self.sign_up
            else options.idle_timeout
        )
        self.idle_warning = min(60.0, self.idle_timeout / 4)
        self.memory_cap = options.session_memory
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.child: ChildProcess | None = None
        self.frames: FrameSender | None = None  # screen changes, not the app's raw output
        self.term: str | None = None
        self.client_size = (0, 0)
        self.early_input = bytearray()
        self.last_input = time.monotonic()
        self.warned = False
        self.too_small = False
        self.shown = False
        self.open = True
        self.ending: str | None = None
        self.started = time.monotonic()
        self.task: asyncio.Task[Any] | None = None
        self.command: str | None = None  # an exec request (`ssh HANDLE@HOST export`)

    # --- asyncssh callbacks --------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any
    ) -> bool:
        self.term = term_type
        self.client_size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to be answered: `export` runs, anything else gets a clear refusal
        # (forum_tui/ssh/command.py). The command is not logged: people put secrets in them.
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self.connection._refuse(f"subsystem:{subsystem[:40]}")
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass

    def session_started(self) -> None:
        if self.command is not None:
            self.task = self.hub.spawn(run_command(self))
            return
        self.task = self.hub.spawn(self._run())

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        self.warned = False
        if self.child is not None:
            self.child.feed(data)
        elif len(self.early_input) < 65536:
            self.early_input += data

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.client_size = (width, height)
        if self.child is not None:
            self._apply_size()

    def eof_received(self) -> bool:
        if self.command is not None:
            return True  # `ssh -n HANDLE@HOST export`: still send the export
        if self.term is None:
            # `ssh -T … < /dev/null`: nothing more to read, but the client must still be told
            # why there is no forum (``_run`` writes it and closes the channel).
            return True
        self.end("client_eof")
        return False

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_output("client")

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_output("client")

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        self.end("client_closed")

    # --- running the app -----------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        if self.open and self.chan is not None:
            with contextlib.suppress(OSError, asyncssh.Error):
                self.chan.write(data)

    def _from_app(self, data: bytes) -> None:
        if not self.shown:
            # The idle clock starts when the app is on screen, not while it is starting.
            self.shown = True
            self.last_input = max(self.last_input, time.monotonic())
        if self.frames is not None:
            self.frames.app_output(data)
        else:
            self._write(data)

    def _close_channel(self, status: int) -> None:
        if self.open and self.chan is not None:
            self.open = False
            with contextlib.suppress(OSError, asyncssh.Error):
                self.chan.exit(status)

    def _from_app_report(self, report: dict[str, Any]) -> None:
        """A sign-in on the app's own screen (the kiosk's), logged like one at the SSH door."""
        result = report.get("result")
        if report.get("event") != "auth" or result not in SIGN_IN_RESULTS:
            return
        log_event(
            "auth",
            conn=self.connection.id,
            session=self.id,
            ip=self.connection.ip,
            handle=str(report.get("handle", ""))[:64],
            result=result,
            method="screen",
            kiosk=self.kiosk or None,
        )

    def _log(self, event: str, **fields: Any) -> None:
        log_event(
            event,
            conn=self.connection.id,
            session=self.id,
            ip=self.connection.ip,
            handle=self.member.handle if self.member else None,
            member=self.member.id if self.member else None,
            sign_up=self.connection.sign_up or None,
            kiosk=self.kiosk or None,
            **fields,
        )

    async def _run(self) -> None:
        assert self.chan is not None
        if self.term is None:
            self._write(NEEDS_TERMINAL.format(user=self.chan.get_extra_info("username")).encode())
            self._log("session_refused", reason="no_terminal")
            self._close_channel(1)
            return
        if self.ending is not None:  # the client left before the session began
            return
        refusal = self.hub.admit(self)
        if refusal is not None:
            self._write(refusal.encode("utf-8"))
            self._log("session_refused", reason="cap")
            self._close_channel(1)
            return
        try:
            await self._run_child()
        finally:
            self.hub.release(self)

    async def _run_child(self) -> None:
        assert self.chan is not None
        options = self.hub.options
        identity = {
            "member_id": self.member.id if self.member else None,
            "sign_up": self.sign_up,
            "mouse": options.mouse,
            "idle_warning": int(self.idle_warning),
            "public_address": list(public_address(self)),
        }
        if self.kiosk and options.kiosk_account is not None:
            identity.update(kiosk_identity(options.kiosk_account, self.connection.ip))
        env = self.hub.child_env(self.term, self.chan.get_environment())
        if options.send_changes:
            self.frames = frames_for(self.chan, self._write, clamp_size(*self.client_size))
        try:
            self.child = await ChildProcess.start(
                env=env,
                identity=identity,
                size=clamp_size(*self.client_size),
                cwd=str(data_dir()) if data_dir().is_dir() else "/",
                python=options.python,
                spawn=self.hub.warm.spawn if self.hub.warm and self.hub.warm.running else None,
                on_output=self._from_app,
                pause_input=self.chan.pause_reading,
                resume_input=self.chan.resume_reading,
                input_bucket=TokenBucket(options.input_rate, options.input_burst),
                on_event=self._from_app_report,
            )
        except OSError as error:
            self._log("session_error", error=str(error))
            self._write(CRASHED.encode())
            self._close_channel(1)
            return
        child = self.child
        try:
            limit_memory(child.pid, self.memory_cap)
        except OSError as error:  # the process is already gone: wait() below reports it
            self._log("session_error", error=str(error))
        if self.sign_up:
            lower_priority(child.pid, options.door.sign_up_niceness)
        cols, rows = clamp_size(*self.client_size)
        self._log(
            "session_start", pid=child.pid, term=env["TERM"], size=f"{cols}x{rows}",
            colours=env["TEXTUAL_COLOR_SYSTEM"],
        )  # fmt: skip
        if self.early_input:
            child.feed(bytes(self.early_input))
            self.early_input.clear()
        self._apply_size()
        if not self.open or self.ending:  # the client left while the app was starting
            self.end(self.ending or "client_closed")
        watchers = [self.hub.spawn(self._watch_idle()), self.hub.spawn(self._watch_memory())]
        try:
            code = await child.wait()
        finally:
            for watcher in watchers:
                watcher.cancel()
        if self.frames is not None:
            self.frames.finish()
        if self.ending is None:
            self.ending = "app_exit" if code == 0 else "app_failed"
        if self.ending in ("idle", "server_shutdown", "app_failed", "memory"):
            self._write(TERMINAL_RESET)
        if self.ending == "idle":
            self._write(
                f"\r\nYou were signed out after {_in_words(self.idle_timeout)} without a "
                "key press. Anything you were writing is kept as a draft.\r\n".encode()
            )
        elif self.ending == "server_shutdown":
            self._write(b"\r\nThe forum is restarting. Please connect again in a minute.\r\n")
        elif self.ending == "app_failed":
            self._write(CRASHED.encode())
        elif self.ending == "memory":
            self._write(TOO_MUCH_MEMORY.encode())
        child.close()
        self._log(
            "session_end",
            pid=child.pid,
            reason=self.ending,
            exit=code,
            seconds=round(time.monotonic() - self.started, 1),
            bytes_in=child.bytes_in,
            bytes_out=child.bytes_out,
        )
        self._close_channel(0 if code == 0 else 1)

    def end(self, reason: str) -> None:
        """Ends the session: hang up the app (SIGHUP, then SIGTERM, then SIGKILL) and reap it."""
        if self.ending is None:
            self.ending = reason
        if not self.open and self.child is not None:
            self.child.discard_output()
        if self.child is not None and self.child.process.returncode is None:
            self.hub.spawn(self.child.hang_up(self.hub.options.hangup_grace))

    def _apply_size(self) -> None:
        """Resizes the PTY (clamped), or shows a notice in a window too small for the app."""
        assert self.child is not None
        cols, rows = self.client_size
        small = (0 < cols < MIN_COLS) or (0 < rows < MIN_ROWS)
        if self.frames is not None:
            self.frames.resize(*clamp_size(cols, rows))
        self.child.resize(cols, rows)
        if small:
            if not self.too_small:
                self.too_small = True
                self.child.pause_output("too_small")
            if self.frames is not None:
                self.frames.pause()
            self._write(_too_small_notice(cols, rows))
        elif self.too_small:
            self.too_small = False
            self._write(b"\x18\x1b[0m\x1b[H\x1b[2J")
            if self.frames is not None:
                self.frames.resume()
            self.child.resume_output("too_small")
            self.child.signal(signal.SIGUSR2)  # repaint everything over the notice

    async def _watch_idle(self) -> None:
        timeout, warning = self.idle_timeout, self.idle_warning
        while self.ending is None:
            quiet = time.monotonic() - self.last_input
            if quiet >= timeout:
                self._log("idle_timeout", seconds=round(quiet, 1))
                self.end("idle")
                return
            warn_at = timeout - warning
            if not self.warned and quiet >= warn_at:
                self.warned = True
                assert self.child is not None
                self.child.signal(signal.SIGUSR1)
            next_check = (timeout if self.warned else warn_at) - quiet
            await asyncio.sleep(max(0.05, next_check))

    async def _watch_memory(self) -> None:
        """Ends the session when its app nears its memory cap (a flood of keys, say), while
        it can still save drafts; the cap itself (``limit_memory``) stops it going further."""
        assert self.child is not None
        pid = self.child.pid
        while self.ending is None:
            used, cap = memory_in_use(pid), self.memory_cap
            if used >= MEMORY_END_AT * cap:
                self._log("memory_limit", used_mb=used // 2**20, cap_mb=cap // 2**20)
                self.end("memory")
                return
            await asyncio.sleep(MEMORY_CHECK)


def _in_words(seconds: float) -> str:
    if seconds < 90:
        count, unit = round(seconds), "second"
    else:
        count, unit = round(seconds / 60), "minute"
    return f"{count} {unit}{'s' * (count != 1)}"


def _too_small_notice(cols: int, rows: int) -> bytes:
    text = f"Window too small: forum-tui needs at least {MIN_COLS}x{MIN_ROWS}."
    lines = textwrap.wrap(text, max(1, cols), break_long_words=True)[: max(1, rows)]
    return ("\x18\x1b[0m\x1b[H\x1b[2J" + "\r\n".join(lines)).encode("utf-8")
