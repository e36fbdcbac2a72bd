"""Client side of the protocol: encrypt a user vector, decrypt a response, rank the top k."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto._bits import pack_bits
from crypto._seal import SealRuntime, query_layout, save_blob
from crypto._seal_memory import U64Array
from crypto.errors import InvalidCiphertext, ParameterError
from crypto.keys import SecretKeys
from crypto.response import unpack_responses
from crypto.wire import Envelope, Kind, parse_envelope

FloatArray = npt.NDArray[np.float64]
# Response ciphertexts decrypted together: 1M items at N = 4096, about 50 MB of scratch space.
DECRYPT_BATCH = 256
ComplexArray = npt.NDArray[np.complex128]


@dataclass(frozen=True)
class PreparedQuery:
    """An encrypted query and what the client keeps locally to read its answer."""

    wire: bytes
    dim: int
    norm: float  # ||u||, never sent: responses are computed on u / ||u||


@dataclass(frozen=True)
class TopK:
    ids: npt.NDArray[np.int64]
    scores: FloatArray


def encrypt_query(keys: SecretKeys, vector: npt.ArrayLike) -> PreparedQuery:
    """Encrypt ``u`` (scaled to unit norm, padded, tiled over the slots) into one ciphertext."""
    u = np.asarray(vector, dtype=np.float64)
    if u.ndim != 1:
        raise ParameterError(f"a query is a vector; got shape {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ParameterError("a query must contain only finite numbers")
    profile = keys.profile
    dim = u.shape[0]
    padded = np.zeros(profile.padded_dim(dim))
    norm = float(np.linalg.norm(u))
    padded[:dim] = u / norm if norm > 0 else u
    slots = np.tile(padded, profile.slot_count // padded.shape[0])
    rt = keys.runtime
    plain = seal.Plaintext()
    rt.encoder.encode(slots.tolist(), rt.data_parms_id, 2.0**profile.query_scale_bits, plain)
    blob = save_blob(keys.encryptor.encrypt_symmetric(plain))  # seeded: c1 is a seed
    wire = Envelope(Kind.QUERY, profile, (dim,), (pack_query(rt, blob),)).to_bytes()
    return PreparedQuery(wire=wire, dim=dim, norm=norm)


def pack_query(rt: SealRuntime, blob: bytes) -> bytes:
    """A seeded query's SEAL bytes on the wire: c0's coefficients in exactly
    ``ceil(log2 q)`` bits each, then SEAL's seed of c1 (the server restores the rest)."""
    layout = query_layout(rt.profile.name)
    degree = rt.profile.poly_modulus_degree
    if not blob.startswith(layout.prefix) or len(blob) != (
        len(layout.prefix) + 8 * degree + layout.seed_bytes
    ):  # pragma: no cover - SEAL wrote what query_layout found
        raise RuntimeError("SEAL serialised a query differently from its layout")
    c0 = np.frombuffer(blob, dtype="<u8", count=degree, offset=len(layout.prefix))
    seed = blob[len(blob) - layout.seed_bytes :]
    return pack_bits(c0.astype(np.uint64), rt.profile.query_coefficient_bits) + seed


def decrypt_scores(keys: SecretKeys, response: bytes, query: PreparedQuery) -> FloatArray:
    """Decrypt every item score of a response to ``query`` (approximately ``V @ u``).

    Decryption stays at the switched modulus: ``c0 + c1 * s mod 2^b1``, the product by the
    ternary secret computed exactly with float FFTs, then CKKS decoding with one more FFT, all
    batched over the response's ciphertexts in numpy (no SEAL, no files, no Python lists)."""
    profile = keys.profile
    envelope = parse_envelope(response, Kind.RESPONSE, profile=profile)
    items, dim, score_scale = envelope.fields
    if dim != query.dim:
        raise InvalidCiphertext(f"response: dimension {dim} does not match the query's {query.dim}")
    blobs = envelope.blobs  # as many as the items need (parse_envelope checked)
    per_blob = profile.items_per_ciphertext
    # The plaintext is at the switched modulus 2^b1: times q / 2^b1 it is back at q's scale.
    unit = keys.runtime.data_modulus / 2.0**profile.response_c1_bits
    factor = float(score_scale) * query.norm * unit
    scores = np.empty(len(blobs) * per_blob)
    # A batch of ciphertexts at a time (several shards' worth in a big response): the scratch
    # arrays stay a few times one batch, whatever the table, instead of ~50 bytes per item.
    for start in range(0, len(blobs), DECRYPT_BATCH):
        batch = blobs[start : start + DECRYPT_BATCH]
        plain = decrypt_switched(keys, *unpack_responses(profile, batch))
        done = start * per_blob
        scores[done : done + len(batch) * per_blob] = decode_scores(keys.runtime, plain, factor)
    return scores[: int(items)]


