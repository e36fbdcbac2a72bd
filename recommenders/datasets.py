"""Typed loaders for the bundled datasets (Online Retail, goodbooks) and their evaluation splits.

Only reads `recommenders/data/`; see `recommenders/data/LICENSES.md` for the data's licences.
"""

from __future__ import annotations

import csv
import functools
import gzip
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from recommenders.activity import ActivityEvent, Category

DATA_DIR = Path(__file__).resolve().parent / "data"
ONLINE_RETAIL_SOURCE = "online-retail"
GOODBOOKS_SOURCE = "goodbooks"

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float32]
_Scalar = TypeVar("_Scalar", bound=np.generic)
_NO_METADATA: Mapping[str, str] = MappingProxyType({})


class DatasetError(ValueError):
    """A bundled data file is missing or malformed."""


def _frozen(array: NDArray[_Scalar]) -> NDArray[_Scalar]:
    # The dataclasses below are frozen; read-only arrays make that true of their contents too,
    # so a cached dataset can be shared safely.
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Catalog:
    """The public description of a set of items: row `i` describes item `item_ids[i]`."""

    source: str
    item_ids: tuple[str, ...]
    titles: tuple[str, ...]
    categories: tuple[Category, ...]
    metadata: tuple[Mapping[str, str], ...]

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        if not (len(self.titles) == len(self.categories) == len(self.metadata) == n):
            raise DatasetError("catalog columns have different lengths")
        if len(set(self.item_ids)) != n:
            raise DatasetError(f"catalog {self.source!r} has duplicate item ids")

    def __len__(self) -> int:
        return len(self.item_ids)


@dataclass(frozen=True, eq=False)
class Interactions:
    """User-item events as aligned columns; `items` are row numbers in the dataset's catalog.

    `weights` are the events' strengths (> 0). `times` (UTC seconds since the Unix epoch) and
    `baskets` (e.g. invoice numbers) are None where the dataset does not record them.
    """

    users: IntArray
    items: IntArray
    weights: FloatArray
    times: IntArray | None = None
    baskets: IntArray | None = None

    def __post_init__(self) -> None:
        n = len(self.users)
        for name in ("items", "weights", "times", "baskets"):
            column: NDArray[np.generic] | None = getattr(self, name)
            if column is not None and column.shape != (n,):
                raise DatasetError(f"interactions column {name!r} does not match 'users'")
        if n and not bool(np.all(self.weights > 0)):
            raise DatasetError("interaction weights must be > 0")

    def __len__(self) -> int:
        return len(self.users)

    def select(self, rows: NDArray[np.bool_] | IntArray) -> Interactions:
        """The interactions at `rows` (a boolean mask or row indices), as a new read-only set."""
        return Interactions(
            users=_frozen(self.users[rows]),
            items=_frozen(self.items[rows]),
            weights=_frozen(self.weights[rows]),
            times=None if self.times is None else _frozen(self.times[rows]),
            baskets=None if self.baskets is None else _frozen(self.baskets[rows]),
        )


@dataclass(frozen=True, eq=False)
class Split:
    """Training interactions, and the held-out interactions to predict."""

    train: Interactions
    test: Interactions

    def test_users(self) -> IntArray:
        """The users with at least one held-out interaction, sorted."""
        return np.unique(self.test.users)


@dataclass(frozen=True, eq=False)
class OnlineRetail:
    """Purchases: one interaction per invoice line; weight = 1 + ln(quantity)."""

    catalog: Catalog
    purchases: Interactions


@dataclass(frozen=True, eq=False)
class Goodbooks:
    """Books: ratings (weight = the 1-5 rating) and to-read marks (weight 1)."""

    catalog: Catalog
    ratings: Interactions
    to_read: Interactions


def _read_rows(path: Path, columns: Sequence[str]) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise DatasetError(f"bundled data file {path} is missing; was the package installed?")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise DatasetError(f"{path.name} lacks the columns {sorted(missing)}")
        yield from reader


def _int_column(values: list[str], path: Path, name: str) -> IntArray:
    try:
        return np.array(values, dtype=np.int64)
    except ValueError as exc:
        raise DatasetError(f"{path.name}: column {name!r} is not all integers") from exc


def _utc_seconds(values: list[str], path: Path) -> IntArray:
    # numpy's parser rejects (or warns on) a "Z" suffix; every time in the file must carry one,
    # so strip it after checking rather than guessing a zone.
    if not all(v.endswith("Z") for v in values):
        raise DatasetError(f"{path.name}: times must be ISO-8601 UTC ending in 'Z'")
    try:
        parsed = np.array([v[:-1] for v in values], dtype="datetime64[s]")
    except ValueError as exc:
        raise DatasetError(f"{path.name}: unparseable time") from exc
    return parsed.astype(np.int64)


