"""The OpenStreetMap places: the loader refuses bad rows; the places-nearby tower computes the
mean squared distance it claims, in plaintext and encrypted; the SAMPLE week and a Takeout
export of it match real catalog places."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from client_app.importers.places import parse_google_takeout
from crypto import EvaluationKeys, SecretKeys, TableScorer, decrypt_scores, encrypt_query
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import Bundle, load_bundle
from recommenders.datasets import Catalog, DatasetError
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    CatalogIndex,
    catalog_history,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.places import (
    HELSINKI_CENTRE,
    OSM_SOURCE,
    PLACE_COLUMNS,
    PLACES_FILE,
    SAMPLE_PLACES_SOURCE,
    SAMPLE_WEEK,
    Places,
    kind_in_words,
    load_places,
    local_km,
    sample_places_events,
)
from recommenders.places_model import (
    RELEVANCE_FLOOR,
    history_rows,
    item_table,
    nearby_parameters,
    nearby_tower,
    places_nearby_model,
)
from recommenders.reference import shipped_bundle
from recommenders.tower import TowerRunner
from tests.client_app.import_fixtures import PlaceVisit, write_takeout_semantic
from tests.recommenders.conftest import NOW, FakeEmbedder

GOOD_ROW = ("node/60068035", "Cafe Java", "amenity=cafe", "60.169967", "24.937518")
KINDS = ("amenity=cafe", "amenity=restaurant", "shop=books", "amenity=pub", "tourism=museum")


def write_places(directory: Path, rows: Sequence[Sequence[str]]) -> Path:
    path = directory / PLACES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows([PLACE_COLUMNS, *rows])
    path.write_bytes(gzip.compress(text.getvalue().encode()))
    return directory


def small_places(n: int, seed: int = 0) -> Places:
    """``n`` places scattered over about 2 km around Helsinki's centre, five kinds."""
    rng = np.random.default_rng(seed)
    latitudes = HELSINKI_CENTRE[0] + rng.uniform(-0.009, 0.009, n)
    longitudes = HELSINKI_CENTRE[1] + rng.uniform(-0.018, 0.018, n)
    tags = tuple(KINDS[i % len(KINDS)] for i in range(n))
    catalog = Catalog(
        source=OSM_SOURCE,
        item_ids=tuple(f"node/{1000 + i}" for i in range(n)),
        titles=tuple(f"Place {i}" for i in range(n)),
        categories=(Category.PLACES,) * n,
        metadata=tuple(
            {"kind": kind_in_words(tag), "url": f"https://www.openstreetmap.org/node/{1000 + i}"}
            for i, tag in enumerate(tags)
        ),
    )
    return Places(catalog=catalog, tags=tags, latitudes=latitudes, longitudes=longitudes)


def visits(places: Places, rows: Sequence[int], days_ago: Sequence[float]) -> list[ActivityEvent]:
    return [
        ActivityEvent(
            Category.PLACES,
            OSM_SOURCE,
            places.catalog.titles[row],
            places.catalog.item_ids[row],
            NOW - timedelta(days=days),
        )
        for row, days in zip(rows, days_ago, strict=True)
    ]


def saved_model(places: Places, tmp_path: Path) -> Bundle:
    built = places_nearby_model("places-nearby", embedder=FakeEmbedder(), places=places)
    return load_bundle(built.save(tmp_path / "bundle"), feature_schema=FEATURE_SCHEMA_VERSION)


def user_vector(model: Bundle, events: Sequence[ActivityEvent]) -> NDArray[np.float32]:
    """The query vector exactly as the device computes it."""
    index = catalog_index(model.catalog, model.manifest)
    features = extract_features(
        events, {"places"}, ["places"], index, embedder=FakeEmbedder(), now=NOW
    )
    return TowerRunner(model.manifest, model.tower)(tower_inputs(model.manifest.inputs, features))


# --- The loader ----------------------------------------------------------------------------


