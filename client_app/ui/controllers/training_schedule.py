"""When the app takes part in training by itself: how long it waits after each kind of
background pass (a new round soon, no run open, the market unreachable), with backoff and
jitter, and never two passes at once. Pure timing, no Kivy: the app's clock asks ``due()``."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from enum import Enum

# A market's round stays open for joining at least its stage time (60 s by default, set per
# run): checking this often notices a new round within that window.
ROUND_CHECK_SECONDS = 45.0
# With no run open for the user's categories, a new run is looked for this rarely: a run has
# many rounds, and only its first is missed.
NO_RUNS_SECONDS = 300.0
# Nothing switched on, automatic training paused or no identity: a local check only.
LOCAL_CHECK_SECONDS = 60.0
# The market unreachable: this long first, doubled each time it stays so, up to the cap.
BACKOFF_FIRST_SECONDS = 60.0
BACKOFF_MAX_SECONDS = 1800.0
# Each wait is stretched by up to this fraction at random, so that devices started together
# (a market's restart) do not all ask at the same second.
JITTER = 0.2
# The first pass waits for the app to open and show recommendations first.
FIRST_PASS_SECONDS = 30.0


class PassKind(Enum):
    """What a background pass found, as far as its timing goes."""

    IDLE = "idle"  # nothing to do locally: every category off, paused, or no identity
    NO_RUNS = "no-runs"  # the market has no open run for the categories switched on
    ROUNDS = "rounds"  # open runs were checked (taken part, sat out or waiting)
    UNREACHABLE = "unreachable"  # the market could not be reached, or failed on its side
    BUSY = "busy"  # another training job ("Take part now") was running


class TrainingSchedule:
    """Decides when the next background pass is due. ``started()`` when one is submitted,
    ``finished(kind)`` when it is done (or ``finished(PassKind.UNREACHABLE)`` if it failed),
    from the one thread that drives it (the UI's)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        first_after: float = FIRST_PASS_SECONDS,
    ) -> None:
        self._clock = clock
        self._rng = rng or random.Random()
        self._next_at = clock() + first_after
        self._running = False
        self._failures = 0  # passes in a row that found the market unreachable

    @property
    def running(self) -> bool:
        return self._running

    @property
    def seconds_to_next(self) -> float:
        return max(0.0, self._next_at - self._clock())

    def due(self) -> bool:
        return not self._running and self._clock() >= self._next_at

    def started(self) -> None:
        if self._running:
            raise RuntimeError("a background training pass is already running")
        self._running = True

    def finished(self, kind: PassKind) -> float:
        """Schedule the next pass after one of ``kind``; returns the wait in seconds."""
        self._running = False
        if kind is PassKind.UNREACHABLE:
            self._failures = min(self._failures + 1, 32)  # 2**31 minutes is past the cap
            wait = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2.0 ** (self._failures - 1))
        else:
            self._failures = 0
            wait = {
                PassKind.IDLE: LOCAL_CHECK_SECONDS,
                PassKind.NO_RUNS: NO_RUNS_SECONDS,
                PassKind.ROUNDS: ROUND_CHECK_SECONDS,
                PassKind.BUSY: ROUND_CHECK_SECONDS,
            }[kind]
        wait *= 1.0 + JITTER * self._rng.random()
        self._next_at = self._clock() + wait
        return wait
