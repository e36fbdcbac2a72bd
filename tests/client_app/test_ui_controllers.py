"""The app's controllers and worker against a real market, without a display: what each screen
shows, what each action does, and the words of every error the user can meet."""

from __future__ import annotations

import dataclasses
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from client_app.market import (
    MarketError,
    MarketInfo,
    MarketKeyChanged,
    MarketUnavailable,
    RatingReceipt,
)
from client_app.ranking import Reputation
from client_app.sdk import PrivrecClient
from client_app.store import Receipt, ShownModel
from client_app.ui.controllers import (
    ACTIVITY_PAGE,
    LAST_FOLDER_SETTING,
    NO_IDENTITY,
    NO_ROUND,
    AppController,
    Appearance,
    BrowserRow,
    FileCheck,
    ImportController,
    Notice,
    PeriodBar,
    catalog_text,
    coverage_text,
    details_text,
    duration_text,
    epoch_clock_text,
    error_text,
    period_bars,
    period_text,
    receipt_view,
    reputation_text,
    safe_link,
    settlement_text,
    unpaid_text,
    when_text,
)
from client_app.ui.controllers.settings import APPEARANCE_SETTING, NOT_PINNED
from client_app.ui.worker import Worker
from ledger.book import PayoutLine, UserSettlement
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import CatalogInfo
from tests.client_app.conftest import ITEMS, Market
from tests.client_app.described_round import CATALOG_LINE, describing, item_link, item_reason
from tests.client_app.import_fixtures import (
    DEFAULT_BOOKS,
    Book,
    Play,
    RetailRow,
    truncate_file,
    utc,
    write_chrome_history,
    write_firefox_places,
    write_goodreads_csv,
    write_online_retail_csv,
    write_spotify_history,
)
from tests.client_app.job_recorder import JobRecorder
from tests.live_server import LiveServer, free_port
from tests.recommenders.conftest import FakeEmbedder

REPO = Path(__file__).resolve().parents[2]


def no_progress(_message: str, _fraction: float) -> None:
    return None


@pytest.fixture
def app(app_client: PrivrecClient) -> AppController:
    return AppController(app_client)


def dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}"


def fund(app: AppController, amount: str = "10") -> None:
    """Commit a budget (by default the minimum the market asks before it recommends)."""
    app.wallet.faucet()
    app.wallet.fund(amount)


def leaderboard(market: Market) -> dict[str, dict[str, int]]:
    rows = httpx.get(f"{market.url}/v1/leaderboard", timeout=10).json()
    return {row["name"]: row for row in rows}


# --- first run -------------------------------------------------------------------------------


def test_first_run_creates_the_identity_and_picks_the_start_screen(
    market: Market, tmp_path: Path
) -> None:
    client = PrivrecClient(tmp_path, market_url=market.url, embedder=FakeEmbedder())
    app = AppController(client)
    assert app.start_screen() == "welcome"
    welcome = app.welcome.view()
    assert not welcome.has_identity and "No identity yet" in welcome.account_text
    assert any("stays on this device" in line for line in welcome.stays)
    assert any("never learns what was recommended" in line for line in welcome.stays)
    assert any("(now off)" in line for line in welcome.leaves)

    progress: list[float] = []
    notice = app.welcome.create_identity(lambda _, fraction: progress.append(fraction))
    assert not notice.is_error and "ready and connected" in notice.text
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert app.welcome.view().has_identity
    assert client.account_id is not None and client.account_id[:16] in notice.text
    assert app.start_screen() == "my_data"  # nothing opted in yet
    app.my_data.set_opt_in("books", True)
    assert app.start_screen() == "recommendations"
    client.close()


def test_an_identity_is_made_even_when_the_market_is_unreachable(tmp_path: Path) -> None:
    client = PrivrecClient(tmp_path, market_url=dead_url(), embedder=FakeEmbedder())
    notice = AppController(client).welcome.create_identity(no_progress)
    assert notice.is_error
    assert notice.text.startswith("Your identity is ready, but: Cannot reach the market at")
    assert client.has_identity
    client.close()


# --- my data ---------------------------------------------------------------------------------


def test_categories_start_switched_off_and_toggle(app: AppController) -> None:
    view = app.my_data.view()
    assert [row.label for row in view.categories] == [
        "Web pages",
        "Music",
        "Purchases",
        "Books",
        "Places",
    ]
    assert not any(row.opted_in for row in view.categories)
    assert view.activities == () and "Nothing here yet" in view.shown_text
    # Switching on says how many live models read the category (mixtape reads music).
    notice = app.my_data.set_opt_in("music", True)
    assert notice == Notice("Music switched on: 1 model on this market reads music.")
    books = app.my_data.set_opt_in("books", True)
    assert books == Notice("Books switched on: 2 models on this market read books.")
    places = app.my_data.set_opt_in("places", True)
    assert places == Notice(
        "Places switched on, but no model on this market reads places yet: nothing about them "
        "is sent until one does."
    )
    for category in ("books", "places"):
        app.my_data.set_opt_in(category, False)
    # The two steps the screen takes apart: the switch (on this device, at once), then the count.
    assert app.my_data.switch("web", True) == Notice("Web pages switched on.")
    assert app.my_data.models_reading("web").text.startswith(
        "Web pages switched on, but no model on this market reads web pages yet"
    )
    assert app.my_data.switch("web", False).text.startswith("Web pages switched off")
    assert {r.category: r.opted_in for r in app.my_data.view().categories}["music"] is True
    assert "switched off" in app.my_data.set_opt_in("music", False).text
    assert not any(row.opted_in for row in app.my_data.view().categories)


def test_add_remove_import_and_forget_activity(app: AppController, tmp_path: Path) -> None:
    with pytest.raises(ValueError) as blank:
        app.my_data.add_activity("   ", "books")
    assert error_text(blank.value) == "Type a title first."
    assert app.my_data.add_activity(" Middlemarch ", "books").text == (
        "Added “Middlemarch” to Books."
    )

    export = write_goodreads_csv(tmp_path / "goodreads_library_export.csv")
    progress: list[tuple[str, float]] = []
    report = app.importing.import_file(
        export, lambda message, fraction: progress.append((message, fraction))
    )
    assert report.imported and report.category == "books"
    assert report.lines == ("Imported 7 activities into Books from goodreads_library_export.csv.",)
    assert report.notice == Notice(report.lines[0])
    assert progress[-1][1] == 1.0
    again = app.importing.import_file(export, no_progress)
    assert again.lines == (
        "Imported 0 activities into Books from goodreads_library_export.csv.",
        "7 activities were already there.",
    )

    view = app.my_data.view("books")
    assert view.selected.events == 8 and view.selected.count_text == "8 activities"
    titles = [row.title for row in view.activities]
    assert "The Hobbit" in titles and "Middlemarch" in titles
    assert titles.index("Middlemarch") == 0  # newest first
    assert "goodreads" in view.activities[1].detail
    assert view.shown_text == "All 8 activities, most recent first"

    app.my_data.remove_activity(view.activities[0].id)
    assert app.my_data.view("books").selected.events == 7
    app.my_data.set_opt_in("books", True)
    assert "Forget all 7 activities in Books?" in app.my_data.view("books").forget_question
    assert app.my_data.forget("books").text == "Forgot 7 titles in Books, and switched it off."
    books = app.my_data.view("books").selected
    assert (books.events, books.opted_in) == (0, False)


