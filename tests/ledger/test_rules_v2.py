"""Rules 2: settlement by contribution to the blended list, attention against this epoch's
commitment out of an escrow, the stake life cycle, rounding that never makes a payment free,
switching rules from an epoch on; and the invariants on random histories that switch rules."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import rules
from ledger.book import Contribution
from ledger.economy import (
    MARKET,
    EconomyParams,
    LedgerError,
    budget_account,
    dev_account,
    escrow_account,
    parse_params_entry,
    stake_account,
    user_account,
)
from ledger.entries import Entry, canonical
from ledger.replay import Ledger
from ledger.verify import Verifier, verify_ledger
from tests.ledger.test_economy import (
    BIDS,
    DEVELOPERS,
    EVENTS,
    KEY,
    MINTABLE,
    OPENING,
    PARAMS,
    USERS,
    V1,
    Market,
    check_invariants,
    check_settlement,
    paid,
    run_event,
)

V2 = EconomyParams(rules=2, fee_bps=500, burn_bps=1000, burn_cap=1000, attention_bps=1000)
u0, u1, u2 = USERS


def staked(market: Market, model: str, stake: int) -> None:
    developer = dev_account(DEVELOPERS[model])
    market.mint(developer, stake)
    market.pay(developer, stake_account(model), stake, "stake")


def funded(market: Market, user: str, amount: int) -> None:
    market.mint(user_account(user), amount)
    market.fund(user, amount)


def memos(entries: Sequence[Entry]) -> list[tuple[str, str, int]]:
    return [(e.kind, str(e.body.get("memo")), int(e.body.get("amount", 0))) for e in entries]


# --- settlement --------------------------------------------------------------------------------


def test_a_budget_is_split_by_contribution_and_a_dislike_burns_what_it_weighs() -> None:
    market = Market(params=V2, bids=dict.fromkeys(DEVELOPERS, 0))
    staked(market, "gamma", 1000)
    funded(market, u0, 100)
    market.rate(market.show(u0, "alpha"), liked=3, contribution=3)
    market.rate(market.show(u0, "beta"), liked=2, contribution=0)  # copied: brought nothing
    market.rate(market.show(u0, "gamma"), liked=0, disliked=1, contribution=-1)
    settled = market.settle()
    assert memos(settled[:-1]) == [
        ("transfer", "settle:0:share:alpha", 71),  # 75, less a fee of 3.75 rounded up
        ("transfer", "settle:0:fee:alpha", 4),
        ("burn", "settle:0:vote:gamma", 25),
        ("burn", "settle:0:burn:gamma", 25),  # its net is -25: the stake loses as much
    ]
    book = market.ledger.book
    assert book.contribution("alpha").paid_for == 75
    assert book.contribution("gamma").voted_against == 25
    assert book.balance(stake_account("gamma")) == 975
    last = book.last_settlement(u0)
    assert last is not None and last.epoch == 0 and last.refunded == 0
    assert [
        (line.model, line.contribution, line.paid, line.fee, line.burned) for line in last.lines
    ] == [
        ("alpha", 3, 71, 4, 0),
        ("gamma", -1, 0, 0, 25),
    ]
    check_invariants(market)


@pytest.mark.parametrize(
    ("stake", "against", "burned"),
    [(5, 10, 1), (100, 3, 3), (100, 50, 10), (100_000, 5000, 1000)],
)
def test_a_net_negative_model_burns_in_proportion_at_least_one_and_capped(
    stake: int, against: int, burned: int
) -> None:
    market = Market(params=V2, bids=dict.fromkeys(DEVELOPERS, 0))
    staked(market, "gamma", stake)
    funded(market, u0, against)
    market.rate(market.show(u0, "gamma"), liked=0, disliked=1, contribution=-1)
    market.settle()
    assert market.balance(stake_account("gamma")) == stake - burned


def test_a_budget_never_used_is_refunded_and_one_that_paid_no_model_keeps_its_attention() -> None:
    market = Market(params=V2, bids={"alpha": 10, "beta": 0, "gamma": 0})
    market.mint(dev_account("acme"), 100)
    market.pay(dev_account("acme"), escrow_account("alpha"), 100, "attention escrow")
    funded(market, u0, 50)
    funded(market, u1, 50)
    payments = market.rate(market.show(u0, "alpha"), liked=0, contribution=0)
    assert paid(payments) == [(user_account(u0), 4), (MARKET, 1)]  # 10% of 50, fee 0.25 -> 1
    settled = market.settle()
    assert sorted(memos(settled[:-1])) == [
        ("burn", "settle:0:clawback", 5),
        ("transfer", "settle:0:refund", 45),
        ("transfer", "settle:0:refund", 50),  # u1 rated nothing
    ]
    assert market.balance(user_account(u0)) == 4 + 45 and market.balance(user_account(u1)) == 50
    check_invariants(market)


def test_unfunded_ratings_move_nothing_and_are_counted_apart() -> None:
    market = Market(params=V2, bids=dict.fromkeys(DEVELOPERS, 5))
    staked(market, "gamma", 1000)
    market.mint(dev_account("acme"), 100)
    market.pay(dev_account("acme"), escrow_account("alpha"), 100, "attention escrow")
    assert market.rate(market.show(u0, "alpha"), liked=9, contribution=9) == []  # no attention
    market.rate(market.show(u0, "gamma"), liked=0, disliked=9, contribution=-9)
    funded(market, u0, 10)  # committing afterwards gives the earlier ratings no weight
    settled = market.settle()
    assert memos(settled[:-1]) == [("transfer", "settle:0:refund", 10)]
    votes = market.ledger.book.votes("alpha")
    assert (votes.funded_liked, votes.unfunded_liked) == (0, 9)
    assert market.balance(stake_account("gamma")) == 1000


def test_a_burn_cannot_be_bought_off_by_budgets_that_pay_the_model() -> None:
    """Budgets its developer's own accounts pay a model do not offset the votes against it:
    else a 5% fee would buy off any burn."""
    market = Market(params=V2, bids=dict.fromkeys(DEVELOPERS, 0))
    staked(market, "gamma", 1000)
    funded(market, u0, 40)
    funded(market, u1, 400)  # a friend of gamma's developer, paying it ten times as much
    market.rate(market.show(u0, "gamma"), liked=0, disliked=2, contribution=-2)
    market.rate(market.show(u1, "gamma"), liked=3, contribution=3)
    market.settle()
    assert market.ledger.book.contribution("gamma") == Contribution(paid_for=400, voted_against=40)
    assert market.balance(stake_account("gamma")) == 1000 - 40


# --- attention ---------------------------------------------------------------------------------


def test_attention_is_capped_by_this_epochs_commitment_and_paid_from_the_escrow() -> None:
    market = Market(params=V2, bids={"alpha": 3, "beta": 0, "gamma": 0})
    market.mint(dev_account("acme"), 1000)
    market.pay(dev_account("acme"), escrow_account("alpha"), 8, "attention escrow")
    funded(market, u0, 100)  # 10% of 100: at most 10 this epoch
    amounts = [
        sum(amount for _, amount in paid(market.rate(market.show(u0, "alpha"), per_item=True)))
        for _ in range(3)
    ]
    assert amounts == [6, 2, 0]  # 2 x 3 per item, then the escrow runs out at 8
    assert market.balance(escrow_account("alpha")) == 0
    assert market.balance(dev_account("acme")) == 992  # the developer's balance is not touched
    market.pay(dev_account("acme"), escrow_account("alpha"), 100, "attention escrow")
    assert sum(a for _, a in paid(market.rate(market.show(u0, "alpha"), per_item=True))) == 2
    assert paid(market.rate(market.show(u0, "alpha"))) == []  # 10 counted: the cap is reached
    market.settle()
    assert paid(market.rate(market.show(u0, "alpha"))) == []  # a new epoch, nothing committed


# --- the stake's life cycle --------------------------------------------------------------------


def test_a_retired_model_still_burns_during_its_cooling_off_then_gets_the_rest_back() -> None:
    market = Market(params=V2, bids=dict.fromkeys(DEVELOPERS, 0))
    staked(market, "gamma", 100)
    market.mint(dev_account("bolt"), 20)
    market.pay(dev_account("bolt"), escrow_account("gamma"), 20, "attention escrow")
    impression = market.show(u0, "gamma")
    market.retire("gamma")
    with pytest.raises(LedgerError, match="retired"):
        market.show(u1, "gamma")
    with pytest.raises(LedgerError, match="cooling-off"):
        market.pay(stake_account("gamma"), dev_account("bolt"), 1)
    market.settle()  # epoch 0
    funded(market, u0, 7)
    market.rate(impression, liked=0, disliked=1, contribution=-1)  # rated in epoch 1
    assert market.settle()[-2].body["memo"] == "settle:1:burn:gamma"
    assert market.balance(stake_account("gamma")) == 93
    released = market.settle()  # epoch 2 = retired + cooling_off_epochs
    assert memos(released[:-1]) == [
        ("transfer", "settle:2:release:gamma", 93),
        ("transfer", "settle:2:release-escrow:gamma", 20),
    ]
    assert market.balance(dev_account("bolt")) == 113
    assert market.settle()[:-1] == []  # released once


# --- switching rules ---------------------------------------------------------------------------


def test_rules_switch_from_an_epoch_on_and_each_epoch_settles_under_its_own() -> None:
    market = Market(params=V1(fee_bps=0, min_funding=0), bids=dict.fromkeys(DEVELOPERS, 0))
    funded(market, u0, 10)
    market.rate(market.show(u0, "alpha"), liked=2)
    switch = market.switch(V2)  # epoch 0 has entries: from epoch 1 on
    assert switch.body["from_epoch"] == 1 and market.ledger.rules_for(0).rules == 1
    with pytest.raises(LedgerError, match="cannot have list"):  # epoch 0 is still rules 1
        market.add(
            "impression",
            {"impression_id": "x", "user": u0, "model": "alpha", "developer": "acme", "list": 3},
        )
    assert memos(market.settle()[:-1]) == [("transfer", "settle:0:share:alpha", 10)]  # v1: no fee
    assert market.rules == 2
    funded(market, u0, 10)
    market.rate(market.show(u0, "alpha"), liked=2)
    assert memos(market.settle()[:-1]) == [
        ("transfer", "settle:1:share:alpha", 9),
        ("transfer", "settle:1:fee:alpha", 1),
    ]
    again = market.switch(EconomyParams(fee_bps=0, attention_bps=1000))  # first of epoch 2
    assert again.body["from_epoch"] == 2
    with pytest.raises(LedgerError, match="never go back"):
        market.switch(V1())
    report = verify_ledger(market.ledger.lines(), KEY.public_key_hex)
    assert report.ok, report.error


# --- invariants on random histories that switch rules ------------------------------------------

PARAMS_2 = st.builds(
    EconomyParams,
    rules=st.sampled_from([2, 3]),
    max_vote_changes=st.integers(0, 3),
    fee_bps=st.integers(0, 10_000),
    burn_bps=st.integers(0, 10_000),
    burn_cap=st.integers(0, 200),
    attention_bps=st.integers(0, 10_000),
    per_item_multiplier=st.integers(1, 3),
    cooling_off_epochs=st.integers(0, 2),
    list_length=st.integers(10, 20),
)
RULES_2_EVENTS = st.one_of(
    EVENTS,
    st.tuples(st.just("switch"), PARAMS_2),
    st.tuples(st.just("escrow"), st.sampled_from(sorted(DEVELOPERS)), st.integers(1, 100)),
    st.tuples(st.just("retire"), st.sampled_from(sorted(DEVELOPERS))),
    st.tuples(
        st.just("rate with contribution"),
        st.sampled_from(USERS),
        st.sampled_from(sorted(DEVELOPERS)),
        st.integers(0, 4),
        st.integers(0, 4),
        st.integers(-4, 4),
    ),
    st.tuples(st.just("change vote"), st.integers(0, 99), st.integers(0, 4), st.integers(0, 4)),
)


def run_rules_2_event(market: Market, event: tuple[object, ...]) -> None:
    book = market.ledger.book
    match event:
        case ("switch", EconomyParams() as params):
            if params.rules >= market.ledger.latest_rules.rules:
                market.switch(params)
        case ("escrow", str(model), int(amount)):
            developer = dev_account(DEVELOPERS[model])
            amount = min(amount, book.balance(developer))
            if amount:
                market.pay(developer, escrow_account(model), amount, "attention escrow")
        case ("retire", str(model)):
            if model not in book.retired:
                market.retire(model)
        case ("rate with contribution", str(user), str(model), int(liked), int(disliked), int(c)):
            if model not in book.retired:
                contribution = max(-disliked, min(liked, c))
                market.rate(market.show(user, model), liked, disliked, contribution=contribution)
        case ("change vote", int(pick), int(liked), int(disliked)):
            rated = [i for i in market.impressions if book.rated_vote(market.epoch, i)]
            params = market.ledger.rules_for(market.epoch)
            if rated and params.rules >= 3:
                impression = rated[pick % len(rated)]
                before = book.rated_vote(market.epoch, impression)
                assert before is not None
                liked = min(liked, before.shown)  # first: the dislikes fit in what is left
                disliked = min(disliked, before.shown - liked)
                new = (liked, disliked, liked - disliked)
                if before.changes < params.max_vote_changes and new != (
                    before.liked,
                    before.disliked,
                    before.contribution,
                ):
                    count = len(market.ledger)
                    market.change_vote(impression, liked, disliked)
                    assert len(market.ledger) == count + 1  # never a payment
        case ("show" | "show and rate", _, str(model), *_) if model in book.retired:
            pass  # the server shows a retired model no more
        case _:
            run_event(market, event)


def epoch_params(market: Market, epoch: int) -> EconomyParams:
    """The params in force for ``epoch``, read from the params entries alone."""
    found = [parse_params_entry(e.body) for e in market.entries if e.kind == "params"]
    return [params for params, start in found if start <= epoch][-1]


def attention_within_commitment(market: Market) -> None:
    """Under rules 2, no user is paid more attention (fees included) in an epoch than its
    attention_bps share of what they committed to that epoch's budget."""
    entries = market.entries
    rater = {e.body["impression_id"]: e.body["user"] for e in entries if e.kind == "rating"}
    committed: dict[tuple[str, int], int] = {}
    counted: dict[tuple[str, int], int] = {}
    for e in entries:
        memo = str(e.body.get("memo", ""))
        if e.kind == "transfer" and str(e.body["to"]).startswith("budget:"):
            _, user, budget_epoch = str(e.body["to"]).split(":")
            key = (user, int(budget_epoch))
            committed[key] = committed.get(key, 0) + int(e.body["amount"])
        if e.kind == "transfer" and memo.startswith("attention:"):
            key = (str(rater[memo.removeprefix("attention:")]), e.epoch)
            counted[key] = counted.get(key, 0) + int(e.body["amount"])
    for (user, epoch), amount in counted.items():
        params = epoch_params(market, epoch)
        if params.rules >= 2:
            assert amount <= committed.get((user, epoch), 0) * params.attention_bps // 10_000


