"""The server's host key: made once (ed25519, mode 0600), then always reused.

Clients remember a server by its host key and warn loudly when it changes, so it is never
replaced behind the operator's back: a key file that is there but unreadable, damaged or
readable by other users is an error with a plain message, not a reason to make a new one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import asyncssh

from forum_tui.config import data_dir
from forum_tui.domain.errors import ForumError

HOST_KEY_NAME = "ssh_host_ed25519_key"


class HostKeyError(ForumError):
    """The host key file cannot be used as it is; the message says what to do."""


def default_host_key_path() -> Path:
    return data_dir() / HOST_KEY_NAME


def load_or_create_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host key at ``path``, and whether it was made just now."""
    path = path.expanduser()
    if path.exists() or path.is_symlink():
        return _load(path), False
    _create(path)
    return _load(path), True


def fingerprint(key: asyncssh.SSHKey) -> str:
    return key.get_fingerprint("sha256")


def _load(path: Path) -> asyncssh.SSHKey:
    keep = (
        "It is never replaced automatically, because every client would then warn that the "
        "server has changed. Restore it from a backup, or move it away to make a new one "
        "(and tell your members the new fingerprint)."
    )
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise HostKeyError(f"The SSH host key {path} is not a regular file. {keep}")
        data = path.read_bytes()
    except OSError as error:
        raise HostKeyError(
            f"The SSH host key {path} cannot be read ({error.strerror or error}). {keep}"
        ) from None
    if info.st_mode & 0o077:
        raise HostKeyError(
            f"The SSH host key {path} can be read by other users "
            f"(mode {stat.S_IMODE(info.st_mode):04o}): run  chmod 600 {path}"
        )
    try:
        return asyncssh.import_private_key(data)
    except (asyncssh.KeyImportError, ValueError, TypeError) as error:
        raise HostKeyError(
            f"The SSH host key {path} is damaged or not a private key ({error}). {keep}"
        ) from None


def _create(path: Path) -> None:
    """Writes a new key beside ``path`` and links it into place, so two servers starting at
    once cannot both write it, and a half-written key never sits at ``path``."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise HostKeyError(
            f"Cannot create the folder for the SSH host key, {path.parent}: "
            f"{error.strerror or error}"
        ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="forum-tui host key")
    data = key.export_private_key("openssh")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # someone else made it first: use theirs
            os.link(temporary, path)
    except OSError as error:
        raise HostKeyError(
            f"Cannot write the SSH host key {path}: {error.strerror or error}"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    with contextlib.suppress(OSError):
        public = path.with_name(path.name + ".pub")
        public.write_bytes(key.export_public_key("openssh"))
