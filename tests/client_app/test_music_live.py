"""A user with only music activity (the ListenBrainz listener's plays) gets a list from the
shipped music-two-tower model through the real encrypted protocol against a real market
process: new artists in the plaintext order, the artists they play only as "again"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from client_app.sdk import PrivrecClient
from recommenders.activity import ActivityEvent
from recommenders.bundle import load_bundle
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.lastfm import listenbrainz_events
from recommenders.reference import shipped_bundle
from recommenders.tower import TowerRunner
from tests.live_server import reference_market
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "9b" * 32
PORT = 18615  # this suite's loopback port for the music market
MODEL = "music-two-tower"


@pytest.fixture(scope="module")
def music_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reference_market(
        tmp_path_factory.mktemp("music-market"),
        port=PORT,
        market_key=MARKET_KEY,
        developer="local-ears",
        models=(MODEL,),
    ) as url:
        yield url


def recent_plays(now: datetime, count: int = 300) -> list[ActivityEvent]:
    """The listener's last ``count`` plays, replayed as if the last one was just now."""
    plays = listenbrainz_events()[-count:]
    shift = now - plays[-1].time
    return [
        ActivityEvent(p.category, p.source, p.title, p.external_id, p.time + shift, p.weight)
        for p in plays
    ]


@pytest.mark.slow
def test_a_music_only_user_gets_new_artists_and_their_own_apart(
    music_market: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    plays = recent_plays(now)
    client = PrivrecClient(tmp_path / "app", market_url=music_market, embedder=FakeEmbedder())
    try:
        client.create_identity()
        client.store.add_events(plays, origin="listenbrainz")
        client.set_opt_in("music", True)
        client.faucet()
        client.fund_budget(10)
        round_ = client.refresh()
    finally:
        client.close()
    (music,) = round_.lists
    assert music.model.name == MODEL and music.fits and music.policy == "new-and-again"
    model = load_bundle(shipped_bundle(MODEL), feature_schema=FEATURE_SCHEMA_VERSION)
    index = catalog_index(model.catalog, model.manifest)
    features = extract_features(
        plays, {"music"}, ["music"], index, embedder=FakeEmbedder(), now=now
    )
    runner = TowerRunner(model.manifest, model.tower)
    plain = model.items.astype(np.float64) @ runner(tower_inputs(model.manifest.inputs, features))
    played = {model.catalog.item_ids[row] for play in plays for row in index.match(play)}
    assert played, "the listener's artists are in the catalog"
    ranked_new = [
        model.catalog.item_ids[row]
        for row in np.argsort(-plain)
        if model.catalog.item_ids[row] not in played
    ]
    # Decrypted on the device: new artists only, in the plaintext order; artists already
    # played are offered apart, as "again".
    new = [item.item_id for item in music.items]
    assert len(new) >= 5 and not set(new) & played
    assert new == ranked_new[: len(new)]
    assert music.again_items and {item.item_id for item in music.again_items} <= played
    for item in (*music.items, *music.again_items):
        assert item.category == "music" and item.reason
        assert item.link is not None and item.link.startswith("https://www.last.fm/music/")
