"""Suite-wide fixtures: one title-embedding cache shared by every slow real-data test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real MiniLM embeddings are computed once per test session, then read from here."""
    return tmp_path_factory.mktemp("embedding-cache")
