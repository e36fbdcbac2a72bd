"""The reference models, the market's first competitors: which ones ship, with which settings,
and how each is built from the data shipped here (datasets split in recommenders.tasks, examples
in recommenders.training_examples, model kinds in recommenders.model_kinds, export in
recommenders.built_model)."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommenders.built_model import (
    BuiltModel,
    relevance_floor,
    user_vectors,
    with_significand_bits,
)
from recommenders.cross import build_cross_books
from recommenders.datasets import DATA_DIR
from recommenders.embeddings import Embedder
from recommenders.model_kinds import (
    WarmStart,
    content_model,
    ease_score_factors,
    low_rank_ease,
    low_rank_ridge,
    popularity_column,
    popularity_model,
    train_two_tower,
)
from recommenders.places_model import places_nearby_model
from recommenders.tasks import Task, load_task, rated_liked
from recommenders.training_examples import (
    ExampleSource,
    TitleTable,
    books_examples,
    retail_examples,
)


@dataclass(frozen=True)
class TwoTowerSettings:
    """A two-tower's hyperparameters, chosen on its task's validation split (trained on
    ``Task.validation_task()``, measured on its test): docs/quality.md lists the candidates."""

    dim: int
    l2: float  # EASE's regularisation in the warm start
    epochs: int
    prior: str | None = None  # "popularity": an item column of (recent) popularity
    prior_days: float | None = None  # the popularity's window; None: all training data
    prior_weight: float = 0.0  # how much the tower's bias gives the prior at the start
    prior_per_history: float = 0.0  # and each unit of history weight (see train_two_tower)
    content_dim: int = 0  # title directions appended to each item vector (see train_two_tower)
    lr: float = 3e-4
    # Re-buys are targets too and early stopping counts them: a "new-and-again" model.
    again: bool = False
    warm_start: WarmStart = low_rank_ease
    # Weights rounded to this many significand bits (round_significand), to fit a wide model
    # in the bundle size; None: exact.
    significant_bits: int | None = None
    resamples: int = 1  # goodbooks: hidden-book draws per reader and epoch of examples


# By dataset, or by model name for a second two-tower on the same dataset.
TWO_TOWER_SETTINGS: dict[str, TwoTowerSettings] = {
    "online-retail": TwoTowerSettings(
        256,
        500.0,
        30,
        "popularity",
        30.0,
        0.0,
        warm_start=ease_score_factors,
        significant_bits=9,
    ),
    # Not fine-tuned (on validation fine-tuning lowered it): the ridge warm start and the
    # popularity column, weighted 0.01 per unit of the customer's history weight.
    "retail-again": TwoTowerSettings(
        256,
        10.0,
        0,
        "popularity",
        30.0,
        prior_per_history=0.01,
        again=True,
        warm_start=low_rank_ridge,
        significant_bits=9,
    ),
    "goodbooks": TwoTowerSettings(80, 100.0, 1, warm_start=ease_score_factors, resamples=4),
    "stackexchange": TwoTowerSettings(32, 100.0, 60, content_dim=64, lr=1e-2),
}


@dataclass(frozen=True)
class ReferenceSpec:
    """How to build one reference model from the shipped data."""

    dataset: str
    kind: str
    description: str
    policy: str = "new-only"  # see bundle.POLICIES
    # Declare a relevance floor, set on the users of the dataset's validation stage.
    floor: bool = False


REFERENCE_MODELS: dict[str, ReferenceSpec] = {
    "retail-two-tower": ReferenceSpec("online-retail", "two-tower", "purchases, d=256", floor=True),
    "retail-content": ReferenceSpec("online-retail", "content", "purchases, d=64", floor=True),
    # New and again: about a third of a shopper's next basket are re-buys; they are shown apart.
    "retail-again": ReferenceSpec(
        "online-retail", "two-tower", "purchases, new and again, d=256", "new-and-again", True
    ),
    "books-two-tower": ReferenceSpec("goodbooks", "two-tower", "books, d=80", floor=True),
    "books-popular": ReferenceSpec("goodbooks", "popularity", "books, d=1"),
    # New questions only: on these sites a person comes back to a question they asked or
    # answered in 2% of their events, and a page already read is one the browser's own
    # history offers again; a recommender earns its place with pages not yet seen.
    "web-two-tower": ReferenceSpec("stackexchange", "two-tower", "web, d=32+64", floor=True),
    "web-content": ReferenceSpec("stackexchange", "content", "web, d=64", floor=True),
    "places-nearby": ReferenceSpec("osm-helsinki", "nearby", "places, d=36"),
    "cross-books": ReferenceSpec("goodbooks", "cross", "books from any category's profile, d=65"),
    # New and again: people replay artists. Built by recommenders.lastfm, with its floors.
    "music-two-tower": ReferenceSpec("lastfm", "two-tower", "music artists, d=64"),
    "music-content": ReferenceSpec("lastfm", "content", "music artists, d=64"),
}


REFERENCE_BUNDLE_DIR = DATA_DIR / "reference"


def shipped_bundle(name: str) -> Path:
    """The prebuilt bundle (zip) of reference model ``name`` that ships with the package."""
    if name not in REFERENCE_MODELS:
        raise ValueError(f"unknown reference model {name!r} (known: {', '.join(REFERENCE_MODELS)})")
    path = REFERENCE_BUNDLE_DIR / f"{name}.zip"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: rebuild it with `make reference-bundles`")
    return path


def build_reference_model(
    name: str,
    *,
    embedder: Embedder,
    task: Task | None = None,
    seed: int = 0,
    progress: bool = True,
) -> BuiltModel:
    """Train (or compute) the reference model ``name`` on its dataset's training split."""
    spec = REFERENCE_MODELS.get(name)
    if spec is None:
        known = ", ".join(REFERENCE_MODELS)
        raise ValueError(f"unknown reference model {name!r} (known: {known})")
    if spec.kind == "nearby":
        if task is not None:
            raise ValueError(f"{name} is built on the OpenStreetMap places, not on a task")
        return places_nearby_model(name, embedder=embedder)
    task = task or load_task(spec.dataset)
    if task.name != spec.dataset:
        raise ValueError(f"{name} is built on {spec.dataset}, not {task.name}")
    if spec.kind == "cross":
        # It picks its settings and sets its floor on its own validation readers (those who
        # share one book).
        return build_cross_books(task, task.validation_task(), embedder, name=name)[0]
    if task.name == "lastfm":
        # Imported here: recommenders.lastfm imports torch, which the device never loads. It
        # sets each music model's policy and floor.
        from recommenders.lastfm import build_music_model

        return build_music_model(name, spec.kind, task, embedder, seed=seed, progress=progress)
    built = _build(name, spec, task, embedder, seed=seed, progress=progress)
    floor = None
    if spec.floor:
        stage = load_task(task.name, validation=True)
        users = stage.split.test_users()
        vectors = user_vectors(built.manifest, built.tower, built.catalog, stage, users, embedder)
        floor = relevance_floor(vectors.astype(np.float32), built.items)
    manifest = dataclasses.replace(built.manifest, policy=spec.policy, relevance_floor=floor)
    return dataclasses.replace(built, manifest=manifest)


