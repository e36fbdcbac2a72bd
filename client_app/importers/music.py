"""Music importers: Spotify streaming history (JSON) and Last.fm scrobbles (CSV).

Spotify: the account-data `StreamingHistory*.json` / `StreamingHistory_music_*.json` (records
with endTime "2023-01-05 13:22" UTC, artistName, trackName, msPlayed) and the extended
`Streaming_History_Audio_*.json` / `endsong_*.json` (ts, master_metadata_track_name,
master_metadata_album_artist_name, spotify_track_uri, ms_played); the kind is detected from the
first record. Plays under 30 s and podcast episodes are skipped; the weight is the share of
three minutes played, at most 1 (so between 1/6 and 1).

Last.fm: a CSV with a header naming `artist`, `track` and a time column (`uts` = Unix
seconds, as in `uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`, else
`utc_time` or `date` as text), or the header-less `artist,album,track,date` with dates like
"31 Jan 2021 14:03". external_id is `track_mbid` when given. A row without a date (a track
"now playing" during the export) is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from client_app.importers.base import (
    NOW_PLAYING,
    PODCAST,
    SHORT_PLAY,
    UNIX_EPOCH,
    EventSink,
    ImportFailed,
    ParsedImport,
    ProgressCallback,
    as_object,
    csv_rows,
    line_count,
    load_json,
    optional_text,
    parse_int,
    parse_time,
    read_text,
    text_field,
    time_since,
)
from recommenders.activity import Category
from recommenders.features import track_title

SPOTIFY_SOURCE = "spotify"
LASTFM_SOURCE = "lastfm"
MIN_PLAY_MS = 30_000
FULL_PLAY_MS = 180_000
_SPOTIFY_TIME_FORMATS = ("%Y-%m-%d %H:%M",)
LASTFM_TIME_FORMATS = ("%d %b %Y %H:%M", "%d %b %Y, %H:%M")


def parse_spotify(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Spotify streaming-history JSON file (account-data or extended)."""
    records = load_json(path)
    if not isinstance(records, list):
        raise ImportFailed(path.name, "expected a JSON list of plays")
    sink = EventSink(
        importer="spotify",
        file_name=path.name,
        category=Category.MUSIC,
        source=SPOTIFY_SOURCE,
        total=len(records),
        progress=progress,
        valid_rows_only=valid_rows_only,
    )
    extended = False
    if records:
        # The first record says which of the two layouts the whole file has.
        with sink.fatal_at("record 1"):
            extended = _is_extended(as_object(records[0]))
    for number, value in enumerate(records, start=1):
        with sink.at(f"record {number}"):
            record = as_object(value)
            if extended:
                _add_extended_play(sink, record)
            else:
                _add_account_play(sink, record)
        sink.advance(number)
    return sink.result()


def _is_extended(record: Mapping[str, object]) -> bool:
    if "ts" in record or "ms_played" in record:
        return True
    if "endTime" in record or "msPlayed" in record:
        return False
    raise ValueError("not a Spotify play: expected 'endTime' or 'ts'")


def _add_account_play(sink: EventSink, record: Mapping[str, object]) -> None:
    time = parse_time(text_field(record, "endTime"), _SPOTIFY_TIME_FORMATS, what="endTime")
    played = parse_int(record["msPlayed"], what="msPlayed")
    # Older exports mix podcast episodes in; newer ones put them in StreamingHistory_podcast_*.
    if "episodeName" in record or "podcastName" in record:
        sink.skip(PODCAST)
        return
    artist = optional_text(record, "artistName")
    _add_play(sink, artist, text_field(record, "trackName"), None, time, played)


def _add_extended_play(sink: EventSink, record: Mapping[str, object]) -> None:
    time = parse_time(text_field(record, "ts"), what="ts")
    played = parse_int(record["ms_played"], what="ms_played")
    # Podcast episodes and audiobooks leave the track name null.
    track = optional_text(record, "master_metadata_track_name")
    if track is None and _is_spoken(record):
        sink.skip(PODCAST)
        return
    artist = optional_text(record, "master_metadata_album_artist_name")
    uri = optional_text(record, "spotify_track_uri")
    _add_play(sink, artist, track or "", uri, time, played)


def _is_spoken(record: Mapping[str, object]) -> bool:
    spoken = ("episode_name", "spotify_episode_uri", "audiobook_title", "audiobook_uri")
    return any(record.get(key) for key in spoken)


def _add_play(
    sink: EventSink,
    artist: str | None,
    track: str,
    uri: str | None,
    time: datetime,
    played_ms: int,
) -> None:
    if played_ms < MIN_PLAY_MS:
        sink.skip(SHORT_PLAY)
        return
    sink.add(track_title(artist, track), uri, time, min(played_ms / FULL_PLAY_MS, 1.0))


@dataclass(frozen=True)
class LastfmLayout:
    """Where a scrobble's fields are; `header` says whether the first row names them."""

    header: bool
    artist: int
    track: int
    time: int
    unix_time: bool
    mbid: int | None = None


def parse_lastfm(
    path: Path, progress: ProgressCallback | None = None, *, valid_rows_only: bool = False
) -> ParsedImport:
    """Import a Last.fm scrobbles CSV (with a header, or header-less artist,album,track,date)."""
    text = read_text(path)
    sink = EventSink(
        importer="lastfm",
        file_name=path.name,
        category=Category.MUSIC,
        source=LASTFM_SOURCE,
        total=line_count(text),
        progress=progress,
        valid_rows_only=valid_rows_only,
    )
    layout: LastfmLayout | None = None
    for line, row in csv_rows(text, path.name):
        if layout is None:  # the first row says where the fields are, for the whole file
            with sink.fatal_at(f"line {line}"):
                layout = lastfm_layout(row)
            if layout.header:
                continue
        with sink.at(f"line {line}"):
            _add_scrobble(sink, layout, row)
        sink.advance(line)
    return sink.result()


def lastfm_layout(first_row: list[str]) -> LastfmLayout:
    """Where the fields are, from the first row (a header, or a first header-less scrobble)."""
    names = [cell.strip().lower() for cell in first_row]
    if "artist" in names and "track" in names:
        time_name = next((c for c in ("uts", "utc_time", "date") if c in names), None)
        if time_name is None:
            raise ValueError("missing column: uts, utc_time or date")
        return LastfmLayout(
            header=True,
            artist=names.index("artist"),
            track=names.index("track"),
            time=names.index(time_name),
            unix_time=time_name == "uts",
            mbid=names.index("track_mbid") if "track_mbid" in names else None,
        )
    if len(first_row) == 4:
        return LastfmLayout(header=False, artist=0, track=2, time=3, unix_time=False)
    raise ValueError(
        "expected a header with artist, track and uts/utc_time/date columns, "
        "or 4 columns artist,album,track,date"
    )


def _add_scrobble(sink: EventSink, layout: LastfmLayout, row: list[str]) -> None:
    used = [layout.artist, layout.track, layout.time, layout.mbid or 0]
    if len(row) <= max(used):
        raise ValueError(f"{len(row)} fields; expected at least {max(used) + 1}")
    stamp = row[layout.time].strip()
    if not stamp:
        sink.skip(NOW_PLAYING)
        return
    if layout.unix_time:
        time = time_since(UNIX_EPOCH, stamp, timedelta(seconds=1), what="uts")
    else:
        time = parse_time(stamp, LASTFM_TIME_FORMATS, what="date")
    mbid = row[layout.mbid] if layout.mbid is not None else None
    # A scrobble already means a real listen (half the track, or four minutes), so weight 1.
    sink.add(track_title(row[layout.artist], row[layout.track]), mbid, time)
