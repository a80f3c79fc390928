"""Tables of service-improvement boards: boards and their staff, ideas, supports, updates,
outcomes and their credits, involvement, notifications. Registered on the shared metadata."""

from __future__ import annotations

from forum_tui.store.tables import Base, UTCDateTime  # noqa: F401
