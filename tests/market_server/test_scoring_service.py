"""The scoring cache: tables evicted by bytes (least recently used first), a table larger than
the whole budget refused, an evicted table never closed under a query, a model retired while it
is scored failing its queued queries fast (on a real server, SQLite and PostgreSQL), and no
shared-memory segment outliving its table (evicted, retired, a dead worker, server shutdown)."""

from __future__ import annotations

import base64
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest

from client_app.developer import DeveloperClient
from crypto import (
    EvaluationKeys,
    ScorerClosed,
    SecretKeys,
    TableScorer,
    encoded_table_bytes,
    encrypt_query,
)
from crypto._shared_memory import SEGMENT_PREFIX
from market_server.core.config import MIB
from market_server.scoring import (
    ItemLoader,
    ModelRetired,
    Scorer,
    ScoringFailed,
    ScoringService,
    TableTooLarge,
)
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle
from tests.live_server import LiveServer
from tests.market_server.conftest import MARKET_KEY


def loader(d: int, seed: int = 0) -> ItemLoader:
    """A 10-row table of dimension d."""
    table = np.random.default_rng(seed).standard_normal((10, d)).astype(np.float32)
    return lambda: table


def service(*, workers: int, max_tables: int, max_table_bytes: int) -> ScoringService:
    return ScoringService(
        workers=workers,
        max_tables=max_tables,
        max_table_bytes=max_table_bytes,
        max_request_item_dims=10**9,
        timeout_s=30,
    )


SHM = Path("/dev/shm")


def segments_of(pid: int) -> list[str]:
    """Shared-memory segments of tables owned by process ``pid`` (their names carry it)."""
    return sorted(p.name for p in SHM.glob(f"{SEGMENT_PREFIX}{pid}-*"))


@pytest.fixture(scope="module")
def keys() -> tuple[SecretKeys, EvaluationKeys]:
    secret = SecretKeys.generate()
    return secret, EvaluationKeys.from_bytes(secret.evaluation_keys())


def test_tables_are_evicted_by_bytes_least_recently_used_first() -> None:
    assert encoded_table_bytes(10, 64) == 2 * MIB
    scoring = service(workers=0, max_tables=16, max_table_bytes=5 * MIB)
    for model_id in (1, 2):
        with scoring.table(model_id, loader(64, model_id)):
            pass
    with scoring.table(1, loader(64, 1)):  # 1 is now the most recently used
        pass
    with scoring.table(3, loader(64, 3)):
        pass
    assert scoring.cached_models() == [1, 3] and scoring.cached_bytes == 4 * MIB
    with scoring.table(4, loader(32, 4)):  # 1 MiB: fits beside the other two
        pass
    assert scoring.cached_models() == [1, 3, 4] and scoring.cached_bytes == 5 * MIB
    scoring.close()


def test_a_table_larger_than_the_whole_budget_is_refused() -> None:
    scoring = service(workers=0, max_tables=16, max_table_bytes=3 * MIB)
    with pytest.raises(TableTooLarge) as refused, scoring.table(7, loader(128)):
        pass
    assert str(refused.value) == (
        "model 7: an item table of 10 x 128 takes 4194304 bytes once encoded, more than this "
        "market's scoring memory budget of 3145728 bytes"
    )
    assert scoring.cached_models() == [] and scoring.cached_bytes == 0


def test_an_evicted_table_serves_the_query_holding_it_then_closes(
    keys: tuple[SecretKeys, EvaluationKeys],
) -> None:
    secret, evaluation = keys
    query = encrypt_query(secret, np.ones(64)).wire
    scoring = service(workers=1, max_tables=1, max_table_bytes=64 * MIB)
    try:
        with scoring.table(1, loader(64, 1)) as held:
            with scoring.table(2, loader(64, 2)) as second:  # evicts 1 (one table at most)
                pass
            assert scoring.cached_models() == [2]
            assert held.score(query, evaluation)  # still open while a query holds it
            assert segments_of(os.getpid()) == sorted(
                local(held).segment_names + local(second).segment_names
            )
        assert segments_of(os.getpid()) == local(second).segment_names  # 1's went with it
        with pytest.raises(ScorerClosed):  # closed once the last query let it go
            held.score(query, evaluation)
    finally:
        scoring.close()


