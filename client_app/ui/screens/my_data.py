"""My data: categories with their opt-in switches, recent activity, manual entries, imports
(the import dialog, import_dialog.py) and forgetting a category."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from client_app.ui.controllers import (
    CATEGORY_LABELS,
    ImportController,
    ImportReport,
    MyDataController,
    MyDataView,
)
from client_app.ui.screens.base import AppScreen, confirm, load_kv, no_progress
from client_app.ui.screens.import_dialog import ImportDialog


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
            self.opted_in = active
            self.screen.set_opt_in(self.category, active)


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

    def __init__(self, *args: Any, importing: ImportController, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.importing = importing
        self.view: MyDataView | None = None

    def load(self) -> None:
        selected = self.selected or None
        self.run(
            "reading your data", no_progress(lambda: self.controller.view(selected)), self.show
        )

    def show(self, view: MyDataView) -> None:
        self.view = view
        self.selected = view.selected.category
        self.title = f"{view.selected.label}  ·  {view.selected.count_text}"
        self.shown_text = view.shown_text
        self.has_activity = view.selected.events > 0
        self.ids.add_category.text = view.selected.label
        categories = self.ids.categories
        categories.clear_widgets()
        for row in view.categories:
            categories.add_widget(
                CategoryItem(
                    self,
                    category=row.category,
                    label=row.label,
                    count=row.count_text,
                    opted_in=row.opted_in,
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
        self.load()

    def set_opt_in(self, category: str, opted_in: bool) -> None:
        self.act("saving your choice", lambda: self.controller.set_opt_in(category, opted_in))

    def add_activity(self) -> None:
        title = self.ids.add_title.text
        category = _category_of(self.ids.add_category.text)

        def added(_notice: object) -> None:
            self.ids.add_title.text = ""
            self.selected = category
            self.load()

        self.run(
            "adding an activity",
            no_progress(lambda: self.controller.add_activity(title, category)),
            added,
        )

    def remove_activity(self, event_id: int) -> None:
        self.act("removing an activity", lambda: self.controller.remove_activity(event_id))

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.importing, self, self.imported)
        dialog.open()
        return dialog

    def imported(self, report: ImportReport) -> None:
        self.services.notify(report.notice)
        if report.category is not None:
            self.selected = report.category  # show where the file went
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


def _category_of(label: str) -> str:
    return next(c.value for c, text in CATEGORY_LABELS.items() if text == label)


load_kv("my_data.kv")
