"""Importers against real export files written by `import_fixtures`: exact events, all-or-nothing
failures that name the bad line/record/row, size limits, and untouched browser databases."""

from __future__ import annotations

import json
import math
import pickle
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from client_app.importers import (
    AMAZON_COLUMNS,
    IMPORTERS,
    ONLINE_RETAIL_COLUMNS,
    ImportFailed,
    OrderColumns,
    ParsedImport,
    base,
    get_importer,
    parse_amazon_orders,
    parse_chrome,
    parse_firefox,
    parse_goodreads,
    parse_google_takeout,
    parse_lastfm,
    parse_online_retail,
    parse_orders_csv,
    parse_spotify,
)
from recommenders.activity import MAX_TITLE_CHARS, Category
from recommenders.datasets import ONLINE_RETAIL_SOURCE
from tests.client_app import import_fixtures as fx
from tests.client_app.import_fixtures import (
    AmazonOrder,
    Book,
    Play,
    RetailRow,
    TimelineVisit,
    utc,
)

Row = tuple[str, str | None, datetime, float]


def rows(parsed: ParsedImport) -> list[Row]:
    """The events as (title, external_id, time, weight), weights rounded for comparison."""
    return [(e.title, e.external_id, e.time, round(e.weight, 6)) for e in parsed.events]


def assert_all(parsed: ParsedImport, category: Category, source: str) -> None:
    for event in parsed.events:
        assert event.category is category
        assert event.source == source
        assert event.time.tzinfo is UTC


def failure(parse: Callable[[Path], ParsedImport], path: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        parse(path)
    assert caught.value.file_name == path.name
    return caught.value


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the importers' temporary copies go, to check that none is left behind."""
    directory = tmp_path / "private-tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


# --- registry ------------------------------------------------------------------------------

WRITERS: dict[str, tuple[str, Callable[[Path], Path]]] = {
    "firefox": ("places.sqlite", fx.write_firefox_places),
    "chrome": ("History", fx.write_chrome_history),
    "spotify": ("StreamingHistory_music_0.json", fx.write_spotify_history),
    "lastfm": ("scrobbles.csv", fx.write_lastfm_csv),
    "orders-online-retail": ("Online Retail.csv", fx.write_online_retail_csv),
    "orders-amazon": ("Retail.OrderHistory.1.csv", fx.write_amazon_orders_csv),
    "goodreads": ("goodreads_library_export.csv", fx.write_goodreads_csv),
    "google-takeout": ("2023_JANUARY.json", fx.write_takeout_semantic),
}


def test_importers_are_listed_in_display_order() -> None:
    assert list(IMPORTERS) == list(WRITERS)
    for key, importer in IMPORTERS.items():
        assert importer.key == key
        assert importer.label and importer.patterns


@pytest.mark.parametrize("key", list(WRITERS))
def test_each_importer_parses_its_default_file(tmp_path: Path, key: str) -> None:
    name, write = WRITERS[key]
    importer = get_importer(key)
    parsed = importer.parse(write(tmp_path / name))
    assert parsed.importer == key
    assert parsed.file_name == name
    assert parsed.events
    assert {e.category for e in parsed.events} == {importer.category}


def test_import_failed_survives_pickling() -> None:
    error = ImportFailed("orders.csv", "InvoiceDate 'x' is not a recognised date", "line 12")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file_name, copy.reason, copy.location) == ("orders.csv", error.reason, "line 12")
    assert str(copy) == "orders.csv, line 12: InvoiceDate 'x' is not a recognised date"


def test_get_importer_rejects_an_unknown_key() -> None:
    with pytest.raises(ValueError, match="unknown importer 'opera'") as caught:
        get_importer("opera")
    assert "firefox" in str(caught.value) and "google-takeout" in str(caught.value)


@pytest.mark.parametrize("key", list(WRITERS))
def test_progress_is_reported_a_bounded_number_of_times(tmp_path: Path, key: str) -> None:
    name, write = WRITERS[key]
    reports: list[float] = []
    get_importer(key).parse(write(tmp_path / name), reports.append)
    assert 1 <= len(reports) <= 101
    assert reports == sorted(reports)
    assert reports[-1] == 1.0
    assert all(0.0 <= r <= 1.0 for r in reports)


def test_progress_on_many_records_is_throttled(tmp_path: Path) -> None:
    plays = [Play("Artist", f"Track {i}", utc(2023, 1, 1), 200_000) for i in range(5000)]
    reports: list[float] = []
    parsed = parse_spotify(fx.write_spotify_history(tmp_path / "s.json", plays), reports.append)
    assert len(parsed.events) == 5000
    assert len(reports) == 101


