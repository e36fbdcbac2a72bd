"""Shared by the training-round tests: a small public catalog input, a model's initial
parameters, the body that opens a run, each simulated user's own examples, and a device's
consent store."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from client_app.store import LocalStore
from client_app.training_consent import TrainingConsent
from federated.model import CatalogInputs, ContentTwoTower, Example
from federated.runs import RunSpec, pack_inputs, pack_parameters

ITEMS = 300  # the bundle tests.factories.make_bundle writes with n=300
EMBEDDING, WIDTH, DIM, FACTS = 8, 4, 2, 2


def catalog_inputs(seed: int = 7) -> CatalogInputs:
    rng = np.random.default_rng(seed)
    titles = rng.normal(size=(ITEMS, EMBEDDING))
    return CatalogInputs.from_titles(titles, WIDTH, rng.normal(size=(ITEMS, FACTS)))


def run_body(model_id: int, **changes: Any) -> dict[str, Any]:
    """A run of the content two-tower over the test catalog: 4 devices a round, 3 needed."""
    inputs = catalog_inputs()
    initial = ContentTwoTower.initial(inputs, DIM, 1.0)
    body: dict[str, Any] = {
        "model_id": model_id,
        "dim": DIM,
        "width": WIDTH,
        "embedding": EMBEDDING,
        "facts": FACTS,
        "rounds": 2,
        "cohort": 4,
        "min_survivors": 3,
        "clip_norm": 1.0,
        "noise_multiplier": 0.5,
        "sampling_rate": 1.0,
        "delta": 1e-3,
        "learning_rate": 0.5,
        "server_learning_rate": 1.0,
        "server_optimizer": "adam",
        "server_decay": 0.1,
        "server_adam_eps": 1e-8,
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


def consent_of(directory: Path, categories: Sequence[str], limit: float = 8.0) -> TrainingConsent:
    """The device's real consent store (client_app.training_consent) in a fresh app store."""
    consent = TrainingConsent(LocalStore(directory / "privrec.sqlite3"))
    for category in categories:
        consent.set_opted_in(category, True)
    consent.set_epsilon_limit(limit)
    return consent
