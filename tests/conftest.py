"""Suite-wide fixtures: one title-embedding cache shared by every slow real-data test, and the
market's database (a SQLite file, or a throwaway schema on the local PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import POSTGRES_URL, throwaway_schema

# `make test` runs the suite in two pytest-xdist workers (--dist loadgroup); each worker has
# its own session fixtures, so the tests that embed real titles share one worker and its cache.
EMBEDDING_GROUP = "title-embeddings"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "embedding_cache_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(EMBEDDING_GROUP))


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real MiniLM embeddings are computed once per test session, then read from here."""
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A market database URL: once a real SQLite file, once a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'market.sqlite3'}"
        return
    with throwaway_schema(POSTGRES_URL, "privrec_test") as url:
        yield url
