"""Tables of assisted posting (design.md §5): a carer's recorded consent for a drop-in
volunteer to post on their behalf, and the one-time codes a carer shows to give it.
Registered on the shared metadata."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class ConsentRow(Base):
    """A carer's consent: who may post for whom, since when, for what (one post, or this
    session until ``expires_at``), how the carer confirmed it, and whether it is still good."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_carer", "carer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    carer_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(16))  # one_post | session
    confirmed_with: Mapped[str] = mapped_column(String(16))  # password | code
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When it ends: set at the start, and moved to the moment the volunteer ends the visit.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a one-post consent, used
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # taken back by the carer


class HelpCodeRow(Base):
    """The one-time code on a carer's My account screen: one per carer, short-lived, stored
    hashed, gone once used or after a few wrong tries."""

    __tablename__ = "help_codes"

    carer_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    # When it ends: set at the start, and moved to the moment the volunteer ends the visit.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    wrong_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
