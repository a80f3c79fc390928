"""The client carers actually use: OpenSSH's `ssh`, on a real terminal, once."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import struct
import termios
import time
from pathlib import Path

import asyncssh
import pyte
import pytest

from tests.ssh.conftest import WAIT, SshForum

pytestmark = [
    pytest.mark.ssh,
    pytest.mark.skipif(shutil.which("ssh") is None, reason="the OpenSSH client is not installed"),
]


async def test_openssh_with_a_key_opens_the_forum(forum: SshForum, tmp_path: Path) -> None:
    known_hosts = tmp_path / "known_hosts"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = await asyncio.create_subprocess_exec(
        "ssh",
        "-F", "/dev/null",
        "-tt",
        "-p", str(forum.port),
        "-o", "StrictHostKeyChecking=accept-new",
        "-o", f"UserKnownHostsFile={known_hosts}",
        "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes",
        "-i", str(forum.seeded.ann_key),
        "carer_ann@127.0.0.1",
        stdin=slave, stdout=slave, stderr=slave,
        start_new_session=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
             "TERM": "xterm-256color"},
    )  # fmt: skip
    os.close(slave)
    os.set_blocking(master, False)
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    changed = asyncio.Event()

    def readable() -> None:
        with contextlib.suppress(BlockingIOError):
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                asyncio.get_running_loop().remove_reader(master)
            stream.feed(data)
            changed.set()

    loop = asyncio.get_running_loop()
    loop.add_reader(master, readable)

    async def wait_for(text: str) -> None:
        deadline = time.monotonic() + WAIT
        while text not in "\n".join(screen.display):
            assert time.monotonic() < deadline, "\n".join(screen.display)
            changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), 0.5)

    try:
        await wait_for("signed in as carer_ann")
        await wait_for("Carers' Corner")
        os.write(master, b"\x11")  # Ctrl+Q
        assert await asyncio.wait_for(process.wait(), WAIT) == 0
    finally:
        loop.remove_reader(master)
        if process.returncode is None:
            process.kill()
            await process.wait()
        os.close(master)
    # OpenSSH recorded the server's ed25519 key: the one the server says it has.
    [line] = known_hosts.read_text().splitlines()
    _host, algorithm, data = line.split()[:3]
    recorded = asyncssh.import_public_key(f"{algorithm} {data}")
    assert recorded.get_fingerprint("sha256") == forum.running.host_key_fingerprint


async def test_openssh_without_a_terminal_and_with_stdin_closed_is_told_why(
    forum: SshForum, tmp_path: Path
) -> None:
    """`ssh -T carer_ann@HOST < /dev/null`: no terminal, and end of input at once. The
    client must still read the reason, not just see the connection close."""
    process = await asyncio.create_subprocess_exec(
        "ssh",
        "-F", "/dev/null",
        "-T",
        "-p", str(forum.port),
        "-o", "StrictHostKeyChecking=no",
        "-o", f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
        "-o", "IdentitiesOnly=yes",
        "-o", "BatchMode=yes",
        "-i", str(forum.seeded.ann_key),
        "carer_ann@127.0.0.1",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)},
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert b"forum-tui needs a terminal" in out, (out, err)
    assert b"ssh -t carer_ann@HOST" in out
    assert process.returncode == 1
    assert not forum.running.hub.sessions
