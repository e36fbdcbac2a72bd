"""Scoring on a Ray cluster, for catalogs that outgrow one machine: a model's table is encoded
once into plain arrays in Ray's object store and held in shards by Ray actors; per query only
the query (and a key-set reference) goes out and the response ciphertexts come back.

Imported only when ``PRIVREC_SCORING_RAY_ADDRESS`` is set (``ray`` is the ``cluster`` extra).
"""

from __future__ import annotations

import copy
import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import ray
import ray.exceptions
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from crypto import EncodedTable, EncryptedQuery, EvaluationKeys, ScorerClosed, get_profile
from crypto.errors import ParameterError
from crypto.profiles import DEFAULT_PROFILE
from crypto.scorer import (
    QueryRotations,
    _even_ranges,
    check_item_table,
    check_query_dim,
    check_score_noise,
    response_envelope,
    table_score_scale,
)
from crypto.table_scorer import SHARD_ITEMS

NAMESPACE = "privrec"
ACTOR_PREFIX = "shard-"  # actors are named shard-<table>-<index> in the privrec namespace
# A scorer's evaluation-key sets kept in the object store (driver side) and parsed in each
# actor (actor side), least recently used dropped first: parsing a set costs milliseconds,
# shipping it to every actor on every query would cost 0.5 MB each.
_KEY_CACHE = 64
# How long to wait before asking a restarting actor again: not a busy loop until the deadline.
_RETRY_PAUSE_S = 0.05

_connect_lock = threading.Lock()


def check_reachable(address: str, *, timeout_s: float = 10.0) -> None:
    """ValueError unless ``address`` is "host:port"; ConnectionError unless a head answers
    there (Ray itself would retry for minutes)."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"a Ray cluster's address is host:port, got {address!r}")
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError as error:
        raise ConnectionError(f"the Ray cluster at {address} does not answer: {error}") from None


def connect(address: str, *, timeout_s: float = 10.0) -> None:
    """Join the Ray cluster whose head's GCS is at ``address`` ("host:port") as a driver (once
    per process), after :func:`check_reachable`."""
    check_reachable(address, timeout_s=timeout_s)
    with _connect_lock:
        if not ray.is_initialized():
            ray.init(
                address=address,
                namespace=NAMESPACE,
                log_to_driver=False,
                configure_logging=False,
            )


def disconnect() -> None:
    with _connect_lock:
        _key_refs.clear()  # references of this session mean nothing to the next one
        if ray.is_initialized():
            ray.shutdown()


@dataclass(frozen=True)
class _ShardLayout:
    """What an actor needs besides its arrays: the rows of each of its pieces."""

    profile: str
    dim: int
    score_scale: float
    piece_items: tuple[int, ...]
    threads: int
    plan_chunks: int  # the whole table's: every piece follows one baby-step plan


@ray.remote
def _encode_piece(
    rows: npt.NDArray[np.float32], profile: str, score_scale: float, plan_chunks: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]:
    """One piece's NTT-form coefficients: encoded on some node, kept in the object store
    (owned by the driver, so a restarted actor reloads it, and lineage can rebuild it)."""
    table = EncodedTable(
        rows, profile=profile, score_scale=score_scale, engine="fused", plan_chunks=plan_chunks
    )
    return table.coefficients, table.present


class _ShardActor:
    """Holds pieces of one table (read-only arrays from the object store) and scores them."""

    def __init__(
        self, layout: _ShardLayout, *pieces: tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_]]
    ) -> None:
        self._profile = get_profile(layout.profile)
        self._tables = [
            EncodedTable.from_arrays(
                coefficients,
                present,
                items=items,
                dim=layout.dim,
                score_scale=layout.score_scale,
                profile=layout.profile,
                threads=layout.threads,
                plan_chunks=layout.plan_chunks,
            )
            for (coefficients, present), items in zip(pieces, layout.piece_items, strict=True)
        ]
        self._keys: OrderedDict[str, EvaluationKeys] = OrderedDict()

    def ready(self) -> tuple[int, int]:
        """Encoded bytes held, and this worker's process id."""
        return sum(table.encoded_bytes for table in self._tables), os.getpid()

    def score(
        self, query: bytes, keys: list[ray.ObjectRef[bytes]], digest: str, score_noise: float
    ) -> list[bytes]:
        # The keys' reference comes in a list so Ray does not fetch them on every call.
        loaded = self._keys.pop(digest, None)
        if loaded is None:
            loaded = EvaluationKeys.from_bytes(ray.get(keys[0]), profile=self._profile)
        self._keys[digest] = loaded
        while len(self._keys) > _KEY_CACHE:
            self._keys.popitem(last=False)
        parsed = EncryptedQuery.from_bytes(query, profile=self._profile)
        rotations = QueryRotations(parsed, loaded)  # one plan: computed once for every piece
        return [
            blob
            for table in self._tables
            for blob in table.score(parsed, loaded, score_noise=score_noise, rotations=rotations)
        ]