def test_a_retired_model_is_never_scored_again(keys: tuple[SecretKeys, EvaluationKeys]) -> None:
    secret, evaluation = keys
    query = encrypt_query(secret, np.ones(8)).wire
    scoring = service(workers=0, max_tables=4, max_table_bytes=64 * MIB)
    assert scoring.score_blocking(1, loader(8), query, evaluation)
    scoring.drop(1)
    assert scoring.cached_models() == []
    with pytest.raises(ModelRetired, match="model 1 has been retired"):
        scoring.score_blocking(1, loader(8), query, evaluation)


def test_a_rejected_model_can_be_scored_again_from_its_new_table(
    keys: tuple[SecretKeys, EvaluationKeys],
) -> None:
    # A rejected name@version is redeployed under the same id: only the old table may go.
    secret, evaluation = keys
    query = encrypt_query(secret, np.ones(8)).wire
    scoring = service(workers=0, max_tables=4, max_table_bytes=64 * MIB)
    assert scoring.score_blocking(1, loader(8), query, evaluation)
    scoring.drop(1, retired=False)
    assert scoring.cached_models() == []
    assert scoring.score_blocking(1, loader(8), query, evaluation)
    assert scoring.cached_models() == [1]


@dataclass
class OneModelMarket:
    server: LiveServer
    http: httpx.Client
    developer: DeveloperClient
    user: SignedClient
    model_id: int
    body: dict[str, object]  # a recommendation request for the model, answered once already


@contextmanager
def one_model_market(
    tmp_path: Path, database_url: str, *, n: int, d: int, extra_env: dict[str, str] | None = None
) -> Iterator[OneModelMarket]:
    """A live market with one deployed n x d model and a funded user who has asked it once."""
    with (
        LiveServer(
            data_dir=tmp_path / "market",
            database_url=database_url,
            market_key=MARKET_KEY,
            extra_env=extra_env,
        ) as server,
        httpx.Client(base_url=server.url, timeout=120) as http,
        DeveloperClient(server.url) as developer,
    ):
        developer.sign_up("acme")
        developer.faucet()
        bundle = pack_bundle(make_bundle(tmp_path, n=n, d=d, name="shelf"))
        stake = 10 + (n * d >> 20)  # the minimum, plus one credit per 2^20 cells (the default)
        model_id = developer.wait_until_settled(developer.deploy(bundle, stake=stake, bid=0).id).id
        user = SignedClient(http)
        assert user.register().status_code == 201
        user.fund_budget()
        secret = SecretKeys.generate()
        key_id = user.request(
            "POST", "/v1/users/me/evaluation-keys", content=secret.evaluation_keys()
        ).json()["id"]
        query = base64.b64encode(encrypt_query(secret, np.ones(d)).wire).decode()
        body: dict[str, object] = {
            "evaluation_key_id": key_id,
            "queries": [{"model_id": model_id, "query": query}],
        }
        warm = user.request("POST", "/v1/recommendations", json_body=body)
        assert warm.status_code == 200, warm.text
        yield OneModelMarket(server, http, developer, user, model_id, body)


CONCURRENT = 16


