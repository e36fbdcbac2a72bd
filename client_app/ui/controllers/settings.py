"""Settings: the market's address, per-item feedback, key rotation, and the app's look (theme
and text size, kept on this device)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from client_app.sdk import PrivrecClient
from client_app.ui.controllers.wording import Notice, Progress
from client_app.ui.theme import (
    DEFAULT_FONT_SCALE,
    DEFAULT_THEME,
    FONT_SCALES,
    THEMES,
    checked_font_scale,
    theme_named,
)

APPEARANCE_SETTING = "appearance"


@dataclass(frozen=True)
class Appearance:
    theme: str = DEFAULT_THEME  # a name in client_app.ui.theme.THEMES
    font_scale: float = DEFAULT_FONT_SCALE  # one of FONT_SCALES' factors


@dataclass(frozen=True)
class SettingsView:
    market_url: str
    market_key: str  # the pinned key's fingerprint, as the market's web verify panel shows it
    share_item_feedback: bool
    data_dir: str
    account: str
    appearance: Appearance


NOT_PINNED = "not known yet: the app pins it when it first talks to this market"


def key_fingerprint(public_key_hex: str) -> str:
    """A market key in groups of four characters, to compare by eye with the fingerprint the
    market's ledger page and ``privrec market serve`` show (the same format)."""
    return " ".join(public_key_hex[i : i + 4] for i in range(0, len(public_key_hex), 4))


ROTATE_QUESTION = (
    "Make new encryption keys? Your identity and balance stay. The new public evaluation keys are "
    "uploaded with your next request; answers to the old keys can no longer be read."
)


class SettingsController:
    def __init__(self, client: PrivrecClient, on_market_changed: Callable[[], None]) -> None:
        self.client = client
        self._on_market_changed = on_market_changed

    def view(self) -> SettingsView:
        pinned = self.client.market.pinned_key
        return SettingsView(
            market_url=self.client.market_url,
            market_key=NOT_PINNED if pinned is None else key_fingerprint(pinned),
            share_item_feedback=self.client.share_item_feedback,
            data_dir=str(self.client.data_dir),
            account=self.client.account_id or "no identity yet",
            appearance=self.appearance(),
        )

    def appearance(self) -> Appearance:
        """The saved theme and text size; the defaults for what is missing or no longer offered
        (a file from another version is no reason not to open)."""
        saved = self.client.store.get_setting(APPEARANCE_SETTING, {})
        chosen = Appearance()
        if isinstance(saved, dict):
            theme, scale = saved.get("theme"), saved.get("font_scale")
            if isinstance(theme, str) and theme in THEMES:
                chosen = replace(chosen, theme=theme)
            if isinstance(scale, int | float) and scale in dict(FONT_SCALES).values():
                chosen = replace(chosen, font_scale=float(scale))
        return chosen

    def set_appearance(self, appearance: Appearance) -> Notice:
        """Keep ``appearance`` (ValueError for a theme or text size that is not offered)."""
        theme = theme_named(appearance.theme)
        scale = checked_font_scale(appearance.font_scale)
        self.client.store.set_setting(
            APPEARANCE_SETTING, {"theme": theme.name, "font_scale": scale}
        )
        size = next(label for label, factor in FONT_SCALES if factor == scale)
        return Notice(f"{theme.label} theme, {size.lower()} text.")

    def set_market_url(self, url: str) -> Notice:
        before = self.client.market_url
        self.client.set_market_url(url)
        if self.client.market_url == before:
            return Notice(f"The market is still {before}.")
        self._on_market_changed()
        return Notice(f"Market set to {self.client.market_url}.")

    def set_share_item_feedback(self, share: bool) -> Notice:
        self.client.set_share_item_feedback(share)
        if share:
            return Notice("Per-item votes will be shared with the models you rate (paid more).")
        return Notice("Only rating summaries will be shared from now on.")

    def rotate_keys(self, progress: Progress) -> Notice:
        progress("making new encryption keys on this device", 0.2)
        self.client.rotate_keys()
        return Notice("New encryption keys are ready; they are uploaded with your next request.")
