"""Signing in over SSH: keys, passwords, and everything that must not let anyone in."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any

import asyncssh
import pytest

import forum_tui.services.accounts as accounts
from forum_tui.ssh.throttle import FailureThrottle, ThrottleSettings
from tests.ssh.conftest import PASSWORD, WAIT, SshForum

pytestmark = pytest.mark.ssh


class Guesser(asyncssh.SSHClient):
    """A client that tries the given passwords in turn on one connection."""

    def __init__(self, passwords: list[str]) -> None:
        self.passwords = list(passwords)
        self.tried = 0
        self.banners: list[str] = []

    def password_auth_requested(self) -> str | None:
        if not self.passwords:
            return None
        self.tried += 1
        return self.passwords.pop(0)

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banners.append(msg)


async def guess(forum: SshForum, handle: str, *passwords: str) -> tuple[Guesser, Exception | None]:
    """Tries ``passwords`` as ``handle`` on one connection; the error that ended it, if any."""
    client = Guesser(list(passwords))
    try:
        conn = await forum.connect(
            handle, client_factory=lambda: client, kbdint_auth=False, preferred_auth="password"
        )
    except (asyncssh.Error, OSError) as error:
        return client, error
    conn.close()
    return client, None


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash verification the server runs (it runs in this process)."""
    seen: list[str] = []
    verify = accounts._verify

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password_hash)
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    return seen


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_member_signs_in_with_a_password(forum: SshForum) -> None:
    _conn, screen = await forum.open("carer_ann", password=PASSWORD)
    await screen.wait_for("signed in as carer_ann")
    await screen.wait_for("Carers' Corner")
    screen.type("\x11")  # Ctrl+Q
    await screen.wait_closed()
    assert screen.exit_status == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_a_member_signs_in_with_their_key(forum: SshForum) -> None:
    key = asyncssh.read_private_key(forum.seeded.ann_key)
    conn, screen = await forum.open("carer_ann", client_keys=[key], preferred_auth="publickey")
    await screen.wait_for("signed in as carer_ann")
    assert conn.get_extra_info("username") == "carer_ann"
    deadline = time.monotonic() + WAIT
    while not (await forum.services.access.list_my_keys(forum.seeded.ann))[0].last_used_at:
        assert time.monotonic() < deadline, "key use never recorded"
        await asyncio.sleep(0.05)


async def test_a_key_signs_in_only_its_own_member(forum: SshForum) -> None:
    ann_key = asyncssh.read_private_key(forum.seeded.ann_key)
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    for handle, key in (("bob_leads", ann_key), ("carer_ann", stranger), ("nobody", ann_key)):
        with pytest.raises(asyncssh.PermissionDenied):
            await forum.connect(handle, client_keys=[key], preferred_auth="publickey")


async def test_unknown_handle_and_wrong_password_look_and_cost_the_same(
    forum: SshForum, hashes: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "forum_tui.ssh")
    outcomes = []
    for handle in ("carer_ann", "no_such_carer"):
        before = len(hashes)
        client, error = await guess(forum, handle, "not the password")
        outcomes.append((type(error), client.tried, len(hashes) - before))
    # The same refusal, after exactly one argon2 verification each.
    assert outcomes[0] == outcomes[1] == (asyncssh.PermissionDenied, 1, 1)
    fails = [r.getMessage() for r in caplog.records if "result=fail" in r.getMessage()]
    assert len(fails) == 2 and all("PASSWORD" not in line for line in fails)
    assert not any("not the password" in r.getMessage() for r in caplog.records)


async def test_three_password_attempts_per_connection_then_goodbye(
    forum: SshForum, hashes: list[str]
) -> None:
    client, error = await guess(forum, "carer_ann", *["wrong one"] * 5)
    assert client.tried == 3
    assert len(hashes) == 3
    assert isinstance(error, asyncssh.DisconnectError)


async def test_failures_throttle_before_hashing_with_a_growing_delay(
    servers: Any, hashes: list[str]
) -> None:
    now = [1000.0]
    throttle = FailureThrottle(
        ThrottleSettings(start_after=2, base_delay=10, max_delay=60), clock=lambda: now[0]
    )
    # The shared throttle in the database keeps the same time (its own policy: 3, then 1 s).
    forum: SshForum = await servers(
        throttle=throttle, clock=lambda: datetime.fromtimestamp(now[0], UTC)
    )

    client, _ = await guess(forum, "carer_ann", "wrong one", "wrong two")
    assert (client.tried, len(hashes)) == (2, 2)
    assert throttle.wait_time("handle:carerann") == 10

    # While blocked, even the right password is refused, and nothing is hashed: for this
    # handle, and for any handle from this address.
    for handle in ("carer_ann", "Carer.Ann", "bob_leads"):
        client, error = await guess(forum, handle, PASSWORD)
        assert isinstance(error, asyncssh.PermissionDenied)
        assert len(hashes) == 2
        assert any("wait 10 seconds" in banner for banner in client.banners)

    now[0] += 10
    client, _ = await guess(forum, "carer_ann", "wrong three")
    assert len(hashes) == 3
    assert throttle.wait_time("handle:carerann") == 20  # doubled

    now[0] += 20
    client, error = await guess(forum, "carer_ann", PASSWORD)
    assert error is None and len(hashes) == 4
    # A success clears the handle, but not the address that was guessing.
    assert throttle.wait_time("handle:carerann") == 0


async def test_no_permanent_lockout() -> None:
    now = [0.0]
    settings = ThrottleSettings(start_after=3, base_delay=1, max_delay=60, forget_after=600)
    throttle = FailureThrottle(settings, clock=lambda: now[0])
    delays = []
    for _ in range(12):
        throttle.failed("ip:x")
        delays.append(throttle.wait_time("ip:x"))
        now[0] += delays[-1]
    assert delays[:6] == [0, 0, 1, 2, 4, 8]
    assert max(delays) == 60  # capped
    now[0] += 601
    assert throttle.wait_time("ip:x") == 0
    throttle.failed("ip:x")
    assert throttle.wait_time("ip:x") == 0  # forgotten: counting starts again


async def test_a_hostile_handle_cannot_forge_a_log_line(
    forum: SshForum, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "forum_tui.ssh")
    handle = 'x" result=ok member=1 y="'
    await guess(forum, handle, "wrong")
    [line] = [r.getMessage() for r in caplog.records if "event=auth " in r.getMessage()]
    fields = parse_log_line(line)
    assert fields["result"] == "fail" and fields["handle"] == handle
    assert "member" not in fields


def parse_log_line(line: str) -> dict[str, str]:
    """key=value pairs, where a value is a bare word or a JSON string."""
    fields = {}
    for key, value in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line):
        assert key not in fields, f"{key} twice in {line}"
        fields[key] = json.loads(value) if value.startswith('"') else value
    return fields


def test_the_log_escapes_what_a_terminal_would_obey() -> None:
    from forum_tui.ssh.oplog import OneLineFormatter, format_event

    line = format_event("auth", {"handle": "evil\n\x1b]0;pwned\x07", "member": 3, "ok": True})
    assert "\n" not in line and "\x1b" not in line and "\x07" not in line
    assert line.startswith("event=auth handle=") and line.endswith("member=3 ok=yes")
    record = logging.LogRecord("asyncssh", logging.INFO, "", 0, "user %s", ("a\nb\x1b[2J",), None)
    formatted = OneLineFormatter().format(record)
    assert "\n" not in formatted and "\x1b" not in formatted
