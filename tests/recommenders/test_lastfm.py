"""The music data: the Last.fm loader and its validation, the split's hygiene, the ListenBrainz
demo listens, artist matching of "Artist — Track" plays, and the shipped music bundles."""

from __future__ import annotations

import gzip
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import load_bundle
from recommenders.datasets import DatasetError, Interactions
from recommenders.embeddings import TextEmbedder
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
    track_title,
)
from recommenders.lastfm import (
    LASTFM_SOURCE,
    LINK_FIELD,
    LISTENBRAINZ_SOURCE,
    MUSIC_AGGREGATION,
    lastfm_task,
    listenbrainz_events,
    load_lastfm,
)
from recommenders.reference import shipped_bundle
from recommenders.tasks import load_task
from recommenders.tower import TowerRunner

ARTISTS = "artist_id,name,url,listeners\n"
PLAYS = "user_id,artist_id,plays\n"
GOOD_ARTISTS = (
    ARTISTS
    + "51,Duran Duran,https://www.last.fm/music/Duran+Duran,111\n"
    + "89,Lady Gaga,https://www.last.fm/music/Lady+Gaga,611\n"
)
GOOD_PLAYS = PLAYS + "2,51,13883\n2,89,1\n3,89,20\n"
MUSIC_MODELS = ("music-two-tower", "music-content")


def write_gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8")))


def lastfm_dir(tmp_path: Path, artists: str = GOOD_ARTISTS, plays: str = GOOD_PLAYS) -> Path:
    write_gz(tmp_path / "lastfm" / "artists.csv.gz", artists)
    write_gz(tmp_path / "lastfm" / "plays.csv.gz", plays)
    return tmp_path


def pairs(interactions: Interactions) -> set[tuple[int, int]]:
    return set(zip(interactions.users.tolist(), interactions.items.tolist(), strict=True))


def play(title: str, *, source: str = "spotify", external_id: str | None = None) -> ActivityEvent:
    return ActivityEvent(
        category=Category.MUSIC,
        source=source,
        title=title,
        external_id=external_id,
        time=datetime(2026, 5, 1, tzinfo=UTC),
    )


# --- The loader ----------------------------------------------------------------------------


def test_loader_reads_artists_links_listeners_and_play_counts(tmp_path: Path) -> None:
    data = load_lastfm(lastfm_dir(tmp_path))
    catalog = data.catalog
    assert catalog.source == LASTFM_SOURCE
    assert catalog.item_ids == ("51", "89")
    assert catalog.titles == ("Duran Duran", "Lady Gaga")
    assert set(catalog.categories) == {Category.MUSIC}
    assert dict(catalog.metadata[1]) == {
        LINK_FIELD: "https://www.last.fm/music/Lady+Gaga",
        "listeners": "611",
    }
    assert data.plays.users.tolist() == [2, 2, 3]
    assert data.plays.items.tolist() == [0, 1, 1]
    # The counts: the music task's aggregation damps them (1 + ln plays), as on the device.
    assert data.plays.weights.tolist() == [13883.0, 1.0, 20.0]
    assert lastfm_task().aggregation == MUSIC_AGGREGATION == "log-plays"
    assert data.plays.times is None


@pytest.mark.parametrize(
    ("artists", "plays", "message"),
    [
        pytest.param("artist_id,name\n51,Duran Duran\n", GOOD_PLAYS, "lacks the columns", id="col"),
        pytest.param(
            ARTISTS + "51,Duran Duran,http://www.last.fm/music/Duran+Duran,1\n",
            GOOD_PLAYS,
            "https link",
            id="http-link",
        ),
        pytest.param(
            ARTISTS + "51,Duran Duran,javascript:alert(1),1\n", GOOD_PLAYS, "https", id="js-link"
        ),
        pytest.param(ARTISTS + "51,  ,https://x.example/a,1\n", GOOD_PLAYS, "no name", id="name"),
        pytest.param(ARTISTS + "51,A,https://x.example/a,0\n", GOOD_PLAYS, "listener", id="0-l"),
        pytest.param(ARTISTS + "x,A,https://x.example/a,1\n", GOOD_PLAYS, "artist_id", id="id"),
        pytest.param(
            ARTISTS + "51,A,https://x.example/a,1\n51,B,https://x.example/b,1\n",
            PLAYS,
            "duplicate item ids",
            id="dup-artist",
        ),
        pytest.param(GOOD_ARTISTS, PLAYS + "2,77,5\n", "artist 77 not in artists", id="unknown"),
        pytest.param(GOOD_ARTISTS, PLAYS + "2,51,0\n", "must be positive", id="zero-plays"),
        pytest.param(GOOD_ARTISTS, PLAYS + "2,51,many\n", "'plays' is not all integers", id="nan"),
        pytest.param(GOOD_ARTISTS, PLAYS + "2,51,3\n2,51,4\n", "listed twice", id="dup-pair"),
    ],
)
def test_loader_refuses_malformed_files(
    tmp_path: Path, artists: str, plays: str, message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load_lastfm(lastfm_dir(tmp_path, artists, plays))


def test_loader_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"artists\.csv\.gz is missing"):
        load_lastfm(tmp_path)
    write_gz(tmp_path / "lastfm" / "artists.csv.gz", GOOD_ARTISTS)
    with pytest.raises(DatasetError, match=r"plays\.csv\.gz is missing"):
        load_lastfm(tmp_path)


