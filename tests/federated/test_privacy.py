"""The accountant (dp-accounting's RDP and PLD): ε of a plan, its inverse, and the per-user
budget."""

from __future__ import annotations

import logging
import math

import pytest
from dp_accounting import pld, rdp
from dp_accounting.rdp.rdp_privacy_accountant import DEFAULT_RDP_ORDERS as DEFAULT_ORDERS

from federated.errors import BudgetExceeded
from federated.privacy import (
    ModelBudget,
    PrivacyPlan,
    epsilon,
    epsilon_of_releases,
    epsilon_without_sampling,
    noise_for_epsilon,
)

DELTA = 1e-4


def test_epsilon_matches_a_recorded_value_and_moves_the_right_way() -> None:
    plan = PrivacyPlan(1.0, 0.03, 100, 1.0)
    assert epsilon(plan, DELTA) == pytest.approx(1.688, abs=0.002)  # recorded (RDP: 2.078)
    assert epsilon(PrivacyPlan(2.0, 0.03, 100, 1.0), DELTA) < epsilon(plan, DELTA)
    assert epsilon(PrivacyPlan(1.0, 0.03, 200, 1.0), DELTA) > epsilon(plan, DELTA)
    assert epsilon(PrivacyPlan(1.0, 0.3, 100, 1.0), DELTA) > epsilon(plan, DELTA)
    assert math.isinf(epsilon(PrivacyPlan(0.0, 0.03, 100, 1.0), DELTA))


def test_noise_for_a_target_epsilon_reaches_it() -> None:
    for target in (1.0, 8.0):
        noise = noise_for_epsilon(target, 0.03, 60, DELTA)
        assert epsilon(PrivacyPlan(noise, 0.03, 60, 1.0), DELTA) <= target + 1e-6
        assert epsilon(PrivacyPlan(noise * 0.97, 0.03, 60, 1.0), DELTA) > target


def test_without_sampling_the_bound_is_far_weaker() -> None:
    plan = PrivacyPlan(1.0, 0.03, 100, 1.0)
    assert epsilon_without_sampling(1.0, 3, DELTA) > epsilon(plan, DELTA)
    assert epsilon_without_sampling(1.0, 0, DELTA) == 0.0


def test_the_budget_admits_until_the_limit_then_refuses_and_records_nothing() -> None:
    budget = ModelBudget(limit=4.0, delta=DELTA)
    run = PrivacyPlan(1.0, 0.03, 100, 1.0)
    first = budget.admit(run)
    assert 0 < first < 4.0
    second = budget.admit(run)
    assert first < second <= 4.0
    with pytest.raises(BudgetExceeded, match="over your limit of 4"):
        budget.admit(PrivacyPlan(0.5, 0.05, 300, 1.0))
    assert budget.runs == [run, run] and budget.spent() == pytest.approx(second)
    with pytest.raises(BudgetExceeded):
        budget.admit(PrivacyPlan(0.0, 0.03, 1, 1.0))  # no noise: infinite ε


@pytest.mark.parametrize(
    ("noise", "rate", "rounds", "clip"),
    [
        (-1.0, 0.1, 1, 1.0),
        (1.0, 0.0, 1, 1.0),
        (1.0, 1.5, 1, 1.0),
        (1.0, 0.1, 0, 1.0),
        (1.0, 0.1, 1, 0.0),
        (math.nan, 0.1, 1, 1.0),
    ],
)
def test_bad_plans_are_refused(noise: float, rate: float, rounds: int, clip: float) -> None:
    with pytest.raises(ValueError):
        PrivacyPlan(noise, rate, rounds, clip)


