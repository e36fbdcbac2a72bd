"""The market end to end over HTTP, on SQLite and PostgreSQL: deploy, go live, query encrypted,
rate, settle, and verify the exported ledger independently."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from crypto import SecretKeys, TableScorer, decrypt_scores, encrypt_query, top_k
from ledger.verify import Proof, check_payout_proof, verify_ledger
from market_server import crud, deployment
from market_server.models import ModelStatus
from recommenders.bundle import load_bundle, pack_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION
from tests.factories import SignedClient, make_bundle, upload_bundle


@dataclass
class Developer:
    name: str
    headers: dict[str, str]


def sign_up(client: TestClient, name: str, *, faucet: bool = True) -> Developer:
    created = client.post("/v1/developers", json={"name": name})
    assert created.status_code == 201, created.text
    developer = Developer(name, {"Authorization": f"Bearer {created.json()['api_key']}"})
    if faucet:
        assert client.post("/v1/developers/me/faucet", headers=developer.headers).status_code == 200
    return developer


def deploy(
    client: TestClient,
    developer: Developer,
    bundle: bytes,
    *,
    stake: int = 100,
    bid: int = 5,
    escrow: int | None = None,
) -> Any:
    """Upload ``bundle``; its escrow backs ten bids unless said otherwise (a bid the escrow
    does not back is not listed)."""
    escrow = 10 * bid if escrow is None else escrow
    return upload_bundle(client, developer.headers, bundle, stake=stake, bid=bid, escrow=escrow)


@pytest.fixture
def bundle_zip(tmp_path: Path) -> bytes:
    return pack_bundle(make_bundle(tmp_path, n=300, d=8, categories=("books",), name="shelf"))


def test_deploy_probe_and_go_live(client: TestClient, bundle_zip: bytes) -> None:
    developer = sign_up(client, "acme")
    response = deploy(client, developer, bundle_zip)
    assert response.status_code == 202, response.text
    model_id = response.json()["id"]
    model = client.get(f"/v1/models/{model_id}").json()
    assert model["status"] == ModelStatus.LIVE  # the probe ran as a background task
    diagnostics = client.get(f"/v1/models/{model_id}/diagnostics", headers=developer.headers)
    assert '"probe": "passed"' in diagnostics.json()["diagnostics"]
    assert [m["id"] for m in client.get("/v1/models", params={"category": "books"}).json()] == [
        model_id
    ]
    assert client.get("/v1/models", params={"category": "music"}).json() == []
    # Public parts are cacheable by ETag; the private item table is never served.
    catalog = client.get(f"/v1/models/{model_id}/catalog")
    assert catalog.status_code == 200
    assert catalog.text.startswith("item_id,title,category,metadata")
    again = client.get(
        f"/v1/models/{model_id}/catalog", headers={"If-None-Match": catalog.headers["etag"]}
    )
    assert again.status_code == 304
    assert client.get(f"/v1/models/{model_id}/items").status_code == 404
    # A second deployment of the same version conflicts; another developer cannot take the name.
    assert deploy(client, developer, bundle_zip).status_code == 409
    assert deploy(client, sign_up(client, "rival"), bundle_zip).status_code == 403


def test_a_stake_without_funds_is_refused_with_a_reason(
    client: TestClient, bundle_zip: bytes
) -> None:
    developer = sign_up(client, "broke", faucet=False)
    answer = deploy(client, developer, bundle_zip)
    assert answer.status_code == 409
    assert "more than your balance of 0" in answer.json()["detail"]
    assert client.get("/v1/models/1").status_code == 404  # nothing stored


def test_invalid_bundles_are_refused_with_a_diagnostic(
    client: TestClient, bundle_zip: bytes
) -> None:
    developer = sign_up(client, "sloppy")
    truncated = deploy(client, developer, bundle_zip[: len(bundle_zip) // 2])
    assert truncated.status_code == 400
    assert "bundle rejected" in truncated.json()["detail"]
    assert deploy(client, developer, b"not a zip").status_code == 400
    assert deploy(client, developer, bundle_zip, stake=0).status_code == 422
    assert deploy(client, developer, bundle_zip, stake=9).status_code == 400  # min_stake is 10
    assert client.get("/v1/models").json() == []  # nothing half-written


def test_recommend_rate_settle_and_verify(
    client: TestClient, bundle_zip: bytes, tmp_path: Path
) -> None:
    developer = sign_up(client, "acme")
    model_id = deploy(client, developer, bundle_zip, stake=100, bid=5).json()["id"]
    user = SignedClient(client)
    assert user.register().status_code == 201
    assert user.request("POST", "/v1/users/me/faucet").json()["balance"] == 1000
    wallet = user.request("POST", "/v1/users/me/budget", json_body={"amount": 200}).json()
    assert (wallet["balance"], wallet["budget"]) == (800, 200)

    keys = SecretKeys.generate()
    uploaded = user.request("POST", "/v1/users/me/evaluation-keys", content=keys.evaluation_keys())
    assert uploaded.status_code == 201, uploaded.text
    bundle = load_bundle(bundle_zip, feature_schema=FEATURE_SCHEMA_VERSION)
    u = np.random.default_rng(1).standard_normal(8)
    query = encrypt_query(keys, u)
    answer = user.request(
        "POST",
        "/v1/recommendations",
        json_body={
            "evaluation_key_id": uploaded.json()["id"],
            "queries": [{"model_id": model_id, "query": base64.b64encode(query.wire).decode()}],
        },
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()["results"][0]
    scores = decrypt_scores(keys, base64.b64decode(result["response"]), query)
    exact = bundle.items.astype(np.float64) @ u
    assert top_k(scores, 10).ids.tolist() == top_k(exact, 10).ids.tolist()

    rating = {
        "impression_id": result["impression_id"],
        "shown": 10,
        "liked": 3,
        "disliked": 1,
        "contribution": 2,
    }
    rated = user.request("POST", "/v1/ratings", json_body=rating)
    assert rated.status_code == 201, rated.text
    fee = -(-5 * 500 // 10_000)  # the bid, less the market fee (rounded up, never to 0)
    assert rated.json()["attention_paid"] == 5 - fee == 4
    assert user.request("POST", "/v1/ratings", json_body=rating).status_code == 409

    state = client.app.state  # type: ignore[attr-defined]
    with Session(state.engine) as session:  # as `privrec market settle` does
        settled = crud.settle(session=session, store=state.ledger)
        assert settled[-1].kind == "epoch_close"
        assert crud.settle(session=session, store=state.ledger, epoch=0) == []

    wallet = user.request("GET", "/v1/users/me/wallet").json()
    assert wallet["epoch"] == 1
    # The only model that contributed to the user's list gets the whole budget.
    assert wallet["payouts"] == {"shelf@1.0.0": 200}
    assert wallet["attention_earned"] == 5 - fee
    board = client.get("/v1/leaderboard").json()
    assert board[0]["impressions"] == 1 and board[0]["liked"] == 3
    assert board[0]["earnings"] == 200 - 200 * 500 // 10_000
    assert board[0]["stake"] == 100
    # The settled epoch, read back from its entries (on SQLite and PostgreSQL alike), adds up
    # to the totals the ledger's state keeps.
    assert board[0]["contribution_paid_for"] == 200  # the whole budget: share and fee
    history = client.get(f"/v1/models/{board[0]['model_id']}/history").json()
    assert history == [
        {
            "epoch": 0,
            "earnings": board[0]["earnings"],
            "contribution_paid_for": board[0]["contribution_paid_for"],
            "contribution_voted_against": 0,
            "stake_burned": 0,
            "stake": 100,
        }
    ]

    key = client.get("/v1/ledger/key").json()["public_key"]
    lines = client.get("/v1/ledger").text.splitlines()
    report = verify_ledger(lines, key)
    assert report.ok, report.error
    assert report.totals.minted == report.totals.burned + sum(report.balances.values())
    payout = next(i for i, line in enumerate(lines) if "share:shelf" in line)
    proof = Proof.from_json(client.get(f"/v1/ledger/proof/{payout}").text)
    assert check_payout_proof(proof, key)
    tampered = lines.copy()
    tampered[payout] = tampered[payout].replace('"amount":190', '"amount":191')
    assert not verify_ledger(tampered, key).ok


def test_bad_queries_and_unknown_ids(client: TestClient, bundle_zip: bytes) -> None:
    developer = sign_up(client, "acme")
    model_id = deploy(client, developer, bundle_zip).json()["id"]
    user = SignedClient(client)
    user.register()
    user.fund_budget()
    keys = SecretKeys.generate()
    key_id = user.request(
        "POST", "/v1/users/me/evaluation-keys", content=keys.evaluation_keys()
    ).json()["id"]

    def ask(query: str, *, model: int = model_id, keys_id: str = key_id) -> Any:
        body = {"evaluation_key_id": keys_id, "queries": [{"model_id": model, "query": query}]}
        return user.request("POST", "/v1/recommendations", json_body=body)

    good = base64.b64encode(encrypt_query(keys, np.ones(8)).wire).decode()
    assert ask(good).status_code == 200
    assert ask("%%% not base64").status_code == 400
    garbage = ask(base64.b64encode(b"PRHE" + bytes(100)).decode())
    assert garbage.status_code == 400
    assert f"model {model_id}" in garbage.json()["detail"]
    wrong_dim = base64.b64encode(encrypt_query(keys, np.ones(3)).wire).decode()
    assert "dimension" in ask(wrong_dim).json()["detail"]
    assert ask(good, model=999).status_code == 404
    assert ask(good, keys_id="0" * 32).status_code == 404
    bad_keys = user.request("POST", "/v1/users/me/evaluation-keys", content=b"junk")
    assert bad_keys.status_code == 400
    huge = user.request("POST", "/v1/users/me/evaluation-keys", content=b"\0" * 9_000_000)
    assert huge.status_code == 413
    rating = {"impression_id": "0" * 32, "shown": 1, "liked": 1, "disliked": 0, "contribution": 1}
    assert user.request("POST", "/v1/ratings", json_body=rating).status_code == 404
    inconsistent = {**rating, "liked": 2}
    assert user.request("POST", "/v1/ratings", json_body=inconsistent).status_code == 422


def test_status_moves_from_pending_through_validating(
    client: TestClient, bundle_zip: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:

    seen: list[str] = []
    probe = deployment.probe_report

    def watching_probe(*args: Any, **kwargs: Any) -> tuple[bool, str]:
        seen.append(client.get(f"/v1/models/{model_ids[0]}").json()["status"])
        return probe(*args, **kwargs)

    model_ids: list[int] = []
    monkeypatch.setattr(deployment, "probe_report", watching_probe)
    developer = sign_up(client, "acme")
    original_add = deployment.validate_and_publish

    def remember(**kwargs: Any) -> None:
        model_ids.append(kwargs["model_id"])
        assert client.get(f"/v1/models/{model_ids[0]}").json()["status"] == "pending"
        original_add(**kwargs)

    monkeypatch.setattr(deployment, "validate_and_publish", remember)
    response = deploy(client, developer, bundle_zip)
    assert response.json()["status"] == "pending"
    assert seen == ["validating"]
    assert client.get(f"/v1/models/{model_ids[0]}").json()["status"] == "live"


def test_probe_agreement_counts_tied_items_as_right() -> None:
    exact = np.array([5.0, 3.0, 3.0, 3.0, 1.0, 0.0])
    # Noise picked items 0 and 3 (tied with item 1 at the 2nd place): both truly top 2.
    noisy = exact + np.array([0.0, -1e-5, -1e-5, 1e-5, 0.0, 0.0])
    assert deployment.top_k_agreement(exact, noisy, 2) == 1.0
    # A decryption that ranks item 4 second is wrong by a real gap, not by noise.
    wrong = np.array([5.0, 0.0, 0.0, 0.0, 4.0, 0.0])
    assert deployment.top_k_agreement(exact, wrong, 2) == 0.5


def test_a_popularity_model_with_many_ties_passes_the_probe() -> None:
    # d = 1 and 40 items sharing 3 values: the top 10 is decided by ties alone.
    items = np.repeat(np.array([[2.0], [1.0], [0.5]], dtype=np.float32), [12, 14, 14], axis=0)
    with TableScorer(items) as scorer:
        for seed in range(6):
            passed, report = deployment.probe_report(items, scorer.score, seed=seed)
            assert passed, report