@pytest.mark.parametrize("key", list(WRITERS))
def test_a_missing_file_fails_cleanly(tmp_path: Path, key: str) -> None:
    error = failure(get_importer(key).parse, tmp_path / WRITERS[key][0])
    assert "not a file" in error.reason


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "History"
    folder.mkdir()
    assert "not a file" in failure(parse_chrome, folder).reason


# --- limits --------------------------------------------------------------------------------


def test_text_files_over_the_size_limit_are_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fx.write_goodreads_csv(tmp_path / "goodreads_library_export.csv")
    monkeypatch.setattr(base, "MAX_TEXT_BYTES", 1000)
    error = failure(parse_goodreads, path)
    assert error.location is None
    assert "may be at most 1000 bytes" in error.reason


def test_sqlite_files_over_the_size_limit_are_refused_before_copying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    path = fx.write_firefox_places(tmp_path / "places.sqlite")
    monkeypatch.setattr(base, "MAX_SQLITE_BYTES", 4096)
    assert "may be at most 4 KiB" in failure(parse_firefox, path).reason
    assert list(private_tmp.iterdir()) == []


def test_the_number_of_events_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fx.write_spotify_history(tmp_path / "StreamingHistory0.json")
    monkeypatch.setattr(base, "MAX_EVENTS", 3)
    assert "more than 3 events" in failure(parse_spotify, path).reason


def test_titles_are_stripped_and_long_ones_truncated(tmp_path: Path) -> None:
    long_title = "A" * (MAX_TITLE_CHARS + 500)
    books = [
        Book("1", "  The Hobbit \n", "J.R.R. Tolkien", date_read=utc(2021, 3, 14)),
        Book("2", long_title, "Anonymous", date_read=utc(2021, 3, 15)),
    ]
    parsed = parse_goodreads(fx.write_goodreads_csv(tmp_path / "g.csv", books))
    assert [e.title for e in parsed.events] == ["The Hobbit", "A" * MAX_TITLE_CHARS]


def test_non_utf8_text_names_its_line(tmp_path: Path) -> None:
    path = fx.write_online_retail_csv(tmp_path / "retail.csv")
    data = path.read_bytes().replace(b"WHITE METAL LANTERN", "PÂTÉ DISH".encode("latin-1"))
    path.write_bytes(data)
    error = failure(parse_online_retail, path)
    assert (error.location, error.reason) == ("line 3", "not UTF-8 text")


# --- browsers ------------------------------------------------------------------------------

EXPECTED_VISITS: list[Row] = [
    (
        "Differential privacy - Wikipedia",
        "https://en.wikipedia.org/wiki/Differential_privacy",
        utc(2024, 3, 1, 9, 15, 2),
        1.0,
    ),
    (
        "Technology - BBC News",
        "https://www.bbc.co.uk/news/technology",
        utc(2024, 3, 1, 9, 20),
        1.0,
    ),
    (
        "sqlite3 — DB-API 2.0 interface for SQLite databases",
        "https://docs.python.org/3/library/sqlite3.html",
        utc(2024, 3, 2, 14, 3, 30),
        1.0,
    ),
    (
        "Differential privacy - Wikipedia",
        "https://en.wikipedia.org/wiki/Differential_privacy",
        utc(2024, 3, 3, 18, 40),
        1.0,
    ),
    (
        "The Food Lab | Serious Eats",
        "https://www.seriouseats.com/the-food-lab",
        utc(2024, 3, 4, 20, 12, 45),
        1.0,
    ),
]

BROWSERS = [
    pytest.param(parse_firefox, fx.write_firefox_places, "places.sqlite", "firefox", id="firefox"),
    pytest.param(parse_chrome, fx.write_chrome_history, "History", "chrome", id="chrome"),
]


@pytest.mark.parametrize(("parse", "write", "name", "source"), BROWSERS)
def test_browser_history_imports_titled_web_visits(
    tmp_path: Path, parse, write, name: str, source: str
) -> None:
    parsed = parse(write(tmp_path / name))
    assert rows(parsed) == EXPECTED_VISITS
    assert parsed.skipped == 2  # about:newtab, and a page without a title
    assert_all(parsed, Category.WEB, source)


