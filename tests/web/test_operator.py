"""The operator's endpoints against the real market of the web tests (its rounds were scored,
its epochs settled): liveness, readiness, and Prometheus metrics whose series are bounded by
route templates and model ids, never by what a client puts in a path or a method."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from client_app.local_market import MarketProcess
from market_server import crud
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.core.db import make_engine
from market_server.ledger_store import open_store
from market_server.web.templating import key_groups
from tests.live_server import worker_port
from tests.web.conftest import MODELS, WebMarket


def scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every sample of GET /metrics: name -> [(labels, value)]."""
    answer = httpx.get(f"{url}/metrics", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def test_alive_and_ready(web_market: WebMarket) -> None:
    assert httpx.get(f"{web_market.url}/healthz", timeout=30).json() == {"status": "ok"}
    ready = httpx.get(f"{web_market.url}/readyz", timeout=30)
    head = web_market.api("/v1/ledger/head")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "ledger": f"ok: {head['seq'] + 1} entries",
            "scoring": "ok",
        },
    }


def test_metrics_count_routes_models_cache_and_ledger(web_market: WebMarket) -> None:
    url = web_market.url
    for model_id in web_market.model_ids.values():
        assert httpx.get(f"{url}/v1/models/{model_id}", timeout=30).status_code == 200
    made_up = [f"/v1/models/{n}" for n in (999_001, 999_002)] + ["/nowhere/x1", "/nowhere/x2"]
    for path in made_up:
        assert httpx.get(f"{url}{path}", timeout=30).status_code == 404
    assert httpx.request("BREW", f"{url}/v1/market", timeout=30).status_code == 405

    samples = scrape(url)
    counts = {
        (labels["method"], labels["route"], labels["status"]): value
        for labels, value in samples["privrec_http_request_duration_seconds_count"]
    }
    # One series per route template: the model ids asked for, found or not, are not labels.
    assert counts["GET", "/v1/models/{model_id}", "2xx"] >= len(MODELS)
    assert counts["GET", "/v1/models/{model_id}", "4xx"] >= 2
    assert counts["GET", "(unmatched)", "4xx"] >= 2
    assert counts["OTHER", "/v1/market", "4xx"] >= 1
    routes = {route for _, route, _ in counts}
    assert not any("999" in route or "nowhere" in route for route in routes), routes
    assert "POST" in {method for method, _, _ in counts}  # the rounds and ratings

    # Every model the users asked was scored in the fixture's rounds: a histogram per model id.
    scored = {
        labels["model"]: value
        for labels, value in samples["privrec_scoring_duration_seconds_count"]
    }
    assert set(scored) == {str(web_market.model_ids[spec.name]) for spec in MODELS}
    assert all(count >= 1 for count in scored.values())
    (queue,) = samples["privrec_scoring_queue_depth"]
    assert queue[1] == 0  # nothing is being scored now
    (cache,) = samples["privrec_table_cache_bytes"]
    assert cache[1] > 0  # the scored models' tables stay cached
    (entries,) = samples["privrec_ledger_entries"]
    assert entries[1] == web_market.api("/v1/ledger/head")["seq"] + 1


def test_not_ready_when_the_database_is_gone(tmp_path: Path) -> None:
    data = tmp_path / "market"
    settings = Settings(
        mode="local", data_dir=data, database_url=f"sqlite:///{data / 'db' / 'market.sqlite3'}"
    )
    (data / "db").mkdir(parents=True)
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        # The database's directory disappears: no new connection can open it.
        app.state.engine.dispose()
        shutil.rmtree(data / "db")
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["status"] == "not ready"
        assert answer.json()["checks"]["database"].startswith("down: ")
        assert client.get("/healthz").status_code == 200  # alive, though not ready


def _answers_while_a_change_holds_the_lock(client: TestClient, lock: threading.Lock) -> bool:
    """Whether /metrics and /v1/market answer while this process's ledger lock is held (as it
    is for the whole of a change, a settlement included)."""
    answered: list[int] = []

    def read() -> None:
        answered.extend(client.get(path).status_code for path in ("/metrics", "/v1/market"))

    reader = threading.Thread(target=read, daemon=True)
    with lock:
        reader.start()
        reader.join(timeout=10)
        in_time = not reader.is_alive()
    reader.join()
    return in_time and answered == [200, 200]


