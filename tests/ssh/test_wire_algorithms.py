"""What the server offers on the wire: compression by default, a short modern list."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from click.testing import CliRunner

from forum_tui.ssh.algorithms import CIPHERS, KEX
from tests.ssh.conftest import WAIT, SshForum

pytestmark = pytest.mark.ssh
openssh = pytest.mark.skipif(shutil.which("ssh") is None, reason="no OpenSSH client")


async def openssh_negotiates(port: int, tmp_path: Path, *extra: str) -> str:
    """Runs a plain `ssh -v` (no -C) that fails to sign in, and returns its debug output,
    which names the algorithms chosen for the connection."""
    process = await asyncio.create_subprocess_exec(
        "ssh", "-v", "-F", "/dev/null", "-T", "-p", str(port),
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no",
        "-o", f"UserKnownHostsFile={tmp_path / 'known_hosts'}",
        "-o", "IdentitiesOnly=yes",
        "-o", "PubkeyAuthentication=no",
        *extra,
        "nobody_here@127.0.0.1",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    _out, err = await asyncio.wait_for(process.communicate(), WAIT)
    return err.decode("utf-8", "replace")


def chosen(debug: str) -> dict[str, str]:
    """From OpenSSH's "kex: server->client cipher: X MAC: Y compression: Z" lines."""
    found = {}
    for direction, cipher, compression in re.findall(
        r"kex: (server->client|client->server) cipher: (\S+) MAC: \S+ compression: (\S+)", debug
    ):
        found[direction] = f"{cipher} {compression}"
    kex = re.search(r"kex: algorithm: (\S+)", debug)
    host_key = re.search(r"kex: host key algorithm: (\S+)", debug)
    found["kex"] = kex.group(1) if kex else ""
    found["host_key"] = host_key.group(1) if host_key else ""
    return found


@openssh
async def test_plain_openssh_compresses_with_modern_algorithms(
    forum: SshForum, tmp_path: Path
) -> None:
    for extra in ((), ("-o", "Compression=no")):
        got = chosen(await openssh_negotiates(forum.port, tmp_path, *extra))
        for direction in ("server->client", "client->server"):
            cipher, compression = got[direction].split()
            assert compression == "zlib@openssh.com", got
            assert cipher in CIPHERS
        assert got["kex"] in KEX
        assert got["host_key"] == "ssh-ed25519"


@openssh
async def test_allow_uncompressed_lets_openssh_choose_none(
    servers: Callable[..., Any], tmp_path: Path
) -> None:
    forum = await servers(allow_uncompressed=True)
    got = chosen(await openssh_negotiates(forum.port, tmp_path))
    assert got["server->client"].endswith(" none"), got


async def test_a_client_without_zlib_is_refused_unless_allowed(
    servers: Callable[..., Any],
) -> None:
    strict = await servers()
    with pytest.raises(asyncssh.KeyExchangeFailed):
        await strict.connect("carer_ann", password="x", compression_algs=["none"])
    lenient = await servers(allow_uncompressed=True)
    conn, screen = await lenient.open(compression_algs=["none"])
    await screen.wait_for("signed in as carer_ann")


async def test_an_old_cipher_only_client_is_refused(forum: SshForum) -> None:
    with pytest.raises(asyncssh.KeyExchangeFailed):
        await forum.connect("carer_ann", password="x", encryption_algs=["aes128-cbc"])


def test_serve_takes_allow_uncompressed_and_warm(monkeypatch: pytest.MonkeyPatch) -> None:
    from forum_tui import cli
    from forum_tui.ssh import server

    seen = {}
    monkeypatch.setattr(server, "serve", lambda _s, options, ready=None: seen.update(o=options))
    for args, expected in (([], False), (["--allow-uncompressed", "--warm"], True)):
        result = CliRunner().invoke(cli.main, ["serve", "--port", "0", *args])
        assert result.exit_code == 0, result.output
        assert seen["o"].allow_uncompressed is expected
        assert seen["o"].warm is expected
    shown = CliRunner().invoke(cli.main, ["serve", "--help"]).output
    assert "--allow-uncompressed" in shown and "--warm" in shown
