"""Wire benchmark: what a carer's visit costs over SSH, in bytes and seconds, at 80x24.

    python bench/wire.py [--quick] [--json PATH] [--sessions 1,10,40]

Seeds the demo forum in a temporary directory and runs the SSH server (``server.serve``, what
``forum-tui serve`` runs) in a subprocess of its own. A scripted visit — sign in -> home ->
open a group -> Down x5 -> open a thread -> Down x5 -> back -> back -> quit, plus (outside
the visit total) a Down in the home list and five typed characters in a reply — is driven by
a client whose bytes are fed to a pyte screen, under two servers in the same run:

* **before**: the app's raw output (``send_changes=False``) and ``--allow-uncompressed``, the
  server as it was before issue 10 (the baseline for every ratio);
* **after**: the defaults (screen differences, compression required).

Per step it counts screen bytes (the SSH channel's data) and, through a counting TCP proxy,
bytes on the wire; the floor is the visible text of each step's final screen. After each step
the client's screen is compared with the app's (the server tees each session's raw app output
to a file, fed to a second pyte screen): any difference fails the run. Then, for "after": the
visit through a proxy throttled to 9.6 kbit/s with 300 ms added round trip, each key timed to
its completed screen (its last byte); with the OpenSSH client where installed (plain ``ssh``,
no ``-C``); connect -> home on the fast link; and USS per session with 1, 10 and 40 sessions.

``--quick`` runs one "after" visit on the fast link and asserts only that it completes and
that every step's client screen equals the app's (for CI).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import asyncssh
import pyte

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wire_link import (  # noqa: E402 - bench/ is on the path when run as a script
    COLS,
    ROWS,
    WAIT,
    AsyncsshTerminal,
    OpensshTerminal,
    Proxy,
    floor_of,
    shown,
)

DOWN, UP, ENTER, ESC, CTRL_Q = "\x1b[B", "\x1b[A", "\r", "\x1b", "\x11"

TARGETS = {  # name: (limit, unit)
    "visit screen bytes": (15_000, "B"),
    "visit screen bytes / floor": (1.7, "x"),
    "visit wire bytes, plain ssh": (6_000, "B"),
    "first screen bytes": (2_500, "B"),
    "Down in home list bytes": (200, "B"),
    "Down in thread list bytes": (200, "B"),
    "Down between posts bytes": (200, "B"),
    "typed character bytes": (60, "B"),
    "2G: slowest key press": (0.6, "s"),
    "2G: open a group": (1.0, "s"),
    "2G: open a thread": (1.0, "s"),
    "2G: connect -> home": (5.0, "s"),
    "connect -> home (fast link)": (0.3, "s"),
    "USS per session": (25.0, "MB"),
    "USS of 40 sessions": (1200.0, "MB"),
}


def home_shown(text: str) -> bool:
    return "signed in as" in text and re.search(r"\d+ threads?\b", text) is not None


def group_shown(text: str) -> bool:
    title = text.splitlines()[0]
    return re.search(r" · \d+ threads?\b", title) is not None and " replies · " in text


def thread_shown(text: str) -> bool:
    return re.search(r" · \d+ repl(y|ies)\b", text.splitlines()[0]) is not None


@dataclass
class Step:
    name: str
    keys: str | None  # None: the session's start
    until: Callable[[str], bool] | None = None
    visit: bool = True  # counted in the visit's total


def the_visit() -> list[Step]:
    steps = [Step("first screen", None, home_shown)]
    steps += [
        Step("Down in home list", DOWN, visit=False),
        Step("Up in home list", UP, visit=False),
    ]
    steps.append(Step("open a group", ENTER, group_shown))
    steps += [Step("Down in thread list", DOWN) for _ in range(5)]
    steps.append(Step("open a thread", ENTER, thread_shown))
    steps += [Step("Down between posts", DOWN) for _ in range(5)]
    steps.append(Step("back", ESC, group_shown))
    steps.append(Step("back", ESC, home_shown))
    # Typing, outside the visit: into the first thread again, and five characters of a reply.
    steps.append(Step("open a group again", ENTER, group_shown, visit=False))
    steps.append(Step("open a thread again", ENTER, thread_shown, visit=False))
    steps.append(Step("reply box", "r", lambda t: "Ctrl+S sends" in t, visit=False))
    steps += [Step("typed character", ch, visit=False) for ch in "hello"]
    return steps


# --- the server, in its own process --------------------------------------------------------


def serve_child(args: argparse.Namespace) -> None:
    """``--serve``: the real server, teeing each session's raw app output to a file."""
    from forum_tui.config import Settings
    from forum_tui.ssh import server

    tee_dir = Path(args.tee)
    original = server.ForumSession._from_app

    def tee(self: Any, data: bytes) -> None:
        with open(tee_dir / f"{os.getpid()}-{self.id:06d}.raw", "ab") as file:
            file.write(data)
        original(self, data)

    server.ForumSession._from_app = tee  # type: ignore[method-assign]
    options = server.ServeOptions(
        port=0,
        host_key=Path(args.tee) / "host_key",
        max_sessions=100,
        max_sessions_per_member=100,
        send_changes=not args.repaints,
        allow_uncompressed=args.repaints,
        warm=not args.repaints,
    )

    def ready(running: Any) -> None:
        print(f"PORT {running.port}", flush=True)

    server.serve(Settings(args.db), options, ready=ready)


