"""Recommendations: a round's lists by category, with each catalog, reason, link and "again"
items; the blended list, votes, sending ratings and opening links."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from client_app.errors import NotReady
from client_app.market import LiveModel, MarketError, MarketUnavailable
from client_app.ranking import ItemKey, Recommendation, Reputation, Vote
from client_app.rounds import ModelList, RecommendationRound
from client_app.sdk import PrivrecClient
from client_app.ui.controllers.wording import (
    CATEGORY_ORDER,
    Notice,
    Opener,
    Progress,
    bid_text,
    category_label,
    error_text,
    model_short_label,
    plural,
    reputation_text,
)
from recommenders.activity import Category
from recommenders.bundle import CatalogInfo, InvalidBundle, check_link

DETAIL_VALUE_CHARS = 60
NOTHING_FITS = "Nothing in this catalog fits your activity."
AGAIN_NOTE = "Already in your activity: this model suggests coming back to them."


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) link to a host, else None. Catalogs come from strangers:
    a javascript:, file: or data: link must never reach the browser (bundles are checked the
    same way when they are loaded; this holds whatever the list was built from)."""
    if not url or not url.isprintable():
        return None
    try:
        return check_link(url, "link")
    except InvalidBundle:
        return None


def details_text(details: Sequence[tuple[str, str]]) -> str:
    """A catalog item's display fields on one line. A label starts a phrase (manifests name
    them so): "by George Orwell  ·  first published 1949"."""
    shown = []
    for label, value in details:
        value = " ".join(str(value).split())
        if not value:
            continue
        if len(value) > DETAIL_VALUE_CHARS:
            value = value[: DETAIL_VALUE_CHARS - 1] + "…"
        shown.append(f"{label.strip()} {value}".strip())
    return "  ·  ".join(shown)


def catalog_text(catalog: CatalogInfo, items: int) -> str:
    """What a list recommends from, in people's words: "Books on Goodreads  ·  10,000 items  ·
    worldwide  ·  2006-2017  ·  CC BY-SA 4.0" (the parts the model declares)."""
    return catalog.in_words(items)


def uncovered_text(category: str) -> str:
    return f"No model on this market recommends from your {category_label(category).lower()} yet."


@dataclass(frozen=True)
class ItemView:
    """An item of a list, the blended one included; a vote on it holds in its whole round."""

    round_id: str
    source: str
    item_id: str
    title: str
    details: str
    vote: Vote | None
    can_vote: bool
    reason: str = ""  # "because you read 1984"
    link: str | None = None  # http(s) only (safe_link)

    @property
    def key(self) -> ItemKey:
        return (self.source, self.item_id)


@dataclass(frozen=True)
class ModelColumn:
    impression_id: str
    name: str  # name@version
    developer: str
    description: str
    reputation: str
    bid: str
    items: tuple[ItemView, ...]
    sent: bool
    reads: str = ""  # "reads your music and web pages"
    catalog: str = ""  # catalog_text
    attribution: str = ""
    licence_link: str | None = None
    non_commercial: bool = False
    fits: bool = True  # False: the list is withheld, and NOTHING_FITS is shown instead
    again_items: tuple[ItemView, ...] = ()
    # People's words first: what it recommends and who made it ("Books, picked by
    # shelf-labs"); the technical detail (name@version and its tower) only on demand.
    headline: str = ""
    technical: str = ""

    @property
    def all_items(self) -> tuple[ItemView, ...]:
        return self.items + self.again_items


@dataclass(frozen=True)
class CategoryGroup:
    """A section of the screen: the lists recommending from some categories, or (no columns)
    what the user switched on that no model recommends from."""

    title: str
    columns: tuple[ModelColumn, ...]
    note: str = ""


@dataclass(frozen=True)
class RecommendationsView:
    groups: tuple[CategoryGroup, ...]
    blended: tuple[ItemView, ...]
    skipped: tuple[str, ...]
    summary: str
    unsent_lists: int  # rated lists whose summary is not sent yet

    @property
    def empty(self) -> bool:
        return not any(group.columns for group in self.groups)


