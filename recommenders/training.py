"""Two-tower training in torch: the network only computes; the estimator owns the loop."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
import torch
from numpy.typing import NDArray
from torch import Tensor, nn
from tqdm import tqdm

from recommenders.tower import UserTower

Loss = Literal["softmax", "bpr"]


class TwoTower(nn.Module):
    """Scores = user_tower(features) @ items.T; the item table is the model's private part."""

    def __init__(self, tower: UserTower, items: Tensor) -> None:
        super().__init__()
        if items.ndim != 2:
            raise ValueError(f"the item table must be (n, d), got shape {tuple(items.shape)}")
        self.tower = tower
        self.items = nn.Parameter(items.detach().clone().float())

    @property
    def item_count(self) -> int:
        return int(self.items.shape[0])

    @property
    def input_size(self) -> int | None:
        """The feature width the tower's first sized layer expects (None: any width)."""
        for layer in self.tower.layers:
            if isinstance(layer, nn.Linear):
                return int(layer.in_features)
            if isinstance(layer, nn.LayerNorm):
                return int(layer.normalized_shape[0])
        return None

    def user_vectors(self, features: Tensor) -> Tensor:
        vectors: Tensor = self.tower(features)
        return vectors

    def forward(self, features: Tensor) -> Tensor:
        return self.user_vectors(features) @ self.items.T


@dataclass(frozen=True, eq=False)
class Examples:
    """Training pairs: tower inputs (one row per example) and the items each should rank."""

    features: sp.csr_matrix
    targets: sp.csr_matrix

    def __post_init__(self) -> None:
        # Any scipy sparse format is accepted; rows are sliced as CSR.
        object.__setattr__(self, "features", sp.csr_matrix(self.features))
        object.__setattr__(self, "targets", sp.csr_matrix(self.targets))
        if self.features.shape[0] != self.targets.shape[0]:
            raise ValueError(
                f"{self.features.shape[0]} feature rows but {self.targets.shape[0]} target rows"
            )
        if self.features.shape[0] == 0:
            raise ValueError("no training examples")
        values = self.targets.data
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError("targets must be finite and non-negative")
        empty = np.flatnonzero(np.asarray(self.targets.max(axis=1).todense()).ravel() <= 0)
        if empty.size:
            raise ValueError(f"example {int(empty[0])} has no target item")
        if not np.all(np.isfinite(self.features.data)):
            raise ValueError("features contain NaN or infinite values")

    def __len__(self) -> int:
        return int(self.features.shape[0])


# Scores the network on held-out data; higher is better (e.g. Recall@20).
Validator = Callable[[TwoTower], float]


@dataclass
class FitReport:
    losses: list[float] = field(default_factory=list)
    metrics: list[float] = field(default_factory=list)
    best_epoch: int = -1
    best_metric: float = -math.inf

    @property
    def epochs_run(self) -> int:
        return len(self.losses)


def _dense(rows: sp.csr_matrix) -> Tensor:
    return torch.from_numpy(np.asarray(rows.toarray(), dtype=np.float32))


