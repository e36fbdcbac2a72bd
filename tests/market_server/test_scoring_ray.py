"""Scoring on a real local Ray cluster (a head and a second node, separate processes): the same
bytes as the local process pool, a killed actor restarted with its shard, a stalled one timing
out instead of hanging, and a live market serving a round through the cluster."""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import ray

from client_app.sdk import PrivrecClient
from crypto import (
    EvaluationKeys,
    InvalidCiphertext,
    ParameterError,
    PreparedQuery,
    ScorerClosed,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encrypt_query,
)
from crypto.table_scorer import SHARD_ITEMS, plan_shards
from market_server import scoring_ray
from market_server.scoring_ray import RayTableScorer
from recommenders.activity import Category
from tests.end_to_end_helpers import events
from tests.factories import ModelSpec, deploy_models
from tests.live_server import LiveServer, free_port
from tests.ray_cluster import LocalRayCluster, local_ray_cluster
from tests.recommenders.conftest import FakeEmbedder

DIM = 24
ITEMS = 20_000  # three chunks: two shards, one on each node
TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalRayCluster]:
    with local_ray_cluster(nodes=2, cpus_per_node=1) as local:
        scoring_ray.connect(local.address)
        try:
            yield local
        finally:
            scoring_ray.disconnect()


@pytest.fixture(scope="module")
def ray_address(cluster: LocalRayCluster) -> str:
    return cluster.address


@pytest.fixture(scope="module")
def keys() -> SecretKeys:
    return SecretKeys.generate()


@pytest.fixture(scope="module")
def evaluation_keys(keys: SecretKeys) -> EvaluationKeys:
    return EvaluationKeys.from_bytes(keys.evaluation_keys())


@pytest.fixture(scope="module")
def items() -> np.ndarray:
    return np.random.default_rng(7).normal(size=(ITEMS, DIM)).astype(np.float32)


@pytest.fixture(scope="module")
def query(keys: SecretKeys) -> tuple[PreparedQuery, np.ndarray]:
    user = np.random.default_rng(8).normal(size=DIM)
    return encrypt_query(keys, user), user


@pytest.fixture(scope="module")
def local_response(
    items: np.ndarray, query: tuple[PreparedQuery, np.ndarray], evaluation_keys: EvaluationKeys
) -> bytes:
    """The local pool's answer, sharded as the cluster's (two workers, two shards)."""
    with TableScorer(items, workers=2) as local:
        return local.score(query[0].wire, evaluation_keys)


@pytest.fixture(scope="module")
def scorer(ray_address: str, items: np.ndarray) -> Iterator[RayTableScorer]:
    with RayTableScorer(items, actors=2) as ray_scorer:
        yield ray_scorer


def test_the_cluster_answers_with_the_local_pools_bytes(
    scorer: RayTableScorer,
    items: np.ndarray,
    keys: SecretKeys,
    evaluation_keys: EvaluationKeys,
    query: tuple[PreparedQuery, np.ndarray],
    local_response: bytes,
) -> None:
    prepared, user = query
    response = scorer.score(prepared.wire, evaluation_keys, timeout=TIMEOUT_S)
    assert response == local_response
    scores = decrypt_scores(keys, response, prepared)
    expected = items.astype(np.float64) @ user
    assert np.max(np.abs(scores - expected)) < 1e-3 * np.max(np.abs(expected))
    # Keys given as bytes are parsed once on the driver and give the same answer.
    assert scorer.score(prepared.wire, evaluation_keys.wire, timeout=TIMEOUT_S) == response
    # The two shards live on the two nodes, each its own process.
    named = ray.util.list_named_actors(all_namespaces=True)
    assert sum(a["name"].startswith(scoring_ray.ACTOR_PREFIX) for a in named) == 2
    nodes = {node["NodeID"] for node in ray.nodes() if node["Alive"]}  # type: ignore[no-untyped-call]
    assert len(nodes) == 2
    assert scorer.workers == 2
    assert len(set(scorer.actor_pids())) == 2
    # The same pieces held by one actor (no re-encoding) answer with the same bytes.
    with scorer.with_actors(1) as single:
        assert single.workers == 1
        assert single.score(prepared.wire, evaluation_keys, timeout=TIMEOUT_S) == response


