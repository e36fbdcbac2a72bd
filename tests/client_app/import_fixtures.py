"""Writers of small, realistic export files (good and broken) for the importer, UI and demo tests.

Each `write_*` function writes one format into the given path and returns the path; with no
other argument it writes a plausible default history. A time given as `str` is written as is,
which is how tests build malformed dates.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

WhenValue = datetime | str


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- browsers ------------------------------------------------------------------------------

# (url, title or None for an untitled page, visit time)
Visit = tuple[str, str | None, WhenValue]

DEFAULT_VISITS: tuple[Visit, ...] = (
    (
        "https://en.wikipedia.org/wiki/Differential_privacy",
        "Differential privacy - Wikipedia",
        utc(2024, 3, 1, 9, 15, 2),
    ),
    ("https://www.bbc.co.uk/news/technology", "Technology - BBC News", utc(2024, 3, 1, 9, 20)),
    ("about:newtab", "New Tab", utc(2024, 3, 1, 9, 21)),
    (
        "https://docs.python.org/3/library/sqlite3.html",
        "sqlite3 — DB-API 2.0 interface for SQLite databases",
        utc(2024, 3, 2, 14, 3, 30),
    ),
    ("https://example.org/download", None, utc(2024, 3, 2, 14, 5)),
    (
        "https://en.wikipedia.org/wiki/Differential_privacy",
        "Differential privacy - Wikipedia",
        utc(2024, 3, 3, 18, 40),
    ),
    (
        "https://www.seriouseats.com/the-food-lab",
        "The Food Lab | Serious Eats",
        utc(2024, 3, 4, 20, 12, 45),
    ),
)

_FIREFOX_SCHEMA = """
CREATE TABLE moz_origins (id INTEGER PRIMARY KEY, prefix TEXT NOT NULL, host TEXT NOT NULL,
    frecency INTEGER NOT NULL, UNIQUE (prefix, host));
CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR,
    rev_host LONGVARCHAR, visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL,
    typed INTEGER DEFAULT 0 NOT NULL, frecency INTEGER DEFAULT -1 NOT NULL,
    last_visit_date INTEGER, guid TEXT, foreign_count INTEGER DEFAULT 0 NOT NULL,
    url_hash INTEGER DEFAULT 0 NOT NULL, description TEXT, preview_image_url TEXT,
    origin_id INTEGER REFERENCES moz_origins(id));
CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, from_visit INTEGER,
    place_id INTEGER, visit_date INTEGER, visit_type INTEGER, session INTEGER,
    source INTEGER DEFAULT 0 NOT NULL, triggeringPlaceId INTEGER);
CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, type INTEGER, fk INTEGER DEFAULT NULL,
    parent INTEGER, position INTEGER, title LONGVARCHAR, dateAdded INTEGER,
    lastModified INTEGER, guid TEXT);
