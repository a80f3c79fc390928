"""The durability promise (SECURITY.md): a reply the forum has acknowledged survives the
forum's process being killed outright (``kill -9``) a moment later. SQLite runs in WAL mode
with ``synchronous=NORMAL``: a commit is in the WAL file before it is acknowledged, so only a
power cut or an operating-system crash could take the last few back."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from forum_tui.services import build_services
from forum_tui.services.limits import PostingLimits
from forum_tui.store import migrations
from forum_tui.store.database import Database

WRITER = """
import asyncio, sys
from forum_tui.services import build_services
from forum_tui.services.limits import PostingLimits
from forum_tui.store.database import Database

async def main(url, member, thread):
    services = build_services(Database(url), limits=PostingLimits.off())
    n = 0
    while True:
        post = await services.threads.reply(member, thread, f"reply {n}")
        print(post.id, flush=True)  # acknowledged: the commit has returned
        n += 1

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
"""
ACKNOWLEDGED = 40
ROOT = Path(__file__).resolve().parents[2]


async def test_acknowledged_replies_survive_kill_9(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"
    db = Database(url)
    try:
        await migrations.upgrade(db)
        s = build_services(db, limits=PostingLimits.off())
        ann = await s.accounts.add_member("carer_ann")
        group = await s.groups.add_group("sleep", "Sleep")
        await s.groups.add_to_group("sleep", "carer_ann")
        thread = await s.threads.start_thread(ann.id, group.id, "Nights", "Another bad one.")
    finally:
        await db.dispose()

    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, url, str(ann.id), str(thread.id),
        stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    acknowledged = []
    try:
        assert writer.stdout is not None
        while len(acknowledged) < ACKNOWLEDGED:
            line = await asyncio.wait_for(writer.stdout.readline(), 60)
            assert line, "the writer stopped before acknowledging enough replies"
            acknowledged.append(int(line))
        writer.send_signal(signal.SIGKILL)  # mid-stream: the next reply may be half-done
    finally:
        if writer.returncode is None:
            writer.kill()
        await asyncio.wait_for(writer.wait(), 30)

    db = Database(url)
    try:
        s = build_services(db)
        view = await s.threads.open_thread(ann.id, thread.id, limit=1000)
        stored = {post.id for post in view.posts.items}
    finally:
        await db.dispose()
    assert set(acknowledged) <= stored
