"""Find and follow in the app at 80x24: search from anywhere, opening at the first unread post,
mentions that appear live in another session, mark all read, notification choices."""

from __future__ import annotations

import html
import re

from textual.widgets import OptionList

from forum_tui.domain.boards import NotificationKind
from forum_tui.services import Services
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.search import SearchScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle
from tests.ui.test_live import app_for, elsewhere, live, shared, until  # noqa: F401


def texts(app) -> str:  # noqa: ANN001
    """The screen as plain text (the screenshot without its SVG tags)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_slash_searches_and_opens_a_result_at_its_post(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash")
        await settle(pilot, app)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"week sister", "enter")
        await settle(pilot, app)
        screen = texts(app)
        assert "Search · 1 found" in screen
        assert "post · Carers' Corner › Respite - does it exist? · carer_ann" in screen
        assert "We had a week at my sister's. It helped." in screen
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        focused = app.focused
        assert isinstance(focused, PostView)
        assert focused.post.body == "We had a week at my sister's. It helped."


async def test_search_says_when_nothing_is_found_and_keeps_hostile_text_inert(
    forum: Forum,
) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("slash")
        await pilot.press(*'"NEAR( * OR', "enter")
        await settle(pilot, app)
        assert "Nothing found" in texts(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, SearchScreen)
        await pilot.press("slash", *"loud end", "enter")  # the hostile post's words
        await settle(pilot, app)
        assert app.is_running and isinstance(app.screen, SearchScreen)
        assert "1 found" in texts(app)


async def test_search_in_a_group_stays_in_it_until_told(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.night_owls))
        await settle(pilot, app)
        await pilot.press("slash", *"sleep", "enter")
        await settle(pilot, app)
        assert "this group only" in texts(app) and "Nothing found" in texts(app)
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        assert "everywhere you can read" in texts(app)
        assert "Three nights of no sleep again." in texts(app)


async def test_a_thread_opens_at_the_first_unread_post(forum: Forum) -> None:
    from forum_tui.services import build_services
    from forum_tui.store.database import Database

    db = Database(forum.url)
    s = build_services(db, forum.clock)
    for n in range(25):  # more than a screen: the first unread is far down
        await s.threads.reply(forum.ann, forum.respite_thread, f"Ann again {n}\nsecond line")
    first_new = await s.threads.reply(forum.bob, forum.respite_thread, "Bob is back")
    await s.threads.reply(forum.bob, forum.respite_thread, "And again")
    await db.dispose()
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        focused = app.focused
        assert isinstance(focused, PostView) and focused.post.id == first_new.id
        assert focused.new
        assert [v.new for v in app.screen.query(PostView)][-3:] == [False, True, True]
        screen = texts(app)
        assert "Bob is back" in screen and "bob_leads · just now · new" in screen
        # Her own reply, sent while Bob's are still new, is never news to her.
        await pilot.press("r", *"Mine now", "ctrl+s")
        await settle(pilot, app)
        for _ in range(100):
            if app.screen.query(PostView).last().post.body == "Mine now":
                break
            await pilot.pause()
        mine = app.screen.query(PostView).last()
        assert mine.post.body == "Mine now" and not mine.new
        # Seen now: opening it again lands on the first post, nothing new.
        app.pop_screen()
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        assert not any(v.new for v in app.screen.query(PostView))


async def test_a_mention_appears_in_notifications_without_a_key_press(
    shared: Forum,  # noqa: F811
    elsewhere: Services,  # noqa: F811
) -> None:
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert isinstance(app.screen, NotificationsScreen)
        await elsewhere.threads.reply(shared.bob, shared.respite_thread, "@carer_ann I am here")
        await until(pilot, lambda: "You were mentioned in" in texts(app))
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        focused = app.focused
        assert isinstance(focused, PostView) and focused.post.body == "@carer_ann I am here"


async def test_mark_all_read_in_a_group(forum: Forum) -> None:
    from forum_tui.services import build_services
    from forum_tui.store.database import Database

    db = Database(forum.url)
    s = build_services(db, forum.clock)
    await s.threads.reply(forum.bob, forum.respite_thread, "Something new")
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        app.push_screen(GroupScreen(forum.corner))
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        assert "Marked" in texts(app) and "read." in texts(app)
    threads = await s.threads.list_threads(forum.ann, forum.corner)
    assert all(t.unread == 0 for t in threads.items)
    await db.dispose()


async def test_notification_choices_switch_a_kind_off(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        assert "[in the app] Replies in threads I started or replied in" in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert "[off] Replies in threads I started or replied in" in texts(app)
        box = app.screen.query_one("#choices", OptionList)
        assert box.highlighted == 0
        choices = await app.services.following.notification_choices(forum.ann)
        assert choices[NotificationKind.REPLY] == "off"
