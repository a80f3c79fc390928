"""Leaders and staff: per-board idea numbers, private check-ins, notification context.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Plain added columns (no table rebuild on SQLite, so the ideas search triggers of 0003
    # stay in place).
    with op.batch_alter_table("ideas") as batch:
        batch.add_column(sa.Column("number", sa.Integer(), nullable=True))
    with op.batch_alter_table("threads") as batch:
        batch.add_column(sa.Column("lock_reason", sa.Text(), nullable=True))
    # Existing ideas are numbered per board in the order they were added.
    op.execute(
        """
        UPDATE ideas SET number = (
            SELECT COUNT(*) FROM ideas AS earlier
            WHERE earlier.board_id = ideas.board_id AND earlier.id <= ideas.id
        )
        """
    )
    op.create_index("uq_ideas_board_number", "ideas", ["board_id", "number"], unique=True)
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("last_message_at", When, nullable=False),
        sa.Column("closed_at", When, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_checkins_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_checkins_group_id_groups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["members.id"], name=op.f("fk_checkins_started_by_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["members.id"], name=op.f("fk_checkins_closed_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index("ix_checkins_member_order", "checkins", ["member_id", "id"])
    op.create_index(op.f("ix_checkins_group_id"), "checkins", ["group_id"])
    op.create_index(op.f("ix_checkins_started_by_id"), "checkins", ["started_by_id"])
    op.create_table(
        "checkin_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_checkin_messages_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["members.id"], name=op.f("fk_checkin_messages_author_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_messages")),
    )
    op.create_index("ix_checkin_messages_order", "checkin_messages", ["checkin_id", "id"])
    op.create_index(op.f("ix_checkin_messages_author_id"), "checkin_messages", ["author_id"])
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("checkin_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("about_member_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_notifications_member_time", "notifications", ["member_id", "created_at", "id"]
    )
    # The hidden list: partial indexes holding only hidden rows.
    for table in ("posts", "threads", "ideas"):
        where = sa.text("hidden_at IS NOT NULL")
        op.create_index(
            f"ix_{table}_hidden",
            table,
            ["hidden_at"],
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), never a batch rebuild (see 0005).
    for table in ("posts", "threads", "ideas"):
        op.drop_index(f"ix_{table}_hidden", table_name=table)
    op.drop_index("ix_notifications_member_time", table_name="notifications")
    for column in ("group_id", "about_member_id", "checkin_id"):
        op.drop_column("notifications", column)
    op.drop_table("checkin_messages")
    op.drop_table("checkins")
    op.drop_column("threads", "lock_reason")
    op.drop_index("uq_ideas_board_number", table_name="ideas")
    op.drop_column("ideas", "number")
