"""Kiosk mode (forum-tui kiosk): End session, Hide now and idle sign-out leave nothing of one
carer for the next, and keep their unsent text as a draft on the server."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from textual import events
from textual.widgets import Input

from forum_tui.config import Settings
from forum_tui.domain.models import Draft
from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.app import ForumApp, make_app
from forum_tui.ui.kiosk import KioskSettings, KioskSignInScreen, NeutralScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.sign_in import SignInScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.test_journeys import settle, texts

SIZE = (80, 24)
UNSENT = "Half a reply about a hard week"


def words(app: ForumApp) -> str:
    """The screen's text as one line of words (a toast wraps over several rows)."""
    svg = texts(app)
    body = svg[svg.index("<g class") :] if "<g class" in svg else svg  # after the styles
    return " ".join(html.unescape(re.sub(r"<[^>]+>|▌", " ", body)).split())


def kiosk_app(forum: Forum, **settings: timedelta) -> ForumApp:
    return make_app(Settings(forum.url), clock=forum.clock, kiosk=KioskSettings(**settings))


async def draft_of(forum: Forum, member_id: int, place: str) -> Draft | None:
    db = Database(forum.url)
    try:
        return await build_services(db, forum.clock).drafts.get_draft(member_id, place)
    finally:
        await db.dispose()


async def sign_in_and_start_a_reply(pilot, app: ForumApp, forum: Forum) -> None:  # noqa: ANN001
    await settle(pilot, app)
    assert isinstance(app.screen, KioskSignInScreen)
    assert "This computer is shared" in texts(app)
    await pilot.click("#handle")
    await pilot.press(*"carer_ann", "enter")
    await pilot.press(*PASSWORD, "enter")
    await settle(pilot, app)
    assert isinstance(app.screen, HomeScreen)
    app.push_screen(ThreadScreen(forum.respite_thread))
    await settle(pilot, app)
    await pilot.press("r")
    app.screen.query_one("#composer", Composer).insert(UNSENT)
    await pilot.pause()
    assert UNSENT in texts(app)


def shows_nothing_of_ann(app: ForumApp) -> None:
    shown = texts(app)
    assert isinstance(app.screen, SignInScreen | NeutralScreen)
    assert app.member is None
    for trace in ("carer_ann", UNSENT, "Respite", "Carers' Corner", "Sleep"):
        assert trace not in shown
    for box in app.screen.query(Input):
        assert box.value == ""


