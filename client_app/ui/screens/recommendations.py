"""Recommendations: the competing models' lists side by side per category, the blended "best of
market" list, like / dislike on each item of either, Refresh and Send ratings."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from client_app.ranking import ItemKey, Vote
from client_app.ui.controllers import (
    BLENDED_NOTE,
    ItemView,
    ModelColumn,
    RecommendationsController,
    RecommendationsView,
)
from client_app.ui.screens.base import AppScreen, Subheading, load_kv, no_progress


class VoteButton(Button):
    """Like or dislike: lit while it is the item's vote; pressing it again clears the vote."""

    kind = StringProperty("like")
    active = BooleanProperty(False)


class ItemRow(BoxLayout):
    """One recommended item, in a model's list or the blended one (``rank`` > 0). Its title is
    plain text: catalogs come from strangers."""

    rank = NumericProperty(0)
    title = StringProperty()
    details = StringProperty()
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
        self.vote = item.vote or ""
        self.can_vote = item.can_vote

    def press(self, vote: Vote) -> None:
        self.screen.toggle_vote(self.round_id, self.key, vote)


class ModelCard(BoxLayout):
    """One model's list: who made it, how you rated it so far, what it pays."""

    name = StringProperty()
    developer = StringProperty()
    description = StringProperty()
    reputation = StringProperty()
    bid = StringProperty()
    sent = BooleanProperty(False)

    def __init__(self, screen: RecommendationsScreen, column: ModelColumn, **kwargs: Any):
        super().__init__(**kwargs)
        self.rows = [ItemRow(screen, item) for item in column.items]
        for row in self.rows:
            self.ids.item_rows.add_widget(row)
        self.update(column)

    def update(self, column: ModelColumn) -> None:
        self.name = column.name
        self.developer = column.developer
        self.description = column.description
        self.reputation = column.reputation
        self.bid = column.bid
        self.sent = column.sent
        for row, item in zip(self.rows, column.items, strict=True):
            row.update(item)


class ModelGroup(BoxLayout):
    """The lists of the models that read the same categories, side by side."""

    title = StringProperty()


class RecommendationsScreen(AppScreen):
    controller: RecommendationsController
    summary = StringProperty()
    unsent = NumericProperty(0)
    skipped = StringProperty()
    blended_note = StringProperty(BLENDED_NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cards: dict[str, ModelCard] = {}  # by impression id
        self.blended_rows: list[ItemRow] = []

    def on_enter(self, *_args: Any) -> None:
        if not self.controller.has_round and not self.busy:
            self.refresh()

    def load(self) -> None:
        self.run("showing your recommendations", no_progress(self.controller.view), self.show)

    def refresh(self) -> None:
        self.summary = "Asking the market's models (your profile is encrypted first)…"
        self.run("refreshing", self.controller.refresh, self.show, self._failed)

    def _failed(self, message: str) -> None:
        self.summary = message

    def show(self, view: RecommendationsView) -> None:
        self.summary = view.summary
        self.unsent = view.unsent_lists
        self.skipped = "Not asked: " + "; ".join(view.skipped) if view.skipped else ""
        columns = [column for group in view.groups for column in group.columns]
        if {c.impression_id for c in columns} == set(self._cards):
            # The same round: update in place, keep the scroll position.
            for column in columns:
                self._cards[column.impression_id].update(column)
            for row, item in zip(self.blended_rows, view.blended, strict=True):
                row.update(item)
            return
        self._cards = {}
        groups = self.ids.groups
        groups.clear_widgets()
        for group in view.groups:
            box = ModelGroup(title=group.title)
            for column in group.columns:
                card = ModelCard(self, column)
                self._cards[column.impression_id] = card
                box.ids.columns.add_widget(card)
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
        )

    def send_ratings(self) -> None:
        self.run("sending your ratings", no_progress(self.controller.send_ratings), self._sent)

    def _sent(self, _notice: object) -> None:
        self.load()


load_kv("recommendations.kv")
