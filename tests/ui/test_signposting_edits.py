"""Issue 8 §4 on screen: an edit that brings in crisis words shows the author the helplines,
and Help (F1) lists the helplines of the forum's own safety settings, not a fixed line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from forum_tui.services import build_services, safety
from forum_tui.store.database import Database
from forum_tui.ui.screens.edit_post import EditPostScreen
from forum_tui.ui.screens.help import HelpScreen
from forum_tui.ui.screens.signposting import SignpostingScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets import Plain
from forum_tui.ui.widgets.composer import Composer
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle, texts

OWN_SAFETY = """
message = "Our own words: you are not alone, and these can help now:"

[[helplines]]
name = "Our crisis team"
contact = "call the number on your care plan"

[[helplines]]
name = "Leeds carers' line"
contact = "0113 000 0000, weekdays 9 to 5"
"""


@pytest.fixture
def safety_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "safety.toml"
    path.write_text(OWN_SAFETY, "utf-8")
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", str(path))
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    safety._current = None
    yield path
    safety._current = None


def shown(app) -> str:  # noqa: ANN001
    return " ".join(texts(app).replace("&#x27;", "'").split())


async def test_an_edit_that_brings_in_crisis_words_shows_the_author_the_helplines(
    forum: Forum, safety_file: Path
) -> None:
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        mine = [view for view in app.screen.query(PostView) if view.mine]
        mine[0].focus()
        await pilot.press("e")
        await settle(pilot, app)
        assert isinstance(app.screen, EditPostScreen)
        app.screen.query_one(Composer).text = "It helped. But some nights I want to kill myself."
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, SignpostingScreen)
        seen = shown(app)
        assert "Your post is updated. You are not on your own." in seen
        assert "Our crisis team: call the number on your care plan" in seen
        assert "Leeds carers' line: 0113 000 0000" in seen
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        assert "some nights I want to kill myself" in shown(app)

    # The group's leader was told, as for a new post.
    db = Database(forum.url)
    notes = await build_services(db, forum.clock).notifications.list_notifications(forum.bob)
    await db.dispose()
    assert [n.text for n in notes][0].startswith("A post by carer_ann in Carers' Corner")
    assert "was edited and may now mention someone at risk" in notes[0].text

    # An ordinary edit afterwards brings no box.
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        [view for view in app.screen.query(PostView) if view.mine][0].focus()
        await pilot.press("e")
        await settle(pilot, app)
        app.screen.query_one(Composer).text = "It helped a lot."
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ThreadScreen)


async def test_help_lists_the_configured_helplines(forum: Forum, safety_file: Path) -> None:
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        listed = str(app.screen.query_one("#help-helplines", Plain).render())
        assert listed == (
            "Our own words: you are not alone, and these can help now:\n\n"
            "• Our crisis team: call the number on your care plan\n"
            "• Leeds carers' line: 0113 000 0000, weekdays 9 to 5"
        )
        assert "Samaritans" not in shown(app)  # the shipped line is not hard-coded any more


async def test_help_lists_the_shipped_helplines_without_a_file(
    forum: Forum, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FORUM_TUI_SAFETY_FILE", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    safety._current = None
    app = forum.app(member_id=forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        listed = str(app.screen.query_one("#help-helplines", Plain).render())
        assert "• Samaritans: 116 123 (free, any time)" in listed
        assert "• Emergency: call 999" in listed
    safety._current = None
