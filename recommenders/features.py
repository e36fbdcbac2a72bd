"""The public, versioned on-device feature schema: category profiles and catalog history.

Every model's user tower reads these features; changing how they are computed needs a new
`FEATURE_SCHEMA_VERSION`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from recommenders.activity import ActivityEvent, Category, parse_category
from recommenders.bundle import AGGREGATIONS, DEFAULT_AGGREGATION, Catalog, Manifest
from recommenders.embeddings import EMBEDDING_DIM, MODEL_ID, Embedder

FEATURE_SCHEMA_VERSION = "privrec-features-1"
EMBEDDING_MODEL_ID = MODEL_ID
HALF_LIFE_DAYS = 90.0
COUNT_FEATURES = ("log1p_events", "log1p_distinct_titles")
PROFILE_DIM = EMBEDDING_DIM + len(COUNT_FEATURES)
# Profiles of several categories are concatenated in this order.
CATEGORY_ORDER: tuple[Category, ...] = tuple(Category)
_SECONDS_PER_DAY = 86_400.0


class CategoryNotOptedInError(PermissionError):
    """A model asked for a category that the user has not opted into."""


def describe_schema() -> dict[str, object]:
    """The schema's parameters as JSON-ready data, for bundles to declare what they expect."""
    return {
        "version": FEATURE_SCHEMA_VERSION,
        "embedding_model": EMBEDDING_MODEL_ID,
        "embedding_dim": EMBEDDING_DIM,
        "count_features": list(COUNT_FEATURES),
        "profile_dim": PROFILE_DIM,
        "half_life_days": HALF_LIFE_DAYS,
        "category_order": [c.value for c in CATEGORY_ORDER],
        # A model declares one per category (Manifest.aggregation); the default is summing.
        "aggregations": list(AGGREGATIONS),
        "default_aggregation": DEFAULT_AGGREGATION,
    }


class CatalogLike(Protocol):
    """What feature extraction needs of a model's public catalog: row i is item_ids[i]."""

    @property
    def item_ids(self) -> Sequence[str]: ...

    @property
    def titles(self) -> Sequence[str]: ...


class _PunctuationDeleter(dict[int, int | None]):
    """A str.translate table that deletes Unicode punctuation, filled in as characters appear."""

    def __missing__(self, code_point: int) -> int | None:
        kept = None if unicodedata.category(chr(code_point)).startswith("P") else code_point
        self[code_point] = kept
        return kept


_DELETE_PUNCTUATION = _PunctuationDeleter()


def normalise_title(title: str) -> str:
    """The form titles are matched in: NFKC, casefolded, punctuation removed, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(folded.translate(_DELETE_PUNCTUATION).split())


def _check_now(now: datetime) -> None:
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")


def recency_weights(events: Sequence[ActivityEvent], now: datetime) -> NDArray[np.float64]:
    """Each event's weight x 0.5 ** (age in days / HALF_LIFE_DAYS)."""
    _check_now(now)
    if not events:
        return np.zeros(0, dtype=np.float64)
    # Events from a device whose clock ran ahead are treated as happening now, not as
    # weighing more than a fresh event.
    ages = np.array([max((now - e.time).total_seconds(), 0.0) for e in events])
    base = np.array([e.weight for e in events], dtype=np.float64)
    return base * np.exp2(-ages / (_SECONDS_PER_DAY * HALF_LIFE_DAYS))


def aggregate(total: float, rule: str) -> float:
    """What ``total``, the summed recency-weighted weight of one item's or one title's events,
    weighs under aggregation ``rule`` (bundle.AGGREGATIONS, declared per category by a model's
    manifest). "sum" keeps it. "log-plays" gives 1 + ln(total) from one play up, the weight
    Last.fm play counts are trained with, so n plays imported one by one weigh what n plays
    counted in the training data do; a total under one play (a partial or an old one) stays as
    it is, where 1 + ln t would fall below it (and the two meet, with equal slopes, at one)."""
    if rule == "sum":
        return total
    if rule == "log-plays":
        return 1.0 + math.log(total) if total > 1.0 else total
    raise ValueError(f"unknown aggregation {rule!r} (known: {', '.join(AGGREGATIONS)})")


