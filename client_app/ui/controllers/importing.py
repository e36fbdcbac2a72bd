"""The import dialog's logic, without Kivy: what a picked file is, where the browsers keep their
history, the folder the dialog opens in, and an import with a report the user can read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from client_app.importers import (
    ImportFailed,
    ParsedImport,
    detect,
    find_browser_profiles,
    looks_like_export,
)
from client_app.sdk import PrivrecClient
from client_app.store import AddResult
from client_app.ui.controllers.wording import Notice, Progress, category_label, plural

LAST_FOLDER_SETTING = "import_folder"
PICK_TEXT = "Pick an export file: privrec says what it is before anything is read in full."
NO_BROWSERS_TEXT = (
    "No Firefox, Chrome, Chromium, Brave or Edge profile was found in the usual places. "
    "Type the path of places.sqlite (Firefox) or History (Chrome) above."
)


@dataclass(frozen=True)
class FileCheck:
    """What the picked file is: whether it can be imported, and a sentence saying so."""

    path: str
    importable: bool
    text: str


@dataclass(frozen=True)
class BrowserRow:
    label: str  # "Firefox: default-release"
    path: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did, line by line; `valid_events` > 0 offers to import only the valid
    rows of a file refused for its bad ones."""

    file_name: str
    imported: bool
    category: str | None
    lines: tuple[str, ...]
    valid_events: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def notice(self) -> Notice:
        """The report's first line, for the status line."""
        return Notice(self.lines[0], is_error=not self.imported)


class ImportController:
    """Detection, browser profiles, the remembered folder and imports over one client; the home
    folder, system and environment are injectable for the browser search."""

    def __init__(
        self,
        client: PrivrecClient,
        *,
        home: Path | None = None,
        system: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.home = Path.home() if home is None else home
        self.system = system
        self.env = os.environ if env is None else env

    def start_folder(self) -> str:
        """The folder the dialog opens in: the last one a file was picked in, if it still
        exists, else the home folder."""
        folder = self.client.store.get_setting(LAST_FOLDER_SETTING)
        if isinstance(folder, str) and Path(folder).is_dir():
            return folder
        return str(self.home)

    def remember_folder(self, folder: str | Path) -> None:
        if Path(folder).is_dir():
            self.client.store.set_setting(LAST_FOLDER_SETTING, str(folder))

    @staticmethod
    def looks_like_export(name: str) -> bool:
        """Whether the file chooser shows `name` while it shows only export-like names."""
        return looks_like_export(name)

    def check(self, path: str | Path) -> FileCheck:
        """What the file at `path` is (reads a bounded prefix, or opens SQLite read-only)."""
        path = Path(path)
        try:
            detection = detect(path)
        except ImportFailed as error:
            return FileCheck(str(path), False, _sentence(f"{error.where}: {error.reason}"))
        if detection.importer is None:
            return FileCheck(str(path), False, detection.text)
        label = category_label(detection.importer.category)
        return FileCheck(str(path), True, f"{detection.text[:-1]}: it goes to {label}.")

    def browsers(self) -> tuple[BrowserRow, ...]:
        """The history file of every browser profile found in the usual places."""
        profiles = find_browser_profiles(self.home, self.system, self.env)
        return tuple(BrowserRow(profile.label, str(profile.path)) for profile in profiles)

    def import_file(
        self, path: str | Path, progress: Progress, *, valid_rows_only: bool = False
    ) -> ImportReport:
        """Import the file at `path`, its kind detected from its content; all or nothing unless
        `valid_rows_only`. A refusal is a report too, naming the first bad line."""
        path = Path(path)
        self.remember_folder(path.parent)
        try:
            parsed, added = self.client.import_file(
                None, path, progress, valid_rows_only=valid_rows_only
            )
        except ImportFailed as error:
            return refusal_report(error)
        return success_report(parsed, added)


def success_report(parsed: ParsedImport, added: AddResult) -> ImportReport:
    category = parsed.events[0].category.value if parsed.events else None
    into = f" into {category_label(category)}" if category else ""
    lines = [
        f"Imported {plural(added.added, 'activity', 'activities')}{into} from {parsed.file_name}."
    ]
    if added.duplicates:
        lines.append(
            f"{plural(added.duplicates, 'activity was', 'activities were')} already there."
        )
    lines.extend(f"Skipped {reason}: {count:,}." for reason, count in parsed.skipped_by_reason)
    if parsed.bad_rows and parsed.first_bad is not None:
        first = parsed.first_bad
        lines.append(
            f"Left out {plural(parsed.bad_rows, 'bad record')}, as you chose; the first: "
            + _sentence(f"{first.where}: {first.reason}")
        )
    return ImportReport(parsed.file_name, True, category, tuple(lines))


def refusal_report(error: ImportFailed) -> ImportReport:
    lines = [f"Nothing was imported from {error.file_name}."]
    if error.bad_rows:
        lines.append(
            f"{plural(error.bad_rows, 'record is', 'records are')} bad; the first: "
            + _sentence(f"{error.where}: {error.reason}")
        )
        if error.valid_events:
            lines.append(
                f"Fix the file and import it again, or import only the "
                f"{plural(error.valid_events, 'activity', 'activities')} of its valid records."
            )
    else:
        lines.append(_sentence(f"{error.where}: {error.reason}"))
    return ImportReport(error.file_name, False, None, tuple(lines), error.valid_events)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."
