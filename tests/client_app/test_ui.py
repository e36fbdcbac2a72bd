"""The real desktop app on a virtual display: a scripted user goes through every screen (see
ui_driver.py), and each screen is saved to artifacts/screens/<screen>.png."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from client_app.developer import DeveloperClient
from client_app.ui.controllers import AGAIN_NOTE, NOTHING_FITS, PICK_TEXT
from market_server.web.templating import key_groups
from recommenders.bundle import Catalog, CatalogItem, pack_bundle, save_bundle
from recommenders.features import PROFILE_DIM
from tests.client_app import import_fixtures as fx
from tests.client_app.conftest import SCREENS_DIR, Market, run_driver
from tests.client_app.described_round import (
    CATALOG,
    CATALOG_LINE,
    UNSAFE_LINK,
    item_link,
    item_reason,
)
from tests.client_app.import_fixtures import (
    DEFAULT_BOOKS,
    EXPORT_FILES,
    PARTLY_BAD,
    UNKNOWN_FILE,
    write_goodreads_csv,
)
from tests.factories import bundle_parts, fund_escrow

pytestmark = pytest.mark.ui

REPO = Path(__file__).resolve().parents[2]
SCREENS = ("welcome", "my_data", "recommendations", "history", "wallet", "privacy", "settings")
MARKUP_TITLE = "[b]x[/b][color=ff0000]"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def markup_model(market: Market, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fourth live model reading books, whose catalog titles are full of Kivy markup."""
    parts = bundle_parts(
        n=20, d=8, profile_size=PROFILE_DIM, categories=("books",), name="markup", seed=7
    )
    catalog = Catalog.from_items(
        CatalogItem(f"item-{i}", f"{MARKUP_TITLE} {i}", "books", {"note": "[i]not italic[/i]"})
        for i in range(20)
    )
    directory = save_bundle(
        tmp_path_factory.mktemp("markup") / "markup-1.0.0",
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=catalog,
    )
    with DeveloperClient(market.url) as developer:
        developer.sign_up("markup-labs")
        developer.faucet()
        deployed = developer.deploy(pack_bundle(directory), stake=50, bid=1)
        developer.wait_until_settled(deployed.id)
        fund_escrow(developer, deployed.id, 10)
    return "markup"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])  # from the IHDR chunk
    return width, height


