"""Privacy: the local data-use log (what left the device, when, for which model, what it paid),
the ratings waiting in the outbox, and a summary in plain words."""

from __future__ import annotations

from kivy.properties import StringProperty

from client_app.ui.controllers import PrivacyController, PrivacyView
from client_app.ui.screens.base import AppScreen, fill_table, load_kv, no_progress

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


class PrivacyScreen(AppScreen):
    controller: PrivacyController
    summary = StringProperty("Reading the data-use log…")

    def load(self) -> None:
        self.run("reading the data-use log", no_progress(self.controller.load), self.show)

    def show(self, view: PrivacyView) -> None:
        self.summary = view.summary
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


load_kv("privacy.kv")