class TwoTowerEstimator:
    """Fits a :class:`TwoTower` by full softmax or BPR, with early stopping on a validator.

    The full softmax is the exact form of sampled softmax, affordable for catalogs up to a
    few tens of thousands of items; BPR samples one negative per example. All randomness
    (shuffling, negatives, dropout) comes from the generator passed in.
    """

    def __init__(
        self,
        network: TwoTower,
        *,
        rng: np.random.Generator,
        optimizer: torch.optim.Optimizer | None = None,
        loss: Loss = "softmax",
        epochs: int = 40,
        batch_size: int = 512,
        patience: int = 4,
        input_dropout: float = 0.0,
        progress: bool = True,
    ) -> None:
        if loss not in ("softmax", "bpr"):
            raise ValueError(f"unknown loss {loss!r}; use 'softmax' or 'bpr'")
        if epochs < 1 or batch_size < 1 or patience < 1:
            raise ValueError("epochs, batch_size and patience must be positive")
        if not 0.0 <= input_dropout < 1.0:
            raise ValueError(f"input_dropout must be in [0, 1), got {input_dropout}")
        self.network = network
        self.rng = rng
        self.optimizer = optimizer or torch.optim.Adam(network.parameters(), lr=1e-3)
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.patience = patience
        self.input_dropout = input_dropout
        self.progress = progress

    def _batch_loss(self, features: Tensor, targets: sp.csr_matrix) -> Tensor:
        if self.input_dropout:
            features = nn.functional.dropout(features, self.input_dropout)
        if self.loss == "softmax":
            logits = self.network(features)
            wanted = _dense(targets)
            log_probabilities = torch.log_softmax(logits, dim=1)
            return -((log_probabilities * wanted).sum(1) / wanted.sum(1)).mean()
        users = self.network.user_vectors(features)
        counts = np.diff(targets.indptr)
        picks = targets.indptr[:-1] + (self.rng.random(counts.size) * counts).astype(np.int64)
        positives = torch.from_numpy(targets.indices[picks].astype(np.int64))
        negatives = torch.from_numpy(self.rng.integers(0, self.network.item_count, counts.size))
        margin = (users * (self.network.items[positives] - self.network.items[negatives])).sum(1)
        return -nn.functional.logsigmoid(margin).mean()

    def fit(self, examples: Examples, validate: Validator | None = None) -> FitReport:
        """Train; keep the weights of the best validated epoch (or the last, without one)."""
        if examples.targets.shape[1] != self.network.item_count:
            raise ValueError(
                f"targets cover {examples.targets.shape[1]} items, "
                f"the network {self.network.item_count}"
            )
        width = self.network.input_size
        if width is not None and examples.features.shape[1] != width:
            raise ValueError(
                f"features have {examples.features.shape[1]} columns; the tower expects {width}"
            )
        torch.manual_seed(int(self.rng.integers(2**31)))
        report = FitReport()
        best_state = copy.deepcopy(self.network.state_dict())
        stale = 0
        epochs = tqdm(range(self.epochs), desc="training", unit="epoch", disable=not self.progress)
        for epoch in epochs:
            self.network.train()
            order = self.rng.permutation(len(examples))
            total = 0.0
            for start in range(0, order.size, self.batch_size):
                rows = order[start : start + self.batch_size]
                loss = self._batch_loss(_dense(examples.features[rows]), examples.targets[rows])
                self.optimizer.zero_grad()
                loss.backward()  # type: ignore[no-untyped-call]
                self.optimizer.step()
                total += float(loss.detach()) * rows.size
            report.losses.append(total / len(examples))
            if validate is None:
                best_state = copy.deepcopy(self.network.state_dict())
                report.best_epoch = epoch
                continue
            self.network.eval()
            with torch.no_grad():
                metric = float(validate(self.network))
            if not math.isfinite(metric):
                raise ValueError(f"the validator returned {metric} after epoch {epoch}")
            report.metrics.append(metric)
            epochs.set_postfix(loss=f"{report.losses[-1]:.4f}", validation=f"{metric:.4f}")
            if metric > report.best_metric:
                report.best_metric, report.best_epoch, stale = metric, epoch, 0
                best_state = copy.deepcopy(self.network.state_dict())
            else:
                stale += 1
                if stale >= self.patience:
                    break
        self.network.load_state_dict(best_state)
        self.network.eval()
        return report

    def user_vectors(self, features: sp.csr_matrix) -> NDArray[np.float32]:
        self.network.eval()
        with torch.no_grad():
            return self.network.user_vectors(_dense(features)).numpy()

    def predict(self, features: sp.csr_matrix) -> NDArray[np.float32]:
        """Scores of every item for each feature row."""
        self.network.eval()
        with torch.no_grad():
            scores: NDArray[np.float32] = self.network(_dense(features)).numpy()
        return scores