@pytest.mark.parametrize(("parse", "write", "name", "source"), BROWSERS)
def test_browser_files_are_left_untouched_and_no_copy_remains(
    tmp_path: Path, private_tmp: Path, parse, write, name: str, source: str
) -> None:
    recent = [("https://news.ycombinator.com/", "Hacker News", utc(2024, 3, 5, 7, 30))]
    profile = tmp_path / "profile"
    profile.mkdir()
    path = write(profile / name, wal_visits=recent)
    wal = profile / f"{name}-wal"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in profile.iterdir()}
    assert set(before) == {name, wal.name}

    parsed = parse(path)

    # The visit that only exists in the -wal sidecar was read from the copied sidecar.
    assert rows(parsed)[-1] == (
        "Hacker News",
        "https://news.ycombinator.com/",
        utc(2024, 3, 5, 7, 30),
        1.0,
    )
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in profile.iterdir()}
    assert after == before
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(("parse", "write", "name", "source"), BROWSERS)
def test_a_file_that_is_not_sqlite_is_refused(
    tmp_path: Path, private_tmp: Path, parse, write, name: str, source: str
) -> None:
    error = failure(parse, fx.write_not_sqlite(tmp_path / name))
    assert "not an SQLite database" in error.reason
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(("parse", "write", "name", "source"), BROWSERS)
def test_sqlite_without_history_tables_is_refused(
    tmp_path: Path, parse, write, name: str, source: str
) -> None:
    error = failure(parse, fx.write_sqlite_without_history(tmp_path / name))
    assert "history database" in error.reason


def test_a_chrome_history_is_not_a_firefox_one(tmp_path: Path) -> None:
    path = fx.write_chrome_history(tmp_path / "places.sqlite")
    error = failure(parse_firefox, path)
    assert error.reason == "not a Firefox history database (no moz_historyvisits, moz_places table)"


@pytest.mark.parametrize(("parse", "write", "name", "source"), BROWSERS)
def test_a_bad_visit_time_names_its_row(
    tmp_path: Path, parse, write, name: str, source: str
) -> None:
    visits = [*fx.DEFAULT_VISITS[:2], ("https://example.com/", "Example Domain", "yesterday")]
    error = failure(parse, write(tmp_path / name, visits))
    assert error.location == "row 3"
    column = "visit_date" if source == "firefox" else "visit_time"
    assert error.reason == f"{column} is not a number: 'yesterday'"
    assert str(error) == f"{name}, row 3: {column} is not a number: 'yesterday'"


# --- Spotify -------------------------------------------------------------------------------


def spotify_expected(uris: bool) -> list[Row]:
    def uri(artist: str, track: str) -> str | None:
        return fx.spotify_uri(artist, track) if uris else None

    return [
        (
            "Radiohead — Weird Fishes/Arpeggi",
            uri("Radiohead", "Weird Fishes/Arpeggi"),
            utc(2023, 1, 5, 13, 22),
            1.0,
        ),
        (
            "Daft Punk — Harder, Better, Faster, Stronger",
            uri("Daft Punk", "Harder, Better, Faster, Stronger"),
            utc(2023, 1, 5, 13, 26),
            1.0,
        ),
        ("Fleetwood Mac — Dreams", uri("Fleetwood Mac", "Dreams"), utc(2023, 1, 6, 18, 2), 0.5),
        (
            "Nina Simone — Feeling Good",
            uri("Nina Simone", "Feeling Good"),
            utc(2023, 1, 7, 21, 10),
            round(177 / 180, 6),
        ),
    ]


def test_spotify_account_data_history(tmp_path: Path) -> None:
    parsed = parse_spotify(fx.write_spotify_history(tmp_path / "StreamingHistory_music_0.json"))
    assert rows(parsed) == spotify_expected(uris=False)
    assert parsed.skipped == 2  # a 4-second play and a podcast episode
    assert_all(parsed, Category.MUSIC, "spotify")


def test_spotify_extended_history(tmp_path: Path) -> None:
    path = fx.write_spotify_history(tmp_path / "Streaming_History_Audio_2023.json", extended=True)
    parsed = parse_spotify(path)
    assert rows(parsed) == spotify_expected(uris=True)
    assert parsed.skipped == 2
    assert_all(parsed, Category.MUSIC, "spotify")


def test_spotify_weight_grows_with_listening_time(tmp_path: Path) -> None:
    plays = [Play("A", f"T{ms}", utc(2023, 1, 1), ms) for ms in (29_999, 30_000, 90_000, 600_000)]
    parsed = parse_spotify(fx.write_spotify_history(tmp_path / "s.json", plays))
    assert [round(e.weight, 6) for e in parsed.events] == [round(1 / 6, 6), 0.5, 1.0]
    assert parsed.skipped == 1


