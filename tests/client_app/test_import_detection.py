"""Detection of an export's kind from its content (a bounded prefix, or SQLite tables opened
read-only), skipped records by reason, bad records by choice, and the browser profiles found on
Linux, macOS and Windows in a home folder of real files."""

from __future__ import annotations

import os
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from client_app.importers import (
    IMPORTERS,
    BrowserProfile,
    ImportFailed,
    detect,
    find_browser_profiles,
    get_importer,
    looks_like_export,
    parse_goodreads,
    parse_google_takeout,
    parse_spotify,
)
from client_app.importers import detection as detection_module
from client_app.importers.profiles import platform_name
from tests.client_app import import_fixtures as fx
from tests.client_app.import_fixtures import Book, Play, utc

# One real file of each format, named as a user might rename it: detection must not need the name.
FORMATS: list[tuple[str, str, Callable[[Path], Path], str]] = [
    ("firefox", "copy-of-places.db", fx.write_firefox_places, "a Firefox history"),
    ("chrome", "History", fx.write_chrome_history, "a Chrome or Chromium history"),
    ("spotify", "music.json", fx.write_spotify_history, "a Spotify streaming history"),
    (
        "spotify",
        "endsong_0.json",
        lambda path: fx.write_spotify_history(path, extended=True),
        "a Spotify streaming history",
    ),
    ("lastfm", "scrobbles.csv", fx.write_lastfm_csv, "a Last.fm scrobble list"),
    (
        "lastfm",
        "headerless.csv",
        lambda path: fx.write_lastfm_csv(path, header=False),
        "a Last.fm scrobble list",
    ),
    (
        "orders-online-retail",
        "retail.csv",
        fx.write_online_retail_csv,
        "an Online Retail order list",
    ),
    ("orders-amazon", "orders.csv", fx.write_amazon_orders_csv, "an Amazon order history"),
    ("goodreads", "books.csv", fx.write_goodreads_csv, "a Goodreads library export"),
    ("google-takeout", "2023_JANUARY.json", fx.write_takeout_semantic, "a Google Maps Timeline"),
    ("google-takeout", "Timeline.json", fx.write_takeout_timeline, "a Google Maps Timeline"),
]


@pytest.mark.parametrize(
    ("key", "name", "write", "description"), FORMATS, ids=[f[1] for f in FORMATS]
)
def test_each_format_is_detected_from_its_content(
    tmp_path: Path, key: str, name: str, write: Callable[[Path], Path], description: str
) -> None:
    path = write(tmp_path / name)
    detection = detect(path)
    assert detection.importer is IMPORTERS[key]
    assert detection.text == f"{name} is {description}."
    assert detection.importer.parse(path).events  # and that importer reads it


def test_every_importer_has_a_detected_format() -> None:
    assert {key for key, *_ in FORMATS} == set(IMPORTERS)


def test_a_csv_with_a_byte_order_mark_is_detected(tmp_path: Path) -> None:
    books = [Book("1", "Dune", "Frank Herbert", date_read=utc(2021, 3, 14))]
    path = fx.write_goodreads_csv(tmp_path / "g.csv", books)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert detect(path).importer is IMPORTERS["goodreads"]


