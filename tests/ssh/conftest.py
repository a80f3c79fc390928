"""A real ``forum-tui serve`` on port 0 over a small seeded forum, and a terminal to drive it.

Each test gets its own database copy, data directory and host key, and its server listens
on a port the system picks, so tests run side by side under xdist. The client is asyncssh's;
what it receives is fed to a pyte screen, so assertions read what a carer would see. Every
wait is for a condition, bounded in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh
import pyte
import pytest

from forum_tui.config import Settings
from forum_tui.domain.enums import Role
from forum_tui.services import Clock, Services, build_services
from forum_tui.ssh.server import RunningServer, ServeOptions, start_server
from forum_tui.ssh.throttle import FailureThrottle
from forum_tui.store import migrations
from forum_tui.store.database import Database
from forum_tui.ui.widgets.marked_list import GUTTER, MARKER

PASSWORD = "correct horse battery"
WAIT = 20.0  # seconds: the longest any single condition is waited for


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ssh: end-to-end over SSH (own port, database and data dir: safe under xdist)",
    )


@dataclass
class Seeded:
    url: str
    ann: int
    bob: int
    admin: int
    corner: int
    thread: int
    ann_key: Path  # OpenSSH private key file of carer_ann (mode 0600)


async def seed(url: str, key_dir: Path) -> Seeded:
    """Carer Ann (password and key), Bob who leads Carers' Corner, an admin, one thread."""
    db = Database(url)
    try:
        await migrations.upgrade(db)
        s = build_services(db)
        ann = await s.accounts.add_member("carer_ann", password=PASSWORD)
        bob = await s.accounts.add_member("bob_leads", password=PASSWORD)
        admin = await s.accounts.add_member(
            "forum_admin", password=PASSWORD, allow_reserved=True, role=Role.ADMIN
        )
        corner = await s.groups.add_group(
            "carers-corner", "Carers' Corner", description="Leaders read this 9am-6pm."
        )
        await s.groups.set_leader("carers-corner", "bob_leads")
        await s.groups.join_group(ann.id, corner.id)
        thread = await s.threads.start_thread(
            bob.id, corner.id, "Respite - does it exist?", "Has anyone found respite that works?"
        )
        key = asyncssh.generate_private_key("ssh-ed25519", comment="ann@laptop")
        key_path = key_dir / "ann_ed25519"
        key.write_private_key(str(key_path))
        key_path.chmod(0o600)
        await s.access.add_key("carer_ann", key.export_public_key("openssh").decode())
    finally:
        await db.dispose()
    return Seeded(url, ann.id, bob.id, admin.id, corner.id, thread.id, key_path)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    folder = tmp_path_factory.mktemp("ssh-template")
    path = folder / "forum.db"
    return asyncio.run(seed(f"sqlite+aiosqlite:///{path}", folder))


