"""Server-side scoring: ``Enc(V u)`` over an item table pre-encoded once, in parallel shards.

Packing (measured against alternatives in docs/crypto.md): the query ``u`` is tiled over the
slots; item rows sit in slots along generalised diagonals, two items per slot (real and
imaginary part), so a chunk of ``2 * slots`` items needs ``D`` plaintext products and no
per-item rotation. Rotations follow a baby-step/giant-step plan with two rotation keys (1 and
the profile's giant step G): ``g - 1`` baby rotations of the query are shared by every chunk,
and each chunk adds ``D/g - 1`` giant rotations by ``g = G``, or none with ``g = D``, whichever
needs fewer. Nothing is rescaled; a model may ask for noise flooding (fresh Gaussian noise, one
more plaintext per response ciphertext). Each response ciphertext then leaves NTT form and is
switched down to two small power-of-two moduli and bit-packed (:mod:`crypto.response`).
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import itertools
import math
import multiprocessing
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto._bits import unpack_bits
from crypto._seal import (
    SealRuntime,
    ciphertext_coefficients,
    load_blob,
    query_layout,
    runtime,
)
from crypto._seal_memory import (
    U64Array,
    UnsupportedLayout,
    check_layout,
    ciphertext_array,
    plaintext_array,
)
from crypto.errors import InvalidCiphertext, ParameterError, ScorerClosed
from crypto.keys import EvaluationKeys
from crypto.profiles import DEFAULT_PROFILE, MAX_ITEMS, CkksProfile, get_profile
from crypto.response import pack_response
from crypto.wire import Envelope, Kind, parse_envelope

ENGINES = ("auto", "fused", "seal")


def resolve_engine(engine: str) -> str:
    """``"fused"`` or ``"seal"``: ``"auto"`` is the fused kernel where SEAL's memory can be read."""
    if engine not in ENGINES:
        raise ParameterError(f"engine must be one of {ENGINES}, got {engine!r}")
    if engine != "auto":
        return engine
    try:
        import crypto.kernel  # noqa: F401  (numba: the server extra)

        check_layout()
    except (ImportError, UnsupportedLayout):
        return "seal"
    return "fused"


