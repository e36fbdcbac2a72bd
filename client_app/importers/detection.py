"""What kind of export a file is, from its content: a bounded prefix of a text file, or the
tables of an SQLite database opened read-only. The name only breaks a tie (an empty list)."""

from __future__ import annotations

import contextlib
import csv
import fnmatch
import io
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from client_app.importers.base import ImportFailed, parse_time
from client_app.importers.books import REQUIRED_COLUMNS as GOODREADS_COLUMNS
from client_app.importers.music import LASTFM_TIME_FORMATS, lastfm_layout
from client_app.importers.purchases import AMAZON_COLUMNS, ONLINE_RETAIL_COLUMNS

# However large the file, detection reads at most this much of it.
PREFIX_BYTES = 64 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"

_BINARY_KINDS = (
    (b"PK\x03\x04", "a ZIP archive (unpack it first, then pick the export file inside)"),
    (b"\x1f\x8b", "a gzip archive (unpack it first, then pick the export file inside)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "a program"),
)

_SQLITE_KINDS = (
    (frozenset({"moz_places", "moz_historyvisits"}), "firefox", "a Firefox history"),
    (frozenset({"urls", "visits"}), "chrome", "a Chrome or Chromium history"),
)

# A CSV table is of a kind when its header names every column that kind's importer needs.
_CSV_KINDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("goodreads", GOODREADS_COLUMNS, "a Goodreads library export"),
    ("orders-amazon", AMAZON_COLUMNS.required, "an Amazon order history"),
    ("orders-online-retail", ONLINE_RETAIL_COLUMNS.required, "an Online Retail order list"),
)

_JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"\s*:')
_SPOTIFY_NAMES = ("StreamingHistory*.json", "Streaming_History_*.json", "endsong_*.json")


@dataclass(frozen=True)
class Sniffed:
    """A file's kind (an importer key, None if no importer reads it) and what it is in words;
    `near_miss`: almost a known kind, and the description says what it lacks."""

    key: str | None
    description: str
    near_miss: bool = False


def sniff(path: Path) -> Sniffed:
    """What the file at `path` is; `ImportFailed` if it cannot be read at all."""
    try:
        if not path.is_file():
            raise ImportFailed(path.name, "not a file (missing, or a folder)")
        with path.open("rb") as file:
            head = file.read(PREFIX_BYTES)
    except OSError as error:
        raise ImportFailed(path.name, f"cannot read the file ({error.strerror})") from error
    if not head.strip():
        return Sniffed(None, "an empty file")
    if head.startswith(SQLITE_MAGIC):
        return _sniff_sqlite(path)
    for magic, description in _BINARY_KINDS:
        if head.startswith(magic):
            return Sniffed(None, description)
    text = _prefix_text(head, cut=len(head) == PREFIX_BYTES)
    if text is None:
        return Sniffed(None, "a binary file (neither text nor an SQLite database)")
    text = text.lstrip()
    if text.startswith(("[", "{")):
        return _sniff_json(path.name, text)
    return _sniff_csv(text)


def _prefix_text(head: bytes, *, cut: bool) -> str | None:
    """The prefix as text (a character cut in two at its end is dropped); None if binary."""
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if cut and error.start >= len(head) - 3:
            return head[: error.start].decode("utf-8-sig")
        return None


def _sniff_sqlite(path: Path) -> Sniffed:
    # immutable: no lock is taken and no -wal/-shm file created beside a browser's database.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {str(name) for (name,) in rows}
    except sqlite3.Error:
        return Sniffed(None, "a damaged SQLite database")
    for needed, key, description in _SQLITE_KINDS:
        if needed <= tables:
            return Sniffed(key, description)
    if any(table.startswith("moz_") for table in tables):
        return Sniffed(
            None, "a Firefox database other than its history (pick places.sqlite beside it)"
        )
    shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
    return Sniffed(None, f"an SQLite database of another kind (tables: {shown or 'none'})")


def _sniff_json(name: str, text: str) -> Sniffed:
    keys = set(_JSON_KEY.findall(text))
    if text.startswith("["):
        if {"endTime", "msPlayed"} <= keys or {"ts", "ms_played"} <= keys:
            return Sniffed("spotify", "a Spotify streaming history")
        if re.fullmatch(r"\[\s*\]\s*", text):
            # Nothing inside to go by: a Spotify name says what it was meant to be.
            if any(fnmatch.fnmatch(name, pattern) for pattern in _SPOTIFY_NAMES):
                return Sniffed("spotify", "an empty Spotify streaming history")
            return Sniffed(None, "an empty JSON list")
    elif "timelineObjects" in keys or "semanticSegments" in keys:
        return Sniffed("google-takeout", "a Google Maps Timeline")
    elif "latitudeE7" in keys:
        return Sniffed(
            None,
            "Google's raw location Records.json (coordinates without places: export Semantic"
            " Location History, or Timeline.json from the Maps app, instead)",
        )
    return Sniffed(None, f"a JSON file of another kind{_fields_text(sorted(keys))}")


def _sniff_csv(text: str) -> Sniffed:
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith("\n"):
        lines.pop()  # the prefix may end in the middle of a row
    try:
        first = next((row for row in csv.reader(io.StringIO("\n".join(lines))) if any(row)), [])
    except csv.Error:
        first = []
    header = {cell.strip() for cell in first}
    for key, needed, description in _CSV_KINDS:
        if header.issuperset(needed):
            return Sniffed(key, description)
    if _is_lastfm(first):
        return Sniffed("lastfm", "a Last.fm scrobble list")
    if len(first) < 2:
        return Sniffed(None, "a text file that is not a table (CSV) privrec knows")
    near = _near_miss(header)
    if near is not None:
        return Sniffed(None, near, near_miss=True)
    return Sniffed(None, f"a CSV table of another kind{_fields_text(first)}")


def _is_lastfm(first: list[str]) -> bool:
    try:
        layout = lastfm_layout(first)
        if not layout.header and first[layout.time].strip():
            parse_time(first[layout.time], LASTFM_TIME_FORMATS)
    except ValueError:
        return False
    return True


def _near_miss(header: set[str]) -> str | None:
    """A CSV that has at least half of a known kind's columns: which kind, and what it lacks."""
    _key, needed, description = max(_CSV_KINDS, key=lambda kind: len(header.intersection(kind[1])))
    if len(header.intersection(needed)) * 2 < len(needed):
        return None
    missing = ", ".join(name for name in needed if name not in header)
    return f"{description}, but without the column(s) {missing}"


def _fields_text(names: list[str]) -> str:
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return ""
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return f" (with {shown})"
