"""Activity importers: turn a browser, music, shop, reading or location export file into
validated `ActivityEvent`s, all or nothing. `IMPORTERS` lists them in display order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from client_app.importers.base import (
    Importer,
    ImportFailed,
    ParsedImport,
    ProgressCallback,
)
from client_app.importers.books import parse_goodreads
from client_app.importers.browsers import parse_chrome, parse_firefox
from client_app.importers.music import parse_lastfm, parse_spotify
from client_app.importers.places import parse_google_takeout
from client_app.importers.purchases import (
    AMAZON_COLUMNS,
    ONLINE_RETAIL_COLUMNS,
    OrderColumns,
    parse_amazon_orders,
    parse_online_retail,
    parse_orders_csv,
)
from recommenders.activity import Category

__all__ = [
    "AMAZON_COLUMNS",
    "IMPORTERS",
    "ONLINE_RETAIL_COLUMNS",
    "ImportFailed",
    "Importer",
    "OrderColumns",
    "ParsedImport",
    "ProgressCallback",
    "get_importer",
    "parse_amazon_orders",
    "parse_chrome",
    "parse_firefox",
    "parse_goodreads",
    "parse_google_takeout",
    "parse_lastfm",
    "parse_online_retail",
    "parse_orders_csv",
    "parse_spotify",
]

IMPORTERS: Mapping[str, Importer] = MappingProxyType(
    {
        importer.key: importer
        for importer in (
            Importer(
                "firefox",
                "Firefox history (places.sqlite)",
                Category.WEB,
                ("places.sqlite", "*.sqlite"),
                parse_firefox,
            ),
            Importer(
                "chrome",
                "Chrome, Chromium, Edge or Brave history (History)",
                Category.WEB,
                ("History",),
                parse_chrome,
            ),
            Importer(
                "spotify",
                "Spotify streaming history (StreamingHistory*.json, Streaming_History_*.json)",
                Category.MUSIC,
                ("StreamingHistory*.json", "Streaming_History_Audio_*.json", "endsong_*.json"),
                parse_spotify,
            ),
            Importer(
                "lastfm",
                "Last.fm scrobbles (CSV)",
                Category.MUSIC,
                ("*.csv",),
                parse_lastfm,
            ),
            Importer(
                "orders-online-retail",
                "Online Retail orders (CSV)",
                Category.PURCHASES,
                ("*.csv",),
                parse_online_retail,
            ),
            Importer(
                "orders-amazon",
                "Amazon order history (Retail.OrderHistory.1.csv)",
                Category.PURCHASES,
                ("Retail.OrderHistory.*.csv", "*.csv"),
                parse_amazon_orders,
            ),
            Importer(
                "goodreads",
                "Goodreads library (goodreads_library_export.csv)",
                Category.BOOKS,
                ("goodreads_library_export*.csv", "*.csv"),
                parse_goodreads,
            ),
            Importer(
                "google-takeout",
                "Google Maps Timeline (Semantic Location History month, Timeline.json)",
                Category.PLACES,
                ("[0-9][0-9][0-9][0-9]_*.json", "Timeline*.json", "*.json"),
                parse_google_takeout,
            ),
        )
    }
)


def get_importer(key: str) -> Importer:
    """The importer called `key`; an unknown key is a ValueError listing the known ones."""
    try:
        return IMPORTERS[key]
    except KeyError:
        known = ", ".join(IMPORTERS)
        raise ValueError(f"unknown importer {key!r}; known importers: {known}") from None
