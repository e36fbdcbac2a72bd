"""A user with only web activity (a Firefox history of Coffee Stack Exchange pages) gets lists
from the shipped web models through the real encrypted protocol against a real market."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import load_bundle
from recommenders.embeddings import TextEmbedder
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
)
from recommenders.reference import shipped_bundle
from tests.live_server import one_category_round, plaintext_ranking, reference_market, worker_port

pytestmark = pytest.mark.slow  # the real title embedder: web lists depend on what pages say

MARKET_KEY = "7c" * 32
PORT = worker_port(18620)  # this suite's loopback port for the web market
WEB_MODELS = ("web-two-tower", "web-content")
COFFEE_QUESTIONS = (1, 2, 3)


@pytest.fixture(scope="module")
def web_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reference_market(
        tmp_path_factory.mktemp("web-market"),
        port=PORT,
        market_key=MARKET_KEY,
        developer="stack-readers",
        models=WEB_MODELS,
    ) as url:
        yield url


def firefox_history(now: datetime) -> list[ActivityEvent]:
    """Visits as the Firefox importer records them: page URL as external_id, page title."""
    model = load_bundle(shipped_bundle("web-content"), feature_schema=FEATURE_SCHEMA_VERSION)
    title_of = dict(zip(model.catalog.item_ids, model.catalog.titles, strict=True))
    visits = []
    for day, number in enumerate(COFFEE_QUESTIONS):
        question = title_of[f"coffee:{number}"]
        slug = "-".join("".join(c for c in question.lower() if c.isalnum() or c == " ").split())
        url = f"https://coffee.stackexchange.com/questions/{number}/{slug}?answertab=votes#tab-top"
        title = f"{question} - Coffee Stack Exchange"
        visits.append(ActivityEvent(Category.WEB, "firefox", title, url, now - timedelta(days=day)))
    return visits


def test_a_web_only_user_gets_questions_like_the_pages_they_read(
    web_market: str, tmp_path: Path, embedding_cache_dir: Path
) -> None:
    now = datetime.now(UTC)
    history = firefox_history(now)
    embedder = TextEmbedder(cache_dir=embedding_cache_dir)
    round_ = one_category_round(web_market, tmp_path / "app", history, "web", embedder)
    assert sorted(lst.model.name for lst in round_.lists) == sorted(WEB_MODELS)
    for shown in round_.lists:
        plain = plaintext_ranking(shown.model.name, history, "web", embedder, now)
        visited = plain.consumed
        # The pages are found in the catalog by their URLs.
        assert visited == {f"coffee:{number}" for number in COFFEE_QUESTIONS}
        floor = plain.model.manifest.relevance_floor
        assert floor is not None
        assert plain.best_score > floor  # a coffee reader gets a list
        # Decrypted on the device, new questions come in the plaintext order; they are
        # coffee questions, each with its link.
        new = [item.item_id for item in shown.items if item.item_id not in visited]
        assert len(new) >= 5
        assert list(plain.ranked_new[: len(new)]) == new
        assert all(item_id.startswith("coffee:") for item_id in new[:3])
        for item in shown.items:
            assert item.source == "stackexchange" and item.category == "web"
            number = item.item_id.split(":")[1]
            assert item.metadata["link"].endswith(f".stackexchange.com/questions/{number}")