def test_an_empty_spotify_history_has_no_events(tmp_path: Path) -> None:
    parsed = parse_spotify(fx.write_json(tmp_path / "StreamingHistory0.json", []))
    assert (parsed.events, parsed.skipped) == ((), 0)


@pytest.mark.parametrize("keep", [0.5, 0.93, 0.999])
def test_truncated_spotify_json_says_the_download_was_cut(tmp_path: Path, keep: float) -> None:
    path = fx.truncate_file(fx.write_spotify_history(tmp_path / "StreamingHistory0.json"), keep)
    error = failure(parse_spotify, path)
    assert error.reason == "the file ends in the middle; was the download complete?"
    assert error.location is None


def test_json_with_a_bad_character_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "StreamingHistory0.json"
    path.write_text('[\n  {"endTime": "2023-01-05 13:22",\n   "msPlayed": 12 x}\n]')
    error = failure(parse_spotify, path)
    assert error.reason == "not valid JSON (Expecting ',' delimiter)"
    assert error.location == "line 3, column 19"


def test_an_empty_json_file_is_called_empty(tmp_path: Path) -> None:
    path = tmp_path / "StreamingHistory0.json"
    path.write_text("  \n")
    assert failure(parse_spotify, path).reason == "the file is empty"


@pytest.mark.parametrize("extended", [False, True])
def test_a_spotify_record_that_is_not_an_object_is_named(tmp_path: Path, extended: bool) -> None:
    records: list[object] = [*fx.spotify_records(extended=extended)]
    records.insert(1, ["Radiohead", "Creep"])
    error = failure(parse_spotify, fx.write_json(tmp_path / "StreamingHistory0.json", records))
    assert (error.location, error.reason) == ("record 2", "expected an object, found list")


def test_a_spotify_record_missing_its_track_name(tmp_path: Path) -> None:
    records = fx.spotify_records()
    del records[2]["trackName"]
    error = failure(parse_spotify, fx.write_json(tmp_path / "StreamingHistory0.json", records))
    assert str(error) == "StreamingHistory0.json, record 3: missing 'trackName'"


@pytest.mark.parametrize(
    ("extended", "bad", "reason"),
    [
        (False, "5 Jan 2023", "endTime '5 Jan 2023' is not a recognised date"),
        (True, "2023-13-45T00:00:00Z", "ts '2023-13-45T00:00:00Z' is not a recognised date"),
    ],
)
def test_a_malformed_spotify_time_names_its_record(
    tmp_path: Path, extended: bool, bad: str, reason: str
) -> None:
    plays = [*fx.DEFAULT_PLAYS[:3], Play("Muse", "Hysteria", bad, 200_000)]
    path = fx.write_spotify_history(tmp_path / "endsong_0.json", plays, extended=extended)
    error = failure(parse_spotify, path)
    assert (error.location, error.reason) == ("record 4", reason)


def test_a_spotify_file_with_wrong_value_types(tmp_path: Path) -> None:
    records = fx.spotify_records(extended=True)
    records[1]["ms_played"] = "a lot"
    records[0]["master_metadata_track_name"] = 42
    path = fx.write_json(tmp_path / "endsong_0.json", records)
    assert failure(parse_spotify, path).location == "record 1"
    records[0]["master_metadata_track_name"] = "Song"
    error = failure(parse_spotify, fx.write_json(path, records))
    assert (error.location, error.reason) == ("record 2", "ms_played is not a number: 'a lot'")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ({"plays": []}, "expected a JSON list of plays"),
        ([{"artist": "Muse"}], "not a Spotify play: expected 'endTime' or 'ts'"),
    ],
)
def test_json_that_is_not_spotify_history(tmp_path: Path, document: object, reason: str) -> None:
    error = failure(parse_spotify, fx.write_json(tmp_path / "StreamingHistory0.json", document))
    assert error.reason == reason


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "StreamingHistory0.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert failure(parse_spotify, path).reason == "JSON nested too deeply"


# --- Last.fm -------------------------------------------------------------------------------

EXPECTED_SCROBBLES: list[Row] = [
    ("Portishead — Glory Box", None, utc(2021, 1, 31, 14, 3), 1.0),
    ("Massive Attack — Teardrop", None, utc(2021, 1, 31, 13, 58), 1.0),
    ("Björk — Jóga", None, utc(2021, 1, 30, 22, 41), 1.0),
    ("Radiohead — Paranoid Android", None, utc(2021, 1, 30, 22, 35), 1.0),
]


