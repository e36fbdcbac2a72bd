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
import itertools
import math
import os
import threading
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
from crypto.errors import InvalidCiphertext, ParameterError
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


Buffer = bytes | bytearray | memoryview | npt.NDArray[np.uint8]


@dataclass(frozen=True)
class ShardLayout:
    """The shape of one encoded table (or shard of a larger one): enough to map its fused-engine
    arrays from shared memory or an object store without encoding anything again."""

    profile: str
    items: int
    dim: int
    score_scale: float
    # The chunk count the baby-step plan is chosen for (0: this table's own): a shard of a
    # larger table shares its query's baby rotations, so it follows the whole table's plan.
    plan_chunks: int = 0

    def __post_init__(self) -> None:
        prof = get_profile(self.profile)
        prof.ciphertexts_for(self.items)  # range checks, with clear errors
        prof.padded_dim(self.dim)
        if not (math.isfinite(self.score_scale) and self.score_scale > 0):
            raise ParameterError(f"score scale must be a positive number, got {self.score_scale}")
        if self.plan_chunks != 0:
            prof.ciphertexts_for(self.plan_chunks * prof.items_per_ciphertext)

    @property
    def chunks(self) -> int:
        return get_profile(self.profile).ciphertexts_for(self.items)

    @property
    def padded_dim(self) -> int:
        return get_profile(self.profile).padded_dim(self.dim)

    @property
    def baby_steps(self) -> int:
        return choose_giant_step(
            self.padded_dim, self.plan_chunks or self.chunks, get_profile(self.profile).giant_step
        )

    @property
    def giant_steps(self) -> int:
        return self.padded_dim // self.baby_steps

    @property
    def present_shape(self) -> tuple[int, int, int]:
        return (self.chunks, self.giant_steps, self.baby_steps)

    @property
    def coefficient_shape(self) -> tuple[int, int, int, int]:
        return (*self.present_shape, get_profile(self.profile).poly_modulus_degree)

    @property
    def coefficient_bytes(self) -> int:
        return math.prod(self.coefficient_shape) * 8

    @property
    def nbytes(self) -> int:
        """Bytes of the fused engine's arrays: the coefficients, then one flag per plaintext."""
        return self.coefficient_bytes + math.prod(self.present_shape)

    def arrays(self, buffer: Buffer) -> tuple[U64Array, npt.NDArray[np.bool_]]:
        """The coefficients and presence flags: views of ``buffer``'s first :attr:`nbytes`."""
        raw = np.frombuffer(buffer, dtype=np.uint8)
        if raw.shape[0] < self.nbytes:
            raise ParameterError(f"a buffer of {raw.shape[0]} bytes cannot hold {self.nbytes}")
        coefficients = raw[: self.coefficient_bytes].view(np.uint64)
        present = raw[self.coefficient_bytes : self.nbytes].view(np.bool_)
        return (
            coefficients.reshape(self.coefficient_shape),
            present.reshape(self.present_shape),
        )