# Restarted without end (a lost node's shard reloads elsewhere); a call in flight when its
# actor dies fails, and RayTableScorer decides whether there is time to ask again.
_RemoteShardActor: Any = ray.remote(max_restarts=-1, max_task_retries=0)(_ShardActor)


class _KeyRefs:
    """Evaluation-key sets put in the object store once per process, by digest."""

    def __init__(self) -> None:
        self._refs: OrderedDict[str, ray.ObjectRef[bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._refs.clear()

    def ref(self, keys: EvaluationKeys) -> ray.ObjectRef[bytes]:
        with self._lock:
            ref = self._refs.pop(keys.digest, None)
            if ref is None:
                ref = ray.put(keys.wire)
            self._refs[keys.digest] = ref
            while len(self._refs) > _KEY_CACHE:
                self._refs.popitem(last=False)
            return ref


_key_refs = _KeyRefs()


def piece_bounds(items: int, chunk_items: int, pieces: int) -> list[tuple[int, int]]:
    """Rows cut into a multiple of ``pieces`` pieces (fewer only if there are fewer chunks) of
    whole chunks, each at most SHARD_ITEMS (a local worker's shard), in item order: dealt to
    ``pieces`` actors, every actor gets as many."""
    chunks = -(-items // chunk_items)
    needed = -(-chunks // (SHARD_ITEMS // chunk_items))
    count = -(-needed // pieces) * pieces
    return [
        (lo * chunk_items, min(hi * chunk_items, items)) for lo, hi in _even_ranges(chunks, count)
    ]


@dataclass(frozen=True)
class _EncodedPiece:
    rows: int
    arrays: Any  # the ObjectRef of its (coefficients, present): a restarted actor's source
    node: str  # where it was encoded, so where its actor reads it without a copy


def _scoring_nodes() -> list[str]:
    """Ids of the alive nodes with CPUs, the actors' homes in turn."""
    nodes = [
        node["NodeID"]
        for node in ray.nodes()  # type: ignore[no-untyped-call]
        if node.get("Alive") and node.get("Resources", {}).get("CPU", 0) > 0
    ]
    if not nodes:
        raise RuntimeError("the Ray cluster has no alive node with CPUs to score on")
    return sorted(nodes)


class RayTableScorer:
    """A model's item table scored by ``actors`` Ray actors (the same surface as
    :class:`crypto.TableScorer`): call :func:`connect` first.

    The table is cut into pieces of whole chunks, encoded by Ray tasks into the object store,
    and dealt to actors spread over the cluster's nodes. An actor that dies (its process or its
    node) is restarted, elsewhere if need be, and reloads its pieces from the object store; a
    query caught by the death is asked again while its timeout allows, else fails with
    :class:`TimeoutError`.
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        *,
        actors: int,
        threads: int = 1,
        profile: str = DEFAULT_PROFILE,
        load_timeout_s: float = 600.0,
    ) -> None:
        if actors < 1:
            raise ParameterError(f"actors must be >= 1, got {actors}")
        if threads < 1:
            raise ParameterError(f"threads must be >= 1, got {threads}")
        self.profile = get_profile(profile)
        table = np.asarray(items)
        if table.ndim != 2 or table.shape[0] < 1:
            raise ParameterError(f"an item table is an (n, d) matrix; got shape {table.shape}")
        self.items, self.dim = table.shape
        self.threads = threads
        bounds = piece_bounds(self.items, self.profile.items_per_ciphertext, actors)
        # Each piece is checked (shape, finite values, the dimension) before anything is sent.
        checked = [check_item_table(table[lo:hi], self.profile) for lo, hi in bounds]
        self.score_scale = max(table_score_scale(piece) for piece in checked)
        self.plan_chunks = self.profile.ciphertexts_for(self.items)
        # An actor's pieces are encoded on its node (soft: anywhere if that node is gone), so
        # it reads them from its node's object store rather than over the network.
        nodes = _scoring_nodes()
        self._pieces: list[_EncodedPiece] = []
        for index, (lo, hi) in enumerate(_even_ranges(len(checked), actors)):
            node = nodes[index % len(nodes)]
            home = NodeAffinitySchedulingStrategy(node, soft=True)
            for piece in checked[lo:hi]:
                arrays = _encode_piece.options(scheduling_strategy=home).remote(
                    piece, profile, self.score_scale, self.plan_chunks
                )
                self._pieces.append(_EncodedPiece(piece.shape[0], arrays, node))
        del checked
        self._start_actors(actors, load_timeout_s)

    def _start_actors(self, actors: int, load_timeout_s: float) -> None:
        self._closed = False
        self._lock = threading.Lock()
        self._actors: list[Any] = []
        table_id = uuid.uuid4().hex[:12]
        for index, (lo, hi) in enumerate(_even_ranges(len(self._pieces), actors)):
            run = self._pieces[lo:hi]
            layout = _ShardLayout(
                profile=self.profile.name,
                dim=self.dim,
                score_scale=self.score_scale,
                piece_items=tuple(piece.rows for piece in run),
                threads=self.threads,
                plan_chunks=self.plan_chunks,
            )
            self._actors.append(
                _RemoteShardActor.options(
                    name=f"{ACTOR_PREFIX}{table_id}-{index}",
                    scheduling_strategy=NodeAffinitySchedulingStrategy(run[0].node, soft=True),
                ).remote(layout, *(piece.arrays for piece in run))
            )
        try:
            ready = ray.get(
                [actor.ready.remote() for actor in self._actors], timeout=load_timeout_s
            )
        except BaseException:
            self.close()
            raise
        self.encoded_bytes = sum(size for size, _ in ready)

    def with_actors(self, actors: int, load_timeout_s: float = 600.0) -> RayTableScorer:
        """The same encoded pieces held by ``actors`` new actors (at most one per piece), with
        no re-encoding: to measure how scoring scales. Close each scorer on its own."""
        if actors < 1:
            raise ParameterError(f"actors must be >= 1, got {actors}")
        other = copy.copy(self)
        other._start_actors(actors, load_timeout_s)
        return other

    @property
    def workers(self) -> int:
        return len(self._actors)

    def actor_pids(self) -> list[int]:
        """Each actor's current worker process id (a restart changes it)."""
        return [pid for _, pid in ray.get([a.ready.remote() for a in self._actors], timeout=60)]

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
        """The response envelope for one query, as :meth:`crypto.TableScorer.score`; raises
        :class:`TimeoutError` if the actors (restarted ones included) do not all answer in
        ``timeout`` seconds, and :class:`ScorerClosed` once closed."""
        check_score_noise(score_noise, self.score_scale)
        check_query_dim(query, self.dim, self.profile)
        keys = (
            evaluation_keys
            if isinstance(evaluation_keys, EvaluationKeys)
            else EvaluationKeys.from_bytes(evaluation_keys, profile=self.profile)
        )
        deadline = None if timeout is None else time.monotonic() + timeout
        actors = self._actors
        if self._closed:
            raise ScorerClosed("the table was closed before the query was scored")
        keys_ref = _key_refs.ref(keys)

        def ask(index: int) -> Any:
            return actors[index].score.remote(query, [keys_ref], keys.digest, score_noise)

        pending = {index: ask(index) for index in range(len(actors))}
        answers: dict[int, list[bytes]] = {}
        while pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            done, _ = ray.wait(list(pending.values()), num_returns=1, timeout=left)
            if not done:
                for ref in pending.values():
                    ray.cancel(ref)
                raise TimeoutError(
                    f"scoring did not finish within {timeout} s: {len(pending)} of "
                    f"{len(actors)} shards did not answer (a lost or overloaded node?)"
                )
            index = next(i for i, ref in pending.items() if ref == done[0])
            try:
                answers[index] = ray.get(done[0])
                del pending[index]
            except ray.exceptions.RayActorError:
                if self._closed:
                    raise ScorerClosed("the table was closed while the query waited") from None
                if deadline is None:  # without a deadline, asking again could go on forever
                    raise
                time.sleep(_RETRY_PAUSE_S)  # the actor is restarting: ask it again
                pending[index] = ask(index)
        blobs = [blob for index in range(len(actors)) for blob in answers[index]]
        return response_envelope(blobs, self.items, self.dim, self.score_scale, self.profile)

    def close(self) -> None:
        """Stop the actors (no restart); a query in flight raises ScorerClosed."""
        with self._lock:
            self._closed = True
            actors, self._actors = self._actors, []
        for actor in actors:
            ray.kill(actor, no_restart=True)

    def __enter__(self) -> RayTableScorer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = ["RayTableScorer", "check_reachable", "connect", "disconnect", "piece_bounds"]
