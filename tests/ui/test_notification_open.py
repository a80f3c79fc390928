"""Issue 8 §4 in the app: Enter on any notification opens what it is about — a crisis alert
the thread at that post, a report the review queue at that item, a silence the group, an
outcome the outcome — and one that names nothing says so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import OptionList

from forum_tui.domain.moderation import ReportReason, TargetKind
from forum_tui.services import build_services, safety
from forum_tui.store.board_tables import NotificationRow
from forum_tui.store.database import Database
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.moderation import ModerationScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.outcomes import OutcomesScreen
from forum_tui.ui.screens.thread import ThreadScreen
from forum_tui.ui.widgets.post import PostView
from tests.ui.conftest import Forum
from tests.ui.test_boards import BoardForum, boards, prompts  # noqa: F401
from tests.ui.test_journeys import SIZE, settle, texts

CRISIS = "Some nights I want to kill myself."


@pytest.fixture(autouse=True)
def shipped_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.delenv("FORUM_TUI_SAFETY_FILE", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    safety._current = None
    yield
    safety._current = None


async def open_first_notification(pilot, app) -> None:  # noqa: ANN001
    await settle(pilot, app)
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("o")
    await settle(pilot, app)
    assert isinstance(app.screen, NotificationsScreen)
    await pilot.press("enter")
    await settle(pilot, app)


async def test_a_crisis_alert_opens_the_thread_at_that_post(forum: Forum) -> None:
    db = Database(forum.url)
    s = build_services(db, forum.clock)
    await s.threads.reply(forum.ann, forum.respite_thread, "Thanks, that helps.")
    post = await s.threads.reply(forum.ann, forum.respite_thread, CRISIS)
    for n in range(12):  # enough that the post is below the first screen
        await s.threads.reply(forum.bob, forum.respite_thread, f"Later reply {n}")
    await db.dispose()
    app = forum.app(forum.bob)  # he leads Carers' Corner
    async with app.run_test(size=SIZE) as pilot:
        await open_first_notification(pilot, app)
        assert isinstance(app.screen, ThreadScreen)
        focused = app.screen.focused
        assert isinstance(focused, PostView) and focused.post.id == post.id
        assert CRISIS in texts(app)


async def test_a_report_opens_the_queue_at_the_item(forum: Forum) -> None:
    db = Database(forum.url)
    s = build_services(db, forum.clock)
    respite = await s.threads.open_thread(forum.ann, forum.respite_thread)
    hostile = await s.threads.open_thread(forum.ann, forum.hostile_thread)
    # Two items in the queue, the older first, so its first row is not the answer by chance.
    for view in (respite, hostile):
        await s.moderation.report(
            forum.ann, TargetKind.POST, view.posts.items[0].id, ReportReason.UNKIND, "odd"
        )
    await db.dispose()
    app = forum.app(forum.bob)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        box = app.screen.query_one("#notifications", OptionList)
        assert box.highlighted == 0  # the newest: the report on the hostile post
        assert "was reported" in prompts(box)[0]
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ModerationScreen)
        queue = app.screen.query_one("#queue", OptionList)
        assert queue.option_count == 2
        assert queue.highlighted_option is not None
        assert queue.highlighted_option.id == f"post:{hostile.posts.items[0].id}"
        assert queue.highlighted == 1


async def test_a_silence_opens_the_group_and_an_old_notice_says_there_is_nothing(
    forum: Forum,
) -> None:
    db = Database(forum.url)
    s = build_services(db, forum.clock)
    await s.moderation.silence(
        forum.bob, forum.corner, "carer_ann", forum.clock() + timedelta(days=1), "cool off"
    )
    await db.dispose()
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_notification(pilot, app)
        assert isinstance(app.screen, GroupScreen) and app.screen.group_id == forum.corner
        assert "Corner" in texts(app)

    db = Database(forum.url)
    async with db.write() as session:  # what a notification from before revision 0010 holds
        await session.execute(
            NotificationRow.__table__.update().values(group_id=None, read_at=None)
        )
    await db.dispose()
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_notification(pilot, app)
        assert isinstance(app.screen, NotificationsScreen)
        said = [note.message for note in app._notifications]
        assert said == ["This notice is all there is: there is nothing more to open."]


async def test_an_outcome_credit_opens_the_outcome(boards: BoardForum) -> None:  # noqa: F811
    db, s = await boards.services()
    await s.ideas.support_idea(boards.ann, boards.leaflet)
    outcome = await s.outcomes.record_outcome(
        boards.sam, boards.cmht, "Plain-English leaflet", "Rewritten with carers.",
        date(2026, 10, 1), [boards.leaflet],
    )  # fmt: skip
    await s.outcomes.record_outcome(
        boards.sam, boards.cmht, "Ward contacts", "Named on every ward.", date(2026, 10, 20),
        [boards.ward],
    )  # fmt: skip
    await db.dispose()
    app = boards.app(boards.ann)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_notification(pilot, app)
        assert isinstance(app.screen, OutcomesScreen) and app.screen.board_id == boards.cmht
        box = app.screen.query_one("#outcomes", OptionList)
        assert box.highlighted_option is not None
        assert box.highlighted_option.id == f"outcome:{outcome.id}"  # not the newer one on top
        assert "Plain-English leaflet" in texts(app)
