"""Settings: the market's address (checked before it is kept), sharing per-item votes, key
rotation, the theme and text size (applied at once, then kept), and where the data lives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.widget import Widget

from client_app.ui.controllers import (
    ROTATE_QUESTION,
    SCREENS,
    Appearance,
    SettingsController,
    SettingsView,
)
from client_app.ui.screens.base import (
    AppScreen,
    ChoiceButton,
    confirm,
    fill_field,
    load_kv,
    no_progress,
)
from client_app.ui.theme import DEFAULT_FONT_SCALE, DEFAULT_THEME, FONT_SCALES, THEMES

KEYS_HELP = (
    "Applied at once and kept on this device. From the keyboard: Ctrl+1 to "
    f"Ctrl+{len(SCREENS)} open the screens, Tab and Shift+Tab move between controls, Enter or "
    "Space presses one, Escape closes a dialog."
)


class SettingsScreen(AppScreen):
    controller: SettingsController
    data_dir = StringProperty()
    market_key = StringProperty()
    account = StringProperty()
    url_error = StringProperty()
    share_item_feedback = BooleanProperty(False)
    theme_name = StringProperty(DEFAULT_THEME)
    font_scale = NumericProperty(DEFAULT_FONT_SCALE)
    keys_help = StringProperty(KEYS_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._theme_buttons = self._add_choices(
            self.ids.theme_choices,
            {theme.name: theme.label for theme in THEMES.values()},
            lambda name: self.choose_appearance(theme=name),
        )
        self._scale_buttons = self._add_choices(
            self.ids.font_scale_choices,
            {factor: label for label, factor in FONT_SCALES},
            lambda factor: self.choose_appearance(font_scale=factor),
        )
        self.on_theme_name(self, self.theme_name)
        self.on_font_scale(self, self.font_scale)

    @staticmethod
    def _add_choices(
        box: Widget, labels: dict[Any, str], choose: Callable[[Any], None]
    ) -> dict[Any, ChoiceButton]:
        buttons = {}
        for value, label in labels.items():
            button = ChoiceButton(text=label)
            button.bind(on_release=lambda _button, value=value: choose(value))
            box.add_widget(button)
            buttons[value] = button
        return buttons

    def on_theme_name(self, _screen: Widget, name: str) -> None:
        for value, button in getattr(self, "_theme_buttons", {}).items():
            button.chosen = value == name

    def on_font_scale(self, _screen: Widget, scale: float) -> None:
        for value, button in getattr(self, "_scale_buttons", {}).items():
            button.chosen = value == scale

    def load(self) -> None:
        self.run("reading your settings", no_progress(self.controller.view), self.show)

    def show(self, view: SettingsView) -> None:
        fill_field(self.ids.market_url, view.market_url)
        self.market_key = view.market_key
        self.share_item_feedback = view.share_item_feedback
        self.data_dir = view.data_dir
        self.account = view.account
        self.theme_name = view.appearance.theme
        self.font_scale = view.appearance.font_scale

    def choose_appearance(self, theme: str | None = None, font_scale: float | None = None) -> None:
        """Show the new look at once; it is saved on the worker."""
        now = Appearance(self.theme_name, self.font_scale)
        chosen = replace(
            now,
            theme=now.theme if theme is None else theme,
            font_scale=now.font_scale if font_scale is None else font_scale,
        )
        if chosen == now:
            return
        self.theme_name, self.font_scale = chosen.theme, chosen.font_scale
        self.services.restyle(chosen)
        self.run(
            "saving how the app looks",
            no_progress(lambda: self.controller.set_appearance(chosen)),
        )

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