NO_ROUND = RecommendationsView(
    (), (), (), "No recommendations yet: press Refresh to ask the market's models.", 0
)
BLENDED_NOTE = (
    "All lists fused, each model weighted by how much you liked it. Rate here or in a model's "
    "list: a vote counts wherever the item appears. A model is paid from your budget for the "
    "liked items it brought here (they would not be here without it), less the disliked ones."
)


def uncovered_groups(categories: Iterable[str]) -> tuple[CategoryGroup, ...]:
    return tuple(
        CategoryGroup(category_label(category), (), uncovered_text(category))
        for category in categories
    )


def in_app_order(categories: Iterable[str]) -> tuple[str, ...]:
    """Categories in the order the app lists them (web, music, purchases, books, places)."""
    return tuple(sorted(categories, key=lambda c: CATEGORY_ORDER.get(c, len(CATEGORY_ORDER))))


def reads_text(categories: Iterable[str]) -> str:
    labels = [category_label(category).lower() for category in in_app_order(categories)]
    if len(labels) > 1:
        return f"reads your {', '.join(labels[:-1])} and {labels[-1]}"
    return f"reads your {labels[0]}" if labels else ""


class RecommendationsController:
    """Keeps the latest round; votes and sent states are read back from the client's store.
    Links open through ``opener`` (the system browser by default)."""

    def __init__(self, client: PrivrecClient, opener: Opener = webbrowser.open) -> None:
        self.client = client
        self._opener = opener
        self._round: RecommendationRound | None = None
        self._no_round = NO_ROUND

    @property
    def has_round(self) -> bool:
        return self._round is not None

    def clear(self) -> None:
        self._round = None
        self._no_round = NO_ROUND

    def refresh(self, progress: Progress) -> RecommendationsView:
        try:
            self._round = self.client.refresh(progress)
        except NotReady as not_ready:
            # Nothing to ask: when that is because no model reads what the user switched on,
            # the screen says so per category rather than only in the status line.
            try:
                uncovered = self._uncovered()
            except MarketError:
                raise not_ready from None
            if not uncovered:
                raise
            self._round = None
            self._no_round = RecommendationsView(
                uncovered_groups(uncovered), (), (), error_text(not_ready), 0
            )
        return self.view()

    def _uncovered(self) -> tuple[str, ...]:
        coverage = self.client.coverage()
        opted_in = {state.category.value for state in self.client.categories() if state.opted_in}
        return tuple(c.value for c in Category if c.value in opted_in and not coverage.get(c))

    def view(self) -> RecommendationsView:
        round_ = self._round
        if round_ is None:
            return self._no_round
        reputations = self.client.reputations()
        said = self.client.round_votes(round_.round_id)
        can_vote = self.client.store.round(round_.round_id).submitted_at is None

        def item_view(item: Recommendation, details: str) -> ItemView:
            key = (item.source, item.item_id)
            return ItemView(
                round_.round_id, item.source, item.item_id, item.title, details, said.get(key),
                can_vote, item.reason or "", safe_link(item.link),
            )  # fmt: skip

        def list_item(item: Recommendation) -> ItemView:
            # Only the fields the model declares for people: never raw catalog columns.
            return item_view(item, details_text(item.details))

        columns: dict[tuple[str, ...], list[ModelColumn]] = {}
        unsent = 0
        for entry in round_.lists:
            catalog = entry.catalog
            column = ModelColumn(
                impression_id=entry.impression_id,
                name=model_short_label(entry.model),
                developer=f"by {entry.model.developer}",
                description=entry.model.description,
                reputation=reputation_text(reputations.get(entry.model.key, Reputation(0, 0))),
                bid=bid_text(entry.model.bid),
                items=tuple(list_item(item) for item in entry.items),
                sent=self.client.store.impression(entry.impression_id).submitted_at is not None,
                reads=reads_text(entry.categories),  # what was read for this user
                catalog=catalog_text(catalog, entry.model.items),
                attribution=f"Data: {catalog.attribution.strip()}" if catalog.attribution else "",
                licence_link=safe_link(catalog.licence_url),
                non_commercial=catalog.non_commercial,
                fits=entry.fits,
                again_items=tuple(list_item(item) for item in entry.again_items),
                headline=headline_text(entry),
                technical=technical_text(entry.model),
            )
            unsent += can_vote and any(item.vote for item in column.all_items)
            columns.setdefault(_recommended_categories(entry), []).append(column)
        groups = tuple(
            CategoryGroup(" + ".join(category_label(c) for c in key), tuple(columns[key]))
            for key in sorted(columns, key=_group_order)
        )
        groups += uncovered_groups(round_.uncovered)

        def blended_item(item: Recommendation, models: Iterable[str]) -> ItemView:
            said = [category_label(item.category), details_text(item.details)]
            said.append(f"picked by {', '.join(_developers(models))}")
            return item_view(item, "  ·  ".join(part for part in said if part))

        blended = tuple(blended_item(b.item, b.models) for b in round_.blended)
        skipped = tuple(
            f"a model by {s.model.developer} ({model_short_label(s.model)}): {s.reason}"
            for s in round_.skipped
        )
        asked = len(round_.lists)
        summary = (
            f"{plural(asked, 'model')} scored your encrypted profile in "
            f"{sum(round_.seconds.values()):.1f} s. Only this device could read the answers."
        )
        return RecommendationsView(groups, blended, skipped, summary, unsent)

    def open_link(self, url: str) -> Notice:
        """Open an item's link in the system browser; only http(s) links are ever opened."""
        link = safe_link(url)
        if link is None:
            return Notice(f"Not opened: {url!r} is not an http(s) link.", is_error=True)
        if self._opener(link) is False:
            return Notice(f"No web browser could be started to open {link}.", is_error=True)
        return Notice(f"Opened {link} in your web browser.")

    def toggle_vote(self, round_id: str, key: ItemKey, vote: Vote) -> RecommendationsView:
        """Like or dislike an item, in a model's list or the blended one (the vote holds in
        both); choosing the vote it already has clears it."""
        current = self.client.round_votes(round_id).get(key)
        self.client.rate_in_round(round_id, key, None if current == vote else vote)
        return self.view()

    def send_ratings(self) -> Notice:
        result = self.client.send_ratings()
        if result.error is not None:
            why = error_text(result.unavailable or MarketUnavailable(result.error))
            return Notice(
                f"{plural(result.pending, 'rating summary', 'rating summaries')} wait on this "
                f"device and will be retried: {why}",
                is_error=True,
            )
        if not (result.delivered or result.refused):
            return Notice("Nothing to send: like or dislike a few items first.")
        text = f"Sent the ratings of {plural(result.delivered, 'list')} to the market."
        if result.refused:
            refused = plural(result.refused, "list was", "lists were")
            text += f" {refused} refused (too late to rate)."
        return Notice(text, is_error=bool(result.refused))


