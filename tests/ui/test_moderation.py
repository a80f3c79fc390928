"""Moderation, driven through the real app with Pilot at 80x24: a leader clears the review
queue in a few keys, a carer reports a post with `!`, hidden content reads as a notice.

Seeded on top of ``tests.ui.conftest``: bob_leads leads Carers' Corner; cat and dan are carers
there; three items are reported, oldest first: carer_ann's reply in "Respite", the "Sleep"
thread, and dan's spam reply in "Sleep".
"""

from __future__ import annotations

import asyncio
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import OptionList

from forum_tui.domain.moderation import Action, ReportReason, TargetKind
from forum_tui.services import Services, build_services
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.moderation import HIDE_REASON, ModerationScreen
from forum_tui.ui.screens.report import ReportModal
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle

SPAM = "Cheap pills, no prescription: example.com"
_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')


def texts(app: ForumApp) -> str:
    """The screen as plain lines of text (the SVG splits and escapes them)."""
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for x, y, text in _TEXT.findall(app.export_screenshot()):
        rows[float(y)].append((float(x), html.unescape(text).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(row)) for _, row in sorted(rows.items()))


@dataclass
class Reported:
    forum: Forum
    cat: int
    dan: int
    ann_reply: int  # carer_ann's reply in "Respite - does it exist?"
    sleep_thread: int
    spam_reply: int

    def app(self, member_id: int) -> ForumApp:
        return self.forum.app(member_id)

    async def services(self) -> tuple[Database, Services]:
        db = Database(self.forum.url)
        return db, build_services(db, self.forum.clock)


async def _report_three(forum: Forum) -> Reported:
    db = Database(forum.url)
    s = build_services(db, forum.clock)
    clock = forum.clock
    cat = await s.accounts.add_member("cat_carer", password="pw-cat-carer-1")
    dan = await s.accounts.add_member("dan_carer", password="pw-dan-carer-1")
    for member in (cat, dan):
        await s.groups.join_group(member.id, forum.corner)
    respite = await s.threads.open_thread(forum.bob, forum.respite_thread)
    ann_reply = respite.posts.items[1].id
    threads = await s.threads.list_threads(forum.ann, forum.corner)
    sleep = next(t for t in threads.items if t.title == "Sleep")
    clock.advance(minutes=1)
    spam = await s.threads.reply(dan.id, sleep.id, SPAM)
    clock.advance(minutes=1)
    await s.moderation.report(
        cat.id, TargetKind.POST, ann_reply, ReportReason.UNKIND, "That felt sharp to me"
    )
    clock.advance(minutes=1)
    await s.moderation.report(dan.id, TargetKind.THREAD, sleep.id, ReportReason.PRIVACY)
    clock.advance(minutes=1)
    await s.moderation.report(cat.id, TargetKind.POST, spam.id, ReportReason.SPAM)
    clock.advance(minutes=1)
    await db.dispose()
    return Reported(forum, cat.id, dan.id, ann_reply, sleep.id, spam.id)


@pytest.fixture
def reported(forum: Forum) -> Reported:
    return asyncio.run(_report_three(forum))


async def open_moderation(pilot, app) -> ModerationScreen:  # noqa: ANN001
    await settle(pilot, app)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("m")
    await settle(pilot, app)
    assert isinstance(app.screen, ModerationScreen)
    return app.screen


def highlighted(screen: ModerationScreen) -> tuple[TargetKind, int]:
    item = screen.current
    assert item is not None
    return item.target_kind, item.target_id


async def test_leader_hides_a_reported_post_and_carers_see_the_notice(reported: Reported) -> None:
    forum = reported.forum
    app = reported.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot, app)
        assert highlighted(screen) == (TargetKind.POST, reported.ann_reply)  # oldest first
        shown = texts(app)
        assert "carer_ann" in shown and "We had a week at my sister's" in shown
        assert "Unkind or hurtful" in shown and "That felt sharp to me" in shown
        await pilot.press("h")
        await settle(pilot, app)
        assert HIDE_REASON in texts(app)  # the default reason, accepted with Enter
        await pilot.press("enter")
        await settle(pilot, app)
        assert reported.ann_reply not in [i.target_id for i in screen.items.values()]

    reader = reported.app(reported.dan)
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot, reader)
        reader.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, reader)
        shown = texts(reader)
        assert f"Hidden by a group leader: {HIDE_REASON}" in shown
        assert "We had a week at my sister's" not in shown

    author = reported.app(forum.ann)  # the author sees the notice first, then the text
    async with author.run_test(size=SIZE) as pilot:
        await settle(pilot, author)
        author.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, author)
        post = author.screen.query(PostView)[1]
        rendered = str(post.render())
        assert rendered.index("Hidden by a group leader") < rendered.index("We had a week")


