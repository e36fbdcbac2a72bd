"""SEAL objects read and written in memory, and the client's decryption built on it, agree with
SEAL's own accessors, loader and decoder."""

from __future__ import annotations

import numpy as np
import pytest
import tenseal.sealapi as seal

from benchmarks.kernel import seal_decrypt_scores
from crypto import InvalidCiphertext, SecretKeys, TableScorer, decrypt_scores, encrypt_query
from crypto._seal import save_blob
from crypto._seal_memory import ciphertext_array, plaintext_array
from crypto.client import pack_query
from crypto.scorer import restore_query_blob
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


def test_a_packed_query_restores_to_the_bytes_seal_wrote(keys: SecretKeys) -> None:
    rt = keys.runtime
    plain = seal.Plaintext()
    rt.encoder.encode([0.5, -0.25, 0.125], rt.data_parms_id, 2.0**28, plain)
    blob = save_blob(keys.encryptor.encrypt_symmetric(plain))
    packed = pack_query(rt, blob)
    assert len(packed) < len(blob) - 6000  # 52 of every 64 bits of c0
    assert restore_query_blob(keys.profile, packed) == blob
    with pytest.raises(InvalidCiphertext, match="bytes where"):
        restore_query_blob(keys.profile, packed[:-1])


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


def test_response_ciphertexts_of_the_wrong_size_are_refused(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table = np.random.default_rng(1).standard_normal((9000, 8)).astype(np.float32)
    query = encrypt_query(keys, np.ones(8))
    with TableScorer(table) as scorer:
        envelope = parse_envelope(scorer.score(query.wire, eval_keys), Kind.RESPONSE)
    size = keys.profile.response_ciphertext_bytes
    assert {len(blob) for blob in envelope.blobs} == {size}

    def with_blob(index: int, blob: bytes) -> bytes:
        blobs = list(envelope.blobs)
        blobs[index] = blob
        return Envelope(Kind.RESPONSE, envelope.profile, envelope.fields, tuple(blobs)).to_bytes()

    for blob in (envelope.blobs[1][:-1], b""):
        with pytest.raises(InvalidCiphertext, match=f"ciphertext 1: {len(blob)} bytes where"):
            decrypt_scores(keys, with_blob(1, blob), query)
    with pytest.raises(InvalidCiphertext, match=f"blob 1 is over the bound of {size} bytes"):
        decrypt_scores(keys, with_blob(1, envelope.blobs[1] + b"\0"), query)
