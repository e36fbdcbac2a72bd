"""The logic of every screen and the plain view-models it shows, with no Kivy: tests drive these
classes without a window. Their methods block (disk, embedding, encryption, network), so the UI
runs them on its worker thread."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from client_app.importers import IMPORTERS, ImportFailed, get_importer
from client_app.market import LiveModel, MarketError, MarketUnavailable
from client_app.ranking import ItemKey, Recommendation, Reputation, Vote
from client_app.sdk import ModelList, NotReady, PrivrecClient, RecommendationRound, WalletView
from client_app.store import DataUse, StoreError
from ledger.book import PayoutLine, UserSettlement
from recommenders.activity import ActivityEvent, Category, parse_category
from recommenders.bundle import CatalogInfo, InvalidBundle, check_link
from recommenders.embeddings import EmbeddingError

Progress = Callable[[str, float], None]
Opener = Callable[[str], object]  # webbrowser.open: False when no browser could be started

# The screens, in the order of the navigation bar: (name, title).
SCREENS: Final = (
    ("welcome", "Welcome"),
    ("my_data", "My data"),
    ("recommendations", "Recommendations"),
    ("wallet", "Wallet"),
    ("privacy", "Privacy"),
    ("settings", "Settings"),
)
CATEGORY_LABELS: Final = {
    Category.WEB: "Web pages",
    Category.MUSIC: "Music",
    Category.PURCHASES: "Purchases",
    Category.BOOKS: "Books",
    Category.PLACES: "Places",
}
CATEGORY_ORDER: Final = {category.value: position for position, category in enumerate(Category)}
MANUAL_SOURCE = "manual"
# Enough to recognise recent activity; the rest stays in the store, counted.
ACTIVITY_SHOWN = 100
METADATA_SHOWN = 3
METADATA_VALUE_CHARS = 40


@dataclass(frozen=True)
class Notice:
    """The outcome of an action, for the status line (red when ``is_error``)."""

    text: str
    is_error: bool = False


# --- wording -----------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def error_text(error: BaseException) -> str:
    """What to tell the user about a failed action, in words they can act on."""
    if isinstance(error, ImportFailed):
        where = f" ({error.location})" if error.location else ""
        return f"Could not import {error.file_name}{where}: {error.reason}. Nothing was kept."
    if isinstance(error, MarketUnavailable):
        return _sentence(f"{error}. Your data is safe on this device; try again later")
    if isinstance(error, MarketError):
        return _sentence(f"The market refused: {error}")
    if isinstance(error, EmbeddingError):
        return _sentence(f"Could not compute your profile: {error}")
    if isinstance(error, NotReady | StoreError | ValueError):
        return _sentence(str(error))
    if isinstance(error, OSError):
        return _sentence(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    return _sentence(f"Unexpected error ({type(error).__name__}): {error}")


def category_label(category: Category | str) -> str:
    try:
        return CATEGORY_LABELS[parse_category(category)]
    except ValueError:
        return str(category)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def credits_text(amount: int) -> str:
    return plural(amount, "credit")


def size_text(size: int) -> str:
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def when_text(moment: datetime) -> str:
    """A moment in the user's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def reputation_text(reputation: Reputation) -> str:
    """E.g. "73% liked, 11 ratings": this user's own votes on the model's items."""
    ratings = reputation.likes + reputation.dislikes
    if ratings == 0:
        return "not rated by you yet"
    return f"{round(100 * reputation.likes / ratings)}% liked, {plural(ratings, 'rating')}"


def bid_text(bid: int) -> str:
    if bid <= 0:
        return "pays nothing for your attention"
    return f"pays {credits_text(bid)} per rated list"


def metadata_text(metadata: Mapping[str, Any], limit: int = METADATA_SHOWN) -> str:
    """A few "key: value" pairs of a catalog item's metadata, on one line."""
    pairs = []
    for key, value in metadata.items():
        if value is None or value == "" or isinstance(value, Mapping):
            continue
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        shown = str(value)
        if len(shown) > METADATA_VALUE_CHARS:
            shown = shown[: METADATA_VALUE_CHARS - 1] + "…"
        pairs.append(f"{key}: {shown}")
        if len(pairs) == limit:
            break
    return "  ·  ".join(pairs)


def model_short_label(model: LiveModel) -> str:
    return f"{model.name}@{model.version}"


# --- the app as a whole --------------------------------------------------------------------------


