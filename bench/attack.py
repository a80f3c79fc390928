"""Attack bench: issue 9's attacks 1-4 against a real ``forum-tui serve`` at its defaults.

    python bench/attack.py [--quick] [--deadline SECONDS]

Starts ``python -m forum_tui serve --port 0`` (every other option at its default) on a fresh
forum in a temporary data directory, then, over loopback only (127.0.0.x source addresses,
never more than 100 connections at once), tries:

1. idle TCP connections from one address, then a member signs in from another;
2. sign-up sessions (``new@``) from five addresses, then a member signs in;
3. a key flood into a reply box while another member uses the forum;
4. wrong passwords for one handle sent in parallel, and a padded handle during the block.

Each line prints a figure, the baseline measured in the same run, and **held** or **NOT
HELD**. Exit status 1 if anything did not hold. It stops by itself: the server is stopped
and the directory removed when it finishes or after ``--deadline`` seconds. ``--quick`` (for
CI) uses smaller numbers and a shorter flood. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh
import pyte

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum_tui.services import build_services  # noqa: E402
from forum_tui.services.limits import PostingLimits  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import Database  # noqa: E402

PASSWORD = "correct horse battery"
HOST = "127.0.0.1"
MEMBER_ADDRESS = "127.0.0.2"
SIGN_IN_WITHIN = 2.0  # seconds (issue 9, "Done when")
MEMORY_UNDER = 300 << 20  # bytes of resident memory for the flooded session
RESPONDS_WITHIN = 2.0  # seconds for another member's key to show while the flood runs


@dataclass
class Result:
    attack: str
    figure: str
    baseline: str
    held: bool


class Screen(asyncssh.SSHClientSession[bytes]):
    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()
        self.chan: Any = None

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.raw += data
        self.stream.feed(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, test: Callable[[str], bool], within: float = 30.0) -> bool:
        deadline = time.monotonic() + within
        while not test(self.text):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed.is_set():
                return test(self.text)
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
        return True


class Guesser(asyncssh.SSHClient):
    def __init__(self, password: str) -> None:
        self.password: str | None = password
        self.banners: list[str] = []

    def password_auth_requested(self) -> str | None:
        password, self.password = self.password, None
        return password

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banners.append(msg)


class Server:
    """``forum-tui serve --port 0`` in a process of its own; its log lines are kept."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.process: asyncio.subprocess.Process | None = None
        self.port = 0
        self.log: list[str] = []
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_TUI_")}
        env["FORUM_TUI_DATA_DIR"] = str(self.data_dir)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "forum_tui", "serve", "--host", HOST, "--port", "0",
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, env=env, cwd=self.data_dir,
        )  # fmt: skip
        ready = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(ready))
        self.port = await asyncio.wait_for(ready, 60)

    async def _read(self, ready: asyncio.Future[int]) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            self.log.append(line)
            found = re.search(r"serving over SSH on [\d.]+:(\d+)", line)
            if found and not ready.done():
                ready.set_result(int(found.group(1)))
        if not ready.done():
            ready.set_exception(RuntimeError("the server stopped:\n" + "\n".join(self.log)))

    def sessions(self) -> set[int]:
        """Process ids of the server's app processes (its children)."""
        assert self.process is not None
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    found.add(int(entry.name))
        return found

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()


async def seed(data_dir: Path) -> int:
    """The forum the server will open by default: two members, a group, a thread."""
    db = Database(f"sqlite+aiosqlite:///{data_dir / 'forum.db'}")
    try:
        await migrations.upgrade(db)
        s = build_services(db, limits=PostingLimits.off())
        for handle in ("carer_ann", "bob_leads", "kez99"):
            await s.accounts.add_member(handle, password=PASSWORD)
        group = await s.groups.add_group("carers-corner", "Carers' Corner")
        await s.groups.set_leader("carers-corner", "bob_leads")
        ann = await s.accounts.find_member("carer_ann")
        await s.groups.join_group(ann.id, group.id)
        bob = await s.accounts.find_member("bob_leads")
        thread = await s.threads.start_thread(bob.id, group.id, "Respite", "Any luck?")
        return thread.id
    finally:
        await db.dispose()


async def connect(server: Server, username: str, address: str, **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "known_hosts": None, "client_keys": None, "agent_path": None,
        "local_addr": (address, 0), "connect_timeout": 30, "username": username,
    }  # fmt: skip
    options.update(kwargs)
    return await asyncssh.connect(HOST, server.port, **options)


