"""the training runs' server optimiser: each run's server Adam moments and step count, and run
specs of version 2 (server_optimizer, server_decay, server_adam_eps)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:10:00
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# What a run opened before this migration does: FedAvg at its constant server rate (Adam's ε is
# unused by "sgd"; it takes the open route's default so the spec stays a valid one).
_BEFORE_OPTIMIZERS = {"server_optimizer": "sgd", "server_decay": 0.0, "server_adam_eps": 1e-8}

_runs = sa.table("training_run", sa.column("id", sa.String), sa.column("spec", sa.Text))


def _rewrite_specs(version: int, change: dict[str, Any], drop: tuple[str, ...]) -> None:
    """Every run's spec JSON to ``version``: ``change`` added, ``drop`` removed (the key order
    the server writes: sorted)."""
    connection = op.get_bind()
    for run_id, text in connection.execute(sa.select(_runs.c.id, _runs.c.spec)).all():
        spec = {k: v for k, v in json.loads(text).items() if k not in drop}
        spec = {**spec, **change, "v": version}
        connection.execute(
            _runs.update().where(_runs.c.id == run_id).values(spec=json.dumps(spec, sort_keys=True))
        )


def upgrade() -> None:
    with op.batch_alter_table("training_run") as table:
        table.add_column(sa.Column("server_first_moment", sa.LargeBinary(), nullable=True))
        table.add_column(sa.Column("server_second_moment", sa.LargeBinary(), nullable=True))
        table.add_column(
            sa.Column("server_steps", sa.Integer(), nullable=False, server_default="0")
        )
    _rewrite_specs(2, _BEFORE_OPTIMIZERS, ())


def downgrade() -> None:
    # Version 1 knows only FedAvg: a run opened with "adam" goes on with FedAvg at its rate.
    _rewrite_specs(1, {}, tuple(_BEFORE_OPTIMIZERS))
    with op.batch_alter_table("training_run") as table:
        table.drop_column("server_steps")
        table.drop_column("server_second_moment")
        table.drop_column("server_first_moment")
