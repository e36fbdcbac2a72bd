"""Drives the real desktop app through every screen on a (virtual) display, as a user would:
touches its buttons, waits for its worker, saves a screenshot per screen, writes a JSON report.

Run by tests/client_app/test_ui.py in a subprocess, because Kivy keeps global state:
    python -m tests.client_app.ui_driver [--scenario restart|catalogs|imports|history|
        history-settled|screenshot|training] --data-dir D \
        --market-url U --fixture F.csv --screens artifacts/screens --report report.json
"""

from __future__ import annotations

import argparse
import errno
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from client_app.market import RatingReceipt
from client_app.sdk import PrivrecClient
from client_app.training_consent import TrainingConsent
from client_app.ui import MINIMUM_WINDOW
from client_app.ui.app import REFUSAL_SECONDS, PrivrecApp
from client_app.ui.controllers import SCREENS, TakePartReport, TrainingSchedule
from client_app.ui.controllers.privacy import AUTO_PAUSED, AUTO_PAUSED_SETTING, LAST_PASS_SETTING
from client_app.ui.screens.base import ConfirmPopup
from client_app.ui.screens.history import HistoryItemRow
from client_app.ui.screens.import_dialog import ImportDialog
from client_app.ui.screens.keyboard import Focusable, layer_of
from client_app.ui.screens.my_data import CategoryItem
from client_app.ui.screens.privacy import TrainingSwitchItem
from client_app.ui.screens.recommendations import LinkButton, ModelCard, VoteButton
from client_app.ui.screens.wallet import PeriodColumn
from client_app.ui.theme import TEXT_PAIRS, THEMES
from federated.privacy import PrivacyPlan, epsilon
from recommenders.activity import ActivityEvent, Category
from tests.client_app.described_round import describing
from tests.client_app.import_fixtures import EXPORT_FILES, PARTLY_BAD, UNKNOWN_FILE
from tests.recommenders.conftest import FakeEmbedder

from kivy.clock import Clock  # isort: skip  (client_app.ui configures Kivy first)
from kivy.core.window import Keyboard, Window  # isort: skip
from kivy.metrics import Metrics  # isort: skip
from kivy.tests.common import UnitTestTouch  # isort: skip
from kivy.uix.button import Button  # isort: skip
from kivy.uix.label import Label  # isort: skip
from kivy.uix.scrollview import ScrollView  # isort: skip
from kivy.uix.switch import Switch  # isort: skip
from kivy.uix.textinput import TextInput  # isort: skip
from kivy.uix.togglebutton import ToggleButton  # isort: skip
from kivy.uix.widget import Widget  # isort: skip

MARKUP_TITLE = "[b]x[/b][color=ff0000]"
IDLE_TIMEOUT = 45.0
REFRESH_TIMEOUT = 150.0  # the first round loads the sentence model


@dataclass(frozen=True)
class Until:
    condition: Callable[[], bool]
    timeout: float = IDLE_TIMEOUT


# A step of the script yields what to wait for: a condition, or a number of frames to draw.
Wait = Until | int


