"""The app process of one SSH session: ``python -m forum_tui.ssh.session --identity-fd N``.

Only the SSH server starts this (see ``forum_tui.ssh.child``), on a fresh pseudo-terminal, in a
session of its own, with a clean environment. Who is signed in comes from the server down the
inherited pipe ``N`` — never from the command line or the environment, which a client could
try to influence — as one JSON object::

    {"member_id": 7, "sign_up": false, "mouse": false, "idle_warning": 60,
     "public_address": ["forum.example.org", 2222]}

A shared computer's session (``ssh kiosk@HOST``, ``kiosk_account.py``) has no member and adds
``"kiosk_idle": 300`` (seconds before the kiosk's idle sign-out) and ``"sign_in_source":
"ip:ADDRESS"`` (what the shared sign-in throttle counts its sign-ins against).

``public_address`` is where members reach the server, shown in My data as the command that
downloads their export (``ssh -p 2222 HANDLE@forum.example.org export > my-data.json``).

Signals from the server: SIGHUP when the connection is gone (the default: the process ends;
drafts are already saved as typed), SIGUSR1 shortly before the idle timeout (the app rings
the bell and says so), SIGUSR2 to repaint the whole screen (after the server showed its own
"window too small" notice over it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import signal
import termios
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forum_tui.ui.app import ForumApp

IDENTITY_MAX = 4096


@dataclass(frozen=True)
class Identity:
    member_id: int | None
    sign_up: bool
    mouse: bool
    idle_warning: int
    public_address: tuple[str, int] | None = None
    kiosk_idle: float | None = None  # a shared computer's app: its idle sign-out, in seconds
    sign_in_source: str | None = None

    @classmethod
    def from_json(cls, raw: bytes) -> Identity:
        data: dict[str, Any] = json.loads(raw.decode("utf-8"))
        member_id = data.get("member_id")
        sign_up = data.get("sign_up") is True
        kiosk_idle = data.get("kiosk_idle")
        kiosk = not sign_up and isinstance(kiosk_idle, int | float) and 60 <= kiosk_idle <= 86400
        member = isinstance(member_id, int) and member_id > 0
        if not (sign_up or kiosk or member):
            raise ValueError("no member, no sign-up and no kiosk")
        source = data.get("sign_in_source")
        source = source[:200] if isinstance(source, str) and source.isprintable() else None
        return cls(
            member_id=None if (sign_up or kiosk) else member_id,
            sign_up=sign_up,
            mouse=data.get("mouse") is True,
            idle_warning=int(data.get("idle_warning") or 0),
            public_address=_address(data.get("public_address")),
            kiosk_idle=float(kiosk_idle) if kiosk else None,
            sign_in_source=source,
        )


def _address(value: Any) -> tuple[str, int] | None:
    """A (host, port) pair as the server sent it; anything else is no address."""
    if not (isinstance(value, list) and len(value) == 2):
        return None
    host, port = value
    if not (isinstance(host, str) and isinstance(port, int) and 0 < port < 65536):
        return None
    host = "".join(char for char in host if char.isprintable() and not char.isspace())[:255]
    return (host, port) if host else None


def read_identity(fd: int) -> Identity:
    chunks = []
    size = 0
    with os.fdopen(fd, "rb", closefd=True) as pipe:
        while size <= IDENTITY_MAX:
            chunk = pipe.read(IDENTITY_MAX + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > IDENTITY_MAX:
        raise ValueError("identity too long")
    return Identity.from_json(b"".join(chunks))


def take_terminal() -> None:
    """Makes the PTY on stdin this session's controlling terminal, so the kernel delivers
    SIGWINCH on a resize and SIGHUP when the server closes it."""
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def session_driver() -> type:
    """Textual's Linux driver, minus size reports typed into the input.

    Textual accepts an in-band resize report (``ESC [ 48 ; rows ; cols ; … t``) from the
    input stream at any time. Over SSH the input is whatever the client sends, so a client
    could claim a 10000x10000 window that way and skip the server's clamp; the PTY's own size
    (set by the server, announced by SIGWINCH) is the only size this process believes.
    """
    from textual import events
    from textual.drivers.linux_driver import LinuxDriver
    from textual.message import Message

    class SessionDriver(LinuxDriver):
        def process_message(self, message: Message) -> None:
            if isinstance(message, events.Resize):
                return
            super().process_message(message)

    return SessionDriver


def steady_cursors() -> None:
    """Text boxes in this process show a steady cursor instead of a blinking one.

    A blinking cursor repaints its line twice a second for as long as a box has focus: over
    SSH, a couple of hundred bytes a second of traffic while a carer is only thinking. Textual
    has no switch for it, so the default of the two widgets' ``cursor_blink`` is changed here,
    in the SSH session's process only.
    """
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        vars(widget)["cursor_blink"]._default = False


def warn_idle(app: ForumApp, seconds: int) -> None:
    app.bell()
    left = f"{seconds} seconds" if seconds < 120 else f"{seconds // 60} minutes"
    app.notify(
        f"No key pressed for a while: you will be signed out in {left}. Press any key to "
        "stay. Anything you are writing is kept as a draft.",
        title="Still there?",
        severity="warning",
        timeout=max(5, seconds),
        markup=False,
    )


def sign_in_reporter(fd: int) -> Callable[[str, str], None]:
    """Tells the server of each sign-in on the app's own screen (the kiosk's), one JSON line
    down a pipe only the server reads, so it goes in the operations log beside the SSH door's
    (``ChildProcess._read_events``). Never the password."""

    def report(handle: str, result: str) -> None:
        line = json.dumps({"event": "auth", "handle": handle[:64], "result": result}) + "\n"
        with contextlib.suppress(OSError):  # the server has gone: nothing to tell
            os.write(fd, line.encode("utf-8"))

    return report


async def run(app: ForumApp, identity: Identity) -> None:
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, warn_idle, app, identity.idle_warning)
    loop.add_signal_handler(signal.SIGUSR2, lambda: app.screen.refresh())
    await app.run_async(mouse=identity.mouse)


def main(argv: list[str] | None = None) -> int:
    # Until the app's loop handles them, the server's signals must not end the process (their
    # default action): an idle warning may come while the app is still starting.
    for signum in (signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, signal.SIG_IGN)
    parser = argparse.ArgumentParser(
        prog="python -m forum_tui.ssh.session",
        description="One SSH session's app. Started by `forum-tui serve`, not by hand.",
    )
    parser.add_argument("--identity-fd", type=int, required=True)
    parser.add_argument("--events-fd", type=int, help="where the app reports sign-ins")
    args = parser.parse_args(argv)
    identity = read_identity(args.identity_fd)
    take_terminal()

    from forum_tui.config import Settings
    from forum_tui.ui.app import make_app
    from forum_tui.ui.kiosk import KioskSettings

    app = make_app(
        Settings.load(),
        member_id=identity.member_id,
        sign_up=identity.sign_up,
        ssh_address=identity.public_address,
        kiosk=(
            KioskSettings(idle_after=timedelta(seconds=identity.kiosk_idle))
            if identity.kiosk_idle
            else None
        ),
        sign_in_source=identity.sign_in_source,
    )
    if args.events_fd is not None:
        app.report_sign_in = sign_in_reporter(args.events_fd)
    app.driver_class = session_driver()
    steady_cursors()
    asyncio.run(run(app, identity))
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