def test_the_shipped_places_load_with_links_and_kinds() -> None:
    places = load_places()
    assert len(places) == 1174
    assert places.catalog.source == OSM_SOURCE
    java = places.catalog.item_ids.index("node/60068035")
    assert places.catalog.titles[java] == "Cafe Java"
    assert dict(places.catalog.metadata[java]) == {
        "kind": "cafe",
        "osm_tag": "amenity=cafe",
        "url": "https://www.openstreetmap.org/node/60068035",
        "lat": "60.169967",
        "lon": "24.937518",
    }
    # Central Helsinki: every place within 2 km of the centre.
    assert np.linalg.norm(places.coordinates(), axis=1).max() < 2.0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("node/1", "Far north", "amenity=cafe", "90.5", "24.9"), r"line 3: lat 90.5 is outside"),
        (("node/1", "Far east", "amenity=cafe", "60.1", "181"), r"line 3: lon 181 is outside"),
        (("node/1", "Nowhere", "amenity=cafe", "north", "24.9"), r"lat 'north' is not a number"),
        (("node/1", "Infinite", "amenity=cafe", "inf", "24.9"), r"lat inf is outside"),
        (("node/1", "  ", "amenity=cafe", "60.1", "24.9"), r"line 3: place node/1 has no name"),
        (("12345", "No kind of id", "amenity=cafe", "60.1", "24.9"), r"osm_id '12345' is not"),
        (("node/1", "No tag", "cafe", "60.1", "24.9"), r"category 'cafe' is not an OSM tag"),
    ],
)
def test_the_loader_refuses_a_bad_row_and_says_where(
    tmp_path: Path, row: tuple[str, ...], message: str
) -> None:
    with pytest.raises(DatasetError, match=message):
        load_places(write_places(tmp_path, [GOOD_ROW, row]))


def test_the_loader_refuses_missing_columns_and_duplicate_places(tmp_path: Path) -> None:
    path = write_places(tmp_path / "duplicates", [GOOD_ROW, GOOD_ROW])
    with pytest.raises(DatasetError, match="duplicate item ids"):
        load_places(path)
    path = tmp_path / "columns" / PLACES_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(b"osm_id,name,lat,lon\nnode/1,A,60.1,24.9\n"))
    with pytest.raises(DatasetError, match=r"lacks the columns \['category'\]"):
        load_places(tmp_path / "columns")


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("amenity=fast_food", "fast food"),
        ("shop=clothes", "clothes shop"),
        ("shop=hairdresser", "hairdresser"),
        ("shop=yes", "shop"),
        ("amenity=atm", "ATM"),
        ("amenity=nightclub;restaurant", "nightclub, restaurant"),
        ("shop=deli;", "deli"),
    ],
)
def test_a_tag_reads_as_a_kind_of_place(tag: str, words: str) -> None:
    assert kind_in_words(tag) == words


def test_local_coordinates_are_kilometres_from_the_centre() -> None:
    lat0, lon0 = HELSINKI_CENTRE
    # 0.01 degrees of latitude is 1.112 km anywhere; of longitude, cos(60.17 deg) as much.
    east, north = local_km(np.array([lat0 + 0.01]), np.array([lon0 + 0.01]))[0]
    assert north == pytest.approx(1.1120, abs=1e-4)
    assert east == pytest.approx(1.1120 * np.cos(np.radians(lat0)), abs=1e-4)


# --- The model -----------------------------------------------------------------------------


def test_distance_only_scores_are_minus_the_squared_distance_to_the_visits_centroid() -> None:
    places = small_places(60)
    coordinates = places.coordinates()
    content = np.zeros((60, 4))
    offset = 10.0
    layers, weights = nearby_tower(history_rows(coordinates, content, 0.0, offset))
    rng = np.random.default_rng(1)
    history = np.zeros(60, dtype=np.float32)
    history[[3, 17, 41]] = rng.uniform(0.2, 3.0, 3)
    # The tower's layers: Linear, l2norm, Linear (run here in numpy, as the math states them).
    hidden = weights["layers.0.weight"].astype(np.float64) @ history
    user = weights["layers.2.weight"].astype(np.float64) @ (hidden / np.linalg.norm(hidden))
    scores = item_table(coordinates, content) @ user

    total = history.sum()
    centroid = (history[:, None] * coordinates).sum(axis=0) / total
    to_centroid = ((coordinates - centroid) ** 2).sum(axis=1)
    spread = (history * ((coordinates - centroid) ** 2).sum(axis=1)).sum() / total
    # sum_i h_i |c_i - y|^2 / H = |c̄ - y|^2 + spread: exactly -H |c̄ - y|^2 + const, over H.
    np.testing.assert_allclose(scores, offset - spread - to_centroid, rtol=0, atol=1e-5)
    assert np.array_equal(np.argsort(-scores), np.argsort(to_centroid))
    assert [layer.__class__.__name__ for layer in layers] == ["Linear", "Activation", "Linear"]


