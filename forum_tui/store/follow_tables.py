"""Tables of find and follow (migration 0008): who follows which thread or idea, and how each
member wants each kind of notification. Registered on the shared metadata.

The search indexes of that migration live outside the models (forum_tui/store/search.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class ThreadFollowRow(Base):
    """A member's explicit choice about a thread: follow it (True) or not (False).

    Without a row, starting or replying to a thread means following it.
    """

    __tablename__ = "thread_follows"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdeaFollowRow(Base):
    """A member's explicit choice about an idea (authors and supporters are told anyway)."""

    __tablename__ = "idea_follows"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NotificationSettingRow(Base):
    """How a member wants one kind of notification: ``app`` (the default) or ``off``."""

    __tablename__ = "notification_settings"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(8))
