"""Fixtures for recommenders tests: a deterministic fake embedder and an event factory."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from recommenders.activity import ActivityEvent, Category
from recommenders.embeddings import EMBEDDING_DIM, TextEmbedder

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


class FakeEmbedder:
    """Deterministic stand-in for the sentence model; records every text it is asked for.

    Texts in `vectors` get that vector (normalised); any other text a unit vector seeded by
    its hash, so equal texts always embed alike.
    """

    model_id = "fake-embedder"

    def __init__(self, vectors: Mapping[str, Sequence[float]] | None = None) -> None:
        self.vectors = dict(vectors or {})
        self.calls: list[list[str]] = []

    @property
    def seen(self) -> set[str]:
        return {text for call in self.calls for text in call}

    def vector(self, text: str) -> np.ndarray:
        if text in self.vectors:
            v = np.zeros(EMBEDDING_DIM)
            given = np.asarray(self.vectors[text], dtype=np.float64)
            v[: len(given)] = given
        else:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(EMBEDDING_DIM)
        return (v / np.linalg.norm(v)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return np.stack([self.vector(t) for t in texts])


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def now() -> datetime:
    return NOW


EventFactory = Callable[..., ActivityEvent]


@pytest.fixture
def make_event() -> EventFactory:
    """Build an ActivityEvent from a few keywords; `days_ago` is counted back from NOW."""

    def make(
        title: str = "A title",
        *,
        category: Category | str = Category.BOOKS,
        source: str = "test-shop",
        external_id: str | None = None,
        days_ago: float = 0.0,
        weight: float = 1.0,
    ) -> ActivityEvent:
        return ActivityEvent(
            category=Category(category),
            source=source,
            title=title,
            external_id=external_id,
            time=NOW - timedelta(days=days_ago),
            weight=weight,
        )

    return make


@contextmanager
def network_blocked() -> Iterator[None]:
    """Make any attempt to open a network connection fail loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture
def embedder_with() -> Callable[[Mapping[str, Sequence[float]]], FakeEmbedder]:
    """A fake embedder that gives the listed titles the listed (padded, normalised) vectors."""
    return FakeEmbedder


@pytest.fixture(scope="session")
def real_embedder(embedding_cache_dir: Path) -> TextEmbedder:
    """The real model, loaded once, with the network cut while it loads."""
    embedder = TextEmbedder(cache_dir=embedding_cache_dir)
    with network_blocked():
        embedder.embed(["warm-up"])
    assert embedder.model_loaded
    return embedder
