"""Access: members' SSH keys, invite codes, and signing up with one."""

from __future__ import annotations

import asyncio

import asyncssh
import pytest
from sqlalchemy import select

from forum_tui.domain.enums import GroupRole, MemberState, Role, Visibility
from forum_tui.domain.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from forum_tui.services import Services
from forum_tui.services.access import KEYS_PER_MEMBER, normalise_invite_code
from forum_tui.store.access_tables import InviteRow
from forum_tui.store.tables import MemberRow, MembershipRow
from tests.conftest import FakeClock, add_member

PASSWORD = "kettle-on-at-four"


def new_key(algorithm: str = "ssh-ed25519", **kwargs: int) -> tuple[str, str]:
    """A fresh key pair's public line (with a comment) and its SHA256 fingerprint."""
    key = asyncssh.generate_private_key(algorithm, comment="ann@laptop", **kwargs)
    line = key.export_public_key("openssh").decode().strip()
    return line, key.get_fingerprint("sha256")


# --- keys ----------------------------------------------------------------------------------


async def test_a_key_added_by_the_operator_signs_its_member_in(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    line, fingerprint = new_key()
    added = await services.access.add_key("Carer-Ann", line)
    assert (added.algorithm, added.fingerprint, added.comment) == (
        "ssh-ed25519",
        fingerprint,
        "ann@laptop",
    )
    assert [k.fingerprint for k in await services.access.list_my_keys(ann.id)] == [fingerprint]
    found = await services.access.member_for_key("carer_ann", line.rsplit(" ", 1)[0])
    assert found is not None and found.id == ann.id
    # Unknown handle and unknown key look the same: no member.
    assert await services.access.member_for_key("nobody_here", line) is None
    assert await services.access.member_for_key("carer_ann", new_key()[0]) is None
    assert await services.access.member_for_key("carer_ann", "not a key") is None


async def test_a_key_belongs_to_the_handle_it_was_added_to(services: Services) -> None:
    await add_member(services, "carer_ann")
    await add_member(services, "carer_bob")
    line, _ = new_key()
    await services.access.add_key("carer_ann", line)
    assert await services.access.member_for_key("carer_bob", line) is None


async def test_members_manage_only_their_own_keys(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    bob = await add_member(services, "carer_bob")
    key = await services.access.add_my_key(ann.id, new_key()[0])
    with pytest.raises(NotFound):
        await services.access.remove_my_key(bob.id, key.id)
    assert await services.access.list_my_keys(bob.id) == []
    await services.access.remove_my_key(ann.id, key.id)
    assert await services.access.list_my_keys(ann.id) == []


async def test_a_wrapped_paste_is_one_key_and_a_repeat_is_refused(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    line, fingerprint = new_key()
    algorithm, data, comment = line.split(" ")
    wrapped = f"  {algorithm} {data[:30]}\n{data[30:]}\r\n {comment}\n"
    added = await services.access.add_my_key(ann.id, wrapped)
    assert added.fingerprint == fingerprint
    with pytest.raises(ValidationError, match="already on this account"):
        await services.access.add_my_key(ann.id, line)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "does not look like"),
        ("hello there", "does not look like"),
        ("ssh-ed25519 AAAAnotbase64!!", "does not look like"),
        ("ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQC", "does not look like"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "DSA"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "private key"),
        ("ssh-ed25519-cert-v01@openssh.com AAAA", "Certificates"),
    ],
)
async def test_what_is_not_a_usable_public_key_is_refused(
    services: Services, text: str, message: str
) -> None:
    ann = await add_member(services, "carer_ann")
    with pytest.raises(ValidationError, match=message):
        await services.access.add_my_key(ann.id, text)


