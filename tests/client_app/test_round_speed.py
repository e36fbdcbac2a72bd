"""What keeps a round fast: titles embedded at import or opt-in (a round finds them cached and
never loads the model), models fetched ahead, the round's time reported step by step."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from client_app.market import MarketClient, scoring_seconds
from client_app.model_cache import ModelCache
from client_app.sdk import PrivrecClient
from crypto import IdentityKey
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import CATALOG_FILE, MANIFEST_FILE, TOWER_FILE
from recommenders.embeddings import TextEmbedder
from tests.client_app.conftest import Market
from tests.client_app.import_fixtures import DEFAULT_BOOKS, write_goodreads_csv
from tests.factories import make_bundle
from tests.recommenders.conftest import FakeEmbedder

NOW = datetime.now(UTC)
ROUND_STEPS = {
    "connect",
    "download",
    "embedding",
    "matching",
    "towers",
    "encrypt",
    "network",
    "scoring",
    "decrypt",
    "reasons",
}


def events(category: Category, *titles: str) -> list[ActivityEvent]:
    return [
        ActivityEvent(category, "test", title, None, NOW - timedelta(days=i))
        for i, title in enumerate(titles)
    ]


def fund(client: PrivrecClient) -> None:
    client.faucet()
    client.fund_budget(10)


def test_an_import_embeds_the_titles_of_an_opted_in_category_only(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    client = PrivrecClient(tmp_path / "app", embedder=embedder)
    client.store.set_opt_in(Category.BOOKS, True)
    export = write_goodreads_csv(tmp_path / "goodreads_library_export.csv")
    progress: list[tuple[str, float]] = []
    client.import_file("goodreads", export, lambda m, f: progress.append((m, f)))
    assert embedder.seen == {book.title for book in DEFAULT_BOOKS}
    assert any("titles read on this device" in message for message, _ in progress)
    assert [f for _, f in progress] == sorted(f for _, f in progress)
    assert progress[-1][1] == 1.0
    # Not opted in: the import stores the titles but nothing reads them.
    other = PrivrecClient(tmp_path / "other", embedder=(untouched := FakeEmbedder()))
    other.import_file("goodreads", export)
    assert untouched.calls == []
    for each in (client, other):
        each.close()


def test_opting_in_embeds_that_category_in_the_background(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    client = PrivrecClient(tmp_path, embedder=embedder)
    client.store.add_events(events(Category.BOOKS, "Dune", "Emma"), origin="test")
    client.store.add_events(events(Category.MUSIC, "Blue in Green"), origin="test")
    client.set_opt_in(Category.BOOKS, True)
    client.wait_for_embedding()
    assert not client.embedding
    assert client.embedding_error is None
    assert embedder.seen == {"Dune", "Emma"}  # music is not opted in: never read
    client.set_opt_in(Category.MUSIC, True)
    client.wait_for_embedding()
    assert embedder.seen == {"Dune", "Emma", "Blue in Green"}
    client.close()


def test_a_background_failure_is_kept_for_the_app(tmp_path: Path) -> None:
    class Broken(FakeEmbedder):
        def embed(self, texts: object) -> np.ndarray:
            raise RuntimeError("no model here")

    client = PrivrecClient(tmp_path, embedder=Broken())
    client.store.add_events(events(Category.BOOKS, "Dune"), origin="test")
    client.set_opt_in(Category.BOOKS, True)
    client.wait_for_embedding()
    assert str(client.embedding_error) == "no model here"
    client.close()


def cached_embedder(directory: Path, titles: list[str]) -> TextEmbedder:
    """The real embedder, its cache already holding ``titles`` (as an import leaves it)."""
    real = TextEmbedder(directory)
    assert real.cache is not None
    fake = FakeEmbedder()
    real.cache.store(real.model_id, dict(zip(titles, fake.embed(titles), strict=True)))
    return real


def test_nothing_is_embedded_again_and_the_model_never_loads_when_titles_are_cached(
    tmp_path: Path,
) -> None:
    titles = ["Dune", "Emma", "The Hobbit"]
    real = cached_embedder(tmp_path / "embeddings", titles)
    client = PrivrecClient(tmp_path / "app", embedder=real)
    client.store.add_events(events(Category.BOOKS, *titles), origin="test")
    client.store.set_opt_in(Category.BOOKS, True)
    assert client.embed_activity() == 0
    assert not real.model_loaded


def test_a_round_after_import_reads_every_title_from_the_cache_and_reports_each_step(
    market: Market, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = ["The Hobbit", "Dune", "Emma"]
    real = cached_embedder(tmp_path / "embeddings", titles)
    encoded: list[str] = []
    encode = real._encode

    def recording(texts: list[str]) -> np.ndarray:
        encoded.extend(texts)
        return encode(texts)

    monkeypatch.setattr(real, "_encode", recording)
    client = PrivrecClient(tmp_path / "app", market_url=market.url, embedder=real)
    client.create_identity()
    client.store.add_events(events(Category.BOOKS, *titles), origin="test")
    client.set_opt_in(Category.BOOKS, True)
    fund(client)
    round_ = client.refresh()
    assert [entry.model.name for entry in round_.lists] == ["shelf"]
    # Only the shown items' titles (for their reasons) are new to the model, never the user's.
    assert encoded and not set(encoded) & set(titles)
    assert set(round_.seconds) == ROUND_STEPS  # the market said how long it scored
    assert all(seconds >= 0 for seconds in round_.seconds.values())
    client.close()


def test_models_fetched_ahead_are_not_downloaded_by_the_round(
    app_client: PrivrecClient,
) -> None:
    app_client.store.add_events(events(Category.BOOKS, "Dune"), origin="test")
    app_client.set_opt_in(Category.BOOKS, True)
    fund(app_client)
    fetched: list[str] = []
    skipped = app_client.fetch_models(lambda message, _: fetched.append(message))
    assert sum("downloaded" in m for m in fetched) == 3  # one model: manifest, tower, catalog
    assert {s.model.name for s in skipped} == {"basket", "mixtape"}  # not opted in
    during: list[str] = []
    round_ = app_client.refresh(lambda message, _: during.append(message))
    assert not any("downloaded" in m for m in during)
    assert [entry.model.name for entry in round_.lists] == ["shelf"]


def cached_parts(cache: ModelCache, market: MarketClient, model_id: int, bundle: Path) -> None:
    """Put a bundle's parts in the cache's directory, as a finished download leaves them."""
    folder = cache.directory / hashlib.sha256(market.base_url.encode()).hexdigest()[:16]
    folder /= str(model_id)
    folder.mkdir(parents=True)
    files = {"manifest": MANIFEST_FILE, "tower": TOWER_FILE, "catalog": CATALOG_FILE}
    for part, name in files.items():
        (folder / f"{part}.bin").write_bytes((bundle / name).read_bytes())


def test_models_with_one_catalog_share_its_parsed_rows_and_index(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path / "models")
    # Never reached: every part is on disk already, and a cached part is not asked again.
    market = MarketClient("http://127.0.0.1:9", IdentityKey.generate())
    same = make_bundle(tmp_path, history=True, name="interaction", seed=1)
    also = make_bundle(tmp_path, history=True, name="content", seed=2)
    other = make_bundle(tmp_path, history=True, name="other", n=20)
    for model_id, bundle in ((1, same), (2, also), (3, other)):
        cached_parts(cache, market, model_id, bundle)
    first, second, third = (cache.load(market, model_id) for model_id in (1, 2, 3))
    assert first.manifest.name == "interaction" and second.manifest.name == "content"
    assert first.catalog is second.catalog
    assert first.index is not None and first.index is second.index
    assert third.catalog is not first.catalog and third.index is not first.index
    assert cache.load(market, 1) is first  # a loaded model is kept in memory
    market.close()


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("score;dur=123.5", 0.1235),
        ('db;dur=2, score;desc="scoring";dur="40"', 0.04),
        (None, None),
        ("", None),
        ("db;dur=5", None),
        ("score", None),
        ("score;dur=fast", None),
        ("score;dur=-1", None),
        ("score;dur=inf", None),
    ],
)
def test_the_markets_scoring_time_is_read_from_server_timing(
    header: str | None, seconds: float | None
) -> None:
    assert scoring_seconds(header) == (None if seconds is None else pytest.approx(seconds))
