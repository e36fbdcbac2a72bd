"""A user with only places activity (the SAMPLE week) gets a list from the shipped
places-nearby model through the real encrypted protocol against a real market process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recommenders.places import sample_places_events
from tests.live_server import one_category_round, plaintext_ranking, reference_market, worker_port
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "9a" * 32
PORT = worker_port(18630)  # this suite's loopback port for the places market


@pytest.fixture(scope="module")
def places_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reference_market(
        tmp_path_factory.mktemp("places-market"),
        port=PORT,
        market_key=MARKET_KEY,
        developer="open-street-labs",
        models=("places-nearby",),
    ) as url:
        yield url


def test_a_places_only_user_gets_places_near_their_week(places_market: str, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    week = sample_places_events(now)
    round_ = one_category_round(places_market, tmp_path / "app", week, "places", FakeEmbedder())
    (places,) = round_.lists
    assert places.model.name == "places-nearby"
    plain = plaintext_ranking("places-nearby", week, "places", FakeEmbedder(), now)
    visited = plain.consumed
    # Decrypted on the device, the new places come in the plaintext order (visited ones may
    # be shown too, as "again"), each with its OpenStreetMap page.
    new = [item.item_id for item in places.items if item.item_id not in visited]
    assert len(new) >= 5
    assert list(plain.ranked_new[: len(new)]) == new
    for item in places.items:
        assert item.source == "osm" and item.category == "places"
        assert item.metadata["url"] == f"https://www.openstreetmap.org/{item.item_id}"
