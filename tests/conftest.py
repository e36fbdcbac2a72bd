"""Suite-wide fixtures: one title-embedding cache shared by every slow real-data test, and the
market's database (a SQLite file, or a throwaway schema on the local PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import POSTGRES_URL, throwaway_schema

# `make test` runs the suite in two pytest-xdist workers (--dist loadgroup); each worker builds
# its own session and module fixtures. The slow ones are meant to be built once: the tests that
# share a session fixture below are marked for one worker, and so are the tests of a module with
# a module-scoped fixture of its own (the market-abuse and economy-attack runs take minutes).
# Under pytest 9.2 the marks have no effect: pytest-xdist 3.8 puts the group into `_nodeid`,
# which pytest 9.2 no longer reads; and this hook runs after xdist's, too late even before.
SHARED_SESSION_FIXTURES = {"web_market": "web-market", "embedding_cache_dir": "title-embeddings"}


def _shared_setup_group(item: pytest.Item) -> str | None:
    names = getattr(item, "fixturenames", ())
    for fixture, group in SHARED_SESSION_FIXTURES.items():
        if fixture in names:
            return group
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in names:
        for definition in definitions.get(name, ()):
            if definition.scope == "module" and definition.baseid == item.nodeid.split("::")[0]:
                return f"module:{definition.baseid}"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue  # a test module's own grouping comes first (test_packaging's single build)
        group = _shared_setup_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


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
