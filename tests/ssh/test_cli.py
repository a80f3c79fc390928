"""The operator's commands for SSH: keys, invites, and `forum-tui serve` as a real process."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest

from tests.ssh.conftest import WAIT, Screen, Seeded

pytestmark = pytest.mark.ssh


def process_exists(pid: int) -> bool:
    """Also true of a zombie: a process that ended but was never reaped."""
    return Path(f"/proc/{pid}").exists()


def forum_tui(seeded: Seeded, data_dir: Path, *args: str, stdin: str = ""):  # noqa: ANN201
    env = {k: v for k, v in os.environ.items() if k != "FORUM_TUI_DATABASE_URL"}
    env["FORUM_TUI_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "forum_tui", "--db", seeded.url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_keys_and_invites_from_the_command_line(seeded: Seeded, data_dir: Path) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="bob@library")
    pub = data_dir / "bob.pub"
    pub.write_bytes(key.export_public_key("openssh"))
    added = forum_tui(seeded, data_dir, "member", "key", "add", "bob_leads", str(pub))
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        f"Added ssh-ed25519 key {key.get_fingerprint('sha256')} (bob@library) to bob_leads."
    )
    again = forum_tui(
        seeded, data_dir, "member", "key", "add", "bob_leads", "-", stdin=pub.read_text()
    )
    assert again.returncode == 1
    assert again.stderr.startswith("forum-tui: That key") and again.stderr.count("\n") == 1

    made = forum_tui(seeded, data_dir, "invite", "create", "--group", "carers-corner")
    assert made.returncode == 0, made.stderr
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\n", made.stdout)
    assert "ssh new@HOST" in made.stderr
    missing = forum_tui(seeded, data_dir, "invite", "create", "--group", "no-such-group")
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr.startswith("forum-tui: ")


def test_serve_help_explains_systemd(seeded: Seeded, data_dir: Path) -> None:
    shown = forum_tui(seeded, data_dir, "serve", "--help")
    assert shown.returncode == 0
    for words in ("ExecStart=", "KillMode=mixed", "--max-sessions-per-member", "--idle-timeout"):
        assert words in shown.stdout


async def test_serve_runs_and_stops_cleanly_on_sigterm(seeded: Seeded, data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FORUM_TUI_DATABASE_URL"}
    env["FORUM_TUI_DATA_DIR"] = str(data_dir)
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "forum_tui", "--db", seeded.url, "serve", "--port", "0",
        env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert server.stderr is not None
    log: list[str] = []
    try:
        while not any("event=listening" in line for line in log):
            line = await asyncio.wait_for(server.stderr.readline(), WAIT)
            assert line, "".join(log)
            log.append(line.decode())
        port = int(re.search(r"port=(\d+)", log[-1]).group(1))  # type: ignore[union-attr]
        conn = await asyncssh.connect(
            "127.0.0.1", port, username="new", known_hosts=None, client_keys=None,
            agent_path=None,
        )  # fmt: skip
        _chan, screen = await conn.create_session(
            Screen, term_type="xterm", term_size=(80, 24), encoding=None
        )
        await screen.wait_for("join with an invite code")
        while not any("event=session_start" in line for line in log):
            log.append((await asyncio.wait_for(server.stderr.readline(), WAIT)).decode())
        app_pid = int(re.search(r"pid=(\d+)", log[-1]).group(1))  # type: ignore[union-attr]

        server.send_signal(signal.SIGTERM)
        await screen.wait_closed()
        assert b"The forum is restarting" in screen.raw
        rest = await asyncio.wait_for(server.stderr.read(), WAIT)
        assert await asyncio.wait_for(server.wait(), WAIT) == 0
        log.append(rest.decode())
        assert not process_exists(app_pid)  # the session's app was ended and reaped
        text = "".join(log)
        assert "event=session_end" in text and "reason=server_shutdown" in text
        assert "Traceback" not in text
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()
