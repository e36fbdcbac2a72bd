"""User-level differential privacy of federated training, accounted with Google's
dp-accounting (the tighter of its RDP and PLD accountants): ε of a training plan, the noise
for a target ε, and each user's own budget per model, which refuses a contribution that
would exceed it."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import dp_accounting
from dp_accounting import pld, rdp

from federated.errors import BudgetExceeded

_ORDERS = None  # dp-accounting's default orders

# The privacy loss distribution's grid. Its estimate is pessimistic (an upper bound on ε);
# 1e-2 is within 0.01 of a 1e-3 grid at the benchmark's plans and about 20x faster.
_PLD_GRID = 1e-2
# Above this RDP ε a tighter figure changes nothing (the limits a user can set are far
# below it), and the PLD of such plans is the slowest to compute: RDP alone.
_PLD_ABOVE = 200.0
# Calibration: the noise multiplier within 0.1 % above the smallest one that reaches the
# target, searched in [_MIN_NOISE, _MAX_NOISE].
_CALIBRATION_TOLERANCE = 1e-3
_MIN_NOISE = 1e-3
_MAX_NOISE = 1e6

_UNCONVERGED_ORDER = "_compute_log_a_frac failed to converge"


class _UnconvergedOrderFilter(logging.Filter):
    """Drops dp-accounting's warning that its series for a fractional Rényi order close to 1
    (1.1-1.6 at the benchmark's plans) did not converge. It is harmless: that order's RDP is
    then taken as infinite, so the order is left out of the minimum ε is taken over, which can
    only make ε larger (still an upper bound), never smaller. Up to ε = 8 the minimum comes
    from orders of 2 and above, far from those (tests/federated/test_privacy.py checks it);
    near the limit of 100 it comes from orders 1.3-1.7, so there ε may be a little higher than
    a finer computation would give. The warning came dozens of times per calibration."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_UNCONVERGED_ORDER)


logging.getLogger("absl").addFilter(_UnconvergedOrderFilter())


@dataclass(frozen=True)
class PrivacyPlan:
    """A training run's privacy parameters: each round samples each user with probability
    `sampling_rate` (Poisson), clips each update to L2 norm `clip_norm` and adds Gaussian
    noise of standard deviation noise_multiplier x clip_norm to the sum; `rounds` rounds."""

    noise_multiplier: float
    sampling_rate: float
    rounds: int
    clip_norm: float

    def __post_init__(self) -> None:
        if not (self.noise_multiplier >= 0 and math.isfinite(self.noise_multiplier)):
            raise ValueError("the noise multiplier must be a finite number >= 0")
        if not 0 < self.sampling_rate <= 1:
            raise ValueError("the sampling rate must be in (0, 1]")
        if not 1 <= self.rounds <= 1_000_000:
            raise ValueError("rounds must be in [1, 1e6]")
        if not (self.clip_norm > 0 and math.isfinite(self.clip_norm)):
            raise ValueError("the clipping norm must be a positive number")

    @property
    def noise_stddev(self) -> float:
        """The standard deviation of the noise in each round's released sum."""
        return self.noise_multiplier * self.clip_norm

    def event(self) -> dp_accounting.DpEvent:
        round_event = dp_accounting.PoissonSampledDpEvent(
            self.sampling_rate, dp_accounting.GaussianDpEvent(self.noise_multiplier)
        )
        return dp_accounting.SelfComposedDpEvent(round_event, self.rounds)


def _epsilon(events: Sequence[dp_accounting.DpEvent], delta: float) -> float:
    """The smaller of two upper bounds on ε: RDP's, loose by 10-20 % at the benchmark's
    plans (a noise multiplier of 0.764 reads ε = 8.0 there, 6.8 by PLD), and the privacy loss
    distribution's, tighter for most plans but looser than RDP when its grid's error adds up
    over thousands of compositions at a small ε."""
    bounds = []
    for accountant in (
        rdp.RdpAccountant(_ORDERS),
        pld.PLDAccountant(value_discretization_interval=_PLD_GRID),
    ):
        for event in events:
            accountant.compose(event)
        bounds.append(float(accountant.get_epsilon(delta)))
        if bounds[0] > _PLD_ABOVE:
            break
    return min(bounds)


def _check_delta(delta: float) -> None:
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")


def epsilon(plan: PrivacyPlan, delta: float) -> float:
    """ε at `delta` of a whole run, for any one user (add/remove-one-user adjacency); inf
    without noise."""
    _check_delta(delta)
    if plan.noise_multiplier == 0:
        return math.inf
    return _epsilon([plan.event()], delta)


def epsilon_without_sampling(noise_multiplier: float, contributions: int, delta: float) -> float:
    """ε of `contributions` Gaussian releases with no amplification by sampling: the bound
    against a party that knows in which rounds the user took part (the market server)."""
    return epsilon_of_releases([(noise_multiplier, contributions)], delta)


def epsilon_of_releases(releases: Sequence[tuple[float, int]], delta: float) -> float:
    """ε of several runs' Gaussian releases composed, without amplification by sampling: each
    run given as (noise multiplier, contributions). What the market server can learn of a user
    across every run of a model they took part in."""
    _check_delta(delta)
    events = []
    for noise_multiplier, contributions in releases:
        if contributions < 0:
            raise ValueError("contributions must be >= 0")
        if contributions == 0:
            continue
        if noise_multiplier <= 0:
            return math.inf
        events.append(
            dp_accounting.SelfComposedDpEvent(
                dp_accounting.GaussianDpEvent(noise_multiplier), contributions
            )
        )
    return _epsilon(events, delta) if events else 0.0


def noise_for_epsilon(
    target_epsilon: float, sampling_rate: float, rounds: int, delta: float
) -> float:
    """The smallest noise multiplier whose run stays within `target_epsilon` at `delta`."""
    _check_delta(delta)
    if not (target_epsilon > 0 and math.isfinite(target_epsilon)):
        raise ValueError("the target ε must be a positive finite number")

    def within(noise: float) -> bool:
        plan = PrivacyPlan(noise, sampling_rate, rounds, 1.0)
        return _epsilon([plan.event()], delta) <= target_epsilon

    # Bracket the answer by doubling and halving from 1, then bisect. (dp-accounting's own
    # calibration takes one accountant; ε here is the smaller of two, and its bracket search
    # started at noise 0.05, whose RDP alone took ~20 s at the benchmark's plan.)
    high = 1.0
    while not within(high):
        high *= 2
        if high > _MAX_NOISE:
            raise ValueError(
                f"no noise multiplier up to {_MAX_NOISE:g} reaches ε {target_epsilon:g}"
            )
    low = high / 2
    while within(low):
        high, low = low, low / 2
        if high < _MIN_NOISE:
            return high
    while high - low > _CALIBRATION_TOLERANCE * high:
        middle = (low + high) / 2
        if within(middle):
            high = middle
        else:
            low = middle
    return high


@dataclass
class ModelBudget:
    """One user's privacy spending on one model: the runs they joined, composed, against the
    ε limit they set. The device keeps it and asks `admit` before contributing to a run."""

    limit: float
    delta: float
    runs: list[PrivacyPlan] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check_delta(self.delta)
        if not self.limit > 0:
            raise ValueError("the ε limit must be positive")

    def spent(self) -> float:
        if not self.runs:
            return 0.0
        if any(run.noise_multiplier == 0 for run in self.runs):
            return math.inf
        return _epsilon([run.event() for run in self.runs], self.delta)

    def admit(self, plan: PrivacyPlan) -> float:
        """Record `plan` and return the ε spent with it; raises BudgetExceeded (recording
        nothing) when it would go beyond the limit. A run is charged whole when it is joined:
        amplification by sampling covers every round, taken part in or not."""
        trial = ModelBudget(self.limit, self.delta, [*self.runs, plan])
        total = trial.spent()
        if total > self.limit:
            raise BudgetExceeded(
                f"this training would bring ε to {total:.2f}, over your limit of {self.limit:g}"
            )
        self.runs.append(plan)
        return total