def test_lastfm_export_with_header(tmp_path: Path) -> None:
    parsed = parse_lastfm(fx.write_lastfm_csv(tmp_path / "scrobbles.csv"))
    title, _, time, weight = EXPECTED_SCROBBLES[0]
    with_mbid = (title, fx.DEFAULT_SCROBBLES[1].track_mbid, time, weight)
    assert rows(parsed) == [with_mbid, *EXPECTED_SCROBBLES[1:]]
    assert parsed.skipped == 1  # the track "now playing" during the export
    assert_all(parsed, Category.MUSIC, "lastfm")


def test_lastfm_headerless_four_columns(tmp_path: Path) -> None:
    parsed = parse_lastfm(fx.write_lastfm_csv(tmp_path / "lastfm.csv", header=False))
    assert rows(parsed) == EXPECTED_SCROBBLES
    assert parsed.skipped == 1
    assert_all(parsed, Category.MUSIC, "lastfm")


@pytest.mark.parametrize(
    ("header", "location", "reason"),
    [
        (True, "line 4", "uts is not a number: 'last Tuesday'"),
        (False, "line 3", "date 'last Tuesday' is not a recognised date"),
    ],
)
def test_a_malformed_lastfm_date_names_its_line(
    tmp_path: Path, header: bool, location: str, reason: str
) -> None:
    scrobbles = list(fx.DEFAULT_SCROBBLES)
    scrobbles[2] = scrobbles[2]._replace(time="last Tuesday")
    error = failure(parse_lastfm, fx.write_lastfm_csv(tmp_path / "s.csv", scrobbles, header=header))
    assert (error.location, error.reason) == (location, reason)


def test_lastfm_csv_with_an_unknown_layout(tmp_path: Path) -> None:
    path = fx.write_csv(tmp_path / "s.csv", [["name", "played"], ["Teardrop", "yesterday"]])
    error = failure(parse_lastfm, path)
    assert error.location == "line 1"
    assert "artist,album,track,date" in error.reason


def test_lastfm_header_without_a_time_column(tmp_path: Path) -> None:
    path = fx.write_csv(tmp_path / "s.csv", [["artist", "track"], ["Muse", "Hysteria"]])
    error = failure(parse_lastfm, path)
    assert (error.location, error.reason) == ("line 1", "missing column: uts, utc_time or date")


def test_a_short_lastfm_row_names_its_line(tmp_path: Path) -> None:
    path = fx.write_lastfm_csv(tmp_path / "s.csv", header=False)
    path.write_text(path.read_text() + "Muse,Absolution\n")
    error = failure(parse_lastfm, path)
    assert (error.location, error.reason) == ("line 6", "2 fields; expected at least 4")


def test_an_unterminated_csv_quote_is_invalid(tmp_path: Path) -> None:
    # The csv module refuses a field past its size limit: an unclosed quote swallows the file.
    path = fx.write_lastfm_csv(tmp_path / "s.csv", header=False)
    path.write_text(path.read_text() + 'Muse,"Absolution' + "x" * 200_000 + "\n")
    error = failure(parse_lastfm, path)
    assert error.location == "line 6"
    assert error.reason.startswith("not valid CSV")


# --- orders --------------------------------------------------------------------------------


def test_online_retail_orders(tmp_path: Path) -> None:
    parsed = parse_online_retail(fx.write_online_retail_csv(tmp_path / "Online Retail.csv"))
    six, eight, two = (round(1 + math.log(q), 6) for q in (6, 8, 2))
    assert rows(parsed) == [
        ("WHITE HANGING HEART T-LIGHT HOLDER", "85123A", utc(2010, 12, 1, 8, 26), six),
        ("WHITE METAL LANTERN", "71053", utc(2010, 12, 1, 8, 26), six),
        ("CREAM CUPID HEARTS COAT HANGER", "84406B", utc(2010, 12, 1, 8, 26), eight),
        ("SET 7 BABUSHKA NESTING BOXES", "22752", utc(2010, 12, 1, 8, 26), two),
        ("HAND WARMER UNION JACK", "22633", utc(2010, 12, 1, 8, 28), six),
        ("GLASS STAR FROSTED T-LIGHT HOLDER", "21730", utc(2010, 12, 1, 9, 2), 1.0),
    ]
    assert parsed.skipped == 2  # a cancelled invoice and a zero-quantity line
    assert parsed.importer == "orders-online-retail"
    assert_all(parsed, Category.PURCHASES, ONLINE_RETAIL_SOURCE)


