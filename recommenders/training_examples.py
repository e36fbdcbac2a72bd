"""Training examples of the reference models: tower inputs computed by the device's own feature
functions (so a bundle sees in use what it saw in training) and the items each should rank."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from recommenders.activity import ActivityEvent
from recommenders.embeddings import EMBEDDING_DIM, Embedder
from recommenders.features import (
    PROFILE_DIM,
    extract_features,
)
from recommenders.tasks import BOOKS_EVENT_TIME, Task

FloatArray = NDArray[np.float32]


# Yields (user, tower input row, items to predict) for a dataset's training part.
ExampleSource = Callable[
    ["FeatureBuilder", np.random.Generator], Iterator[tuple[int, sp.csr_matrix, list[int]]]
]


class TitleTable:
    """An :class:`Embedder` over a fixed set of titles, embedded once by a real embedder."""

    def __init__(self, titles: Sequence[str], embedder: Embedder) -> None:
        unique = list(dict.fromkeys(titles))
        self.model_id = embedder.model_id
        self._row = {title: row for row, title in enumerate(unique)}
        self.vectors = embedder.embed(unique)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        try:
            return self.vectors[[self._row[text] for text in texts]].reshape(-1, EMBEDDING_DIM)
        except KeyError as missing:
            raise ValueError(f"title {missing} is not in the table") from None


class FeatureBuilder:
    """Tower inputs of a model reading one category profile and the catalog history."""

    def __init__(self, task: Task, table: TitleTable, *, history: bool = True) -> None:
        self.task = task
        self.table = table
        self.index = task.index() if history else None

    @property
    def width(self) -> int:
        return PROFILE_DIM + (self.task.items if self.index is not None else 0)

    def row(self, events: Sequence[ActivityEvent], now: datetime) -> sp.csr_matrix:
        category = self.task.category
        features = extract_features(
            events,
            {category},
            [category],
            self.index,
            embedder=self.table,
            now=now,
            aggregation={category.value: self.task.aggregation},
        )
        profile = sp.csr_matrix(features.profile_vector()[None, :])
        if features.history is None:
            return profile
        history = features.history
        matrix = sp.csr_matrix(
            (history.weights, (np.zeros_like(history.indices), history.indices)),
            shape=(1, self.task.items),
        )
        stacked: sp.csr_matrix = sp.hstack([profile, matrix], format="csr")
        return stacked

    def rows(self, histories: Sequence[tuple[Sequence[ActivityEvent], datetime]]) -> sp.csr_matrix:
        stacked: sp.csr_matrix = sp.vstack(
            [self.row(events, now) for events, now in histories], format="csr"
        )
        return stacked

    def test_rows(self, users: NDArray[np.int64]) -> sp.csr_matrix:
        return self.rows([(self.task.events(int(u)), self.task.times[int(u)]) for u in users])


def _targets(item_sets: Sequence[Sequence[int]], items: int) -> sp.csr_matrix:
    indices = np.concatenate([np.asarray(s, dtype=np.int64) for s in item_sets])
    pointers = np.cumsum([0] + [len(s) for s in item_sets])
    values = np.ones(indices.size, np.float32)
    return sp.csr_matrix((values, indices, pointers), shape=(len(item_sets), items))


def retail_examples(
    task: Task, features: FeatureBuilder, *, max_baskets: int = 8, rebuys: bool = False
) -> Iterator[tuple[int, sp.csr_matrix, list[int]]]:
    """Next-basket examples inside the training period: (user, features, new items bought);
    with ``rebuys``, every item of the basket (re-buys are to be predicted too)."""
    train = task.train
    assert train.times is not None and train.baskets is not None
    for user in np.unique(train.users).tolist():
        events = task.events(user)
        rows = np.flatnonzero(train.users == user)
        rows = rows[np.argsort(train.times[rows], kind="stable")]
        baskets = list(dict.fromkeys(train.baskets[rows].tolist()))[1:][-max_baskets:]
        for basket in baskets:
            in_basket = rows[train.baskets[rows] == basket]
            moment = int(train.times[in_basket].min())
            before = rows[train.times[rows] < moment]
            bought_before = set() if rebuys else set(train.items[before].tolist())
            new = sorted(set(train.items[in_basket].tolist()) - bought_before)
            if before.size == 0 or not new:
                continue
            now = datetime.fromtimestamp(moment, tz=UTC)
            yield user, features.row([e for e in events if e.time < now], now), new


def books_examples(
    task: Task,
    features: FeatureBuilder,
    rng: np.random.Generator,
    *,
    resamples: int = 1,
    predicted: NDArray[np.bool_] | None = None,
) -> Iterator[tuple[int, sp.csr_matrix, list[int]]]:
    """Hide a random 20% of each reader's liked books and predict them from the rest.

    ``predicted`` (per training row; default ``task.liked``) says which rows may be hidden:
    the rest are always shown, as input only."""
    train = task.train
    hideable = task.liked if predicted is None else predicted
    if hideable.shape != (len(train),):
        raise ValueError(f"predicted must hold one flag per training row ({len(train)})")
    for user in np.unique(train.users).tolist():
        events = task.events(user)  # undated: in the order of the user's rows
        liked = np.flatnonzero(hideable[train.users == user]).tolist()
        if len(liked) < 5:
            continue
        for _ in range(resamples):
            hidden = set(rng.choice(liked, size=max(1, len(liked) // 5), replace=False).tolist())
            shown = [e for i, e in enumerate(events) if i not in hidden]
            row = features.row(shown, BOOKS_EVENT_TIME)
            index = features.index
            assert index is not None
            targets = sorted({r for i in hidden for r in index.match(events[i])})
            if targets:
                yield user, row, targets


@dataclass(frozen=True, eq=False)
class TrainingExamples:
    """Two-tower training pairs in the order made: whose, tower input rows, items to rank."""

    users: NDArray[np.int64]
    rows: sp.csr_matrix
    targets: sp.csr_matrix


def training_examples(
    task: Task, table: TitleTable, source: ExampleSource, rng: np.random.Generator
) -> TrainingExamples:
    features = FeatureBuilder(task, table)
    users, rows, targets = [], [], []
    for user, row, wanted in source(features, rng):
        users.append(user)
        rows.append(row)
        targets.append(wanted)
    return TrainingExamples(
        np.asarray(users, dtype=np.int64),
        sp.vstack(rows, format="csr"),
        _targets(targets, task.items),
    )
