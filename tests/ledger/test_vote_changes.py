"""Rules 3: a user changes the vote on an impression they rated, while that rating's epoch is
open; the change replaces the rating's effect, pays no attention again, and is bounded."""

from __future__ import annotations

import dataclasses

import pytest

from ledger.book import Votes
from ledger.economy import Body, EconomyParams, LedgerError, dev_account, user_account
from ledger.entries import Entry, make_entry
from ledger.replay import Ledger
from ledger.verify import verify_ledger
from tests.ledger.test_economy import DEVELOPERS, KEY, USERS, Market
from tests.ledger.test_rules_v2 import V2, funded, memos, staked

V3 = EconomyParams(fee_bps=500, burn_bps=1000, burn_cap=1000, attention_bps=1000)
u0, u1, _ = USERS


def market_v3(max_vote_changes: int = V3.max_vote_changes) -> Market:
    market = Market(params=dataclasses.replace(V3, max_vote_changes=max_vote_changes))
    for model in DEVELOPERS:
        staked(market, model, 100)
    return market


def settlement(market: Market) -> list[tuple[str, str, int]]:
    return memos(market.settle()[:-1])


def test_a_changed_vote_replaces_the_ratings_effect_on_the_settlement() -> None:
    changed = market_v3()
    funded(changed, u0, 100)
    alpha = changed.show(u0, "alpha")
    changed.rate(alpha, liked=2)
    changed.rate(changed.show(u0, "beta"), liked=1)
    changed.change_vote(alpha, liked=0, disliked=2)  # liked, then thought better of it
    assert changed.ledger.book.contributions(0, u0) == {"alpha": -2, "beta": 1}
    assert settlement(changed) == [
        ("burn", "settle:0:vote:alpha", 67),
        ("transfer", "settle:0:share:beta", 31),
        ("transfer", "settle:0:fee:beta", 2),
        ("burn", "settle:0:burn:alpha", 10),
    ]
    # The changed votes moved the model's tallies, not added to them.
    assert changed.ledger.book.votes("alpha") == Votes(funded_disliked=2)


def test_the_same_as_a_rating_made_with_the_final_vote() -> None:
    changed, direct = market_v3(), market_v3()
    for market in (changed, direct):
        funded(market, u0, 100)
    changed.rate(changed.show(u0, "alpha"), liked=3)
    changed.change_vote("imp0", liked=1, disliked=1, contribution=0)
    changed.change_vote("imp0", liked=2, disliked=0, contribution=1)
    direct.rate(direct.show(u0, "alpha"), liked=3, contribution=1)
    # shown differs (the helper sizes it from the first counts), the settlement does not.
    assert settlement(changed) == settlement(direct)


def test_a_change_pays_no_attention_again() -> None:
    market = market_v3()
    market.mint(dev_account("acme"), 50)
    market.pay(dev_account("acme"), "escrow:alpha", 50, "attention escrow")
    funded(market, u0, 100)
    paid = market.rate(market.show(u0, "alpha"), liked=1)
    assert [e.body["amount"] for e in paid] == [4, 1]
    before = market.balance(user_account(u0))
    count = len(market.ledger)
    market.change_vote("imp0", liked=0, disliked=1)
    assert len(market.ledger) == count + 1  # the change alone, no payment follows it
    assert market.balance(user_account(u0)) == before
    assert market.ledger.book.attention_counted(u0, 0) == 5


def test_an_unfunded_users_change_moves_nothing() -> None:
    market = market_v3()
    funded(market, u1, 100)
    market.rate(market.show(u1, "alpha"), liked=1)  # a funded vote for alpha
    market.rate(market.show(u0, "beta"), liked=1, disliked=3)  # u0 committed nothing
    market.change_vote("imp1", liked=0, disliked=3, contribution=-3)
    book = market.ledger.book
    assert book.contributions(0, u0) is None  # still weighs 0
    assert book.votes("beta") == Votes(unfunded_disliked=3)
    # Funding after the rating does not make it weigh: it was counted where it was cast.
    funded(market, u0, 100)
    market.change_vote("imp1", liked=0, disliked=2, contribution=-2)
    assert book.contributions(0, u0) is None
    assert book.votes("beta") == Votes(unfunded_disliked=2)
    assert ("burn", "settle:0:burn:beta", 10) not in settlement(market)


