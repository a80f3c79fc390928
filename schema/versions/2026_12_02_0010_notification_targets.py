"""Notifications point at what they are about: the group, as well as the thread and post.

Every notification opens its subject with Enter (issue 8 §4): a crisis alert or a report opens
the post (or the queue item), a silence or an invitation opens the group. Revision 0007 added
``notifications.group_id`` as a plain integer and 0008 the thread and post columns with their
foreign keys; this revision gives ``group_id`` its foreign key too, so a group that is deleted
leaves its notifications pointing at nothing rather than at a stranger's group.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.create_foreign_key(
            op.f("fk_notifications_group_id_groups"),
            "groups",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f("fk_notifications_group_id_groups"), type_="foreignkey")
