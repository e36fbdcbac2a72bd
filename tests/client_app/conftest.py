"""A real market process with three deployed models, shared by the client tests of a module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from client_app.sdk import PrivrecClient
from tests.factories import ModelSpec, deploy_models
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "7c" * 32
MODELS = {
    spec.name: spec
    for spec in (
        ModelSpec("shelf", "shelf-labs", ("books",), stake=200, bid=3, seed=2),
        ModelSpec("basket", "basket-co", ("purchases",), 150, 2, history=True, seed=0),
        ModelSpec("mixtape", "basket-co", ("books", "music"), stake=100, bid=0, seed=1),
    )
}
ITEMS = 40
DIM = 8


@dataclass
class Market:
    server: LiveServer
    model_ids: dict[str, int]

    @property
    def url(self) -> str:
        return self.server.url


def model_options(name: str) -> dict[str, Any]:
    """What `bundle_parts` takes for one of MODELS (to recompute plaintext scores)."""
    return MODELS[name].bundle_options(ITEMS, DIM)


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    data = tmp_path_factory.mktemp("market")
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key=MARKET_KEY
    )
    with server:
        (data / "bundles").mkdir()
        deployed = deploy_models(
            server.url, data / "bundles", MODELS.values(), items=ITEMS, dim=DIM
        )
        yield Market(server, deployed.model_ids)


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def app_client(market: Market, tmp_path: Path, embedder: FakeEmbedder) -> Iterator[PrivrecClient]:
    client = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    client.create_identity()
    yield client
    client.close()
