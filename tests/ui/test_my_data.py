"""My data: from home, a member writes their own export to a file, and a bad path says why."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input

from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.my_data import MyDataScreen
from forum_tui.ui.widgets import Plain
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle


async def test_a_member_writes_their_export_from_home(forum: Forum, tmp_path: Path) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, MyDataScreen)
        box = app.screen.query_one("#export-path", Input)
        assert box.value == f"~/forum-tui-export-carer_ann-{forum.clock().date().isoformat()}.json"

        box.value = str(tmp_path / "missing" / "me.json")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        said = str(app.screen.query_one("#export-result", Plain).render())
        assert "Not written" in said and "does not exist" in said

        target = tmp_path / "me.json"
        box.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        assert f"Written to {target}" in str(app.screen.query_one("#export-result", Plain).render())
        assert json.loads(target.read_text("utf-8"))["account"]["handle"] == "carer_ann"

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