def test_releases_of_several_runs_compose_as_one_run_of_their_total() -> None:
    # (PLD's grid rounds each composition step: 2 + 1 releases read within 1e-5 of 3.)
    assert epsilon_of_releases([(1.0, 2), (1.0, 1), (0.5, 0)], DELTA) == pytest.approx(
        epsilon_without_sampling(1.0, 3, DELTA), rel=1e-5
    )
    mixed = epsilon_of_releases([(1.0, 1), (2.0, 1)], DELTA)
    assert epsilon_without_sampling(2.0, 2, DELTA) < mixed < epsilon_without_sampling(1.0, 2, DELTA)
    assert epsilon_of_releases([(0.0, 1)], DELTA) == math.inf
    assert epsilon_of_releases([], DELTA) == 0.0
    with pytest.raises(ValueError, match="contributions"):
        epsilon_of_releases([(1.0, -1)], DELTA)


def _bound(accountant: rdp.RdpAccountant | pld.PLDAccountant, plan: PrivacyPlan) -> float:
    accountant.compose(plan.event())
    return float(accountant.get_epsilon(DELTA))


@pytest.mark.parametrize(
    ("plan", "tighter"),
    [
        (PrivacyPlan(0.764, 500 / 6_639, 80, 1.0), "pld"),  # the benchmark's plan at ε = 8
        (PrivacyPlan(1.0, 0.03, 100, 1.0), "pld"),
        (PrivacyPlan(4_000.0, 1.0, 10_000, 1.0), "rdp"),  # the grid's error over 10,000 rounds
    ],
)
def test_epsilon_is_the_smaller_of_the_two_accountants_bounds(
    plan: PrivacyPlan, tighter: str
) -> None:
    by_rdp = _bound(rdp.RdpAccountant(), plan)
    by_pld = _bound(pld.PLDAccountant(value_discretization_interval=1e-2), plan)
    assert epsilon(plan, DELTA) == pytest.approx(min(by_rdp, by_pld), rel=1e-9)
    assert (by_pld < by_rdp) == (tighter == "pld")
    # PLD's grid estimate is pessimistic: a grid ten times finer reads no more.
    finer = _bound(pld.PLDAccountant(value_discretization_interval=1e-3), plan)
    assert finer <= by_pld + 1e-9


def test_the_calibrated_noise_is_the_smallest_within_the_target() -> None:
    rate, rounds, delta = 500 / 6_639, 80, 1 / 6_639
    noise = noise_for_epsilon(8.0, rate, rounds, delta)
    assert noise == pytest.approx(0.7095, abs=0.001)  # recorded (RDP alone: 0.7645)
    assert epsilon(PrivacyPlan(noise, rate, rounds, 1.0), delta) <= 8.0
    assert epsilon(PrivacyPlan(noise * 0.998, rate, rounds, 1.0), delta) > 8.0


def test_a_target_no_noise_can_reach_is_refused() -> None:
    with pytest.raises(ValueError, match="no noise multiplier"):
        noise_for_epsilon(1e-12, 1.0, 1, 1e-9)


def test_orders_left_out_by_the_rdp_accountant_are_not_the_ones_its_epsilon_comes_from(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # dp-accounting cannot sum its series for fractional orders near 1 (1.1-1.6) at these
    # plans, warns and leaves those orders out. Up to ε = 8, ε does not depend on them:
    # computed over the orders >= 2 only, it is the same; and none of the warnings is logged.
    devices = 6_639
    with caplog.at_level(logging.WARNING):
        for noise in (2.0, 0.95, 0.68):  # ε (RDP) 1.0, 3.7 and 7.9 at this plan
            plan = PrivacyPlan(noise, 500 / devices, 40, 1.0)
            every_order = rdp.RdpAccountant(DEFAULT_ORDERS)
            every_order.compose(plan.event())
            from_two_up = rdp.RdpAccountant([order for order in DEFAULT_ORDERS if order >= 2])
            from_two_up.compose(plan.event())
            assert from_two_up.get_epsilon(1 / devices) == pytest.approx(
                every_order.get_epsilon(1 / devices), rel=1e-9
            )
            epsilon(plan, 1 / devices)
    assert not [r for r in caplog.records if "failed to converge" in r.getMessage()]
    # The filter drops that one warning, not dp-accounting's others.
    with caplog.at_level(logging.WARNING):
        logging.getLogger("absl").warning("another warning")
    assert [r.getMessage() for r in caplog.records] == ["another warning"]
