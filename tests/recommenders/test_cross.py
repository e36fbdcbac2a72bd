"""cross-books on a small constructed catalog: every category optional, profiles of other
categories projected like the books profile, popularity below the relevance floor."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from recommenders.activity import ActivityEvent, Category
from recommenders.built_model import BuiltModel
from recommenders.bundle import load_bundle
from recommenders.cross import (
    CATEGORY_WEIGHTS,
    CROSS_CATEGORIES,
    CrossSettings,
    Tuning,
    build_cross_books,
    item_texts,
    truncated_events,
)
from recommenders.datasets import Catalog, Interactions, Split
from recommenders.features import FEATURE_SCHEMA_VERSION, extract_features, tower_inputs
from recommenders.tasks import BOOKS_EVENT_TIME, GOODBOOKS, Task
from recommenders.tower import TowerRunner
from tests.recommenders.conftest import FakeEmbedder

THEMES = ("space", "cooking", "gardens")
PER_THEME = 6
GRID = tuple(
    CrossSettings(text, dim, popularity)
    for text in ("title", "title-authors")
    for dim in (2, 3)
    for popularity in (0.0, 0.05)
)


def theme_vector(theme: int, detail: int) -> list[float]:
    # One direction per theme, a little of a private one per title.
    vector = [0.0] * 40
    vector[theme] = 1.0
    vector[3 + detail] = 0.3
    return vector


def books_catalog() -> Catalog:
    n = len(THEMES) * PER_THEME
    return Catalog(
        source="goodbooks",
        item_ids=tuple(str(i + 1) for i in range(n)),
        titles=tuple(f"{THEMES[i // PER_THEME]} book {i}" for i in range(n)),
        categories=(Category.BOOKS,) * n,
        metadata=tuple({"authors": f"Author {i % 4}"} for i in range(n)),
    )


def embedder_for(catalog: Catalog) -> FakeEmbedder:
    vectors = {}
    for row in range(len(catalog)):
        for text in (item_texts(catalog, "title")[row], item_texts(catalog, "title-authors")[row]):
            vectors[text] = theme_vector(row // PER_THEME, row)
    vectors["A song about gardens"] = theme_vector(2, 30)
    vectors["Another garden song"] = theme_vector(2, 31)
    return FakeEmbedder(vectors)


def books_task() -> Task:
    """Twelve readers, each of one theme: four of its books read, one held out to predict.
    Space books are read by more people (the popular theme)."""
    catalog = books_catalog()
    rows, held = [], []
    for user in range(12):
        theme = user % 3
        first = theme * PER_THEME
        books = [first + (user + step) % PER_THEME for step in range(5)]
        rows += [(user, book) for book in books[:4]]
        held.append((user, books[4]))
    rows += [(20 + extra, book) for extra in range(3) for book in range(PER_THEME)]

    def interactions(pairs: list[tuple[int, int]]) -> Interactions:
        users, items = (np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
        return Interactions(users=users, items=items, weights=np.full(users.size, 5.0, np.float32))

    train, test = interactions(rows), interactions(held)
    return Task(
        name="goodbooks",
        category=Category.BOOKS,
        catalog=catalog,
        train=train,
        split=Split(train=train, test=test),
        times=dict.fromkeys(range(12), BOOKS_EVENT_TIME),
        liked=np.ones(len(train), dtype=np.bool_),
        info=GOODBOOKS,
    )


@pytest.fixture(scope="module")
def built() -> tuple[BuiltModel, Tuning, FakeEmbedder]:
    task = books_task()
    embedder = embedder_for(task.catalog)
    model, tuning = build_cross_books(task, task, embedder, name="cross-books", grid=GRID)
    return model, tuning, embedder


def song(title: str) -> ActivityEvent:
    return ActivityEvent(
        category=Category.MUSIC,
        source="test",
        title=title,
        external_id=None,
        time=BOOKS_EVENT_TIME - timedelta(days=1),
    )


def test_every_category_is_read_optionally_and_the_bundle_round_trips(
    built: tuple[BuiltModel, Tuning, FakeEmbedder], tmp_path: Path
) -> None:
    model, tuning, _ = built
    manifest = model.manifest
    assert manifest.categories == tuple(c.value for c in CROSS_CATEGORIES)
    assert manifest.optional_categories == manifest.categories
    assert manifest.required_categories == ()
    assert manifest.dim == tuning.chosen.dim + 1  # the projection, then popularity
    assert "No openly licensed dataset links one person's activity" in manifest.description
    assert manifest.catalog == GOODBOOKS and manifest.policy == "new-only"
    loaded = load_bundle(model.save(tmp_path / "cross"), feature_schema=FEATURE_SCHEMA_VERSION)
    assert loaded.manifest == manifest
    np.testing.assert_array_equal(loaded.items, model.items)


def test_the_build_is_deterministic(built: tuple[BuiltModel, Tuning, FakeEmbedder]) -> None:
    model, _, embedder = built
    task = books_task()
    again, _ = build_cross_books(task, task, embedder, name="cross-books", grid=GRID)
    assert again.manifest.to_bytes() == model.manifest.to_bytes()
    np.testing.assert_array_equal(again.items, model.items)
    for name, tensor in model.tower.items():
        np.testing.assert_array_equal(again.tower[name], tensor)


def test_the_setting_with_the_best_validation_recall_is_chosen(
    built: tuple[BuiltModel, Tuning, FakeEmbedder],
) -> None:
    _, tuning, _ = built
    assert set(tuning.recalls) == set(GRID)
    assert tuning.recalls[tuning.chosen] == max(tuning.recalls.values())
    # Readers of one theme find its other books: far better than chance (1 in 14 unread).
    assert tuning.recalls[tuning.chosen] > 0.5


def test_music_alone_gets_books_of_its_theme_on_the_device_path(
    built: tuple[BuiltModel, Tuning, FakeEmbedder],
) -> None:
    model, _, embedder = built
    manifest = model.manifest
    songs = [song("A song about gardens"), song("Another garden song")]
    features = extract_features(
        songs,
        {Category.MUSIC},
        manifest.categories,
        embedder=embedder,
        now=BOOKS_EVENT_TIME,
        optional=manifest.optional_categories,
    )
    user = TowerRunner(manifest, model.tower)(tower_inputs(manifest.inputs, features))
    top = np.argsort(-(model.items @ user), kind="stable")[:PER_THEME]
    assert {model.catalog.titles[row].split()[0] for row in top.tolist()} == {"gardens"}
    assert CATEGORY_WEIGHTS[Category.MUSIC] == CATEGORY_WEIGHTS[Category.BOOKS]


def test_a_reader_with_no_books_gets_the_same_list_as_from_no_activity_at_all(
    built: tuple[BuiltModel, Tuning, FakeEmbedder],
) -> None:
    model, _, embedder = built
    manifest = model.manifest
    features = extract_features(
        [],
        {Category.BOOKS},
        manifest.categories,
        embedder=embedder,
        now=BOOKS_EVENT_TIME,
        optional=manifest.optional_categories,
    )
    user = TowerRunner(manifest, model.tower)(tower_inputs(manifest.inputs, features))
    # Every profile is zero: only the popularity output is left, and popularity alone does not
    # reach the relevance floor: such a user is told nothing in the catalog fits.
    assert not user[:-1].any()
    assert user[-1] == pytest.approx(model.tower["layers.0.bias"][-1])
    assert manifest.relevance_floor is not None
    assert float((model.items @ user).max()) < manifest.relevance_floor


def test_truncated_events_keep_a_seeded_choice_of_the_readers_books() -> None:
    task = books_task()
    everything = task.events(0)
    assert truncated_events(task, 0, None) == everything
    assert truncated_events(task, 0, 10) == everything
    kept = truncated_events(task, 0, 2)
    assert len(kept) == 2 and all(event in everything for event in kept)
    assert truncated_events(task, 0, 2) == kept
    assert truncated_events(task, 0, 0) == []
