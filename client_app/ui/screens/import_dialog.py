"""The import dialog: pick a file (chooser, typed path or a found browser profile), see what it
is, import it, and read the report; a file refused for bad records can be imported in part."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from client_app.ui.controllers import (
    NO_BROWSERS_TEXT,
    PICK_TEXT,
    FileCheck,
    ImportController,
    ImportReport,
)
from client_app.ui.screens.base import AppScreen, FlatButton, load_kv
from client_app.ui.screens.keyboard import KeyboardPopup


class ImportDialog(KeyboardPopup):
    """Opens in the last folder used; the kind of file is detected, never chosen."""

    start_path = StringProperty()
    show_hidden = BooleanProperty(False)
    show_all = BooleanProperty(False)  # False: only names like an export's
    check_text = StringProperty(PICK_TEXT)
    recognised = BooleanProperty(True)  # False: the picked file is no export privrec reads
    importable = BooleanProperty(False)  # the Import button's state
    report_text = StringProperty()
    report_ok = BooleanProperty(True)
    valid_events = NumericProperty(0)
    browsers_text = StringProperty()

    def __init__(
        self,
        controller: ImportController,
        screen: AppScreen,
        on_imported: Callable[[ImportReport], None],
        **kwargs: Any,
    ) -> None:
        self.controller = controller
        self.screen = screen
        self._on_imported = on_imported
        super().__init__(**kwargs)
        self.start_path = controller.start_folder()
        self.ids.path_field.text = self.start_path
        # Offered only after a refusal for bad records: out of the row until then. Held here
        # (ids hold widgets weakly) to be put back.
        actions = self.ids.actions
        self._partial = next(child for child in actions.children if child == self.ids.partial)
        actions.remove_widget(self._partial)

    def on_valid_events(self, *_args: Any) -> None:
        actions, partial = self.ids.actions, self._partial
        if self.valid_events and partial.parent is None:
            actions.add_widget(partial, index=1)  # before Import (children are reversed)
        elif not self.valid_events and partial.parent is not None:
            actions.remove_widget(partial)

    # --- what the chooser shows --------------------------------------------------------------

    def name_filter(self, _folder: str, path: str) -> bool:
        return self.controller.looks_like_export(Path(path).name)

    def on_show_hidden(self, *_args: Any) -> None:
        self.ids.chooser._trigger_update()  # the chooser does not watch show_hidden itself

    def files_changed(self, files: list[str]) -> None:
        """Never keep a selection the folder, filter or hidden toggle no longer shows."""
        chooser = self.ids.chooser
        shown = [path for path in chooser.selection if path in files]
        if shown != chooser.selection:
            chooser.selection = shown

    def folder_changed(self, folder: str) -> None:
        if not self.ids.path_field.focus:
            self.ids.path_field.text = folder

    def go_to_path(self, text: str) -> None:
        """A typed path: open a folder, or pick a file (showing it whatever the toggles)."""
        path = Path(text.strip()).expanduser()
        if path.is_dir():
            self.ids.chooser.path = str(path)
        elif path.is_file():
            self.pick(path)
        else:
            self._show_check(FileCheck(str(path), False, f"There is no file or folder at {path}."))

    def pick(self, path: Path) -> None:
        """Select `path` in the chooser, revealing it (hidden folder, unusual name) if need be."""
        path = path.resolve()
        if any(part.startswith(".") for part in path.parts):
            self.show_hidden = True
        if not self.controller.looks_like_export(path.name):
            self.show_all = True
        chooser = self.ids.chooser
        chooser.path = str(path.parent)
        chooser.selection = [str(path)]

    def find_browsers(self) -> None:
        rows = self.controller.browsers()
        box = self.ids.browsers
        box.clear_widgets()
        for row in rows:
            button = FlatButton(text=row.label)
            button.bind(on_release=lambda _button, path=row.path: self.pick(Path(path)))
            box.add_widget(button)
        self.browsers_text = (
            "Browser profiles found here: pick one to see its history file."
            if rows
            else NO_BROWSERS_TEXT
        )

    # --- the picked file ---------------------------------------------------------------------

    def selected(self, selection: list[str]) -> None:
        self.report_text = ""
        self.valid_events = 0
        if not selection or Path(selection[0]).is_dir():
            self._show_check(None)
        else:
            self._show_check(self.controller.check(selection[0]))

    def _show_check(self, check: FileCheck | None) -> None:
        self.recognised = check is None or check.importable
        self.importable = check is not None and check.importable
        self.check_text = PICK_TEXT if check is None else check.text

    def start_import(self, valid_rows_only: bool = False) -> None:
        selection = self.ids.chooser.selection
        if not selection or not self.importable:
            return
        path = selection[0]
        self.importable = False  # one import per pick; a new pick allows another
        self.report_ok = True
        self.report_text = "Importing…"

        def work(progress: Any) -> ImportReport:
            return self.controller.import_file(path, progress, valid_rows_only=valid_rows_only)

        description = f"importing {Path(path).name}"
        if not self.screen.run(description, work, self.show_report, self.show_failure, now=True):
            # Another long job runs (the status line names it): nothing started.
            self.importable = True
            self.report_ok = False
            self.report_text = "Another job is still running: import when it is done."

    def show_failure(self, message: str) -> None:
        """Anything other than a refused file (e.g. the disk is full): said here too."""
        self.report_ok = False
        self.report_text = message
        self.importable = True  # nothing was kept: trying again is safe

    def show_report(self, report: ImportReport) -> None:
        self.report_ok = report.imported
        self.report_text = report.text
        self.valid_events = report.valid_events
        self.importable = report.valid_events > 0  # the same file, in part, on request
        self._on_imported(report)


load_kv("import_dialog.kv")
