"""Failed sign-ins, counted per key (``handle:…``, ``ip:…``) by the sign-in throttle shared by
every way in (``services/sign_in_throttle.py``). Registered on the shared metadata.

One row per key that has failed lately; a success deletes its handle's row, and rows quiet for
longer than the policy's ``forget_after`` are treated as absent and pruned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class SignInFailureRow(Base):
    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_last_failure", "last_failure"),)

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
