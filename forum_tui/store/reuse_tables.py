"""Consent before reuse (issue 13): a post becomes the start of an idea only by its author, or
with the author's recorded answer to someone else's request. Registered on the shared metadata.

One row per suggestion. The author's own suggestion is recorded already accepted; another
member's waits (``pending``) for the author's answer. An accepted row names the idea it made,
which is how the idea links back to the thread at that post.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.store.tables import Base, UTCDateTime


class PostReuseRow(Base):
    __tablename__ = "post_reuses"
    __table_args__ = (
        Index("ix_post_reuses_post", "post_id", "id"),
        Index("ix_post_reuses_idea", "idea_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text)  # the idea's title, as the asker proposed it
    status: Mapped[str] = mapped_column(String(16))  # pending | accepted | declined
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
