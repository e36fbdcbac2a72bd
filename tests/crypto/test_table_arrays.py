"""A fused table rebuilt from another's plain arrays (how a shard travels to a Ray actor)
scores to the same bytes, and arrays of the wrong shape or type are refused."""

from __future__ import annotations

import numpy as np
import pytest

from crypto import (
    EncodedTable,
    EncryptedQuery,
    EvaluationKeys,
    ParameterError,
    SecretKeys,
    encrypt_query,
)


def test_a_table_from_its_arrays_scores_the_same(keys: SecretKeys, eval_keys: bytes) -> None:
    items = np.random.default_rng(3).normal(size=(5000, 12)).astype(np.float32)
    table = EncodedTable(items, engine="fused")
    copy = EncodedTable.from_arrays(
        table.coefficients.copy(),
        table.present.copy(),
        items=5000,
        dim=12,
        score_scale=table.score_scale,
        threads=2,
    )
    assert copy.encoded_bytes == table.encoded_bytes
    query = EncryptedQuery.from_bytes(encrypt_query(keys, np.ones(12)).wire)
    loaded = EvaluationKeys.from_bytes(eval_keys)
    assert copy.score(query, loaded) == table.score(query, loaded)


def test_arrays_of_another_shape_are_refused() -> None:
    table = EncodedTable(np.eye(8, dtype=np.float32), engine="fused")
    coefficients, present = table.coefficients, table.present

    def rebuild(
        coefficients: np.ndarray = coefficients,
        present: np.ndarray = present,
        dim: int = 8,
        score_scale: float = 1.0,
        threads: int = 1,
    ) -> EncodedTable:
        return EncodedTable.from_arrays(
            coefficients, present, items=8, dim=dim, score_scale=score_scale, threads=threads
        )

    assert rebuild().encoded_bytes == table.encoded_bytes
    with pytest.raises(ParameterError, match="coefficients must be"):
        rebuild(dim=16)  # another packing plan
    with pytest.raises(ParameterError, match="coefficients must be"):
        rebuild(coefficients=coefficients.astype(np.int64))
    with pytest.raises(ParameterError, match="present must be"):
        rebuild(present=present[:, :, :1])
    with pytest.raises(ParameterError, match="score scale"):
        rebuild(score_scale=float("nan"))
    with pytest.raises(ParameterError, match="threads"):
        rebuild(threads=0)
