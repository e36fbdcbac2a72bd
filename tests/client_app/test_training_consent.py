"""The device's training consent on a real SQLite file: off by default per category and apart
from scoring, the ε limit, runs composed by the accountant, refusals that write nothing, the
upgrade of an older store, persistence across restarts, and two processes racing for the limit."""

from __future__ import annotations

import math
import multiprocessing
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from client_app.store import LocalStore
from client_app.store_schema import SCHEMA_VERSION
from client_app.training_consent import (
    DEFAULT_EPSILON_LIMIT,
    TrainingConsent,
    TrainingConsentError,
)
from federated.errors import BudgetExceeded
from federated.privacy import ModelBudget, PrivacyPlan, epsilon, epsilon_without_sampling
from recommenders.activity import Category

DELTA = 1 / 6639
PLAN = PrivacyPlan(0.795, 100 / 6639, 30, 1.0)  # ε ≈ 1.00 at DELTA (docs/federated.md)
EPS = epsilon(PLAN, DELTA)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    store = LocalStore(tmp_path / "privrec.sqlite3")
    yield store
    store.close()


@pytest.fixture
def consent(store: LocalStore) -> TrainingConsent:
    consent = TrainingConsent(store)
    consent.set_opted_in("books", True)
    return consent


def rows(store: LocalStore) -> int:
    with sqlite3.connect(store.path) as connection:
        (count,) = connection.execute("SELECT count(*) FROM training_record").fetchone()
    return int(count)


def test_training_is_off_by_default_per_category_and_apart_from_scoring(
    store: LocalStore,
) -> None:
    consent = TrainingConsent(store)
    assert not any(consent.opted_in(category) for category in Category)
    store.set_opt_in("books", True)  # scoring on does not let models learn
    assert not consent.opted_in("books")
    consent.set_opted_in(Category.MUSIC, True)
    assert consent.opted_in("music") and Category.MUSIC not in store.opted_in()
    assert consent.opted_in_categories() == {Category.MUSIC}
    consent.set_opted_in("music", False)
    assert not consent.opted_in("music")
    with pytest.raises(ValueError, match="unknown category"):
        consent.set_opted_in("diaries", True)
    with pytest.raises(TrainingConsentError, match=r"on \(True\) or off"):
        consent.set_opted_in("books", 1)  # type: ignore[arg-type]


def test_the_limit_has_a_default_and_refuses_what_is_not_a_limit(store: LocalStore) -> None:
    consent = TrainingConsent(store)
    assert consent.epsilon_limit() == DEFAULT_EPSILON_LIMIT
    consent.set_epsilon_limit(2.5)
    assert consent.epsilon_limit() == 2.5
    for bad in (0, -1.0, math.nan, math.inf, 101.0, "3", True, None):
        with pytest.raises(TrainingConsentError):
            consent.set_epsilon_limit(bad)  # type: ignore[arg-type]
    assert consent.epsilon_limit() == 2.5
    store.set_setting("training_epsilon_limit", "lots")  # edited by hand: the default, no crash
    assert consent.epsilon_limit() == DEFAULT_EPSILON_LIMIT


def test_runs_of_a_model_are_composed_by_the_accountant_not_summed(
    consent: TrainingConsent,
) -> None:
    assert consent.spent(7) == 0.0
    first = consent.record(7, "run-a", ["books"], EPS, DELTA, plan=PLAN)
    assert (first.model_id, first.round_id, first.categories) == ("7", "run-a", (Category.BOOKS,))
    assert first.epsilon == EPS and first.delta == DELTA and first.plan == PLAN
    assert consent.spent(7) == pytest.approx(EPS)
    consent.record(7, "run-b", ["books"], EPS, DELTA, plan=PLAN)
    composed = ModelBudget(math.inf, DELTA, [PLAN, PLAN]).spent()
    assert consent.spent(7) == pytest.approx(composed)
    assert composed < 2 * EPS  # the accountant composes tighter than adding
    assert consent.spent("8") == 0.0  # per model
    consent.record("shelf-labs/shelf@1.0.0", "ab" * 16, ["books"], EPS, DELTA, plan=PLAN)
    assert consent.spent("shelf-labs/shelf@1.0.0") == pytest.approx(EPS)
    # A run known only by its (ε, δ) adds its ε: the one bound a bare pair allows.
    consent.record(7, "run-c", ["books"], 0.5, DELTA)
    assert consent.spent(7) == pytest.approx(composed + 0.5)
    assert consent.spent_against_server(7) is None  # run-c's rounds are unknown
    assert [r.round_id for r in consent.history()] == ["run-a", "run-b", "ab" * 16, "run-c"]
    assert [r.round_id for r in consent.history(7)] == ["run-a", "run-b", "run-c"]