def test_my_data_searches_and_pages_the_selected_category(
    app: AppController, app_client: PrivrecClient
) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    books = [
        ActivityEvent(Category.BOOKS, "goodreads", f"Book {n:03}", None, start + timedelta(hours=n))
        for n in range(1, 121)
    ]
    odd = ActivityEvent(Category.BOOKS, "manual", "50% off_sale", None, start)
    song = ActivityEvent(Category.MUSIC, "spotify", "Book of Love", None, start)
    app_client.store.add_events([*books, odd, song], origin="test")

    first = app.my_data.view("books")
    assert (first.page, first.pages, first.page_text) == (1, 3, "Page 1 of 3")
    assert [row.title for row in first.activities[:2]] == ["Book 120", "Book 119"]
    assert len(first.activities) == ACTIVITY_PAGE == 50
    assert first.shown_text == "1 to 50 of 121 activities, most recent first"
    second = app.my_data.view("books", page=2)
    assert second.activities[0].title == "Book 070"
    assert second.shown_text == "51 to 100 of 121 activities, most recent first"
    # A page past the last (the list shrank since) shows the last one.
    last = app.my_data.view("books", page=99)
    assert (last.page, len(last.activities)) == (3, 21) and last.activities[-1].title == odd.title
    assert last.shown_text == "101 to 121 of 121 activities, most recent first"
    for bad in (0, -1, True, 1.5, "2"):
        with pytest.raises(ValueError) as refused:
            app.my_data.view("books", page=bad)  # type: ignore[arg-type]
        assert error_text(refused.value).startswith("A page number is a whole number from 1")

    searched = app.my_data.view("books", search="  book 11 ")
    assert searched.search == "book 11" and searched.pages == 1
    assert [row.title for row in searched.activities] == [f"Book {n}" for n in range(119, 109, -1)]
    assert searched.shown_text == (
        "All 10 activities whose title contains “book 11”, most recent first"
    )
    # Wildcards are plain characters; the music title never shows among books.
    percent = app.my_data.view("books", search="0%")
    assert [row.title for row in percent.activities] == [odd.title]
    assert percent.shown_text == "1 activity whose title contains “0%”"
    assert [row.title for row in app.my_data.view("books", search="f_s").activities] == [odd.title]
    assert app.my_data.view("books", search="Book of").activities == ()
    nothing = app.my_data.view("books", search="%_")
    assert nothing.shown_text == "No title in Books contains “%_”." and nothing.pages == 1
    with pytest.raises(ValueError) as too_long:
        app.my_data.view("books", search="x" * 201)
    assert error_text(too_long.value) == "A search is text of at most 200 characters."


def test_a_bad_import_file_is_explained_and_keeps_nothing(
    app: AppController, tmp_path: Path
) -> None:
    broken = write_goodreads_csv(tmp_path / "library.csv", drop_columns=("Title",))
    report = app.importing.import_file(broken, no_progress)
    assert not report.imported and report.notice.is_error
    assert report.lines == (
        "Nothing was imported from library.csv.",
        "library.csv: this looks like a Goodreads library export, but without the column(s) Title.",
    )
    missing = app.importing.import_file(tmp_path / "nowhere.csv", no_progress)
    assert missing.lines[1] == "nowhere.csv: not a file (missing, or a folder)."
    assert app.my_data.view("books").selected.events == 0


