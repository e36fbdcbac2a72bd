"""A model's declared input blocks are filled from computed features, in its own names."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from recommenders.activity import Category
from recommenders.bundle import InputBlock
from recommenders.features import PROFILE_DIM, CatalogIndex, extract_features, tower_inputs
from tests.factories import bundle_parts
from tests.recommenders.conftest import EventFactory, FakeEmbedder

PROFILE = InputBlock(
    name="profile:books", kind="category_profile", size=PROFILE_DIM, category="books"
)


def test_blocks_are_filled_by_name(
    fake_embedder: FakeEmbedder, make_event: EventFactory, now: datetime
) -> None:
    parts = bundle_parts(n=5, history=True, source="test-shop")
    index = CatalogIndex(parts.catalog, "test-shop")
    events = [make_event("Item number 2", external_id="item-2"), make_event("Unknown book")]
    features = extract_features(
        events, {"books"}, ["books"], index, embedder=fake_embedder, now=now
    )
    history = InputBlock(name="history", kind="catalog_history", size=5)
    inputs = tower_inputs([PROFILE, history], features)
    assert list(inputs) == ["profile:books", "history"]
    np.testing.assert_array_equal(inputs["profile:books"], features.profiles[Category.BOOKS])
    assert inputs["history"].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_missing_or_mismatched_blocks_are_refused(
    fake_embedder: FakeEmbedder, make_event: EventFactory, now: datetime
) -> None:
    features = extract_features(
        [make_event()], {"books"}, ["books"], embedder=fake_embedder, now=now
    )
    with pytest.raises(ValueError, match="no catalog history"):
        tower_inputs([InputBlock(name="history", kind="catalog_history", size=3)], features)
    music = InputBlock(
        name="profile:music", kind="category_profile", size=PROFILE_DIM, category="music"
    )
    with pytest.raises(ValueError, match="no music profile"):
        tower_inputs([music], features)
    wrong_size = InputBlock(name="p", kind="category_profile", size=3, category="books")
    with pytest.raises(ValueError, match="not 3"):
        tower_inputs([wrong_size], features)


def test_an_optional_profile_left_out_is_zero_and_a_required_one_is_refused(
    fake_embedder: FakeEmbedder, make_event: EventFactory, now: datetime
) -> None:
    features = extract_features(
        [make_event("Dune"), make_event("A song", category=Category.MUSIC)],
        {"books"},
        ["books", "music"],
        embedder=fake_embedder,
        now=now,
        optional=["music"],
    )
    music = InputBlock(
        name="profile:music",
        kind="category_profile",
        size=PROFILE_DIM,
        category="music",
        optional=True,
    )
    inputs = tower_inputs([PROFILE, music], features)
    np.testing.assert_array_equal(inputs["profile:music"], np.zeros(PROFILE_DIM, np.float32))
    assert inputs["profile:books"].any()
    required_music = InputBlock(
        name="profile:music", kind="category_profile", size=PROFILE_DIM, category="music"
    )
    with pytest.raises(ValueError, match="no music profile"):
        tower_inputs([PROFILE, required_music], features)