def test_online_retail_accepts_iso_dates_too(tmp_path: Path) -> None:
    row = RetailRow("536365", "71053", "WHITE METAL LANTERN", 1, "2010-12-01 08:26:00", "3.39")
    parsed = parse_online_retail(fx.write_online_retail_csv(tmp_path / "r.csv", [row]))
    assert parsed.events[0].time == utc(2010, 12, 1, 8, 26)


def test_cancelled_invoices_are_skipped_even_with_a_positive_quantity(tmp_path: Path) -> None:
    row = RetailRow(
        "C536383", "35004C", "SET OF 3 COLOURED  FLYING DUCKS", 1, utc(2010, 12, 1), "4.65"
    )
    parsed = parse_online_retail(fx.write_online_retail_csv(tmp_path / "r.csv", [row]))
    assert (parsed.events, parsed.skipped) == ((), 1)


def test_amazon_order_history(tmp_path: Path) -> None:
    parsed = parse_amazon_orders(fx.write_amazon_orders_csv(tmp_path / "Retail.OrderHistory.1.csv"))
    assert rows(parsed) == [
        (
            "The Hobbit: Or There and Back Again (Paperback)",
            "0547928211",
            utc(2023, 4, 5, 17, 21, 9),
            1.0,
        ),
        (
            "Echo Dot (4th generation) | Smart speaker with Alexa | Charcoal",
            "B08N5WRWNW",
            utc(2023, 5, 12, 8, 2, 44),
            1.0,
        ),
        (
            "AmazonBasics AA Rechargeable Batteries, 2000 mAh, Pack of 8",
            "B07PGL2ZSL",
            utc(2023, 6, 1, 19, 45),
            round(1 + math.log(2), 6),
        ),
        ("Dune (Mass Market Paperback)", "0441172717", utc(2023, 7, 19, 21, 30, 55), 1.0),
    ]
    assert parsed.skipped == 1  # the cancelled order
    assert parsed.importer == "orders-amazon"
    assert_all(parsed, Category.PURCHASES, "amazon")


def test_presets_name_their_columns() -> None:
    assert ONLINE_RETAIL_COLUMNS.source == ONLINE_RETAIL_SOURCE
    assert ONLINE_RETAIL_COLUMNS.item_id == "StockCode"
    assert (AMAZON_COLUMNS.source, AMAZON_COLUMNS.time) == ("amazon", "Order Date")


def test_a_custom_order_column_mapping(tmp_path: Path) -> None:
    columns = OrderColumns(
        title="item",
        time="bought",
        item_id=None,
        quantity=None,
        source="corner-shop",
        time_formats=("%d.%m.%Y",),
    )
    path = fx.write_csv(
        tmp_path / "shop.csv",
        [["bought", "item"], ["14.03.2021", "Sourdough loaf"], ["2021-03-15T10:00:00Z", "Tea"]],
    )
    parsed = parse_orders_csv(path, columns)
    assert parsed.importer == "orders-corner-shop"
    assert rows(parsed) == [
        ("Sourdough loaf", None, utc(2021, 3, 14), 1.0),
        ("Tea", None, utc(2021, 3, 15, 10), 1.0),
    ]
    assert_all(parsed, Category.PURCHASES, "corner-shop")


def test_orders_missing_a_required_column(tmp_path: Path) -> None:
    path = fx.write_amazon_orders_csv(tmp_path / "orders.csv", drop_columns={"ASIN", "Quantity"})
    error = failure(parse_amazon_orders, path)
    assert str(error) == "orders.csv, line 1: missing column(s): ASIN, Quantity"


def test_a_malformed_order_date_names_its_line(tmp_path: Path) -> None:
    rows_ = list(fx.DEFAULT_RETAIL_ROWS)
    rows_[2] = rows_[2]._replace(time="31/31/2010 8:26")
    error = failure(parse_online_retail, fx.write_online_retail_csv(tmp_path / "r.csv", rows_))
    assert (error.location, error.reason) == (
        "line 4",
        "InvoiceDate '31/31/2010 8:26' is not a recognised date",
    )


def test_a_bad_quantity_names_its_line(tmp_path: Path) -> None:
    orders = [*fx.DEFAULT_AMAZON_ORDERS[:1], AmazonOrder("1", utc(2023, 1, 1), "B0", "Pen", "a")]
    path = fx.write_amazon_orders_csv(tmp_path / "orders.csv", orders)
    error = failure(parse_amazon_orders, path)
    assert (error.location, error.reason) == ("line 3", "Quantity is not a number: 'a'")


