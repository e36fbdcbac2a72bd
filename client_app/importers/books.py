"""Goodreads importer: the library export `goodreads_library_export.csv`, one event per shelved
book, weighted by its rating (unrated 1.0, 1-5 stars 0.4-1.2) and 0.5 for "to-read" books."""

from __future__ import annotations

from pathlib import Path

from client_app.importers.base import (
    EventSink,
    ParsedImport,
    ProgressCallback,
    csv_records,
    line_count,
    parse_int,
    parse_time,
    read_text,
)
from recommenders.activity import Category

GOODREADS_SOURCE = "goodreads"
TO_READ_WEIGHT = 0.5
UNRATED_WEIGHT = 1.0
_TIME_FORMATS = ("%Y/%m/%d",)
REQUIRED_COLUMNS = ("Book Id", "Title", "My Rating", "Date Read", "Date Added", "Exclusive Shelf")


def rating_weight(rating: int, shelf: str) -> float:
    """A book's weight: a wish is weaker than a read book; more stars are stronger.

    Unrated read books count like a four-star one (1.0): finishing a book is a good sign.
    """
    if shelf == "to-read":
        return TO_READ_WEIGHT
    if rating == 0:
        return UNRATED_WEIGHT
    if not 1 <= rating <= 5:
        raise ValueError(f"My Rating must be 0 to 5, found {rating}")
    return 0.2 * rating + 0.2


def parse_goodreads(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Goodreads library export CSV; time is Date Read, else Date Added."""
    text = read_text(path)
    sink = EventSink(
        importer="goodreads",
        file_name=path.name,
        category=Category.BOOKS,
        source=GOODREADS_SOURCE,
        total=line_count(text),
        progress=progress,
        valid_rows_only=valid_rows_only,
    )
    for line, row in csv_records(text, path.name, REQUIRED_COLUMNS):
        with sink.at(f"line {line}"):
            book_id = row["Book Id"].strip()
            if not book_id:
                raise ValueError("Book Id is empty")
            date_read = row["Date Read"].strip()
            time = parse_time(
                date_read or row["Date Added"],
                _TIME_FORMATS,
                what="Date Read" if date_read else "Date Added",
            )
            rating = parse_int(row["My Rating"] or "0", what="My Rating")
            weight = rating_weight(rating, row["Exclusive Shelf"].strip())
            sink.add(row["Title"], book_id, time, weight)
        sink.advance(line)
    return sink.result()