class QueryRotations:
    """A query's baby-step rotations rot_b(u), each one key switch from an earlier one, computed
    once per query and shared by every shard and thread that scores it: a shard with ``g``
    baby steps uses the first ``g`` (the chain does not depend on ``g``)."""

    def __init__(
        self, query: EncryptedQuery, keys: EvaluationKeys, *, stacked: U64Array | None = None
    ) -> None:
        """``stacked``: the rotations already computed elsewhere (:meth:`stacked`), for the
        fused kernel: a worker process then computes none of them itself."""
        self.query = query
        self._galois = keys.galois_keys
        self._evaluator = runtime(keys.profile.name).evaluator
        self._degree = keys.profile.poly_modulus_degree
        self._giant = keys.profile.giant_step
        self._rotations: list[Any] = [query.ciphertext]
        self._stacked: dict[int, U64Array] = {}
        if stacked is not None:
            degree = keys.profile.poly_modulus_degree
            if stacked.ndim != 3 or stacked.shape[1:] != (2, degree) or stacked.dtype != np.uint64:
                raise ParameterError("stacked rotations must be a (count, 2, N) uint64 array")
            self._stacked[stacked.shape[0]] = stacked
        self._lock = threading.Lock()

    def first(self, count: int) -> list[Any]:
        """rot_b(u) for b < count."""
        with self._lock:
            for b in range(len(self._rotations), count):
                # By the giant step G from rot_(b-G) where G divides b, else by 1 from
                # rot_(b-1): two rotation keys, and rot_b is at most b/G + G - 1 switches deep.
                step = self._giant if b % self._giant == 0 else 1
                rotated = seal.Ciphertext()
                earlier = self._rotations[b - step]
                self._evaluator.rotate_vector(earlier, step, self._galois, rotated)
                self._rotations.append(rotated)
            return self._rotations[:count]

    def stacked(self, count: int) -> U64Array:
        """The first ``count`` rotations as one ``(count, 2, N)`` array, the kernel's input."""
        with self._lock:
            larger = [stack for have, stack in self._stacked.items() if have >= count]
            if larger:
                return larger[0][:count]
        stack = np.empty((count, 2, self._degree), dtype=np.uint64)
        self.write_stacked(stack)
        with self._lock:
            return self._stacked.setdefault(count, stack)

    def write_stacked(self, out: U64Array) -> None:
        """Copy the first ``len(out)`` rotations into ``out``, a ``(count, 2, N)`` array (a
        shared-memory buffer other processes read them from)."""
        if out.ndim != 3 or out.shape[1:] != (2, self._degree) or out.dtype != np.uint64:
            raise ParameterError("stacked rotations must be a (count, 2, N) uint64 array")
        for b, ciphertext in enumerate(self.first(out.shape[0])):
            out[b] = ciphertext_array(ciphertext).reshape(2, self._degree)


