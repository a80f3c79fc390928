"""Assisted posting with consent: a volunteer posts for a carer only with the carer's recorded
consent, confirmed by the carer's password or one-time code; the carer sees and revokes it."""

from __future__ import annotations

import pytest

from forum_tui.domain.consent import ConsentScope, ConsentState
from forum_tui.domain.enums import Role
from forum_tui.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    SignInThrottled,
    ValidationError,
)
from forum_tui.domain.moderation import Action
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member
from tests.services.test_threads import one_group

PASSWORD = "carer's own password"


@pytest.fixture
async def world(services: Services) -> dict[str, int]:
    carer = await add_member(services, "ann", password=PASSWORD)
    volunteer = await add_member(services, "dev", Role.VOLUNTEER, password="volunteer pass")
    other_volunteer = await add_member(services, "vic", Role.VOLUNTEER)
    await add_member(services, "lee")  # a leader of the group
    await add_member(services, "sam", Role.STAFF)
    admin = await add_member(services, "ada", Role.ADMIN)
    group = await one_group(services, "ann", "lee", leader="lee")
    lee = (await services.accounts.find_member("lee")).id
    thread = await services.threads.start_thread(lee, group.id, "Respite", "Any ideas?")
    return {
        "carer": carer.id,
        "volunteer": volunteer.id,
        "other_volunteer": other_volunteer.id,
        "admin": admin.id,
        "lee": lee,
        "group": group.id,
        "thread": thread.id,
    }


