"""Two-tower training on synthetic data with known structure: quality, the loop, bad input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from recommenders import bundle
from recommenders.baselines import Popularity
from recommenders.datasets import Interactions, Split
from recommenders.evaluation import evaluate, interaction_matrix
from recommenders.tower import UserTower
from recommenders.training import Examples, Loss, TwoTower, TwoTowerEstimator

N_USERS = 300
N_CLUSTERS = 4
N_ITEMS = 60
OWN_ITEMS = N_ITEMS // N_CLUSTERS  # cluster c prefers items [15c, 15c + 15)
POPULAR = np.arange(0, N_ITEMS, 10)  # bought now and then by every cluster
DIM = 8


@dataclass(frozen=True)
class Clustered:
    """Synthetic implicit feedback: a split for evaluation and examples from training users."""

    split: Split
    examples: Examples


def _binary_rows(item_sets: list[list[int]]) -> sp.csr_matrix:
    indices = np.concatenate([np.asarray(s, dtype=np.int64) for s in item_sets])
    pointers = np.cumsum([0] + [len(s) for s in item_sets])
    values = np.ones(indices.size, dtype=np.float32)
    return sp.csr_matrix((values, indices, pointers), shape=(len(item_sets), N_ITEMS))


def _interactions(pairs: list[tuple[int, int]]) -> Interactions:
    users, items = zip(*pairs, strict=True)
    return Interactions(
        users=np.asarray(users, dtype=np.int64),
        items=np.asarray(items, dtype=np.int64),
        weights=np.ones(len(pairs), dtype=np.float32),
    )


def _halves(items: list[int], rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """A random split of a basket into (observed, held out), both non-empty."""
    shuffled = rng.permutation(items).tolist()
    cut = len(shuffled) // 2
    return sorted(shuffled[:cut]), sorted(shuffled[cut:])


def clustered_data(seed: int = 0, resamples: int = 4) -> Clustered:
    """300 users in 4 taste clusters; every fifth user is a test user with half hidden."""
    rng = np.random.default_rng(seed)
    train_pairs: list[tuple[int, int]] = []
    test_pairs: list[tuple[int, int]] = []
    inputs: list[list[int]] = []
    targets: list[list[int]] = []
    for user in range(N_USERS):
        cluster = user % N_CLUSTERS
        own = rng.choice(OWN_ITEMS, size=6, replace=False) + cluster * OWN_ITEMS
        popular = POPULAR[rng.random(POPULAR.size) < 0.4]
        basket = sorted(set(own.tolist()) | set(popular.tolist()))
        if user % 5 == 0:
            observed, hidden = _halves(basket, rng)
            train_pairs += [(user, item) for item in observed]
            test_pairs += [(user, item) for item in hidden]
            continue
        train_pairs += [(user, item) for item in basket]
        for _ in range(resamples):
            observed, hidden = _halves(basket, rng)
            inputs.append(observed)
            targets.append(hidden)
    split = Split(train=_interactions(train_pairs), test=_interactions(test_pairs))
    return Clustered(split, Examples(_binary_rows(inputs), _binary_rows(targets)))


@pytest.fixture(scope="module")
def clustered() -> Clustered:
    return clustered_data()


def linear_two_tower(seed: int = 0) -> TwoTower:
    """A linear user tower over item rows and an item table, both randomly initialised."""
    generator = torch.Generator().manual_seed(seed)
    tower = UserTower([bundle.Linear(in_features=N_ITEMS, out_features=DIM, bias=False)])
    linear = tower.layers[0]
    assert isinstance(linear, torch.nn.Linear)
    with torch.no_grad():
        torch.nn.init.normal_(linear.weight, std=0.1, generator=generator)
    items = torch.randn(N_ITEMS, DIM, generator=generator) * 0.1
    return TwoTower(tower, items)


def estimator(network: TwoTower, *, seed: int = 0, **options: Any) -> TwoTowerEstimator:
    settings: dict[str, Any] = {"epochs": 30, "batch_size": 64, "progress": False, **options}
    return TwoTowerEstimator(
        network,
        rng=np.random.default_rng(seed),
        optimizer=torch.optim.Adam(network.parameters(), lr=0.03),
        **settings,
    )


def popularity_recall(data: Clustered, k: int) -> float:
    counts = interaction_matrix(data.split.train, N_USERS, N_ITEMS)
    popularity = Popularity().fit(counts)
    return evaluate(lambda _, rows: popularity.score(rows), data.split, N_ITEMS, k=k).recall


# --- Quality -------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["softmax", "bpr"])
def test_two_tower_beats_popularity_on_clustered_data(clustered: Clustered, loss: Loss) -> None:
    k = 10
    fitted = estimator(linear_two_tower(), loss=loss)
    fitted.fit(clustered.examples)

    # The test users' training histories are exactly the rows the tower reads.
    result = evaluate(lambda _, rows: fitted.predict(rows), clustered.split, N_ITEMS, k=k)
    baseline = popularity_recall(clustered, k)

    assert result.users == N_USERS // 5
    assert 0.0 < baseline < 1.0  # the popular items are a real, partial signal
    assert result.recall >= baseline + 0.1


def test_an_untrained_network_does_not_beat_popularity(clustered: Clustered) -> None:
    # The margin above comes from training, not from the data being trivially easy.
    untrained = estimator(linear_two_tower())
    result = evaluate(lambda _, rows: untrained.predict(rows), clustered.split, N_ITEMS, k=10)
    assert result.recall < popularity_recall(clustered, 10)


# --- The training loop ---------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["softmax", "bpr"])
def test_training_reduces_the_loss(clustered: Clustered, loss: Loss) -> None:
    report = estimator(linear_two_tower(), loss=loss, epochs=10).fit(clustered.examples)
    assert report.epochs_run == 10
    assert all(np.isfinite(report.losses))
    assert report.losses[-1] < 0.9 * report.losses[0]
    # Without a validator every epoch is "best": the last weights are kept.
    assert report.metrics == []
    assert report.best_epoch == 9


def test_early_stopping_restores_the_best_epoch(clustered: Clustered) -> None:
    metrics = iter([0.2, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, -0.1])
    snapshots: list[dict[str, torch.Tensor]] = []

    def validate(network: TwoTower) -> float:
        snapshots.append({name: t.detach().clone() for name, t in network.state_dict().items()})
        return next(metrics)

    network = linear_two_tower()
    report = estimator(network, epochs=8, patience=2).fit(clustered.examples, validate)

    # Best at epoch 1, then two epochs without improvement: stop after epoch 3.
    assert report.epochs_run == 4
    assert report.metrics == [0.2, 0.5, 0.4, 0.3]
    assert (report.best_epoch, report.best_metric) == (1, 0.5)
    assert len(snapshots) == 4
    restored = network.state_dict()
    for name, best in snapshots[1].items():
        assert torch.equal(restored[name], best), name
    assert not torch.equal(restored["items"], snapshots[-1]["items"])
    assert not network.training


def test_a_validator_that_never_improves_keeps_the_first_epoch(clustered: Clustered) -> None:
    values = iter([1.0, 0.9, 0.8, 0.7])
    first: list[torch.Tensor] = []

    def validate(network: TwoTower) -> float:
        if not first:
            first.append(network.items.detach().clone())
        return next(values)

    network = linear_two_tower()
    report = estimator(network, epochs=10, patience=3).fit(clustered.examples, validate)
    assert report.epochs_run == 4
    assert report.best_epoch == 0
    assert torch.equal(network.items.detach(), first[0])


def test_predict_is_user_vectors_times_items(clustered: Clustered) -> None:
    fitted = estimator(linear_two_tower(), epochs=2)
    fitted.fit(clustered.examples)
    rows = clustered.examples.features[:5]
    users = fitted.user_vectors(rows)
    assert users.shape == (5, DIM)
    expected = users @ fitted.network.items.detach().numpy().T
    np.testing.assert_allclose(fitted.predict(rows), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("loss", ["softmax", "bpr"])
def test_the_same_seed_gives_the_same_model(clustered: Clustered, loss: Loss) -> None:
    def item_table(seed: int) -> torch.Tensor:
        network = linear_two_tower()  # the same start every time: only the seed varies
        estimator(network, seed=seed, loss=loss, epochs=3, input_dropout=0.2).fit(
            clustered.examples
        )
        return network.items.detach().clone()

    first, again, other = item_table(7), item_table(7), item_table(8)
    assert torch.equal(first, again)
    assert not torch.allclose(first, other)


# --- Bad input -----------------------------------------------------------------------------


def _rows(dense: list[list[float]]) -> sp.csr_matrix:
    return sp.csr_matrix(np.asarray(dense, dtype=np.float32).reshape(len(dense), 2))


@pytest.mark.parametrize(
    ("features", "targets", "message"),
    [
        ([[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0]], "2 feature rows but 1 target rows"),
        ([], [], "no training examples"),
        ([[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [0.0, 0.0]], "example 1 has no target"),
        ([[1.0, float("nan")]], [[0.0, 1.0]], "NaN"),
        ([[float("inf"), 0.0]], [[0.0, 1.0]], "infinite"),
        ([[1.0, 0.0]], [[-1.0, 1.0]], "non-negative"),
        ([[1.0, 0.0]], [[float("nan"), 1.0]], "finite"),
    ],
)
def test_examples_refuse_bad_input(
    features: list[list[float]], targets: list[list[float]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Examples(_rows(features), _rows(targets))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"epochs": 0}, "must be positive"),
        ({"batch_size": 0}, "must be positive"),
        ({"patience": 0}, "must be positive"),
        ({"input_dropout": 1.0}, "input_dropout"),
        ({"input_dropout": -0.1}, "input_dropout"),
    ],
)
def test_estimator_refuses_bad_settings(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        estimator(linear_two_tower(), **options)


def test_fit_refuses_targets_for_another_catalog() -> None:
    network = linear_two_tower()
    before = network.items.detach().clone()
    wider = Examples(
        sp.csr_matrix(np.eye(3, N_ITEMS, dtype=np.float32)),
        sp.csr_matrix(np.eye(3, N_ITEMS + 1, dtype=np.float32)),
    )
    with pytest.raises(ValueError, match=f"targets cover {N_ITEMS + 1} items, the network 60"):
        estimator(network).fit(wider)
    assert torch.equal(network.items.detach(), before)  # refused before any step


def test_an_explicit_zero_is_not_a_target() -> None:
    # A stored 0.0 is a sparse entry but no target: the row must still be refused.
    targets = sp.csr_matrix(([0.0, 1.0], [1, 0], [0, 1, 2]), shape=(2, 2))
    with pytest.raises(ValueError, match="example 0 has no target"):
        Examples(_rows([[1.0, 0.0], [0.0, 1.0]]), targets)


def test_examples_accept_any_sparse_format() -> None:
    # Typed as CSR, but a caller holding another sparse format is converted, not crashed.
    coo = sp.coo_matrix(np.eye(2))
    examples = Examples(coo, coo)  # type: ignore[arg-type]
    assert isinstance(examples.features, sp.csr_matrix)
    assert isinstance(examples.targets, sp.csr_matrix)


def test_fit_refuses_features_of_the_wrong_width() -> None:
    network = linear_two_tower()
    wrong = Examples(
        sp.csr_matrix(np.eye(3, N_ITEMS + 1, dtype=np.float32)),
        sp.csr_matrix(np.eye(3, N_ITEMS, dtype=np.float32)),
    )
    with pytest.raises(ValueError, match=f"{N_ITEMS + 1} columns; the tower expects {N_ITEMS}"):
        estimator(network).fit(wrong)


def test_a_validator_returning_nan_is_an_error(clustered: Clustered) -> None:
    with pytest.raises(ValueError, match="validator returned nan"):
        estimator(linear_two_tower(), epochs=2).fit(clustered.examples, lambda _: float("nan"))


def test_two_tower_refuses_an_item_table_that_is_not_a_matrix() -> None:
    tower = UserTower([bundle.Linear(in_features=N_ITEMS, out_features=DIM, bias=False)])
    with pytest.raises(ValueError, match=r"must be \(n, d\)"):
        TwoTower(tower, torch.zeros(N_ITEMS))