def _by_title(
    events: Sequence[ActivityEvent], weights: NDArray[np.float64], rule: str
) -> tuple[list[int], NDArray[np.float64]]:
    """Each distinct title once, under ``rule``: (the index of its first event, its weight)."""
    first: dict[str, int] = {}
    rows: list[int] = []
    totals: list[float] = []
    for i, (event, weight) in enumerate(zip(events, weights.tolist(), strict=True)):
        unit = first.setdefault(event.title, len(rows))
        if unit == len(rows):
            rows.append(i)
            totals.append(0.0)
        totals[unit] += weight
    return rows, np.array([aggregate(total, rule) for total in totals], dtype=np.float64)


def _l2_normalise(vector: NDArray[np.float64]) -> NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    # A zero (or cancelled-out) mean has no direction: keep it zero rather than make up one.
    return vector / norm if norm > 1e-12 else np.zeros_like(vector)


def category_profile(
    events: Sequence[ActivityEvent],
    embeddings: NDArray[np.float32],
    now: datetime,
    *,
    aggregation: str = DEFAULT_AGGREGATION,
) -> NDArray[np.float32]:
    """The PROFILE_DIM vector of one category: [normalised recency-weighted mean, counts].

    `embeddings[i]` is the embedding of `events[i].title`. Under an `aggregation` other than
    "sum" a title's events are one unit, weighing `aggregate` of their summed weights (and
    counted once in log1p_events), as one training row of that title with those plays is.
    """
    if embeddings.shape != (len(events), EMBEDDING_DIM):
        raise ValueError(
            f"need one {EMBEDDING_DIM}-d embedding per event, got shape {embeddings.shape}"
        )
    profile = np.zeros(PROFILE_DIM, dtype=np.float32)
    if not events:
        return profile
    rows = embeddings.astype(np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    rows = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 1e-12)
    weights = recency_weights(events, now)
    units = len(events)
    if aggregation != DEFAULT_AGGREGATION:
        first_rows, weights = _by_title(events, weights, aggregation)
        rows, units = rows[first_rows], len(first_rows)
    total = float(weights.sum())
    if total > 0.0:  # zero only if every event is so old its weight underflowed
        profile[:EMBEDDING_DIM] = _l2_normalise(weights @ rows / total)
    profile[EMBEDDING_DIM] = math.log1p(units)
    profile[EMBEDDING_DIM + 1] = math.log1p(len({normalise_title(e.title) for e in events}))
    return profile


@dataclass(frozen=True, eq=False)
class CatalogHistory:
    """A sparse weighted vector over a catalog's rows: `weights[k]` belongs to `indices[k]`."""

    size: int
    indices: NDArray[np.int64]
    weights: NDArray[np.float32]

    def to_dense(self) -> NDArray[np.float32]:
        dense = np.zeros(self.size, dtype=np.float32)
        dense[self.indices] = self.weights
        return dense


MATCH_MODES = ("title", "artist", "url")
# How music events name a track (client_app.importers.music): "Artist — Track".
TRACK_SEPARATOR = " — "
_WEB_SCHEMES = ("http://", "https://")


def track_title(artist: str | None, track: str) -> str:
    """How a play is named in events: "Artist — Track" ("" without a track, to be skipped)."""
    artist, track = (artist or "").strip(), track.strip()
    return f"{artist}{TRACK_SEPARATOR}{track}" if artist and track else track


def url_key(url: str) -> tuple[str, ...] | None:
    """A web address as matched against catalog links: host without "www." and path segments,
    case-folded host, no scheme, query, fragment or empty segments; None if not http(s)."""
    if not url.lower().startswith(_WEB_SCHEMES):
        return None
    rest = url.split("://", 1)[1].split("#", 1)[0].split("?", 1)[0]
    host, _, path = rest.partition("/")
    host = host.rsplit("@", 1)[-1].lower().removeprefix("www.")
    if not host:
        return None
    return (host, *(segment for segment in path.split("/") if segment))


# Hyphen, bar, en dash, em dash, middle dot: what sites put between a page's and their name.
_PAGE_TITLE_SEPARATOR = re.compile("\\s+[-|\u2013\u2014\u00b7]\\s+")