def test_scores_are_the_mean_over_visits_of_closeness_and_likeness(tmp_path: Path) -> None:
    places = small_places(50)
    model = saved_model(places, tmp_path)
    parameters = nearby_parameters(places, FakeEmbedder())
    rows, days = [2, 2, 9, 30], [1.0, 40.0, 3.0, 200.0]
    user = user_vector(model, visits(places, rows, days))
    scores = model.items.astype(np.float64) @ user

    history = np.zeros(50)
    for row, age in zip(rows, days, strict=True):
        history[row] += 0.5 ** (age / 90.0)
    squared = ((parameters.coordinates[:, None] - parameters.coordinates[None]) ** 2).sum(-1)
    alike = parameters.content @ parameters.content.T
    direct = history @ (parameters.offset - squared + parameters.weight * alike) / history.sum()
    np.testing.assert_allclose(scores, direct, rtol=2e-5)


def test_a_single_visit_ranks_places_by_distance_from_it() -> None:
    places = small_places(40)
    coordinates = places.coordinates()
    content = np.zeros((40, 4))
    _, weights = nearby_tower(history_rows(coordinates, content, 0.0, 10.0))
    visited = 7
    hidden = weights["layers.0.weight"][:, visited].astype(np.float64)
    user = weights["layers.2.weight"].astype(np.float64) @ (hidden / np.linalg.norm(hidden))
    order = np.argsort(-(item_table(coordinates, content) @ user))
    distances = np.linalg.norm(coordinates - coordinates[visited], axis=1)
    assert order[0] == visited
    assert order[1] == np.argsort(distances)[1]  # the nearest other place comes next


def test_a_user_with_no_catalog_place_falls_under_the_floor(tmp_path: Path) -> None:
    places = small_places(30)
    model = saved_model(places, tmp_path)
    elsewhere = [
        ActivityEvent(Category.PLACES, "google-maps", "Tampere Cathedral", "ChIJx", NOW),
        ActivityEvent(Category.PLACES, "google-maps", "Home", None, NOW - timedelta(days=2)),
    ]
    assert np.all(model.items.astype(np.float64) @ user_vector(model, elsewhere) == 0.0)
    # One visit a year ago still counts in full: the score is a mean over visits, not a sum.
    once = visits(places, [4], [365.0])
    best = float((model.items.astype(np.float64) @ user_vector(model, once)).max())
    assert best >= 1.0 > RELEVANCE_FLOOR


def test_encrypted_scores_rank_like_plaintext(tmp_path: Path) -> None:
    places = small_places(80)
    model = saved_model(places, tmp_path)
    user = user_vector(model, visits(places, [5, 12, 12, 60], [0.5, 2.0, 9.0, 30.0]))
    plain = model.items.astype(np.float64) @ user
    keys = SecretKeys.generate()
    query = encrypt_query(keys, user)
    with TableScorer(model.items) as scorer:
        response = scorer.score(query.wire, EvaluationKeys.from_bytes(keys.evaluation_keys()))
    encrypted = decrypt_scores(keys, response, query)
    # Twice the engine's measured worst case (docs/crypto.md: 5e-5 for unit vectors).
    bound = 1e-4 * float(np.linalg.norm(user)) * float(np.linalg.norm(model.items, axis=1).max())
    assert np.abs(encrypted - plain).max() < bound
    # Wherever plaintext tells two places apart by more than the error, so does encryption.
    clear = (plain[:, None] - plain[None, :]) > 2 * bound
    assert clear.sum() > 0.9 * clear.size / 2
    assert np.all((encrypted[:, None] - encrypted[None, :])[clear] > 0)
    assert np.argmax(encrypted) == np.argmax(plain)


