"""The front door: what strangers may hold before anyone knows who they are (issue 9 §1, §2).

A connection is a *stranger* from the moment it opens until a member signs in on it; a
sign-up connection (``ssh new@HOST``) stays one for its whole life, since it has no account.
Strangers are capped per address and in total, so one address holding idle connections cannot
fill the forum, and members' connections are never counted against them. Before sign-in
asyncssh's login timeout ends a stranger; after it, a connection that opens no session is
ended by the server (:data:`SESSION_WAIT`), so ``new@`` cannot be held open for nothing.

Sign-up sessions (each a whole app process) have their own small caps, total and per address,
and a short idle limit; they never take a member's place.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass

SESSION_WAIT = 20.0  # seconds a connection may stay open without a session once signed in
SIGN_UP_NICENESS = 10  # strangers' apps yield the CPU to members' (and to sign-in itself)

SIGN_UP_BUSY = (
    "Joining is busy right now ({count} people are signing up). Nothing is lost: please try "
    "again in a few minutes.\r\n"
)
SIGN_UP_BUSY_HERE = (
    "Someone at this address is already signing up (at most {count} at once). Please finish "
    "that one first, or try again in a few minutes.\r\n"
)


@dataclass(frozen=True)
class DoorLimits:
    """Defaults that hold with ``forum-tui serve`` as shipped (see SECURITY.md)."""

    strangers: int = 64  # connections not signed in as a member, all addresses together
    strangers_per_address: int = 8
    sign_up_sessions: int = 6
    sign_up_sessions_per_address: int = 2
    sign_up_idle_timeout: float = 300.0  # seconds without a key press in a sign-up session
    sign_up_niceness: int = SIGN_UP_NICENESS
    session_wait: float = SESSION_WAIT


class Door:
    """Counts strangers by address. ``arrive`` is asked before anything else is done for a
    new connection; ``leave`` is told once when it signs in as a member or closes."""

    def __init__(self, limits: DoorLimits) -> None:
        self.limits = limits
        self.by_address: Counter[str] = Counter()
        self.total = 0

    def arrive(self, address: str) -> str | None:
        """Counts a new stranger, or says why not (a word for the log)."""
        if self.total >= self.limits.strangers:
            return "too_many_strangers"
        if self.by_address[address] >= self.limits.strangers_per_address:
            return "too_many_from_address"
        self.by_address[address] += 1
        self.total += 1
        return None

    def leave(self, address: str) -> None:
        self.total -= 1
        self.by_address[address] -= 1
        if self.by_address[address] <= 0:
            del self.by_address[address]

    def sign_up_refusal(self, running: int, from_address: int) -> str | None:
        """Why another sign-up session may not start now (words for the client), or None."""
        if from_address >= self.limits.sign_up_sessions_per_address:
            return SIGN_UP_BUSY_HERE.format(count=self.limits.sign_up_sessions_per_address)
        if running >= self.limits.sign_up_sessions:
            return SIGN_UP_BUSY.format(count=running)
        return None


def lower_priority(pid: int, niceness: int) -> None:
    """Runs a sign-up session's app (its whole process group: it leads one) at a lower CPU
    priority, so six of them starting at once cannot slow a member's sign-in or session."""
    with contextlib.suppress(OSError):  # already gone: nothing to slow down
        os.setpriority(os.PRIO_PGRP, pid, max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))
