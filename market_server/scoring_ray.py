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
from crypto.recently_used import RecentlyUsed
from crypto.scorer import (
    ShardLayout,
    _even_ranges,
    check_item_table,
    check_query_dim,
    check_score_noise,
    response_envelope,
    table_score_scale,
)
from crypto.table_scorer import SHARD_ITEMS, encode_shard, plan_shards, score_shards

NAMESPACE = "privrec"
ACTOR_PREFIX = "shard-"  # actors are named shard-<table>-<index> in the privrec namespace
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


@ray.remote
def _encode_piece(rows: npt.NDArray[np.float32], layout: ShardLayout) -> npt.NDArray[np.uint8]:
    """One piece's fused-engine bytes, as a local worker's shared-memory shard holds them:
    encoded on some node, kept in the object store (owned by the driver, so a restarted actor
    reloads it, and lineage can rebuild it)."""
    buffer = np.zeros(layout.nbytes, np.uint8)
    encode_shard(rows, layout, buffer=buffer)
    return buffer


class _ShardActor:
    """Holds pieces of one table (read-only bytes from the object store) and scores them."""

    def __init__(
        self, layouts: tuple[ShardLayout, ...], threads: int, *pieces: npt.NDArray[np.uint8]
    ) -> None:
        self._profile = get_profile(layouts[0].profile)
        self._tables = [
            EncodedTable.from_buffer(layout, piece, threads=threads)
            for layout, piece in zip(layouts, pieces, strict=True)
        ]
        # Parsed evaluation keys; the driver sends only a reference (see _KeyRefs).
        self._keys: RecentlyUsed[str, EvaluationKeys] = RecentlyUsed()

    def ready(self) -> tuple[int, int]:
        """Encoded bytes held, and this worker's process id."""
        return sum(table.encoded_bytes for table in self._tables), os.getpid()

    def score(
        self, query: bytes, keys: list[ray.ObjectRef[bytes]], digest: str, score_noise: float
    ) -> list[bytes]:
        # The keys' reference comes in a list so Ray does not fetch them on every call.
        loaded = self._keys.get(
            digest, lambda: EvaluationKeys.from_bytes(ray.get(keys[0]), profile=self._profile)
        )
        parsed = EncryptedQuery.from_bytes(query, profile=self._profile)
        return score_shards(self._tables, parsed, loaded, score_noise=score_noise)


# Restarted without end (a lost node's shard reloads elsewhere); a call in flight when its
# actor dies fails, and RayTableScorer decides whether there is time to ask again.
_RemoteShardActor: Any = ray.remote(max_restarts=-1, max_task_retries=0)(_ShardActor)


# Evaluation-key sets put in the object store once per process, by digest: shipping a set to
# every actor on every query would cost its bytes each time.
_key_refs: RecentlyUsed[str, ray.ObjectRef[bytes]] = RecentlyUsed()


@dataclass(frozen=True)
class _EncodedPiece:
    layout: ShardLayout
    actor: int  # the index of the actor holding it
    buffer: Any  # the ObjectRef of its encoded bytes: a restarted actor's source
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
        # The local pool's plan: per actor a run of shards of at most SHARD_ITEMS rows.
        plan = plan_shards(self.items, self.profile.items_per_ciphertext, actors, SHARD_ITEMS)
        # Each piece is checked (shape, finite values, the dimension) before anything is sent.
        checked = [check_item_table(table[s.start : s.stop], self.profile) for s in plan]
        self.score_scale = max(table_score_scale(piece) for piece in checked)
        self.plan_chunks = self.profile.ciphertexts_for(self.items)
        # An actor's pieces are encoded on its node (soft: anywhere if that node is gone), so
        # it reads them from its node's object store rather than over the network.
        nodes = _scoring_nodes()
        self._pieces: list[_EncodedPiece] = []
        for shard, piece in zip(plan, checked, strict=True):
            layout = ShardLayout(
                self.profile.name, piece.shape[0], self.dim, self.score_scale, self.plan_chunks
            )
            node = nodes[shard.worker % len(nodes)]
            home = NodeAffinitySchedulingStrategy(node, soft=True)
            encoded = _encode_piece.options(scheduling_strategy=home).remote(piece, layout)
            self._pieces.append(_EncodedPiece(layout, shard.worker, encoded, node))
        del checked
        self._start_actors(
            [[p for p in self._pieces if p.actor == a] for a in range(plan[-1].worker + 1)],
            load_timeout_s,
        )

    def _start_actors(self, runs: list[list[_EncodedPiece]], load_timeout_s: float) -> None:
        """One actor per run of consecutive pieces."""
        self._closed = False
        self._lock = threading.Lock()
        self._actors: list[Any] = []
        table_id = uuid.uuid4().hex[:12]
        for index, run in enumerate(runs):
            self._actors.append(
                _RemoteShardActor.options(
                    name=f"{ACTOR_PREFIX}{table_id}-{index}",
                    scheduling_strategy=NodeAffinitySchedulingStrategy(run[0].node, soft=True),
                ).remote(
                    tuple(piece.layout for piece in run),
                    self.threads,
                    *(piece.buffer for piece in run),
                )
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
        runs = [self._pieces[lo:hi] for lo, hi in _even_ranges(len(self._pieces), actors)]
        other._start_actors(runs, load_timeout_s)
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
        keys_ref = _key_refs.get(keys.digest, lambda: ray.put(keys.wire))

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


__all__ = ["RayTableScorer", "check_reachable", "connect", "disconnect"]