class AppController:
    """Which screen the app opens on, the background retry of ratings, and the controller of each
    screen, all over one client."""

    def __init__(self, client: PrivrecClient, opener: Opener = webbrowser.open) -> None:
        self.client = client
        self.recommendations = RecommendationsController(client, opener)
        self.welcome = WelcomeController(client)
        self.my_data = MyDataController(client)
        self.wallet = WalletController(client)
        self.privacy = PrivacyController(client)
        self.settings = SettingsController(client, on_market_changed=self.recommendations.clear)

    def start_screen(self) -> str:
        """Welcome until there is an identity; then Recommendations once something is opted
        in, else My data (where opting in happens)."""
        if not self.client.has_identity:
            return "welcome"
        if any(state.opted_in for state in self.client.categories()):
            return "recommendations"
        return "my_data"

    def retry_ratings(self) -> Notice | None:
        """Deliver queued rating summaries that are due; a notice only if something happened."""
        if not self.client.has_identity or not self.client.pending_ratings():
            return None
        result = self.client.flush_outbox()
        if result.delivered:
            sent = plural(result.delivered, "queued rating summary", "queued rating summaries")
            return Notice(f"Sent {sent}.")
        return None


# --- welcome -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WelcomeView:
    stays: tuple[str, ...]
    leaves: tuple[str, ...]
    has_identity: bool
    account_text: str


class WelcomeController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def view(self) -> WelcomeView:
        per_item = "on" if self.client.share_item_feedback else "off"
        stays = (
            "Everything you read, play, buy or visit stays on this device: your activity, "
            "and the profile computed from it.",
            "Your keys are made here and never leave: nobody else can read your encrypted "
            "profile or the scores that come back.",
            "The market never learns what was recommended to you: only this device decrypts and "
            "ranks the scores.",
            "Nothing is read from a category until you switch it on in My data.",
        )
        leaves = (
            "Encrypted profiles of the categories you switched on, one per model asked.",
            "For each list you rate: how many items you liked and disliked (a summary).",
            "Which items you liked or disliked, only if you allow it in Settings "
            f"(now {per_item}); models pay more for it.",
        )
        account = self.client.account_id
        account_text = (
            f"Your identity: {account[:16]}…  (market: {self.client.market_url})"
            if account
            else "No identity yet: it is made on this device, in a few seconds."
        )
        return WelcomeView(stays, leaves, account is not None, account_text)

    def create_identity(self, progress: Progress) -> Notice:
        """Make the Ed25519 identity and CKKS keys, then register with the market. Without a
        market the identity is still made: the notice says what to fix."""
        progress("creating your keys on this device", 0.1)
        account = self.client.create_identity()
        progress("connecting to the market (uploading your public evaluation keys)", 0.5)
        try:
            self.client.connect()
        except MarketError as error:
            return Notice(f"Your identity is ready, but: {error_text(error)}", is_error=True)
        progress("connected", 1.0)
        return Notice(f"Your identity {account[:16]}… is ready and connected to the market.")


# --- my data -----------------------------------------------------------------------------------


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
class ImporterChoice:
    key: str
    label: str
    category: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class MyDataView:
    categories: tuple[CategoryRow, ...]
    selected: CategoryRow
    activities: tuple[ActivityRow, ...]
    shown_text: str
    importers: tuple[ImporterChoice, ...]  # the selected category's first

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
        return MyDataView(rows, chosen, activities, shown, self.importers(chosen.category))

    @staticmethod
    def importers(category: str | None = None) -> tuple[ImporterChoice, ...]:
        """Every importer, the ones for ``category`` first (in their display order)."""
        choices = [
            ImporterChoice(i.key, i.label, i.category.value, tuple(i.patterns))
            for i in IMPORTERS.values()
        ]
        return tuple(sorted(choices, key=lambda choice: choice.category != category))

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

    def import_file(self, importer_key: str, path: Path | str, progress: Progress) -> Notice:
        importer = get_importer(importer_key)
        parsed, added = self.client.import_file(importer.key, Path(path), progress)
        label = category_label(importer.category)
        parts = [f"Imported {plural(added.added, 'activity', 'activities')} into {label}"]
        if added.duplicates:
            parts.append(f"{added.duplicates:,} already there")
        if parsed.skipped:
            parts.append(f"{parsed.skipped:,} records without a title skipped")
        return Notice(", ".join(parts) + f" (from {parsed.file_name}).")

    def forget(self, category: str) -> Notice:
        titles = self.client.forget_category(category)
        return Notice(
            f"Forgot {plural(titles, 'title')} in {category_label(category)}, and switched it off."
        )


