"""Every setting the server was started with applies inside every SSH session (issue 9 §6):
posting limits and the safety file, end to end; any other ``FORUM_TUI_*`` setting reaches the
session's app; a client can set none of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forum_tui.domain.errors import ForumError
from forum_tui.services import safety
from forum_tui.ssh.environment import operator_settings
from tests.ssh.conftest import SshForum, open_thread
from tests.ssh.test_refusals import environment_of

pytestmark = pytest.mark.ssh

CRISIS = "I'm frightened he will kill himself tonight"
SAFETY_TOML = """\
[[helplines]]
name = "Oakfield Carers Line"
contact = "0800 000 1234 (weekdays)"
"""


@pytest.fixture(autouse=True)
def no_operator_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start from none: each test sets the ones it is about."""
    for name in list(operator_settings()):
        monkeypatch.delenv(name)
    safety._current = None


async def send_reply(screen: Any, text: str) -> None:
    screen.type(text)
    await screen.wait_for(text[:30])
    screen.type("\x13")  # Ctrl+S


async def test_a_posting_limit_set_for_the_server_applies_over_ssh(
    servers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORUM_TUI_POSTS_PER_WINDOW", "1")
    forum: SshForum = await servers()
    _conn, screen = await forum.open("carer_ann")
    await open_thread(screen)
    await send_reply(screen, "First reply: respite came through")
    await screen.wait_for("carer_ann (you)")  # sent; the reply box stays open, emptied
    await send_reply(screen, "Second reply, straight after")
    # The limit's own refusal (a toast, wrapped at 80 columns), with when to post again.
    await screen.wait_for(lambda shown: "You have posted 1 times" in " ".join(shown.split()))
    view = await forum.services.threads.open_thread(forum.seeded.ann, forum.seeded.thread)
    bodies = [post.body for post in view.posts.items]
    assert "First reply: respite came through" in bodies
    assert "Second reply, straight after" not in bodies


async def test_a_safety_file_set_for_the_server_applies_over_ssh(
    servers: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "config"
    elsewhere.mkdir()
    (elsewhere / "oakfield.toml").write_text(SAFETY_TOML, "utf-8")
    # A path relative to where the server was started: the app runs elsewhere (the data dir).
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("FORUM_TUI_SAFETY_FILE", "oakfield.toml")
    forum: SshForum = await servers()
    _conn, screen = await forum.open("carer_ann")
    await open_thread(screen)
    await send_reply(screen, CRISIS)
    shown = await screen.wait_for("Oakfield Carers Line")
    assert "0800 000 1234" in shown
    assert "Samaritans" not in shown  # the shipped helplines were replaced, not added to


async def test_every_forum_setting_of_the_server_reaches_the_app_and_none_of_the_clients(
    servers: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server_side = {
        "FORUM_TUI_POSTING_LIMITS": "off",
        "FORUM_TUI_NEW_MEMBER_HOURS": "0",
        "FORUM_TUI_SOME_FUTURE_SETTING": "kept",
    }
    for name, value in server_side.items():
        monkeypatch.setenv(name, value)
    forum: SshForum = await servers()
    sent = {"FORUM_TUI_POSTING_LIMITS": "on", "FORUM_TUI_SAFETY_FILE": str(tmp_path / "x")}
    _conn, screen = await forum.open("carer_ann", env=sent)
    await screen.wait_for("Carers' Corner")
    [session] = forum.running.hub.sessions
    assert session.child is not None
    env = environment_of(session.child.pid)
    for name, value in server_side.items():
        assert env[name] == value
    assert "FORUM_TUI_SAFETY_FILE" not in env  # the client's wish is ignored


async def test_a_setting_no_session_could_use_stops_the_server_with_one_line(
    servers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORUM_TUI_POSTS_PER_WINDOW", "ten")
    with pytest.raises(ForumError, match="FORUM_TUI_POSTS_PER_WINDOW must be a whole number"):
        await servers()
