"""The trainable model and its update rule, in numpy (no torch: the server applies updates).

A content two-tower: item i's vector is I e_i, a learned map of its public title embedding
(projected on the catalog's main directions), the user's vector is U p, the same map's twin
of the profile the device already builds, and item i's bias is w . f_i, a learned weighting of
public facts about it (popularity rank, rating). Any device can compute a full-catalog softmax
loss from the public catalog alone: no private item table, and no per-item parameter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatMatrix = NDArray[np.float64]
FloatVector = NDArray[np.float64]
IntVector = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class CatalogInputs:
    """The public side: each item's projected title embedding (items x k), the projection
    (embedding dim x k) that maps a profile embedding to the same space, and each item's
    public facts (items x f, standardised; f may be 0), which the item bias weighs."""

    items: FloatMatrix
    projection: FloatMatrix
    facts: FloatMatrix

    @classmethod
    def from_titles(
        cls,
        title_vectors: NDArray[np.floating],
        k: int,
        facts: NDArray[np.floating] | None = None,
    ) -> CatalogInputs:
        """Project on the titles' top-k right singular directions (computed from public data);
        centre and scale each column of `facts` (items x f) to unit variance."""
        titles = np.asarray(title_vectors, dtype=np.float64)
        _, _, right = np.linalg.svd(titles, full_matrices=False)
        projection = right[:k].T
        table = np.zeros((titles.shape[0], 0)) if facts is None else np.asarray(facts, np.float64)
        if table.ndim != 2 or table.shape[0] != titles.shape[0]:
            raise ValueError(f"facts must have one row per item ({titles.shape[0]})")
        if not np.all(np.isfinite(table)):
            raise ValueError("facts must be finite")
        spread = table.std(axis=0)
        if np.any(spread == 0):
            raise ValueError("a fact column is constant: it cannot rank items")
        return cls(titles @ projection, projection, (table - table.mean(axis=0)) / spread)

    @property
    def width(self) -> int:
        return int(self.projection.shape[1])

    def user_input(self, profile_embedding: NDArray[np.floating]) -> FloatVector:
        projected: FloatVector = np.asarray(profile_embedding, np.float64) @ self.projection
        return projected


@dataclass(frozen=True, eq=False)
class ContentTwoTower:
    """Parameters: user tower (d x k), item tower (d x k), weights of the public facts (f)."""

    user: FloatMatrix
    item: FloatMatrix
    fact_weights: FloatVector

    @classmethod
    def initial(cls, inputs: CatalogInputs, dim: int, scale: float) -> ContentTwoTower:
        """Both towers keep the first `dim` directions (times `scale`): the start ranks by
        title similarity to the profile, like the content models."""
        k = inputs.width
        if not 1 <= dim <= k:
            raise ValueError(f"dim must be in [1, {k}]")
        eye = np.eye(dim, k)
        return cls(eye * scale, eye.copy(), np.zeros(inputs.facts.shape[1]))

    @property
    def size(self) -> int:
        return self.user.size + self.item.size + self.fact_weights.size

    def flat(self) -> FloatVector:
        return np.concatenate([self.user.ravel(), self.item.ravel(), self.fact_weights])

    def with_flat(self, values: FloatVector) -> ContentTwoTower:
        if values.shape != (self.size,) or not np.all(np.isfinite(values)):
            raise ValueError(f"parameters must be {self.size} finite values")
        a, b = self.user.size, self.user.size + self.item.size
        return ContentTwoTower(
            values[:a].reshape(self.user.shape).copy(),
            values[a:b].reshape(self.item.shape).copy(),
            values[b:].copy(),
        )

    def bias(self, inputs: CatalogInputs) -> FloatVector:
        """Each item's bias, from its public facts."""
        result: FloatVector = inputs.facts @ self.fact_weights
        return result

    def scores(self, inputs: CatalogInputs, users: FloatMatrix) -> FloatMatrix:
        """Scores of every item for each row of projected profiles (users x k)."""
        vectors = (users @ self.user.T) @ (inputs.items @ self.item.T).T
        result: FloatMatrix = vectors + self.bias(inputs)
        return result


@dataclass(frozen=True, eq=False)
class Example:
    """One training example on a device: the projected profile of the shown part of the user's
    activity, and the catalog rows of the hidden part, to be ranked high."""

    user: FloatVector
    targets: IntVector


