"""Tables of moderation and safety: the append-only audit log of moderating acts, reports and
their review queue. Registered on the shared metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class ModerationActionRow(Base):
    """Every moderating act (hide, restore, lock, pin, silence, suspend, resolve report, change
    role, erase) with who, what, why and when. Rows are only ever inserted, never updated."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_group_time", "group_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for the operator at the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    action: Mapped[str] = mapped_column(String(32))
    target_kind: Mapped[str] = mapped_column(String(16))  # member, post, thread, idea, group
    target_id: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    board_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