async def sign_in(server: Server, address: str = MEMBER_ADDRESS) -> tuple[float, Any]:
    """Seconds for carer_ann to be signed in (password accepted), and the connection."""
    started = time.monotonic()
    conn = await connect(server, "carer_ann", address, password=PASSWORD)
    return time.monotonic() - started, conn


async def open_screen(conn: Any) -> Screen:
    _chan, screen = await conn.create_session(
        Screen, term_type="xterm", term_size=(80, 24), encoding=None
    )
    return screen


def resident(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


async def attack_idle(server: Server, baseline: float, count: int) -> Result:
    writers = []
    try:
        for _ in range(count):
            with contextlib.suppress(OSError):
                _r, writer = await asyncio.open_connection(HOST, server.port, local_addr=(HOST, 0))
                writers.append(writer)
        took, conn = await sign_in(server)
        conn.close()
    finally:
        for writer in writers:
            writer.close()
    return Result(
        f"1 {count} idle connections from one address: member signs in",
        f"{took:.2f} s", f"{baseline:.2f} s unattacked", took < SIGN_IN_WITHIN,
    )  # fmt: skip


async def attack_sign_up(server: Server, baseline: float, per_address: int) -> Result:
    addresses = [f"127.0.0.{n}" for n in range(11, 16)]
    conns = []

    async def join(address: str) -> Screen | None:
        try:
            conn = await connect(server, "new", address)
        except (OSError, asyncssh.Error):
            return None
        conns.append(conn)
        return await open_screen(conn)

    try:
        screens = await asyncio.gather(*(join(a) for a in addresses for _ in range(per_address)))
        started = len(server.sessions())
        took, conn = await sign_in(server)
        screen = await open_screen(conn)
        home = await screen.wait_for(lambda shown: "signed in as carer_ann" in shown)
        refused = sum(1 for s in screens if s is None or s.closed.is_set())
        conn.close()
    finally:
        for each in conns:
            each.close()
    total = per_address * len(addresses)
    return Result(
        f"2 {total} sign-up sessions from 5 addresses: member signs in",
        f"{took:.2f} s ({started} apps ran, {refused} refused)",
        f"{baseline:.2f} s unattacked", took < SIGN_IN_WITHIN and home,
    )  # fmt: skip


async def attack_flood(server: Server, flood: int, observe: float) -> Result:
    before = server.sessions()
    _t, ann_conn = await sign_in(server)
    ann = await open_screen(ann_conn)
    await ann.wait_for(lambda shown: "Carers' Corner" in shown)
    [ann_pid] = server.sessions() - before or {0}
    _t, bob_conn = await sign_in(server, "127.0.0.3")
    bob = await open_screen(bob_conn)
    await bob.wait_for(lambda shown: "Carers' Corner" in shown)
    at_rest = resident(ann_pid)
    ann.chan.write(b"\r")  # into the group, the thread, and its reply box
    await ann.wait_for(lambda shown: "Respite" in shown)
    ann.chan.write(b"\r")
    await ann.wait_for(lambda shown: "Any luck?" in shown)
    ann.chan.write(b"r")
    peak, slowest = at_rest, 0.0
    ann.chan.write(b"x" * flood)  # all at once: SSH flow control and the server pace it
    deadline = time.monotonic() + observe
    while time.monotonic() < deadline and not ann.closed.is_set():
        # Bob goes to Boards and back: how long until his screen answers?
        pressed = time.monotonic()
        bob.chan.write(b"b")
        await bob.wait_for(lambda shown: "Your groups" not in shown, within=10)
        bob.chan.write(b"\x1b")
        await bob.wait_for(lambda shown: "Your groups" in shown, within=10)
        slowest = max(slowest, (time.monotonic() - pressed) / 2)
        peak = max(peak, resident(ann_pid))
        await asyncio.sleep(0.2)
    ended = b"This window was closed" in ann.raw
    ann_conn.close()
    bob_conn.close()
    return Result(
        f"3 {flood >> 10} KB key flood: flooded app's memory; other member's key",
        f"{peak >> 20} MB peak{' (session ended)' if ended else ''}; {slowest:.2f} s",
        f"{at_rest >> 20} MB at rest; {RESPONDS_WITHIN:.0f} s allowed",
        peak < MEMORY_UNDER and slowest < RESPONDS_WITHIN,
    )


async def guess(server: Server, handle: str, password: str, address: str) -> tuple[str, float]:
    """'in', 'checked' (refused after the hash), 'throttled' (refused before it, with the wait
    in seconds) or 'refused' (at the door, before any password was asked for)."""
    client = Guesser(password)
    try:
        conn = await connect(
            server, handle, address, client_factory=lambda: client,
            preferred_auth="password", kbdint_auth=False,
        )  # fmt: skip
    except (asyncssh.Error, OSError):
        for banner in client.banners:
            if found := re.search(r"wait (\d+) seconds", banner):
                return "throttled", float(found.group(1))
        return ("refused" if client.password is not None else "checked"), 0.0
    conn.close()
    return "in", 0.0


async def attack_passwords(server: Server, count: int) -> list[Result]:
    serial = [
        (await guess(server, "bob_leads", f"wrong {n}", "127.0.0.30"))[0] for n in range(count)
    ]
    # From five addresses (four each, under the per-address cap), all at once.
    parallel = await asyncio.gather(
        *(guess(server, "kez99", f"wrong {n}", f"127.0.0.{31 + n % 5}") for n in range(count))
    )
    outcomes = [outcome for outcome, _wait in parallel]
    checked_serially, checked = serial.count("checked"), outcomes.count("checked")

    # Serial failures until kez99 is blocked for some seconds, each from a new address (so
    # only the handle's count applies), then the padded name with the right password at once.
    address = 40
    while address < 60:
        outcome, wait = await guess(server, "kez99", "wrong again", f"127.0.0.{address}")
        address += 1
        if outcome == "throttled":
            if wait >= 4:
                break
            await asyncio.sleep(wait)
    padded, _wait = await guess(server, "_" * 60 + "kez99", PASSWORD, f"127.0.0.{address}")
    return [
        Result(
            f"4 {count} wrong passwords in parallel (5 addresses): checked",
            f"{checked} ({outcomes.count('throttled')} throttled)",
            f"{checked_serially} serially", checked <= checked_serially + 1,
        ),
        Result(
            "4 padded handle ('_'*60+'kez99') while kez99 is blocked",
            padded, "throttled", padded == "throttled",
        ),
    ]  # fmt: skip


async def bounded(name: str, attack: Any, seconds: float) -> list[Result]:
    """One attack, given at most ``seconds``: one that does not finish has not held."""
    try:
        result = await asyncio.wait_for(attack, seconds)
    except (TimeoutError, OSError, asyncssh.Error) as error:
        reason = "timed out" if isinstance(error, TimeoutError) else type(error).__name__
        result = Result(name, reason, f"{seconds:.0f} s allowed", False)
    results = result if isinstance(result, list) else [result]
    for r in results:
        show(r)
    return results


def show(r: Result) -> None:
    verdict = "held" if r.held else "NOT HELD"
    print(f"{r.attack:<64} {r.figure:>34}  vs {r.baseline:<28} {verdict}", flush=True)


async def run(quick: bool) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="forum-attack-") as tmp:
        data_dir = Path(tmp) / "data"
        await seed(data_dir)
        server = Server(data_dir)
        await server.start()
        try:
            took, conn = await sign_in(server)
            conn.close()
            took2, conn = await sign_in(server)  # the second, warm
            conn.close()
            baseline = min(took, took2)
            idle, sign_ups = 95, 4  # the numbers, within 100 connections
            flood, observe = 1 << 20, (30.0 if quick else 90.0)
            results = await bounded("1 idle connections", attack_idle(server, baseline, idle), 60)
            results += await bounded(
                "2 sign-up sessions", attack_sign_up(server, baseline, sign_ups), 90
            )
            results += await bounded(
                "3 key flood", attack_flood(server, flood, observe), observe + 60
            )
            results += await bounded("4 wrong passwords", attack_passwords(server, 20), 90)
            return results
        finally:
            await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small numbers, for CI")
    parser.add_argument("--deadline", type=float, default=None, help="seconds before giving up")
    args = parser.parse_args()
    deadline = args.deadline or (180.0 if args.quick else 600.0)
    print(f"forum-tui attack bench · {'quick' if args.quick else 'full'} · {os.cpu_count()} CPUs")

    async def within_deadline() -> list[Result]:
        return await asyncio.wait_for(run(args.quick), deadline)

    results = asyncio.run(within_deadline())
    failed = [r for r in results if not r.held]
    print(f"{len(results) - len(failed)} held, {len(failed)} not held")
    sys.exit(0 if not failed else 1)


if __name__ == "__main__":
    main()
