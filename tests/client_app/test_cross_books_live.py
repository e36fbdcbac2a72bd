"""The shipped cross-books bundle on a real market, with real embeddings: a user who shares only
music and web history gets books through the encrypted protocol, above the model's relevance
floor, and only music and web are read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client_app.developer import DeveloperClient
from client_app.sdk import PrivrecClient
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import load_bundle
from recommenders.embeddings import TextEmbedder
from recommenders.features import FEATURE_SCHEMA_VERSION
from recommenders.reference import shipped_bundle
from tests.client_app.conftest import MARKET_KEY
from tests.live_server import LiveServer, worker_port

pytestmark = pytest.mark.slow
PORT = worker_port(18652)
PLAYS = ("Radiohead — Karma Police", "Miles Davis — So What", "Nick Drake — Pink Moon")
PAGES = ("History of the Roman Empire - Wikipedia", "Best hiking trails in Lapland")


def event(category: Category, title: str) -> ActivityEvent:
    return ActivityEvent(
        category=category,
        source="test",
        title=title,
        external_id=None,
        time=datetime.now(UTC) - timedelta(days=2),
    )


def test_music_and_web_alone_get_books_from_the_real_bundle(
    tmp_path: Path, embedding_cache_dir: Path
) -> None:
    bundle = shipped_bundle("cross-books")
    floor = load_bundle(bundle, feature_schema=FEATURE_SCHEMA_VERSION).manifest.relevance_floor
    assert floor is not None
    data = tmp_path / "market"
    database = f"sqlite:///{data / 'market.sqlite3'}"
    server = LiveServer(data_dir=data, database_url=database, market_key=MARKET_KEY, port=PORT)
    with server:
        with DeveloperClient(server.url) as developer:
            developer.sign_up("open-shelf")
            developer.faucet()
            deployed = developer.deploy(bundle.read_bytes(), stake=100, bid=0, escrow=0)
            assert developer.wait_until_settled(deployed.id).status == "live"
        embedder = TextEmbedder(embedding_cache_dir)
        client = PrivrecClient(tmp_path / "app", market_url=server.url, embedder=embedder)
        try:
            client.create_identity()
            client.faucet()
            client.fund_budget(10)
            client.store.add_events(
                [*(event(Category.MUSIC, t) for t in PLAYS)]
                + [event(Category.WEB, t) for t in PAGES],
                origin="test",
            )
            for category in ("music", "web"):
                client.set_opt_in(category, True)
            round_ = client.refresh()
            (entry,) = round_.lists
            assert entry.model.name == "cross-books"
            assert entry.categories == ("music", "web")
            assert len(entry.items) == client.top_k
            assert all(item.category == "books" for item in entry.items)
            assert entry.items[0].score >= floor  # the list fits well enough to be shown
            assert [use.categories for use in client.data_use()] == [("music", "web")]
        finally:
            client.close()