def test_a_killed_actor_is_restarted_with_its_shard(
    scorer: RayTableScorer,
    evaluation_keys: EvaluationKeys,
    query: tuple[PreparedQuery, np.ndarray],
    local_response: bytes,
) -> None:
    prepared = query[0]
    victim = scorer.actor_pids()[1]
    outcome: list[object] = []
    timeout = 20.0

    def ask() -> None:
        started = time.monotonic()
        try:
            outcome.append(scorer.score(prepared.wire, evaluation_keys, timeout=timeout))
        except TimeoutError as error:
            outcome.append(error)
        outcome.append(time.monotonic() - started)

    asking = threading.Thread(target=ask)
    asking.start()
    os.kill(victim, signal.SIGKILL)  # the worker process dies with the request in flight
    asking.join(timeout + 10)
    assert not asking.is_alive()
    answer, took = outcome
    # Asked again on the restarted actor within the timeout, or a clear timeout; never a hang.
    assert answer == local_response or isinstance(answer, TimeoutError)
    assert isinstance(took, float) and took < timeout + 2
    # The next request is served by the restarted actor, its shard reloaded.
    assert scorer.score(prepared.wire, evaluation_keys, timeout=TIMEOUT_S) == local_response
    assert victim not in scorer.actor_pids()


def test_a_stalled_shard_times_out_within_the_timeout(
    scorer: RayTableScorer,
    evaluation_keys: EvaluationKeys,
    query: tuple[PreparedQuery, np.ndarray],
    local_response: bytes,
) -> None:
    prepared = query[0]
    stalled = scorer.actor_pids()[0]
    os.kill(stalled, signal.SIGSTOP)  # as a node cut off by the network: alive, silent
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"did not finish within 2\.0 s"):
            scorer.score(prepared.wire, evaluation_keys, timeout=2.0)
        assert time.monotonic() - started < 4.0
    finally:
        os.kill(stalled, signal.SIGCONT)
    assert scorer.score(prepared.wire, evaluation_keys, timeout=TIMEOUT_S) == local_response


def test_bad_input_is_refused_before_it_reaches_the_cluster(
    ray_address: str,
    scorer: RayTableScorer,
    keys: SecretKeys,
    evaluation_keys: EvaluationKeys,
    items: np.ndarray,
) -> None:
    with pytest.raises(ParameterError, match="actors must be >= 1"):
        RayTableScorer(items, actors=0)
    with pytest.raises(ParameterError, match="finite"):
        RayTableScorer(np.full((10, DIM), np.nan, dtype=np.float32), actors=1)
    with pytest.raises(ParameterError, match=r"\(n, d\) matrix"):
        RayTableScorer(np.zeros(10, dtype=np.float32), actors=1)
    other_dim = encrypt_query(keys, np.ones(DIM + 1))
    with pytest.raises(InvalidCiphertext, match="dimension"):
        scorer.score(other_dim.wire, evaluation_keys, timeout=TIMEOUT_S)
    with pytest.raises(ParameterError, match="score noise"):
        scorer.score(other_dim.wire, evaluation_keys, score_noise=-1.0)


def test_an_unreachable_cluster_is_an_error_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(ConnectionError, match="does not answer"):
        scoring_ray.connect(f"127.0.0.1:{free_port()}", timeout_s=2)
    assert time.monotonic() - started < 5
    with pytest.raises(ValueError, match="host:port"):
        scoring_ray.connect("head-without-port")


