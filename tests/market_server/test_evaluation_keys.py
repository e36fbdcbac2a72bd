"""Evaluation keys: deduplicated by content, a per-account quota, and deletable by their owner."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from crypto import SecretKeys, encrypt_query
from crypto.wire import FORMAT_VERSION, MAGIC
from market_server.models import EvaluationKeySet
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle, upload_bundle

KEYS_PATH = "/v1/users/me/evaluation-keys"


@pytest.fixture(scope="module")
def key_sets() -> list[bytes]:
    """Four distinct evaluation-key sets (Galois keys are drawn afresh each time)."""
    keys = SecretKeys.generate()
    sets = [keys.evaluation_keys() for _ in range(4)]
    assert len(set(sets)) == 4
    return sets


def stored_rows(client: TestClient, account: str) -> int:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return session.exec(
            select(func.count())
            .select_from(EvaluationKeySet)
            .where(col(EvaluationKeySet.user_id) == account)
        ).one()


def test_the_same_set_uploaded_40_times_is_stored_once(
    client: TestClient, user: SignedClient, key_sets: list[bytes]
) -> None:
    first = user.request("POST", KEYS_PATH, content=key_sets[0])
    assert first.status_code == 201, first.text
    for _ in range(39):
        again = user.request("POST", KEYS_PATH, content=key_sets[0])
        assert again.status_code == 200
        assert again.json() == first.json()
    assert stored_rows(client, user.account) == 1
    # Another user's identical upload is their own record (the digest is per account).
    other = SignedClient(client)
    other.register()
    theirs = other.request("POST", KEYS_PATH, content=key_sets[0])
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]


def test_the_quota_refuses_a_third_set_until_one_is_deleted(
    client: TestClient, user: SignedClient, key_sets: list[bytes]
) -> None:
    ids = [user.request("POST", KEYS_PATH, content=data).json()["id"] for data in key_sets[:2]]
    refused = user.request("POST", KEYS_PATH, content=key_sets[2])
    assert refused.status_code == 409
    assert "delete one" in refused.json()["detail"]
    assert stored_rows(client, user.account) == 2
    # An already stored set is still found when the quota is full.
    assert user.request("POST", KEYS_PATH, content=key_sets[1]).status_code == 200
    listed = user.request("GET", KEYS_PATH)
    assert [entry["id"] for entry in listed.json()] == ids
    assert user.request("DELETE", f"{KEYS_PATH}/{ids[0]}").status_code == 204
    assert user.request("GET", f"{KEYS_PATH}/{ids[0]}").status_code == 404
    assert user.request("DELETE", f"{KEYS_PATH}/{ids[0]}").status_code == 404
    assert user.request("POST", KEYS_PATH, content=key_sets[2]).status_code == 201
    assert stored_rows(client, user.account) == 2


def test_only_the_owner_deletes_a_set(
    client: TestClient, user: SignedClient, key_sets: list[bytes]
) -> None:
    key_id = user.request("POST", KEYS_PATH, content=key_sets[0]).json()["id"]
    stranger = SignedClient(client)
    stranger.register()
    assert stranger.request("DELETE", f"{KEYS_PATH}/{key_id}").status_code == 404
    assert client.delete(f"{KEYS_PATH}/{key_id}").status_code == 401
    assert user.request("GET", f"{KEYS_PATH}/{key_id}").status_code == 200
    assert user.request("DELETE", f"{KEYS_PATH}/{'x' * 33}").status_code == 422


def test_concurrent_uploads_cannot_exceed_the_quota(
    client: TestClient, user: SignedClient, key_sets: list[bytes]
) -> None:
    def upload(data: bytes) -> int:
        status: int = user.request("POST", KEYS_PATH, content=data).status_code
        return status

    with ThreadPoolExecutor(len(key_sets)) as pool:
        statuses = sorted(pool.map(upload, key_sets))
    assert statuses == [201, 201, 409, 409]
    assert stored_rows(client, user.account) == 2


def test_keys_of_an_older_wire_version_are_refused_naming_both_versions(
    client: TestClient, user: SignedClient, key_sets: list[bytes], tmp_path: Path
) -> None:
    # Version 1's key sets were 558,690 bytes, above version 2's bound: still a version error.
    old = bytearray(key_sets[0])
    old[len(MAGIC)] = 1
    old += bytes(558_690 - len(old))
    refused = user.request("POST", KEYS_PATH, content=bytes(old))
    assert refused.status_code == 400
    words = f"wire format version 1, but this side speaks version {FORMAT_VERSION}"
    assert words in refused.json()["detail"]
    # A set stored before the market was upgraded: the market says it can no longer use it
    # (the app then uploads new keys), and a query that names it is refused, not crashed.
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        session.add(
            EvaluationKeySet(
                id="a" * 32,
                user_id=user.account,
                profile="ckks4096-v1",
                digest="b" * 64,
                size=len(old),
                data=bytes(old),
            )
        )
        session.commit()
    stale = user.request("GET", f"{KEYS_PATH}/{'a' * 32}")
    assert stale.status_code == 410 and words in stale.json()["detail"]
    bundle = pack_bundle(make_bundle(tmp_path, n=50, d=8, categories=("books",), name="shelf"))
    developer = client.post("/v1/developers", json={"name": "acme"}).json()["api_key"]
    headers = {"Authorization": f"Bearer {developer}"}
    assert client.post("/v1/developers/me/faucet", headers=headers).status_code == 200
    model = upload_bundle(client, headers, bundle, stake=100, bid=5, escrow=50).json()["id"]
    user.fund_budget()
    query = encrypt_query(SecretKeys.generate(), np.ones(8)).wire
    body = {
        "evaluation_key_id": "a" * 32,
        "queries": [{"model_id": model, "query": base64.b64encode(query).decode()}],
    }
    asked = user.request("POST", "/v1/recommendations", json_body=body)
    assert asked.status_code == 410 and words in asked.json()["detail"]
    assert "upload new keys" in asked.json()["detail"]
