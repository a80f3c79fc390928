"""The search screen and the notification choices at 80x24, against stored snapshots."""

from __future__ import annotations

from tests.ui.conftest import Forum
from tests.ui.test_snapshots import SIZE, _settle


def test_search_results(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    async def search(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press("slash", *"respite", "enter")
        await _settle(pilot)  # the results have the focus: no blinking cursor in the picture

    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=search)


def test_notification_choices(snap_compare, forum: Forum) -> None:  # noqa: ANN001
    async def choices(pilot) -> None:  # noqa: ANN001
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)

    assert snap_compare(forum.app(forum.ann), terminal_size=SIZE, run_before=choices)
