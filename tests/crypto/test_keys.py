"""Key files are owner-only and round-trip; no exported byte string carries the secret key."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import numpy as np
import pytest

from crypto import (
    EvaluationKeys,
    InsecureKeyFile,
    InvalidCiphertext,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encrypt_query,
    get_profile,
)
from crypto.wire import Kind, parse_envelope


def test_secret_key_round_trips_with_owner_only_permissions(
    keys: SecretKeys, eval_keys: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "keys" / "ckks.key"
    keys.save_secret_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["ckks.key"]  # no temporary file left
    loaded = SecretKeys.load_secret_key(path)
    # A query encrypted by the loaded key decrypts with the original one, and vice versa.
    table = np.eye(4, dtype=np.float32)
    with TableScorer(table) as scorer:
        query = encrypt_query(loaded, [0.0, 1.0, 0.0, 0.0])
        scores = decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)
    np.testing.assert_allclose(scores, [0, 1, 0, 0], atol=1e-3)


def test_key_file_readable_by_others_is_refused(keys: SecretKeys, tmp_path: Path) -> None:
    path = tmp_path / "ckks.key"
    keys.save_secret_key(path)
    os.chmod(path, 0o644)
    with pytest.raises(InsecureKeyFile, match="other users"):
        SecretKeys.load_secret_key(path)


@pytest.mark.parametrize("content", [b"", b"garbage", b"PRHE" + bytes(60), bytes(10_000_000)])
def test_corrupt_key_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ckks.key"
    path.write_bytes(content)
    os.chmod(path, 0o600)
    with pytest.raises(InvalidCiphertext):
        SecretKeys.load_secret_key(path)


def test_secret_keys_are_never_pickled(keys: SecretKeys) -> None:
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(keys)
    assert "profile" in repr(keys)


def test_no_export_contains_the_secret_key(
    keys: SecretKeys, eval_keys: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "ckks.key"
    keys.save_secret_key(path)
    blob = parse_envelope(path.read_bytes(), Kind.SECRET_KEY).blobs[0]
    profile = keys.profile
    # The key's coefficients (NTT form, data prime and special prime) end the SEAL blob.
    secret = blob[-profile.poly_modulus_degree * 2 * 8 :]
    windows = [secret[i : i + 32] for i in range(0, len(secret) - 32, len(secret) // 16)]
    table = np.random.default_rng(0).standard_normal((5000, 16)).astype(np.float32)
    with TableScorer(table) as scorer:
        query = encrypt_query(keys, np.ones(16))
        response = scorer.score(query.wire, eval_keys)
    for exported in (query.wire, eval_keys, response):
        assert not any(window in exported for window in windows)
    assert secret[:32] in path.read_bytes()  # the search itself finds the key where it is


def test_evaluation_keys_hold_exactly_the_rotations_needed(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    loaded = EvaluationKeys.from_bytes(eval_keys)
    steps = keys.profile.rotation_steps
    assert steps == (1, 16)  # the baby-step and giant-step generators
    assert loaded.galois_keys.size() == len(steps)
    assert len(eval_keys) <= 200_000  # issue 14's target (eight keys took 558,690 B)


def test_keys_of_another_profile_are_refused(keys: SecretKeys) -> None:
    other = SecretKeys.generate("ckks8192-s256-v1")
    with pytest.raises(InvalidCiphertext, match="expected"):
        EvaluationKeys.from_bytes(other.evaluation_keys(), profile=get_profile("ckks4096-v1"))
    with (
        TableScorer(np.ones((3, 2), dtype=np.float32)) as scorer,
        pytest.raises(InvalidCiphertext, match="profile"),
    ):
        scorer.score(encrypt_query(other, [1.0, 2.0]).wire, keys.evaluation_keys())
