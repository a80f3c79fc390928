"""The Moderation screen and the report dialog at 80x24, against stored snapshots
(update: pytest tests/ui/test_moderation_snapshots.py --snapshot-update).

Seeded as in ``tests.ui.test_moderation``: three reports waiting in Carers' Corner.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual.screen import Screen
from textual.worker import WorkerCancelled

from forum_tui.ui.screens.moderation import ModerationScreen
from forum_tui.ui.screens.thread import ThreadScreen
from tests.ui.test_moderation import Reported, reported  # noqa: F401 (the fixture)

SIZE = (80, 24)


async def _settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _opening(make: Callable[[], Screen[object]], *keys: str):  # noqa: ANN202
    async def run_before(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.push_screen(make())
        await _settle(pilot)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)
        pilot.app.clear_notifications()  # toasts would hide the screen under them
        await _settle(pilot)

    return run_before


def test_moderation_queue(snap_compare, reported: Reported) -> None:  # noqa: ANN001, F811
    run_before = _opening(ModerationScreen)
    assert snap_compare(reported.app(reported.forum.bob), terminal_size=SIZE, run_before=run_before)


def test_moderation_hide_reason(snap_compare, reported: Reported) -> None:  # noqa: ANN001, F811
    run_before = _opening(ModerationScreen, "h")
    assert snap_compare(reported.app(reported.forum.bob), terminal_size=SIZE, run_before=run_before)


def test_moderation_members(snap_compare, reported: Reported) -> None:  # noqa: ANN001, F811
    run_before = _opening(ModerationScreen, "2")
    assert snap_compare(reported.app(reported.forum.bob), terminal_size=SIZE, run_before=run_before)


def test_moderation_log(snap_compare, reported: Reported) -> None:  # noqa: ANN001, F811
    run_before = _opening(ModerationScreen, "h", "enter", "d", "3")
    assert snap_compare(reported.app(reported.forum.bob), terminal_size=SIZE, run_before=run_before)


def test_report_modal(snap_compare, reported: Reported) -> None:  # noqa: ANN001, F811
    forum = reported.forum
    run_before = _opening(lambda: ThreadScreen(forum.respite_thread), "down", "exclamation_mark")
    assert snap_compare(reported.app(reported.dan), terminal_size=SIZE, run_before=run_before)
