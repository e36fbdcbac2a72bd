"""The time-aware and factorisation baselines on tiny hand-made data: recent popularity, blends,
what-you-bought-most and implicit's ALS; and the paired bootstrap interval."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.baselines import ALS, EASE, MostBought, RecentPopularity, blend
from recommenders.datasets import Interactions
from recommenders.evaluation import interaction_matrix, paired_difference, top_items

DAY = 86_400


def purchases(rows: list[tuple[int, int, int]]) -> Interactions:
    """Interactions from (user, item, day) triples, one basket per row."""
    users, items, days = (np.array(column, dtype=np.int64) for column in zip(*rows, strict=True))
    return Interactions(
        users=users,
        items=items,
        weights=np.ones(users.size, dtype=np.float32),
        times=days * DAY,
        baskets=np.arange(users.size, dtype=np.int64),
    )


def test_recent_popularity_counts_only_the_window_before_the_query_time() -> None:
    history = purchases(
        [
            (0, 0, 1),  # before the 5-day window of a day-10 query
            (0, 1, 6),
            (1, 1, 8),
            (1, 2, 9),
            (2, 2, 10),  # at the query moment itself: not yet happened
            (2, 3, 12),  # after it
        ]
    )
    recent = RecentPopularity(window_days=5).fit(history, n_items=4)
    scores = recent.score_at(np.array([10 * DAY, 13 * DAY]))
    assert scores[0].tolist() == [0.0, 2.0, 1.0, 0.0]
    assert scores[1].tolist() == [0.0, 1.0, 2.0, 1.0]


def test_recent_popularity_never_sees_an_event_after_the_query_time() -> None:
    rng = np.random.default_rng(3)
    rows = [(int(u), int(i), int(d)) for u, i, d in rng.integers(0, [20, 30, 100], (400, 3))]
    history = purchases(rows)
    query_days = rng.integers(0, 100, 50)
    scores = RecentPopularity(window_days=1000).fit(history, n_items=30).score_at(query_days * DAY)
    for row, day in zip(scores, query_days.tolist(), strict=True):
        expected = np.bincount([i for _, i, d in rows if d < day], minlength=30)
        assert row.tolist() == expected.tolist()


def test_recent_popularity_validates_its_input() -> None:
    with pytest.raises(ValueError, match="positive"):
        RecentPopularity(window_days=0)
    undated = Interactions(
        users=np.array([0]), items=np.array([0]), weights=np.ones(1, dtype=np.float32)
    )
    with pytest.raises(ValueError, match="times"):
        RecentPopularity(7).fit(undated, n_items=1)
    with pytest.raises(ValueError, match="beyond"):
        RecentPopularity(7).fit(purchases([(0, 5, 1)]), n_items=3)
    with pytest.raises(RuntimeError, match="fit"):
        RecentPopularity(7).score_at(np.array([0]))


def test_blend_weights_zero_and_one_give_each_part_alone() -> None:
    rng = np.random.default_rng(0)
    first, second = rng.standard_normal((6, 9)) * 40.0, rng.random((6, 9)) * 0.01
    for row in range(6):
        alone_first = top_items(first[row], 9).tolist()
        alone_second = top_items(second[row], 9).tolist()
        assert top_items(blend(first, second, 0.0)[row], 9).tolist() == alone_first
        assert top_items(blend(first, second, 1.0)[row], 9).tolist() == alone_second


def test_blend_mixes_parts_on_a_common_scale() -> None:
    # Scaled to a largest |score| of 1, the halves tie although the raw scales differ 1000x.
    first = np.array([[1000.0, 0.0]])
    second = np.array([[0.0, 1.0]])
    assert blend(first, second, 0.5).tolist() == [[0.5, 0.5]]
    # A user with no signal at all (all zeros) stays at zero instead of dividing by zero.
    assert blend(np.zeros((1, 2)), second, 0.5).tolist() == [[0.0, 0.5]]


def test_blend_refuses_bad_weights_and_shapes() -> None:
    with pytest.raises(ValueError, match="weight"):
        blend(np.zeros((1, 2)), np.zeros((1, 2)), 1.5)
    with pytest.raises(ValueError, match="shapes"):
        blend(np.zeros((1, 2)), np.zeros((2, 2)), 0.5)


def test_most_bought_ranks_a_users_own_purchases_by_count() -> None:
    history = purchases([(0, 2, 1), (0, 2, 2), (0, 1, 3), (1, 0, 1)])
    counts = interaction_matrix(history, 2, 3, binary=False)
    scores = MostBought().score(counts)
    assert top_items(scores[0], 2).tolist() == [2, 1]
    assert scores[1].tolist() == [1.0, 0.0, 0.0]


def co_bought(users: int = 60) -> sp.csr_matrix:
    """Items come in pairs (0,1), (2,3), ...: each user buys both items of two pairs."""
    rng = np.random.default_rng(1)
    rows, cols = [], []
    for user in range(users):
        for pair in rng.choice(5, size=2, replace=False).tolist():
            rows += [user, user]
            cols += [2 * pair, 2 * pair + 1]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(users, 10))


def test_als_scores_every_item_for_every_history_row() -> None:
    train = co_bought()
    model = ALS(factors=4, regularization=0.1, iterations=10).fit(train)
    history = sp.csr_matrix(([1.0, 1.0], ([0, 1], [4, 7])), shape=(3, 10))  # last row empty
    scores = model.score(history)
    assert scores.shape == (3, 10)
    assert scores.dtype == np.float64
    assert np.all(np.isfinite(scores))
    assert not np.any(scores[2])  # no history: no factors, no preference
    # Item 4's companion is 5, item 7's is 6: ALS learns the pairs as EASE does.
    assert top_items(np.where(np.arange(10) == 4, -np.inf, scores[0]), 1).tolist() == [5]
    assert top_items(np.where(np.arange(10) == 7, -np.inf, scores[1]), 1).tolist() == [6]
    ease = EASE(1.0).fit(train).score(history[:2])
    assert int(np.argmax(ease[0])) == 5


def test_als_fits_repeat_exactly_and_need_fitting() -> None:
    train = co_bought()
    first = ALS(factors=4, iterations=5, seed=7).fit(train).score(train[:5])
    second = ALS(factors=4, iterations=5, seed=7).fit(train).score(train[:5])
    assert np.array_equal(first, second)
    with pytest.raises(RuntimeError, match="fit"):
        ALS().score(train)


def test_paired_difference_interval_contains_the_mean_and_is_seeded() -> None:
    rng = np.random.default_rng(5)
    base = rng.random(400)
    better = base + 0.05 + rng.normal(0, 0.01, 400)
    result = paired_difference(better, base, np.random.default_rng(0))
    assert result.low < result.mean < result.high
    assert result.mean == pytest.approx(0.05, abs=0.005)
    assert result.excludes_zero
    again = paired_difference(better, base, np.random.default_rng(0))
    assert (again.low, again.high) == (result.low, result.high)


def test_paired_difference_of_noise_includes_zero() -> None:
    rng = np.random.default_rng(6)
    a, b = rng.random(300), rng.random(300)
    shuffled = paired_difference(a, b, np.random.default_rng(0))
    assert not shuffled.excludes_zero
    with pytest.raises(ValueError, match="equally long"):
        paired_difference(a, b[:10], np.random.default_rng(0))