@pytest.fixture
def seeded(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Seeded:
    """The seeded forum on this test's backend (SQLite unless parametrised otherwise)."""
    if backend == "sqlite":
        template: Seeded = request.getfixturevalue("seeded_template")
        path = tmp_path / "forum.db"
        shutil.copy(template.url.removeprefix("sqlite+aiosqlite:///"), path)
        key = tmp_path / "ann_ed25519"
        shutil.copy(template.ann_key, key)
        key.chmod(0o600)
        copy = Seeded(**{**template.__dict__, "url": f"sqlite+aiosqlite:///{path}"})
        copy.ann_key = key
        return copy
    url = request.getfixturevalue("db_url")  # a migrated, empty PostgreSQL database
    return asyncio.run(_seed_pg(url, tmp_path))


async def _seed_pg(url: str, key_dir: Path) -> Seeded:
    return await seed(url, key_dir)


@pytest.fixture
def backend() -> str:
    """Overrides the suite's two-backend parameter: SSH tests use SQLite unless they ask."""
    return "sqlite"


class Screen(asyncssh.SSHClientSession[bytes]):
    """What the client's terminal shows, kept in a pyte screen."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()
        self.exit_status: int | None = None
        self.chan: asyncssh.SSHClientChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.raw += data
        self.stream.feed(data)
        self.changed.set()

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, condition: str | Callable[[str], bool], within: float = WAIT) -> str:
        """Waits until the screen shows ``condition`` (text, or a test on the screen text)."""
        test = (lambda shown: condition in shown) if isinstance(condition, str) else condition
        deadline = time.monotonic() + within
        while not test(self.text):
            left = deadline - time.monotonic()
            if left <= 0 or (self.closed.is_set() and not test(self.text)):
                state = "closed" if self.closed.is_set() else "open"
                raise AssertionError(
                    f"{condition!r} never appeared (session {state}). Screen:\n{self.text}"
                )
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
        return self.text

    def highlighted(self, text: str) -> bool:
        """True when ``text`` is on screen highlighted (a list's current option): the list's
        marker just before it and the text in bold (ui/widgets/marked_list.py)."""
        for y, line in enumerate(self.screen.display):
            x = line.find(text)
            if x < GUTTER or line[x - GUTTER : x] != MARKER:
                continue
            if all(self.screen.buffer[y][x + i].bold for i in range(len(text))):
                return True
        return False

    async def wait_highlighted(self, text: str, within: float = WAIT) -> None:
        await self.wait_for(lambda _shown: self.highlighted(text), within)

    def cursor_on(self, label: str) -> bool:
        """True when the text cursor (a reverse-video or highlighted cell) is on the row
        showing ``label``."""
        for y, line in enumerate(self.screen.display):
            if label in line:
                start = line.index(label) + len(label)
                row = self.screen.buffer[y]
                return any(
                    row[x].reverse or row[x].bg != "default"
                    for x in range(start, self.screen.columns)
                )
        return False

    async def wait_cursor_on(self, label: str, within: float = WAIT) -> None:
        """Waits for focus to reach the box labelled ``label``: keys typed before then may go
        to the box that had it (Textual moves focus after the key that asked for it)."""
        await self.wait_for(lambda _shown: self.cursor_on(label), within)

    async def wait_closed(self, within: float = WAIT) -> None:
        await asyncio.wait_for(self.closed.wait(), within)

    def type(self, keys: str | bytes) -> None:
        assert self.chan is not None
        self.chan.write(keys.encode() if isinstance(keys, str) else keys)

    def resize(self, cols: int, rows: int) -> None:
        assert self.chan is not None
        self.screen.resize(lines=min(rows, 300), columns=min(cols, 600))
        self.chan.change_terminal_size(cols, rows)


async def wait_until(condition: Callable[[], object], within: float = WAIT) -> None:
    """Waits (bounded) for something outside the screen: a process, a size, a count."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        await asyncio.sleep(0.02)


def footer(screen: Screen) -> str:
    return screen.screen.display[-1]


async def open_thread(screen: Screen, title: str = "Respite - does it exist?") -> None:
    """From the home screen: into Carers' Corner, into the thread, and into the reply box."""
    await screen.wait_highlighted("Carers' Corner")
    screen.type("\r")
    await screen.wait_highlighted(title)
    screen.type("\r")
    await screen.wait_for("Has anyone found respite")
    await screen.wait_for(lambda _: "r Reply" in footer(screen))
    screen.type("r")
    # Focus moves after the key is handled: wait for it, or the next keys go elsewhere.
    await screen.wait_for(lambda _: "r Reply" not in footer(screen))


@dataclass
class SshForum:
    """A running server over a seeded forum, and ways to connect to it."""

    seeded: Seeded
    running: RunningServer
    services: Services
    connections: list[asyncssh.SSHClientConnection] = field(default_factory=list)
    also_close: list[Services] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.running.port

    async def connect(self, username: str, **kwargs: Any) -> asyncssh.SSHClientConnection:
        options: dict[str, Any] = {
            "known_hosts": None,
            "client_keys": None,
            "agent_path": None,
            "preferred_auth": "publickey,password",
            "connect_timeout": WAIT,
        }
        options.update(kwargs)
        conn = await asyncssh.connect("127.0.0.1", self.port, username=username, **options)
        self.connections.append(conn)
        return conn

    async def open(
        self,
        username: str = "carer_ann",
        *,
        size: tuple[int, int] = (80, 24),
        term: str = "xterm-256color",
        env: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> tuple[asyncssh.SSHClientConnection, Screen]:
        """Connects and opens an interactive session; ``password`` defaults to PASSWORD."""
        if "client_keys" not in kwargs and username not in ("new", "kiosk"):
            kwargs.setdefault("password", PASSWORD)
        conn = await self.connect(username, **kwargs)
        _chan, screen = await conn.create_session(
            lambda: Screen(*size),
            term_type=term,
            term_size=size,
            env=env or {},
            encoding=None,
        )
        return conn, screen

    async def close(self) -> None:
        for conn in self.connections:
            conn.abort()
        await self.running.close()
        await self.services.close()
        for services in self.also_close:
            await services.close()


def options(**overrides: Any) -> ServeOptions:
    """Test options: port 0, quick hang-up; the rest as in production unless overridden."""
    base: dict[str, Any] = {"port": 0, "hangup_grace": 1.0}
    base.update(overrides)
    return ServeOptions(**base)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(folder))
    monkeypatch.delenv("FORUM_TUI_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def serve(seeded: Seeded, data_dir: Path) -> Callable[..., Any]:
    """``await serve(**options)`` starts a server on the seeded forum; stopped after the test."""
    started: list[SshForum] = []

    async def start(
        throttle: FailureThrottle | None = None, clock: Clock | None = None, **overrides: Any
    ) -> SshForum:
        """``clock``: the server's services' time (the shared sign-in throttle's), if not now."""
        overrides.setdefault("host_key", data_dir / "host_key")
        server_services = build_services(Database(seeded.url), clock) if clock else None
        running = await start_server(
            Settings(seeded.url), options(**overrides), throttle=throttle, services=server_services
        )
        forum = SshForum(seeded, running, build_services(Database(seeded.url)))
        if server_services is not None:
            forum.also_close.append(server_services)
        started.append(forum)
        return forum

    start.started = started  # type: ignore[attr-defined]
    return start


@pytest.fixture
async def forum(serve: Callable[..., Any]) -> AsyncIterator[SshForum]:
    """A server with the default options."""
    running: SshForum = await serve()
    try:
        yield running
    finally:
        for each in serve.started:  # type: ignore[attr-defined]
            await each.close()


@pytest.fixture
async def servers(serve: Callable[..., Any]) -> AsyncIterator[Callable[..., Any]]:
    """For tests that start servers with their own options; all are stopped afterwards."""
    try:
        yield serve
    finally:
        for each in serve.started:  # type: ignore[attr-defined]
            await each.close()
