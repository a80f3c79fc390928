"""The sign-in throttle shared by every way in (SSH, kiosk, browser tab, local app).

A new table only: posts, threads and ideas carry full-text-search triggers (0008) that a
SQLite table rebuild would drop, so none of them is altered.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", When, nullable=False),
        sa.Column("blocked_until", When, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_failures")),
    )
    op.create_index("ix_sign_in_failures_last_failure", "sign_in_failures", ["last_failure"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
