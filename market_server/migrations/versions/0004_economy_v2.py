"""economy v2: an impression's list length, a rating's contribution to the blended list

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: rows written before rules 2 have neither (their ledger entries have neither).
    op.add_column("impression", sa.Column("list_length", sa.Integer(), nullable=True))
    op.add_column("rating", sa.Column("contribution", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_column("contribution")
    with op.batch_alter_table("impression", schema=None) as batch_op:
        batch_op.drop_column("list_length")
