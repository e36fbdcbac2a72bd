"""The server's step on a run's parameters with a round's noised mean update: FedAvg ("sgd") or
DP-FedAdam ("adam", federated.model.Adam on the negated mean), at a rate decaying with the
rounds. The market's runs step with it; the benchmark (benchmarks/federated.py) takes the same
steps, with the same rate and federated.model.Adam, on its simulated rounds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from federated.model import Adam, FloatVector
from federated.runs import RunSpec


@dataclass(frozen=True, eq=False)
class AdamMoments:
    """A run's server Adam between rounds: its first and second moments and the steps taken
    (rounds that failed took none: Adam's bias correction counts steps, not rounds)."""

    first: FloatVector
    second: FloatVector
    steps: int

    @classmethod
    def zeros(cls, size: int) -> AdamMoments:
        return cls(np.zeros(size), np.zeros(size), 0)


def decayed_rate(rate: float, decay: float, round_number: int) -> float:
    """The server's rate in round ``round_number`` (counted from 1): a decaying step averages
    the later rounds' noise away instead of following it."""
    return rate / (1 + decay * round_number)


def server_step(
    spec: RunSpec,
    parameters: FloatVector,
    mean: FloatVector,
    moments: AdamMoments,
    round_index: int,
) -> tuple[FloatVector, AdamMoments]:
    """The parameters after round ``round_index`` (counted from 0, as the market does) released
    the noised ``mean`` update, and the Adam moments after it ("sgd" leaves them as they are):
    "sgd" moves by rate x mean, "adam" takes Adam's step with the negated mean as gradient."""
    rate = decayed_rate(spec.server_learning_rate, spec.server_decay, round_index + 1)
    if spec.server_optimizer == "sgd":
        moved: FloatVector = parameters + rate * mean
        return moved, moments
    optimizer = Adam(parameters.size, rate, eps=spec.server_adam_eps)  # resumed from moments
    optimizer.first, optimizer.second, optimizer.steps = (
        moments.first,
        moments.second,
        moments.steps,
    )
    stepped = optimizer.step(parameters, -mean)
    return stepped, AdamMoments(optimizer.first, optimizer.second, optimizer.steps)
