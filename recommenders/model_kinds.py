"""The kinds of reference model: a linear two-tower warm-started from item-item factors and
fine-tuned by softmax, a content model over titles, and popularity."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as sparse_linalg
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.baselines import EASE, SECONDS_PER_DAY
from recommenders.built_model import BuiltModel, bundle_catalog, input_blocks, reference_manifest
from recommenders.datasets import Catalog
from recommenders.embeddings import EMBEDDING_DIM, MODEL_ID
from recommenders.evaluation import interaction_matrix, recall_at_k, top_items
from recommenders.features import PROFILE_DIM
from recommenders.tasks import Task
from recommenders.training_examples import (
    ExampleSource,
    TitleTable,
    TrainingExamples,
    training_examples,
)

if TYPE_CHECKING:
    from recommenders.training import TwoTower


FloatArray = NDArray[np.float32]


def low_rank_ease(train: sp.csr_matrix, dim: int, l2: float) -> tuple[FloatArray, FloatArray]:
    """Factors (W, V) of a rank-``dim`` approximation W V^T of EASE's item-item weights."""
    weights = EASE(l2).fit(train).weights
    assert weights is not None
    left, singular, right = sparse_linalg.svds(weights, k=dim, random_state=0)
    root = np.sqrt(singular)
    return (left * root).astype(np.float32), (right.T * root).astype(np.float32)


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
    # torch only here: the demo and the device read the reference tasks without training.
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
        manifest=reference_manifest(
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
            input_blocks(task, history=True),
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
        manifest=reference_manifest(
            name,
            f"Content model over {task.name}: titles and your {task.category.value} profile "
            f"compared in the {MODEL_ID} embedding space (top {dim} directions).",
            task,
            dim,
            input_blocks(task, history=False),
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
        manifest=reference_manifest(
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
