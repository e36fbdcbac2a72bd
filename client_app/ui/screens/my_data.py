"""My data: categories with their opt-in switches (they flip at once), the activity of one
(searched, a page at a time), manual entries, imports (the import dialog, import_dialog.py) and
forgetting a category."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from client_app.ui.controllers import (
    CATEGORY_LABELS,
    ImportController,
    ImportReport,
    MyDataController,
    MyDataView,
    Notice,
)
from client_app.ui.screens.base import AppScreen, clear_field, confirm, load_kv, no_progress
from client_app.ui.screens.import_dialog import ImportDialog

# A search runs once typing pauses this long, not at every key.
SEARCH_PAUSE_SECONDS = 0.3


class CategoryItem(BoxLayout):
    """A category's row: select it to see its activity; switch it on or off."""

    category = StringProperty()
    label = StringProperty()
    count = StringProperty()
    opted_in = BooleanProperty(False)
    selected = BooleanProperty(False)

    def __init__(self, screen: MyDataScreen, **kwargs: Any) -> None:
        self.screen = screen
        super().__init__(**kwargs)

    def switched(self, active: bool) -> None:
        # Kivy reports programmatic changes too: act only on a change of the user's choice.
        if active != self.opted_in:
            self.opted_in = active  # shown at once; put back if it cannot be saved
            self.screen.set_opt_in(self, active)


class ActivityItem(BoxLayout):
    event_id = NumericProperty()
    title = StringProperty()
    detail = StringProperty()

    def __init__(self, screen: MyDataScreen, **kwargs: Any) -> None:
        self.screen = screen
        super().__init__(**kwargs)


class MyDataScreen(AppScreen):
    controller: MyDataController
    selected = StringProperty()
    title = StringProperty()
    shown_text = StringProperty()
    has_activity = BooleanProperty(False)
    category_labels = ListProperty(list(CATEGORY_LABELS.values()))
    page = NumericProperty(1)
    pages = NumericProperty(1)
    page_text = StringProperty()

    def __init__(self, *args: Any, importing: ImportController, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.importing = importing
        self.view: MyDataView | None = None
        self._switching: dict[str, bool] = {}  # choices being saved, shown over any reload

    def load(self) -> None:
        # The screen's own fields (the search, a title being typed) are read, never written.
        selected, search, page = self.selected or None, self.ids.search.text, int(self.page)
        # Not self.run: a read leaves the buttons enabled (no flicker at each search).
        self.services.run(
            "reading your data",
            no_progress(lambda: self.controller.view(selected, search, page)),
            self.show,
            quick=True,
        )

    def show(self, view: MyDataView) -> None:
        before = self.view
        if before is None or before.selected.category != view.selected.category:
            self.ids.add_category.text = view.selected.label  # a new category: add to it
        if before is None or _place(before) != _place(view):
            self.ids.activity_scroll.scroll_y = 1  # another list: from its top
        self.view = view
        self.selected = view.selected.category
        self.title = f"{view.selected.label}  ·  {view.selected.count_text}"
        self.shown_text = view.shown_text
        self.has_activity = view.selected.events > 0
        self.page, self.pages, self.page_text = view.page, view.pages, view.page_text
        categories = self.ids.categories
        categories.clear_widgets()
        for row in view.categories:
            categories.add_widget(
                CategoryItem(
                    self,
                    category=row.category,
                    label=row.label,
                    count=row.count_text,
                    opted_in=self._switching.get(row.category, row.opted_in),
                    selected=row.category == view.selected.category,
                )
            )
        activities = self.ids.activities
        activities.clear_widgets()
        for activity in view.activities:
            activities.add_widget(
                ActivityItem(
                    self, event_id=activity.id, title=activity.title, detail=activity.detail
                )
            )

    def select(self, category: str) -> None:
        self.selected = category
        self.page = 1
        self.load()

    def searched(self) -> None:
        """The search field changed: look once typing pauses, from the first page."""
        Clock.unschedule(self._search)
        Clock.schedule_once(self._search, SEARCH_PAUSE_SECONDS)

    def _search(self, _dt: float) -> None:
        self.page = 1
        self.load()

    def turn_page(self, step: int) -> None:
        self.page = max(1, int(self.page) + step)
        self.load()

    def set_opt_in(self, item: CategoryItem, opted_in: bool) -> None:
        """Save a switch the user has just flipped (it shows the new state already); when it
        cannot be saved, put it back and say so. Then ask the market who reads the category."""
        category, label = item.category, item.label
        self._switching[category] = opted_in

        def saved(_notice: Notice) -> None:
            self._switching.pop(category, None)
            if opted_in:  # in the background: the screen stays usable meanwhile
                self.services.run(
                    f"counting the models that read {label.lower()}",
                    no_progress(lambda: self.controller.models_reading(category)),
                    self.services.notify,
                    quiet=True,
                )

        def failed(message: str) -> None:
            self._switching.pop(category, None)
            for shown in self.ids.categories.children:  # (a reload meanwhile made new rows)
                if shown.category == category:
                    shown.opted_in = not opted_in
            state = "off" if opted_in else "on"
            self.services.notify(Notice(f"{label} is still {state}: {message}", is_error=True))

        self.run(
            "saving your choice",
            no_progress(lambda: self.controller.switch(category, opted_in)),
            saved,
            failed,
            quick=True,
        )

    def add_activity(self) -> None:
        title = self.ids.add_title.text
        category = _category_of(self.ids.add_category.text)

        def added(_notice: object) -> None:
            clear_field(self.ids.add_title, title)
            self.selected = category
            self.page = 1  # where the newest is
            self.load()

        self.run(
            "adding an activity",
            no_progress(lambda: self.controller.add_activity(title, category)),
            added,
            quick=True,
        )

    def remove_activity(self, event_id: int) -> None:
        self.act(
            "removing an activity", lambda: self.controller.remove_activity(event_id), quick=True
        )

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.importing, self, self.imported)
        dialog.open()
        return dialog

    def imported(self, report: ImportReport) -> None:
        self.services.notify(report.notice)
        if report.category is not None:
            self.selected = report.category  # show where the file went
            self.page = 1
        self.load()

    def ask_forget(self) -> None:
        if self.view is None:
            return
        category = self.view.selected.category
        confirm(
            "Forget this category",
            self.view.forget_question,
            f"Forget {self.view.selected.label}",
            lambda: self.act("forgetting", lambda: self.controller.forget(category)),
        )


def _place(view: MyDataView) -> tuple[str, str, int]:
    """Which list a view shows: a reload of the same one keeps where the user scrolled to."""
    return view.selected.category, view.search, view.page


def _category_of(label: str) -> str:
    return next(c.value for c, text in CATEGORY_LABELS.items() if text == label)


load_kv("my_data.kv")
