"""A user with only places activity (the SAMPLE week) gets a list from the shipped
places-nearby model through the real encrypted protocol against a real market process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from client_app.sdk import PrivrecClient
from recommenders.bundle import Bundle, load_bundle
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.places import sample_places_events
from recommenders.reference import shipped_bundle
from recommenders.tower import TowerRunner
from tests.live_server import reference_market
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "9a" * 32
PORT = 18630  # this suite's loopback port for the places market


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
    client = PrivrecClient(tmp_path / "app", market_url=places_market, embedder=FakeEmbedder())
    try:
        client.create_identity()
        client.store.add_events(week, origin="sample")
        client.set_opt_in("places", True)
        client.faucet()
        client.fund_budget(10)
        round_ = client.refresh()
    finally:
        client.close()
    (places,) = round_.lists
    assert places.model.name == "places-nearby"
    model: Bundle = load_bundle(
        shipped_bundle("places-nearby"), feature_schema=FEATURE_SCHEMA_VERSION
    )
    index = catalog_index(model.catalog, model.manifest)
    features = extract_features(
        week, {"places"}, ["places"], index, embedder=FakeEmbedder(), now=now
    )
    runner = TowerRunner(model.manifest, model.tower)
    plain = model.items.astype(np.float64) @ runner(tower_inputs(model.manifest.inputs, features))
    visited = {model.catalog.item_ids[row] for event in week for row in index.match(event)}
    ranked_new = [
        model.catalog.item_ids[row]
        for row in np.argsort(-plain)
        if model.catalog.item_ids[row] not in visited
    ]
    # Decrypted on the device, the new places come in the plaintext order (visited ones may
    # be shown too, as "again"), each with its OpenStreetMap page.
    new = [item.item_id for item in places.items if item.item_id not in visited]
    assert len(new) >= 5
    assert new == ranked_new[: len(new)]
    for item in places.items:
        assert item.source == "osm" and item.category == "places"
        assert item.metadata["url"] == f"https://www.openstreetmap.org/{item.item_id}"
