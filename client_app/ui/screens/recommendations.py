"""Recommendations: a section per category with the competing models' lists side by side (each
with its catalog, a reason and a link per item, the "again" items apart), the blended "best of
market" list, like / dislike on each item of any of them, Refresh and Send ratings."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from client_app.ranking import ItemKey, Vote
from client_app.ui.controllers import (
    AGAIN_NOTE,
    BLENDED_NOTE,
    NOTHING_FITS,
    CategoryGroup,
    ItemView,
    ModelColumn,
    RecommendationsController,
    RecommendationsView,
)
from client_app.ui.screens.base import AppScreen, Subheading, load_kv, no_progress
from client_app.ui.screens.keyboard import KeyButton


class VoteButton(KeyButton):
    """Like or dislike: lit while it is the item's vote; pressing it again clears the vote."""

    kind = StringProperty("like")
    active = BooleanProperty(False)


class LinkButton(KeyButton):
    """Opens ``url`` in the system browser; takes no room while there is none."""

    url = StringProperty("")


class ItemRow(BoxLayout):
    """One recommended item, in a model's list or the blended one (``rank`` > 0). Its texts
    are plain text: catalogs come from strangers."""

    rank = NumericProperty(0)
    title = StringProperty()
    details = StringProperty()
    reason = StringProperty()
    link = StringProperty()
    vote = StringProperty("")  # "like", "dislike" or ""
    can_vote = BooleanProperty(True)

    def __init__(self, screen: RecommendationsScreen, item: ItemView, **kwargs: Any) -> None:
        self.screen = screen
        self.round_id = item.round_id
        self.key: ItemKey = item.key
        super().__init__(**kwargs)
        self.update(item)

    def update(self, item: ItemView) -> None:
        self.title = item.title
        self.details = item.details
        self.reason = item.reason
        self.link = item.link or ""
        self.vote = item.vote or ""
        self.can_vote = item.can_vote

    def press(self, vote: Vote) -> None:
        self.screen.toggle_vote(self.round_id, self.key, vote)


class ModelCard(BoxLayout):
    """One model's list: who made it, what it reads and recommends from, how you rated it so
    far, what it pays; its items, or why there are none, then the items it offers again."""

    name = StringProperty()
    developer = StringProperty()
    description = StringProperty()
    reads = StringProperty()
    catalog = StringProperty()
    attribution = StringProperty()
    licence_link = StringProperty()
    non_commercial = BooleanProperty(False)
    reputation = StringProperty()
    bid = StringProperty()
    sent = BooleanProperty(False)
    fits = BooleanProperty(True)
    has_again = BooleanProperty(False)
    nothing_fits = StringProperty(NOTHING_FITS)
    again_note = StringProperty(AGAIN_NOTE)
    headline = StringProperty()
    technical = StringProperty()  # shown by the card's Details toggle

    def __init__(self, screen: RecommendationsScreen, column: ModelColumn, **kwargs: Any):
        self.screen = screen
        self.impression_id = column.impression_id
        super().__init__(**kwargs)
        self.rows = [ItemRow(screen, item) for item in column.items]
        for row in self.rows:
            self.ids.item_rows.add_widget(row)
        self.again_rows = [ItemRow(screen, item) for item in column.again_items]
        for row in self.again_rows:
            self.ids.again_rows.add_widget(row)
        self.update(column)

    def update(self, column: ModelColumn) -> None:
        self.headline = column.headline or column.name
        self.technical = column.technical
        self.name = column.name
        self.developer = column.developer
        self.description = column.description
        self.reads = column.reads
        self.catalog = column.catalog
        self.attribution = column.attribution
        self.licence_link = column.licence_link or ""
        self.non_commercial = column.non_commercial
        self.reputation = column.reputation
        self.bid = column.bid
        self.sent = column.sent
        self.fits = column.fits
        self.has_again = bool(column.again_items)
        for row, item in zip(self.rows + self.again_rows, column.all_items, strict=True):
            row.update(item)


class ModelGroup(BoxLayout):
    """A category's section: the lists of the models recommending from it side by side (two
    to a row at most: a third would leave each too narrow to read; one in a narrow window),
    or why there are none."""

    title = StringProperty()
    note = StringProperty()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cards: list[ModelCard] = []

    def add_cards(self, cards: list[ModelCard]) -> None:
        self.cards = cards
        for card in cards:
            self.ids.columns.add_widget(card)


Layout = tuple[tuple[str, str, tuple[str, ...]], ...]  # per section: title, note, impressions


def _layout(groups: tuple[CategoryGroup, ...]) -> Layout:
    return tuple((g.title, g.note, tuple(c.impression_id for c in g.columns)) for g in groups)


class RecommendationsScreen(AppScreen):
    controller: RecommendationsController
    summary = StringProperty()
    unsent = NumericProperty(0)
    skipped = StringProperty()
    blended_note = StringProperty(BLENDED_NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cards: dict[str, ModelCard] = {}  # by impression id
        self._layout: Layout | None = None  # the sections on screen
        self.blended_rows: list[ItemRow] = []

    def on_enter(self, *_args: Any) -> None:
        if not self.controller.has_round and not self.busy:
            self.refresh(clicked=False)

    def load(self) -> None:
        self.run("showing your recommendations", no_progress(self.controller.view), self.show)

    def refresh(self, clicked: bool = True) -> None:
        """Ask the market again (a click is refused while another long job runs)."""
        if self.run("refreshing", self.controller.refresh, self.show, self._failed, now=clicked):
            self.summary = "Asking the market's models (your profile is encrypted first)…"

    def _failed(self, message: str) -> None:
        self.summary = message

    def show(self, view: RecommendationsView) -> None:
        self.summary = view.summary
        self.unsent = view.unsent_lists
        self.skipped = "Not asked: " + "; ".join(view.skipped) if view.skipped else ""
        layout = _layout(view.groups)
        if layout == self._layout:
            # The same round: update in place, keep the scroll position.
            for group in view.groups:
                for column in group.columns:
                    self._cards[column.impression_id].update(column)
            for row, item in zip(self.blended_rows, view.blended, strict=True):
                row.update(item)
            return
        self._layout = layout
        self._cards = {}
        groups = self.ids.groups
        groups.clear_widgets()
        for group in view.groups:
            box = ModelGroup(title=group.title, note=group.note)
            cards = [ModelCard(self, column) for column in group.columns]
            box.add_cards(cards)
            self._cards.update((card.impression_id, card) for card in cards)
            groups.add_widget(box)
        if view.empty:
            groups.add_widget(Subheading(text="No lists to show yet."))
        blended = self.ids.blended
        blended.clear_widgets()
        self.blended_rows = [
            ItemRow(self, item, rank=rank) for rank, item in enumerate(view.blended, start=1)
        ]
        for row in self.blended_rows:
            blended.add_widget(row)

    def toggle_vote(self, round_id: str, key: ItemKey, vote: Vote) -> None:
        self.run(
            "saving your vote",
            no_progress(lambda: self.controller.toggle_vote(round_id, key, vote)),
            self.show,
            quick=True,  # the store on this device: at once, even while a round is asked for
        )

    def open_link(self, url: str) -> None:
        """Open a link in the system browser (off the UI thread: starting one can take a
        while); the status line says what happened."""
        self.run("opening the link", no_progress(lambda: self.controller.open_link(url)))

    def send_ratings(self) -> None:
        self.run(
            "sending your ratings",
            no_progress(self.controller.send_ratings),
            self._sent,
            now=True,
        )

    def _sent(self, _notice: object) -> None:
        self.load()


load_kv("recommendations.kv")
