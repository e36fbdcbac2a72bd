"""History: past rounds of recommendations, newest first, each list with who made it and the
votes cast on it; a vote changes while the epoch that counted it is open."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from client_app.ranking import ItemKey, Vote
from client_app.ui.controllers import (
    HistoryController,
    HistoryItem,
    HistoryListView,
    HistoryRoundView,
    HistoryView,
    Notice,
)
from client_app.ui.screens.base import AppScreen, load_kv, no_progress

# VoteButton's rule lives with the Recommendations screen: importing it loads that rule.
from client_app.ui.screens.recommendations import VoteButton

__all__ = ["HistoryItemRow", "HistoryListBox", "HistoryRoundCard", "HistoryScreen", "VoteButton"]


class HistoryItemRow(BoxLayout):
    """An item of a past list and your vote on it. Plain text: catalogs come from strangers."""

    title = StringProperty()
    vote = StringProperty("")
    can_change = BooleanProperty(False)

    def __init__(self, screen: HistoryScreen, item: HistoryItem, **kwargs: Any) -> None:
        self.screen = screen
        self.round_id = item.round_id
        self.key: ItemKey = item.key
        super().__init__(
            title=item.title, vote=item.vote or "", can_change=item.can_change, **kwargs
        )

    def press(self, vote: Vote) -> None:
        self.screen.toggle_vote(self.round_id, self.key, vote)


class HistoryListBox(BoxLayout):
    """One model's list in a past round: the model in people's words, where the rating stands."""

    model = StringProperty()
    technical = StringProperty()
    status = StringProperty()

    def __init__(self, screen: HistoryScreen, listed: HistoryListView, **kwargs: Any) -> None:
        super().__init__(
            model=listed.model, technical=listed.technical, status=listed.status, **kwargs
        )
        self.rows = [HistoryItemRow(screen, item) for item in listed.items]
        for row in self.rows:
            self.ids.item_rows.add_widget(row)


class HistoryRoundCard(BoxLayout):
    """A past round: when, whether its votes can still change, and its lists."""

    when = StringProperty()
    state = StringProperty()
    can_change = BooleanProperty(False)

    def __init__(self, screen: HistoryScreen, round_: HistoryRoundView, **kwargs: Any) -> None:
        super().__init__(
            when=round_.when, state=round_.state, can_change=round_.can_change, **kwargs
        )
        self.lists = [HistoryListBox(screen, listed) for listed in round_.lists]
        for box in self.lists:
            self.ids.lists.add_widget(box)


class HistoryScreen(AppScreen):
    controller: HistoryController
    summary = StringProperty("Reading your history…")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cards: list[HistoryRoundCard] = []

    def load(self) -> None:
        self.run("reading your history", no_progress(self.controller.load), self.show)

    def show(self, view: HistoryView) -> None:
        self.summary = view.summary
        rounds = self.ids.rounds
        rounds.clear_widgets()
        self.cards = [HistoryRoundCard(self, round_) for round_ in view.rounds]
        for card in self.cards:
            rounds.add_widget(card)

    def toggle_vote(self, round_id: str, key: ItemKey, vote: Vote) -> None:
        def changed(_notice: Notice) -> None:
            self.load()

        self.run(
            "changing your vote",
            no_progress(lambda: self.controller.toggle_vote(round_id, key, vote)),
            changed,
        )


load_kv("history.kv")
