"""Federated training end to end in-process on a small synthetic catalog: the real device
update, noise, encoding and SecAgg+ rounds (with dropouts) teach the model what the
untrained one cannot know, more with more rounds."""

from __future__ import annotations

import math
import os

import numpy as np

from federated.contribution import coordinate_bound, decode_mean, encode_contribution
from federated.messages import RoundConfig
from federated.model import Adam, CatalogInputs, ContentTwoTower, Example, local_update
from federated.privacy import PrivacyPlan
from federated.simulation import RoundMeter, run_round

CLUSTERS, PER_CLUSTER, WIDTH = 4, 15, 16


def synthetic_world(seed: int = 0) -> tuple[CatalogInputs, list[Example], list[Example]]:
    """Titles in four topics; a reader of topic c goes on to like topic c + 1: title
    similarity alone ranks the wrong topic first, so only training can find the right one."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(CLUSTERS, WIDTH))
    titles = np.repeat(centres, PER_CLUSTER, axis=0) + 0.3 * rng.normal(size=(60, WIDTH))
    titles /= np.linalg.norm(titles, axis=1, keepdims=True)
    inputs = CatalogInputs.from_titles(titles, 8)

    def reader() -> Example:
        topic = int(rng.integers(CLUSTERS))
        shown = rng.choice(PER_CLUSTER, 5, replace=False) + topic * PER_CLUSTER
        following = (topic + 1) % CLUSTERS
        targets = np.sort(rng.choice(PER_CLUSTER, 4, replace=False)) + following * PER_CLUSTER
        return Example(inputs.user_input(titles[shown].mean(axis=0)), targets.astype(np.int64))

    return inputs, [reader() for _ in range(120)], [reader() for _ in range(60)]


def recall_at_10(model: ContentTwoTower, inputs: CatalogInputs, readers: list[Example]) -> float:
    scores = model.scores(inputs, np.stack([r.user for r in readers]))
    top = np.argsort(-scores, axis=1)[:, :10]
    return float(np.mean([np.isin(r.targets, t).mean() for r, t in zip(readers, top, strict=True)]))


def train(rounds: int, noise: float, checkpoint: int) -> tuple[float, float, float, list[int]]:
    """Recall before training, after `checkpoint` rounds and after all; the survivors."""
    inputs, devices, held_out = synthetic_world()
    model = ContentTwoTower.initial(inputs, 4, 3.0)
    start = recall_at_10(model, inputs, held_out)
    plan = PrivacyPlan(noise, 0.2, rounds, clip_norm=1.0)
    optimizer = Adam(model.size, 0.05)
    rng = np.random.default_rng(1)
    survivors_seen = []
    early = start
    for number in range(1, rounds + 1):
        cohort = np.flatnonzero(rng.random(len(devices)) < plan.sampling_rate)
        config = RoundConfig(
            os.urandom(16), model.size, 5, 8, 12, 60, coordinate_bound(plan, 12), os.urandom(32)
        )

        def contribute(
            client: int,
            model: ContentTwoTower = model,
            cohort: np.ndarray = cohort,
            config: RoundConfig = config,
        ) -> np.ndarray:
            example = devices[cohort[client - 1]]
            update = local_update(model, inputs, [example], learning_rate=2.0, clip_norm=1.0)
            return encode_contribution(update, plan, config, rng)

        ids = list(range(1, cohort.size + 1))
        total, survivors = run_round(
            config, ids, contribute, drop_before_input={ids[0]}, meter=RoundMeter()
        )
        survivors_seen.append(len(survivors))
        mean = decode_mean(total, len(survivors), config, plan.sampling_rate * len(devices))
        model = model.with_flat(optimizer.step(model.flat(), -mean))
        if number == checkpoint:
            early = recall_at_10(model, inputs, held_out)
    return start, early, recall_at_10(model, inputs, held_out), survivors_seen


def test_rounds_learn_what_title_similarity_cannot_and_noise_slows_them() -> None:
    start, few, many, survivors = train(rounds=20, noise=0.0, checkpoint=3)
    assert start < 0.2  # the untrained model ranks the reader's own topic first
    assert few < many
    assert many > 0.6
    assert all(count >= 12 for count in survivors)  # one drop-out per round, still summed
    _, _, noisy, _ = train(rounds=20, noise=1.0, checkpoint=0)
    assert math.isfinite(noisy)
    assert start < noisy <= many + 0.05
