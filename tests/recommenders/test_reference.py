"""The reference models: built from a tiny hand-made task, exported as bundles, loaded back;
one slow check that the two-tower trained on the shipped retail data beats popularity."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from recommenders import bundle
from recommenders.activity import ActivityEvent, Category
from recommenders.baselines import EASE, Popularity
from recommenders.built_model import (
    BuiltModel,
    relevance_floor,
    round_significand,
    with_significand_bits,
)
from recommenders.bundle import CatalogInfo, load_bundle
from recommenders.datasets import Catalog, Interactions, Split, temporal_last_basket_split
from recommenders.embeddings import EMBEDDING_DIM, TextEmbedder
from recommenders.evaluation import evaluate, interaction_matrix
from recommenders.features import FEATURE_SCHEMA_VERSION, PROFILE_DIM
from recommenders.model_kinds import (
    content_model,
    ease_score_factors,
    low_rank_ease,
    low_rank_ridge,
    popularity_column,
    popularity_model,
    train_two_tower,
)
from recommenders.reference import shipped_bundle
from recommenders.tasks import Task, books_task, held_out_times, rated_liked, retail_task
from recommenders.tower import TowerRunner, load_tower
from recommenders.training_examples import (
    FeatureBuilder,
    TitleTable,
    TrainingExamples,
    books_examples,
    retail_examples,
)
from tests.recommenders.conftest import NOW, FakeEmbedder

SOURCE = "test-shop"
TITLES = ("Red enamel mug", "Blue teapot", "Garden chair", "Wool scarf", "Desk lamp")
# (user, item, days before NOW): user 3 is the test user.
BOUGHT = [
    (0, 0, 30),
    (0, 1, 20),
    (1, 0, 25),
    (1, 2, 10),
    (2, 0, 12),
    (2, 1, 8),
    (2, 4, 5),
    (3, 3, 40),
]


def tiny_task() -> Task:
    n = len(TITLES)
    catalog = Catalog(
        source=SOURCE,
        item_ids=tuple(f"sku-{i}" for i in range(n)),
        titles=TITLES,
        categories=(Category.PURCHASES,) * n,
        metadata=tuple({"shelf": str(i % 2)} for i in range(n)),
    )
    users, items, days = (np.array(column, dtype=np.int64) for column in zip(*BOUGHT, strict=True))
    seconds = int(NOW.timestamp()) - days * 86_400
    train = Interactions(
        users=users,
        items=items,
        weights=np.ones(users.size, dtype=np.float32),
        times=seconds,
        baskets=np.arange(users.size, dtype=np.int64),
    )
    test = Interactions(
        users=np.array([3]), items=np.array([0]), weights=np.ones(1, dtype=np.float32)
    )
    return Task(
        name="tiny-shop",
        category=Category.PURCHASES,
        catalog=catalog,
        train=train,
        split=Split(train=train, test=test),
        times={3: NOW},
        liked=np.ones(users.size, dtype=np.bool_),
        validation=temporal_last_basket_split(train),
        info=CatalogInfo(source=SOURCE, description="Tiny test shop"),
    )


@pytest.fixture
def task() -> Task:
    return tiny_task()


@pytest.fixture
def table(task: Task) -> TitleTable:
    return TitleTable(task.catalog.titles, FakeEmbedder())


def purchase(title: str, days_ago: float = 1.0, source: str = "elsewhere") -> ActivityEvent:
    return ActivityEvent(
        category=Category.PURCHASES,
        source=source,
        title=title,
        external_id=None,
        time=NOW - timedelta(days=days_ago),
    )


def save_and_load(model: BuiltModel, directory: Path) -> bundle.Bundle:
    path = model.save(directory / model.manifest.name)
    return load_bundle(path, feature_schema=FEATURE_SCHEMA_VERSION)


def assert_round_trip(model: BuiltModel, loaded: bundle.Bundle) -> None:
    assert loaded.manifest == model.manifest
    np.testing.assert_array_equal(loaded.items, model.items)
    assert set(loaded.tower) == set(model.tower)
    for name, tensor in model.tower.items():
        np.testing.assert_array_equal(loaded.tower[name], tensor)
    assert loaded.catalog == model.catalog


# --- TitleTable ----------------------------------------------------------------------------


def test_title_table_returns_the_wrapped_embedders_vectors() -> None:
    fake = FakeEmbedder()
    table = TitleTable(["b", "a", "b", "c"], fake)

    assert fake.calls == [["b", "a", "c"]]  # embedded once, each title once
    assert table.model_id == fake.model_id
    np.testing.assert_array_equal(table.embed(["c", "b", "c"]), fake.embed(["c", "b", "c"]))
    assert table.embed([]).shape == (0, EMBEDDING_DIM)


def test_title_table_refuses_an_unknown_title() -> None:
    table = TitleTable(["known title"], FakeEmbedder())
    with pytest.raises(ValueError, match="'unknown title' is not in the table"):
        table.embed(["known title", "unknown title"])


# --- Models built from a tiny task ---------------------------------------------------------


def test_popularity_model_round_trips_and_ranks_by_buyers(task: Task, tmp_path: Path) -> None:
    model = popularity_model(task, name="tiny-popularity")
    loaded = save_and_load(model, tmp_path)
    assert_round_trip(model, loaded)

    buyers = np.bincount(np.unique(np.c_[task.train.users, task.train.items], axis=0)[:, 1])
    buyers = np.pad(buyers, (0, task.items - buyers.size))
    assert loaded.items.shape == (task.items, 1)
    np.testing.assert_allclose(loaded.items[:, 0], np.log1p(buyers), rtol=1e-6)
    # The tower reads nothing and outputs 1: the item table alone ranks.
    runner = TowerRunner(loaded.manifest, loaded.tower)
    u = runner({})
    np.testing.assert_array_equal(u, [1.0])
    assert int(np.argmax(loaded.items @ u)) == int(np.argmax(buyers))
    assert [row.item_id for row in loaded.catalog] == list(task.catalog.item_ids)


def test_content_model_round_trips(task: Task, table: TitleTable, tmp_path: Path) -> None:
    model = content_model(task, table, name="tiny-content", dim=3)
    loaded = save_and_load(model, tmp_path)
    assert_round_trip(model, loaded)
    assert loaded.items.shape == (task.items, 3)
    assert [block.size for block in loaded.manifest.inputs] == [PROFILE_DIM]
    assert loaded.catalog.titles == TITLES


@pytest.mark.parametrize("item", range(len(TITLES)))
def test_content_model_ranks_the_item_with_the_users_title_first(
    task: Task, table: TitleTable, tmp_path: Path, item: int
) -> None:
    # With as many directions as items the projection keeps every title exactly, so the
    # score is the cosine between titles: the user's own title wins.
    loaded = save_and_load(
        content_model(task, table, name="tiny-content", dim=task.items), tmp_path
    )
    profile = FeatureBuilder(task, table, history=False).row([purchase(TITLES[item])], NOW)
    u = TowerRunner(loaded.manifest, loaded.tower)({"profile:purchases": profile.toarray()[0]})
    scores = loaded.items @ u
    assert int(np.argmax(scores)) == item
    assert scores[item] > np.delete(scores, item).max() + 0.1


# --- FeatureBuilder ------------------------------------------------------------------------


def test_history_rows_are_profile_then_catalog(task: Task, table: TitleTable) -> None:
    features = FeatureBuilder(task, table)
    assert features.width == PROFILE_DIM + task.items

    # User 2 bought items 0, 1 and 4; the events carry the catalog's own ids.
    row = features.row(task.events(2), NOW)
    assert row.shape == (1, features.width)
    history = row[:, PROFILE_DIM:]
    assert history.indices.tolist() == [0, 1, 4]
    # Recency weights: the most recent purchase (5 days ago) weighs most.
    assert history.data.argmax() == 2 and np.all(history.data < 1.0)
    profile = row[:, :PROFILE_DIM].toarray()[0]
    assert np.linalg.norm(profile[:EMBEDDING_DIM]) == pytest.approx(1.0, rel=1e-5)
    assert profile[EMBEDDING_DIM] == pytest.approx(np.log1p(3))


def test_history_rows_match_titles_from_other_sources(task: Task, table: TitleTable) -> None:
    row = FeatureBuilder(task, table).row([purchase(TITLES[3], source="another-shop")], NOW)
    assert row[:, PROFILE_DIM:].indices.tolist() == [3]


@pytest.mark.parametrize(
    "events",
    [
        pytest.param([], id="no-events"),
        pytest.param(
            [
                ActivityEvent(
                    category=Category.BOOKS,
                    source="library",
                    title="A book that is in no table",
                    external_id=None,
                    time=NOW,
                )
            ],
            id="other-category-only",
        ),
    ],
)
def test_rows_accept_users_with_nothing_to_read(
    task: Task, table: TitleTable, events: list[ActivityEvent]
) -> None:
    # Another category's titles are dropped before embedding: the table never sees them.
    for history in (True, False):
        features = FeatureBuilder(task, table, history=history)
        row = features.row(events, NOW)
        assert row.shape == (1, PROFILE_DIM + (task.items if history else 0))
        assert row.shape[1] == features.width
        assert row.nnz == 0


def test_test_rows_follow_the_users_given(task: Task, table: TitleTable) -> None:
    features = FeatureBuilder(task, table)
    rows = features.test_rows(np.array([3]))
    assert rows.shape == (1, features.width)
    assert rows[:, PROFILE_DIM:].indices.tolist() == [3]


# --- The shipped data (slow) ---------------------------------------------------------------


@pytest.mark.slow
def test_two_tower_on_retail_beats_popularity(real_embedder: TextEmbedder) -> None:
    task = retail_task()
    table = TitleTable(task.catalog.titles, real_embedder)
    model = train_two_tower(
        task,
        table,
        name="retail-two-tower",
        dim=32,
        epochs=3,
        progress=False,
        examples=lambda f, rng: retail_examples(task, f),
    )
    assert model.items.shape == (task.items, 32)
    assert np.all(np.isfinite(model.items))

    features = FeatureBuilder(task, table)
    tower = load_tower(model.manifest, model.tower)

    def two_tower(users: np.ndarray, _: sp.csr_matrix) -> np.ndarray:
        inputs = torch.from_numpy(features.test_rows(users).toarray())
        with torch.no_grad():
            vectors: np.ndarray = tower(inputs).numpy()
        return vectors @ model.items.T

    n_users = int(max(task.train.users.max(), task.split.test.users.max())) + 1
    popularity = Popularity().fit(interaction_matrix(task.train, n_users, task.items))
    baseline = evaluate(lambda _, rows: popularity.score(rows), task.split, task.items, k=20)
    result = evaluate(two_tower, task.split, task.items, k=20)

    assert result.users == baseline.users == task.split.test_users().size
    assert baseline.recall > 0.0
    assert result.recall > 1.5 * baseline.recall


def rows_of(interactions: Interactions) -> set[tuple[int, int, float, int | None, int | None]]:
    """Rows as comparable tuples (two invoices may share a moment: the basket tells them apart)."""
    undated = [None] * len(interactions)
    times = undated if interactions.times is None else interactions.times.tolist()
    baskets = undated if interactions.baskets is None else interactions.baskets.tolist()
    return set(
        zip(
            interactions.users.tolist(),
            interactions.items.tolist(),
            interactions.weights.tolist(),
            times,
            baskets,
            strict=True,
        )
    )


def pairs_of(interactions: Interactions) -> set[tuple[int, int]]:
    return set(zip(interactions.users.tolist(), interactions.items.tolist(), strict=True))


def test_held_out_times_are_each_users_first_held_out_moment() -> None:
    task = tiny_task()
    assert task.validation is not None
    moments = held_out_times(task.validation)
    # Users 0, 1 and 2 bought more than once: their last purchase (days 20, 10, 5) is held out.
    assert moments == {
        user: NOW - timedelta(days=days) for user, days in ((0, 20), (1, 10), (2, 5))
    }
    assert task.query_times(task.split) is task.times
    assert task.query_times(task.validation) == moments


@pytest.mark.slow
def test_retail_validation_is_each_customers_last_training_basket() -> None:
    for new_only in (True, False):
        task = retail_task(new_only=new_only)
        validation, train = task.validation, rows_of(task.train)
        assert validation is not None
        assert rows_of(validation.train) | rows_of(validation.test) <= train
        assert not rows_of(validation.train) & rows_of(validation.test)
        assert not rows_of(validation.test) & rows_of(task.split.test)
        assert validation.train.times is not None and validation.test.times is not None
        moments = task.query_times(validation)
        assert set(moments) == set(validation.test_users().tolist())
        last_train: dict[int, int] = {}
        for user, moment in zip(
            validation.train.users.tolist(), validation.train.times.tolist(), strict=True
        ):
            last_train[user] = max(last_train.get(user, moment), moment)
        for user in validation.test_users().tolist()[::50]:
            assert last_train[user] <= moments[user].timestamp()


@pytest.mark.slow
def test_books_validation_holds_out_a_fifth_of_training_positives() -> None:
    task = books_task()
    validation = task.validation
    assert validation is not None
    assert not pairs_of(validation.test) & pairs_of(task.split.test)
    assert rows_of(validation.test) <= rows_of(task.train)
    assert rows_of(validation.train) | rows_of(validation.test) == rows_of(task.train)
    assert (validation.test.weights >= 4).all()
    positives = np.bincount(
        task.split.train.users[task.split.train.weights >= 4]
    )  # per reader, before the validation hold-out
    per_user = np.bincount(validation.test.users, minlength=positives.size)
    readers = np.flatnonzero(positives >= 10)
    assert np.all(np.abs(per_user[readers] - 0.2 * positives[readers]) <= 1)
    again = books_task().validation
    assert again is not None and again.test.items.tolist() == validation.test.items.tolist()


def test_popularity_column_counts_all_or_the_last_days_of_training(task: Task) -> None:
    # The last purchase is 5 days before NOW; a 10-day window reaches back to day 15:
    # items 0 (day 12), 1 (day 8), 2 (day 10) and 4 (day 5), once each.
    column = popularity_column(task, window_days=10)
    assert column.dtype == np.float32
    assert column.tolist() == [1.0, 1.0, 1.0, 0.0, 1.0]
    # Over 35 days (back to day 40) item 0 was bought three times, item 1 twice: the largest
    # count becomes 1.
    np.testing.assert_allclose(popularity_column(task, 35), [1, 2 / 3, 1 / 3, 1 / 3, 1 / 3])
    np.testing.assert_allclose(popularity_column(task), [1, 2 / 3, 1 / 3, 1 / 3, 1 / 3])
    books = Task(**{**vars(task), "train": task.split.test})  # undated interactions
    assert popularity_column(books).tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="no times"):
        popularity_column(books, 10)


def test_two_tower_with_a_prior_ships_its_column_and_bias(
    task: Task, table: TitleTable, tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    users = np.arange(40, dtype=np.int64)
    ones = np.ones(40, dtype=np.float32)  # features are float32, as the device computes them
    history = sp.csr_matrix((ones, (users, users % 4)), shape=(40, task.items))
    profiles = sp.csr_matrix(np.zeros((40, PROFILE_DIM), dtype=np.float32))
    rows = sp.hstack([profiles, history], format="csr")
    # Whoever holds item k wants item k + 1: a pattern the warm start and fine-tuning can find.
    targets = sp.csr_matrix((np.ones(40), (users, users % 4 + 1)), shape=(40, task.items))
    examples = TrainingExamples(users, rows, targets)
    prior = rng.random(task.items).astype(np.float32)
    model = train_two_tower(
        task, table, name="prior", dim=3, examples=examples, epochs=2, prior=prior, progress=False
    )
    assert model.items.shape == (task.items, 3)
    assert set(model.tower) == {"layers.0.weight", "layers.0.bias"}
    assert model.manifest.tower == (bundle.Linear(PROFILE_DIM + task.items, 3, bias=True),)
    assert_round_trip(model, save_and_load(model, tmp_path))
    with pytest.raises(ValueError, match="one per item"):
        train_two_tower(
            task, table, name="bad", dim=3, examples=examples, prior=prior[:2], progress=False
        )


def test_relevance_floor_is_the_low_quantile_of_real_users_best_scores() -> None:
    items = np.eye(3, dtype=np.float32)
    users = np.array([[float(i), 0.0, 0.0] for i in range(1, 101)], dtype=np.float32)
    # Best scores are 1..100; the 1% quantile (linear interpolation) is 1.99.
    assert relevance_floor(users, items) == pytest.approx(1.99)
    assert relevance_floor(users, items, quantile=0.5) == pytest.approx(50.5)
    with pytest.raises(ValueError, match="at least one user vector"):
        relevance_floor(np.zeros((0, 3), np.float32), items)


def test_ease_score_factors_keep_the_scores_real_histories_get() -> None:
    rng = np.random.default_rng(0)
    train = sp.csr_matrix((rng.random((40, 12)) < 0.3).astype(np.float64))
    weights = EASE(10.0).fit(train).weights
    assert weights is not None
    history, items = ease_score_factors(train, 4, 10.0)
    assert history.shape == items.shape == (12, 4)
    assert history.dtype == items.dtype == np.float32
    # The item factors are orthonormal, and the history factors are EASE's weights on them.
    np.testing.assert_allclose(items.T @ items, np.eye(4), atol=1e-5)
    np.testing.assert_allclose(history, weights @ items, rtol=1e-4, atol=1e-5)
    # No rank-4 factorisation reproduces the training scores better than the top singular
    # subspace of those scores: it beats the SVD of the weights themselves.
    scores = train @ weights
    low_history, low_items = low_rank_ease(train, 4, 10.0)
    ours = np.linalg.norm(scores - train @ history @ items.T)
    svd_of_weights = np.linalg.norm(scores - train @ low_history @ low_items.T)
    assert ours <= svd_of_weights + 1e-6


def test_books_examples_predict_rated_books_and_keep_to_read_marks_as_input() -> None:
    n = 8
    catalog = Catalog(
        source=SOURCE,
        item_ids=tuple(str(i) for i in range(n)),
        titles=tuple(f"Book {i}" for i in range(n)),
        categories=(Category.BOOKS,) * n,
        metadata=tuple({} for _ in range(n)),
    )
    # Reader 0 rated books 0-5 (>= 4) and marked 6 and 7 to-read (weight 1, as in goodbooks);
    # reader 1 only marked books to-read.
    users = np.array([0] * 8 + [1] * 6)
    items = np.array([*range(8), *range(6)])
    weights = np.array([5, 4, 5, 4, 5, 4, 1, 1] + [1] * 6, dtype=np.float32)
    train = Interactions(users=users, items=items, weights=weights)
    books = Task(
        name="tiny-books",
        category=Category.BOOKS,
        catalog=catalog,
        train=train,
        split=Split(train=train, test=train.select(users == 0)),
        times={0: NOW},
        liked=np.ones(users.size, np.bool_),  # to-read marks are positive signals too
        info=CatalogInfo(source=SOURCE, description="Tiny test books"),
    )
    predicted = rated_liked(books)
    assert predicted.tolist() == [True] * 6 + [False] * 8
    features = FeatureBuilder(books, TitleTable(catalog.titles, FakeEmbedder()))
    rng = np.random.default_rng(0)
    examples = list(books_examples(books, features, rng, resamples=20, predicted=predicted))
    assert {user for user, _, _ in examples} == {0}  # reader 1 has nothing to predict
    assert len({tuple(targets) for _, _, targets in examples}) > 1
    for _, row, targets in examples:
        shown = set(row[:, PROFILE_DIM:].indices.tolist())
        assert len(targets) == 1 and targets[0] < 6  # one rated book of six is hidden...
        assert shown == set(range(8)) - set(targets)  # ...and both to-read marks are shown
    # Without the mask to-read marks are targets as well, as for every other dataset.
    everything = list(books_examples(books, features, rng, resamples=20))
    assert {user for user, _, _ in everything} == {0, 1}
    assert any(targets[0] >= 6 for user, _, targets in everything if user == 0)
    with pytest.raises(ValueError, match="one flag per training row"):
        next(books_examples(books, features, rng, predicted=predicted[:3]))


def test_retail_examples_keep_re_buys_only_when_asked(task: Task, table: TitleTable) -> None:
    # User 0 buys item 0 again 2 days before NOW, with item 3 (new to them).
    rebought = Interactions(
        users=np.append(task.train.users, 0),
        items=np.append(task.train.items, 0),
        weights=np.ones(task.train.users.size + 1, dtype=np.float32),
        times=np.append(task.train.times, int(NOW.timestamp()) - 2 * 86_400),  # type: ignore[arg-type]
        baskets=np.append(task.train.baskets, 99),  # type: ignore[arg-type]
    )
    rebought = Interactions(
        users=np.append(rebought.users, 0),
        items=np.append(rebought.items, 3),
        weights=np.ones(rebought.users.size + 1, dtype=np.float32),
        times=np.append(rebought.times, int(NOW.timestamp()) - 2 * 86_400),  # type: ignore[arg-type]
        baskets=np.append(rebought.baskets, 99),  # type: ignore[arg-type]
    )
    shop = Task(**{**vars(task), "train": rebought})
    features = FeatureBuilder(shop, table)
    new_only = {(u, tuple(items)) for u, _, items in retail_examples(shop, features)}
    again = {(u, tuple(items)) for u, _, items in retail_examples(shop, features, rebuys=True)}
    assert (0, (3,)) in new_only and (0, (0, 3)) in again
    # Baskets without a re-buy give the same example either way.
    assert new_only - {(0, (3,))} == again - {(0, (0, 3))}


def test_low_rank_ridge_at_full_rank_is_ridge_regression_of_histories_on_themselves() -> None:
    rng = np.random.default_rng(0)
    train = sp.csr_matrix((rng.random((60, 12)) < 0.3).astype(np.float64))
    gram = (train.T @ train).toarray()
    ridge = np.linalg.solve(gram + 5.0 * np.eye(12), gram)
    history, items = low_rank_ridge(train, 11, 5.0)
    assert history.shape == items.shape == (12, 11) and history.dtype == np.float32
    # Rank 11 of 12: the ridge solution without its weakest direction.
    eigenvalues, eigenvectors = np.linalg.eigh(gram)
    weakest = eigenvectors[:, :1] * eigenvalues[0] / (eigenvalues[0] + 5.0)
    np.testing.assert_allclose(
        history @ items.T, ridge - weakest @ eigenvectors[:, :1].T, atol=1e-5
    )
    # Unlike EASE, an item scores itself: what a model of re-buys starts from.
    assert np.all(np.diag(history @ items.T) > 0.3)
    ease = EASE(5.0).fit(train).weights
    assert ease is not None and np.all(np.diag(ease) == 0)


def test_two_tower_without_epochs_is_its_warm_start_and_prior(
    task: Task, table: TitleTable
) -> None:
    def no_examples(*_: object) -> None:
        raise AssertionError("a model that is not fine-tuned needs no examples")

    prior = popularity_column(task)
    model = train_two_tower(
        task,
        table,
        name="again",
        dim=4,
        l2=2.0,
        epochs=0,
        prior=prior,
        prior_weight=0.25,
        examples=no_examples,  # type: ignore[arg-type]
        warm_start=low_rank_ridge,
        again=True,
        progress=False,
    )
    binary = interaction_matrix(task.train, int(task.train.users.max()) + 1, task.items)
    history, items = low_rank_ridge(binary, 3, 2.0)
    np.testing.assert_array_equal(model.items, np.hstack([items, prior[:, None]]))
    weight = model.tower["layers.0.weight"]
    np.testing.assert_array_equal(weight[:3, PROFILE_DIM:], history.T)
    assert not weight[:, :PROFILE_DIM].any() and not weight[3].any()
    np.testing.assert_array_equal(model.tower["layers.0.bias"], [0, 0, 0, 0.25])
    assert "ridge regression" in model.manifest.description
    assert "fine-tuned" not in model.manifest.description
    assert "again" in model.manifest.description


def test_round_significand_keeps_the_leading_bits_of_each_value() -> None:
    values = np.random.default_rng(0).standard_normal(10_000).astype(np.float32) * 100
    rounded = round_significand(values, 9)
    assert rounded.dtype == np.float32
    assert np.all(rounded.view(np.uint32) & ((1 << 14) - 1) == 0)
    assert np.all(np.abs(rounded - values) <= np.abs(values) * 2.0**-10)
    # To nearest, not truncated: 1 + 3/4 of a step rounds up; a full significand carries.
    step = 2.0**-9
    near = np.array([1 + 0.75 * step, 1 + 0.25 * step, np.nextafter(2, 0)], dtype=np.float32)
    assert round_significand(near, 9).tolist() == [1 + step, 1.0, 2.0]
    with pytest.raises(ValueError, match="significand bits"):
        round_significand(values, 0)
    with pytest.raises(ValueError, match="finite"):
        round_significand(np.array([1.0, np.inf], dtype=np.float32), 9)


def test_a_model_with_rounded_weights_says_so_and_round_trips(
    task: Task, table: TitleTable, tmp_path: Path
) -> None:
    model = content_model(task, table, name="content", dim=3)
    rounded = with_significand_bits(model, 9)
    assert rounded.manifest.description.endswith(
        "rounded to 9 significand bits, to keep the bundle small."
    )
    assert_round_trip(rounded, save_and_load(rounded, tmp_path))
    np.testing.assert_allclose(rounded.items, model.items, rtol=2.0**-10)


@pytest.mark.slow
def test_retail_again_rebuilds_to_its_shipped_model(tmp_path: Path) -> None:
    import io
    import zipfile

    from safetensors.numpy import load as load_tensors

    from recommenders.bundle import pack_bundle
    from recommenders.reference import build_reference_model

    # Its tower reads no profile (the warm start's profile weights are 0) and it is not
    # fine-tuned, so any embedder rebuilds it. Its warm start is a truncated SVD (ARPACK),
    # whose singular vectors come out with other signs on another CPU's BLAS (built on an AMD
    # machine, 422,646 values of each factor differed from the Intel build shipped): every
    # file but the tower and the item table must match byte for byte, and those two must give
    # the same scores.
    built = build_reference_model("retail-again", embedder=FakeEmbedder(), progress=False)
    assert built.manifest.policy == "new-and-again" and built.manifest.relevance_floor
    packed = pack_bundle(built.save(tmp_path / "retail-again"))
    assert len(packed) < 5_000_000
    rebuilt = zipfile.ZipFile(io.BytesIO(packed))
    shipped = zipfile.ZipFile(io.BytesIO(shipped_bundle("retail-again").read_bytes()))
    assert rebuilt.namelist() == shipped.namelist()
    factors = {"user_tower.safetensors", "items.safetensors"}
    for name in set(shipped.namelist()) - factors:
        assert rebuilt.read(name) == shipped.read(name), name

    def scores(archive: zipfile.ZipFile, profiles: np.ndarray) -> np.ndarray:
        tower = load_tensors(archive.read("user_tower.safetensors"))
        assert sorted(tower) == ["layers.0.bias", "layers.0.weight"]  # one linear layer
        items = load_tensors(archive.read("items.safetensors"))["items"].astype(np.float64)
        users = profiles @ tower["layers.0.weight"].T.astype(np.float64) + tower["layers.0.bias"]
        scored: np.ndarray = users @ items.T
        return scored

    width = load_tensors(shipped.read("user_tower.safetensors"))["layers.0.weight"].shape[1]
    profiles = np.random.default_rng(0).random((32, width)) * (
        np.random.default_rng(1).random((32, width)) < 0.01
    )
    expected = scores(shipped, profiles)
    got = scores(rebuilt, profiles)
    # Both are rounded to 9 significand bits (a relative error of 2^-10 per value).
    np.testing.assert_allclose(got, expected, atol=2.0**-6 * np.abs(expected).max())
    top = np.argsort(-expected, axis=1)[:, :20]
    agreement = np.mean(
        [
            len(set(a) & set(b)) / 20
            for a, b in zip(top, np.argsort(-got, axis=1)[:, :20], strict=True)
        ]
    )
    assert agreement > 0.9
