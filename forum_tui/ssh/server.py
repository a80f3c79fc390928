"""``forum-tui serve``: the forum over SSH, one app process per session.

The server authenticates members against the member table (public key or password), then
starts ``python -m forum_tui.ssh.session`` on a fresh PTY for each session (``child.py``) and
copies bytes both ways. Everything a client can ask for beyond an interactive terminal (exec
of anything but ``export``, see ``command.py``; subsystems such as sftp/scp; port, agent and X11
forwarding) is refused.

Who is signed in is decided here and only here: the member id goes to the app process down
an inherited pipe. The app's environment is built from scratch: the server's own
``FORUM_TUI_*`` settings (``environment.py``) and, of what the client sends, only its terminal
type (from an allow-list) and a wish for more or no colour.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

from forum_tui.config import Settings, data_dir
from forum_tui.domain.access import SIGN_UP_USER
from forum_tui.domain.errors import AuthenticationFailed, ForumError, SignInThrottled
from forum_tui.domain.models import Member
from forum_tui.domain.text import sign_in_key
from forum_tui.services import Services, build_services
from forum_tui.ssh.algorithms import listen_algorithms
from forum_tui.ssh.channel import ForumSession
from forum_tui.ssh.door import Door, DoorLimits
from forum_tui.ssh.environment import check_operator_settings, operator_settings
from forum_tui.ssh.hostkey import default_host_key_path, fingerprint, load_or_create_host_key
from forum_tui.ssh.kiosk_account import KIOSK_OFF, KioskAccount, is_kiosk
from forum_tui.ssh.oplog import log_event
from forum_tui.ssh.throttle import FailureThrottle, ThrottleSettings
from forum_tui.ssh.warm import WarmForker
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.store.private_files import loose_files

SERVER_VERSION = "forum"  # sent as "SSH-2.0-forum": no software name or version to probe
ALLOWED_TERMS = frozenset(
    {
        "xterm",
        "xterm-256color",
        "screen",
        "screen-256color",
        "tmux",
        "tmux-256color",
        "vt100",
        "vt220",
        "linux",
        "rxvt-unicode",
        "rxvt-unicode-256color",
        "putty",
        "putty-256color",
    }
)
FALLBACK_TERM = "xterm"
CHILD_PATH = "/usr/local/bin:/usr/bin:/bin"

FULL = (
    "The forum is full right now ({count} people are connected). Nothing is lost: please try "
    "again in a few minutes.\r\n"
)
TOO_MANY_MINE = (
    "You already have {windows} open, the most allowed. Close one and try again "
    "(a window cut off a moment ago is closed within about a minute).\r\n"
)
TOO_MANY_ATTEMPTS = "Too many sign-in attempts. Please wait a moment, then connect again."


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 2222
    host_key: Path | None = None  # default: ssh_host_ed25519_key in the data dir
    max_sessions: int = 40
    max_sessions_per_member: int = 3
    idle_timeout: float = 1800.0  # seconds without a key press before a session ends
    mouse: bool = False
    login_timeout: float = 60.0
    keepalive_interval: float = 30.0
    keepalive_count_max: int = 3
    max_auth_attempts: int = 3  # passwords (and keyboard-interactive) per connection
    max_key_offers: int = 8  # public keys a client may offer per connection (an agent's keys)
    # Seconds between SIGHUP, SIGTERM and SIGKILL: the app saves drafts on SIGHUP (up to 5 s,
    # forum_tui/ui/live.py), so it is given that long before being told more firmly.
    hangup_grace: float = 5.0
    input_rate: float = 8192.0  # bytes a second a client may type, after…
    input_burst: float = 262144.0  # …this much at once (a long paste)
    # Each session's app may use this much private memory (it needs about 120 MB); past it,
    # that session ends and no other notices. See child.limit_memory.
    session_memory: int = 256 * 2**20
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    door: DoorLimits = field(default_factory=DoorLimits)  # strangers and sign-up sessions
    python: str = sys.executable
    # Shown to members in My data (`ssh -p PORT HANDLE@HOST export`): default, what they reached.
    public_host: str | None = None
    public_port: int | None = None
    allow_uncompressed: bool = False  # offer "none" too, for clients without zlib
    send_changes: bool = True  # send screen differences (screen.py), not the app's raw output
    warm: bool = False  # fork sessions from a process that has imported the app (warm.py)
    kiosk_account: KioskAccount | None = None  # `ssh kiosk@HOST` (kiosk_account.py); None: off

    @property
    def idle_warning(self) -> float:
        """How long before the idle timeout the member is warned."""
        return min(60.0, self.idle_timeout / 4)

    @property
    def max_connections(self) -> int:
        """Every connection at once: strangers (``door``) and members' own, each bounded."""
        return self.door.strangers + max(2 * self.max_sessions, 16)


