"""Encrypted scoring for the API: pre-encoded tables cached per model version within a memory
budget (bytes), scored in worker processes or, when configured, by actors on a Ray cluster
(:mod:`market_server.scoring_ray`); the event loop only awaits (a thread waits on the workers,
never the loop)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from crypto import EvaluationKeys, ScorerClosed, ScorerFailed, TableScorer, encoded_table_bytes
from market_server.core.config import Settings

ItemLoader = Callable[[], npt.NDArray[np.float32]]


class Scorer(Protocol):
    """What the service needs of a table's scorer: a local :class:`TableScorer` or a
    :class:`market_server.scoring_ray.RayTableScorer`."""

    encoded_bytes: int

    def score(
        self,
        query: bytes,
        evaluation_keys: bytes | EvaluationKeys,
        *,
        timeout: float | None = None,
        score_noise: float = 0.0,
    ) -> bytes: ...

    def close(self) -> None: ...

    @property
    def closed(self) -> bool: ...


class ScoringTimeout(Exception):
    """Scoring did not finish within the configured time."""


class ModelRetired(Exception):
    """The model was retired (or rejected) before or while its query was scored."""


class ScoringFailed(Exception):
    """A scoring worker process died while the query was scored: it may be asked again."""


class TableTooLarge(Exception):
    """A model's table would never fit the scoring memory budget or one request's budget."""


def table_refusal(
    items: int, dim: int, *, max_table_bytes: int, max_request_item_dims: int
) -> str | None:
    """Why an ``items x dim`` table could never be scored within these budgets, or None."""
    needed = encoded_table_bytes(items, dim)
    if needed > max_table_bytes:
        return (
            f"an item table of {items} x {dim} takes {needed} bytes once encoded, more than "
            f"this market's scoring memory budget of {max_table_bytes} bytes"
        )
    if items * dim > max_request_item_dims:
        return (
            f"an item table of {items} x {dim} is {items * dim} item-dimensions, more than one "
            f"request may score on this market ({max_request_item_dims})"
        )
    return None


def scoring_refusal(items: int, dim: int, settings: Settings) -> str | None:
    """Why this market could never score a model of the declared size, or None: for checking a
    deployment before its bundle is parsed."""
    return table_refusal(
        items,
        dim,
        max_table_bytes=settings.scoring_memory_bytes,
        max_request_item_dims=settings.max_request_item_dims,
    )


@dataclass
class _CachedTable:
    scorer: Scorer
    size: int  # encoded bytes, summed over the worker processes
    users: int = 0  # queries holding it: an evicted table is closed when the last one ends
    evicted: bool = False


class ScoringService:
    """One scorer per live model version, least recently used evicted first once
    the tables would hold more than ``max_table_bytes`` (or number more than ``max_tables``).

    An evicted table keeps serving the queries already holding it and is closed after the last;
    retiring a model closes its table at once, and its queued queries fail fast with
    :class:`ModelRetired`. With ``ray_address`` the tables live in ``workers`` Ray actors each
    on that cluster, and the memory budget counts the cluster's bytes.
    """

    def __init__(
        self,
        *,
        workers: int,
        threads: int = 1,
        max_tables: int,
        max_table_bytes: int,
        max_request_item_dims: int,
        timeout_s: float,
        ray_address: str | None = None,
    ) -> None:
        self.workers = workers
        self.threads = threads
        self.max_tables = max_tables
        self.max_table_bytes = max_table_bytes
        self.max_request_item_dims = max_request_item_dims
        self.timeout_s = timeout_s
        self._tables: OrderedDict[int, _CachedTable] = OrderedDict()
        self._keys: OrderedDict[str, EvaluationKeys] = OrderedDict()
        self._retired: set[int] = set()
        self._lock = threading.Lock()
        self._building: dict[int, threading.Lock] = {}
        self._in_flight = 0  # queries waiting for or being scored (the queue's depth)
        self.closed = False  # set by close(): the server is stopping
        # Told (model id, seconds) after each query scored: the operator's metrics.
        self.on_scored: Callable[[int, float], None] | None = None
        self.ray_address = ray_address
        if ray_address is not None:  # Ray is imported only by a market configured to use it
            from market_server import scoring_ray

            scoring_ray.connect(ray_address)

    @property
    def cached_bytes(self) -> int:
        """Encoded bytes of the tables in the cache (evicted ones still in use not counted)."""
        with self._lock:
            return sum(cached.size for cached in self._tables.values())

    @property
    def in_flight(self) -> int:
        """Queries waiting for a scorer or being scored now."""
        with self._lock:
            return self._in_flight

    def cached_models(self) -> list[int]:
        """Model ids with a table in the cache, least recently used first."""
        with self._lock:
            return list(self._tables)

    @contextmanager
    def table(self, model_id: int, load_items: ItemLoader) -> Iterator[Scorer]:
        """The model's scorer, encoding its table on first use (blocking: call off the loop);
        held for the block, so evicting it meanwhile does not close it under the query."""
        cached = self._acquire(model_id, load_items)
        try:
            yield cached.scorer
        finally:
            with self._lock:
                cached.users -= 1
                close = cached.evicted and cached.users == 0
            if close:
                cached.scorer.close()

    def _acquire(self, model_id: int, load_items: ItemLoader) -> _CachedTable:
        with self._lock:
            cached = self._use_cached(model_id)
            if cached is not None:
                return cached
            building = self._building.setdefault(model_id, threading.Lock())
        with building:  # one build per model, even with concurrent first requests
            with self._lock:
                cached = self._use_cached(model_id)
                if cached is not None:
                    return cached
            items = load_items()
            rows, dim = items.shape
            size = encoded_table_bytes(rows, dim)
            why = table_refusal(
                rows,
                dim,
                max_table_bytes=self.max_table_bytes,
                max_request_item_dims=self.max_request_item_dims,
            )
            if why is not None:
                raise TableTooLarge(f"model {model_id}: {why}")
            # Make room before encoding, so memory never holds the budget plus the new table.
            self._close(self._evict(room_for=size))
            scorer = self._new_scorer(items)
            built = _CachedTable(scorer, scorer.encoded_bytes, users=1)
            with self._lock:
                retired = model_id in self._retired
                if not retired:
                    self._tables[model_id] = built
                    evicted = self._evict(room_for=0)
            if retired:
                scorer.close()
                raise ModelRetired(f"model {model_id} was retired while its table was encoded")
            self._close(evicted)
            return built

    def _new_scorer(self, items: npt.NDArray[np.float32]) -> Scorer:
        if self.ray_address is None:
            return TableScorer(items, workers=self.workers, threads=self.threads)
        from market_server.scoring_ray import RayTableScorer

        return RayTableScorer(items, actors=self.workers, threads=self.threads)

    def _use_cached(self, model_id: int) -> _CachedTable | None:
        """Under the lock: the cached table, marked in use, or None."""
        if model_id in self._retired:
            raise ModelRetired(f"model {model_id} has been retired")
        cached = self._tables.get(model_id)
        if cached is not None:
            self._tables.move_to_end(model_id)
            cached.users += 1
        return cached

    def _evict(self, *, room_for: int) -> list[Scorer]:
        """Under the lock: drop least recently used tables until ``room_for`` more bytes (and
        one more table, if ``room_for``) fit; return those no query holds, to be closed."""
        extra = 1 if room_for else 0
        to_close = []
        while self._tables and (
            sum(c.size for c in self._tables.values()) + room_for > self.max_table_bytes
            or len(self._tables) + extra > self.max_tables
        ):
            _, cached = self._tables.popitem(last=False)
            cached.evicted = True
            if cached.users == 0:
                to_close.append(cached.scorer)
        return to_close

    @staticmethod
    def _close(scorers: list[Scorer]) -> None:
        for scorer in scorers:
            scorer.close()

    def evaluation_keys(self, key_id: str, load: Callable[[], bytes]) -> EvaluationKeys:
        """Parsed evaluation keys by id (parsing 164 KB of keys per request would add up)."""
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
        self,
        model_id: int,
        load_items: ItemLoader,
        query: bytes,
        keys: EvaluationKeys,
        *,
        score_noise: float = 0.0,
    ) -> bytes:
        """Score one query in the calling thread; raises :class:`ModelRetired` if the model is
        retired before its query is scored, :class:`ScoringFailed` if a worker died."""
        with self.table(model_id, load_items) as scorer:
            try:
                return scorer.score(query, keys, timeout=self.timeout_s, score_noise=score_noise)
            except ScorerClosed:
                raise ModelRetired(
                    f"model {model_id} was retired while your query waited"
                ) from None
            except ScorerFailed as error:
                if scorer.closed:  # its shards died with the worker: encode them again
                    self._forget(model_id, scorer)
                raise ScoringFailed(f"model {model_id}: {error}") from None

    async def score(
        self,
        model_id: int,
        load_items: ItemLoader,
        query: bytes,
        keys: EvaluationKeys,
        *,
        score_noise: float = 0.0,
    ) -> bytes:
        """Score one query off the event loop; raises :class:`ScoringTimeout` when too slow."""
        with self._lock:
            self._in_flight += 1
        started = time.perf_counter()
        try:
            scored = await self._score(model_id, load_items, query, keys, score_noise=score_noise)
        finally:
            with self._lock:
                self._in_flight -= 1
        if self.on_scored is not None:
            self.on_scored(model_id, time.perf_counter() - started)
        return scored

    async def _score(
        self,
        model_id: int,
        load_items: ItemLoader,
        query: bytes,
        keys: EvaluationKeys,
        *,
        score_noise: float,
    ) -> bytes:
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(
                    self.score_blocking,
                    model_id,
                    load_items,
                    query,
                    keys,
                    score_noise=score_noise,
                ),
                timeout=self.timeout_s,
            )
        except TimeoutError as error:
            raise ScoringTimeout(
                f"model {model_id} did not answer in {self.timeout_s} s"
            ) from error

    def drop(self, model_id: int, *, retired: bool = True) -> None:
        """Stop serving a model: its table is closed at once, and queries still queued for it
        fail with :class:`ModelRetired` instead of waiting. A retired model is never served
        again; a rejected one (``retired=False``) may be deployed again under the same id, so
        only its table goes."""
        with self._lock:
            if retired:
                self._retired.add(model_id)
            cached = self._tables.pop(model_id, None)
            if cached is not None:
                cached.evicted = True
        if cached is not None:
            cached.scorer.close()

    def _forget(self, model_id: int, scorer: Scorer) -> None:
        """Drop a closed scorer from the cache (if it is still the cached one)."""
        with self._lock:
            cached = self._tables.get(model_id)
            if cached is not None and cached.scorer is scorer:
                del self._tables[model_id]
                cached.evicted = True

    def close(self) -> None:
        with self._lock:
            self.closed = True
            scorers = [cached.scorer for cached in self._tables.values()]
            self._tables.clear()
        self._close(scorers)
