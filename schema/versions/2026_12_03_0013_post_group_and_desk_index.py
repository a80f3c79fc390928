"""Each post keeps its thread's group; the staff desk seeks open ideas per status and time.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

Measured at 1,000,000 posts on PostgreSQL (bench/store_scale.py, issue 11):

* The review queue shows each reported author's latest posts in the group. With only the
  thread knowing its group, that walked the author's posts in every group and looked up each
  one's thread (~150 posts an author, 7 ms a queue). ``posts.group_id`` with an (author,
  group, time) index makes it a walk of the few posts shown.
* The staff desk counts the open ideas inside each board's window. With (board, status) and
  (board, updated_at) apart, PostgreSQL read every open idea of the boards (6 ms);
  (board, status, updated_at) seeks each status's window and still counts a board's ideas
  per status from the index alone, so it replaces (board, status).

A plain ADD COLUMN and a backfill, never a batch rebuild: posts carries full-text-search
triggers (0008) that a SQLite table rebuild would drop. Its update trigger fires on the body
only, so the backfill does not re-index the text.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("posts", sa.Column("group_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE posts SET group_id = "
        "(SELECT threads.group_id FROM threads WHERE threads.id = posts.thread_id)"
    )
    op.create_index(
        "ix_posts_author_group_time", "posts", ["author_id", "group_id", "created_at", "id"]
    )
    op.create_index("ix_ideas_board_status_updated", "ideas", ["board_id", "status", "updated_at"])
    op.drop_index("ix_ideas_board_status", table_name="ideas")


def downgrade() -> None:
    op.create_index("ix_ideas_board_status", "ideas", ["board_id", "status"])
    op.drop_index("ix_ideas_board_status_updated", table_name="ideas")
    op.drop_index("ix_posts_author_group_time", table_name="posts")
    op.drop_column("posts", "group_id")
