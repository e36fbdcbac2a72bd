"""The desktop app's entry point: the window frame (navigation, screens, status line), the
worker, the background retry of ratings and training, and `run_app`."""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Kivy is configured by client_app/ui/__init__.py, which Python runs before this module.
from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.metrics import Metrics, dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import NoTransition
from kivy.uix.togglebutton import ToggleButton

from client_app.sdk import PrivrecClient
from client_app.ui.controllers import (
    SCREENS,
    AppController,
    Appearance,
    Notice,
    Opener,
    PassKind,
    TakePartReport,
    TrainingSchedule,
    error_text,
)
from client_app.ui.screens.base import AppScreen, Services
from client_app.ui.screens.history import HistoryScreen
from client_app.ui.screens.keyboard import Activatable, Shortcuts
from client_app.ui.screens.my_data import MyDataScreen
from client_app.ui.screens.privacy import PrivacyScreen
from client_app.ui.screens.recommendations import RecommendationsScreen
from client_app.ui.screens.settings import SettingsScreen
from client_app.ui.screens.wallet import WalletScreen
from client_app.ui.screens.welcome import WelcomeScreen
from client_app.ui.theme import DEFAULT_THEME, THEMES, Theme, theme_named
from client_app.ui.worker import Worker

log = logging.getLogger(__name__)
# Queued ratings are retried this often (the outbox itself backs off per rating).
RETRY_RATINGS_SECONDS = 60.0
# How often the clock asks whether a background training pass is due (a comparison only).
TRAINING_TICK_SECONDS = 5.0
# What the worker calls the background pass (a refused "Take part now" says it).
BACKGROUND_TRAINING = "taking part in training in the background"
# How long "this cannot run now" holds the status line against a running job's progress.
REFUSAL_SECONDS = 4.0


def on_ui_thread(call: Callable[[], None]) -> None:
    """Run ``call`` on Kivy's thread at its next frame (safe to call from any thread)."""
    Clock.schedule_once(lambda _dt: call(), 0)


class NavButton(Activatable, ToggleButton):
    screen = StringProperty()
    compact = BooleanProperty(False)


# Below this width the navigation bar drops the app's name and narrows its buttons.
COMPACT_WIDTH = 1000


class AppShell(BoxLayout):
    """The frame around the screens; shows jobs in the status line (a `JobListener`)."""

    status_text = StringProperty("")
    status_is_error = BooleanProperty(False)
    progress = NumericProperty(0.0)
    working = BooleanProperty(False)
    compact = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._outcome: Notice | None = None  # the last outcome of the current run of jobs
        self._current = Notice("Ready.")  # what the jobs say now, shown once a refusal ends
        self._refusing = False

    def on_width(self, _shell: AppShell, width: float) -> None:
        self.compact = width < dp(COMPACT_WIDTH)

    def add_navigation(self, go_to: Callable[[str], None]) -> None:
        for name, title in SCREENS:
            button = NavButton(text=title, screen=name, compact=self.compact)
            self.bind(compact=button.setter("compact"))
            button.bind(on_release=lambda b: go_to(b.screen))
            self.ids.nav.add_widget(button)

    def show_screen(self, name: str) -> None:
        if self.ids.manager.current != name:
            self.forget_error()
        self.ids.manager.current = name
        for button in self.ids.nav.children:
            button.state = "down" if button.screen == name else "normal"

    def forget_error(self) -> None:
        """An error belongs to the screen it happened on: leaving it clears the status line
        (a job still running keeps its own message)."""
        if self._outcome is not None and self._outcome.is_error:
            self._outcome = None
        if self.status_is_error and not self.working:
            self._show(Notice("Ready."))

    def notify(self, notice: Notice) -> None:
        """Show an action's outcome; it stays once the jobs that follow it are done."""
        self._outcome = notice
        self._show(notice)

    def refuse(self, text: str) -> None:
        """Say that a click cannot run now. It holds the status line for a few seconds, over a
        running job's progress, then gives way; it is nobody's outcome."""
        self._refusing = True
        self._draw(Notice(text, is_error=True))
        Clock.unschedule(self._end_refusal)
        Clock.schedule_once(self._end_refusal, REFUSAL_SECONDS)

    def _end_refusal(self, _dt: float) -> None:
        self._refusing = False
        self._draw(self._current)

    def _show(self, notice: Notice) -> None:
        self._current = notice
        if not self._refusing:
            self._draw(notice)

    def _draw(self, notice: Notice) -> None:
        self.status_text = notice.text
        self.status_is_error = notice.is_error

    # --- JobListener ----------------------------------------------------------------------

    def job_started(self, description: str) -> None:
        if not self.working:
            self._outcome = None
        self._show(Notice(description[:1].upper() + description[1:] + "…"))
        self.progress = 0.0
        self.working = True

    def job_progress(self, message: str, fraction: float) -> None:
        self._show(Notice(message[:1].upper() + message[1:]))
        self.progress = max(0.0, min(1.0, fraction))

    def job_failed(self, description: str, message: str) -> None:
        self.notify(Notice(message, is_error=True))

    def jobs_idle(self) -> None:
        self.working = False
        self._show(self._outcome or Notice("Ready."))


class ShowErrors(ExceptionHandler):
    """A bug in a widget callback is shown in the status line and logged; the window stays."""

    def __init__(self, shell: AppShell) -> None:
        super().__init__()
        self.shell = shell

    def handle_exception(self, inst: BaseException) -> Any:
        if not isinstance(inst, Exception):  # KeyboardInterrupt, SystemExit: really quit
            return ExceptionManager.RAISE
        log.exception("unexpected error in the UI")
        self.shell.notify(Notice(error_text(inst), is_error=True))
        return ExceptionManager.PASS


