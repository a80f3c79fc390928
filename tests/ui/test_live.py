"""Live updates on screen: what another session posts shows up within 2 s, no key pressed.

Each test runs on SQLite and on PostgreSQL (the ``backend`` fixture; the PostgreSQL half skips
without FORUM_TUI_TEST_PG_URL). The other session is either the services on their own engine
(another process, as far as the database can tell) or a second app on the same database.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import pytest
from textual.widgets import OptionList

from forum_tui.config import Settings
from forum_tui.services import Services, build_services
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp, make_app
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.post import PostView
from tests.conftest import FakeClock
from tests.ui.conftest import Forum, _seed
from tests.ui.test_journeys import SIZE, settle, texts

LIVE_WITHIN = 2.0  # seconds: issue 3's promise for a reply to show in another session
WAIT = 20.0  # seconds: how long a condition is waited for before the test is called broken


@pytest.fixture
async def shared(db_url: str) -> Forum:
    """The UI tests' small forum, on whichever backend this run is for."""
    return await _seed(db_url, FakeClock())


@pytest.fixture
async def elsewhere(shared: Forum) -> AsyncIterator[Services]:
    """Another session's services: their own engine and connections."""
    db = Database(shared.url)
    yield build_services(db, shared.clock)
    await db.dispose()


def app_for(forum: Forum, member_id: int) -> ForumApp:
    return make_app(Settings(forum.url), member_id=member_id, clock=forum.clock)


