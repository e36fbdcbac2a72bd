"""History: past rounds of recommendations with the votes cast on them, and changing a vote
while the payment period (the market's epoch) that counted it is open (the market says when
it no longer can)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from client_app.market import MarketError, MarketInfo, MarketUnavailable
from client_app.ranking import ItemKey, Vote
from client_app.sdk import PrivrecClient
from client_app.store import HistoryList, HistoryRound
from client_app.ui.controllers.wording import Notice, error_text, period_text, plural, when_text

ROUNDS_SHOWN: Final = 30
NO_HISTORY: Final = "No recommendations yet: your past lists and votes will be kept here."
SETTLED: Final = "Settled: these votes are final, the market has paid by them."
NOT_SENT: Final = "Not sent yet: your votes here go out with Send ratings on Recommendations."
OTHER_MARKET: Final = "From another market than the one you use now: these votes are final here."
STATUS_WORDS: Final = {
    "unrated": "You did not rate this list.",
    "queued": "Your rating waits on this device to be sent.",
    "counted": "Your rating is counted.",
    "changing": "Your new vote waits on this device to be sent.",
    "refused": "The market refused this rating.",
}


def open_text(epoch: int, open_epoch: int | None = None, due: datetime | None = None) -> str:
    """Until when the votes of a round counted in ``epoch`` can change."""
    period = period_text(epoch, open_epoch)
    when = f", due {when_text(due)}" if due is not None and epoch == open_epoch else ""
    return (
        f"You can change these votes until the market settles {period}{when} (it pays the "
        "models by them then)."
    )


def model_words(listed: HistoryList) -> tuple[str, str]:
    """Who made the list in people's words ("Picked by shelf-labs"), and the technical detail
    apart: the model's name and its own description, which reference models write for
    developers ("shelf@1.0.0 · A seeded test model ...")."""
    name, _, developer = listed.model_label.partition(" by ")
    description = " ".join(listed.model_description.split())
    technical = f"{name} · {description}" if description else name
    return (f"Picked by {developer}" if developer else f"The model {name}"), technical


@dataclass(frozen=True)
class HistoryItem:
    round_id: str
    source: str
    item_id: str
    title: str
    vote: Vote | None
    can_change: bool

    @property
    def key(self) -> ItemKey:
        return (self.source, self.item_id)


@dataclass(frozen=True)
class HistoryListView:
    impression_id: str
    model: str  # model_words
    technical: str  # name@version
    status: str
    items: tuple[HistoryItem, ...]


@dataclass(frozen=True)
class HistoryRoundView:
    round_id: str
    when: str
    state: str  # whether its votes can still change, and until when
    can_change: bool
    lists: tuple[HistoryListView, ...]


@dataclass(frozen=True)
class HistoryView:
    summary: str
    rounds: tuple[HistoryRoundView, ...]


class HistoryController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def load(self) -> HistoryView:
        rounds = self.client.history(ROUNDS_SHOWN)
        clock, reach = self._clock(rounds)
        views = tuple(self._round_view(round_, clock) for round_ in rounds)
        if not rounds:
            return HistoryView(NO_HISTORY, ())
        changeable = sum(view.can_change for view in views)
        summary = (
            f"Your last {plural(len(rounds), 'round')} of recommendations, newest first, kept on "
            f"this device; {changeable:,} can still change."
        )
        return HistoryView(summary + (f" {reach}" if reach else ""), views)

    def _clock(self, rounds: list[HistoryRound]) -> tuple[MarketInfo | None, str]:
        """The market's epoch clock (asked only when a sent round could still change), or
        None and why it is unknown."""
        if not any(r.submitted and r.market_url == self.client.market_url for r in rounds):
            return None, ""
        try:
            return self.client.market_info(refresh=True), ""
        except MarketError as error:  # unreachable, say: the market judges each change
            return None, error_text(error)

    def _round_view(self, round_: HistoryRound, clock: MarketInfo | None) -> HistoryRoundView:
        open_epoch = None if clock is None else clock.epoch
        if not round_.submitted:
            state, can_change = NOT_SENT, True
        elif round_.market_url != self.client.market_url:
            state, can_change = OTHER_MARKET, False
        elif open_epoch is not None and round_.epoch < open_epoch:
            state, can_change = SETTLED, False
        else:  # open, or the market could not say: it will, if it is too late
            due = None if clock is None else clock.epoch_due
            state, can_change = open_text(round_.epoch, open_epoch, due), True
        return HistoryRoundView(
            round_id=round_.round_id,
            when=when_text(round_.created_at),
            state=state,
            can_change=can_change,
            lists=tuple(
                self._list_view(round_.round_id, listed, can_change) for listed in round_.lists
            ),
        )

    @staticmethod
    def _list_view(round_id: str, listed: HistoryList, can_change: bool) -> HistoryListView:
        model, technical = model_words(listed)
        status = STATUS_WORDS.get(listed.status, listed.status)
        if listed.vote_changes:
            status += f" You changed your vote {plural(listed.vote_changes, 'time')}."
        if listed.problem:
            earlier = " It counts your earlier vote." if listed.status == "counted" else ""
            status += f" Not taken: {listed.problem}.{earlier}"
        movable = can_change and listed.status != "refused"
        return HistoryListView(
            impression_id=listed.impression_id,
            model=model,
            technical=technical,
            status=status,
            items=tuple(
                HistoryItem(
                    round_id=round_id,
                    source=item.source,
                    item_id=item.item_id,
                    title=item.title or item.item_id,
                    vote=vote,
                    can_change=movable,
                )
                for item, vote in listed.items
            ),
        )

    def toggle_vote(self, round_id: str, key: ItemKey, vote: Vote) -> Notice:
        """Like or dislike an item of a past round (choosing its vote again clears it); a sent
        round's change goes to the market at once."""
        current = self.client.round_votes(round_id).get(key)
        result = self.client.change_vote(round_id, key, None if current == vote else vote)
        if result.error is not None:
            return Notice(
                f"Your new vote waits on this device and will be sent later: "
                f"{error_text(MarketUnavailable(result.error))}",
                is_error=True,
            )
        if result.refused:
            return Notice(
                "The market did not take the change: the list below says why.", is_error=True
            )
        if result.delivered:
            return Notice(
                f"Changed: the market counts your new vote on {plural(result.delivered, 'list')}."
            )
        return Notice("Vote saved.")