class PrivrecApp(App):
    """One window over one client. Screens get their controller and the app's services."""

    title = "privrec: private recommendations"
    # The .kv rules draw with ``app.theme.<role>``: assigning another theme recolours the app.
    theme: Theme = ObjectProperty(THEMES[DEFAULT_THEME], rebind=True)
    # The focus ring shows once the keyboard is used, and hides again on a click.
    show_focus = BooleanProperty(False)

    def __init__(
        self,
        client: PrivrecClient,
        opener: Opener = webbrowser.open,
        training_schedule: TrainingSchedule | None = None,
        **kwargs: Any,
    ) -> None:
        """``opener`` opens an item's http(s) link (the system browser; tests record);
        ``training_schedule`` says when the app takes part in training by itself."""
        super().__init__(**kwargs)
        self.client = client
        self.controller = AppController(client, opener)
        self.training_schedule = training_schedule or TrainingSchedule()
        self.screens: dict[str, AppScreen] = {}

    def build(self) -> AppShell:
        self.apply_appearance(self.controller.settings.appearance())
        Window.clearcolor = self.theme.background
        self.shell = AppShell()
        self.worker = Worker(on_ui_thread, error_text, self.shell)
        services = Services(
            run=self.worker.submit,
            notify=self.shell.notify,
            go_to=self.go_to,
            busy_with=lambda: self.worker.busy_with,
            refuse=self.shell.refuse,
            restyle=self.apply_appearance,
            training_with=lambda: self.worker.training_with,
        )
        controllers = self.controller
        self.screens = {
            "welcome": WelcomeScreen(controllers.welcome, services, name="welcome"),
            "my_data": MyDataScreen(
                controllers.my_data, services, importing=controllers.importing, name="my_data"
            ),
            "recommendations": RecommendationsScreen(
                controllers.recommendations, services, name="recommendations"
            ),
            "history": HistoryScreen(controllers.history, services, name="history"),
            "wallet": WalletScreen(controllers.wallet, services, name="wallet"),
            "privacy": PrivacyScreen(controllers.privacy, services, name="privacy"),
            "settings": SettingsScreen(controllers.settings, services, name="settings"),
        }
        manager = self.shell.ids.manager
        manager.transition = NoTransition()
        for screen in self.screens.values():
            manager.add_widget(screen)
        self.shell.add_navigation(self.go_to)
        self._show_errors = ShowErrors(self.shell)
        ExceptionManager.add_handler(self._show_errors)
        self.shortcuts = Shortcuts([name for name, _ in SCREENS], self.go_to, self._keyboard_used)
        self.shortcuts.install()
        return self.shell

    def apply_appearance(self, appearance: Appearance) -> None:
        """Recolour the app and resize its text (every ``'Nsp'`` size follows the font scale)."""
        self.theme = theme_named(appearance.theme)
        Metrics.fontscale = appearance.font_scale

    def _keyboard_used(self, used: bool) -> None:
        self.show_focus = used

    def on_theme(self, _app: App, theme: Theme) -> None:
        Window.clearcolor = theme.background

    def on_start(self) -> None:
        # Opening Recommendations refreshes them by itself when there are none yet.
        self.worker.submit(
            "opening your data", lambda _: self.controller.start_screen(), self.go_to
        )
        Clock.schedule_interval(self._retry_ratings, RETRY_RATINGS_SECONDS)
        Clock.schedule_interval(self._train_in_background, TRAINING_TICK_SECONDS)

    def on_stop(self) -> None:
        self.shortcuts.uninstall()
        ExceptionManager.remove_handler(self._show_errors)
        Clock.unschedule(self._retry_ratings)
        Clock.unschedule(self._train_in_background)
        self.worker.stop()

    def go_to(self, name: str) -> None:
        manager = self.shell.ids.manager
        if manager.current == name:
            # Kivy sends no on_enter to the screen already shown (the first one, or a second
            # click on its button): show it afresh all the same.
            self.screens[name].on_enter()
        self.shell.show_screen(name)

    def _retry_ratings(self, _dt: float) -> None:
        def delivered(notice: Notice | None) -> None:
            if notice is not None:
                self.shell.notify(notice)

        self.worker.submit(
            "retrying queued ratings",
            lambda _: self.controller.retry_ratings(),
            delivered,
            quiet=True,
        )

    def _train_in_background(self, _dt: float) -> None:
        """Submit a background training pass when one is due, on the worker's training
        thread: what the user asks for meanwhile runs beside it, never behind it. Not while
        "Take part now" runs (one training job at a time): due, it starts once that is done.
        Quiet: the Privacy screen shows it, not the status line."""
        schedule = self.training_schedule
        if not schedule.due() or self.worker.training_with is not None:
            return
        schedule.started()
        privacy = self.screens["privacy"]
        assert isinstance(privacy, PrivacyScreen)
        privacy.background_started()

        def done(report: TakePartReport) -> None:
            schedule.finished(report.kind)
            privacy.background_finished(report)

        def failed(message: str) -> None:  # background_pass reports its own failures: a bug
            schedule.finished(PassKind.UNREACHABLE)
            privacy.background_finished(None)

        self.worker.submit(
            BACKGROUND_TRAINING,
            self.controller.privacy.background_pass,
            done,
            failed,
            quiet=True,
            training=True,
        )


def run_app(data_dir: Path | None = None, market_url: str | None = None) -> None:
    """Open the desktop app on ``data_dir`` (default: the platform's user data directory),
    optionally pointing it at another market (ValueError if the URL is not one)."""
    # Kivy shows Python logging at every level on its console; the HTTP stack's per-request
    # lines would drown what matters there.
    for name in ("httpcore", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    client = PrivrecClient(data_dir, market_url=market_url)
    try:
        PrivrecApp(client).run()
    finally:
        client.close()