def _build(
    name: str, spec: ReferenceSpec, task: Task, embedder: Embedder, *, seed: int, progress: bool
) -> BuiltModel:
    if spec.kind == "popularity":
        return popularity_model(task, name=name)
    table = TitleTable(list(task.catalog.titles), embedder)
    if spec.kind == "content":
        return content_model(task, table, name=name, dim=64)
    settings = TWO_TOWER_SETTINGS.get(name) or TWO_TOWER_SETTINGS[task.name]
    # Next-basket examples; on the web each visit is its own basket of one question.
    source: ExampleSource = lambda features, _: retail_examples(  # noqa: E731
        task, features, rebuys=settings.again
    )
    if task.name == "goodbooks":
        source = functools.partial(
            books_examples, task, resamples=settings.resamples, predicted=rated_liked(task)
        )
    built = train_two_tower(
        task,
        table,
        name=name,
        dim=settings.dim,
        l2=settings.l2,
        epochs=settings.epochs,
        prior=None if settings.prior is None else popularity_column(task, settings.prior_days),
        prior_weight=settings.prior_weight,
        prior_per_history=settings.prior_per_history,
        content_dim=settings.content_dim,
        lr=settings.lr,
        seed=seed,
        progress=progress,
        examples=source,
        again=settings.again,
        warm_start=settings.warm_start,
    )
    bits = settings.significant_bits
    return built if bits is None else with_significand_bits(built, bits)
