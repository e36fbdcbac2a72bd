"""Server fixtures: the app on a real SQLite file and on PostgreSQL (a fresh schema per test),
and clients that sign requests like the desktop app does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from market_server.api.main import create_app
from market_server.core.config import Settings
from tests.factories import SignedClient

MARKET_KEY = "11" * 32


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        mode="local",
        data_dir=tmp_path / "market",
        database_url=database_url,
        market_key=MARKET_KEY,
        scoring_workers=1,
        scoring_timeout_s=60,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def user(client: TestClient) -> SignedClient:
    signed = SignedClient(client)
    assert signed.register().status_code == 201
    return signed
