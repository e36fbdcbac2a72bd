"""What every importer shares: the result and error types, size limits, and the file, CSV,
JSON, SQLite and time helpers that turn one export file into validated activity events."""

from __future__ import annotations

import contextlib
import csv
import fnmatch
import io
import json
import math
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from recommenders.activity import MAX_TITLE_CHARS, ActivityEvent, Category

ProgressCallback = Callable[[float], None]

# Limits are checked before anything is parsed, so a huge or hostile file costs a stat() call,
# not the app's memory. Module-level so tests can lower them.
MAX_TEXT_BYTES = 256 * 1024 * 1024
MAX_SQLITE_BYTES = 2 * 1024 * 1024 * 1024
MAX_EVENTS = 2_000_000

UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SQLITE_SIDECARS = ("-wal", "-journal")


class ImportFailed(ValueError):
    """A file that cannot be imported; nothing from it was kept.

    When the file is refused for its bad rows, `bad_rows` counts them (the error names the
    first) and `valid_events` says how many events the other rows hold: importing only those
    is the user's explicit choice (`valid_rows_only`).
    """

    def __init__(
        self,
        file_name: str,
        reason: str,
        location: str | None = None,
        bad_rows: int = 0,
        valid_events: int = 0,
    ) -> None:
        self.file_name = file_name
        self.reason = reason
        self.location = location
        self.bad_rows = bad_rows
        self.valid_events = valid_events
        super().__init__(f"{self.where}: {reason}")

    @property
    def where(self) -> str:
        return f"{self.file_name}, {self.location}" if self.location else self.file_name

    def __reduce__(
        self,
    ) -> tuple[type[ImportFailed], tuple[str, str, str | None, int, int]]:
        # The default would call __init__ with the message alone, so the error could not
        # cross a process boundary (e.g. an import run in a worker process).
        return (
            ImportFailed,
            (self.file_name, self.reason, self.location, self.bad_rows, self.valid_events),
        )


# Why records are left out, in the user's words (the import report lists them by reason).
NO_TITLE = "records without a title"
NOT_A_WEB_PAGE = "browser or local pages (about:, file:, chrome:, ...)"
SHORT_PLAY = "plays under 30 seconds"
PODCAST = "podcast episodes and audiobooks"
NOW_PLAYING = "scrobbles without a date (playing during the export)"
CANCELLED = "cancelled orders"
RETURNED = "returns and zero quantities"
MOVE = "moves between places"
UNKNOWN_PLACE = "places without a name"


@dataclass(frozen=True)
class ParsedImport:
    """Every event of one file, the records legitimately left out (by reason), and, when the
    user chose to import only the valid rows, the rows that were bad (the first is named)."""

    importer: str
    events: tuple[ActivityEvent, ...]
    skipped_by_reason: tuple[tuple[str, int], ...]
    file_name: str
    bad_rows: int = 0
    first_bad: ImportFailed | None = field(default=None, compare=False)

    @property
    def skipped(self) -> int:
        return sum(count for _, count in self.skipped_by_reason)


class Parser(Protocol):
    def __call__(
        self,
        path: Path,
        progress: ProgressCallback | None = None,
        *,
        valid_rows_only: bool = False,
    ) -> ParsedImport: ...


@dataclass(frozen=True)
class Importer:
    """One kind of export file the user can pick: how to describe, filter and parse it."""

    key: str
    label: str
    category: Category
    patterns: tuple[str, ...]
    parser: Parser = field(repr=False, compare=False)

    def parse(
        self,
        path: Path,
        progress: ProgressCallback | None = None,
        *,
        valid_rows_only: bool = False,
    ) -> ParsedImport:
        """Import `path` whole, or raise `ImportFailed`; with `valid_rows_only`, bad rows are
        counted and left out instead of refusing the file."""
        return self.parser(path, progress, valid_rows_only=valid_rows_only)

    def matches_name(self, name: str) -> bool:
        """Whether a file called `name` (a name, not a path) looks like this kind's export."""
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.patterns)