class Hub:
    """What all connections share: the services, the options, the throttle, the sessions."""

    def __init__(
        self,
        settings: Settings,
        options: ServeOptions,
        services: Services,
        throttle: FailureThrottle,
    ) -> None:
        self.settings = settings
        self.options = options
        self.services = services
        self.throttle = throttle
        self.sessions: set[ForumSession] = set()
        self.warm: WarmForker | None = None
        self.connections = 0
        self.door = Door(options.door)
        self.closing = False
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()

    def next_id(self) -> int:
        return next(self._ids)

    def spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        """A background task the hub keeps a reference to and waits for on shutdown."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def admit(self, session: ForumSession) -> str | None:
        """Registers a starting session, or says (in words for the client) why not."""
        if self.closing:
            return "The forum is restarting. Please connect again in a minute.\r\n"
        same_kind = [other for other in self.sessions if other.sign_up == session.sign_up]
        mine = sum(1 for other in same_kind if other.owner == session.owner)
        if session.sign_up:  # their own small caps: never a member's place
            refusal = self.door.sign_up_refusal(len(same_kind), mine)
            if refusal is not None:
                return refusal
        elif len(same_kind) >= self.options.max_sessions:
            return FULL.format(count=len(same_kind))
        elif mine >= self.options.max_sessions_per_member and not session.kiosk:
            return TOO_MANY_MINE.format(windows=f"{mine} forum window{'s' * (mine != 1)}")
        self.sessions.add(session)
        session.connection.session_began()
        return None

    def release(self, session: ForumSession) -> None:
        if session in self.sessions:
            self.sessions.discard(session)
            session.connection.session_ended()

    def child_env(self, term: str | None, client_env: dict[Any, Any]) -> dict[str, str]:
        """The app's whole environment: nothing is inherited, little is taken from the client.

        ``TERM`` only from the allow-list; ``COLORTERM=truecolor`` (or ``24bit``) raises the
        colours from the 16 of the terminal's own palette to full colour; ``NO_COLOR`` takes
        them away. Anything else the client sends (``LANG``, ``FORUM_TUI_DATABASE_URL``, …)
        is ignored.
        """
        env = {
            "PATH": CHILD_PATH,
            "HOME": os.environ.get("HOME") or str(data_dir()),
            "LANG": "C.UTF-8",
            "TERM": term if term in ALLOWED_TERMS else FALLBACK_TERM,
            "FORUM_TUI_DATABASE_URL": self.settings.database_url,
            "FORUM_TUI_DATA_DIR": str(data_dir()),
            "TEXTUAL_ANIMATIONS": "none",
            # No in-band window-size reports: the PTY's size (clamped here) is the only one.
            "TEXTUAL_SMOOTH_SCROLL": "0",
            "TEXTUAL_COLOR_SYSTEM": "standard",
            "TEXTUAL_THEME": "ansi-dark",
        }
        env.update(operator_settings())  # the operator's limits and safety file, not the client's
        wanted = {_text(k): _text(v) for k, v in client_env.items()}
        if wanted.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
            env["TEXTUAL_COLOR_SYSTEM"] = "truecolor"
            env["COLORTERM"] = "truecolor"
            del env["TEXTUAL_THEME"]
        if "NO_COLOR" in wanted:
            env["NO_COLOR"] = "1"
        return env

    async def close(self) -> None:
        """Stops every session (hang-up, then reap) and waits for the background work."""
        self.closing = True
        for session in list(self.sessions):
            session.end("server_shutdown")
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _peer(conn: asyncssh.SSHServerConnection) -> tuple[str, int]:
    peer = conn.get_extra_info("peername") or ("?", 0)
    return str(peer[0]), int(peer[1])


class ForumConnection(asyncssh.SSHServer):
    """One TCP connection: its sign-in, then the sessions it opens."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.id = hub.next_id()
        self.conn: asyncssh.SSHServerConnection | None = None
        self.ip = "?"
        self.member: Member | None = None
        self.sign_up = False
        self.kiosk = False  # `ssh kiosk@HOST`: sign-in happens inside the app (kiosk_account.py)
        self.method = ""
        self.failures = 0
        self.key_offers = 0
        self.key_text: str | None = None  # the key that matched, until its signature is checked
        self.key_member: Member | None = None
        self.password_member: Member | None = None
        self.started = time.monotonic()
        self.counted = False
        self.stranger = False  # counted by the door until a member signs in
        self.open_sessions = 0
        self._session_timer: asyncio.TimerHandle | None = None
        self.disconnecting = False

    # --- connection ----------------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.ip, port = _peer(conn)
        if self.hub.connections >= self.hub.options.max_connections or self.hub.closing:
            log_event("connection_refused", conn=self.id, ip=self.ip, reason="too_many")
            conn.abort()
            return
        refusal = self.hub.door.arrive(self.ip)
        if refusal is not None:
            log_event("connection_refused", conn=self.id, ip=self.ip, reason=refusal)
            conn.abort()
            return
        self.stranger = True
        self.hub.connections += 1
        self.counted = True
        log_event("connect", conn=self.id, ip=self.ip, port=port)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.counted:
            self.hub.connections -= 1
            self.counted = False
        self._no_longer_a_stranger()
        if self._session_timer is not None:
            self._session_timer.cancel()
        log_event(
            "disconnect",
            conn=self.id,
            ip=self.ip,
            handle=self.member.handle if self.member else None,
            seconds=round(time.monotonic() - self.started, 1),
            reason=str(exc) if exc else "closed",
        )

    # --- sign-in -------------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        """``new`` needs no credentials: it opens the sign-up screen, nothing else."""
        if username == SIGN_UP_USER:
            self.sign_up = True
            self.method = "none"
            log_event("auth", conn=self.id, ip=self.ip, result="ok", method="none", sign_up=True)
            return False
        self.sign_up = False
        if is_kiosk(username):
            if self.hub.options.kiosk_account is None:  # off: an ordinary (failing) sign-in
                self._banner(KIOSK_OFF)
                return True
            self.kiosk = True
            self.method = "none"
            log_event("auth", conn=self.id, ip=self.ip, result="ok", method="none", kiosk=True)
            return False
        return True

    def password_auth_supported(self) -> bool:
        return self.failures < self.hub.options.max_auth_attempts

    def public_key_auth_supported(self) -> bool:
        return self.key_offers < self.hub.options.max_key_offers

    def _keys(self, username: str) -> tuple[str, str]:
        """The throttle's keys: this address, and the handle as sign-in will look it up."""
        return f"ip:{self.ip}", f"handle:{sign_in_key(username)}"

    def _throttled(self, username: str, wait: float) -> None:
        log_event(
            "auth", conn=self.id, ip=self.ip, handle=username, result="throttled",
            method="password", wait=round(wait, 1),
        )  # fmt: skip
        self._banner(
            "Too many failed sign-ins for this name or from this address. "
            f"Please wait {math.ceil(wait)} seconds, then try again.\r\n"
        )
        self._failed()

    async def validate_password(self, username: str, password: str) -> bool:
        """Two throttles, on purpose. The in-memory one (``hub.throttle``) answers first, with
        no database and no hashing, so a flood of guesses costs neither CPU nor writes. Then
        ``accounts.sign_in`` counts the attempt in the database-backed throttle every way in
        shares (``services/sign_in_throttle.py``): guesses made at a kiosk, a browser tab or
        another server process count here too, and the counts outlive a restart. Both use the
        same policy and key on the handle and this address (``ip:…``)."""
        hub = self.hub
        by_ip, by_handle = self._keys(username)
        attempt = hub.throttle.begin(by_ip, by_handle)
        if attempt.wait > 0:
            # Refused before any hashing: a guesser cannot make us spend CPU, and learns nothing.
            self._throttled(username, attempt.wait)
            return False
        try:
            member = await hub.services.accounts.sign_in(username, password, source=by_ip)
        except SignInThrottled as refused:  # by the shared count: not judged, so not counted
            hub.throttle.not_tried(attempt)
            self._throttled(username, refused.wait)
            return False
        except AuthenticationFailed:
            # Already counted by ``begin``.
            log_event(
                "auth", conn=self.id, ip=self.ip, handle=username, result="fail", method="password"
            )
            self._failed()
            return False
        except ForumError as error:
            hub.throttle.not_tried(attempt)
            log_event(
                "auth",
                logging.ERROR,
                conn=self.id,
                ip=self.ip,
                handle=username,
                result="error",
                method="password",
                error=str(error),
            )
            self._failed()
            return False
        except BaseException:  # cancelled (the client left): the password was never judged
            hub.throttle.not_tried(attempt)
            raise
        hub.throttle.succeeded(attempt, clear=by_handle)
        self.password_member = member
        self.method = "password"
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Called when a key is offered, and again with its signature; asyncssh checks the
        signature, so a match here alone signs nobody in."""
        self.key_offers += 1
        if self.key_offers > self.hub.options.max_key_offers:
            self._disconnect()
            return False
        text = key.export_public_key("openssh").decode("ascii", "replace").strip()
        try:
            member = await self.hub.services.access.member_for_key(username, text)
        except ForumError as error:
            log_event(
                "auth",
                logging.ERROR,
                conn=self.id,
                ip=self.ip,
                handle=username,
                result="error",
                method="publickey",
                error=str(error),
            )
            return False
        if member is None:
            log_event(
                "auth",
                conn=self.id,
                ip=self.ip,
                handle=username,
                result="fail",
                method="publickey",
                key=key.get_fingerprint("sha256"),
            )
            return False
        self.key_member, self.key_text = member, text
        self.method = "publickey"
        return True

    def auth_completed(self) -> None:
        self._expect_session()
        if self.sign_up or self.kiosk:
            return  # still a stranger: no account yet, or sign-in inside the app
        member = self.password_member if self.method == "password" else self.key_member
        assert member is not None
        self.member = member
        self._no_longer_a_stranger()
        log_event(
            "auth",
            conn=self.id,
            ip=self.ip,
            handle=member.handle,
            member=member.id,
            result="ok",
            method=self.method,
        )
        if self.method == "publickey" and self.key_text:
            self.hub.spawn(self._record_key_use(member.id, self.key_text))

    async def _record_key_use(self, member_id: int, text: str) -> None:
        with contextlib.suppress(ForumError):
            await self.hub.services.access.record_key_use(member_id, text)

    def _no_longer_a_stranger(self) -> None:
        if self.stranger:
            self.stranger = False
            self.hub.door.leave(self.ip)

    # --- sessions on this connection -----------------------------------------------------

    def session_began(self) -> None:
        self.open_sessions += 1
        if self._session_timer is not None:
            self._session_timer.cancel()
            self._session_timer = None

    def session_ended(self) -> None:
        self.open_sessions -= 1
        if self.open_sessions <= 0:
            self._expect_session()

    def _expect_session(self) -> None:
        """A signed-in connection with no session is ended after a while: nobody holds a
        connection (sign-up's least of all) without using it."""
        if self._session_timer is not None:
            self._session_timer.cancel()
        self._session_timer = asyncio.get_running_loop().call_later(
            self.hub.options.door.session_wait, self._no_session
        )

    def _no_session(self) -> None:
        self._session_timer = None
        if self.open_sessions > 0 or self.conn is None or self.disconnecting:
            return
        log_event("no_session", conn=self.id, ip=self.ip, sign_up=self.sign_up or None)
        self.disconnecting = True
        self.conn.disconnect(asyncssh.DISC_BY_APPLICATION, "No session was opened.")

    def _failed(self) -> None:
        self.failures += 1
        if self.failures >= self.hub.options.max_auth_attempts:
            log_event("auth_limit", conn=self.id, ip=self.ip, attempts=self.failures)
            self._disconnect()

    def _disconnect(self) -> None:
        conn = self.conn
        if conn is not None and not self.disconnecting:
            self.disconnecting = True
            # After the failure reply has gone out, so the client reads the reason.
            asyncio.get_running_loop().call_soon(
                conn.disconnect, asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, TOO_MANY_ATTEMPTS
            )

    def _banner(self, text: str) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError):
                self.conn.send_auth_banner(text)

    # --- what a signed-in client may open ----------------------------------------------------

    def session_requested(self) -> ForumSession | bool:
        if self.member is None and not (self.sign_up or self.kiosk):
            return False
        return ForumSession(self)

    def _refuse(self, what: str) -> bool:
        log_event("refused", conn=self.id, ip=self.ip, what=what)
        return False

    def connection_requested(self, *_args: Any) -> bool:
        return self._refuse("port_forwarding")

    def server_requested(self, *_args: Any) -> bool:
        return self._refuse("remote_port_forwarding")

    def unix_connection_requested(self, *_args: Any) -> bool:
        return self._refuse("unix_forwarding")

    def unix_server_requested(self, *_args: Any) -> bool:
        return self._refuse("unix_forwarding")

    def tun_requested(self, *_args: Any) -> bool:
        return self._refuse("tunnel")

    def tap_requested(self, *_args: Any) -> bool:
        return self._refuse("tunnel")


