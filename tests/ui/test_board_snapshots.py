"""Boards, ideas, outcomes and contributions at 80x24, against stored snapshots
(update: pytest tests/ui/test_board_snapshots.py --snapshot-update).

Seeded by ``tests.ui.test_boards.seed_boards`` with a fixed clock, plus carer_ann supporting the
answered ward idea and an outcome linked to it, so every screen has something to show.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import OptionList
from textual.worker import WorkerCancelled

from forum_tui.ui.screens.board import BoardScreen
from forum_tui.ui.screens.boards import BoardsScreen
from forum_tui.ui.screens.contributions import ContributionsScreen
from forum_tui.ui.screens.idea import IdeaScreen
from forum_tui.ui.screens.new_idea import NewIdeaScreen
from forum_tui.ui.screens.notifications import NotificationsScreen
from forum_tui.ui.screens.outcomes import OutcomesScreen
from forum_tui.ui.screens.staff_desk import StaffDeskScreen
from tests.conftest import FakeClock
from tests.ui.test_boards import BoardForum, seed_boards

SIZE = (80, 24)


async def _seed(url: str) -> BoardForum:
    forum = await seed_boards(url, FakeClock())
    db, s = await forum.services()
    await s.ideas.support_idea(forum.ann, forum.ward, "Nobody answered for days.")
    await s.outcomes.record_outcome(
        forum.sam,
        forum.cmht,
        "Ward contacts named",
        "Every ward now names a contact for carers, on a card at the nurses' station.",
        date(2026, 10, 30),
        [forum.ward, forum.leaflet],
    )
    await db.dispose()
    return forum


@pytest.fixture
def forum(tmp_path: Path) -> BoardForum:
    return asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'forum.db'}"))


async def _settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _opening(  # noqa: ANN202
    make: Callable[[], Screen[object]],
    *keys: str,
    until: Callable[[Screen[object]], bool] | None = None,
):
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.push_screen(make())
        await _settle(pilot)
        if keys:
            await pilot.press(*keys)
        if until is not None:
            # Wait for what the screen does by itself (a timer, a worker), never a fixed time.
            for _ in range(2000):
                if until(pilot.app.screen):
                    break
                await pilot.pause(0.01)
            assert until(pilot.app.screen), "the screen never got there"
        await _settle(pilot)

    return run_before


def test_home_with_board_keys(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    assert snap_compare(forum.app(forum.sam), terminal_size=SIZE, run_before=_settle)


def test_boards_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(BoardsScreen)
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_board_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: BoardScreen(forum.cmht))
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_board_screen_awaiting_sort(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: BoardScreen(forum.cmht), "s", "s", "s")
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_idea_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: IdeaScreen(forum.ward))
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_new_idea_with_similar_ideas(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    def similar_shown(screen: Screen[object]) -> bool:
        return screen.query_one("#similar", OptionList).option_count > 0

    run_before = _opening(lambda: NewIdeaScreen(forum.cmht), *"Evening group", until=similar_shown)
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_contributions_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(ContributionsScreen)
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_outcomes_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: OutcomesScreen(forum.cmht))
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_notifications_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(NotificationsScreen)
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)


def test_staff_desk_screen(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(StaffDeskScreen)
    assert snap_compare(forum.app(forum.sam), terminal_size=SIZE, run_before=run_before)


def test_change_status_modal(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: IdeaScreen(forum.evening), "t", "down")
    assert snap_compare(forum.app(forum.sam), terminal_size=SIZE, run_before=run_before)


def test_record_outcome_modal(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: IdeaScreen(forum.evening), "o", *"Tuesday group")
    assert snap_compare(forum.app(forum.sam), terminal_size=SIZE, run_before=run_before)


def test_support_modal(snap_compare, forum: BoardForum) -> None:  # noqa: ANN001
    run_before = _opening(lambda: IdeaScreen(forum.evening), "s", *"Me too")
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=run_before)
