"""Tables of SSH access: members' public keys and invite codes. Registered on the shared
metadata."""

from __future__ import annotations

from forum_tui.store.tables import Base, UTCDateTime  # noqa: F401
