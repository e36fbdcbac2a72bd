"""My data: the categories and their activity, opting in (with how many models read a category),
manual entries and forgetting (imports have their own controller, importing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from client_app.market import MarketError
from client_app.sdk import NotReady, PrivrecClient
from client_app.ui.controllers.wording import Notice, category_label, plural, when_text
from recommenders.activity import ActivityEvent, parse_category

MANUAL_SOURCE = "manual"
# Enough to recognise recent activity; the rest stays in the store, counted.
ACTIVITY_SHOWN = 100


def coverage_text(label: str, models: int | None) -> str:
    """The notice when a category is switched on: how many live models read it (None: the
    market could not be asked)."""
    lowered = label.lower()
    if models is None:
        return (
            f"{label} switched on: models that read {lowered} may be asked (the market could "
            "not be reached to count them)."
        )
    if models == 0:
        return (
            f"{label} switched on, but no model on this market reads {lowered} yet: nothing "
            "about them is sent until one does."
        )
    verb = "reads" if models == 1 else "read"
    return f"{label} switched on: {plural(models, 'model')} on this market {verb} {lowered}."


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    opted_in: bool
    events: int

    @property
    def count_text(self) -> str:
        return plural(self.events, "activity", "activities")


@dataclass(frozen=True)
class ActivityRow:
    id: int
    title: str
    detail: str


@dataclass(frozen=True)
class MyDataView:
    categories: tuple[CategoryRow, ...]
    selected: CategoryRow
    activities: tuple[ActivityRow, ...]
    shown_text: str

    @property
    def forget_question(self) -> str:
        row = self.selected
        return (
            f"Forget all {row.count_text} in {row.label}? They are deleted from this device with "
            "the features computed from them, and the category is switched off. "
            "This cannot be undone."
        )


class MyDataController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def view(self, selected: str | None = None) -> MyDataView:
        rows = tuple(
            CategoryRow(s.category.value, category_label(s.category), s.opted_in, s.events)
            for s in self.client.categories()
        )
        chosen = next((row for row in rows if row.category == selected), None)
        if chosen is None:  # the first with activity, else the first
            chosen = next((row for row in rows if row.events), rows[0])
        events = self.client.activity(chosen.category, limit=ACTIVITY_SHOWN)
        activities = tuple(
            ActivityRow(
                stored.id,
                stored.event.title,
                f"{when_text(stored.event.time)}  ·  {stored.event.source}",
            )
            for stored in events
        )
        if chosen.events > len(activities):
            shown = f"The {len(activities)} most recent of {chosen.count_text}"
        elif activities:
            shown = f"All {chosen.count_text}, most recent first"
        else:
            shown = "Nothing here yet: import a file or add an activity by hand."
        return MyDataView(rows, chosen, activities, shown)

    def set_opt_in(self, category: str, opted_in: bool) -> Notice:
        self.client.set_opt_in(category, opted_in)
        label = category_label(category)
        if not opted_in:
            return Notice(f"{label} switched off: no model will be sent anything about it.")
        try:
            models: int | None = self.client.coverage().get(parse_category(category).value, 0)
        except (MarketError, NotReady):  # switching on works offline and before an identity
            models = None
        return Notice(coverage_text(label, models))

    def add_activity(self, title: str, category: str) -> Notice:
        title = title.strip()
        if not title:
            raise ValueError("type a title first")
        now = datetime.now(UTC)
        self.client.add_activity(
            ActivityEvent(parse_category(category), MANUAL_SOURCE, title, None, now)
        )
        return Notice(f"Added “{title}” to {category_label(category)}.")

    def remove_activity(self, event_id: int) -> Notice:
        self.client.remove_activity(event_id)
        return Notice("Removed one activity from this device.")

    def forget(self, category: str) -> Notice:
        titles = self.client.forget_category(category)
        return Notice(
            f"Forgot {plural(titles, 'title')} in {category_label(category)}, and switched it off."
        )
