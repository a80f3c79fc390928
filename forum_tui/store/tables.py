"""The tables. Alembic migrations in ``schema/`` are the schema's history; this is its present.

A test checks that upgrading an empty database to head gives exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always gives back an aware UTC datetime (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handle: Mapped[str] = mapped_column(String(32))
    # NFKC + casefold + look-alike skeleton: two handles that look the same cannot both exist.
    handle_key: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(16), default="carer")
    state: Mapped[str] = mapped_column(String(16), default="active")
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupRow(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by a leader (services.moderation.set_slow_mode); 0 is off. Enforced when posting.
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Kept in the posting transaction (in SQL, + 1), so home never counts a group's threads.
    thread_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    post_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MembershipRow(Base):
    __tablename__ = "memberships"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="member")
    silenced_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ThreadRow(Base):
    __tablename__ = "threads"
    __table_args__ = (
        # The thread list: pinned first, then newest activity, keyset-paged.
        Index("ix_threads_group_list", "group_id", "pinned", "last_post_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why a leader locked it, shown where the reply box was (added by migration 0007).
    lock_reason: Mapped[str | None] = mapped_column(Text)
    # Hidden by a leader or by reports (services.moderation): title and opening post.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(Integer)  # None: hidden by reports
    hidden_reason: Mapped[str | None] = mapped_column(Text)


class PostRow(Base):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_thread_order", "thread_id", "id"),
        # The posting limits: the author's recent posts, newest first.
        Index("ix_posts_author_time", "author_id", "created_at"),
        # The review queue's history of an author in one group, newest first (migration 0013).
        Index("ix_posts_author_group_time", "author_id", "group_id", "created_at", "id"),
        # A retried send (double key press, dropped connection) commits one post, not two.
        UniqueConstraint("author_id", "idempotency_key", name="uq_posts_author_idempotency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    # The thread's group, kept with the post (set when it is written, moved with its thread by
    # ``move_thread``) so an author's posts in one group are one index walk. Nullable only
    # because migration 0013 adds it to a table it cannot rebuild on SQLite; every post has it.
    group_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on every edit: an edit made against an older version is refused, not lost.
    version: Mapped[int] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # Hidden by a leader or by reports (services.moderation); the text stays for leaders.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(Integer)  # None: hidden by reports
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # Written by a drop-in volunteer with this recorded consent of the author (assisted posting).
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))


class ThreadReadRow(Base):
    """How many posts of a thread a member has seen: unread = posts now - posts seen."""

    __tablename__ = "thread_reads"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    posts_seen: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DraftRow(Base):
    """Unsent text, saved as it is typed so a dropped connection loses nothing."""

    __tablename__ = "drafts"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    place: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Each area keeps its tables in its own module. Importing them here puts every table on
# Base.metadata for anyone who asks for the schema (Alembic, the migration tests).
from forum_tui.store import access_tables, board_tables, follow_tables, moderation_tables  # noqa: E402, F401, I001
from forum_tui.store import checkin_tables, consent_tables, hidden_indexes  # noqa: E402, F401, I001
from forum_tui.store import reuse_tables, throttle_tables  # noqa: E402, F401, I001
