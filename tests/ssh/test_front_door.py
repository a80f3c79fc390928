"""Strangers cannot lock members out (issue 9 §1, §2), with ``forum-tui serve``'s defaults:
idle connections are capped per address, sign-up sessions have their own small caps and
never take a member's place, and a connection that opens no session is ended."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import asyncssh
import pytest

from forum_tui.ssh.door import DoorLimits
from tests.ssh.conftest import PASSWORD, WAIT, Screen, SshForum, wait_until

pytestmark = pytest.mark.ssh

SIGN_IN_WITHIN = 2.0  # seconds: the promise for a member while strangers press


async def idle_connections(port: int, count: int, address: str) -> list[asyncio.StreamWriter]:
    """``count`` TCP connections from ``address`` that never say a word."""
    writers = []
    for _ in range(count):
        _reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
        writers.append(writer)
    return writers


async def timed_sign_in(forum: SshForum, address: str) -> tuple[float, Screen]:
    """Connects as carer_ann from ``address`` with her password; seconds to signed in."""
    started = time.monotonic()
    conn = await forum.connect(
        "carer_ann", password=PASSWORD, preferred_auth="password", local_addr=(address, 0)
    )
    took = time.monotonic() - started
    _chan, screen = await conn.create_session(
        Screen, term_type="xterm", term_size=(80, 24), encoding=None
    )
    return took, screen


async def test_a_hundred_idle_connections_from_one_address_do_not_lock_members_out(
    forum: SshForum,
) -> None:
    limits = forum.running.hub.options.door
    assert limits == DoorLimits()  # the defaults, as shipped
    writers = await idle_connections(forum.port, 100, "127.0.0.1")
    try:
        door = forum.running.hub.door
        await wait_until(lambda: door.by_address.get("127.0.0.1") == limits.strangers_per_address)
        assert forum.running.hub.connections == limits.strangers_per_address  # the rest: refused
        took, screen = await timed_sign_in(forum, "127.0.0.2")
        assert took < SIGN_IN_WITHIN, f"signing in took {took:.2f} s"
        await screen.wait_for("signed in as carer_ann")
        # Signed in, she is no longer a stranger: only the idle ones are counted.
        assert door.total == limits.strangers_per_address
    finally:
        for writer in writers:
            writer.close()


async def test_twenty_sign_up_sessions_from_five_addresses_do_not_lock_members_out(
    forum: SshForum,
) -> None:
    limits = forum.running.hub.options.door

    async def sign_up_from(address: str) -> Screen:
        conn = await forum.connect("new", local_addr=(address, 0))
        _chan, screen = await conn.create_session(
            Screen, term_type="xterm", term_size=(80, 24), encoding=None
        )
        return screen

    addresses = [f"127.0.0.{n}" for n in range(11, 16)]
    screens = await asyncio.gather(*(sign_up_from(a) for a in addresses for _ in range(4)))
    hub = forum.running.hub
    await wait_until(
        lambda: sum(1 for s in screens if s.closed.is_set()) == 20 - limits.sign_up_sessions
    )
    running = [s for s in hub.sessions if s.sign_up]
    assert len(running) == limits.sign_up_sessions
    for address in addresses:
        mine = [s for s in running if s.connection.ip == address]
        assert len(mine) <= limits.sign_up_sessions_per_address
    refused = [s for s in screens if s.closed.is_set()]
    assert all(s.exit_status == 1 for s in refused)
    assert any(b"Joining is busy right now" in s.raw for s in refused)
    assert any(b"already signing up" in s.raw for s in refused)

    took, screen = await timed_sign_in(forum, "127.0.0.2")
    assert took < SIGN_IN_WITHIN, f"signing in took {took:.2f} s"
    await screen.wait_for("signed in as carer_ann")


async def test_sign_up_sessions_never_take_a_members_place(servers: Any) -> None:
    forum: SshForum = await servers(max_sessions=1)
    _conn, joining = await forum.open("new")
    await joining.wait_for("join with an invite code")
    _conn, ann = await forum.open("carer_ann")
    await ann.wait_for("signed in as carer_ann")  # the one member place is hers
    _conn, bob = await forum.open("bob_leads")
    await bob.wait_closed()
    assert b"The forum is full right now (1 people are connected)" in bob.raw


async def test_a_sign_up_session_has_a_short_idle_limit(servers: Any) -> None:
    forum: SshForum = await servers(door=DoorLimits(sign_up_idle_timeout=3))
    _conn, screen = await forum.open("new")
    # On a busy machine the clock may run out before the first screen is drawn in full, so
    # only the ending is waited for.
    await screen.wait_closed()
    assert b"signed out after 3 seconds without a key press" in screen.raw
    assert forum.running.hub.options.idle_timeout == 1800  # members keep their half hour
    assert DoorLimits().sign_up_idle_timeout <= 300  # the default: minutes, not half an hour


async def test_a_connection_that_opens_no_session_is_ended(servers: Any) -> None:
    forum: SshForum = await servers(door=DoorLimits(session_wait=0.5))
    for username, kwargs in (("new", {}), ("carer_ann", {"password": PASSWORD})):
        conn = await forum.connect(username, **kwargs)
        with contextlib.suppress(asyncssh.Error):  # the server's goodbye
            await asyncio.wait_for(conn.wait_closed(), WAIT)
    await wait_until(lambda: forum.running.hub.connections == 0)


async def test_sign_up_apps_yield_the_cpu_to_members(forum: SshForum) -> None:
    import os

    _conn, joining = await forum.open("new")
    await joining.wait_for("join with an invite code")
    _conn, ann = await forum.open("carer_ann")
    await ann.wait_for("signed in as carer_ann")
    by_kind = {s.sign_up: s.child.pid for s in forum.running.hub.sessions if s.child}
    assert os.getpriority(os.PRIO_PROCESS, by_kind[True]) == DoorLimits().sign_up_niceness
    assert os.getpriority(os.PRIO_PROCESS, by_kind[False]) == os.getpriority(
        os.PRIO_PROCESS, 0
    )  # a member's app runs as the server does