def test_the_bundle_declares_its_catalog_policy_floor_and_inputs(tmp_path: Path) -> None:
    places = small_places(20)
    model = saved_model(places, tmp_path)
    manifest = model.manifest
    assert manifest.categories == ("places",)
    assert [block.kind for block in manifest.inputs] == ["catalog_history"]
    # [y, |y|^2, 1] and the content directions: 20 places span at most 20 of them.
    assert manifest.dim == 4 + 20
    assert manifest.policy == "new-and-again"
    assert manifest.relevance_floor == RELEVANCE_FLOOR
    info = manifest.catalog
    assert (info.source, info.match, info.link_field) == (OSM_SOURCE, "title", "url")
    assert info.region == "Helsinki, Finland"
    assert (info.licence, info.attribution) == ("ODbL 1.0", "© OpenStreetMap contributors")
    assert info.licence_url.startswith("https://opendatacommons.org/")
    assert [field.field for field in info.display] == ["kind"]
    assert not info.non_commercial
    assert model.catalog[3].metadata["url"] == "https://www.openstreetmap.org/node/1003"
    # The device's index matches by OSM id from "osm", else by the place's name.
    index = catalog_index(model.catalog, manifest)
    by_name = ActivityEvent(Category.PLACES, "google-maps", "place 3", "ChIJ3", NOW)
    assert index.match(by_name) == [3]
    assert index.match(visits(places, [5], [0.0])[0]) == [5]


def test_the_shipped_bundle_lists_places_near_the_sample_week() -> None:
    model = load_bundle(shipped_bundle("places-nearby"), feature_schema=FEATURE_SCHEMA_VERSION)
    assert model.manifest.items == len(load_places()) == 1174
    assert model.manifest.catalog.description == (
        "Named places in central Helsinki from OpenStreetMap"
    )
    week = sample_places_events(NOW)
    scores = model.items.astype(np.float64) @ user_vector(model, week)
    index = catalog_index(model.catalog, model.manifest)
    visited = {row for event in week for row in index.match(event)}
    new = [int(row) for row in np.argsort(-scores) if int(row) not in visited][:10]
    assert scores[new[0]] > RELEVANCE_FLOOR
    # The week is spent around the university (the visits' centroid): so is the list.
    coordinates = load_places().coordinates()
    centroid = coordinates[sorted(visited)].mean(axis=0)
    assert np.linalg.norm(coordinates[new] - centroid, axis=1).max() < 0.5


def test_a_catalog_of_identical_places_is_refused() -> None:
    places = small_places(3)
    clones = Places(
        catalog=Catalog(
            source=OSM_SOURCE,
            item_ids=places.catalog.item_ids,
            titles=("Same",) * 3,
            categories=places.catalog.categories,
            metadata=({"kind": "cafe"},) * 3,
        ),
        tags=("amenity=cafe",) * 3,
        latitudes=places.latitudes,
        longitudes=places.longitudes,
    )
    with pytest.raises(ValueError, match="names and kinds differ"):
        places_nearby_model("places-nearby", embedder=FakeEmbedder(), places=clones)


# --- The SAMPLE week -----------------------------------------------------------------------


def test_the_sample_week_visits_real_catalog_places_before_now() -> None:
    now = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    events = sample_places_events(now)
    assert len(events) == len(SAMPLE_WEEK)
    assert all(e.source == SAMPLE_PLACES_SOURCE and e.category is Category.PLACES for e in events)
    assert all(now - timedelta(days=8) <= e.time < now for e in events)
    places = load_places()
    history = catalog_history(events, CatalogIndex(places.catalog, OSM_SOURCE), now)
    matched = {places.catalog.titles[row] for row in history.indices.tolist()}
    assert {e.title for e in events} - matched == {"Home", "Kallion kirjasto"}
    assert len(matched) == 14  # one catalog place per name: the sample names are unique


def test_a_takeout_export_of_the_sample_week_matches_the_same_places(tmp_path: Path) -> None:
    now = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    sample = sample_places_events(now)
    path = write_takeout_semantic(
        tmp_path / "2026_FEBRUARY.json",
        [
            PlaceVisit(e.title, "Helsinki, Finland", f"ChIJ{i:022d}", e.time)
            for i, e in enumerate(sample)
        ],
    )
    imported = parse_google_takeout(path).events
    index = CatalogIndex(load_places().catalog, OSM_SOURCE)
    assert [index.match(e) for e in imported] == [index.match(e) for e in sample]
