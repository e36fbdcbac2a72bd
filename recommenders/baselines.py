"""Plaintext baselines the reference models are measured against: popularity (overall and
recent), what the user bought most, item-kNN, EASE, implicit's ALS, and blends of them."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from recommenders.datasets import Interactions

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
SECONDS_PER_DAY = 86_400


def _dense_rows(history: sp.csr_matrix) -> FloatArray:
    return np.asarray(history.toarray(), dtype=np.float64)


class Popularity:
    """Every user gets the items bought (or read) by the most users."""

    def __init__(self) -> None:
        self.counts: FloatArray | None = None

    def fit(self, train: sp.csr_matrix) -> Popularity:
        self.counts = np.asarray((train > 0).sum(axis=0), dtype=np.float64).ravel()
        return self

    def score(self, history: sp.csr_matrix) -> FloatArray:
        if self.counts is None:
            raise RuntimeError("call fit() first")
        return np.tile(self.counts, (history.shape[0], 1))


class ItemKNN:
    """Item-item cosine similarity over co-occurrence, keeping each item's top neighbours."""

    def __init__(self, neighbours: int = 200) -> None:
        self.neighbours = neighbours
        self.similarity: sp.csr_matrix | None = None

    def fit(self, train: sp.csr_matrix) -> ItemKNN:
        binary = (train > 0).astype(np.float64)
        norms = np.sqrt(np.asarray(binary.sum(axis=0)).ravel())
        norms[norms == 0] = 1.0
        cosine = (binary.T @ binary).toarray() / np.outer(norms, norms)
        np.fill_diagonal(cosine, 0.0)
        if self.neighbours < cosine.shape[0]:
            # Keep each column's strongest neighbours: less noise from rare co-occurrences.
            cut = np.argpartition(-cosine, self.neighbours, axis=0)[self.neighbours :]
            np.put_along_axis(cosine, cut, 0.0, axis=0)
        self.similarity = sp.csr_matrix(cosine)
        return self

    def score(self, history: sp.csr_matrix) -> FloatArray:
        if self.similarity is None:
            raise RuntimeError("call fit() first")
        return np.asarray((history @ self.similarity).toarray(), dtype=np.float64)


class EASE:
    """Embarrassingly Shallow Autoencoder (Steck, 2019): closed-form item-item weights."""

    def __init__(self, l2: float = 200.0) -> None:
        self.l2 = l2
        self.weights: FloatArray | None = None

    def fit(self, train: sp.csr_matrix) -> EASE:
        binary = (train > 0).astype(np.float64)
        gram = (binary.T @ binary).toarray()
        gram[np.diag_indices_from(gram)] += self.l2
        precision = np.linalg.inv(gram)
        weights = -precision / np.diag(precision)
        np.fill_diagonal(weights, 0.0)
        self.weights = weights
        return self

    def score(self, history: sp.csr_matrix) -> FloatArray:
        if self.weights is None:
            raise RuntimeError("call fit() first")
        return _dense_rows((history > 0).astype(np.float64)) @ self.weights


class RecentPopularity:
    """Each user gets the items bought most often in the ``window_days`` before the moment
    they ask: only events strictly before that moment count, so nothing leaks from later."""

    def __init__(self, window_days: float) -> None:
        if not window_days > 0:
            raise ValueError(f"window_days must be positive, got {window_days}")
        self.window_days = window_days
        self._times: IntArray | None = None
        self._items: IntArray | None = None
        self._n_items = 0

    def fit(self, train: Interactions, n_items: int) -> RecentPopularity:
        if train.times is None:
            raise ValueError("recent popularity needs interactions with times")
        if len(train) and int(train.items.max()) >= n_items:
            raise ValueError(f"an item index is beyond the catalog's {n_items} items")
        order = np.argsort(train.times, kind="stable")
        self._times, self._items, self._n_items = train.times[order], train.items[order], n_items
        return self

    def score_at(self, query_times: IntArray) -> FloatArray:
        """Per query time (UTC seconds), the events of every item in the window before it."""
        if self._times is None or self._items is None:
            raise RuntimeError("call fit() first")
        window = int(self.window_days * SECONDS_PER_DAY)
        starts = np.searchsorted(self._times, query_times - window, side="left")
        ends = np.searchsorted(self._times, query_times, side="left")
        counts = np.zeros((len(query_times), self._n_items), dtype=np.float64)
        for row, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            counts[row] = np.bincount(self._items[start:end], minlength=self._n_items)
        return counts


class MostBought:
    """What you bought most: each user's own history, summed (re-buys are the prediction)."""

    def score(self, history: sp.csr_matrix) -> FloatArray:
        return _dense_rows(history)


def blend(first: FloatArray, second: FloatArray, weight: float) -> FloatArray:
    """(1 - weight) x first + weight x second, each user's row first scaled to a largest
    absolute score of 1, so the weight does not depend on either model's score scale."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"the blend weight must be in [0, 1], got {weight}")
    if first.shape != second.shape:
        raise ValueError(f"cannot blend scores of shapes {first.shape} and {second.shape}")

    def scaled(scores: FloatArray) -> FloatArray:
        largest = np.abs(scores).max(axis=1, keepdims=True)
        return scores / np.where(largest > 0, largest, 1.0)

    return (1.0 - weight) * scaled(first) + weight * scaled(second)


class ALS:
    """implicit's alternating least squares for implicit feedback (Hu, Koren & Volinsky, 2008).

    One thread and a seed, so a fit repeats exactly; users' factors are recomputed from the
    history rows given to :meth:`score`, like EASE's and item-kNN's scores.
    """

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.01,
        *,
        alpha: float = 1.0,
        iterations: int = 15,
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.seed = seed
        self._model: Any = None  # implicit ships no type information

    def fit(self, train: sp.csr_matrix) -> ALS:
        # Imported here: implicit is a training-only extra the app and server never need.
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        # implicit warns (and runs slowly) when BLAS has its own thread pool.
        with threadpool_limits(1, "blas"):
            model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                num_threads=1,
                random_state=self.seed,
            )
            model.fit(sp.csr_matrix((train > 0).astype(np.float32)), show_progress=False)
        self._model = model
        return self

    def score(self, history: sp.csr_matrix) -> FloatArray:
        if self._model is None:
            raise RuntimeError("call fit() first")
        binary = sp.csr_matrix((history > 0).astype(np.float32))
        users = self._model.recalculate_user(np.arange(binary.shape[0]), binary)
        return np.asarray(users @ self._model.item_factors.T, dtype=np.float64)
