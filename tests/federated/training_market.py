"""The market the training-round tests run against: a real market process on a SQLite file in
the test's folder, under the economy rules that pay for training (rules 4)."""

from __future__ import annotations

from pathlib import Path

from tests.live_server import LiveServer, worker_port


def training_market(tmp_path: Path, market_key: str, port: int) -> LiveServer:
    """Not started: use it as a context manager. ``port`` is the test file's own (spread over
    pytest-xdist workers), so that files running at once never share one."""
    data_dir = tmp_path / "market"
    return LiveServer(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'market.sqlite3'}",
        market_key=market_key,
        port=worker_port(port),
        extra_env={"PRIVREC_RULES_VERSION": "4"},
    )
