"""Economy v2 on the real routes, on SQLite and PostgreSQL: ratings bounded by their impression
(contribution, list length, catalog ids), bids backed by an attention escrow, retirement with
a cooling-off release, the leaderboard's and wallet's new fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from client_app.market import MarketClient, MarketError, MarketInfo, Wallet
from crypto import IdentityKey, SecretKeys
from ledger.book import PayoutLine, UserSettlement
from ledger.entries import Entry
from ledger.verify import verify_ledger
from market_server import crud
from market_server.models import Impression, Rating
from recommenders.bundle import pack_bundle
from tests.end_to_end_helpers import LEADERBOARD_COLUMNS
from tests.factories import make_bundle
from tests.market_server.test_flow import Developer, deploy, sign_up
from tests.market_server.test_query_budgets import Asker


@pytest.fixture
def keys() -> SecretKeys:
    return SecretKeys.generate()


def live_model(
    client: TestClient,
    tmp_path: Path,
    developer: Developer,
    name: str,
    *,
    items: int = 300,
    stake: int = 100,
    bid: int = 0,
    escrow: int = 0,
) -> int:
    bundle = pack_bundle(make_bundle(tmp_path, n=items, d=8, name=name))
    deployed = deploy(client, developer, bundle, stake=stake, bid=bid, escrow=escrow)
    assert deployed.status_code == 202, deployed.text
    model_id: int = deployed.json()["id"]
    assert client.get(f"/v1/models/{model_id}").json()["status"] == "live"
    return model_id


def through(client: TestClient) -> httpx.MockTransport:
    """An httpx transport into the app under test, for the app's own MarketClient."""

    def handle(request: httpx.Request) -> httpx.Response:
        answer = client.request(
            request.method, str(request.url), content=request.content, headers=request.headers
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return httpx.MockTransport(handle)


def entries(client: TestClient) -> list[Entry]:
    return [Entry.from_json_line(line) for line in client.get("/v1/ledger").text.splitlines()]


def settle(client: TestClient, epoch: int | None = None) -> list[Entry]:
    """Close an epoch (default: the open one) as `privrec market settle --epoch` does."""
    state = client.app.state  # type: ignore[attr-defined]
    with Session(state.engine) as session:
        return crud.settle(session=session, store=state.ledger, epoch=epoch)


def balance(client: TestClient, account: str) -> int:
    state = client.app.state  # type: ignore[attr-defined]
    with Session(state.engine) as session:
        held: int = state.ledger.snapshot(session).book.balance(account)
    return held


def rate(asker: Asker, impression: str, **fields: Any) -> Any:
    body = {"impression_id": impression, "shown": 10, "liked": 0, "disliked": 0, **fields}
    body.setdefault("contribution", body["liked"] - body["disliked"])
    return asker.user.request("POST", "/v1/ratings", json_body=body)


def ask_one(asker: Asker, model_id: int) -> str:
    answer = asker.ask(model_id)
    assert answer.status_code == 200, answer.text
    impression: str = answer.json()["results"][0]["impression_id"]
    return impression


# --- ratings bounded by their impression ----------------------------------------------------


def test_a_rating_is_bounded_by_its_contribution_list_and_catalog(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    model_id = live_model(client, tmp_path, sign_up(client, "acme"), "short", items=30)
    asker = Asker(client, keys)
    asker.user.fund_budget(100)
    impression = ask_one(asker, model_id)
    (shown,) = [e for e in entries(client) if e.kind == "impression"]
    assert shown.body["list"] == 30  # min(list_length 100, the model's 30 items)
    before = len(entries(client))

    missing = {"impression_id": impression, "shown": 10, "liked": 2, "disliked": 1}
    refused = asker.user.request("POST", "/v1/ratings", json_body=missing)
    assert refused.status_code == 422
    assert "contribution" in json.dumps(refused.json()["detail"])
    for contribution in (3, -2, True, "1", 1.0):  # outside [-disliked, liked], or not an int
        answer = rate(asker, impression, liked=2, disliked=1, contribution=contribution)
        assert answer.status_code == 422, (contribution, answer.text)
    over = rate(asker, impression, shown=31, liked=1)
    assert over.status_code == 400
    assert over.json()["detail"] == (
        "shown is 31, but this impression could show at most 30 items (the model's list length)"
    )
    votes = [{"item_id": "item-3", "vote": "like"}, {"item_id": "item-30", "vote": "dislike"}]
    unknown = rate(asker, impression, liked=1, disliked=1, items=votes)
    assert unknown.status_code == 400
    assert unknown.json()["detail"].startswith(
        f"item 'item-30' is not in the catalog of model {model_id}"
    )
    assert len(entries(client)) == before  # nothing refused reached the ledger

    votes[1]["item_id"] = "item-29"
    rated = rate(asker, impression, shown=30, liked=1, disliked=1, contribution=-1, items=votes)
    assert rated.status_code == 201, rated.text
    assert rated.json()["contribution"] == -1
    (rating,) = [e for e in entries(client) if e.kind == "rating"]
    assert (rating.body["shown"], rating.body["contribution"]) == (30, -1)
    state = client.app.state  # type: ignore[attr-defined]
    with Session(state.engine) as session:
        row = session.exec(select(Rating)).one()
        assert (row.shown, row.contribution) == (30, -1)
        assert session.exec(select(Impression.list_length)).one() == 30


# --- bids backed by an attention escrow -------------------------------------------------------


def test_a_bid_is_listed_only_while_its_escrow_backs_it(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    acme = sign_up(client, "acme")
    model_id = live_model(client, tmp_path, acme, "shelf", bid=5)  # no escrow
    assert client.get(f"/v1/models/{model_id}").json()["escrow"] == 0
    assert client.get("/v1/models").json() == []  # unbacked: not listed
    asker = Asker(client, keys)
    asker.user.fund_budget(200)  # attention cap: 200 x 4% = 8 credits this epoch
    refused = asker.ask(model_id)
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        f"model {model_id} bids 5 credits per rated list but its attention escrow holds 0: it "
        f"is not listed until its developer tops the escrow up (POST /v1/models/{model_id}/escrow)"
    )
    assert [e for e in entries(client) if e.kind == "impression"] == []

    escrow_path = f"/v1/models/{model_id}/escrow"
    rival = sign_up(client, "rival")
    assert client.post(escrow_path, json={"amount": 5}, headers=rival.headers).status_code == 403
    for amount in (0, -5, True, "5"):
        answer = client.post(escrow_path, json={"amount": amount}, headers=acme.headers)
        assert answer.status_code == 422, amount
    too_much = client.post(escrow_path, json={"amount": 901}, headers=acme.headers)
    assert too_much.status_code == 409  # the faucet's 1000 less the stake of 100
    assert "overdraft" in too_much.json()["detail"]
    assert client.post(escrow_path, json={"amount": 5}).status_code == 401

    funded = client.post(escrow_path, json={"amount": 5}, headers=acme.headers)
    assert funded.status_code == 200, funded.text
    assert funded.json()["escrow"] == 5
    assert [m["id"] for m in client.get("/v1/models").json()] == [model_id]
    assert balance(client, "dev:acme") == 1000 - 100 - 5
    impression = ask_one(asker, model_id)
    wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
    assert (wallet["committed"], wallet["attention_cap_left"]) == (200, 8)

    # The rating's attention payment empties the escrow: the model is no longer listed.
    paid = rate(asker, impression, liked=1)
    assert paid.status_code == 201
    assert paid.json()["attention_paid"] == 5 - 1  # the fee is ceil(5 x 5%) = 1
    assert client.get(f"/v1/models/{model_id}").json()["escrow"] == 0
    assert client.get("/v1/models").json() == []
    assert asker.ask(model_id).status_code == 409
    wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
    assert wallet["attention_cap_left"] == 8 - 5


def test_a_deployment_escrows_its_stake_and_escrow_or_is_refused_unread(
    client: TestClient, tmp_path: Path
) -> None:
    acme = sign_up(client, "acme")
    unread = deploy(client, acme, b"not even a bundle", stake=100, bid=5, escrow=901)
    assert unread.status_code == 409  # refused before the (invalid) body is read
    assert unread.json()["detail"] == (
        "the stake of 100 credits and escrow of 901 is more than your balance of 1000"
    )
    model_id = live_model(client, tmp_path, acme, "shelf", bid=5, escrow=50)
    assert client.get(f"/v1/models/{model_id}").json()["escrow"] == 50
    assert balance(client, "dev:acme") == 1000 - 100 - 50
    escrowed = [e for e in entries(client) if e.body.get("memo") == "attention escrow"]
    assert [(e.body["from"], e.body["to"], e.body["amount"]) for e in escrowed] == [
        ("dev:acme", "escrow:shelf@1.0.0", 50)
    ]


# --- retirement: at once if never shown, else after the cooling-off period ------------------


def test_a_model_never_shown_gets_its_stake_and_escrow_back_at_once(
    client: TestClient, tmp_path: Path
) -> None:
    acme = sign_up(client, "acme")
    model_id = live_model(client, tmp_path, acme, "shelf", bid=5, escrow=30)
    retired = client.post(f"/v1/models/{model_id}/retire", headers=acme.headers)
    assert retired.status_code == 200, retired.text
    assert (retired.json()["status"], retired.json()["returned"]) == ("retired", 130)
    assert retired.json()["release_epoch"] is None
    assert balance(client, "dev:acme") == 1000
    kinds = [(e.kind, e.body.get("memo")) for e in entries(client)][-3:]
    assert kinds == [
        ("retire", None),
        ("transfer", crud.STAKE_RELEASED_MEMO),
        ("transfer", crud.ESCROW_RELEASED_MEMO),
    ]
    again = client.post(f"/v1/models/{model_id}/retire", headers=acme.headers)
    assert again.status_code == 409
    assert (
        client.post(
            f"/v1/models/{model_id}/escrow", json={"amount": 5}, headers=acme.headers
        ).status_code
        == 409
    )


def test_a_shown_model_is_released_after_cooling_off_and_can_burn_until_then(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    acme = sign_up(client, "acme")
    model_id = live_model(client, tmp_path, acme, "shelf", stake=100, bid=0, escrow=20)
    asker = Asker(client, keys)
    asker.user.fund_budget(50)
    impression = ask_one(asker, model_id)
    rival = sign_up(client, "rival")
    assert client.post(f"/v1/models/{model_id}/retire", headers=rival.headers).status_code == 403

    retired = client.post(f"/v1/models/{model_id}/retire", headers=acme.headers)
    assert retired.status_code == 200, retired.text
    assert (retired.json()["returned"], retired.json()["release_epoch"]) == (0, 2)
    assert "released at the settlement of epoch 2" in retired.json()["detail"]
    assert "can still burn" in retired.json()["detail"]
    assert asker.ask(model_id).status_code == 404  # no more impressions
    # Its last list is still rated, against it: the stake burns while it cools off.
    assert rate(asker, impression, disliked=2).status_code == 201
    settle(client)  # epoch 0: the whole budget votes against it, 10% of the stake burns
    assert balance(client, "stake:shelf@1.0.0") == 90
    settle(client)  # epoch 1: still cooling off
    assert balance(client, "stake:shelf@1.0.0") == 90
    assert balance(client, "dev:acme") == 1000 - 100 - 20
    released = settle(client)  # epoch 2: released
    memos = {str(e.body.get("memo")): e.body.get("amount") for e in released}
    assert memos["settle:2:release:shelf@1.0.0"] == 90
    assert memos["settle:2:release-escrow:shelf@1.0.0"] == 20
    assert balance(client, "dev:acme") == 1000 - 10
    assert balance(client, "stake:shelf@1.0.0") == 0
    key = client.get("/v1/ledger/key").json()["public_key"]
    report = verify_ledger(client.get("/v1/ledger").text.splitlines(), key)
    assert report.ok, report.error


# --- what the leaderboard and the wallet show --------------------------------------------------


def test_leaderboard_and_wallet_show_contributions_votes_and_the_last_settlement(
    client: TestClient, tmp_path: Path, keys: SecretKeys
) -> None:
    acme = sign_up(client, "acme")
    good = live_model(client, tmp_path, acme, "good")
    bad = live_model(client, tmp_path, sign_up(client, "grump-labs"), "bad")
    asker = Asker(client, keys)
    asker.user.fund_budget(200)
    first_good, first_bad = ask_one(asker, good), ask_one(asker, bad)
    assert rate(asker, first_good, liked=3).status_code == 201
    assert rate(asker, first_bad, disliked=1).status_code == 201
    late = ask_one(asker, good)  # rated after the epoch closed, with nothing committed to it
    wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
    assert wallet["last_settlement"] is None

    settle(client)  # 200 split 3 : 1 by contribution: 150 paid for good, 50 burned against bad
    assert rate(asker, late, liked=4, disliked=2).status_code == 201  # unfunded: moves nothing

    wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
    assert (wallet["epoch"], wallet["committed"], wallet["attention_cap_left"]) == (1, 0, 0)
    assert wallet["last_settlement"] == {
        "epoch": 0,
        "refunded": 0,
        "clawback": 0,
        "lines": [
            {"model": "bad@1.0.0", "contribution": -1, "paid": 0, "fee": 0, "burned": 50},
            {"model": "good@1.0.0", "contribution": 3, "paid": 142, "fee": 8, "burned": 0},
        ],
    }
    with MarketClient("http://testserver", asker.user.key, transport=through(client)) as app:
        seen = app.wallet()  # as the app parses it: typed, every field checked
    assert (seen.committed, seen.attention_cap_left) == (0, 0)
    assert seen.last_settlement == UserSettlement(
        epoch=0,
        refunded=0,
        clawback=0,
        lines=(
            PayoutLine(model="bad@1.0.0", contribution=-1, paid=0, fee=0, burned=50),
            PayoutLine(model="good@1.0.0", contribution=3, paid=142, fee=8, burned=0),
        ),
    )
    board = client.get("/v1/leaderboard").json()
    assert [row["name"] for row in board] == ["good", "bad"]
    numbers = ("ratings", "liked", "disliked", *LEADERBOARD_COLUMNS[2:])
    assert [tuple(row[k] for k in numbers) for row in board] == [
        (2, 7, 2, 3, 0, 4, 2, 150, 0, 142, 100, 0),
        (1, 0, 1, 0, 1, 0, 0, 0, 50, 0, 90, 0),
    ]


WALLET: dict[str, Any] = {
    "account": "a" * 64,
    "balance": 5,
    "epoch": 1,
    "budget": 0,
    "attention_earned": 0,
    "payouts": {},
    "committed": 0,
    "attention_cap_left": None,
    "last_settlement": None,
}
OLDER_WALLET_FIELDS = ("account", "balance", "epoch", "budget", "attention_earned", "payouts")
MARKET_INFO = {
    "public_key": "b" * 64,
    "api_version": "1",
    "signature_version": 2,
    "mode": "local",
    "faucet": True,
}


def read_wallet(wallet: dict[str, Any]) -> Wallet:
    """What the app's MarketClient makes of a market answering ``wallet``."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=MARKET_INFO if request.url.path == "/v1/market" else wallet)

    transport = httpx.MockTransport(answer)
    with MarketClient("http://market", IdentityKey.generate(), transport=transport) as app:
        return app.wallet()


@pytest.mark.parametrize(
    "change",
    [
        {"committed": True},
        {"attention_cap_left": "3"},
        {"last_settlement": []},
        {"last_settlement": {"epoch": 0, "refunded": 0, "clawback": 0, "lines": [{"paid": 1}]}},
        {"last_settlement": {"epoch": 0, "refunded": 0, "clawback": 0, "lines": ["x"]}},
    ],
)
def test_the_app_refuses_a_malformed_wallet(change: dict[str, Any]) -> None:
    with pytest.raises(MarketError, match="malformed"):
        read_wallet({**WALLET, **change})


def test_the_app_reads_a_wallet_from_a_market_before_rules_2() -> None:
    assert read_wallet(WALLET).last_settlement is None
    older = {key: value for key, value in WALLET.items() if key in OLDER_WALLET_FIELDS}
    assert (read_wallet(older).committed, read_wallet(older).attention_cap_left) == (None, None)


def read_market_info(info: dict[str, Any]) -> MarketInfo:
    """What the app's MarketClient makes of a market describing itself as ``info``."""
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, json=info))
    with MarketClient("http://market", IdentityKey.generate(), transport=transport) as app:
        return app.info()


@pytest.mark.parametrize(
    "change",
    [
        {"epoch": "3"},
        {"epoch_seconds": 1.5},
        {"epoch_seconds": 0},
        {"epoch_started": "yesterday"},
        {"epoch_started": "2026-05-01T12:00:00"},  # no offset: whose noon?
        {"epoch_due": 5},
        {"auto_settle": "yes"},
    ],
)
def test_the_app_refuses_a_malformed_epoch_clock(change: dict[str, Any]) -> None:
    clock = {"epoch": 3, "epoch_seconds": 60, "auto_settle": False}
    with pytest.raises(MarketError, match="malformed"):
        read_market_info({**MARKET_INFO, **clock, **change})


def test_the_app_reads_a_market_without_an_epoch_clock() -> None:
    older = read_market_info(MARKET_INFO)
    assert (older.epoch, older.epoch_seconds, older.epoch_due, older.auto_settle) == (
        None, None, None, None,
    )  # fmt: skip
    clock = {
        "epoch": 3,
        "epoch_seconds": 60,
        "epoch_started": "2026-05-01T12:00:00Z",
        "epoch_due": "2026-05-01T12:01:00Z",
        "auto_settle": True,
    }
    newer = read_market_info({**MARKET_INFO, **clock})
    assert newer.epoch_due is not None and newer.epoch_started is not None
    assert (newer.epoch_due - newer.epoch_started).total_seconds() == 60 and newer.auto_settle
