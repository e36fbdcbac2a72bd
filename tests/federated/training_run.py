"""Shared by the training-round tests: a small public catalog input, a model's initial
parameters, the body that opens a run, each simulated user's own examples, and an in-memory
consent store with client_app.training_consent's interface."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from federated.model import CatalogInputs, ContentTwoTower, Example
from federated.runs import RunSpec, pack_inputs, pack_parameters

ITEMS = 300  # the bundle tests.factories.make_bundle writes with n=300
EMBEDDING, WIDTH, DIM = 8, 4, 2


def catalog_inputs(seed: int = 7) -> CatalogInputs:
    titles = np.random.default_rng(seed).normal(size=(ITEMS, EMBEDDING))
    return CatalogInputs.from_titles(titles, WIDTH)


def run_body(model_id: int, **changes: Any) -> dict[str, Any]:
    """A run of the content two-tower over the test catalog: 4 devices a round, 3 needed."""
    inputs = catalog_inputs()
    initial = ContentTwoTower.initial(inputs, DIM, 1.0)
    body: dict[str, Any] = {
        "model_id": model_id,
        "dim": DIM,
        "width": WIDTH,
        "embedding": EMBEDDING,
        "rounds": 2,
        "cohort": 4,
        "min_survivors": 3,
        "clip_norm": 1.0,
        "noise_multiplier": 0.5,
        "sampling_rate": 1.0,
        "delta": 1e-3,
        "learning_rate": 0.5,
        "server_learning_rate": 1.0,
        "reward": 5,
        "budget": 100,
        "stage_seconds": 2,
        "parameters": base64.b64encode(pack_parameters(initial.flat())).decode(),
        "inputs": base64.b64encode(pack_inputs(inputs)).decode(),
    }
    return {**body, **changes}


def own_examples(seed: int) -> list[Example]:
    """A user's private activity as training examples: a profile and the items it led to."""
    rng = np.random.default_rng(seed)
    inputs = catalog_inputs()
    liked = rng.choice(ITEMS, size=6, replace=False)
    profile = inputs.user_input(rng.normal(size=EMBEDDING))
    return [Example(profile, np.sort(liked[:3])), Example(profile, np.sort(liked[3:]))]


def examples_of(seed: int) -> Any:
    def source(_spec: RunSpec, _inputs: CatalogInputs) -> Sequence[Example]:
        return own_examples(seed)

    return source


@dataclass(frozen=True)
class Record:
    model_id: str
    round_id: str
    categories: tuple[str, ...]
    epsilon: float
    delta: float


@dataclass
class MemoryConsent:
    """client_app.training_consent.TrainingConsent's interface, in memory (until it lands)."""

    categories: set[str] = field(default_factory=set)
    limit: float = 10.0
    records: list[Record] = field(default_factory=list)

    def opted_in(self, category: str) -> bool:
        return category in self.categories

    def set_opted_in(self, category: str, on: bool) -> None:
        (self.categories.add if on else self.categories.discard)(category)

    def epsilon_limit(self) -> float:
        return self.limit

    def set_epsilon_limit(self, eps: float) -> None:
        self.limit = eps

    def spent(self, model_id: str) -> float:
        return sum(r.epsilon for r in self.records if r.model_id == model_id)

    def record(
        self,
        model_id: str,
        round_id: str,
        categories: Sequence[str],
        epsilon: float,
        delta: float,
    ) -> None:
        self.records.append(Record(model_id, round_id, tuple(categories), epsilon, delta))

    def history(self) -> list[Record]:
        return list(self.records)