async def test_a_short_rsa_key_is_refused_and_a_long_one_accepted(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    with pytest.raises(ValidationError, match="too short"):
        await services.access.add_my_key(ann.id, new_key("ssh-rsa", key_size=1024)[0])
    ok = await services.access.add_my_key(ann.id, new_key("ssh-rsa", key_size=2048)[0])
    assert ok.algorithm == "ssh-rsa"


async def test_a_key_comment_cannot_carry_terminal_controls(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    line = new_key()[0].rsplit(" ", 1)[0] + " evil\x1b]0;NHS\x07 \x1b[2Jlaptop"
    added = await services.access.add_my_key(ann.id, line)
    assert "\x1b" not in added.comment and "\x07" not in added.comment
    assert added.comment.endswith("laptop")


async def test_an_account_holds_a_bounded_number_of_keys(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    for _ in range(KEYS_PER_MEMBER):
        await services.access.add_my_key(ann.id, new_key()[0])
    with pytest.raises(ValidationError, match="at most"):
        await services.access.add_my_key(ann.id, new_key()[0])


async def test_an_erased_member_has_no_key_sign_in(services: Services) -> None:
    ann = await add_member(services, "carer_ann")
    line, _ = new_key()
    await services.access.add_key("carer_ann", line)
    async with services.db.write() as session:
        (await session.get(MemberRow, ann.id)).state = MemberState.ERASED.value
    assert await services.access.member_for_key("carer_ann", line) is None


# --- invites -------------------------------------------------------------------------------


async def _forum(services: Services) -> dict[str, int]:
    ids = {}
    for handle, role in (("forum_admin", Role.ADMIN), ("bev_leads", Role.CARER)):
        ids[handle] = (
            await services.accounts.add_member(handle, role=role, allow_reserved=True)
        ).id
    ids["ann"] = (await add_member(services, "carer_ann")).id
    ids["corner"] = (await services.groups.add_group("carers-corner", "Carers' Corner")).id
    ids["partners"] = (
        await services.groups.add_group("partners", "Partners", visibility=Visibility.PRIVATE)
    ).id
    await services.groups.set_leader("carers-corner", "bev_leads")
    return ids


async def test_who_may_create_an_invite(services: Services) -> None:
    ids = await _forum(services)
    access = services.access
    assert await access.create_invite(None)  # the operator
    assert await access.create_invite(None, "partners")
    assert await access.create_invite(ids["forum_admin"])
    assert await access.create_invite(ids["forum_admin"], "partners")
    assert await access.create_invite(ids["bev_leads"], "carers-corner")
    with pytest.raises(PermissionDenied, match="leaders"):
        await access.create_invite(ids["bev_leads"], "partners")  # not her group
    with pytest.raises(PermissionDenied, match="without a group"):
        await access.create_invite(ids["bev_leads"])
    with pytest.raises(PermissionDenied):
        await access.create_invite(ids["ann"], "carers-corner")  # a member, not a leader
    with pytest.raises(NotFound):
        await access.create_invite(None, "no-such-group")
    with pytest.raises(PermissionDenied):
        # A carer cannot learn which private groups exist by asking for invites.
        await access.create_invite(ids["ann"], "no-such-group")


async def test_a_suspended_leader_cannot_invite(services: Services) -> None:
    ids = await _forum(services)
    async with services.db.write() as session:
        (await session.get(MemberRow, ids["bev_leads"])).state = MemberState.SUSPENDED.value
    with pytest.raises(PermissionDenied, match="suspended"):
        await services.access.create_invite(ids["bev_leads"], "carers-corner")


async def test_codes_are_random_readable_and_stored_only_as_a_hash(services: Services) -> None:
    codes = {await services.access.create_invite(None) for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 14 and code[4] == code[9] == "-"
        assert not set(code.replace("-", "")) & set("ILOU")
    async with services.db.read() as session:
        stored = " ".join((await session.scalars(select(InviteRow.code_hash))).all())
    assert not any(normalise_invite_code(code) in stored for code in codes)


async def test_sign_up_puts_the_new_carer_in_the_invites_group(services: Services) -> None:
    ids = await _forum(services)
    code = await services.access.create_invite(ids["bev_leads"], "carers-corner")
    line, fingerprint = new_key()
    member = await services.access.sign_up(
        f"  {code.lower().replace('-', ' ')} ", "New_Carer", PASSWORD, line
    )
    assert (member.handle, member.role) == ("New_Carer", Role.CARER)
    mine, _ = await services.groups.list_groups(member.id)
    assert [(g.slug, g.my_role) for g in mine] == [("carers-corner", GroupRole.MEMBER)]
    assert (await services.accounts.sign_in("new_carer", PASSWORD)).id == member.id
    assert [k.fingerprint for k in await services.access.list_my_keys(member.id)] == [fingerprint]
    with pytest.raises(ValidationError, match="used already"):
        await services.access.sign_up(code, "another_one", PASSWORD)


async def test_an_invite_to_a_private_group_lets_the_carer_in(services: Services) -> None:
    await _forum(services)
    code = await services.access.create_invite(None, "partners")
    member = await services.access.sign_up(code, "quiet_partner", PASSWORD)
    mine, _ = await services.groups.list_groups(member.id)
    assert [g.slug for g in mine] == ["partners"]


async def test_an_invite_without_a_group_makes_an_account_in_no_group(services: Services) -> None:
    await _forum(services)
    member = await services.access.sign_up(
        await services.access.create_invite(None), "lone_carer", PASSWORD
    )
    async with services.db.read() as session:
        memberships = (
            await session.scalars(select(MembershipRow).where(MembershipRow.member_id == member.id))
        ).all()
    assert memberships == []


async def test_codes_are_read_forgivingly(services: Services) -> None:
    code = await services.access.create_invite(None)
    # Typed with O for 0 and l for 1, as people do.
    typed = code.replace("0", "O").replace("1", "l")
    assert (await services.access.sign_up(typed, "forgiven", PASSWORD)).handle == "forgiven"


async def test_an_expired_or_unknown_code_is_refused(services: Services, clock: FakeClock) -> None:
    code = await services.access.create_invite(None)
    with pytest.raises(ValidationError, match="not one we know"):
        await services.access.sign_up("ABCD-EFGH-JKMN", "too_late", PASSWORD)
    with pytest.raises(ValidationError, match="not one we know"):
        await services.access.sign_up("short", "too_late", PASSWORD)
    clock.advance(days=14, seconds=1)
    with pytest.raises(ValidationError, match="expired"):
        await services.access.sign_up(code, "too_late", PASSWORD)


@pytest.mark.parametrize(
    ("handle", "password", "message"),
    [
        ("admin", PASSWORD, "reserved"),
        ("the_m0derator", PASSWORD, "reserved"),
        ("new", PASSWORD, "reserved"),
        ("N.E.W", PASSWORD, "reserved"),
        ("Carer.Ann", PASSWORD, "taken"),
        ("ok_handle", "short", "at least"),
        ("x", PASSWORD, "3 to 32"),
    ],
)
async def test_a_refused_sign_up_leaves_the_code_usable(
    services: Services, handle: str, password: str, message: str
) -> None:
    await add_member(services, "carer_ann")
    code = await services.access.create_invite(None)
    with pytest.raises(ValidationError, match=message):
        await services.access.sign_up(code, handle, password)
    with pytest.raises(ValidationError, match="does not look like"):
        await services.access.sign_up(code, "good_handle", PASSWORD, "not a key")
    assert (await services.access.sign_up(code, "good_handle", PASSWORD)).handle == "good_handle"


async def test_one_code_makes_one_account_even_when_used_at_once(services: Services) -> None:
    code = await services.access.create_invite(None)
    results = await asyncio.gather(
        services.access.sign_up(code, "first_one", PASSWORD),
        services.access.sign_up(code, "second_one", PASSWORD),
        return_exceptions=True,
    )
    made = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(made) == 1 and len(refused) == 1
    assert isinstance(refused[0], ValidationError) and "used" in str(refused[0])
    loser = "second_one" if made[0].handle == "first_one" else "first_one"
    with pytest.raises(AuthenticationFailed):
        await services.accounts.sign_in(loser, PASSWORD)
