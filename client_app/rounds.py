"""One recommendation round: each eligible model's query computed and encrypted on this device,
scored by the market, decrypted, ranked, explained by the user's own activity, and recorded."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from client_app.errors import NotReady
from client_app.lists import History, consumed_rows, pick, recommendations
from client_app.market import LiveModel, MarketClient, MarketError
from client_app.model_cache import CatalogTooLarge, LoadedModel, ModelCache
from client_app.progress import Progress, reporter
from client_app.ranking import BlendedItem, Recommendation, Reputation, blend
from client_app.store import DataUse, LocalStore, ShownItem, ShownList
from crypto import PreparedQuery, decrypt_scores, encrypt_query
from crypto.errors import CryptoError
from recommenders.activity import Category
from recommenders.bundle import CatalogInfo, InvalidBundle
from recommenders.features import (
    CategoryNotOptedInError,
    category_profiles,
    check_categories,
    extract_features,
    tower_inputs,
)

if TYPE_CHECKING:
    from client_app.sdk import PrivrecClient

# The market's own limit on models per request; larger rounds are split.
MODELS_PER_REQUEST = 16


@dataclass(frozen=True)
class ModelList:
    """One model's answer in a round, decrypted on this device.

    ``items`` are new to the user (nothing they already consumed); ``again_items`` are
    consumed items the model ranks high, shown apart (only a "new-and-again" ``policy``
    offers them). ``fits`` is False when the catalog's best score is below the model's
    relevance floor: then nothing is shown and the app says nothing in this catalog fits the
    user's activity. ``catalog`` says what the items are, where, when from, and its licence."""

    model: LiveModel
    impression_id: str
    epoch: int
    reputation: Reputation
    items: tuple[Recommendation, ...]
    query_bytes: int
    response_bytes: int
    catalog: CatalogInfo
    # What this query was computed from: the model's categories less the optional ones the
    # user has not opted into (those were never read).
    categories: tuple[str, ...]
    policy: str = "new-only"
    fits: bool = True
    again_items: tuple[Recommendation, ...] = ()


@dataclass(frozen=True)
class SkippedModel:
    model: LiveModel
    reason: str


# The steps a round times, in the order it takes them (RecommendationRound.seconds).
ROUND_STEPS = (
    "connect",
    "download",
    "embedding",
    "matching",
    "towers",
    "encrypt",
    "network",
    "scoring",
    "decrypt",
    "reasons",
)


@dataclass(frozen=True)
class RecommendationRound:
    """A refresh: every list, and the blended one. A vote on an item holds in all of them."""

    round_id: str
    epoch: int
    lists: tuple[ModelList, ...]
    blended: tuple[BlendedItem[Recommendation], ...]
    skipped: tuple[SkippedModel, ...]
    # Where the round's time went, by ROUND_STEPS (scoring: the market's, when it says).
    seconds: dict[str, float] = field(default_factory=dict)
    # Opted-in categories no live model reads: the app says nothing recommends from them yet.
    uncovered: tuple[str, ...] = ()


def eligible_models(
    opted_in: frozenset[Category], live: Iterable[LiveModel]
) -> tuple[list[LiveModel], list[SkippedModel]]:
    """The ``live`` models whose required categories are all opted in (and, for a model of
    optional categories only, one of them); the others with the reason."""
    eligible: list[LiveModel] = []
    skipped: list[SkippedModel] = []
    for model in live:
        try:
            check_categories(opted_in, model.categories, model.optional_categories)
        except CategoryNotOptedInError as refusal:
            skipped.append(SkippedModel(model, str(refusal)))
        else:
            eligible.append(model)
    return eligible, skipped


def load_models(
    market: MarketClient,
    cache: ModelCache,
    models: Sequence[LiveModel],
    skipped: list[SkippedModel],
    report: Progress,
    start: float,
    end: float,
) -> list[tuple[LiveModel, LoadedModel]]:
    """Each model's parts, downloaded unless cached; an invalid one, or one whose catalog is
    larger than the app downloads, goes to ``skipped``."""
    loaded: list[tuple[LiveModel, LoadedModel]] = []
    for i, model in enumerate(models):
        fraction = start + (end - start) * i / len(models)
        report(f"fetching {model.label}", fraction)
        try:
            bundle = cache.load(
                market, model.id, reporter(report, fraction), catalog_bytes=model.catalog_bytes
            )
            loaded.append((model, bundle))
        except InvalidBundle as error:
            skipped.append(SkippedModel(model, f"its bundle is invalid: {error}"))
        except CatalogTooLarge as error:
            skipped.append(SkippedModel(model, str(error)))
    return loaded


