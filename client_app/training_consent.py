"""The user's consent to federated training, kept on the device: "let models learn from my
activity" per category (off by default, apart from the scoring opt-in), their ε limit, and the
record of every training run they joined, whose privacy loss per model the accountant composes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from client_app.store import LocalStore, StoreError, utcnow
from client_app.store_schema import TrainingConsentRow, TrainingRecordRow
from federated.errors import BudgetExceeded
from federated.privacy import ModelBudget, PrivacyPlan, epsilon_of_releases
from federated.privacy import epsilon as plan_epsilon
from recommenders.activity import Category, parse_category

__all__ = [
    "DEFAULT_EPSILON_LIMIT",
    "MAX_EPSILON_LIMIT",
    "ContributionCheck",
    "TrainingConsent",
    "TrainingConsentError",
    "TrainingRecord",
]

# The target: a model trained at ε ≤ 8 per user (δ = 1 / number of users) is the
# project's working point, so a user who never opens the Privacy screen can join such a run
# once per model, and no more.
DEFAULT_EPSILON_LIMIT = 8.0
# Beyond this an (ε, δ) guarantee says nothing a user could rely on: refused as a typo.
MAX_EPSILON_LIMIT = 100.0
EPSILON_LIMIT_SETTING = "training_epsilon_limit"
# A plan's ε is recomputed here; a record may round it up, never down.
_EPSILON_TOLERANCE = 1e-9
MAX_ROUNDS = 1_000_000  # PrivacyPlan's own bound
# Model and run ids as the market writes them (an integer, hex, "name@1.0.0", "dev/name"):
# printable, no spaces, bounded.
_ID = re.compile(r"[A-Za-z0-9._:@/+-]{1,128}")

Id = int | str  # a model's or a run's id on the market


class TrainingConsentError(StoreError):
    """A training record or setting the device refuses (bad value, category not opted in, a
    run recorded twice with different terms)."""


@dataclass(frozen=True)
class TrainingRecord:
    """A training run of a model this device joined: charged whole when joined."""

    model_id: str
    round_id: str
    categories: tuple[Category, ...]
    epsilon: float
    delta: float
    at: datetime
    plan: PrivacyPlan | None
    contributions: int  # rounds of the run this device took part in


@dataclass(frozen=True)
class ContributionCheck:
    """Whether the device may join a run: true or false, with the reason and the ε the model
    would reach."""

    allowed: bool
    reason: str
    epsilon_after: float

    def __bool__(self) -> bool:
        return self.allowed


def _id(value: object, name: str) -> str:
    if isinstance(value, bool):
        raise TrainingConsentError(f"{name} must be an integer or a short id, not a boolean")
    if isinstance(value, int):
        if value < 0:
            raise TrainingConsentError(f"{name} must not be negative")
        return str(value)
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    raise TrainingConsentError(f"{name} must be an integer or 1-128 letters, digits, '.:_@/+-'")


def _probability(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TrainingConsentError(f"{name} must be a number")
    if not 0 < value < 1:
        raise TrainingConsentError(f"{name} must be in (0, 1), got {value!r}")
    return float(value)


def _epsilon_value(value: object, name: str = "ε") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise TrainingConsentError(f"{name} must be a number")
    if not (math.isfinite(value) and value > 0):
        raise TrainingConsentError(f"{name} must be a finite number above 0, got {value!r}")
    return float(value)


def _parse_categories(categories: Iterable[Category | str]) -> tuple[Category, ...]:
    """Known categories, each once, in the vocabulary's order."""
    if isinstance(categories, str | bytes):
        raise TrainingConsentError("categories must be a list of categories, not one string")
    try:
        found = {parse_category(c) for c in categories}
    except ValueError as error:
        raise TrainingConsentError(str(error)) from None
    return tuple(c for c in Category if c in found)


def _record(row: TrainingRecordRow) -> TrainingRecord:
    plan = None
    if row.noise_multiplier is not None:
        assert row.sampling_rate is not None and row.rounds is not None
        assert row.clip_norm is not None
        plan = PrivacyPlan(row.noise_multiplier, row.sampling_rate, row.rounds, row.clip_norm)
    return TrainingRecord(
        model_id=row.model_id,
        round_id=row.round_id,
        categories=tuple(parse_category(c) for c in row.categories.split(",") if c),
        epsilon=row.epsilon,
        delta=row.delta,
        at=row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC),  # SQLite: naive UTC
        plan=plan,
        contributions=row.contributions,
    )


def composed_epsilon(records: Iterable[TrainingRecord]) -> float:
    """ε of one model's runs together, at the largest δ among them: runs with a plan composed
    by federated.privacy's accountant; a run known only by its (ε, δ) adds its ε (basic
    composition, the only bound a bare (ε, δ) allows)."""
    records = list(records)
    if not records:
        return 0.0
    delta = max(record.delta for record in records)
    plans = _merged([record.plan for record in records if record.plan is not None])
    bare = sum(record.epsilon for record in records if record.plan is None)
    return bare + (ModelBudget(math.inf, delta, plans).spent() if plans else 0.0)


