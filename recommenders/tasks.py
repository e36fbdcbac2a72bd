"""Each dataset of the reference models split once into a Task: what models train on, how
they are tested, and the validation stage their hyperparameters are chosen on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.activity import ActivityEvent, Category
from recommenders.datasets import (
    GOODBOOKS_SOURCE,
    ONLINE_RETAIL_SOURCE,
    Catalog,
    Interactions,
    Split,
    history_events,
    load_goodbooks,
    load_online_retail,
    random_holdout_split,
    temporal_last_basket_split,
)
from recommenders.evaluation import interaction_matrix
from recommenders.features import CatalogIndex

# Goodbooks and Last.fm have no timestamps: every such event is dated here, so recency
# weights are equal.
BOOKS_EVENT_TIME = datetime(2017, 9, 1, tzinfo=UTC)


LIKED_RATING = 4.0  # goodbooks: a rating that says "liked", held out by the test split


RETAIL = bundle.CatalogInfo(
    source=ONLINE_RETAIL_SOURCE,
    description="Gift-ware of one UK online shop",
    region="United Kingdom",
    period="December 2010 to December 2011",
    licence="CC0 1.0",
    licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
    attribution="UCI Online Retail (Chen, Sain and Guo, 2012)",
)


GOODBOOKS = bundle.CatalogInfo(
    source=GOODBOOKS_SOURCE,
    description="Popular books on Goodreads",
    region="worldwide, mostly in English",
    period="published up to 2017",
    licence="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    attribution="goodbooks-10k by Zygmunt Zając",
    display=(
        bundle.DisplayField("authors", "by"),
        bundle.DisplayField("original_publication_year", "first published"),
    ),
    link_field="url",
)


@dataclass(frozen=True, eq=False)
class Task:
    """One dataset, split once: what models train on and how they are tested.

    ``validation`` splits ``train`` exactly as ``split`` splits the whole data; every
    hyperparameter is chosen on it, so the test split is only ever looked at to report.
    """

    name: str
    category: Category
    catalog: Catalog
    train: Interactions  # everything a model may learn from, side data included
    split: Split  # split.test holds the items to predict for each test user
    times: dict[int, datetime]  # the moment each test user asks for recommendations
    liked: NDArray[np.bool_]  # per training row: a positive signal (bought, rated >= 4, to-read)
    info: bundle.CatalogInfo  # the catalog in people's words, its licence and how it is matched
    # Inside ``train``, carved out the way ``split`` is carved out of everything; None: this
    # task is itself a validation stage (or has none).
    validation: Split | None = None
    # Per validation.train row, like ``liked``; None: every row is a positive signal.
    validation_liked: NDArray[np.bool_] | None = None
    # How the category's events are combined before they weigh in the features, in training
    # as on the device (bundle.AGGREGATIONS): the task's models declare it in their manifests.
    aggregation: str = bundle.DEFAULT_AGGREGATION

    @property
    def items(self) -> int:
        return len(self.catalog)

    def events(self, user: int, train: Interactions | None = None) -> list[ActivityEvent]:
        """The user's history in ``train`` (default: the task's whole training part)."""
        history = self.train if train is None else train
        return history_events(history, self.catalog, user, undated_time=BOOKS_EVENT_TIME)

    def query_times(self, split: Split) -> dict[int, datetime]:
        """When each test user of ``split`` (the task's own or its validation) asks."""
        if split is self.split:
            return self.times
        return held_out_times(split)

    def validation_task(self) -> Task:
        """The same task one step earlier, to tune a model on: it trains on validation.train
        and is tested on validation.test (and has no validation of its own); the test split
        is never seen."""
        validation = self.validation
        if validation is None:
            raise ValueError(f"task {self.name!r} has no validation split")
        train = validation.train
        liked = self.validation_liked
        return Task(
            self.name,
            self.category,
            self.catalog,
            train,
            validation,
            held_out_times(validation),
            np.ones(len(train), np.bool_) if liked is None else liked,
            self.info,
            aggregation=self.aggregation,
        )

    def index(self) -> CatalogIndex:
        """The catalog index a device builds for this catalog (see features.catalog_index)."""
        info = self.info
        links = None
        if info.link_field is not None:
            links = [m.get(info.link_field) for m in self.catalog.metadata]
        return CatalogIndex(self.catalog, info.source, match=info.match, links=links)

    def seen(self, users: NDArray[np.int64]) -> sp.csr_matrix:
        """Binary users x items matrix of the training history (rows follow ``users``)."""
        matrix = interaction_matrix(self.train, int(self.train.users.max()) + 1, self.items)
        return matrix[users]


def held_out_times(split: Split) -> dict[int, datetime]:
    """Each test user's first held-out moment (undated data: the one undated time)."""
    users = split.test_users()
    if split.test.times is None:
        return dict.fromkeys(users.tolist(), BOOKS_EVENT_TIME)
    order = np.lexsort((split.test.times, split.test.users))
    first = order[np.searchsorted(split.test.users[order], users)]
    return {
        int(user): datetime.fromtimestamp(int(moment), tz=UTC)
        for user, moment in zip(users.tolist(), split.test.times[first].tolist(), strict=True)
    }


def retail_task(*, new_only: bool = True) -> Task:
    """Online Retail: each customer's last basket is the test; ``new_only=False`` keeps re-buys
    in it (the "re-buys count" protocol). Validation is each customer's last training basket."""
    data = load_online_retail()
    split = temporal_last_basket_split(data.purchases, new_only=new_only)
    validation = temporal_last_basket_split(split.train, new_only=new_only)
    liked = np.ones(len(split.train), dtype=np.bool_)
    name = "online-retail" if new_only else "online-retail-rebuys"
    return Task(
        name,
        Category.PURCHASES,
        data.catalog,
        split.train,
        split,
        held_out_times(split),
        liked,
        RETAIL,
        validation=validation,
    )


def rated_liked(task: Task) -> NDArray[np.bool_]:
    """Per goodbooks training row: a book the reader rated >= 4, what the test split holds
    out; to-read marks (weighted 1 by load_goodbooks) are input only, never a target."""
    return task.liked & (task.train.weights >= LIKED_RATING)


def books_task(seed: int = 0) -> Task:
    """Goodbooks: a seeded 20% of each reader's liked books is the test, and a further seeded
    20% of the liked books left in training is the validation."""
    data = load_goodbooks()
    split = random_holdout_split(data.ratings, np.random.default_rng(seed))
    # Seeded seed + 1: cross-books picked its shipped settings on this very validation split.
    inner = random_holdout_split(split.train, np.random.default_rng(seed + 1))
    train = _concatenate(split.train, data.to_read)
    liked = np.concatenate(
        [split.train.weights >= LIKED_RATING, np.ones(len(data.to_read), np.bool_)]
    )
    return Task(
        "goodbooks",
        Category.BOOKS,
        data.catalog,
        train,
        split,
        held_out_times(split),
        liked,
        GOODBOOKS,
        validation=Split(train=_concatenate(inner.train, data.to_read), test=inner.test),
        validation_liked=np.concatenate(
            [inner.train.weights >= LIKED_RATING, np.ones(len(data.to_read), np.bool_)]
        ),
    )


def _concatenate(first: Interactions, second: Interactions) -> Interactions:
    return Interactions(
        users=np.concatenate([first.users, second.users]),
        items=np.concatenate([first.items, second.items]),
        weights=np.concatenate([first.weights, second.weights]),
    )


def load_task(dataset: str, *, validation: bool = False) -> Task:
    """The task of ``dataset``; with ``validation``, its validation stage (train and test both
    inside the test stage's training part), where hyperparameters are chosen."""
    if dataset == "stackexchange":
        # Imported here: the web task module builds on this one's Task.
        from recommenders.stackexchange import stackexchange_task

        return stackexchange_task(validation=validation)
    if dataset == "lastfm":
        # Imported here: recommenders.lastfm builds its Task on this module's.
        from recommenders.lastfm import lastfm_task

        return lastfm_task(validation=validation)
    if dataset == "online-retail":
        task = retail_task()
    elif dataset == "online-retail-rebuys":
        task = retail_task(new_only=False)
    elif dataset == "goodbooks":
        task = books_task()
    else:
        raise ValueError(f"unknown dataset {dataset!r}")
    return task.validation_task() if validation else task
