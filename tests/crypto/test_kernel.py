"""The fused kernel gives the same response bytes as SEAL's multiply_plain/add_inplace path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import recommenders
from crypto import EvaluationKeys, ParameterError, SecretKeys, TableScorer, encrypt_query
from crypto.kernel import (
    KERNELS,
    _reduce128,
    barrett_ratio,
    choose_kernel,
    fused_inner_products,
    host_has_ifma,
)
from crypto.scorer import EncodedTable, EncryptedQuery
from recommenders.bundle import load_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION


@pytest.fixture(scope="module")
def loaded_keys(eval_keys: bytes) -> EvaluationKeys:
    return EvaluationKeys.from_bytes(eval_keys)


def both_engines(
    keys: SecretKeys,
    loaded_keys: EvaluationKeys,
    table: np.ndarray,
    seed: int,
    score_noise: float = 0.0,
) -> tuple[list[bytes], list[bytes], EncodedTable]:
    """Responses of the SEAL engine and of the fused one (two threads) to one query."""
    query = encrypt_query(keys, np.random.default_rng(seed).standard_normal(table.shape[1]))
    parsed = EncryptedQuery.from_bytes(query.wire)
    reference = EncodedTable(table, engine="seal")
    fused = EncodedTable(table, engine="fused", threads=2)
    expected = reference.score(
        parsed, loaded_keys, rng=np.random.default_rng(seed), score_noise=score_noise
    )
    got = fused.score(parsed, loaded_keys, rng=np.random.default_rng(seed), score_noise=score_noise)
    return expected, got, fused


@pytest.mark.parametrize(
    ("n", "d"),
    [
        (3_000, 64),  # one chunk: all rotations are baby steps
        (20_000, 64),  # giant steps: Horner's rule through SEAL between kernel calls
        (9_000, 7),  # padded dimension, short diagonals
        (12_000, 128),
    ],
)
def test_fused_kernel_is_bit_identical_to_seal(
    keys: SecretKeys, loaded_keys: EvaluationKeys, n: int, d: int
) -> None:
    rng = np.random.default_rng(n + d)
    table = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32)
    expected, got, fused = both_engines(keys, loaded_keys, table, seed=d)
    assert fused.engine == "fused"
    assert len(got) == fused.chunks
    assert got == expected


def test_zero_chunks_and_noise_match_seal(keys: SecretKeys, loaded_keys: EvaluationKeys) -> None:
    rng = np.random.default_rng(4)
    table = (rng.standard_normal((13_000, 32)) / np.sqrt(32)).astype(np.float32)
    table[4096:8192] = 0  # a chunk answered with the near-zero plaintext
    table[9000:, 5] = 0  # zero diagonals within a chunk
    expected, got, fused = both_engines(keys, loaded_keys, table, seed=1, score_noise=0.01)
    assert fused.giant_steps > 1
    assert got == expected


def test_reference_bundle_is_scored_identically(
    keys: SecretKeys, loaded_keys: EvaluationKeys
) -> None:
    shipped = Path(recommenders.__file__).parent / "data" / "reference" / "retail-two-tower.zip"
    items = load_bundle(shipped, feature_schema=FEATURE_SCHEMA_VERSION).items
    expected, got, _ = both_engines(keys, loaded_keys, items, seed=7)
    assert got == expected


def test_thread_counts_give_the_same_bytes(keys: SecretKeys, eval_keys: bytes) -> None:
    rng = np.random.default_rng(5)
    table = (rng.standard_normal((30_000, 16)) / 4).astype(np.float32)
    query = encrypt_query(keys, rng.standard_normal(16))
    responses = []
    for threads in (1, 3):
        with TableScorer(table, threads=threads) as scorer:
            responses.append(scorer.score(query.wire, eval_keys))
    assert responses[0] == responses[1]


def test_reduction_is_exact_at_the_extremes() -> None:
    for q in [(1 << 52) - 4095, (1 << 56) - 5, 3]:
        ratio_low, ratio_high = barrett_ratio(q)
        for x in [0, 1, q - 1, q, q + 1, 256 * (q - 1) ** 2, (1 << 120) - 1, (1 << 128) - 1]:
            low, high = np.uint64(x & ((1 << 64) - 1)), np.uint64(x >> 64)
            assert int(_reduce128(low, high, np.uint64(q), ratio_low, ratio_high)) == x % q


@pytest.mark.parametrize("q", [1, 1 << 56, 1 << 60])
def test_moduli_the_kernel_cannot_take_are_refused(q: int) -> None:
    with pytest.raises(ValueError, match="modulus"):
        barrett_ratio(q)


@pytest.mark.parametrize(("engine", "threads"), [("openfhe", 1), ("fused", 0)])
def test_bad_engine_settings_are_refused(engine: str, threads: int) -> None:
    with pytest.raises(ParameterError):
        EncodedTable(np.ones((10, 4), dtype=np.float32), engine=engine, threads=threads)
    with pytest.raises(ParameterError, match="threads"):
        TableScorer(np.ones((10, 4), dtype=np.float32), threads=0)


def test_the_56_bit_profile_is_bit_identical_too() -> None:
    keys = SecretKeys.generate("ckks8192-s256-v1")
    loaded = EvaluationKeys.from_bytes(keys.evaluation_keys())
    table = np.random.default_rng(8).standard_normal((12_000, 16)).astype(np.float32)
    query = EncryptedQuery.from_bytes(encrypt_query(keys, np.ones(16)).wire)
    reference = EncodedTable(table, profile=keys.profile.name, engine="seal")
    fused = EncodedTable(table, profile=keys.profile.name, engine="fused")
    assert keys.runtime.data_modulus.bit_length() == 56
    assert fused.score(query, loaded) == reference.score(query, loaded)


def test_every_kernel_gives_the_same_bits(keys: SecretKeys, loaded_keys: EvaluationKeys) -> None:
    """The default kernel is checked against SEAL above; the others must agree with it bit for
    bit (the IFMA one only runs where the CPU has IFMA, and is refused elsewhere)."""
    rng = np.random.default_rng(9)
    table = (rng.standard_normal((9_000, 48)) / 7).astype(np.float32)
    table[:, 3] = 0  # a zero diagonal: skipped plaintexts
    fused = EncodedTable(table, engine="fused")
    query = EncryptedQuery.from_bytes(encrypt_query(keys, rng.standard_normal(48)).wire)
    rotations = fused.query_rotations(query, loaded_keys)
    expected = fused.inner_products(rotations)
    q = keys.runtime.data_modulus
    for kernel in KERNELS:
        got = np.empty_like(expected)
        if kernel == "ifma" and not host_has_ifma():
            with pytest.raises(ValueError, match="IFMA"):
                fused_inner_products(
                    rotations, fused.coefficients, fused.present, q, 0, fused.chunks, got,
                    kernel=kernel,
                )  # fmt: skip
            continue
        fused_inner_products(
            rotations, fused.coefficients, fused.present, q, 0, fused.chunks, got, kernel=kernel
        )
        assert np.array_equal(got, expected), kernel


def test_the_fastest_kernel_this_cpu_has_is_chosen() -> None:
    q52, q56 = (1 << 52) - 4095, (1 << 56) - 5
    assert choose_kernel(q52) == ("ifma" if host_has_ifma() else "split26")
    assert choose_kernel(q52, allow_ifma=False) == "split26"
    assert choose_kernel(q56) == "split28"
    with pytest.raises(ValueError, match="modulus"):
        choose_kernel(1 << 56)
    empty = np.zeros((1, 1, 1, 8), dtype=np.uint64)
    with pytest.raises(ValueError, match="kernel must be one of"):
        fused_inner_products(
            np.zeros((1, 2, 8), dtype=np.uint64), empty, np.ones((1, 1, 1), dtype=np.bool_),
            q52, 0, 1, np.zeros((1, 1, 2, 8), dtype=np.uint64), kernel="avx9000",
        )  # fmt: skip
    with pytest.raises(ValueError, match="split26"):
        fused_inner_products(
            np.zeros((1, 2, 8), dtype=np.uint64), empty, np.ones((1, 1, 1), dtype=np.bool_),
            q56, 0, 1, np.zeros((1, 1, 2, 8), dtype=np.uint64), kernel="split26",
        )  # fmt: skip
