"""credit columns BIGINT; one evaluation-key set per (user, content digest)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stakes and bids up to ledger.economy.MAX_AMOUNT overflow a 32-bit INTEGER on PostgreSQL.
    with op.batch_alter_table("modelversion", schema=None) as batch_op:
        for column in ("stake", "bid"):
            batch_op.alter_column(
                column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False
            )
    # Copies of one key set uploaded before deduplication: keep one per user and digest.
    op.execute(
        "DELETE FROM evaluationkeyset WHERE id NOT IN "
        "(SELECT MIN(id) FROM evaluationkeyset GROUP BY user_id, digest)"
    )
    with op.batch_alter_table("evaluationkeyset", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_evaluationkeyset_user_id_digest", ["user_id", "digest"]
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluationkeyset", schema=None) as batch_op:
        batch_op.drop_constraint("uq_evaluationkeyset_user_id_digest", type_="unique")
    with op.batch_alter_table("modelversion", schema=None) as batch_op:
        for column in ("stake", "bid"):
            batch_op.alter_column(
                column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False
            )