def run_round(client: PrivrecClient, report: Progress) -> RecommendationRound:
    """One round for ``client`` (holding its lock): send pending ratings, then query every
    eligible model at once."""
    timings: dict[str, float] = {}
    report("connecting to the market", 0.02)
    started = time.perf_counter()
    key_id = client.connect()
    client.send_ratings()
    eligible, skipped = client.eligible_models()
    timings["connect"] = time.perf_counter() - started
    if not eligible:
        raise NotReady(why_no_models(skipped))
    models_of = coverage([*eligible, *(s.model for s in skipped)])
    chosen = client.store.opted_in()
    uncovered = tuple(c.value for c in Category if c in chosen and not models_of[c.value])
    started = time.perf_counter()
    loaded = load_models(client.market, client.model_cache, eligible, skipped, report, 0.05, 0.25)
    timings["download"] = time.perf_counter() - started

    report("computing your features on this device and encrypting them", 0.3)
    started = time.perf_counter()
    client.wait_for_embedding()  # the titles it is embedding are this round's
    opted_in = client.store.opted_in()
    now = datetime.now(UTC)
    readable = {c for model, _ in loaded for c in model.categories}
    events = [stored.event for stored in client.store.events(readable & opted_in)]
    # Each category's profile once per round and aggregation rule (its titles embedded at
    # import are cached); each model then adds only its catalog history and its tower.
    profiles = {
        rules: category_profiles(
            events, readable & opted_in, embedder=client.embedder, now=now, aggregation=dict(rules)
        )
        for rules in {bundle.manifest.aggregation for _, bundle in loaded}
    }
    timings["embedding"] = time.perf_counter() - started
    timings["matching"] = timings["towers"] = timings["encrypt"] = 0.0
    asked: list[tuple[LiveModel, LoadedModel, tuple[str, ...]]] = []
    queries: list[tuple[LiveModel, PreparedQuery]] = []
    for model, bundle in loaded:
        started = time.perf_counter()
        try:
            features = extract_features(
                events,
                opted_in,
                bundle.manifest.categories,
                bundle.history_index,
                embedder=client.embedder,
                now=now,
                profiles=profiles[bundle.manifest.aggregation],
                optional=bundle.manifest.optional_categories,
                aggregation=bundle.manifest.aggregation_rules,
            )
            matched = time.perf_counter()
            timings["matching"] += matched - started
            vector = bundle.runner(tower_inputs(bundle.manifest.inputs, features))
        except (ValueError, CategoryNotOptedInError) as error:
            # A bundle whose manifest disagrees with its listing, or a tower that
            # gives NaN: that model is left out, the others are still asked.
            skipped.append(SkippedModel(model, f"cannot compute its query: {error}"))
            continue
        encrypting = time.perf_counter()
        timings["towers"] += encrypting - matched
        queries.append((model, encrypt_query(client.secret_keys, vector)))
        read = {c.value for c in features.categories}
        asked.append((model, bundle, tuple(c for c in model.categories if c in read)))
        timings["encrypt"] += time.perf_counter() - encrypting
    if not queries:
        raise NotReady(why_no_models(skipped))

    report(f"asking {len(queries)} models (encrypted)", 0.7)
    started = time.perf_counter()
    epoch = 0
    answers = {}
    scoring: float | None = 0.0
    for start in range(0, len(queries), MODELS_PER_REQUEST):
        chunk = queries[start : start + MODELS_PER_REQUEST]
        try:
            epoch, results = client.market.recommend(
                key_id,
                [(model.id, query.wire) for model, query in chunk],
                items={model.id: model.items for model, _ in chunk},
            )
        except MarketError as error:
            refusal = query_refusal(error)
            if refusal is None:
                raise
            raise NotReady(refusal) from None
        answers.update({result.model_id: result for result in results})
        said = results[0].scoring_seconds if results else None
        scoring = None if scoring is None or said is None else scoring + said
    # The market's round trip, split into its scoring (when it says) and the rest:
    # transfer, signing and checks, the ledger's append.
    timings["network"] = time.perf_counter() - started - (scoring or 0.0)
    if scoring is not None:
        timings["scoring"] = scoring

    report("decrypting and ranking", 0.9)
    started = time.perf_counter()
    reputations = client.store.reputations()
    # What the user already consumed is judged from every opted-in category (a book
    # read is never recommended back, whichever category the model read) but only
    # from those: the number of items shown leaves the device with the ratings.
    consumed_from = (
        events
        if opted_in <= readable
        else [stored.event for stored in client.store.events(opted_in)]
    )
    decided = []
    read_for = {model.id: categories for model, _, categories in asked}
    for (model, bundle, _), (_, query) in zip(asked, queries, strict=True):
        result = answers.get(model.id)
        if result is None:
            skipped.append(SkippedModel(model, "the market returned no scores"))
            continue
        try:
            scores = decrypt_scores(client.secret_keys, result.response, query)
        except CryptoError as error:
            skipped.append(SkippedModel(model, f"unreadable scores: {error}"))
            continue
        consumed = consumed_rows(bundle, consumed_from)
        picked = pick(
            scores,
            consumed,
            k=client.top_k,
            policy=bundle.manifest.policy,
            floor=bundle.manifest.relevance_floor,
        )
        decided.append((model, bundle, query, result, consumed, picked))
    timings["decrypt"] = time.perf_counter() - started

    report("explaining each item by your own activity", 0.95)
    started = time.perf_counter()
    read_by_asked = {c for categories in read_for.values() for c in categories}
    history = History(
        (e for e in consumed_from if e.category.value in read_by_asked), client.embedder
    )
    history.embed_shown(
        bundle.catalog.titles[row] for _, bundle, *_, picked in decided for row in picked.rows
    )
    lists = []
    for model, bundle, query, result, consumed, picked in decided:
        items, again = recommendations(bundle, picked, consumed, history)
        lists.append(
            ModelList(
                model=model,
                impression_id=result.impression_id,
                epoch=epoch,
                reputation=reputations.get(model.key, Reputation(0, 0)),
                items=items,
                query_bytes=len(query.wire),
                response_bytes=len(result.response),
                catalog=bundle.manifest.catalog,
                categories=read_for[model.id],
                policy=bundle.manifest.policy,
                fits=picked.fits,
                again_items=again,
            )
        )
    timings["reasons"] = time.perf_counter() - started
    started = time.perf_counter()
    blended = blend(
        [(entry.model.label, entry.reputation.score, entry.items) for entry in lists],
        client.top_k,
    )
    round_id = uuid.uuid4().hex
    record_round(client.store, client.market_url, client.top_k, round_id, epoch, lists)
    timings["decrypt"] += time.perf_counter() - started
    report("done", 1.0)
    return RecommendationRound(
        round_id=round_id,
        epoch=epoch,
        lists=tuple(lists),
        blended=tuple(blended),
        skipped=tuple(skipped),
        seconds=timings,
        uncovered=uncovered,
    )


