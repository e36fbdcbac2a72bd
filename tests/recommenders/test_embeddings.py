"""Tests of the title embedder and its SQLite cache."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import numpy as np
import pytest

from recommenders.embeddings import (
    CACHE_FILENAME,
    EMBEDDING_DIM,
    MODEL_ID,
    Embedder,
    EmbeddingCache,
    EmbeddingError,
    TextEmbedder,
    bundled_model_path,
)

from .conftest import network_blocked


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(EMBEDDING_DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def test_cache_round_trip_is_exact_and_per_model(tmp_path):
    cache = EmbeddingCache(tmp_path)
    a, b = unit(1), unit(2)
    cache.store("model-a", {"tea pot": a, "kettle": b})

    found = cache.lookup("model-a", ["tea pot", "kettle", "mug", "tea pot"])
    assert set(found) == {"tea pot", "kettle"}
    np.testing.assert_array_equal(found["tea pot"], a)
    np.testing.assert_array_equal(found["kettle"], b)
    assert found["tea pot"].dtype == np.float32
    # The same text under another model id is a different key.
    assert cache.lookup("model-b", ["tea pot"]) == {}
    # A second cache object on the same directory sees the stored vectors.
    np.testing.assert_array_equal(
        EmbeddingCache(tmp_path).lookup("model-a", ["kettle"])["kettle"], b
    )


def test_cache_handles_more_texts_than_one_query_takes(tmp_path):
    cache = EmbeddingCache(tmp_path)
    vectors = {f"title {i}": unit(i) for i in range(1234)}
    cache.store(MODEL_ID, vectors)
    found = cache.lookup(MODEL_ID, list(vectors))
    assert len(found) == 1234
    np.testing.assert_array_equal(found["title 1000"], vectors["title 1000"])


def test_cache_forgets_texts_under_every_model(tmp_path):
    cache = EmbeddingCache(tmp_path)
    vector = np.ones(EMBEDDING_DIM, dtype=np.float32)
    cache.store("model-a", {"kettle": vector, "teapot": vector})
    cache.store("model-b", {"kettle": vector})
    assert cache.forget(["kettle", "never cached"]) == 2
    assert set(cache.lookup("model-a", ["kettle", "teapot"])) == {"teapot"}
    assert cache.lookup("model-b", ["kettle"]) == {}


def test_cache_file_is_private(tmp_path):
    EmbeddingCache(tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / CACHE_FILENAME).st_mode)
    assert mode & 0o077 == 0


def test_cache_rejects_wrong_shape_and_treats_bad_rows_as_misses(tmp_path):
    cache = EmbeddingCache(tmp_path)
    with pytest.raises(ValueError, match="shape"):
        cache.store(MODEL_ID, {"short": np.ones(3, dtype=np.float32)})
    EmbeddingCache(tmp_path, dim=3).store(MODEL_ID, {"short": np.ones(3, dtype=np.float32)})
    assert cache.lookup(MODEL_ID, ["short"]) == {}


def test_corrupt_cache_file_gives_a_clear_error(tmp_path):
    (tmp_path / CACHE_FILENAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(EmbeddingError, match="delete it"):
        EmbeddingCache(tmp_path)


def test_text_embedder_serves_cached_titles_without_loading_the_model(tmp_path):
    vectors = {"WHITE METAL LANTERN": unit(3), "Dune": unit(4)}
    EmbeddingCache(tmp_path).store(MODEL_ID, vectors)
    embedder = TextEmbedder(cache_dir=tmp_path)

    out = embedder.embed(["Dune", "WHITE METAL LANTERN", "Dune"])

    assert out.shape == (3, EMBEDDING_DIM)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0], vectors["Dune"])
    np.testing.assert_array_equal(out[2], vectors["Dune"])
    np.testing.assert_array_equal(out[1], vectors["WHITE METAL LANTERN"])
    assert not embedder.model_loaded


def test_text_embedder_input_checks(tmp_path):
    embedder = TextEmbedder(cache_dir=tmp_path)
    assert embedder.embed([]).shape == (0, EMBEDDING_DIM)
    with pytest.raises(TypeError, match="single string"):
        embedder.embed("Dune")
    with pytest.raises(TypeError, match="not str"):
        embedder.embed(["Dune", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="batch_size"):
        TextEmbedder(batch_size=0)
    assert not embedder.model_loaded


def test_text_embedder_satisfies_the_protocol():
    embedder: Embedder = TextEmbedder()
    assert embedder.model_id == MODEL_ID


@pytest.mark.slow
def test_real_model_embeds_offline_and_puts_related_titles_closer(real_embedder):
    titles = [
        "Harry Potter and the Philosopher's Stone",
        "Harry Potter and the Chamber of Secrets",
        "WHITE METAL LANTERN",
        "set of 3 cake tins pantry design",
    ]
    out = real_embedder.embed(titles)

    assert out.shape == (4, EMBEDDING_DIM)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    sim = out @ out.T
    assert sim[0, 1] > sim[0, 2] + 0.2
    assert sim[0, 1] > sim[0, 3] + 0.2
    # Batching does not change the result.
    np.testing.assert_allclose(real_embedder.embed(titles[1:2])[0], out[1], atol=1e-6)


@pytest.mark.slow
def test_real_model_results_are_cached_on_disk(real_embedder, tmp_path):
    fresh = TextEmbedder(cache_dir=tmp_path)
    computed = fresh.embed(["The Hobbit", "RED RETROSPOT CAKE STAND"])
    np.testing.assert_allclose(
        computed, real_embedder.embed(["The Hobbit", "RED RETROSPOT CAKE STAND"]), atol=1e-6
    )

    reopened = TextEmbedder(cache_dir=tmp_path)
    np.testing.assert_array_equal(reopened.embed(["RED RETROSPOT CAKE STAND"])[0], computed[1])
    assert not reopened.model_loaded


@pytest.mark.slow
def test_the_numpy_model_gives_sentence_transformers_vectors(monkeypatch):
    """The device's numpy MiniLM against the reference implementation of the same model."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    texts = [
        "Harry Potter and the Philosopher's Stone",
        "WHITE METAL LANTERN",
        "Ünïcode — café in 東京, naïve résumé!",
        "x",
        "Tamsin Greig reads Jane Austen: " + "a very long title that goes on " * 60,  # truncated
        "Radiohead — Paranoid Android",
    ]
    with network_blocked():
        reference = SentenceTransformer(
            str(bundled_model_path()), device="cpu", local_files_only=True
        ).encode(texts, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)
        ours = TextEmbedder(batch_size=4).embed(texts)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference, atol=2e-6)


def test_the_device_embeds_without_torch_or_transformers():
    """Loading torch and transformers took seconds of a cold round: the app uses neither."""
    code = (
        "import sys\n"
        "from recommenders.embeddings import TextEmbedder\n"
        "assert TextEmbedder().embed(['Dune']).shape == (1, 384)\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "sys.exit(f'imported {loaded}' if loaded else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
