"""Drives the real desktop app through every screen on a (virtual) display, as a user would:
touches its buttons, waits for its worker, saves a screenshot per screen, writes a JSON report.

Run by tests/client_app/test_ui.py in a subprocess, because Kivy keeps global state:
    python -m tests.client_app.ui_driver [--scenario restart|catalogs|screenshot] --data-dir D \
        --market-url U --fixture F.csv --screens artifacts/screens --report report.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

from client_app.sdk import PrivrecClient
from client_app.ui.app import PrivrecApp
from client_app.ui.screens.import_dialog import ImportDialog
from client_app.ui.screens.my_data import CategoryItem
from client_app.ui.screens.recommendations import LinkButton, ModelCard
from client_app.ui.screens.wallet import PeriodColumn
from recommenders.activity import ActivityEvent, Category
from tests.client_app.described_round import describing
from tests.client_app.import_fixtures import EXPORT_FILES, PARTLY_BAD, UNKNOWN_FILE
from tests.recommenders.conftest import FakeEmbedder

from kivy.clock import Clock  # isort: skip  (client_app.ui configures Kivy first)
from kivy.core.window import Window  # isort: skip
from kivy.tests.common import UnitTestTouch  # isort: skip
from kivy.uix.button import Button  # isort: skip
from kivy.uix.label import Label  # isort: skip
from kivy.uix.scrollview import ScrollView  # isort: skip
from kivy.uix.switch import Switch  # isort: skip
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
            "screenshot": self.shoot,
            "imports": self.imports,
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
        """A returning user's Recommendations as they open, saved as recommendations.png
        (scripts/screenshot_demo.py makes docs/screenshots/ with it)."""
        yield from self.restart()
        check(bool(self.report["lists"]), f"no lists; status: {self.app.shell.status_text!r}")
        yield from self.screenshot("recommendations")

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

        def spy(summary: Any) -> int:  # what the app sends; it still goes to the market
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
        yield from self.screenshot("settings")

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--scenario",
        choices=("first-run", "restart", "catalogs", "screenshot", "imports"),
        default="first-run",
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--market-url", required=True)
    parser.add_argument("--fixture", type=Path, required=True)
    parser.add_argument("--screens", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)
    opened: list[str] = []
    if args.scenario in ("catalogs", "imports"):
        # Fast: lists' items and imports are what these scenarios check, not the sentence model.
        client = PrivrecClient(args.data_dir, market_url=args.market_url, embedder=FakeEmbedder())
        if args.scenario == "catalogs":
            prepare_catalogs_user(client)
    else:
        client = PrivrecClient(args.data_dir, market_url=args.market_url)
    app = PrivrecApp(client, opener=opened.append)
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
