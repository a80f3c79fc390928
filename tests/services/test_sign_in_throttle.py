"""The sign-in throttle every way in shares (services/sign_in_throttle.py), on both databases:
wrong passwords are counted, then wait a growing time; a right one clears the handle; time
moving on lifts the block; guesses sent at once are all counted."""

from __future__ import annotations

import asyncio

import pytest

import forum_tui.services.accounts as accounts
from forum_tui.domain.errors import AuthenticationFailed, SignInThrottled
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member

PASSWORD = "kettle-on-at-four"


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hash checked: a refused attempt must not cost one."""
    seen: list[str] = []
    verify = accounts._verify

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password_hash)
        return verify(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    return seen


async def wrong(services: Services, handle: str = "carer_ann", source: str | None = None) -> None:
    with pytest.raises(AuthenticationFailed):
        await services.accounts.sign_in(handle, "not the password", source=source)


async def test_wrong_passwords_are_counted_then_wait_a_doubling_time(
    services: Services, clock: FakeClock, hashes: list[str]
) -> None:
    ann = await add_member(services, "carer_ann", password=PASSWORD)
    for _ in range(2):
        await wrong(services)
    assert await services.accounts.throttle.wait_time("carer_ann") == 0
    await wrong(services)  # the third in a row: now each try waits
    assert await services.accounts.throttle.wait_time("carer_ann") == 1

    # Even the right password is refused, with the wait in words, and nothing is checked.
    checked = len(hashes)
    with pytest.raises(SignInThrottled) as refused:
        await services.accounts.sign_in("Carer_Ann", PASSWORD)
    assert str(refused.value) == (
        "Too many wrong tries for this handle. Please wait 1 second and try again."
    )
    assert refused.value.wait == 1 and len(hashes) == checked
    # A refused try is not counted: the wait is what it was.
    assert await services.accounts.throttle.wait_time("carer_ann") == 1

    clock.advance(seconds=1)
    await wrong(services)
    with pytest.raises(SignInThrottled, match="Please wait 2 seconds and try again"):
        await services.accounts.sign_in("carer_ann", PASSWORD)
    clock.advance(seconds=2)
    assert (await services.accounts.sign_in("carer_ann", PASSWORD)).id == ann.id


async def test_the_wait_stops_growing_and_an_hour_of_quiet_forgets(
    services: Services, clock: FakeClock
) -> None:
    ann = await add_member(services, "carer_ann", password=PASSWORD)
    for _ in range(12):
        await wrong(services)
        clock.advance(seconds=await services.accounts.throttle.wait_time("carer_ann"))
    await wrong(services)
    assert await services.accounts.throttle.wait_time("carer_ann") == 120  # never more
    clock.advance(seconds=120)
    assert (await services.accounts.sign_in("carer_ann", PASSWORD)).id == ann.id  # never locked

    for _ in range(5):
        await wrong(services)
        clock.advance(seconds=await services.accounts.throttle.wait_time("carer_ann"))
    clock.advance(hours=1, seconds=1)
    await wrong(services)  # the first failure after an hour's quiet: counting starts again
    assert await services.accounts.throttle.wait_time("carer_ann") == 0


async def test_a_right_password_clears_the_handle_but_not_the_source(
    services: Services, clock: FakeClock
) -> None:
    await add_member(services, "carer_ann", password=PASSWORD)
    await add_member(services, "bob_cares", password=PASSWORD)
    for _ in range(2):
        await wrong(services, source="ip:203.0.113.9")
    await services.accounts.sign_in("carer_ann", PASSWORD, source="ip:203.0.113.9")
    for _ in range(2):  # counting for carer_ann starts again: two more are not yet a block
        await wrong(services, source="ip:198.51.100.1")
    assert await services.accounts.throttle.wait_time("carer_ann") == 0

    # The address that guessed keeps its count: one more wrong guess there (at anyone) blocks
    # it, for every handle, while the same handle from elsewhere is not held up.
    await wrong(services, "bob_cares", source="ip:203.0.113.9")
    with pytest.raises(SignInThrottled) as refused:
        await services.accounts.sign_in("bob_cares", PASSWORD, source="ip:203.0.113.9")
    assert str(refused.value) == (
        "Too many wrong tries from this connection. Please wait 1 second and try again."
    )
    assert (await services.accounts.sign_in("bob_cares", PASSWORD)).handle == "bob_cares"


async def test_wrong_guesses_sent_at_once_are_all_counted(
    services: Services, hashes: list[str]
) -> None:
    await add_member(services, "carer_ann", password=PASSWORD)
    results = await asyncio.gather(
        *(services.accounts.sign_in("carer_ann", f"guess {n}") for n in range(12)),
        return_exceptions=True,
    )
    # The clock stands still: as one after another, three are checked and the rest wait.
    assert sorted(type(result).__name__ for result in results) == (
        ["AuthenticationFailed"] * 3 + ["SignInThrottled"] * 9
    )
    assert len(hashes) == 3
    with pytest.raises(SignInThrottled):
        await services.accounts.sign_in("carer_ann", PASSWORD)


async def test_a_different_spelling_of_the_handle_is_the_same_count(
    services: Services,
) -> None:
    await add_member(services, "carer_ann", password=PASSWORD)
    for typed in ("carer_ann", "CARER_ANN", " Carer_Ann "):
        await wrong(services, typed)
    with pytest.raises(SignInThrottled):
        await services.accounts.sign_in("carer_ann", PASSWORD)
