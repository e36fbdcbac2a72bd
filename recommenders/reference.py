"""The reference models, the market's first competitors, built from the data shipped here.

Training inputs are computed by the same feature functions the device runs
(:func:`recommenders.features.extract_features`), so a bundle sees in use what it saw in
training. Each dataset is split once (:class:`Task`); models train on the training part only.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sparse_linalg
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.activity import ActivityEvent, Category
from recommenders.baselines import EASE, SECONDS_PER_DAY
from recommenders.datasets import (
    DATA_DIR,
    GOODBOOKS_SOURCE,
    ONLINE_RETAIL_SOURCE,
    Catalog,
    Interactions,
    Split,
    history_events,
    load_goodbooks,
    load_online_retail,
    random_holdout_split,
    temporal_last_basket_split,
)
from recommenders.embeddings import EMBEDDING_DIM, MODEL_ID, Embedder
from recommenders.evaluation import interaction_matrix, recall_at_k, top_items
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    PROFILE_DIM,
    CatalogIndex,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.runner import TowerRunner

if TYPE_CHECKING:
    from recommenders.training import TwoTower

FloatArray = NDArray[np.float32]
# Goodbooks and Last.fm have no timestamps: every such event is dated here, so recency
# weights are equal.
BOOKS_EVENT_TIME = datetime(2017, 9, 1, tzinfo=UTC)
LIKED_RATING = 4.0  # goodbooks: a rating that says "liked", held out by the test split
VERSION = "1.0.0"


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


RETAIL = bundle.CatalogInfo(
    source=ONLINE_RETAIL_SOURCE,
    description="Gift-ware of one UK online shop",
    region="United Kingdom",
    period="December 2010 to December 2011",
    licence="CC0 1.0",
    licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
    attribution="UCI Online Retail (Chen, Sain and Guo, 2012)",
)
GOODBOOKS = bundle.CatalogInfo(
    source=GOODBOOKS_SOURCE,
    description="Popular books on Goodreads",
    region="worldwide, mostly in English",
    period="published up to 2017",
    licence="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    attribution="goodbooks-10k by Zygmunt Zając",
    display=(
        bundle.DisplayField("authors", "by"),
        bundle.DisplayField("original_publication_year", "first published"),
    ),
    link_field="url",
)


@dataclass(frozen=True, eq=False)
class Task:
    """One dataset, split once: what models train on and how they are tested.

    ``validation`` splits ``train`` exactly as ``split`` splits the whole data; every
    hyperparameter is chosen on it, so the test split is only ever looked at to report.
    """

    name: str
    category: Category
    catalog: Catalog
    train: Interactions  # everything a model may learn from, side data included
    split: Split  # split.test holds the items to predict for each test user
    times: dict[int, datetime]  # the moment each test user asks for recommendations
    liked: NDArray[np.bool_]  # per training row: a positive signal (bought, rated >= 4, to-read)
    info: bundle.CatalogInfo  # the catalog in people's words, its licence and how it is matched
    # Inside ``train``, carved out the way ``split`` is carved out of everything; None: this
    # task is itself a validation stage (or has none).
    validation: Split | None = None
    # Per validation.train row, like ``liked``; None: every row is a positive signal.
    validation_liked: NDArray[np.bool_] | None = None

    @property
    def items(self) -> int:
        return len(self.catalog)

    def events(self, user: int, train: Interactions | None = None) -> list[ActivityEvent]:
        """The user's history in ``train`` (default: the task's whole training part)."""
        history = self.train if train is None else train
        return history_events(history, self.catalog, user, undated_time=BOOKS_EVENT_TIME)

    def query_times(self, split: Split) -> dict[int, datetime]:
        """When each test user of ``split`` (the task's own or its validation) asks."""
        if split is self.split:
            return self.times
        return held_out_times(split)

    def validation_task(self) -> Task:
        """The same task one step earlier, to tune a model on: it trains on validation.train
        and is tested on validation.test (and has no validation of its own); the test split
        is never seen."""
        validation = self.validation
        if validation is None:
            raise ValueError(f"task {self.name!r} has no validation split")
        train = validation.train
        liked = self.validation_liked
        return Task(
            self.name,
            self.category,
            self.catalog,
            train,
            validation,
            held_out_times(validation),
            np.ones(len(train), np.bool_) if liked is None else liked,
            self.info,
        )

    def index(self) -> CatalogIndex:
        """The catalog index a device builds for this catalog (see features.catalog_index)."""
        info = self.info
        links = None
        if info.link_field is not None:
            links = [m.get(info.link_field) for m in self.catalog.metadata]
        return CatalogIndex(self.catalog, info.source, match=info.match, links=links)

    def seen(self, users: NDArray[np.int64]) -> sp.csr_matrix:
        """Binary users x items matrix of the training history (rows follow ``users``)."""
        matrix = interaction_matrix(self.train, int(self.train.users.max()) + 1, self.items)
        return matrix[users]


def held_out_times(split: Split) -> dict[int, datetime]:
    """Each test user's first held-out moment (undated data: the one undated time)."""
    users = split.test_users()
    if split.test.times is None:
        return dict.fromkeys(users.tolist(), BOOKS_EVENT_TIME)
    order = np.lexsort((split.test.times, split.test.users))
    first = order[np.searchsorted(split.test.users[order], users)]
    return {
        int(user): datetime.fromtimestamp(int(moment), tz=UTC)
        for user, moment in zip(users.tolist(), split.test.times[first].tolist(), strict=True)
    }


def retail_task(*, new_only: bool = True) -> Task:
    """Online Retail: each customer's last basket is the test; ``new_only=False`` keeps re-buys
    in it (the "re-buys count" protocol). Validation is each customer's last training basket."""
    data = load_online_retail()
    split = temporal_last_basket_split(data.purchases, new_only=new_only)
    validation = temporal_last_basket_split(split.train, new_only=new_only)
    liked = np.ones(len(split.train), dtype=np.bool_)
    name = "online-retail" if new_only else "online-retail-rebuys"
    return Task(
        name,
        Category.PURCHASES,
        data.catalog,
        split.train,
        split,
        held_out_times(split),
        liked,
        RETAIL,
        validation=validation,
    )


def rated_liked(task: Task) -> NDArray[np.bool_]:
    """Per goodbooks training row: a book the reader rated >= 4, what the test split holds
    out; to-read marks (weighted 1 by load_goodbooks) are input only, never a target."""
    return task.liked & (task.train.weights >= LIKED_RATING)


def books_task(seed: int = 0) -> Task:
    """Goodbooks: a seeded 20% of each reader's liked books is the test, and a further seeded
    20% of the liked books left in training is the validation."""
    data = load_goodbooks()
    split = random_holdout_split(data.ratings, np.random.default_rng(seed))
    # Seeded seed + 1: cross-books picked its shipped settings on this very validation split.
    inner = random_holdout_split(split.train, np.random.default_rng(seed + 1))
    train = _concatenate(split.train, data.to_read)
    liked = np.concatenate(
        [split.train.weights >= LIKED_RATING, np.ones(len(data.to_read), np.bool_)]
    )
    return Task(
        "goodbooks",
        Category.BOOKS,
        data.catalog,
        train,
        split,
        held_out_times(split),
        liked,
        GOODBOOKS,
        validation=Split(train=_concatenate(inner.train, data.to_read), test=inner.test),
        validation_liked=np.concatenate(
            [inner.train.weights >= LIKED_RATING, np.ones(len(data.to_read), np.bool_)]
        ),
    )


def _concatenate(first: Interactions, second: Interactions) -> Interactions:
    return Interactions(
        users=np.concatenate([first.users, second.users]),
        items=np.concatenate([first.items, second.items]),
        weights=np.concatenate([first.weights, second.weights]),
    )


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
            events, {category}, [category], self.index, embedder=self.table, now=now
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
class BuiltModel:
    """A reference model ready to export: manifest, tower weights, item table, catalog."""

    manifest: bundle.Manifest
    tower: dict[str, FloatArray]
    items: FloatArray
    catalog: bundle.Catalog

    def save(self, directory: str | Path) -> Path:
        return bundle.save_bundle(
            directory,
            manifest=self.manifest,
            tower=self.tower,
            items=self.items,
            catalog=self.catalog,
        )


def round_significand(values: NDArray[np.float32], bits: int) -> FloatArray:
    """float32 values rounded to nearest with ``bits`` of the 23 stored significand bits kept,
    the rest zero: deflate packs such tensors about 40% smaller (at 9 bits), and each value
    moves by at most 2 ** -(bits + 1) of itself."""
    if not 1 <= bits <= 23:
        raise ValueError(f"keep 1 to 23 significand bits, not {bits}")
    array = np.ascontiguousarray(values, dtype=np.float32)
    if not np.all(np.isfinite(array)):
        raise ValueError("only finite values can be rounded")
    dropped = 23 - bits
    if dropped == 0:
        return array.copy()
    pattern = array.view(np.uint32).astype(np.uint64)
    # Adding half of the dropped part carries into the exponent when the significand is full:
    # that is rounding up to the next power of two, as it should be.
    pattern = (pattern + (1 << (dropped - 1))) & ~np.uint64((1 << dropped) - 1)
    rounded = pattern.astype(np.uint32).view(np.float32)
    if not np.all(np.isfinite(rounded)):
        raise ValueError("rounding overflowed float32")
    return rounded


def with_significand_bits(built: BuiltModel, bits: int) -> BuiltModel:
    """``built`` with its tower and item table rounded by :func:`round_significand`."""
    tower = {name: round_significand(tensor, bits) for name, tensor in built.tower.items()}
    note = f" Weights rounded to {bits} significand bits, to keep the bundle small."
    manifest = dataclasses.replace(built.manifest, description=built.manifest.description + note)
    return BuiltModel(manifest, tower, round_significand(built.items, bits), built.catalog)


def bundle_catalog(catalog: Catalog) -> bundle.Catalog:
    return bundle.Catalog.from_items(
        bundle.CatalogItem(item_id=i, title=t, category=str(c), metadata=dict(m))
        for i, t, c, m in zip(
            catalog.item_ids, catalog.titles, catalog.categories, catalog.metadata, strict=True
        )
    )


def _manifest(
    name: str,
    description: str,
    task: Task,
    dim: int,
    inputs: Sequence[bundle.InputBlock],
    tower: Sequence[bundle.Layer],
    *,
    policy: str = "new-only",
    relevance_floor: float | None = None,
) -> bundle.Manifest:
    return bundle.Manifest(
        name=name,
        version=VERSION,
        description=description,
        categories=(task.category.value,),
        feature_schema=FEATURE_SCHEMA_VERSION,
        dim=dim,
        items=task.items,
        inputs=tuple(inputs),
        tower=tuple(tower),
        catalog=task.info,
        policy=policy,
        relevance_floor=relevance_floor,
    )


def _inputs(task: Task, history: bool) -> list[bundle.InputBlock]:
    blocks = [
        bundle.InputBlock(
            name=f"profile:{task.category.value}",
            kind="category_profile",
            size=PROFILE_DIM,
            category=task.category.value,
        )
    ]
    if history:
        blocks.append(bundle.InputBlock(name="history", kind="catalog_history", size=task.items))
    return blocks


FLOOR_QUANTILE = 0.01


def relevance_floor(
    user_vectors: FloatArray, items: FloatArray, quantile: float = FLOOR_QUANTILE
) -> float:
    """The score below which a list fits nobody: the ``quantile`` of the best score real
    users of the dataset get (their tower outputs, one row each, from validation data). A
    user whose best item scores lower than 99% of real users' best is told nothing fits,
    rather than shown a list of what happens to score least badly."""
    if user_vectors.ndim != 2 or user_vectors.shape[0] == 0:
        raise ValueError("need at least one user vector to set a relevance floor")
    best = (user_vectors.astype(np.float64) @ items.astype(np.float64).T).max(axis=1)
    return float(np.quantile(best, quantile))


def low_rank_ease(train: sp.csr_matrix, dim: int, l2: float) -> tuple[FloatArray, FloatArray]:
    """Factors (W, V) of a rank-``dim`` approximation W V^T of EASE's item-item weights."""
    weights = EASE(l2).fit(train).weights
    assert weights is not None
    left, singular, right = sparse_linalg.svds(weights, k=dim, random_state=0)
    root = np.sqrt(singular)
    return (left * root).astype(np.float32), (right.T * root).astype(np.float32)


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


def popularity_column(task: Task, window_days: float | None = None) -> FloatArray:
    """Training events per item, the largest 1; with ``window_days`` only those of the last
    days of the training data: what a market rebuilding its bundle regularly would ship as
    "popular now"."""
    train = task.train
    if window_days is not None:
        if train.times is None:
            raise ValueError(f"{task.name} has no times: recent popularity is undefined")
        recent = train.times >= int(train.times.max()) - int(window_days * SECONDS_PER_DAY)
        train = train.select(recent)
    counts = np.bincount(train.items, minlength=task.items).astype(np.float64)
    return (counts / max(float(counts.max()), 1.0)).astype(np.float32)


def ease_score_factors(train: sp.csr_matrix, dim: int, l2: float) -> tuple[FloatArray, FloatArray]:
    """Factors (W, V) with X W V^T the best rank-``dim`` approximation of EASE's training
    scores X B: V spans the top right singular vectors of X B and W = B V. The weights'
    own SVD (low_rank_ease) keeps directions of B that no real history excites; this keeps
    those the users' scores use (Last.fm validation Recall@20 of the trained rank-64
    two-tower at l2 = 100: 0.2629 against 0.2585; benchmarks/music_tuning.py)."""
    weights = EASE(l2).fit(train).weights
    assert weights is not None
    scores = (train > 0).astype(np.float64) @ weights
    _, _, right = sparse_linalg.svds(scores, k=dim, random_state=0)
    items = right.T
    return (weights @ items).astype(np.float32), items.astype(np.float32)


def low_rank_ridge(train: sp.csr_matrix, dim: int, l2: float) -> tuple[FloatArray, FloatArray]:
    """Factors (W, V) of the rank-``dim`` part of ridge regression of each history on itself,
    (G + l2 I)^-1 G with G = X^T X: V holds the top right singular vectors of X, W = V shrunk
    by s^2 / (s^2 + l2). Unlike EASE (whose diagonal is held at 0) it gives back the items a
    user already has: the warm start of a model that ranks re-buys."""
    binary = (train > 0).astype(np.float64)
    _, singular, right = sparse_linalg.svds(binary, k=dim, random_state=0)
    items = right.T
    shrink = singular**2 / (singular**2 + l2)
    return (items * shrink).astype(np.float32), items.astype(np.float32)


# Rank-``dim`` factors (history weights W, item table V) of an item-item model fitted on a
# binary users x items matrix with regularisation l2.
WarmStart = Callable[[sp.csr_matrix, int, float], tuple[FloatArray, FloatArray]]


def _warm_start_name(warm_start: WarmStart) -> str:
    if warm_start is low_rank_ridge:
        return "a low-rank ridge regression of histories on themselves"
    return "low-rank EASE"


def _fine_tune(
    network: TwoTower,
    task: Task,
    table: TitleTable,
    examples: ExampleSource | TrainingExamples,
    *,
    seed: int,
    epochs: int,
    lr: float,
    tower_only: bool,
    again: bool,
    progress: bool,
) -> None:
    """Fine-tune ``network`` by full softmax on ``examples``, early-stopped on the last example
    of a random tenth of the users (never trained on); see train_two_tower."""
    import torch

    from recommenders.training import Examples, TwoTowerEstimator

    rng = np.random.default_rng(seed)
    if not isinstance(examples, TrainingExamples):
        examples = training_examples(task, table, examples, rng)
    user_array, all_rows, all_targets = examples.users, examples.rows, examples.targets
    last = np.flatnonzero(np.append(user_array[1:] != user_array[:-1], True))
    held = last[rng.random(last.size) < 0.1]
    trained = np.setdiff1d(np.arange(len(user_array)), held)
    history_columns = slice(PROFILE_DIM, PROFILE_DIM + task.items)
    validation_seen = all_rows[held][:, history_columns]

    def validate(network: TwoTower) -> float:
        scores = network(torch.from_numpy(all_rows[held].toarray())).numpy()
        if not again:
            scores[validation_seen.nonzero()] = -np.inf
        recalls = [
            recall_at_k(top_items(row_scores, 20), all_targets[h].indices, 20)
            for row_scores, h in zip(scores, held, strict=True)
        ]
        return float(np.mean(recalls))

    trained_parameters = network.tower.parameters() if tower_only else network.parameters()
    estimator = TwoTowerEstimator(
        network,
        rng=rng,
        epochs=epochs,
        patience=3,
        progress=progress,
        optimizer=torch.optim.Adam(trained_parameters, lr=lr),
    )
    estimator.fit(Examples(all_rows[trained], all_targets[trained]), validate)


def train_two_tower(
    task: Task,
    table: TitleTable,
    *,
    name: str,
    dim: int,
    examples: ExampleSource | TrainingExamples,
    seed: int = 0,
    epochs: int = 30,
    l2: float = 500.0,
    prior: FloatArray | None = None,
    prior_weight: float = 0.0,
    prior_per_history: float = 0.0,
    content_dim: int = 0,
    lr: float = 3e-4,
    progress: bool = True,
    warm_start: WarmStart = low_rank_ease,
    again: bool = False,
) -> BuiltModel:
    """A linear two-tower over [category profile, catalog history], warm-started from a
    low-rank EASE solution and fine-tuned by full softmax on held-out-item examples.

    With a ``prior`` (one value per item, e.g. recent popularity) the item table's ``dim``-th
    column holds it and the tower's bias starts by giving it ``prior_weight``: every user's
    scores then lean towards it, as much as fine-tuning finds useful; ``prior_per_history``
    adds that much for each unit of the user's history weight (the history's scores grow with
    it, so the prior keeps its share).

    With ``content_dim``, each item vector also holds its title projected on the catalog's top
    ``content_dim`` directions (as in :func:`content_model`), the tower starts by projecting
    the profile the same way, and only the tower is fine-tuned: items no one has chosen yet
    (a question asked today) keep a title-based vector instead of being trained away as
    never-chosen.

    With ``again`` (a "new-and-again" model, trained on examples whose targets hold re-buys
    too), early stopping ranks the items in the history as well. With ``epochs`` 0 the warm
    start is the model (no examples are made).
    """
    # torch only here: the demo and the device read this module's tasks without training.
    import torch

    from recommenders.tower import UserTower, tower_state_dict
    from recommenders.training import TwoTower

    history_columns = slice(PROFILE_DIM, PROFILE_DIM + task.items)
    rank = dim if prior is None else dim - 1
    width = PROFILE_DIM + task.items
    layer = bundle.Linear(in_features=width, out_features=dim + content_dim, bias=prior is not None)
    tower = UserTower([layer])
    binary = interaction_matrix(task.train, int(task.train.users.max()) + 1, task.items)
    history_factor, item_factor = warm_start(binary, rank, l2)
    if prior is not None:
        if prior.shape != (task.items,) or not np.all(np.isfinite(prior)):
            raise ValueError(f"the prior must be {task.items} finite values, one per item")
        item_factor = np.hstack([item_factor, prior[:, None].astype(np.float32)])
    projection, title_vectors = title_projection(task.catalog, table, content_dim)
    with torch.no_grad():
        linear = tower.layers[0]
        assert isinstance(linear, torch.nn.Linear)
        weight = linear.weight
        weight.zero_()
        weight[:rank, history_columns] = torch.from_numpy(history_factor.T)
        weight[dim:, :EMBEDDING_DIM] = torch.from_numpy(projection.T)
        if linear.bias is not None:
            linear.bias.zero_()
            linear.bias[rank] = prior_weight
            weight[rank, history_columns] = prior_per_history
    network = TwoTower(tower, torch.from_numpy(np.hstack([item_factor, title_vectors])))
    if epochs > 0:  # else the warm start is the model
        _fine_tune(
            network,
            task,
            table,
            examples,
            seed=seed,
            epochs=epochs,
            lr=lr,
            tower_only=content_dim > 0,
            again=again,
            progress=progress,
        )
    return BuiltModel(
        manifest=_manifest(
            name,
            f"Two-tower model over {task.name}: a linear user tower on the {task.category.value} "
            "profile and catalog history, "
            + ("warm-started from " if epochs else "made of ")
            + _warm_start_name(warm_start)
            + (f" and {content_dim} title directions" if content_dim else "")
            + (", fine-tuned by softmax" if epochs else "")
            + ("; it ranks what you bought too (shown apart, as again)." if again else "."),
            task,
            dim + content_dim,
            _inputs(task, history=True),
            [layer],
        ),
        tower=tower_state_dict(tower),
        items=network.items.detach().numpy().astype(np.float32),
        catalog=bundle_catalog(task.catalog),
    )


def principal_directions(vectors: NDArray[np.floating], dim: int) -> NDArray[np.float64]:
    """The ``dim`` main directions (EMBEDDING_DIM x dim, orthonormal columns) of a catalog's
    text embeddings: projecting items and profiles on them keeps what tells items apart."""
    _, _, right = np.linalg.svd(np.asarray(vectors, dtype=np.float64), full_matrices=False)
    directions: NDArray[np.float64] = right[:dim].T
    return directions


def title_projection(
    catalog: Catalog, table: TitleTable, dim: int
) -> tuple[FloatArray, FloatArray]:
    """The catalog's top ``dim`` title directions (384 x dim) and each title projected on them."""
    titles = table.embed(list(catalog.titles)).astype(np.float64)
    projection = principal_directions(titles, dim)
    return projection.astype(np.float32), (titles @ projection).astype(np.float32)


def content_model(task: Task, table: TitleTable, *, name: str, dim: int) -> BuiltModel:
    """Items are their title embeddings projected to ``dim``; the user is their profile,
    projected the same way. No interaction data: it works for any catalog."""
    projection, title_vectors = title_projection(task.catalog, table, dim)
    weight = np.zeros((dim, PROFILE_DIM), dtype=np.float32)
    weight[:, :EMBEDDING_DIM] = projection.T  # counts do not move the direction
    layer = bundle.Linear(in_features=PROFILE_DIM, out_features=dim, bias=False)
    return BuiltModel(
        manifest=_manifest(
            name,
            f"Content model over {task.name}: titles and your {task.category.value} profile "
            f"compared in the {MODEL_ID} embedding space (top {dim} directions).",
            task,
            dim,
            _inputs(task, history=False),
            [layer],
        ),
        tower={"layers.0.weight": weight},
        items=title_vectors,
        catalog=bundle_catalog(task.catalog),
    )


def popularity_model(task: Task, *, name: str) -> BuiltModel:
    """One column: log(1 + number of readers or buyers); the tower outputs a constant 1."""
    chosen = interaction_matrix(task.train, int(task.train.users.max()) + 1, task.items)
    readers = np.asarray(chosen.sum(axis=0)).ravel()
    return BuiltModel(
        manifest=_manifest(
            name,
            f"Popularity over {task.name}: the items most users chose; reads nothing of yours "
            "but still answers through the encrypted protocol.",
            task,
            1,
            [],
            [bundle.Constant(out_features=1)],
        ),
        tower={},
        items=np.log1p(readers).astype(np.float32)[:, None],
        catalog=bundle_catalog(task.catalog),
    )


@dataclass(frozen=True)
class TwoTowerSettings:
    """A two-tower's hyperparameters, chosen on its task's validation split (trained on
    ``Task.validation_task()``, measured on its test): docs/quality.md lists the candidates."""

    dim: int
    l2: float  # EASE's regularisation in the warm start
    epochs: int
    prior: str | None = None  # "popularity": an item column of (recent) popularity
    prior_days: float | None = None  # the popularity's window; None: all training data
    prior_weight: float = 0.0  # how much the tower's bias gives the prior at the start
    prior_per_history: float = 0.0  # and each unit of history weight (see train_two_tower)
    content_dim: int = 0  # title directions appended to each item vector (see train_two_tower)
    lr: float = 3e-4
    # Re-buys are targets too and early stopping counts them: a "new-and-again" model.
    again: bool = False
    warm_start: WarmStart = low_rank_ease
    # Weights rounded to this many significand bits (round_significand), to fit a wide model
    # in the bundle size; None: exact.
    significant_bits: int | None = None
    resamples: int = 1  # goodbooks: hidden-book draws per reader and epoch of examples


# By dataset, or by model name for a second two-tower on the same dataset.
TWO_TOWER_SETTINGS: dict[str, TwoTowerSettings] = {
    "online-retail": TwoTowerSettings(
        256,
        500.0,
        30,
        "popularity",
        30.0,
        0.0,
        warm_start=ease_score_factors,
        significant_bits=9,
    ),
    # Not fine-tuned (on validation fine-tuning lowered it): the ridge warm start and the
    # popularity column, weighted 0.01 per unit of the customer's history weight.
    "retail-again": TwoTowerSettings(
        256,
        10.0,
        0,
        "popularity",
        30.0,
        prior_per_history=0.01,
        again=True,
        warm_start=low_rank_ridge,
        significant_bits=9,
    ),
    "goodbooks": TwoTowerSettings(80, 100.0, 1, warm_start=ease_score_factors, resamples=4),
    "stackexchange": TwoTowerSettings(32, 100.0, 60, content_dim=64, lr=1e-2),
}


@dataclass(frozen=True)
class ReferenceSpec:
    """How to build one reference model from the shipped data."""

    dataset: str
    kind: str
    description: str
    policy: str = "new-only"  # see bundle.POLICIES
    # Declare a relevance floor, set on the users of the dataset's validation stage.
    floor: bool = False


REFERENCE_MODELS: dict[str, ReferenceSpec] = {
    "retail-two-tower": ReferenceSpec("online-retail", "two-tower", "purchases, d=256", floor=True),
    "retail-content": ReferenceSpec("online-retail", "content", "purchases, d=64", floor=True),
    # New and again: about a third of a shopper's next basket are re-buys; they are shown apart.
    "retail-again": ReferenceSpec(
        "online-retail", "two-tower", "purchases, new and again, d=256", "new-and-again", True
    ),
    "books-two-tower": ReferenceSpec("goodbooks", "two-tower", "books, d=80", floor=True),
    "books-popular": ReferenceSpec("goodbooks", "popularity", "books, d=1"),
    # New questions only: on these sites a person comes back to a question they asked or
    # answered in 2% of their events, and a page already read is one the browser's own
    # history offers again; a recommender earns its place with pages not yet seen.
    "web-two-tower": ReferenceSpec("stackexchange", "two-tower", "web, d=32+64", floor=True),
    "web-content": ReferenceSpec("stackexchange", "content", "web, d=64", floor=True),
    "places-nearby": ReferenceSpec("osm-helsinki", "nearby", "places, d=36"),
    "cross-books": ReferenceSpec("goodbooks", "cross", "books from any category's profile, d=65"),
    # New and again: people replay artists. Built by recommenders.lastfm, with its floors.
    "music-two-tower": ReferenceSpec("lastfm", "two-tower", "music artists, d=64"),
    "music-content": ReferenceSpec("lastfm", "content", "music artists, d=64"),
}


REFERENCE_BUNDLE_DIR = DATA_DIR / "reference"


def shipped_bundle(name: str) -> Path:
    """The prebuilt bundle (zip) of reference model ``name`` that ships with the package."""
    if name not in REFERENCE_MODELS:
        raise ValueError(f"unknown reference model {name!r} (known: {', '.join(REFERENCE_MODELS)})")
    path = REFERENCE_BUNDLE_DIR / f"{name}.zip"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: rebuild it with `make reference-bundles`")
    return path


def load_task(dataset: str, *, validation: bool = False) -> Task:
    """The task of ``dataset``; with ``validation``, its validation stage (train and test both
    inside the test stage's training part), where hyperparameters are chosen."""
    if dataset == "stackexchange":
        # Imported here: the web task module builds on this one's Task.
        from recommenders.stackexchange import stackexchange_task

        return stackexchange_task(validation=validation)
    if dataset == "lastfm":
        # Imported here: recommenders.lastfm builds its Task with this module's helpers.
        from recommenders.lastfm import lastfm_task

        return lastfm_task(validation=validation)
    if dataset == "online-retail":
        task = retail_task()
    elif dataset == "online-retail-rebuys":
        task = retail_task(new_only=False)
    elif dataset == "goodbooks":
        task = books_task()
    else:
        raise ValueError(f"unknown dataset {dataset!r}")
    return task.validation_task() if validation else task


def build_reference_model(
    name: str,
    *,
    embedder: Embedder,
    task: Task | None = None,
    seed: int = 0,
    progress: bool = True,
) -> BuiltModel:
    """Train (or compute) the reference model ``name`` on its dataset's training split."""
    spec = REFERENCE_MODELS.get(name)
    if spec is None:
        known = ", ".join(REFERENCE_MODELS)
        raise ValueError(f"unknown reference model {name!r} (known: {known})")
    if spec.kind == "nearby":
        if task is not None:
            raise ValueError(f"{name} is built on the OpenStreetMap places, not on a task")
        # Imported here: the places model builds on this module's BuiltModel.
        from recommenders.places_model import places_nearby_model

        return places_nearby_model(name, embedder=embedder)
    task = task or load_task(spec.dataset)
    if task.name != spec.dataset:
        raise ValueError(f"{name} is built on {spec.dataset}, not {task.name}")
    if spec.kind == "cross":
        # Imported here: recommenders.cross builds on this module. It picks its settings and
        # sets its floor on its own validation readers (those who share one book).
        from recommenders.cross import build_cross_books

        return build_cross_books(task, task.validation_task(), embedder, name=name)[0]
    if task.name == "lastfm":
        # Imported here: recommenders.lastfm builds its models with this module's helpers,
        # and sets each one's policy and floor.
        from recommenders.lastfm import build_music_model

        return build_music_model(name, spec.kind, task, embedder, seed=seed, progress=progress)
    built = _build(name, spec, task, embedder, seed=seed, progress=progress)
    floor = None
    if spec.floor:
        stage = load_task(task.name, validation=True)
        users = stage.split.test_users()
        vectors = user_vectors(built.manifest, built.tower, built.catalog, stage, users, embedder)
        floor = relevance_floor(vectors.astype(np.float32), built.items)
    manifest = dataclasses.replace(built.manifest, policy=spec.policy, relevance_floor=floor)
    return dataclasses.replace(built, manifest=manifest)


def _build(
    name: str, spec: ReferenceSpec, task: Task, embedder: Embedder, *, seed: int, progress: bool
) -> BuiltModel:
    if spec.kind == "popularity":
        return popularity_model(task, name=name)
    table = TitleTable(list(task.catalog.titles), embedder)
    if spec.kind == "content":
        return content_model(task, table, name=name, dim=64)
    settings = TWO_TOWER_SETTINGS.get(name) or TWO_TOWER_SETTINGS[task.name]
    # Next-basket examples; on the web each visit is its own basket of one question.
    source: ExampleSource = lambda features, _: retail_examples(  # noqa: E731
        task, features, rebuys=settings.again
    )
    if task.name == "goodbooks":
        source = functools.partial(
            books_examples, task, resamples=settings.resamples, predicted=rated_liked(task)
        )
    built = train_two_tower(
        task,
        table,
        name=name,
        dim=settings.dim,
        l2=settings.l2,
        epochs=settings.epochs,
        prior=None if settings.prior is None else popularity_column(task, settings.prior_days),
        prior_weight=settings.prior_weight,
        prior_per_history=settings.prior_per_history,
        content_dim=settings.content_dim,
        lr=settings.lr,
        seed=seed,
        progress=progress,
        examples=source,
        again=settings.again,
        warm_start=settings.warm_start,
    )
    bits = settings.significant_bits
    return built if bits is None else with_significand_bits(built, bits)


def user_vectors(
    manifest: bundle.Manifest,
    tower: Mapping[str, FloatArray],
    catalog: bundle.Catalog,
    task: Task,
    users: NDArray[np.int64],
    embedder: Embedder,
    events: Callable[[int], list[ActivityEvent]] | None = None,
) -> NDArray[np.float64]:
    """Each user's tower output, computed exactly as the device computes it, from
    ``events(user)`` (by default the user's whole training history)."""
    events = events or task.events
    runner = TowerRunner(manifest, tower)
    reads_history = any(block.kind == "catalog_history" for block in manifest.inputs)
    index = catalog_index(catalog, manifest) if reads_history else None
    vectors = []
    for user in users.tolist():
        features = extract_features(
            events(user),
            set(manifest.categories),
            manifest.categories,
            index,
            embedder=embedder,
            now=task.times[user],
            optional=manifest.optional_categories,
        )
        vectors.append(runner(tower_inputs(manifest.inputs, features)))
    return np.asarray(vectors, dtype=np.float64).reshape(len(users), manifest.dim)