def test_serve_with_an_unreachable_cluster_says_so(tmp_path: Path) -> None:
    dead = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "PRIVREC_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "privrec_cli", "market", "serve", "--port", "0"]
    served = subprocess.run(
        [*command, "--scoring-ray-address", dead],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 2
    assert f"error: the Ray cluster at {dead} does not answer" in served.stderr
    assert "Traceback" not in served.stderr


def test_a_closed_table_refuses_queries(
    ray_address: str, keys: SecretKeys, evaluation_keys: EvaluationKeys
) -> None:
    table = RayTableScorer(np.eye(DIM, dtype=np.float32), actors=1)
    table.close()
    with pytest.raises(ScorerClosed):
        table.score(encrypt_query(keys, np.ones(DIM)).wire, evaluation_keys, timeout=TIMEOUT_S)


def test_closing_a_table_under_a_query_ends_it(
    ray_address: str,
    items: np.ndarray,
    evaluation_keys: EvaluationKeys,
    query: tuple[PreparedQuery, np.ndarray],
    local_response: bytes,
) -> None:
    """As a model retired while its query is scored (the service answers 410 for it)."""
    table = RayTableScorer(items, actors=2)
    outcome: list[object] = []

    def ask() -> None:
        try:
            outcome.append(table.score(query[0].wire, evaluation_keys, timeout=TIMEOUT_S))
        except ScorerClosed as closed:
            outcome.append(closed)

    asking = threading.Thread(target=ask)
    asking.start()
    table.close()
    asking.join(TIMEOUT_S)
    assert not asking.is_alive()
    assert outcome[0] == local_response or isinstance(outcome[0], ScorerClosed)


def test_actors_hold_the_local_pools_shards() -> None:
    """Ray deals a table as the local pool does (one plan, plan_shards): per actor a run of
    whole-chunk pieces, each within one shard's limit."""
    chunk = 4096
    pieces = plan_shards(10_000_000, chunk, 4, SHARD_ITEMS)
    assert len(pieces) == 12  # 2,442 chunks, at most 256 in a piece, three for each actor
    assert [piece.worker for piece in pieces] == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert pieces[0].start == 0 and pieces[-1].stop == 10_000_000
    assert all(p.stop - p.start <= SHARD_ITEMS and p.start % chunk == 0 for p in pieces)
    assert all(a.stop == b.start for a, b in itertools.pairwise(pieces))
    assert [(p.start, p.stop) for p in plan_shards(100, chunk, 4, SHARD_ITEMS)] == [(0, 100)]
    assert len(plan_shards(3 * chunk, chunk, 2, SHARD_ITEMS)) == 2


def test_a_live_market_serves_a_round_from_the_cluster(tmp_path: Path, ray_address: str) -> None:
    books = ModelSpec("ray-books", "ray-labs", ("books",), 100, 5, seed=4)
    server = LiveServer(
        data_dir=tmp_path / "market",
        database_url=f"sqlite:///{tmp_path / 'market.sqlite3'}",
        market_key="3a" * 32,
        extra_env={
            "PRIVREC_SCORING_RAY_ADDRESS": ray_address,
            "PRIVREC_SCORING_WORKERS": "2",
            "PRIVREC_SCORING_TIMEOUT_S": "60",
        },
    )
    before = _shard_actors()
    with server:
        (tmp_path / "bundles").mkdir()
        deploy_models(server.url, tmp_path / "bundles", [books], items=9000, dim=8)
        user = PrivrecClient(tmp_path / "user", market_url=server.url, embedder=FakeEmbedder())
        try:
            user.create_identity()
            user.store.add_events(events(Category.BOOKS, "goodreads", "Dune", "Emma"), "test")
            user.set_opt_in("books", True)
            user.faucet()
            user.fund_budget(10)
            round_ = user.refresh()
        finally:
            user.close()
        # The market's table is held by two new actors on the cluster (9,000 items: 2 chunks).
        assert len(_shard_actors() - before) == 2
    assert [entry.model.name for entry in round_.lists] == [books.name]
    assert round_.lists[0].items


@pytest.mark.slow  # the cluster notices a lost node after ~15 s of missed heartbeats
def test_a_lost_node_times_out_then_its_shard_comes_back_elsewhere(
    cluster: LocalRayCluster,
    items: np.ndarray,
    evaluation_keys: EvaluationKeys,
    query: tuple[PreparedQuery, np.ndarray],
    local_response: bytes,
) -> None:
    """Last in this module: the cluster has one node fewer afterwards."""
    prepared = query[0]
    with RayTableScorer(items, actors=2) as table:
        assert table.score(prepared.wire, evaluation_keys, timeout=TIMEOUT_S) == local_response
        cluster.kill_node(1)  # a machine gone: its actor, and the piece encoded on it
        lost = time.monotonic()
        answer: bytes | None = None
        while answer is None and time.monotonic() - lost < 120:
            started = time.monotonic()
            with contextlib.suppress(TimeoutError):
                answer = table.score(prepared.wire, evaluation_keys, timeout=5.0)
            assert time.monotonic() - started < 7.0  # each request ends within its timeout
        # The actor restarted on the head and its piece was encoded again from its rows.
        assert answer == local_response


def _shard_actors() -> set[str]:
    return {
        actor["name"]
        for actor in ray.util.list_named_actors(all_namespaces=True)
        if actor["name"].startswith(scoring_ray.ACTOR_PREFIX)
    }
