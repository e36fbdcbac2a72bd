"""federated training runs: runs, their rounds, the devices in each round and share ciphertexts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_run",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("developer_id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("OPEN", "FINISHED", "CANCELLED", name="runstatus"),
            nullable=False,
        ),
        sa.Column("round_index", sa.Integer(), nullable=False),
        sa.Column("stage_seconds", sa.Float(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("parameters", sa.LargeBinary(), nullable=False),
        sa.Column("inputs", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["model_id"], ["modelversion.id"]),
        sa.ForeignKeyConstraint(["developer_id"], ["developer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_training_run_model_id", "training_run", ["model_id"])
    op.create_index("ix_training_run_developer_id", "training_run", ["developer_id"])
    op.create_index("ix_training_run_status", "training_run", ["status"])
    op.create_table(
        "training_round",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("round_index", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.String(length=32), nullable=False),
        sa.Column("graph_seed", sa.String(length=64), nullable=False),
        sa.Column(
            "stage",
            sa.Enum("ADVERTISE", "SHARE", "MASK", "UNMASK", "DONE", "FAILED", name="stage"),
            nullable=False,
        ),
        sa.Column("deadline", sa.Float(), nullable=False),
        sa.Column("survivors", sa.Integer(), nullable=False),
        sa.Column("update", sa.LargeBinary(), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["training_run.id"]),
        sa.PrimaryKeyConstraint("run_id", "round_index"),
        sa.UniqueConstraint("round_id"),
    )
    op.create_table(
        "training_client",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("round_index", sa.Integer(), nullable=False),
        sa.Column("client", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("channel_key", sa.LargeBinary(), nullable=True),
        sa.Column("mask_key", sa.LargeBinary(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("masked", sa.LargeBinary(), nullable=True),
        sa.Column("unmask", sa.Text(), nullable=True),
        sa.Column("included", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("run_id", "round_index", "client"),
        # One device per account per round.
        sa.UniqueConstraint("run_id", "round_index", "user_id"),
    )
    op.create_index("ix_training_client_user_id", "training_client", ["user_id"])
    op.create_table(
        "training_share",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("round_index", sa.Integer(), nullable=False),
        sa.Column("sender", sa.Integer(), nullable=False),
        sa.Column("receiver", sa.Integer(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "round_index", "sender", "receiver"),
    )


def downgrade() -> None:
    op.drop_table("training_share")
    op.drop_index("ix_training_client_user_id", table_name="training_client")
    op.drop_table("training_client")
    op.drop_table("training_round")
    op.drop_index("ix_training_run_status", table_name="training_run")
    op.drop_index("ix_training_run_developer_id", table_name="training_run")
    op.drop_index("ix_training_run_model_id", table_name="training_run")
    op.drop_table("training_run")
    sa.Enum(name="stage").drop(op.get_bind(), checkfirst=True)
    sa.Enum(name="runstatus").drop(op.get_bind(), checkfirst=True)
