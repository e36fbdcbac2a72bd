"""Welcome: what stays on the device and what leaves it; making the identity and keys."""

from __future__ import annotations

from dataclasses import dataclass

from client_app.market import MarketError
from client_app.sdk import PrivrecClient
from client_app.ui.controllers.wording import Notice, Progress, error_text


@dataclass(frozen=True)
class WelcomeView:
    stays: tuple[str, ...]
    leaves: tuple[str, ...]
    has_identity: bool
    account_text: str


class WelcomeController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def view(self) -> WelcomeView:
        per_item = "on" if self.client.share_item_feedback else "off"
        stays = (
            "Everything you read, play, buy or visit stays on this device: your activity, "
            "and the profile computed from it.",
            "Your keys are made here and never leave: nobody else can read your encrypted "
            "profile or the scores that come back.",
            "The market never learns what was recommended to you: only this device decrypts and "
            "ranks the scores.",
            "Nothing is read from a category until you switch it on in My data.",
        )
        leaves = (
            "Encrypted profiles of the categories you switched on, one per model asked.",
            "For each list you rate: how many items you liked and disliked (a summary).",
            "Which items you liked or disliked, only if you allow it in Settings "
            f"(now {per_item}); models pay more for it.",
        )
        account = self.client.account_id
        account_text = (
            f"Your identity: {account[:16]}…  (market: {self.client.market_url})"
            if account
            else "No identity yet: it is made on this device, in a few seconds."
        )
        return WelcomeView(stays, leaves, account is not None, account_text)

    def create_identity(self, progress: Progress) -> Notice:
        """Make the Ed25519 identity and CKKS keys, then register with the market. Without a
        market the identity is still made: the notice says what to fix."""
        progress("creating your keys on this device", 0.1)
        account = self.client.create_identity()
        progress("connecting to the market (uploading your public evaluation keys)", 0.5)
        try:
            self.client.connect()
        except MarketError as error:
            return Notice(f"Your identity is ready, but: {error_text(error)}", is_error=True)
        progress("connected", 1.0)
        return Notice(f"Your identity {account[:16]}… is ready and connected to the market.")
