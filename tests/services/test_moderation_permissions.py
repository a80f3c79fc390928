"""The permission matrix: every moderation action × (carer, leader of this group, leader of
another group, staff, admin), on SQLite and PostgreSQL. Allowed acts append an audit row naming
the actor, the action, the target and the reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from forum_tui.domain.enums import Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied
from forum_tui.domain.models import Member
from forum_tui.domain.moderation import Action, ReportReason, TargetKind
from forum_tui.services import Services
from tests.conftest import FakeClock, add_member
from tests.services.moderation_world import ROLES, World, audit_rows, make_world

OK = "allowed"
# Sleep is private: outsiders cannot tell its content from nothing at all.
GROUP = {
    "carer": PermissionDenied,  # a plain member of the group
    "leader of this group": OK,
    "leader of another group": NotFound,
    "staff": NotFound,
    "admin": OK,
}
IDEA = {
    "carer": PermissionDenied,
    "leader of this group": PermissionDenied,
    "leader of another group": PermissionDenied,
    "staff": OK,
    "admin": OK,
}
ADMIN = {role: PermissionDenied for role in ROLES} | {"admin": OK}
MODERATOR = {role: OK for role in ROLES} | {"carer": PermissionDenied}

Act = Callable[[World, Member], Awaitable[Any]]
Setup = Callable[[World], Awaitable[Any]]


async def _nothing(w: World) -> None:
    return None


@dataclass(frozen=True)
class Case:
    expected: dict[str, Any]
    act: Act
    setup: Setup = _nothing
    # What the audit row says when allowed: (action, target kind, target id, reason part)
    audit: Callable[[World], tuple[Action, TargetKind, int, str]] | None = None


def _report(kind: TargetKind, target: Callable[[World], int]) -> Setup:
    async def setup(w: World) -> None:
        await w.s.moderation.report(w.cat.id, kind, target(w), ReportReason.UNKIND)

    return setup


def _hidden(kind: TargetKind, target: Callable[[World], int]) -> Setup:
    async def setup(w: World) -> None:
        await w.s.moderation.hide(w.admin.id, kind, target(w), "first hidden")

    return setup


def _post(w: World) -> int:
    return w.post.id


def _thread(w: World) -> int:
    return w.thread.id


def _idea(w: World) -> int:
    return w.idea.id


async def _add_fay(w: World) -> None:
    await add_member(w.s, "fay")


async def _silence_bob(w: World) -> None:
    """Silenced by the group's leader (an admin's silence is the admin's to lift:
    tests/services/test_unsilence.py)."""
    await w.s.moderation.silence(
        w.lee.id, w.sleep.id, "bob", w.clock() + timedelta(days=1), "cool off"
    )


async def _suspend_bob(w: World) -> None:
    await w.s.moderation.suspend(w.admin.id, "bob", None, "spam")


def _flag(action: Action) -> Case:
    method = {
        Action.LOCK: "lock_thread",
        Action.UNLOCK: "unlock_thread",
        Action.PIN: "pin_thread",
        Action.UNPIN: "unpin_thread",
    }[action]
    opposite = {
        Action.UNLOCK: "lock_thread",
        Action.UNPIN: "pin_thread",
    }.get(action)

    async def setup(w: World) -> None:
        if opposite:
            await getattr(w.s.moderation, opposite)(w.admin.id, w.thread.id)

    async def act(w: World, m: Member) -> None:
        await getattr(w.s.moderation, method)(m.id, w.thread.id, f"{action} it")

    return Case(
        GROUP, act, setup, lambda w: (action, TargetKind.THREAD, w.thread.id, f"{action} it")
    )


def _content_cases(kind: TargetKind, target: Callable[[World], int]) -> dict[str, Case]:
    scope = IDEA if kind is TargetKind.IDEA else GROUP
    m = "moderation"
    return {
        f"hide {kind}": Case(
            scope,
            lambda w, a: getattr(w.s, m).hide(a.id, kind, target(w), "unkind words"),
            audit=lambda w: (Action.HIDE, kind, target(w), "unkind words"),
        ),
        f"restore {kind}": Case(
            scope,
            lambda w, a: getattr(w.s, m).restore(a.id, kind, target(w), "on reflection"),
            _hidden(kind, target),
            lambda w: (Action.RESTORE, kind, target(w), "on reflection"),
        ),
        f"dismiss reports on {kind}": Case(
            scope,
            lambda w, a: getattr(w.s, m).dismiss_report(a.id, kind, target(w), "fine"),
            _report(kind, target),
            lambda w: (Action.DISMISS_REPORT, kind, target(w), "fine"),
        ),
        f"escalate {kind}": Case(
            scope,
            lambda w, a: getattr(w.s, m).escalate(a.id, kind, target(w), "not sure"),
            _report(kind, target),
            lambda w: (Action.ESCALATE_REPORT, kind, target(w), "not sure"),
        ),
    }


CASES: dict[str, Case] = {
    **_content_cases(TargetKind.POST, _post),
    **_content_cases(TargetKind.THREAD, _thread),
    **_content_cases(TargetKind.IDEA, _idea),
    "lock": _flag(Action.LOCK),
    "unlock": _flag(Action.UNLOCK),
    "pin": _flag(Action.PIN),
    "unpin": _flag(Action.UNPIN),
    "move thread": Case(
        GROUP,
        lambda w, a: w.s.moderation.move_thread(a.id, w.thread.id, w.respite.id, "wrong place"),
        audit=lambda w: (Action.MOVE_THREAD, TargetKind.THREAD, w.thread.id, "wrong place"),
    ),
    "silence": Case(
        GROUP,
        lambda w, a: w.s.moderation.silence(
            a.id, w.sleep.id, "bob", w.clock() + timedelta(days=2), "heated"
        ),
        audit=lambda w: (Action.SILENCE, TargetKind.MEMBER, w.bob.id, "heated"),
    ),
    "unsilence": Case(
        GROUP,
        lambda w, a: w.s.moderation.unsilence(a.id, w.sleep.id, "bob", "calmer now"),
        _silence_bob,
        lambda w: (Action.UNSILENCE, TargetKind.MEMBER, w.bob.id, "calmer now"),
    ),
    "remove member": Case(
        GROUP,
        lambda w, a: w.s.moderation.remove_member(a.id, w.sleep.id, "bob", "repeated abuse"),
        audit=lambda w: (Action.REMOVE_MEMBER, TargetKind.MEMBER, w.bob.id, "repeated abuse"),
    ),
    "invite member": Case(
        GROUP,
        lambda w, a: w.s.moderation.invite_to_group(a.id, w.sleep.id, "fay"),
        _add_fay,
        None,
    ),
    "slow mode": Case(
        GROUP,
        lambda w, a: w.s.moderation.set_slow_mode(a.id, w.sleep.id, 120),
        audit=lambda w: (Action.SLOW_MODE, TargetKind.GROUP, w.sleep.id, "120 seconds"),
    ),
    "group members": Case(GROUP, lambda w, a: w.s.moderation.group_members(a.id, w.sleep.id)),
    "group audit log": Case(
        GROUP, lambda w, a: w.s.moderation.audit_log(a.id, group_id=w.sleep.id)
    ),
    "audit log": Case(MODERATOR, lambda w, a: w.s.moderation.audit_log(a.id)),
    "review queue": Case(MODERATOR, lambda w, a: w.s.moderation.review_queue(a.id)),
    "suspend": Case(
        ADMIN,
        lambda w, a: w.s.moderation.suspend(a.id, "bob", w.clock() + timedelta(days=7), "spam"),
        audit=lambda w: (Action.SUSPEND, TargetKind.MEMBER, w.bob.id, "spam"),
    ),
    "unsuspend": Case(
        ADMIN,
        lambda w, a: w.s.moderation.unsuspend(a.id, "bob", "appeal upheld"),
        _suspend_bob,
        lambda w: (Action.UNSUSPEND, TargetKind.MEMBER, w.bob.id, "appeal upheld"),
    ),
    "change role": Case(
        ADMIN,
        lambda w, a: w.s.moderation.change_role(a.id, "bob", Role.VOLUNTEER, "runs the centre"),
        audit=lambda w: (Action.CHANGE_ROLE, TargetKind.MEMBER, w.bob.id, "runs the centre"),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(CASES))
async def test_permission_matrix(
    services: Services, clock: FakeClock, name: str, role: str
) -> None:
    case = CASES[name]
    w = await make_world(services, clock)
    await case.setup(w)
    actor = w.by_role(role)
    before = await audit_rows(services)
    expected = case.expected[role]
    if expected is not OK:
        with pytest.raises(expected):
            await case.act(w, actor)
        assert await audit_rows(services) == before, "a refused act leaves no trace"
        return
    await case.act(w, actor)
    after = await audit_rows(services)
    assert after[: len(before)] == before, "earlier rows are never changed"
    if name == "invite member":
        assert [row[2] for row in after[len(before) :]] == [str(Action.INVITE_MEMBER)]
        return
    if case.audit is None:
        assert after == before, "reading leaves no trace"
        return
    action, kind, target_id, reason = case.audit(w)
    new = after[len(before) :]
    assert new, "an allowed act appends an audit row"
    _, actor_id, logged_action, logged_kind, logged_target, *_, logged_reason, _ = new[0]
    assert (actor_id, logged_action, logged_kind, logged_target) == (
        actor.id,
        str(action),
        str(kind),
        target_id,
    )
    assert reason in logged_reason


@pytest.mark.parametrize("role", ["leader of another group", "staff"])
async def test_outsiders_of_an_open_group_are_refused_not_hidden_from(
    services: Services, clock: FakeClock, role: str
) -> None:
    w = await make_world(services, clock, visibility=Visibility.OPEN)
    actor = w.by_role(role)
    with pytest.raises(PermissionDenied):
        await w.s.moderation.hide(actor.id, TargetKind.POST, w.post.id, "no")
    with pytest.raises(PermissionDenied):
        await w.s.moderation.lock_thread(actor.id, w.thread.id)
    with pytest.raises(PermissionDenied):
        await w.s.moderation.silence(
            actor.id, w.sleep.id, "bob", w.clock() + timedelta(hours=1), "no"
        )
    with pytest.raises(PermissionDenied):
        await w.s.moderation.audit_log(actor.id, group_id=w.sleep.id)
