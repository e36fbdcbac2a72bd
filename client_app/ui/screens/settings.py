"""Settings: the market's address (checked before it is kept), sharing per-item votes, key
rotation, and where the data lives."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from client_app.ui.controllers import ROTATE_QUESTION, SettingsController, SettingsView
from client_app.ui.screens.base import AppScreen, confirm, fill_field, load_kv, no_progress


class SettingsScreen(AppScreen):
    controller: SettingsController
    data_dir = StringProperty()
    account = StringProperty()
    url_error = StringProperty()
    share_item_feedback = BooleanProperty(False)

    def load(self) -> None:
        self.run("reading your settings", no_progress(self.controller.view), self.show)

    def show(self, view: SettingsView) -> None:
        fill_field(self.ids.market_url, view.market_url)
        self.share_item_feedback = view.share_item_feedback
        self.data_dir = view.data_dir
        self.account = view.account

    def save_market_url(self) -> None:
        url = self.ids.market_url.text
        self.url_error = ""
        self.run(
            "checking the market address",
            no_progress(lambda: self.controller.set_market_url(url)),
            lambda _notice: self.load(),
            self._url_refused,
            now=True,
        )

    def _url_refused(self, message: str) -> None:
        self.url_error = message

    def switch_item_feedback(self, share: bool) -> None:
        if share != self.share_item_feedback:  # a user's change, not the screen's own update
            self.share_item_feedback = share
            self.act(
                "saving your choice",
                lambda: self.controller.set_share_item_feedback(share),
                quick=True,  # a setting on this device
            )

    def ask_rotate_keys(self) -> None:
        confirm(
            "Rotate encryption keys",
            ROTATE_QUESTION,
            "Make new keys",
            lambda: self.run("rotating your keys", self.controller.rotate_keys, now=True),
        )


load_kv("settings.kv")