async def until(pilot, condition: Callable[[], bool], within: float = WAIT) -> float:  # noqa: ANN001
    """Waits (without a key press) until ``condition`` holds; returns how long it took.

    The wait is long (on a machine running two copies of the suite a change took over 2 s to
    arrive); the one test of issue 3's 2-second promise checks what it returns."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > within:
            raise AssertionError(f"not within {within} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


async def live(pilot, app: ForumApp) -> None:  # noqa: ANN001
    """Waits until the app hears changes: from then on every commit reaches it."""
    await settle(pilot, app)
    await until(pilot, app.services.changes.listening.is_set, within=10)


def bodies(app: ForumApp) -> list[str]:
    return [view.post.body for view in app.screen.query(PostView)]


async def test_a_reply_from_another_session_appears_in_the_open_thread(
    shared: Forum, elsewhere: Services
) -> None:
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await live(pilot, app)
        app.push_screen(ThreadScreen(shared.respite_thread))
        await settle(pilot, app)
        assert bodies(app)[-1] == "We had a week at my sister's. It helped."
        focused = app.focused

        await elsewhere.threads.reply(shared.bob, shared.respite_thread, "Glad it helped, Ann.")
        took = await until(pilot, lambda: bodies(app)[-1] == "Glad it helped, Ann.")
        await settle(pilot, app)

        assert took < LIVE_WITHIN
        assert len(bodies(app)) == 3  # added once, after the last post shown
        assert app.focused is focused  # the reader's place is kept
        screen = texts(app)
        assert "New reply from bob_leads" in screen
        assert "2 replies" in screen  # the title's count moved too
    # Shown means read: the new reply is not counted as unread for ann any more.
    threads = await elsewhere.threads.list_threads(shared.ann, shared.corner)
    assert next(t for t in threads.items if t.id == shared.respite_thread).unread == 0


async def test_two_apps_see_each_others_replies(shared: Forum) -> None:
    ann_app = app_for(shared, shared.ann)
    bob_app = app_for(shared, shared.bob)
    async with (
        ann_app.run_test(size=SIZE, notifications=True) as ann,
        bob_app.run_test(size=SIZE, notifications=True) as bob,
    ):
        for pilot, app in ((ann, ann_app), (bob, bob_app)):
            await live(pilot, app)
            app.push_screen(ThreadScreen(shared.respite_thread))
            await settle(pilot, app)

        await bob.press("r", *"Typed by bob", "ctrl+s")
        await settle(bob, bob_app)
        assert bodies(bob_app)[-1] == "Typed by bob"
        await until(ann, lambda: bodies(ann_app)[-1] == "Typed by bob")

        await ann.press("r", *"And ann answers", "ctrl+s")
        await settle(ann, ann_app)
        await until(bob, lambda: bodies(bob_app)[-1] == "And ann answers")
        for app in (ann_app, bob_app):
            await settle(ann, ann_app)
            await settle(bob, bob_app)
            assert bodies(app)[-2:] == ["Typed by bob", "And ann answers"]  # once each
        assert "New reply from carer_ann" in texts(bob_app)


async def test_a_reader_in_the_middle_keeps_their_place(shared: Forum, elsewhere: Services) -> None:
    for n in range(12):
        await elsewhere.threads.reply(shared.ann, shared.respite_thread, f"Earlier post {n}\n" * 3)
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        app.push_screen(ThreadScreen(shared.respite_thread))
        await settle(pilot, app)
        scroller = app.screen.query_one("#posts")
        posts = list(app.screen.query(PostView))
        posts[3].focus()
        posts[3].scroll_visible(animate=False)
        await settle(pilot, app)
        reading_at = scroller.scroll_y
        assert reading_at < scroller.max_scroll_y  # in the middle, not at the end

        await elsewhere.threads.reply(shared.bob, shared.respite_thread, "A new reply")
        await until(pilot, lambda: bodies(app)[-1] == "A new reply")
        await settle(pilot, app)
        assert app.focused is posts[3]
        assert scroller.scroll_y == reading_at

        # At the end, the reader follows the conversation: new posts are scrolled into view.
        await pilot.press("end")
        app.screen.query_one("#posts").scroll_end(animate=False)
        await settle(pilot, app)
        assert scroller.scroll_y == scroller.max_scroll_y
        tall = "Another one\nwith\nseveral\nlines"
        await elsewhere.threads.reply(shared.bob, shared.respite_thread, tall)
        await until(pilot, lambda: bodies(app)[-1] == tall)
        await settle(pilot, app)
        await until(pilot, lambda: scroller.scroll_y == scroller.max_scroll_y)
        assert list(app.screen.query(PostView))[-1].region.height > 0


async def test_the_group_list_reorders_and_keeps_the_highlighted_thread(
    shared: Forum, elsewhere: Services
) -> None:
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        app.push_screen(GroupScreen(shared.corner))
        await settle(pilot, app)
        box = app.screen.query_one("#threads", OptionList)

        def order() -> list[str]:
            return [str(option.prompt).split("\n")[0] for option in box.options]

        assert order() == ["Sleep", "Odd characters [/", "Respite - does it exist?"]
        await pilot.press("down")  # the highlight on "Odd characters"
        await settle(pilot, app)
        assert box.highlighted == 1

        await elsewhere.threads.reply(shared.bob, shared.respite_thread, "Bump")
        await until(pilot, lambda: order()[0] == "Respite - does it exist?")
        await settle(pilot, app)
        assert order() == ["Respite - does it exist?", "Sleep", "Odd characters [/"]
        assert box.highlighted_option is not None
        assert box.highlighted_option.id == f"thread:{shared.hostile_thread}"  # same thread
        assert "2 replies" in str(box.get_option_at_index(0).prompt)


async def test_home_unread_counts_move_by_themselves(shared: Forum, elsewhere: Services) -> None:
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        mine = app.screen.query_one("#my-groups", OptionList)

        def corner() -> str:
            return str(mine.get_option_at_index(0).prompt)

        before = corner()
        await elsewhere.threads.reply(shared.bob, shared.respite_thread, "Anyone there?")
        await until(pilot, lambda: corner() != before)
        await settle(pilot, app)
        assert "Carers' Corner" in corner() and " new" in corner()


async def test_an_edit_from_another_session_shows_in_place(
    shared: Forum, elsewhere: Services, backend: str
) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite announces new posts only (see forum_tui/services/changes.py)")
    post = await elsewhere.threads.reply(shared.bob, shared.respite_thread, "Typo hree")
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        app.push_screen(ThreadScreen(shared.respite_thread))
        await settle(pilot, app)
        await elsewhere.threads.edit_post(shared.bob, post.id, "Typo here", version=1)
        await until(pilot, lambda: bodies(app)[-1] == "Typo here")
        assert len(bodies(app)) == 3


async def test_the_feed_stops_with_the_app(shared: Forum) -> None:
    app = app_for(shared, shared.ann)
    async with app.run_test(size=SIZE) as pilot:
        await live(pilot, app)
        feed = app.services.changes
    assert not feed.listening.is_set()
