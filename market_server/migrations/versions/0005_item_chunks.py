"""item chunks: a deployed model's item table kept in chunks rather than inside its zip

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "itemchunk",
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["modelversion.id"]),
        sa.PrimaryKeyConstraint("model_id", "seq"),
    )


def downgrade() -> None:
    op.drop_table("itemchunk")
