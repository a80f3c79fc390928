"""Find and follow: full-text search over posts, threads and ideas; follows; notification
choices; notifications that point at a thread and post.

Search (see forum_tui/store/search.py):

* SQLite: FTS5 tables ``posts_fts`` and ``threads_fts`` (external content, porter stemming) kept
  in step by triggers, like ``ideas_fts`` from 0003, and filled from the rows already there.
* PostgreSQL: a stored generated ``search_vector`` tsvector column with a GIN index on posts,
  threads and ideas. The ideas' expression index from 0003 gives way to the column.

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def _fts5(table: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return (
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    )


SQLITE_UP = _fts5("posts", ("body",)) + _fts5("threads", ("title",))

POSTGRES_DOCUMENTS = {
    "posts": "to_tsvector('english', body)",
    "threads": "to_tsvector('english', title)",
    "ideas": "setweight(to_tsvector('english', title), 'A') || to_tsvector('english', body)",
}


def _search_tables() -> None:
    op.create_table(
        "thread_follows",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("changed_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_thread_follows_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_follows_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "thread_id", name=op.f("pk_thread_follows")),
    )
    op.create_index(
        op.f("ix_thread_follows_thread_id"), "thread_follows", ["thread_id"], unique=False
    )
    op.create_table(
        "idea_follows",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("changed_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_idea_follows_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["ideas.id"],
            name=op.f("fk_idea_follows_idea_id_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "idea_id", name=op.f("pk_idea_follows")),
    )
    op.create_index(op.f("ix_idea_follows_idea_id"), "idea_follows", ["idea_id"], unique=False)
    op.create_table(
        "notification_settings",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("delivery", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_notification_settings_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "kind", name=op.f("pk_notification_settings")),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("post_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_notifications_thread_id_threads"),
            "threads",
            ["thread_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_notifications_post_id_posts"),
            "posts",
            ["post_id"],
            ["id"],
            ondelete="SET NULL",
        )


def upgrade() -> None:
    _search_tables()
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    op.execute("DROP INDEX IF EXISTS ix_ideas_fts")
    for table, document in POSTGRES_DOCUMENTS.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("posts", "threads"):
            for trigger in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    else:
        for table in POSTGRES_DOCUMENTS:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        op.execute(
            "CREATE INDEX ix_ideas_fts ON ideas USING gin "
            "(to_tsvector('english', title || ' ' || body))"
        )
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f("fk_notifications_post_id_posts"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_notifications_thread_id_threads"), type_="foreignkey")
        batch.drop_column("post_id")
        batch.drop_column("thread_id")
    op.drop_table("notification_settings")
    op.drop_index(op.f("ix_idea_follows_idea_id"), table_name="idea_follows")
    op.drop_table("idea_follows")
    op.drop_index(op.f("ix_thread_follows_thread_id"), table_name="thread_follows")
    op.drop_table("thread_follows")
