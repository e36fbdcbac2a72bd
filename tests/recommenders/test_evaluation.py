"""Ranking metrics on hand-made cases; baselines and the evaluation loop on tiny data."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.baselines import EASE, ItemKNN, Popularity
from recommenders.datasets import Interactions, Split
from recommenders.evaluation import (
    evaluate,
    interaction_matrix,
    ndcg_at_k,
    recall_at_k,
    recall_per_user,
    top_items,
)


def test_recall_counts_hits_over_relevant() -> None:
    assert recall_at_k([3, 1, 2], [1, 9], k=2) == 0.5
    assert recall_at_k([3, 1, 2], [1, 9], k=1) == 0.0
    assert recall_at_k([1, 9], [9, 1, 9], k=5) == 1.0  # duplicates in relevant count once


def test_ndcg_rewards_early_hits() -> None:
    assert ndcg_at_k([1, 2, 3], [1], k=3) == 1.0
    assert ndcg_at_k([2, 1, 3], [1], k=3) == pytest.approx(1 / math.log2(3))
    # Two relevant items, one found at rank 2: (1/log2 3) / (1 + 1/log2 3).
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([5, 2, 7], [2, 4], k=3) == pytest.approx(expected)
    assert ndcg_at_k([5, 6], [2], k=2) == 0.0


def test_metrics_refuse_empty_relevant_sets() -> None:
    with pytest.raises(ValueError, match="undefined"):
        recall_at_k([1], [], k=1)
    with pytest.raises(ValueError, match="undefined"):
        ndcg_at_k([1], [], k=1)


def test_top_items_breaks_ties_by_index() -> None:
    assert top_items(np.array([1.0, 3.0, 3.0, 0.0]), 3).tolist() == [1, 2, 0]


def tiny_split() -> tuple[Split, int]:
    # Items 0 and 1 are always bought together; user 2 bought 0 and must be offered 1.
    train = Interactions(
        users=np.array([0, 0, 1, 1, 2, 3]),
        items=np.array([0, 1, 0, 1, 0, 2]),
        weights=np.ones(6, dtype=np.float32),
    )
    test = Interactions(
        users=np.array([2]), items=np.array([1]), weights=np.ones(1, dtype=np.float32)
    )
    return Split(train=train, test=test), 3


@pytest.mark.parametrize("model", [ItemKNN(neighbours=2), EASE(l2=0.5)])
def test_co_occurrence_models_find_the_companion_item(model: ItemKNN | EASE) -> None:
    split, n_items = tiny_split()
    model.fit(interaction_matrix(split.train, 4, n_items))
    result = evaluate(lambda _, rows: model.score(rows), split, n_items, k=1)
    assert result.recall == 1.0
    assert result.users == 1


def test_popularity_and_seen_items_are_excluded() -> None:
    split, n_items = tiny_split()
    popularity = Popularity().fit(interaction_matrix(split.train, 4, n_items))

    # Item 0 is the most popular, but user 2 has it already: item 1 comes first.
    def scorer(_: np.ndarray, rows: sp.csr_matrix) -> np.ndarray:
        return popularity.score(rows)

    assert evaluate(scorer, split, n_items, k=1).recall == 1.0
    assert evaluate(scorer, split, n_items, k=1, exclude_seen=False).recall == 0.0


def test_interaction_matrix_sums_or_binarises() -> None:
    data = Interactions(
        users=np.array([0, 0]), items=np.array([1, 1]), weights=np.array([2.0, 3.0])
    )
    assert interaction_matrix(data, 1, 2).toarray().tolist() == [[0.0, 1.0]]
    assert interaction_matrix(data, 1, 2, binary=False).toarray().tolist() == [[0.0, 5.0]]


def test_evaluate_checks_the_scorer_shape() -> None:
    split, n_items = tiny_split()
    with pytest.raises(ValueError, match="shape"):
        evaluate(lambda _, rows: np.zeros((rows.shape[0], 2)), split, n_items)


def test_unfitted_models_say_so() -> None:
    history = sp.csr_matrix(np.ones((1, 2)))
    for model in (Popularity(), ItemKNN(), EASE()):
        with pytest.raises(RuntimeError, match="fit"):
            model.score(history)


def test_recall_per_user_never_counts_seen_items_and_checks_shapes() -> None:
    scores = np.array([[0.9, 0.8, 0.1, 0.0], [0.0, 0.1, 0.2, 0.3]])
    seen = sp.csr_matrix(np.array([[1, 0, 0, 0], [0, 0, 0, 0]]))
    test = sp.csr_matrix(np.array([[0, 1, 1, 0], [1, 0, 0, 0]]))
    # Row 0: item 0 is read, so the top 1 is item 1 (one of two held out); row 1 misses.
    np.testing.assert_array_equal(recall_per_user(scores, seen, test, 1), [0.5, 0.0])
    with pytest.raises(ValueError, match="shapes differ"):
        recall_per_user(scores[:1], seen, test, 1)