def test_joining_more_rounds_of_a_run_charges_nothing_more_but_the_server_sees_them(
    consent: TrainingConsent,
) -> None:
    consent.record(3, "run", ["books"], EPS, DELTA, plan=PLAN)
    assert consent.spent_against_server(3) == pytest.approx(
        epsilon_without_sampling(PLAN.noise_multiplier, 1, DELTA)
    )
    again = consent.record(3, "run", ["books"], EPS, DELTA, plan=PLAN)
    assert again.contributions == 2 and rows(consent.store) == 1
    assert consent.spent(3) == pytest.approx(EPS)
    assert consent.spent_against_server(3) == pytest.approx(
        epsilon_without_sampling(PLAN.noise_multiplier, 2, DELTA)
    )
    with pytest.raises(TrainingConsentError, match=r"other terms \(epsilon"):
        consent.record(3, "run", ["books"], EPS + 1, DELTA, plan=PLAN)
    assert consent.history()[0].contributions == 2


def test_a_run_over_the_limit_is_refused_and_writes_nothing(consent: TrainingConsent) -> None:
    consent.set_epsilon_limit(1.05)
    consent.record(5, "one", ["books"], EPS, DELTA, plan=PLAN)
    with pytest.raises(BudgetExceeded, match=r"bring ε for model 5 to 1\.\d+, over your limit"):
        consent.record(5, "two", ["books"], EPS, DELTA, plan=PLAN)
    assert rows(consent.store) == 1 and consent.spent(5) == pytest.approx(EPS)
    consent.record(6, "two", ["books"], EPS, DELTA, plan=PLAN)  # another model's own budget
    consent.set_epsilon_limit(0.5)  # below what model 5 spent: kept, and refused from now on
    assert consent.spent(5) == pytest.approx(EPS)
    assert not consent.can_contribute(5, PLAN, DELTA)


def test_can_contribute_says_why_not(consent: TrainingConsent) -> None:
    check = consent.can_contribute(9, PLAN, DELTA, ["books"])
    assert check and check.epsilon_after == pytest.approx(EPS)
    off = consent.can_contribute(9, PLAN, DELTA, ["books", "music"])
    assert not off and off.reason == "training is off for music on this device"
    consent.set_epsilon_limit(1.0)
    consent.record(9, "r1", ["books"], EPS, DELTA, plan=PLAN)
    over = consent.can_contribute(9, PLAN, DELTA, ["books"])
    assert not over and "over your limit of 1" in over.reason
    assert over.epsilon_after > 1.0
    unnoised = consent.can_contribute(10, PrivacyPlan(0.0, 0.1, 1, 1.0), DELTA)
    assert not unnoised and unnoised.epsilon_after == math.inf
    with pytest.raises(TrainingConsentError, match="δ must be in"):
        consent.can_contribute(9, PLAN, 0.0)


