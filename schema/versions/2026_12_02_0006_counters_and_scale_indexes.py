"""Scale: per-group counters kept by the posting transaction, and indexes the screens seek by.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Measured at 1,000,000 posts (bench/store_scale.py): home aggregated every thread of every group
on each load; board status counts read every idea of a board; the posting limits scanned every
post of the author. The counters start from the rows already there, so nothing is lost.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch rebuild: dropping groups with foreign keys on would
    # cascade to its threads (see 0005).
    op.add_column(
        "groups", sa.Column("thread_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "groups", sa.Column("post_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("groups", sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        """
        UPDATE groups SET
            thread_count = (SELECT count(*) FROM threads WHERE threads.group_id = groups.id),
            post_count = (SELECT count(*) FROM posts JOIN threads ON threads.id = posts.thread_id
                          WHERE threads.group_id = groups.id),
            last_post_at = (SELECT max(last_post_at) FROM threads
                            WHERE threads.group_id = groups.id)
        """
    )
    op.create_index("ix_ideas_board_status", "ideas", ["board_id", "status"])
    op.create_index("ix_posts_author_time", "posts", ["author_id", "created_at"])
    # The unread count on home: a seek to the member's unread notifications, from the index.
    op.create_index("ix_notifications_member_unread", "notifications", ["member_id", "read_at"])
    # The idea page's supporters and My contributions' supported ideas, paged in their order.
    op.create_index("ix_supports_idea_order", "supports", ["idea_id", "created_at", "member_id"])
    op.create_index("ix_supports_member_order", "supports", ["member_id", "created_at", "idea_id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_member_unread", table_name="notifications")
    op.drop_index("ix_supports_member_order", table_name="supports")
    op.drop_index("ix_supports_idea_order", table_name="supports")
    op.drop_index("ix_posts_author_time", table_name="posts")
    op.drop_index("ix_ideas_board_status", table_name="ideas")
    for column in ("last_post_at", "post_count", "thread_count"):
        op.drop_column("groups", column)
