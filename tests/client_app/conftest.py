"""A real market process with three deployed models, shared by the client tests of a module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from client_app.developer import DeveloperClient
from client_app.sdk import PrivrecClient
from recommenders.bundle import pack_bundle
from recommenders.features import PROFILE_DIM
from tests.factories import make_bundle
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "7c" * 32
# name -> (developer, categories, reads the catalog history, stake, bid)
MODELS = {
    "shelf": ("shelf-labs", ("books",), False, 200, 3),
    "basket": ("basket-co", ("purchases",), True, 150, 2),
    "mixtape": ("basket-co", ("books", "music"), False, 100, 0),
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


def model_options(name: str) -> dict[str, object]:
    """What `bundle_parts` takes for one of MODELS (also used to recompute plaintext scores)."""
    _, categories, history, _, _ = MODELS[name]
    return {
        "n": ITEMS,
        "d": DIM,
        "profile_size": PROFILE_DIM,
        "categories": categories,
        "history": history,
        "name": name,
        "seed": sorted(MODELS).index(name),
        "source": "online-retail",
    }


def deploy_all(url: str, workdir: Path) -> dict[str, int]:
    developers: dict[str, DeveloperClient] = {}
    ids = {}
    try:
        for name, (developer, _, _, stake, bid) in MODELS.items():
            if developer not in developers:
                developers[developer] = DeveloperClient(url)
                developers[developer].sign_up(developer)
                developers[developer].faucet()
            bundle = pack_bundle(make_bundle(workdir, **model_options(name)))
            deployed = developers[developer].deploy(bundle, stake=stake, bid=bid)
            ids[name] = developers[developer].wait_until_settled(deployed.id).id
    finally:
        for client in developers.values():
            client.close()
    return ids


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    data = tmp_path_factory.mktemp("market")
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key=MARKET_KEY
    )
    with server:
        (data / "bundles").mkdir()
        yield Market(server, deploy_all(server.url, data / "bundles"))


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def app_client(market: Market, tmp_path: Path, embedder: FakeEmbedder) -> Iterator[PrivrecClient]:
    client = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=embedder)
    client.create_identity()
    yield client
    client.close()
