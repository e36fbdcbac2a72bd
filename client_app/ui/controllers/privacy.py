"""Privacy: what left the device, model by model, the ratings waiting to be sent, and federated
training: the per-category "let models learn from my activity" switches, the user's ε limit,
and per model the categories it learnt from and the ε it spent."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING

from client_app.market import MarketError, MarketUnavailable
from client_app.progress import Progress
from client_app.sdk import PrivrecClient
from client_app.store import DataUse, LocalStore, utcnow
from client_app.ui.controllers.training_schedule import PassKind
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
    from client_app.federated_participant import SatOut, TrainingParticipant
    from client_app.training_consent import TrainingConsent, TrainingRecord
    from federated.runs import RunSpec

log = logging.getLogger(__name__)

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
MAX_RUNS_PER_PRESS = 3  # runs one pass looks at, and rounds one "Take part now" goes through
# Rounds one background pass goes through at most: a round may wait ROUND_TIMEOUT_SECONDS for
# other devices, and "Take part now" is refused while a pass runs (one training job at a time).
BACKGROUND_ROUNDS_PER_PASS = 1
TRAINING_BUSY = "Already taking part in training: wait for that to finish."
AUTO_PAUSED = "Automatic training is paused: only “Take part now” joins training rounds."
AUTO_NO_IDENTITY = "No identity on a market yet: automatic training starts once you have one."
# Local settings: whether automatic training is paused, and what its last pass did.
AUTO_PAUSED_SETTING = "training.auto_paused"
LAST_PASS_SETTING = "training.last_background_pass"
# Per run, the round whose sampling draw this device made (kept across restarts: a draw again
# in the same round would join more often than the sampling rate the ε accounts for).
DRAWN_ROUNDS_SETTING = "training.drawn_rounds"
MAX_PASS_TEXT = 600  # characters of a pass's outcome kept and shown


@dataclass(frozen=True)
class RunOutcome:
    """What the device did in one training run, in words (``joined``: its update went in)."""

    model: str
    text: str
    joined: bool = False
    is_error: bool = False
    in_round: bool = False  # the device went into the run's round (counts to a pass's cap)
    unreachable: bool = False  # the market could not be reached, or failed on its side


@dataclass(frozen=True)
class TakePartReport:
    outcomes: tuple[RunOutcome, ...]
    notice: Notice
    kind: PassKind = PassKind.ROUNDS  # for the background schedule


@dataclass(frozen=True)
class LastPass:
    """What the background pass last did: when, and in words."""

    at: datetime
    text: str
    is_error: bool


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
    auto_training: bool = True  # automatic training not paused
    auto_status: str = ""  # whether the app takes part by itself, and what it last did


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
        self._taking_part = threading.Lock()  # one training job at a time, button or background
        self._last_run: str | None = None  # the run whose round the device last went through

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
            auto_training=not self.auto_training_paused(),
            auto_status=self._auto_status(),
        )

    # --- automatic training -------------------------------------------------------------------

    def auto_training_paused(self) -> bool:
        # Anything but a stored true (a setting edited by hand) leaves it on, the default.
        return self.client.store.get_setting(AUTO_PAUSED_SETTING, False) is True

    def set_auto_training(self, on: bool) -> Notice:
        """Let the app take part by itself (the default), or pause that (the button stays)."""
        self.client.store.set_setting(AUTO_PAUSED_SETTING, not on)
        if on:
            return Notice("The app takes part in training by itself again.")
        return Notice("Automatic training paused: the app joins rounds only when you ask.")

    def last_pass(self) -> LastPass | None:
        """The background pass's last outcome, if one is kept (a malformed one is ignored)."""
        kept = self.client.store.get_setting(LAST_PASS_SETTING)
        if not isinstance(kept, dict):
            return None
        at, text, is_error = kept.get("at"), kept.get("text"), kept.get("is_error")
        if not (isinstance(at, str) and isinstance(text, str) and isinstance(is_error, bool)):
            return None
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        return LastPass(moment, text[:MAX_PASS_TEXT], is_error)

    def _auto_status(self) -> str:
        if self.auto_training_paused():
            state = AUTO_PAUSED
        elif not self.training.opted_in_categories():
            state = "Automatic training waits for a category to be switched on."
        else:
            state = (
                "Automatic training is on: the app joins the open rounds by itself, in the "
                "background, at most one round at a time."
            )
        last = self.last_pass()
        if last is None:
            return f"{state} No background check yet."
        return f"{state} Last background check, {when_text(last.at)}: {last.text}"

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

    def participant(self) -> TrainingParticipant:
        """The SDK participant with this app's examples (its activity in opted-in categories)
        and its draws kept in the store."""
        from client_app.federated_participant import TrainingParticipant
        from client_app.training_examples import MarketCatalogs, TrainingExamples

        client = self.client
        examples = TrainingExamples(
            client.store,
            self.training,
            lambda: client.embedder,
            MarketCatalogs(lambda: client.market, client.model_cache),
        )
        return TrainingParticipant(
            client.market, self.training, examples, draws=StoredDrawLog(client.store)
        )

    def take_part(
        self, progress: Progress, *, timeout: float = ROUND_TIMEOUT_SECONDS
    ) -> TakePartReport:
        """ "Take part now": the current round of the open runs (at most
        ``MAX_RUNS_PER_PRESS``) of the categories switched on (nothing at all when none is);
        one outcome per run, in words."""
        return self._take_part(progress, rounds_at_most=MAX_RUNS_PER_PRESS, timeout=timeout)

    def background_pass(
        self, progress: Progress, *, timeout: float = ROUND_TIMEOUT_SECONDS
    ) -> TakePartReport:
        """What the app does by itself every so often (``TrainingSchedule`` says when): the
        same checks and steps as "Take part now", but at most one round per pass, so that the
        training thread is free again within one round; nothing at all (no network) when
        automatic training is paused, every category is off or there is no identity yet. Its
        outcome is kept for the Privacy screen."""
        if self.auto_training_paused():
            return TakePartReport((), Notice(AUTO_PAUSED), PassKind.IDLE)
        if not self.client.has_identity:
            return TakePartReport((), Notice(AUTO_NO_IDENTITY), PassKind.IDLE)
        try:
            report = self._take_part(
                progress, rounds_at_most=BACKGROUND_ROUNDS_PER_PASS, timeout=timeout
            )
        except Exception as error:  # nobody asked: told on the Privacy screen, not the status line
            log.warning("background training pass failed", exc_info=True)
            notice = Notice(f"Failed: {error_text(error)}", is_error=True)
            report = TakePartReport((), notice, PassKind.UNREACHABLE)
        if report.kind in (PassKind.NO_RUNS, PassKind.ROUNDS, PassKind.UNREACHABLE):
            self.client.store.set_setting(
                LAST_PASS_SETTING,
                {
                    "at": utcnow().isoformat(),
                    "text": report.notice.text[:MAX_PASS_TEXT],
                    "is_error": report.notice.is_error,
                },
            )
        return report

    @property
    def taking_part(self) -> bool:
        """A training job (the button's or the background's) is running now."""
        return self._taking_part.locked()

    def _take_part(
        self, progress: Progress, *, rounds_at_most: int, timeout: float
    ) -> TakePartReport:
        """The one path of the button and the background pass: one job at a time; the runs of
        the categories switched on (the one after the last run taken part in first, so that
        each gets its turn), each round decided once (below), until ``rounds_at_most`` rounds
        were gone through."""
        on = sorted(self.training.opted_in_categories(), key=list(Category).index)
        if not on:
            return TakePartReport((), Notice(TRAINING_OFF), PassKind.IDLE)
        if not self._taking_part.acquire(blocking=False):
            return TakePartReport((), Notice(TRAINING_BUSY), PassKind.BUSY)
        try:
            return self._take_part_in_runs(progress, on, rounds_at_most, timeout)
        finally:
            self._taking_part.release()

    def _take_part_in_runs(
        self, progress: Progress, on: Sequence[Category], rounds_at_most: int, timeout: float
    ) -> TakePartReport:
        participant = self.participant()
        progress("looking for models training on your activity", 0.0)
        try:
            runs = participant.open_runs([c.value for c in on])
        except MarketError as error:
            notice = Notice(f"No training: {error_text(error)}", is_error=True)
            return TakePartReport((), notice, PassKind.UNREACHABLE)
        if not runs:
            return TakePartReport((), Notice(NO_OPEN_RUNS), PassKind.NO_RUNS)
        # A market listing many runs must not keep the job busy for hours (each round may wait
        # ROUND_TIMEOUT_SECONDS): the first few per pass, the rest on the next one.
        ids = [spec.training for spec in runs]
        if self._last_run in ids:
            turn = ids.index(self._last_run) + 1
            runs = runs[turn:] + runs[:turn]
        runs = runs[:MAX_RUNS_PER_PRESS]
        outcomes: list[RunOutcome] = []
        rounds = 0
        for number, spec in enumerate(runs):
            if rounds >= rounds_at_most:
                break
            progress(
                f"training {spec.model} ({number + 1} of {len(runs)}): waiting for the round",
                number / len(runs),
            )
            outcome = self._take_part_in(participant, spec, timeout)
            outcomes.append(outcome)
            if outcome.in_round:
                rounds += 1
                self._last_run = spec.training
        progress("training rounds done", 1.0)
        text = " ".join(f"{o.model}: {o.text}" for o in outcomes)
        unreachable = all(o.unreachable for o in outcomes)
        return TakePartReport(
            tuple(outcomes),
            Notice(text, is_error=all(o.is_error for o in outcomes)),
            PassKind.UNREACHABLE if unreachable else PassKind.ROUNDS,
        )

    def _take_part_in(
        self, participant: TrainingParticipant, spec: RunSpec, timeout: float
    ) -> RunOutcome:
        from client_app.federated_participant import RoundMissed, SatOut
        from federated.errors import BudgetExceeded, FederatedError

        def failed(text: str, *, in_round: bool = True, unreachable: bool = False) -> RunOutcome:
            return RunOutcome(
                spec.model, text, is_error=True, in_round=in_round, unreachable=unreachable
            )

        try:
            taken = participant.take_part(spec.training, timeout=timeout)
        except BudgetExceeded as error:
            return failed(f"refused: {error}.", in_round=False)
        except RoundMissed:
            return failed("the round moved on before enough devices took part; try again later.")
        except MarketError as error:
            return failed(error_text(error), unreachable=isinstance(error, MarketUnavailable))
        except FederatedError as error:
            return failed(f"refused: {error}.")
        if isinstance(taken, SatOut):
            return RunOutcome(spec.model, sat_out_text(taken))
        spent = self.training.spent(spec.model)
        limit = self.training.epsilon_limit()
        return RunOutcome(
            spec.model,
            f"took part in round {taken.round_index + 1}; ε "
            f"{epsilon_text(spent)} of {limit_text(limit)} spent on it.",
            joined=True,
            in_round=True,
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


class StoredDrawLog:
    """The rounds this device drew for, per run, kept in the app's store (across restarts)."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store

    def drawn(self, run_id: str) -> int | None:
        return self.kept().get(run_id)

    def remember(self, run_id: str, round_index: int) -> None:
        from client_app.federated_participant import with_draw

        self.store.set_setting(DRAWN_ROUNDS_SETTING, with_draw(self.kept(), run_id, round_index))

    def kept(self) -> dict[str, int]:
        kept = self.store.get_setting(DRAWN_ROUNDS_SETTING, {})
        if not isinstance(kept, dict):  # edited by hand: nothing remembered
            return {}
        return {run: index for run, index in kept.items() if type(index) is int}


def sat_out_text(sat_out: SatOut) -> str:
    """Why the device sat a round out, in words."""
    from client_app.federated_participant import SitOutReason

    number = sat_out.round_index + 1
    return {
        SitOutReason.PAST_JOINING: "its round under way is past joining: the next one will do.",
        SitOutReason.ALREADY_DRAWN: (
            f"this device already drew whether to join round {number} (one draw per round): "
            "the next round will do."
        ),
        SitOutReason.NOT_SAMPLED: f"not picked for round {number} (random sampling).",
        SitOutReason.NO_EXAMPLES: "not joined: none of your activity leads to its catalog's items.",
    }[sat_out.reason]