class EventSink:
    """Collects one file's events: cleans and validates them, counts skips by reason, caps
    their number, reports progress, and notes each record's bad content (naming the first):
    `result()` refuses the file for it unless the user chose to import only the valid rows."""

    def __init__(
        self,
        *,
        importer: str,
        file_name: str,
        category: Category,
        source: str,
        total: int,
        progress: ProgressCallback | None,
        valid_rows_only: bool = False,
    ) -> None:
        self.importer = importer
        self.file_name = file_name
        self.category = category
        self.source = source
        self._events: list[ActivityEvent] = []
        self._skipped: Counter[str] = Counter()
        self._valid_rows_only = valid_rows_only
        self._bad_rows = 0
        self._first_bad: ImportFailed | None = None
        self._total = max(total, 1)
        self._progress = progress
        self._reported = -1  # last whole percent reported

    def add(
        self,
        title: str | None,
        external_id: str | None,
        time: datetime,
        weight: float = 1.0,
    ) -> None:
        """Keep one event; a record without a title is skipped, not an error."""
        title = (title or "").strip()[:MAX_TITLE_CHARS].rstrip()
        if not title:
            self.skip(NO_TITLE)
            return
        if len(self._events) >= MAX_EVENTS:
            raise ImportFailed(
                self.file_name, f"more than {MAX_EVENTS:,} events; import a shorter export"
            )
        external_id = (external_id or "").strip() or None
        self._events.append(
            ActivityEvent(self.category, self.source, title, external_id, time, weight)
        )

    def skip(self, reason: str) -> None:
        """Leave one record out, legitimately (it is no error): `reason` says why."""
        self._skipped[reason] += 1

    def advance(self, done: int) -> None:
        """Report `done` of `total` records, at most once per whole percent."""
        if self._progress is None:
            return
        percent = min(100, done * 100 // self._total)
        if percent > self._reported:
            self._reported = percent
            self._progress(percent / 100)

    @contextlib.contextmanager
    def fatal_at(self, location: str) -> Iterator[None]:
        """Bad content met inside the block makes the whole file unreadable (e.g. a first
        record that says what the file is): an `ImportFailed` naming `location`."""
        try:
            yield
        except ImportFailed:
            raise
        except KeyError as error:
            raise ImportFailed(self.file_name, f"missing {error.args[0]!r}", location) from error
        except (ValueError, TypeError) as error:
            raise ImportFailed(self.file_name, str(error), location) from error

    @contextlib.contextmanager
    def at(self, location: str) -> Iterator[None]:
        """One record's block: its bad content is noted against `location` (e.g. "line 12")
        and the next record is read; an event the block had added before failing stays out."""
        kept = len(self._events)
        try:
            with self.fatal_at(location):
                yield
        except ImportFailed as error:
            if error.location != location:  # the whole file's failure, not this record's
                raise
            del self._events[kept:]
            self._bad_rows += 1
            if self._first_bad is None:
                self._first_bad = error

    def result(self) -> ParsedImport:
        """The file's events; `ImportFailed` naming the first bad record if any was bad and the
        user did not choose to import only the valid rows."""
        if self._first_bad is not None and not self._valid_rows_only:
            first = self._first_bad
            raise ImportFailed(
                first.file_name, first.reason, first.location, self._bad_rows, len(self._events)
            )
        self.advance(self._total)
        return ParsedImport(
            self.importer,
            tuple(self._events),
            tuple(sorted(self._skipped.items())),
            self.file_name,
            self._bad_rows,
            self._first_bad,
        )


# --- files ---------------------------------------------------------------------------------


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    scaled = size / 1024
    units = ["KiB", "MiB", "GiB"]
    while scaled >= 1024 and len(units) > 1:
        scaled /= 1024
        units.pop(0)
    return f"{scaled:.4g} {units[0]}"


def check_size(path: Path, limit: int, extra: Sequence[Path] = ()) -> None:
    """Refuse `path` (plus its `extra` companions) if missing or together larger than `limit`."""
    try:
        if not path.is_file():
            raise ImportFailed(path.name, "not a file (missing, or a folder)")
        size = sum(p.stat().st_size for p in (path, *extra))
    except OSError as error:
        raise ImportFailed(path.name, f"cannot read the file ({error.strerror})") from error
    if size > limit:
        raise ImportFailed(
            path.name,
            f"the file is {_size_text(size)}; "
            f"files of this kind may be at most {_size_text(limit)}",
        )


def read_text(path: Path) -> str:
    """The file's UTF-8 text (a byte-order mark is allowed), within `MAX_TEXT_BYTES`."""
    check_size(path, MAX_TEXT_BYTES)
    try:
        with path.open("rb") as file:
            # The file may have grown since the size check.
            data = file.read(MAX_TEXT_BYTES + 1)
    except OSError as error:
        raise ImportFailed(path.name, f"cannot read the file ({error.strerror})") from error
    if len(data) > MAX_TEXT_BYTES:
        raise ImportFailed(path.name, f"the file is larger than {_size_text(MAX_TEXT_BYTES)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFailed(path.name, "not UTF-8 text", f"line {line}") from error


TRUNCATED = "the file ends in the middle; was the download complete?"


def ends_early(error: json.JSONDecodeError) -> bool:
    """Whether the JSON parser failed because the text stopped, not because of a bad character:
    the usual sign of an interrupted download or copy."""
    # A string without its closing quote runs to the end of the text by definition.
    return error.pos >= len(error.doc.rstrip()) or error.msg.startswith("Unterminated string")


def load_json(path: Path) -> object:
    """The file's JSON document, within `MAX_TEXT_BYTES`."""
    text = read_text(path)
    if not text.strip():
        raise ImportFailed(path.name, "the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if ends_early(error):
            raise ImportFailed(path.name, TRUNCATED) from error
        raise ImportFailed(
            path.name, f"not valid JSON ({error.msg})", f"line {error.lineno}, column {error.colno}"
        ) from error
    except RecursionError as error:
        raise ImportFailed(path.name, "JSON nested too deeply") from error


def csv_rows(text: str, file_name: str) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV row with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFailed(file_name, f"not valid CSV ({error})", f"line {line}") from error
        if any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def csv_records(
    text: str, file_name: str, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row of a CSV file with a header, as {column: value}, with its line number.

    The header must name every `required` column; each row must have as many fields as it.
    """
    rows = csv_rows(text, file_name)
    first = next(rows, None)
    if first is None:
        raise ImportFailed(file_name, "the file is empty")
    header_line, header = first
    header = [name.strip() for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFailed(
            file_name, f"missing column(s): {', '.join(missing)}", f"line {header_line}"
        )
    for line, row in rows:
        if len(row) != len(header):
            raise ImportFailed(
                file_name,
                f"{len(row)} fields where the header has {len(header)}",
                f"line {line}",
            )
        yield line, dict(zip(header, row, strict=True))


def line_count(text: str) -> int:
    """Lines in `text`, the unit CSV progress is measured in."""
    return text.count("\n") + 1


@contextlib.contextmanager
def sqlite_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a private copy of the SQLite database at `path`.

    The original is never opened: a running browser holds it locked and may be writing it.
    Its `-wal` / `-journal` sidecar is copied too, as recent changes live there.
    """
    sidecars = [
        (suffix, side)
        for suffix in SQLITE_SIDECARS
        if (side := path.with_name(path.name + suffix)).is_file()
    ]
    check_size(path, MAX_SQLITE_BYTES, [side for _, side in sidecars])
    with tempfile.TemporaryDirectory(prefix="privrec-import-") as directory:
        copy = Path(directory) / "copy.sqlite"
        try:
            shutil.copyfile(path, copy)
            for suffix, side in sidecars:
                shutil.copyfile(side, copy.with_name(copy.name + suffix))
        except OSError as error:
            raise ImportFailed(path.name, f"cannot copy the file ({error.strerror})") from error
        try:
            connection = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise ImportFailed(path.name, f"cannot open the database ({error})") from error
        with contextlib.closing(connection):
            yield connection


def sqlite_tables(connection: sqlite3.Connection, file_name: str) -> set[str]:
    """Names of the database's tables; a file that is not SQLite fails here."""
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {str(name) for (name,) in rows}
    except sqlite3.DatabaseError as error:
        raise ImportFailed(file_name, f"not an SQLite database ({error})") from error


# --- values --------------------------------------------------------------------------------


def parse_time(value: str, formats: Sequence[str] = (), *, what: str = "date") -> datetime:
    """`value` in one of the strptime `formats` (tried in order) or ISO 8601, as aware UTC.

    A time without a zone is taken to be UTC.
    """
    text = value.strip()
    for time_format in formats:
        try:
            parsed = datetime.strptime(text, time_format)
            break
        except ValueError:
            continue
    else:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a recognised date") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. year 1 at +01:00
        raise ValueError(f"{what} {value!r} is out of range") from None


def parse_int(value: object, *, what: str) -> int:
    """An integer given as a JSON/SQLite number or as decimal text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value.strip())
    raise ValueError(f"{what} is not a number: {value!r}")


def time_since(epoch: datetime, value: object, unit: timedelta, *, what: str) -> datetime:
    """The time `value` units after `epoch` (e.g. microseconds since 1970)."""
    count = parse_int(value, what=what)
    try:
        return epoch + count * unit
    except OverflowError:
        raise ValueError(f"{what} is out of range: {count}") from None


def as_object(value: object) -> Mapping[str, object]:
    """A JSON record that must be an object."""
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, found {type(value).__name__}")
    return value


def text_field(record: Mapping[str, object], key: str) -> str:
    """A string field a JSON record must have."""
    value = record[key]
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be text, found {value!r}")
    return value


def optional_text(record: Mapping[str, object], key: str) -> str | None:
    """A string field a JSON record may lack or leave null."""
    value = record.get(key)
    return None if value is None else text_field(record, key)


def damped(count: int) -> float:
    """Weight of `count` of a thing: more is more interest, but not proportionally so."""
    return 1.0 + math.log(count)