async def test_carer_reports_a_post_with_bang(reported: Reported) -> None:
    forum = reported.forum
    app = reported.app(reported.dan)
    told: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            told.append(message.notification.message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("down", "exclamation_mark")  # the reply, then Report
        await settle(pilot, app)
        assert isinstance(app.screen, ReportModal)
        await pilot.press("down", "enter")  # Spam or advertising; Enter moves to the note
        await pilot.press(*"selling something", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "Thank you — a group leader will look at this." in told

    db, s = await reported.services()
    queue = await s.moderation.review_queue(forum.bob)
    await db.dispose()
    item = next(i for i in queue if i.target_id == reported.ann_reply)
    assert ("dan_carer", ReportReason.SPAM, "selling something") in item.reports


async def test_reporting_the_first_post_reports_the_thread(reported: Reported) -> None:
    forum = reported.forum
    app = reported.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.hostile_thread))
        await settle(pilot, app)
        await pilot.press("exclamation_mark", "enter", "enter")
        await settle(pilot, app)
    db, s = await reported.services()
    queue = await s.moderation.review_queue(forum.bob)
    await db.dispose()
    assert any(
        i.target_kind is TargetKind.THREAD and i.target_id == forum.hostile_thread for i in queue
    )


async def test_the_queue_moves_to_the_next_item_after_an_action(reported: Reported) -> None:
    app = reported.app(reported.forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot, app)
        assert highlighted(screen) == (TargetKind.POST, reported.ann_reply)
        await pilot.press("d")
        await settle(pilot, app)
        assert highlighted(screen) == (TargetKind.THREAD, reported.sleep_thread)
        assert len(screen.items) == 2


async def test_three_reports_cleared_in_a_few_keys_and_logged(reported: Reported) -> None:
    app = reported.app(reported.forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot, app)
        assert len(screen.items) == 3
        keys = ["h", "enter", "d", "x"]  # hide (default reason), dismiss, escalate
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        assert len(keys) <= 5
        assert screen.items == {}
        assert "the queue is clear" in texts(app)
        await pilot.press("3")
        await settle(pilot, app)
        log = screen.query_one("#log", OptionList)
        assert log.option_count == 3
        lines = [str(log.get_option_at_index(i).prompt) for i in range(3)]
        assert "escalate report" in lines[0]  # newest first
        assert "dismiss report" in lines[1]
        assert "hide" in lines[2] and HIDE_REASON in lines[2]

    db, s = await reported.services()
    entries = await s.moderation.audit_log(reported.forum.bob)
    await db.dispose()
    assert [e.action for e in entries] == [
        Action.ESCALATE_REPORT,
        Action.DISMISS_REPORT,
        Action.HIDE,
    ]


async def test_a_carer_has_no_moderation_key(reported: Reported) -> None:
    app = reported.app(reported.forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        keys = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "moderation" not in keys
        await pilot.press("m")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert "Moderate" not in texts(app)


async def test_leader_silences_and_unsilences_a_member(reported: Reported) -> None:
    app = reported.app(reported.forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        members = screen.query_one("#members", OptionList)
        handles = [members.get_option_at_index(i).id for i in range(members.option_count)]
        members.highlighted = handles.index("dan_carer")
        await settle(pilot, app)
        await pilot.press("s", "down", "enter", "enter")  # 7 days, default reason
        await settle(pilot, app)
        until = reported.forum.clock() + timedelta(days=7)
        assert screen.members["dan_carer"].silenced_until == until
        assert "silenced until" in texts(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert screen.members["dan_carer"].silenced_until is None


async def test_leader_locks_and_pins_a_thread_a_carer_cannot(reported: Reported) -> None:
    forum = reported.forum
    app = reported.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("l")  # asks why (issue 12); Enter takes the suggested reason
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("p")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ThreadScreen) and screen.view is not None
        assert screen.view.thread.locked and screen.view.thread.pinned
        keys = {b.binding.id for b in screen.active_bindings.values()}
        assert {"unlock-thread", "unpin-thread"} <= keys

    carer = reported.app(forum.ann)
    async with carer.run_test(size=SIZE) as pilot:
        await settle(pilot, carer)
        carer.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, carer)
        keys = {b.binding.id for b in carer.screen.active_bindings.values()}
        assert not keys & {"lock-thread", "unlock-thread", "pin-thread", "unpin-thread"}


async def test_a_full_queue_says_it_shows_the_oldest(
    reported: Reported, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forum_tui.services import moderation_queue
    from forum_tui.ui.screens import moderation as moderation_screen

    monkeypatch.setattr(moderation_queue, "QUEUE_PAGE", 2)
    monkeypatch.setattr(moderation_screen, "QUEUE_PAGE", 2)
    app = reported.app(reported.forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_moderation(pilot, app)
        first = set(screen.items)
        assert len(first) == 2
        assert "2 reports to review · the oldest; more as you resolve them" in texts(app)
        await pilot.press("d")  # dismissing one brings in the next oldest
        await settle(pilot, app)
        assert len(screen.items) == 2 and set(screen.items) - first
        await pilot.press("d")
        await settle(pilot, app)
        assert len(screen.items) == 1
        assert "more as you resolve them" not in texts(app)
