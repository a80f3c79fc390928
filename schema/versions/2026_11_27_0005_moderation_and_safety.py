"""Moderation and safety: the audit log of moderating acts, reports, hidden content.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("board_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["members.id"], name=op.f("fk_moderation_actions_actor_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_moderation_actions_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    op.create_index("ix_moderation_actions_group_time", "moderation_actions", ["group_id", "id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("resolved_at", When, nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["members.id"],
            name=op.f("fk_reports_reporter_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["members.id"], name=op.f("fk_reports_resolved_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint(
            "target_kind", "target_id", "reporter_id", name="uq_reports_target_reporter"
        ),
    )
    op.create_index("ix_reports_state_order", "reports", ["state", "id"])
    # Hidden content: plain added columns (no table rebuild on SQLite, so the ideas search
    # triggers of 0003 stay in place).
    for table in ("threads", "posts", "ideas"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("hidden_at", When, nullable=True))
            batch.add_column(sa.Column("hidden_by_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("hidden_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("groups") as batch:
        batch.add_column(
            sa.Column("slow_mode_seconds", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), never a batch rebuild: rebuilding ideas would drop its
    # search triggers, and dropping groups with foreign keys on would cascade to its threads.
    op.drop_column("groups", "slow_mode_seconds")
    for table in ("ideas", "posts", "threads"):
        for column in ("hidden_reason", "hidden_by_id", "hidden_at"):
            op.drop_column(table, column)
    op.drop_index("ix_reports_state_order", table_name="reports")
    op.drop_table("reports")
    op.drop_table("moderation_actions")
