"""Activity importers: turn a browser, music, shop, reading or location export file into
validated `ActivityEvent`s, all or nothing (or, by choice, its valid rows). `IMPORTERS` lists
them in display order; `detect` says which one reads a file, from its content."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from client_app.importers.base import (
    Importer,
    ImportFailed,
    ParsedImport,
    ProgressCallback,
)
from client_app.importers.books import parse_goodreads
from client_app.importers.browsers import parse_chrome, parse_firefox
from client_app.importers.detection import sniff
from client_app.importers.music import parse_lastfm, parse_spotify
from client_app.importers.places import parse_google_takeout
from client_app.importers.profiles import BrowserProfile, find_browser_profiles
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
    "SUPPORTED_TEXT",
    "BrowserProfile",
    "Detection",
    "ImportFailed",
    "Importer",
    "OrderColumns",
    "ParsedImport",
    "ProgressCallback",
    "detect",
    "find_browser_profiles",
    "get_importer",
    "looks_like_export",
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


# What the user can import, for the sentence that answers a file no importer reads.
SUPPORTED_TEXT = "; ".join(importer.label for importer in IMPORTERS.values())


@dataclass(frozen=True)
class Detection:
    """What a file is, and the importer that reads it (None: no importer does)."""

    file_name: str
    importer: Importer | None
    description: str
    near_miss: bool = False  # the description says which kind, and what the file lacks

    @property
    def text(self) -> str:
        if self.importer is not None:
            return f"{self.file_name} is {self.description}."
        return f"{self.file_name}: {self.refusal().reason}."

    def refusal(self) -> ImportFailed:
        """The error for a file no importer reads: what it looks like, and what privrec reads
        (unless it is nearly a known kind: then what it lacks is the useful part)."""
        reason = f"this looks like {self.description}"
        if not self.near_miss:
            reason += f"; privrec imports {SUPPORTED_TEXT}"
        return ImportFailed(self.file_name, reason)


def looks_like_export(name: str) -> bool:
    """Whether a file called `name` (a name, not a path) is named like some kind's export."""
    return any(importer.matches_name(name) for importer in IMPORTERS.values())


def detect(path: Path) -> Detection:
    """Which importer reads the file at `path`, from a bounded prefix of its content (or its
    SQLite tables, opened read-only); `ImportFailed` if it cannot be read at all."""
    sniffed = sniff(path)
    importer = None if sniffed.key is None else IMPORTERS[sniffed.key]
    return Detection(path.name, importer, sniffed.description, sniffed.near_miss)
