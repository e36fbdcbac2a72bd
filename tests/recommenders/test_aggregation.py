"""Aggregation rules: how a manifest declares, per category, how a device combines events
(validated like every manifest field), and what each rule computes."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from datetime import timedelta

import numpy as np
import pytest

from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import (
    AGGREGATIONS,
    DEFAULT_AGGREGATION,
    Catalog,
    CatalogItem,
    InvalidBundle,
    Manifest,
    parse_manifest,
)
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    CatalogIndex,
    aggregate,
    catalog_history,
    category_profile,
)
from tests.factories import bundle_parts
from tests.recommenders.conftest import NOW, FakeEmbedder

ARTISTS = Catalog.from_items(
    CatalogItem(item_id=str(i), title=name, category="music", metadata={})
    for i, name in enumerate(("Radiohead", "Björk"))
)


def play(title: str, *, minutes_ago: float = 0.0, weight: float = 1.0) -> ActivityEvent:
    return ActivityEvent(
        category=Category.MUSIC,
        source="spotify",
        title=title,
        external_id=None,
        time=NOW - timedelta(minutes=minutes_ago),
        weight=weight,
    )


def music_manifest_json(**extra: object) -> dict[str, object]:
    manifest = bundle_parts(categories=("music",), source="lastfm-hetrec").manifest
    return {**manifest.to_json(), **extra}


def parsed(raw: dict[str, object]) -> Manifest:
    """The manifest as a device reads it."""
    return parse_manifest(json.dumps(raw).encode(), feature_schema=FEATURE_SCHEMA_VERSION)


# --- The manifest field ---------------------------------------------------------------------


def test_a_manifest_without_the_field_sums_every_category_and_writes_nothing() -> None:
    manifest = parsed(music_manifest_json())
    assert manifest.aggregation == ()
    assert manifest.aggregation_rules == {"music": DEFAULT_AGGREGATION} == {"music": "sum"}
    assert b"aggregation" not in manifest.to_bytes()


def test_a_declared_rule_round_trips() -> None:
    manifest = parsed(music_manifest_json(aggregation={"music": "log-plays"}))
    assert manifest.aggregation == (("music", "log-plays"),)
    assert manifest.aggregation_rules == {"music": "log-plays"}
    again = parse_manifest(manifest.to_bytes(), feature_schema=FEATURE_SCHEMA_VERSION)
    assert again == manifest


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"music": "log"}, "aggregation.music: 'log' is not one of ['sum', 'log-plays']"),
        ({"music": 5}, "aggregation.music: expected a string"),
        ({"books": "log-plays"}, "'books' is not one of the model's categories ['music']"),
        (["music", "log-plays"], "aggregation: expected an object, got an array"),
    ],
)
def test_a_bad_rule_is_refused_at_validation(value: object, message: str) -> None:
    with pytest.raises(InvalidBundle, match=re.escape(message)):
        parsed(music_manifest_json(aggregation=value))


# --- What the rules compute -----------------------------------------------------------------


def test_log_plays_is_one_plus_ln_from_one_play_and_the_sum_below() -> None:
    assert AGGREGATIONS == ("sum", "log-plays")
    assert aggregate(7.5, "sum") == 7.5
    assert aggregate(10_000.0, "log-plays") == pytest.approx(1 + math.log(10_000))
    assert aggregate(1.0, "log-plays") == 1.0
    assert aggregate(0.25, "log-plays") == 0.25  # a partial (or old) play keeps its weight
    with pytest.raises(ValueError, match="unknown aggregation 'max'"):
        aggregate(1.0, "max")


def test_catalog_history_applies_the_rule_to_each_items_summed_plays() -> None:
    index = CatalogIndex(ARTISTS, "lastfm-hetrec", match="artist")
    plays = [play("Radiohead — Creep")] * 4 + [play("Björk — Jóga", weight=0.5)] * 2
    summed = catalog_history(plays, index, NOW)
    logged = catalog_history(plays, index, NOW, {"music": "log-plays"})
    assert summed.to_dense().tolist() == [4.0, 1.0]  # the old behaviour, unchanged
    np.testing.assert_allclose(logged.to_dense(), [1 + math.log(4), 1.0], rtol=1e-6)
    # Another category's rule does not touch music.
    assert catalog_history(plays, index, NOW, {"books": "log-plays"}).to_dense().tolist() == [
        4.0,
        1.0,
    ]


def test_under_log_plays_a_profile_weighs_each_title_once_by_its_plays() -> None:
    embedder = FakeEmbedder()
    plays = [play("Radiohead — Creep")] * 9 + [play("Björk — Jóga")]
    vectors = embedder.embed([p.title for p in plays])
    logged = category_profile(plays, vectors, NOW, aggregation="log-plays")
    # The same plays as training rows: one per title, weighing 1 + ln(plays).
    rows = [dataclasses.replace(plays[0], weight=9.0), dataclasses.replace(plays[-1], weight=1.0)]
    as_rows = category_profile(
        rows, embedder.embed([r.title for r in rows]), NOW, aggregation="log-plays"
    )
    creep, joga = (embedder.vector(p.title).astype(np.float64) for p in rows)
    mean = (1 + math.log(9)) * creep + joga
    np.testing.assert_allclose(logged[:EMBEDDING_DIM], mean / np.linalg.norm(mean), atol=1e-6)
    assert logged[EMBEDDING_DIM] == pytest.approx(math.log1p(2))  # two titles, not ten plays
    np.testing.assert_allclose(logged[:EMBEDDING_DIM], as_rows[:EMBEDDING_DIM], atol=1e-6)
    summed = category_profile(plays, vectors, NOW)  # the old behaviour: each play counts
    assert summed[EMBEDDING_DIM] == pytest.approx(math.log1p(10))
    assert not np.allclose(summed[:EMBEDDING_DIM], logged[:EMBEDDING_DIM], atol=1e-3)
