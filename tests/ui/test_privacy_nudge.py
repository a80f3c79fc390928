"""The privacy nudge in the app: a reply that may name someone is held for a moment."""

from __future__ import annotations

import pytest

from forum_tui.services import build_services
from forum_tui.store.database import Database
from forum_tui.ui.screens.privacy_nudge import PrivacyNudgeModal
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_journeys import settle, texts
from tests.ui.test_kiosk import words

SIZE = (80, 24)
REPLY = "Ring her on 07700 900123, NHS number 943 476 5919."


async def stored_bodies(forum: Forum) -> list[str]:
    db = Database(forum.url)
    services = build_services(db, forum.clock)
    view = await services.threads.open_thread(forum.ann, forum.respite_thread)
    await db.dispose()
    return [post.body for post in view.posts.items]


async def _type_reply(pilot, app, forum: Forum) -> None:  # noqa: ANN001
    await settle(pilot, app)
    app.push_screen(ThreadScreen(forum.respite_thread))
    await settle(pilot, app)
    await pilot.press("r")
    composer = app.screen.query_one("#composer", Composer)
    composer.insert(REPLY)
    await pilot.press("ctrl+s")
    await settle(pilot, app)


async def test_phone_and_nhs_number_nudge_and_edit_keeps_the_text(forum: Forum) -> None:
    before = await stored_bodies(forum)
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await _type_reply(pilot, app, forum)
        assert isinstance(app.screen, PrivacyNudgeModal)
        shown = texts(app)
        assert "phone number: 07700 900123" in shown
        assert "NHS number: 943 476 5919" in shown
        # True over SSH as on one's own computer: the forum's server does the check.
        said = " ".join(words(app).replace("│", " ").split())  # the box edges wrap it
        assert "Nothing is posted yet. The forum checked this itself: no one else saw it." in said
        assert "this computer" not in said
        await pilot.press("enter")  # "Edit" is the default
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert app.screen.query_one("#composer", Composer).text == REPLY
        assert REPLY not in [view.post.body for view in app.screen.query(PostView)]
    assert await stored_bodies(forum) == before


async def test_send_anyway_posts_the_reply_as_written(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await _type_reply(pilot, app, forum)
        assert isinstance(app.screen, PrivacyNudgeModal)
        await pilot.press("s")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert app.screen.query_one("#composer", Composer).text == ""
    assert (await stored_bodies(forum))[-1] == REPLY


async def test_a_reply_naming_nobody_is_sent_without_a_prompt(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("r", *"Same here", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
    assert (await stored_bodies(forum))[-1] == "Same here"


async def test_without_colour_the_marker_shows_which_button_enter_presses(
    forum: Forum, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await _type_reply(pilot, app, forum)
        assert app.no_color and isinstance(app.screen, PrivacyNudgeModal)
        assert "▸ Edit (e)" in words(app) and "▸ Send anyway" not in words(app)
        await pilot.press("tab")
        await settle(pilot, app)
        assert "▸ Send anyway (s)" in words(app) and "▸ Edit" not in words(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
    assert (await stored_bodies(forum))[-1] == REPLY
