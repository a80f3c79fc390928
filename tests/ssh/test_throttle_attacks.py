"""The sign-in throttle under attack (issue 9 §4): parallel guesses count as serial ones do,
a padded name is the same name, and a quiet hour forgets (on a fake clock)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncssh
import pytest

from forum_tui.domain.text import sign_in_key
from forum_tui.ssh.throttle import FailureThrottle, ThrottleSettings
from tests.ssh.conftest import PASSWORD, SshForum
from tests.ssh.test_sign_in import guess, hashes  # noqa: F401  (a fixture)

pytestmark = pytest.mark.ssh


START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class FrozenClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


async def guesses_hashed(forum: SshForum, seen: list[str], count: int, *, parallel: bool) -> int:
    """Sends ``count`` wrong passwords for carer_ann, one per connection; how many were hashed."""
    before = len(seen)
    if parallel:
        await asyncio.gather(*(guess(forum, "carer_ann", f"wrong {n}") for n in range(count)))
    else:
        for n in range(count):
            await guess(forum, "carer_ann", f"wrong {n}")
    return len(seen) - before


async def test_parallel_wrong_passwords_are_throttled_as_serial_ones_are(
    servers: Any,
    hashes: list[str],  # noqa: F811
) -> None:
    # The clock stands still, so the only difference between the two runs is the timing of
    # the requests: serially, three are checked and the rest wait; in parallel, the same.
    # Both servers share the database, and with it the shared throttle's counts: the second
    # one's services live two hours later, when the first run's failures are forgotten.
    serial_clock, parallel_clock = FrozenClock(), FrozenClock()
    serial = await servers(throttle=FailureThrottle(clock=serial_clock), clock=lambda: START)
    parallel = await servers(
        throttle=FailureThrottle(clock=parallel_clock), clock=lambda: START + timedelta(hours=2)
    )

    checked_serially = await guesses_hashed(serial, hashes, 20, parallel=False)
    checked_in_parallel = await guesses_hashed(parallel, hashes, 20, parallel=True)

    assert checked_serially == ThrottleSettings().start_after == 3
    assert checked_in_parallel == checked_serially
    # And the right password is refused too while the block lasts, with nothing hashed.
    before = len(hashes)
    client, error = await guess(parallel, "carer_ann", PASSWORD)
    assert isinstance(error, asyncssh.PermissionDenied)
    assert len(hashes) == before
    assert any("Please wait" in banner for banner in client.banners)


async def test_a_padded_name_is_throttled_as_the_name_it_signs_in_as(
    servers: Any,
    hashes: list[str],  # noqa: F811
) -> None:
    clock = FrozenClock()
    throttle = FailureThrottle(ThrottleSettings(start_after=2, base_delay=30), clock=clock)
    forum: SshForum = await servers(throttle=throttle)
    await guess(forum, "carer_ann", "wrong one", "wrong two")
    assert throttle.wait_time(f"handle:{sign_in_key('carer_ann')}") == 30

    # From another address (so only the handle's count applies), with the right password:
    # "_" * 60 + "carer_ann" is carer_ann to sign-in, so it is blocked like carer_ann.
    padded = "_" * 60 + "carer_ann"
    assert sign_in_key(padded) == sign_in_key("carer_ann")
    before = len(hashes)
    with pytest.raises(asyncssh.PermissionDenied):
        await forum.connect(
            padded, password=PASSWORD, preferred_auth="password", local_addr=("127.0.0.2", 0)
        )
    assert len(hashes) == before

    clock.now += 30  # the block is over: the padded name signs in as carer_ann
    conn = await forum.connect(
        padded, password=PASSWORD, preferred_auth="password", local_addr=("127.0.0.2", 0)
    )
    conn.close()
    assert len(hashes) == before + 1


def test_counting_at_the_start_is_taken_back_for_a_right_password() -> None:
    clock = FrozenClock()
    throttle = FailureThrottle(ThrottleSettings(start_after=3, base_delay=10), clock=clock)
    for _ in range(2):
        throttle.failed("ip:a", "handle:x")
    # Two attempts begun at once: both counted before either is judged.
    first = throttle.begin("ip:a", "handle:y")
    second = throttle.begin("ip:a", "handle:y")
    assert first.wait == 0 and second.wait > 0  # the third failure blocks the fourth
    throttle.succeeded(first, clear="handle:y")
    # Right after all: the address is as it was before (two failures, not blocked).
    assert throttle.wait_time("ip:a") == 0
    assert throttle.wait_time("handle:y") == 0
    throttle.failed("ip:a")
    assert throttle.wait_time("ip:a") == 10  # the third real failure blocks, as serially

    # A check that could not run (database down) counts for nothing either.
    other = throttle.begin("ip:b")
    throttle.not_tried(other)
    assert throttle.wait_time("ip:b") == 0
    for _ in range(3):
        throttle.failed("ip:b")
    assert throttle.wait_time("ip:b") == 10


def test_the_throttle_forgets_after_an_hour_of_quiet() -> None:
    clock = FrozenClock()
    throttle = FailureThrottle(clock=clock)  # the defaults: forget after 3600 s
    for _ in range(10):
        throttle.failed("handle:kez99")
    assert throttle.wait_time("handle:kez99") == ThrottleSettings().max_delay
    clock.now += 3599
    throttle.failed("handle:kez99")  # still remembered: the count goes on growing
    assert throttle.wait_time("handle:kez99") == ThrottleSettings().max_delay
    clock.now += 3601
    assert throttle.wait_time("handle:kez99") == 0
    attempt = throttle.begin("handle:kez99")
    assert attempt.wait == 0
    assert throttle.wait_time("handle:kez99") == 0  # one failure after forgetting: no block
