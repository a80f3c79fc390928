"""A small terminal keeps the room for reading: the board's chart is one line, and the thread's
reply box is one line until someone writes."""

from __future__ import annotations

from forum_tui.domain.boards import IdeaStatus
from forum_tui.ui.narrow import status_line
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.composer import Composer
from tests.ui.conftest import Forum
from tests.ui.test_journeys import settle

COUNTS = [
    (IdeaStatus.NEW, 3),
    (IdeaStatus.UNDER_REVIEW, 0),
    (IdeaStatus.PLANNED, 1),
    (IdeaStatus.DONE, 2),
]


def test_status_line_names_each_status_with_its_key() -> None:
    line = status_line(COUNTS, width=60)
    assert line == f"1 {IdeaStatus.NEW.label} 3 · 3 {IdeaStatus.PLANNED.label} 1 · 4 Done 2"
    chosen = status_line(COUNTS, width=60, selected=IdeaStatus.UNDER_REVIEW)
    assert f"▸2 {IdeaStatus.UNDER_REVIEW.label} 0" in chosen  # the filter, even when empty
    cut = status_line(COUNTS, width=12)
    assert len(cut) == 12 and cut.endswith("…")
    assert status_line([], width=40) == "No ideas yet"


async def test_reply_box_grows_only_when_used(forum: Forum) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        app.push_screen(ThreadScreen(forum.respite_thread))
        await settle(pilot, app)
        composer = app.screen.query_one("#composer", Composer)
        assert composer.size.height == 1
        await pilot.press("r")
        await settle(pilot, app)
        assert composer.has_focus and composer.size.height > 1
        await pilot.press(*"half a thought", "escape")
        await settle(pilot, app)
        assert composer.size.height > 1  # text in it: it stays open
        composer.text = ""
        app.screen.posts[0].focus()
        await settle(pilot, app)
        assert composer.size.height == 1
