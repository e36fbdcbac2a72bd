"""Plaintext baselines the reference models are measured against: popularity, item-kNN, EASE."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


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
