"""Places quality without check-in data (none is openly licensed, so no Recall): on SAMPLE
profiles, how near to and how alike the visited places places-nearby's top 10 is, against
category popularity and random, and how the encrypted ranking agrees with the plaintext one.

The profiles are generated with the two properties the model looks for (visits cluster around
a home base and fall in a few kinds of place), so the figures show that the model recovers
them and how its content weight trades one for the other, not that people like the places.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.quality import encrypted_scores
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import load_bundle
from recommenders.embeddings import Embedder
from recommenders.evaluation import paired_difference
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.places import OSM_SOURCE, Places, load_places, sample_places_events
from recommenders.places_model import NearbyParameters, nearby_parameters, squared_distances
from recommenders.reference import build_reference_model
from recommenders.tower import TowerRunner

TOP = 10
PROFILES = 100
VISITS = 12
HOME_RADIUS_KM = 0.3  # visits thin out as exp(-distance from the home base / this)
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
WEIGHT_FACTORS = (0.0, 0.5, 2.0)  # x 1 is the shipped model
COLUMNS = (
    "method",
    "median_distance_m",
    "distance_vs_model_m",
    "category_agreement",
    "agreement_vs_model",
    "top10_overlap_encrypted",
    "max_abs_score_error",
    "profiles",
)

FloatArray = NDArray[np.float64]
# (history weights over the catalog) -> a score per place
Scorer = Callable[[FloatArray], FloatArray]


def sample_profiles(places: Places, count: int, rng: np.random.Generator) -> list[list[int]]:
    """SAMPLE users as lists of visited catalog rows: a random home base, two kinds of place
    drawn by how common they are, and visits to places of those kinds near the base."""
    coordinates = places.coordinates()
    tags = np.asarray(places.tags)
    kinds, counts = np.unique(tags, return_counts=True)
    common = counts >= 3  # a kind with fewer places cannot make a cluster of visits
    profiles = []
    for _ in range(count):
        base = coordinates[rng.integers(len(places))]
        chosen = rng.choice(
            kinds[common], 2, replace=False, p=counts[common] / counts[common].sum()
        )
        candidates = np.flatnonzero(np.isin(tags, chosen))
        distance = np.linalg.norm(coordinates[candidates] - base, axis=1)
        chance = np.exp(-distance / HOME_RADIUS_KM)
        profiles.append(rng.choice(candidates, VISITS, p=chance / chance.sum()).tolist())
    return profiles


def profile_events(
    places: Places, rows: Sequence[int], rng: np.random.Generator
) -> list[ActivityEvent]:
    """The visits as the device would hold them, spread over the four weeks before NOW."""
    return [
        ActivityEvent(
            Category.PLACES,
            OSM_SOURCE,
            places.catalog.titles[row],
            places.catalog.item_ids[row],
            NOW - timedelta(days=float(rng.uniform(0.0, 28.0))),
        )
        for row in rows
    ]


def top_new(scores: FloatArray, visited: set[int], rng: np.random.Generator) -> list[int]:
    """The best TOP places not visited (the app shows visited ones apart); random tie-break."""
    order = np.lexsort((rng.random(scores.size), -scores))
    return [int(row) for row in order if int(row) not in visited][:TOP]


def list_measures(
    top: Sequence[int], visited: set[int], places: Places, squared: FloatArray
) -> tuple[float, float]:
    """(median distance in m from each listed place to its nearest visited place, share of
    listed places of a kind the user visited)."""
    near = np.sqrt(squared[np.ix_(list(top), sorted(visited))].min(axis=1))
    visited_tags = {places.tags[row] for row in visited}
    agree = np.mean([places.tags[row] in visited_tags for row in top])
    return float(np.median(near) * 1000.0), float(agree)


def paired_interval(values: FloatArray, reference: FloatArray) -> str:
    """Mean of per-profile differences ``values - reference`` with its paired 95% bootstrap
    interval (evaluation.paired_difference, seeded)."""
    difference = paired_difference(values, reference, np.random.default_rng(0))
    mean, low, high = difference.mean, difference.low, difference.high
    return f"{mean:+.3g} [{low:+.3g}, {high:+.3g}]"


def model_scorer(parameters: NearbyParameters, factor: float) -> Scorer:
    """places-nearby's score with its content weight multiplied by ``factor`` (plain numpy)."""
    squared = squared_distances(parameters.coordinates, parameters.coordinates)
    alike = parameters.content @ parameters.content.T
    weight = parameters.weight * factor
    return lambda history: history @ (weight * alike - squared) / history.sum()


