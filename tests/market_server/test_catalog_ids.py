"""The catalog-id cache that checks per-item feedback: each catalog parsed once, the least
recently used evicted within the memory budget, and a catalog over the budget never kept."""

from __future__ import annotations

from collections.abc import Callable

from market_server.catalog_ids import CatalogIds, id_cost
from recommenders.bundle import Catalog, CatalogItem


def catalog_csv(*ids: str) -> bytes:
    return Catalog.from_items(
        CatalogItem(item_id=i, title=f"title {i}", category="books", metadata={}) for i in ids
    ).to_csv()


def counting(data: bytes, calls: list[int]) -> Callable[[], bytes]:
    def load() -> bytes:
        calls.append(1)
        return data

    return load


IDS = ("a", 'quoted "b", with a comma', "livre é 本", "x" * 256)


def test_the_first_unknown_id_is_named_and_the_catalog_parsed_once() -> None:
    cache = CatalogIds(max_bytes=1 << 20)
    calls: list[int] = []
    load = counting(catalog_csv(*IDS), calls)
    assert cache.first_unknown(1, load, IDS) is None
    assert cache.first_unknown(1, load, ["a", "nope", "also-not"]) == "nope"
    assert cache.first_unknown(1, load, []) is None
    assert len(calls) == 1
    assert cache.cached_bytes == sum(id_cost(i) for i in IDS)


def test_the_least_recently_used_catalog_is_evicted_within_the_budget() -> None:
    ids = [f"item-{n}" for n in range(100)]
    size = sum(id_cost(i) for i in ids)
    cache = CatalogIds(max_bytes=2 * size)  # room for two catalogs of this size
    calls: dict[int, list[int]] = {1: [], 2: [], 3: []}
    loads = {model: counting(catalog_csv(*ids), calls[model]) for model in calls}
    cache.first_unknown(1, loads[1], ["item-0"])
    cache.first_unknown(2, loads[2], ["item-0"])
    cache.first_unknown(1, loads[1], ["item-1"])  # 1 is now the most recently used
    cache.first_unknown(3, loads[3], ["item-0"])  # evicts 2
    assert (1 in cache, 2 in cache, 3 in cache) == (True, False, True)
    assert cache.cached_bytes <= cache.max_bytes
    assert cache.first_unknown(2, loads[2], ["item-99", "item-100"]) == "item-100"
    assert {model: len(n) for model, n in calls.items()} == {1: 1, 2: 2, 3: 1}


def test_a_catalog_over_the_budget_is_checked_but_never_kept() -> None:
    ids = [f"item-{n}" for n in range(1000)]
    cache = CatalogIds(max_bytes=50 * id_cost("item-000"))
    calls: list[int] = []
    load = counting(catalog_csv(*ids), calls)
    assert cache.first_unknown(7, load, ["item-999", "item-3"]) is None
    assert cache.first_unknown(7, load, ["item-3", "item-1000"]) == "item-1000"
    assert 7 not in cache and cache.cached_bytes == 0
    assert len(calls) == 2
