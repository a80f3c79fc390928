"""My data: a member never types a path. Over SSH the screen shows the download command with
the server's real address; run locally, `s` saves the export into exports/ in the data folder,
and a link planted there is refused without saying what was found."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from forum_tui.config import Settings
from forum_tui.ui.app import make_app
from forum_tui.ui.screens.home import HomeScreen
from forum_tui.ui.screens.my_data import MyDataScreen, export_command
from forum_tui.ui.widgets import Plain
from tests.ui.conftest import Forum
from tests.ui.test_journeys import SIZE, settle, texts


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("FORUM_TUI_DATA_DIR", str(folder))
    return folder


def result_of(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#export-result", Plain).render())


async def test_run_locally_s_saves_the_export_in_the_data_folder(forum: Forum, data: Path) -> None:
    app = forum.app(forum.ann)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, MyDataScreen)
        assert not app.screen.query(Input)  # nowhere to type a path
        shown = texts(app)
        assert "s Save my export" in shown or "Save my export" in shown

        await pilot.press("s")
        await settle(pilot, app)
        saved = data / "exports" / f"forum-tui-export-{forum.ann}.json"
        assert result_of(app) == f"Saved: {saved}"
        assert json.loads(saved.read_text("utf-8"))["account"]["handle"] == "carer_ann"
        assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600

        # Someone plants a link at the name: refused, not followed, nothing said about it.
        victim = data.parent / "victim.txt"
        victim.write_text("keep me\n")
        saved.unlink()
        saved.symlink_to(victim)
        await pilot.press("s")
        await settle(pilot, app)
        said = result_of(app)
        assert said.startswith("Your export could not be saved here (nothing was written).")
        assert "link" not in said and str(data) not in said
        assert victim.read_text() == "keep me\n"

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, HomeScreen)


async def test_over_ssh_my_data_shows_the_download_command_and_saves_nothing(
    forum: Forum, data: Path
) -> None:
    app = make_app(
        Settings(forum.url), member_id=forum.ann, clock=forum.clock, ssh_address=("10.0.0.5", 2222)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, MyDataScreen)
        command = str(app.screen.query_one("#export-command", Plain).render())
        assert command == "ssh -p 2222 carer_ann@10.0.0.5 export > my-data.json"
        shown = texts(app)
        assert "ssh -p 2222 carer_ann@10.0.0.5 export &gt; my-data.json" in shown
        assert "Save my export" not in shown  # no key for it in the footer, no button
        assert not app.screen.query(Input)
        await pilot.press("s")
        await settle(pilot, app)
        assert not (data / "exports").exists()


def test_the_command_leaves_out_the_default_port_and_quotes_what_a_shell_would_read() -> None:
    assert export_command("ann", "forum.example.org", 22) == (
        "ssh ann@forum.example.org export > my-data.json"
    )
    assert export_command("ann", "::1", 2222) == "ssh -p 2222 ann@::1 export > my-data.json"
