"""Issue 12 in the app, keyboard only at 80x24: a leader hides an unreported post, finds it in
the hidden list and restores it, sets slow mode, locks a thread with a reason the carer sees
instead of the reply box, and checks in privately after a crisis alert; staff log time and mark
it given; an admin suspends an account. Results are checked in the stored data."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, OptionList

from forum_tui.domain.boards import InvolvementState, NotificationKind, Recognition
from forum_tui.domain.enums import MemberState, Role
from forum_tui.ui.screens.checkins import CheckInScreen, StartCheckInModal
from forum_tui.ui.screens.hidden import HiddenScreen
from forum_tui.ui.screens.involvement import InvolvementScreen, LogInvolvementModal
from forum_tui.ui.screens.moderation import ModerationScreen, PromptModal
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.staff_desk import StaffDeskScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_boards import BoardForum, boards, open_screen, prompts, texts  # noqa: F401
from tests.ui.test_journeys import SIZE, settle


async def services_of(forum: Forum):  # noqa: ANN201
    from forum_tui.services import build_services
    from forum_tui.store.database import Database

    db = Database(forum.url)
    return db, build_services(db, forum.clock)


async def test_leader_hides_an_unreported_post_and_restores_it_from_the_list(
    forum: Forum,
) -> None:
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ThreadScreen(forum.respite_thread))
        await pilot.press("down")  # carer_ann's reply: nobody reported it
        assert app.screen.check_action("hide", ()) is True
        await pilot.press("h")
        await settle(pilot, app)
        assert isinstance(app.screen, PromptModal)
        await pilot.press("ctrl+u", *"Names her sister", "enter")
        await settle(pilot, app)
        reply = app.screen.query(PostView)[1]
        assert "Hidden by a group leader: Names her sister" in str(reply.render())
        assert app.screen.check_action("restore", ()) is True

        app.push_screen(ModerationScreen())
        await settle(pilot, app)
        await pilot.press("4")
        await settle(pilot, app)
        assert isinstance(app.screen, HiddenScreen)
        shown = texts(app)
        assert "Hidden by bob_leads" in shown and "Reason: Names her sister" in shown
        assert "We had a week at my sister's" in shown
        await pilot.press("r")
        await settle(pilot, app)
        assert "Nothing is hidden in what you moderate." in texts(app)

    db, s = await services_of(forum)
    view = await s.threads.open_thread(forum.ann, forum.respite_thread)
    actions = [e.action.value for e in await s.moderation.audit_log(forum.bob)]
    await db.dispose()
    assert view.posts.items[1].body == "We had a week at my sister's. It helped."
    assert not view.posts.items[1].hidden_notice
    assert actions[:2] == ["restore", "hide"]


async def test_a_carer_has_no_leader_keys_in_a_thread(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ThreadScreen(forum.respite_thread))
        for action in ("hide", "restore", "move_thread", "check_in"):
            assert app.screen.check_action(action, ()) is False, action


async def test_locked_with_a_reason_the_carer_sees_it_instead_of_the_box(forum: Forum) -> None:
    leader = forum.app(forum.bob)
    async with leader.run_test(size=SIZE) as pilot:
        await open_screen(pilot, leader, ThreadScreen(forum.respite_thread))
        await pilot.press("l")
        await settle(pilot, leader)
        assert isinstance(leader.screen, PromptModal)
        await pilot.press("ctrl+u", *"Please start a new thread", "enter")
        await settle(pilot, leader)
        assert not leader.screen.query_one("#composer", Composer).display

    carer = forum.app(forum.ann)
    async with carer.run_test(size=SIZE) as pilot:
        await open_screen(pilot, carer, ThreadScreen(forum.respite_thread))
        screen = carer.screen
        assert not screen.query_one("#composer", Composer).display
        assert screen.check_action("reply", ()) is False
        assert "Reason: Please start a new thread" in " ".join(texts(carer).split())
        assert "r Reply" not in texts(carer).splitlines()[-1]

    db, s = await services_of(forum)
    [entry, *_] = await s.moderation.audit_log(forum.bob)
    await db.dispose()
    assert (entry.action.value, entry.reason) == ("lock", "Please start a new thread")


async def test_slow_mode_from_the_group_tools(forum: Forum) -> None:
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ModerationScreen())
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("w")
        await settle(pilot, app)
        assert "Slow mode in" in texts(app)
        await pilot.press("down", "down", "enter")  # 5 minutes
        await settle(pilot, app)
        assert isinstance(app.screen, ModerationScreen)
        group = app.screen.group
    assert group is not None
    db, s = await services_of(forum)
    seconds = await s.moderation.slow_mode_seconds(forum.ann, group.id)
    await db.dispose()
    assert seconds == 300


async def test_a_leader_checks_in_after_a_crisis_alert_and_the_member_answers(
    forum: Forum,
) -> None:
    db, s = await services_of(forum)
    await s.threads.reply(forum.ann, forum.respite_thread, "Some nights I want to die.")
    await db.dispose()

    leader = forum.app(forum.bob)
    async with leader.run_test(size=SIZE) as pilot:
        await open_screen(pilot, leader, NotificationsScreen())
        assert "may mention someone at risk" in " ".join(texts(leader).split())
        assert leader.screen.check_action("check_in", ()) is True
        await pilot.press("c")
        await settle(pilot, leader)
        assert isinstance(leader.screen, StartCheckInModal)
        await pilot.press("ctrl+s")
        await settle(pilot, leader)
        assert isinstance(leader.screen, CheckInScreen)
        assert "I saw your post and wanted to check in" in " ".join(texts(leader).split())

    carer = forum.app(forum.ann)
    async with carer.run_test(size=SIZE) as pilot:
        await open_screen(pilot, carer, NotificationsScreen())
        first = prompts(carer.screen.query_one("#notifications", OptionList))[0]
        assert "bob_leads started a private check-in with you" in first
        assert carer.screen.check_action("check_in", ()) is False  # members never start one
        await pilot.press("enter")
        await settle(pilot, carer)
        assert isinstance(carer.screen, CheckInScreen)
        await pilot.press("r", *"Better today, thank you.", "ctrl+s")
        await settle(pilot, carer)
        assert "Better today, thank you." in " ".join(texts(carer).split())

    db, s = await services_of(forum)
    [checkin] = await s.checkins.list_checkins(forum.bob)
    view = await s.checkins.open_checkin(forum.bob, checkin.id)
    told = await s.notifications.list_notifications(forum.bob)
    await db.dispose()
    assert [(m.author_handle, m.body) for m in view.messages][-1] == (
        "carer_ann",
        "Better today, thank you.",
    )
    assert told[0].kind is NotificationKind.CHECKIN


async def test_staff_log_time_and_mark_it_given(boards: BoardForum) -> None:  # noqa: F811
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, StaffDeskScreen())
        await pilot.press("i")
        await settle(pilot, app)
        assert isinstance(app.screen, LogInvolvementModal)
        await pilot.press(*"carer_ann", "enter")
        assert app.screen.query_one("#time-date", Input).value == "2026-11-02"
        await pilot.press("enter", *"2.5", "enter", *"Panel interview", "enter")
        await pilot.press("down", "enter")  # a voucher
        await settle(pilot, app)
        assert isinstance(app.screen, StaffDeskScreen)
        await pilot.press("v")
        await settle(pilot, app)
        assert isinstance(app.screen, InvolvementScreen)
        lines = prompts(app.screen.query_one("#ledger", OptionList))
        assert lines[0].startswith("OWED · carer_ann · 2.5 hours · 2 Nov 2026")
        assert "Panel interview · voucher (promised)" in lines[0]
        assert app.screen.check_action("mark", ("paid",)) is False  # a voucher is not paid
        await pilot.press("g")
        await settle(pilot, app)
        lines = prompts(app.screen.query_one("#ledger", OptionList))
        assert not any(line.startswith("OWED") for line in lines)

    db, s = await boards.services()
    mine = await s.contributions.my_contributions(boards.ann)
    await db.dispose()
    panel = next(i for i in mine.involvement if i.activity == "Panel interview")
    assert (panel.hours, panel.recognition, panel.state) == (
        2.5,
        Recognition.VOUCHER,
        InvolvementState.GIVEN,
    )
    assert mine.hours_split == "5 hours (5 given)"
    assert date(2026, 11, 2) == panel.happened_on


async def test_a_refused_log_keeps_what_was_typed(boards: BoardForum) -> None:  # noqa: F811
    app = boards.app(boards.sam)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, StaffDeskScreen())
        await pilot.press("i")
        await settle(pilot, app)
        await pilot.press(*"nobody_here", "enter", "enter", *"30", "enter", *"Panel", "enter")
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, LogInvolvementModal)
        assert "at most 24" in texts(app)
        assert app.screen.query_one("#time-member", Input).value == "nobody_here"


async def test_an_admin_suspends_an_account_with_a_reason(forum: Forum) -> None:
    db, s = await services_of(forum)
    admin = await s.accounts.add_member("boss", role=Role.ADMIN)
    await db.dispose()
    app = forum.app(admin.id)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ModerationScreen())
        await pilot.press("2")
        await settle(pilot, app)
        box = app.screen.query_one("#members", OptionList)
        box.highlighted = next(i for i, o in enumerate(box.options) if o.id == "carer_ann")
        await settle(pilot, app)
        assert app.screen.check_action("suspend", ()) is True
        await pilot.press("z")
        await settle(pilot, app)
        await pilot.press("down", "enter", "enter")  # 7 days, the suggested reason
        await settle(pilot, app)
    db, s = await services_of(forum)
    ann = await s.accounts.get_member(forum.ann)
    await db.dispose()
    assert ann.state is MemberState.SUSPENDED
    assert ann.suspended_until is not None
    assert (ann.suspended_until - forum.clock()).days == 7


async def test_leaders_cannot_suspend(forum: Forum) -> None:
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(pilot, app, ModerationScreen())
        await pilot.press("2")
        await settle(pilot, app)
        box = app.screen.query_one("#members", OptionList)
        box.highlighted = next(i for i, o in enumerate(box.options) if o.id == "carer_ann")
        await settle(pilot, app)
        assert app.screen.check_action("suspend", ()) is False