def test_a_user_goes_through_every_screen(
    market: Market, markup_model: str, display: str, tmp_path: Path
) -> None:
    (tmp_path / "exports").mkdir()
    write_goodreads_csv(tmp_path / "exports" / "goodreads_library_export.csv")
    for old in SCREENS_DIR.glob("*.png"):
        old.unlink()
    report = run_driver("first-run", display, market.url, tmp_path)

    for screen in SCREENS:
        png = SCREENS_DIR / f"{screen}.png"
        assert png.exists(), f"no screenshot of {screen}"
        assert png_size(png) == (1200, 700)  # the default window (client_app/ui/__init__.py)
        assert png.stat().st_size > 20_000, f"{png} looks blank"

    # Before an identity the wallet says why it is empty, and claims no check it did not do.
    before = report["wallet_before"]
    assert before["balance"] == "-"
    assert before["ledger"].startswith("No wallet yet: create your identity on the Welcome")
    assert not any("Checking" in text or "replayed" in text for text in before["texts"])

    assert report["identity"] and report["opted_in"] == ["books"]
    assert report["activity_markup"] == {"text": MARKUP_TITLE, "markup": False}
    assert report["import_status"] == (
        "Imported 7 activities into Books from goodreads_library_export.csv."
    )
    assert report["import_report"] == report["import_status"]
    assert report["my_data_title"] == f"Books  ·  {len(DEFAULT_BOOKS) + 1} activities"

    assert report["lists"] == ["markup@1.0.0", "shelf@1.0.0"]
    skipped = report["skipped"]
    assert "a model by basket-co (basket@1.0.0): needs purchases (not opted in)" in skipped
    assert "a model by basket-co (mixtape@1.0.0): needs music (not opted in)" in skipped
    markup = report["markup_item"]
    assert markup["text"].startswith(MARKUP_TITLE) and markup["markup"] is False
    # Drawn as plain text the tags take room; interpreted, only "x" and the number would.
    assert markup["drawn_width"] == markup["plain_width"] > 3 * markup["markup_width"]

    # Every item says why, from the user's own books (computed on the device).
    assert report["reasons"] and all(r.startswith("because you read ") for r in report["reasons"])
    # Liked in shelf's list, the first item is in markup's list too: the vote holds there.
    assert report["rated_in_lists"] == {"shelf@1.0.0": "like", "markup@1.0.0": "like"}
    # Liked in the blended list, an item only markup proposed.
    liked = report["blended_liked"]
    assert liked["details"] == "Books  ·  picked by markup-labs"
    assert liked["in_lists"] == {"markup@1.0.0": "like"}
    assert report["send_button"] == "Send ratings (2 rated lists)"
    assert report["send_status"] == "Sent the ratings of 2 lists to the market."
    assert report["sent_card"] is True
    # History keeps the round just sent, each like shown in every list that has the item.
    assert report["history"]["rounds"] == 1
    liked_rows = len(report["rated_in_lists"]) + len(report["blended_liked"]["in_lists"])
    assert len(report["history"]["liked"]) == liked_rows == 3
    # Each summary carries the list's contribution to the blended list: the shared item counts
    # for shelf, deployed before markup (it proposed it first); markup alone brought the other
    # liked one.
    summaries = report["summaries"]
    assert summaries["shelf@1.0.0"]["liked"] == 1 and summaries["shelf@1.0.0"]["contribution"] == 1
    assert summaries["markup@1.0.0"]["liked"] == 2
    assert summaries["markup@1.0.0"]["contribution"] == 1
    rows = {row["name"]: row for row in httpx.get(f"{market.url}/v1/leaderboard").json()}
    assert (rows["shelf"]["ratings"], rows["shelf"]["liked"]) == (1, 1)
    assert (rows["markup"]["ratings"], rows["markup"]["liked"]) == (1, 2)

    assert "fund this payment period's budget in your wallet" in report["unfunded_status"]
    assert report["unfunded_is_error"] is True
    status, is_error = report["status_after_leaving"]
    assert not is_error and "fund this payment period's budget" not in status
    details = report["details"]
    assert details["headline"] == "Books, picked by shelf-labs"
    assert details["hidden_before"] and details["shown_after"]
    assert details["technical"].startswith("shelf@1.0.0: ")
    wallet = report["wallet"]
    # 1000 demo credits, 100 into the budget, and the bids of shelf (3) and markup (1) for
    # the rated lists, less the market's fee (5%, rounded up: the whole of markup's 1).
    assert wallet["balance"] == "902 credits" and wallet["budget"].endswith(": 100 credits")
    assert wallet["attention"] == "Paid to you for your attention: 2 credits"
    assert wallet["ledger"].startswith("Ledger verified: ") and wallet["ledger_ok"]
    assert wallet["balance_check"] == "Your balance matches the replayed ledger."
    assert wallet["ledger_note"].startswith("The market's signed, hash-chained ledger")
    assert wallet["epoch_clock"].startswith("This payment period started ")
    # The chart: this period's attention earned, nothing spent yet (nothing was settled).
    assert wallet["chart_note"].startswith("Green: paid to you for your attention.")
    assert wallet["chart"] == [["this period", "+2 / -0", 1.0, 0.0]]
    # The receipts, newest first: shelf's attention payment (markup's went whole to the fee),
    # the budget, the demo credits.
    receipts = wallet["receipts"]
    assert receipts[0] == ["When", "What", "Credits"]
    assert [row[1:] for row in receipts[1:]] == [
        ["Paid by shelf@1.0.0 for rating its list.", "+2 credits"],
        ["Put into your budget for this payment period.", "100 credits"],
        ["Demo credits from the market.", "+1,000 credits"],
    ]

    privacy = report["privacy"]
    assert privacy["log_rows"] == 2  # one encrypted profile per model asked
    assert "2 encrypted profiles" in privacy["summary"]
    assert "Rating summaries sent: 2" in privacy["summary"]

    assert report["rotate_status"].startswith("New encryption keys are ready")
    assert "is not an http(s) URL" in report["url_error"]
    assert report["data_dir_shown"] == str(tmp_path / "app")
    # The pinned market key's fingerprint, as the market's ledger page shows it.
    market_key = httpx.get(f"{market.url}/v1/market").json()["public_key"]
    assert report["market_key_shown"] == key_groups(market_key)

    # A returning user lands on Recommendations, refreshed without a touch.
    again = run_driver("restart", display, market.url, tmp_path)
    assert again["start_screen"] == "recommendations"
    assert again["lists"] == ["markup@1.0.0", "shelf@1.0.0"]


