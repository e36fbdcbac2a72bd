"""Ranking metrics as free functions, and the evaluation loop over a train/test split."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from recommenders.datasets import Interactions, Split

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
# Scores every catalog item for a batch of users (ids, and their training histories as CSR rows).
BatchScorer = Callable[[IntArray, sp.csr_matrix], NDArray[np.floating]]


def recall_at_k(ranked: ArrayLike, relevant: ArrayLike, k: int) -> float:
    """Fraction of the relevant items found in the top ``k``."""
    wanted = np.unique(np.asarray(relevant))
    if wanted.size == 0:
        raise ValueError("recall is undefined without relevant items")
    top = np.asarray(ranked)[:k]
    return float(np.isin(top, wanted).sum() / wanted.size)


def ndcg_at_k(ranked: ArrayLike, relevant: ArrayLike, k: int) -> float:
    """Binary-gain NDCG: DCG of the top ``k`` over the DCG of an ideal ranking."""
    wanted = np.unique(np.asarray(relevant))
    if wanted.size == 0:
        raise ValueError("NDCG is undefined without relevant items")
    top = np.asarray(ranked)[:k]
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float(discounts[: top.size][np.isin(top, wanted)].sum())
    return dcg / float(discounts[: min(k, wanted.size)].sum())


def interaction_matrix(
    interactions: Interactions, n_users: int, n_items: int, *, binary: bool = True
) -> sp.csr_matrix:
    """Users x items; repeated pairs are summed (or set to 1 when ``binary``)."""
    values = np.ones(len(interactions)) if binary else interactions.weights.astype(np.float64)
    matrix = sp.csr_matrix(
        (values, (interactions.users, interactions.items)), shape=(n_users, n_items)
    )
    matrix.sum_duplicates()
    if binary:
        matrix.data[:] = 1.0
    return matrix


@dataclass(frozen=True, eq=False)
class EvaluationResult:
    recall: float
    ndcg: float
    users: int
    k: int
    # Each test user's Recall@k, in the order of split.test_users(): for paired comparisons.
    user_recalls: FloatArray


def evaluate(
    score_batch: BatchScorer,
    split: Split,
    n_items: int,
    *,
    k: int = 20,
    exclude_seen: bool = True,
    batch_size: int = 512,
) -> EvaluationResult:
    """Mean Recall@k and NDCG@k over the split's test users.

    Items in a user's training history are never recommended when ``exclude_seen``: the task is
    to predict what the user has not bought (or read) before.
    """
    users = split.test_users()
    if users.size == 0:
        raise ValueError("the split has no test users")
    n_users = int(max(split.train.users.max(initial=0), users.max())) + 1
    history = interaction_matrix(split.train, n_users, n_items)
    test = interaction_matrix(split.test, n_users, n_items)
    recalls, ndcgs = [], []
    for start in range(0, users.size, batch_size):
        batch = users[start : start + batch_size]
        rows = history[batch]
        scores = np.array(score_batch(batch, rows), dtype=np.float64)
        if scores.shape != (batch.size, n_items):
            raise ValueError(f"scorer returned shape {scores.shape}, not {(batch.size, n_items)}")
        if exclude_seen:
            scores[rows.nonzero()] = -np.inf
        for position, user in enumerate(batch):
            ranked = top_items(scores[position], k)
            relevant = test[user].indices
            recalls.append(recall_at_k(ranked, relevant, k))
            ndcgs.append(ndcg_at_k(ranked, relevant, k))
    return EvaluationResult(
        recall=float(np.mean(recalls)),
        ndcg=float(np.mean(ndcgs)),
        users=int(users.size),
        k=k,
        user_recalls=np.asarray(recalls, dtype=np.float64),
    )


def top_items(scores: NDArray[np.floating], k: int) -> IntArray:
    """Indices of the ``k`` best scores, best first (ties: lower index first)."""
    k = min(k, scores.shape[0])
    candidates = np.argpartition(-scores, k - 1)[:k]
    return candidates[np.lexsort((candidates, -scores[candidates]))].astype(np.int64)


@dataclass(frozen=True)
class PairedDifference:
    """Mean of ``first - second`` over the same users, with a bootstrap confidence interval."""

    mean: float
    low: float
    high: float
    level: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0.0 or self.high < 0.0


def paired_difference(
    first: ArrayLike,
    second: ArrayLike,
    rng: np.random.Generator,
    *,
    level: float = 0.95,
    resamples: int = 2000,
) -> PairedDifference:
    """Percentile bootstrap over users of the mean per-user difference of two models' metric
    (users resampled with replacement, the same draw for both models: a paired interval)."""
    a, b = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(
            f"need two equally long, non-empty per-user arrays, got {a.shape}, {b.shape}"
        )
    if not 0.0 < level < 1.0 or resamples < 1:
        raise ValueError("level must be in (0, 1) and resamples positive")
    differences = a - b
    means = np.empty(resamples)
    for start in range(0, resamples, 250):  # in chunks: (resamples x users) indices get big
        draws = rng.integers(
            0, differences.size, size=(min(250, resamples - start), differences.size)
        )
        means[start : start + draws.shape[0]] = differences[draws].mean(axis=1)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return PairedDifference(float(differences.mean()), float(low), float(high), level)


def recall_per_user(
    scores: NDArray[np.floating], seen: sp.csr_matrix, test: sp.csr_matrix, k: int
) -> FloatArray:
    """Each row's Recall@k: ``scores``, ``seen`` (never recommended) and ``test`` (the held-out
    items, at least one per row) are users x items with the same rows. Per user, so that two
    models' recalls can be compared pairwise."""
    if not scores.shape == seen.shape == test.shape:
        raise ValueError(f"shapes differ: {scores.shape}, {seen.shape}, {test.shape}")
    masked = np.array(scores, dtype=np.float64)
    masked[seen.nonzero()] = -np.inf
    return np.array(
        [recall_at_k(top_items(row, k), test[i].indices, k) for i, row in enumerate(masked)]
    )
