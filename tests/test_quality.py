"""Reference models score the same in plaintext and through the crypto engine (slow, real data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.quality import encrypted_scores, user_vectors
from recommenders.bundle import load_bundle
from recommenders.embeddings import TextEmbedder
from recommenders.evaluation import evaluate
from recommenders.features import FEATURE_SCHEMA_VERSION
from recommenders.reference import build_reference_model
from recommenders.tasks import retail_task
from recommenders.training_examples import TitleTable


@pytest.mark.slow
def test_encrypted_evaluation_agrees_with_plaintext(
    embedding_cache_dir: Path, tmp_path: Path
) -> None:
    task = retail_task()
    embedder = TextEmbedder(embedding_cache_dir)
    built = build_reference_model("retail-content", embedder=embedder, task=task)
    bundle = load_bundle(built.save(tmp_path / "content"), feature_schema=FEATURE_SCHEMA_VERSION)
    users = task.split.test_users()[:400]
    vectors = user_vectors(bundle, task, users, TitleTable(list(task.catalog.titles), embedder))
    plain = vectors @ bundle.items.astype(np.float64).T
    encrypted = encrypted_scores(bundle.items, vectors)
    position = {int(user): row for row, user in enumerate(users.tolist())}
    subset = task.split.test.select(np.isin(task.split.test.users, users))
    split = type(task.split)(train=task.split.train, test=subset)

    def recall(scores: np.ndarray) -> float:
        lookup = lambda batch, _: scores[[position[int(u)] for u in batch]]  # noqa: E731
        return evaluate(lookup, split, task.items).recall

    plain_recall, encrypted_recall = recall(plain), recall(encrypted)
    assert plain_recall > 0.01  # the content model does find some of the next basket
    assert abs(plain_recall - encrypted_recall) <= 0.002
