"""Rules 4: a developer's federated training run escrows a budget, each accepted contribution is
paid from it (capped by what the user committed), the rest goes back at the close; every
payment is recomputed by a replay, and nothing else may move a training escrow."""

from __future__ import annotations

import dataclasses

import pytest

from ledger.economy import (
    MARKET,
    Body,
    EconomyParams,
    LedgerError,
    dev_account,
    training_account,
    user_account,
)
from ledger.entries import Entry, make_entry
from ledger.replay import Ledger
from ledger.verify import verify_ledger
from tests.ledger.test_economy import KEY, USERS, Market
from tests.ledger.test_rules_v2 import funded, memos

V4 = EconomyParams(rules=4, fee_bps=500, training_bps=1000)
RUN = "ab" * 16
u0, u1, u2 = USERS


def market_v4(params: EconomyParams = V4) -> Market:
    market = Market(params=params)
    market.mint(dev_account("acme"), 1000)
    return market


def open_run(market: Market, budget: int = 100, reward: int = 20, rounds: int = 3) -> list[Entry]:
    body: Body = {
        "training": RUN,
        "model": "alpha",
        "developer": "acme",
        "budget": budget,
        "reward": reward,
        "rounds": rounds,
    }
    return market.ledger.append_with_run(
        "training_open", body, epoch=market.epoch, time=market.time
    )


def contribute(market: Market, user: str, round_index: int = 0) -> list[Entry]:
    body: Body = {"training": RUN, "round": round_index, "user": user}
    return market.ledger.append_with_run(
        "training_contribution", body, epoch=market.epoch, time=market.time
    )[1:]


def close(market: Market) -> list[Entry]:
    body: Body = {"training": RUN}
    return market.ledger.append_with_run(
        "training_close", body, epoch=market.epoch, time=market.time
    )[1:]


def test_a_run_escrows_pays_contributors_less_the_fee_and_returns_the_rest() -> None:
    market = market_v4()
    funded(market, u0, 1000)  # may earn 10 % of it by training this epoch: 100
    funded(market, u1, 1000)
    assert memos(open_run(market)[1:]) == [("transfer", f"training:{RUN}:escrow", 100)]
    assert market.balance(dev_account("acme")) == 900
    paid = contribute(market, u0)
    assert [(e.body["to"], e.body["amount"]) for e in paid] == [
        (user_account(u0), 19),
        (MARKET, 1),  # 5 % rounded up
    ]
    contribute(market, u1)
    contribute(market, u0, round_index=1)
    assert market.balance(training_account(RUN)) == 40
    assert market.ledger.book.training_earned(u0) == 38
    assert memos(close(market)) == [("transfer", f"training:{RUN}:refund", 40)]
    assert market.balance(dev_account("acme")) == 940
    assert market.balance(training_account(RUN)) == 0
    report = verify_ledger(market.ledger.lines(), KEY.public_key_hex)
    assert report.ok, report.error


def test_a_free_account_is_paid_nothing_and_a_funded_one_at_most_its_cap() -> None:
    market = market_v4()
    funded(market, u0, 250)  # cap 25 for the epoch
    market.mint(user_account(u2), 1000)  # holds credits but committed none
    open_run(market, budget=100, reward=20, rounds=3)
    assert contribute(market, u2) == []  # recorded, unpaid
    assert [e.body["amount"] for e in contribute(market, u0, 0)] == [19, 1]
    assert [e.body["amount"] for e in contribute(market, u0, 1)] == [4, 1]  # 5 left of 25
    assert contribute(market, u0, 2) == []
    assert market.balance(training_account(RUN)) == 75


def test_the_cap_follows_the_epoch_of_the_commitment() -> None:
    market = market_v4()
    funded(market, u0, 200)  # cap 20
    open_run(market, budget=100, reward=20, rounds=3)
    assert len(contribute(market, u0, 0)) == 2
    assert contribute(market, u0, 1) == []
    market.settle()
    funded(market, u0, 200)  # a new epoch, a new commitment, a new cap
    assert len(contribute(market, u0, 2)) == 2


