"""Moderation behaviour: reports, auto-hide, the review queue, hidden content on the read paths,
notifications, leader and admin tools, and the audit log (append-only, scoped)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from forum_tui.domain.boards import NotificationKind
from forum_tui.domain.enums import GroupRole, Role, Visibility
from forum_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from forum_tui.domain.moderation import Action, ReportReason, TargetKind
from forum_tui.services import Services
from forum_tui.services.moderation import ModerationService
from forum_tui.store.tables import GroupRow
from tests.conftest import FakeClock, add_member
from tests.services.moderation_world import World, audit_rows, make_world

POST = TargetKind.POST


@pytest.fixture
async def w(services: Services, clock: FakeClock) -> World:
    return await make_world(services, clock)


async def notes(w: World, member_id: int, kind: NotificationKind) -> list[str]:
    return [n.text for n in await w.s.notifications.list_notifications(member_id) if n.kind is kind]


async def bodies(w: World, member_id: int) -> dict[int, tuple[str, str]]:
    view = await w.s.threads.open_thread(member_id, w.thread.id)
    return {p.id: (p.body, p.hidden_notice) for p in view.posts.items}


# --- reports and auto-hide ------------------------------------------------------------------


async def test_auto_hide_at_the_threshold_and_not_before(w: World) -> None:
    m = w.s.moderation
    await m.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND, "Hurtful")
    assert await notes(w, w.lee.id, NotificationKind.REPORT) == [
        "A post in Sleep was reported (Unkind or hurtful); it is in your review queue."
    ]
    await m.report(w.dan.id, POST, w.post.id, ReportReason.UNKIND)
    assert (await bodies(w, w.ann.id))[w.post.id] == ("Something unkind", "")
    assert not [r for r in await audit_rows(w.s) if r[2] == Action.AUTO_HIDE]

    await m.report(w.eve.id, POST, w.post.id, ReportReason.SPAM)
    body, notice = (await bodies(w, w.ann.id))[w.post.id]
    assert body == notice == "Hidden pending review: several members reported this."
    auto = [r for r in await audit_rows(w.s) if r[2] == Action.AUTO_HIDE]
    assert len(auto) == 1 and auto[0][1] is None and auto[0][4] == w.post.id
    assert "3 members" in auto[0][7]
    assert (await notes(w, w.lee.id, NotificationKind.REPORT))[0].endswith(
        "is hidden pending your review."
    )
    entry = (await m.audit_log(w.lee.id))[0]
    assert (entry.action, entry.actor_handle) == (Action.AUTO_HIDE, "automatic")
    queue = await m.review_queue(w.lee.id)
    assert [(q.target_id, q.hidden, len(q.reports)) for q in queue] == [(w.post.id, True, 3)]


async def test_reports_at_the_same_moment_all_count(w: World) -> None:
    await asyncio.gather(
        *(
            w.s.moderation.report(reporter.id, POST, w.post.id, ReportReason.UNKIND)
            for reporter in (w.cat, w.dan, w.eve)
        )
    )
    assert [r[2] for r in await audit_rows(w.s)] == [Action.AUTO_HIDE]
    assert (await bodies(w, w.ann.id))[w.post.id][1].startswith("Hidden pending review")


async def test_the_threshold_is_configurable(w: World) -> None:
    m = ModerationService(w.s.db, w.clock, auto_hide_reports=1)
    await m.report(w.cat.id, TargetKind.IDEA, w.idea.id, ReportReason.SPAM)
    idea = (await w.s.ideas.open_idea(w.ann.id, w.idea.id)).idea
    assert idea.hidden_notice.startswith("Hidden pending review")
    assert idea.body == idea.hidden_notice
    assert await notes(w, w.sam.id, NotificationKind.REPORT)  # the board's staff hear of it


async def test_one_report_per_member_per_item_and_none_of_your_own(w: World) -> None:
    m = w.s.moderation
    await m.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND)
    with pytest.raises(ValidationError, match="already reported"):
        await m.report(w.cat.id, POST, w.post.id, ReportReason.SPAM)
    with pytest.raises(ValidationError, match="yourself"):
        await m.report(w.bob.id, POST, w.post.id, ReportReason.SPAM)
    with pytest.raises(NotFound):  # a post in a private group lou is not in
        await m.report(w.lou.id, POST, w.post.id, ReportReason.SPAM)
    with pytest.raises(ValidationError):
        await m.report(w.cat.id, TargetKind.MEMBER, w.bob.id, ReportReason.SPAM)
    await m.suspend(w.admin.id, "dan", None, "spam")
    with pytest.raises(PermissionDenied):
        await m.report(w.dan.id, POST, w.post.id, ReportReason.SPAM)


# --- the review queue -----------------------------------------------------------------------


async def test_the_queue_is_oldest_first_with_context_and_history(w: World) -> None:
    m = w.s.moderation
    await m.report(w.cat.id, TargetKind.THREAD, w.thread.id, ReportReason.OTHER, "Odd title")
    w.clock.advance(minutes=1)
    await m.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND, "Hurtful")
    await m.report(w.dan.id, POST, w.post.id, ReportReason.PRIVACY)
    await m.report(w.cat.id, TargetKind.IDEA, w.idea.id, ReportReason.SPAM)

    queue = await m.review_queue(w.lee.id)
    assert [(q.target_kind, q.target_id) for q in queue] == [
        (TargetKind.THREAD, w.thread.id),
        (POST, w.post.id),
    ]
    thread_item, post_item = queue
    assert thread_item.text == "Night shifts\n\nWho else is up at 3am?"
    assert post_item.text == "Something unkind"
    assert post_item.place == "Sleep › Night shifts"
    assert post_item.author_handle == "bob"
    assert post_item.reports == (
        ("cat", ReportReason.UNKIND, "Hurtful"),
        ("dan", ReportReason.PRIVACY, ""),
    )
    assert "Before it, ann: Me, most nights." in post_item.context
    assert post_item.author_recent == ("Who else is up at 3am?",)
    assert post_item.group_id == w.sleep.id and not post_item.hidden

    assert [(q.target_kind, q.board_id) for q in await m.review_queue(w.sam.id)] == [
        (TargetKind.IDEA, w.cmht.id)
    ]
    assert await m.review_queue(w.lou.id) == []  # leads Dads, not Sleep
    assert len(await m.review_queue(w.admin.id)) == 3


async def test_escalated_reports_go_to_the_admins(w: World) -> None:
    m = w.s.moderation
    await m.report(w.cat.id, POST, w.post.id, ReportReason.SAFETY)
    await m.escalate(w.lee.id, POST, w.post.id, "Needs an admin")
    assert await m.review_queue(w.lee.id) == []
    (item,) = await m.review_queue(w.admin.id)
    assert item.escalated and item.target_id == w.post.id
    assert "escalated" in (await notes(w, w.admin.id, NotificationKind.REPORT))[0]
    with pytest.raises(ValidationError):  # nothing open is left for the leader
        await m.dismiss_report(w.lee.id, POST, w.post.id)
    await m.dismiss_report(w.admin.id, POST, w.post.id, "Reviewed")
    assert await m.review_queue(w.admin.id) == []
    assert await notes(w, w.cat.id, NotificationKind.REPORT_RESOLVED)


async def test_dismissing_reports_shows_an_auto_hidden_item_again(w: World) -> None:
    m = w.s.moderation
    for reporter in (w.cat, w.dan, w.eve):
        await m.report(reporter.id, POST, w.post.id, ReportReason.UNKIND)
    await m.dismiss_report(w.lee.id, POST, w.post.id, "Banter between friends")
    assert (await bodies(w, w.ann.id))[w.post.id] == ("Something unkind", "")
    assert await m.review_queue(w.lee.id) == []
    actions = [row[2] for row in await audit_rows(w.s)]
    assert actions[-2:] == [Action.DISMISS_REPORT, Action.RESTORE]
    for reporter in (w.cat, w.dan, w.eve):
        assert await notes(w, reporter.id, NotificationKind.REPORT_RESOLVED)


# --- hidden content on the read paths -------------------------------------------------------


async def test_a_hidden_post_shows_the_notice_to_readers_and_the_text_to_leaders(
    w: World,
) -> None:
    before_list = await w.s.threads.list_threads(w.ann.id, w.sleep.id)
    before_view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    await w.s.moderation.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND)
    await w.s.moderation.hide(w.lee.id, POST, w.post.id, "Unkind to another carer")

    notice = "Hidden by a group leader: Unkind to another carer"
    assert (await bodies(w, w.ann.id))[w.post.id] == (notice, notice)
    assert (await bodies(w, w.lee.id))[w.post.id] == ("Something unkind", notice)
    assert (await bodies(w, w.admin.id))[w.post.id] == ("Something unkind", notice)
    assert (await bodies(w, w.bob.id))[w.post.id] == ("Something unkind", notice)
    assert await notes(w, w.bob.id, NotificationKind.MODERATION) == [
        "Your post in “Night shifts” in Sleep was hidden: Unkind to another carer"
    ]
    assert await notes(w, w.cat.id, NotificationKind.REPORT_RESOLVED)

    # The post keeps its place; the thread's order and counts do not move.
    after_view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    assert [p.id for p in after_view.posts.items] == [p.id for p in before_view.posts.items]
    assert after_view.thread.reply_count == before_view.thread.reply_count == 2
    after_list = await w.s.threads.list_threads(w.ann.id, w.sleep.id)
    assert [(t.id, t.reply_count, t.title) for t in after_list.items] == [
        (t.id, t.reply_count, t.title) for t in before_list.items
    ]

    await w.s.moderation.restore(w.lee.id, POST, w.post.id, "Apology given")
    assert (await bodies(w, w.ann.id))[w.post.id] == ("Something unkind", "")
    assert (await notes(w, w.bob.id, NotificationKind.MODERATION))[0] == (
        "Your post in “Night shifts” in Sleep is shown again: Apology given"
    )
    with pytest.raises(ValidationError, match="not hidden"):
        await w.s.moderation.restore(w.lee.id, POST, w.post.id)


async def test_a_hidden_thread_hides_its_title_and_opening_post_only(w: World) -> None:
    await w.s.moderation.hide(w.lee.id, TargetKind.THREAD, w.thread.id, "Off topic")
    (listed,) = (await w.s.threads.list_threads(w.ann.id, w.sleep.id)).items
    assert listed.title == "Hidden by a group leader"
    assert listed.hidden_notice == "Hidden by a group leader: Off topic"
    view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    first, second, third = view.posts.items
    assert first.body == "Hidden by a group leader: Off topic"
    assert (second.body, third.body) == ("Me, most nights.", "Something unkind")
    (led,) = (await w.s.threads.list_threads(w.lee.id, w.sleep.id)).items
    assert (led.title, led.hidden_notice) == ("Night shifts", listed.hidden_notice)


async def test_a_hidden_idea_shows_the_notice_to_readers_and_the_text_to_staff(
    w: World,
) -> None:
    with pytest.raises(ValidationError):  # the reason is shown to readers: it is required
        await w.s.moderation.hide(w.sam.id, TargetKind.IDEA, w.idea.id, "  ")
    await w.s.moderation.hide(w.sam.id, TargetKind.IDEA, w.idea.id, "Names a patient")
    notice = "Hidden by the board's staff: Names a patient"
    reader = (await w.s.ideas.open_idea(w.ann.id, w.idea.id)).idea
    assert (reader.title, reader.body, reader.hidden_notice) == (
        "Hidden by the board's staff",
        notice,
        notice,
    )
    listed = (await w.s.ideas.list_ideas(w.ann.id, w.cmht.id)).items
    assert [i.body for i in listed] == [notice]
    for viewer in (w.sam, w.admin, w.bob):
        idea = (await w.s.ideas.open_idea(viewer.id, w.idea.id)).idea
        assert (idea.title, idea.hidden_notice) == ("Evening group", notice)
    staff_list = (await w.s.ideas.list_ideas(w.sam.id, w.cmht.id)).items
    assert [i.title for i in staff_list] == ["Evening group"]


# --- leader tools ---------------------------------------------------------------------------


async def test_lock_pin_and_move(w: World) -> None:
    m = w.s.moderation
    await m.lock_thread(w.lee.id, w.thread.id, "Resolved")
    view = await w.s.threads.open_thread(w.ann.id, w.thread.id)
    assert view.thread.locked and not view.can_reply
    with pytest.raises(PermissionDenied):
        await w.s.threads.reply(w.ann.id, w.thread.id, "One more")
    await m.unlock_thread(w.lee.id, w.thread.id)
    await m.pin_thread(w.lee.id, w.thread.id)
    assert (await w.s.threads.open_thread(w.ann.id, w.thread.id)).thread.pinned

    with pytest.raises(PermissionDenied):  # lee does not lead Dads
        await m.move_thread(w.lee.id, w.thread.id, w.dads.id)
    with pytest.raises(ValidationError):
        await m.move_thread(w.lee.id, w.thread.id, w.sleep.id)
    await m.move_thread(w.lee.id, w.thread.id, w.respite.id, "Better fit")
    moved = (await w.s.threads.open_thread(w.lee.id, w.thread.id)).thread
    assert (moved.group_id, moved.reply_count) == (w.respite.id, 2)
    rows = [r for r in await audit_rows(w.s) if r[2] == Action.MOVE_THREAD]
    assert {r[5] for r in rows} == {w.sleep.id, w.respite.id}
    assert "from Sleep to Respite: Better fit" in rows[0][7]


async def test_silence_remove_invite_and_slow_mode(w: World) -> None:
    m = w.s.moderation
    until = w.clock() + timedelta(days=1)
    with pytest.raises(ValidationError):
        await m.silence(w.lee.id, w.sleep.id, "bob", w.clock() - timedelta(hours=1), "late")
    await m.silence(w.lee.id, w.sleep.id, "bob", until, "Heated thread")
    with pytest.raises(PermissionDenied, match="paused"):
        await w.s.threads.reply(w.bob.id, w.thread.id, "But…")
    members = {g.handle: g for g in await m.group_members(w.lee.id, w.sleep.id)}
    assert members["bob"].silenced_until == until and members["ann"].silenced_until is None
    assert members["lee"].role is GroupRole.LEADER
    handle, role, silenced = members["bob"]
    assert (handle, role, silenced) == ("bob", GroupRole.MEMBER, until)
    assert "paused your posting" in (await notes(w, w.bob.id, NotificationKind.MODERATION))[0]
    await m.unsilence(w.lee.id, w.sleep.id, "bob")
    await w.s.threads.reply(w.bob.id, w.thread.id, "Thanks")

    # Leaders are an admin's to silence or remove, not another leader's.
    await w.s.groups.set_leader("sleep", "ann")
    with pytest.raises(PermissionDenied):
        await m.silence(w.lee.id, w.sleep.id, "ann", until, "no")
    with pytest.raises(PermissionDenied):
        await m.remove_member(w.lee.id, w.sleep.id, "ann", "no")
    with pytest.raises(ValidationError):
        await m.silence(w.lee.id, w.sleep.id, "lee", until, "self")
    with pytest.raises(NotFound):
        await m.silence(w.lee.id, w.sleep.id, "lou", until, "not a member")

    await m.remove_member(w.lee.id, w.sleep.id, "bob", "Repeated abuse")
    with pytest.raises(NotFound):
        await w.s.threads.open_thread(w.bob.id, w.thread.id)
    await m.invite_to_group(w.lee.id, w.sleep.id, "bob")
    await w.s.threads.open_thread(w.bob.id, w.thread.id)
    with pytest.raises(ValidationError):  # open groups need no invitation
        await m.invite_to_group(w.lee.id, w.respite.id, "bob")
    with pytest.raises(ValidationError):
        await m.remove_member(w.lee.id, w.respite.id, "lee", "open")

    await m.set_slow_mode(w.lee.id, w.sleep.id, 300)
    async with w.s.db.read() as session:
        assert (await session.get(GroupRow, w.sleep.id)).slow_mode_seconds == 300  # type: ignore[union-attr]
    assert await m.slow_mode_seconds(w.ann.id, w.sleep.id) == 300
    with pytest.raises(ValidationError):
        await m.set_slow_mode(w.lee.id, w.sleep.id, -1)


async def test_led_groups_and_can_moderate(w: World) -> None:
    m = w.s.moderation
    assert [g.slug for g in await m.led_groups(w.lee.id)] == ["respite", "sleep"]
    assert [g.slug for g in await m.led_groups(w.ann.id)] == []
    assert len(await m.led_groups(w.admin.id)) == 3
    assert all(g.i_lead for g in await m.led_groups(w.lee.id))
    assert [await m.can_moderate(x.id) for x in (w.ann, w.lee, w.sam, w.admin)] == [
        False,
        True,
        True,
        True,
    ]


# --- admin tools ----------------------------------------------------------------------------


async def test_suspend_unsuspend_and_change_role(w: World) -> None:
    m = w.s.moderation
    await m.suspend(w.admin.id, "bob", w.clock() + timedelta(days=3), "Spam")
    with pytest.raises(PermissionDenied, match="suspended"):
        await w.s.threads.reply(w.bob.id, w.thread.id, "Buy now")
    await m.unsuspend(w.admin.id, "bob")
    await w.s.threads.reply(w.bob.id, w.thread.id, "Sorry")
    with pytest.raises(ValidationError):
        await m.suspend(w.admin.id, "boss", None, "me")
    with pytest.raises(ValidationError):
        await m.change_role(w.admin.id, "boss", Role.CARER)
    await m.change_role(w.admin.id, "bob", Role.STAFF)
    await m.suspend(None, "cat", None, "operator at the command line")
    entries = await m.audit_log(w.admin.id)
    assert (entries[0].actor_handle, entries[0].action, entries[0].target_label) == (
        "operator",
        Action.SUSPEND,
        "@cat",
    )
    assert entries[1].reason == "carer to staff"
    assert entries[0].place == "whole forum"


# --- the audit log --------------------------------------------------------------------------


async def test_the_audit_log_is_append_only_scoped_and_paged(
    services: Services, clock: FakeClock
) -> None:
    w = await make_world(services, clock, visibility=Visibility.OPEN)
    m = w.s.moderation
    lou_thread = await w.s.threads.start_thread(w.lou.id, w.dads.id, "Dads", "Hello dads")
    acts = [
        lambda: m.report(w.cat.id, POST, w.post.id, ReportReason.UNKIND),
        lambda: m.hide(w.lee.id, POST, w.post.id, "Unkind"),
        lambda: m.restore(w.lee.id, POST, w.post.id, "Apology"),
        lambda: m.lock_thread(w.lee.id, w.thread.id),
        lambda: m.pin_thread(w.lou.id, lou_thread.id),
        lambda: m.silence(w.lee.id, w.sleep.id, "bob", w.clock() + timedelta(hours=2), "Cool"),
        lambda: m.hide(w.sam.id, TargetKind.IDEA, w.idea.id, "Names a patient"),
        lambda: m.change_role(w.admin.id, "eve", Role.VOLUNTEER),
    ]
    seen: list[tuple] = []
    for act in acts:
        w.clock.advance(minutes=1)
        await act()
        rows = await audit_rows(w.s)
        assert rows[: len(seen)] == seen, "no earlier row changed or went"
        seen = rows
    assert len(seen) == 7  # a report is not a moderating act

    everything = await m.audit_log(w.admin.id)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert len(everything) == 7
    page1 = await m.audit_log(w.admin.id, limit=3)
    page2 = await m.audit_log(w.admin.id, limit=3, before_id=page1[-1].id)
    assert [e.id for e in page1 + page2] == [e.id for e in everything[:6]]

    lee_log = await m.audit_log(w.lee.id)
    assert [e.action for e in lee_log] == [Action.SILENCE, Action.LOCK, Action.RESTORE, Action.HIDE]
    assert {e.place for e in lee_log} == {"Sleep"}
    assert lee_log[0].target_label == "@bob"
    assert lee_log[-1].target_label == f"post #{w.post.id} in “Night shifts”"
    assert [e.action for e in await m.audit_log(w.lou.id)] == [Action.PIN]
    assert [e.action for e in await m.audit_log(w.sam.id)] == [Action.HIDE]
    with pytest.raises(PermissionDenied):  # lou leads Dads, not Sleep
        await m.audit_log(w.lou.id, group_id=w.sleep.id)
    with pytest.raises(PermissionDenied):
        await m.audit_log(w.ann.id)
    assert [e.action for e in await m.audit_log(w.lou.id, group_id=w.dads.id)] == [Action.PIN]


def test_no_service_writes_audit_rows_except_by_adding_them() -> None:
    """The log is append-only by construction: nothing in the package updates or deletes
    ModerationActionRow."""
    import pathlib
    import re

    package = pathlib.Path(__file__).resolve().parents[2] / "forum_tui"
    pattern = re.compile(r"(update|delete)\(\s*ModerationActionRow")
    offenders = [
        str(path)
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


async def test_an_admin_sees_the_members_of_any_group(services: Services) -> None:
    admin = await add_member(services, "ops", role=Role.ADMIN)
    group = await services.groups.add_group("g", "Grandparents")
    await services.groups.add_to_group("g", "ops")
    assert [g.handle for g in await services.moderation.group_members(admin.id, group.id)] == [
        "ops"
    ]