@functools.cache
def load_online_retail(data_dir: Path = DATA_DIR) -> OnlineRetail:
    """Load the bundled Online Retail purchases (4,339 customers, 3,665 items)."""
    path = data_dir / "online_retail" / "transactions.csv.gz"
    columns = ("customer_id", "invoice", "stock_code", "description", "quantity")
    customers: list[str] = []
    invoices: list[str] = []
    codes: list[str] = []
    quantities: list[str] = []
    times: list[str] = []
    descriptions: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in _read_rows(path, (*columns, "invoice_time_utc")):
        customers.append(row["customer_id"])
        invoices.append(row["invoice"])
        codes.append(row["stock_code"])
        quantities.append(row["quantity"])
        times.append(row["invoice_time_utc"])
        descriptions[row["stock_code"]][row["description"]] += 1

    item_ids = tuple(sorted(descriptions))
    # A stock code's description changed over time; its most frequent one names it (ties go
    # to the alphabetically first, so the catalog is deterministic).
    titles = tuple(
        min(descriptions[code].items(), key=lambda kv: (-kv[1], kv[0]))[0] or code
        for code in item_ids
    )
    row_of = {code: i for i, code in enumerate(item_ids)}
    quantity = _int_column(quantities, path, "quantity")
    if len(quantity) and int(quantity.min()) <= 0:
        raise DatasetError(f"{path.name}: quantities must be positive")
    catalog = Catalog(
        source=ONLINE_RETAIL_SOURCE,
        item_ids=item_ids,
        titles=titles,
        categories=(Category.PURCHASES,) * len(item_ids),
        metadata=(_NO_METADATA,) * len(item_ids),
    )
    purchases = Interactions(
        users=_frozen(_int_column(customers, path, "customer_id")),
        items=_frozen(np.array([row_of[c] for c in codes], dtype=np.int64)),
        # Twelve of a cheap item are not twelve times the interest: damp the quantity.
        weights=_frozen((1.0 + np.log(quantity)).astype(np.float32)),
        times=_frozen(_utc_seconds(times, path)),
        baskets=_frozen(_int_column(invoices, path, "invoice")),
    )
    return OnlineRetail(catalog=catalog, purchases=purchases)


# How a shelved book weighs, the same in training (goodbooks) and on the device (a Goodreads
# export): its stars; a book read but not rated counts as four (finishing it is a good sign), a
# to-read mark as one. The books two-tower reads these weights as its input.
TO_READ_WEIGHT = 1.0
UNRATED_READ_STARS = 4


def book_weight(stars: int, *, to_read: bool = False) -> float:
    """The weight of a shelved book: ``stars`` 1-5, 0 for read but not rated."""
    if to_read:
        return TO_READ_WEIGHT
    if not 0 <= stars <= 5:
        raise ValueError(f"a rating must be 0 to 5 stars, found {stars}")
    return float(stars or UNRATED_READ_STARS)


@functools.cache
def load_goodbooks(data_dir: Path = DATA_DIR) -> Goodbooks:
    """Load the bundled goodbooks slice (990 raters, 10,485 to-read users, 7,295 books)."""
    base = data_dir / "goodbooks"
    books_path = base / "books.csv.gz"
    meta_columns = (
        "goodreads_book_id",
        "authors",
        "original_publication_year",
        "language_code",
        "average_rating",
    )
    books = sorted(
        _read_rows(books_path, ("book_id", "title", *meta_columns)),
        key=lambda b: int(b["book_id"]),
    )
    catalog = Catalog(
        source=GOODBOOKS_SOURCE,
        item_ids=tuple(b["book_id"] for b in books),
        titles=tuple(b["title"] for b in books),
        categories=(Category.BOOKS,) * len(books),
        metadata=tuple(
            MappingProxyType(
                {
                    **{k: b[k] for k in meta_columns},
                    "url": f"https://www.goodreads.com/book/show/{b['goodreads_book_id']}",
                }
            )
            for b in books
        ),
    )
    row_of = {book_id: i for i, book_id in enumerate(catalog.item_ids)}

    def interactions(name: str, has_rating: bool) -> Interactions:
        path = base / name
        columns = ("user_id", "book_id", "rating") if has_rating else ("user_id", "book_id")
        rows = list(_read_rows(path, columns))
        try:
            items = [row_of[r["book_id"]] for r in rows]
        except KeyError as exc:
            raise DatasetError(f"{name} refers to book {exc.args[0]} not in books") from exc
        if has_rating:
            weights = _int_column([r["rating"] for r in rows], path, "rating").astype(np.float32)
            if len(weights) and not (weights.min() >= 1 and weights.max() <= 5):
                raise DatasetError(f"{name}: ratings must be between 1 and 5")
        else:
            weights = np.full(len(rows), book_weight(0, to_read=True), dtype=np.float32)
        return Interactions(
            users=_frozen(_int_column([r["user_id"] for r in rows], path, "user_id")),
            items=_frozen(np.array(items, dtype=np.int64)),
            weights=_frozen(weights),
        )

    return Goodbooks(
        catalog=catalog,
        ratings=interactions("ratings.csv.gz", has_rating=True),
        to_read=interactions("to_read.csv.gz", has_rating=False),
    )