@settings(max_examples=80, deadline=None)
@given(
    st.one_of(PARAMS, PARAMS_2),
    BIDS,
    OPENING,
    st.lists(RULES_2_EVENTS, min_size=5, max_size=80),
)
def test_random_histories_with_contributions_and_rule_switches_keep_the_invariants(
    params: EconomyParams,
    bids: dict[str, int],
    opening: list[int],
    events: list[tuple[object, ...]],
) -> None:
    market = Market(params=params, bids=bids)
    for account, amount in zip(MINTABLE, opening, strict=True):
        if amount:
            market.mint(account, amount)
    for event in events:
        if event == ("settle",):
            budgets = {u: market.balance(budget_account(u, market.epoch)) for u in USERS}
            check_settlement(market)
            for user, held in budgets.items():  # every budget is disposed of, once
                assert market.balance(budget_account(user, market.epoch - 1)) == 0 or not held
        else:
            run_rules_2_event(market, event)
        check_invariants(market)
    attention_within_commitment(market)
    entries = market.entries
    # Replay determinism: the entries alone give the same book, the same open settlement, a
    # passing verification, and a checkpoint that resumes to the same state.
    book = rules.replay(entries)
    assert book.balances() == market.ledger.book.balances()
    assert book.totals == market.ledger.book.totals
    params_now = market.ledger.rules_for(market.epoch)
    assert canonical(rules.settle(book, market.epoch, DEVELOPERS, params_now)) == canonical(
        rules.settle(market.ledger.book, market.epoch, DEVELOPERS, params_now)
    )
    lines = market.ledger.lines()
    report = verify_ledger(lines, KEY.public_key_hex)
    assert report.ok, report.error
    cut = len(lines) // 2
    verifier = Verifier(KEY.public_key_hex)
    verifier.feed(lines[:cut])
    resumed = Verifier(KEY.public_key_hex, checkpoint=verifier.checkpoint())
    resumed.feed(lines[cut:])
    whole = Ledger(KEY, entries)
    assert resumed.checkpoint() == whole.checkpoint()
