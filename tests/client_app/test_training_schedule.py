"""When the app takes part in training by itself: the wait after each kind of background pass,
the backoff while the market is unreachable (capped, reset by an answer), the jitter's bounds,
and never a second pass while one runs."""

from __future__ import annotations

import random

import pytest

from client_app.ui.controllers import PassKind, TrainingSchedule
from client_app.ui.controllers.training_schedule import (
    BACKOFF_FIRST_SECONDS,
    BACKOFF_MAX_SECONDS,
    FIRST_PASS_SECONDS,
    JITTER,
    LOCAL_CHECK_SECONDS,
    NO_RUNS_SECONDS,
    ROUND_CHECK_SECONDS,
)


class ManualClock:
    """Seconds that pass only when the test says so (the schedule reads a monotonic clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_pass_waits_for_the_app_to_open() -> None:
    clock = ManualClock()
    schedule = TrainingSchedule(clock=clock)
    assert not schedule.due()
    clock.now += FIRST_PASS_SECONDS - 0.01
    assert not schedule.due()
    clock.now += 0.01
    assert schedule.due()


@pytest.mark.parametrize(
    ("kind", "base"),
    [
        (PassKind.ROUNDS, ROUND_CHECK_SECONDS),
        (PassKind.BUSY, ROUND_CHECK_SECONDS),
        (PassKind.NO_RUNS, NO_RUNS_SECONDS),
        (PassKind.IDLE, LOCAL_CHECK_SECONDS),
    ],
)
def test_each_kind_of_pass_sets_its_wait_within_the_jitter(kind: PassKind, base: float) -> None:
    clock = ManualClock()
    schedule = TrainingSchedule(clock=clock, rng=random.Random(3), first_after=0)
    waits = []
    for _ in range(200):
        assert schedule.due()
        schedule.started()
        waits.append(schedule.finished(kind))
        assert not schedule.due() and schedule.seconds_to_next == pytest.approx(waits[-1])
        clock.now += waits[-1]
    assert base <= min(waits) and max(waits) <= base * (1 + JITTER)
    assert max(waits) - min(waits) > base * JITTER / 2  # spread, not one fixed second


def test_a_new_round_is_noticed_within_the_default_stage_time() -> None:
    # The market's default stage time is 60 s: a round is joinable at least that long.
    assert ROUND_CHECK_SECONDS * (1 + JITTER) < 60


def test_an_unreachable_market_is_asked_ever_more_rarely_until_it_answers() -> None:
    clock = ManualClock()
    schedule = TrainingSchedule(clock=clock, rng=random.Random(5), first_after=0)
    bases = []
    for _ in range(40):
        schedule.started()
        wait = schedule.finished(PassKind.UNREACHABLE)
        clock.now += wait
        bases.append(wait)
    expected = [min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2**i) for i in range(40)]
    for wait, base in zip(bases, expected, strict=True):
        assert base <= wait <= base * (1 + JITTER)
    assert bases[-1] <= BACKOFF_MAX_SECONDS * (1 + JITTER)
    schedule.started()  # the market answers again: back to the round's pace
    assert schedule.finished(PassKind.ROUNDS) <= ROUND_CHECK_SECONDS * (1 + JITTER)
    clock.now += BACKOFF_MAX_SECONDS
    schedule.started()
    assert schedule.finished(PassKind.UNREACHABLE) <= BACKOFF_FIRST_SECONDS * (1 + JITTER)


def test_a_pass_is_never_due_or_started_while_one_runs() -> None:
    clock = ManualClock()
    schedule = TrainingSchedule(clock=clock, first_after=0)
    schedule.started()
    clock.now += 10 * BACKOFF_MAX_SECONDS  # however long the round takes
    assert schedule.running and not schedule.due()
    with pytest.raises(RuntimeError, match="already running"):
        schedule.started()
    schedule.finished(PassKind.ROUNDS)
    assert not schedule.running