# --- recommendations ---------------------------------------------------------------------------

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
    description = (catalog.description or "").strip() or f"Catalog of {catalog.source}"
    parts = [description, plural(items, "item"), catalog.region, catalog.period, catalog.licence]
    return "  ·  ".join(part.strip() for part in parts if part and part.strip())


def uncovered_text(category: str) -> str:
    return f"No model on this market recommends from your {category_label(category).lower()} yet."


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
SETTLEMENT_NOTE = (
    "A model brought an item into your blended list when the list would not have it without "
    "that model; each model counts the liked items it brought, less the disliked ones."
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
            # A model that declares no display fields still says something of its items.
            return item_view(item, details_text(item.details) or metadata_text(item.metadata))

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
                reads=reads_text(entry.model.categories),
                catalog=catalog_text(catalog, entry.model.items),
                attribution=f"Data: {catalog.attribution.strip()}" if catalog.attribution else "",
                licence_link=safe_link(catalog.licence_url),
                non_commercial=catalog.non_commercial,
                fits=entry.fits,
                again_items=tuple(list_item(item) for item in entry.again_items),
            )
            unsent += can_vote and any(item.vote for item in column.all_items)
            columns.setdefault(_recommended_categories(entry), []).append(column)
        groups = tuple(
            CategoryGroup(" + ".join(category_label(c) for c in key), tuple(columns[key]))
            for key in sorted(columns, key=_group_order)
        )
        groups += uncovered_groups(round_.uncovered)
        blended = tuple(
            item_view(
                b.item,
                f"{category_label(b.item.category)}  ·  from {', '.join(_model_names(b.models))}",
            )
            for b in round_.blended
        )
        skipped = tuple(f"{model_short_label(s.model)}: {s.reason}" for s in round_.skipped)
        asked = len(round_.lists)
        summary = (
            f"Epoch {round_.epoch}: {plural(asked, 'model')} scored your encrypted profile in "
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
            return Notice(
                f"{plural(result.pending, 'rating summary', 'rating summaries')} wait on this "
                f"device and will be retried: {error_text(MarketUnavailable(result.error))}",
                is_error=True,
            )
        if not (result.delivered or result.refused):
            return Notice("Nothing to send: like or dislike a few items first.")
        text = f"Sent the ratings of {plural(result.delivered, 'list')} to the market."
        if result.refused:
            refused = plural(result.refused, "list was", "lists were")
            text += f" {refused} refused (too late to rate)."
        return Notice(text, is_error=bool(result.refused))


def _recommended_categories(entry: ModelList) -> tuple[str, ...]:
    """The section a list belongs in: the categories of the items it recommends (a model may
    read music to recommend books), else, for a withheld list, those its model reads."""
    shown = {item.category for item in (*entry.items, *entry.again_items)}
    return in_app_order(shown or set(entry.model.categories))


def _group_order(categories: tuple[str, ...]) -> tuple[int, tuple[int, ...]]:
    return len(categories), tuple(CATEGORY_ORDER.get(c, len(CATEGORY_ORDER)) for c in categories)


def _model_names(labels: Iterable[str]) -> list[str]:
    """ "shelf@1.0.0 by shelf-labs" -> "shelf@1.0.0": the blended list has little room."""
    return [label.split(" by ", 1)[0] for label in labels]


# --- wallet --------------------------------------------------------------------------------------


def settlement_to_explain(view: WalletView) -> UserSettlement | None:
    """The last settlement as replayed on this device once the ledger verified (the balance
    was compared only then), not on the market's word; else the market's account of it."""
    if view.ledger.balance_matches is not None:
        return view.ledger.settlement
    return view.wallet.last_settlement


def settlement_text(settlement: UserSettlement | None) -> tuple[str, tuple[str, ...]]:
    """The last settlement of this user's budget in plain words: a heading, and a line per
    model and for what came back or was burned."""
    if settlement is None:
        return "No budget of yours was settled yet: budgets are settled when an epoch ends.", ()
    lines = settlement.lines
    held = settlement.refunded + settlement.clawback
    held += sum(line.paid + line.fee + line.burned for line in lines)
    heading = f"Your budget of {credits_text(held)} for epoch {settlement.epoch} was settled:"
    said = tuple(payout_line_text(line) for line in lines)
    moved = any(line.contribution for line in lines)
    if settlement.clawback:
        said += (
            f"Burned {credits_text(settlement.clawback)} of your budget to take back the "
            "attention you were paid that epoch, since none of your ratings changed the "
            "blended list.",
        )
    if settlement.refunded:
        if not lines and not settlement.clawback:
            why = ": you rated nothing that epoch."
        elif not moved:
            why = ": no model was paid, since none of your ratings changed the blended list."
        else:
            why = "."
        said += (f"Refunded {credits_text(settlement.refunded)} to your balance{why}",)
    return heading, said


def payout_line_text(line: PayoutLine) -> str:
    """E.g. "Paid 12 credits to shelf@1.0.0 because it brought 3 of your liked items into the
    blended list" (net of the disliked ones it brought: see SETTLEMENT_NOTE)."""
    count = abs(line.contribution)
    if line.contribution > 0:
        fee = f", and {credits_text(line.fee)} to the market as its fee," if line.fee else ""
        return (
            f"Paid {credits_text(line.paid)} to {line.model}{fee} because it brought "
            f"{count:,} of your liked items into the blended list."
        )
    if line.contribution < 0:
        items = plural(count, "item", "items")
        return (
            f"Burned {credits_text(line.burned)} of your budget against {line.model}: it brought "
            f"{items} you disliked into the blended list."
        )
    return (
        f"Nothing to {line.model}: it brought no more items you liked than you disliked into "
        "the blended list."
    )


@dataclass(frozen=True)
class WalletScreenView:
    balance: str
    budget: str
    attention: str
    attention_cap: str
    settlement_heading: str
    settlement: tuple[str, ...]
    settlement_note: str
    payouts: tuple[tuple[str, str], ...]
    ledger: str
    ledger_ok: bool
    balance_check: str
    faucet_available: bool


class WalletController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client
        self.faucet_available = False

    def load(self) -> WalletScreenView:
        view = self.client.wallet()
        # Only a local (demo) market hands out credits, and GET /v1/market says so.
        self.faucet_available = self.client.market_info().faucet
        wallet, ledger = view.wallet, view.ledger
        payouts = tuple(
            (model, credits_text(amount)) for model, amount in sorted(wallet.payouts.items())
        )
        if ledger.ok:
            ledger_text = f"Ledger verified: {plural(ledger.entries, 'entry', 'entries')}"
        else:
            ledger_text = f"Ledger check FAILED: {ledger.detail}"
        balance_check = {
            True: "Your balance matches the replayed ledger.",
            False: "Your balance does NOT match the replayed ledger.",
            None: "Your balance could not be checked against the ledger.",
        }[ledger.balance_matches]
        # What was committed stays in the budget until the epoch is settled (a market older
        # than rules v2 does not say, and its budget is the same thing).
        committed = wallet.budget if wallet.committed is None else wallet.committed
        cap = ""
        if wallet.attention_cap_left is not None:
            # The cap is a share of what was committed this epoch (issue 11).
            left = credits_text(wallet.attention_cap_left)
            cap = f"You can still earn {left} for your attention this epoch."
        if ledger.settlement_matches is False:
            balance_check += (
                " The market's account of your last settlement does NOT match the replayed "
                "ledger: the one below is the replayed one."
            )
        heading, settlement = settlement_text(settlement_to_explain(view))
        return WalletScreenView(
            balance=credits_text(wallet.balance),
            budget=f"Committed to epoch {wallet.epoch}: {credits_text(committed)}",
            attention=f"Paid to you for your attention: {credits_text(wallet.attention_earned)}",
            attention_cap=cap,
            settlement_heading=heading,
            settlement=settlement,
            settlement_note=SETTLEMENT_NOTE if settlement else "",
            payouts=payouts,
            ledger=ledger_text,
            ledger_ok=ledger.ok,
            balance_check=balance_check,
            faucet_available=self.faucet_available,
        )

    def fund(self, amount_text: str) -> Notice:
        try:
            amount = int(amount_text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(
                f"a budget is a whole number of credits, not {amount_text!r}"
            ) from None
        wallet = self.client.fund_budget(amount)
        return Notice(
            f"Added {credits_text(amount)} to this epoch's budget "
            f"(now {credits_text(wallet.budget)}); it is split among the models you like."
        )

    def faucet(self) -> Notice:
        try:
            wallet = self.client.faucet()
        except MarketError as error:
            if error.status == 403:
                self.faucet_available = False
                return Notice("This market hands out no free credits.", is_error=True)
            raise
        return Notice(f"Demo credits received: your balance is {credits_text(wallet.balance)}.")


# --- privacy -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataUseRow:
    when: str
    model: str
    categories: str
    sent: str
    received: str
    paid: str


@dataclass(frozen=True)
class PendingRow:
    list_id: str
    summary: str
    attempts: str
    next_try: str
    last_error: str


@dataclass(frozen=True)
class PrivacyView:
    summary: str
    uses: tuple[DataUseRow, ...]
    pending: tuple[PendingRow, ...]


class PrivacyController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def load(self) -> PrivacyView:
        uses = self.client.data_use()
        pending = self.client.pending_ratings()
        activities = sum(state.events for state in self.client.categories())
        return PrivacyView(
            summary=self._summary(uses, activities),
            uses=tuple(
                DataUseRow(
                    when=when_text(use.at),
                    model=use.model_label,
                    categories=", ".join(category_label(c) for c in use.categories),
                    sent=size_text(use.query_bytes),
                    received=size_text(use.response_bytes),
                    paid="not rated" if use.paid_to_you is None else credits_text(use.paid_to_you),
                )
                for use in uses
            ),
            pending=tuple(
                PendingRow(
                    list_id=p.impression_id[:12],
                    summary=(
                        f"{p.payload.get('liked', 0)} liked, {p.payload.get('disliked', 0)} "
                        f"disliked of {p.payload.get('shown', 0)}"
                        + ("; with per-item votes" if "items" in p.payload else "")
                    ),
                    attempts=plural(p.attempts, "attempt"),
                    next_try=when_text(p.next_attempt_at),
                    last_error=p.last_error or "",
                )
                for p in pending
            ),
        )

    def _summary(self, uses: Sequence[DataUse], activities: int) -> str:
        kept = f"Your {plural(activities, 'activity', 'activities')} never left this device."
        if not uses:
            return f"{kept} Nothing derived from them has been sent yet."
        models = sorted({use.model_label.split(" by ", 1)[0] for use in uses})
        sent = sum(use.query_bytes for use in uses)
        rated = sum(use.paid_to_you is not None for use in uses)
        per_item = (
            "which items you liked, as you allowed in Settings"
            if self.client.share_item_feedback
            else "never which items"
        )
        return (
            f"{kept} What left it: {plural(len(uses), 'encrypted profile')} "
            f"({size_text(sent)} in all) sent to {plural(len(models), 'model')} "
            f"({', '.join(models)}). The market could read neither them nor the scores it sent "
            f"back, and never learned what you were shown. Rating summaries sent: {rated:,} "
            f"(how many items you liked and disliked per list; {per_item})."
        )


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsView:
    market_url: str
    share_item_feedback: bool
    data_dir: str
    account: str


ROTATE_QUESTION = (
    "Make new encryption keys? Your identity and balance stay. The new public evaluation keys are "
    "uploaded with your next request; answers to the old keys can no longer be read."
)


class SettingsController:
    def __init__(self, client: PrivrecClient, on_market_changed: Callable[[], None]) -> None:
        self.client = client
        self._on_market_changed = on_market_changed

    def view(self) -> SettingsView:
        return SettingsView(
            market_url=self.client.market_url,
            share_item_feedback=self.client.share_item_feedback,
            data_dir=str(self.client.data_dir),
            account=self.client.account_id or "no identity yet",
        )

    def set_market_url(self, url: str) -> Notice:
        before = self.client.market_url
        self.client.set_market_url(url)
        if self.client.market_url == before:
            return Notice(f"The market is still {before}.")
        self._on_market_changed()
        return Notice(f"Market set to {self.client.market_url}.")

    def set_share_item_feedback(self, share: bool) -> Notice:
        self.client.set_share_item_feedback(share)
        if share:
            return Notice("Per-item votes will be shared with the models you rate (paid more).")
        return Notice("Only rating summaries will be shared from now on.")

    def rotate_keys(self, progress: Progress) -> Notice:
        progress("making new encryption keys on this device", 0.2)
        self.client.rotate_keys()
        return Notice("New encryption keys are ready; they are uploaded with your next request.")
