"""The app as a whole: the screens in the navigation bar, which one the app opens on, the
background retry of ratings, and each screen's controller over one client."""

from __future__ import annotations

import webbrowser
from typing import Final

from client_app.sdk import PrivrecClient
from client_app.ui.controllers.history import HistoryController
from client_app.ui.controllers.importing import ImportController
from client_app.ui.controllers.my_data import MyDataController
from client_app.ui.controllers.privacy import PrivacyController
from client_app.ui.controllers.recommendations import RecommendationsController
from client_app.ui.controllers.settings import SettingsController
from client_app.ui.controllers.wallet import WalletController
from client_app.ui.controllers.welcome import WelcomeController
from client_app.ui.controllers.wording import Notice, Opener, plural

# The screens, in the order of the navigation bar: (name, title).
SCREENS: Final = (
    ("welcome", "Welcome"),
    ("my_data", "My data"),
    ("recommendations", "Recommendations"),
    ("history", "History"),
    ("wallet", "Wallet"),
    ("privacy", "Privacy"),
    ("settings", "Settings"),
)


class AppController:
    """Which screen the app opens on, the background retry of ratings, and the controller of each
    screen, all over one client."""

    def __init__(self, client: PrivrecClient, opener: Opener = webbrowser.open) -> None:
        self.client = client
        self.recommendations = RecommendationsController(client, opener)
        self.welcome = WelcomeController(client)
        self.my_data = MyDataController(client)
        self.importing = ImportController(client)
        self.wallet = WalletController(client)
        self.history = HistoryController(client)
        self.privacy = PrivacyController(client)
        self.settings = SettingsController(client, on_market_changed=self.recommendations.clear)

    def start_screen(self) -> str:
        """Welcome until there is an identity; then Recommendations once something is opted
        in, else My data (where opting in happens)."""
        if not self.client.has_identity:
            return "welcome"
        if any(state.opted_in for state in self.client.categories()):
            return "recommendations"
        return "my_data"

    def retry_ratings(self) -> Notice | None:
        """Deliver queued rating summaries that are due; a notice only if something happened."""
        if not self.client.has_identity or not self.client.pending_ratings():
            return None
        result = self.client.flush_outbox()
        if result.delivered:
            sent = plural(result.delivered, "queued rating summary", "queued rating summaries")
            return Notice(f"Sent {sent}.")
        return None
