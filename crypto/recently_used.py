"""A small thread-safe least-recently-used map: the evaluation-key sets a scoring process (a
local worker, a Ray actor, the Ray driver's object-store references) keeps loaded."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Final, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Parsing a key set costs ~2.6 ms and shipping one ~160 KB: keep enough for a busy market.
KEY_SETS_KEPT: Final = 64


class RecentlyUsed(Generic[K, V]):
    """At most ``capacity`` values, the least recently used dropped first."""

    def __init__(self, capacity: int = KEY_SETS_KEPT) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``load()``'s, kept from now on. ``load`` runs
        outside the lock: two threads may both load a missing key, and the later one is kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = load()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.capacity:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values
