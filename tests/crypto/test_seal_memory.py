"""SEAL objects read and written in memory, and the client's decryption built on it, agree with
SEAL's own accessors, loader and decoder."""

from __future__ import annotations

import numpy as np
import pytest
import tenseal.sealapi as seal

from benchmarks.kernel import seal_decrypt_scores
from crypto import InvalidCiphertext, SecretKeys, TableScorer, decrypt_scores, encrypt_query
from crypto._seal import load_blob, response_blob_prefix, save_blob
from crypto._seal_memory import ciphertext_array, plaintext_array
from crypto.wire import Envelope, Kind, parse_envelope


def test_views_read_and_write_seal_memory(keys: SecretKeys) -> None:
    rt = keys.runtime
    cipher = seal.Ciphertext()
    plain = seal.Plaintext()
    rt.encoder.encode([0.5, -0.25], rt.data_parms_id, 2.0**28, plain)
    keys.encryptor.encrypt_symmetric(plain, cipher)
    view = ciphertext_array(cipher)
    degree = keys.profile.poly_modulus_degree
    assert view.shape == (2, 1, degree)
    flat = view.reshape(-1)
    for index in [0, 1, degree - 1, degree, 2 * degree - 1]:
        assert int(flat[index]) == cipher[index]
    assert [int(x) for x in plaintext_array(plain)[:5]] == [plain[i] for i in range(5)]
    flat[3] = 12345  # writes land in SEAL's object
    assert cipher[3] == 12345


def test_other_objects_are_refused() -> None:
    with pytest.raises(TypeError, match="Ciphertext"):
        ciphertext_array(seal.Plaintext())
    with pytest.raises(TypeError, match="Plaintext"):
        plaintext_array(object())


def test_response_prefix_is_what_seal_writes(keys: SecretKeys, eval_keys: bytes) -> None:
    table = np.random.default_rng(0).standard_normal((5000, 8)).astype(np.float32)
    query = encrypt_query(keys, np.ones(8))
    with TableScorer(table, engine="seal") as scorer:
        envelope = parse_envelope(scorer.score(query.wire, eval_keys), Kind.RESPONSE)
    prefix = response_blob_prefix(keys.profile.name)
    assert all(blob.startswith(prefix) for blob in envelope.blobs)
    # And SEAL loads a blob made of the prefix and coefficients back to the same bytes.
    loaded = seal.Ciphertext()
    rt = keys.runtime
    load_blob(loaded, envelope.blobs[0], rt=rt, max_bytes=1 << 20, what="response")
    assert save_blob(loaded) == envelope.blobs[0]


@pytest.mark.parametrize(("n", "d"), [(1, 3), (4096, 16), (4097, 16), (13_000, 64)])
def test_fast_decryption_matches_seal_decoding(
    keys: SecretKeys, eval_keys: bytes, n: int, d: int
) -> None:
    rng = np.random.default_rng(n)
    table = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32)
    u = rng.standard_normal(d) * 3
    query = encrypt_query(keys, u)
    with TableScorer(table) as scorer:
        response = scorer.score(query.wire, eval_keys)
    fast = decrypt_scores(keys, response, query)
    reference = seal_decrypt_scores(keys, response, query.norm)
    assert fast.shape == (n,)
    # Both are float64 FFTs of the same integers: they differ by rounding only.
    assert np.max(np.abs(fast - reference)) < 1e-9 * max(1.0, np.max(np.abs(reference)))
    assert np.max(np.abs(fast - table.astype(np.float64) @ u)) < 2e-3 * 3


def test_unreduced_or_reshaped_response_ciphertexts_are_refused(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table = np.random.default_rng(1).standard_normal((9000, 8)).astype(np.float32)
    query = encrypt_query(keys, np.ones(8))
    with TableScorer(table) as scorer:
        envelope = parse_envelope(scorer.score(query.wire, eval_keys), Kind.RESPONSE)
    prefix = response_blob_prefix(keys.profile.name)
    q = keys.runtime.data_modulus

    def with_blob(index: int, blob: bytes) -> bytes:
        blobs = list(envelope.blobs)
        blobs[index] = blob
        return Envelope(Kind.RESPONSE, envelope.profile, envelope.fields, tuple(blobs)).to_bytes()

    coefficients = bytearray(envelope.blobs[1][len(prefix) :])
    coefficients[8:16] = q.to_bytes(8, "little")  # one coefficient equal to the prime
    with pytest.raises(InvalidCiphertext, match="ciphertext 1: rejected"):
        decrypt_scores(keys, with_blob(1, prefix + bytes(coefficients)), query)
    scaled = bytearray(envelope.blobs[0])
    scaled[len(prefix) - 40] ^= 1  # a bit of the scale field
    with pytest.raises(InvalidCiphertext, match="ciphertext 0: wrong level, size or scale"):
        decrypt_scores(keys, with_blob(0, bytes(scaled)), query)
