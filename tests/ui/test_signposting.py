"""Safety signposting on screen at 80×24: the author sees the helplines right after posting
words of crisis and closes them with a key; readers see one discreet line under the post."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from forum_tui.services import safety
from forum_tui.ui.screens.new_thread import NewThreadScreen
from forum_tui.ui.screens.signposting import SignpostingScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView, signposting_line
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle, texts

CRISIS = "I'm frightened he will kill himself tonight"
LINE = "Support is available: Samaritans 116 123 (free, any time) · press F1 for more"


@pytest.fixture(autouse=True)
def shipped_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("FORUM_TUI_SAFETY_FILE", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    safety._current = None
    yield
    safety._current = None


async def test_author_sees_helplines_after_a_matching_reply_and_reader_sees_the_line(
    forum: Forum,
) -> None:
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("r", *CRISIS, "ctrl+s")
        await settle(pilot, app)

        assert isinstance(app.screen, SignpostingScreen)
        shown = texts(app)
        assert "Your post is up" in shown
        assert "Samaritans: 116 123" in shown
        assert "85258" in shown
        assert "999" in shown

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert app.screen.query_one("#composer", Composer).text == ""
        posts = list(app.screen.query(PostView))
        assert posts[-1].post.body == CRISIS
        assert signposting_line(posts[-1].post) == LINE
        assert [signposting_line(view.post) for view in posts[:-1]] == ["", ""]

    reader = forum.app(member_id=forum.bob)
    async with reader.run_test(size=SIZE) as pilot:
        await settle(pilot, reader)
        await reader.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, reader)
        await pilot.press("end")
        await settle(pilot, reader)
        assert not isinstance(reader.screen, SignpostingScreen)  # readers get no pop-up
        shown = " ".join(texts(reader).split())
        assert CRISIS.replace("'", "&#x27;") in shown or "frightened he will kill" in shown
        assert "Support is available: Samaritans 116 123" in shown
        assert shown.count("Support is available") == 1


async def test_an_ordinary_reply_shows_no_signposting(forum: Forum) -> None:
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        await pilot.press("r", *"I'm dying for a cup of tea", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "Support is available" not in texts(app)


async def test_author_sees_helplines_after_starting_a_matching_thread(forum: Forum) -> None:
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.push_screen(NewThreadScreen(forum.corner))
        await settle(pilot, app)
        app.screen.query_one(Input).value = "Tonight"
        app.screen.query_one(Composer).text = "She says she wants to end it all"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, SignpostingScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "Support is available" in " ".join(texts(app).split())
