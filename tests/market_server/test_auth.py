"""Signed user requests and developer API keys: what is accepted, and every way to fail."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from crypto import IdentityKey
from crypto.identity import ACCOUNT_HEADER, NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from market_server.api.main import create_app
from market_server.core.config import Settings
from tests.factories import SignedClient, market_identity
from tests.market_server.conftest import MARKET_KEY


def test_registration_is_idempotent(client: TestClient) -> None:
    user = SignedClient(client)
    first = user.register()
    assert first.status_code == 201
    assert first.json()["id"] == user.account
    assert user.register().status_code == 200
    assert user.request("GET", "/v1/users/me").json()["id"] == user.account


def test_unsigned_and_tampered_requests_are_refused(client: TestClient, user: SignedClient) -> None:
    assert client.get("/v1/users/me").status_code == 401
    headers = user.sign("GET", "/v1/users/me")
    # Signed for /v1/users/me, sent with a query string: the signature no longer matches.
    assert client.get("/v1/users/me?as=admin", headers=headers).status_code == 401
    stale = user.sign("GET", "/v1/users/me", timestamp=int(time.time()) - 3600)
    response = client.get("/v1/users/me", headers=stale)
    assert response.status_code == 401
    assert "bad signature" in response.json()["detail"]


def test_a_replayed_request_is_refused(client: TestClient, user: SignedClient) -> None:
    headers = user.sign("GET", "/v1/users/me")
    assert client.get("/v1/users/me", headers=headers).status_code == 200
    replay = client.get("/v1/users/me", headers=headers)
    assert replay.status_code == 401
    assert "replayed" in replay.json()["detail"]


def test_an_unregistered_account_is_forbidden(client: TestClient) -> None:
    stranger = SignedClient(client, IdentityKey.generate())
    assert stranger.request("GET", "/v1/users/me").status_code == 403


def test_developer_api_keys(client: TestClient) -> None:
    created = client.post("/v1/developers", json={"name": "acme-labs"})
    assert created.status_code == 201
    api_key = created.json()["api_key"]
    me = client.get("/v1/developers/me", headers={"Authorization": f"Bearer {api_key}"})
    assert me.status_code == 200
    assert me.json()["name"] == "acme-labs"
    assert "api_key" not in me.json()
    assert client.post("/v1/developers", json={"name": "acme-labs"}).status_code == 409
    assert client.get("/v1/developers/me").status_code == 401
    wrong = {"Authorization": "Bearer prk_not-a-key"}
    assert client.get("/v1/developers/me", headers=wrong).status_code == 401
    assert client.post("/v1/developers", json={"name": "Bad Name!"}).status_code == 422


def test_the_market_says_who_it_is(client: TestClient, settings: Settings) -> None:
    info = client.get("/v1/market").json()
    started = info.pop("epoch_started")
    due = info.pop("epoch_due")
    assert info == {
        "public_key": IdentityKey.from_private_bytes(bytes.fromhex(MARKET_KEY)).public_key_hex,
        "api_version": "1",
        "signature_version": 2,
        "mode": "local",
        "faucet": True,
        "epoch": 0,
        "epoch_seconds": settings.epoch_s,
        "auto_settle": False,
        "max_catalog_bytes": settings.max_catalog_bytes,
    }
    assert started is due is None  # the ledger is empty: no epoch has begun
    key = client.post("/v1/developers", json={"name": "clock-lab"}).json()["api_key"]
    client.post("/v1/developers/me/faucet", headers={"Authorization": f"Bearer {key}"})
    clock = client.get("/v1/market").json()
    started, due = clock["epoch_started"], clock["epoch_due"]
    # The ledger's first entry opened epoch 0; it is due one epoch later.
    opened = datetime.fromisoformat(started)
    assert opened.tzinfo is not None and abs(datetime.now(UTC) - opened) < timedelta(minutes=5)
    assert datetime.fromisoformat(due) - opened == timedelta(seconds=settings.epoch_s)
    assert info["public_key"] == client.get("/v1/ledger/key").json()["public_key"]
    production = settings.model_copy(update={"mode": "production"})
    with TestClient(create_app(production)) as other:
        assert other.get("/v1/market").json()["faucet"] is False


def test_a_request_signed_for_another_market_is_refused(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    # Market B: another key and its own database. A user registered there...
    other = Settings(mode="local", data_dir=tmp_path / "b", market_key="22" * 32)
    with TestClient(create_app(other)) as market_b:
        at_b = SignedClient(market_b)
        assert at_b.register().status_code == 201
        assert at_b.market != market_identity(client)
        headers = at_b.sign("POST", "/v1/users")
    # ...and the very request, replayed to market A, registers nobody.
    replayed = client.post("/v1/users", headers=headers)
    assert replayed.status_code == 401
    assert "signed for another market" in replayed.json()["detail"]
    mislabelled = SignedClient(client, at_b.key, market=at_b.market)
    assert mislabelled.request("GET", "/v1/users/me").status_code == 401


def test_an_old_form_signature_is_refused_with_a_clear_message(
    client: TestClient, user: SignedClient
) -> None:
    headers = user.sign("GET", "/v1/users/me")
    old_form = {
        name: headers[name]
        for name in (ACCOUNT_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)
    }
    response = client.get("/v1/users/me", headers=old_form)
    assert response.status_code == 401
    assert "old form" in response.json()["detail"]
    assert "update the client" in response.json()["detail"]