def page_title_variants(title: str) -> list[str]:
    """A browser page title without the site name after it ("Page - Site") and, second, also
    without a section before it ("section - Page - Site"); empty without a separator."""
    parts = _PAGE_TITLE_SEPARATOR.split(title.strip())
    return [" ".join(parts[:-1]), " ".join(parts[1:-1])][: len(parts) - 1]


class CatalogIndex:
    """A catalog prepared for matching activity to it; build it once per catalog version.

    `source` names the shop or service whose ids the catalog's item ids are; `match` is the
    catalog's declared matching (see bundle.CatalogInfo); `links` are the items' web
    addresses, needed by match "url".
    """

    def __init__(
        self,
        catalog: CatalogLike,
        source: str,
        *,
        match: str = "title",
        links: Sequence[str | None] | None = None,
    ) -> None:
        if match not in MATCH_MODES:
            raise ValueError(f"unknown match {match!r} (known: {', '.join(MATCH_MODES)})")
        self.source = source
        self.match_mode = match
        self.item_ids: Sequence[str] = catalog.item_ids
        if len(self.item_ids) != len(catalog.titles):
            raise ValueError("catalog item_ids and titles have different lengths")
        self._row_of_id = {item_id: row for row, item_id in enumerate(self.item_ids)}
        rows_of_title: dict[str, list[int]] = {}
        for row, title in enumerate(catalog.titles):
            key = normalise_title(title)
            if key:
                rows_of_title.setdefault(key, []).append(row)
        self._rows_of_title = rows_of_title
        self._rows_of_url: dict[tuple[str, ...], list[int]] = {}
        if match == "url":
            if links is None or len(links) != len(self.item_ids):
                raise ValueError("match 'url' needs one link (or None) per catalog item")
            for row, link in enumerate(links):
                link_key = None if link is None else url_key(link)
                if link_key is not None:
                    self._rows_of_url.setdefault(link_key, []).append(row)

    def __len__(self) -> int:
        return len(self.item_ids)

    def match(self, event: ActivityEvent) -> list[int]:
        """The catalog rows `event` refers to (empty if none).

        By id when the event comes from the catalog's own source and carries one. Otherwise by
        normalised title (a title shared by several rows matches them all); then, for an
        "artist" catalog, by the artist of an "Artist — Track" title; for a "url" catalog, by
        the item whose link is the longest path prefix of the event's web address, else by the
        page title without the site name a browser shows after it ("Question - Site").
        """
        if event.source == self.source and event.external_id is not None:
            row = self._row_of_id.get(event.external_id)
            return [] if row is None else [row]
        rows = self._rows_of_title.get(normalise_title(event.title), [])
        if rows:
            return rows
        if self.match_mode == "artist" and TRACK_SEPARATOR in event.title:
            artist = event.title.split(TRACK_SEPARATOR, 1)[0]
            return self._rows_of_title.get(normalise_title(artist), [])
        if self.match_mode != "url":
            return []
        if event.external_id is not None:
            rows = self._match_url(url_key(event.external_id))
        for variant in page_title_variants(event.title):
            rows = rows or self._rows_of_title.get(normalise_title(variant), [])
        return rows

    def _match_url(self, key: tuple[str, ...] | None) -> list[int]:
        # Longest prefix first: /questions/1/slug matches the item linked as /questions/1,
        # and any page of a site matches an item that is the whole site.
        for end in range(0 if key is None else len(key), 0, -1):
            assert key is not None
            found = self._rows_of_url.get(key[:end])
            if found:
                return found
        return []


def catalog_index(catalog: Catalog, manifest: Manifest) -> CatalogIndex:
    """The index a device builds for a model's catalog, as its manifest declares."""
    info = manifest.catalog
    links = None
    if info.match == "url":
        field = info.link_field
        if field is None:
            raise ValueError("a catalog matched by url must declare its link_field")
        links = [catalog.metadata_value(row, field) for row in range(len(catalog))]
    return CatalogIndex(catalog, info.source, match=info.match, links=links)


