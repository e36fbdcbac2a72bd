"""Encrypted scoring for the API: pre-encoded tables cached per model version, scored in worker
processes; the event loop only awaits (a thread waits on the workers, never the loop)."""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from crypto import EvaluationKeys, TableScorer

ItemLoader = Callable[[], npt.NDArray[np.float32]]


class ScoringTimeout(Exception):
    """Scoring did not finish within the configured time."""


class ScoringService:
    """One :class:`TableScorer` per live model version, least recently used evicted first."""

    def __init__(self, *, workers: int, max_tables: int, timeout_s: float) -> None:
        self.workers = workers
        self.max_tables = max_tables
        self.timeout_s = timeout_s
        self._tables: OrderedDict[int, TableScorer] = OrderedDict()
        self._keys: OrderedDict[str, EvaluationKeys] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[int, threading.Lock] = {}

    def table(self, model_id: int, load_items: ItemLoader) -> TableScorer:
        """The model's scorer, encoding its table on first use (blocking: call off the loop)."""
        with self._lock:
            scorer = self._tables.get(model_id)
            if scorer is not None:
                self._tables.move_to_end(model_id)
                return scorer
            building = self._building.setdefault(model_id, threading.Lock())
        with building:  # one build per model, even with concurrent first requests
            with self._lock:
                if model_id in self._tables:
                    return self._tables[model_id]
            scorer = TableScorer(load_items(), workers=self.workers)
            with self._lock:
                self._tables[model_id] = scorer
                evicted = []
                while len(self._tables) > self.max_tables:
                    evicted.append(self._tables.popitem(last=False)[1])
        for old in evicted:
            old.close()
        return scorer

    def evaluation_keys(self, key_id: str, load: Callable[[], bytes]) -> EvaluationKeys:
        """Parsed evaluation keys by id (parsing 0.5 MB of keys per request would add up)."""
        with self._lock:
            keys = self._keys.get(key_id)
            if keys is not None:
                self._keys.move_to_end(key_id)
                return keys
        keys = EvaluationKeys.from_bytes(load())
        with self._lock:
            self._keys[key_id] = keys
            while len(self._keys) > 4 * self.max_tables:
                self._keys.popitem(last=False)
        return keys

    def score_blocking(
        self, model_id: int, load_items: ItemLoader, query: bytes, keys: EvaluationKeys
    ) -> bytes:
        return self.table(model_id, load_items).score(query, keys, timeout=self.timeout_s)

    async def score(
        self, model_id: int, load_items: ItemLoader, query: bytes, keys: EvaluationKeys
    ) -> bytes:
        """Score one query off the event loop; raises :class:`ScoringTimeout` when too slow."""
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(self.score_blocking, model_id, load_items, query, keys),
                timeout=self.timeout_s,
            )
        except TimeoutError as error:
            raise ScoringTimeout(
                f"model {model_id} did not answer in {self.timeout_s} s"
            ) from error

    def drop(self, model_id: int) -> None:
        with self._lock:
            scorer = self._tables.pop(model_id, None)
        if scorer is not None:
            scorer.close()

    def close(self) -> None:
        with self._lock:
            scorers = list(self._tables.values())
            self._tables.clear()
        for scorer in scorers:
            scorer.close()
