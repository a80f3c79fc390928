"""Service-improvement boards: boards, staff, ideas, supports, updates, outcomes, involvement.

Also the notifications those write, and full-text search over ideas: an FTS5 table kept in step
by triggers on SQLite, a GIN expression index on PostgreSQL (see forum_tui/store/board_tables.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)

SQLITE_FULL_TEXT = (
    "CREATE VIRTUAL TABLE ideas_fts USING fts5(title, body, content='ideas', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER ideas_fts_ai AFTER INSERT ON ideas BEGIN "
    "INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER ideas_fts_ad AFTER DELETE ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER ideas_fts_au AFTER UPDATE OF title, body ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
POSTGRES_FULL_TEXT = (
    "CREATE INDEX ix_ideas_fts ON ideas USING gin (to_tsvector('english', title || ' ' || body))",
)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("response_window_days", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boards")),
        sa.UniqueConstraint("slug", name=op.f("uq_boards_slug")),
    )
    op.create_table(
        "board_staff",
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("added_at", When, nullable=False),
        _fk("board_staff", "board_id", "boards.id", "CASCADE"),
        _fk("board_staff", "member_id", "members.id", "CASCADE"),
        sa.PrimaryKeyConstraint("board_id", "member_id", name=op.f("pk_board_staff")),
    )
    op.create_index(op.f("ix_board_staff_member_id"), "board_staff", ["member_id"])
    op.create_table(
        "ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("updated_at", When, nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        _fk("ideas", "author_id", "members.id"),
        _fk("ideas", "board_id", "boards.id", "CASCADE"),
        _fk("ideas", "duplicate_of_id", "ideas.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ideas")),
        sa.UniqueConstraint("author_id", "idempotency_key", name="uq_ideas_author_idempotency"),
    )
    op.create_index(op.f("ix_ideas_author_id"), "ideas", ["author_id"])
    op.create_index("ix_ideas_board_created", "ideas", ["board_id", "created_at", "id"])
    op.create_index("ix_ideas_board_support", "ideas", ["board_id", "support_count", "id"])
    op.create_index("ix_ideas_board_updated", "ideas", ["board_id", "updated_at", "id"])
    op.create_table(
        "involvement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(length=120), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("recognition", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", When, nullable=False),
        _fk("involvement", "board_id", "boards.id", "CASCADE"),
        _fk("involvement", "member_id", "members.id"),
        _fk("involvement", "recorded_by_id", "members.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvement")),
    )
    op.create_index("ix_involvement_board_order", "involvement", ["board_id", "happened_on", "id"])
    op.create_index(op.f("ix_involvement_member_id"), "involvement", ["member_id"])
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        _fk("outcomes", "board_id", "boards.id", "CASCADE"),
        _fk("outcomes", "recorded_by_id", "members.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    )
    op.create_index("ix_outcomes_board_order", "outcomes", ["board_id", "happened_on", "id"])
    op.create_index(op.f("ix_outcomes_recorded_by_id"), "outcomes", ["recorded_by_id"])
    op.create_table(
        "idea_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=24), nullable=False),
        sa.Column("new_status", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        _fk("idea_updates", "idea_id", "ideas.id", "CASCADE"),
        _fk("idea_updates", "staff_id", "members.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idea_updates")),
    )
    op.create_index("ix_idea_updates_idea_order", "idea_updates", ["idea_id", "id"])
    op.create_index(op.f("ix_idea_updates_staff_id"), "idea_updates", ["staff_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("outcome_id", sa.Integer(), nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("read_at", When, nullable=True),
        _fk("notifications", "idea_id", "ideas.id", "SET NULL"),
        _fk("notifications", "member_id", "members.id", "CASCADE"),
        _fk("notifications", "outcome_id", "outcomes.id", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_member_order", "notifications", ["member_id", "id"])
    op.create_table(
        "outcome_credits",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        _fk("outcome_credits", "member_id", "members.id", "CASCADE"),
        _fk("outcome_credits", "outcome_id", "outcomes.id", "CASCADE"),
        sa.PrimaryKeyConstraint("outcome_id", "member_id", name=op.f("pk_outcome_credits")),
    )
    op.create_index(op.f("ix_outcome_credits_member_id"), "outcome_credits", ["member_id"])
    op.create_table(
        "outcome_ideas",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        _fk("outcome_ideas", "idea_id", "ideas.id", "CASCADE"),
        _fk("outcome_ideas", "outcome_id", "outcomes.id", "CASCADE"),
        sa.PrimaryKeyConstraint("outcome_id", "idea_id", name=op.f("pk_outcome_ideas")),
    )
    op.create_index(op.f("ix_outcome_ideas_idea_id"), "outcome_ideas", ["idea_id"])
    op.create_table(
        "supports",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", When, nullable=False),
        _fk("supports", "carried_from_id", "ideas.id", "SET NULL"),
        _fk("supports", "idea_id", "ideas.id", "CASCADE"),
        _fk("supports", "member_id", "members.id", "CASCADE"),
        sa.PrimaryKeyConstraint("idea_id", "member_id", name=op.f("pk_supports")),
    )
    op.create_index(op.f("ix_supports_member_id"), "supports", ["member_id"])

    statements = (
        SQLITE_FULL_TEXT if op.get_context().dialect.name == "sqlite" else POSTGRES_FULL_TEXT
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("ideas_fts_ai", "ideas_fts_ad", "ideas_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS ideas_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_ideas_fts")
    op.drop_table("supports")
    op.drop_table("outcome_ideas")
    op.drop_table("outcome_credits")
    op.drop_table("notifications")
    op.drop_table("idea_updates")
    op.drop_table("outcomes")
    op.drop_table("involvement")
    op.drop_table("ideas")
    op.drop_table("board_staff")
    op.drop_table("boards")
