"""Optional categories through a real market: a model that reads music, web and books
profiles, each optional, is asked for a user who opted into music only; activity of the other
categories is never read, the query is the tower of [zero, music profile, zero], and the
data-use log names music alone. A model requiring books is not asked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from client_app.sdk import PrivrecClient
from recommenders.activity import ActivityEvent, Category
from recommenders.features import PROFILE_DIM, category_profile
from tests.client_app.conftest import DIM, ITEMS, MARKET_KEY
from tests.factories import ModelSpec, bundle_parts, deploy_models
from tests.live_server import LiveServer, worker_port
from tests.recommenders.conftest import FakeEmbedder

PORT = worker_port(18650)
SHELF = ModelSpec("shelf", "shelf-labs", ("books",), stake=200, bid=0, seed=2)
CROSSOVER = ModelSpec(
    "crossover",
    "cross-labs",
    ("web", "music", "books"),
    stake=200,
    bid=0,
    seed=3,
    optional=("web", "music", "books"),
)
SONGS = ("Bohemian Rhapsody", "Clair de Lune", "Harvest Moon")
NEVER_READ = ("Oncology clinic opening hours", "The Secret History")


def event(category: Category, title: str) -> ActivityEvent:
    return ActivityEvent(
        category=category,
        source="test",
        title=title,
        external_id=None,
        time=datetime(2026, 11, 1, tzinfo=UTC),
    )


def test_a_model_of_optional_categories_reads_only_those_opted_in(tmp_path: Path) -> None:
    data = tmp_path / "market"
    database = f"sqlite:///{data / 'market.sqlite3'}"
    server = LiveServer(data_dir=data, database_url=database, market_key=MARKET_KEY, port=PORT)
    embedder = FakeEmbedder()
    with server:
        (data / "bundles").mkdir()
        deploy_models(server.url, data / "bundles", (SHELF, CROSSOVER), items=ITEMS, dim=DIM)
        client = PrivrecClient(tmp_path / "app", market_url=server.url, embedder=embedder)
        try:
            client.create_identity()
            web, book = NEVER_READ
            client.store.add_events(
                [
                    *(event(Category.MUSIC, song) for song in SONGS),
                    event(Category.WEB, web),
                    event(Category.BOOKS, book),
                ],
                origin="test",
            )
            client.set_opt_in("music", True)
            client.faucet()
            client.fund_budget(10)
            eligible, skipped = client.eligible_models()
            assert [m.name for m in eligible] == ["crossover"]
            assert eligible[0].optional_categories == ("books", "music", "web")
            assert [(s.model.name, s.reason) for s in skipped] == [
                ("shelf", "needs books (not opted in)")
            ]
            round_ = client.refresh()
            uses = client.data_use()
        finally:
            client.close()
    # Of the user's own titles only the songs were looked at (the shown items' catalog titles
    # are embedded too, for their reasons): no page or book of theirs.
    own = {*SONGS, *NEVER_READ}
    assert embedder.seen & own == set(SONGS)
    (entry,) = round_.lists
    assert entry.model.name == "crossover" and entry.categories == ("music",)
    assert [use.categories for use in uses] == [("music",)]

    # The list is the tower's on [web: zero, music: the profile, books: zero].
    parts = bundle_parts(**CROSSOVER.bundle_options(ITEMS, DIM))
    songs = [event(Category.MUSIC, song) for song in SONGS]
    music = category_profile(songs, embedder.embed(SONGS), datetime.now(UTC))
    features = np.concatenate([np.zeros(PROFILE_DIM), music, np.zeros(PROFILE_DIM)])
    user = parts.tower["layers.0.weight"] @ features + parts.tower["layers.0.bias"]
    expected = np.argsort(-(parts.items @ user), kind="stable")[: len(entry.items)]
    assert [item.item_id for item in entry.items] == [f"item-{i}" for i in expected]
