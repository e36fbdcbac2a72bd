"""Encrypted scores agree with numpy for edge shapes, profiles and worker counts."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from crypto import (
    MAX_DIM,
    EncodedTable,
    InvalidCiphertext,
    ParameterError,
    ScorerClosed,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encoded_table_bytes,
    encrypt_query,
    top_k,
)
from crypto.scorer import MAX_RELATIVE_SCORE_NOISE, choose_giant_step

# Scores are O(1) here (rows and u ~ N(0, 1/d)); measured errors are ~1e-4 at most.
TOLERANCE = 2e-3


def encrypted_scores(
    keys: SecretKeys, eval_keys: bytes, table: np.ndarray, u: np.ndarray, workers: int = 0
) -> np.ndarray:
    with TableScorer(table, profile=keys.profile.name, workers=workers) as scorer:
        query = encrypt_query(keys, u)
        return decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)


def random_case(n: int, d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    table = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32)
    return table, rng.standard_normal(d) / np.sqrt(d)


@pytest.mark.parametrize(
    ("n", "d"),
    [
        (1, 1),  # one item, one dimension: no rotation at all
        (1, 64),
        (4096, 8),  # exactly one full ciphertext (two items per slot)
        (4097, 8),  # one item over: a second, nearly empty ciphertext
        (10_001, 33),  # n not a multiple of the slot count, d not a power of two
        (300, MAX_DIM),
    ],
)
def test_scores_match_numpy(keys: SecretKeys, eval_keys: bytes, n: int, d: int) -> None:
    table, u = random_case(n, d)
    scores = encrypted_scores(keys, eval_keys, table, u)
    assert scores.shape == (n,)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)


def test_unnormalised_inputs_are_rescaled(keys: SecretKeys, eval_keys: bytes) -> None:
    table, u = random_case(2000, 16, seed=3)
    table *= 250.0
    u *= 40.0
    exact = table.astype(np.float64) @ u
    scores = encrypted_scores(keys, eval_keys, table, u)
    np.testing.assert_allclose(scores, exact, atol=TOLERANCE * np.abs(exact).max())


def test_zero_rows_and_zero_query(keys: SecretKeys, eval_keys: bytes) -> None:
    table = np.zeros((5000, 4), dtype=np.float32)
    table[4500] = [1.0, 0.0, 0.0, 0.0]  # the first chunk is entirely zero
    scores = encrypted_scores(keys, eval_keys, table, np.array([0.5, 0.0, 0.0, 0.0]))
    assert abs(scores[4500] - 0.5) < TOLERANCE
    assert np.abs(np.delete(scores, 4500)).max() < TOLERANCE
    zeros = encrypted_scores(keys, eval_keys, table, np.zeros(4))
    assert np.abs(zeros).max() < TOLERANCE


def test_other_profile() -> None:
    keys = SecretKeys.generate("ckks8192-s256-v1")
    table, u = random_case(9000, 48, seed=5)
    scores = encrypted_scores(keys, keys.evaluation_keys(), table, u)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)


def test_worker_processes_give_the_same_scores(keys: SecretKeys, eval_keys: bytes) -> None:
    table, u = random_case(3 * 4096 + 17, 24, seed=7)
    with TableScorer(table, workers=2) as scorer:
        assert scorer.workers == 2
        query = encrypt_query(keys, u)
        scores = decrypt_scores(keys, scorer.score(query.wire, eval_keys, timeout=60), query)
        with pytest.raises(InvalidCiphertext, match="dimension"):
            scorer.score(encrypt_query(keys, u[:5]).wire, eval_keys)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)


def test_top10_agreement_on_random_data(keys: SecretKeys, eval_keys: bytes) -> None:
    table, _ = random_case(50_000, 64, seed=11)
    rng = np.random.default_rng(12)
    with TableScorer(table) as scorer:
        overlaps = []
        for _ in range(5):
            u = rng.standard_normal(64)
            query = encrypt_query(keys, u)
            scores = decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)
            exact_top = set(top_k(table.astype(np.float64) @ u, 10).ids.tolist())
            overlaps.append(len(exact_top & set(top_k(scores, 10).ids.tolist())) / 10)
    assert np.mean(overlaps) >= 0.99


def test_table_is_encoded_compactly() -> None:
    table, _ = random_case(20_000, 64)
    encoded = EncodedTable(table)
    assert encoded.encoded_bytes / table.size <= 32


def test_giant_step_plan() -> None:
    # Only two rotations have keys (1 and the giant step 16): g is 16 or D.
    assert choose_giant_step(1, 10, 16) == 1
    assert choose_giant_step(8, 1, 16) == 8  # D below the giant step: baby rotations only
    assert choose_giant_step(64, 1, 16) == 16  # few chunks: 15 baby + 3 giant, not 63 baby
    assert choose_giant_step(256, 15, 16) == 16  # 15 + 15 x 15 = 240 rotations, not 255
    assert choose_giant_step(256, 16, 16) == 256  # many chunks: only shared baby rotations
    assert choose_giant_step(64, 10_000, 16) == 64


@pytest.mark.parametrize(
    "table",
    [
        np.zeros((0, 4)),
        np.zeros(5),
        np.zeros((3, MAX_DIM + 1)),
        np.array([[1.0, np.nan]]),
        np.array([["a", "b"]]),
    ],
)
def test_bad_item_tables_are_refused(table: np.ndarray) -> None:
    with pytest.raises(ParameterError):
        TableScorer(table)


@pytest.mark.parametrize("vector", [np.zeros((2, 2)), np.array([1.0, np.inf]), np.zeros(300)])
def test_bad_query_vectors_are_refused(keys: SecretKeys, vector: np.ndarray) -> None:
    with pytest.raises(ParameterError):
        encrypt_query(keys, vector)


def test_top_k_orders_and_breaks_ties_by_id() -> None:
    result = top_k(np.array([0.5, 2.0, 0.5, 3.0, 0.5]), 3)
    assert result.ids.tolist() == [3, 1, 0]
    assert result.scores.tolist() == [3.0, 2.0, 0.5]
    assert top_k(np.array([1.0, 1.0]), 10).ids.tolist() == [0, 1]
    with pytest.raises(ParameterError):
        top_k(np.array([1.0]), 0)


def test_one_worker_process_scores_off_the_calling_process(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    table, u = random_case(100, 8, seed=9)
    with TableScorer(table, workers=1) as scorer:
        assert scorer.workers == 1
        query = encrypt_query(keys, u)
        scores = decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)
    np.testing.assert_allclose(scores, table.astype(np.float64) @ u, atol=TOLERANCE)
    with pytest.raises(ParameterError, match="workers"):
        TableScorer(table, workers=-1)


def test_encoded_size_is_known_from_the_shape() -> None:
    for n, d in [(1, 1), (4097, 8), (10_001, 33)]:
        table, _ = random_case(n, d, seed=n)
        assert EncodedTable(table).encoded_bytes == encoded_table_bytes(n, d)
    assert encoded_table_bytes(1_000_000, 256) == 245 * 256 * 4096 * 8  # 245 chunks


def unit_query(d: int, seed: int) -> np.ndarray:
    u = np.random.default_rng(seed).standard_normal(d)
    return u / np.linalg.norm(u)


@pytest.mark.parametrize("workers", [0, 1])
def test_score_noise_has_the_stated_size_and_is_fresh(
    keys: SecretKeys, eval_keys: bytes, workers: int
) -> None:
    table, _ = random_case(9000, 16, seed=5)
    u, sigma = unit_query(16, 6), 0.05
    exact = table.astype(np.float64) @ u
    with TableScorer(table, workers=workers) as scorer:
        query = encrypt_query(keys, u)
        first, second = (
            decrypt_scores(keys, scorer.score(query.wire, eval_keys, score_noise=sigma), query)
            for _ in range(2)
        )
        plain = decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)
        assert len(scorer.score(query.wire, eval_keys, score_noise=sigma)) == len(
            scorer.score(query.wire, eval_keys)
        )  # the same level and size: noise is one plaintext addition
    np.testing.assert_allclose(plain, exact, atol=TOLERANCE)
    for noisy in (first, second):
        error = noisy - exact
        assert abs(float(np.std(error)) - sigma) < 0.1 * sigma
        assert abs(float(np.mean(error))) < 0.1 * sigma
    # Fresh per query: two answers to the same query differ by sqrt(2) sigma.
    assert abs(float(np.std(first - second)) - np.sqrt(2) * sigma) < 0.15 * sigma


def test_top10_agreement_falls_with_the_noise_level(keys: SecretKeys, eval_keys: bytes) -> None:
    table, _ = random_case(5000, 16, seed=7)
    rng = np.random.default_rng(8)
    agreement = {}
    with TableScorer(table) as scorer:
        for sigma in (0.0, 0.02, 0.2):
            overlaps = []
            for _ in range(4):
                u = rng.standard_normal(16)
                u /= np.linalg.norm(u)
                query = encrypt_query(keys, u)
                response = scorer.score(query.wire, eval_keys, score_noise=sigma)
                scores = decrypt_scores(keys, response, query)
                exact_top = set(top_k(table.astype(np.float64) @ u, 10).ids.tolist())
                overlaps.append(len(exact_top & set(top_k(scores, 10).ids.tolist())) / 10)
            agreement[sigma] = float(np.mean(overlaps))
    assert agreement[0.0] >= 0.99
    assert agreement[0.0] >= agreement[0.02] > agreement[0.2]
    assert agreement[0.2] < 0.5


@pytest.mark.parametrize("sigma", [-0.1, float("nan"), float("inf")])
def test_bad_score_noise_is_refused(keys: SecretKeys, eval_keys: bytes, sigma: float) -> None:
    table, u = random_case(10, 4)
    with TableScorer(table) as scorer, pytest.raises(ParameterError, match="score noise"):
        scorer.score(encrypt_query(keys, u).wire, eval_keys, score_noise=sigma)


def test_noise_too_large_to_decrypt_is_refused(keys: SecretKeys, eval_keys: bytes) -> None:
    table, u = random_case(10, 4)
    with TableScorer(table) as scorer:
        too_much = 1.01 * MAX_RELATIVE_SCORE_NOISE * scorer.score_scale
        with pytest.raises(ParameterError, match="would not decrypt"):
            scorer.score(encrypt_query(keys, u).wire, eval_keys, score_noise=too_much)


def test_closing_a_scorer_wakes_every_queued_query(keys: SecretKeys, eval_keys: bytes) -> None:
    """Regression: queued queries cancelled by close() used to wait out their whole timeout."""
    table, u = random_case(240_000, 64, seed=4)  # queries long enough to queue
    query = encrypt_query(keys, u).wire
    outcomes: list[object] = []
    scorer = TableScorer(table, workers=1)
    scorer.score(query, eval_keys)  # warm the worker's key cache

    def ask() -> None:
        try:
            outcomes.append(scorer.score(query, eval_keys, timeout=60))
        except ScorerClosed as error:
            outcomes.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # all eight submitted: two in the worker's call queue, six pending
    started = time.monotonic()
    close_errors: list[BaseException] = []

    def close() -> None:
        try:
            scorer.close()
        except BaseException as error:  # an executor shut down twice at once used to raise
            close_errors.append(error)

    closers = [threading.Thread(target=close) for _ in range(3)]  # a retire, finishing queries
    for thread in closers:
        thread.start()
    for thread in closers + threads:
        thread.join(timeout=30)
    assert time.monotonic() - started < 10
    assert close_errors == []
    assert len(outcomes) == 8
    closed = [o for o in outcomes if isinstance(o, ScorerClosed)]
    assert closed and all("closed" in str(o) for o in closed)
    with pytest.raises(ScorerClosed):
        scorer.score(query, eval_keys)
