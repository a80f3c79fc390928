"""The selection in every list is a marker plus bold, never a colour band (issues 10 and 13).

Read with NO_COLOR: a carer who sees no colour must still see where they are, and a move must
change only the marker and the two options' bold, not two whole rows of reverse video.
"""

from __future__ import annotations

import ast
from pathlib import Path

from rich.segment import Segment
from textual.widgets import OptionList

import forum_tui.ui
from forum_tui.ui.screens.group import GroupScreen
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.widgets.marked_list import MARKER, MarkedList
from tests.ui.conftest import Forum
from tests.ui.test_journeys import settle

SIZE = (80, 24)


def rows(app) -> list[list[Segment]]:  # noqa: ANN001
    return [list(strip) for strip in app.screen._compositor.render_strips()]


def text(row: list[Segment]) -> str:
    return "".join(segment.text for segment in row).rstrip()


def marked(app) -> list[str]:  # noqa: ANN001
    """The rows that carry the selection marker, as text."""
    return [text(row) for row in rows(app) if text(row).startswith(MARKER)]


def assert_marker_plus_bold(app, label: str) -> None:  # noqa: ANN001
    """Exactly one row is marked; its words are bold; no row of any list is in reverse video
    or has a background or foreground colour (NO_COLOR)."""
    [row] = [r for r in rows(app) if text(r).startswith(MARKER)]
    assert label in text(row)
    words = [s for s in row if s.text.strip() and s.text != MARKER.strip() and s.style]
    assert words and all(s.style.bold for s in words if s.text.strip() in label)
    screen = rows(app)
    lists = [box.region for box in app.screen.query(OptionList) if box.display]
    for r in [screen[y] for region in lists for y in range(region.y, region.bottom)]:
        for segment in r:
            style = segment.style
            if style is None:
                continue
            assert not style.reverse, text(r)
            assert style.bgcolor is None and style.color is None, text(r)


async def test_home_list_marks_the_selection_without_colour(forum: Forum, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.no_color and isinstance(app.screen, HomeScreen)
        assert_marker_plus_bold(app, "Carers' Corner")
        await pilot.press("tab")
        await settle(pilot, app)
        # Focus moved to the open groups: the marker goes with it; one marker on screen.
        assert_marker_plus_bold(app, "Night owls")
        assert not any("Carers' Corner" in row for row in marked(app))


async def test_thread_list_marker_moves_with_down_and_up(forum: Forum, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, GroupScreen)
        box = app.screen.query_one("#threads", OptionList)
        assert isinstance(box, MarkedList)
        titles = ["Sleep", "Odd characters [/", "Respite - does it exist?"]
        assert_marker_plus_bold(app, titles[0])
        await pilot.press("down")
        await settle(pilot, app)
        assert box.highlighted == 1
        assert_marker_plus_bold(app, titles[1])
        await pilot.press("down", "up", "up")
        await settle(pilot, app)
        assert_marker_plus_bold(app, titles[0])
        await pilot.press("f1")
        await settle(pilot, app)
        shown = "\n".join(text(row) for row in rows(app))
        assert "In a list, ▸ marks where you are: arrow keys move it, Enter opens it." in shown


def test_no_screen_builds_a_bare_option_list() -> None:
    """Every list the app shows is a MarkedList: a bare OptionList would show its selection in
    bold alone, which a terminal without bold (or a carer who cannot see it) loses."""
    ui = Path(forum_tui.ui.__file__).parent
    bare = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "OptionList":
                bare.append(f"{path.relative_to(ui)}:{node.lineno}")
    assert len(list(ui.rglob("screens/*.py"))) > 20  # the walk found the screens
    assert bare == []
