"""A model's item table cut into shards of whole chunks, encoded once, scored in this process or
in worker processes that map the shards from shared memory; the response is concatenated in
item order, so a table of any size up to ``MAX_ITEMS`` decrypts as one.

The seam for other backends (a Ray actor): a shard is an :class:`EncodedTable`, rebuilt without
encoding by :meth:`EncodedTable.from_buffer` from its :class:`ShardLayout` and bytes, and
:func:`score_shards` scores a process's shards for one query (baby rotations computed once).
"""

from __future__ import annotations

import concurrent.futures as futures
import ctypes
import ctypes.util
import hashlib
import multiprocessing
import threading
import time
import weakref
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from crypto._seal_memory import U64Array
from crypto._shared_memory import TableSegment, exit_with_parent, room_for
from crypto.errors import ParameterError, ScorerClosed, ScorerFailed
from crypto.keys import EvaluationKeys
from crypto.profiles import DEFAULT_PROFILE, get_profile
from crypto.recently_used import RecentlyUsed
from crypto.scorer import (
    Buffer,
    EncodedTable,
    EncryptedQuery,
    QueryRotations,
    ShardLayout,
    _even_ranges,
    check_item_table,
    check_query_dim,
    check_score_noise,
    resolve_engine,
    response_envelope,
    table_score_scale,
)

# Items per shard at most (rounded down to whole chunks): a shard's scratch space while it is
# scored (its inner products, 32 MiB at N = 4096) and its response stay small whatever the table.
SHARD_ITEMS = 1 << 20


@dataclass(frozen=True)
class ShardPlan:
    """Rows ``[start, stop)`` of the table, and the worker (0 when local) that scores them."""

    start: int
    stop: int
    worker: int


