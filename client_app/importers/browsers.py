"""Browser history importers: Firefox `places.sqlite` and Chrome/Chromium/Edge `History`.

Both are read from a private read-only copy; every titled http(s) visit becomes one web event.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from client_app.importers.base import (
    NOT_A_WEB_PAGE,
    UNIX_EPOCH,
    EventSink,
    ImportFailed,
    ParsedImport,
    ProgressCallback,
    sqlite_copy,
    sqlite_tables,
    time_since,
)
from recommenders.activity import Category

# Chrome counts time like Windows FILETIME, from the start of the Gregorian 400-year cycle.
WEBKIT_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_WEB_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class _BrowserSchema:
    key: str
    browser: str
    tables: frozenset[str]
    count_sql: str
    # Each row: visit id, url, title, visit time.
    visits_sql: str
    time_column: str
    epoch: datetime


_FIREFOX = _BrowserSchema(
    key="firefox",
    browser="Firefox",
    tables=frozenset({"moz_places", "moz_historyvisits"}),
    count_sql="SELECT COUNT(*) FROM moz_historyvisits",
    visits_sql=(
        "SELECT v.id, p.url, p.title, v.visit_date FROM moz_historyvisits AS v"
        " JOIN moz_places AS p ON p.id = v.place_id ORDER BY v.visit_date, v.id"
    ),
    time_column="visit_date",
    epoch=UNIX_EPOCH,
)

_CHROME = _BrowserSchema(
    key="chrome",
    browser="Chrome",
    tables=frozenset({"urls", "visits"}),
    count_sql="SELECT COUNT(*) FROM visits",
    visits_sql=(
        "SELECT v.id, u.url, u.title, v.visit_time FROM visits AS v"
        " JOIN urls AS u ON u.id = v.url ORDER BY v.visit_time, v.id"
    ),
    time_column="visit_time",
    epoch=WEBKIT_EPOCH,
)


def parse_firefox(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Firefox profile's `places.sqlite`."""
    return _parse_history(path, _FIREFOX, progress, valid_rows_only)


def parse_chrome(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Chrome, Chromium, Edge or Brave profile's `History` file."""
    return _parse_history(path, _CHROME, progress, valid_rows_only)


def _parse_history(
    path: Path,
    schema: _BrowserSchema,
    progress: ProgressCallback | None,
    valid_rows_only: bool,
) -> ParsedImport:
    name = path.name
    with sqlite_copy(path) as connection:
        missing = schema.tables - sqlite_tables(connection, name)
        if missing:
            raise ImportFailed(
                name,
                f"not a {schema.browser} history database (no {', '.join(sorted(missing))} table)",
            )
        try:
            (total,) = connection.execute(schema.count_sql).fetchone()
            sink = EventSink(
                importer=schema.key,
                file_name=name,
                category=Category.WEB,
                source=schema.key,
                total=int(total),
                progress=progress,
                valid_rows_only=valid_rows_only,
            )
            for done, (visit_id, url, title, visit_time) in enumerate(
                connection.execute(schema.visits_sql), start=1
            ):
                with sink.at(f"row {visit_id}"):
                    _add_visit(sink, schema, url, title, visit_time)
                sink.advance(done)
        except sqlite3.Error as error:
            # Typically a copy taken while the browser was writing: closing it helps.
            raise ImportFailed(
                name,
                f"cannot read the history ({error}); close {schema.browser} and try again",
            ) from error
    return sink.result()


def _add_visit(
    sink: EventSink, schema: _BrowserSchema, url: object, title: object, visit_time: object
) -> None:
    if not isinstance(url, str):
        raise ValueError(f"url is not text: {url!r}")
    if title is not None and not isinstance(title, str):
        raise ValueError(f"title is not text: {title!r}")
    time = time_since(schema.epoch, visit_time, timedelta(microseconds=1), what=schema.time_column)
    # about:, file:, chrome://, data: ... are the browser's own or local pages, not interests.
    if not url.lower().startswith(_WEB_SCHEMES):
        sink.skip(NOT_A_WEB_PAGE)
        return
    sink.add(title, url, time)