def test_retiring_a_model_while_it_is_scored_fails_its_queued_requests_fast(
    tmp_path: Path, database_url: str
) -> None:
    """Regression: queued requests of a retired model waited out the 30 s scoring timeout."""
    settings = {
        "PRIVREC_SCORING_TIMEOUT_S": "40",
        "PRIVREC_QUERIES_PER_MODEL_PER_EPOCH": str(CONCURRENT),
    }
    with one_model_market(tmp_path, database_url, n=60_000, d=64, extra_env=settings) as market:
        user, developer, model_id, body = (
            market.user,
            market.developer,
            market.model_id,
            market.body,
        )

        def ask(_: int) -> tuple[int, str, float]:
            answer = user.request("POST", "/v1/recommendations", json_body=body)
            detail = "" if answer.status_code == 200 else answer.json()["detail"]
            return answer.status_code, detail, time.monotonic()

        with ThreadPoolExecutor(CONCURRENT) as pool:
            asked = [pool.submit(ask, i) for i in range(CONCURRENT - 1)]
            # Once one is answered the others are being scored or queued on the one worker.
            wait(asked, return_when=FIRST_COMPLETED)
            developer._call("POST", f"/v1/models/{model_id}/retire")
            retired_at = time.monotonic()
            outcomes = [future.result() for future in asked]
        assert max(at for _, _, at in outcomes) - retired_at < 15
        statuses = {status for status, _, _ in outcomes}
        assert statuses <= {200, 404, 410} and 410 in statuses, outcomes
        # Those queued on the worker when it closed: the case that used to hang.
        assert (
            f"model {model_id} was retired while your query waited: ask the live models "
            "again (nothing was charged)"
        ) in {detail for _, detail, _ in outcomes}
        leaderboard = market.http.get("/v1/leaderboard").json()
        assert leaderboard[0]["impressions"] == 1 + statuses_count(outcomes, 200)


def local(scorer: Scorer) -> TableScorer:
    assert isinstance(scorer, TableScorer)  # the local pool: no Ray cluster configured
    return scorer


def statuses_count(outcomes: list[tuple[int, str, float]], status: int) -> int:
    return sum(1 for s, _, _ in outcomes if s == status)


def test_retired_and_closed_tables_leave_no_shared_segment() -> None:
    scoring = service(workers=1, max_tables=4, max_table_bytes=64 * MIB)
    try:
        with scoring.table(1, loader(64, 1)) as first, scoring.table(2, loader(64, 2)) as second:
            assert len(local(first).segment_names) == len(local(second).segment_names) == 1
        scoring.drop(1)
        assert segments_of(os.getpid()) == local(second).segment_names
    finally:
        scoring.close()
    assert segments_of(os.getpid()) == []


def test_a_dead_worker_fails_one_query_then_its_table_serves_again(
    keys: tuple[SecretKeys, EvaluationKeys],
) -> None:
    secret, evaluation = keys
    query = encrypt_query(secret, np.ones(8)).wire
    scoring = service(workers=1, max_tables=4, max_table_bytes=64 * MIB)
    try:
        assert scoring.score_blocking(1, loader(8), query, evaluation)
        with scoring.table(1, loader(8)) as scorer:
            (pool,) = local(scorer)._pools
            os.kill(next(iter(pool._processes or {})), signal.SIGKILL)
        with pytest.raises(ScoringFailed, match="model 1: a scoring worker process died"):
            for _ in range(50):  # until the pool notices the death
                scoring.score_blocking(1, loader(8), query, evaluation)
                time.sleep(0.1)
        assert scoring.score_blocking(1, loader(8), query, evaluation)
        assert scoring.cached_models() == [1]  # its shards outlived the worker: not re-encoded
    finally:
        scoring.close()
    assert segments_of(os.getpid()) == []


def children(pid: int) -> list[int]:
    """Live child processes of ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_live_market_answers_503_when_a_worker_dies_and_unlinks_its_tables_at_shutdown(
    tmp_path: Path,
) -> None:
    sqlite = f"sqlite:///{tmp_path / 'market.sqlite3'}"
    with one_model_market(tmp_path, sqlite, n=5000, d=16) as market:
        user, body = market.user, market.body
        assert market.server.process is not None
        server_pid = market.server.process.pid
        (segment,) = segments_of(server_pid)
        (worker,) = [  # the table's scoring worker: the child mapping its shard
            pid for pid in children(server_pid) if segment in Path(f"/proc/{pid}/maps").read_text()
        ]
        os.kill(worker, signal.SIGKILL)
        statuses = []
        for _ in range(20):
            answer = user.request("POST", "/v1/recommendations", json_body=body)
            statuses.append(answer.status_code)
            if answer.status_code == 503:
                assert "a scoring worker process died" in answer.json()["detail"]
                break
            time.sleep(0.2)
        assert statuses[-1] == 503, statuses
        assert user.request("POST", "/v1/recommendations", json_body=body).status_code == 200
        assert len(segments_of(server_pid)) == 1
    assert segments_of(server_pid) == []