def plan_shards(items: int, chunk_items: int, workers: int, shard_items: int) -> list[ShardPlan]:
    """Contiguous whole-chunk row ranges: first one near-equal range per worker (at most one
    per chunk), then each cut into near-equal shards of at most ``shard_items`` rows."""
    chunks = -(-items // chunk_items)
    per_shard = max(1, shard_items // chunk_items)
    plan = []
    for worker, (lo, hi) in enumerate(_even_ranges(chunks, max(workers, 1))):
        for first, last in _even_ranges(hi - lo, -(-(hi - lo) // per_shard)):
            start, stop = (lo + first) * chunk_items, min((lo + last) * chunk_items, items)
            plan.append(ShardPlan(start, stop, worker))
    return plan


def score_shards(
    shards: list[EncodedTable],
    query: EncryptedQuery,
    keys: EvaluationKeys,
    *,
    score_noise: float = 0.0,
    rotations: U64Array | None = None,
) -> list[bytes]:
    """The response blobs of consecutive shards, in item order, for one query: the query's
    baby rotations are computed once and shared by every shard (or given, as a
    :meth:`QueryRotations.stacked` array computed once for every process scoring the table)."""
    shared = QueryRotations(query, keys, stacked=rotations)
    return [
        blob
        for shard in shards
        for blob in shard.score(query, keys, score_noise=score_noise, rotations=shared)
    ]


# State of a worker process: its shards (in item order) and recently used evaluation keys.
_worker_shards: dict[int, EncodedTable] = {}
_worker_segments: dict[int, TableSegment] = {}
_worker_keys: RecentlyUsed[str, EvaluationKeys] = RecentlyUsed()


def _init_worker() -> None:
    exit_with_parent()


def _encode_shard(
    index: int,
    rows: npt.NDArray[np.float32],
    layout: ShardLayout,
    segment: str | None,
    engine: str,
    threads: int,
) -> int:
    """Encode rows into the named segment, or this process's memory when there is none (the
    SEAL engine, no room in /dev/shm); the rows are dropped once encoded (no float copy)."""
    buffer = None
    if segment is not None:
        _worker_segments[index] = TableSegment.attach(segment)
        buffer = _worker_segments[index].buffer
    shard = encode_shard(rows, layout, engine=engine, threads=threads, buffer=buffer)
    _worker_shards[index] = shard
    return shard.encoded_bytes


def encode_shard(
    rows: npt.NDArray[np.float32],
    layout: ShardLayout,
    *,
    engine: str = "fused",
    threads: int = 1,
    buffer: Buffer | None = None,
) -> EncodedTable:
    """Encode one planned shard's rows (into ``buffer`` when given: zero-filled, at least
    ``layout.nbytes``), checked to give the planned layout, so another process can map its
    bytes with :meth:`EncodedTable.from_buffer`."""
    shard = EncodedTable(
        rows,
        profile=layout.profile,
        score_scale=layout.score_scale,
        engine=engine,
        threads=threads,
        buffer=buffer,
        plan_chunks=layout.plan_chunks,
    )
    if shard.layout != layout:
        raise RuntimeError("a shard was encoded with another layout than planned")
    return shard


def release_free_heap() -> None:
    """Give the C heap's free pages back to the system (glibc keeps them: encoding's scratch
    space, about one shard's float rows, stayed resident, 230 MiB at 262k x 256), if glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to do
        pass


def _attach_shard(index: int, layout: ShardLayout, segment: str, threads: int) -> int:
    """Map a shard another worker encoded (a replacement for a worker that died)."""
    mapped = TableSegment.attach(segment)
    _worker_segments[index] = mapped
    _worker_shards[index] = EncodedTable.from_buffer(layout, mapped.buffer, threads=threads)
    return _worker_shards[index].encoded_bytes


# _worker_score's arguments: the query, the key set (None: its digest is enough), its digest,
# the noise, the baby rotations (None: the worker computes them).
_WorkerCall = tuple[bytes, bytes | None, str, float, "U64Array | RotationSlot | None"]


class KeysNotCached(Exception):
    """A worker was sent a key set's digest without its bytes, and no longer holds it."""


def _worker_score(
    query: bytes,
    keys: bytes | None,
    digest: str,
    score_noise: float,
    rotations: U64Array | RotationSlot | None,
) -> list[bytes]:
    shards = [_worker_shards[index] for index in sorted(_worker_shards)]
    profile = shards[0].profile

    def load() -> EvaluationKeys:
        if keys is None:
            raise KeysNotCached(digest)
        return EvaluationKeys.from_bytes(keys, profile=profile)

    loaded = _worker_keys.get(digest, load)
    parsed = EncryptedQuery.from_bytes(query, profile=profile)
    if isinstance(rotations, RotationSlot):
        rotations = rotations.view(_mapped_slot(rotations.name), profile.poly_modulus_degree)
    return score_shards(shards, parsed, loaded, score_noise=score_noise, rotations=rotations)


# Rotation slots a worker has mapped, by name: the caller reuses a few slots, so each is mapped
# (and its pages faulted in) once, not per query.
_worker_slots: OrderedDict[str, TableSegment] = OrderedDict()


def _mapped_slot(name: str) -> TableSegment:
    mapped = _worker_slots.pop(name, None) or TableSegment.attach(name)
    _worker_slots[name] = mapped
    while len(_worker_slots) > _MAX_ROTATION_SLOTS:
        _worker_slots.popitem(last=False)[1].close()
    return mapped


@dataclass(frozen=True)
class RotationSlot:
    """Where a query's baby rotations wait for the workers: ``count`` ``(2, N)`` rotations at the
    start of the named shared-memory segment."""

    name: str
    count: int

    def view(self, segment: TableSegment, degree: int) -> U64Array:
        words = self.count * 2 * degree
        array: U64Array = np.frombuffer(segment.buffer, dtype=np.uint64, count=words)
        return array.reshape(self.count, 2, degree)


# Slots the calling process keeps at most (one per query in flight; beyond that, a query's
# rotations are pickled to the workers as before).
_MAX_ROTATION_SLOTS = 8
# How often a query that is still waiting looks for a worker pool that broke under it.
_BROKEN_POOL_POLL_S = 0.5


class _KeyMirror:
    """The digests of the key sets a worker was last sent, in the order it used them: a
    smaller mirror of its own cache (``_worker_keys``), so what it lists the worker most
    likely still holds (and says so when it does not: :class:`KeysNotCached`)."""

    def __init__(self) -> None:
        self._digests: RecentlyUsed[str, None] = RecentlyUsed(_worker_keys.capacity // 2)

    def recall(self, digest: str) -> bool:
        return digest in self._digests

    def remember(self, digest: str) -> None:
        self._digests.get(digest, lambda: None)


class _RotationSlots:
    """The calling process's rotation slots: shared-memory buffers it writes each query's baby
    rotations into once, which every worker maps instead of receiving a pickled copy (two
    workers were 1.34x one's CPU per query at 100k x 64 with copies)."""

    def __init__(self, nbytes: int) -> None:
        self._nbytes = nbytes
        self._free: list[TableSegment] = []
        self._every: list[TableSegment] = []
        self._lock = threading.Lock()

    def acquire(self) -> TableSegment | None:
        with self._lock:
            if self._free:
                return self._free.pop()
            if len(self._every) >= _MAX_ROTATION_SLOTS or not room_for(self._nbytes):
                return None
            segment = TableSegment.create(self._nbytes)
            self._every.append(segment)
            return segment

    def release(self, segment: TableSegment) -> None:
        with self._lock:
            if segment in self._every:
                self._free.append(segment)

    def close(self) -> None:
        with self._lock:
            every, self._every, self._free = self._every, [], []
        for segment in every:
            segment.unlink()


class TableScorer:
    """A model's item table, pre-encoded once in shards, scoring queries in ``workers`` processes.

    The table is cut into contiguous shards of whole chunks (at most ``shard_items`` rows each);
    responses are the shards' ciphertexts in item order. With ``workers=0`` every shard lives
    and is scored in the calling process (which then blocks while it scores). With
    ``workers >= 1`` each worker process encodes and scores a contiguous run of shards (fewer
    workers when the table has fewer chunks); with the fused engine each shard is encoded
    straight into a shared-memory segment this scorer owns and unlinks when closed, so a worker
    that dies is replaced by one that maps the same shards without encoding them again (if
    /dev/shm has no room for the table, the workers keep their shards in their own memory). Within
    a process, the fused kernel runs in ``threads`` threads sharing its shards and its query's
    baby rotations (``engine``: see :class:`EncodedTable`). No copy of the float table is kept.
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        *,
        profile: str = DEFAULT_PROFILE,
        workers: int = 0,
        threads: int = 1,
        engine: str = "auto",
        shard_items: int = SHARD_ITEMS,
    ) -> None:
        if workers < 0:
            raise ParameterError(f"workers must be >= 0, got {workers}")
        if threads < 1:
            raise ParameterError(f"threads must be >= 1, got {threads}")
        if shard_items < 1:
            raise ParameterError(f"shard_items must be >= 1, got {shard_items}")
        self.engine = resolve_engine(engine)  # checked here, not in a worker
        self.threads = threads
        self.profile = get_profile(profile)
        table = check_item_table(items, self.profile)
        self.items, self.dim = table.shape
        self.score_scale = table_score_scale(table)
        chunk_items = self.profile.items_per_ciphertext
        self.shards = plan_shards(self.items, chunk_items, workers, shard_items)
        # Every shard follows the whole table's baby-step plan: one set of rotations serves all.
        chunks = self.profile.ciphertexts_for(self.items)
        self.layouts = [
            ShardLayout(self.profile.name, s.stop - s.start, self.dim, self.score_scale, chunks)
            for s in self.shards
        ]
        self._local: list[EncodedTable] = []
        self._pools: list[futures.ProcessPoolExecutor] = []
        self._segments: list[TableSegment] = []
        self._keys_sent: list[_KeyMirror] = []
        # Executor shutdown is not safe to run from two threads at once (each clears state
        # the other is still using): a retire and a finishing query may both close.
        self._lock = threading.Lock()
        self._closed = False
        degree = self.profile.poly_modulus_degree
        self._rotation_slots = _RotationSlots(self.layouts[0].baby_steps * 2 * degree * 8)
        if workers == 0:
            self._local = [
                EncodedTable(
                    table[s.start : s.stop],
                    profile=self.profile.name,
                    score_scale=self.score_scale,
                    engine=self.engine,
                    threads=threads,
                    plan_chunks=chunks,
                )
                for s in self.shards
            ]
            self.encoded_bytes = sum(shard.encoded_bytes for shard in self._local)
            release_free_heap()
            return
        self._finalizer = weakref.finalize(
            self, _release, self._pools, self._segments, self._rotation_slots
        )
        try:
            sizes = [layout.nbytes for layout in self.layouts]
            if self.engine == "fused" and room_for(sum(sizes)):
                self._segments.extend(TableSegment.create(size) for size in sizes)
            self._pools.extend(self._new_pool() for _ in range(self.shards[-1].worker + 1))
            self._keys_sent.extend(_KeyMirror() for _ in self._pools)
            encoded = [
                self._pools[s.worker].submit(
                    _encode_shard,
                    index,
                    table[s.start : s.stop],
                    self.layouts[index],
                    self._segments[index].name if self._segments else None,
                    self.engine,
                    threads,
                )
                for index, s in enumerate(self.shards)
            ]
            self.encoded_bytes = sum(f.result() for f in encoded)
            # Once the encoding tasks (and the rows they were sent) are gone.
            for trimmed in [pool.submit(release_free_heap) for pool in self._pools]:
                trimmed.result()
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _new_pool() -> futures.ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # fork is unsafe in threaded servers
        return futures.ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_init_worker
        )

    @property
    def workers(self) -> int:
        """Worker processes in use (0: scoring runs in the calling process)."""
        return len(self._pools)

    @property
    def segment_names(self) -> list[str]:
        """Names of the shared-memory segments holding the shards (none when local or SEAL)."""
        return [segment.name for segment in self._segments]

    @property
    def closed(self) -> bool:
        return self._closed

    def score(
        self,
        query: bytes,
        evaluation_keys: bytes | EvaluationKeys,
        *,
        timeout: float | None = None,
        score_noise: float = 0.0,
    ) -> bytes:
        """Return the response envelope (encrypted scores of every item) for one query.

        Pass loaded :class:`EvaluationKeys` to skip parsing the keys on every call. With
        ``score_noise`` > 0 every score gets fresh Gaussian noise (see :meth:`EncodedTable.score`).
        Raises :class:`ScorerClosed` if the scorer is closed before the query is scored, and
        :class:`ScorerFailed` if a worker process died while scoring it.
        """
        check_score_noise(score_noise, self.score_scale)
        check_query_dim(query, self.dim, self.profile)
        if not self._pools:
            if self._closed:
                raise ScorerClosed("the table was closed before the query was scored")
            keys = (
                evaluation_keys
                if isinstance(evaluation_keys, EvaluationKeys)
                else EvaluationKeys.from_bytes(evaluation_keys, profile=self.profile)
            )
            parsed = EncryptedQuery.from_bytes(query, profile=self.profile)
            blobs = score_shards(self._local, parsed, keys, score_noise=score_noise)
        else:
            blobs = self._score_in_workers(query, evaluation_keys, timeout, score_noise)
        return response_envelope(blobs, self.items, self.dim, self.score_scale, self.profile)

    def _score_in_workers(
        self,
        query: bytes,
        evaluation_keys: bytes | EvaluationKeys,
        timeout: float | None,
        score_noise: float,
    ) -> list[bytes]:
        # Workers load (and cache) the keys themselves; the digest names them.
        if isinstance(evaluation_keys, EvaluationKeys):
            wire, digest = evaluation_keys.wire, evaluation_keys.digest
        else:
            wire, digest = evaluation_keys, hashlib.sha256(evaluation_keys).hexdigest()
        slot = None
        rotations: U64Array | RotationSlot | None = None
        if self.engine == "fused" and len(self._pools) > 1:
            # The baby rotations once here rather than once per worker (each would repeat them).
            keys = (
                evaluation_keys
                if isinstance(evaluation_keys, EvaluationKeys)
                else EvaluationKeys.from_bytes(evaluation_keys, profile=self.profile)
            )
            parsed = EncryptedQuery.from_bytes(query, profile=self.profile)
            computed = QueryRotations(parsed, keys)
            count = self.layouts[0].baby_steps
            slot = self._rotation_slots.acquire()
            if slot is None:
                rotations = computed.stacked(count)
            else:
                rotations = RotationSlot(slot.name, count)
                computed.write_stacked(rotations.view(slot, self.profile.poly_modulus_degree))
        try:
            return self._submit_to_workers(query, wire, digest, score_noise, rotations, timeout)
        finally:
            if slot is not None:
                self._rotation_slots.release(slot)

    def _submit_to_workers(
        self,
        query: bytes,
        wire: bytes,
        digest: str,
        score_noise: float,
        rotations: U64Array | RotationSlot | None,
        timeout: float | None,
    ) -> list[bytes]:
        pools = list(self._pools)
        deadline = None if timeout is None else time.monotonic() + timeout
        # A worker that was sent these keys lately gets only their digest (164 KB less to
        # pickle per worker and query); one that no longer holds them says so, and is asked again.
        with_keys = [not self._keys_sent[worker].recall(digest) for worker in range(len(pools))]
        results: list[list[bytes] | None] = [None] * len(pools)
        while True:
            asked = [w for w in range(len(pools)) if results[w] is None]
            pending = self._submit_each(
                asked,
                [pools[w] for w in asked],
                [(query, wire if with_keys[w] else None, digest, score_noise, rotations)
                 for w in asked],
            )  # fmt: skip
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            self._wait_for(pending, [pools[w] for w in asked], asked, left, timeout)
            for worker, item in zip(asked, pending, strict=True):
                if isinstance(item.exception(), KeysNotCached):
                    with_keys[worker] = True
                    continue
                results[worker] = item.result()
                self._keys_sent[worker].remember(digest)
            if all(result is not None for result in results):
                return [blob for result in results if result is not None for blob in result]

    def _submit_each(
        self,
        workers: list[int],
        pools: list[futures.ProcessPoolExecutor],
        calls: list[_WorkerCall],
    ) -> list[futures.Future[list[bytes]]]:
        pending: list[futures.Future[list[bytes]]] = []
        try:
            for pool, call in zip(pools, calls, strict=True):
                pending.append(pool.submit(_worker_score, *call))
        except BrokenProcessPool:
            if self._closed:
                raise ScorerClosed("the table was closed before the query was scored") from None
            self._replace_broken({workers[len(pending)]: pools[len(pending)]})
            raise ScorerFailed("a scoring worker process died: ask again") from None
        except RuntimeError:  # "cannot schedule new futures after shutdown"
            raise ScorerClosed("the table was closed before the query was scored") from None
        return pending

    def _wait_for(
        self,
        pending: list[futures.Future[list[bytes]]],
        pools: list[futures.ProcessPoolExecutor],
        workers: list[int],
        left: float | None,
        timeout: float | None,
    ) -> None:
        """Wait for the workers' answers; raise what a query must see if one did not come."""
        all_done = _all_done(pending)
        deadline = None if left is None else time.monotonic() + left
        while not all_done.wait(_BROKEN_POOL_POLL_S):
            # Python 3.11's pool marks itself broken, then fails the futures it holds, without
            # the lock its submit takes: a query submitted in between is never failed, and would
            # wait out its whole timeout. Such a future is in a broken pool and still pending.
            orphaned = {
                worker: pool
                for worker, pool, item in zip(workers, pools, pending, strict=True)
                if pool._broken and item.cancel()
            }
            if orphaned:
                self._replace_broken(orphaned)
                raise ScorerFailed("a scoring worker process died while scoring: ask again")
            if deadline is not None and time.monotonic() >= deadline:
                for item in pending:
                    item.cancel()
                raise TimeoutError(f"scoring did not finish within {timeout} s")
        if any(item.cancelled() for item in pending):
            raise ScorerClosed("the table was closed while the query waited")
        broken = {
            worker: pool
            for worker, pool, item in zip(workers, pools, pending, strict=True)
            if isinstance(item.exception(), BrokenProcessPool)
        }
        if broken:
            self._replace_broken(broken)
            raise ScorerFailed("a scoring worker process died while scoring: ask again")

    def _replace_broken(self, broken: dict[int, futures.ProcessPoolExecutor]) -> None:
        """Replace workers that died (by index: their pool) with new ones mapping the same
        shards (shards in shared memory outlive their worker); when the shards were in the
        workers' own memory (the SEAL engine, no room in /dev/shm), close the scorer."""
        with self._lock:
            if self._closed:
                return
            if not self._segments:
                self._close_locked()
                return
            for worker, pool in broken.items():
                if self._pools[worker] is not pool:
                    continue  # replaced already, for another query
                pool.shutdown(wait=False, cancel_futures=True)
                fresh = self._new_pool()
                self._pools[worker] = fresh
                self._keys_sent[worker] = _KeyMirror()
                attached = [
                    fresh.submit(_attach_shard, index, layout, segment.name, self.threads)
                    for index, (s, layout, segment) in enumerate(
                        zip(self.shards, self.layouts, self._segments, strict=True)
                    )
                    if s.worker == worker
                ]
                for item in attached:
                    item.result()

    def close(self) -> None:
        """Stop the worker processes and unlink the shared segments: queries running finish,
        queued ones raise ScorerClosed."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        self._closed = True
        self._local.clear()
        _release(self._pools, self._segments, self._rotation_slots)

    def __enter__(self) -> TableScorer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _all_done(pending: list[futures.Future[list[bytes]]]) -> threading.Event:
    """An event set once every future is done or cancelled. Unlike ``futures.wait``, it is
    set when a shutdown cancels a queued future (a cancelled future runs its done-callbacks,
    but never notifies ``futures.wait``'s waiters)."""
    left = len(pending)
    lock, all_done = threading.Lock(), threading.Event()

    def one_done(_: futures.Future[list[bytes]]) -> None:
        nonlocal left
        with lock:
            left -= 1
            if left == 0:
                all_done.set()

    if not pending:
        all_done.set()
    for item in pending:
        item.add_done_callback(one_done)
    return all_done


def _release(
    pools: list[futures.ProcessPoolExecutor],
    segments: list[TableSegment],
    slots: _RotationSlots,
) -> None:
    """Stop the workers (they unmap the segments as they exit), then unlink the segments."""
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)
    for segment in segments:
        segment.unlink()
    slots.close()
