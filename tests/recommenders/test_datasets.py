"""Tests of the bundled datasets, their loaders and the evaluation splits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pytest

from recommenders.activity import Category
from recommenders.datasets import (
    DATA_DIR,
    GOODBOOKS_SOURCE,
    ONLINE_RETAIL_SOURCE,
    Catalog,
    DatasetError,
    IntArray,
    Interactions,
    Split,
    history_events,
    load_goodbooks,
    load_online_retail,
    random_holdout_split,
    temporal_last_basket_split,
)
from recommenders.reference import REFERENCE_MODELS

DAY = 86_400


Row = tuple[int, int, float, int, int]


def interactions(rows: Sequence[Row], *, dated: bool = True) -> Interactions:
    """Interactions from (user, item, weight, day, basket) tuples."""
    users, items, weights, days, baskets = (np.array(c) for c in zip(*rows, strict=True))
    return Interactions(
        users=users.astype(np.int64),
        items=items.astype(np.int64),
        weights=weights.astype(np.float32),
        times=(days * DAY).astype(np.int64) if dated else None,
        baskets=baskets.astype(np.int64) if dated else None,
    )


def pairs(inter: Interactions) -> set[tuple[int, int]]:
    return set(zip(inter.users.tolist(), inter.items.tolist(), strict=True))


# ---------------------------------------------------------------------------- last-basket split

BASKETS = interactions(
    [
        # user 1: three baskets; the last one (day 9) repeats item 10 and adds 12 and 13.
        (1, 10, 1.0, 1, 100),
        (1, 11, 1.0, 1, 100),
        (1, 10, 1.0, 5, 101),
        (1, 10, 1.0, 9, 102),
        (1, 12, 1.0, 9, 102),
        (1, 13, 2.0, 9, 102),
        # user 2: a single basket, so no history to learn from: dropped.
        (2, 10, 1.0, 3, 200),
        (2, 11, 1.0, 3, 200),
        # user 3: two baskets at the same time; the higher invoice number counts as last.
        # Its last basket only repeats item 11, so user 3 has training data but no test.
        (3, 11, 1.0, 4, 301),
        (3, 11, 1.0, 4, 300),
        (3, 12, 1.0, 4, 300),
        # user 4: rows given out of time order.
        (4, 14, 1.0, 8, 401),
        (4, 15, 1.0, 2, 400),
    ]
)


def dated_split(inter: Interactions) -> tuple[Split, IntArray, IntArray, IntArray, IntArray]:
    """The last-basket split, with its train and test times and baskets (never None here)."""
    split = temporal_last_basket_split(inter)
    train, test = split.train, split.test
    assert train.times is not None and train.baskets is not None
    assert test.times is not None and test.baskets is not None
    return split, train.times, train.baskets, test.times, test.baskets


def test_last_basket_split_holds_out_only_new_items_of_the_last_basket():
    split, _, train_baskets, test_times, test_baskets = dated_split(BASKETS)

    assert pairs(split.test) == {(1, 12), (1, 13), (4, 14)}
    assert sorted(zip(split.train.users.tolist(), train_baskets.tolist(), strict=True)) == [
        (1, 100),
        (1, 100),
        (1, 101),
        (3, 300),
        (3, 300),
        (4, 400),
    ]
    np.testing.assert_array_equal(split.test_users(), [1, 4])
    # The weights, times and baskets travel with their rows.
    test_row = int(np.flatnonzero(split.test.items == 13)[0])
    assert split.test.weights[test_row] == 2.0
    assert test_times[test_row] == 9 * DAY
    assert test_baskets[test_row] == 102


def test_last_basket_split_never_leaks_the_test_basket():
    split, train_times, train_baskets, test_times, test_baskets = dated_split(BASKETS)
    train_keys = set(zip(split.train.users.tolist(), train_baskets.tolist(), strict=True))
    test_keys = set(zip(split.test.users.tolist(), test_baskets.tolist(), strict=True))
    assert not train_keys & test_keys
    assert not pairs(split.train) & pairs(split.test)
    assert 2 not in split.train.users and 2 not in split.test.users
    # Every test row is later than (or tied with) all of the user's training rows.
    for user in split.test_users():
        assert (
            test_times[split.test.users == user].min()
            >= train_times[split.train.users == user].max()
        )


def test_last_basket_split_with_rebuys_keeps_the_whole_last_basket():
    split = temporal_last_basket_split(BASKETS, new_only=False)
    # User 1's re-bought item 10 and user 3's re-bought item 11 are now to be predicted too.
    assert pairs(split.test) == {(1, 10), (1, 12), (1, 13), (3, 11), (4, 14)}
    assert pairs(split.train) == pairs(temporal_last_basket_split(BASKETS).train)


def test_last_basket_split_needs_times_and_baskets():
    with pytest.raises(ValueError, match="times and baskets"):
        temporal_last_basket_split(interactions([(1, 1, 1.0, 0, 0)], dated=False))


def test_last_basket_split_of_nothing_is_empty():
    empty = Interactions(
        users=np.zeros(0, np.int64),
        items=np.zeros(0, np.int64),
        weights=np.zeros(0, np.float32),
        times=np.zeros(0, np.int64),
        baskets=np.zeros(0, np.int64),
    )
    split = temporal_last_basket_split(empty)
    assert len(split.train) == len(split.test) == 0


# ----------------------------------------------------------------------------- hold-out split


def ratings_of(per_user: dict[int, list[int]]) -> Interactions:
    rows = [
        (user, item, rating, 0, 0)
        for user, user_ratings in per_user.items()
        for item, rating in enumerate(user_ratings)
    ]
    return interactions(rows, dated=False)


RATINGS = ratings_of(
    {
        1: [5, 4, 5, 4, 5, 4, 5, 4, 5, 4, 1, 2, 3],  # 10 positives: 2 held out
        2: [5, 5, 3],  # 2 positives: round(0.4) = 0 held out
        3: [4, 4, 5, 1],  # 3 positives: round(0.6) = 1 held out
        4: [1, 2, 3],  # no positives
    }
)


def test_holdout_split_holds_out_a_fifth_of_each_users_positives():
    split = random_holdout_split(RATINGS, np.random.default_rng(7))

    held = {u: int((split.test.users == u).sum()) for u in (1, 2, 3, 4)}
    assert held == {1: 2, 2: 0, 3: 1, 4: 0}
    assert np.all(split.test.weights >= 4)
    # A partition of the input: nothing lost, nothing in both halves.
    assert len(split.train) + len(split.test) == len(RATINGS)
    assert not pairs(split.train) & pairs(split.test)
    assert pairs(split.train) | pairs(split.test) == pairs(RATINGS)


def test_holdout_split_is_determined_by_the_rng():
    def held(seed: int) -> set[tuple[int, int]]:
        return pairs(random_holdout_split(RATINGS, np.random.default_rng(seed)).test)

    assert held(1) == held(1)
    assert len({frozenset(held(seed)) for seed in range(20)}) > 1


def test_holdout_split_options():
    split = random_holdout_split(RATINGS, np.random.default_rng(0), fraction=0.5, min_rating=5)
    assert np.all(split.test.weights == 5)
    assert int((split.test.users == 1).sum()) == 3  # round(0.5 x 5) = 3 (half rounds up)
    with pytest.raises(ValueError, match="fraction"):
        random_holdout_split(RATINGS, np.random.default_rng(0), fraction=1.0)


# ------------------------------------------------------------------------ events and validation

TINY_CATALOG = Catalog(
    source="tiny-shop",
    item_ids=tuple(f"sku{i}" for i in range(16)),
    titles=tuple(f"Item number {i}" for i in range(16)),
    categories=(Category.PURCHASES,) * 16,
    metadata=({},) * 16,
)


def test_history_events_of_one_user_oldest_first():
    events = history_events(BASKETS, TINY_CATALOG, 4)
    assert [e.external_id for e in events] == ["sku15", "sku14"]
    assert events[0].time == datetime(1970, 1, 3, tzinfo=UTC)
    assert {e.source for e in events} == {"tiny-shop"}
    assert {e.category for e in events} == {Category.PURCHASES}
    assert events[1].title == "Item number 14"
    assert history_events(BASKETS, TINY_CATALOG, 999) == []


def test_history_events_of_undated_interactions_need_a_time():
    with pytest.raises(ValueError, match="undated_time"):
        history_events(RATINGS, TINY_CATALOG, 1)
    when = datetime(2024, 1, 1, tzinfo=UTC)
    events = history_events(RATINGS, TINY_CATALOG, 3, undated_time=when)
    assert [e.weight for e in events] == [4.0, 4.0, 5.0, 1.0]
    assert {e.time for e in events} == {when}


ZERO_IDS = np.zeros(2, np.int64)


def test_interactions_and_catalog_validate_their_columns():
    with pytest.raises(DatasetError, match="'items' does not match"):
        Interactions(users=ZERO_IDS, items=np.zeros(3, np.int64), weights=np.ones(2, np.float32))
    with pytest.raises(DatasetError, match="> 0"):
        Interactions(
            users=np.zeros(2, np.int64),
            items=np.zeros(2, np.int64),
            weights=np.zeros(2, np.float32),
        )
    with pytest.raises(DatasetError, match="duplicate item ids"):
        Catalog("s", ("a", "a"), ("A", "B"), (Category.WEB,) * 2, ({}, {}))
    with pytest.raises(DatasetError, match="different lengths"):
        Catalog("s", ("a", "b"), ("A",), (Category.WEB,) * 2, ({}, {}))


def test_missing_data_files_give_a_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="missing"):
        load_online_retail(tmp_path)


# ---------------------------------------------------------------------------- the shipped data


def test_shipped_data_is_small_licensed_and_inside_the_package():
    files = [p for p in DATA_DIR.rglob("*") if p.is_file()]
    assert {p.relative_to(DATA_DIR).as_posix() for p in files} >= {
        "LICENSES.md",
        "online_retail/transactions.csv.gz",
        "goodbooks/books.csv.gz",
        "goodbooks/ratings.csv.gz",
        "goodbooks/to_read.csv.gz",
        "osm_helsinki/places.csv.gz",
        "lastfm/artists.csv.gz",
        "lastfm/plays.csv.gz",
        "lastfm/README.md",
        "listenbrainz/listens.csv.gz",
    }
    datasets = [p for p in files if p.parent.name != "reference"]
    assert sum(p.stat().st_size for p in datasets) < 12 * 1024 * 1024
    # The prebuilt reference bundles (one zip per reference model) are budgeted on their own.
    bundles = [p for p in files if p.parent.name == "reference"]
    assert {p.stem for p in bundles} == set(REFERENCE_MODELS)
    assert all(p.stat().st_size < 5 * 1024 * 1024 for p in bundles)
    licences = (DATA_DIR / "LICENSES.md").read_text(encoding="utf-8")
    assert "CC0" in licences and "CC BY-SA 4.0" in licences and "Zygmunt Zając" in licences
    assert "ODbL 1.0" in licences and "© OpenStreetMap contributors" in licences
    assert "NON-COMMERCIAL" in licences and "Cantador" in licences


@pytest.mark.slow
def test_online_retail_loads_as_documented():
    retail = load_online_retail()
    purchases, catalog = retail.purchases, retail.catalog

    assert len(purchases) == 397_924
    assert len(np.unique(purchases.users)) == 4_339
    assert len(catalog) == 3_665
    assert len(pairs(purchases)) == 266_802
    assert catalog.source == ONLINE_RETAIL_SOURCE
    assert set(catalog.categories) == {Category.PURCHASES}
    row = catalog.item_ids.index("85123A")
    assert catalog.titles[row] == "WHITE HANGING HEART T-LIGHT HOLDER"
    assert purchases.times is not None and purchases.baskets is not None
    first, last = purchases.times.min(), purchases.times.max()
    assert datetime.fromtimestamp(int(first), UTC) == datetime(2010, 12, 1, 8, 26, tzinfo=UTC)
    assert datetime.fromtimestamp(int(last), UTC).date().isoformat() == "2011-12-09"
    assert purchases.weights.min() == pytest.approx(1.0)  # quantity 1
    assert not purchases.users.flags.writeable  # the cached dataset cannot be changed


@pytest.mark.slow
def test_online_retail_split_on_the_real_data():
    retail = load_online_retail()
    split, _, _, test_times, _ = dated_split(retail.purchases)
    assert 2_000 < len(split.test_users()) < 4_339
    assert not pairs(split.train) & pairs(split.test)
    customer = int(split.test_users()[0])
    events = history_events(split.train, retail.catalog, customer)
    assert events and all(e.category is Category.PURCHASES for e in events)
    assert max(e.time for e in events) <= datetime.fromtimestamp(
        int(test_times[split.test.users == customer].min()), UTC
    )


@pytest.mark.slow
def test_goodbooks_loads_as_documented():
    books = load_goodbooks()
    assert len(books.catalog) == 7_295
    assert books.catalog.source == GOODBOOKS_SOURCE
    assert len(books.ratings) == 49_886
    assert len(np.unique(books.ratings.users)) == 990
    assert len(np.unique(books.ratings.items)) == 4_278
    assert len(books.to_read) == 101_169
    assert len(np.unique(books.to_read.users)) == 10_485
    assert set(np.unique(books.ratings.weights).tolist()) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert books.ratings.times is None
    row = books.catalog.item_ids.index("2")
    assert books.catalog.titles[row].startswith("Harry Potter and the Sorcerer's Stone")
    assert books.catalog.metadata[row]["authors"].startswith("J.K. Rowling")
    assert books.catalog.metadata[row]["original_publication_year"] == "1997"

    split = random_holdout_split(books.ratings, np.random.default_rng(0))
    assert 0.1 < len(split.test) / np.sum(books.ratings.weights >= 4) < 0.3
    reader = int(split.test_users()[0])
    events = history_events(
        split.train, books.catalog, reader, undated_time=datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert events and all(e.category is Category.BOOKS for e in events)