class EncodedTable:
    """Rows ``[0, n)`` of an item table as NTT-form plaintexts at the query's level.

    ``engine="fused"`` keeps the plaintexts' coefficients in one plain numpy array and scores
    with the fused kernel (:mod:`crypto.kernel`) in ``threads`` threads sharing that array and
    one set of baby rotations; ``engine="seal"`` keeps SEAL plaintexts and scores with SEAL's
    ``multiply_plain`` and ``add_inplace`` (the reference: both give the same bytes);
    ``"auto"`` is the fused engine unless this TenSEAL build's memory layout is unknown.

    The fused engine's arrays are carved from ``buffer`` when given (zero-filled, at least
    ``layout.nbytes``: a shared-memory segment), else from memory of its own; ``plan_chunks``:
    see :class:`ShardLayout`.
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        *,
        profile: str = DEFAULT_PROFILE,
        score_scale: float | None = None,
        engine: str = "auto",
        threads: int = 1,
        buffer: Buffer | None = None,
        plan_chunks: int = 0,
    ) -> None:
        prof = get_profile(profile)
        table = check_item_table(items, prof)
        scale = score_scale if score_scale is not None else table_score_scale(table)
        layout = ShardLayout(prof.name, table.shape[0], table.shape[1], scale, plan_chunks)
        self._setup(layout, resolve_engine(engine), threads)
        if self.engine == "seal":
            if buffer is not None:
                raise ParameterError("only the fused engine keeps its table in a given buffer")
            self._plaintexts = [self._encode_chunk(table, c) for c in range(self.chunks)]
        else:
            storage = np.zeros(self.layout.nbytes, np.uint8) if buffer is None else buffer
            self._coefficients, self._present = self.layout.arrays(storage)
            self._encode_coefficients(table)

    @classmethod
    def from_buffer(cls, layout: ShardLayout, buffer: Buffer, *, threads: int = 1) -> EncodedTable:
        """A fused-engine table over arrays already encoded in ``buffer`` (shared memory, an
        object store's bytes) by an :class:`EncodedTable` of the same layout: nothing is
        encoded or copied; the buffer must outlive the table."""
        self = cls.__new__(cls)
        self._setup(layout, resolve_engine("fused"), threads)
        self._coefficients, self._present = layout.arrays(buffer)
        return self

    def _setup(self, layout: ShardLayout, engine: str, threads: int) -> None:
        if threads < 1:
            raise ParameterError(f"threads must be >= 1, got {threads}")
        self.layout, self.engine, self.threads = layout, engine, threads
        self._rt: SealRuntime = runtime(layout.profile)
        prof = self._rt.profile
        self.items, self.dim, self.score_scale = layout.items, layout.dim, layout.score_scale
        self.padded_dim, self.chunks = layout.padded_dim, layout.chunks
        self.baby_steps, self.giant_steps = layout.baby_steps, layout.giant_steps
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
        """Fill the fused engine's arrays: ``(chunks, giant, baby, N)`` NTT-form coefficients
        (left as they are, zero, where a plaintext is skipped) and which ones are present."""
        self._present[:] = False
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
        rotations: QueryRotations | None = None,
    ) -> list[bytes]:
        """Score every chunk; return the response ciphertexts in their packed wire form
        (:mod:`crypto.response`), in item order.

        ``score_noise`` > 0 adds Gaussian noise of that standard deviation (in the score units
        of a unit-norm query; a query of norm r gets r times it) to every score, drawn from
        ``rng`` (default: freshly seeded from the operating system). ``rotations``: the
        query's baby rotations, shared with the other shards of its table scored here."""
        modulus = self._rt.data_modulus
        return [
            pack_response(self.profile, modulus, total)
            for total in self.response_totals(
                query, keys, score_noise=score_noise, rng=rng, rotations=rotations
            )
        ]

    def response_totals(
        self,
        query: EncryptedQuery,
        keys: EvaluationKeys,
        *,
        score_noise: float = 0.0,
        rng: np.random.Generator | None = None,
        rotations: QueryRotations | None = None,
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
        if rotations is None:
            rotations = QueryRotations(query, keys)
        elif rotations.query is not query:
            raise ParameterError("the rotations are of another query")
        if self.engine == "seal":
            return self._score_seal(rotations.first(self.baby_steps), keys.galois_keys, noise)
        return self._score_fused(rotations, keys.galois_keys, noise)

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
        return QueryRotations(query, keys).stacked(self.baby_steps)

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
        self, rotations: QueryRotations, galois: Any, noise: Callable[[], Any] | None
    ) -> Iterator[U64Array]:
        from crypto.kernel import add_mod

        q = np.uint64(self._rt.data_modulus)
        inner = self.inner_products(rotations.stacked(self.baby_steps))
        query = rotations.query.ciphertext
        # An NTT-form ciphertext the totals are copied into, and SEAL's inverse NTT's output.
        holder, flat = seal.Ciphertext(), seal.Ciphertext()
        self._rt.evaluator.multiply_plain(query, self._near_zero, holder)
        holder_coefficients = ciphertext_array(holder).reshape(2, -1)
        for c in range(self.chunks):
            total = inner[c, 0] if self.giant_steps == 1 else self._horner(c, inner, query, galois)
            if noise is not None:  # SEAL's add_plain: the plaintext is added to c0
                add_mod(total[0], plaintext_array(noise()), q)
            holder_coefficients[:] = total  # flooding before the switch down, which only rounds
            self._rt.evaluator.transform_from_ntt(holder, flat)
            yield ciphertext_array(flat).reshape(2, -1)

    def _run_kernel(self, rotations: U64Array, inner: U64Array) -> None:
        """The fused kernel over every chunk, split into contiguous ranges, one per thread."""
        from crypto.kernel import fused_inner_products

        q = self._rt.data_modulus
        coefficients, present = self._fused_table()

        def run(bounds: tuple[int, int]) -> None:
            fused_inner_products(rotations, coefficients, present, q, *bounds, inner)

        ranges = _even_ranges(self.chunks, self.threads)
        if len(ranges) == 1:
            run(ranges[0])
            return
        with futures.ThreadPoolExecutor(max_workers=len(ranges)) as pool:
            list(pool.map(run, ranges))

    def _horner(self, chunk: int, inner: U64Array, query: Any, galois: Any) -> U64Array:
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
                evaluator.multiply_plain(query, self._near_zero, total)
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


def check_query_dim(query: bytes, dim: int, profile: CkksProfile) -> None:
    """Refuse a query envelope of another profile or dimension before it is sent anywhere."""
    header = parse_envelope(query, Kind.QUERY, profile=profile)
    if header.fields[0] != dim:
        raise InvalidCiphertext(
            f"query: dimension {header.fields[0]} does not match the model's {dim}"
        )


def response_envelope(
    blobs: list[bytes], items: int, dim: int, score_scale: float, profile: CkksProfile
) -> bytes:
    """The response to a query: every shard's ciphertexts, in item order."""
    fields = (items, dim, score_scale)
    return Envelope(Kind.RESPONSE, profile, fields, tuple(blobs)).to_bytes()