PRAGMA user_version = 74;
"""

_CHROME_SCHEMA = """
CREATE TABLE meta (key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls (id INTEGER PRIMARY KEY AUTOINCREMENT, url LONGVARCHAR, title LONGVARCHAR,
    visit_count INTEGER DEFAULT 0 NOT NULL, typed_count INTEGER DEFAULT 0 NOT NULL,
    last_visit_time INTEGER NOT NULL, hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER NOT NULL, visit_time INTEGER NOT NULL,
    from_visit INTEGER, transition INTEGER DEFAULT 0 NOT NULL, segment_id INTEGER,
    visit_duration INTEGER DEFAULT 0 NOT NULL, incremented_omnibox_typed_score BOOLEAN
    DEFAULT FALSE NOT NULL, opener_visit INTEGER, originator_cache_guid TEXT,
    originator_visit_id INTEGER, is_known_to_sync BOOLEAN DEFAULT FALSE NOT NULL);
CREATE TABLE keyword_search_terms (keyword_id INTEGER NOT NULL, url_id INTEGER NOT NULL,
    term LONGVARCHAR NOT NULL, normalized_term LONGVARCHAR NOT NULL);
INSERT INTO meta VALUES ('version', '67'), ('last_compatible_version', '16');
"""

_WEBKIT_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _microseconds(when: WhenValue, epoch: datetime) -> int | str:
    if isinstance(when, str):
        return when
    return (when - epoch) // timedelta(microseconds=1)


def _add_firefox_visits(connection: sqlite3.Connection, visits: Sequence[Visit]) -> None:
    for url, title, when in visits:
        row = connection.execute("SELECT id FROM moz_places WHERE url = ?", (url,)).fetchone()
        if row is None:
            host = url.split("/")[2] if "://" in url else ""
            place_id = connection.execute(
                "INSERT INTO moz_places (url, title, rev_host, guid) VALUES (?, ?, ?, ?)",
                (url, title, host[::-1] + ".", hashlib.sha1(url.encode()).hexdigest()[:12]),
            ).lastrowid
        else:
            place_id = row[0]
        # visit_type 1 = TRANSITION_LINK
        connection.execute(
            "INSERT INTO moz_historyvisits (from_visit, place_id, visit_date, visit_type, session)"
            " VALUES (0, ?, ?, 1, 0)",
            (place_id, _microseconds(when, _UNIX_EPOCH)),
        )
        connection.execute(
            "UPDATE moz_places SET visit_count = visit_count + 1, last_visit_date = ? WHERE id = ?",
            (_microseconds(when, _UNIX_EPOCH), place_id),
        )


def _add_chrome_visits(connection: sqlite3.Connection, visits: Sequence[Visit]) -> None:
    for url, title, when in visits:
        time = _microseconds(when, _WEBKIT_EPOCH)
        row = connection.execute("SELECT id FROM urls WHERE url = ?", (url,)).fetchone()
        if row is None:
            # Chrome keeps an untitled page's title as '' rather than NULL.
            url_id = connection.execute(
                "INSERT INTO urls (url, title, last_visit_time) VALUES (?, ?, ?)",
                (url, title or "", time),
            ).lastrowid
        else:
            url_id = row[0]
        # transition 0x30000000 | 0 = a link, the start and end of a redirect chain
        connection.execute(
            "INSERT INTO visits (url, visit_time, from_visit, transition, segment_id)"
            " VALUES (?, ?, 0, 805306368, 0)",
            (url_id, time),
        )
        connection.execute(
            "UPDATE urls SET visit_count = visit_count + 1, last_visit_time = ? WHERE id = ?",
            (time, url_id),
        )


def _write_sqlite(
    path: Path,
    schema: str,
    add: Callable[[sqlite3.Connection, Sequence[Visit]], None],
    visits: Sequence[Visit],
    wal_visits: Sequence[Visit],
) -> Path:
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        staged = Path(staging) / path.name
        with contextlib.closing(sqlite3.connect(staged)) as connection:
            connection.executescript(schema)
            add(connection, visits)
            connection.commit()
            if wal_visits:
                # A running browser keeps recent visits in the -wal sidecar. Closing the last
                # connection would checkpoint them into the main file, so copy before closing.
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA wal_autocheckpoint = 0")
                add(connection, wal_visits)
                connection.commit()
                shutil.copyfile(staged, path)
                shutil.copyfile(f"{staged}-wal", f"{path}-wal")
        if not wal_visits:
            shutil.copyfile(staged, path)
    return path


def write_firefox_places(
    path: Path, visits: Sequence[Visit] = DEFAULT_VISITS, *, wal_visits: Sequence[Visit] = ()
) -> Path:
    """A Firefox `places.sqlite`; `wal_visits` are left in a `places.sqlite-wal` sidecar."""
    return _write_sqlite(path, _FIREFOX_SCHEMA, _add_firefox_visits, visits, wal_visits)


def write_chrome_history(
    path: Path, visits: Sequence[Visit] = DEFAULT_VISITS, *, wal_visits: Sequence[Visit] = ()
) -> Path:
    """A Chrome/Chromium `History` database (times in microseconds since 1601)."""
    return _write_sqlite(path, _CHROME_SCHEMA, _add_chrome_visits, visits, wal_visits)


def write_not_sqlite(path: Path) -> Path:
    """A file with a database's name that is not a database (e.g. a half-synced download)."""
    path.write_bytes(b"This is not an SQLite database.\n" * 40)
    return path


def write_sqlite_without_history(path: Path) -> Path:
    """A valid SQLite file with none of a browser's history tables (e.g. cookies.sqlite)."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO moz_cookies (name) VALUES ('session')")
        connection.commit()
    return path


# --- Spotify -------------------------------------------------------------------------------


class Play(NamedTuple):
    artist: str
    track: str | None  # None: a podcast episode; `artist` is then the show
    end: WhenValue
    ms_played: int


DEFAULT_PLAYS: tuple[Play, ...] = (
    Play("Radiohead", "Weird Fishes/Arpeggi", utc(2023, 1, 5, 13, 22), 318_000),
    Play("Daft Punk", "Harder, Better, Faster, Stronger", utc(2023, 1, 5, 13, 26), 224_000),
    Play("Billie Eilish", "bad guy", utc(2023, 1, 5, 13, 27), 4_000),
    Play("The Daily", None, utc(2023, 1, 6, 7, 45), 1_520_000),
    Play("Fleetwood Mac", "Dreams", utc(2023, 1, 6, 18, 2), 90_000),
    Play("Nina Simone", "Feeling Good", utc(2023, 1, 7, 21, 10), 177_000),
)


def spotify_uri(artist: str, track: str) -> str:
    """A stable fake track URI (22 characters like Spotify's base-62 ids)."""
    return "spotify:track:" + hashlib.sha256(f"{artist}/{track}".encode()).hexdigest()[:22]


def spotify_records(
    plays: Sequence[Play] = DEFAULT_PLAYS, *, extended: bool = False
) -> list[dict[str, object]]:
    """The JSON records of `plays`: account-data (StreamingHistory) or extended layout."""
    records: list[dict[str, object]] = []
    for artist, track, end, ms_played in plays:
        if not extended:
            when = end if isinstance(end, str) else end.strftime("%Y-%m-%d %H:%M")
            if track is None:
                names: dict[str, object] = {"podcastName": artist, "episodeName": "Episode 1"}
            else:
                names = {"artistName": artist, "trackName": track}
            records.append({"endTime": when, **names, "msPlayed": ms_played})
            continue
        ts = end if isinstance(end, str) else end.strftime("%Y-%m-%dT%H:%M:%SZ")
        music = track is not None
        records.append(
            {
                "ts": ts,
                "platform": "android",
                "ms_played": ms_played,
                "conn_country": "GB",
                "ip_addr": "192.0.2.10",
                "master_metadata_track_name": track,
                "master_metadata_album_artist_name": artist if music else None,
                "master_metadata_album_album_name": "Greatest Hits" if music else None,
                "spotify_track_uri": spotify_uri(artist, track) if track is not None else None,
                "episode_name": None if music else "Episode 1",
                "episode_show_name": None if music else artist,
                "spotify_episode_uri": None if music else "spotify:episode:4rOoJ6Egrf8K2IrywzwOMk",
                "audiobook_title": None,
                "reason_start": "trackdone",
                "reason_end": "trackdone" if ms_played > 30_000 else "fwdbtn",
                "shuffle": False,
                "skipped": ms_played <= 30_000,
                "offline": False,
                "offline_timestamp": None,
                "incognito_mode": False,
            }
        )
    return records


def write_spotify_history(
    path: Path, plays: Sequence[Play] = DEFAULT_PLAYS, *, extended: bool = False
) -> Path:
    """`StreamingHistory_music_0.json` or, `extended`, `Streaming_History_Audio_2023.json`."""
    return write_json(path, spotify_records(plays, extended=extended))


# --- Last.fm -------------------------------------------------------------------------------


class Scrobble(NamedTuple):
    artist: str
    album: str
    track: str
    time: WhenValue | None  # None: "now playing" when the export ran
    track_mbid: str = ""


DEFAULT_SCROBBLES: tuple[Scrobble, ...] = (
    Scrobble("Nina Simone", "Silk & Soul", "Feeling Good", None),
    Scrobble(
        "Portishead",
        "Dummy",
        "Glory Box",
        utc(2021, 1, 31, 14, 3),
        "b6a3d8f2-2b4f-4bc5-9f4e-1b6c0e1f7a11",
    ),
    Scrobble("Massive Attack", "Mezzanine", "Teardrop", utc(2021, 1, 31, 13, 58)),
    Scrobble("Björk", "Homogenic", "Jóga", utc(2021, 1, 30, 22, 41)),
    Scrobble("Radiohead", "OK Computer", "Paranoid Android", utc(2021, 1, 30, 22, 35)),
)

LASTFM_HEADER = (
    "uts",
    "utc_time",
    "artist",
    "artist_mbid",
    "album",
    "album_mbid",
    "track",
    "track_mbid",
)


def write_lastfm_csv(
    path: Path, scrobbles: Sequence[Scrobble] = DEFAULT_SCROBBLES, *, header: bool = True
) -> Path:
    """Scrobbles, newest first: under the `uts,...` header, or as artist,album,track,date."""
    rows: list[Sequence[str]] = [LASTFM_HEADER] if header else []
    for artist, album, track, time, mbid in scrobbles:
        if time is None:
            stamp = text = ""
        elif isinstance(time, str):
            stamp = text = time
        else:
            stamp, text = str(int(time.timestamp())), time.strftime("%d %b %Y, %H:%M")
        if header:
            rows.append((stamp, text, artist, "", album, "", track, mbid))
        else:
            rows.append((artist, album, track, text.replace(",", "") if time else ""))
    return write_csv(path, rows)


# --- orders --------------------------------------------------------------------------------


class RetailRow(NamedTuple):
    invoice: str
    stock_code: str
    description: str
    quantity: int | str
    time: WhenValue
    unit_price: str
    customer_id: str = "17850"
    country: str = "United Kingdom"


ONLINE_RETAIL_HEADER = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)

# Customer 17850's first invoices in the UCI data set, plus a cancellation and a bad line.
DEFAULT_RETAIL_ROWS: tuple[RetailRow, ...] = (
    RetailRow(
        "536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, utc(2010, 12, 1, 8, 26), "2.55"
    ),
    RetailRow("536365", "71053", "WHITE METAL LANTERN", 6, utc(2010, 12, 1, 8, 26), "3.39"),
    RetailRow(
        "536365", "84406B", "CREAM CUPID HEARTS COAT HANGER", 8, utc(2010, 12, 1, 8, 26), "2.75"
    ),
    RetailRow(
        "536365", "22752", "SET 7 BABUSHKA NESTING BOXES", 2, utc(2010, 12, 1, 8, 26), "7.65"
    ),
    RetailRow("536366", "22633", "HAND WARMER UNION JACK", 6, utc(2010, 12, 1, 8, 28), "1.85"),
    RetailRow("C536625", "22633", "HAND WARMER UNION JACK", -6, utc(2010, 12, 2, 10, 32), "1.85"),
    RetailRow(
        "536373", "21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 1, utc(2010, 12, 1, 9, 2), "4.25"
    ),
    RetailRow("536379", "22139", "", 0, utc(2010, 12, 1, 9, 41), "0"),
)


def _retail_time(time: WhenValue) -> str:
    if isinstance(time, str):
        return time
    return f"{time.month}/{time.day}/{time.year} {time.hour}:{time.minute:02d}"


def write_online_retail_csv(
    path: Path,
    rows: Sequence[RetailRow] = DEFAULT_RETAIL_ROWS,
    *,
    drop_columns: Collection[str] = (),
) -> Path:
    """A UCI Online Retail CSV (InvoiceDate like "12/1/2010 8:26", local shop time)."""
    records = [
        {
            "InvoiceNo": r.invoice,
            "StockCode": r.stock_code,
            "Description": r.description,
            "Quantity": str(r.quantity),
            "InvoiceDate": _retail_time(r.time),
            "UnitPrice": r.unit_price,
            "CustomerID": r.customer_id,
            "Country": r.country,
        }
        for r in rows
    ]
    return write_csv_records(path, ONLINE_RETAIL_HEADER, records, drop_columns)


class AmazonOrder(NamedTuple):
    order_id: str
    time: WhenValue
    asin: str
    product_name: str
    quantity: int | str = 1
    unit_price: str = "9.99"
    status: str = "Closed"


AMAZON_HEADER = (
    "Website",
    "Order ID",
    "Order Date",
    "Purchase Order Number",
    "Currency",
    "Unit Price",
    "Unit Price Tax",
    "Shipping Charge",
    "Total Discounts",
    "Total Owed",
    "Shipment Item Subtotal",
    "Shipment Item Subtotal Tax",
    "ASIN",
    "Product Condition",
    "Quantity",
    "Payment Instrument Type",
    "Order Status",
    "Shipment Status",
    "Ship Date",
    "Shipping Option",
    "Shipping Address",
    "Billing Address",
    "Carrier Name & Tracking Number",
    "Product Name",
    "Gift Message",
    "Gift Sender Name",
    "Gift Recipient Contact Details",
    "Item Serial Number",
)

DEFAULT_AMAZON_ORDERS: tuple[AmazonOrder, ...] = (
    AmazonOrder(
        "204-1234567-1234567",
        utc(2023, 4, 5, 17, 21, 9),
        "0547928211",
        "The Hobbit: Or There and Back Again (Paperback)",
        1,
        "8.99",
    ),
    AmazonOrder(
        "204-2345678-2345678",
        utc(2023, 5, 12, 8, 2, 44),
        "B08N5WRWNW",
        "Echo Dot (4th generation) | Smart speaker with Alexa | Charcoal",
        1,
        "54.99",
    ),
    AmazonOrder(
        "204-3456789-3456789",
        utc(2023, 6, 1, 19, 45),
        "B07PGL2ZSL",
        "AmazonBasics AA Rechargeable Batteries, 2000 mAh, Pack of 8",
        2,
        "15.49",
    ),
    AmazonOrder(
        "204-4567890-4567890",
        utc(2023, 6, 3, 11, 0, 1),
        "B0BSHF7WHW",
        "Apple AirPods Pro (2nd generation)",
        1,
        "229.00",
        "Cancelled",
    ),
    AmazonOrder(
        "204-5678901-5678901",
        utc(2023, 7, 19, 21, 30, 55),
        "0441172717",
        "Dune (Mass Market Paperback)",
        1,
        "9.99",
    ),
)


def write_amazon_orders_csv(
    path: Path,
    orders: Sequence[AmazonOrder] = DEFAULT_AMAZON_ORDERS,
    *,
    drop_columns: Collection[str] = (),
) -> Path:
    """Amazon's "Request my data" `Retail.OrderHistory.1.csv` (with its byte-order mark)."""
    records = []
    for o in orders:
        when = o.time if isinstance(o.time, str) else o.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        record = dict.fromkeys(AMAZON_HEADER, "Not Available")
        record.update(
            {
                "Website": "Amazon.co.uk",
                "Order ID": o.order_id,
                "Order Date": when,
                "Currency": "GBP",
                "Unit Price": o.unit_price,
                "Unit Price Tax": "0",
                "Shipping Charge": "0",
                "Total Discounts": "0",
                "Total Owed": o.unit_price,
                "ASIN": o.asin,
                "Product Condition": "New",
                "Quantity": str(o.quantity),
                "Payment Instrument Type": "Visa - 1234",
                "Order Status": o.status,
                "Shipment Status": "Shipped" if o.status == "Closed" else "Not Available",
                "Ship Date": when,
                "Shipping Option": "std-uk-dom",
                "Shipping Address": "A. User 1 High Street London W1A 1AA United Kingdom",
                "Billing Address": "A. User 1 High Street London W1A 1AA United Kingdom",
                "Carrier Name & Tracking Number": "AMZN_GB(QA1234567890)",
                "Product Name": o.product_name,
            }
        )
        records.append(record)
    return write_csv_records(path, AMAZON_HEADER, records, drop_columns, bom=True)


# --- Goodreads -----------------------------------------------------------------------------


class Book(NamedTuple):
    book_id: str
    title: str
    author: str
    rating: int | str = 0
    shelf: str = "read"
    date_read: WhenValue | None = None
    date_added: WhenValue = utc(2019, 6, 1)
    isbn13: str = ""


GOODREADS_HEADER = (
    "Book Id",
    "Title",
    "Author",
    "Author l-f",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Average Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Bookshelves with positions",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
)

# Titles as in the bundled goodbooks catalog, so a demo matches them by title.
DEFAULT_BOOKS: tuple[Book, ...] = (
    Book(
        "5907",
        "The Hobbit",
        "J.R.R. Tolkien",
        5,
        "read",
        utc(2021, 3, 14),
        utc(2021, 2, 1),
        "9780618260300",
    ),
    Book(
        "234225",
        "Dune (Dune Chronicles #1)",
        "Frank Herbert",
        4,
        "read",
        utc(2021, 8, 2),
        utc(2021, 7, 1),
        "9780441172719",
    ),
    Book(
        "1885",
        "Pride and Prejudice",
        "Jane Austen",
        3,
        "read",
        utc(2020, 11, 20),
        utc(2020, 10, 3),
        "9780679783268",
    ),
    Book(
        "5129",
        "Brave New World",
        "Aldous Huxley",
        0,
        "read",
        None,
        utc(2019, 5, 6),
        "9780060929879",
    ),
    Book(
        "186074",
        "The Name of the Wind (The Kingkiller Chronicle, #1)",
        "Patrick Rothfuss",
        0,
        "currently-reading",
        None,
        utc(2024, 1, 9),
        "9780756404741",
    ),
    Book(
        "18423",
        "The Left Hand of Darkness",
        "Ursula K. Le Guin",
        0,
        "to-read",
        None,
        utc(2023, 12, 24),
        "9780441478125",
    ),
    Book(
        "5470",
        "1984",
        "George Orwell",
        2,
        "read",
        utc(2018, 7, 30),
        utc(2018, 7, 1),
        "9780451524935",
    ),
)


def _slash_date(when: WhenValue | None) -> str:
    if when is None or isinstance(when, str):
        return when or ""
    return when.strftime("%Y/%m/%d")


def write_goodreads_csv(
    path: Path, books: Sequence[Book] = DEFAULT_BOOKS, *, drop_columns: Collection[str] = ()
) -> Path:
    """A Goodreads `goodreads_library_export.csv` (dates like "2021/03/14")."""
    records = []
    for b in books:
        last, _, first = b.author.rpartition(" ")
        records.append(
            {
                "Book Id": b.book_id,
                "Title": b.title,
                "Author": b.author,
                "Author l-f": f"{first}, {last}" if last else first,
                "Additional Authors": "",
                # Goodreads quotes ISBNs as spreadsheet formulas so leading zeros survive.
                "ISBN": f'="{b.isbn13[3:]}"' if b.isbn13 else '=""',
                "ISBN13": f'="{b.isbn13}"' if b.isbn13 else '=""',
                "My Rating": str(b.rating),
                "Average Rating": "4.12",
                "Publisher": "Penguin Books",
                "Binding": "Paperback",
                "Number of Pages": "320",
                "Year Published": "2005",
                "Original Publication Year": "1965",
                "Date Read": _slash_date(b.date_read),
                "Date Added": _slash_date(b.date_added),
                "Bookshelves": "" if b.shelf == "read" else b.shelf,
                "Bookshelves with positions": "" if b.shelf == "read" else f"{b.shelf} (#1)",
                "Exclusive Shelf": b.shelf,
                "My Review": "",
                "Spoiler": "",
                "Private Notes": "",
                "Read Count": "1" if b.shelf == "read" else "0",
                "Owned Copies": "0",
            }
        )
    return write_csv_records(path, GOODREADS_HEADER, records, drop_columns)


# --- Google Takeout ------------------------------------------------------------------------


class PlaceVisit(NamedTuple):
    name: str | None
    address: str
    place_id: str
    start: WhenValue
    semantic_type: str | None = None  # e.g. "TYPE_HOME"


DEFAULT_PLACE_VISITS: tuple[PlaceVisit, ...] = (
    PlaceVisit(
        None,
        "1 High Street, London W1A 1AA, UK",
        "ChIJ8TCVXhcbdkgR3PfwIcNV0ZE",
        utc(2023, 1, 7, 7, 0),
        "TYPE_HOME",
    ),
    PlaceVisit(
        "British Museum",
        "Great Russell St, London WC1B 3DG, UK",
        "ChIJB9OTMDIbdkgRp0JWbQGZsS8",
        utc(2023, 1, 7, 10, 15, 30),
    ),
    PlaceVisit(
        "Dishoom Covent Garden",
        "12 Upper St Martin's Ln, London WC2H 9FB, UK",
        "ChIJ9QWMd84EdkgRyUwoWvDyq5o",
        utc(2023, 1, 7, 13, 5),
    ),
    PlaceVisit(None, "", "ChIJ0000000000000000000000", utc(2023, 1, 7, 16, 0)),
    PlaceVisit(
        None, "Kew, Richmond TW9 3AE, UK", "ChIJbyVhjVoOdkgRXqPaWaTt-Ew", utc(2023, 1, 8, 11, 20)
    ),
)


def write_takeout_semantic(
    path: Path,
    visits: Sequence[PlaceVisit] = DEFAULT_PLACE_VISITS,
    *,
    milliseconds: bool = False,
) -> Path:
    """A Semantic Location History month (`2023_JANUARY.json`); a walk follows each visit.

    `milliseconds` writes the older `startTimestampMs` instead of ISO `startTimestamp`.
    """
    objects: list[dict[str, object]] = []
    for visit in visits:
        location: dict[str, object] = {
            "latitudeE7": 515194000,
            "longitudeE7": -1269000,
            "placeId": visit.place_id,
            "locationConfidence": 91.5,
        }
        if visit.address:
            location["address"] = visit.address
        if visit.name:
            location["name"] = visit.name
        if visit.semantic_type:
            location["semanticType"] = visit.semantic_type
        if isinstance(visit.start, str):
            start: object = visit.start
            end: object = visit.start
        elif milliseconds:
            start = str(int(visit.start.timestamp() * 1000))
            end = str(int((visit.start + timedelta(hours=1)).timestamp() * 1000))
        else:
            start = visit.start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            end = (visit.start + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
        stamp = "Timestamp" + ("Ms" if milliseconds else "")
        objects.append(
            {
                "placeVisit": {
                    "location": location,
                    "duration": {f"start{stamp}": start, f"end{stamp}": end},
                    "placeConfidence": "HIGH_CONFIDENCE",
                    "visitConfidence": 95,
                }
            }
        )
        objects.append(
            {
                "activitySegment": {
                    "startLocation": {"latitudeE7": 515194000, "longitudeE7": -1269000},
                    "endLocation": {"latitudeE7": 515117000, "longitudeE7": -1240000},
                    "duration": {f"start{stamp}": end, f"end{stamp}": end},
                    "distance": 1200,
                    "activityType": "WALKING",
                    "confidence": "HIGH",
                }
            }
        )
    return write_json(path, {"timelineObjects": objects})


class TimelineVisit(NamedTuple):
    semantic_type: str
    place_id: str
    start: WhenValue


DEFAULT_TIMELINE_VISITS: tuple[TimelineVisit, ...] = (
    TimelineVisit("HOME", "ChIJ8TCVXhcbdkgR3PfwIcNV0ZE", utc(2024, 1, 5, 8, 0)),
    TimelineVisit("WORK", "ChIJ2dGMjMMEdkgRqVqkuXQkj7c", utc(2024, 1, 5, 9, 0)),
    TimelineVisit("UNKNOWN", "ChIJ9QWMd84EdkgRyUwoWvDyq5o", utc(2024, 1, 5, 12, 30)),
    TimelineVisit("SEARCHED_ADDRESS", "ChIJB9OTMDIbdkgRp0JWbQGZsS8", utc(2024, 1, 6, 14, 0)),
)

_CET = timezone(timedelta(hours=1))


def write_takeout_timeline(
    path: Path, visits: Sequence[TimelineVisit] = DEFAULT_TIMELINE_VISITS
) -> Path:
    """The Maps app's on-device `Timeline.json` (local times with offsets, +01:00 here)."""
    segments: list[dict[str, object]] = []
    for visit in visits:
        if isinstance(visit.start, str):
            start = end = visit.start
        else:
            start = visit.start.astimezone(_CET).isoformat(timespec="milliseconds")
            end = (visit.start + timedelta(minutes=45)).astimezone(_CET).isoformat()
        segments.append(
            {
                "startTime": start,
                "endTime": end,
                "startTimeTimezoneUtcOffsetMinutes": 60,
                "endTimeTimezoneUtcOffsetMinutes": 60,
                "visit": {
                    "hierarchyLevel": 0,
                    "probability": 0.87,
                    "topCandidate": {
                        "placeId": visit.place_id,
                        "semanticType": visit.semantic_type,
                        "probability": 0.71,
                        "placeLocation": {"latLng": "51.5194°, -0.1269°"},
                    },
                },
            }
        )
        segments.append(
            {
                "startTime": end,
                "endTime": end,
                "activity": {
                    "start": {"latLng": "51.5194°, -0.1269°"},
                    "end": {"latLng": "51.5117°, -0.1240°"},
                    "distanceMeters": 950.0,
                    "topCandidate": {"type": "WALKING", "probability": 0.9},
                },
            }
        )
    segments.append(
        {
            "startTime": "2024-01-06T15:00:00.000+01:00",
            "endTime": "2024-01-06T17:00:00.000+01:00",
            "timelinePath": [
                {"point": "51.5117°, -0.1240°", "time": "2024-01-06T15:03:00.000+01:00"}
            ],
        }
    )
    return write_json(
        path, {"semanticSegments": segments, "rawSignals": [], "userLocationProfile": {}}
    )


def write_takeout_records(path: Path) -> Path:
    """Takeout's raw `Records.json`: coordinates only, which the importer must refuse."""
    return write_json(
        path,
        {
            "locations": [
                {
                    "latitudeE7": 515194000,
                    "longitudeE7": -1269000,
                    "accuracy": 14,
                    "source": "WIFI",
                    "timestamp": "2023-01-07T10:15:30.123Z",
                }
            ]
        },
    )


# --- the UI test's folder of exports (ui_driver.py's imports scenario) -------------------------

EXPORT_FILES = (
    "StreamingHistory_music_0.json",
    "scrobbles.csv",
    "Online Retail.csv",
    "Retail.OrderHistory.1.csv",
    "goodreads_library_export.csv",
    "2023_JANUARY.json",
)
PARTLY_BAD = "library-with-typos.csv"
UNKNOWN_FILE = "notes.txt"


# --- generic writers and breakers ----------------------------------------------------------


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def write_csv_records(
    path: Path,
    header: Sequence[str],
    records: Sequence[dict[str, str]],
    drop_columns: Collection[str] = (),
    *,
    bom: bool = False,
) -> Path:
    """`records` under `header`, less `drop_columns` (to build a file missing a column)."""
    columns = [name for name in header if name not in drop_columns]
    rows = [columns, *([record[name] for name in columns] for record in records)]
    return write_csv(path, rows, bom=bom)


def truncate_file(path: Path, keep_fraction: float = 0.5) -> Path:
    """Cut the file short, like an interrupted download."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep_fraction)])
    return path
