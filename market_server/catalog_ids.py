"""The item ids of deployed models' catalogs, for checking per-item feedback: each stored
catalog parsed once and kept, least recently used evicted first, within a memory budget."""

from __future__ import annotations

import csv
import io
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Final

# What one id costs in a set beyond its characters: the str object and the set's slot.
_ID_OVERHEAD: Final = sys.getsizeof("") + 32


def _catalog_ids(catalog_csv: bytes) -> Iterator[str]:
    """The item_id column of a stored catalog (validated at deploy, so no checks here)."""
    reader = csv.reader(io.StringIO(catalog_csv.decode("utf-8"), newline=""), strict=True)
    next(reader, None)  # the header
    for row in reader:
        if row:
            yield row[0]


def id_cost(item_id: str) -> int:
    """About how many bytes one cached id takes."""
    return _ID_OVERHEAD + len(item_id.encode("utf-8"))


class CatalogIds:
    """Model id -> the set of its catalog's item ids. A model's catalog never changes once it
    can be rated (a version is never replaced), so entries need no invalidation. A catalog
    larger than the whole budget is never kept: its ids are checked by reading it through."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._sets: OrderedDict[int, tuple[frozenset[str], int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def cached_bytes(self) -> int:
        return self._bytes

    def __contains__(self, model_id: object) -> bool:
        with self._lock:
            return model_id in self._sets

    def first_unknown(
        self, model_id: int, load: Callable[[], bytes], item_ids: Iterable[str]
    ) -> str | None:
        """The first of ``item_ids`` that the model's catalog lacks, or None; ``load`` gives the
        stored catalog (CSV) when the model's ids are not kept yet."""
        wanted = list(item_ids)
        if not wanted:
            return None
        known = self._get(model_id)
        if known is None:
            known = self._parse(model_id, load(), wanted)
        return next((item for item in wanted if item not in known), None)

    def _get(self, model_id: int) -> frozenset[str] | None:
        with self._lock:
            entry = self._sets.get(model_id)
            if entry is None:
                return None
            self._sets.move_to_end(model_id)
            return entry[0]

    def _parse(self, model_id: int, catalog_csv: bytes, wanted: list[str]) -> frozenset[str]:
        """Parse the catalog's ids and keep them if they fit; otherwise the ones of ``wanted``
        it has (so a catalog over the budget never sits whole in memory as a set)."""
        ids: set[str] = set()
        cost = 0
        rows = _catalog_ids(catalog_csv)
        for item_id in rows:
            ids.add(item_id)
            cost += id_cost(item_id)
            if cost > self.max_bytes:
                targets = set(wanted)
                found = {item for item in ids if item in targets}
                found.update(item for item in rows if item in targets)
                return frozenset(found)
        known = frozenset(ids)
        self._put(model_id, known, cost)
        return known

    def _put(self, model_id: int, ids: frozenset[str], cost: int) -> None:
        with self._lock:
            previous = self._sets.pop(model_id, None)
            if previous is not None:
                self._bytes -= previous[1]
            while self._sets and self._bytes + cost > self.max_bytes:
                _, (_, freed) = self._sets.popitem(last=False)
                self._bytes -= freed
            self._sets[model_id] = (ids, cost)
            self._bytes += cost
