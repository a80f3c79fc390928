"""Notifications point at what they are about: the thread and post, or the group.

Every notification opens its subject with Enter (issue 8 §4): a crisis alert or a report opens
the post (or the queue item), a silence or an invitation opens the group. ``thread_id`` and
``post_id`` are the same columns, with the same constraint names, as revision 0008 (follow and
mention notifications) adds: they are added here only when missing, and dropped on downgrade
only when 0008's ``notification_settings`` table is absent (then they are this revision's).

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TARGETS = (("thread_id", "threads"), ("post_id", "posts"))


def _columns() -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns("notifications")}


def upgrade() -> None:
    present = _columns()
    with op.batch_alter_table("notifications") as batch:
        for column, table in _TARGETS:
            if column in present:
                continue
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_notifications_{column}_{table}"),
                table,
                [column],
                ["id"],
                ondelete="SET NULL",
            )
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_notifications_group_id_groups"),
            "groups",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    ours = not sa.inspect(op.get_bind()).has_table("notification_settings")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f("fk_notifications_group_id_groups"), type_="foreignkey")
        batch.drop_column("group_id")
        if ours:
            for column, table in _TARGETS:
                batch.drop_constraint(
                    op.f(f"fk_notifications_{column}_{table}"), type_="foreignkey"
                )
                batch.drop_column(column)
