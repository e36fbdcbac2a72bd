"""Welcome: what the app shares and what it never does, and the creation of the identity."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from client_app.ui.controllers import Notice, WelcomeController, WelcomeView
from client_app.ui.screens.base import AppScreen, load_kv, no_progress


class WelcomeScreen(AppScreen):
    controller: WelcomeController
    stays = StringProperty()
    leaves = StringProperty()
    account_text = StringProperty()
    has_identity = BooleanProperty(False)

    def load(self) -> None:
        self.run("reading your identity", no_progress(self.controller.view), self.show)

    def show(self, view: WelcomeView) -> None:
        self.stays = "\n\n".join(f"•  {line}" for line in view.stays)
        self.leaves = "\n\n".join(f"•  {line}" for line in view.leaves)
        self.account_text = view.account_text
        self.has_identity = view.has_identity

    def go_on(self) -> None:
        if self.has_identity:
            self.services.go_to("my_data")
        else:
            self.create_identity()

    def create_identity(self) -> None:
        self.run("creating your identity", self.controller.create_identity, self._created, now=True)

    def _created(self, _notice: Notice) -> None:
        self.load()
        self.services.go_to("my_data")


load_kv("welcome.kv")