def record_round(
    store: LocalStore,
    market_url: str,
    blended_length: int,
    round_id: str,
    epoch: int,
    lists: Sequence[ModelList],
) -> None:
    """The round as blended (list order, reputations, items), so that each list's
    contribution can be computed again when its votes are sent; and what was sent."""
    now = datetime.now(UTC)
    store.add_round(
        round_id=round_id,
        market_url=market_url,
        epoch=epoch,
        blended_length=blended_length,
        lists=[
            ShownList(
                impression_id=entry.impression_id,
                model_id=entry.model.id,
                model_key=entry.model.key,
                model_label=entry.model.label,
                reputation=entry.reputation.score,
                items=tuple(
                    ShownItem(item.source, item.item_id, item.title_key, item.again, item.title)
                    for item in (*entry.items, *entry.again_items)
                ),
                model_description=entry.model.description,
                use=DataUse(
                    at=now,
                    market_url=market_url,
                    model_label=entry.model.label,
                    categories=entry.categories,
                    query_bytes=entry.query_bytes,
                    response_bytes=entry.response_bytes,
                    impression_id=entry.impression_id,
                    paid_to_you=None,
                ),
            )
            for entry in lists
        ],
    )


def query_refusal(error: MarketError) -> str | None:
    """A refused round in words for the app: not enough committed credits (402), or a model
    asked as often as one epoch allows (429); None for any other failure."""
    said = f" The market said: {error.detail}" if error.detail else ""
    if error.status == 402:
        return (
            "The market recommends only to accounts that commit credits: fund this payment "
            f"period's budget in your wallet, then refresh.{said}"
        )
    if error.status == 429:
        return (
            "You have asked these models as often as one payment period allows: try again in the "
            f"next one.{said}"
        )
    return None


def why_no_models(skipped: Iterable[SkippedModel]) -> str:
    reasons = [f"{s.model.label}: {s.reason}" for s in skipped]
    if not reasons:
        return "no model is live on this market yet"
    return "no model can be asked with what you opted into. " + "; ".join(reasons)


def coverage(models: Iterable[LiveModel]) -> dict[str, int]:
    """How many of ``models`` read each category."""
    counts = dict.fromkeys((c.value for c in Category), 0)
    for model in models:
        for category in set(model.categories) & counts.keys():
            counts[category] += 1
    return counts