def test_the_escrow_pays_no_more_than_it_holds() -> None:
    market = market_v4()
    funded(market, u0, 1000)
    funded(market, u1, 1000)
    open_run(market, budget=30, reward=20)
    contribute(market, u0)
    assert [e.body["amount"] for e in contribute(market, u1)] == [9, 1]
    assert close(market) == []  # nothing left to return


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: contribute(m, u0, 0), "contributed to round 0 already"),
        (lambda m: contribute(m, u0, 3), "has 3 rounds"),
        (lambda m: open_run(m), "already used"),
        (lambda m: m.pay(training_account(RUN), dev_account("acme"), 1), "moves only by"),
        (lambda m: m.pay(dev_account("acme"), training_account(RUN), 1), "moves only by"),
        (
            lambda m: m.pay(dev_account("acme"), user_account(u0), 1, f"training:{RUN}:0:{u0}"),
            "rules compute",
        ),
    ],
)
def test_what_the_rules_refuse(change: object, message: str) -> None:
    market = market_v4()
    funded(market, u0, 1000)
    open_run(market)
    contribute(market, u0, 0)
    before = len(market.ledger)
    with pytest.raises(LedgerError, match=message):
        change(market)  # type: ignore[operator]
    assert len(market.ledger) == before


def test_a_run_needs_a_registered_model_its_developer_and_the_budget() -> None:
    market = market_v4()
    body: Body = {
        "training": RUN,
        "model": "gamma",  # bolt's
        "developer": "acme",
        "budget": 10,
        "reward": 5,
        "rounds": 1,
    }
    with pytest.raises(LedgerError, match="not registered to acme"):
        market.ledger.append_with_run("training_open", body, epoch=0, time=market.time)
    with pytest.raises(LedgerError, match="overdraft"):
        open_run(market, budget=5000, reward=1)
    with pytest.raises(LedgerError, match="exceeds the budget"):
        open_run(market, budget=10, reward=11)
    market.retire("alpha")
    with pytest.raises(LedgerError, match="retired"):
        open_run(market)


def test_a_closed_run_takes_no_contribution_and_does_not_reopen() -> None:
    market = market_v4()
    funded(market, u0, 1000)
    open_run(market)
    close(market)
    with pytest.raises(LedgerError, match="not open"):
        contribute(market, u0)
    with pytest.raises(LedgerError, match="not open"):
        close(market)
    with pytest.raises(LedgerError, match="already used"):
        open_run(market)


def test_older_rules_have_no_training() -> None:
    market = market_v4(dataclasses.replace(V4, rules=3))
    with pytest.raises(LedgerError, match="no training runs"):
        open_run(market)


def test_a_forged_training_payment_fails_the_replay() -> None:
    market = market_v4()
    funded(market, u0, 1000)
    open_run(market)
    contribute(market, u0)
    lines = market.ledger.lines()
    # Re-sign the user's payment with a larger amount: chained and signed, but not what the
    # rules compute, so a verifier with the market's key still refuses it.
    entries = [Entry.from_json_line(line) for line in lines]
    at = next(i for i, e in enumerate(entries) if e.body.get("to") == user_account(u0))
    forged = [*entries[:at]]
    body = {**entries[at].body, "amount": 20}
    forged.append(make_entry(forged[-1], "transfer", body, epoch=0, time=entries[at].time, key=KEY))
    report = verify_ledger([e.to_json_line() for e in forged], KEY.public_key_hex)
    assert not report.ok and "not what the rules compute" in str(report.error)


def test_a_checkpoint_resumes_an_open_run() -> None:
    market = market_v4()
    funded(market, u0, 1000)
    funded(market, u1, 1000)
    open_run(market)
    contribute(market, u0)
    resumed = Ledger.from_checkpoint(KEY, market.ledger.checkpoint())
    assert resumed.book.to_state() == market.ledger.book.to_state()
    with pytest.raises(LedgerError, match="already"):
        resumed.append_with_run(
            "training_contribution",
            {"training": RUN, "round": 0, "user": u0},
            epoch=0,
            time=market.time,
        )
