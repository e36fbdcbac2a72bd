"""The app's training examples from a real local store (SQLite): only the run's categories the
user switched on for training are read, the targets are the catalog rows the later activity
matches, the profile is what came before, and their number is capped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from client_app.store import LocalStore
from client_app.training_consent import TrainingConsent
from client_app.training_examples import (
    MIN_SHOWN,
    TARGETS_PER_EXAMPLE,
    TrainingExamples,
    example_pairs,
)
from federated.errors import InvalidMessage
from federated.model import CatalogInputs
from federated.runs import RunSpec
from recommenders.activity import ActivityEvent, Category
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import CatalogIndex, category_profile
from tests.recommenders.conftest import FakeEmbedder

ITEMS = 30
START = datetime(2026, 1, 1, tzinfo=UTC)
NOW = START + timedelta(days=60)


class Catalog:
    """A books catalog as a model ships it: ids and titles."""

    def __init__(self, items: int) -> None:
        self.item_ids = [f"b{i}" for i in range(items)]
        self.titles = [f"Item number {i}" for i in range(items)]


def index_of(spec: RunSpec, asked: list[str]) -> CatalogIndex:
    asked.append(spec.training)
    return CatalogIndex(Catalog(ITEMS), "goodreads")


def run_spec(categories: tuple[str, ...] = ("books",), **changes: object) -> RunSpec:
    fields: dict[str, object] = {
        "training": "ab" * 16,
        "model": "shelf@1.0.0",
        "categories": categories,
        "dim": 2,
        "width": 4,
        "items": ITEMS,
        "embedding": EMBEDDING_DIM,
        "facts": 0,
        "rounds": 1,
        "cohort": 3,
        "min_survivors": 3,
        "clip_norm": 1.0,
        "noise_multiplier": 0.5,
        "sampling_rate": 1.0,
        "delta": 1e-3,
        "learning_rate": 0.5,
        "server_learning_rate": 1.0,
        "server_optimizer": "adam",
        "server_decay": 0.1,
        "server_adam_eps": 1e-8,
        "reward": 5,
        **changes,
    }
    return RunSpec(**fields)  # type: ignore[arg-type]


def books(count: int, first: int = 0) -> list[ActivityEvent]:
    """Books read a day apart: book ``first`` first."""
    return [read(Category.BOOKS, f"Item number {first + i}", i) for i in range(count)]


def read(category: Category, title: str, day: int) -> ActivityEvent:
    return ActivityEvent(category, "goodreads", title, None, START + timedelta(day))


def music(count: int) -> list[ActivityEvent]:
    return [read(Category.MUSIC, f"Secret song {i}", i) for i in range(count)]


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / "privrec.sqlite3")
    store.add_events(books(12, first=3), "test")
    store.add_events(music(12), "test")
    return store


def examples_for(
    store: LocalStore, embedder: FakeEmbedder, asked: list[str], *categories: str
) -> TrainingExamples:
    consent = TrainingConsent(store)
    for category in categories:
        consent.set_opted_in(category, True)
    return TrainingExamples(
        store, consent, lambda: embedder, lambda spec: index_of(spec, asked), now=lambda: NOW
    )


def test_examples_read_only_the_runs_categories_switched_on(store: LocalStore) -> None:
    embedder, asked = FakeEmbedder(), list[str]()
    examples = examples_for(store, embedder, asked, "books")
    # A run of books and music: music is not switched on for training, so it is never read.
    pairs = examples.pairs(run_spec(("books", "music")))

    assert asked == ["ab" * 16]
    assert embedder.seen and all(title.startswith("Item number") for title in embedder.seen)
    # 12 books, cut from the newest back every TARGETS_PER_EXAMPLE with MIN_SHOWN before a cut.
    assert [p.targets.tolist() for p in pairs] == [[11, 12, 13, 14], [7, 8, 9, 10]]
    # Each profile is the title embedding of the books before its cut, as the app sends models.
    shown = books(4, first=3)
    vectors = np.stack([embedder.vector(e.title) for e in shown])
    np.testing.assert_allclose(
        pairs[1].profile, category_profile(shown, vectors, NOW)[:EMBEDDING_DIM], rtol=1e-6
    )
    # Projected for the run's catalog inputs, the examples are what local_update takes.
    titles = np.random.default_rng(0).normal(size=(ITEMS, EMBEDDING_DIM))
    inputs = CatalogInputs.from_titles(titles, 4)
    (first, *_) = examples(run_spec(("books", "music")), inputs)
    np.testing.assert_allclose(first.user, inputs.user_input(pairs[0].profile))


def test_with_no_category_switched_on_nothing_is_read(store: LocalStore) -> None:
    embedder, asked = FakeEmbedder(), list[str]()
    # Music is switched on, but the run learns from books only.
    examples = examples_for(store, embedder, asked, "music")

    assert examples.pairs(run_spec(("books",))) == []
    assert asked == [] and embedder.calls == []


def test_examples_are_capped_and_need_activity_in_the_catalog(tmp_path: Path) -> None:
    index = CatalogIndex(Catalog(ITEMS), "goodreads")
    many = books(ITEMS)
    capped = example_pairs(many, index, FakeEmbedder(), NOW, max_examples=3)
    assert len(capped) == 3
    assert capped[0].targets.tolist() == list(range(ITEMS - TARGETS_PER_EXAMPLE, ITEMS))
    # Activity outside the catalog leads to no target: no example.
    unknown = [read(Category.BOOKS, f"Unlisted book {i}", i) for i in range(10)]
    assert example_pairs(unknown, index, FakeEmbedder(), NOW) == []
    # Too little activity to show a profile and hide what followed.
    least = MIN_SHOWN + TARGETS_PER_EXAMPLE
    assert len(example_pairs(books(least), index, FakeEmbedder(), NOW)) == 1
    assert example_pairs(books(least - 1), index, FakeEmbedder(), NOW) == []


def test_a_run_whose_catalog_or_profile_does_not_fit_is_refused(store: LocalStore) -> None:
    examples = examples_for(store, FakeEmbedder(), [], "books")
    with pytest.raises(InvalidMessage, match="catalog items"):
        examples.pairs(run_spec(items=ITEMS + 1))
    with pytest.raises(InvalidMessage, match="profiles"):
        examples.pairs(run_spec(embedding=8, training="cd" * 16))