def loss_and_gradient(
    model: ContentTwoTower, inputs: CatalogInputs, examples: Sequence[Example]
) -> tuple[float, FloatVector]:
    """Mean full-softmax cross-entropy over the examples' targets, and its gradient (flat)."""
    if not examples:
        raise ValueError("no examples")
    users = np.stack([e.user for e in examples])
    user_vectors = users @ model.user.T
    item_vectors = inputs.items @ model.item.T
    logits = user_vectors @ item_vectors.T + model.bias(inputs)
    logits -= logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
    probabilities = np.exp(logits - log_norm)
    wanted = np.zeros_like(probabilities)
    loss = 0.0
    for row, example in enumerate(examples):
        wanted[row, example.targets] = 1.0 / example.targets.size
        loss -= float((logits[row, example.targets] - log_norm[row, 0]).mean())
    residual = (probabilities - wanted) / len(examples)
    grad_user = (residual @ item_vectors).T @ users
    grad_item = user_vectors.T @ (residual @ inputs.items)
    grad_facts = residual.sum(axis=0) @ inputs.facts
    return loss / len(examples), np.concatenate([grad_user.ravel(), grad_item.ravel(), grad_facts])


def clip(update: FloatVector, norm: float) -> FloatVector:
    """Scale `update` down to L2 norm `norm` if it is longer (per-user clipping)."""
    length = float(np.linalg.norm(update))
    if not math.isfinite(length):
        raise ValueError("the update is not finite")
    return update * min(1.0, norm / length) if length > 0 else update


def local_update(
    model: ContentTwoTower,
    inputs: CatalogInputs,
    examples: Sequence[Example],
    *,
    learning_rate: float,
    clip_norm: float,
) -> FloatVector:
    """The device's contribution: one SGD step per example from the current model, the
    parameter change, clipped to `clip_norm`."""
    start = model.flat()
    current = model
    for example in examples:
        _, gradient = loss_and_gradient(current, inputs, [example])
        current = current.with_flat(current.flat() - learning_rate * gradient)
    return clip(current.flat() - start, clip_norm)


def summed_one_step_updates(
    model: ContentTwoTower,
    inputs: CatalogInputs,
    examples: Sequence[Example],
    *,
    learning_rate: float,
    clip_norm: float,
) -> FloatVector:
    """The sum over `examples` of local_update(model, inputs, [example], ...), each device's
    one-step update clipped, computed for a whole cohort at once from each example's gradient
    factors (its gradient is rank one per tower): what secure aggregation's sum decodes to
    before noise, for simulating many rounds in the clear."""
    total = np.zeros(model.size)
    item_vectors = inputs.items @ model.item.T
    bias = model.bias(inputs)
    for start in range(0, len(examples), 256):  # (examples x items) at a time: bound memory
        chunk = examples[start : start + 256]
        users = np.stack([e.user for e in chunk])
        user_vectors = users @ model.user.T
        logits = user_vectors @ item_vectors.T + bias
        logits -= logits.max(axis=1, keepdims=True)
        residual = np.exp(logits)
        residual /= residual.sum(axis=1, keepdims=True)
        for row, example in enumerate(chunk):
            residual[row, example.targets] -= 1.0 / example.targets.size
        # Example j's gradient: outer(R_j Q, p_j) for U, outer(v_j, R_j X) for I, R_j F for w.
        user_factor, item_factor = residual @ item_vectors, residual @ inputs.items
        fact_gradients = residual @ inputs.facts
        squared = (
            np.sum(user_factor**2, axis=1) * np.sum(users**2, axis=1)
            + np.sum(user_vectors**2, axis=1) * np.sum(item_factor**2, axis=1)
            + np.sum(fact_gradients**2, axis=1)
        )
        lengths = learning_rate * np.sqrt(squared)
        scales = -learning_rate * np.minimum(1.0, clip_norm / np.maximum(lengths, 1e-300))
        total += np.concatenate(
            [
                ((scales[:, None] * user_factor).T @ users).ravel(),
                ((scales[:, None] * user_vectors).T @ item_factor).ravel(),
                scales @ fact_gradients,
            ]
        )
    return total


class Adam:
    """Adam on a flat parameter vector, for the central model and, on the server side of
    federated training, on the mean of the clients' (negated) updates (FedAdam)."""

    def __init__(
        self,
        size: int,
        learning_rate: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        if not (eps > 0 and math.isfinite(eps)):
            raise ValueError("Adam's eps must be a positive number")
        self.learning_rate = learning_rate
        self.betas = betas
        self.eps = eps
        self.first = np.zeros(size)
        self.second = np.zeros(size)
        self.steps = 0

    def step(self, parameters: FloatVector, gradient: FloatVector) -> FloatVector:
        b1, b2 = self.betas
        self.steps += 1
        self.first = b1 * self.first + (1 - b1) * gradient
        self.second = b2 * self.second + (1 - b2) * gradient**2
        first = self.first / (1 - b1**self.steps)
        second = self.second / (1 - b2**self.steps)
        result: FloatVector = parameters - self.learning_rate * first / (np.sqrt(second) + self.eps)
        return result
