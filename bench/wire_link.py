"""The wire benchmark's link and clients: a counting (and 2G-throttling) TCP proxy, and two
SSH clients (asyncssh's, and OpenSSH's ``ssh`` on a pseudo-terminal) whose bytes are fed to a
pyte screen. Used by bench/wire.py."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import struct
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh
import pyte
from wcwidth import wcwidth

COLS, ROWS = 80, 24
WAIT = 60.0
RATE = 9600 / 8  # bytes a second each way on the slow link
ONE_WAY = 0.15  # seconds added each way (300 ms round trip)


# --- screens ------------------------------------------------------------------------------


def shown(screen: pyte.Screen) -> tuple[Any, ...]:
    """Cells as a terminal shows them (see tests/ssh/test_screen.py), and a visible cursor."""
    rows = []
    for y in range(screen.lines):
        line = screen.buffer[y]
        row = [[line[x].data, *line[x][1:]] for x in range(screen.columns)]
        for x, cell in enumerate(row):
            if cell[0] == "" or wcwidth(cell[0][0]) == 0:
                if x and wcwidth(row[x - 1][0][:1]) == 2:
                    row[x - 1][0] += cell[0]
                    cell[0] = ""
                else:
                    cell[0] = " "
        rows.append(tuple(tuple(cell) for cell in row))
    cursor = screen.cursor
    at = None if cursor.hidden or cursor.x >= screen.columns else (cursor.x, cursor.y)
    return tuple(rows), at


def text_of(screen: pyte.Screen) -> str:
    return "\n".join(screen.display)


def floor_of(screen: pyte.Screen) -> int:
    """The visible text of a screen: its rows without trailing blanks, in UTF-8."""
    return sum(len(line.rstrip().encode()) for line in screen.display)


# --- a proxy that counts, and can be a 2G link --------------------------------------------


class Proxy:
    def __init__(self, target: int, slow: bool = False) -> None:
        self.target, self.slow = target, slow
        self.down = self.up = 0
        self.port = 0
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> Proxy:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _connection(self, client_r: Any, client_w: Any) -> None:
        with contextlib.suppress(asyncio.CancelledError, OSError):
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target)
            await asyncio.gather(
                self._pump(client_r, server_w, "up"),
                self._pump(server_r, client_w, "down"),
                return_exceptions=True,
            )
            for writer in (client_w, server_w):
                writer.close()

    async def _pump(self, reader: Any, writer: Any, direction: str) -> None:
        """Copies one direction. Slow: serialised at RATE, delivered ONE_WAY later; reading
        stops while 4 KB wait (the link's buffer), so the sender feels the link."""
        loop = asyncio.get_running_loop()
        free_at = 0.0
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        waiting = [0]
        room = asyncio.Event()

        async def deliver() -> None:
            while True:
                when, data = await queue.get()
                if not data:
                    writer.close()
                    return
                await asyncio.sleep(max(0.0, when - loop.time()))
                writer.write(data)
                await writer.drain()
                waiting[0] -= len(data)
                if waiting[0] <= 4096:
                    room.set()

        sender = asyncio.create_task(deliver()) if self.slow else None
        try:
            while True:
                data = await reader.read(1024 if self.slow else 65536)
                if direction == "down":
                    self.down += len(data)
                else:
                    self.up += len(data)
                if not self.slow:
                    if not data:
                        writer.close()
                        return
                    writer.write(data)
                    await writer.drain()
                    continue
                if not data:
                    await queue.put((0.0, b""))
                    return
                free_at = max(free_at, loop.time()) + len(data) / RATE
                waiting[0] += len(data)
                await queue.put((free_at + ONE_WAY, data))
                if waiting[0] > 4096:
                    room.clear()
                    await room.wait()
        finally:
            if sender is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(sender, 5)


# --- clients --------------------------------------------------------------------------------


class Terminal:
    """A client's screen: every byte it got, fed to pyte, with the time of the last one."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.total = 0
        self.proxy: Proxy | None = None
        self.wire_at_first_byte = 0
        self.log = bytearray()
        self.last = time.monotonic()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()

    def received(self, data: bytes) -> None:
        if not self.total and self.proxy is not None:
            self.wire_at_first_byte = self.proxy.down  # the handshake and sign-in, roughly
        self.total += len(data)
        self.log += data
        self.last = time.monotonic()
        self.stream.feed(data)
        self.changed.set()

    async def settle(
        self, until: Callable[[str], bool] | None, quiet: float, pressed: float = 0.0
    ) -> None:
        """Waits for ``until``, for an answer to the key pressed at ``pressed`` (or 5 s of
        none), then for ``quiet`` seconds without a byte."""
        deadline = time.monotonic() + WAIT
        total = self.total
        while True:
            now = time.monotonic()
            ok = until is None or until(text_of(self.screen))
            answered = self.total > total or now - pressed > 5.0 or not pressed
            if ok and answered and now - max(self.last, pressed) >= quiet:
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"wire bench: screen never settled:\n{text_of(self.screen)}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), quiet / 4)

    async def close(self) -> None:
        pass


class AsyncsshTerminal(Terminal, asyncssh.SSHClientSession[bytes]):
    async def open(self, port: int, password: str, compression: bool) -> None:
        from forum_tui.demo_content import DEMO_CARER

        self.conn = await asyncssh.connect(
            "127.0.0.1", port, username=DEMO_CARER, password=password, known_hosts=None,
            client_keys=None, agent_path=None, preferred_auth="password",
            compression_algs=["zlib@openssh.com"] if compression else ["none"],
        )  # fmt: skip
        self.chan, _ = await self.conn.create_session(
            lambda: self, term_type="xterm-256color", term_size=(COLS, ROWS), encoding=None
        )

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    def send(self, keys: str) -> None:
        self.chan.write(keys.encode())

    async def close(self) -> None:
        self.conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.conn.wait_closed(), 10)


class OpensshTerminal(Terminal):
    async def open(self, port: int, key: Path, home: Path) -> None:
        from forum_tui.demo_content import DEMO_CARER

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.process = await asyncio.create_subprocess_exec(
            "ssh", "-F", "/dev/null", "-tt", "-p", str(port),
            "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={home / 'known'}",
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-i", str(key),
            f"{DEMO_CARER}@127.0.0.1",
            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(home), "TERM": "xterm-256color"},
        )  # fmt: skip
        os.close(slave)
        os.set_blocking(self.master, False)
        asyncio.get_running_loop().add_reader(self.master, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
            self.closed.set()
            self.changed.set()
            return
        self.received(data)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.process.wait(), 10)
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(self.master)
        with contextlib.suppress(OSError):
            os.close(self.master)
