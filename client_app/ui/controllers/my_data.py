"""My data: the categories and their activity (searched and paged), opting in (with how many
models read a category), manual entries and forgetting (imports have their own controller,
importing.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from client_app.errors import NotReady
from client_app.market import MarketError
from client_app.sdk import PrivrecClient
from client_app.store import EventPage
from client_app.ui.controllers.wording import Notice, category_label, plural, when_text
from recommenders.activity import ActivityEvent, parse_category

MANUAL_SOURCE = "manual"
# Activities on a page of My data: a few screenfuls, read in milliseconds.
ACTIVITY_PAGE = 50


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
    search: str = ""  # trimmed, as searched
    page: int = 1
    pages: int = 1

    @property
    def page_text(self) -> str:
        return f"Page {self.page:,} of {self.pages:,}"

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

    def view(self, selected: str | None = None, search: str = "", page: int = 1) -> MyDataView:
        """The categories, and one page (from 1) of the selected one's activity whose title
        contains ``search``, newest first. A page past the last shows the last."""
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise ValueError(f"a page number is a whole number from 1, not {page!r}")
        if not isinstance(search, str):
            raise ValueError("a search is text")
        search = search.strip()
        rows = tuple(
            CategoryRow(s.category.value, category_label(s.category), s.opted_in, s.events)
            for s in self.client.categories()
        )
        chosen = next((row for row in rows if row.category == selected), None)
        if chosen is None:  # the first with activity, else the first
            chosen = next((row for row in rows if row.events), rows[0])
        found = self._page(chosen.category, search, page)
        pages = max(1, -(-found.total // ACTIVITY_PAGE))
        if page > pages:  # (the page emptied since it was shown, or the search narrowed)
            page = pages
            found = self._page(chosen.category, search, page)
        activities = tuple(
            ActivityRow(
                stored.id,
                stored.event.title,
                f"{when_text(stored.event.time)}  ·  {stored.event.source}",
            )
            for stored in found.events
        )
        shown = _shown_text(chosen, search, found)
        return MyDataView(rows, chosen, activities, shown, search, page, pages)

    def _page(self, category: str, search: str, page: int) -> EventPage:
        offset = (page - 1) * ACTIVITY_PAGE
        return self.client.activity_page(
            category, search=search, offset=offset, limit=ACTIVITY_PAGE
        )

    def switch(self, category: str, opted_in: bool) -> Notice:
        """Record a category switched on or off (on this device: at once)."""
        self.client.set_opt_in(category, opted_in)
        label = category_label(category)
        if opted_in:
            return Notice(f"{label} switched on.")
        return Notice(f"{label} switched off: no model will be sent anything about it.")

    def models_reading(self, category: str) -> Notice:
        """How many live models read a category just switched on (the market is asked)."""
        try:
            models: int | None = self.client.coverage().get(parse_category(category).value, 0)
        except (MarketError, NotReady):  # switching on works offline and before an identity
            models = None
        return Notice(coverage_text(category_label(category), models))

    def set_opt_in(self, category: str, opted_in: bool) -> Notice:
        """Switch a category, and say how many models read it when it is switched on."""
        switched = self.switch(category, opted_in)
        return self.models_reading(category) if opted_in else switched

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


def _shown_text(category: CategoryRow, search: str, found: EventPage) -> str:
    """Which activities the page shows, e.g. "51 to 100 of 1,234 activities, most recent first"."""
    if not category.events:
        return "Nothing here yet: import a file or add an activity by hand."
    if not found.total:
        return f"No title in {category.label} contains “{search}”."
    matching = plural(found.total, "activity", "activities")
    if search:
        matching += f" whose title contains “{search}”"
    if found.total > len(found.events):
        first = found.offset + 1
        return f"{first:,} to {found.offset + len(found.events):,} of {matching}, most recent first"
    return f"All {matching}, most recent first" if found.total > 1 else matching
