"""SSH access as the other layers see it: a member's public keys and invite codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# The SSH user name that opens the sign-up screen (`ssh new@host`) instead of signing in. No
# member may take it as a handle, or they could never sign in over SSH.
SIGN_UP_USER = "new"
# The SSH user name of a drop-in centre's shared computer (`ssh kiosk@host`, when the operator
# has switched it on): the app in kiosk mode at its sign-in screen. Reserved the same way.
KIOSK_USER = "kiosk"


@dataclass(frozen=True)
class SshKey:
    """One of a member's public keys, as they see it in the app or an operator at the CLI."""

    id: int
    algorithm: str  # "ssh-ed25519"
    fingerprint: str  # "SHA256:…", as `ssh-keygen -l -f KEY.pub` prints it
    comment: str  # what followed the key in the .pub file, often "name@laptop"
    created_at: datetime
    last_used_at: datetime | None = None