def test_changes_per_rating_are_capped() -> None:
    market = market_v3(max_vote_changes=2)
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1, disliked=1)
    market.change_vote("imp0", liked=0, disliked=1)
    market.change_vote("imp0", liked=1, disliked=0)
    count = len(market.ledger)
    with pytest.raises(LedgerError, match="has changed 2 times, the most the rules allow"):
        market.change_vote("imp0", liked=0, disliked=2)
    assert len(market.ledger) == count
    assert market.ledger.book.contributions(0, u0) == {"alpha": 1}


@pytest.mark.parametrize(
    ("liked", "disliked", "contribution", "error"),
    [
        (1, 0, 1, "changes nothing"),
        (1, 0, 2, "between -disliked and liked"),
        (3, 3, 0, "exceeds shown"),
    ],
)
def test_a_pointless_or_inconsistent_change_is_refused(
    liked: int, disliked: int, contribution: int, error: str
) -> None:
    market = market_v3()
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1, disliked=1, contribution=1)
    market.change_vote("imp0", liked=1, disliked=0, contribution=1)
    with pytest.raises(LedgerError, match=error):
        market.change_vote("imp0", liked=liked, disliked=disliked, contribution=contribution)


def test_after_settlement_a_vote_no_longer_changes() -> None:
    market = market_v3()
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1)
    market.settle()
    with pytest.raises(LedgerError, match="is settled: its vote can no longer change"):
        market.change_vote("imp0", liked=0, disliked=1)


def body_of(market: Market, impression: str, **changes: object) -> Body:
    rating = next(e for e in market.entries if e.kind == "rating")
    assert rating.body["impression_id"] == impression
    return {**rating.body, **changes}  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"user": u1}, "only the user who rated imp0"),
        ({"model": "beta", "developer": DEVELOPERS["beta"]}, "names another model"),
        ({"shown": 5}, "keeps its rating's shown and per_item"),
        ({"per_item": True}, "keeps its rating's shown and per_item"),
        ({"impression_id": "imp1"}, "not rated yet: rate it instead"),
        ({"impression_id": "nowhere"}, "unknown impression nowhere"),
    ],
)
def test_only_its_user_changes_a_rated_vote_and_only_the_vote(
    changes: dict[str, object], error: str
) -> None:
    market = market_v3()
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1)
    market.show(u0, "beta")
    body = body_of(market, "imp0", liked=0, disliked=1, contribution=-1, **changes)
    with pytest.raises(LedgerError, match=error):
        market.ledger.change_vote(body, time=market.time)


def test_rules_2_have_no_vote_changes_and_an_upgrade_brings_them() -> None:
    market = Market(params=V2)
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1)
    with pytest.raises(LedgerError, match="under rules 2 a vote cannot change"):
        market.change_vote("imp0", liked=0, disliked=1)
    market.switch(V3)  # from the next epoch on
    market.settle()
    assert market.rules == 3
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1)
    market.change_vote("imp1", liked=0, disliked=1)
    assert market.ledger.book.contributions(1, u0) == {"alpha": -1}


def test_a_ledger_with_changes_verifies_and_resumes_from_a_checkpoint() -> None:
    market = market_v3()
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=2)
    market.change_vote("imp0", liked=1, disliked=1, contribution=0)
    resumed = Ledger.from_checkpoint(KEY, market.ledger.checkpoint())
    assert resumed.book.rated_vote(0, "imp0") == market.ledger.book.rated_vote(0, "imp0")
    body = {**market.entries[-1].body, "liked": 0, "disliked": 2, "contribution": -2}
    for ledger in (market.ledger, resumed):
        ledger.change_vote(body, time=market.time)
    assert resumed.checkpoint() == market.ledger.checkpoint()
    market.settle()
    report = verify_ledger(market.ledger.lines(), KEY.public_key_hex)
    assert report.ok, report.error
    assert market.ledger.book.rated_vote(0, "imp0") is None  # dropped with the epoch


def test_a_forged_vote_change_fails_verification_where_it_is() -> None:
    market = market_v3()
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=1)
    market.settle()
    lines = market.ledger.lines()
    # The market signs a change of a vote whose epoch has settled: verification catches it.
    forged_body = {**body_of(market, "imp0"), "liked": 0, "disliked": 1, "contribution": -1}
    last = Entry.from_json_line(lines[-1])
    forged = make_entry(last, "vote_change", forged_body, epoch=1, time=last.time, key=KEY)
    report = verify_ledger([*lines, forged.to_json_line()], KEY.public_key_hex)
    assert not report.ok and report.bad_seq == len(lines)
    assert "can no longer change" in str(report.error)