def test_an_unknown_file_is_refused_with_what_privrec_imports(
    app: AppController, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\nmilk\n")
    check = app.importing.check(notes)
    assert not check.importable
    assert check.text.startswith("notes.txt: this looks like a text file that is not a table")
    assert "Goodreads library" in check.text and "Firefox history" in check.text
    report = app.importing.import_file(notes, no_progress)
    assert not report.imported and report.lines[1].startswith("notes.txt: this looks like")
    assert all(row.events == 0 for row in app.my_data.view().categories)


def test_a_picked_file_says_what_it_is(app: AppController, tmp_path: Path) -> None:
    export = write_online_retail_csv(tmp_path / "export.csv")
    assert app.importing.check(export) == FileCheck(
        str(export), True, "export.csv is an Online Retail order list: it goes to Purchases."
    )
    cut = truncate_file(write_spotify_history(tmp_path / "StreamingHistory0.json"), 0.6)
    assert app.importing.check(cut).importable  # the prefix says what it is ...
    report = app.importing.import_file(cut, no_progress)
    assert report.lines == (  # ... and the import says it is cut short
        "Nothing was imported from StreamingHistory0.json.",
        "StreamingHistory0.json: the file ends in the middle; was the download complete?",
    )


def test_skipped_records_are_counted_by_reason(app: AppController, tmp_path: Path) -> None:
    plays = [
        Play("Radiohead", "Creep", utc(2023, 1, 5, 13, 22), 200_000),
        Play("Muse", "Hysteria", utc(2023, 1, 5, 13, 30), 12_000),
        Play("Muse", "Uprising", utc(2023, 1, 5, 13, 40), 4_000),
        Play("", "  ", utc(2023, 1, 5, 13, 50), 100_000),
    ]
    history = write_spotify_history(tmp_path / "StreamingHistory_music_0.json", plays)
    report = app.importing.import_file(history, no_progress)
    assert report.lines == (
        "Imported 1 activity into Music from StreamingHistory_music_0.json.",
        "Skipped plays under 30 seconds: 2.",
        "Skipped records without a title: 1.",
    )
    orders = [
        RetailRow("536365", "85123A", "WHITE METAL LANTERN", 6, utc(2010, 12, 1, 8, 26), "2.55"),
        RetailRow("C536379", "D", "Discount", 1, utc(2010, 12, 1, 9, 41), "27.50"),
        RetailRow("536380", "22633", "HAND WARMER UNION JACK", -2, utc(2010, 12, 1, 9, 45), "1.85"),
    ]
    retail = write_online_retail_csv(tmp_path / "retail.csv", orders)
    assert app.importing.import_file(retail, no_progress).lines == (
        "Imported 1 activity into Purchases from retail.csv.",
        "Skipped cancelled orders: 1.",
        "Skipped returns and zero quantities: 1.",
    )


def test_bad_records_refuse_the_file_unless_the_valid_ones_are_chosen(
    app: AppController, tmp_path: Path
) -> None:
    books = [
        *DEFAULT_BOOKS[:3],
        Book("91", "Dune", "Frank Herbert", date_read="14 March 2021"),
        *DEFAULT_BOOKS[3:5],
        Book("92", "Emma", "Jane Austen", date_read="2021/02/30"),
    ]
    export = write_goodreads_csv(tmp_path / "goodreads_library_export.csv", books)
    refused = app.importing.import_file(export, no_progress)
    assert not refused.imported and refused.valid_events == 5
    assert refused.lines == (
        "Nothing was imported from goodreads_library_export.csv.",
        "2 records are bad; the first: goodreads_library_export.csv, line 5: Date Read "
        "'14 March 2021' is not a recognised date.",
        "Fix the file and import it again, or import only the 5 activities of its valid records.",
    )
    assert app.my_data.view("books").selected.events == 0  # all or nothing by default

    partial = app.importing.import_file(export, no_progress, valid_rows_only=True)
    assert partial.imported and partial.valid_events == 0
    assert partial.lines == (
        "Imported 5 activities into Books from goodreads_library_export.csv.",
        "Left out 2 bad records, as you chose; the first: goodreads_library_export.csv, "
        "line 5: Date Read '14 March 2021' is not a recognised date.",
    )
    titles = {row.title for row in app.my_data.view("books").activities}
    assert len(titles) == 5 and not titles & {"Dune", "Emma"}


def test_the_dialog_opens_in_the_last_folder_used(
    app: AppController, app_client: PrivrecClient, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    importing = ImportController(app_client, home=home, system="linux", env={})
    assert importing.start_folder() == str(home)
    exports = tmp_path / "exports"
    exports.mkdir()
    importing.import_file(write_goodreads_csv(exports / "g.csv"), no_progress)
    assert importing.start_folder() == str(exports)
    # Remembered in the client's store: a new dialog, even a new app, opens there.
    assert ImportController(app_client, home=home).start_folder() == str(exports)
    assert app_client.store.get_setting(LAST_FOLDER_SETTING) == str(exports)
    shutil.rmtree(exports)  # gone since: back to the home folder
    assert importing.start_folder() == str(home)


def test_find_my_browsers_lists_the_profiles_with_a_history(
    app_client: PrivrecClient, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    firefox = home / ".mozilla" / "firefox" / "k2j4.default-release"
    chrome = home / ".config" / "google-chrome" / "Profile 1"
    for folder in (firefox, chrome):
        folder.mkdir(parents=True)
    write_firefox_places(firefox / "places.sqlite")
    write_chrome_history(chrome / "History")
    importing = ImportController(app_client, home=home, system="linux", env={})
    assert importing.browsers() == (
        BrowserRow("Firefox: default-release", str(firefox / "places.sqlite")),
        BrowserRow("Chrome: Profile 1", str(chrome / "History")),
    )
    assert importing.check(chrome / "History").importable
    empty = ImportController(app_client, home=tmp_path / "nobody", system="linux", env={})
    assert empty.browsers() == ()


def test_controllers_and_importers_load_no_kivy() -> None:
    probe = (
        "import sys, client_app.ui.controllers, client_app.importers; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'kivy'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "[]"


def test_the_controllers_leave_the_privacy_accountant_until_it_is_needed() -> None:
    # dp-accounting (with scipy) takes seconds to import: the window must not wait for it.
    probe = (
        "import sys, client_app.ui.controllers; "
        "print(sorted(m for m in ('dp_accounting', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "[]"


# --- recommendations and ratings -------------------------------------------------------------


def test_recommendations_need_a_category_switched_on(app: AppController) -> None:
    assert app.recommendations.view() == NO_ROUND and NO_ROUND.empty
    with pytest.raises(RuntimeError) as not_ready:
        app.recommendations.refresh(no_progress)
    assert "not opted in" in error_text(not_ready.value)


def record_summaries(app: AppController, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The rating summaries the app sends to the market from now on (they still go)."""
    sent: list[dict[str, Any]] = []
    deliver = app.client.market.rate

    def rate(summary: Mapping[str, Any]) -> RatingReceipt:
        sent.append(dict(summary))
        return deliver(summary)

    monkeypatch.setattr(app.client.market, "rate", rate)
    return sent


def test_a_round_then_rating_and_sending(
    app: AppController, market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.my_data.add_activity("The Hobbit", "books")
    app.my_data.set_opt_in("books", True)
    fund(app, "100")  # attention is paid up to 4% of it: shelf's bid of 3 fits
    view = app.recommendations.refresh(no_progress)
    (group,) = view.groups
    assert group.title == "Books"
    (shelf,) = group.columns
    assert (shelf.name, shelf.developer) == ("shelf@1.0.0", "by shelf-labs")
    # People's words first; name@version and the tower's own description on demand.
    assert shelf.headline == "Books, picked by shelf-labs"
    assert shelf.technical == (
        "shelf@1.0.0: A seeded test model (40 items, dim 8).  ·  8-dimensional profile, 40 items"
    )
    assert shelf.bid == "pays 3 credits per rated list"
    assert shelf.reputation == "not rated by you yet"
    assert len(shelf.items) == 10 and all(item.can_vote for item in shelf.items)
    assert shelf.items[0].title.startswith("Item number ")
    # Its manifest declares no display fields: raw catalog columns are never shown instead.
    assert all(item.details == "" for item in shelf.items)
    assert [row.title for row in view.blended] == [item.title for item in shelf.items]
    assert view.blended[0].details.endswith("picked by shelf-labs")
    assert sorted(view.skipped) == [
        "a model by basket-co (basket@1.0.0): needs purchases (not opted in)",
        "a model by basket-co (mixtape@1.0.0): needs music (not opted in)",
    ]
    assert view.summary.startswith("1 model scored your encrypted profile in ")
    assert "Epoch" not in view.summary

    first, second = shelf.items[0], shelf.items[1]
    liked = app.recommendations.toggle_vote(first.round_id, first.key, "like")
    assert liked.groups[0].columns[0].items[0].vote == "like"
    assert liked.blended[0].vote == "like"  # the same item in the blended list
    cleared = app.recommendations.toggle_vote(first.round_id, first.key, "like")
    assert cleared.groups[0].columns[0].items[0].vote is None and cleared.unsent_lists == 0
    # Liked from the blended list this time: it shows in shelf's list too.
    app.recommendations.toggle_vote(view.blended[0].round_id, view.blended[0].key, "like")
    rated = app.recommendations.toggle_vote(second.round_id, second.key, "dislike")
    column = rated.groups[0].columns[0]
    assert [item.vote for item in column.items[:2]] == ["like", "dislike"]
    assert [item.vote for item in rated.blended[:2]] == ["like", "dislike"]
    assert column.reputation == "50% liked, 2 ratings" and rated.unsent_lists == 1

    before = leaderboard(market)["shelf"]
    summaries = record_summaries(app, monkeypatch)
    notice = app.recommendations.send_ratings()
    assert notice == Notice("Sent the ratings of 1 list to the market.")
    # Alone in the round, shelf brought the whole blended list: 1 liked - 1 disliked.
    assert summaries == [
        {
            "impression_id": shelf.impression_id,
            "shown": 10,
            "liked": 1,
            "disliked": 1,
            "contribution": 0,
        }
    ]
    after = leaderboard(market)["shelf"]
    assert after["ratings"] == before["ratings"] + 1
    assert after["liked"] == before["liked"] + 1
    sent = app.recommendations.view()
    assert sent.groups[0].columns[0].sent and sent.unsent_lists == 0
    assert not any(item.can_vote for item in sent.groups[0].columns[0].items)
    assert not any(item.can_vote for item in sent.blended)
    assert app.recommendations.send_ratings().text.startswith("Nothing to send")
    with pytest.raises(ValueError) as late:
        app.recommendations.toggle_vote(first.round_id, first.key, "dislike")
    assert error_text(late.value) == "The ratings of these recommendations were already sent."

    privacy = app.privacy.load()
    (use,) = privacy.uses
    assert use.model == "shelf@1.0.0 by shelf-labs" and use.categories == "Books"
    # Asking needs a committed budget, so the account is funded and shelf paid its bid (3),
    # less the market's fee (5%, rounded up).
    assert use.sent.endswith("KiB") and use.paid == "2 credits"
    assert "1 encrypted profile" in privacy.summary and "(shelf@1.0.0)" in privacy.summary
    assert "never left this device" in privacy.summary and privacy.pending == ()


def test_lists_are_grouped_by_the_categories_they_recommend_from(app: AppController) -> None:
    for title, category in (("Dune", "books"), ("Blue in Green", "music")):
        app.my_data.add_activity(title, category)
        app.my_data.set_opt_in(category, True)
    fund(app)
    view = app.recommendations.refresh(no_progress)
    assert [(g.title, [c.name for c in g.columns]) for g in view.groups] == [
        ("Books", ["shelf@1.0.0"]),
        ("Music + Books", ["mixtape@1.0.0"]),  # its catalog has both, in the app's order
    ]
    assert view.groups[1].columns[0].bid == "pays nothing for your attention"
    assert "2 models scored" in view.summary


def test_ratings_wait_while_the_market_is_unreachable(app: AppController) -> None:
    app.my_data.add_activity("Emma", "books")
    app.my_data.set_opt_in("books", True)
    fund(app)
    (shelf,) = app.recommendations.refresh(no_progress).groups[0].columns
    app.recommendations.toggle_vote(shelf.items[0].round_id, shelf.items[0].key, "like")
    market_url = app.client.market_url
    assert app.settings.set_market_url(dead_url()).text.startswith("Market set to")
    assert not app.recommendations.has_round  # lists of another market are gone

    notice = app.recommendations.send_ratings()
    assert notice.is_error and "1 rating summary wait on this device" in notice.text
    assert "Cannot reach the market" in notice.text
    (pending,) = app.privacy.load().pending
    assert pending.summary == "1 liked, 0 disliked of 10" and pending.attempts == "1 attempt"
    assert "cannot reach the market" in pending.last_error
    # No market, no wallet: the screen says so instead of checking a ledger it cannot get.
    down = app.wallet.load()
    assert not down.ready and down.balance == "-" and not down.faucet_available
    assert down.ledger.startswith("No market to show a wallet from: Cannot reach the market at ")
    assert "Your data is safe on this device" in down.ledger
    assert down.ledger.endswith("Nothing was checked.") and down.ledger_note == ""
    assert down.receipts == () and down.chart == () and down.epoch_clock == ""

    app.settings.set_market_url(market_url)
    assert app.retry_ratings() is None  # not due yet: the outbox backs off
    app.client.flush_outbox(force=True)
    assert app.privacy.load().pending == ()


def test_an_opted_in_category_no_model_reads_is_reported(app: AppController) -> None:
    app.my_data.add_activity("Kiasma", "places")
    app.my_data.set_opt_in("places", True)
    view = app.recommendations.refresh(no_progress)
    assert view.empty and not app.recommendations.has_round
    (places,) = view.groups
    assert places.title == "Places" and places.columns == ()
    assert places.note == "No model on this market recommends from your places yet."
    assert "no model can be asked" in view.summary.lower()

    app.my_data.add_activity("Dune", "books")
    app.my_data.set_opt_in("books", True)
    fund(app)
    view = app.recommendations.refresh(no_progress)
    assert [(g.title, g.note) for g in view.groups] == [
        ("Books", ""),
        ("Places", "No model on this market recommends from your places yet."),
    ]
    assert not view.empty


def test_each_list_shows_its_catalog_reasons_links_again_items_and_what_fits(
    app: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    """See described_round.py: shelf's last two items come back as "again", its first link is
    a javascript: one, mixtape's list is withheld and places is read by no model."""
    for title, category in (("Dune", "books"), ("Blue in Green", "music"), ("Kiasma", "places")):
        app.my_data.add_activity(title, category)
        app.my_data.set_opt_in(category, True)
    fund(app)
    monkeypatch.setattr(app.client, "refresh", describing(app.client.refresh))
    view = app.recommendations.refresh(no_progress)
    assert [(g.title, g.note) for g in view.groups] == [
        ("Books", ""),
        ("Music + Books", ""),  # withheld, mixtape's list is filed under what it reads
        ("Places", "No model on this market recommends from your places yet."),
    ]
    (shelf,), (mixtape,) = view.groups[0].columns, view.groups[1].columns
    assert shelf.catalog == CATALOG_LINE
    assert shelf.non_commercial and shelf.attribution == "Data: goodbooks-10k (Zajac, 2017)"
    assert shelf.licence_link == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert shelf.reads == "reads your books" and mixtape.reads == "reads your music and books"
    assert shelf.fits and len(shelf.items) == 8 and len(shelf.again_items) == 2
    first, second = shelf.items[0], shelf.items[1]
    assert first.link is None  # the javascript: link is never offered
    assert second.link == item_link(second.item_id)
    assert second.details == "by Frank Herbert  ·  first published 1965"
    assert second.reason == item_reason(1)
    assert all(item.reason and item.details for item in shelf.all_items)
    assert not mixtape.fits and mixtape.items == () and mixtape.again_items == ()
    assert mixtape.catalog == f"Catalog of online-retail  ·  {ITEMS} items"
    assert all(item.reason for item in view.blended)
    assert view.blended[0].details == (
        "Books  ·  by Frank Herbert  ·  first published 1965  ·  picked by shelf-labs"
    )

    # An "again" item is rated like any other, and makes its list one to send.
    again = shelf.again_items[0]
    rated = app.recommendations.toggle_vote(again.round_id, again.key, "like")
    assert rated.groups[0].columns[0].again_items[0].vote == "like"
    assert rated.unsent_lists == 1


def test_links_open_in_the_browser_only_when_http(app_client: PrivrecClient) -> None:
    opened: list[str] = []
    controller = AppController(app_client, opener=opened.append).recommendations
    assert controller.open_link("https://www.last.fm/music/Molchat+Doma") == Notice(
        "Opened https://www.last.fm/music/Molchat+Doma in your web browser."
    )
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "file:///etc/passwd", "data:,x"):
        notice = controller.open_link(bad)
        assert notice.is_error and notice.text.startswith("Not opened:")
    assert opened == ["https://www.last.fm/music/Molchat+Doma"]
    refused = AppController(app_client, opener=lambda _url: False).recommendations
    assert refused.open_link("http://example.org/") == Notice(
        "No web browser could be started to open http://example.org/.", is_error=True
    )


# --- wallet, settings ------------------------------------------------------------------------


def test_wallet_faucet_budget_receipts_and_ledger(app: AppController) -> None:
    view = app.wallet.load()
    assert view.ready and view.balance == "0 credits" and view.faucet_available
    assert view.ledger.startswith("Ledger verified: ") and view.ledger_ok
    assert view.ledger_note.startswith("The market's signed, hash-chained ledger was downloaded")
    assert view.balance_check == "Your balance matches the replayed ledger."
    assert view.epoch_clock.startswith("This payment period started ")
    assert "(at the earliest: the market's operator settles it; periods last 1 day)" in (
        view.epoch_clock
    )
    assert view.receipts == () and view.chart == ()
    # More than the balance holds: the market's overdraft, in words, with what to do.
    with pytest.raises(MarketError) as overdraft:
        app.wallet.fund("40")
    assert error_text(overdraft.value) == (
        "Not enough credits: your balance holds 0 credits, and this needs 40 credits. Get demo "
        "credits in the Wallet (on a demo market) or use a smaller amount."
    )
    assert app.wallet.faucet().text == "Demo credits received: your balance is 1,000 credits."
    with pytest.raises(ValueError) as bad:
        app.wallet.fund("lots")
    assert error_text(bad.value) == "A budget is a whole number of credits, not 'lots'."
    with pytest.raises(ValueError):
        app.wallet.fund("0")
    added = app.wallet.fund("40").text
    assert "Added 40 credits to this payment period's budget (now 40 credits)" in added
    funded = app.wallet.load()
    assert funded.balance == "960 credits"
    assert funded.budget == "Committed to this payment period: 40 credits"
    assert funded.attention == "Paid to you for your attention: 0 credits"
    assert funded.settlement_heading.startswith("No budget of yours was settled yet")
    assert funded.settlement == () and funded.unpaid == ()
    # Newest first, each a sentence; the budget is still the user's: moved, not spent.
    assert [(r.text, r.amount, r.direction) for r in funded.receipts] == [
        ("Put into your budget for this payment period.", "40 credits", "moved"),
        ("Demo credits from the market.", "+1,000 credits", "in"),
    ]
    assert funded.chart == ()  # nothing earned or spent yet
    # A market that signed two heads for one entry: the check fails, says what to do, and
    # nothing the check would vouch for (receipts, "replayed on this device") is shown.
    url = app.client.market_url
    saved = app.client.store.verified_ledger(url)
    assert saved is not None
    forged = {**saved.heads[-1], "hash": "0" * 64}
    app.client.store.save_verified_ledger(url, dataclasses.replace(saved, heads=(forged,)))
    forked = app.wallet.load()
    assert not forked.ledger_ok and forked.ledger.startswith("Ledger check FAILED: forked: ")
    assert forked.ledger.endswith(
        "Commit no more credits to this market until its operator explains it."
    )
    assert forked.ledger_note == "" and forked.receipts == () and forked.chart == ()


def test_the_wallet_before_an_identity_checks_nothing(tmp_path: Path) -> None:
    # No identity: not even the market is asked (this one would not answer anyway).
    client = PrivrecClient(tmp_path, market_url=dead_url(), embedder=FakeEmbedder())
    view = AppController(client).wallet.load()
    assert view == NO_IDENTITY and not view.ready and view.balance == "-"
    assert view.ledger.startswith("No wallet yet: create your identity on the Welcome screen.")
    assert view.ledger_note == view.balance_check == view.epoch_clock == ""
    assert "Checking" not in view.ledger and "replayed" not in view.ledger
    client.close()


def test_the_wallet_of_a_new_market_says_its_ledger_is_empty(tmp_path: Path) -> None:
    server = LiveServer(
        data_dir=tmp_path / "market",
        database_url=f"sqlite:///{tmp_path / 'market.sqlite3'}",
        market_key="5d" * 32,
    )
    with server:
        client = PrivrecClient(tmp_path / "app", market_url=server.url, embedder=FakeEmbedder())
        client.create_identity()
        view = AppController(client).wallet.load()
        client.close()
    assert view.ready and view.ledger_ok and view.balance == "0 credits"
    assert view.ledger == "The market's ledger has no entries yet: nothing to check."
    assert view.ledger_note == ""  # nothing was downloaded or replayed
    assert view.balance_check == "Your balance matches the replayed ledger."
    assert view.epoch_clock == (
        "The market's first payment period starts with its first ledger entry; periods last 1 day."
    )


def test_the_wallet_explains_the_last_settlement_as_replayed(
    app: AppController, market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.my_data.add_activity("Persuasion", "books")
    app.my_data.add_activity("Molchat Doma — Sudno", "music")
    app.my_data.set_opt_in("books", True)
    app.my_data.set_opt_in("music", True)
    fund(app, "100")  # attention is paid up to 4% of it
    columns = {
        c.name: c for g in app.recommendations.refresh(no_progress).groups for c in g.columns
    }
    shelf = columns["shelf@1.0.0"]
    # Liked in shelf's list, an item mixtape did not propose: mixtape's list goes unrated.
    liked = next(
        i for i in shelf.items if i.key not in {j.key for j in columns["mixtape@1.0.0"].items}
    )
    app.recommendations.toggle_vote(liked.round_id, liked.key, "like")
    app.recommendations.send_ratings()
    epoch = market.server.open_epoch()
    market.server.settle(epoch)
    real = app.client.market.wallet
    replayed = app.client.wallet().ledger.settlement
    assert replayed is not None and replayed.epoch == epoch

    def wallet_with_v2_fields(settled: UserSettlement) -> Callable[[], Any]:
        return lambda: dataclasses.replace(
            real(), committed=25, attention_cap_left=1, last_settlement=settled
        )

    # As a market under rules v2 reports it: what it says agrees with the replay.
    monkeypatch.setattr(app.client.market, "wallet", wallet_with_v2_fields(replayed))
    view = app.wallet.load()
    assert view.budget.endswith(": 25 credits")
    assert view.attention_cap == (
        "You can still earn 1 credit for your attention this payment period."
    )
    assert view.ledger_ok and view.balance_check == "Your balance matches the replayed ledger."
    assert view.settlement_heading == (
        "Your budget of 100 credits for the last payment period was settled:"
    )
    # The model in the app's words (its maker too); why it got the whole budget: it alone
    # brought a liked item.
    assert view.settlement == (
        "Paid 95 credits to shelf@1.0.0 by shelf-labs, and 5 credits to the market as its fee, "
        "because it brought 1 of your liked items into the blended list.",
    )
    assert view.unpaid == ("Nothing to mixtape@1.0.0 by basket-co: you did not rate its list.",)
    assert view.settlement_note.startswith("A model brought an item into your blended list")
    # Receipts of the whole period, newest first; the chart: earned 2 (shelf's bid of 3, less
    # the market's fee), spent the budget of 100.
    texts = [(r.text, r.amount) for r in view.receipts]
    assert texts[:2] == [
        ("Your budget for the last payment period paid the market's fee on shelf@1.0.0.",
         "-5 credits"),
        ("Your budget for the last payment period paid shelf-labs for shelf@1.0.0.",
         "-95 credits"),
    ]  # fmt: skip
    assert ("Paid by shelf@1.0.0 for rating its list.", "+2 credits") in texts
    assert view.chart == (PeriodBar("last period", 2, 100),)
    # A market that misreports it is caught, and the replayed settlement is what is shown.
    made_up = dataclasses.replace(replayed, refunded=replayed.refunded + 5)
    monkeypatch.setattr(app.client.market, "wallet", wallet_with_v2_fields(made_up))
    lied = app.wallet.load()
    assert not lied.ledger_ok
    assert lied.ledger == (
        "The ledger verified, but the market's account of your wallet does NOT match it. Commit "
        "no more credits to this market until its operator explains it."
    )
    assert "last settlement does NOT match the replayed ledger" in lied.balance_check
    assert lied.settlement == view.settlement


def test_settlement_wording_for_payouts_and_burns() -> None:
    settled = UserSettlement(
        epoch=2,
        refunded=0,
        clawback=0,
        lines=(PayoutLine("shelf@1.0.0", 3, 11, 1, 0), PayoutLine("mix@2.0.0", -2, 0, 0, 13)),
    )
    assert settlement_text(settled, 3, {"shelf@1.0.0": "shelf@1.0.0 by shelf-labs"}) == (
        "Your budget of 25 credits for the last payment period was settled:",
        (
            "Paid 11 credits to shelf@1.0.0 by shelf-labs, and 1 credit to the market as its "
            "fee, because it brought 3 of your liked items into the blended list, 3 of the 5 "
            "items that split your budget of 25 credits.",
            "Burned 13 credits of your budget against mix@2.0.0: it brought 2 items you "
            "disliked into the blended list, 2 of the 5 items that split your budget of 25 "
            "credits.",
        ),
    )


def test_settlement_wording_for_refunds_and_clawbacks() -> None:
    nothing_rated = UserSettlement(epoch=4, refunded=30, clawback=0, lines=())
    assert settlement_text(nothing_rated) == (
        "Your budget of 30 credits for payment period 5 was settled:",
        ("Refunded 30 credits to your balance: you rated nothing that period.",),
    )
    changed_nothing = UserSettlement(
        epoch=5, refunded=22, clawback=3, lines=(PayoutLine("shelf@1.0.0", 0, 0, 0, 0),)
    )
    heading, lines = settlement_text(changed_nothing, 5)
    assert heading == "Your budget of 25 credits for this payment period was settled:"
    assert lines == (
        "Nothing to shelf@1.0.0: it brought no more items you liked than you disliked into the "
        "blended list.",
        "Burned 3 credits of your budget to take back the attention you were paid that period, "
        "since none of your ratings changed the blended list.",
        "Refunded 22 credits to your balance: no model was paid, since none of your ratings "
        "changed the blended list.",
    )
    one = UserSettlement(
        epoch=6,
        refunded=0,
        clawback=0,
        lines=(PayoutLine("a@1", 1, 10, 0, 0), PayoutLine("b@1", -1, 0, 0, 1)),
    )
    assert settlement_text(one)[1] == (
        "Paid 10 credits to a@1 because it brought 1 of your liked items into the blended list, "
        "1 of the 2 items that split your budget of 11 credits.",
        "Burned 1 credit of your budget against b@1: it brought 1 item you disliked into the "
        "blended list, 1 of the 2 items that split your budget of 11 credits.",
    )


def test_models_paid_nothing_are_listed_with_why() -> None:
    settled = UserSettlement(
        epoch=1, refunded=0, clawback=0, lines=(PayoutLine("a@1", 2, 9, 1, 0),)
    )
    shown = [
        ShownModel("a@1 by lab", shown=2, rated=2, delivered=2, refused=0, contribution=2),
        ShownModel("b@1 by lab", shown=1, rated=0, delivered=0, refused=0, contribution=0),
        ShownModel("c@1 by lab", shown=3, rated=0, delivered=0, refused=0, contribution=0),
        ShownModel("d@1 by lab", shown=1, rated=1, delivered=0, refused=1, contribution=1),
        ShownModel("e@1 by lab", shown=1, rated=1, delivered=0, refused=0, contribution=1),
        ShownModel("f@1 by lab", shown=1, rated=1, delivered=1, refused=0, contribution=0),
        ShownModel("g@1 by lab", shown=1, rated=1, delivered=1, refused=0, contribution=1),
    ]
    assert unpaid_text(settled, shown) == (
        "Nothing to b@1 by lab: you did not rate its list.",
        "Nothing to c@1 by lab: you rated none of its 3 lists.",
        "Nothing to d@1 by lab: the market refused your ratings of it (they came too late).",
        "Nothing to e@1 by lab: your ratings of it had not reached the market when the period "
        "was settled.",
        "Nothing to f@1 by lab: it brought no item you liked into the blended list that another "
        "model had not brought first (or as many you disliked).",
        "Nothing to g@1 by lab: its share of your budget came to less than 1 credit.",
    )
    assert unpaid_text(None, shown) == ()


def test_the_epoch_clock_in_words() -> None:
    started = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    due = started + timedelta(hours=6)
    info = MarketInfo("b" * 64, "1", 2, "local", True, 3, 6 * 3600, started, due, True)
    local = f"{when_text(started)} and ends {when_text(due)}"
    assert epoch_clock_text(info, started + timedelta(hours=1)) == (
        f"This payment period started {local} (then the market settles it by itself; periods "
        "last 6 hours)."
    )
    assert epoch_clock_text(info, due) == (
        f"This payment period was due to end {when_text(due)}: the market settles it within "
        "minutes."
    )
    manual = dataclasses.replace(info, auto_settle=False)
    assert epoch_clock_text(manual, due + timedelta(seconds=1)) == (
        f"This payment period is due since {when_text(due)}: it ends when the market's operator "
        "settles it."
    )
    older = MarketInfo("b" * 64, "1", 2, "local", True)
    assert epoch_clock_text(older) == "This market does not say when its payment periods end."
    assert [duration_text(s) for s in (86_400, 7200, 5400, 90, 45, 5000)] == [
        "1 day", "2 hours", "90 minutes", "90 seconds", "45 seconds", "83 minutes",
    ]  # fmt: skip
    assert [period_text(e, 4) for e in (4, 3, 0)] == [
        "this payment period", "the last payment period", "payment period 1",
    ]  # fmt: skip


def test_receipts_and_the_chart_in_words() -> None:
    me, budget = "a" * 64, f"budget:{'a' * 64}:2"
    own = f"user:{me}"
    at = "2026-05-01T12:00:00Z"

    def receipt(seq: int, kind: str, source: str | None, target: str | None, amount: int,
                memo: str, epoch: int = 2) -> Receipt:  # fmt: skip
        return Receipt(seq, epoch, at, kind, source, target, amount, memo)

    receipts = [
        receipt(1, "mint", None, own, 1000, "faucet"),
        receipt(2, "transfer", own, budget, 30, "budget"),
        receipt(3, "transfer", "escrow:shelf@1", own, 2, "attention:imp1"),
        receipt(4, "transfer", budget, "dev:shelf-labs", 9, "settle:2:share:shelf@1"),
        receipt(5, "transfer", budget, "market", 1, "settle:2:fee:shelf@1"),
        receipt(6, "burn", budget, None, 5, "settle:2:vote:mix@1"),
        receipt(7, "burn", budget, None, 2, "settle:2:clawback"),
        receipt(8, "transfer", budget, own, 13, "settle:2:refund"),
        receipt(9, "transfer", "escrow:mix@1", own, 4, "attention:imp2", epoch=3),
    ]
    said = [(v.text, v.amount, v.direction) for v in (receipt_view(r, me, 3) for r in receipts)]
    assert said == [
        ("Demo credits from the market.", "+1,000 credits", "in"),
        ("Put into your budget for the last payment period.", "30 credits", "moved"),
        ("Paid by shelf@1 for rating its list.", "+2 credits", "in"),
        ("Your budget for the last payment period paid shelf-labs for shelf@1.", "-9 credits",
         "out"),
        ("Your budget for the last payment period paid the market's fee on shelf@1.",
         "-1 credit", "out"),
        ("Burned from your budget for the last payment period against mix@1.", "-5 credits",
         "out"),
        ("Burned from your budget for the last payment period: the attention paid to you that "
         "period.", "-2 credits", "out"),
        ("Refunded from your budget for the last payment period.", "13 credits", "moved"),
        ("Paid by mix@1 for rating its list.", "+4 credits", "in"),
    ]  # fmt: skip
    assert receipt_view(receipts[0], me).when == when_text(datetime(2026, 5, 1, 12, tzinfo=UTC))
    # Earned: attention; spent: what left the budget except the refund.
    assert period_bars(receipts, me, 3) == (
        PeriodBar("last period", 2, 17),
        PeriodBar("this period", 4, 0),
    )
    many = [receipt(n, "transfer", "escrow:x@1", own, 1, f"attention:i{n}", n) for n in range(20)]
    assert [bar.label for bar in period_bars(many, me)] == [
        f"period {n + 1}" for n in range(12, 20)
    ]


def test_every_known_failure_is_a_sentence_with_what_to_do() -> None:
    def down(reason: str, status: int | None = None) -> MarketUnavailable:
        return MarketUnavailable(
            "cannot reach the market at http://127.0.0.1:9/: [Errno 111] Connection refused",
            status,
            reason=reason,
        )

    said = {
        "unreachable": error_text(down("unreachable")),
        "timeout": error_text(down("timeout")),
        "broken": error_text(down("broken")),
        "5xx": error_text(down("failed", 503)),
        "429": error_text(down("failed", 429)),
        "overdraft": error_text(
            MarketError(
                "POST /v1/users/me/budget: overdraft: user:f898 holds 3, cannot pay 40",
                409,
                f"overdraft: user:{'f8' * 32} holds 3, cannot pay 40",
            )
        ),
        "unfunded": error_text(MarketError("POST /v1/recommendations", 402, "commit credits")),
        "clock": error_text(
            MarketError("x", 401, "bad signature: request timestamp is 900 s old (max 300)")
        ),
        "signature": error_text(MarketError("x", 401, "bad signature: not signed by the account")),
        "account": error_text(MarketError("x", 403, "unknown account: register it first")),
        "too large": error_text(MarketError("x", 413, "evaluation keys too large")),
        "malformed": error_text(MarketError("the market sent invalid JSON")),
        "other": error_text(MarketError("x", 409, "model 7 is retired")),
        "key": error_text(MarketKeyChanged("the market's signing key changed")),
        "refused": error_text(ConnectionRefusedError(111, "Connection refused")),
        "slow": error_text(TimeoutError("timed out")),
    }
    assert said == {
        "unreachable": "Cannot reach the market at http://127.0.0.1:9: nothing answers there. "
        "Your data is safe on this device. Check that the market is running and that its "
        "address in Settings is right, then try again.",
        "timeout": "The market at http://127.0.0.1:9 took too long to answer. Your data is safe "
        "on this device. Try again in a minute, or check your network.",
        "broken": "The connection to the market at http://127.0.0.1:9 broke off. Your data is "
        "safe on this device. Try again in a minute.",
        "5xx": "The market failed on its side (error 503). Your data is safe on this device. "
        "Try again in a few minutes; if it keeps failing, tell the market's operator.",
        "429": "The market is limiting how often you ask (too many requests): wait a minute, "
        "then try again.",
        "overdraft": "Not enough credits: your balance holds 3 credits, and this needs 40 "
        "credits. Get demo credits in the Wallet (on a demo market) or use a smaller amount.",
        "unfunded": "The market answers only accounts that commit credits: fund this payment "
        "period's budget in the Wallet, then try again.",
        "clock": "The market refused this device's signature because your computer's clock is "
        "off: set it right (automatic time), then try again.",
        "signature": "The market did not accept this device's signature. Try again; if it keeps "
        "happening, your identity files may be damaged: restore them from a backup.",
        "account": "The market does not know your account: it may have lost its data. Your "
        "identity and your data on this device are safe; tell the market's operator.",
        "too large": "That is more than the market accepts in one request: send less at a time.",
        "malformed": "The market sent an answer this app cannot use (the market sent invalid "
        "JSON). Try again later, or update the app.",
        "other": "The market refused: model 7 is retired.",
        "key": "This market's signing key changed since you first connected, so it may be "
        "another market or an impostor: nothing was sent to it. Ask its operator whether the "
        "key changed, or point the app at the market you trust in Settings.",
        "refused": "The connection was refused: check that the market is running, then try again.",
        "slow": "That took too long and was stopped: try again in a minute.",
    }
    # No raw request line, account id or errno reaches the user.
    for text in said.values():
        assert "POST /" not in text and "user:" not in text and "Errno" not in text
        assert text[0].isupper() and text.endswith(".")


def test_settings_validate_the_url_share_votes_and_rotate_keys(app: AppController) -> None:
    view = app.settings.view()
    assert view.data_dir == str(app.client.data_dir) and not view.share_item_feedback
    assert view.account == app.client.account_id
    with pytest.raises(ValueError) as bad:
        app.settings.set_market_url("ftp://example.org")
    assert "is not an http(s) URL" in error_text(bad.value)
    assert app.settings.view().market_url == view.market_url
    assert app.settings.set_market_url(view.market_url + "/").text.startswith("The market is still")
    assert "Per-item votes will be shared" in app.settings.set_share_item_feedback(True).text
    assert app.settings.view().share_item_feedback
    assert any("(now on)" in line for line in app.welcome.view().leaves)
    before = app.client.secret_key_path.read_bytes()
    assert "New encryption keys" in app.settings.rotate_keys(no_progress).text
    assert app.client.secret_key_path.read_bytes() != before


def test_settings_show_the_market_key_fingerprint_as_the_ledger_page_does(
    market: Market, app: AppController
) -> None:
    assert app.settings.view().market_key == NOT_PINNED  # nothing asked of the market yet
    pinned = app.client.market_info().public_key
    shown = app.settings.view().market_key
    assert shown.replace(" ", "") == pinned and {len(group) for group in shown.split()} == {4}
    # The same text as the market's verify panel, where a user compares them.
    assert f'<code class="hex">{shown}</code>' in httpx.get(f"{market.url}/ledger").text
    app.settings.set_market_url(dead_url())  # another market: its key is not pinned yet
    assert app.settings.view().market_key == NOT_PINNED


def test_settings_keep_the_theme_and_text_size_and_refuse_others(app: AppController) -> None:
    assert app.settings.view().appearance == Appearance("dark", 1.0)  # the defaults
    notice = app.settings.set_appearance(Appearance("light", 1.3))
    assert notice.text == "Light theme, largest text."
    assert app.settings.view().appearance == Appearance("light", 1.3)
    with pytest.raises(ValueError, match="no theme 'sepia'"):
        app.settings.set_appearance(Appearance("sepia", 1.0))
    with pytest.raises(ValueError, match="text size 2 is not one of"):
        app.settings.set_appearance(Appearance("dark", 2))
    assert app.settings.appearance() == Appearance("light", 1.3)  # nothing half-written
    # A setting this version does not offer (another version's, or edited by hand) falls back
    # to the default rather than keeping the app from opening.
    app.client.store.set_setting(APPEARANCE_SETTING, {"theme": "sepia", "font_scale": "big"})
    assert app.settings.appearance() == Appearance()
    app.client.store.set_setting(APPEARANCE_SETTING, ["not", "a", "mapping"])
    assert app.settings.appearance() == Appearance()


# --- wording -----------------------------------------------------------------------------------


def test_wording_helpers() -> None:
    assert reputation_text(Reputation(8, 3)) == "73% liked, 11 ratings"
    assert reputation_text(Reputation(1, 0)) == "100% liked, 1 rating"
    assert error_text(KeyError("boom")) == "Unexpected error (KeyError): 'boom'."
    assert details_text([("by", "Ursula K. Le Guin"), ("first published", "1969"), ("x", "")]) == (
        "by Ursula K. Le Guin  ·  first published 1969"
    )
    assert details_text([("tags", "a  b\n" * 30)]).endswith("…")
    assert catalog_text(CatalogInfo("osm", description="Named places in Helsinki"), 1) == (
        "Named places in Helsinki  ·  1 item"
    )
    assert coverage_text("Places", None) == (
        "Places switched on: models that read places may be asked (the market could not be "
        "reached to count them)."
    )


def test_only_http_links_to_a_host_are_safe() -> None:
    for good in ("https://www.goodreads.com/book/show/5", "http://example.org:8080/a?b=c#d"):
        assert safe_link(good) == good
    for bad in (
        None,
        "",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>",
        "ftp://example.org/",
        "https://",
        "//example.org/path",
        "/relative",
        "https://exa mple.org/",
        "https://example.org/\nx",
    ):
        assert safe_link(bad) is None, bad


# --- the worker --------------------------------------------------------------------------------


def test_the_worker_runs_jobs_in_order_and_reports_on_the_ui_thread() -> None:
    calls: queue.Queue[Callable[[], None]] = queue.Queue()  # stands in for the UI thread
    recorder = JobRecorder()
    worker = Worker(calls.put, error_text, recorder)
    results: list[object] = []
    errors: list[str] = []
    main = threading.get_ident()
    threads: list[int] = []

    def slow(progress: Callable[[str, float], None]) -> str:
        threads.append(threading.get_ident())
        progress("halfway", 0.5)
        return "first"

    def failing(_progress: Callable[[str, float], None]) -> str:
        raise ValueError("no such thing")

    worker.submit("slow job", slow, results.append)
    worker.submit("failing job", failing, results.append, errors.append)
    worker.submit("quiet job", lambda _: "third", results.append, quiet=True)
    assert not worker.idle
    while not worker.idle:
        calls.get(timeout=10)()
    assert threads and threads[0] != main
    assert results == ["first", "third"] and errors == ["No such thing."]
    assert recorder.events == [
        ("started", "slow job"),
        ("progress", "halfway", "0.5"),
        ("started", "failing job"),
        ("failed", "failing job", "No such thing."),
        ("idle",),
    ]

    # A failing result callback is reported too; the worker keeps going.
    def broken_screen(_result: object) -> None:
        raise OSError("disk")

    worker.submit("bad callback", lambda _: 1, broken_screen)
    while not worker.idle:
        calls.get(timeout=10)()
    assert recorder.events[-2] == ("failed", "bad callback", "Disk.")
    worker.stop()


def test_quick_jobs_run_beside_a_long_one_which_the_worker_names() -> None:
    calls: queue.Queue[Callable[[], None]] = queue.Queue()  # stands in for the UI thread
    recorder = JobRecorder()
    worker = Worker(calls.put, error_text, recorder)
    release = threading.Event()
    results: list[object] = []
    errors: list[str] = []

    def long(_progress: Callable[[str, float], None]) -> str:
        assert release.wait(timeout=10)
        return "long"

    def refused(_progress: Callable[[str, float], None]) -> str:
        raise ValueError("disk full")

    assert worker.busy_with is None
    worker.submit("importing a file", long, results.append)
    worker.submit("saving your choice", lambda _: "quick", results.append, quick=True)
    worker.submit("saving again", refused, results.append, errors.append, quick=True)
    # The quick jobs are done while the long one still runs; they never took the status line.
    while len(results) + len(errors) < 2:
        calls.get(timeout=10)()
    assert results == ["quick"] and errors == ["Disk full."]
    assert worker.busy_with == "importing a file" and not worker.idle
    worker.submit("refreshing", lambda _: "next", results.append)
    worker.submit("retrying queued ratings", lambda _: "retry", results.append, quiet=True)
    assert worker.busy_with == "importing a file"
    release.set()
    while not worker.idle:
        calls.get(timeout=10)()
    assert results == ["quick", "long", "next", "retry"] and worker.busy_with is None
    assert [event for event in recorder.events if event[0] == "started"] == [
        ("started", "importing a file"),
        ("started", "refreshing"),
    ]
    assert ("failed", "saving again", "Disk full.") in recorder.events
    worker.stop()


def test_a_training_job_and_the_long_jobs_never_wait_for_each_other() -> None:
    """A training round is mostly waiting for other devices: a long job asked for meanwhile
    starts and finishes while the round is held open, and a round starts while a long job
    runs. At most one training job at a time; a background one (quiet) leaves the UI idle."""
    calls: queue.Queue[Callable[[], None]] = queue.Queue()  # stands in for the UI thread
    recorder = JobRecorder()
    worker = Worker(calls.put, error_text, recorder)
    round_open = threading.Event()
    round_over = threading.Event()
    results: list[object] = []
    threads: dict[str, str] = {}

    def training_round(_progress: Callable[[str, float], None]) -> str:
        threads["training"] = threading.current_thread().name
        round_open.set()
        assert round_over.wait(timeout=10)
        return "trained"

    def refresh(_progress: Callable[[str, float], None]) -> str:
        threads["long"] = threading.current_thread().name
        return "recommendations"

    assert worker.training_with is None
    worker.submit(
        "taking part in training in the background",
        training_round,
        results.append,
        quiet=True,
        training=True,
    )
    assert round_open.wait(timeout=10)
    # The background pass leaves the UI idle and the long jobs' thread free.
    assert worker.idle and worker.busy_with is None
    assert worker.training_with == "taking part in training in the background"
    with pytest.raises(RuntimeError, match="one training job at once"):
        worker.submit("taking part in training", lambda _: "again", training=True)
    with pytest.raises(ValueError, match="not both"):
        worker.submit("saving", lambda _: None, quick=True, training=True)
    worker.submit("refreshing", refresh, results.append)
    while not worker.idle:
        calls.get(timeout=10)()
    # Delivered while the round is still held open on the other thread.
    assert results == ["recommendations"] and not round_over.is_set()
    assert threads == {"training": "privrec-training", "long": "privrec-worker"}
    round_over.set()
    while worker.training_with is not None:
        calls.get(timeout=10)()
    assert results == ["recommendations", "trained"]
    assert [e for e in recorder.events if e[0] == "started"] == [("started", "refreshing")]

    # The other way round: the button's round (shown, counted until its outcome is delivered)
    # starts while a long job holds the long jobs' thread.
    long_job_over = threading.Event()
    worker.submit("importing a file", lambda _: long_job_over.wait(timeout=10), results.append)
    worker.submit("taking part in training", lambda _: "pressed", results.append, training=True)
    while results[-1] != "pressed":
        calls.get(timeout=10)()
    assert not long_job_over.is_set() and worker.busy_with == "importing a file"
    assert worker.training_with is None and not worker.idle
    long_job_over.set()
    while not worker.idle:
        calls.get(timeout=10)()
    assert results[-2:] == ["pressed", True]
    assert ("started", "taking part in training") in recorder.events
    assert recorder.events[-1] == ("idle",)
    worker.stop()
