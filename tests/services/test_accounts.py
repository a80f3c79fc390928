"""Accounts: who can be created, who can sign in, and what a suspended member can still do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from forum_tui.domain.text import check_handle_available_shape
from forum_tui.services import Services, accounts
from forum_tui.store.tables import MemberRow
from tests.conftest import add_member

PASSWORD = "kettle-on-at-four"


async def test_add_member_keeps_the_handle_as_typed_and_starts_active(services: Services) -> None:
    ann = await add_member(services, "Carer_Ann")
    assert ann.handle == "Carer_Ann"
    assert ann.role is Role.CARER
    assert ann.state is MemberState.ACTIVE
    found = await services.accounts.find_member("carer_ann")
    assert found.id == ann.id
    staff = await services.accounts.add_member("cmht-jo", role=Role.STAFF, display_name="Jo B")
    assert (await services.accounts.get_member(staff.id)).role is Role.STAFF
    assert staff.display_name == "Jo B"


@pytest.mark.parametrize(
    "handle",
    [
        "ab",  # too short
        "x" * 33,  # too long
        "carer ann",  # space
        "_ann",  # must start with a letter or digit
        "ann!",  # punctuation outside _ . -
        "admin",  # reserved
        "the_adm1n",  # contains a reserved word, disguised
        "ann\u202ebob",  # direction override
    ],
)
async def test_handle_rules_are_the_domain_rules(services: Services, handle: str) -> None:
    with pytest.raises(ValidationError) as domain_refusal:
        check_handle_available_shape(handle)
    with pytest.raises(ValidationError) as service_refusal:
        await add_member(services, handle)
    assert str(service_refusal.value) == str(domain_refusal.value)


@pytest.mark.parametrize("second", ["carer-ann", "CARER.ANN", "Carer_Ann", "carerann"])
async def test_a_handle_that_looks_like_an_existing_one_is_refused(
    services: Services, second: str
) -> None:
    first = await add_member(services, "Carer_Ann")
    with pytest.raises(ValidationError, match="taken"):
        await add_member(services, second)
    # The original account is the only one the look-alike resolves to.
    assert (await services.accounts.find_member(second)).id == first.id


async def test_sign_in_ignores_the_case_of_the_handle(services: Services) -> None:
    ann = await add_member(services, "Carer_Ann", password=PASSWORD)
    for typed in ("Carer_Ann", "carer_ann", "  CARER_ANN "):
        signed_in = await services.accounts.sign_in(typed, PASSWORD)
        assert signed_in.id == ann.id
        assert signed_in.handle == "Carer_Ann"


async def test_wrong_password_and_unknown_handle_read_the_same(services: Services) -> None:
    await add_member(services, "Carer_Ann", password=PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong_password:
        await services.accounts.sign_in("carer_ann", PASSWORD + "x")
    with pytest.raises(AuthenticationFailed) as unknown_handle:
        await services.accounts.sign_in("nobody_here", PASSWORD)
    assert str(wrong_password.value) == str(unknown_handle.value)
    assert "carer_ann" not in str(wrong_password.value).lower()


async def test_an_account_without_a_password_cannot_be_signed_into(services: Services) -> None:
    await add_member(services, "Carer_Ann")  # an operator has not set a password yet
    with pytest.raises(AuthenticationFailed):
        await services.accounts.sign_in("Carer_Ann", "")


async def test_a_short_password_is_refused_and_no_account_is_made(services: Services) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        await add_member(services, "Carer_Ann", password="1234567")
    with pytest.raises(NotFound):
        await services.accounts.find_member("Carer_Ann")


async def test_a_suspended_member_may_sign_in_and_read_but_not_post(
    services: Services, clock
) -> None:
    ann = await add_member(services, "Carer_Ann", password=PASSWORD)
    group = await services.groups.add_group("sleep", "Sleep and night-time caring")
    await services.groups.add_to_group("sleep", "Carer_Ann")
    thread = await services.threads.start_thread(ann.id, group.id, "Night shifts", "Anyone up?")
    async with services.db.write() as session:
        row = (await session.execute(select(MemberRow).where(MemberRow.id == ann.id))).scalar_one()
        row.state = str(MemberState.SUSPENDED)
        row.suspended_until = clock() + timedelta(days=7)

    signed_in = await services.accounts.sign_in("carer_ann", PASSWORD)
    assert signed_in.state is MemberState.SUSPENDED

    view = await services.threads.open_thread(ann.id, thread.id)
    assert [post.body for post in view.posts.items] == ["Anyone up?"]
    assert not view.can_reply
    assert "suspended" in view.why_not
    with pytest.raises(PermissionDenied, match="suspended"):
        await services.threads.reply(ann.id, thread.id, "Still here")
    with pytest.raises(PermissionDenied, match="suspended"):
        await services.threads.start_thread(ann.id, group.id, "New one", "Hello")
    after = await services.threads.open_thread(ann.id, thread.id)
    assert after.thread.reply_count == 0


async def test_the_app_stores_passwords_as_strong_argon2id_hashes(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite hashes cheaply (tests/conftest.py); the app uses RFC 9106's low-memory profile,
    so a stolen database costs a guesser 64 MiB and 3 passes for every try."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
    )
    assert accounts.HASH_PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    ann = await add_member(services, "carer_ann", password=PASSWORD)
    async with services.db.read() as session:
        stored = (
            await session.execute(select(MemberRow.password_hash).where(MemberRow.id == ann.id))
        ).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    assert (await services.accounts.sign_in("carer_ann", PASSWORD)).id == ann.id
