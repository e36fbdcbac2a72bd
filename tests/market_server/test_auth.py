"""Signed user requests and developer API keys: what is accepted, and every way to fail."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from crypto import IdentityKey
from tests.factories import SignedClient


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