def _merged(plans: Iterable[PrivacyPlan]) -> list[PrivacyPlan]:
    """Runs of the same noise and sampling rate as one run of all their rounds: the same
    composition, but the accountant computes one curve instead of one per run."""
    rounds: dict[tuple[float, float, float], int] = {}
    for plan in plans:
        key = (plan.noise_multiplier, plan.sampling_rate, plan.clip_norm)
        rounds[key] = rounds.get(key, 0) + plan.rounds
    merged = []
    for (noise, rate, clip), total in rounds.items():
        while total > 0:  # (a plan holds at most MAX_ROUNDS rounds)
            merged.append(PrivacyPlan(noise, rate, min(total, MAX_ROUNDS), clip))
            total -= MAX_ROUNDS
    return merged


def epsilon_against_server(records: Iterable[TrainingRecord]) -> float | None:
    """ε against the market server, which knows the rounds the user took part in (no
    amplification by sampling); None when a run was recorded without its plan."""
    records = list(records)
    if not records:
        return 0.0
    if any(record.plan is None for record in records):
        return None
    delta = max(record.delta for record in records)
    releases = [(r.plan.noise_multiplier, r.contributions) for r in records if r.plan]
    return epsilon_of_releases(releases, delta)


class TrainingConsent:
    """The training side of the user's consent, in the app's local store."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def _session(self) -> Session:
        return Session(self.store.engine, expire_on_commit=False)

    # --- per category -------------------------------------------------------------------------

    def opted_in(self, category: Category | str) -> bool:
        """Whether models may learn from this category's activity (off unless switched on)."""
        category = parse_category(category)
        with self._session() as session:
            row = session.get(TrainingConsentRow, category.value)
            return row is not None and row.opted_in

    def opted_in_categories(self) -> frozenset[Category]:
        with self._session() as session:
            rows = session.exec(
                select(TrainingConsentRow).where(col(TrainingConsentRow.opted_in))
            ).all()
            return frozenset(parse_category(row.category) for row in rows)

    def set_opted_in(self, category: Category | str, on: bool) -> None:
        category = parse_category(category)
        if not isinstance(on, bool):
            raise TrainingConsentError("the training switch is on (True) or off (False)")
        with self._session() as session:
            session.merge(
                TrainingConsentRow(category=category.value, opted_in=on, changed_at=utcnow())
            )
            session.commit()

    # --- the limit ----------------------------------------------------------------------------

    def epsilon_limit(self) -> float:
        """The most privacy loss (ε) the user lets any one model take from them."""
        stored = self.store.get_setting(EPSILON_LIMIT_SETTING, DEFAULT_EPSILON_LIMIT)
        try:
            return self._checked_limit(stored)
        except TrainingConsentError:  # a setting edited by hand: the default, not a crash
            return DEFAULT_EPSILON_LIMIT

    def set_epsilon_limit(self, eps: float) -> None:
        """Set the limit (a finite number in (0, MAX_EPSILON_LIMIT]). Lowering it below what a
        model already spent forgets nothing: that model is refused from then on."""
        self.store.set_setting(EPSILON_LIMIT_SETTING, self._checked_limit(eps))

    @staticmethod
    def _checked_limit(value: object) -> float:
        limit = _epsilon_value(value, "the ε limit")
        if limit > MAX_EPSILON_LIMIT:
            raise TrainingConsentError(
                f"the ε limit must be at most {MAX_EPSILON_LIMIT:g}: beyond that differential "
                "privacy promises nothing"
            )
        return limit

    # --- spending -----------------------------------------------------------------------------

    def history(self, model_id: Id | None = None) -> list[TrainingRecord]:
        """Every run joined (of one model, if given), oldest first."""
        query = select(TrainingRecordRow).order_by(col(TrainingRecordRow.id))
        if model_id is not None:
            query = query.where(TrainingRecordRow.model_id == _id(model_id, "model id"))
        with self._session() as session:
            return [_record(row) for row in session.exec(query).all()]

    def spent(self, model_id: Id) -> float:
        """ε this user has spent on the model, every run joined composed by the accountant."""
        return composed_epsilon(self.history(model_id))

    def spent_against_server(self, model_id: Id) -> float | None:
        """ε against the market server (see `epsilon_against_server`)."""
        return epsilon_against_server(self.history(model_id))

    def can_contribute(
        self,
        model_id: Id,
        plan: PrivacyPlan,
        delta: float,
        categories: Iterable[Category | str] = (),
    ) -> ContributionCheck:
        """Whether joining a run of `plan` at `delta` keeps the model within the user's limit
        (and every category named is opted in to training). Truthy when allowed."""
        key = _id(model_id, "model id")
        delta = _probability(delta, "δ")
        limit = self.epsilon_limit()
        records = self.history(key)
        current = composed_epsilon(records)
        off = [c.value for c in _parse_categories(categories) if not self.opted_in(c)]
        if off:
            return ContributionCheck(
                False, f"training is off for {', '.join(off)} on this device", current
            )
        trial = TrainingRecord(key, "", (), math.inf, delta, utcnow(), plan, 1)
        after = composed_epsilon([*records, trial])
        if after > limit:
            return ContributionCheck(
                False,
                f"this training would bring ε for model {key} to {after:.2f}, over your limit "
                f"of {limit:g}",
                after,
            )
        return ContributionCheck(
            True, f"ε for model {key} would be {after:.2f} of {limit:g}", after
        )

    def record(
        self,
        model_id: Id,
        round_id: Id,
        categories: Iterable[Category | str],
        epsilon: float,
        delta: float,
        *,
        plan: PrivacyPlan | None = None,
    ) -> TrainingRecord:
        """Charge a run to the model's ε before the device contributes to it, and keep it in the
        history. With the run's `plan` the accountant composes it with the model's other runs
        (and `epsilon` must be at least the plan's ε at `delta`); without it its ε adds up.
        Raises BudgetExceeded, writing nothing, when the model's ε would exceed the limit.

        Recording the same run again (same model, round and terms) charges nothing: it counts
        one more round taken part in (what the server sees) and returns the record."""
        key = _id(model_id, "model id")
        run = _id(round_id, "round id")
        used = self._categories(categories)
        eps = _epsilon_value(epsilon)
        delta = _probability(delta, "δ")
        if plan is not None:
            if not isinstance(plan, PrivacyPlan):
                raise TrainingConsentError("plan must be a federated.privacy.PrivacyPlan")
            planned = plan_epsilon(plan, delta)
            if eps < planned * (1 - _EPSILON_TOLERANCE):
                raise TrainingConsentError(
                    f"ε {eps:g} understates the plan's ε {planned:.4f} at δ {delta:g}"
                )
        row = TrainingRecordRow(
            model_id=key,
            round_id=run,
            categories=",".join(c.value for c in used),
            epsilon=eps,
            delta=delta,
            noise_multiplier=None if plan is None else plan.noise_multiplier,
            sampling_rate=None if plan is None else plan.sampling_rate,
            rounds=None if plan is None else plan.rounds,
            clip_norm=None if plan is None else plan.clip_norm,
            at=utcnow(),
        )
        limit = self.epsilon_limit()
        with self._session() as session:
            existing = session.exec(
                select(TrainingRecordRow)
                .where(TrainingRecordRow.model_id == key)
                .where(TrainingRecordRow.round_id == run)
            ).first()
            if existing is not None:
                return self._again(session, existing, row)
            # Written first, checked after: the insert holds SQLite's write lock until the
            # commit, so two processes recording at once are checked one after the other.
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # the same run recorded meanwhile by another process
                session.rollback()
                raise TrainingConsentError(f"run {run} of model {key} was just recorded") from None
            rows = session.exec(
                select(TrainingRecordRow).where(TrainingRecordRow.model_id == key)
            ).all()
            total = composed_epsilon(_record(r) for r in rows)
            if total > limit:
                session.rollback()
                raise BudgetExceeded(
                    f"this training would bring ε for model {key} to {total:.2f}, over your "
                    f"limit of {limit:g}"
                )
            session.commit()
            return _record(row)

    def _categories(self, categories: Iterable[Category | str]) -> tuple[Category, ...]:
        """The run's categories: known, at least one, every one opted in to training."""
        used = _parse_categories(categories)
        if not used:
            raise TrainingConsentError("a training run uses at least one category")
        off = [c.value for c in used if not self.opted_in(c)]
        if off:
            raise TrainingConsentError(
                f"training is off for {', '.join(off)} on this device: nothing may be learnt "
                "from it"
            )
        return tuple(used)

    @staticmethod
    def _again(
        session: Session, existing: TrainingRecordRow, asked: TrainingRecordRow
    ) -> TrainingRecord:
        terms = (
            "categories",
            "epsilon",
            "delta",
            "noise_multiplier",
            "sampling_rate",
            "rounds",
            "clip_norm",
        )
        changed = [t for t in terms if getattr(existing, t) != getattr(asked, t)]
        if changed:
            raise TrainingConsentError(
                f"run {existing.round_id} of model {existing.model_id} was recorded with other "
                f"terms ({', '.join(changed)})"
            )
        existing.contributions += 1
        session.add(existing)
        session.commit()
        return _record(existing)