def test_a_row_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    path = fx.write_online_retail_csv(tmp_path / "r.csv")
    path.write_text(path.read_text() + "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32\n")
    error = failure(parse_online_retail, path)
    assert (error.location, error.reason) == ("line 10", "4 fields where the header has 8")


def test_an_empty_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("\n\n")
    assert failure(parse_online_retail, path).reason == "the file is empty"


# --- Goodreads -----------------------------------------------------------------------------


def test_goodreads_library_export(tmp_path: Path) -> None:
    parsed = parse_goodreads(fx.write_goodreads_csv(tmp_path / "goodreads_library_export.csv"))
    assert rows(parsed) == [
        ("The Hobbit", "5907", utc(2021, 3, 14), 1.2),  # 5 stars
        ("Dune (Dune Chronicles #1)", "234225", utc(2021, 8, 2), 1.0),  # 4 stars
        ("Pride and Prejudice", "1885", utc(2020, 11, 20), 0.8),  # 3 stars
        ("Brave New World", "5129", utc(2019, 5, 6), 1.0),  # read, unrated, no Date Read
        (
            "The Name of the Wind (The Kingkiller Chronicle, #1)",
            "186074",
            utc(2024, 1, 9),
            1.0,
        ),
        ("The Left Hand of Darkness", "18423", utc(2023, 12, 24), 0.5),  # to-read
        ("1984", "5470", utc(2018, 7, 30), 0.6),  # 2 stars
    ]
    assert parsed.skipped == 0
    assert_all(parsed, Category.BOOKS, "goodreads")


def test_goodreads_rating_weights_are_monotone_and_positive(tmp_path: Path) -> None:
    books = [Book(str(r), f"Book {r}", "A. Author", r, date_read=utc(2020, 1, 1)) for r in range(6)]
    parsed = parse_goodreads(fx.write_goodreads_csv(tmp_path / "g.csv", books))
    weights = [e.weight for e in parsed.events]
    rated = weights[1:]
    assert rated == sorted(rated) and len(set(rated)) == 5 and min(weights) > 0


def test_goodreads_missing_a_column(tmp_path: Path) -> None:
    path = fx.write_goodreads_csv(tmp_path / "g.csv", drop_columns={"Date Added"})
    error = failure(parse_goodreads, path)
    assert (error.location, error.reason) == ("line 1", "missing column(s): Date Added")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"date_read": "14/03/2021"}, "Date Read '14/03/2021' is not a recognised date"),
        ({"date_added": "soon"}, "Date Added 'soon' is not a recognised date"),
        ({"rating": 7}, "My Rating must be 0 to 5, found 7"),
        ({"rating": "five"}, "My Rating is not a number: 'five'"),
        ({"book_id": " "}, "Book Id is empty"),
    ],
)
def test_a_bad_goodreads_row_names_its_line(
    tmp_path: Path, change: dict[str, Any], reason: str
) -> None:
    books = list(fx.DEFAULT_BOOKS)
    books[3] = books[3]._replace(**change)
    error = failure(parse_goodreads, fx.write_goodreads_csv(tmp_path / "g.csv", books))
    assert (error.location, error.reason) == ("line 5", reason)


def test_a_quoted_title_spanning_lines_keeps_later_line_numbers_right(tmp_path: Path) -> None:
    books = [
        Book("1", "Poems\nand Songs", "A. Poet", date_read=utc(2020, 1, 1)),
        Book("2", "Dune", "Frank Herbert", date_read="someday"),
    ]
    error = failure(parse_goodreads, fx.write_goodreads_csv(tmp_path / "g.csv", books))
    assert error.location == "line 4"


# --- Google Takeout ------------------------------------------------------------------------

EXPECTED_PLACES: list[Row] = [
    ("Home", "ChIJ8TCVXhcbdkgR3PfwIcNV0ZE", utc(2023, 1, 7, 7, 0), 1.0),
    ("British Museum", "ChIJB9OTMDIbdkgRp0JWbQGZsS8", utc(2023, 1, 7, 10, 15, 30), 1.0),
    ("Dishoom Covent Garden", "ChIJ9QWMd84EdkgRyUwoWvDyq5o", utc(2023, 1, 7, 13, 5), 1.0),
    ("Kew, Richmond TW9 3AE, UK", "ChIJbyVhjVoOdkgRXqPaWaTt-Ew", utc(2023, 1, 8, 11, 20), 1.0),
]


