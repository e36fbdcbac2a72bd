"""Evaluation keys: deduplicated by content, a per-account quota, and deletable by their owner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from crypto import SecretKeys
from market_server.models import EvaluationKeySet
from tests.factories import SignedClient

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