@pytest.mark.parametrize(
    ("content", "description"),
    [
        (b"", "an empty file"),
        (b"  \n", "an empty file"),
        (b"shopping list\nmilk\n", "a text file that is not a table (CSV) privrec knows"),
        (b"id,name,colour\n1,cat,black\n", "a CSV table of another kind (with id, name, colour)"),
        (b'{"plays": [{"song": "x"}]}', "a JSON file of another kind (with plays, song)"),
        (b"[]", "an empty JSON list"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (bytes(range(256)) * 40, "a binary file (neither text nor an SQLite database)"),
        (b"SQLite format 3\x00" + b"\x07" * 200, "a damaged SQLite database"),
    ],
)
def test_an_unknown_file_says_what_it_looks_like_and_what_privrec_imports(
    tmp_path: Path, content: bytes, description: str
) -> None:
    path = tmp_path / "mystery.csv"
    path.write_bytes(content)
    detection = detect(path)
    assert detection.importer is None and detection.description == description
    assert detection.text.startswith(f"mystery.csv: this looks like {description}; ")
    assert "privrec imports Firefox history (places.sqlite);" in detection.text
    for importer in IMPORTERS.values():
        assert importer.label in detection.text


def test_an_empty_list_named_like_spotify_is_an_empty_history(tmp_path: Path) -> None:
    path = fx.write_json(tmp_path / "StreamingHistory_music_3.json", [])
    assert detect(path).importer is IMPORTERS["spotify"]


def test_a_zip_archive_is_to_be_unpacked_first(tmp_path: Path) -> None:
    inner = fx.write_spotify_history(tmp_path / "StreamingHistory0.json")
    archive = tmp_path / "my_spotify_data.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(inner, "MyData/StreamingHistory0.json")
    assert "unpack it first" in detect(archive).text


def test_records_json_and_other_databases_get_advice(tmp_path: Path) -> None:
    records = detect(fx.write_takeout_records(tmp_path / "Records.json"))
    assert records.importer is None and "Semantic Location History" in records.text
    cookies = tmp_path / "cookies.sqlite"
    with sqlite3.connect(cookies) as connection:
        connection.execute("CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, name TEXT)")
    assert "pick places.sqlite beside it" in detect(cookies).text
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    assert detect(other).description == "an SQLite database of another kind (tables: notes)"


def test_a_csv_missing_a_column_says_which_kind_and_which_column(tmp_path: Path) -> None:
    path = fx.write_amazon_orders_csv(tmp_path / "orders.csv", drop_columns=("ASIN",))
    detection = detect(path)
    assert detection.importer is None
    assert detection.text == (
        "orders.csv: this looks like an Amazon order history, but without the column(s) ASIN."
    )


def test_a_truncated_file_is_detected_and_its_import_says_it_was_cut(tmp_path: Path) -> None:
    path = fx.truncate_file(fx.write_spotify_history(tmp_path / "StreamingHistory0.json"), 0.6)
    assert detect(path).importer is IMPORTERS["spotify"]
    with pytest.raises(ImportFailed) as cut:
        get_importer("spotify").parse(path)
    assert cut.value.reason == "the file ends in the middle; was the download complete?"


def test_a_huge_file_is_detected_from_its_first_bytes_only(tmp_path: Path) -> None:
    books = [Book(str(n), f"Book {n}", "Anonymous", date_read=utc(2020, 1, 1)) for n in range(900)]
    path = fx.write_goodreads_csv(tmp_path / "goodreads_library_export.csv", books)
    assert path.stat().st_size > detection_module.PREFIX_BYTES
    with path.open("r+b") as file:  # a sparse 64 GiB tail: reading it all would never end
        file.truncate(64 * 1024**3)
    assert detect(path).importer is IMPORTERS["goodreads"]


def test_a_multibyte_character_cut_by_the_prefix_is_not_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scrobbles.csv"
    path.write_text("uts,utc_time,artist,track\n1612101780,31 Jan 2021,Björk,Jóga\n")
    cut_inside_o = path.read_bytes().index("ö".encode()) + 1
    monkeypatch.setattr(detection_module, "PREFIX_BYTES", cut_inside_o)
    assert detect(path).importer is IMPORTERS["lastfm"]


def test_detection_leaves_a_browser_database_untouched(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    path = fx.write_firefox_places(profile / "places.sqlite")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    os.chmod(profile, 0o555)  # a read-only folder: no journal or lock file could be made
    try:
        assert detect(path).importer is IMPORTERS["firefox"]
    finally:
        os.chmod(profile, 0o755)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in profile.iterdir()) == ["places.sqlite"]


def test_a_missing_file_or_a_folder_cannot_be_detected(tmp_path: Path) -> None:
    for path in (tmp_path / "gone.json", tmp_path):
        with pytest.raises(ImportFailed, match="not a file"):
            detect(path)


def test_name_patterns_match_the_name_not_the_path() -> None:
    spotify, chrome = IMPORTERS["spotify"], IMPORTERS["chrome"]
    assert spotify.matches_name("StreamingHistory_music_0.json")
    assert not spotify.matches_name("/home/me/StreamingHistory/notes.txt")
    assert chrome.matches_name("History") and not chrome.matches_name("HistoryOld")
    assert looks_like_export("History") and looks_like_export("places.sqlite")
    assert not looks_like_export("holiday.jpg")


# --- skipped records and bad records -----------------------------------------------------------


def test_skips_are_counted_by_reason(tmp_path: Path) -> None:
    parsed = parse_spotify(fx.write_spotify_history(tmp_path / "StreamingHistory0.json"))
    assert dict(parsed.skipped_by_reason) == {
        "plays under 30 seconds": 1,
        "podcast episodes and audiobooks": 1,
    }
    assert parsed.skipped == 2
    extended = fx.write_spotify_history(tmp_path / "endsong_0.json", extended=True)
    assert dict(parse_spotify(extended).skipped_by_reason) == dict(parsed.skipped_by_reason)
    places = parse_google_takeout(fx.write_takeout_semantic(tmp_path / "2023_JANUARY.json"))
    assert "moves between places" in dict(places.skipped_by_reason)


def test_bad_records_are_counted_and_the_first_named(tmp_path: Path) -> None:
    plays = [
        Play("Muse", "Hysteria", "yesterday", 200_000),
        *fx.DEFAULT_PLAYS[:2],
        Play("Muse", "Uprising", "today", 200_000),
    ]
    path = fx.write_spotify_history(tmp_path / "StreamingHistory0.json", plays)
    with pytest.raises(ImportFailed) as refused:
        parse_spotify(path)
    error = refused.value
    assert (error.location, error.bad_rows, error.valid_events) == ("record 1", 2, 2)
    assert error.reason == "endTime 'yesterday' is not a recognised date"
    partial = parse_spotify(path, valid_rows_only=True)
    assert [event.title for event in partial.events] == [
        "Radiohead — Weird Fishes/Arpeggi",
        "Daft Punk — Harder, Better, Faster, Stronger",
    ]
    assert partial.bad_rows == 2 and partial.first_bad is not None
    assert partial.first_bad.location == "record 1"


def test_a_file_level_fault_is_never_imported_in_part(tmp_path: Path) -> None:
    path = fx.write_goodreads_csv(tmp_path / "g.csv", drop_columns=("Title",))
    with pytest.raises(ImportFailed, match="missing column"):
        parse_goodreads(path, valid_rows_only=True)
    junk = fx.write_json(tmp_path / "StreamingHistory0.json", [{"artist": "Muse"}])
    with pytest.raises(ImportFailed, match="not a Spotify play"):
        parse_spotify(junk, valid_rows_only=True)


# --- browser profiles ------------------------------------------------------------------------


def _make(path: Path, write: Callable[[Path], Path]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write(path)


def test_browser_profiles_on_linux(tmp_path: Path) -> None:
    home = tmp_path / "home"
    release = _make(home / ".mozilla/firefox/ab12.default-release/places.sqlite",
                    fx.write_firefox_places)  # fmt: skip
    snap = _make(home / "snap/firefox/common/.mozilla/firefox/x9.snapped/places.sqlite",
                 fx.write_firefox_places)  # fmt: skip
    chrome = _make(home / ".config/google-chrome/Default/History", fx.write_chrome_history)
    work = _make(home / ".config/google-chrome/Profile 2/History", fx.write_chrome_history)
    brave = _make(home / ".config/BraveSoftware/Brave-Browser/Default/History",
                  fx.write_chrome_history)  # fmt: skip
    flatpak = _make(home / ".var/app/org.chromium.Chromium/config/chromium/Default/History",
                    fx.write_chrome_history)  # fmt: skip
    (home / ".config/google-chrome/Crashpad").mkdir()  # no History: not a profile
    (home / ".mozilla/firefox/Crash Reports").mkdir()
    assert find_browser_profiles(home, "linux", {}) == [
        BrowserProfile("Firefox", "default-release", release, "firefox"),
        BrowserProfile("Firefox", "snapped", snap, "firefox"),
        BrowserProfile("Chrome", "Default", chrome, "chrome"),
        BrowserProfile("Chrome", "Profile 2", work, "chrome"),
        BrowserProfile("Brave", "Default", brave, "chrome"),
        BrowserProfile("Chromium", "Default", flatpak, "chrome"),
    ]


def test_linux_follows_xdg_config_home(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere"
    chromium = _make(config / "chromium/Default/History", fx.write_chrome_history)
    found = find_browser_profiles(tmp_path / "home", "linux", {"XDG_CONFIG_HOME": str(config)})
    assert found == [BrowserProfile("Chromium", "Default", chromium, "chrome")]


def test_browser_profiles_on_macos(tmp_path: Path) -> None:
    support = tmp_path / "home/Library/Application Support"
    firefox = _make(support / "Firefox/Profiles/q1w2.default/places.sqlite",
                    fx.write_firefox_places)  # fmt: skip
    chrome = _make(support / "Google/Chrome/Default/History", fx.write_chrome_history)
    edge = _make(support / "Microsoft Edge/Profile 1/History", fx.write_chrome_history)
    assert find_browser_profiles(tmp_path / "home", "macos", {}) == [
        BrowserProfile("Firefox", "default", firefox, "firefox"),
        BrowserProfile("Chrome", "Default", chrome, "chrome"),
        BrowserProfile("Edge", "Profile 1", edge, "chrome"),
    ]


def test_browser_profiles_on_windows(tmp_path: Path) -> None:
    home = tmp_path / "Users/ada"
    roaming, local = tmp_path / "Roaming", home / "AppData/Local"
    firefox = _make(roaming / "Mozilla/Firefox/Profiles/z8.default-release/places.sqlite",
                    fx.write_firefox_places)  # fmt: skip
    chrome = _make(local / "Google/Chrome/User Data/Default/History", fx.write_chrome_history)
    edge = _make(local / "Microsoft/Edge/User Data/Default/History", fx.write_chrome_history)
    # APPDATA from the environment; LOCALAPPDATA unset, so under the home folder.
    found = find_browser_profiles(home, "windows", {"APPDATA": str(roaming)})
    assert found == [
        BrowserProfile("Firefox", "default-release", firefox, "firefox"),
        BrowserProfile("Chrome", "Default", chrome, "chrome"),
        BrowserProfile("Edge", "Default", edge, "chrome"),
    ]
    for profile in found:
        assert detect(profile.path).importer is IMPORTERS[profile.importer]


def test_no_browsers_and_the_platform_names(tmp_path: Path) -> None:
    for system in ("linux", "macos", "windows"):
        assert find_browser_profiles(tmp_path, system, {}) == []
    assert [platform_name(p) for p in ("linux", "darwin", "win32", "freebsd14")] == [
        "linux",
        "macos",
        "windows",
        "linux",
    ]
