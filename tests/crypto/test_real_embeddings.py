"""Top-10 agreement with plaintext on real title embeddings and real customers' profiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.he_scoring import real_embedding_case, top10_agreement
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