def test_shipped_lastfm_data_loads_as_documented() -> None:
    data = load_lastfm()
    assert len(data.catalog) == 6_953
    assert len(data.plays) == 82_155
    assert np.unique(data.plays.users).size == 1_885  # 7 played only rarer artists
    listeners = np.bincount(data.plays.items, minlength=len(data.catalog))
    # The catalog keeps artists at least two users played; the plays file may have lost some
    # of an artist's listeners only if the catalog says so.
    assert listeners.min() >= 2
    assert [int(m["listeners"]) for m in data.catalog.metadata] == listeners.tolist()
    assert all(
        m[LINK_FIELD].startswith("https://www.last.fm/music/") for m in data.catalog.metadata
    )
    assert not data.plays.users.flags.writeable


# --- The split -----------------------------------------------------------------------------


def test_split_holds_out_artists_without_leaking_them() -> None:
    task = lastfm_task()
    train, test = task.split.train, task.split.test
    assert task.train is train
    assert not pairs(train) & pairs(test)  # a test artist is never in that user's training
    assert len(pairs(train) | pairs(test)) == len(load_lastfm().plays)
    assert 0.15 < len(test) / len(load_lastfm().plays) < 0.25
    # Validation is carved out of the training part the same way, never out of test.
    validation = task.validation
    assert validation is not None
    assert pairs(validation.train) | pairs(validation.test) == pairs(train)
    assert not pairs(validation.train) & pairs(validation.test)
    assert not pairs(validation.test) & pairs(test)
    assert 0.15 < len(validation.test) / len(train) < 0.25
    assert set(task.times) == set(task.split.test_users().tolist())


def test_split_is_seeded() -> None:
    first, again, other = lastfm_task(0), lastfm_task(0), lastfm_task(1)
    assert first.validation is not None and again.validation is not None
    assert pairs(first.split.test) == pairs(again.split.test)
    assert pairs(first.validation.test) == pairs(again.validation.test)
    assert pairs(first.split.test) != pairs(other.split.test)


def test_validation_task_never_shows_the_test_split() -> None:
    task = lastfm_task()
    tuning = task.validation_task()
    assert task.validation is not None
    assert tuning.train is task.validation.train and tuning.split is task.validation
    assert not pairs(tuning.train) & pairs(task.split.test)
    assert set(tuning.times) == set(task.validation.test_users().tolist())
    assert tuning.info == task.info
    # The benchmarks reach the same stage by name.
    stage = load_task("lastfm", validation=True)
    assert pairs(stage.train) == pairs(tuning.train) and stage.validation is None


# --- ListenBrainz --------------------------------------------------------------------------


def test_listenbrainz_listens_are_valid_music_events() -> None:
    events = listenbrainz_events()
    assert len(events) == 1_090
    assert {e.category for e in events} == {Category.MUSIC}
    assert {e.source for e in events} == {LISTENBRAINZ_SOURCE}
    assert all(e.weight == 1.0 and e.external_id is None for e in events)
    times = [e.time for e in events]
    assert times == sorted(times)
    assert (
        datetime(2026, 4, 1, tzinfo=UTC) < times[0] < times[-1] < datetime(2026, 9, 1, tzinfo=UTC)
    )
    # Titled like the app's own music imports.
    assert events[0].title == track_title("Molchat Doma", "Клетка")
    assert all(" — " in e.title for e in events)
    events.clear()  # a copy: the cached listens are not changed
    assert len(listenbrainz_events()) == 1_090


def listens_dir(tmp_path: Path, rows: Sequence[str]) -> Path:
    write_gz(
        tmp_path / "listenbrainz" / "listens.csv.gz",
        "listened_at_utc,artist,track,release\n" + "".join(f"{row}\n" for row in rows),
    )
    return tmp_path


