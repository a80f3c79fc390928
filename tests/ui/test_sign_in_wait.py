"""The sign-in screen under the shared throttle: after three wrong passwords the next try
says how long to wait, keeps the handle typed, and works once the wait is over."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from forum_tui.ui.kiosk import KioskSignInScreen
from forum_tui.ui.screens.home import HomeScreen
from tests.ui.conftest import PASSWORD, Forum
from tests.ui.test_journeys import settle
from tests.ui.test_kiosk import kiosk_app, words


async def test_the_sign_in_screen_says_how_long_to_wait(forum: Forum) -> None:
    app = kiosk_app(forum, idle_after=timedelta(minutes=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.click("#handle")
        await pilot.press(*"carer_ann", "enter")
        for _ in range(3):
            await pilot.press(*"a wrong guess", "enter")
            await settle(pilot, app)
            assert "do not match an account" in words(app)
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, KioskSignInScreen)
        shown = words(app)
        assert "Too many wrong tries for this handle. Please wait 1 second and try again." in shown
        assert app.screen.query_one("#handle", Input).value == "carer_ann"
        assert app.screen.query_one("#password", Input).has_focus

        forum.clock.advance(seconds=1)
        await pilot.press(*PASSWORD, "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
