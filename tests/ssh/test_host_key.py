"""The host key is made once and reused: never silently replaced."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from forum_tui.ssh.hostkey import HostKeyError, load_or_create_host_key
from tests.ssh.conftest import PASSWORD, SshForum

pytestmark = pytest.mark.ssh


async def test_the_fingerprint_is_the_same_across_restarts(servers: Any, data_dir: Path) -> None:
    seen = []
    for _ in range(2):
        forum: SshForum = await servers()
        conn = await forum.connect("carer_ann", password=PASSWORD)
        seen.append(conn.get_server_host_key().get_fingerprint("sha256"))
        assert forum.running.host_key_fingerprint == seen[-1]
        conn.close()
        await forum.close()
    assert seen[0] == seen[1]
    key = data_dir / "host_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes().startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----")


def test_a_new_key_is_ed25519_and_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "host_key"
    key, created = load_or_create_host_key(path)
    assert created and key.algorithm == b"ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created = load_or_create_host_key(path)
    assert not created
    assert again.get_fingerprint() == key.get_fingerprint()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp files


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b"not a key at all"), "damaged"),
        (lambda p: p.write_bytes(p.read_bytes()[:60]), "damaged"),
        (lambda p: p.chmod(0o644), "chmod 600"),
        (lambda p: (p.unlink(), p.mkdir()), "not a regular file"),
        (lambda p: (p.unlink(), p.symlink_to(p.parent / "gone")), "cannot be read"),
    ],
)
def test_a_bad_key_file_is_an_error_and_is_left_alone(
    tmp_path: Path, damage: Any, message: str
) -> None:
    path = tmp_path / "host_key"
    load_or_create_host_key(path)
    damage(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(HostKeyError, match=message) as refused:
        load_or_create_host_key(path)
    assert "\n" not in str(refused.value)
    if before is not None:
        assert path.read_bytes() == before  # never replaced
