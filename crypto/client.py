"""Client side of the protocol: encrypt a user vector, decrypt a response, rank the top k."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto._bits import pack_bits
from crypto._seal import SealRuntime, query_layout, save_blob
from crypto._seal_memory import U64Array, ciphertext_address, plaintext_address
from crypto.errors import InvalidCiphertext, ParameterError
from crypto.keys import SecretKeys
from crypto.response import unpack_responses
from crypto.wire import Envelope, Kind, parse_envelope

FloatArray = npt.NDArray[np.float64]


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

    The response's packed coefficients are lifted back to the data prime in one array and pass
    through SEAL only for the NTTs and the secret-key product, in place; decoding is one
    batched FFT in numpy (no files, no Python lists)."""
    profile = keys.profile
    envelope = parse_envelope(response, Kind.RESPONSE, profile=profile)
    items, dim, score_scale = envelope.fields
    if dim != query.dim:
        raise InvalidCiphertext(f"response: dimension {dim} does not match the query's {query.dim}")
    coefficients = unpack_responses(profile, keys.runtime.data_modulus, envelope.blobs)
    plain = decrypt_coefficients(keys, coefficients)
    scores = decode_scores(keys.runtime, plain, float(score_scale) * query.norm)
    return scores[: int(items)]


def decrypt_coefficients(keys: SecretKeys, ciphertexts: U64Array) -> U64Array:
    """``m = c0 + c1 * s`` of ``(count, 2, N)`` ciphertexts (coefficient form, in [0, q)), as
    ``(count, N)`` integer coefficients in [0, q). SEAL runs the NTTs of c1 (two per
    transform), the products ``c1 * s`` (its decryptor, given ``c0 = 0``) and their inverse
    NTTs on reused objects whose memory is copied in place; c0 is added in numpy."""
    rt = keys.runtime
    count, degree = ciphertexts.shape[0], rt.profile.poly_modulus_degree
    if ciphertexts.shape != (count, 2, degree) or ciphertexts.dtype != np.uint64:
        raise ValueError("ciphertexts must be a (count, 2, N) uint64 array")
    q = np.uint64(rt.data_modulus)
    holder, plain, spread = seal.Ciphertext(), seal.Plaintext(), seal.Ciphertext()
    keys.encryptor.encrypt_zero_symmetric(rt.context.first_parms_id(), holder)
    holder.scale = rt.response_scale
    flat = seal.Ciphertext()  # the same shape out of NTT form: the forward transform's input
    rt.evaluator.transform_from_ntt(holder, flat)
    polys = np.empty((count + count % 2, degree), dtype=np.uint64)
    polys[:count] = ciphertexts[:, 1]
    if count % 2:
        polys[count] = polys[count - 1]
    poly = degree * 8
    polys_at = polys.ctypes.data
    # SEAL only reads the holders from here on, so their memory stays put; outputs may move.
    holder_at, flat_at = ciphertext_address(holder), ciphertext_address(flat)

    def transform_pairs(transform: object, source_at: int) -> None:
        """Each pair of polynomials through ``transform`` (both halves of a ciphertext)."""
        for pair in range(0, polys.shape[0], 2):
            ctypes.memmove(source_at, polys_at + poly * pair, 2 * poly)
            transform(spread)  # type: ignore[operator]
            ctypes.memmove(polys_at + poly * pair, ciphertext_address(spread), 2 * poly)

    transform_pairs(lambda out: rt.evaluator.transform_to_ntt(flat, out), flat_at)
    ctypes.memset(holder_at, 0, poly)  # c0 = 0: the decryptor gives c1 * s
    for index in range(count):
        ctypes.memmove(holder_at + poly, polys_at + poly * index, poly)
        keys.decryptor.decrypt(holder, plain)
        ctypes.memmove(polys_at + poly * index, plaintext_address(plain), poly)
    transform_pairs(lambda out: rt.evaluator.transform_from_ntt(holder, out), holder_at)
    plain_polys = polys[:count]
    plain_polys += ciphertexts[:, 0]  # both below q < 2^62: no overflow
    np.subtract(plain_polys, q, out=plain_polys, where=plain_polys >= q)
    return plain_polys


def decode_scores(rt: SealRuntime, plain: U64Array, factor: float) -> FloatArray:
    """CKKS decoding of ``(count, N)`` integer polynomials (overwritten), times ``factor``:
    each gives the real parts of its N/2 slots, then the imaginary parts (two items per slot).

    Slot j is m(zeta^(3^j)) / scale with zeta = exp(i pi / N) (SEAL's slot order). For a real
    m, m(zeta^-k) = conj(m(zeta^k)), so every slot is read off the N/2 values m(zeta^(4t+1)),
    which one complex FFT of length N/2 gives: sum_i (m_i + i m_(i+N/2)) zeta^i w^(it),
    w = zeta^4 (because zeta^((4t+1) N/2) = i)."""
    count, degree = plain.shape
    half, q = degree // 2, rt.data_modulus
    out = np.empty((count, 2, half))  # the scores; first, scratch space for the centring
    centred = plain.view(np.int64)  # coefficients < q < 2^63: the same values
    above_half = np.subtract((q - 1) // 2, centred, out=out.view(np.int64).reshape(count, degree))
    above_half >>= 63  # negative where m_i > q/2, so all ones there, zero elsewhere
    above_half &= -q
    centred += above_half
    folded = np.empty((count, half), dtype=np.complex128)
    folded.real = centred[:, :half]
    folded.imag = centred[:, half:]
    folded *= _twist(degree) * (factor * half / rt.response_scale)
    np.fft.ifft(folded, axis=1, out=folded)  # ifft divides by N/2, undone in the twist
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
