"""Top-10 agreement with plaintext on real tables: title embeddings with real customers'
profiles (slow), and a shipped model's item table through the switched-down response."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.he_scoring import (
    profile_queries,
    real_embedding_case,
    shipped_tables,
    top10_agreement,
    wire_case,
)
from crypto import SecretKeys, TableScorer, decrypt_scores, encrypt_query


@pytest.mark.slow
@pytest.mark.parametrize("dim", [32, 128])
def test_top10_agreement_on_real_embeddings(embedding_cache_dir: Path, dim: int) -> None:
    table, profiles = real_embedding_case(dim, queries=8, seed=3, cache_dir=embedding_cache_dir)
    assert table.shape[0] > 10_000  # every title of both shipped catalogs
    keys = SecretKeys.generate()
    eval_keys = keys.evaluation_keys()
    agreements = []
    with TableScorer(table) as scorer:
        for profile in profiles:
            query = encrypt_query(keys, profile)
            scores = decrypt_scores(keys, scorer.score(query.wire, eval_keys), query)
            agreements.append(top10_agreement(table.astype(np.float64) @ profile, scores))
    assert np.mean(agreements) >= 0.99


def test_the_switched_response_keeps_the_top_10_on_a_real_table(
    keys: SecretKeys, eval_keys: bytes
) -> None:
    """The shipped retail two-tower table (3,665 x 256, trained on real purchases): the
    response's switch down to 26 + 32 bits adds about 2e-6 rms (docs/crypto.md derives it)."""
    name, table = next(case for case in shipped_tables() if case[0] == "retail-two-tower")
    row = wire_case(name, table, profile_queries(table, 8, seed=5), keys, eval_keys)
    assert row["top10_agreement"] >= 0.99 and row["top10_agreement_unswitched"] >= 0.99
    assert row["max_rel_error"] < 1e-4
    added = np.sqrt(row["rms_rel_error"] ** 2 - row["rms_rel_error_unswitched"] ** 2)
    assert added < 4e-6
    assert row["response_bytes_per_item"] <= 29_696 / 3_665 + 1  # one padded ciphertext
