"""Only an interactive terminal (and `export`, tests/ssh/test_export.py) is on offer: other
commands, sftp/scp, forwarding, agent and X11 are all refused, and nothing the client sends
in its environment reaches the app."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from tests.ssh.conftest import PASSWORD, SshForum

pytestmark = pytest.mark.ssh


async def test_commands_subsystems_and_forwarding_are_refused(
    forum: SshForum, tmp_path: Path
) -> None:
    conn = await forum.connect("carer_ann", password=PASSWORD)
    assert conn.get_extra_info("server_version") == "SSH-2.0-forum"

    # Every command but `export` is answered with one clear message, and nothing runs.
    for command in ("cat /etc/passwd", "scp -f /etc/passwd", "ls", "export /etc/passwd"):
        result = await conn.run(command, timeout=20, encoding=None)
        assert result.exit_status == 1, command
        assert result.stdout == b""
        assert b"forum-tui runs one command: export" in result.stderr
    with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
        await conn.start_sftp_client()
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.open_connection("127.0.0.1", forum.port)  # ssh -L
    with pytest.raises(asyncssh.ChannelListenError):
        await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)  # ssh -R
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.open_unix_connection(str(tmp_path / "socket"))
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.create_session(  # ssh -X
            asyncssh.SSHClientSession, term_type="xterm", x11_forwarding=True
        )
    assert not forum.running.hub.sessions  # none of it started an app


async def test_a_session_without_a_terminal_is_told_how_to_connect(forum: SshForum) -> None:
    conn = await forum.connect("carer_ann", password=PASSWORD)
    result = await conn.run(term_type=None, timeout=20)  # `ssh -T`: a shell, no PTY
    assert result.exit_status == 1
    assert "needs a terminal" in str(result.stdout)


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if item)


def stat_of(pid: int) -> dict[str, int]:
    after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return {"session": int(after_name[3]), "tty_nr": int(after_name[4])}


async def test_the_clients_environment_never_reaches_the_app(
    forum: SshForum, tmp_path: Path
) -> None:
    evil = tmp_path / "evil.db"
    sent = {
        "FORUM_TUI_DATABASE_URL": f"sqlite+aiosqlite:///{evil}",
        "FORUM_TUI_DATA_DIR": str(tmp_path),
        "COLUMNS": "10",
        "LINES": "5",
        "PYTHONPATH": str(tmp_path),
        "PYTHONSTARTUP": str(tmp_path / "x.py"),
        "LD_PRELOAD": "/tmp/evil.so",
        "TEXTUAL": "devtools",
        "LANG": "xx_XX.ISO-8859-1",
    }
    _conn, screen = await forum.open(
        "carer_ann", env=sent, term="evil-terminal\x1b[2J", agent_forwarding=True
    )
    await screen.wait_for("signed in as carer_ann")
    await screen.wait_for("Carers' Corner")  # the real forum, read from the real database
    [session] = forum.running.hub.sessions
    assert session.child is not None
    pid = session.child.pid
    env = environment_of(pid)
    # Its own session, led by the app, with the PTY as its controlling terminal (so resizes
    # arrive as SIGWINCH and a hang-up as SIGHUP).
    fields = stat_of(pid)
    assert fields["session"] == pid and fields["tty_nr"] != 0
    assert env["FORUM_TUI_DATABASE_URL"] == forum.seeded.url
    assert env["TERM"] == "xterm"  # not on the allow-list: the plain default
    assert env["LANG"] == "C.UTF-8"
    for name in ("COLUMNS", "LINES", "PYTHONPATH", "PYTHONSTARTUP", "LD_PRELOAD", "TEXTUAL",
                 "SSH_AUTH_SOCK", "DISPLAY"):  # fmt: skip
        assert name not in env
    assert env["TEXTUAL_COLOR_SYSTEM"] == "standard"  # 16 colours unless asked for more
    assert not evil.exists()


async def test_a_client_may_ask_for_full_colour_or_none(forum: SshForum) -> None:
    for sent, system, no_color in (
        ({"COLORTERM": "truecolor"}, "truecolor", False),
        ({"NO_COLOR": "yes please"}, "standard", True),
    ):
        env = forum.running.hub.child_env("xterm-256color", sent)
        assert env["TEXTUAL_COLOR_SYSTEM"] == system
        assert ("NO_COLOR" in env) is no_color
        assert env["TERM"] == "xterm-256color"
