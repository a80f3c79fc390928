"""Tables of service-improvement boards: boards and their staff, ideas, supports, updates,
outcomes and their credits, involvement, notifications. Registered on the shared metadata.

Ideas are also indexed for full-text search, outside these models because the two databases
do it differently (migration 0003 creates both):

* SQLite: an FTS5 table ``ideas_fts`` over ``ideas`` (external content, porter stemming), kept in
  step by the triggers ``ideas_fts_ai/ad/au``. A later migration that rebuilds ``ideas`` in batch
  mode (copy and rename) drops those triggers and must create them again.
* PostgreSQL: since migration 0008, the stored generated column ``search_vector`` and its GIN
  index ``ix_ideas_search`` (0003's expression index ``ix_ideas_fts`` is dropped there).

Searching is ``forum_tui/store/search.py``, shared with posts and threads.

``is_full_text_object`` names them, so a schema comparison against these models can skip them.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from forum_tui.domain.search import Match, ResultKind, Terms
from forum_tui.store.tables import Base, UTCDateTime


class BoardRow(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    response_window_days: Mapped[int] = mapped_column(Integer, default=28)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BoardStaffRow(Base):
    """A member who responds on a board. Their global role must also be staff or admin."""

    __tablename__ = "board_staff"

    board_id: Mapped[int] = mapped_column(
        ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdeaRow(Base):
    __tablename__ = "ideas"
    __table_args__ = (
        # One index per sort of the idea list, each ending in id for keyset paging.
        Index("ix_ideas_board_support", "board_id", "support_count", "id"),
        Index("ix_ideas_board_created", "board_id", "created_at", "id"),
        Index("ix_ideas_board_updated", "board_id", "updated_at", "id"),
        # A board's ideas per status, counted from the index alone; and the staff desk's
        # open ideas inside their window, a seek per status (migration 0013).
        Index("ix_ideas_board_status_updated", "board_id", "status", "updated_at"),
        # A retried send (double key press, dropped connection) adds one idea, not two.
        UniqueConstraint("author_id", "idempotency_key", name="uq_ideas_author_idempotency"),
        Index("uq_ideas_board_number", "board_id", "number", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default="new")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # Supporters other than the author; moved only in SQL (support_count = support_count + 1).
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The last staff update (every one is an IdeaUpdate), or creation: the awaiting clock.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # Hidden by the board's staff or by reports (services.moderation).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(Integer)  # None: hidden by reports
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # The idea's number on its board ("idea 12 on the CMHT board"), 1, 2, 3… in order added.
    # Nullable only because migration 0007 adds it to a table it cannot rebuild on SQLite.
    number: Mapped[int | None] = mapped_column(Integer)


class SupportRow(Base):
    """One member's "me too" on an idea, at most one per member and idea."""

    __tablename__ = "supports"
    __table_args__ = (
        # An idea's supporters and a member's supported ideas, each paged in its order.
        Index("ix_supports_idea_order", "idea_id", "created_at", "member_id"),
        Index("ix_supports_member_order", "member_id", "created_at", "idea_id"),
    )

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    # Set when the support was carried over from an idea marked as a duplicate of this one.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdeaUpdateRow(Base):
    """A staff response: the status before and after, and a public note. Append-only."""

    __tablename__ = "idea_updates"
    __table_args__ = (Index("ix_idea_updates_idea_order", "idea_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    old_status: Mapped[str] = mapped_column(String(24))
    new_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutcomeRow(Base):
    """A change a service actually made ("we did")."""

    __tablename__ = "outcomes"
    __table_args__ = (Index("ix_outcomes_board_order", "board_id", "happened_on", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutcomeIdeaRow(Base):
    __tablename__ = "outcome_ideas"

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OutcomeCreditRow(Base):
    """A member credited by an outcome: once each, whatever the number of reasons."""

    __tablename__ = "outcome_credits"

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    reason: Mapped[str] = mapped_column(String(16))  # author | supporter | named


class InvolvementRow(Base):
    """Time a member gave to co-production, and how it is recognised."""

    __tablename__ = "involvement"
    __table_args__ = (Index("ix_involvement_board_order", "board_id", "happened_on", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    happened_on: Mapped[date] = mapped_column(Date)
    activity: Mapped[str] = mapped_column(String(120))
    # Whole minutes, so sums are exact; hours are minutes / 60 at the edges.
    minutes: Mapped[int] = mapped_column(Integer)
    recognition: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NotificationRow(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_member_order", "member_id", "id"),
        # Listed newest first by date: seeded or imported notifications are not in id order.
        Index("ix_notifications_member_time", "member_id", "created_at", "id"),
        # The unread count: the member's unread ones only, counted from the index.
        Index("ix_notifications_member_unread", "member_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id", ondelete="SET NULL"))
    # A reply, mention or followed-thread notification points at the post (migration 0008).
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    # A silence, removal, invitation or crisis alert opens the group (0007; its key: 0010).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    # Plain ids (added by migration 0007 without a table rebuild): the private check-in this is
    # about (services.checkins), and for crisis signposting the member whose post raised it,
    # so a leader can open a check-in with them from the notification.
    checkin_id: Mapped[int | None] = mapped_column(Integer)
    about_member_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- full-text search over ideas ----------------------------------------------------------------

FULL_TEXT_INDEX = "ix_ideas_fts"  # PostgreSQL
FULL_TEXT_TABLE = "ideas_fts"  # SQLite, plus its shadow tables ideas_fts_data, _idx, ...


# Migration 0008's search objects: FTS5 tables on SQLite, a generated column and its GIN index
# on PostgreSQL (forum_tui/store/search.py).
_SEARCH_OBJECTS = ("search_vector", "ix_posts_search", "ix_threads_search", "ix_ideas_search")


def is_full_text_object(name: str | None) -> bool:
    """True for the search objects migrations make outside the models (see above)."""
    return bool(name) and (
        name == FULL_TEXT_INDEX
        or name in _SEARCH_OBJECTS
        or name.startswith((FULL_TEXT_TABLE, "posts_fts", "threads_fts"))
    )


# Letters and digits only: every word is quoted (SQLite) or is a bare lexeme (PostgreSQL), so
# nothing a member types ("foo* OR (bar", a lone quote) is ever read as search syntax.
_WORD = re.compile(r"[^\W_]+")


def search_words(typed: str) -> list[str]:
    """The words of ``typed`` worth searching for, in order, without repeats."""
    words: list[str] = []
    for word in _WORD.findall(typed.casefold()):
        if len(word) >= 3 and word not in _STOP_WORDS and word not in words:
            words.append(word)
    return words[:12]


async def search_idea_ids(
    session: AsyncSession, board_id: int, words: list[str], *, prefix_last: bool, limit: int
) -> list[int]:
    """Ids of a board's ideas (not duplicates) matching any of ``words``, best match first.

    ``words`` must come from ``search_words``. ``prefix_last`` lets the last word match as a
    prefix, for a title still being typed. Only the newest few hundred matches are ranked
    (forum_tui/store/search.py), so common words stay fast on a big board.
    """
    from forum_tui.store.search import Scope, search

    terms = Terms(tuple(words), Match.ANY, prefix_last=prefix_last)
    scope = Scope(None, None, None, board_id=board_id, skip_duplicates=True)
    found = await search(session, ResultKind.IDEA, terms, scope, limit=limit, ranked=True)
    return [idea_id for idea_id, _ in found]


# Words too common to say two ideas are alike: on a carers' forum, "carers" is one of them.
_STOP_WORDS_TEXT = """
    about above after again against all also and any are because been before being below between
    both but can could did does doing down during each few for from further had has have having
    her here hers herself him himself his how into its itself just more most myself nor not now
    off once only other our ours ourselves out over own same she should some such than that the
    their theirs them themselves then there these they this those through too under until very
    was were what when where which while who whom why will with would you your yours yourself
    yourselves get got let lets please really still need want like make made one two way ways
    carer carers
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
