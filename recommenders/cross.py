"""cross-books: books from every category's profile (all in one embedding space), so that a user
with only music and web history still gets books; only its books side can be fitted."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.activity import ActivityEvent, Category
from recommenders.built_model import VERSION, BuiltModel, bundle_catalog, relevance_floor
from recommenders.datasets import Catalog
from recommenders.embeddings import EMBEDDING_DIM, MODEL_ID, Embedder
from recommenders.evaluation import interaction_matrix, recall_per_user
from recommenders.features import (
    CATEGORY_ORDER,
    FEATURE_SCHEMA_VERSION,
    PROFILE_DIM,
    extract_features,
)
from recommenders.model_kinds import principal_directions
from recommenders.tasks import BOOKS_EVENT_TIME, Task
from recommenders.training_examples import TitleTable

FloatArray = NDArray[np.float64]
ItemText = Literal["title", "title-authors"]

# Every category's profile, in the schema's order; each optional, books too: the point of
# the model is to answer people who do not share their reading, and the tower runs on their
# device, so an optional books profile costs them nothing.
CROSS_CATEGORIES: Final = CATEGORY_ORDER
# A profile's weight in the user vector. Only books could be fitted, and books is the unit
# the popularity weight is fitted against; the others get the same weight, for want of any
# data that links one person's music, pages, purchases or places to their reading.
CATEGORY_WEIGHTS: Final = MappingProxyType(dict.fromkeys(CROSS_CATEGORIES, 1.0))

# The settings tried on validation (CrossSettings), and what they are picked on.
ITEM_TEXTS: Final[tuple[ItemText, ...]] = ("title", "title-authors")
DIMS: Final = (64, 128)
POPULARITY_WEIGHTS: Final = (0.0, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
TUNING_BOOKS: Final = (1, 3)  # books the device knows of each validation reader
K: Final = 20
TRUNCATION_SEED: Final = 0


@dataclass(frozen=True)
class CrossSettings:
    """What is picked on validation: the books' text, the projection's size and how much
    popularity counts (in units of a profile's projected similarity)."""

    item_text: ItemText
    dim: int
    popularity: float


GRID: Final = tuple(
    CrossSettings(item_text, dim, popularity)
    for item_text in ITEM_TEXTS
    for dim in DIMS
    for popularity in POPULARITY_WEIGHTS
)


def item_texts(catalog: Catalog, item_text: ItemText) -> list[str]:
    """What each book is embedded from: its title, or its title and authors."""
    if item_text == "title":
        return list(catalog.titles)
    pairs = zip(catalog.titles, catalog.metadata, strict=True)
    return [f"{title} by {meta['authors']}" for title, meta in pairs]


def truncated_events(task: Task, user: int, books: int | None) -> list[ActivityEvent]:
    """``books`` of the user's training events chosen at random (seeded by the user), or all
    of them for None: how a reader with little book history looks to their device."""
    events = task.events(user)
    if books is None or books >= len(events):
        return events
    rng = np.random.default_rng((TRUNCATION_SEED, user))
    kept = np.sort(rng.choice(len(events), size=books, replace=False))
    return [events[i] for i in kept.tolist()]


def books_profiles(
    task: Task, users: NDArray[np.int64], books: int | None, embedder: Embedder
) -> NDArray[np.float32]:
    """Each user's books profile (users x PROFILE_DIM) from ``books`` of their training
    events, computed as the device computes it."""
    rows = [
        extract_features(
            truncated_events(task, int(user), books),
            {Category.BOOKS},
            [Category.BOOKS],
            embedder=embedder,
            now=BOOKS_EVENT_TIME,
        ).profiles[Category.BOOKS]
        for user in users.tolist()
    ]
    return np.asarray(rows, dtype=np.float32).reshape(-1, PROFILE_DIM)


@dataclass(frozen=True, eq=False)
class CrossParts:
    """A fitted cross model: the projection (EMBEDDING_DIM x dim), the projected books and
    their popularity log(1 + readers)."""

    settings: CrossSettings
    projection: FloatArray
    items: FloatArray
    popularity: FloatArray

    @property
    def item_table(self) -> FloatArray:
        """The item table: the projected books, then the popularity column."""
        return np.column_stack([self.items, self.popularity])

    def user_vectors(self, profiles: NDArray[np.floating]) -> FloatArray:
        """The tower's output for users given by one category's profiles (rows): the
        projected profile, then the popularity weight."""
        content = profiles[:, :EMBEDDING_DIM].astype(np.float64) @ self.projection
        weight = np.full((len(content), 1), self.settings.popularity)
        return np.hstack([content, weight])

    def scores(self, profiles: NDArray[np.floating]) -> FloatArray:
        """Every book's score for users given by one category's profiles (rows)."""
        scores: FloatArray = self.user_vectors(profiles) @ self.item_table.T
        return scores


def fit_parts(task: Task, vectors: NDArray[np.floating], settings: CrossSettings) -> CrossParts:
    """Project the books' text ``vectors`` on their main directions; count readers in the
    task's training part."""
    if not 1 <= settings.dim <= min(len(vectors), EMBEDDING_DIM):
        raise ValueError(f"{settings.dim} directions of {len(vectors)} books cannot be had")
    projection = principal_directions(vectors, settings.dim)
    readers = interaction_matrix(task.train, int(task.train.users.max()) + 1, task.items)
    return CrossParts(
        settings=settings,
        projection=projection,
        items=np.asarray(vectors, dtype=np.float64) @ projection,
        popularity=np.log1p(np.asarray(readers.sum(axis=0), dtype=np.float64).ravel()),
    )


@dataclass(frozen=True)
class Tuning:
    """The validation run: every setting's mean Recall@20 over the tuned book counts, the one
    picked, and the books profiles of the validation readers (one book known) that the
    relevance floor is set on."""

    recalls: dict[CrossSettings, float]
    chosen: CrossSettings
    floor_profiles: NDArray[np.float32]


def tune(validation: Task, embedder: Embedder, grid: Sequence[CrossSettings] = GRID) -> Tuning:
    """Try every setting of ``grid`` on readers of the validation split whose device knows one
    or three of their books; the best mean Recall@20 wins (ties: the earlier setting)."""
    users = validation.split.test_users()
    seen = validation.seen(users)
    test = interaction_matrix(validation.split.test, int(users.max()) + 1, validation.items)[users]
    profiles = {books: books_profiles(validation, users, books, embedder) for books in TUNING_BOOKS}
    recalls: dict[CrossSettings, float] = {}
    projected: dict[tuple[ItemText, int], CrossParts] = {}
    for settings in grid:
        key = (settings.item_text, settings.dim)
        if key not in projected:  # the popularity weight changes no projection
            vectors = embedder.embed(item_texts(validation.catalog, settings.item_text))
            projected[key] = fit_parts(validation, vectors, settings)
        parts = dataclasses.replace(projected[key], settings=settings)
        per_user = [
            recall_per_user(parts.scores(profiles[books]), seen, test, K) for books in TUNING_BOOKS
        ]
        recalls[settings] = float(np.mean(np.concatenate(per_user)))
    chosen = max(recalls, key=lambda s: (recalls[s], -list(recalls).index(s)))
    return Tuning(recalls=recalls, chosen=chosen, floor_profiles=profiles[1])


def _tower(parts: CrossParts) -> tuple[bundle.Linear, dict[str, NDArray[np.float32]]]:
    """One linear layer: each profile's embedding part projected (times its category's
    weight) into the first dim outputs, counts ignored; the last output is the constant
    weight of the popularity column, held in the bias."""
    dim = parts.settings.dim
    weight = np.zeros((dim + 1, PROFILE_DIM * len(CROSS_CATEGORIES)), dtype=np.float32)
    for position, category in enumerate(CROSS_CATEGORIES):
        start = position * PROFILE_DIM
        block = CATEGORY_WEIGHTS[category] * parts.projection.T
        weight[:dim, start : start + EMBEDDING_DIM] = block
    bias = np.zeros(dim + 1, dtype=np.float32)
    bias[dim] = parts.settings.popularity
    layer = bundle.Linear(in_features=weight.shape[1], out_features=dim + 1, bias=True)
    return layer, {"layers.0.weight": weight, "layers.0.bias": bias}


def _inputs() -> tuple[bundle.InputBlock, ...]:
    return tuple(
        bundle.InputBlock(
            name=f"profile:{category.value}",
            kind="category_profile",
            size=PROFILE_DIM,
            category=category.value,
            optional=True,
        )
        for category in CROSS_CATEGORIES
    )


DESCRIPTION: Final = (
    "Books from goodbooks-10k for anyone, from what you read, listen to, browse, buy or visit: "
    "every profile you opted into (none is required) is compared with the books' {item_text} "
    "in the {model} embedding space (top {dim} directions), and the books' popularity is added "
    "with the weight that served goodbooks readers who shared one or three books best. No "
    "openly licensed dataset links one person's activity across categories, so only the books "
    "part was fitted: your music, web, purchases and places count as much as books would, "
    "which is untested on real people."
)


def build_cross_books(
    task: Task,
    validation: Task,
    embedder: Embedder,
    *,
    name: str,
    grid: Sequence[CrossSettings] = GRID,
) -> tuple[BuiltModel, Tuning]:
    """Pick the settings on ``validation`` among ``grid``, then fit on ``task``'s training
    part."""
    # Every text the model needs (the books' in each form, which is also how events of
    # goodbooks readers are titled), embedded once.
    table = TitleTable([t for form in ITEM_TEXTS for t in item_texts(task.catalog, form)], embedder)
    tuning = tune(validation, table, grid)
    settings = tuning.chosen
    vectors = table.embed(item_texts(task.catalog, settings.item_text))
    parts = fit_parts(task, vectors, settings)
    layer, tower = _tower(parts)
    item_table = parts.item_table.astype(np.float32)
    # Set on readers whose device knows one of their books: the model's audience is people
    # with little history in books, and a floor set on whole libraries would be stricter.
    floor_users = parts.user_vectors(tuning.floor_profiles).astype(np.float32)
    floor = relevance_floor(floor_users, item_table)
    item_text = "titles" if settings.item_text == "title" else "titles and authors"
    manifest = bundle.Manifest(
        name=name,
        version=VERSION,
        description=DESCRIPTION.format(item_text=item_text, model=MODEL_ID, dim=settings.dim),
        categories=tuple(c.value for c in CROSS_CATEGORIES),
        feature_schema=FEATURE_SCHEMA_VERSION,
        dim=settings.dim + 1,
        items=task.items,
        inputs=_inputs(),
        tower=(layer,),
        catalog=task.info,
        policy="new-only",
        relevance_floor=floor,
    )
    built = BuiltModel(
        manifest=manifest, tower=tower, items=item_table, catalog=bundle_catalog(task.catalog)
    )
    return built, tuning


def tuning_table(tuning: Tuning) -> list[dict[str, object]]:
    """The validation run as rows (for the benchmark's output)."""
    return [
        {
            "item_text": s.item_text,
            "dim": s.dim,
            "popularity": s.popularity,
            "validation_recall_at_20": recall,
            "chosen": s == tuning.chosen,
        }
        for s, recall in tuning.recalls.items()
    ]