def catalog_history(
    events: Sequence[ActivityEvent],
    index: CatalogIndex,
    now: datetime,
    aggregation: Mapping[str, str] | None = None,
) -> CatalogHistory:
    """The user's events as recency-weighted sums over the catalog rows they match; the events
    of a category whose `aggregation` (rule by category name, see `aggregate`) is not "sum"
    are summed per row first, and the rule applied to each row's sum.

    An event matching several rows (a title listed twice) splits its weight between them, so
    duplicates in a catalog do not inflate an item.
    """
    rules = aggregation or {}
    totals: dict[int, float] = {}
    pooled: dict[tuple[str, int], float] = {}  # per (category, row), for rules other than sum
    for event, weight in zip(events, recency_weights(events, now).tolist(), strict=True):
        rows = index.match(event)
        rule = rules.get(event.category.value, DEFAULT_AGGREGATION)
        for row in rows:
            if rule == DEFAULT_AGGREGATION:
                totals[row] = totals.get(row, 0.0) + weight / len(rows)
            else:
                key = (event.category.value, row)
                pooled[key] = pooled.get(key, 0.0) + weight / len(rows)
    for (category, row), total in pooled.items():
        totals[row] = totals.get(row, 0.0) + aggregate(total, rules[category])
    indices = np.array(sorted(totals), dtype=np.int64)
    return CatalogHistory(
        size=len(index),
        indices=indices,
        weights=np.array([totals[i] for i in indices.tolist()], dtype=np.float32),
    )


@dataclass(frozen=True, eq=False)
class UserFeatures:
    """A model's inputs: a profile per category it reads, and optionally its catalog history."""

    schema_version: str
    categories: tuple[Category, ...]
    profiles: Mapping[Category, NDArray[np.float32]]
    history: CatalogHistory | None

    def profile_vector(self) -> NDArray[np.float32]:
        """The profiles concatenated in CATEGORY_ORDER (length PROFILE_DIM x categories)."""
        if not self.categories:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([self.profiles[c] for c in self.categories])


def check_categories(
    opted_in: Collection[Category | str],
    categories_read: Iterable[Category | str],
    optional: Iterable[Category | str] = (),
) -> tuple[Category, ...]:
    """The categories a model may read, in CATEGORY_ORDER: every one it reads that is not
    `optional` (all must be opted into), and the optional ones the user opted into.

    Raises `CategoryNotOptedInError` if a required category is not opted in, or if the model
    reads only optional categories and none of them is: such a model must not be queried.
    """
    allowed = {parse_category(c) for c in opted_in}
    wanted = {parse_category(c) for c in categories_read}
    left_out = {parse_category(c) for c in optional} & wanted
    refused = wanted - left_out - allowed
    if refused:
        names = ", ".join(sorted(c.value for c in refused))
        raise CategoryNotOptedInError(f"needs {names} (not opted in)")
    readable = wanted & (allowed | (wanted - left_out))
    if wanted and not readable:
        names = ", ".join(sorted(c.value for c in left_out))
        raise CategoryNotOptedInError(f"needs one of {names} (none opted in)")
    return tuple(c for c in CATEGORY_ORDER if c in readable)


def _by_category(
    events: Iterable[ActivityEvent], categories: Sequence[Category]
) -> dict[Category, list[ActivityEvent]]:
    """The events of each of `categories`; events of any other category are dropped unread."""
    readable = set(categories)
    by_category: dict[Category, list[ActivityEvent]] = {c: [] for c in categories}
    for event in events:
        if event.category in readable:
            by_category[event.category].append(event)
    return by_category


def _profiles(
    by_category: Mapping[Category, Sequence[ActivityEvent]],
    embedder: Embedder,
    now: datetime,
    aggregation: Mapping[str, str] | None,
) -> dict[Category, NDArray[np.float32]]:
    # One call for every distinct title: the embedder batches and caches across categories.
    titles = list(dict.fromkeys(e.title for events in by_category.values() for e in events))
    vectors = embedder.embed(titles) if titles else np.zeros((0, EMBEDDING_DIM), np.float32)
    if vectors.shape != (len(titles), EMBEDDING_DIM) or not np.all(np.isfinite(vectors)):
        raise ValueError(
            f"embedder {embedder.model_id!r} returned an unusable array of shape "
            f"{vectors.shape}; expected ({len(titles)}, {EMBEDDING_DIM}) finite values"
        )
    row_of_title = {t: i for i, t in enumerate(titles)}
    rules = aggregation or {}
    return {
        c: category_profile(
            evs,
            vectors[[row_of_title[e.title] for e in evs]].reshape(-1, EMBEDDING_DIM),
            now,
            aggregation=rules.get(c.value, DEFAULT_AGGREGATION),
        )
        for c, evs in by_category.items()
    }


