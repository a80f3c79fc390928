"""`ssh HANDLE@HOST export > my-data.json`: the one command the server runs. It signs in like
any session, streams the same JSON as `forum-tui member export`, is audited, and writes nothing
on the server; every other command is refused with a clear message."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path

import asyncssh
import pytest

from forum_tui.domain.errors import StoreError
from forum_tui.domain.moderation import Action
from tests.ssh.conftest import PASSWORD, WAIT, SshForum

pytestmark = pytest.mark.ssh


async def operator_export(forum: SshForum, data_dir: Path) -> dict:
    """`forum-tui member export carer_ann`, run as the operator would."""
    env = {k: v for k, v in os.environ.items() if k != "FORUM_TUI_DATABASE_URL"}
    env["FORUM_TUI_DATA_DIR"] = str(data_dir)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "forum_tui", "--db", forum.seeded.url,
        "member", "export", "carer_ann",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err
    return json.loads(out)


def server_files(data_dir: Path) -> set[Path]:
    return set(data_dir.rglob("*"))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_export_over_ssh_is_the_same_json_as_the_cli_and_is_audited(
    forum: SshForum, data_dir: Path
) -> None:
    expected = await operator_export(forum, data_dir)
    before = server_files(data_dir)

    conn = await forum.connect("carer_ann", password=PASSWORD)
    # stdin closed at once, as `ssh -n`: the export is still sent in full.
    result = await conn.run("export", stdin=asyncssh.DEVNULL, timeout=WAIT, encoding=None)
    assert result.exit_status == 0, result.stderr
    assert result.stderr == b""
    downloaded = json.loads(result.stdout)
    assert {**downloaded, "exported_at": ""} == {**expected, "exported_at": ""}
    assert downloaded["account"]["handle"] == "carer_ann"
    assert server_files(data_dir) == before  # nothing written on the server
    assert not forum.running.hub.sessions  # the download does not hold a session open

    log = await forum.services.moderation.audit_log(forum.seeded.admin)
    [entry] = [e for e in log if e.action is Action.EXPORT]
    assert (entry.actor_handle, entry.target_id) == ("carer_ann", forum.seeded.ann)


async def test_export_needs_a_sign_in_and_takes_no_arguments(forum: SshForum) -> None:
    conn = await forum.connect("new")
    result = await conn.run("export", timeout=WAIT, encoding=None)
    assert result.exit_status == 1 and result.stdout == b""
    assert b"sign in with your own name" in result.stderr

    with pytest.raises(asyncssh.PermissionDenied):
        await forum.connect("carer_ann", password="not the password")

    conn = await forum.connect("carer_ann", password=PASSWORD)
    for command in ("export > /tmp/x", "export ~/.bash_profile", "exports", "ls", "sh -c id"):
        result = await conn.run(command, timeout=WAIT, encoding=None)
        assert result.exit_status == 1, command
        assert result.stdout == b""
        assert b"forum-tui runs one command: export" in result.stderr
    log = await forum.services.moderation.audit_log(forum.seeded.admin)
    assert not [e for e in log if e.action is Action.EXPORT]

    # The example names the member's stored handle, never echoes the name as typed.
    conn = await forum.connect("Carer.ANN", password=PASSWORD)
    result = await conn.run("ls", timeout=WAIT, encoding=None)
    assert b"ssh carer_ann@HOST export > my-data.json" in result.stderr
    assert b"Carer.ANN" not in result.stderr


@pytest.mark.skipif(shutil.which("ssh") is None, reason="the OpenSSH client is not installed")
async def test_openssh_export_to_a_file_and_ls_refused(forum: SshForum, tmp_path: Path) -> None:
    """What a member types, with the real OpenSSH client and a key."""
    base = [
        "ssh", "-F", "/dev/null", "-p", str(forum.port),
        "-o", "StrictHostKeyChecking=accept-new",
        "-o", f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
        "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-i", str(forum.seeded.ann_key), "carer_ann@127.0.0.1",
    ]  # fmt: skip
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    target = tmp_path / "my-data.json"
    with target.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *base, "export", stdin=asyncio.subprocess.DEVNULL, stdout=out,
            stderr=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        _, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode == 0, err
    assert json.loads(target.read_text("utf-8"))["account"]["handle"] == "carer_ann"

    process = await asyncio.create_subprocess_exec(
        *base, "ls", stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode == 1 and out == b""
    assert b"forum-tui runs one command: export" in err


async def test_my_data_over_ssh_shows_the_command_with_the_real_address(servers) -> None:  # noqa: ANN001
    plain: SshForum = await servers()
    _conn, screen = await plain.open("carer_ann")
    await screen.wait_for("signed in as carer_ann")
    screen.type("x")
    await screen.wait_for(f"ssh -p {plain.port} carer_ann@127.0.0.1 export > my-data.json")

    behind_nat: SshForum = await servers(public_host="forum.example.org", public_port=22)
    _conn, screen = await behind_nat.open("carer_ann")
    await screen.wait_for("signed in as carer_ann")
    screen.type("x")
    await screen.wait_for("ssh carer_ann@forum.example.org export > my-data.json")
    assert "Save my export" not in screen.text


async def test_a_failed_export_says_so_without_naming_server_files(
    forum: SshForum, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(member_id: int) -> str:
        raise StoreError("Cannot open the SQLite file /srv/forum/forum.db: check its permissions.")

    monkeypatch.setattr(forum.running.hub.services.privacy, "download_own_export", broken)
    conn = await forum.connect("carer_ann", password=PASSWORD)
    result = await conn.run("export", timeout=WAIT, encoding=None)
    assert result.exit_status == 1 and result.stdout == b""
    assert (
        result.stderr
        == b"Your export could not be made just now. Nothing was sent; please try again later.\r\n"
    )
    assert not forum.running.hub.sessions