def headline_text(entry: ModelList) -> str:
    """A list in people's words: what it recommends and who made it, e.g. "Books, picked by
    shelf-labs" (the catalog it recommends from has its own line)."""
    what = " + ".join(category_label(c) for c in _recommended_categories(entry))
    return f"{what}, picked by {entry.model.developer}"


def technical_text(model: LiveModel) -> str:
    """What the "Details" toggle shows: the model's name and version, its own description of
    its user tower, and the size of its encrypted product."""
    described = " ".join(model.description.split())
    return (
        f"{model_short_label(model)}: {described}  ·  {model.dim}-dimensional profile, "
        f"{plural(model.items, 'item')}"
    )


def _recommended_categories(entry: ModelList) -> tuple[str, ...]:
    """The section a list belongs in: the categories of the items it recommends (a model may
    read music to recommend books), else, for a withheld list, those it read for this user."""
    shown = {item.category for item in (*entry.items, *entry.again_items)}
    return in_app_order(shown or set(entry.categories))


def _group_order(categories: tuple[str, ...]) -> tuple[int, tuple[int, ...]]:
    return len(categories), tuple(CATEGORY_ORDER.get(c, len(CATEGORY_ORDER)) for c in categories)


def _developers(labels: Iterable[str]) -> list[str]:
    """ "shelf@1.0.0 by shelf-labs" -> "shelf-labs", each maker once: people know who picked an
    item; the models' technical names are in their own lists' details."""
    return list(dict.fromkeys(label.rsplit(" by ", 1)[-1] for label in labels))
