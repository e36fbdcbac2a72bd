"""Migrations: several server processes starting at once on one SQLite file all come up, and
migration 0009 gives the training runs already open the server optimiser they ran with."""

from __future__ import annotations

import json
import multiprocessing
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from alembic import command
from sqlmodel import Session

from federated.errors import InvalidMessage
from federated.runs import RunSpec
from market_server.core.db import alembic_config, make_engine, migrate
from market_server.training_rounds import spec_of
from market_server.training_tables import TrainingRun

PROCESSES = 8


def _start(url: str, start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))  # all processes migrate at the same moment
    engine = make_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))  # the race shows in some starts, not all
def test_processes_migrating_at_once_all_succeed(tmp_path: Path, attempt: int) -> None:
    url = f"sqlite:///{tmp_path / 'market.sqlite3'}"
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 4.0
    processes = [context.Process(target=_start, args=(url, start_at)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    engine = sqlalchemy.create_engine(url)
    try:
        tables = set(sqlalchemy.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"developer", "ledger_entry", "modelversion", "alembic_version"} <= tables


# A run spec as the market wrote it before 0009 (version 1: no server optimiser fields).
SPEC_V1 = {
    "v": 1,
    "training": "ab" * 16,
    "model": "shelf@1.0.0",
    "categories": ["books"],
    "dim": 2,
    "width": 4,
    "items": 30,
    "embedding": 8,
    "facts": 0,
    "rounds": 5,
    "cohort": 4,
    "min_survivors": 3,
    "clip_norm": 1.0,
    "noise_multiplier": 0.5,
    "sampling_rate": 1.0,
    "delta": 1e-3,
    "learning_rate": 0.5,
    "server_learning_rate": 0.7,
    "reward": 5,
}


def test_migration_0009_keeps_the_open_runs_on_fedavg(database_url: str) -> None:
    engine = make_engine(database_url)
    url = engine.url.render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "0008")
        rows = (
            "INSERT INTO developer (id, name, api_key_hash, created_at) "
            "VALUES (1, 'acme', :hash, :now)",
            "INSERT INTO modelversion (id, name, version, developer_id, status, description, "
            "categories, dim, items, stake, bid, diagnostics, created_at) "
            "VALUES (1, 'shelf', '1.0.0', 1, 'LIVE', '', 'books', 8, 30, 100, 5, '', :now)",
            "INSERT INTO training_run (id, model_id, developer_id, spec, status, round_index, "
            "stage_seconds, budget, parameters, inputs, created_at) VALUES (:run, 1, 1, :spec, "
            "'OPEN', 2, 60, 100, :blob, :blob, :now)",
        )
        values = {
            "hash": "h" * 64,
            "now": datetime.now(UTC),
            "run": SPEC_V1["training"],
            "spec": json.dumps(SPEC_V1, sort_keys=True),
            "blob": b"safetensors",
        }
        with engine.begin() as connection:
            for statement in rows:
                connection.execute(sqlalchemy.text(statement), values)
        migrate(engine)
        with Session(engine) as session:
            run = session.get(TrainingRun, SPEC_V1["training"])
            assert run is not None
            spec = spec_of(run)  # a version-2 spec now: the market and devices read it
            assert (spec.server_optimizer, spec.server_decay) == ("sgd", 0.0)
            assert spec.server_learning_rate == 0.7 and spec.rounds == 5
            assert (run.server_first_moment, run.server_steps, run.round_index) == (None, 0, 2)
            assert run.spec == json.dumps(spec.to_json(), sort_keys=True)
        command.downgrade(alembic_config(url), "0008")
        with engine.connect() as connection:
            (text,) = connection.execute(sqlalchemy.text("SELECT spec FROM training_run")).one()
        assert json.loads(text) == SPEC_V1
        with pytest.raises(InvalidMessage, match="unsupported run spec version 1"):
            RunSpec.from_json(json.loads(text))
        columns = {c["name"] for c in sqlalchemy.inspect(engine).get_columns("training_run")}
        assert "server_steps" not in columns and "server_first_moment" not in columns
    finally:
        engine.dispose()
