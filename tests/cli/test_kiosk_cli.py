"""forum-tui kiosk and forum-tui web at the command line: their options, and the command each
browser tab runs (this Python, this forum, nothing a member typed, no database password)."""

from __future__ import annotations

import shlex
import sys

from click.testing import CliRunner

from forum_tui.cli import main
from forum_tui.cli_kiosk import web_command


def test_kiosk_and_web_are_commands_with_plain_help() -> None:
    runner = CliRunner()
    kiosk = runner.invoke(main, ["kiosk", "--help"])
    assert kiosk.exit_code == 0
    assert "End session (Ctrl+E)" in kiosk.output and "--idle-minutes" in kiosk.output
    web = runner.invoke(main, ["web", "--help"])
    assert web.exit_code == 0
    for option in ("--host", "--port", "--public-url", "--kiosk"):
        assert option in web.output
    assert "TLS reverse proxy" in web.output


def test_idle_minutes_below_one_is_refused() -> None:
    result = CliRunner().invoke(main, ["kiosk", "--idle-minutes", "0.5"])
    assert result.exit_code == 2 and "--idle-minutes" in result.output


def test_each_tab_runs_this_python_and_no_database_url() -> None:
    assert shlex.split(web_command(kiosk=False)) == [sys.executable, "-m", "forum_tui"]
    assert shlex.split(web_command(kiosk=True, idle_minutes=7)) == [
        sys.executable,
        "-m",
        "forum_tui",
        "kiosk",
        "--idle-minutes",
        "7",
    ]
