"""The one command the SSH server runs: ``ssh HANDLE@HOST export > my-data.json``.

A member downloads their own data export (the same JSON as ``forum-tui member export``) to their
own computer: the server writes nothing to its disks, and no string the member types reaches a
filesystem call (design.md §7). The member is whoever signed in, like any session; the download
is recorded in the audit log and the operator's log. Every other command is answered with one
clear line and exit status 1, without running anything; the command line itself is never logged
(people put secrets in commands).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import asyncssh

from forum_tui.domain.errors import ForumError

if TYPE_CHECKING:
    from forum_tui.ssh.channel import ForumSession

EXPORT_COMMAND = "export"
ONLY_EXPORT = (
    "forum-tui runs one command: export (your own data, as JSON). For example:\r\n"
    "  ssh {user}@HOST export > my-data.json\r\n"
    "For the forum itself, connect without a command:  ssh -t {user}@HOST\r\n"
)
SIGN_IN_FIRST = "To download your data, sign in with your own name:  ssh HANDLE@HOST export\r\n"
# The reason goes to the operator's log only: it may name the server's files.
NOT_NOW = "Your export could not be made just now. Nothing was sent; please try again later.\r\n"


def is_export(command: str) -> bool:
    """``export``, however the client spaced it; nothing else (no arguments, no paths)."""
    return command.strip() == EXPORT_COMMAND


async def run_command(session: ForumSession) -> None:
    """Runs the exec request of ``session``: the export, or a refusal."""
    chan = session.chan
    assert chan is not None and session.command is not None

    def finish(status: int, stderr: str = "") -> None:
        if stderr:
            with contextlib.suppress(OSError, asyncssh.Error):
                chan.write_stderr(stderr.encode("utf-8"))
        session._close_channel(status)

    # The member's own handle as stored, never the name the client typed (it is theirs to
    # fill with terminal control sequences).
    user = session.member.handle if session.member is not None else "HANDLE"
    if not is_export(session.command):
        session.connection._refuse("exec")
        finish(1, ONLY_EXPORT.format(user=user))
        return
    member = session.member
    if member is None:  # `new@`: nobody has signed in yet
        session.connection._refuse("exec")
        finish(1, SIGN_IN_FIRST)
        return
    refusal = session.hub.admit(session)
    if refusal is not None:
        session._log("export_refused", reason="cap")
        finish(1, refusal)
        return
    try:
        try:
            text = await session.hub.services.privacy.download_own_export(member.id)
        except ForumError as error:
            session._log("export_failed", error=str(error))
            finish(1, NOT_NOW)
            return
        payload = text.encode("utf-8")
        session._write(payload)
        session._log("export", bytes_out=len(payload))
        finish(0)
    finally:
        session.hub.release(session)


def public_address(session: ForumSession) -> tuple[str, int]:
    """Where members reach this server, for the command My data shows: ``--public-host`` and
    ``--public-port`` when the operator gave them (behind NAT or a port forward), else the
    address and port this client connected to."""
    options = session.hub.options
    host, port = "HOST", 22
    if session.chan is not None:
        local = session.chan.get_extra_info("sockname") or ("HOST", 22)
        host, port = str(local[0]), int(local[1])
    return options.public_host or host, options.public_port or port
