"""Each main screen at 80x24, against stored snapshots (update: pytest --snapshot-update).

The forum is seeded with a fixed clock, so relative times and counts never drift.
"""

from __future__ import annotations

import contextlib

from textual.worker import WorkerCancelled

from forum_tui.services import safety
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.thread import ThreadScreen
from tests.ui.conftest import Forum

SIZE = (80, 24)


async def _settle(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a left screen's worker
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_sign_in_screen(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    assert snap_compare(forum.app(), terminal_size=SIZE, run_before=_settle)


def test_home_screen(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=_settle)


def test_group_screen(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    async def open_group(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.push_screen(GroupScreen(forum.corner))
        await _settle(pilot)

    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=open_group)


def test_thread_screen_with_hostile_post(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    async def open_thread(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.push_screen(ThreadScreen(forum.hostile_thread))
        await _settle(pilot)

    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=open_thread)


def test_help_screen(snap_compare, forum: Forum, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    # Help lists the configured helplines: pin the shipped ones.
    monkeypatch.delenv("FORUM_TUI_SAFETY_FILE", raising=False)
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(safety, "_current", None)

    async def open_help(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        pilot.app.push_screen(ThreadScreen(forum.hostile_thread))
        await _settle(pilot)
        await pilot.press("f1")
        await _settle(pilot)

    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=open_help)
