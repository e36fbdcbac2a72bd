"""The app's own training examples for a federated run, built on the device from the activity of
the run's categories the user lets models learn from (and only those): never sent anywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from client_app.market import MarketClient
from client_app.model_cache import ModelCache
from client_app.store import LocalStore, utcnow
from client_app.training_consent import TrainingConsent
from federated.errors import InvalidMessage
from federated.model import CatalogInputs, Example, IntVector
from federated.runs import RunSpec
from recommenders.activity import ActivityEvent, parse_category
from recommenders.embeddings import EMBEDDING_DIM, Embedder
from recommenders.features import CatalogIndex, category_profile

# At most this many examples per run: the update's cost on the phone stays small, and one
# user's activity weighs no more than a few examples whatever its size (clipping bounds it too).
MAX_EXAMPLES = 16
# Each example hides the next few items the user went on to and profiles what came before.
TARGETS_PER_EXAMPLE = 4
# An example's profile is made of at least this many earlier activities.
MIN_SHOWN = 3
# Only the newest activity is read: a long history adds nothing the recent part lacks.
MAX_EVENTS_READ = 2_000

# The catalog of the run's model, as the device matches activity to it (its rows are the
# rows of the run's catalog inputs).
CatalogSource = Callable[[RunSpec], CatalogIndex]


@dataclass(frozen=True, eq=False)
class Pair:
    """One example before projection: the profile embedding of the shown activity and the
    catalog rows of the activity that followed it."""

    profile: np.ndarray
    targets: IntVector


def example_pairs(
    events: Sequence[ActivityEvent],
    index: CatalogIndex,
    embedder: Embedder,
    now: datetime,
    *,
    max_examples: int = MAX_EXAMPLES,
) -> list[Pair]:
    """Examples from ``events`` (any order): cut the time-ordered activity at points from the
    newest back; each example profiles what came before a cut (the title embedding the app
    sends models, the recency-weighted mean) and targets the catalog rows of the next
    TARGETS_PER_EXAMPLE activities. Cuts whose following activities match no catalog row
    give no example."""
    ordered = sorted(events, key=lambda event: event.time)
    rows = [index.match(event) for event in ordered]
    cuts = []
    for cut in range(len(ordered) - TARGETS_PER_EXAMPLE, MIN_SHOWN - 1, -TARGETS_PER_EXAMPLE):
        later = {row for matched in rows[cut : cut + TARGETS_PER_EXAMPLE] for row in matched}
        if later:
            cuts.append((cut, np.asarray(sorted(later), dtype=np.int64)))
        if len(cuts) == max_examples:
            break
    if not cuts:
        return []
    shown_titles = list(dict.fromkeys(e.title for e in ordered[: max(cut for cut, _ in cuts)]))
    vectors = np.asarray(embedder.embed(shown_titles), dtype=np.float32)
    if vectors.shape != (len(shown_titles), EMBEDDING_DIM) or not np.all(np.isfinite(vectors)):
        raise ValueError(f"the embedder returned an unusable array of shape {vectors.shape}")
    row_of_title = {title: i for i, title in enumerate(shown_titles)}
    pairs = []
    for cut, target_rows in cuts:
        shown = ordered[:cut]
        embeddings = vectors[[row_of_title[e.title] for e in shown]]
        profile = category_profile(shown, embeddings, now)[:EMBEDDING_DIM]
        pairs.append(Pair(profile.astype(np.float64), target_rows))
    return pairs


class TrainingExamples:
    """The ExampleSource the app hands TrainingParticipant: the user's examples for a run from
    the local store, reading only the run's categories that are switched on for training."""

    def __init__(
        self,
        store: LocalStore,
        consent: TrainingConsent,
        embedder: Callable[[], Embedder],
        catalog: CatalogSource,
        *,
        max_examples: int = MAX_EXAMPLES,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.consent = consent
        self.embedder = embedder
        self.catalog = catalog
        self.max_examples = max_examples
        self.now = now
        self._pairs: dict[str, list[Pair]] = {}  # by run: built once, used every round

    def pairs(self, spec: RunSpec) -> list[Pair]:
        """The run's examples before projection ([] when the user has none for it)."""
        cached = self._pairs.get(spec.training)
        if cached is not None:
            return cached
        if spec.embedding != EMBEDDING_DIM:
            raise InvalidMessage(
                f"the run expects {spec.embedding}-value profiles; this device makes "
                f"{EMBEDDING_DIM}"
            )
        allowed = [parse_category(c) for c in spec.categories if self.consent.opted_in(c)]
        events = [s.event for s in self.store.events(allowed, limit=MAX_EVENTS_READ)]
        pairs: list[Pair] = []
        if events:
            index = self.catalog(spec)
            if len(index) != spec.items:
                raise InvalidMessage(
                    f"the run's model has {len(index)} catalog items, the run {spec.items}"
                )
            pairs = example_pairs(
                events, index, self.embedder(), self.now(), max_examples=self.max_examples
            )
        self._pairs[spec.training] = pairs
        return pairs

    def __call__(self, spec: RunSpec, inputs: CatalogInputs) -> list[Example]:
        return [Example(inputs.user_input(p.profile), p.targets) for p in self.pairs(spec)]


class MarketCatalogs:
    """The catalog of a run's model, from the market's live models and the app's model cache
    (downloaded once, as for recommendations)."""

    def __init__(self, market: Callable[[], MarketClient], cache: ModelCache) -> None:
        self.market = market
        self.cache = cache

    def __call__(self, spec: RunSpec) -> CatalogIndex:
        market = self.market()
        for model in market.live_models():
            if f"{model.name}@{model.version}" == spec.model:
                return self.cache.load(market, model.id, catalog_bytes=model.catalog_bytes).index
        raise InvalidMessage(f"the run's model {spec.model} is not live on the market")