class SkippableClock:
    """The training schedule's clock, which the driver moves on to make the next pass due."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped

    def skip(self, seconds: float) -> None:
        self.skipped += seconds


TRAINING_CLOCK = SkippableClock()


class StepFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class Driver:
    def __init__(
        self,
        app: PrivrecApp,
        scenario: str,
        fixture: Path,
        screens: Path,
        opened: list[str] | None = None,
    ) -> None:
        self.app = app
        self.fixture = fixture
        self.screens = screens
        self.opened = opened if opened is not None else []  # links the app's opener got
        self.report: dict[str, Any] = {"ok": False, "steps": []}
        scripts = {
            "restart": self.restart,
            "catalogs": self.catalogs,
            "keyboard": self.keyboard,
            "screenshot": self.shoot,
            "imports": self.imports,
            "my-data": self.my_data,
            "history": self.history,
            "history-settled": self.history_settled,
            "training": self.training,
        }
        self._script = scripts.get(scenario, self.first_run)()
        self._waiting: Wait = 0
        self._deadline = float("inf")

    # --- the clock-driven loop -----------------------------------------------------------------

    def start(self, _dt: float) -> None:
        Clock.schedule_interval(self._tick, 0)

    def _tick(self, _dt: float) -> None:
        if isinstance(self._waiting, int):
            if self._waiting > 0:
                self._waiting -= 1
                return
        elif not self._waiting.condition():
            if time.monotonic() > self._deadline:
                self._fail(StepFailed(f"timed out; status line: {self.app.shell.status_text!r}"))
            return
        try:
            self._waiting = next(self._script)
            if isinstance(self._waiting, Until):
                self._deadline = time.monotonic() + self._waiting.timeout
        except StopIteration:
            self.report["ok"] = True
            self._finish()
        except Exception as error:
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        self.report["error"] = "".join(traceback.format_exception(error))
        self.report["status_line"] = self.app.shell.status_text
        self._finish()

    def _finish(self) -> None:
        Clock.unschedule(self._tick)
        self.app.stop()

    def step(self, name: str) -> None:
        self.report["steps"].append(name)

    # --- helpers -------------------------------------------------------------------------------

    def settle(self, timeout: float = IDLE_TIMEOUT) -> Iterator[Wait]:
        """Wait until the worker has delivered every result, then let a few frames draw."""
        yield 2
        yield Until(lambda: self.app.worker.idle, timeout)
        yield 3

    def widgets(self, root: Widget | None = None) -> Iterator[Widget]:
        roots = [root] if root is not None else list(Window.children)
        for top in roots:
            yield from top.walk(restrict=True)

    def find(
        self, kind: type, text: str | None = None, root: Widget | None = None, **where: Any
    ) -> Any:
        for widget in self.widgets(root):
            if not isinstance(widget, kind):
                continue
            if text is not None and getattr(widget, "text", None) != text:
                continue
            if all(getattr(widget, key, None) == value for key, value in where.items()):
                return widget
        raise StepFailed(f"no {kind.__name__} {text or where!r} on screen")

    def press(self, widget: Widget) -> Iterator[Wait]:
        """Touch the middle of ``widget`` like a user (scrolled into view first)."""
        check(not widget.disabled, f"{widget!r} ({getattr(widget, 'text', '')}) is disabled")
        scroller = widget.parent
        while scroller is not None and scroller is not Window:  # the Window is its own parent
            if isinstance(scroller, ScrollView):
                # Only if hidden: Kivy scrolls content shorter than its view off its place.
                if not self.inside(widget, scroller):
                    scroller.scroll_to(widget, padding=20, animate=False)
                    yield 2
                break
            scroller = scroller.parent
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        yield 2

    @staticmethod
    def inside(widget: Widget, view: Widget) -> bool:
        """Whether `widget` lies wholly within `view`, in window coordinates."""
        left, bottom = widget.to_window(widget.x, widget.y)
        right, top = widget.to_window(widget.right, widget.top)
        view_left, view_bottom = view.to_window(view.x, view.y)
        view_right, view_top = view.to_window(view.right, view.top)
        return bool(
            view_left <= left and right <= view_right and view_bottom <= bottom and top <= view_top
        )

    def screenshot(self, name: str) -> Iterator[Wait]:
        yield 3
        self.screens.mkdir(parents=True, exist_ok=True)
        taken = Path(Window.screenshot(name=str(self.screens / f"{name}-.png")))
        target = self.screens / f"{name}.png"
        taken.replace(target)
        self.report.setdefault("screenshots", {})[name] = str(target)

    def open_folder(self, dialog: ImportDialog, folder: Path) -> Iterator[Wait]:
        """Type a folder's path into the import dialog and press Go."""
        dialog.ids.path_field.text = str(folder)
        yield 2
        yield from self.press(self.find(Button, "Go", dialog))
        chooser = dialog.ids.chooser
        yield Until(lambda: chooser.path == str(folder) and len(chooser.files) > 0)
        yield 3

    def pick_file(self, dialog: ImportDialog, path: Path) -> Iterator[Wait]:
        """Click a file's line in the import dialog's chooser, as a user picks it."""
        chooser = dialog.ids.chooser
        yield Until(lambda: str(path) in chooser.files)
        yield 3
        yield from self.press(self.find(Widget, root=chooser, path=str(path)))
        check(chooser.selection == [str(path)], f"picking {path.name}: {chooser.selection}")

    def import_picked(self, dialog: ImportDialog, button: str = "Import") -> Iterator[Wait]:
        """Press an import button and wait for the report; what the dialog said, before and
        after."""
        said = dialog.check_text
        yield from self.press(self.find(Button, button, dialog))
        yield from self.settle()
        self.report.setdefault("imports", []).append(
            {
                "file": Path(dialog.ids.chooser.selection[0]).name,
                "check": said,
                "report": dialog.report_text,
                "ok": dialog.report_ok,
                "status": self.app.shell.status_text,
            }
        )

    def screen(self) -> str:
        return str(self.app.shell.ids.manager.current)

    def go(self, title: str, name: str) -> Iterator[Wait]:
        yield from self.press(self.find(Button, title, self.app.shell.ids.nav))
        check(self.screen() == name, f"the {title} button opened {self.screen()}")

    # --- the keyboard, as SDL2 delivers it ------------------------------------------------------

    def key(self, name: str, *modifiers: str) -> Iterator[Wait]:
        """Press and release one key (with ``modifiers`` held) through the window's events."""
        code = Keyboard.keycodes[name]
        held = list(modifiers)
        if not Window.dispatch("on_key_down", code, 0, None, held):
            Window.dispatch("on_keyboard", code, 0, None, held)
        Window.dispatch("on_key_up", code, 0)
        yield 1

    def shortcut_to(self, name: str) -> Iterator[Wait]:
        """Open screen ``name`` with its Ctrl+N shortcut (N: its place in the navigation bar)."""
        number = [screen for screen, _title in SCREENS].index(name) + 1
        yield from self.key(str(number), "ctrl")
        yield from self.settle()
        check(self.screen() == name, f"Ctrl+{number} opened {self.screen()}, not {name}")

    def type(self, text: str) -> Iterator[Wait]:
        Window.dispatch("on_textinput", text)
        yield 1

    def tab_to(
        self, wanted: Callable[[Widget], bool], what: str, back: bool = False
    ) -> Iterator[Wait]:
        """Press Tab (Shift+Tab with ``back``) until the focused widget is the one wanted."""
        seen: list[str] = []
        for _ in range(400):
            yield from self.key("tab", *(["shift"] if back else []))
            focused = Focusable.focused
            if focused is not None and wanted(focused):
                check(bool(self.app.show_focus), "the focus ring is not shown")
                return
            seen.append(f"{type(focused).__name__}:{getattr(focused, 'text', '')}")
        raise StepFailed(f"Tab never reached {what}; it went through {seen[:60]}")

    @staticmethod
    def is_button(text: str) -> Callable[[Widget], bool]:
        return lambda widget: isinstance(widget, Button) and widget.text == text

    def overflowing(self, root: Widget) -> list[str]:
        """Widgets under ``root`` that leave their parent's box (a scroll view's content may be
        larger than the view: it scrolls), and labels whose text is larger than their box."""
        problems: list[str] = []

        def box(widget: Widget) -> tuple[float, float, float, float]:
            x, y = widget.to_window(*widget.pos)
            return x, y, x + widget.width, y + widget.height

        def name(widget: Widget) -> str:
            text = getattr(widget, "text", "")
            return f"{type(widget).__name__}({text[:40]!r})" if text else type(widget).__name__

        def visit(widget: Widget, path: str) -> None:
            if widget.opacity == 0 or widget.width <= 0 or widget.height <= 0:
                return
            here = f"{path} > {name(widget)}"
            if isinstance(widget, Label) and widget.text:
                widget.texture_update()
                tw, th = widget.texture_size
                if tw > widget.width + 1 or th > widget.height + 1:
                    problems.append(
                        f"{here}: text {tw:.0f}x{th:.0f} in {widget.width:.0f}x{widget.height:.0f}"
                    )
            inner = box(widget)
            for child in widget.children:
                if isinstance(widget, ScrollView):
                    visit(child, here)  # the content: as large as it needs
                    continue
                if child.opacity == 0 or child.width <= 0 or child.height <= 0:
                    continue
                x0, y0, x1, y1 = box(child)
                if x0 < inner[0] - 1 or y0 < inner[1] - 1 or x1 > inner[2] + 1 or y1 > inner[3] + 1:
                    problems.append(
                        f"{here} > {name(child)}: ({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f}) "
                        f"outside ({inner[0]:.0f},{inner[1]:.0f})-({inner[2]:.0f},{inner[3]:.0f})"
                    )
                visit(child, here)

        visit(root, type(root).__name__)
        return problems

    def off_palette(self, root: Widget) -> list[str]:
        """Shown labels whose text colour is not one of the theme's text colours."""
        theme = self.app.theme
        allowed = {tuple(theme.colour(text)) for text, _fill in TEXT_PAIRS}
        found = []
        for widget in self.widgets(root):
            if isinstance(widget, Label) and widget.text and widget.opacity > 0:
                drawn = widget.disabled_color if widget.disabled else widget.color
                if tuple(round(c, 4) for c in drawn) not in {
                    tuple(round(c, 4) for c in colour) for colour in allowed
                }:
                    found.append(f"{type(widget).__name__}({widget.text[:30]!r}): {list(drawn)}")
        return found

    def keyboard(self) -> Iterator[Wait]:
        """A returning user (as in `catalogs`) who only uses the keyboard: every screen by its
        shortcut, a control pressed on each, a dialog opened and closed, the theme and text size
        changed; then every screen at the minimum window size, in both themes."""
        app = self.app
        self.step("open")
        yield from self.settle(REFRESH_TIMEOUT)
        for name, _title in SCREENS:
            yield from self.shortcut_to(name)

        self.step("welcome: Enter on its button")
        yield from self.shortcut_to("welcome")
        yield from self.tab_to(self.is_button("Go to My data"), "Go to My data")
        yield from self.key("enter")
        yield from self.settle()
        check(self.screen() == "my_data", f"Enter on Go to My data opened {self.screen()}")

        self.step("my data: type an activity, switch a category, pick from a list, a dialog")
        my_data = app.screens["my_data"]
        add_title = my_data.ids.add_title.__self__  # (ids are weak proxies)
        yield from self.tab_to(lambda w: w is add_title, "the add field")
        yield from self.type("Solaris")
        yield from self.key("enter")
        yield from self.settle()
        check(self.visible(my_data, "Solaris"), "the activity typed is not listed")
        yield from self.tab_to(
            lambda w: isinstance(w, Switch) and getattr(w.parent, "category", "") == "places",
            "the places switch",
        )
        yield from self.key("spacebar")
        yield from self.settle()
        opted = {c.category.value for c in app.client.categories() if c.opted_in}
        check("places" in opted, f"Space on the places switch left {sorted(opted)} opted in")
        spinner = my_data.ids.add_category.__self__
        yield from self.tab_to(lambda w: w is spinner, "the category list")
        before = spinner.text
        yield from self.key("down")
        check(spinner.text != before and spinner.text in spinner.values, "Down kept the category")
        yield from self.key("enter")
        yield 3
        option = Focusable.focused
        check(option is not None and option.text == spinner.text, "the open list has no focus")
        yield from self.key("tab")
        chosen = getattr(Focusable.focused, "text", None)
        yield from self.key("enter")
        yield 5
        check(
            spinner.text == chosen and spinner.focus, f"Enter on {chosen!r} left {spinner.text!r}"
        )
        yield from self.tab_to(self.is_button("Import a file…"), "Import a file…")
        opener = Focusable.focused
        yield from self.key("enter")
        yield 3
        check(isinstance(Window.children[0], ImportDialog), "Enter opened no import dialog")
        yield 5
        stray = self.off_palette(Window.children[0])  # Kivy's file chooser draws its own labels
        check(not stray, f"the import dialog draws text off the palette: {stray}")
        focused = Focusable.focused
        check(
            focused is not None and layer_of(focused) is Window.children[0],
            f"the focus is not in the dialog but on {focused!r}",
        )
        yield from self.key("escape")
        yield 5
        check(not isinstance(Window.children[0], ImportDialog), "Escape left the dialog open")
        check(Focusable.focused is opener, "the focus did not come back after the dialog")

        self.step("recommendations: Space likes an item")
        yield from self.shortcut_to("recommendations")
        recommendations = app.screens["recommendations"]
        first_row = next(iter(recommendations._cards.values())).rows[0]
        like = self.find(VoteButton, "Like", first_row)
        yield from self.tab_to(lambda w: w is like, "the first item's Like")
        yield from self.key("spacebar")
        yield from self.settle()
        check(first_row.vote == "like", f"Space on Like left the vote {first_row.vote!r}")

        self.step("wallet: fund from the keyboard")
        yield from self.shortcut_to("wallet")
        wallet = app.screens["wallet"]
        budget = app.client.market.wallet().budget
        amount = wallet.ids.amount.__self__
        yield from self.tab_to(lambda w: w is amount, "the amount field")
        yield from self.type("5")
        yield from self.key("enter")
        yield from self.settle()
        funded = app.client.market.wallet().budget
        check(funded == budget + 5, f"the budget went from {budget} to {funded}, not +5")

        self.step("privacy: Enter on Reload")
        yield from self.shortcut_to("privacy")
        yield from self.tab_to(self.is_button("Reload"), "Reload")
        yield from self.key("enter")
        yield from self.settle()

        self.step("settings: theme, text size, a confirmation dialog")
        yield from self.shortcut_to("settings")
        yield from self.tab_to(self.is_button("Light"), "Light")
        yield from self.key("enter")
        yield from self.settle()
        check(app.theme is THEMES["light"], f"the theme is {app.theme.name} after Light")
        check(tuple(Window.clearcolor) == THEMES["light"].background, "the window kept its colour")
        yield from self.tab_to(self.is_button("Large"), "Large")
        yield from self.key("spacebar")
        yield from self.settle()
        check(Metrics.fontscale == 1.15, f"the text scale is {Metrics.fontscale} after Large")
        yield from self.key("tab", "shift")
        check(self.is_button("Normal")(Focusable.focused), "Shift+Tab from Large is not Normal")
        saved = app.controller.settings.appearance()
        self.report["appearance"] = {"theme": saved.theme, "font_scale": saved.font_scale}
        yield from self.screenshot("settings_light_large")
        yield from self.key("enter")  # Normal again, for the layout checks
        yield from self.settle()
        keys = app.client.account_id
        yield from self.tab_to(self.is_button("Rotate keys…"), "Rotate keys…")
        yield from self.key("enter")
        yield 3
        check(isinstance(Window.children[0], ConfirmPopup), "Enter opened no confirmation")
        check(self.is_button("Cancel")(Focusable.focused), "the dialog does not start on Cancel")
        yield from self.key("tab")
        check(self.is_button("Make new keys")(Focusable.focused), "Tab did not reach the action")
        yield from self.key("escape")
        yield from self.settle()
        check(not isinstance(Window.children[0], ConfirmPopup), "Escape left the dialog open")
        check(app.client.account_id == keys, "Escape did something")

        self.step("every screen at the smallest window, in both themes")
        Window.size = MINIMUM_WINDOW
        yield 10
        problems: dict[str, list[str]] = {}
        for theme in ("light", "dark"):
            app.theme = THEMES[theme]
            for name, _title in SCREENS:
                yield from self.shortcut_to(name)
                yield 5
                found = self.overflowing(app.root) + self.off_palette(app.root)
                if found:
                    problems[f"{name} ({theme})"] = found
                yield from self.screenshot(f"{name}_{theme}_small")
        self.report["window"] = list(Window.size)
        self.report["problems"] = problems

    def visible(self, root: Widget, text: str) -> bool:
        return text in self.visible_texts(root)

    # --- the scenario --------------------------------------------------------------------------

    def imports(self) -> Iterator[Wait]:
        """Each supported format imported through the real dialog by picking the file: from a
        typed folder, from Find my browsers (a hidden folder), from a typed file path; a file
        with bad records in part; an unknown file; a selection the filter hides."""
        app = self.app
        exports = self.fixture.parent
        yield from self.settle()
        yield from self.go("My data", "my_data")
        yield from self.settle()
        my_data = app.screens["my_data"]
        yield from self.press(self.find(Button, "Import a file…", my_data))
        dialog = self.find(ImportDialog)
        chooser = dialog.ids.chooser
        self.report["start_folder"] = chooser.path

        self.step("the exports, picked in the chooser")
        yield from self.open_folder(dialog, exports)
        self.report["listed"] = sorted(Path(path).name for path in chooser.files[1:])  # less ..
        for name in EXPORT_FILES:
            self.step(f"import {name}")
            yield from self.pick_file(dialog, exports / name)
            yield from self.import_picked(dialog)

        self.step("a file with bad records, imported in part")
        yield from self.pick_file(dialog, exports / PARTLY_BAD)
        yield from self.import_picked(dialog)
        yield from self.import_picked(dialog, "Import only the valid records")
        yield from self.screenshot("import_dialog")

        self.step("an unknown file, shown with all files")
        yield from self.press(dialog.ids.all_toggle.ids.box)
        yield from self.pick_file(dialog, exports / UNKNOWN_FILE)
        self.report["unknown"] = {
            "check": dialog.check_text,
            "import_disabled": self.find(Button, "Import", dialog).disabled,
        }
        self.step("the filter hides the selection: it is dropped")
        yield from self.press(dialog.ids.all_toggle.ids.box)
        yield Until(lambda: str(exports / UNKNOWN_FILE) not in chooser.files)
        yield 3
        self.report["after_filter"] = {"selection": chooser.selection, "check": dialog.check_text}

        self.step("find my browsers")
        yield from self.press(self.find(Button, "Find my browsers", dialog))
        self.report["browsers_text"] = dialog.browsers_text
        yield from self.press(self.find(Button, "Firefox: default-release", dialog))
        yield Until(lambda: len(chooser.selection) == 1 and chooser.selection[0] in chooser.files)
        self.report["hidden_shown"] = dialog.show_hidden
        yield from self.import_picked(dialog)

        self.step("a typed file path")
        dialog.ids.path_field.text = "~/.config/google-chrome/Default/History"
        yield 2
        yield from self.press(self.find(Button, "Go", dialog))
        yield Until(lambda: len(chooser.selection) == 1 and chooser.selection[0] in chooser.files)
        yield from self.import_picked(dialog)

        self.step("closed and opened again: the last folder")
        yield from self.press(self.find(Button, "Close", dialog))
        yield 3
        yield from self.press(self.find(Button, "Import a file…", my_data))
        again = self.find(ImportDialog)
        self.report["reopened_folder"] = again.ids.chooser.path
        self.report["counts"] = {s.category.value: s.events for s in app.client.categories()}
        yield from self.press(self.find(Button, "Close", again))

    def restart(self) -> Iterator[Wait]:
        """A returning user: the app opens on Recommendations and fills them by itself."""
        self.step("restart")
        yield from self.settle(REFRESH_TIMEOUT)
        self.report["start_screen"] = self.screen()
        recommendations = self.app.screens["recommendations"]
        self.report["lists"] = sorted(card.name for card in recommendations._cards.values())

    def shoot(self) -> Iterator[Wait]:
        """A returning user's every screen as they open, in both themes at the default size and
        in the dark theme at the smallest (scripts/screenshot_demo.py makes docs/screenshots/
        with it): <screen>-dark.png, <screen>-light.png, <screen>-800x600.png."""
        yield from self.restart()
        check(bool(self.report["lists"]), f"no lists; status: {self.app.shell.status_text!r}")
        width, height = MINIMUM_WINDOW
        for theme, size, suffix in (
            ("dark", None, "dark"),
            ("light", None, "light"),
            ("dark", MINIMUM_WINDOW, f"{width}x{height}"),
        ):
            self.app.theme = THEMES[theme]
            if size is not None:
                Window.size = size
                yield 10
            for name, _title in SCREENS:
                self.app.go_to(name)
                yield from self.settle(REFRESH_TIMEOUT)
                yield from self.screenshot(f"{name}-{suffix}")

    def catalogs(self) -> Iterator[Wait]:
        """Lists of models that describe their catalog (see described_round.py): every field
        is on screen, links open through the app's opener (never a javascript: one), again
        items are rated, and a category no model reads says so where it is switched on and
        among the lists."""
        app = self.app
        self.step("open on recommendations")
        yield from self.settle(REFRESH_TIMEOUT)
        check(self.screen() == "recommendations", f"a returning user starts on {self.screen()}")

        self.step("switch places on")
        yield from self.go("My data", "my_data")
        yield from self.settle()
        places = self.find(CategoryItem, root=app.screens["my_data"], category="places")
        yield from self.press(self.find(Switch, root=places))
        yield from self.settle()
        self.report["places_status"] = app.shell.status_text

        self.step("refresh")
        yield from self.go("Recommendations", "recommendations")
        yield from self.settle()
        recommendations = app.screens["recommendations"]
        yield from self.press(self.find(Button, "Refresh", recommendations))
        yield from self.settle(REFRESH_TIMEOUT)
        cards: dict[str, ModelCard] = {card.name: card for card in recommendations._cards.values()}
        # (markup@1.0.0 too, when test_ui's first test deployed it to the module's market)
        check({"shelf@1.0.0", "mixtape@1.0.0"} <= set(cards), f"lists: {sorted(cards)}")
        self.report["texts"] = sorted(self.visible_texts(recommendations))
        shelf = cards["shelf@1.0.0"]
        unsafe = self.find(LinkButton, root=shelf.rows[0])
        self.report["unsafe_link_button"] = {
            "url": unsafe.url,
            "disabled": unsafe.disabled,
            "width": unsafe.width,
            "opacity": unsafe.opacity,
        }
        yield from self.screenshot("recommendations_catalogs")

        self.step("open an item's link and the catalog's licence")
        second = shelf.rows[1]
        yield from self.press(self.find(LinkButton, root=second))
        yield from self.settle()
        self.report["open_status"] = app.shell.status_text
        yield from self.press(self.find(LinkButton, "Licence", shelf))
        yield from self.settle()
        self.report["opened"] = list(self.opened)
        self.report["second_item"] = second.key[1]

        self.step("rate an again item")
        again = shelf.again_rows[0]
        yield from self.press(self.find(Button, "Like", again))
        yield from self.settle()
        self.report["again_vote"] = again.vote
        yield from self.screenshot("recommendations_again")

    def type_text(self, field: TextInput, text: str) -> Iterator[Wait]:
        """Type into a field through the window's keyboard, replacing what it holds."""
        field.focus = True
        yield 1
        # (Not select_all: on X11 a selection is copied by an xclip that outlives the app.)
        field.text = ""
        Window.dispatch("on_textinput", text)
        yield 1

    def hold(self, description: str, *, quick: bool = False) -> threading.Event:
        """A job that runs until the returned event is set (a long import, a slow disk),
        reporting progress as it goes."""
        release = threading.Event()

        def work(progress: Callable[[str, float], None]) -> None:
            while not release.wait(0.05):
                progress(description, 0.5)

        self.app.worker.submit(description, work, quick=quick)
        return release

    def my_data(self) -> Iterator[Wait]:
        """My data with 120 books (prepare_my_data_user): a switch flips at once while a long
        job runs, a click that cannot run then says so, typing survives reloads, the mouse
        wheel scrolls a sensible distance, and the search and the pages work."""
        app = self.app
        yield from self.settle()
        yield from self.go("My data", "my_data")
        yield from self.settle()
        screen = app.screens["my_data"]
        check(screen.selected == "books", f"My data opened on {screen.selected}")
        self.report["first_page"] = {"text": screen.page_text, "shown": screen.shown_text}
        yield from self.screenshot("my_data_pages")

        self.step("the wheel")
        scroller = screen.ids.activity_scroll
        scrollable = screen.ids.activities.height - scroller.height
        x, y = scroller.to_window(*scroller.center)
        for _ in range(10):  # Kivy calls the wheel turned towards the user "scrollup"
            notch = UnitTestTouch(x, y)
            notch.profile = ["pos", "button"]
            notch.button = "scrollup"
            notch.touch_down()
            notch.touch_up()
            yield 1
        yield 2
        self.report["wheel_px"] = (1 - scroller.scroll_y) * scrollable

        self.step("switch while a long job runs")
        release = self.hold("importing a big export")
        yield 3
        books = self.find(CategoryItem, root=screen, category="books")
        switch = self.find(Switch, root=books)
        yield from self.press(switch)
        self.report["switch_at_once"] = {"active": switch.active, "opted_in": books.opted_in}
        yield Until(lambda: Category.BOOKS in app.client.store.opted_in(), 5.0)
        yield Until(lambda: not screen.busy, 5.0)  # the save's answer is shown
        self.report["busy_when_saved"] = app.worker.busy_with

        self.step("a click that cannot run now")
        yield from self.press(self.find(Button, "Forget this category…", screen))
        yield from self.press(self.find(Button, "Forget Books"))
        yield 10  # the long job reports progress meanwhile
        self.report["refusal"] = app.shell.status_text

        self.step("typing survives a reload")
        slow_disk = self.hold("reading a slow disk", quick=True)
        yield from self.type_text(screen.ids.add_title, "Dune")
        screen.ids.add_category.text = "Books"
        yield from self.press(self.find(Button, "Add", screen))
        yield from self.type_text(screen.ids.add_title, "Emma")  # the next, while Dune is added
        screen.ids.add_category.text = "Places"
        screen.load()  # a reload asked for meanwhile (as a toggle or a switch of screen does)
        slow_disk.set()
        release.set()
        yield from self.settle()
        self.report["after_reload"] = {
            "add_title": screen.ids.add_title.text,
            "add_category": screen.ids.add_category.text,
            "first_title": screen.view.activities[0].title,
            "events": screen.view.selected.events,
            "switched_on": books.opted_in,
        }

        self.step("pages")
        yield from self.press(self.find(Button, "Next page", screen))
        yield from self.settle()
        self.report["second_page"] = {
            "text": screen.page_text,
            "first": screen.view.activities[0].title,
            "shown": screen.shown_text,
        }

        self.step("search")
        yield from self.type_text(screen.ids.search, "book 11")
        yield Until(lambda: screen.view.search == "book 11")
        yield from self.settle()
        self.report["search"] = {
            "titles": [row.title for row in screen.view.activities],
            "shown": screen.shown_text,
            "pages": screen.pages,
            "next_enabled": not self.find(Button, "Next page", screen).disabled,
        }
        yield from self.screenshot("my_data_search")
        yield from self.type_text(screen.ids.search, "100%")
        yield Until(lambda: screen.view.search == "100%")
        yield from self.settle()
        self.report["literal_search"] = screen.shown_text

        self.step("a switch that cannot be saved")
        places = self.find(CategoryItem, root=screen, category="places")

        shown_while_saving: list[bool] = []

        def no_space(*_args: object) -> None:
            shown_while_saving.append(places.opted_in)
            raise OSError(errno.ENOSPC, "No space left on device")

        slow_disk = self.hold("reading a slow disk", quick=True)
        screen.load()  # a reload, shown while the switch is being saved: it draws new rows
        with patch.object(app.client, "set_opt_in", no_space):
            yield from self.press(self.find(Switch, root=places))
            slow_disk.set()
            yield from self.settle()
        places = self.find(CategoryItem, root=screen, category="places")
        self.report["failed_switch"] = {
            "shown_while_saving": shown_while_saving,
            "after": places.opted_in,
            "switch": self.find(Switch, root=places).active,
            "status": app.shell.status_text,
            "stored": Category.PLACES in app.client.store.opted_in(),
        }

    def training(self) -> Iterator[Wait]:
        """Privacy's training part (prepare_training_user): a switch flips and is saved, a bad
        ε limit is refused in words, a good one saved; the models trained are listed; the
        background pass runs by itself (and, with no identity, asks nothing), its last outcome
        is shown and automatic training is paused and resumed."""
        app = self.app
        schedule = app.training_schedule
        # The app's schedule was made due at once: its first pass runs and finishes alone.
        yield Until(lambda: schedule.seconds_to_next > 0 and not schedule.running, 30.0)
        self.report["background_pass_ran"] = True
        yield from self.settle()
        yield from self.go("Privacy", "privacy")
        yield from self.settle()
        screen = app.screens["privacy"]
        consent = screen.controller.training
        items = {
            item.category: item
            for item in self.widgets(screen)
            if isinstance(item, TrainingSwitchItem)
        }
        self.report["switches"] = {c: item.opted_in for c, item in items.items()}
        self.report["trained_before"] = sorted(self.visible_texts(screen.ids.trained))
        self.report["auto_before"] = {
            "switch": screen.ids.auto_switch.active,
            "status": screen.auto_status,
            "shown": screen.auto_status in self.visible_texts(screen),
        }
        training_card = screen.ids.training_card
        training_card.parent.parent.scroll_to(training_card, padding=10, animate=False)
        yield 3
        yield from self.screenshot("privacy_training")

        self.step("switch music on")
        yield from self.press(self.find(Switch, root=items["music"]))
        yield Until(lambda: consent.opted_in("music"), 5.0)
        yield from self.settle()
        self.report["music"] = {
            "training": consent.opted_in("music"),
            "scoring": Category.MUSIC in app.client.store.opted_in(),
            "status": app.shell.status_text,
            "shown": self.find(TrainingSwitchItem, root=screen, category="music").opted_in,
        }

        self.step("pause automatic training, then resume it")
        for paused in (True, False):
            yield from self.press(screen.ids.auto_switch)
            stored = lambda p=paused: app.client.store.get_setting(AUTO_PAUSED_SETTING) is p  # noqa: E731
            yield Until(stored, 5.0)
            yield from self.settle()
            self.report["auto_paused" if paused else "auto_resumed"] = {
                "switch": screen.ids.auto_switch.active,
                "status": screen.auto_status,
                "paused": screen.auto_status.startswith(AUTO_PAUSED),
                "notice": app.shell.status_text,
            }

        self.step("a bad limit")
        field = screen.ids.limit_field
        set_limit = self.find(Button, "Set limit", screen)
        self.report["button_disabled_at_start"] = set_limit.disabled
        yield from self.type_text(field, "lots")
        yield from self.press(set_limit)
        yield from self.settle()
        self.report["bad_limit"] = {
            "status": app.shell.status_text,
            "is_error": app.shell.status_is_error,
            "field": field.text,
            "stored": consent.epsilon_limit(),
        }

        self.step("a good limit")
        yield from self.type_text(field, "1.05")
        yield from self.press(set_limit)
        yield from self.settle()
        self.report["limit"] = {
            "status": app.shell.status_text,
            "field": field.text,
            "stored": consent.epsilon_limit(),
            "summary": screen.training_summary,
            "trained": sorted(self.visible_texts(screen.ids.trained)),
        }

        self.step("take part now")
        take_part = self.find(Button, "Take part now", screen)
        self.report["take_part_enabled"] = not take_part.disabled
        yield from self.during_a_held_pass(take_part)
        refused_at = time.monotonic()  # the refusal holds the status line for a while
        yield Until(lambda: time.monotonic() - refused_at > REFUSAL_SECONDS + 0.5, 10.0)
        yield from self.settle()
        yield from self.press(take_part)
        yield from self.settle()
        self.report["take_part"] = {
            "status": app.shell.status_text,
            "is_error": app.shell.status_is_error,
            "outcome": screen.take_part_outcome,
            "history": len(consent.history()),
        }

        self.step("every switch off")
        for category in ("music", "books"):
            item = self.find(TrainingSwitchItem, root=screen, category=category)
            yield from self.press(self.find(Switch, root=item))
            yield Until(lambda c=category: not consent.opted_in(c), 5.0)  # type: ignore[misc]
            yield from self.settle()
        yield from self.settle()
        self.report["take_part_disabled_when_off"] = take_part.disabled

    def during_a_held_pass(self, take_part: Button) -> Iterator[Wait]:
        """The app's clock starts a background pass that stays in its round (held on a real
        event, on the worker's training thread) until the driver lets it go: meanwhile the
        button is refused at once, in words, and starts nothing, and long jobs asked for (a
        click's, the screens' loads) start and finish without waiting for the round."""
        app, schedule = self.app, self.app.training_schedule
        privacy = app.controller.privacy
        in_round, round_over = threading.Event(), threading.Event()
        real_pass = privacy.background_pass

        def held_pass(progress: Callable[[str, float], None]) -> TakePartReport:
            in_round.set()
            if not round_over.wait(60):
                raise TimeoutError("the driver never ended the held round")
            return real_pass(progress)

        with patch.object(privacy, "background_pass", held_pass):
            TRAINING_CLOCK.skip(schedule.seconds_to_next)  # due now: the next tick submits it
            yield Until(in_round.is_set, 3 * 5.0)
            yield 2
            held = {
                "training_with": app.worker.training_with,
                "idle": app.worker.idle,
                "shown": app.screens["privacy"].background_running,
            }
            yield from self.press(take_part)
            self.report["take_part_during_pass"] = {
                "status": app.shell.status_text,
                "is_error": app.shell.status_is_error,
                "idle": app.worker.idle,
                "training_with": app.worker.training_with,
            }
            screen = app.screens["privacy"]
            delivered: list[str] = []
            screen.run(
                "reading the data-use log",
                lambda _progress: screen.controller.load(),
                lambda view: delivered.append(view.summary),
                now=True,
            )
            yield Until(lambda: bool(delivered), 15.0)
            yield from self.go("History", "history")  # a screen's load, on the long jobs' thread
            yield from self.settle(15.0)
            yield from self.go("Privacy", "privacy")
            yield from self.settle(15.0)
            self.report["job_during_pass"] = {
                **held,
                "delivered": delivered,
                "round_still_open": in_round.is_set() and not round_over.is_set(),
                "training_with_after": app.worker.training_with,
            }
            round_over.set()
            yield Until(lambda: app.worker.training_with is None and not schedule.running, 15.0)
            self.report["held_pass_ended"] = not app.screens["privacy"].background_running

    def visible_texts(self, root: Widget) -> set[str]:
        """The texts of the labels drawn under ``root``: not hidden, and given room."""
        return {
            widget.text
            for widget in self.widgets(root)
            if isinstance(widget, Label)
            and widget.text
            and widget.opacity > 0
            and widget.height > 0
            and widget.width > 0
        }

    def first_run(self) -> Iterator[Wait]:
        app = self.app
        yield from self.settle()
        check(self.screen() == "welcome", f"a new user starts on {self.screen()}")
        yield from self.screenshot("welcome")

        self.step("the wallet before an identity")
        yield from self.go("Wallet", "wallet")
        yield from self.settle()
        wallet = app.screens["wallet"]
        self.report["wallet_before"] = {
            "ledger": wallet.ledger,
            "balance": wallet.balance,
            "texts": sorted(self.visible_texts(wallet)),
        }
        yield from self.go("Welcome", "welcome")

        self.step("create identity")
        welcome = app.screens["welcome"]
        yield from self.press(self.find(Button, "Create my identity", welcome))
        yield from self.settle()
        check(app.client.has_identity, "no identity after Create my identity")
        check(self.screen() == "my_data", f"after the identity: {self.screen()}")
        self.report["identity"] = app.client.account_id

        self.step("opt in to books")
        my_data = app.screens["my_data"]
        books = self.find(CategoryItem, root=my_data, category="books")
        yield from self.press(self.find(Switch, root=books))
        yield from self.settle()
        self.report["opted_in"] = sorted(
            c.category.value for c in app.client.categories() if c.opted_in
        )

        self.step("add an activity by hand")
        my_data.ids.add_title.text = MARKUP_TITLE
        my_data.ids.add_category.text = "Books"
        yield 2
        yield from self.press(self.find(Button, "Add", my_data))
        yield from self.settle()
        added = self.find(Label, MARKUP_TITLE, my_data)
        self.report["activity_markup"] = {"text": added.text, "markup": added.markup}

        self.step("import a Goodreads export")
        yield from self.press(self.find(Button, "Import a file…", my_data))
        dialog = self.find(ImportDialog)
        yield from self.open_folder(dialog, self.fixture.parent)
        yield from self.pick_file(dialog, self.fixture)
        yield from self.screenshot("my_data_import")
        yield from self.press(self.find(Button, "Import", dialog))
        yield from self.settle()
        self.report["import_status"] = app.shell.status_text
        self.report["import_report"] = dialog.report_text
        yield from self.press(self.find(Button, "Close", dialog))
        self.report["my_data_title"] = my_data.title
        yield from self.screenshot("my_data")

        self.step("recommendations before a budget")
        yield from self.go("Recommendations", "recommendations")
        yield from self.settle(REFRESH_TIMEOUT)
        recommendations = app.screens["recommendations"]
        self.report["unfunded_status"] = app.shell.status_text

        self.step("fund a budget")  # the market scores only for accounts that committed credits
        self.report["unfunded_is_error"] = app.shell.status_is_error
        yield from self.go("Wallet", "wallet")
        yield from self.settle()
        # The error belonged to Recommendations: leaving it cleared the status line.
        self.report["status_after_leaving"] = [app.shell.status_text, app.shell.status_is_error]
        yield from self.press(self.find(Button, "Get demo credits", wallet))
        yield from self.settle()
        wallet.ids.amount.text = "100"  # attention is paid up to 4% of it
        yield 2
        yield from self.press(self.find(Button, "Fund budget", wallet))
        yield from self.settle()

        self.step("recommendations")
        yield from self.go("Recommendations", "recommendations")
        yield from self.settle(REFRESH_TIMEOUT)
        cards = list(recommendations._cards.values())
        if not cards:  # opening the screen refreshes only when it has no lists yet
            yield from self.press(self.find(Button, "Refresh", recommendations))
            yield from self.settle(REFRESH_TIMEOUT)
            cards = list(recommendations._cards.values())
        check(bool(cards), f"no lists; status: {app.shell.status_text!r}")
        self.report["lists"] = sorted(card.name for card in cards)
        self.report["skipped"] = recommendations.skipped
        self.report["summary"] = recommendations.summary
        self.report["markup_item"] = self.markup_evidence(recommendations)

        self.step("a list's technical details, on demand")
        shelf_card = next(card for card in cards if card.name.startswith("shelf@"))
        hidden = shelf_card.technical in self.visible_texts(shelf_card)
        yield from self.press(self.find(ToggleButton, "Details", shelf_card))
        self.report["details"] = {
            "headline": shelf_card.headline,
            "hidden_before": not hidden,
            "shown_after": shelf_card.technical in self.visible_texts(shelf_card),
            "technical": shelf_card.technical,
        }

        self.step("rate an item")
        shelf = next(card for card in cards if card.name.startswith("shelf@"))
        first = shelf.rows[0]
        yield from self.press(self.find(Button, "Like", first))
        yield from self.settle()
        check(first.vote == "like", f"the item's vote is {first.vote!r} after Like")
        self.report["rated_in_lists"] = self.votes_in_lists(cards, first.key)
        self.report["reasons"] = [row.reason for card in cards for row in card.rows]

        self.step("rate an item in the blended list")
        blended = next(row for row in recommendations.blended_rows if not row.vote)
        yield from self.press(self.find(Button, "Like", blended))
        yield from self.settle()
        check(blended.vote == "like", f"the blended item's vote is {blended.vote!r} after Like")
        self.report["blended_liked"] = {
            "key": list(blended.key),
            "rank": blended.rank,
            "details": blended.details,
            # The same item in the models' lists: the vote holds there too.
            "in_lists": {
                card.name: row.vote for card in cards for row in card.rows if row.key == blended.key
            },
        }
        yield from self.screenshot("recommendations")

        self.step("send ratings")
        send = self.find(Button, root=recommendations, disabled=False, text=self.send_text())
        self.report["send_button"] = send.text
        summaries: list[dict[str, Any]] = []
        market = app.client.market
        deliver = market.rate

        def spy(summary: Any) -> RatingReceipt:  # what the app sends; it still goes on
            summaries.append(dict(summary))
            return deliver(summary)

        with patch.object(market, "rate", spy):
            yield from self.press(send)
            yield from self.settle()
        self.report["summaries"] = {
            recommendations._cards[summary["impression_id"]].name: summary for summary in summaries
        }
        self.report["send_status"] = app.shell.status_text
        self.report["sent_card"] = shelf.sent

        self.step("history")
        yield from self.go("History", "history")
        yield from self.settle()
        rows = list(self.history_rows())
        self.report["history"] = {
            "rounds": len(app.screens["history"].cards),
            "liked": sorted(row.title for row in rows if row.vote == "like"),
        }
        yield from self.screenshot("history")

        self.step("wallet")
        yield from self.go("Wallet", "wallet")
        yield from self.settle()
        wallet = app.screens["wallet"]
        self.report["wallet"] = {
            "balance": wallet.balance,
            "budget": wallet.budget,
            "attention": wallet.attention,
            "ledger": wallet.ledger,
            "ledger_ok": wallet.ledger_ok,
            "balance_check": wallet.balance_check,
            "ledger_note": wallet.ledger_note,
            "epoch_clock": wallet.epoch_clock,
            "chart_note": wallet.chart_note,
            "chart": [
                [column.label, column.values, column.earned, column.spent]
                for column in reversed(wallet.ids.chart.children)
                if isinstance(column, PeriodColumn)
            ],
            "receipts": [
                [cell.text for cell in reversed(row.children)]
                for row in reversed(wallet.ids.receipts.children)
            ],
        }
        yield from self.screenshot("wallet")

        self.step("privacy")
        yield from self.go("Privacy", "privacy")
        yield from self.settle()
        privacy = app.screens["privacy"]
        self.report["privacy"] = {
            "summary": privacy.summary,
            "log_rows": len(privacy.ids.uses.children) - 1,  # less the header
        }
        yield from self.screenshot("privacy")

        self.step("settings")
        yield from self.go("Settings", "settings")
        yield from self.settle()
        settings = app.screens["settings"]
        yield from self.press(self.find(Button, "Rotate keys…", settings))
        yield from self.press(self.find(Button, "Make new keys"))
        yield from self.settle()
        self.report["rotate_status"] = app.shell.status_text
        settings.ids.market_url.text = "not a market"
        yield 2
        yield from self.press(self.find(Button, "Save", settings))
        yield from self.settle()
        self.report["url_error"] = settings.url_error
        self.report["data_dir_shown"] = settings.data_dir
        self.report["market_key_shown"] = settings.ids.market_key.text
        yield from self.screenshot("settings")

    def history_rows(self) -> Iterator[HistoryItemRow]:
        for widget in self.widgets(self.app.screens["history"]):
            if isinstance(widget, HistoryItemRow):
                yield widget

    def history(self) -> Iterator[Wait]:
        """A user who rated a list (prepare_history_user) changes their mind on History."""
        app = self.app
        yield from self.settle(REFRESH_TIMEOUT)  # Recommendations opens on a new round
        self.step("history")
        yield from self.go("History", "history")
        yield from self.settle()
        screen = app.screens["history"]
        liked = next(row for row in self.history_rows() if row.vote == "like")
        card = next(card for card in screen.cards if liked in card.walk(restrict=True))
        self.report["before"] = {
            "summary": screen.summary,
            "rounds": len(screen.cards),
            "state": card.state,
            "models": [box.model for box in card.lists],
        }
        self.step("change a vote")
        key, round_id = liked.key, liked.round_id
        self.report["lists_with_item"] = sum(
            any(row.key == key for row in box.rows) for box in card.lists
        )
        yield from self.press(self.find(Button, "Dislike", liked))
        yield from self.settle()
        self.report["change_status"] = app.shell.status_text
        changed = next(
            row for row in self.history_rows() if (row.key, row.round_id) == (key, round_id)
        )
        self.report["after"] = {
            "vote": changed.vote,
            "status": next(
                box.status for card in screen.cards for box in card.lists if changed in box.rows
            ),
        }
        yield from self.screenshot("history")

    def history_settled(self) -> Iterator[Wait]:
        """The same user after the market settled the epoch: the votes are final."""
        app = self.app
        yield from self.settle(REFRESH_TIMEOUT)
        self.step("history after settlement")
        yield from self.go("History", "history")
        yield from self.settle()
        screen = app.screens["history"]
        sent = [
            card
            for card in screen.cards
            if any(row.vote for row in card.walk(restrict=True) if isinstance(row, HistoryItemRow))
        ]
        self.report["settled"] = [
            {
                "state": card.state,
                "buttons_disabled": all(
                    button.disabled
                    for button in card.walk(restrict=True)
                    if isinstance(button, Button)
                ),
            }
            for card in sent
        ]
        yield from self.screenshot("history_settled")

    @staticmethod
    def votes_in_lists(cards: list[Any], key: tuple[str, str]) -> dict[str, str]:
        """The vote shown on an item in each model's list that has it."""
        return {card.name: row.vote for card in cards for row in card.rows if row.key == key}

    def send_text(self) -> str:
        unsent = int(self.app.screens["recommendations"].unsent)
        return f"Send ratings ({unsent} rated list{'' if unsent == 1 else 's'})"

    def markup_evidence(self, screen: Widget) -> dict[str, Any]:
        """How a catalog title full of Kivy markup is drawn: the label's own settings, and the
        width of its text drawn as plain text against drawn as markup."""
        label = next(
            (w for w in self.widgets(screen) if isinstance(w, Label) and "[b]" in w.text), None
        )
        if label is None:
            return {}

        def width(markup: bool) -> float:
            probe = Label(
                text=label.text,
                markup=markup,
                font_size=label.font_size,
                font_name=label.font_name,
                bold=label.bold,
            )
            probe.texture_update()
            return float(probe.texture_size[0])

        return {
            "text": label.text,
            "markup": label.markup,
            "drawn_width": width(label.markup),
            "plain_width": width(False),
            "markup_width": width(True),
        }