@pytest.mark.parametrize(
    ("args", "plan", "message"),
    [
        ((1, "r", ["diaries"], 1.0, DELTA), None, "unknown category"),
        ((1, "r", "books", 1.0, DELTA), None, "not one string"),
        ((1, "r", [], 1.0, DELTA), None, "at least one category"),
        ((1, "r", ["music"], 1.0, DELTA), None, "training is off for music"),
        ((-1, "r", ["books"], 1.0, DELTA), None, "model id must not be negative"),
        ((True, "r", ["books"], 1.0, DELTA), None, "not a boolean"),
        ((1, "r r", ["books"], 1.0, DELTA), None, "round id must be"),
        ((1, "x" * 129, ["books"], 1.0, DELTA), None, "round id must be"),
        ((1, "r", ["books"], 0.0, DELTA), None, "finite number above 0"),
        ((1, "r", ["books"], math.nan, DELTA), None, "must be a number"),
        ((1, "r", ["books"], math.inf, DELTA), None, "finite number above 0"),
        ((1, "r", ["books"], 1.0, 1.0), None, "δ must be in"),
        ((1, "r", ["books"], 1.0, "0.1"), None, "δ must be a number"),
        ((1, "r", ["books"], 0.5, DELTA), PLAN, "understates the plan's ε"),
        ((1, "r", ["books"], 1.0, DELTA), "plan", "PrivacyPlan"),
    ],
)
def test_bad_records_are_refused_and_write_nothing(
    consent: TrainingConsent, args: tuple[object, ...], plan: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        consent.record(*args, plan=plan)  # type: ignore[arg-type]
    assert rows(consent.store) == 0


def test_everything_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    store = LocalStore(path)
    consent = TrainingConsent(store)
    consent.set_opted_in("books", True)
    consent.set_epsilon_limit(3.0)
    recorded = consent.record(4, "abc", ["books"], EPS, DELTA, plan=PLAN)
    store.close()

    store = LocalStore(path)
    reopened = TrainingConsent(store)
    assert reopened.opted_in("books") and not reopened.opted_in("music")
    assert reopened.epsilon_limit() == 3.0
    assert reopened.history() == [recorded]
    assert reopened.spent(4) == pytest.approx(EPS)
    store.close()


def test_a_store_of_version_5_gains_the_training_tables(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    store = LocalStore(path)
    store.set_opt_in("books", True)
    store.close()
    with sqlite3.connect(path) as connection:  # as version 5 left it
        connection.execute("DROP TABLE training_record")
        connection.execute("DROP TABLE training_consent")
        connection.execute("PRAGMA user_version = 5")
    store = LocalStore(path)
    try:
        consent = TrainingConsent(store)
        assert store.opted_in() == {Category.BOOKS} and not consent.opted_in("books")
        consent.set_opted_in("books", True)
        consent.record(1, "r", ["books"], EPS, DELTA, plan=PLAN)
        assert len(consent.history()) == 1
    finally:
        store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def _record_in_another_process(path: str, round_id: str, start: object) -> str:
    store = LocalStore(path)
    try:
        start.wait()  # type: ignore[attr-defined]
        TrainingConsent(store).record(1, round_id, ["books"], EPS, DELTA, plan=PLAN)
        return "recorded"
    except BudgetExceeded:
        return "refused"
    finally:
        store.close()


def test_two_processes_recording_at_once_cannot_both_pass_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    store = LocalStore(path)
    consent = TrainingConsent(store)
    consent.set_opted_in("books", True)
    consent.set_epsilon_limit(1.05)  # room for one run of PLAN (1.00), not two (1.10)
    store.close()
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(2) as pool:
        start = manager.Event()
        pending = [
            pool.apply_async(_record_in_another_process, (str(path), run, start))
            for run in ("one", "two")
        ]
        start.set()
        outcomes = sorted(result.get(timeout=120) for result in pending)
    assert outcomes == ["recorded", "refused"]
    store = LocalStore(path)
    try:
        assert len(TrainingConsent(store).history()) == 1
    finally:
        store.close()


def test_many_runs_of_one_plan_compose_as_one_long_run(consent: TrainingConsent) -> None:
    for run in range(12):
        consent.record(2, f"run-{run}", ["books"], EPS, DELTA, plan=PLAN)
    long_run = PrivacyPlan(PLAN.noise_multiplier, PLAN.sampling_rate, 12 * PLAN.rounds, 1.0)
    assert consent.spent(2) == pytest.approx(epsilon(long_run, DELTA))
    other = PrivacyPlan(2.0, PLAN.sampling_rate, 10, 1.0)
    consent.record(2, "other", ["books"], epsilon(other, DELTA), DELTA, plan=other)
    assert consent.spent(2) == pytest.approx(
        ModelBudget(math.inf, DELTA, [long_run, other]).spent()
    )
