"""Consent before reuse: a post suggested as the start of an idea, and the author's answer.

A new table only: posts, threads and ideas carry full-text-search triggers (0008) that a
SQLite table rebuild would drop, so none of them is altered.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def _fk(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{table}.id"],
        name=op.f(f"fk_post_reuses_{column}_{table}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "post_reuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("board_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("decided_at", When, nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        _fk("post_id", "posts", "CASCADE"),
        _fk("board_id", "boards", "CASCADE"),
        _fk("asked_by_id", "members", "CASCADE"),
        _fk("author_id", "members", "CASCADE"),
        _fk("idea_id", "ideas", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_reuses")),
    )
    op.create_index("ix_post_reuses_post", "post_reuses", ["post_id", "id"])
    op.create_index("ix_post_reuses_idea", "post_reuses", ["idea_id"])


def downgrade() -> None:
    op.drop_table("post_reuses")