def likeness_scorer(parameters: NearbyParameters) -> Scorer:
    """The content term alone: how alike a place's name and kind are to the visited ones."""
    alike = parameters.content @ parameters.content.T
    return lambda history: history @ alike / history.sum()


def category_scorer(places: Places) -> Scorer:
    """Category popularity: a place scores the user's visits to places of its kind."""
    tags = np.asarray(places.tags)
    same_kind = (tags[:, None] == tags[None, :]).astype(np.float64)
    return lambda history: same_kind @ (history > 0).astype(np.float64)


def places_rows(embedder: Embedder, workdir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of the places table, and the demo's SAMPLE week's top 10 as text."""
    places = load_places()
    print("... places-nearby", file=sys.stderr, flush=True)
    built = build_reference_model("places-nearby", embedder=embedder)
    bundle = load_bundle(
        built.save(workdir / "places-nearby"), feature_schema=FEATURE_SCHEMA_VERSION
    )
    manifest = bundle.manifest
    runner = TowerRunner(manifest, bundle.tower)
    index = catalog_index(bundle.catalog, manifest)
    parameters = nearby_parameters(places, embedder)
    squared = squared_distances(parameters.coordinates, parameters.coordinates)
    rng = np.random.default_rng(0)
    profiles = sample_profiles(places, PROFILES, rng)

    histories, vectors = [], []
    for rows in profiles:
        features = extract_features(
            profile_events(places, rows, rng),
            {"places"},
            ["places"],
            index,
            embedder=embedder,
            now=NOW,
        )
        assert features.history is not None
        histories.append(features.history.to_dense().astype(np.float64))
        vectors.append(runner(tower_inputs(manifest.inputs, features)))
    user_vectors = np.asarray(vectors, dtype=np.float64)
    plain = user_vectors @ bundle.items.astype(np.float64).T
    encrypted = encrypted_scores(bundle.items, user_vectors)

    scorers: dict[str, Scorer] = {
        f"places-nearby, content weight x {factor:g}": model_scorer(parameters, factor)
        for factor in WEIGHT_FACTORS
    }
    scorers["likeness only (no distance)"] = likeness_scorer(parameters)
    scorers["category popularity"] = category_scorer(places)
    scorers["random"] = lambda history: np.zeros(history.size)
    all_scores = {
        "places-nearby (device tower)": plain,
        **{name: np.array([score(h) for h in histories]) for name, score in scorers.items()},
    }
    measured: dict[str, FloatArray] = {}  # method -> (profiles, 2): distance, agreement
    for name, scores in all_scores.items():
        measured[name] = np.array(
            [
                list_measures(top_new(scores[user], set(rows), rng), set(rows), places, squared)
                for user, rows in enumerate(profiles)
            ]
        )
    reference = measured["places-nearby (device tower)"]
    table = [
        {
            "method": name,
            "median_distance_m": float(np.median(values[:, 0])),
            "distance_vs_model_m": paired_interval(values[:, 0], reference[:, 0]),
            "category_agreement": float(np.mean(values[:, 1])),
            "agreement_vs_model": paired_interval(values[:, 1], reference[:, 1]),
            "profiles": len(profiles),
        }
        for name, values in measured.items()
    ]
    overlaps = [
        len(set(np.argsort(-p)[:TOP].tolist()) & set(np.argsort(-e)[:TOP].tolist())) / TOP
        for p, e in zip(plain, encrypted, strict=True)
    ]
    table[0]["top10_overlap_encrypted"] = float(np.mean(overlaps))
    table[0]["max_abs_score_error"] = float(np.abs(encrypted - plain).max())

    week = sample_places_events(NOW)
    features = extract_features(week, {"places"}, ["places"], index, embedder=embedder, now=NOW)
    assert features.history is not None
    scores = bundle.items.astype(np.float64) @ runner(tower_inputs(manifest.inputs, features))
    visited = set(features.history.indices.tolist())
    lines = [
        f"{bundle.catalog.titles[row]} ({bundle.catalog[row].metadata['kind']}, "
        f"{1000 * np.sqrt(squared[row, sorted(visited)].min()):.0f} m from a visited place)"
        for row in top_new(scores, visited, rng)
    ]
    return table, lines
