"""Paste benchmark: how long a session stays busy with a paste from a terminal WITHOUT bracketed
paste (every character a key event), against the same bytes sent as a bracketed paste.

    python bench/paste_bench.py [--kb 30] [--runs 3] [--python PATH] [--quick]

Starts the real ``forum-tui serve`` on 127.0.0.1, port 0, over a fresh SQLite forum in a
temporary directory (one carer, one group, one thread), signs in over SSH with asyncssh, goes
into the thread's reply box and sends the text in ONE channel write, followed by F1. Keys are
applied in arrival order, so Help opens only once the whole paste has been handled: the time
from the write to Help on screen is how long the session was busy.

Two texts: ``--kb`` KB (default 30; more than a post holds, so the reply box keeps the first
20,000 characters and says so, and a bracketed paste of it is refused whole), and 19 KB, which
fits: after Help, Esc and Ctrl+S send it, and the stored reply is checked to equal the text.
Lines are 60 characters; a line break is Enter (CR), as a terminal sends it.

``--python`` runs the sessions with another interpreter (e.g. a wrapper that puts an older
checkout first on PYTHONPATH), to measure the app before a change; the server is this
checkout's. ``--quick`` is the CI mode: one run, 30 KB only. The exit status is 1 if a run
timed out or a stored reply differs from what was sent (correctness, not speed). Nothing
outside the temporary directory is touched; the server stops at the end; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import asyncssh
import pyte

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum_tui.config import Settings  # noqa: E402
from forum_tui.services import build_services  # noqa: E402
from forum_tui.ssh.server import ServeOptions, start_server  # noqa: E402
from forum_tui.store import migrations  # noqa: E402
from forum_tui.store.database import Database  # noqa: E402

PASSWORD = "correct horse battery"
F1, ESC, CTRL_S, CTRL_Q = "\x1bOP", "\x1b", "\x13", "\x11"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


class Screen(asyncssh.SSHClientSession[bytes]):
    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = asyncio.Event()
        self.chan: asyncssh.SSHClientChannel[bytes] | None = None

    def connection_made(self, chan: asyncssh.SSHClientChannel[bytes]) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: object) -> None:
        self.stream.feed(data)
        self.changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, wanted: str, within: float) -> float:
        """Seconds until ``wanted`` is on screen; raises TimeoutError after ``within``."""
        start = time.monotonic()
        while wanted not in self.text:
            left = within - (time.monotonic() - start)
            if left <= 0:
                raise TimeoutError(wanted)
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
        return time.monotonic() - start

    def type(self, text: str) -> None:
        assert self.chan is not None
        self.chan.write(text.encode())


def letter(size: int, run: int) -> str:
    """``size`` characters of plain lines, 59 characters and a line break each. The first line
    names the run: the forum refuses the same post twice in ten minutes."""
    lines, total, n = [f"Run {run}"], 0, 0
    while total < size:
        line = f"Line {n:05d}: we had a week of respite and it helped a lot."[:59]
        lines.append(line)
        total += len(line) + 1
        n += 1
    return "\n".join(lines)[:size].rstrip("\n")


async def seed(url: str) -> tuple[int, int]:
    db = Database(url)
    try:
        await migrations.upgrade(db)
        s = build_services(db)
        ann = await s.accounts.add_member("carer_ann", password=PASSWORD)
        group = await s.groups.add_group("carers-corner", "Carers' Corner")
        await s.groups.join_group(ann.id, group.id)
        thread = await s.threads.start_thread(ann.id, group.id, "Respite", "Has it helped?")
    finally:
        await db.dispose()
    return ann.id, thread.id


async def stored_reply(url: str, member: int, thread: int) -> str:
    db = Database(url)
    try:
        view = await build_services(db).threads.open_thread(member, thread)
    finally:
        await db.dispose()
    return view.posts.items[-1].body


async def reply_count(url: str, member: int, thread: int) -> int:
    db = Database(url)
    try:
        view = await build_services(db).threads.open_thread(member, thread)
    finally:
        await db.dispose()
    return view.thread.reply_count


async def one_run(
    port: int, url: str, ids: tuple[int, int], text: str, bracketed: bool, limit: float
) -> tuple[float, str]:
    """Seconds the session was busy with ``text``, and the reply then stored, if it fits."""
    conn = await asyncssh.connect(
        "127.0.0.1",
        port,
        username="carer_ann",
        password=PASSWORD,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        preferred_auth="password",
    )
    try:
        _chan, screen = await conn.create_session(
            Screen, term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        await screen.wait_for("Carers' Corner", 30)
        screen.type("\r")
        await screen.wait_for("Respite", 30)
        screen.type("\r")
        await screen.wait_for("Has it helped?", 30)
        await screen.wait_for("r Reply", 30)
        screen.type("r")
        await screen.wait_for("^s Send", 30)
        wire = text.replace("\n", "\r")
        payload = f"{PASTE_START}{wire}{PASTE_END}" if bracketed else wire
        started = time.monotonic()
        screen.type(payload + F1)
        await screen.wait_for("Keys on this screen", limit)
        busy = time.monotonic() - started
        # Send what the reply box holds (so no draft is left for the next run), and check it.
        kept = text[:20_000] if not bracketed or len(text) <= 20_000 else ""
        stored = "-"
        if kept:
            before = await reply_count(url, *ids)
            screen.type(ESC)  # on its own: ESC and a key together read as Alt+key
            await screen.wait_for("^s Send", 30)
            screen.type(CTRL_S)
            deadline = time.monotonic() + 30
            while await reply_count(url, *ids) == before:
                if time.monotonic() > deadline:
                    raise TimeoutError("the reply was never stored")
                await asyncio.sleep(0.1)
            body = await stored_reply(url, *ids)
            stored = "as typed" if body == kept.strip() else f"DIFFERENT ({len(body):,} chars)"
        screen.type(CTRL_Q)
        return busy, stored
    finally:
        conn.close()


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds before giving up")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--quick", action="store_true", help="CI mode: one run, --kb only")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    sizes = [args.kb * 1000] if args.quick else [args.kb * 1000, 19_000]

    with tempfile.TemporaryDirectory(prefix="forum-tui-paste-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'forum.db'}"
        ids = await seed(url)
        os.environ["FORUM_TUI_DATA_DIR"] = tmp
        os.environ["FORUM_TUI_POSTING_LIMITS"] = "off"
        options = ServeOptions(
            port=0, host_key=Path(tmp) / "host_key", hangup_grace=1.0, python=args.python
        )
        running = await start_server(Settings(url), options)
        try:
            print(f"python for sessions: {args.python}")
            print(f"{'text':>9} {'sent as':<22} {'busy s (median)':>16} {'runs':>24}  stored")
            run = 0
            problems = 0  # runs that timed out or stored something else than was sent
            for size in sizes:
                medians = {}
                for bracketed in (True, False):
                    times, stored = [], "-"
                    for _ in range(runs):
                        run += 1
                        text = letter(size, run)
                        try:
                            busy, stored = await one_run(
                                running.port, url, ids, text, bracketed, args.limit
                            )
                        except TimeoutError as error:
                            print(f"  (timed out waiting for {error})")
                            problems += 1
                            times.append(float("inf"))
                            break
                        times.append(busy)
                        problems += stored.startswith("DIFFERENT")
                    medians[bracketed] = statistics.median(times)
                    how = "bracketed paste" if bracketed else "keys (no bracketed)"
                    shown = " ".join("timeout" if t == float("inf") else f"{t:.2f}" for t in times)
                    print(
                        f"{len(text):>9,} {how:<22} {medians[bracketed]:>16.2f} "
                        f"{shown:>24}  {stored}"
                    )
                ratio = medians[False] / medians[True] if medians[True] else float("nan")
                print(f"{'':>9} keys / bracketed = {ratio:.1f}x")
        finally:
            await running.close()
    if problems:
        print(f"paste_bench: {problems} run(s) timed out or stored other text", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