def decrypt_switched(keys: SecretKeys, c0: U64Array, c1: U64Array) -> FloatArray:
    """``m' = c0 * 2^(b1 - b0) + c1 * s mod 2^b1``, centred, of switched ciphertexts given as
    ``(count, N)`` arrays of c0 and c1 (:func:`crypto.response.unpack_responses`).

    Since c0' and c1' approximate ``c * 2^b / q``, this is ``m * 2^b1 / q`` plus the rounding
    noise the switch added (docs/crypto.md). The negacyclic product ``c1 * s`` is exact: with
    ``c1 < 2^b1`` and s ternary of weight h, every product coefficient is below ``2^b1 * h <
    2^46``, and float64 FFTs of length N/2 err by far less than 1/2 on such integers; it is
    rounded, and the rest is exact in float64 too (integers below 2^53, powers of two)."""
    profile = keys.profile
    b0, b1 = profile.response_c0_bits, profile.response_c1_bits
    degree = profile.poly_modulus_degree
    if c0.shape != c1.shape or c0.ndim != 2 or c0.shape[1] != degree:
        raise ValueError("c0 and c1 must be two (count, N) arrays")
    plain = _negacyclic_inverse(_negacyclic_forward(c1) * _secret_spectrum(keys))
    np.rint(plain, out=plain)
    plain += c0 * float(1 << (b1 - b0))  # exact: below 2^(b1 + 1) + 2^46
    # Centred modulo 2^b1: subtract 2^b1 * floor(x / 2^b1 + 1/2), exact for these integers.
    wraps = plain * 2.0**-b1
    wraps += 0.5
    np.floor(wraps, out=wraps)
    wraps *= 2.0**b1
    plain -= wraps
    return plain


def _negacyclic_forward(coefficients: U64Array | FloatArray) -> ComplexArray:
    """``a(zeta^(4t+1))`` for t < N/2 of each row's polynomial (zeta = exp(i pi / N)): the
    points where a product modulo ``X^N + 1`` is a pointwise product."""
    half = coefficients.shape[-1] // 2
    folded = np.empty((*coefficients.shape[:-1], half), dtype=np.complex128)
    folded.real = coefficients[..., :half]
    folded.imag = coefficients[..., half:]
    folded *= _twist(2 * half)
    np.fft.ifft(folded, axis=-1, out=folded)
    folded *= half
    return folded


def _negacyclic_inverse(values: ComplexArray) -> FloatArray:
    """The real coefficients whose :func:`_negacyclic_forward` is ``values`` (overwritten)."""
    half = values.shape[-1]
    np.fft.fft(values, axis=-1, out=values)
    values /= half * _twist(2 * half)
    coefficients = np.empty((*values.shape[:-1], 2 * half))
    coefficients[..., :half] = values.real
    coefficients[..., half:] = values.imag
    return coefficients


def _secret_spectrum(keys: SecretKeys) -> ComplexArray:
    """s at the points of :func:`_negacyclic_forward` (one FFT: cheaper than keeping it)."""
    return _negacyclic_forward(keys.secret_coefficients.astype(np.float64))


def decode_scores(rt: SealRuntime, plain: FloatArray, factor: float) -> FloatArray:
    """CKKS decoding of ``(count, N)`` centred plaintext polynomials, times ``factor``: each
    gives the real parts of its N/2 slots, then the imaginary parts (two items per slot).

    Slot j is m(zeta^(3^j)) / scale with zeta = exp(i pi / N) (SEAL's slot order). For a real
    m, m(zeta^-k) = conj(m(zeta^k)), so every slot is read off the N/2 values m(zeta^(4t+1)),
    which one complex FFT of length N/2 gives: sum_i (m_i + i m_(i+N/2)) zeta^i w^(it),
    w = zeta^4 (because zeta^((4t+1) N/2) = i)."""
    count, degree = plain.shape
    half = degree // 2
    out = np.empty((count, 2, half))
    folded = _negacyclic_forward(plain)
    folded *= factor / rt.response_scale
    positions, signs = _slot_positions(degree)
    slots = np.take(folded, positions, axis=1)
    out[:, 0] = slots.real
    np.multiply(slots.imag, signs, out=out[:, 1])
    return out.reshape(-1)


@cache
def _twist(degree: int) -> npt.NDArray[np.complex128]:
    twist: npt.NDArray[np.complex128] = np.exp(1j * np.pi * np.arange(degree // 2) / degree)
    return twist


@cache
def _slot_positions(degree: int) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """For each slot j, where m(zeta^(3^j)) or its conjugate sits among the m(zeta^(4t+1)),
    and the sign its imaginary part takes (-1 where the slot is the conjugate)."""
    exponents = np.empty(degree // 2, dtype=np.int64)
    exponents[0] = 1
    for j in range(1, degree // 2):
        exponents[j] = exponents[j - 1] * 3 % (2 * degree)
    direct = exponents % 4 == 1
    positions = np.where(direct, exponents - 1, 2 * degree - exponents - 1) // 4
    return positions, np.where(direct, 1.0, -1.0)


def top_k(scores: npt.ArrayLike, k: int) -> TopK:
    """The ``k`` highest scores, best first; ties go to the lower item id."""
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1:
        raise ParameterError("scores must be a vector")
    if k < 1:
        raise ParameterError(f"k must be positive, got {k}")
    k = min(k, values.shape[0])
    threshold = np.partition(values, values.shape[0] - k)[values.shape[0] - k]
    above = np.flatnonzero(values > threshold)
    tied = np.flatnonzero(values == threshold)[: k - above.shape[0]]
    candidates = np.concatenate([above, tied])
    order = np.lexsort((candidates, -values[candidates]))
    ids = candidates[order].astype(np.int64)
    return TopK(ids=ids, scores=values[ids])
