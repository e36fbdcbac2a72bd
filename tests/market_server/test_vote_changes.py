"""Changing a vote (rules 3) on the real routes, on SQLite and PostgreSQL: only your own rating,
only while its epoch is open, a bounded number of times, never paying attention again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from crypto import SecretKeys
from ledger.economy import user_account
from ledger.keys import MarketKey
from ledger.verify import verify_ledger
from market_server.models import Rating
from tests.market_server.conftest import MARKET_KEY
from tests.market_server.test_economy_v2 import (
    ask_one,
    balance,
    entries,
    live_model,
    rate,
    settle,
)
from tests.market_server.test_flow import sign_up
from tests.market_server.test_query_budgets import Asker

MARKET_KEY_HEX = MarketKey.from_seed_hex(MARKET_KEY).public_key_hex


@pytest.fixture
def keys() -> SecretKeys:
    return SecretKeys.generate()


def change(asker: Asker, impression: str, **fields: Any) -> Any:
    body = {"liked": 0, "disliked": 0, **fields}
    body.setdefault("contribution", body["liked"] - body["disliked"])
    return asker.user.request("PUT", f"/v1/ratings/{impression}", json_body=body)


def rated_row(client: TestClient) -> Rating:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return session.exec(select(Rating)).one()


def test_a_vote_changes_until_its_epoch_settles(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    model_id = live_model(client, tmp_path, sign_up(client, "acme"), "shelf", bid=5, escrow=50)
    asker = Asker(client, keys)
    asker.user.fund_budget(200)
    impression = ask_one(asker, model_id)
    rated = rate(asker, impression, liked=2)
    assert rated.status_code == 201, rated.text
    assert (rated.json()["epoch"], rated.json()["attention_paid"]) == (0, 4)
    paid = balance(client, user_account(asker.user.account))

    changed = change(asker, impression, liked=0, disliked=1)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "impression_id": impression,
        "epoch": 0,
        "liked": 0,
        "disliked": 1,
        "contribution": -1,
        "changes_left": 2,
    }
    assert entries(client)[-1].kind == "vote_change"  # and no attention payment after it
    assert balance(client, user_account(asker.user.account)) == paid
    row = rated_row(client)
    assert (row.liked, row.disliked, row.contribution) == (0, 1, -1)
    wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
    assert wallet["attention_earned"] == 4

    settled = settle(client)
    burned = [e for e in settled if e.kind == "burn" and "vote:" in str(e.body["memo"])]
    assert burned and burned[0].body["amount"] == 200  # the whole budget, against the model
    before = len(entries(client))
    late = change(asker, impression, liked=1)
    assert late.status_code == 409
    assert late.json()["detail"] == (
        "the epoch this rating was counted in has been settled: its vote can no longer change"
    )
    assert len(entries(client)) == before
    assert (rated_row(client).liked, rated_row(client).disliked) == (0, 1)  # rolled back
    report = verify_ledger(client.get("/v1/ledger").text.splitlines(), MARKET_KEY_HEX)
    assert report.ok, report.error


def test_only_a_real_change_of_your_own_rating_is_taken_a_few_times(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    model_id = live_model(client, tmp_path, sign_up(client, "acme"), "shelf", items=30)
    asker = Asker(client, keys)
    asker.user.fund_budget(100)
    impression, unrated = ask_one(asker, model_id), ask_one(asker, model_id)
    assert rate(asker, impression, shown=5, liked=1, disliked=1).status_code == 201
    other = Asker(client, SecretKeys.generate())
    before = len(entries(client))

    refusals: list[tuple[Any, int, str]] = [
        (change(other, impression, liked=1), 404, "you have not rated this impression"),
        (change(asker, unrated, liked=1), 404, "you have not rated this impression"),
        (change(asker, "no-such", liked=1), 404, "you have not rated this impression"),
        (change(asker, impression, liked=1, disliked=1), 400, "nothing to change"),
        (change(asker, impression, liked=4, disliked=2), 400, "over the 5 items shown"),
        (
            change(asker, impression, liked=1, items=[{"item_id": "item-1", "vote": "like"}]),
            400,
            "did not share per-item feedback",
        ),
    ]
    for answer, code, detail in refusals:
        assert answer.status_code == code, answer.text
        assert detail in answer.json()["detail"]
    for bad in ({"contribution": 3, "liked": 1}, {"liked": True}, {"liked": -1}):
        assert change(asker, impression, **bad).status_code == 422, bad
    unsigned = client.put(f"/v1/ratings/{impression}", json={"liked": 1, "disliked": 0})
    assert unsigned.status_code == 401
    assert len(entries(client)) == before  # nothing refused reached the ledger

    for liked in (2, 3, 4):  # the rules allow 3 changes
        assert change(asker, impression, liked=liked).status_code == 200
    capped = change(asker, impression, liked=5)
    assert capped.status_code == 429
    assert capped.json()["detail"] == "this vote has already changed 3 times, the most allowed"
    assert [e.kind for e in entries(client)[before:]] == ["vote_change"] * 3
    assert rated_row(client).liked == 4
