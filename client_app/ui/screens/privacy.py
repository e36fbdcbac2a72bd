"""Privacy: the local data-use log (what left the device, when, for which model, what it paid),
the ratings waiting in the outbox, a summary in plain words, and federated training: a switch
per category, the ε limit, whether the app takes part by itself and what it last did, and what
each model learnt from (see docs/federated.md)."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from client_app.ui.controllers import (
    TRAINING_NOTE,
    Notice,
    PrivacyController,
    PrivacyView,
    TakePartReport,
    TrainingSwitchRow,
)
from client_app.ui.screens.base import (
    AppScreen,
    clear_field,
    fill_field,
    fill_table,
    load_kv,
    no_progress,
)

USE_COLUMNS = (
    ("When", 0.14),
    ("Model", 0.28),
    ("Encrypted categories", 0.2),
    ("Query sent", 0.12),
    ("Scores received", 0.13),
    ("Paid to you", 0.13),
)
PENDING_COLUMNS = (
    ("List", 0.13),
    ("Summary", 0.27),
    ("Attempts", 0.1),
    ("Next try", 0.15),
    ("Last error", 0.35),
)
TRAINED_COLUMNS = (
    ("Model", 0.26),
    ("Learnt from", 0.2),
    ("Taken part in", 0.16),
    ("ε spent", 0.12),
    ("ε the market could see", 0.14),
    ("Last", 0.12),
)


class TrainingSwitchItem(BoxLayout):
    """A category's "let models learn from my activity" switch; it flips at once."""

    category = StringProperty()
    label = StringProperty()
    opted_in = BooleanProperty(False)

    def __init__(self, screen: PrivacyScreen, **kwargs: Any) -> None:
        self.screen = screen
        super().__init__(**kwargs)

    def switched(self, active: bool) -> None:
        # Kivy reports programmatic changes too: act only on a change of the user's choice.
        if active != self.opted_in:
            self.opted_in = active  # shown at once; put back if it cannot be saved
            self.screen.switch_training(self, active)


class PrivacyScreen(AppScreen):
    controller: PrivacyController
    summary = StringProperty("Reading the data-use log…")
    training_summary = StringProperty("")
    training_note = StringProperty(TRAINING_NOTE)
    epsilon_limit = StringProperty("")
    can_take_part = BooleanProperty(False)  # some category is switched on for training
    take_part_outcome = StringProperty("")  # what the last "Take part now" did, run by run
    auto_training = BooleanProperty(True)  # the app takes part by itself (not paused)
    auto_status = StringProperty("")  # whether it does, and what its last pass did
    background_running = BooleanProperty(False)  # a background pass is under way

    def load(self) -> None:
        self.run("reading the data-use log", no_progress(self.controller.load), self.show)

    def _reload_quietly(self, _notice: Notice) -> None:
        """Show the screen afresh after a change, keeping the change's notice on the status
        line (a quick job: the view is read from this device's store only)."""
        self.run(
            "reading the data-use log", no_progress(self.controller.load), self.show, quick=True
        )

    def show(self, view: PrivacyView) -> None:
        self.summary = view.summary
        self.training_summary = view.training_summary
        self.epsilon_limit = view.epsilon_limit
        fill_field(self.ids.limit_field, view.epsilon_limit)
        self._show_switches(view.training)
        self.can_take_part = any(row.opted_in for row in view.training)
        self.auto_training = view.auto_training
        self.auto_status = view.auto_status
        fill_table(
            self.ids.trained,
            TRAINED_COLUMNS,
            (
                (t.model, t.categories, t.runs, t.spent, t.against_market, t.last)
                for t in view.trained
            ),
            "No model has learnt from your activity yet.",
        )
        fill_table(
            self.ids.uses,
            USE_COLUMNS,
            ((u.when, u.model, u.categories, u.sent, u.received, u.paid) for u in view.uses),
            "Nothing has left this device yet.",
        )
        fill_table(
            self.ids.pending,
            PENDING_COLUMNS,
            ((p.list_id, p.summary, p.attempts, p.next_try, p.last_error) for p in view.pending),
            "None: every rating you sent was delivered.",
        )

    def _show_switches(self, rows: tuple[TrainingSwitchRow, ...]) -> None:
        box = self.ids.training_switches
        box.clear_widgets()
        for row in rows:
            box.add_widget(
                TrainingSwitchItem(
                    self, category=row.category, label=row.label, opted_in=row.opted_in
                )
            )

    def switch_training(self, item: TrainingSwitchItem, on: bool) -> None:
        """Save a switch the user has just flipped; when it cannot be saved, put it back."""
        category, label = item.category, item.label

        def failed(message: str) -> None:
            for shown in self.ids.training_switches.children:  # (a reload made new rows)
                if shown.category == category:
                    shown.opted_in = not on
            state = "off" if on else "on"
            self.services.notify(
                Notice(f"Training on {label.lower()} is still {state}: {message}", is_error=True)
            )

        self.run(
            "saving your choice",
            no_progress(lambda: self.controller.switch_training(category, on)),
            self._reload_quietly,
            failed,
            quick=True,
        )

    def switch_auto_training(self, on: bool) -> None:
        """Pause automatic training, or let it go on (flips at once, put back if not saved)."""
        if on == self.auto_training:
            return  # Kivy reports programmatic changes too
        self.auto_training = on

        def failed(message: str) -> None:
            self.auto_training = not on
            self.services.notify(Notice(f"Automatic training unchanged: {message}", is_error=True))

        self.run(
            "saving your choice",
            no_progress(lambda: self.controller.set_auto_training(on)),
            self._reload_quietly,
            failed,
            quick=True,
        )

    def background_started(self) -> None:
        self.background_running = True

    def background_finished(self, report: TakePartReport | None) -> None:
        """A background pass ended (None: it failed, and the status line says why): show what
        it did if this screen is open."""
        self.background_running = False
        if report is not None and self.manager is not None and self.manager.current == self.name:
            self._reload_quietly(report.notice)

    def take_part(self) -> None:
        """Take part in the open training runs of the categories switched on; each run's
        outcome is shown, then the table of models trained is read again from the consent
        history. On the worker's training thread (a round mostly waits for other devices), so
        the app's other jobs run meanwhile; refused at once while a training job (a background
        pass) is under way."""

        def done(report: TakePartReport) -> None:
            lines = [f"{o.model}: {o.text}" for o in report.outcomes]
            self.take_part_outcome = "\n".join(lines) or report.notice.text
            self.services.notify(report.notice)
            self._reload_quietly(report.notice)

        def failed(message: str) -> None:
            self.take_part_outcome = message

        self.run("taking part in training", self.controller.take_part, done, failed, training=True)

    def set_limit(self) -> None:
        """Save the ε limit typed in the field; a bad one is refused in words, the field kept."""
        typed = self.ids.limit_field.text

        def saved(notice: Notice) -> None:
            clear_field(self.ids.limit_field, typed)  # the reload shows the limit as saved
            self._reload_quietly(notice)

        # A refusal is shown in the status line by the worker; the field keeps what was typed.
        self.run(
            "saving your ε limit",
            no_progress(lambda: self.controller.set_epsilon_limit(typed)),
            saved,
            quick=True,
        )


load_kv("privacy.kv")