async def test_volunteer_posts_for_a_carer_who_confirmed_with_a_password(
    services: Services, world: dict[str, int]
) -> None:
    carer, volunteer = world["carer"], world["volunteer"]
    await services.drafts.save_draft(carer, f"reply:{world['thread']}", "ann's own unsent words")
    consent = await services.consents.give_consent(
        volunteer, "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    assert (consent.volunteer_handle, consent.carer_handle) == ("dev", "ann")
    assert consent.confirmed_with == "password" and consent.state is ConsentState.ACTIVE

    post = await services.consents.assisted_reply(
        volunteer, consent.id, world["thread"], "We found a sitter through the council."
    )
    second = await services.consents.assisted_reply(
        volunteer, consent.id, world["thread"], "And the carers' centre helped."
    )
    assert post.author_id == carer and post.assisted
    shown = (await services.threads.open_thread(world["lee"], world["thread"])).posts.items
    assert [(p.author_handle, p.assisted) for p in shown] == [
        ("lee", False),
        ("ann", True),
        ("ann", True),
    ]
    # The carer sees the consent and every assisted post; their own draft is still theirs.
    mine = await services.consents.my_consents(carer)
    assert [(c.id, c.posts, c.state) for c in mine] == [(consent.id, 2, ConsentState.ACTIVE)]
    assisted = await services.consents.my_assisted_posts(carer)
    assert [(a.post_id, a.volunteer_handle, a.thread_title) for a in assisted] == [
        (second.id, "dev", "Respite"),
        (post.id, "dev", "Respite"),
    ]
    draft = await services.drafts.get_draft(carer, f"reply:{world['thread']}")
    assert draft is not None and draft.body == "ann's own unsent words"
    # The group's leader (and the admin) read the assisted posts in the audit log.
    for reader in (world["lee"], world["admin"]):
        log = await services.moderation.audit_log(reader)
        assisted_entries = [e for e in log if e.action is Action.ASSISTED_POST]
        assert [(e.actor_handle, e.target_id) for e in assisted_entries] == [
            ("dev", second.id),
            ("dev", post.id),
        ]


async def test_a_one_post_consent_carries_one_post(
    services: Services, world: dict[str, int]
) -> None:
    consent = await services.consents.give_consent(
        world["volunteer"], "ann", scope=ConsentScope.ONE_POST, password=PASSWORD
    )
    await services.consents.assisted_reply(world["volunteer"], consent.id, world["thread"], "One")
    with pytest.raises(PermissionDenied, match="no consent"):
        await services.consents.assisted_reply(
            world["volunteer"], consent.id, world["thread"], "Two"
        )
    assert (await services.consents.my_consents(world["carer"]))[0].state is ConsentState.USED


async def test_the_one_time_code_confirms_once(services: Services, world: dict[str, int]) -> None:
    code = await services.consents.new_help_code(world["carer"])
    assert len(code) == 6 and code.isdigit()
    consent = await services.consents.give_consent(
        world["volunteer"], "ann", scope=ConsentScope.ONE_POST, code=code
    )
    assert consent.confirmed_with == "code"
    with pytest.raises(PermissionDenied, match="did not confirm"):
        await services.consents.give_consent(
            world["volunteer"], "ann", scope=ConsentScope.ONE_POST, code=code
        )


async def test_a_code_runs_out_after_ten_minutes_and_five_wrong_tries(
    services: Services, world: dict[str, int], clock: FakeClock
) -> None:
    code = await services.consents.new_help_code(world["carer"])
    clock.advance(minutes=10, seconds=1)
    with pytest.raises(PermissionDenied):
        await services.consents.give_consent(
            world["volunteer"], "ann", scope=ConsentScope.ONE_POST, code=code
        )
    code = await services.consents.new_help_code(world["carer"])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            await services.consents.give_consent(
                world["volunteer"], "ann", scope=ConsentScope.ONE_POST, code=wrong
            )
    with pytest.raises(PermissionDenied):  # the right code, too late: it is gone
        await services.consents.give_consent(
            world["volunteer"], "ann", scope=ConsentScope.ONE_POST, code=code
        )
    assert await services.consents.my_consents(world["carer"]) == []


@pytest.mark.parametrize(
    ("handle", "password"), [("ann", "wrong password"), ("nobody", PASSWORD), ("ann", "")]
)
async def test_no_confirmation_no_consent(
    services: Services, world: dict[str, int], handle: str, password: str
) -> None:
    with pytest.raises((PermissionDenied, ValidationError)):
        await services.consents.give_consent(
            world["volunteer"], handle, scope=ConsentScope.SESSION, password=password
        )
    assert await services.consents.my_consents(world["carer"]) == []


async def test_guessing_a_carers_password_is_throttled_as_at_sign_in(
    services: Services, world: dict[str, int], clock: FakeClock
) -> None:
    for _ in range(3):
        with pytest.raises(PermissionDenied):
            await services.consents.give_consent(
                world["volunteer"], "ann", scope=ConsentScope.SESSION, password="a guess"
            )
    # The right password now waits, here and at sign-in: it is one count per handle.
    with pytest.raises(SignInThrottled, match="Please wait 1 second"):
        await services.consents.give_consent(
            world["volunteer"], "ann", scope=ConsentScope.SESSION, password=PASSWORD
        )
    with pytest.raises(SignInThrottled):
        await services.accounts.sign_in("ann", PASSWORD)
    clock.advance(seconds=1)
    consent = await services.consents.give_consent(
        world["volunteer"], "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    assert [c.id for c in await services.consents.my_consents(world["carer"])] == [consent.id]


@pytest.mark.parametrize("who", ["carer", "lee", "sam", "admin"])
async def test_only_volunteers_help_a_carer_post(
    services: Services, world: dict[str, int], who: str
) -> None:
    actor = world.get(who) or (await services.accounts.find_member(who)).id
    with pytest.raises(PermissionDenied, match="Only drop-in volunteers"):
        await services.consents.give_consent(
            actor, "ann", scope=ConsentScope.SESSION, password=PASSWORD
        )


async def test_revoked_expired_or_someone_elses_consent_posts_nothing(
    services: Services, world: dict[str, int], clock: FakeClock
) -> None:
    volunteer = world["volunteer"]
    consent = await services.consents.give_consent(
        volunteer, "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    # Another volunteer cannot use it, nor can anyone but the two of them revoke it.
    with pytest.raises(PermissionDenied):
        await services.consents.assisted_reply(
            world["other_volunteer"], consent.id, world["thread"], "x"
        )
    for someone in ("lee", "volunteer"):  # only the carer takes it back
        with pytest.raises(NotFound):
            await services.consents.take_back_consent(world[someone], consent.id)
    with pytest.raises(NotFound):
        await services.consents.end_help(world["other_volunteer"], consent.id)
    revoked = await services.consents.take_back_consent(world["carer"], consent.id)
    assert revoked.state is ConsentState.REVOKED
    with pytest.raises(PermissionDenied):
        await services.consents.assisted_reply(volunteer, consent.id, world["thread"], "x")

    later = await services.consents.give_consent(
        volunteer, "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    clock.advance(hours=2)
    with pytest.raises(PermissionDenied):
        await services.consents.assisted_reply(volunteer, later.id, world["thread"], "x")
    states = [c.state for c in await services.consents.my_consents(world["carer"])]
    assert states == [ConsentState.EXPIRED, ConsentState.REVOKED]
    bodies = [
        p.body
        for p in (await services.threads.open_thread(world["lee"], world["thread"])).posts.items
    ]
    assert bodies == ["Any ideas?"]


async def test_an_assisted_post_goes_only_where_the_carer_may_post(
    services: Services, world: dict[str, int]
) -> None:
    other = await services.groups.add_group("partners", "Partners")
    thread = await services.threads.start_thread(world["lee"], world["group"], "Tips", "b")
    await services.groups.add_to_group("partners", "lee")
    elsewhere = await services.threads.start_thread(world["lee"], other.id, "Elsewhere", "b")
    consent = await services.consents.give_consent(
        world["volunteer"], "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    await services.consents.assisted_reply(world["volunteer"], consent.id, thread.id, "fine")
    with pytest.raises(PermissionDenied):
        await services.consents.assisted_reply(
            world["volunteer"], consent.id, elsewhere.id, "not a member there"
        )
    groups = await services.consents.carer_groups(world["volunteer"], consent.id)
    assert [g.name for g in groups] == ["Sleep"]


async def test_the_carer_sees_how_each_consent_ended_and_cannot_take_back_an_ended_one(
    services: Services, world: dict[str, int], clock: FakeClock
) -> None:
    carer, volunteer = world["carer"], world["volunteer"]
    consents = services.consents
    visit = await consents.give_consent(
        volunteer, "ann", scope=ConsentScope.SESSION, password=PASSWORD
    )
    await consents.assisted_reply(volunteer, visit.id, world["thread"], "Written together.")
    ended = await consents.end_help(volunteer, visit.id)  # the volunteer left the help screen
    assert ended.state is ConsentState.EXPIRED and ended.posts == 1
    assert ended.state.label == "ended when the visit ended"
    with pytest.raises(PermissionDenied):
        await consents.assisted_reply(volunteer, visit.id, world["thread"], "too late")

    clock.advance(minutes=1)
    with pytest.raises(Conflict, match="already ended"):
        await consents.take_back_consent(carer, visit.id)
    again = await consents.end_help(volunteer, visit.id)  # leaving twice changes nothing
    assert again.expires_at == ended.expires_at

    taken = await consents.give_consent(
        volunteer, "ann", scope=ConsentScope.ONE_POST, password=PASSWORD
    )
    assert (await consents.take_back_consent(carer, taken.id)).state.label == "taken back by you"
    with pytest.raises(Conflict, match="already ended"):
        await consents.take_back_consent(carer, taken.id)
    await consents.end_help(volunteer, taken.id)  # the volunteer leaves after it was taken back

    mine = await consents.my_consents(carer)
    assert [(c.id, c.state, c.expires_at) for c in mine] == [
        (taken.id, ConsentState.REVOKED, taken.expires_at),
        (visit.id, ConsentState.EXPIRED, ended.expires_at),
    ]
