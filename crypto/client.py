"""Client side of the protocol: encrypt a user vector, decrypt a response, rank the top k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto._seal import load_blob, save_blob
from crypto.errors import InvalidCiphertext, ParameterError
from crypto.keys import SecretKeys
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
    blob = save_blob(keys.encryptor.encrypt_symmetric(plain))  # seeded: half the size
    wire = Envelope(Kind.QUERY, profile, (dim,), (blob,)).to_bytes()
    return PreparedQuery(wire=wire, dim=dim, norm=norm)


def decrypt_scores(keys: SecretKeys, response: bytes, query: PreparedQuery) -> FloatArray:
    """Decrypt every item score of a response to ``query`` (approximately ``V @ u``)."""
    profile = keys.profile
    envelope = parse_envelope(response, Kind.RESPONSE, profile=profile)
    items, dim, score_scale = envelope.fields
    if dim != query.dim:
        raise InvalidCiphertext(f"response: dimension {dim} does not match the query's {query.dim}")
    rt = keys.runtime
    expected_scale = 2.0 ** (profile.query_scale_bits + profile.table_scale_bits)
    half = profile.slot_count
    scores = np.empty(len(envelope.blobs) * profile.items_per_ciphertext)
    ciphertext, plain = seal.Ciphertext(), seal.Plaintext()
    for index, blob in enumerate(envelope.blobs):
        load_blob(
            ciphertext,
            blob,
            rt=rt,
            max_bytes=profile.max_ciphertext_bytes,
            what=f"response ciphertext {index}",
        )
        if (
            ciphertext.parms_id() != rt.data_parms_id
            or ciphertext.size() != 2
            or not ciphertext.is_ntt_form()
            or ciphertext.scale != expected_scale
        ):
            raise InvalidCiphertext(f"response ciphertext {index}: wrong level, size or scale")
        keys.decryptor.decrypt(ciphertext, plain)
        values = np.asarray(rt.encoder.decode_complex(plain))
        base = index * profile.items_per_ciphertext
        scores[base : base + half] = values.real
        scores[base + half : base + 2 * half] = values.imag
    return scores[: int(items)] * (float(score_scale) * query.norm)


def top_k(scores: npt.ArrayLike, k: int) -> TopK:
    """The ``k`` highest scores, best first; ties go to the lower item id."""
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1:
        raise ParameterError("scores must be a vector")
    if k < 1:
        raise ParameterError(f"k must be positive, got {k}")
    k = min(k, values.shape[0])
    threshold = -np.partition(-values, k - 1)[k - 1]
    above = np.flatnonzero(values > threshold)
    tied = np.flatnonzero(values == threshold)[: k - above.shape[0]]
    candidates = np.concatenate([above, tied])
    order = np.lexsort((candidates, -values[candidates]))
    ids = candidates[order].astype(np.int64)
    return TopK(ids=ids, scores=values[ids])
