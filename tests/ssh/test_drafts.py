"""A dropped connection loses nothing: the app is hung up and reaped, the draft typed so far
is offered back at the next sign-in, and a reply typed in one session appears in another."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.ssh.conftest import WAIT, SshForum, footer, open_thread, wait_until

pytestmark = pytest.mark.ssh

TEXT = "Half a reply about respite, typed on the bus"


async def test_a_session_cut_off_mid_reply_gets_its_draft_back(forum: SshForum) -> None:
    conn, screen = await forum.open()
    await open_thread(screen)
    screen.type(TEXT)
    await screen.wait_for(TEXT)
    place = f"reply:{forum.seeded.thread}"
    deadline = time.monotonic() + WAIT
    while (draft := await forum.services.drafts.get_draft(forum.seeded.ann, place)) is None or (
        draft.body != TEXT
    ):  # saved as typed, a moment after the last key
        assert time.monotonic() < deadline, "the draft was never saved"
        await asyncio.sleep(0.1)

    [session] = forum.running.hub.sessions
    child = session.child
    assert child is not None
    conn.abort()  # the connection drops: no goodbye, no Ctrl+Q
    await wait_until(lambda: child.process.returncode is not None)
    await wait_until(lambda: not forum.running.hub.sessions)
    await wait_until(lambda: not Path(f"/proc/{child.pid}").exists())  # reaped: no zombie

    _conn, again = await forum.open()
    await again.wait_for("Unsent drafts")
    await again.wait_highlighted("Carers' Corner")
    again.type("\r")
    await again.wait_highlighted("Respite - does it exist?")
    again.type("\r")
    await again.wait_for("Your unsent reply was kept")
    await again.wait_for(TEXT)
    await again.wait_for(lambda _: "r Reply" not in footer(again))  # the reply box has focus
    again.type(" and home again")
    await again.wait_for(TEXT + " and home again")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_two_sessions_see_each_others_replies_live(forum: SshForum) -> None:
    _conn, ann = await forum.open("carer_ann")
    _conn, bob = await forum.open("bob_leads")
    await open_thread(ann)
    await open_thread(bob)
    bob.type("Bob here: respite came through for us")
    await bob.wait_for("respite came through")
    sent = time.monotonic()
    bob.type("\x13")  # Ctrl+S
    await ann.wait_for("respite came through", within=10)  # no key pressed in Ann's session
    took = time.monotonic() - sent
    assert took < 2.5, f"Ann saw Bob's reply after {took:.1f} s"
