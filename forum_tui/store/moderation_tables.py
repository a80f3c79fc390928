"""Tables of moderation and safety: the append-only audit log of moderating acts, reports and
their review queue. Registered on the shared metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class ReportRow(Base):
    """A member's report of a post, thread or idea. One per member and item; ``state`` moves
    from open to dismissed, hidden or escalated (and from escalated on, when an admin decides)."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint(
            "target_kind", "target_id", "reporter_id", name="uq_reports_target_reporter"
        ),
        # The review queue: open and escalated reports, oldest first.
        Index("ix_reports_state_order", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # post, thread, idea
    target_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