def test_anonymous_reads_are_kept_per_ledger_head(tmp_path: Path) -> None:
    data = tmp_path / "market"
    settings = Settings(
        mode="local", data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}"
    )
    data.mkdir()
    app = create_app(settings)
    account = "user:" + "ab" * 32
    with TestClient(app) as client:
        store = app.state.ledger
        with Session(store.engine) as session:
            crud.mint(session=session, store=store, account=account, amount=5, memo="first")

        def entries() -> float:
            samples = text_string_to_metric_families(client.get("/metrics").text)
            gauge = next(family for family in samples if family.name == "privrec_ledger_entries")
            return gauge.samples[0].value

        assert entries() == 2  # the params entry and the mint
        # The head has not moved: neither call syncs nor waits for the change in progress.
        assert _answers_while_a_change_holds_the_lock(client, store._lock)

        # Another process appends (its own store on the same database): seen at once.
        other_engine = make_engine(settings.resolved_database_url)
        other = open_store(settings, other_engine)
        with Session(other_engine) as session:
            crud.mint(session=session, store=other, account=account, amount=7, memo="second")
            crud.settle(session=session, store=other, epoch=0)
        other_engine.dispose()
        ledger_length = len(client.get("/v1/ledger").text.splitlines())
        assert entries() == ledger_length > 3
        assert client.get("/v1/market").json()["epoch"] == 1
        assert client.get("/readyz").json()["checks"]["ledger"] == f"ok: {ledger_length} entries"
        assert _answers_while_a_change_holds_the_lock(client, store._lock)

        # And this process's own appends too.
        with Session(store.engine) as session:
            crud.mint(session=session, store=store, account=account, amount=9, memo="third")
        assert entries() == ledger_length + 1


def _workers_that_answered(directory: Path) -> set[str]:
    """The pids of the workers that timed a request (each writes its own histogram file)."""
    return {path.stem.removeprefix("histogram_") for path in directory.glob("histogram_*.db")}


def test_a_scrape_adds_up_every_worker(tmp_path: Path) -> None:
    temp, data = tmp_path / "tmp", tmp_path / "market"
    temp.mkdir()
    # Local mode with no key configured: the market makes its own, once for both workers.
    server = MarketProcess(
        data_dir=data,
        settings={
            "PRIVREC_DATABASE_URL": f"sqlite:///{data / 'market.sqlite3'}",
            "TMPDIR": str(temp),  # where the CLI makes its private metrics directory
        },
        workers=2,
        port=worker_port(18410),
        inherit_settings=False,
    )
    with server:
        (shared,) = temp.glob("privrec-metrics-*")
        assert shared.stat().st_mode & 0o777 == 0o700
        sent, keys, deadline = 0, set(), time.monotonic() + 60
        with ThreadPoolExecutor(8) as pool:
            # Connections in parallel, until both workers have answered some.
            while len(_workers_that_answered(shared)) < 2:
                assert time.monotonic() < deadline, "one worker answered every request"
                asked = pool.map(lambda _: httpx.get(f"{server.url}/v1/market"), range(16))
                keys |= {answer.json()["public_key"] for answer in asked}
                sent += 16
        (market_key,) = keys  # both workers sign with the same key
        assert f"market key fingerprint: {key_groups(market_key)}\n" in server.log_tail(20_000)
        for _ in range(6):  # whichever worker answers the scrape, it counts them all
            samples = scrape(server.url)
            counted = sum(
                value
                for labels, value in samples["privrec_http_request_duration_seconds_count"]
                if labels["route"] == "/v1/market"
            )
            assert counted == sent
            (queue,) = samples["privrec_scoring_queue_depth"]
            assert queue[1] == 0
            (entries,) = samples["privrec_ledger_entries"]
            assert entries[1] == len(httpx.get(f"{server.url}/v1/ledger").text.splitlines())
    assert not shared.exists()  # removed when the server stopped
