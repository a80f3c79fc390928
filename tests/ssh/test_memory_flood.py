"""A key flood cannot take the host's memory (issue 9 §3): each session's app is capped, a
session nearing its cap is ended with a message, and other sessions stay responsive."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from forum_tui.ssh.child import memory_in_use
from tests.ssh.conftest import WAIT, SshForum, open_thread, wait_until

pytestmark = pytest.mark.ssh

FLOOD = 1 << 20  # bytes: the "1 MB key flood"
CHUNK = 16384
UNDER = 300 << 20  # bytes of resident memory the flooded session must stay under
RESPONDS_WITHIN = 3.0  # seconds for another member's key to show on their screen
OBSERVE = 30.0  # seconds the flooded app is watched after the last key reached it


def resident(pid: int) -> int:
    """VmRSS in bytes (0 once the process has gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    sizes = [int(line.split()[1]) * 1024 for line in lines if line.startswith("VmRSS:")]
    return sizes[0] if sizes else 0  # a zombie has no memory left


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime


async def test_a_key_flood_stays_under_its_cap_and_others_stay_responsive(servers: Any) -> None:
    # Defaults, except that keys are let in as fast as they come (1 MB/s, not 8 KB/s after a
    # 256 KB burst): a harsher flood, over in seconds rather than two minutes.
    forum: SshForum = await servers(input_rate=1_000_000.0)
    ann_id = forum.seeded.ann
    _conn, ann = await forum.open("carer_ann")
    _conn, bob = await forum.open("bob_leads")
    await open_thread(ann)
    await bob.wait_highlighted("Carers' Corner")
    [flooded] = [s for s in forum.running.hub.sessions if s.member and s.member.id == ann_id]
    assert flooded.child is not None
    child = flooded.child
    pid = child.pid

    peak = 0
    for _ in range(0, FLOOD, CHUNK):
        ann.type(b"x" * CHUNK)
        peak = max(peak, resident(pid))
        await asyncio.sleep(0)  # let the client's writes and the server's reads interleave

    # Meanwhile Bob's session answers his keys promptly.
    bob.type("b")  # Boards
    pressed = time.monotonic()
    await bob.wait_for(lambda shown: "Your groups" not in shown, within=WAIT)
    assert time.monotonic() - pressed < RESPONDS_WITHIN

    # The flood ends one of three ways: the app nears its cap and the server ends that
    # session (with a message; drafts are kept); or the app takes every key in and goes
    # quiet; or it is still working through them OBSERVE seconds after the last was
    # delivered. Memory is watched all along, however it ends.
    state = {"ticks": -1, "quiet": 0, "delivered_at": 0.0}

    def settled() -> bool:
        nonlocal peak
        peak = max(peak, resident(pid))
        if ann.closed.is_set():
            return True
        if child.bytes_in < FLOOD:
            return False
        now = time.monotonic()
        state["delivered_at"] = state["delivered_at"] or now
        ticks = cpu_ticks(pid)
        state["quiet"] = state["quiet"] + 1 if ticks == state["ticks"] else 0
        state["ticks"] = ticks
        return state["quiet"] >= 25 or now - state["delivered_at"] > OBSERVE

    await wait_until(settled, within=120)
    assert peak < UNDER, f"the flooded session reached {peak >> 20} MB"
    if ann.closed.is_set():
        assert b"This window was closed: it was given more at once than it could hold" in ann.raw
        assert ann.exit_status == 1
    else:  # still alive: it still answers, once through its backlog
        ann.type("\x1b")
        await ann.wait_for(lambda _: "r Reply" in ann.text, within=120)
    bob.type("\x1b")  # and back home
    await bob.wait_for("Your groups")


async def test_the_memory_cap_is_set_on_every_session_and_ends_a_session_near_it(
    servers: Any,
) -> None:
    import resource

    cap = 200 << 20
    forum: SshForum = await servers(session_memory=cap)
    _conn, ann = await forum.open("carer_ann")
    await ann.wait_for("Carers' Corner")
    [session] = forum.running.hub.sessions
    assert session.child is not None
    pid = session.child.pid
    assert resource.prlimit(pid, resource.RLIMIT_DATA) == (cap, cap)
    assert 0 < memory_in_use(pid) < cap
    # As if the app had grown to its cap: the server ends the session, in words.
    session.memory_cap = memory_in_use(pid)
    await ann.wait_closed()
    assert b"This window was closed" in ann.raw
    assert not forum.running.hub.sessions