def test_each_format_is_imported_through_the_dialog_by_picking_the_file(
    market: Market, display: str, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for name, write in (
        (EXPORT_FILES[0], fx.write_spotify_history),
        (EXPORT_FILES[1], fx.write_lastfm_csv),
        (EXPORT_FILES[2], fx.write_online_retail_csv),
        (EXPORT_FILES[3], fx.write_amazon_orders_csv),
        (EXPORT_FILES[4], fx.write_goodreads_csv),
        (EXPORT_FILES[5], fx.write_takeout_semantic),
    ):
        write(exports / name)
    typo = fx.Book("99", "Emma", "Jane Austen", date_read="14 March 2021")
    fx.write_goodreads_csv(exports / PARTLY_BAD, [*fx.DEFAULT_BOOKS[:4], typo])
    (exports / UNKNOWN_FILE).write_text("milk, eggs\nbread\n")
    home = tmp_path / "home"
    firefox = home / ".mozilla" / "firefox" / "ab12.default-release"
    chrome = home / ".config" / "google-chrome" / "Default"
    for folder in (firefox, chrome):
        folder.mkdir(parents=True)
    fx.write_firefox_places(firefox / "places.sqlite")
    fx.write_chrome_history(chrome / "History")

    report = run_driver("imports", display, market.url, tmp_path, home=home)

    assert report["start_folder"] == str(home)  # nothing remembered yet
    # Export-like names only, whatever the kind; the notes are hidden until "all files".
    assert report["listed"] == sorted([*EXPORT_FILES, PARTLY_BAD])
    imports = report["imports"]
    assert [(i["file"], i["check"], i["report"], i["ok"]) for i in imports] == [
        (
            "StreamingHistory_music_0.json",
            "StreamingHistory_music_0.json is a Spotify streaming history: it goes to Music.",
            "Imported 4 activities into Music from StreamingHistory_music_0.json.\n"
            "Skipped plays under 30 seconds: 1.\n"
            "Skipped podcast episodes and audiobooks: 1.",
            True,
        ),
        (
            "scrobbles.csv",
            "scrobbles.csv is a Last.fm scrobble list: it goes to Music.",
            "Imported 4 activities into Music from scrobbles.csv.\n"
            "Skipped scrobbles without a date (playing during the export): 1.",
            True,
        ),
        (
            "Online Retail.csv",
            "Online Retail.csv is an Online Retail order list: it goes to Purchases.",
            imports[2]["report"],
            True,
        ),
        (
            "Retail.OrderHistory.1.csv",
            "Retail.OrderHistory.1.csv is an Amazon order history: it goes to Purchases.",
            imports[3]["report"],
            True,
        ),
        (
            "goodreads_library_export.csv",
            "goodreads_library_export.csv is a Goodreads library export: it goes to Books.",
            "Imported 7 activities into Books from goodreads_library_export.csv.",
            True,
        ),
        (
            "2023_JANUARY.json",
            "2023_JANUARY.json is a Google Maps Timeline: it goes to Places.",
            imports[5]["report"],
            True,
        ),
        (
            PARTLY_BAD,
            f"{PARTLY_BAD} is a Goodreads library export: it goes to Books.",
            f"Nothing was imported from {PARTLY_BAD}.\n"
            f"1 record is bad; the first: {PARTLY_BAD}, line 6: Date Read '14 March 2021' is "
            "not a recognised date.\n"
            "Fix the file and import it again, or import only the 4 activities of its valid "
            "records.",
            False,
        ),
        (
            PARTLY_BAD,
            f"{PARTLY_BAD} is a Goodreads library export: it goes to Books.",
            f"Imported 0 activities into Books from {PARTLY_BAD}.\n"
            "4 activities were already there.\n"
            f"Left out 1 bad record, as you chose; the first: {PARTLY_BAD}, line 6: Date Read "
            "'14 March 2021' is not a recognised date.",
            True,
        ),
        (
            "places.sqlite",
            "places.sqlite is a Firefox history: it goes to Web pages.",
            imports[8]["report"],
            True,
        ),
        (
            "History",
            "History is a Chrome or Chromium history: it goes to Web pages.",
            imports[9]["report"],
            True,
        ),
    ]
    for row in imports[2:4] + imports[5:6] + imports[8:]:
        assert row["report"].startswith("Imported ") and " activities into " in row["report"]
    assert "Skipped cancelled orders: " in imports[2]["report"]
    assert "Skipped moves between places: " in imports[5]["report"]
    assert "Skipped browser or local pages" in imports[8]["report"]
    # The report is in the dialog; its first line is on the status line too.
    assert all(row["status"] == row["report"].split("\n")[0] for row in imports)

    assert report["unknown"]["import_disabled"] is True
    assert report["unknown"]["check"].startswith(
        f"{UNKNOWN_FILE}: this looks like a CSV table of another kind (with milk, eggs); "
        "privrec imports Firefox history (places.sqlite);"
    )
    assert report["after_filter"] == {"selection": [], "check": PICK_TEXT}
    assert report["browsers_text"].startswith("Browser profiles found here")
    assert report["hidden_shown"] is True
    assert report["reopened_folder"] == str(chrome)
    counts = report["counts"]
    assert counts["books"] == 7 and counts["music"] == 8
    assert counts["web"] > 0 and counts["purchases"] > 0 and counts["places"] > 0
    assert (SCREENS_DIR / "import_dialog.png").exists()


def test_lists_show_their_catalog_reasons_links_and_what_no_model_covers(
    market: Market, display: str, tmp_path: Path
) -> None:
    """Models that describe their catalog (described_round.py), seen in the real window."""
    (tmp_path / "exports").mkdir()
    report = run_driver("catalogs", display, market.url, tmp_path)

    assert report["places_status"] == (
        "Places switched on, but no model on this market reads places yet: nothing about them "
        "is sent until one does."
    )
    texts = set(report["texts"])
    for shown in (
        "Books",
        "Music + Books",
        "Places",
        "No model on this market recommends from your places yet.",
        f"Recommends from: {CATALOG_LINE}",
        "NON-COMMERCIAL data",
        "Licence",
        "Data: goodbooks-10k (Zajac, 2017)",
        "reads your books",
        "reads your music and books",
        "by Frank Herbert  ·  first published 1965",
        item_reason(0),
        item_reason(1),
        "Open",
        "Again",
        AGAIN_NOTE,
        NOTHING_FITS,
    ):
        assert shown in texts, f"{shown!r} is not on screen"
    # The item whose link is a javascript: one has no Open button to press.
    assert report["unsafe_link_button"] == {"url": "", "disabled": True, "width": 0, "opacity": 0}
    second_link = item_link(report["second_item"])
    assert report["opened"] == [second_link, CATALOG.licence_url]
    assert report["open_status"] == f"Opened {second_link} in your web browser."
    assert not any(url.startswith(UNSAFE_LINK.split(":")[0]) for url in report["opened"])
    assert report["again_vote"] == "like"
    assert (SCREENS_DIR / "recommendations_catalogs.png").exists()


def test_my_data_answers_at_once_scrolls_searches_and_pages(
    market: Market, display: str, tmp_path: Path
) -> None:
    """My data in the real window, with 120 books (ui_driver.prepare_my_data_user)."""
    (tmp_path / "exports").mkdir()
    report = run_driver("my-data", display, market.url, tmp_path)

    assert report["first_page"] == {
        "text": "Page 1 of 3",
        "shown": "1 to 50 of 120 activities, most recent first",
    }
    # Ten notches of the wheel move a few screenfuls of lines, not 200 px.
    assert 500 <= report["wheel_px"] <= 800

    # The switch flipped on the press, and was saved while the long job still ran.
    assert report["switch_at_once"] == {"active": True, "opted_in": True}
    assert report["busy_when_saved"] == "importing a big export"
    # Forgetting was refused at once, in words, and held over the job's progress ...
    assert report["refusal"] == "Still importing a big export: try again when it is done."
    after = report["after_reload"]
    # ... and never ran later: the books are all there, with the one added by hand.
    assert after["events"] == 121 and after["first_title"] == "Dune"
    # What was typed (and picked) while Dune was added and the screen reloaded is kept.
    assert (after["add_title"], after["add_category"]) == ("Emma", "Places")
    assert after["switched_on"] is True

    assert report["second_page"] == {
        "text": "Page 2 of 3",
        "first": "Book 071",
        "shown": "51 to 100 of 121 activities, most recent first",
    }
    search = report["search"]
    assert search["titles"] == [f"Book {n}" for n in range(119, 109, -1)]
    assert search["shown"] == "All 10 activities whose title contains “book 11”, most recent first"
    assert search["pages"] == 1 and search["next_enabled"] is False
    assert report["literal_search"] == "No title in Books contains “100%”."

    failed = report["failed_switch"]
    assert failed["shown_while_saving"] == [True]  # flipped before the save was tried
    assert (failed["after"], failed["switch"], failed["stored"]) == (False, False, False)
    assert failed["status"] == "Places is still off: No space left on device."
    assert (SCREENS_DIR / "my_data_search.png").exists()


def test_the_app_works_from_the_keyboard_and_fits_the_smallest_window(
    market: Market, display: str, tmp_path: Path
) -> None:
    """Real key events only (Tab, Shift+Tab, Enter, Space, arrows, Escape, Ctrl+N) through
    every screen; then each screen at 800 x 600 in both themes, its widget tree walked: no
    widget out of its parent, no text out of its label, no text in a colour off the palette."""
    (tmp_path / "exports").mkdir()
    report = run_driver("keyboard", display, market.url, tmp_path)

    assert report["appearance"] == {"theme": "light", "font_scale": 1.15}  # kept on the device
    assert report["window"] == [800, 600]
    problems = [
        f"{screen}: {line}" for screen, lines in report["problems"].items() for line in lines
    ]
    assert not problems, "\n".join(problems)
    for screen in SCREENS:
        for theme in ("light", "dark"):
            assert png_size(SCREENS_DIR / f"{screen}_{theme}_small.png") == (800, 600)


def test_privrec_app_opens_the_window(market: Market, display: str, tmp_path: Path) -> None:
    """`privrec app` itself: the window's main loop starts on the given market and data."""
    env = {**os.environ, "DISPLAY": display, "KIVY_HOME": str(tmp_path / "kivy")}
    command = [sys.executable, "-m", "privrec_cli", "app", "--data-dir", str(tmp_path / "app")]
    refused = subprocess.run(
        [*command, "--market", "ftp://nowhere"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "not an http(s) URL" in refused.stderr
    log = tmp_path / "app.log"
    with log.open("wb") as output:
        app = subprocess.Popen(
            [*command, "--market", market.url], cwd=REPO, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 60
        while "Start application main loop" not in log.read_text(errors="replace"):
            assert app.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the app's window never started"
            time.sleep(0.2)
    finally:
        app.terminate()
        app.wait(timeout=30)
    assert (tmp_path / "app" / "privrec.sqlite3").exists()
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_vote_changes_on_history_until_the_epoch_settles(
    market: Market, display: str, tmp_path: Path
) -> None:
    """Last in this module: it settles the shared market's epoch."""
    report = run_driver("history", display, market.url, tmp_path)
    before = report["before"]
    epoch = market.server.open_epoch()
    assert before["state"].startswith(
        "You can change these votes until the market settles this payment period, due "
    )
    assert before["rounds"] == 2  # the one rated, and the one Recommendations opened on
    assert all(model.startswith("Picked by ") for model in before["models"])  # people's words
    # The item may be in several lists of the round (the vote holds in each): each changes.
    lists = report["lists_with_item"]
    assert report["change_status"] == (
        f"Changed: the market counts your new vote on {lists} list{'' if lists == 1 else 's'}."
    )
    assert report["after"]["vote"] == "dislike"
    assert "You changed your vote 1 time." in report["after"]["status"]
    assert (SCREENS_DIR / "history.png").exists()
    kinds = [
        json.loads(line)["kind"] for line in httpx.get(f"{market.url}/v1/ledger").text.splitlines()
    ]
    assert kinds.count("vote_change") == lists

    market.server.settle(epoch)
    settled = run_driver("history-settled", display, market.url, tmp_path)
    assert settled["settled"] == [
        {
            "state": "Settled: these votes are final, the market has paid by them.",
            "buttons_disabled": True,
        }
    ]
