"""the training consistency round: each survivor's signature over the set of survivors, the
'check' stage, and the wire version each round was opened under

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A native enum takes the new stage; SQLite stores the names as text, unchecked.
        op.execute("ALTER TYPE stage ADD VALUE IF NOT EXISTS 'CHECK' BEFORE 'UNMASK'")
    with op.batch_alter_table("training_round") as table:
        # Rounds opened before this migration were opened under wire version 2.
        table.add_column(
            sa.Column("wire_version", sa.Integer(), nullable=False, server_default="2")
        )
    with op.batch_alter_table("training_client") as table:
        table.add_column(sa.Column("consistency_signature", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # PostgreSQL cannot drop an enum value: 'CHECK' stays in the type, unused.
    with op.batch_alter_table("training_client") as table:
        table.drop_column("consistency_signature")
    with op.batch_alter_table("training_round") as table:
        table.drop_column("wire_version")
