"""One real market process per test session with a settled history (two epochs: models
deployed, users' rounds rated and sent, each epoch settled by the operator's CLI), a headless
Chromium (Debian's, driven by Playwright) and the axe-core accessibility check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from client_app.developer import DeveloperClient
from client_app.sdk import PrivrecClient
from recommenders.activity import Category
from recommenders.bundle import pack_bundle
from tests.end_to_end_helpers import DIM, ITEMS, brought_only_by, deploy, events
from tests.factories import ModelSpec, make_bundle
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package, installed by `make web-deps`
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
MARKET_KEY = "3b" * 32

SHELF = ModelSpec("shelf", "shelf-labs", ("books",), stake=300, bid=4, seed=1, escrow_bids=20)
MIXTAPE = ModelSpec("mixtape", "tape-works", ("books", "music"), 250, 3, seed=3, escrow_bids=20)
BASKET = ModelSpec("basket", "shelf-labs", ("purchases",), 200, 2, history=True, seed=2)
MODELS = (SHELF, MIXTAPE, BASKET)
SETTLED_EPOCHS = (0, 1)


ATLAS = "atlas"  # two versions by ink-press: 1.0.0 retired (never shown), 2.0.0 live
ATLAS_OPTIONS = {"n": ITEMS, "d": DIM, "categories": ("places",), "name": ATLAS, "seed": 5}


@dataclass(frozen=True)
class WebMarket:
    server: LiveServer
    model_ids: dict[str, int]  # model name -> id (atlas: its live version)
    atlas_versions: dict[str, int]  # version -> id
    atlas_key: str  # ink-press's API key

    @property
    def url(self) -> str:
        return self.server.url

    def api(self, path: str, **params: Any) -> Any:
        answer = httpx.get(f"{self.url}{path}", params=params, timeout=30)
        answer.raise_for_status()
        return answer.json()


def _rate_a_round(user: PrivrecClient, likes: dict[str, int], dislikes: dict[str, int]) -> None:
    """One round: like/dislike items only the named model brought into the blend; sent."""
    round_ = user.refresh()
    lists = {entry.model.name: entry for entry in round_.lists}
    for name in likes.keys() | dislikes.keys():
        keys = brought_only_by(round_, lists[name], likes.get(name, 0) + dislikes.get(name, 0))
        for i, key in enumerate(keys):
            user.rate_in_round(
                round_.round_id, key, "like" if i < likes.get(name, 0) else "dislike"
            )
    sent = user.send_ratings()
    assert (sent.delivered, sent.error) == (len(round_.lists), None), sent


def _deploy_atlas(url: str, workdir: Path) -> tuple[dict[str, int], str]:
    """ink-press deploys atlas 1.0.0 then 2.0.0 and retires 1.0.0: its versions and key."""
    with DeveloperClient(url) as developer:
        key = developer.sign_up("ink-press")
        developer.faucet()
        versions = {}
        for version in ("1.0.0", "2.0.0"):
            bundle = make_bundle(workdir, **ATLAS_OPTIONS, version=version)
            deployed = developer.deploy(pack_bundle(bundle), stake=120, bid=1, escrow=10)
            assert developer.wait_until_settled(deployed.id).status == "live"
            versions[version] = deployed.id
    retired = httpx.post(
        f"{url}/v1/models/{versions['1.0.0']}/retire",
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert retired.status_code == 200, retired.text
    return versions, key


@contextmanager
def running_web_market(data: Path) -> Iterator[WebMarket]:
    """The web tests' market in ``data``: models deployed, two epochs rated and settled."""
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key=MARKET_KEY
    )
    with server:
        (data / "bundles").mkdir()
        deployed = deploy(server.url, data / "bundles", MODELS)
        atlas_versions, atlas_key = _deploy_atlas(server.url, data / "bundles")
        reader = PrivrecClient(data / "reader", market_url=server.url, embedder=FakeEmbedder())
        shopper = PrivrecClient(data / "shopper", market_url=server.url, embedder=FakeEmbedder())
        try:
            for user in (reader, shopper):
                user.create_identity()
                user.faucet()
            reader.store.add_events(
                events(Category.BOOKS, "goodreads", "Dune", "Emma", "Ulysses"), origin="test"
            )
            reader.store.add_events(events(Category.MUSIC, "lastfm", "So What"), origin="test")
            shopper.store.add_events(
                events(Category.PURCHASES, "shop", "Espresso machine", "Kettle"), origin="test"
            )
            for category in ("books", "music"):
                reader.set_opt_in(category, True)
            shopper.set_opt_in("purchases", True)
            # Epoch 0: shelf helps the reader, mixtape's picks are voted against (its stake
            # burns), the shopper likes basket's.
            reader.fund_budget(300)
            shopper.fund_budget(200)
            _rate_a_round(reader, {SHELF.name: 2}, {MIXTAPE.name: 2})
            _rate_a_round(shopper, {BASKET.name: 1}, {})
            server.settle()
            # Epoch 1: the reader again, mixtape now does better.
            reader.fund_budget(200)
            _rate_a_round(reader, {SHELF.name: 1, MIXTAPE.name: 1}, {})
            server.settle()
        finally:
            reader.close()
            shopper.close()
        model_ids = {**deployed.model_ids, ATLAS: atlas_versions["2.0.0"]}
        yield WebMarket(server, model_ids, atlas_versions, atlas_key)


@pytest.fixture(scope="session")
def web_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebMarket]:
    with running_web_market(tmp_path_factory.mktemp("web-market")) as market:
        yield market


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # Debian's Chromium, never a downloaded build (`playwright install` is not used).
    launched = playwright_driver.chromium.launch(executable_path=str(CHROMIUM))
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that fails the test on any request to another host, any script error and
    any error in the console."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # axe-core on every document, injected by the browser itself: the pages' own
    # Content-Security-Policy (scripts from the server only) stays on.
    context.add_init_script(path=AXE_SCRIPT)
    opened = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # Console errors too: a Content-Security-Policy refusal or a failed load shows there.
    opened.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    opened.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("http://127.0.0.1:", "data:"))
            else foreign.append(request.url)
        ),
    )
    try:
        yield opened
    finally:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"
    assert foreign == [], f"requests to other hosts: {foreign}"


def axe_violations(page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run the vendored axe-core (injected by the ``page`` fixture): the violations of the
    given impacts."""
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:200] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations
