"""A drop-in centre's shared computer over SSH: `ssh kiosk@host` (forum-tui serve
--kiosk-account) opens the kiosk's sign-in screen with no SSH sign-in; End session leaves
nothing of one carer on the client's screen or in its scrollback; wrong passwords typed there
are throttled with every other way in; with the option off, kiosk@ is refused."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import asyncssh
import pytest
from sqlalchemy import select

from forum_tui.domain.errors import AuthenticationFailed
from forum_tui.services import build_services
from forum_tui.ssh.kiosk_account import KioskAccount
from forum_tui.store.database import Database
from forum_tui.store.throttle_tables import SignInFailureRow
from forum_tui.ui.kiosk import CLEAR_SCREEN_AND_SCROLLBACK
from tests.conftest import FakeClock
from tests.ssh.conftest import PASSWORD, Screen, SshForum, wait_until

pytestmark = pytest.mark.ssh

CLEAR_SCROLLBACK = b"\x1b[3J"


def box_focused(screen: Screen, shows: str) -> bool:
    """The text box whose row shows only ``shows`` (its placeholder or text) has the cursor."""
    for y, line in enumerate(screen.screen.display):
        if line.strip() == shows:
            row = screen.screen.buffer[y]
            return any(row[x].reverse or row[x].bg != "default" for x in range(len(line)))
    return False


async def wait_focus(screen: Screen, shows: str) -> None:
    await screen.wait_for(lambda _: box_focused(screen, shows))


async def sign_in(screen: Screen, handle: str, password: str) -> None:
    await screen.wait_for("This computer is shared")
    await wait_focus(screen, "your handle")
    screen.type(handle + "\r")
    await wait_focus(screen, "password")
    screen.type(password + "\r")


async def kiosk_forum(servers: Any) -> SshForum:
    return await servers(kiosk_account=KioskAccount(idle_minutes=5))


async def test_a_carer_signs_in_at_the_kiosk_and_end_session_leaves_nothing(
    servers: Any,
) -> None:
    forum = await kiosk_forum(servers)
    conn, screen = await forum.open("kiosk")
    assert conn.get_extra_info("username") == "kiosk"
    await sign_in(screen, "carer_ann", PASSWORD)
    await screen.wait_for("signed in as carer_ann")
    await screen.wait_for("Carers' Corner")
    assert "End session" in screen.screen.display[-1]

    before = len(screen.raw)
    screen.type("\x05")  # Ctrl+E: End session
    await screen.wait_for("This computer is shared")
    await screen.wait_for("Your session has ended")
    shown = screen.text
    assert "carer_ann" not in shown and "Carers' Corner" not in shown
    # The client was told to clear its scrollback, and nothing of Ann's was sent after that.
    after = bytes(screen.raw[before:])
    assert CLEAR_SCROLLBACK in after
    rest = after.split(CLEAR_SCROLLBACK, 1)[1]
    assert b"carer_ann" not in rest and b"Carers' Corner" not in rest

    # The next carer; Ctrl+Q signs them out too, and the kiosk stays connected for the next.
    await sign_in(screen, "bob_leads", PASSWORD)
    await screen.wait_for("signed in as bob_leads")
    screen.type("\x11")  # Ctrl+Q
    await screen.wait_for(lambda shown: "This computer is shared" in shown)
    await screen.wait_for(lambda shown: "bob_leads" not in shown)
    assert not screen.closed.is_set()
    assert CLEAR_SCREEN_AND_SCROLLBACK.endswith(CLEAR_SCROLLBACK.decode())


async def test_wrong_passwords_at_the_kiosk_are_throttled_with_every_other_way_in(
    servers: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "forum_tui.ssh")
    forum = await kiosk_forum(servers)
    _conn, screen = await forum.open("kiosk")
    await sign_in(screen, "carer_ann", "a wrong guess")
    await screen.wait_for("do not match an account")
    for n in (2, 3):  # each try says its number, so a new one visibly happened
        await wait_focus(screen, "password")
        screen.type(f"another guess {n}\r")
        await screen.wait_for(f"Try {n}: That handle and password do not match")
    # Counted in the database, against the handle and the kiosk's address.
    db = Database(forum.seeded.url)
    try:
        async with db.read() as session:
            counts = {
                row.key: row.failures for row in await session.scalars(select(SignInFailureRow))
            }
        assert counts == {"handle:carerann": 3, "ip:127.0.0.1": 3}
        # More guesses by another way in (as the SSH door would make them) lengthen the wait.
        clock = FakeClock(datetime.now(UTC))
        elsewhere = build_services(db, clock)
        for _ in range(4):
            clock.advance(seconds=await elsewhere.accounts.throttle.wait_time("carer_ann"))
            with pytest.raises(AuthenticationFailed):
                await elsewhere.accounts.sign_in("carer_ann", "door guess", source="ip:192.0.2.7")
    finally:
        await db.dispose()

    await wait_focus(screen, "password")
    screen.type(PASSWORD + "\r")  # the right one, refused while the wait lasts
    await screen.wait_for("Try 4: Too many wrong tries for this handle.")
    assert "carer_ann" in screen.text  # the handle stays typed
    assert "signed in as" not in screen.text

    # The operator's log has each try, as the SSH door's are logged; never a password.
    def tries() -> list[str]:
        return [r.getMessage() for r in caplog.records if "method=screen" in r.getMessage()]

    await wait_until(lambda: len(tries()) == 4)
    results = [line.split("result=")[1].split()[0] for line in tries()]
    assert results == ["fail", "fail", "fail", "throttled"]
    assert all("handle=carer_ann" in line and "ip=127.0.0.1" in line for line in tries())
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "a wrong guess" not in log and PASSWORD not in log


async def test_without_the_option_kiosk_is_refused(forum: SshForum) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await forum.connect("kiosk", password=None, preferred_auth="password,keyboard-interactive")


async def test_a_handle_and_password_typed_before_the_screen_shows_sign_in_unseen(
    servers: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """Typed ahead while the session starts (a slow link, a quick typist): Enter is Enter and
    the password is never echoed, because the PTY passes keys through raw from the start."""
    caplog.set_level(logging.INFO, "forum_tui.ssh")
    forum = await kiosk_forum(servers)
    _conn, screen = await forum.open("kiosk")
    screen.type(f"carer_ann\r{PASSWORD}\r")  # before the app has drawn anything
    await screen.wait_for("signed in as carer_ann")
    assert PASSWORD.encode() not in bytes(screen.raw)
    await wait_until(
        lambda: any(
            "handle=carer_ann result=ok method=screen" in r.getMessage() for r in caplog.records
        )
    )
