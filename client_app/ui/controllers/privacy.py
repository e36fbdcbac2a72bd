"""Privacy: what left the device, model by model, the ratings waiting to be sent, and federated
training: the per-category "let models learn from my activity" switches, the user's ε limit,
and per model the categories it learnt from and the ε it spent."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from client_app.market import MarketError
from client_app.progress import Progress
from client_app.sdk import PrivrecClient
from client_app.store import DataUse
from client_app.ui.controllers.wording import (
    Notice,
    category_label,
    credits_text,
    error_text,
    plural,
    size_text,
    when_text,
)
from recommenders.activity import Category

if TYPE_CHECKING:  # imported when first used: see PrivacyController.training
    from client_app.federated_participant import TrainingParticipant
    from client_app.training_consent import TrainingConsent, TrainingRecord
    from client_app.training_examples import TrainingExamples
    from federated.runs import RunSpec

TRAINING_NOTE = (
    "A model that learns from your activity never receives it: your device computes a small "
    "update, adds noise and masks it, and the market only ever sees the noisy sum of many "
    "devices' updates. ε measures what could still be learnt about you (lower is more "
    "private); your device refuses to train a model beyond your limit."
)
NO_TRAINING = "No model has learnt from your activity on this device."
TRAINING_OFF = "Training is off for every category: switch one on to take part."
NO_OPEN_RUNS = "No model is training on the categories you allow right now."
# How long the device waits for a round's other devices before it gives up on the round.
ROUND_TIMEOUT_SECONDS = 300.0
MAX_RUNS_PER_PRESS = 3  # runs one "Take part now" joins at most


@dataclass(frozen=True)
class RunOutcome:
    """What the device did in one training run, in words (``joined``: its update went in)."""

    model: str
    text: str
    joined: bool = False
    is_error: bool = False


@dataclass(frozen=True)
class TakePartReport:
    outcomes: tuple[RunOutcome, ...]
    notice: Notice


@dataclass(frozen=True)
class DataUseRow:
    when: str
    model: str
    categories: str
    sent: str
    received: str
    paid: str


@dataclass(frozen=True)
class PendingRow:
    list_id: str
    summary: str
    attempts: str
    next_try: str
    last_error: str


@dataclass(frozen=True)
class TrainingSwitchRow:
    category: str
    label: str
    opted_in: bool


@dataclass(frozen=True)
class TrainedModelRow:
    model: str
    categories: str
    runs: str
    spent: str  # ε spent, runs composed by the accountant
    against_market: str  # ε against the market server (no amplification by sampling)
    last: str


@dataclass(frozen=True)
class PrivacyView:
    summary: str
    uses: tuple[DataUseRow, ...]
    pending: tuple[PendingRow, ...]
    training: tuple[TrainingSwitchRow, ...] = ()
    epsilon_limit: str = ""
    trained: tuple[TrainedModelRow, ...] = ()
    training_summary: str = ""


def epsilon_text(value: float | None) -> str:
    if value is None:
        return "not known"
    if math.isinf(value):
        return "unbounded (no noise)"
    return f"{value:.2f}"


def limit_text(limit: float) -> str:
    return f"{limit:g}"


class PrivacyController:
    def __init__(self, client: PrivrecClient, training: TrainingConsent | None = None) -> None:
        self.client = client
        self._training = training

    @property
    def training(self) -> TrainingConsent:
        """The training consent, made on first use (on the worker thread): its accountant
        (dp-accounting, scipy) takes seconds to import, and the window opens without it."""
        if self._training is None:
            from client_app.training_consent import TrainingConsent

            self._training = TrainingConsent(self.client.store)
        return self._training

    def load(self) -> PrivacyView:
        uses = self.client.data_use()
        pending = self.client.pending_ratings()
        activities = sum(state.events for state in self.client.categories())
        limit = self.training.epsilon_limit()
        history = self.training.history()
        trained = self._trained(history, limit)
        updates = sum(record.contributions for record in history)
        return PrivacyView(
            summary=self._summary(uses, activities, updates, len(trained)),
            uses=tuple(
                DataUseRow(
                    when=when_text(use.at),
                    model=use.model_label,
                    categories=", ".join(category_label(c) for c in use.categories),
                    sent=size_text(use.query_bytes),
                    received=size_text(use.response_bytes),
                    paid="not rated" if use.paid_to_you is None else credits_text(use.paid_to_you),
                )
                for use in uses
            ),
            pending=tuple(
                PendingRow(
                    list_id=p.impression_id[:12],
                    summary=(
                        ("new vote: " if p.change else "")
                        + f"{p.payload.get('liked', 0)} liked, {p.payload.get('disliked', 0)} "
                        + ("disliked" if p.change else f"disliked of {p.payload.get('shown', 0)}")
                        + ("; with per-item votes" if "items" in p.payload else "")
                    ),
                    attempts=plural(p.attempts, "attempt"),
                    next_try=when_text(p.next_attempt_at),
                    last_error=p.last_error or "",
                )
                for p in pending
            ),
            training=tuple(
                TrainingSwitchRow(c.value, category_label(c), self.training.opted_in(c))
                for c in Category
            ),
            epsilon_limit=limit_text(limit),
            trained=trained,
            training_summary=self._training_summary(len(trained), limit),
        )

    def _trained(
        self, history: Sequence[TrainingRecord], limit: float
    ) -> tuple[TrainedModelRow, ...]:
        """One row per model trained, the latest first."""
        from client_app.training_consent import composed_epsilon, epsilon_against_server

        labels = self.client.store.model_labels()
        by_model = sorted(history, key=lambda record: record.model_id)
        rows = []
        for model_id, grouped in groupby(by_model, key=lambda record: record.model_id):
            records = list(grouped)
            used = {c for record in records for c in record.categories}
            rounds = sum(record.contributions for record in records)
            spent = composed_epsilon(records)
            last = max(record.at for record in records)
            rows.append(
                (
                    last,
                    TrainedModelRow(
                        model=labels.get(model_id, f"model {model_id}"),
                        categories=", ".join(category_label(c) for c in Category if c in used),
                        runs=f"{plural(len(records), 'run')}, {plural(rounds, 'round')}",
                        spent=f"{epsilon_text(spent)} of {limit_text(limit)}",
                        against_market=epsilon_text(epsilon_against_server(records)),
                        last=when_text(last),
                    ),
                )
            )
        rows.sort(key=lambda pair: pair[0], reverse=True)
        return tuple(row for _last, row in rows)

    def _training_summary(self, models: int, limit: float) -> str:
        on = sorted(self.training.opted_in_categories(), key=list(Category).index)
        if not on:
            switches = "Training is off for every category: no model learns from your activity."
        else:
            names = ", ".join(category_label(c) for c in on)
            switches = f"Models may learn from: {names}."
        trained = f"{plural(models, 'model')} learnt from it so far." if models else NO_TRAINING
        return f"{switches} {trained} Your limit: ε {limit_text(limit)} per model."

    def switch_training(self, category: str, on: bool) -> Notice:
        """Let models learn from a category, or stop them (for the runs to come)."""
        self.training.set_opted_in(category, on)
        label = category_label(category)
        if on:
            return Notice(f"Models may now learn from your {label.lower()}, within your ε limit.")
        return Notice(f"No model will learn from your {label.lower()} from now on.")

    # --- taking part --------------------------------------------------------------------------

    def participant(self) -> tuple[TrainingParticipant, TrainingExamples]:
        """The SDK participant with this app's examples (its activity in opted-in categories)."""
        from client_app.federated_participant import TrainingParticipant
        from client_app.training_examples import MarketCatalogs, TrainingExamples

        client = self.client
        examples = TrainingExamples(
            client.store,
            self.training,
            lambda: client.embedder,
            MarketCatalogs(lambda: client.market, client.model_cache),
        )
        return TrainingParticipant(client.market, self.training, examples), examples

    def take_part(
        self, progress: Progress, *, timeout: float = ROUND_TIMEOUT_SECONDS
    ) -> TakePartReport:
        """Take part in the current round of the open runs (at most ``MAX_RUNS_PER_PRESS``) of
        the categories switched on (nothing at all when none is); one outcome per run, in
        words."""
        on = sorted(self.training.opted_in_categories(), key=list(Category).index)
        if not on:
            return TakePartReport((), Notice(TRAINING_OFF))
        participant, examples = self.participant()
        progress("looking for models training on your activity", 0.0)
        try:
            runs = participant.open_runs([c.value for c in on])
        except MarketError as error:
            return TakePartReport((), Notice(f"No training: {error_text(error)}", is_error=True))
        if not runs:
            return TakePartReport((), Notice(NO_OPEN_RUNS))
        # A market listing many runs must not keep the job busy for hours (each round may wait
        # ROUND_TIMEOUT_SECONDS): the first few per press, the rest on the next one.
        runs = runs[:MAX_RUNS_PER_PRESS]
        outcomes = []
        for number, spec in enumerate(runs):
            progress(
                f"training {spec.model} ({number + 1} of {len(runs)}): waiting for the round",
                number / len(runs),
            )
            outcomes.append(self._take_part_in(participant, examples, spec, timeout))
        progress("training rounds done", 1.0)
        text = " ".join(f"{o.model}: {o.text}" for o in outcomes)
        return TakePartReport(
            tuple(outcomes), Notice(text, is_error=all(o.is_error for o in outcomes))
        )

    def _take_part_in(
        self,
        participant: TrainingParticipant,
        examples: TrainingExamples,
        spec: RunSpec,
        timeout: float,
    ) -> RunOutcome:
        from client_app.federated_participant import RoundMissed
        from federated.errors import BudgetExceeded, FederatedError

        def failed(text: str) -> RunOutcome:
            return RunOutcome(spec.model, text, is_error=True)

        try:
            # Built first (on the device only): with no example, the device does not join
            # and spends no ε.
            if not examples.pairs(spec):
                return RunOutcome(
                    spec.model, "not joined: none of your activity leads to its catalog's items."
                )
            contribution = participant.take_part(spec.training, timeout=timeout)
        except BudgetExceeded as error:
            return failed(f"refused: {error}.")
        except RoundMissed:
            return failed("the round moved on before enough devices took part; try again later.")
        except MarketError as error:
            return failed(error_text(error))
        except FederatedError as error:
            return failed(f"refused: {error}.")
        if contribution is None:
            return RunOutcome(spec.model, "not picked for this round (random sampling).")
        spent = self.training.spent(spec.model)
        limit = self.training.epsilon_limit()
        return RunOutcome(
            spec.model,
            f"took part in round {contribution.round_index + 1}; ε "
            f"{epsilon_text(spent)} of {limit_text(limit)} spent on it.",
            joined=True,
        )

    def set_epsilon_limit(self, text: str) -> Notice:
        """The limit typed by the user: a number such as 4 (ValueError, in words, if not)."""
        cleaned = text.strip().replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            raise ValueError(
                f"“{text.strip()[:20]}” is not a number: type the ε limit as a number, such as 4"
            ) from None
        self.training.set_epsilon_limit(value)
        return Notice(f"Your ε limit is now {limit_text(self.training.epsilon_limit())} per model.")

    def _summary(
        self, uses: Sequence[DataUse], activities: int, updates: int, trained_models: int
    ) -> str:
        kept = f"Your {plural(activities, 'activity', 'activities')} never left this device."
        training = (
            f" {plural(updates, 'training update')} for {plural(trained_models, 'model')} left "
            "it masked and noised (below): the market only saw their sum with other devices'."
            if updates
            else ""
        )
        if not uses:
            if training:
                return f"{kept}{training} No profile has been sent for scoring yet."
            return f"{kept} Nothing derived from them has been sent yet."
        models = sorted({use.model_label.split(" by ", 1)[0] for use in uses})
        sent = sum(use.query_bytes for use in uses)
        rated = sum(use.paid_to_you is not None for use in uses)
        per_item = (
            "which items you liked, as you allowed in Settings"
            if self.client.share_item_feedback
            else "never which items"
        )
        return (
            f"{kept} What left it: {plural(len(uses), 'encrypted profile')} "
            f"({size_text(sent)} in all) sent to {plural(len(models), 'model')} "
            f"({', '.join(models)}). The market could read neither them nor the scores it sent "
            f"back, and never learned what you were shown. Rating summaries sent: {rated:,} "
            f"(how many items you liked and disliked per list; {per_item}).{training}"
        )