@dataclass
class RunningServer:
    acceptor: asyncssh.SSHAcceptor
    hub: Hub
    host_key_fingerprint: str
    host_key_created: bool
    owns_services: bool

    @property
    def port(self) -> int:
        return self.acceptor.get_port()

    async def close(self) -> None:
        """Stops listening, ends every session (drafts are saved as typed), closes the DB."""
        self.acceptor.close()
        await self.hub.close()
        if self.hub.warm is not None:
            await self.hub.warm.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.acceptor.wait_closed(), 5)
        if self.owns_services:
            await self.hub.services.close()


async def start_server(
    settings: Settings,
    options: ServeOptions,
    *,
    services: Services | None = None,
    throttle: FailureThrottle | None = None,
) -> RunningServer:
    """Checks the database and the host key, then listens. Raises ForumError (one clear
    line) for anything an operator must fix first."""
    key_path = options.host_key or default_host_key_path()
    owns = services is None
    check_operator_settings()
    if services is None:
        services = build_services(Database(settings.database_url))
    try:
        await migrations.ensure_schema(services.db, create=False)
        host_key, created = load_or_create_host_key(key_path)
        for loose in loose_files(data_dir(), filter(None, [services.db.sqlite_path])):
            log_event(
                "loose_file", logging.WARNING, path=str(loose.path), mode=f"{loose.mode:04o}",
                readable_by="others", fix=loose.fix,
            )  # fmt: skip
    except BaseException:
        if owns:
            await services.close()
        raise
    hub = Hub(settings, options, services, throttle or FailureThrottle(options.throttle))
    if options.warm:
        hub.warm = WarmForker()
        try:
            await hub.warm.start(options.python, hub.child_env(None, {}))
        except OSError as error:
            if owns:
                await services.close()
            raise ForumError(f"Cannot start the warm process: {error}") from None
    try:
        acceptor = await asyncssh.listen(
            options.host,
            options.port,
            server_factory=lambda: ForumConnection(hub),
            server_host_keys=[host_key],
            server_version=SERVER_VERSION,
            encoding=None,
            line_editor=False,
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            login_timeout=options.login_timeout,
            keepalive_interval=options.keepalive_interval,
            keepalive_count_max=options.keepalive_count_max,
            window=256 * 1024,
            gss_kex=False,
            gss_auth=False,
            host_based_auth=False,
            reuse_address=True,
            **listen_algorithms(allow_uncompressed=options.allow_uncompressed),
        )
    except OSError as error:
        if hub.warm is not None:
            await hub.warm.close()
        if owns:
            await services.close()
        raise ForumError(
            f"Cannot listen on {options.host}:{options.port}: {error.strerror or error}"
        ) from None
    running = RunningServer(acceptor, hub, fingerprint(host_key), created, owns)
    log_event(
        "listening",
        host=options.host,
        port=running.port,
        host_key=str(key_path),
        fingerprint=running.host_key_fingerprint,
        created=created,
        max_sessions=options.max_sessions,
        idle_timeout=options.idle_timeout,
    )
    return running


def serve(settings: Settings, options: ServeOptions, *, ready: Any = None) -> None:
    """Runs the server until SIGTERM or SIGINT, then ends every session cleanly."""

    async def main() -> None:
        running = await start_server(settings, options)
        if ready is not None:
            ready(running)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            log_event("stopping", sessions=len(running.hub.sessions))
            await running.close()

    asyncio.run(main())
