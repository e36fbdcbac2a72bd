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
    arrays = {"coefficients": table.coefficients, "present": table.present}
    shape = {"items": 8, "dim": 8, "score_scale": 1.0}
    with pytest.raises(ParameterError, match="coefficients must be"):
        EncodedTable.from_arrays(**arrays, **{**shape, "dim": 16})  # another packing plan
    with pytest.raises(ParameterError, match="coefficients must be"):
        EncodedTable.from_arrays(table.coefficients.astype(np.int64), table.present, **shape)
    with pytest.raises(ParameterError, match="present must be"):
        EncodedTable.from_arrays(table.coefficients, table.present[:, :, :1], **shape)
    with pytest.raises(ParameterError, match="score scale"):
        EncodedTable.from_arrays(**arrays, **{**shape, "score_scale": float("nan")})
    with pytest.raises(ParameterError, match="threads"):
        EncodedTable.from_arrays(**arrays, **shape, threads=0)
