"""Tables of private check-ins (design.md §6): a conversation a group leader, staff member or
admin opens with one member, which the member can answer and close. Members never open one with
each other. Registered on the shared metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class CheckInRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_member_order", "member_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The member checked on; erasing them deletes the conversation (and its messages).
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # The group a leader started it for: its other leaders can read and answer it too.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    started_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    subject: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))


class CheckInMessageRow(Base):
    __tablename__ = "checkin_messages"
    __table_args__ = (Index("ix_checkin_messages_order", "checkin_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