class Server:
    def __init__(self, url: str, data: Path, tee: Path, before: bool) -> None:
        self.tee = tee
        tee.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_TUI_")}
        env["FORUM_TUI_DATA_DIR"] = str(data)
        command = [sys.executable, __file__, "--serve", "--db", url, "--tee", str(tee)]
        self.process = subprocess.Popen(
            command + (["--repaints"] if before else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if not line.startswith("PORT "):
            raise SystemExit(f"wire bench: the server did not start ({line!r})")
        self.port = int(line.split()[1])

    def newest_tee(self) -> Path:
        return max(self.tee.glob("*.raw"), key=lambda p: p.name)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- a visit ---------------------------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    visit: bool
    screen_bytes: int
    wire_down: int
    seconds: float  # key press to the step's last byte
    floor: int
    same: bool
    sent: str = ""  # what the client got, escapes shown as \x1b (for reading, in the JSON)


@dataclass
class Visit:
    label: str
    steps: list[StepResult] = field(default_factory=list)
    connect_to_home: float = 0.0
    handshake_down: int = 0

    def total(self, what: str) -> int:
        return sum(getattr(s, what) for s in self.steps if s.visit)

    def median(self, name: str, what: str = "screen_bytes") -> float:
        return statistics.median(getattr(s, what) for s in self.steps if s.name == name)

    def most(self, name: str, what: str = "screen_bytes") -> float:
        return max(getattr(s, what) for s in self.steps if s.name == name)


async def visit(
    label: str,
    server: Server,
    proxy: Proxy,
    client: str,
    quiet: float,
    paths: dict[str, Path],
) -> Visit:
    from forum_tui.demo_content import DEMO_PASSWORD

    result = Visit(label)
    term: AsyncsshTerminal | OpensshTerminal
    started = time.monotonic()
    if client == "openssh":
        term = OpensshTerminal()
        term.proxy = proxy
        await term.open(proxy.port, paths["key"], paths["home"])
    else:
        term = AsyncsshTerminal()
        term.proxy = proxy
        await term.open(proxy.port, DEMO_PASSWORD, compression=not label.startswith("before"))
    reference = pyte.Screen(COLS, ROWS)
    ref_stream = pyte.ByteStream(reference)
    offset = 0
    try:
        for step in the_visit():
            screen_before, wire_before = term.total, proxy.down
            pressed = time.monotonic()
            if step.keys is not None:
                term.send(step.keys)
            else:
                await term.settle(step.until, 0.0)
                result.connect_to_home = time.monotonic() - started
                result.handshake_down = wire_before = term.wire_at_first_byte
            await term.settle(step.until, quiet, pressed if step.keys else 0.0)
            raw = server.newest_tee().read_bytes()
            ref_stream.feed(raw[offset:])
            offset = len(raw)
            result.steps.append(
                StepResult(
                    step.name,
                    step.visit,
                    term.total - screen_before,
                    proxy.down - wire_before,
                    max(0.0, term.last - (started if step.keys is None else pressed)),
                    floor_of(term.screen),
                    shown(term.screen) == shown(reference),
                    bytes(term.log[screen_before:]).decode("utf-8", "replace")[:4000],
                )
            )
        term.send(CTRL_Q)
        await asyncio.wait_for(term.closed.wait(), WAIT)
    finally:
        await term.close()
    return result


async def connect_times(server: Server, runs: int) -> list[float]:
    from forum_tui.demo_content import DEMO_PASSWORD

    times = []
    for _ in range(runs):
        term = AsyncsshTerminal()
        started = time.monotonic()
        await term.open(server.port, DEMO_PASSWORD, compression=True)
        await term.settle(home_shown, 0.0)
        times.append(time.monotonic() - started)
        term.send(CTRL_Q)
        await asyncio.wait_for(term.closed.wait(), WAIT)
        await term.close()
    return times


def relay_cost(raw: bytes, chunk: int = 4096) -> tuple[float, int]:
    """CPU seconds the screen relay spends on one visit's app output, replayed in chunks of
    ``chunk`` bytes with a frame after each (more frames than a real session makes)."""
    from forum_tui.ssh.screen import ScreenRelay

    relay = ScreenRelay(COLS, ROWS)
    started = time.process_time()
    for at in range(0, len(raw), chunk):
        relay.feed(raw[at : at + chunk])
        relay.frame()
    return time.process_time() - started, len(raw)


def uss_mb(pid: int) -> float:
    total = 0
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def session_pids(server: int) -> list[int]:
    """The server's session processes: its own children, or (--warm) the helper's."""
    sessions = []
    for pid in children_of(server):
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"forum_tui.ssh.warm" in command:
                sessions += children_of(pid)
            elif b"forum_tui.ssh.session" in command:
                sessions.append(pid)
    return sessions


async def memory(server: Server, count: int) -> tuple[float, float]:
    """USS of the session processes with ``count`` sessions on home: (total, per session)."""
    from forum_tui.demo_content import DEMO_PASSWORD

    terms = []
    try:
        for _ in range(count):
            term = AsyncsshTerminal()
            await term.open(server.port, DEMO_PASSWORD, compression=True)
            terms.append(term)
        for term in terms:
            await term.settle(home_shown, 0.5)
        sessions = session_pids(server.process.pid)
        total = sum(uss_mb(pid) for pid in sessions)
        return total, total / max(1, len(sessions))
    finally:
        for term in terms:
            term.send(CTRL_Q)
        for term in terms:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(term.closed.wait(), WAIT)
            await term.close()


# --- set-up and report ------------------------------------------------------------------------


async def seed(folder: Path) -> tuple[str, Path]:
    from forum_tui.demo_content import DEMO_CARER
    from forum_tui.services import build_services
    from forum_tui.services.demo import seed_demo
    from forum_tui.store import migrations
    from forum_tui.store.database import Database

    url = f"sqlite+aiosqlite:///{folder / 'forum.db'}"
    db = Database(url)
    try:
        await migrations.upgrade(db)
        services = build_services(db)
        await seed_demo(services)
        key = asyncssh.generate_private_key("ssh-ed25519")
        key_path = folder / "carer_key"
        key.write_private_key(str(key_path))
        key_path.chmod(0o600)
        await services.access.add_key(DEMO_CARER, key.export_public_key("openssh").decode())
    finally:
        await db.dispose()
    return url, key_path


def copy_db(url: str, into: Path) -> str:
    into.mkdir(parents=True, exist_ok=True)
    source = Path(url.removeprefix("sqlite+aiosqlite:///"))
    shutil.copy(source, into / "forum.db")
    return f"sqlite+aiosqlite:///{into / 'forum.db'}"


def line(name: str, value: float, unit: str, before: float | None, figures: dict) -> None:
    target = TARGETS.get(name)

    def fmt(number: float) -> str:
        return f"{number:,.0f}" if unit in ("B", "KB") else f"{number:,.2f}"

    shown_value = f"{fmt(value)} {unit}"
    bits = []
    if target:
        ok = value <= target[0]
        bits.append(f"target ≤ {target[0]:,} {target[1]}: {'met' if ok else 'MISSED'}")
    if before:
        bits.append(f"ratio {value / before:.2f} of before {fmt(before)}")
    print(f"{name}: {shown_value} ({', '.join(bits)})" if bits else f"{name}: {shown_value}")
    figures[name] = {"value": value, "unit": unit, "before": before, "target": target}


async def run(args: argparse.Namespace) -> int:
    figures: dict[str, Any] = {}
    visits: dict[str, Visit] = {}
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="forum-wire-") as tmp:
        base = Path(tmp)
        url, key = await seed(base)
        paths = {"key": key, "home": base}
        plans = [("after", False)] if args.quick else [("before", True), ("after", False)]
        for label, before in plans:
            folder = base / label
            server = Server(copy_db(url, folder / "db"), folder, folder / "tee", before)
            try:
                proxy = await Proxy(server.port).start()
                visits[label] = await visit(label, server, proxy, "asyncssh", 0.3, paths)
                await proxy.close()
                if label == "after":
                    figures["relay"] = relay_cost(server.newest_tee().read_bytes())
                if args.quick:
                    continue
                if shutil.which("ssh"):
                    proxy = await Proxy(server.port).start()
                    visits[f"{label} openssh"] = await visit(
                        f"{label} openssh", server, proxy, "openssh", 0.3, paths
                    )
                    await proxy.close()
                if label == "after":
                    slow = await Proxy(server.port, slow=True).start()
                    client = "openssh" if shutil.which("ssh") else "asyncssh"
                    visits["after 2G"] = await visit("after 2G", server, slow, client, 1.5, paths)
                    await slow.close()
                    figures["connect_times"] = await connect_times(server, 5)
                    figures["memory"] = {n: await memory(server, n) for n in args.sessions}
                else:  # fresh processes, for the ratios
                    figures["before_connect_times"] = await connect_times(server, 3)
                    small = [n for n in args.sessions if n <= 10]
                    figures["before_memory"] = {n: await memory(server, n) for n in small}
            finally:
                server.stop()
        for name, result in visits.items():
            for step in result.steps:
                if not step.same:
                    failures.append(f"{name}: {step.name}")
    report(visits, figures)
    args.results = {
        "visits": {k: [asdict(s) for s in v.steps] for k, v in visits.items()},
        "figures": figures,
    }
    if failures:
        print(f"FAIL: the client's screen differed from the app's after: {failures}")
        return 1
    steps = sum(len(v.steps) for v in visits.values())
    print(f"every step's client screen equals the app's ({steps} steps)")
    return 0


def _new_text(step: StepResult) -> int:
    """Printable text a step's frames carried (escape sequences removed): what even a
    perfect renderer must send when a scroll brings new lines into view."""
    return len(re.sub(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[^\[])|[\r\n]", "", step.sent).strip().encode())


def report(visits: dict[str, Visit], figures: dict[str, Any]) -> None:
    after, before = visits["after"], visits.get("before")
    out: dict[str, Any] = {}

    def b(get: Callable[[Visit], float]) -> float | None:
        return get(before) if before else None

    floor = after.total("floor")
    line(
        "visit screen bytes",
        after.total("screen_bytes"),
        "B",
        b(lambda v: v.total("screen_bytes")),
        out,
    )
    line("visit floor (visible text)", floor, "B", None, out)
    line(
        "visit screen bytes / floor",
        after.total("screen_bytes") / floor,
        "x",
        b(lambda v: v.total("screen_bytes") / floor),
        out,
    )
    line(
        "visit wire bytes down, asyncssh",
        after.total("wire_down") + after.handshake_down,
        "B",
        b(lambda v: v.total("wire_down") + v.handshake_down),
        out,
    )
    if "after openssh" in visits:
        o, ob = visits["after openssh"], visits.get("before openssh")
        line(
            "visit wire bytes, plain ssh",
            o.total("wire_down") + o.handshake_down,
            "B",
            (ob.total("wire_down") + ob.handshake_down) if ob else None,
            out,
        )
        line(
            "handshake + sign-in bytes down, plain ssh",
            o.handshake_down,
            "B",
            ob.handshake_down if ob else None,
            out,
        )
    line(
        "first screen bytes",
        after.median("first screen"),
        "B",
        b(lambda v: v.median("first screen")),
        out,
    )
    for name in ("open a group", "open a thread"):
        line(f"{name} bytes", after.median(name), "B", b(lambda v, n=name: v.median(n)), out)
    for name in (
        "Down in home list",
        "Down in thread list",
        "Down between posts",
        "typed character",
    ):
        line(f"{name} bytes", after.most(name), "B", b(lambda v, n=name: v.most(n)), out)
    posts = "Down between posts"
    line(f"{posts} bytes, median", after.median(posts), "B", b(lambda v: v.median(posts)), out)
    line(
        f"{posts}: floor of the text it scrolls in (most)",
        max(_new_text(s) for s in after.steps if s.name == posts),
        "B",
        None,
        out,
    )
    if "after 2G" in visits:
        slow = visits["after 2G"]
        # Key presses that are not screen changes (those have their own targets).
        changes = ("first screen", "open a", "back")
        keys = [s for s in slow.steps if not s.name.startswith(changes)]
        line("2G: slowest key press", max(s.seconds for s in keys), "s", None, out)
        line("2G: median key press", statistics.median(s.seconds for s in keys), "s", None, out)
        line("2G: open a group", slow.median("open a group", "seconds"), "s", None, out)
        line("2G: open a thread", slow.median("open a thread", "seconds"), "s", None, out)
        line("2G: connect -> home", slow.connect_to_home, "s", None, out)
        line(
            "2G: visit wire bytes down",
            slow.total("wire_down") + slow.handshake_down,
            "B",
            None,
            out,
        )
    if "relay" in figures:
        seconds, size = figures["relay"]
        line(
            f"relay CPU for one visit's app output ({size / 1000:,.0f} KB)",
            seconds * 1000,
            "ms",
            None,
            out,
        )
    fresh = figures.get("before_connect_times")
    if "connect_times" in figures:
        before_s = statistics.median(fresh) if fresh else None
        line(
            "connect -> home (fast link)",
            statistics.median(figures["connect_times"]),
            "s",
            before_s,
            out,
        )
    fresh_memory = figures.get("before_memory", {})
    for count, (total, each) in figures.get("memory", {}).items():
        was = fresh_memory.get(count)
        line(f"USS of {count} sessions", total, "MB", was[0] if was else None, out)
        name = (
            "USS per session" if count == max(figures["memory"]) else f"USS per session ({count})"
        )
        line(
            name,
            each,
            "MB",
            was[1] if was else (fresh_memory[max(fresh_memory)][1] if fresh_memory else None),
            out,
        )
    figures["lines"] = out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI: one visit, screens checked")
    parser.add_argument("--json", default=str(Path(tempfile.gettempdir()) / "forum-wire.json"))
    parser.add_argument("--sessions", default="1,10,40", help="session counts for USS")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--tee", help=argparse.SUPPRESS)
    parser.add_argument("--repaints", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_child(args)
        return
    args.sessions = [int(n) for n in args.sessions.split(",") if n]
    print(
        f"forum-tui wire bench · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs · "
        f"{COLS}x{ROWS} xterm-256color · {'quick' if args.quick else 'full'}"
    )
    code = asyncio.run(run(args))
    Path(args.json).write_text(json.dumps(args.results, indent=1, default=str))
    print(f"JSON: {args.json}")
    raise SystemExit(code)


if __name__ == "__main__":
    main()