@pytest.mark.parametrize("milliseconds", [False, True])
def test_semantic_location_history(tmp_path: Path, milliseconds: bool) -> None:
    path = fx.write_takeout_semantic(tmp_path / "2023_JANUARY.json", milliseconds=milliseconds)
    parsed = parse_google_takeout(path)
    assert rows(parsed) == EXPECTED_PLACES
    assert parsed.skipped == 6  # five walks and a visit with neither name nor address
    assert_all(parsed, Category.PLACES, "google-maps")


def test_on_device_timeline_export(tmp_path: Path) -> None:
    parsed = parse_google_takeout(fx.write_takeout_timeline(tmp_path / "Timeline.json"))
    assert rows(parsed) == [
        ("Home", "ChIJ8TCVXhcbdkgR3PfwIcNV0ZE", utc(2024, 1, 5, 8, 0), 1.0),
        ("Work", "ChIJ2dGMjMMEdkgRqVqkuXQkj7c", utc(2024, 1, 5, 9, 0), 1.0),
        ("Searched address", "ChIJB9OTMDIbdkgRp0JWbQGZsS8", utc(2024, 1, 6, 14, 0), 1.0),
    ]
    # An UNKNOWN place, four activities and one timelinePath.
    assert parsed.skipped == 6
    assert_all(parsed, Category.PLACES, "google-maps")


def test_records_json_is_refused_with_advice(tmp_path: Path) -> None:
    path = fx.write_takeout_records(tmp_path / "location-history.json")
    assert "export Semantic Location History" in failure(parse_google_takeout, path).reason


def test_records_json_is_refused_by_name_before_its_size_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "MAX_TEXT_BYTES", 10)
    error = failure(parse_google_takeout, fx.write_takeout_records(tmp_path / "Records.json"))
    assert "export Semantic Location History" in error.reason


@pytest.mark.parametrize(
    "document", [[], {"timeline": []}, {"semanticSegments": {"startTime": "2024-01-01"}}]
)
def test_json_that_is_not_a_timeline(tmp_path: Path, document: object) -> None:
    error = failure(parse_google_takeout, fx.write_json(tmp_path / "x.json", document))
    assert error.location is None


def test_a_timeline_object_that_is_not_an_object(tmp_path: Path) -> None:
    path = fx.write_takeout_semantic(tmp_path / "2023_JANUARY.json")
    document = json.loads(path.read_text())
    document["timelineObjects"][2] = "placeVisit"
    error = failure(parse_google_takeout, fx.write_json(path, document))
    assert (error.location, error.reason) == ("record 3", "expected an object, found str")


def test_a_place_visit_without_duration(tmp_path: Path) -> None:
    path = fx.write_takeout_semantic(tmp_path / "2023_JANUARY.json")
    document = json.loads(path.read_text())
    del document["timelineObjects"][4]["placeVisit"]["duration"]
    error = failure(parse_google_takeout, fx.write_json(path, document))
    assert str(error) == "2023_JANUARY.json, record 5: missing 'duration'"


@pytest.mark.parametrize(
    ("write", "name"),
    [
        (fx.write_takeout_semantic, "2023_JANUARY.json"),
        (fx.write_takeout_timeline, "Timeline.json"),
    ],
)
def test_a_bad_place_timestamp_names_its_record(tmp_path: Path, write, name: str) -> None:
    visits: list[Any] = list(
        fx.DEFAULT_PLACE_VISITS if "JANUARY" in name else fx.DEFAULT_TIMELINE_VISITS
    )
    visits[1] = visits[1]._replace(start="2023-02-30T10:00:00Z")
    error = failure(parse_google_takeout, write(tmp_path / name, visits))
    assert error.location == "record 3"
    assert "'2023-02-30T10:00:00Z' is not a recognised date" in error.reason


def test_a_time_out_of_range_names_its_record(tmp_path: Path) -> None:
    visits = [TimelineVisit("HOME", "ChIJ8TCVXhcbdkgR3PfwIcNV0ZE", "0001-01-01T00:00:00+01:00")]
    path = fx.write_takeout_timeline(tmp_path / "Timeline.json", visits)
    error = failure(parse_google_takeout, path)
    assert (error.location, error.reason) == (
        "record 1",
        "startTime '0001-01-01T00:00:00+01:00' is out of range",
    )


def test_truncated_timeline_json(tmp_path: Path) -> None:
    path = fx.truncate_file(fx.write_takeout_timeline(tmp_path / "Timeline.json"), 0.3)
    error = failure(parse_google_takeout, path)
    assert error.reason == "the file ends in the middle; was the download complete?"
