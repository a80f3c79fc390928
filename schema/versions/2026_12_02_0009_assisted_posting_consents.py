"""Assisted posting: carers' consents for drop-in volunteers, one-time help codes, and the
consent an assisted post was written under.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("carer_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("confirmed_with", sa.String(length=16), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("expires_at", When, nullable=False),
        sa.Column("used_at", When, nullable=True),
        sa.Column("revoked_at", When, nullable=True),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["members.id"],
            name=op.f("fk_consents_volunteer_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["carer_id"],
            ["members.id"],
            name=op.f("fk_consents_carer_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_carer", "consents", ["carer_id", "id"])
    op.create_table(
        "help_codes",
        sa.Column("carer_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", When, nullable=False),
        sa.Column("wrong_tries", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["carer_id"],
            ["members.id"],
            name=op.f("fk_help_codes_carer_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("carer_id", name=op.f("pk_help_codes")),
    )
    # On SQLite this rebuilds posts (copy and rename): the only way to add a named foreign
    # key there. Nothing refers to posts and it has no triggers, so nothing is lost.
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("consent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_posts_consent_id_consents"),
            "consents",
            ["consent_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_constraint(op.f("fk_posts_consent_id_consents"), type_="foreignkey")
        batch.drop_column("consent_id")
    op.drop_table("help_codes")
    op.drop_index("ix_consents_carer", table_name="consents")
    op.drop_table("consents")
