"""What a background training pass (the worker's training thread) shares with the long jobs
running beside it: the local store, the SDK's market client and the embedding model, each used
from two threads at once, for real (the model cache: test_big_catalog.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from client_app.market import MarketClient
from client_app.sdk import PrivrecClient
from client_app.training_consent import TrainingConsent
from recommenders.activity import ActivityEvent, Category
from recommenders.embeddings import TextEmbedder
from tests.live_server import free_port

START = datetime(2026, 1, 1, tzinfo=UTC)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls on threads started together; their results (or exceptions), in order."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait(timeout=10)
        try:
            results[index] = call()
        except Exception as error:  # returned to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_one_market_client_whatever_thread_asks_first(tmp_path: Path) -> None:
    # Nothing is sent: an address nobody answers at.
    client = PrivrecClient(tmp_path / "app", market_url=f"http://127.0.0.1:{free_port()}")
    try:
        client.create_identity()
        made = at_once(*[lambda: client.market] * 8)
    finally:
        client.close()
    assert all(isinstance(market, MarketClient) for market in made), made
    assert all(market is made[0] for market in made)  # none made twice, none left unclosed


def test_a_training_pass_writes_while_an_import_writes(tmp_path: Path) -> None:
    """An import writes its events in one transaction; a pass meanwhile records its draw, its
    ε charge and its outcome: each waits for the other's write (SQLite's lock, WAL), none
    fails, nothing is lost."""
    client = PrivrecClient(tmp_path / "app", market_url=f"http://127.0.0.1:{free_port()}")
    consent = TrainingConsent(client.store)
    consent.set_opted_in("books", True)
    events = [
        ActivityEvent(Category.BOOKS, "goodreads", f"Book {i}", None, START + timedelta(i))
        for i in range(20_000)
    ]

    def training_pass() -> int:
        for run in range(20):
            client.store.set_setting("training.drawn_rounds", {f"run-{run}": run})
            consent.record(7, f"run-{run}", ["books"], 0.1, 1e-5)
            client.store.set_setting("training.last_background_pass", {"run": run})
        return len(consent.history())

    try:
        imported, recorded = at_once(lambda: client.store.add_events(events, "test"), training_pass)
        stored = client.store.get_setting("training.last_background_pass")
        counted = sum(state.events for state in client.categories())
    finally:
        client.close()
    assert getattr(imported, "added", None) == 20_000, imported
    assert recorded == 20 and stored == {"run": 19}
    assert counted == 20_000


def test_the_embedding_model_embeds_from_two_threads_at_once(tmp_path: Path) -> None:
    """Recommendations and a pass's training examples embed titles with one model: its
    tokenizer and numpy forward pass are shared, read-only, and give each thread its own
    vectors (a lock would only make one wait for the other)."""
    titles = [[f"Title {i} of list {n}, {'long ' * (i % 9)}" for i in range(24)] for n in range(2)]
    alone = TextEmbedder()  # no cache: every call runs the model
    expected = [alone.embed(batch) for batch in titles]
    shared = TextEmbedder()
    repeats = 3
    calls = [
        (lambda batch=batch: [shared.embed(batch) for _ in range(repeats)]) for batch in titles
    ]
    results = at_once(*calls)
    for vectors, wanted in zip(results, expected, strict=True):
        assert isinstance(vectors, list), vectors
        for each in vectors:
            np.testing.assert_allclose(each, wanted, atol=1e-5)