def category_profiles(
    events: Iterable[ActivityEvent],
    opted_in: Collection[Category | str],
    *,
    embedder: Embedder,
    now: datetime,
    aggregation: Mapping[str, str] | None = None,
) -> dict[Category, NDArray[np.float32]]:
    """The profile of every opted-in category, each from that category's events alone.

    What `extract_features` computes for each category a model reads: a round computes them
    once per aggregation rule (see `extract_features`) and hands them to `extract_features`
    for every model with that rule.
    """
    _check_now(now)
    categories = check_categories(opted_in, opted_in)
    return _profiles(_by_category(events, categories), embedder, now, aggregation)


def extract_features(
    events: Iterable[ActivityEvent],
    opted_in: Collection[Category | str],
    categories_read: Iterable[Category | str],
    catalog: CatalogIndex | None = None,
    *,
    embedder: Embedder,
    now: datetime,
    profiles: Mapping[Category, NDArray[np.float32]] | None = None,
    optional: Iterable[Category | str] = (),
    aggregation: Mapping[str, str] | None = None,
) -> UserFeatures:
    """Compute a model's features from the user's events, reading only opted-in categories
    (see `check_categories`; an `optional` category not opted into is left out).

    Events of any other category are dropped before their titles are looked at, so neither the
    embedder nor the catalog matching ever sees them. `aggregation` is the model's rule by
    category name (Manifest.aggregation_rules; a category not named is summed). `profiles`,
    from `category_profiles` on the same events, moment and aggregation, spares embedding again
    (it must hold every category read).
    """
    _check_now(now)
    categories = check_categories(opted_in, categories_read, optional)
    by_category = _by_category(events, categories)
    if profiles is None:
        computed = _profiles(by_category, embedder, now, aggregation)
    else:
        missing = [c.value for c in categories if c not in profiles]
        if missing:
            raise ValueError(f"no precomputed profile for {', '.join(missing)}")
        computed = {c: profiles[c] for c in categories}
    kept = [e for c in categories for e in by_category[c]]
    return UserFeatures(
        schema_version=FEATURE_SCHEMA_VERSION,
        categories=categories,
        profiles=MappingProxyType(computed),
        history=None if catalog is None else catalog_history(kept, catalog, now, aggregation),
    )


class InputBlockLike(Protocol):
    """What a model declares about one block of its tower's input (see bundle.InputBlock)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def category(self) -> str | None: ...

    @property
    def optional(self) -> bool: ...


def tower_inputs(
    blocks: Sequence[InputBlockLike], features: UserFeatures
) -> dict[str, NDArray[np.float32]]:
    """The named input blocks a model's tower reads, taken from computed features.

    An optional profile of a category that was not read is all zeros, as for a user with no
    activity in it: the tower was trained to expect exactly that.
    """
    inputs: dict[str, NDArray[np.float32]] = {}
    for block in blocks:
        if block.kind == "category_profile":
            category = parse_category(block.category)
            if category in features.profiles:
                vector = features.profiles[category]
            elif block.optional:
                vector = np.zeros(PROFILE_DIM, dtype=np.float32)
            else:
                raise ValueError(f"input {block.name!r}: no {category.value} profile computed")
        elif block.kind == "catalog_history":
            if features.history is None:
                raise ValueError(f"input {block.name!r}: no catalog history computed")
            vector = features.history.to_dense()
        else:
            raise ValueError(f"input {block.name!r}: unknown kind {block.kind!r}")
        if vector.shape != (block.size,):
            raise ValueError(f"input {block.name!r}: {vector.shape[0]} values, not {block.size}")
        inputs[block.name] = vector
    return inputs
