"""``ssh kiosk@HOST``: a drop-in centre's shared computer needs only an SSH client.

Off unless the operator starts the server with ``forum-tui serve --kiosk-account``: it opens a
password sign-in screen to anyone who can reach the port. When on, the user name ``kiosk``
needs no SSH authentication (as ``new`` for sign-up) and opens the app in kiosk mode
(``ui/kiosk.py``) at its sign-in screen, exactly as ``forum-tui kiosk`` does on the centre's
own computer: End session (Ctrl+E), Hide now (Ctrl+G) and the idle sign-out clear the screen
and the terminal's scrollback (the screen relay passes the clear on, ``screen.py``), and
Ctrl+Q signs the carer out rather than closing the connection, so the next person finds the
sign-in screen, never the centre computer's shell.

Who signs in is decided inside the app, so every password typed there goes through the
shared sign-in throttle (``services/sign_in_throttle.py``), counted against the handle and
this connection's address (``ip:…``), as at the SSH door, and logged as the door's are
(``event=auth method=screen``: the app reports each try to the server, ``ssh/child.py``).
A kiosk connection stays a stranger (``door.py``) for its whole life: capped per address and
in all, never taking a member's place beyond ``max_sessions``; the server's idle timeout still
ends a session nobody uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forum_tui.domain.access import KIOSK_USER

KIOSK_OFF = (
    "This forum has no shared-computer (kiosk) sign-in. Sign in with your own handle: "
    "ssh HANDLE@HOST\r\n"
)


@dataclass(frozen=True)
class KioskAccount:
    """``forum-tui serve --kiosk-account [--kiosk-idle-minutes N]``."""

    idle_minutes: float = 5.0

    def __post_init__(self) -> None:
        if self.idle_minutes < 1:
            raise ValueError("the kiosk's idle sign-out needs at least a minute")


def is_kiosk(username: str) -> bool:
    return username == KIOSK_USER


def kiosk_identity(account: KioskAccount, address: str) -> dict[str, Any]:
    """What the session's app is told (on top of the usual identity): be a kiosk, and where
    its sign-ins come from, for the shared throttle."""
    return {"kiosk_idle": account.idle_minutes * 60, "sign_in_source": f"ip:{address}"}