def _last_row_per_group(sorted_groups: IntArray) -> IntArray:
    """Positions of the last element of each run in an already sorted array."""
    if len(sorted_groups) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.append(np.flatnonzero(np.diff(sorted_groups)), len(sorted_groups) - 1)


def temporal_last_basket_split(interactions: Interactions, *, new_only: bool = True) -> Split:
    """Per user, hold out the last basket (by time, then basket number) as the test set.

    Earlier baskets are the training set. With ``new_only`` the test set keeps only items the
    user had not bought before (the "new items" protocol); without it re-buys stay in the test
    basket too (the "re-buys count" protocol). Users with a single basket are dropped, and so
    are users whose last basket holds nothing left to predict.
    """
    if interactions.times is None or interactions.baskets is None:
        raise ValueError("a last-basket split needs interactions with times and baskets")
    times, baskets = interactions.times, interactions.baskets
    _, user_code = np.unique(interactions.users, return_inverse=True)
    order = np.lexsort((baskets, times, user_code))
    last_rows = order[_last_row_per_group(user_code[order])]
    last_basket = np.empty(len(last_rows), dtype=np.int64)
    last_basket[user_code[last_rows]] = baskets[last_rows]

    in_last = baskets == last_basket[user_code]
    has_history = np.bincount(user_code[~in_last], minlength=len(last_basket)) > 0
    kept = has_history[user_code]
    train = kept & ~in_last

    n_items = int(interactions.items.max()) + 1 if len(interactions) else 1
    pair = user_code * n_items + interactions.items
    test = kept & in_last
    if new_only:
        test &= ~np.isin(pair, pair[train])
    return Split(train=interactions.select(train), test=interactions.select(test))


def random_holdout_split(
    ratings: Interactions,
    rng: np.random.Generator,
    *,
    fraction: float = 0.2,
    min_rating: float = 4.0,
) -> Split:
    """Per user, hold out a random `fraction` of the positively rated items as the test set.

    `ratings.weights` are the ratings; positives are those >= `min_rating`. Each user holds out
    round(fraction * positives) items (half rounds up), so users with one or two positives keep
    them all for training. Everything not held out, including low ratings, is training data.
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"fraction must be in [0, 1), got {fraction}")
    positive = np.flatnonzero(ratings.weights >= min_rating)
    # One random key per positive row; a user's rows with the smallest keys are held out.
    keys = rng.random(len(positive))
    _, user_code, counts = np.unique(
        ratings.users[positive], return_inverse=True, return_counts=True
    )
    n_held = np.floor(fraction * counts + 0.5).astype(np.int64)
    order = np.lexsort((keys, user_code))
    starts = np.cumsum(counts) - counts
    rank = np.arange(len(order)) - starts[user_code[order]]
    held = positive[order[rank < n_held[user_code[order]]]]

    test = np.zeros(len(ratings), dtype=np.bool_)
    test[held] = True
    return Split(train=ratings.select(~test), test=ratings.select(test))


def history_events(
    interactions: Interactions,
    catalog: Catalog,
    user: int,
    *,
    undated_time: datetime | None = None,
) -> list[ActivityEvent]:
    """One user's interactions as activity events, oldest first, e.g. to demo a real user.

    Pass a split's `train` to give a held-out user's training history. Datasets without
    times (goodbooks) need `undated_time`, the time given to every event.
    """
    rows = np.flatnonzero(interactions.users == user)
    if interactions.times is not None:
        rows = rows[np.argsort(interactions.times[rows], kind="stable")]
        times = [datetime.fromtimestamp(int(t), tz=UTC) for t in interactions.times[rows]]
    elif undated_time is not None:
        times = [undated_time] * len(rows)
    else:
        raise ValueError("these interactions have no times; pass undated_time")
    return [
        ActivityEvent(
            category=catalog.categories[item],
            source=catalog.source,
            title=catalog.titles[item],
            external_id=catalog.item_ids[item],
            time=time,
            weight=float(weight),
        )
        for item, weight, time in zip(
            interactions.items[rows].tolist(),
            interactions.weights[rows].tolist(),
            times,
            strict=True,
        )
    ]