def prepare_catalogs_user(client: PrivrecClient) -> None:
    """A user with books and music switched on and a budget; the market's rounds come back
    described (described_round.py)."""
    client.create_identity()
    client.connect()
    now = datetime.now(UTC)
    for title, category in (("Dune", "books"), ("Blue in Green", "music"), ("Kiasma", "places")):
        client.add_activity(ActivityEvent(Category(category), "manual", title, None, now))
    for category in ("books", "music"):
        client.set_opt_in(category, True)
    client.faucet()
    client.fund_budget(100)
    client.refresh = describing(client.refresh)  # type: ignore[method-assign]


def prepare_my_data_user(client: PrivrecClient) -> None:
    """120 books read an hour apart ("Book 001" the oldest) and a place; no identity yet."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    books = [
        ActivityEvent(Category.BOOKS, "goodreads", f"Book {n:03}", None, start + timedelta(hours=n))
        for n in range(1, 121)
    ]
    place = ActivityEvent(Category.PLACES, "manual", "Kiasma", None, start)
    client.store.add_events([*books, place], origin="test")


def prepare_history_user(client: PrivrecClient) -> None:
    """A user with books and a budget who liked the first item of a list and sent it (once:
    the scenario after settlement reuses the data directory)."""
    if client.has_identity:
        return
    client.create_identity()
    client.connect()
    client.add_activity(ActivityEvent(Category.BOOKS, "manual", "Dune", None, datetime.now(UTC)))
    client.set_opt_in("books", True)
    client.faucet()
    client.fund_budget(100)
    first = client.refresh().lists[0]
    client.rate(first.impression_id, first.items[0].item_id, "like")
    client.send_ratings()


TRAINING_DELTA = 1 / 6639
TRAINING_PLAN = PrivacyPlan(0.795, 100 / 6639, 30, 1.0)  # ε 1.00 at TRAINING_DELTA


def prepare_training_user(client: PrivrecClient) -> None:
    """Training on for books; model 7 trained on books in two rounds of one run, model 12
    known by a bare (ε, δ) only; no identity (nothing here talks to the market)."""
    consent = TrainingConsent(client.store)
    consent.set_opted_in("books", True)
    eps = epsilon(TRAINING_PLAN, TRAINING_DELTA)
    for model_id, round_id in ((7, "run-1"), (7, "run-1"), (12, "run-9")):
        plan = TRAINING_PLAN if model_id == 7 else None
        consent.record(
            model_id, round_id, ["books"], eps if plan else 0.5, TRAINING_DELTA, plan=plan
        )
    # What a background pass on another day did (this run has no identity: its passes ask
    # nothing and keep no record).
    client.store.set_setting(
        LAST_PASS_SETTING,
        {
            "at": "2026-01-02T09:30:00+00:00",
            "text": "model 7: not picked for round 3 (random sampling).",
            "is_error": False,
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scenario",
        choices=(
            "first-run",
            "restart",
            "catalogs",
            "keyboard",
            "screenshot",
            "imports",
            "my-data",
            "history",
            "history-settled",
            "training",
        ),
        default="first-run",
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--market-url", required=True)
    parser.add_argument("--fixture", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)
    opened: list[str] = []
    fast = {
        "catalogs": prepare_catalogs_user,
        "keyboard": prepare_catalogs_user,
        "imports": None,
        "my-data": prepare_my_data_user,
        "history": prepare_history_user,
        "history-settled": prepare_history_user,
        "training": prepare_training_user,
    }
    if args.scenario in fast:
        # Fast: these scenarios check lists' items, keys, imports, My data and votes, not the
        # sentence model.
        client = PrivrecClient(args.data_dir, market_url=args.market_url, embedder=FakeEmbedder())
        prepare = fast[args.scenario]
        if prepare is not None:
            prepare(client)
    else:
        client = PrivrecClient(args.data_dir, market_url=args.market_url)
    # The training scenario's background pass runs at once; the others' after the usual wait.
    schedule = (
        TrainingSchedule(first_after=0, clock=TRAINING_CLOCK)
        if args.scenario == "training"
        else None
    )
    app = PrivrecApp(client, opener=opened.append, training_schedule=schedule)
    driver = Driver(app, args.scenario, args.fixture.resolve(), args.screens, opened)
    Clock.schedule_once(driver.start, 0)
    try:
        app.run()
    finally:
        client.close()
        args.report.write_text(json.dumps(driver.report, indent=2))
    return 0 if driver.report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
