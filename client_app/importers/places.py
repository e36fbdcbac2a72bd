"""Google Maps Timeline importer: Takeout's Semantic Location History monthly files and the
on-device `Timeline.json` export; one event per visited place, moves and unknown places skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from client_app.importers.base import (
    MOVE,
    UNIX_EPOCH,
    UNKNOWN_PLACE,
    EventSink,
    ImportFailed,
    ParsedImport,
    ProgressCallback,
    as_object,
    load_json,
    optional_text,
    parse_time,
    text_field,
    time_since,
)
from recommenders.activity import Category

GOOGLE_MAPS_SOURCE = "google-maps"
_RECORDS_ADVICE = (
    "this is a Records.json file: raw coordinates without places; export Semantic Location History"
    " (or Timeline.json from the Maps app) instead"
)


def parse_google_takeout(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Semantic Location History month (e.g. `2023_JANUARY.json`) or `Timeline.json`."""
    # Records.json is often too big to load at all: refuse it by name before reading it.
    if path.name.lower() == "records.json":
        raise ImportFailed(path.name, _RECORDS_ADVICE)
    document = load_json(path)
    if isinstance(document, dict) and "timelineObjects" in document:
        key, add = "timelineObjects", _add_timeline_object
    elif isinstance(document, dict) and "semanticSegments" in document:
        key, add = "semanticSegments", _add_semantic_segment
    elif isinstance(document, dict) and "locations" in document:
        raise ImportFailed(path.name, _RECORDS_ADVICE)
    else:
        raise ImportFailed(
            path.name,
            "not a Google location history file (no timelineObjects or semanticSegments)",
        )
    records = document[key]
    if not isinstance(records, list):
        raise ImportFailed(path.name, f"{key} must be a list")
    sink = EventSink(
        importer="google-takeout",
        file_name=path.name,
        category=Category.PLACES,
        source=GOOGLE_MAPS_SOURCE,
        total=len(records),
        progress=progress,
        valid_rows_only=valid_rows_only,
    )
    for number, record in enumerate(records, start=1):
        with sink.at(f"record {number}"):
            add(sink, as_object(record))
        sink.advance(number)
    return sink.result()


def _add_timeline_object(sink: EventSink, record: Mapping[str, object]) -> None:
    """A Semantic Location History entry: a placeVisit, or an activitySegment (a move)."""
    if "placeVisit" not in record:
        sink.skip(MOVE)
        return
    visit = as_object(record["placeVisit"])
    location = as_object(visit["location"])
    duration = as_object(visit["duration"])
    time: datetime
    if "startTimestamp" in duration:
        time = parse_time(text_field(duration, "startTimestamp"), what="startTimestamp")
    else:
        time = time_since(
            UNIX_EPOCH,
            duration["startTimestampMs"],
            timedelta(milliseconds=1),
            what="startTimestampMs",
        )
    title = (
        optional_text(location, "name")
        or semantic_words(optional_text(location, "semanticType"))
        or optional_text(location, "address")
    )
    _add_place(sink, title, optional_text(location, "placeId"), time)


def _add_semantic_segment(sink: EventSink, record: Mapping[str, object]) -> None:
    """A Timeline.json segment: a visit, or an activity / timelinePath (a move)."""
    if "visit" not in record:
        sink.skip(MOVE)
        return
    time = parse_time(text_field(record, "startTime"), what="startTime")
    candidate = as_object(as_object(record["visit"])["topCandidate"])
    # The on-device export names no places, only what they are to the user.
    title = semantic_words(optional_text(candidate, "semanticType"))
    _add_place(sink, title, optional_text(candidate, "placeId"), time)


def _add_place(sink: EventSink, title: str | None, place_id: str | None, time: datetime) -> None:
    if title is None or not title.strip():
        sink.skip(UNKNOWN_PLACE)
    else:
        sink.add(title, place_id, time)


def semantic_words(semantic_type: str | None) -> str | None:
    """Words for a semantic type ("TYPE_HOME", "INFERRED_HOME" -> "Home"); None if unknown."""
    if semantic_type is None:
        return None
    words = semantic_type.strip().upper().removeprefix("TYPE_").removeprefix("INFERRED_")
    if words in ("", "UNKNOWN"):
        return None
    return words.replace("_", " ").capitalize()
