"""Music weighs the same on the device as in training: plays imported one by one from a
Spotify export give the features training computes from the same plays counted per artist
(and per title), under the aggregation the shipped music models declare."""

from __future__ import annotations

import dataclasses
import gzip
import json
import math
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from client_app.sdk import PrivrecClient
from recommenders.activity import Category
from recommenders.bundle import load_bundle
from recommenders.datasets import DATA_DIR, Catalog, Interactions
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    PROFILE_DIM,
    catalog_index,
    extract_features,
    track_title,
)
from recommenders.lastfm import MUSIC_AGGREGATION, load_lastfm
from recommenders.reference import shipped_bundle
from recommenders.tasks import BOOKS_EVENT_TIME, load_task
from recommenders.training_examples import FeatureBuilder, TitleTable
from tests.recommenders.conftest import FakeEmbedder

# Full plays (four minutes each), a minute apart: (Last.fm artist id, artist, track) -> n.
PLAYS = {
    ("154", "Radiohead", "Creep"): 3,
    ("154", "Radiohead", "Karma Police"): 1,
    ("1098", "Björk", "Jóga"): 2,
}
START = datetime(2023, 1, 5, 13, 0, tzinfo=UTC)
USER = 7


def spotify_export(path: Path) -> Path:
    records: list[dict[str, object]] = []
    for (_, artist, track), count in PLAYS.items():
        for _ in range(count):
            moment = START + timedelta(minutes=len(records))
            records.append(
                {
                    "endTime": moment.strftime("%Y-%m-%d %H:%M"),
                    "artistName": artist,
                    "trackName": track,
                    "msPlayed": 240_000,
                }
            )
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def lastfm_plays(data_dir: Path, rows: dict[str, int]) -> Path:
    """The shipped artists, and ``rows`` (artist id -> plays) as one Last.fm user's counts."""
    (data_dir / "lastfm").mkdir(parents=True)
    shutil.copy(DATA_DIR / "lastfm" / "artists.csv.gz", data_dir / "lastfm" / "artists.csv.gz")
    table = "user_id,artist_id,plays\n" + "".join(f"{USER},{a},{n}\n" for a, n in rows.items())
    (data_dir / "lastfm" / "plays.csv.gz").write_bytes(gzip.compress(table.encode()))
    return data_dir


def test_imported_plays_weigh_what_training_gives_the_same_plays(tmp_path: Path) -> None:
    model = load_bundle(shipped_bundle("music-two-tower"), feature_schema=FEATURE_SCHEMA_VERSION)
    manifest = model.manifest
    assert manifest.aggregation_rules == {"music": MUSIC_AGGREGATION}
    embedder = FakeEmbedder()

    # The device: the export imported through the SDK into its store, read as a round reads it.
    client = PrivrecClient(tmp_path / "device", embedder=embedder)
    client.set_opt_in(Category.MUSIC, True)
    client.import_file("spotify", spotify_export(tmp_path / "StreamingHistory0.json"))
    client.wait_for_embedding()
    events = [stored.event for stored in client.store.events({Category.MUSIC})]
    client.close()
    assert len(events) == sum(PLAYS.values())
    device = extract_features(
        events,
        {Category.MUSIC},
        manifest.categories,
        catalog_index(model.catalog, manifest),
        embedder=embedder,
        now=max(event.time for event in events),
        aggregation=manifest.aggregation_rules,
    )

    # Training: the same plays as Last.fm's data holds them, one count per user and artist,
    # through the loader, the music task and its feature builder.
    per_artist: dict[str, int] = {}
    for (artist_id, _, _), count in PLAYS.items():
        per_artist[artist_id] = per_artist.get(artist_id, 0) + count
    data = load_lastfm(lastfm_plays(tmp_path / "data", per_artist))
    task = dataclasses.replace(load_task("lastfm"), catalog=data.catalog, train=data.plays)
    titles = TitleTable([data.catalog.titles[row] for row in data.plays.items], embedder)
    trained = FeatureBuilder(task, titles).row(task.events(USER), BOOKS_EVENT_TIME)
    trained_history = trained.toarray()[0, PROFILE_DIM:]

    assert device.history is not None
    np.testing.assert_allclose(device.history.to_dense(), trained_history, rtol=1e-4, atol=1e-6)
    rows = {model.catalog.item_ids[row]: row for row in data.plays.items.tolist()}
    assert trained_history[rows["154"]] == np.float32(1 + math.log(4))
    assert trained_history[rows["1098"]] == np.float32(1 + math.log(2))
    assert np.count_nonzero(trained_history) == 2

    # The profile block: training rows of the same titles with the same play counts.
    by_title = {track_title(artist, track): count for (_, artist, track), count in PLAYS.items()}
    catalog = Catalog(
        source="training-titles",
        item_ids=tuple(str(i) for i in range(len(by_title))),
        titles=tuple(by_title),
        categories=(Category.MUSIC,) * len(by_title),
        metadata=({},) * len(by_title),
    )
    plays = Interactions(
        users=np.full(len(by_title), USER, dtype=np.int64),
        items=np.arange(len(by_title), dtype=np.int64),
        weights=np.array(list(by_title.values()), dtype=np.float32),
    )
    titled = dataclasses.replace(task, catalog=catalog, train=plays)
    profile = FeatureBuilder(titled, TitleTable(list(by_title), embedder), history=False)
    trained_profile = profile.row(titled.events(USER), BOOKS_EVENT_TIME).toarray()[0]
    np.testing.assert_allclose(
        device.profiles[Category.MUSIC], trained_profile, rtol=1e-4, atol=1e-6
    )
