"""Issue 9 §8: who may lift a silence (forum_tui/services/silence_rules.py), role by role, on
SQLite and PostgreSQL. Nobody lifts their own; a leader never lifts an admin's silence, nor one
on a leader; a refusal leaves the member silenced and the audit log untouched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum_tui.domain.enums import Role
from forum_tui.domain.errors import NotFound, PermissionDenied
from forum_tui.domain.moderation import Action
from forum_tui.services import Services
from forum_tui.services.silence_rules import ADMINS, LEADER, OWN
from tests.conftest import FakeClock, add_member
from tests.services.moderation_world import World, audit_rows, make_world

OK = "allowed"
ACTORS = (
    "carer",
    "volunteer",
    "leader of this group",
    "other leader of this group",
    "leader of another group",
    "staff",
    "admin",
    "second admin",
)
# (who set the silence, on whom) -> what each actor gets when lifting it
SCENARIOS = {
    ("leader", "bob"): {
        "carer": PermissionDenied,
        "volunteer": PermissionDenied,
        "leader of this group": OK,
        "other leader of this group": OK,
        "leader of another group": NotFound,  # Sleep is private: it does not exist for them
        "staff": NotFound,
        "admin": OK,
        "second admin": OK,
    },
    ("admin", "bob"): {
        "carer": PermissionDenied,
        "volunteer": PermissionDenied,
        "leader of this group": ADMINS,
        "other leader of this group": ADMINS,
        "leader of another group": NotFound,
        "staff": NotFound,
        "admin": OK,
        "second admin": OK,
    },
    # The case: an admin silenced a leader, who must not lift it herself.
    ("admin", "lee"): {
        "carer": PermissionDenied,
        "volunteer": PermissionDenied,
        "leader of this group": OWN,
        "other leader of this group": LEADER,
        "leader of another group": NotFound,
        "staff": NotFound,
        "admin": OK,
        "second admin": OK,
    },
    # An admin silenced in the group by another admin: not even an admin lifts their own.
    ("second admin", "boss"): {
        "carer": PermissionDenied,
        "volunteer": PermissionDenied,
        "leader of this group": ADMINS,  # boss leads nothing; an admin set it
        "other leader of this group": ADMINS,
        "leader of another group": NotFound,
        "staff": NotFound,
        "admin": OWN,
        "second admin": OK,
    },
}


async def cast(w: World) -> dict[str, object]:
    s = w.s
    val = await add_member(s, "val", Role.VOLUNTEER)
    second = await add_member(s, "boss_two", Role.ADMIN)
    await s.groups.add_to_group("sleep", "val")
    await s.groups.add_to_group("sleep", "boss")
    await s.groups.set_leader("sleep", "eve")
    return {
        "carer": w.ann,
        "volunteer": val,
        "leader of this group": w.lee,
        "other leader of this group": w.eve,
        "leader of another group": w.lou,
        "staff": w.sam,
        "admin": w.admin,
        "second admin": second,
    }


async def silenced_until(w: World, handle: str) -> object:
    members = {m.handle: m for m in await w.s.moderation.group_members(w.admin.id, w.sleep.id)}
    return members[handle].silenced_until


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=lambda s: f"{s[0]} silenced {s[1]}")
async def test_who_may_lift_a_silence(
    services: Services, clock: FakeClock, scenario: tuple[str, str], actor: str
) -> None:
    w = await make_world(services, clock)
    people = await cast(w)
    setter = people["leader of this group" if scenario[0] == "leader" else scenario[0]]
    until = clock() + timedelta(days=1)
    await w.s.moderation.silence(setter.id, w.sleep.id, scenario[1], until, "cool off")
    before = await audit_rows(services)
    expected = SCENARIOS[scenario][actor]
    act = w.s.moderation.unsilence(people[actor].id, w.sleep.id, scenario[1], "lifted")
    if expected is OK:
        await act
        assert await silenced_until(w, scenario[1]) is None
        new = (await audit_rows(services))[len(before) :]
        assert [(row[1], row[2]) for row in new] == [(people[actor].id, str(Action.UNSILENCE))]
        return
    if isinstance(expected, str):
        with pytest.raises(PermissionDenied) as refused:
            await act
        assert str(refused.value) == expected
    else:
        with pytest.raises(expected):
            await act
    assert await silenced_until(w, scenario[1]) == until
    assert await audit_rows(services) == before, "a refused act leaves no trace"