async def test_end_session_signs_out_and_keeps_the_draft_on_the_server(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        assert "End session" in texts(app)  # in the footer
        await pilot.press("ctrl+e")
        await settle(pilot, app)
        assert isinstance(app.screen, KioskSignInScreen)
        assert len(app.screen_stack) == 2  # Textual's own default screen, then sign-in
        shows_nothing_of_ann(app)
        # The next person signs in as themselves, on a fresh screen.
        await pilot.click("#handle")
        await pilot.press(*"bob_leads", "enter", *PASSWORD, "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        assert "signed in as bob_leads" in texts(app)
    draft = await draft_of(forum, forum.ann, f"reply:{forum.respite_thread}")
    assert draft is not None and draft.body == UNSENT


async def test_idle_sign_out_warns_first_and_a_key_keeps_the_carer_in(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        assert app.kiosk is not None
        forum.clock.advance(minutes=4, seconds=29)
        await app.kiosk.check_idle()
        await pilot.pause()
        assert not app.kiosk.warned
        forum.clock.advance(seconds=2)  # 4:31: within the 30-second warning
        await app.kiosk.check_idle()
        await pilot.pause()
        assert app.kiosk.warned
        await settle(pilot, app)
        assert "Still there? You will be signed out in 29 seconds" in words(app)
        await pilot.press("end")  # any key: still here
        assert not app.kiosk.warned
        forum.clock.advance(minutes=4, seconds=59)
        await app.kiosk.check_idle()
        assert app.member is not None and isinstance(app.screen, ThreadScreen)

        forum.clock.advance(seconds=2)  # 5:01 since the last key
        await app.kiosk.check_idle()
        await settle(pilot, app)
        assert isinstance(app.screen, KioskSignInScreen)
        shows_nothing_of_ann(app)
        assert "because nobody used the screen for a while" in words(app)
    draft = await draft_of(forum, forum.ann, f"reply:{forum.respite_thread}")
    assert draft is not None and draft.body == UNSENT


async def test_keys_from_the_terminal_count_as_someone_being_there(forum: Forum) -> None:
    """On a real terminal keys come from the driver's input thread straight to the app's key
    inbox (forum_tui/ui/keys.py), never through ``on_event``: they must keep the carer in too."""
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        assert app.kiosk is not None
        forum.clock.advance(minutes=4, seconds=50)
        app.receive_input(events.Key("x", "x"), lambda: False)  # as the input thread does
        for _ in range(200):
            if app.kiosk.last_activity == forum.clock():
                break
            await pilot.pause()
        forum.clock.advance(seconds=20)  # 5:10 since sign-in, 0:20 since the key
        await app.kiosk.check_idle()
        await settle(pilot, app)
        assert app.member is not None and isinstance(app.screen, ThreadScreen)
        assert not app.kiosk.warned


async def test_idle_time_is_configurable(forum: Forum) -> None:
    app = kiosk_app(forum, idle_after=timedelta(minutes=2))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        assert app.kiosk is not None
        forum.clock.advance(minutes=2)
        await app.kiosk.check_idle()
        await settle(pilot, app)
        assert isinstance(app.screen, KioskSignInScreen)


async def test_hide_now_shows_a_neutral_screen_then_sign_in(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        await pilot.press("ctrl+g")
        await settle(pilot, app)
        assert isinstance(app.screen, NeutralScreen)
        assert words(app) == "Welcome. Press any key to start."
        shows_nothing_of_ann(app)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, KioskSignInScreen)
        shows_nothing_of_ann(app)
    draft = await draft_of(forum, forum.ann, f"reply:{forum.respite_thread}")
    assert draft is not None and draft.body == UNSENT


async def test_kiosk_keys_exist_only_in_kiosk_mode(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        assert "End session" not in texts(app)
        await pilot.press("ctrl+e", "ctrl+g")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen) and app.member is not None


async def test_quit_is_not_offered_in_a_kiosk(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        assert "Quit" not in texts(app)
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert app.is_running and isinstance(app.screen, KioskSignInScreen)


async def test_quit_in_a_kiosk_ends_the_carers_session(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert app.is_running and app.member is None
        assert isinstance(app.screen, KioskSignInScreen)
        shown = words(app)
        assert "Your session has en" in shown and "carer_ann" not in shown, shown
    draft = await draft_of(forum, forum.ann, f"reply:{forum.respite_thread}")
    assert draft is not None and draft.body == UNSENT


def test_end_session_clears_the_real_terminal_and_its_scrollback(forum: Forum) -> None:
    """On a real pty: after Ctrl+E the terminal is told to clear screen and scrollback, and
    nothing of the carer is written to it again."""
    import os
    import sys

    from forum_tui.ui.kiosk import CLEAR_SCREEN_AND_SCROLLBACK
    from tests.ui.test_terminal import Terminal

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "FORUM_TUI_DATABASE_URL": forum.url,
    }
    terminal = Terminal([sys.executable, "-m", "forum_tui", "kiosk"], env)
    try:
        terminal.read_until("This computer is shared")
        terminal.type("carer_ann\r")
        terminal.read_until("Password")
        terminal.type(PASSWORD + "\r")
        terminal.read_until("signed in as carer_ann")
        before = len(terminal.raw)
        terminal.type("\x05")  # Ctrl+E: End session
        shown = terminal.read_until("Your session has ended")
    finally:
        terminal.close()
    assert "This computer is shared" in shown and "carer_ann" not in shown
    after = bytes(terminal.raw[before:])
    clear = CLEAR_SCREEN_AND_SCROLLBACK.encode()
    assert clear in after
    assert b"carer_ann" not in after.split(clear, 1)[1]
    assert b"Carers' Corner" not in after.split(clear, 1)[1]


async def test_help_in_a_kiosk_says_how_to_end_the_session(forum: Forum) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        await pilot.press("escape", "f1")
        await settle(pilot, app)
        shown = words(app)
        assert "End session" in shown and "Hide now" in shown
        assert "Ctrl+E (or Ctrl+Q) ends your session" in shown


async def test_the_key_that_answers_the_idle_warning_is_not_typed_into_the_reply(
    forum: Forum,
) -> None:
    app = kiosk_app(forum)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        assert app.kiosk is not None
        composer = app.screen.query_one("#composer", Composer)
        assert composer.has_focus and composer.text == UNSENT
        forum.clock.advance(minutes=4, seconds=31)
        await app.kiosk.check_idle()
        await settle(pilot, app)
        assert "Press any key to stay signed in" in words(app)
        await pilot.press("x")
        await settle(pilot, app)
        assert composer.text == UNSENT  # the x only said "still here"
        assert "Still there?" not in words(app)
        assert not app.kiosk.warned and app.member is not None
        assert isinstance(app.screen, ThreadScreen)
        await pilot.press("y")  # the warning is gone: keys type again
        await settle(pilot, app)
        assert composer.text == UNSENT + "y"


async def test_a_signed_out_carer_is_told_on_the_sign_in_screen_not_in_a_toast(
    forum: Forum,
) -> None:
    """At 60 columns a toast covered the password box; the sign-in screen says it itself."""
    app = kiosk_app(forum)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await sign_in_and_start_a_reply(pilot, app, forum)
        await pilot.press("ctrl+e")
        await settle(pilot, app)
        assert not app._notifications  # noqa: SLF001
        message = app.screen.query_one("#sign-in-error")
        assert "Your session has ended. Thank you." in str(message.render())
        assert_on_screen(app, "#sign-in-error", "#password", "#sign-in-button")


def assert_on_screen(app: ForumApp, *selectors: str) -> None:
    """Each widget is wholly inside the screen, above the footer, and none overlap."""
    screen = app.screen
    footer_top = screen.size.height - 1
    regions = []
    for selector in selectors:
        region = screen.query_one(selector).region
        assert region.height > 0, f"{selector} is not shown"
        assert region.bottom <= footer_top, f"{selector} ends at row {region.bottom}"
        regions.append(region)
    for i, one in enumerate(regions):
        for other in regions[i + 1 :]:
            assert not one.overlaps(other), (one, other)
