"""Migrations: several server processes starting at once on one SQLite file all come up."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
import sqlalchemy

from market_server.core.db import make_engine, migrate

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
