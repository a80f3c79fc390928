"""Issue 12, service side: direct hide and the hidden list, restore, lock with a reason, slow
mode, moves and suspension role by role; private check-ins; the involvement ledger; the staff
desk; per-board idea numbers; notifications by date. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from forum_tui.domain.boards import (
    DeskList,
    IdeaStatus,
    InvolvementState,
    NotificationKind,
    Recognition,
)
from forum_tui.domain.enums import MemberState, Role
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.models import Page
from forum_tui.domain.moderation import Action, TargetKind
from forum_tui.services import Services
from forum_tui.services.checkins import MEMBERS_CANNOT
from forum_tui.services.hiding import BY_REPORTS
from tests.conftest import FakeClock
from tests.services.moderation_world import ROLES, World, audit_rows, make_world
from tests.services.test_scale import statements

OK = "allowed"
# Sleep is private: outsiders cannot tell its content from nothing at all.
GROUP = {
    "carer": PermissionDenied,
    "leader of this group": OK,
    "leader of another group": NotFound,
    "staff": NotFound,
    "admin": OK,
}
ADMIN = {role: PermissionDenied for role in ROLES} | {"admin": OK}
CRISIS = "Some nights I want to die, honestly."


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def outcome_of(call: Any) -> Any:
    try:
        await call
    except (PermissionDenied, NotFound) as refusal:
        return type(refusal)
    return OK


# --- hiding without a report, the hidden list, restore ------------------------------------------


@pytest.mark.parametrize("role", ROLES)
async def test_hiding_a_post_nobody_reported(w: World, role: str) -> None:
    who = w.by_role(role)
    got = await outcome_of(w.s.moderation.hide(who.id, TargetKind.POST, w.post.id, "Unkind"))
    assert got is GROUP[role]
    view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    shown = next(p for p in view.posts.items if p.id == w.post.id)
    assert (shown.body != "Something unkind") is (got is OK)


@pytest.mark.parametrize("role", ROLES)
async def test_restoring_a_hidden_post_without_any_report(w: World, role: str) -> None:
    await w.s.moderation.hide(w.lee.id, TargetKind.POST, w.post.id, "Unkind")
    who = w.by_role(role)
    got = await outcome_of(w.s.moderation.restore(who.id, TargetKind.POST, w.post.id))
    assert got is GROUP[role]
    remaining = await w.s.hiding.hidden_items(w.admin.id)
    assert len(remaining) == (0 if got is OK else 1)


HIDDEN_LIST = {
    "carer": PermissionDenied,
    "leader of this group": ["post"],
    "leader of another group": [],
    "staff": ["idea"],
    "admin": ["idea", "post"],
}


@pytest.mark.parametrize("role", ROLES)
async def test_the_hidden_list_shows_what_each_role_moderates(w: World, role: str) -> None:
    await w.s.moderation.hide(w.lee.id, TargetKind.POST, w.post.id, "Unkind to a member")
    w.clock.advance(minutes=1)
    await w.s.moderation.hide(w.sam.id, TargetKind.IDEA, w.idea.id, "Names a nurse")
    expected = HIDDEN_LIST[role]
    if expected is PermissionDenied:
        with pytest.raises(PermissionDenied):
            await w.s.hiding.hidden_items(w.by_role(role).id)
        return
    items = await w.s.hiding.hidden_items(w.by_role(role).id)
    assert sorted(str(i.kind) for i in items) == expected
    for item in items:
        if item.kind is TargetKind.POST:
            assert (item.target_id, item.hidden_by, item.reason) == (
                w.post.id,
                "lee",
                "Unkind to a member",
            )
            assert item.text == "Something unkind" and item.author_handle == "bob"
            assert item.thread_id == w.thread.id and "Night shifts" in item.place
        else:
            assert (item.hidden_by, item.reason) == ("sam", "Names a nurse")


async def test_a_hidden_post_can_be_restored_from_the_list(w: World) -> None:
    await w.s.moderation.hide(w.lee.id, TargetKind.POST, w.post.id, "Unkind")
    [item] = await w.s.hiding.hidden_items(w.lee.id)
    await w.s.moderation.restore(w.lee.id, item.kind, item.target_id, "On reflection, fine")
    assert await w.s.hiding.hidden_items(w.lee.id) == []
    view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    assert "Something unkind" in [p.body for p in view.posts.items]
    actions = [row[2] for row in await audit_rows(w.s)]
    assert actions[-2:] == [str(Action.HIDE), str(Action.RESTORE)]


async def test_items_hidden_by_reports_say_so(w: World) -> None:
    s = w.s
    for reporter in (w.cat, w.dan, w.eve):
        from forum_tui.domain.moderation import ReportReason

        await s.moderation.report(reporter.id, TargetKind.POST, w.post.id, ReportReason.UNKIND)
    [item] = await s.hiding.hidden_items(w.lee.id)
    assert item.hidden_by == BY_REPORTS


# --- lock with a reason, slow mode, move, suspend -----------------------------------------------


@pytest.mark.parametrize("role", ROLES)
async def test_locking_with_a_reason_shows_it_instead_of_the_reply_box(w: World, role: str) -> None:
    who = w.by_role(role)
    got = await outcome_of(w.s.moderation.lock_thread(who.id, w.thread.id, "Heated: a break"))
    assert got is GROUP[role]
    view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    if got is OK:
        assert not view.can_reply and view.thread.locked
        assert view.why_not.endswith("Reason: Heated: a break")
        assert (await audit_rows(w.s))[-1][2:8:5] == (str(Action.LOCK), "Heated: a break")
        await w.s.moderation.unlock_thread(who.id, w.thread.id)
        assert (await w.s.threads.open_thread(w.ann.id, w.thread.id)).can_reply
    else:
        assert view.can_reply


@pytest.mark.parametrize("role", ROLES)
async def test_slow_mode_is_set_by_the_groups_leaders(w: World, role: str) -> None:
    got = await outcome_of(w.s.moderation.set_slow_mode(w.by_role(role).id, w.sleep.id, 300))
    assert got is GROUP[role]
    seconds = await w.s.moderation.slow_mode_seconds(w.ann.id, w.sleep.id)
    assert seconds == (300 if got is OK else 0)


MOVE = GROUP | {"leader of this group": OK}


@pytest.mark.parametrize("role", ROLES)
async def test_moving_a_thread_from_the_thread(w: World, role: str) -> None:
    got = await outcome_of(
        w.s.moderation.move_thread(w.by_role(role).id, w.thread.id, w.respite.id, "Off topic")
    )
    assert got is MOVE[role]
    view = await w.s.threads.open_thread(w.admin.id, w.thread.id)
    assert view.thread.group_id == (w.respite.id if got is OK else w.sleep.id)


@pytest.mark.parametrize("role", ROLES)
async def test_suspending_an_account_is_for_admins(w: World, role: str) -> None:
    until = w.clock() + timedelta(days=7)
    got = await outcome_of(w.s.moderation.suspend(w.by_role(role).id, "bob", until, "Abuse"))
    assert got is ADMIN[role]
    bob = await w.s.accounts.find_member("bob")
    assert (bob.state is MemberState.SUSPENDED) is (got is OK)


# --- private check-ins --------------------------------------------------------------------------

START = {
    "carer": PermissionDenied,  # members never start a private channel with each other
    "leader of this group": OK,
    "leader of another group": PermissionDenied,
    "staff": OK,
    "admin": OK,
}


@pytest.mark.parametrize("role", ROLES)
async def test_who_may_start_a_check_in(w: World, role: str) -> None:
    who = w.by_role(role)
    got = await outcome_of(w.s.checkins.start_checkin(who.id, "bob", "How are you doing?"))
    assert got is START[role]
    mine = await w.s.checkins.list_checkins(w.bob.id)
    assert len(mine) == (1 if got is OK else 0)
    if got is OK:
        assert mine[0].started_by == who.handle and mine[0].about_me
        told = await w.s.notifications.list_notifications(w.bob.id)
        [note] = [n for n in told if n.kind is NotificationKind.CHECKIN]  # beside reply notices
        assert note.checkin_id == mine[0].id


async def test_a_carer_is_told_why_they_cannot_start_one(w: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        await w.s.checkins.start_checkin(w.ann.id, "bob", "Hi")
    assert str(refused.value) == MEMBERS_CANNOT
    with pytest.raises(ValidationError):
        await w.s.checkins.start_checkin(w.lee.id, "lee", "Talking to myself")


async def test_a_leader_checks_in_after_a_crisis_alert_and_the_member_answers(w: World) -> None:
    s = w.s
    await s.groups.set_leader("sleep", "cat")  # a second leader of Sleep
    await s.threads.reply(w.bob.id, w.thread.id, CRISIS)
    alert = next(
        n
        for n in await s.notifications.list_notifications(w.lee.id)
        if n.kind is NotificationKind.CRISIS_SIGNPOST
    )
    assert (alert.about_handle, alert.group_id) == ("bob", w.sleep.id)
    w.clock.advance(minutes=5)
    started = await s.checkins.start_checkin(
        w.lee.id, alert.about_handle, "I saw your post. How are you?", group_id=alert.group_id
    )
    assert started.checkin.group_name == "Sleep" and started.can_reply
    w.clock.advance(minutes=5)
    answered = await s.checkins.reply(w.bob.id, started.checkin.id, "Better today, thanks.")
    assert [(m.author_handle, m.body) for m in answered.messages] == [
        ("lee", "I saw your post. How are you?"),
        ("bob", "Better today, thanks."),
    ]
    # The other leader of Sleep can read it and was told; another member cannot see it at all.
    seen = await s.checkins.open_checkin(w.cat.id, started.checkin.id)
    assert len(seen.messages) == 2
    told = await s.notifications.list_notifications(w.cat.id)
    assert any(n.checkin_id == started.checkin.id for n in told)
    for outsider in (w.ann, w.lou, w.sam, w.admin):
        with pytest.raises(NotFound):
            await s.checkins.open_checkin(outsider.id, started.checkin.id)
        with pytest.raises(NotFound):
            await s.checkins.reply(outsider.id, started.checkin.id, "Hello")
        with pytest.raises(NotFound):
            await s.checkins.close(outsider.id, started.checkin.id)
        assert await s.checkins.list_checkins(outsider.id) == []
    closed = await s.checkins.close(w.bob.id, started.checkin.id)
    assert not closed.can_reply and closed.checkin.closed_by == "bob"
    with pytest.raises(ValidationError):
        await s.checkins.reply(w.lee.id, started.checkin.id, "One more thing")


async def test_a_leader_checks_in_only_for_a_group_the_member_is_in(w: World) -> None:
    with pytest.raises(ValidationError):
        await w.s.checkins.start_checkin(w.lee.id, "bob", "Hi", group_id=w.respite.id)
    with pytest.raises(ValidationError):  # lou leads Dads, but bob is not in it
        await w.s.checkins.start_checkin(w.lou.id, "bob", "Hi", group_id=w.dads.id)
    with pytest.raises(NotFound):  # and Sleep is private: lou cannot name it
        await w.s.checkins.start_checkin(w.lou.id, "bob", "Hi", group_id=w.sleep.id)
    with pytest.raises(PermissionDenied):  # a plain member of Sleep cannot check in for it
        await w.s.checkins.start_checkin(w.ann.id, "bob", "Hi", group_id=w.sleep.id)


async def test_check_ins_are_exported_and_erased_with_the_member(w: World) -> None:
    s = w.s
    started = await s.checkins.start_checkin(w.lee.id, "bob", "Checking in")
    await s.checkins.reply(w.bob.id, started.checkin.id, "Thanks, I'm fine.")
    data = await s.privacy.export_member(None, "bob")
    assert [row["id"] for row in data["tables"]["checkins"]] == [started.checkin.id]
    assert [row["body"] for row in data["tables"]["checkin_messages"]] == ["Thanks, I'm fine."]
    await s.privacy.erase_member(None, "bob")
    assert await s.checkins.list_checkins(w.lee.id) == []
    assert all(n.checkin_id is None for n in await s.notifications.list_notifications(w.lee.id))


# --- the involvement ledger -----------------------------------------------------------------

BOARD_STAFF = {
    "carer": PermissionDenied,
    "leader of this group": PermissionDenied,
    "leader of another group": PermissionDenied,
    "staff": OK,
    "admin": OK,
}


@pytest.mark.parametrize("role", ROLES)
async def test_who_logs_involvement_and_marks_it_given(w: World, role: str) -> None:
    s = w.s
    who = w.by_role(role)
    day = w.clock().date()
    got = await outcome_of(
        s.involvement.log_involvement(
            who.id, "ann", w.cmht.id, day, "Leaflet review", 2.5, Recognition.VOUCHER
        )
    )
    assert got is BOARD_STAFF[role]
    entry = await s.involvement.log_involvement(
        w.sam.id, "ann", w.cmht.id, day, "Panel", 1, Recognition.VOUCHER
    )
    got = await outcome_of(
        s.involvement.set_involvement_state(who.id, entry.id, InvolvementState.GIVEN)
    )
    assert got is BOARD_STAFF[role]
    mine = await s.contributions.my_contributions(w.ann.id)
    panel = next(i for i in mine.involvement if i.activity == "Panel")
    assert panel.state is (InvolvementState.GIVEN if got is OK else InvolvementState.PROMISED)


@pytest.mark.parametrize("role", ROLES)
async def test_who_reads_a_boards_ledger(w: World, role: str) -> None:
    day = w.clock().date()
    await w.s.involvement.log_involvement(
        w.sam.id, "ann", w.cmht.id, day, "Panel", 1, Recognition.THANKS
    )
    got = await outcome_of(w.s.involvement.board_involvement(w.by_role(role).id, w.cmht.id))
    assert got is BOARD_STAFF[role]


async def test_the_ledger_puts_what_is_owed_first_and_the_totals_agree(w: World) -> None:
    s = w.s
    day = w.clock().date()
    log = s.involvement.log_involvement
    old = await log(w.sam.id, "ann", w.cmht.id, day - timedelta(days=9), "Old", 2, Recognition.PAID)
    await log(w.sam.id, "ann", w.cmht.id, day - timedelta(days=3), "Given", 4, Recognition.THANKS)
    given = (await s.involvement.board_involvement(w.sam.id, w.cmht.id))[1]
    await s.involvement.set_involvement_state(w.sam.id, given.id, InvolvementState.GIVEN)
    new = await log(w.sam.id, "ann", w.cmht.id, day, "Voucher", 2.5, Recognition.VOUCHER)
    ledger = await s.involvement.board_involvement(w.sam.id, w.cmht.id)
    assert [(e.activity, e.state) for e in ledger] == [
        ("Old", InvolvementState.PROMISED),
        ("Voucher", InvolvementState.PROMISED),
        ("Given", InvolvementState.GIVEN),
    ]
    with pytest.raises(ValidationError):  # a voucher is given, never paid
        await s.involvement.set_involvement_state(w.sam.id, new.id, InvolvementState.PAID)
    await s.involvement.set_involvement_state(w.sam.id, old.id, InvolvementState.PAID)
    mine = await s.contributions.my_contributions(w.ann.id)
    assert mine.hours_total == sum(i.hours for i in mine.involvement) == 8.5
    assert mine.hours_split == "8.5 hours (4 given, 2.5 promised, 2 paid)"
    kinds = [n.kind for n in await s.notifications.list_notifications(w.ann.id)]
    assert kinds.count(NotificationKind.INVOLVEMENT) == 5  # three logged, given, paid


# --- the staff desk -----------------------------------------------------------------------------


async def test_the_desk_shows_new_ideas_and_overdue_ones(w: World) -> None:
    s = w.s
    old = w.idea  # added at the start
    w.clock.advance(days=30)
    fresh = await s.ideas.add_idea(w.ann.id, w.cmht.id, "Parking for carers", "Free, please.")
    w.clock.advance(days=1)
    newer = await s.ideas.add_idea(w.cat.id, w.cmht.id, "Evening clinic", "After work.")
    desk = await s.desk.staff_desk(w.sam.id)
    assert [i.id for i in desk.overdue] == [old.id]
    assert desk.waiting_days(desk.overdue[0]) == 31
    assert [i.id for i in desk.unanswered] == [newer.id, fresh.id]  # newest first
    assert [desk.waiting_days(i) for i in desk.unanswered] == [0, 1]
    # An outcome answers the ideas it links: neither list shows them any more.
    await s.outcomes.record_outcome(
        w.sam.id, w.cmht.id, "Evening group", "It runs.", w.clock().date(), [old.id, fresh.id]
    )
    desk = await s.desk.staff_desk(w.sam.id)
    assert desk.overdue == () and [i.id for i in desk.unanswered] == [newer.id]
    opened = await s.ideas.open_idea(w.ann.id, old.id)
    assert opened.idea.awaiting_days is None
    for role in ("carer", "leader of this group"):
        assert await s.desk.staff_desk(w.by_role(role).id) == type(desk)((), (), w.clock())


async def test_the_desk_pages_each_list_and_counts_all_of_it(w: World) -> None:
    """Two boards with different windows: each list comes a page at a time, in one order
    across both boards, with totals counting every idea; the pages together are the lists."""
    s = w.s
    quick = await s.boards.add_board("quick", "Quick replies", response_window_days=7)
    added = [w.idea]  # cmht's, added at the start
    for day in range(12):
        board = quick if day % 2 else w.cmht
        added.append(await s.ideas.add_idea(w.ann.id, board.id, f"Idea {day}", "Please."))
        w.clock.advance(days=3)
    await s.ideas.change_status(w.admin.id, added[3].id, IdeaStatus.PLANNED, "Yes, in spring.")
    now = w.clock()
    window = {w.cmht.id: 28, quick.id: 7}
    waited = {i.id: (now - i.updated_at).days for i in added if i.id != added[3].id}
    by_age = sorted(added, key=lambda i: (i.created_at, i.id))
    overdue = [i.id for i in by_age if i.id in waited and waited[i.id] >= window[i.board_id]]
    new = [i.id for i in reversed(by_age) if i.id in waited and i.id not in overdue]
    assert len(overdue) == 7 and len(new) == 5  # the answered idea is in neither

    with statements(s.db) as run:
        desk = await s.desk.staff_desk(w.admin.id, limit=3)
    assert len(run) == 4, run  # member, boards, then each list with its count
    assert (desk.overdue_total, desk.unanswered_total) == (7, 5)
    assert [i.id for i in desk.overdue] == overdue[:3]
    assert [i.id for i in desk.unanswered] == new[:3]
    seen = {DeskList.OVERDUE: list(desk.overdue), DeskList.UNANSWERED: list(desk.unanswered)}
    for which, after in (
        (DeskList.OVERDUE, desk.overdue_after),
        (DeskList.UNANSWERED, desk.unanswered_after),
    ):
        while after is not None:
            page = await s.desk.more_of_desk(w.admin.id, which, after, limit=3)
            seen[which] += page.items
            after = page.after
    assert [i.id for i in seen[DeskList.OVERDUE]] == overdue
    assert [i.id for i in seen[DeskList.UNANSWERED]] == new
    whole = await s.desk.staff_desk(w.admin.id)
    assert [i.id for i in whole.overdue] == overdue and [i.id for i in whole.unanswered] == new
    assert whole.overdue_after is None and whole.unanswered_after is None
    # sam staffs cmht only: quick's ideas are not on his desk, nor on a page of it.
    sams = await s.desk.staff_desk(w.sam.id, limit=1)
    assert {i.board_id for i in sams.overdue + sams.unanswered} == {w.cmht.id}
    assert sams.overdue_total == sum(
        1 for i in added if i.id in overdue and i.board_id == w.cmht.id
    )
    assert sams.overdue_after is not None
    page = await s.desk.more_of_desk(w.sam.id, DeskList.OVERDUE, sams.overdue_after)
    assert [i.id for i in sams.overdue + page.items] == [
        i for i in overdue if i in {a.id for a in added if a.board_id == w.cmht.id}
    ]
    assert await s.desk.more_of_desk(w.ann.id, DeskList.OVERDUE, desk.overdue_after) == Page(
        (), None
    )


# --- idea numbers, notification order, directory ------------------------------------------------


async def test_ideas_are_numbered_per_board(w: World) -> None:
    s = w.s
    other = await s.boards.add_board("ward", "Oakfield ward")
    first = await s.ideas.add_idea(w.ann.id, other.id, "Visiting hours", "Longer, please.")
    second = await s.ideas.add_idea(w.ann.id, w.cmht.id, "Parking", "Free, please.")
    assert (w.idea.number, second.number, first.number) == (1, 2, 1)
    assert first.id != first.number and first.ref == "#1"


async def test_notifications_are_listed_by_date(w: World, clock: FakeClock) -> None:
    from forum_tui.services._boards_common import notify

    async with w.s.db.write() as session:
        for day in (18, 11, 30, 22):
            when = clock().replace(month=11 if day != 30 else 9, day=day)
            notify(session, [w.ann.id], NotificationKind.MODERATION, f"day {day}", when)
    told = await w.s.notifications.list_notifications(w.ann.id)
    listed = [n.text for n in told if n.kind is NotificationKind.MODERATION]  # not reply notices
    assert listed == ["day 22", "day 18", "day 11", "day 30"]
    assert [n.created_at for n in told] == sorted((n.created_at for n in told), reverse=True)


async def test_the_directory_lists_slugs_and_names(w: World) -> None:
    groups = await w.s.directory.groups()
    assert [(g.slug, g.name) for g in groups] == [
        ("dads", "Dads who care"),
        ("respite", "Respite"),
        ("sleep", "Sleep"),
    ]
    assert "leaders: lee" in groups[2].detail and "private" in groups[2].detail
    boards = await w.s.directory.boards()
    assert [(b.slug, b.detail) for b in boards] == [("cmht", "staff: sam")]
    staff = await w.s.directory.members(Role.STAFF)
    assert [m.slug for m in staff] == ["sam"]
    assert len(await w.s.directory.members()) == 9


async def test_my_time_lists_the_newest_entries_and_counts_every_hour(w: World) -> None:
    """The list on My contributions is bounded; the header's hours still add up all of it."""
    s = w.s
    day = w.clock().date()
    for n in range(4):
        entry = await s.involvement.log_involvement(
            w.sam.id, "ann", w.cmht.id, day - timedelta(days=n), f"Panel {n}", 1.5, Recognition.PAID
        )
        if n == 3:
            await s.involvement.set_involvement_state(w.sam.id, entry.id, InvolvementState.PAID)
    mine = await s.contributions.my_contributions(w.ann.id, shown=2)
    assert [i.activity for i in mine.involvement] == ["Panel 0", "Panel 1"]
    assert mine.involvement_count == 4
    assert mine.hours_split == "6 hours (4.5 promised, 1.5 paid)"
