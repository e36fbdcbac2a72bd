"""A model's catalog is downloaded up to the size the market lists for it, bounded by the app's
own ceiling, streamed to disk: against a real market (an honest listing, and listings the
test falsifies) and a lying one (a real HTTP server sending what an attacker would)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from client_app.developer import DeveloperClient
from client_app.market import LiveModel, MarketClient, MarketError
from client_app.model_cache import (
    DEFAULT_MAX_CATALOG_BYTES,
    MAX_CATALOG_BYTES_ENV,
    CatalogTooLarge,
    ModelCache,
    configured_max_catalog_bytes,
)
from client_app.progress import no_progress
from client_app.rounds import SkippedModel, load_models
from crypto import IdentityKey
from recommenders.reference import shipped_bundle
from tests.live_server import LiveServer, worker_port

MARKET_KEY = "b1" * 32
PORT = worker_port(18500)  # the real market
LIAR_PORT = worker_port(18510)  # the lying one
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    """A real market with the places model live; its URL and the catalog it was deployed with."""
    root = tmp_path_factory.mktemp("catalog-market")
    server = LiveServer(
        data_dir=root / "market",
        database_url=f"sqlite:///{root / 'market.sqlite3'}",
        market_key=MARKET_KEY,
        port=PORT,
        extra_env={"PRIVREC_MAX_CATALOG_BYTES": str(2 * MIB)},
    )
    bundle = shipped_bundle("places-nearby")
    with server, DeveloperClient(server.url) as developer:
        developer.sign_up("catalog-labs")
        developer.faucet()
        deployed = developer.deploy(bundle.read_bytes(), stake=100, bid=2, escrow=20)
        assert developer.wait_until_settled(deployed.id).status == "live"
        with MarketClient(server.url, IdentityKey.generate()) as client:
            (model,) = client.live_models()
            catalog = bytearray()
            client.download_part(model.id, "catalog", catalog.extend)
        yield server.url, bytes(catalog)


def listed(url: str) -> tuple[MarketClient, LiveModel]:
    client = MarketClient(url, IdentityKey.generate())
    (model,) = client.live_models()
    return client, model


def cached_files(cache: ModelCache) -> list[Path]:
    return sorted(path for path in cache.directory.rglob("*") if path.is_file())


def test_the_market_lists_each_catalog_size_and_its_limit(market: tuple[str, bytes]) -> None:
    url, catalog = market
    client, model = listed(url)
    with client:
        assert model.catalog_bytes == len(catalog) > 200_000
        assert client.info().max_catalog_bytes == 2 * MIB


def test_a_catalog_of_the_listed_size_is_streamed_to_disk_with_progress(
    market: tuple[str, bytes], tmp_path: Path
) -> None:
    url, catalog = market
    client, model = listed(url)
    # The ceiling is exactly the catalog's size: it is within.
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=len(catalog), progress_every=64_000)
    messages: list[str] = []
    with client:
        loaded = cache.load(client, model.id, messages.append, catalog_bytes=model.catalog_bytes)
    assert len(loaded.catalog.item_ids) == model.items
    (on_disk,) = (p for p in cached_files(cache) if p.name == "catalog.bin")
    assert on_disk.read_bytes() == catalog
    assert on_disk.stat().st_mode & 0o077 == 0  # owner-only, as every cached part
    steps = [m for m in messages if m.startswith(f"downloading the catalog of model {model.id}")]
    # One message per 64,000 bytes at most (a message when a chunk crosses the next step).
    assert 1 <= len(steps) <= len(catalog) // 64_000
    assert steps[0].endswith(f"of {len(catalog) / MIB:,.1f} MiB")
    assert messages[-1] == f"downloaded the catalog of model {model.id} ({len(catalog):,} bytes)"


@pytest.mark.parametrize(
    ("offset", "refusal"), [(-1, "larger than"), (+1, "having listed"), (-100_000, "larger than")]
)
def test_a_catalog_of_another_size_than_listed_leaves_nothing_cached(
    market: tuple[str, bytes], tmp_path: Path, offset: int, refusal: str
) -> None:
    url, catalog = market
    client, model = listed(url)
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=4 * MIB)
    with client:
        with pytest.raises(MarketError, match=refusal):
            cache.load(client, model.id, catalog_bytes=len(catalog) + offset)
        # Neither the catalog nor the parts fetched before it stay: the next load starts afresh.
        assert cached_files(cache) == []
        assert (
            cache.load(client, model.id, catalog_bytes=len(catalog)).manifest.items == model.items
        )


def test_a_catalog_above_the_app_ceiling_is_not_downloaded(
    market: tuple[str, bytes], tmp_path: Path
) -> None:
    url, catalog = market
    client, model = listed(url)
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=len(catalog) - 1)
    with client:
        with pytest.raises(CatalogTooLarge, match=MAX_CATALOG_BYTES_ENV):
            cache.load(client, model.id, catalog_bytes=model.catalog_bytes)
        assert not cache.directory.exists()
        # In a round the model is skipped with the reason, and the round goes on.
        skipped: list[SkippedModel] = []
        loaded = load_models(client, cache, [model], skipped, no_progress, 0.0, 1.0)
    assert loaded == []
    assert [s.reason for s in skipped] == [
        f"its catalog is {len(catalog) / MIB:,.1f} MiB, more than this app downloads "
        f"({(len(catalog) - 1) / MIB:,.1f} MiB; {MAX_CATALOG_BYTES_ENV} sets it)"
    ]


def test_a_listing_above_the_market_own_limit_is_refused(
    market: tuple[str, bytes], tmp_path: Path
) -> None:
    url, _ = market
    client, model = listed(url)
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=64 * MIB)
    with client, pytest.raises(MarketError, match="above its own limit of 2,097,152"):
        cache.load(client, model.id, catalog_bytes=2 * MIB + 1)
    assert not cache.directory.exists()


def test_without_a_listed_size_the_old_limit_and_the_ceiling_apply(
    market: tuple[str, bytes], tmp_path: Path
) -> None:
    url, catalog = market
    client, model = listed(url)
    with client:
        small = ModelCache(tmp_path / "small", max_catalog_bytes=len(catalog) - 1)
        with pytest.raises(MarketError, match=f"larger than {len(catalog) - 1} bytes"):
            small.load(client, model.id)
        assert cached_files(small) == []
        within = ModelCache(tmp_path / "within", max_catalog_bytes=len(catalog))
        assert len(within.load(client, model.id).catalog.item_ids) == model.items


def test_two_threads_loading_one_model_share_one_download(
    market: tuple[str, bytes], tmp_path: Path
) -> None:
    """Recommendations (the long jobs' thread) and a training pass (its own thread) may ask for
    the same model at once: it is downloaded once, and both get it."""
    url, catalog = market
    client, model = listed(url)
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=len(catalog))
    messages: list[str] = []
    start = threading.Barrier(2)
    loaded: list[object] = []
    errors: list[BaseException] = []

    def load() -> None:
        start.wait(timeout=10)
        try:
            loaded.append(
                cache.load(client, model.id, messages.append, catalog_bytes=model.catalog_bytes)
            )
        except BaseException as error:  # reported by the test
            errors.append(error)

    with client:
        threads = [threading.Thread(target=load) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == [] and len(loaded) == 2
    assert loaded[0] is loaded[1]  # the second waited for the first and took its copy
    assert [m for m in messages if m.startswith("downloaded the catalog")] == [
        f"downloaded the catalog of model {model.id} ({len(catalog):,} bytes)"
    ]
    assert [p.name for p in cached_files(cache)] == ["catalog.bin", "manifest.bin", "tower.bin"]


class LyingMarket(BaseHTTPRequestHandler):
    """Answers as a market run by an attacker: the identity and model list the test sets, and
    a catalog of any size."""

    info: ClassVar[dict[str, Any]] = {}
    models: ClassVar[list[dict[str, Any]]] = []
    catalog = b""

    def do_GET(self) -> None:
        if self.path == "/v1/market":
            body = json.dumps(self.info).encode()
        elif self.path == "/v1/models":
            body = json.dumps(self.models).encode()
        else:
            body = self.catalog
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def liar() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", LIAR_PORT), LyingMarket)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    LyingMarket.info = {
        "public_key": "c" * 64,
        "api_version": "1",
        "signature_version": 2,
        "mode": "local",
        "faucet": True,
        "max_catalog_bytes": 16 * 2**30,
    }
    try:
        yield f"http://127.0.0.1:{LIAR_PORT}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def lying_model(catalog_bytes: object) -> dict[str, Any]:
    return {
        "id": 7,
        "status": "live",
        "name": "huge",
        "version": "1",
        "developer": "mallory",
        "description": "",
        "categories": ["books"],
        "dim": 8,
        "items": 10,
        "stake": 1,
        "bid": 1,
        "catalog_bytes": catalog_bytes,
    }


@pytest.mark.parametrize("declared", [0, -5, "1024", True, 1.5])
def test_a_malformed_catalog_size_is_refused(liar: str, declared: object) -> None:
    LyingMarket.models = [lying_model(declared)]
    with (
        MarketClient(liar, IdentityKey.generate()) as client,
        pytest.raises(MarketError, match="catalog_bytes"),
    ):
        client.live_models()


@pytest.mark.parametrize("declared", [0, -1, "big", 2.5])
def test_a_malformed_market_limit_is_refused(liar: str, declared: object) -> None:
    LyingMarket.info = {**LyingMarket.info, "max_catalog_bytes": declared}
    with (
        MarketClient(liar, IdentityKey.generate()) as client,
        pytest.raises(MarketError, match="max_catalog_bytes"),
    ):
        client.info()


def test_a_market_declaring_a_huge_catalog_gets_nothing_downloaded(
    liar: str, tmp_path: Path
) -> None:
    # 16 GiB listed, within the market's own limit: the app's ceiling refuses it before asking.
    LyingMarket.models = [lying_model(16 * 2**30)]
    LyingMarket.catalog = b"x" * 4096
    cache = ModelCache(tmp_path / "models", max_catalog_bytes=4000)
    with MarketClient(liar, IdentityKey.generate()) as client:
        (model,) = client.live_models()
        with pytest.raises(CatalogTooLarge, match=r"16,384\.0 MiB, more than this app"):
            cache.load(client, model.id, catalog_bytes=model.catalog_bytes)
        assert not cache.directory.exists()
        # Listing a small catalog and sending a big one is cut off at the listed size.
        with pytest.raises(MarketError, match="larger than 100 bytes"):
            cache.load(client, model.id, catalog_bytes=100)
    assert not any(path.is_file() for path in cache.directory.rglob("*"))


def test_the_ceiling_is_configured_in_whole_bytes() -> None:
    assert configured_max_catalog_bytes({}) == DEFAULT_MAX_CATALOG_BYTES == 512 * MIB
    assert configured_max_catalog_bytes({MAX_CATALOG_BYTES_ENV: "2147483648"}) == 2**31
    for bad in ("", "0", "-1", "1e9", "1 GiB", " 5", "\u00b2"):
        with pytest.raises(ValueError, match=MAX_CATALOG_BYTES_ENV):
            configured_max_catalog_bytes({MAX_CATALOG_BYTES_ENV: bad})
    with pytest.raises(ValueError, match="at least 1 byte"):
        ModelCache(Path("unused"), max_catalog_bytes=0)
