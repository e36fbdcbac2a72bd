"""More concurrent recommendation requests than database connections, on a real server: every
request completes (a request must never hold a pooled connection while it awaits scoring)."""

from __future__ import annotations

import base64
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest
from sqlmodel import Session

from crypto import SecretKeys, encrypt_query
from market_server.api.deps import current_developer, current_user
from market_server.core.db import make_engine, migrate
from market_server.core.security import hash_api_key, new_api_key
from market_server.models import Developer, User
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle, upload_bundle
from tests.live_server import LiveServer
from tests.market_server.conftest import MARKET_KEY

CONCURRENT = 30  # SQLAlchemy's default pool holds 15 connections for a SQLite file


def test_authentication_returns_its_pooled_connection_before_the_route_runs(
    tmp_path: Path,
) -> None:
    # Requests holding every connection while they wait for a worker thread, and worker threads
    # (the nonce check) waiting for a connection, starved each other on a loaded machine.
    engine = make_engine(f"sqlite:///{tmp_path / 'market.sqlite3'}")
    migrate(engine)
    api_key = new_api_key()
    with Session(engine) as setup:
        setup.add(User(id="user-1"))
        setup.add(Developer(name="acme", api_key_hash=hash_api_key(api_key)))
        setup.commit()
    with Session(engine, expire_on_commit=False) as session:
        user = current_user("user-1", session)
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        developer = current_developer(session, authorization=f"Bearer {api_key}")
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert (user.id, developer.name) == ("user-1", "acme")


@pytest.mark.slow
def test_more_concurrent_requests_than_pooled_connections(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'market.sqlite3'}"
    with (
        LiveServer(
            data_dir=tmp_path,
            database_url=database,
            market_key=MARKET_KEY,
            extra_env={"PRIVREC_QUERIES_PER_MODEL_PER_EPOCH": str(CONCURRENT)},
        ) as server,
        httpx.Client(base_url=server.url, timeout=120) as client,
    ):
        api_key = client.post("/v1/developers", json={"name": "acme"}).json()["api_key"]
        developer = {"Authorization": f"Bearer {api_key}"}
        assert client.post("/v1/developers/me/faucet", headers=developer).status_code == 200
        bundle = pack_bundle(make_bundle(tmp_path, n=5000, d=16, name="shelf"))
        deployed = upload_bundle(client, developer, bundle, stake=10, bid=0)
        model_id = deployed.json()["id"]
        deadline = time.monotonic() + 60  # the probe runs after the upload is answered
        while client.get(f"/v1/models/{model_id}").json()["status"] != "live":
            assert time.monotonic() < deadline, "the model never went live"
            time.sleep(0.2)
        user = SignedClient(client)
        assert user.register().status_code == 201
        user.fund_budget()
        keys = SecretKeys.generate()
        key_id = user.request(
            "POST", "/v1/users/me/evaluation-keys", content=keys.evaluation_keys()
        ).json()["id"]
        queries = [
            base64.b64encode(encrypt_query(keys, np.ones(16) * (i + 1)).wire).decode()
            for i in range(CONCURRENT)
        ]

        def ask(query: str) -> int:
            body = {
                "evaluation_key_id": key_id,
                "queries": [{"model_id": model_id, "query": query}],
            }
            status: int = user.request("POST", "/v1/recommendations", json_body=body).status_code
            return status

        with ThreadPoolExecutor(CONCURRENT) as pool:
            statuses = list(pool.map(ask, queries, timeout=120))
    assert statuses == [200] * CONCURRENT
