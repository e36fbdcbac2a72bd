"""signed training keys: each device's signature over its SecAgg+ public keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_client") as table:
        table.add_column(sa.Column("key_signature", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("training_client") as table:
        table.drop_column("key_signature")
