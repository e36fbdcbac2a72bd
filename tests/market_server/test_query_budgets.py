"""Recommendations within limits, on SQLite and PostgreSQL: only committed money buys queries
(402), a per-model cap per epoch (429), a request cost budget (400), tables within the scoring
memory budget, and the optional score noise a model declares."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from crypto import IdentityKey, SecretKeys, decrypt_scores, encrypt_query
from market_server.api.main import create_app
from market_server.core.config import MIB, Settings
from market_server.scoring import scoring_refusal
from recommenders.bundle import load_bundle, pack_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION
from tests.factories import SignedClient, make_bundle
from tests.market_server.test_deploy import model_rows
from tests.market_server.test_flow import deploy, sign_up


@pytest.fixture
def keys() -> SecretKeys:
    return SecretKeys.generate()


def market(settings: Settings, **changes: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update=changes))) as test_client:
        yield test_client


def live_model(client: TestClient, tmp_path: Path, name: str = "shelf", **options: Any) -> int:
    bundle = pack_bundle(make_bundle(tmp_path, **{"n": 300, "d": 8, "name": name, **options}))
    deployed = deploy(client, sign_up(client, f"{name}-labs"), bundle)
    assert deployed.status_code == 202, deployed.text
    model_id: int = deployed.json()["id"]
    assert client.get(f"/v1/models/{model_id}").json()["status"] == "live"
    return model_id


class Asker:
    """A registered user with evaluation keys, asking models one encrypted query each (a new
    identity, or ``identity`` registered and given the keys again, e.g. after a restart)."""

    def __init__(
        self, client: TestClient, keys: SecretKeys, identity: IdentityKey | None = None
    ) -> None:
        self.client, self.keys = client, keys
        self.user = SignedClient(client, identity)
        assert self.user.register().status_code in (200, 201)
        uploaded = self.user.request(
            "POST", "/v1/users/me/evaluation-keys", content=keys.evaluation_keys()
        )
        self.key_id = uploaded.json()["id"]

    def ask(self, *model_ids: int, u: np.ndarray | None = None) -> Any:
        vector = np.ones(8) if u is None else u
        query = base64.b64encode(encrypt_query(self.keys, vector).wire).decode()
        body = {
            "evaluation_key_id": self.key_id,
            "queries": [{"model_id": m, "query": query} for m in model_ids],
        }
        return self.user.request("POST", "/v1/recommendations", json_body=body)

    def impressions(self) -> int:
        count: int = sum(row["impressions"] for row in self.client.get("/v1/leaderboard").json())
        return count

    def ledger_length(self) -> int:
        return len(self.client.get("/v1/ledger").text.splitlines())


def test_an_unfunded_account_is_refused_before_scoring_and_nothing_is_written(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    model_id = live_model(client, tmp_path)
    asker = Asker(client, keys)
    entries = asker.ledger_length()
    refused = asker.ask(model_id)
    assert refused.status_code == 402
    detail = refused.json()["detail"]
    assert "at least 10 credits committed to this epoch's budget (you have 0)" in detail
    assert "POST /v1/users/me/budget" in detail
    assert (asker.impressions(), asker.ledger_length()) == (0, entries)
    asker.user.fund_budget(5)  # below the minimum (min_funding, 10 credits)
    assert asker.ask(model_id).status_code == 402
    assert asker.impressions() == 0
    funded = asker.user.request("POST", "/v1/users/me/budget", json_body={"amount": 5})
    assert funded.json()["budget"] == 10
    assert asker.ask(model_id).status_code == 200
    assert asker.impressions() == 1


def test_queries_per_epoch_are_bounded_by_the_commitment_and_per_model(
    settings: Settings, tmp_path: Path, keys: SecretKeys
) -> None:
    for client in market(
        settings, min_query_commitment=2, queries_per_credit=2, queries_per_model_per_epoch=3
    ):
        shelf = live_model(client, tmp_path, "shelf")
        crate = live_model(client, tmp_path, "crate")
        asker = Asker(client, keys)
        asker.user.fund_budget(2)  # 2 credits: 4 model queries this epoch
        assert asker.ask(shelf, crate).status_code == 200
        assert asker.ask(shelf).status_code == 200
        entries = asker.ledger_length()
        over = asker.ask(shelf, crate)  # 3 + 2 > 4
        assert over.status_code == 402
        assert "allows 4 model queries this epoch; you have made 3" in over.json()["detail"]
        assert asker.ledger_length() == entries
        asker.user.request("POST", "/v1/users/me/budget", json_body={"amount": 3})
        assert asker.ask(shelf).status_code == 200  # shelf's third this epoch
        entries = asker.ledger_length()
        capped = asker.ask(shelf, crate)
        assert capped.status_code == 429
        assert capped.json()["detail"] == (
            f"model {shelf} has answered you 3 times this epoch, the most one epoch allows: "
            "ask it again in the next epoch"
        )
        assert asker.ledger_length() == entries
        assert asker.ask(crate).status_code == 200  # other models are still open


def test_a_request_over_the_cost_budget_is_refused_before_scoring(
    settings: Settings, tmp_path: Path, keys: SecretKeys
) -> None:
    for client in market(settings, max_request_item_dims=300 * 8):
        shelf = live_model(client, tmp_path, "shelf")
        crate = live_model(client, tmp_path, "crate")
        asker = Asker(client, keys)
        asker.user.fund_budget()
        refused = asker.ask(shelf, crate)
        assert refused.status_code == 400
        assert refused.json()["detail"] == (
            "these models hold 4800 item-dimensions (items x dim), more than one request may "
            "score (2400): ask them in several requests"
        )
        assert asker.impressions() == 0
        assert asker.ask(shelf).status_code == asker.ask(crate).status_code == 200


def test_a_table_over_the_scoring_memory_budget_is_refused_before_it_is_unpacked(
    settings: Settings, tmp_path: Path
) -> None:
    for client in market(settings, scoring_memory_bytes=MIB):
        developer = sign_up(client, "acme")
        wide = pack_bundle(make_bundle(tmp_path, n=12, d=64, name="wide"))  # 2 MiB encoded
        refused = deploy(client, developer, wide)
        assert refused.status_code == 413
        assert (
            "takes 2097152 bytes once encoded, more than this market's scoring memory"
            in (refused.json()["detail"])
        )
        assert model_rows(client) == []  # refused before a row or an escrow


def test_declared_score_noise_is_added_fresh_to_every_query(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    sigma = 0.3  # rows ~ N(0, I_8): the largest norm is ~5, so 0.3 is within the ceiling
    bundle_dir = make_bundle(tmp_path, n=3000, d=8, name="noisy", score_noise=sigma)
    items = load_bundle(bundle_dir, feature_schema=FEATURE_SCHEMA_VERSION).items
    deployed = deploy(client, sign_up(client, "noisy-labs"), pack_bundle(bundle_dir))
    model_id = deployed.json()["id"]
    assert client.get(f"/v1/models/{model_id}").json()["status"] == "live"
    asker = Asker(client, keys)
    asker.user.fund_budget()
    u = np.random.default_rng(3).standard_normal(8)
    u /= np.linalg.norm(u)
    exact = items.astype(np.float64) @ u
    answers = []
    for _ in range(2):
        query = encrypt_query(keys, u)
        answer = asker.ask(model_id, u=u)
        assert answer.status_code == 200, answer.text
        response = base64.b64decode(answer.json()["results"][0]["response"])
        answers.append(decrypt_scores(keys, response, query))
    for scores in answers:
        assert abs(float(np.std(scores - exact)) - sigma) < 0.1 * sigma
    assert abs(float(np.std(answers[0] - answers[1])) - np.sqrt(2) * sigma) < 0.15 * sigma


def test_a_model_larger_than_one_request_may_score_is_refused_at_deploy(
    settings: Settings, tmp_path: Path
) -> None:
    for client in market(settings, max_request_item_dims=300 * 8 - 1):
        developer = sign_up(client, "acme")
        bundle = pack_bundle(make_bundle(tmp_path, n=300, d=8, name="shelf"))
        refused = deploy(client, developer, bundle)
        assert refused.status_code == 413
        detail = refused.json()["detail"]
        assert "is 2400 item-dimensions, more than one request may score" in detail
        refusal = scoring_refusal(300, 8, client.app.state.settings)  # type: ignore[attr-defined]
        assert refusal == detail
        assert scoring_refusal(299, 8, client.app.state.settings) is None  # type: ignore[attr-defined]
        assert model_rows(client) == []