def choose_giant_step(padded_dim: int, chunks: int, giant_step: int) -> int:
    """The baby-step count ``g``: ``padded_dim`` (baby rotations only) or, when it is smaller,
    the keyed ``giant_step``, whichever needs fewer rotations for ``chunks`` chunks."""
    candidates = [g for g in (giant_step, padded_dim) if g <= padded_dim]
    return min(candidates, key=lambda g: ((g - 1) + chunks * (padded_dim // g - 1), -g))


def check_item_table(items: npt.ArrayLike, profile: CkksProfile) -> npt.NDArray[np.float32]:
    table = np.asarray(items)
    if table.ndim != 2 or table.shape[0] < 1 or table.shape[1] < 1:
        raise ParameterError(f"an item table is an (n, d) matrix; got shape {table.shape}")
    if table.shape[0] > MAX_ITEMS:
        raise ParameterError(f"{table.shape[0]} items is over the limit of {MAX_ITEMS}")
    profile.padded_dim(table.shape[1])
    if not np.issubdtype(table.dtype, np.floating) or not np.all(np.isfinite(table)):
        raise ParameterError("an item table must hold finite floating-point numbers")
    return np.ascontiguousarray(table, dtype=np.float32)


# Noise flooding's ceiling, as a share of the largest possible |score| (the table's score scale):
# a response slot holds |score| <= sqrt(2) and must stay under 4 (the data prime's 52 bits at the
# response scale 2^49), so noise clipped at 8 standard deviations may be at most 0.25 of it.
MAX_RELATIVE_SCORE_NOISE = 0.25
_NOISE_CLIP_SIGMAS = 8.0


def encoded_table_bytes(items: int, dim: int, profile: str = DEFAULT_PROFILE) -> int:
    """Memory the pre-encoded plaintexts of an ``items x dim`` table take (an upper bound, met
    by any table without an all-zero diagonal): one N-coefficient 8-byte polynomial per padded
    dimension per chunk, i.e. about 8 bytes per item per padded dimension."""
    prof = get_profile(profile)
    return prof.ciphertexts_for(items) * prof.padded_dim(dim) * prof.poly_modulus_degree * 8


def check_score_noise(score_noise: float, score_scale: float) -> float:
    """The noise's standard deviation relative to the table's score scale, if it can be added."""
    if not math.isfinite(score_noise) or score_noise < 0:
        raise ParameterError(f"score noise must be a finite number >= 0, got {score_noise}")
    relative = score_noise / score_scale
    if relative > MAX_RELATIVE_SCORE_NOISE:
        raise ParameterError(
            f"score noise {score_noise:g} is over {MAX_RELATIVE_SCORE_NOISE} of the table's "
            f"largest row norm ({score_scale:.4g}): the scores would not decrypt"
        )
    return relative


def fresh_noise_rng() -> np.random.Generator:
    """A generator seeded from the operating system for each query: noise an extractor could
    predict or repeat would average out."""
    return np.random.default_rng(int.from_bytes(os.urandom(32), "big"))


def table_score_scale(items: npt.NDArray[np.float32]) -> float:
    """The largest row norm: rows are divided by it so that every |score| <= ||u|| = 1."""
    largest = float(np.sqrt(np.max(np.einsum("ij,ij->i", items, items, dtype=np.float64))))
    return largest if largest > 0 else 1.0


def restore_query_blob(profile: CkksProfile, blob: bytes) -> bytes:
    """SEAL's serialisation of a seeded query from its packed wire form (the inverse of
    :func:`crypto.client.pack_query`): the fixed prefix, c0 widened to 64 bits, the seed."""
    layout = query_layout(profile.name)
    expected = profile.query_bytes + layout.seed_bytes
    if len(blob) != expected:
        raise InvalidCiphertext(f"query: {len(blob)} bytes where {expected} are expected")
    degree, bits = profile.poly_modulus_degree, profile.query_coefficient_bits
    c0 = unpack_bits(blob[: profile.query_bytes], degree, bits)
    return layout.prefix + c0.astype("<u8").tobytes() + blob[profile.query_bytes :]


@dataclass(frozen=True)
class EncryptedQuery:
    """A query ciphertext received by the server, checked against its profile."""

    dim: int
    ciphertext: Any

    @classmethod
    def from_bytes(cls, data: bytes, *, profile: CkksProfile | None = None) -> EncryptedQuery:
        """Unpack c0, put SEAL's serialisation back together and let SEAL check and load it."""
        envelope = parse_envelope(data, Kind.QUERY, profile=profile)
        rt = runtime(envelope.profile.name)
        restored = restore_query_blob(rt.profile, envelope.blobs[0])
        ciphertext = seal.Ciphertext()  # SEAL checks every c0 < q and the seed's header
        load_blob(ciphertext, restored, rt=rt, max_bytes=len(restored), what="query")
        if (
            ciphertext.parms_id() != rt.data_parms_id
            or ciphertext.size() != 2
            or not ciphertext.is_ntt_form()
            or ciphertext.scale != 2.0**rt.profile.query_scale_bits
        ):
            raise InvalidCiphertext("query: wrong level, size or scale for its profile")
        return cls(dim=int(envelope.fields[0]), ciphertext=ciphertext)


class EncodedTable:
    """Rows ``[0, n)`` of an item table as NTT-form plaintexts at the query's level.

    ``engine="fused"`` keeps the plaintexts' coefficients in one plain numpy array and scores
    with the fused kernel (:mod:`crypto.kernel`) in ``threads`` threads sharing that array and
    one set of baby rotations; ``engine="seal"`` keeps SEAL plaintexts and scores with SEAL's
    ``multiply_plain`` and ``add_inplace`` (the reference: both give the same bytes);
    ``"auto"`` is the fused engine unless this TenSEAL build's memory layout is unknown.
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        *,
        profile: str = DEFAULT_PROFILE,
        score_scale: float | None = None,
        engine: str = "auto",
        threads: int = 1,
    ) -> None:
        self.engine = resolve_engine(engine)
        if threads < 1:
            raise ParameterError(f"threads must be >= 1, got {threads}")
        self.threads = threads
        self._rt: SealRuntime = runtime(profile)
        prof = self._rt.profile
        table = check_item_table(items, prof)
        self.items, self.dim = table.shape
        self.padded_dim = prof.padded_dim(self.dim)
        self.score_scale = score_scale if score_scale is not None else table_score_scale(table)
        self.chunks = prof.ciphertexts_for(self.items)
        self.baby_steps = choose_giant_step(self.padded_dim, self.chunks, prof.giant_step)
        self.giant_steps = self.padded_dim // self.baby_steps
        # Multiplying by an all-zero plaintext gives a "transparent" ciphertext, which SEAL
        # refuses; an all-zero chunk is answered with the smallest non-zero plaintext instead
        # (the integer polynomial 1: every slot 2^-table_scale_bits, far below the noise).
        self._near_zero = seal.Plaintext()
        self._rt.encoder.encode(
            2.0**-prof.table_scale_bits,
            self._rt.data_parms_id,
            2.0**prof.table_scale_bits,
            self._near_zero,
        )
        if self.engine == "seal":
            self._plaintexts = [self._encode_chunk(table, c) for c in range(self.chunks)]
        else:
            self._encode_coefficients(table)

    @property
    def profile(self) -> CkksProfile:
        return self._rt.profile

    @property
    def encoded_bytes(self) -> int:
        """Memory held by the pre-encoded plaintexts."""
        if self.engine == "fused":
            return int(self._coefficients.nbytes)
        count = sum(p is not None for chunk in self._plaintexts for row in chunk for p in row)
        return count * self.profile.poly_modulus_degree * 8

    def _encode_coefficients(self, table: npt.NDArray[np.float32]) -> None:
        """The fused engine's table: ``(chunks, giant, baby, N)`` NTT-form coefficients (zero
        where a plaintext is skipped) and which plaintexts are present."""
        shape = (self.chunks, self.giant_steps, self.baby_steps)
        self._present = np.zeros(shape, dtype=np.bool_)
        self._coefficients = np.zeros((*shape, self.profile.poly_modulus_degree), dtype=np.uint64)
        for c in range(self.chunks):
            for a, group in enumerate(self._encode_chunk(table, c)):
                for b, plain in enumerate(group):
                    if plain is not None:
                        self._coefficients[c, a, b] = plaintext_array(plain)
                        self._present[c, a, b] = True
            if not self._present[c].any():  # as the SEAL engine: baby[0] x near-zero
                self._coefficients[c, 0, 0] = plaintext_array(self._near_zero)
                self._present[c, 0, 0] = True

    def _encode_chunk(self, table: npt.NDArray[np.float32], chunk: int) -> list[list[Any]]:
        prof, rt = self.profile, self._rt
        slots, dim, g = prof.slot_count, self.padded_dim, self.baby_steps
        block = np.zeros((2 * slots, dim))
        rows = table[chunk * 2 * slots : (chunk + 1) * 2 * slots]
        block[: rows.shape[0], : self.dim] = rows / self.score_scale
        real, imag = block[:slots], block[slots:]
        j = np.arange(slots)
        scale = 2.0**prof.table_scale_bits
        encoded: list[list[Any]] = []
        for a in range(self.giant_steps):
            # Diagonal g*a+b, pre-rotated by -g*a so one giant rotation serves the whole group.
            row_index = (j - g * a) % slots
            group: list[Any] = []
            for b in range(g):
                col_index = (j + b) % dim
                values = real[row_index, col_index] + 1j * imag[row_index, col_index]
                if not values.any():
                    group.append(None)
                    continue
                plain = seal.Plaintext()
                rt.encoder.encode(values.tolist(), rt.data_parms_id, scale, plain)
                group.append(plain)
            encoded.append(group)
        return encoded

    def score(
        self,
        query: EncryptedQuery,
        keys: EvaluationKeys,
        *,
        score_noise: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> list[bytes]:
        """Score every chunk; return the response ciphertexts in their packed wire form
        (:mod:`crypto.response`), in item order.

        ``score_noise`` > 0 adds Gaussian noise of that standard deviation (in the score units
        of a unit-norm query; a query of norm r gets r times it) to every score, drawn from
        ``rng`` (default: freshly seeded from the operating system)."""
        modulus = self._rt.data_modulus
        return [
            pack_response(self.profile, modulus, total)
            for total in self.response_totals(query, keys, score_noise=score_noise, rng=rng)
        ]

    def response_totals(
        self,
        query: EncryptedQuery,
        keys: EvaluationKeys,
        *,
        score_noise: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> Iterator[U64Array]:
        """Each response ciphertext's ``(2, N)`` coefficients out of NTT form, noise flooding
        included, before the switch down (a view, valid until the next one is drawn)."""
        if keys.profile != self.profile:
            raise InvalidCiphertext("evaluation keys: profile differs from the item table's")
        if query.dim != self.dim:
            raise InvalidCiphertext(
                f"query: dimension {query.dim} does not match the model's {self.dim}"
            )
        relative_noise = check_score_noise(score_noise, self.score_scale)
        noise: Callable[[], Any] | None = None
        if relative_noise:
            noise_rng = rng if rng is not None else fresh_noise_rng()
            noise = lambda: self._noise_plaintext(relative_noise, noise_rng)  # noqa: E731
        baby = self._baby_rotations(query.ciphertext, keys.galois_keys)
        if self.engine == "seal":
            return self._score_seal(baby, keys.galois_keys, noise)
        return self._score_fused(baby, keys.galois_keys, noise)

    def _baby_rotations(self, query: Any, galois: Any) -> list[Any]:
        """rot_b(u) for b < g, each one key switch from an earlier one (computed once per
        query, shared by every chunk and thread): by the giant step G from rot_(b-G) where
        G divides b, else by 1 from rot_(b-1), so rot_b is at most b/G + G - 1 switches deep."""
        baby = [query]
        giant = self.profile.giant_step
        for b in range(1, self.baby_steps):
            step = giant if b % giant == 0 else 1
            rotated = seal.Ciphertext()
            self._rt.evaluator.rotate_vector(baby[b - step], step, galois, rotated)
            baby.append(rotated)
        return baby

    def _score_seal(
        self, baby: list[Any], galois: Any, noise: Callable[[], Any] | None
    ) -> Iterator[U64Array]:
        evaluator = self._rt.evaluator
        product = seal.Ciphertext()
        for chunk in self._plaintexts:
            total: Any = None
            for a in reversed(range(self.giant_steps)):
                if total is not None:  # Horner: total = rot_g(total) + inner_a
                    evaluator.rotate_vector_inplace(total, self.baby_steps, galois)
                for b, plain in enumerate(chunk[a]):
                    if plain is None:
                        continue
                    if total is None:
                        total = seal.Ciphertext()
                        evaluator.multiply_plain(baby[b], plain, total)
                    else:
                        evaluator.multiply_plain(baby[b], plain, product)
                        evaluator.add_inplace(total, product)
            if total is None:
                total = seal.Ciphertext()
                evaluator.multiply_plain(baby[0], self._near_zero, total)
            if noise is not None:  # flooding before the switch down, which only rounds it
                evaluator.add_plain_inplace(total, noise())
            evaluator.transform_from_ntt_inplace(total)
            yield ciphertext_coefficients(total)

    @property
    def coefficients(self) -> npt.NDArray[np.uint64]:
        """The fused engine's table: ``(chunks, giant, baby, N)`` NTT-form coefficients, a plain
        array (it could live in shared memory); zero where ``present`` is false."""
        return self._fused_table()[0]

    @property
    def present(self) -> npt.NDArray[np.bool_]:
        """``(chunks, giant, baby)``: which plaintexts of :attr:`coefficients` are non-zero."""
        return self._fused_table()[1]

    def _fused_table(self) -> tuple[U64Array, npt.NDArray[np.bool_]]:
        if self.engine != "fused":
            raise ParameterError("only the fused engine keeps the table as an array")
        return self._coefficients, self._present

    def query_rotations(self, query: EncryptedQuery, keys: EvaluationKeys) -> U64Array:
        """The query's baby-step rotations as a ``(baby, 2, N)`` array, the kernel's input."""
        return self._stack(self._baby_rotations(query.ciphertext, keys.galois_keys))

    def _stack(self, baby: list[Any]) -> U64Array:
        degree = self.profile.poly_modulus_degree
        return np.stack([ciphertext_array(ct).reshape(2, degree) for ct in baby])

    def inner_products(self, rotations: U64Array) -> U64Array:
        """The fused kernel over every chunk and giant step: ``(chunks, giant, 2, N)``."""
        self._fused_table()  # refuses the SEAL engine
        shape = (self.chunks, self.giant_steps, 2, self.profile.poly_modulus_degree)
        if rotations.shape != (self.baby_steps, *shape[2:]) or rotations.dtype != np.uint64:
            raise ParameterError(f"rotations must be a {self.baby_steps} x 2 x N uint64 array")
        inner = np.empty(shape, dtype=np.uint64)
        self._run_kernel(np.ascontiguousarray(rotations), inner)
        return inner

    def _score_fused(
        self, baby: list[Any], galois: Any, noise: Callable[[], Any] | None
    ) -> Iterator[U64Array]:
        from crypto.kernel import add_mod

        q = np.uint64(self._rt.data_modulus)
        inner = self.inner_products(self._stack(baby))
        # An NTT-form ciphertext the totals are copied into, and SEAL's inverse NTT's output.
        holder, flat = seal.Ciphertext(), seal.Ciphertext()
        self._rt.evaluator.multiply_plain(baby[0], self._near_zero, holder)
        holder_coefficients = ciphertext_array(holder).reshape(2, -1)
        for c in range(self.chunks):
            total = inner[c, 0] if self.giant_steps == 1 else self._horner(c, inner, baby, galois)
            if noise is not None:  # SEAL's add_plain: the plaintext is added to c0
                add_mod(total[0], plaintext_array(noise()), q)
            holder_coefficients[:] = total  # flooding before the switch down, which only rounds
            self._rt.evaluator.transform_from_ntt(holder, flat)
            yield ciphertext_array(flat).reshape(2, -1)

    def _run_kernel(self, rotations: U64Array, inner: U64Array) -> None:
        """The fused kernel over every chunk, split into contiguous ranges, one per thread."""
        from crypto.kernel import barrett_ratio, fused_inner_products

        ratio_low, ratio_high = barrett_ratio(self._rt.data_modulus)
        q = np.uint64(self._rt.data_modulus)

        coefficients, present = self._fused_table()

        def run(bounds: tuple[int, int]) -> None:
            fused_inner_products(
                rotations, coefficients, present, q, ratio_low, ratio_high,
                bounds[0], bounds[1], inner,
            )  # fmt: skip

        ranges = _even_ranges(self.chunks, self.threads)
        if len(ranges) == 1:
            run(ranges[0])
            return
        with futures.ThreadPoolExecutor(max_workers=len(ranges)) as pool:
            list(pool.map(run, ranges))

    def _horner(self, chunk: int, inner: U64Array, baby: list[Any], galois: Any) -> U64Array:
        """total = rot_g(total) + inner_a over the giant steps, as the SEAL engine: groups
        with no plaintext are skipped until the first that has one."""
        from crypto.kernel import add_mod

        evaluator, degree = self._rt.evaluator, self.profile.poly_modulus_degree
        q = np.uint64(self._rt.data_modulus)
        total: Any = None
        for a in reversed(range(self.giant_steps)):
            if total is not None:
                evaluator.rotate_vector_inplace(total, self.baby_steps, galois)
            if not self._present[chunk, a].any():
                continue
            if total is None:  # a ciphertext of the right level, size, form and scale
                total = seal.Ciphertext()
                evaluator.multiply_plain(baby[0], self._near_zero, total)
                ciphertext_array(total).reshape(2, degree)[:] = inner[chunk, a]
            else:
                add_mod(ciphertext_array(total).reshape(2, degree), inner[chunk, a], q)
        return ciphertext_array(total).reshape(2, degree)

    def _noise_plaintext(self, relative: float, rng: np.random.Generator) -> Any:
        """Gaussian noise for both items of every slot, at the response's level and scale."""
        slots = self.profile.slot_count
        limit = _NOISE_CLIP_SIGMAS * relative
        noise = np.clip(rng.normal(0.0, relative, (2, slots)), -limit, limit)
        plain = seal.Plaintext()
        scale = 2.0 ** (self.profile.query_scale_bits + self.profile.table_scale_bits)
        self._rt.encoder.encode(
            (noise[0] + 1j * noise[1]).tolist(), self._rt.data_parms_id, scale, plain
        )
        return plain


def _even_ranges(count: int, parts: int) -> list[tuple[int, int]]:
    """``[0, count)`` cut into at most ``parts`` contiguous non-empty ranges of near-equal size."""
    parts = max(1, min(parts, count))
    edges = [round(i * count / parts) for i in range(parts + 1)]
    return list(itertools.pairwise(edges))


def _shard_bounds(items: int, chunk_items: int, shards: int) -> list[tuple[int, int]]:
    """Split rows into at most ``shards`` contiguous ranges of whole chunks."""
    chunks = -(-items // chunk_items)
    return [
        (lo * chunk_items, min(hi * chunk_items, items)) for lo, hi in _even_ranges(chunks, shards)
    ]


# State of a worker process: its shard of the table and recently used evaluation keys.
_worker_table: EncodedTable | None = None
_worker_keys: OrderedDict[str, EvaluationKeys] = OrderedDict()
_WORKER_KEY_CACHE = 64  # parsing a key set costs ~2.6 ms: keep enough for busy markets


def _init_worker(
    profile: str, rows: npt.NDArray[np.float32], score_scale: float, engine: str, threads: int
) -> None:
    global _worker_table
    _worker_table = EncodedTable(
        rows, profile=profile, score_scale=score_scale, engine=engine, threads=threads
    )


def _worker_ready() -> int:
    assert _worker_table is not None
    return _worker_table.encoded_bytes


def _worker_score(query: bytes, keys: bytes, digest: str, score_noise: float) -> list[bytes]:
    assert _worker_table is not None
    profile = _worker_table.profile
    loaded = _worker_keys.pop(digest, None) or EvaluationKeys.from_bytes(keys, profile=profile)
    _worker_keys[digest] = loaded
    while len(_worker_keys) > _WORKER_KEY_CACHE:
        _worker_keys.popitem(last=False)
    parsed = EncryptedQuery.from_bytes(query, profile=profile)
    return _worker_table.score(parsed, loaded, score_noise=score_noise)


class TableScorer:
    """A model's item table, pre-encoded once, scoring queries in ``workers`` processes.

    With ``workers=0`` everything runs in the calling process (which then blocks while it
    scores). With ``workers >= 1`` each worker process owns a contiguous shard of whole chunks
    (encoded in the worker, so memory is not duplicated; fewer shards when the table has fewer
    chunks) and the shards are scored in parallel. Within a process, the fused kernel runs in
    ``threads`` threads that share the process's table and its query's baby rotations
    (``engine``: see :class:`EncodedTable`).
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        *,
        profile: str = DEFAULT_PROFILE,
        workers: int = 0,
        threads: int = 1,
        engine: str = "auto",
    ) -> None:
        if workers < 0:
            raise ParameterError(f"workers must be >= 0, got {workers}")
        if threads < 1:
            raise ParameterError(f"threads must be >= 1, got {threads}")
        engine = resolve_engine(engine)  # checked here, not in a worker's initializer
        self.profile = get_profile(profile)
        table = check_item_table(items, self.profile)
        self.items, self.dim = table.shape
        self.score_scale = table_score_scale(table)
        self._local: EncodedTable | None = None
        self._pools: list[futures.ProcessPoolExecutor] = []
        # Executor shutdown is not safe to run from two threads at once (each clears state
        # the other is still using): a retire and a finishing query may both close.
        self._closing = threading.Lock()
        if workers == 0:
            self._local = EncodedTable(
                table,
                profile=profile,
                score_scale=self.score_scale,
                engine=engine,
                threads=threads,
            )
            self.encoded_bytes = self._local.encoded_bytes
            return
        context = multiprocessing.get_context("spawn")  # fork is unsafe in threaded servers
        for lo, hi in _shard_bounds(self.items, self.profile.items_per_ciphertext, workers):
            self._pools.append(
                futures.ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=context,
                    initializer=_init_worker,
                    initargs=(profile, table[lo:hi], self.score_scale, engine, threads),
                )
            )
        self._finalizer = weakref.finalize(self, _shutdown, self._pools)
        try:
            ready = [pool.submit(_worker_ready) for pool in self._pools]
            self.encoded_bytes = sum(f.result() for f in ready)
        except BaseException:
            self.close()
            raise

    @property
    def workers(self) -> int:
        """Worker processes in use (0: scoring runs in the calling process)."""
        return len(self._pools)

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
        Raises :class:`ScorerClosed` if the scorer is closed before the query is scored.
        """
        check_score_noise(score_noise, self.score_scale)
        header = parse_envelope(query, Kind.QUERY, profile=self.profile)
        if header.fields[0] != self.dim:
            raise InvalidCiphertext(
                f"query: dimension {header.fields[0]} does not match the model's {self.dim}"
            )
        if self._local is not None:
            keys = (
                evaluation_keys
                if isinstance(evaluation_keys, EvaluationKeys)
                else EvaluationKeys.from_bytes(evaluation_keys, profile=self.profile)
            )
            parsed = EncryptedQuery.from_bytes(query, profile=self.profile)
            blobs = self._local.score(parsed, keys, score_noise=score_noise)
        else:
            # Workers load (and cache) the keys themselves; the digest names them.
            if isinstance(evaluation_keys, EvaluationKeys):
                wire, digest = evaluation_keys.wire, evaluation_keys.digest
            else:
                wire, digest = evaluation_keys, hashlib.sha256(evaluation_keys).hexdigest()
            try:
                pending = [
                    pool.submit(_worker_score, query, wire, digest, score_noise)
                    for pool in self._pools
                ]
            except RuntimeError:  # "cannot schedule new futures after shutdown"
                raise ScorerClosed("the table was closed before the query was scored") from None
            if not _wait_all(pending, timeout):
                for item in pending:
                    item.cancel()
                raise TimeoutError(f"scoring did not finish within {timeout} s")
            if any(item.cancelled() for item in pending):
                raise ScorerClosed("the table was closed while the query waited")
            blobs = [blob for item in pending for blob in item.result()]
        fields = (self.items, self.dim, self.score_scale)
        return Envelope(Kind.RESPONSE, self.profile, fields, tuple(blobs)).to_bytes()

    def close(self) -> None:
        """Stop the worker processes: queries running finish, queued ones raise ScorerClosed."""
        with self._closing:
            _shutdown(self._pools)

    def __enter__(self) -> TableScorer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _wait_all(pending: list[futures.Future[list[bytes]]], timeout: float | None) -> bool:
    """Wait until every future is done or cancelled; False on timeout. Unlike
    ``futures.wait``, this wakes when a shutdown cancels a queued future (a cancelled future
    runs its done-callbacks, but never notifies ``futures.wait``'s waiters)."""
    left = len(pending)
    lock, all_done = threading.Lock(), threading.Event()

    def one_done(_: futures.Future[list[bytes]]) -> None:
        nonlocal left
        with lock:
            left -= 1
            if left == 0:
                all_done.set()

    for item in pending:
        item.add_done_callback(one_done)
    return all_done.wait(timeout)


def _shutdown(pools: list[futures.ProcessPoolExecutor]) -> None:
    for pool in pools:
        pool.shutdown(wait=True, cancel_futures=True)