def test_listenbrainz_file_is_validated(tmp_path: Path) -> None:
    good = listens_dir(
        tmp_path / "good", ["2026-05-02T10:00:00Z,B,Song 2,", "2026-05-01T10:00:00Z,A,Song,X"]
    )
    assert [e.title for e in listenbrainz_events(good)] == ["A — Song", "B — Song 2"]
    with pytest.raises(DatasetError, match="UTC"):
        listenbrainz_events(listens_dir(tmp_path / "zone", ["2026-05-01T10:00:00,A,Song,"]))
    with pytest.raises(DatasetError, match="line 2: title"):
        listenbrainz_events(listens_dir(tmp_path / "empty", ["2026-05-01T10:00:00Z,A, ,"]))
    with pytest.raises(DatasetError, match="missing"):
        listenbrainz_events(tmp_path / "nowhere")


# --- Matching plays to artists -------------------------------------------------------------


def test_artist_matching_finds_the_artist_of_a_track() -> None:
    task = lastfm_task()
    index = task.index()
    radiohead = task.catalog.titles.index("Radiohead")
    # A Spotify play and a Last.fm scrobble (whose id is a track MBID, not an artist id).
    assert index.match(play("Radiohead — Creep")) == [radiohead]
    mbid = "8f5d7a6d-0000-4000-8000-000000000000"
    assert index.match(play("Radiohead — Creep", source="lastfm", external_id=mbid)) == [radiohead]
    assert index.match(play("radiohead")) == [radiohead]  # a bare artist name, any case
    # Training events carry the catalog's own ids.
    own = play("anything", source=LASTFM_SOURCE, external_id=task.catalog.item_ids[radiohead])
    assert index.match(own) == [radiohead]
    assert index.match(play("Nobody In This Catalog — Creep")) == []


def test_the_demo_listener_matches_many_artists() -> None:
    index = lastfm_task().index()
    matched = [e for e in listenbrainz_events() if index.match(e)]
    assert len(matched) > 500  # Kanye West, Grup Yorum, Daft Punk, MF DOOM, ...


# --- The shipped bundles -------------------------------------------------------------------


@pytest.mark.parametrize("name", MUSIC_MODELS)
def test_shipped_music_bundles_declare_their_catalog(name: str) -> None:
    path = shipped_bundle(name)
    assert path.stat().st_size <= 5 * 1024 * 1024
    bundle = load_bundle(path, feature_schema=FEATURE_SCHEMA_VERSION)
    manifest, info = bundle.manifest, bundle.manifest.catalog
    assert manifest.categories == ("music",)
    assert manifest.policy == "new-and-again"  # people replay artists
    assert manifest.aggregation_rules == {"music": MUSIC_AGGREGATION}  # plays as trained
    assert manifest.relevance_floor is not None and math.isfinite(manifest.relevance_floor)
    assert info.source == LASTFM_SOURCE and info.match == "artist"
    assert info.description == "Artists on Last.fm" and info.period == "up to 2011"
    assert info.non_commercial and "NON-COMMERCIAL" in info.licence
    assert "Cantador" in info.attribution and info.licence_url.startswith("https://")
    assert "NON-COMMERCIAL" in manifest.description
    assert info.link_field == LINK_FIELD
    assert [field.field for field in info.display] == ["listeners"]
    catalog = load_lastfm().catalog
    assert bundle.catalog.item_ids == catalog.item_ids
    assert bundle.catalog.titles == catalog.titles
    assert bundle.catalog.metadata_value(0, LINK_FIELD) == catalog.metadata[0][LINK_FIELD]
    # The device's index of the shipped catalog finds the artist of a played track.
    index = catalog_index(bundle.catalog, manifest)
    assert index.match(play(track_title("Daft Punk", "Steam Machine"))) == [
        catalog.titles.index("Daft Punk")
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", MUSIC_MODELS)
def test_the_demo_listener_gets_a_list_above_the_floor(
    name: str, real_embedder: TextEmbedder
) -> None:
    # Real "Artist — Track" plays, run as the device runs them, pass the floor that the
    # validation users set; a list of artists they never played is there to show.
    bundle = load_bundle(shipped_bundle(name), feature_schema=FEATURE_SCHEMA_VERSION)
    manifest = bundle.manifest
    events = listenbrainz_events()
    index = catalog_index(bundle.catalog, manifest)
    features = extract_features(
        events,
        {Category.MUSIC},
        manifest.categories,
        index if any(b.kind == "catalog_history" for b in manifest.inputs) else None,
        embedder=real_embedder,
        now=events[-1].time,
        aggregation=manifest.aggregation_rules,
    )
    user = TowerRunner(manifest, bundle.tower)(tower_inputs(manifest.inputs, features))
    scores = bundle.items.astype(np.float64) @ user.astype(np.float64)
    assert manifest.relevance_floor is not None
    assert scores.max() >= manifest.relevance_floor
    played = {row for event in events for row in index.match(event)}
    new = [int(row) for row in np.argsort(-scores) if int(row) not in played][:20]
    assert len(new) == 20 and scores[new[0]] >= manifest.relevance_floor
