"""The sign-in screen fits a small screen (60x20) and a usual one (80x24), in a kiosk and
not: the Sign in button is whole and a wrong password's message is on screen, right under
the password box; each wrong try reads differently from the last, and the handle stays."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from forum_tui.ui.app import ForumApp
from tests.ui.conftest import Forum
from tests.ui.test_journeys import settle
from tests.ui.test_kiosk import assert_on_screen, kiosk_app, words

MISMATCH = "That handle and password do not match an account. Please check and try again."


def message(app: ForumApp) -> str:
    return " ".join(str(app.screen.query_one("#sign-in-error").render()).split())


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("kiosk", [True, False], ids=["kiosk", "not-kiosk"])
async def test_a_wrong_password_is_answered_on_screen(
    forum: Forum, kiosk: bool, size: tuple[int, int]
) -> None:
    app = kiosk_app(forum) if kiosk else forum.app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert_on_screen(app, "#handle", "#password", "#sign-in-error", "#sign-in-button")
        if kiosk:
            assert "Ctrl+E" in words(app) and "Ctrl+G" in words(app)
        await pilot.click("#handle")
        await pilot.press(*"carer_ann", "enter", *"wrong one", "enter")
        await settle(pilot, app)
        assert message(app) == MISMATCH
        assert MISMATCH in words(app)  # drawn, not only set
        assert_on_screen(app, "#handle", "#password", "#sign-in-error", "#sign-in-button")

        await pilot.press(*"wrong two", "enter")
        await settle(pilot, app)
        assert message(app) == f"Try 2: {MISMATCH}"
        await pilot.press(*"wrong three", "enter")
        await settle(pilot, app)
        assert message(app) == f"Try 3: {MISMATCH}"
        await pilot.press(*"wrong four", "enter")  # the throttle: its wait is on screen too
        await settle(pilot, app)
        assert message(app).startswith("Try 4: Too many wrong tries for this handle.")
        assert "Please wait 1 second" in words(app)
        assert_on_screen(app, "#handle", "#password", "#sign-in-error", "#sign-in-button")
        assert app.screen.query_one("#handle", Input).value == "carer_ann"
