"""The economy under rules 1 (which old ledgers keep verifying by): exact splits, fees, caps,
burns, and the invariants on random event sequences. Rules 2 are in test_rules_v2.py."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import economy, rules
from ledger.economy import (
    MARKET,
    Body,
    EconomyParams,
    LedgerError,
    budget_account,
    dev_account,
    largest_remainder,
    stake_account,
    user_account,
)
from ledger.entries import Entry, canonical, format_time, make_entry
from ledger.keys import MarketKey
from ledger.replay import Ledger

KEY = MarketKey.from_seed_hex("22" * 32)
START = datetime(2024, 1, 1, 8, tzinfo=UTC)
USERS = [hashlib.sha256(bytes([i])).hexdigest() for i in range(3)]
DEVELOPERS = {"alpha": "acme", "beta": "acme", "gamma": "bolt"}  # model -> developer
V1 = partial(EconomyParams, rules=1)
FREE = V1(fee_bps=0, burn_bps=1000, burn_cap=1000, min_funding=0)
LIST = 10  # items in every list the test markets show (liked + disliked + 1 stays below)


def settle(
    entries: Iterable[Entry], epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
) -> list[tuple[str, Body]]:
    """The settlement the rules compute from these entries alone."""
    return rules.settle(rules.replay(entries), epoch, stakes_of, params)


def attention_payment(
    entries: tuple[Entry, ...], body: Body, bid: int, *, day: str, params: EconomyParams
) -> list[Body]:
    last = entries[-1] if entries else None  # the rating's epoch is the open one
    epoch = 0 if last is None else last.epoch + (last.kind == "epoch_close")
    return rules.attention_payment(
        rules.replay(entries), body, bid, day=day, epoch=epoch, params=params
    )


@dataclass
class Market:
    """A ledger driven like the server drives it: a clock, an open epoch, helpers per event."""

    params: EconomyParams = field(default_factory=V1)
    bids: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEVELOPERS, 5))
    ledger: Ledger = field(default_factory=lambda: Ledger(KEY, keep_entries=True))
    epoch: int = 0
    seconds: int = 0
    impressions: list[str] = field(default_factory=list)
    rated: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.ledger.switch_rules(self.params, time=self.time)  # the opening params entry
        for model, developer in DEVELOPERS.items():
            self.add("model", {"model": model, "developer": developer, "bid": self.bids[model]})

    @property
    def time(self) -> str:
        return format_time(START + timedelta(seconds=self.seconds))

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.ledger.entries

    def add(self, kind: str, body: Body) -> Entry:
        return self.ledger.append(kind, body, epoch=self.epoch, time=self.time)

    def mint(self, account: str, amount: int) -> None:
        self.add("mint", {"account": account, "amount": amount, "memo": "deposit"})

    def pay(self, source: str, target: str, amount: int, memo: str = "") -> None:
        self.add("transfer", {"from": source, "to": target, "amount": amount, "memo": memo})

    def fund(self, user: str, amount: int, epoch: int | None = None) -> None:
        target = budget_account(user, self.epoch if epoch is None else epoch)
        self.pay(user_account(user), target, amount, "budget")

    @property
    def rules(self) -> int:
        """The rules version in force for the open epoch."""
        return self.ledger.rules_for(self.epoch).rules

    def show(self, user: str, model: str) -> str:
        impression = f"imp{len(self.impressions)}"
        body: Body = {
            "impression_id": impression,
            "user": user,
            "model": model,
            "developer": DEVELOPERS[model],
        }
        if self.rules >= 2:
            body["list"] = LIST
        self.add("impression", body)
        self.impressions.append(impression)
        return impression

    def rating_body(
        self,
        impression: str,
        liked: int = 1,
        disliked: int = 0,
        per_item: bool = False,
        contribution: int | None = None,
    ) -> Body:
        """A rating of the impression; under rules 2 its contribution defaults to every liked
        and disliked item having come from this model alone."""
        shown = next(e.body for e in self.entries if e.body.get("impression_id") == impression)
        counts = {"shown": liked + disliked + 1, "liked": liked, "disliked": disliked}
        body: Body = {**shown, **counts, "per_item": per_item}
        body.pop("list", None)
        if self.rules >= 2:
            body["contribution"] = liked - disliked if contribution is None else contribution
        return body

    def rate(
        self,
        impression: str,
        liked: int = 1,
        disliked: int = 0,
        per_item: bool = False,
        contribution: int | None = None,
    ) -> list[Entry]:
        """Rate an impression; returns the attention payments it earned."""
        body = self.rating_body(impression, liked, disliked, per_item, contribution)
        self.rated.add(impression)
        return self.ledger.record_rating(body, epoch=self.epoch, time=self.time)[1:]

    def change_vote(
        self, impression: str, liked: int = 1, disliked: int = 0, contribution: int | None = None
    ) -> Entry:
        """Change the vote on a rated impression (rules 3): its latest rating or change, with
        new counts and contribution (by default, every item from this model alone)."""
        rated = next(
            entry.body
            for entry in reversed(self.entries)
            if entry.kind in ("rating", "vote_change") and entry.body["impression_id"] == impression
        )
        body: Body = {**rated, "liked": liked, "disliked": disliked}
        body["contribution"] = liked - disliked if contribution is None else contribution
        return self.ledger.change_vote(body, time=self.time)

    def switch(self, params: EconomyParams) -> Entry:
        return self.ledger.switch_rules(params, time=self.time)

    def retire(self, model: str) -> Entry:
        return self.add("retire", {"model": model, "developer": DEVELOPERS[model]})

    def settle(self) -> list[Entry]:
        settled = self.ledger.settle_epoch(self.epoch, time=self.time)
        self.epoch += 1
        return settled

    def balance(self, account: str) -> int:
        return self.ledger.book.balance(account)


def paid(entries: list[Entry]) -> list[tuple[str, int]]:
    return [(str(e.body["to"]), int(e.body["amount"])) for e in entries if e.kind == "transfer"]


# --- hand-made cases ---------------------------------------------------------------------------


def test_largest_remainder_gives_ties_to_the_smaller_name() -> None:
    assert largest_remainder(10, {"c": 1, "b": 1, "a": 1}) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(7, {"y": 1, "x": 2}) == {"x": 5, "y": 2}
    assert largest_remainder(2, {"b": 1, "a": 1, "c": 1}) == {"a": 1, "b": 1, "c": 0}
    assert largest_remainder(0, {}) == {}


@pytest.mark.parametrize(
    ("total", "weights"), [(-1, {"a": 1}), (5, {"a": 0}), (5, {"a": True}), (5, {}), (1.0, {})]
)
def test_largest_remainder_refuses_bad_input(total: object, weights: dict[str, int]) -> None:
    with pytest.raises(LedgerError):
        largest_remainder(total, weights)  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 10**15),
    st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.integers(1, 10**6), min_size=1),
)
def test_largest_remainder_is_exact_and_proportional(total: int, weights: dict[str, int]) -> None:
    shares = largest_remainder(total, weights)
    assert sum(shares.values()) == total
    weight_sum = sum(weights.values())
    for name, share in shares.items():
        assert (
            total * weights[name] // weight_sum <= share <= total * weights[name] // weight_sum + 1
        )
    assert largest_remainder(total, dict(reversed(list(weights.items())))) == shares


def test_budget_split_one_to_one_to_one_is_four_three_three() -> None:
    market = Market(params=FREE)
    user = USERS[0]
    market.mint(user_account(user), 10)
    market.fund(user, 10)
    for model in ("gamma", "alpha", "beta"):
        market.rate(market.show(user, model), liked=2)
    settled = market.settle()
    assert [(e.kind, e.body.get("memo"), e.body.get("amount")) for e in settled[:-1]] == [
        ("transfer", "settle:0:share:alpha", 4),
        ("transfer", "settle:0:share:beta", 3),
        ("transfer", "settle:0:share:gamma", 3),
    ]
    assert market.balance(dev_account("acme")) == 7
    assert market.balance(dev_account("bolt")) == 3
    assert market.balance(budget_account(user, 0)) == 0
    assert settled[-1].kind == "epoch_close"


def test_settlement_takes_the_market_fee_from_each_share() -> None:
    market = Market(params=V1(fee_bps=500, min_funding=0))
    user = USERS[0]
    market.mint(user_account(user), 1000)
    market.fund(user, 1000)
    market.rate(market.show(user, "alpha"), liked=3)
    market.rate(market.show(user, "gamma"), liked=1)
    market.settle()
    assert market.balance(dev_account("acme")) == 750 - 37  # 750 * 5% = 37.5, floored
    assert market.balance(dev_account("bolt")) == 250 - 12
    assert market.balance(MARKET) == 37 + 12


def test_a_budget_with_no_likes_goes_back_to_its_user() -> None:
    market = Market(params=FREE)
    user = USERS[1]
    market.mint(user_account(user), 50)
    market.fund(user, 30)
    market.rate(market.show(user, "alpha"), liked=0, disliked=2)
    settled = market.settle()
    assert paid(settled) == [(user_account(user), 30)]
    assert market.balance(user_account(user)) == 50


def test_attention_pays_the_bid_less_the_fee() -> None:
    market = Market(params=V1(fee_bps=1500, min_funding=0))
    user = USERS[0]
    market.mint(dev_account("acme"), 100)
    payments = market.rate(market.show(user, "alpha"))
    # 5 * 15% = 0.75 floors to 0: no fee entry at all (amounts are positive).
    assert paid(payments) == [(user_account(user), 5)]
    assert [e.body["memo"] for e in payments] == ["attention:imp0"]
    per_item = market.rate(market.show(user, "alpha"), per_item=True)
    assert paid(per_item) == [(user_account(user), 9), (MARKET, 1)]  # 10, fee 1.5 -> 1


def test_attention_is_capped_per_user_per_utc_day() -> None:
    market = Market(params=V1(attention_daily_cap=12, fee_bps=0, min_funding=0))
    user, other = USERS[0], USERS[1]
    market.mint(dev_account("acme"), 1000)
    amounts = [sum(a for _, a in paid(market.rate(market.show(user, "alpha")))) for _ in range(4)]
    assert amounts == [5, 5, 2, 0]
    assert paid(market.rate(market.show(other, "alpha"))) == [(user_account(other), 5)]
    market.seconds += 16 * 3600  # 08:00 + 16 h: the next UTC day
    assert paid(market.rate(market.show(user, "alpha"))) == [(user_account(user), 5)]


def test_the_cap_counts_the_fee_too() -> None:
    market = Market(params=V1(attention_daily_cap=10, fee_bps=5000, min_funding=0))
    market.mint(dev_account("acme"), 1000)
    user = USERS[0]
    assert paid(market.rate(market.show(user, "alpha"))) == [(user_account(user), 3), (MARKET, 2)]
    assert paid(market.rate(market.show(user, "alpha"))) == [(user_account(user), 3), (MARKET, 2)]
    assert paid(market.rate(market.show(user, "alpha"))) == []


def test_an_unfunded_user_gets_no_attention_payment() -> None:
    market = Market(params=V1(min_funding=10, fee_bps=0))
    user = USERS[0]
    market.mint(dev_account("acme"), 1000)
    assert market.rate(market.show(user, "alpha")) == []
    market.mint(user_account(user), 4)
    assert market.rate(market.show(user, "alpha")) == []
    market.mint(user_account(user), 6)  # deposits add up: 10
    assert paid(market.rate(market.show(user, "alpha"))) == [(user_account(user), 5)]


def test_budgets_count_as_funding_until_refunded() -> None:
    market = Market(params=V1(min_funding=10, fee_bps=0))
    user, friend = USERS[0], USERS[1]
    market.mint(dev_account("acme"), 1000)
    market.mint(user_account(friend), 10)
    market.pay(user_account(friend), user_account(user), 10)  # not a deposit of the user's
    assert market.rate(market.show(user, "alpha"), liked=0) == []
    market.fund(user, 10)
    assert market.ledger.book.funded(user) == 10
    assert paid(market.rate(market.show(user, "alpha"), liked=0)) == [(user_account(user), 5)]
    market.settle()  # no likes: the budget is refunded, and no longer counts
    assert market.ledger.book.funded(user) == 0


def test_attention_is_limited_by_the_developers_balance_and_paid_once() -> None:
    market = Market(params=V1(fee_bps=0, min_funding=0))
    market.mint(dev_account("acme"), 3)
    user = USERS[0]
    impression = market.show(user, "alpha")
    body = market.rating_body(impression)
    payments = market.rate(impression)
    assert paid(payments) == [(user_account(user), 3)]
    day = market.time[:10]
    assert attention_payment(market.entries, body, 5, day=day, params=market.params) == []


@pytest.mark.parametrize(
    ("stake", "liked", "disliked", "burned"),
    [(100_000, 0, 3, 1000), (50, 1, 2, 5), (9, 0, 1, 0), (500, 2, 2, 0), (500, 3, 1, 0)],
)
def test_a_net_negative_model_burns_part_of_its_stake_up_to_the_cap(
    stake: int, liked: int, disliked: int, burned: int
) -> None:
    market = Market(params=FREE)
    market.mint(dev_account("bolt"), stake)
    market.pay(dev_account("bolt"), stake_account("gamma"), stake, "stake")
    market.rate(market.show(USERS[0], "gamma"), liked=liked, disliked=disliked)
    market.settle()
    assert market.balance(stake_account("gamma")) == stake - burned
    assert market.ledger.book.totals.burned == burned


def test_settling_twice_pays_once() -> None:
    market = Market(params=FREE)
    market.mint(user_account(USERS[0]), 10)
    market.fund(USERS[0], 10)
    market.rate(market.show(USERS[0], "alpha"))
    assert market.settle()
    assert settle(market.entries, 0, DEVELOPERS, FREE) == []
    assert market.ledger.settle_epoch(0, time=market.time) == []


def test_settlement_needs_the_developer_of_every_rated_model() -> None:
    market = Market(params=FREE)
    market.mint(user_account(USERS[0]), 10)
    market.fund(USERS[0], 10)
    market.rate(market.show(USERS[0], "alpha"))
    with pytest.raises(LedgerError, match="no registered developer"):
        settle(market.entries, 0, {"beta": "acme"}, FREE)


def test_attention_memos_must_name_a_rated_impression() -> None:
    market = Market(params=FREE)
    market.mint(dev_account("acme"), 10)
    body: Body = {"from": dev_account("acme"), "to": MARKET, "amount": 1, "memo": "attention:x"}
    forged = make_entry(market.entries[-1], "transfer", body, epoch=0, time=market.time, key=KEY)
    with pytest.raises(LedgerError, match="unrated impression"):
        rules.balances([*market.entries, forged])


def test_settle_output_ends_with_an_open_epoch_close() -> None:
    market = Market(params=FREE)
    assert settle(market.entries, 0, DEVELOPERS, FREE) == [("epoch_close", {"epoch": 0})]


def test_balances_refuse_an_overdraft_and_too_much_money() -> None:
    market = Market(params=FREE)
    market.mint(user_account(USERS[0]), 5)
    entries = list(market.entries)
    assert rules.balances(entries) == {user_account(USERS[0]): 5}
    body: Body = {"from": user_account(USERS[0]), "to": MARKET, "amount": 6, "memo": ""}
    overdraft = make_entry(entries[-1], "transfer", body, epoch=0, time=market.time, key=KEY)
    with pytest.raises(LedgerError, match="overdraft"):
        rules.balances([*entries, overdraft])
    with pytest.raises(LedgerError, match="circulation"):
        market.mint(user_account(USERS[1]), economy.MAX_AMOUNT)


@pytest.mark.parametrize(
    "changes",
    [
        {"fee_bps": 10_001},
        {"fee_bps": True},
        {"burn_cap": -1},
        {"per_item_multiplier": 0},
        {"min_funding": 1.5},
    ],
)
def test_params_are_checked(changes: dict[str, object]) -> None:
    with pytest.raises(LedgerError):
        EconomyParams(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", [1, 2])
def test_params_round_trip_through_a_body_with_exact_keys(version: int) -> None:
    params = EconomyParams(rules=version, fee_bps=1, burn_bps=2, burn_cap=3)
    assert EconomyParams.from_body(params.to_body()) == params
    assert ("rules" in params.to_body()) == (version == 2)  # a rules-1 body is as it always was
    with pytest.raises(LedgerError, match="exactly the keys"):
        EconomyParams.from_body({**params.to_body(), "extra": 1})


@pytest.mark.parametrize(
    ("bid", "day"), [(-1, "2024-01-01"), (True, "2024-01-01"), (1, "2024-02-30"), (1, "today")]
)
def test_attention_payment_checks_its_arguments(bid: object, day: str) -> None:
    market = Market()
    body = market.rating_body(market.show(USERS[0], "alpha"))
    with pytest.raises(LedgerError):
        attention_payment(market.entries, body, bid, day=day, params=market.params)  # type: ignore[arg-type]


# --- invariants on random event sequences -----------------------------------------------------

MINTABLE = [user_account(user) for user in USERS] + [dev_account(d) for d in ("acme", "bolt")]
PAYERS = MINTABLE
FUND = st.tuples(st.just("fund"), st.sampled_from(USERS), st.integers(1, 200), st.integers(0, 1))
SHOW_AND_RATE = st.tuples(
    st.just("show and rate"),
    st.sampled_from(USERS),
    st.sampled_from(sorted(DEVELOPERS)),
    st.integers(0, 4),
    st.integers(0, 4),
    st.booleans(),
)
EVENTS = st.one_of(  # funding and rating twice as likely: they are what settlement reads
    FUND,
    FUND,
    SHOW_AND_RATE,
    SHOW_AND_RATE,
    st.tuples(st.just("mint"), st.sampled_from(MINTABLE), st.integers(1, 400)),
    st.tuples(st.just("stake"), st.sampled_from(sorted(DEVELOPERS)), st.integers(1, 300)),
    st.tuples(st.just("pay"), st.sampled_from(PAYERS), st.sampled_from(PAYERS), st.integers(1, 99)),
    st.tuples(st.just("show"), st.sampled_from(USERS), st.sampled_from(sorted(DEVELOPERS))),
    st.tuples(
        st.just("rate"), st.integers(0, 99), st.integers(0, 4), st.integers(0, 4), st.booleans()
    ),
    st.tuples(st.just("wait"), st.integers(0, 20 * 3600)),
    st.tuples(st.just("settle")),
)
PARAMS = st.builds(
    V1,
    fee_bps=st.integers(0, 10_000),
    burn_bps=st.integers(0, 10_000),
    burn_cap=st.integers(0, 200),
    attention_daily_cap=st.integers(0, 40),
    per_item_multiplier=st.integers(1, 3),
    min_funding=st.integers(0, 60),
)
BIDS = st.fixed_dictionaries({model: st.integers(0, 15) for model in DEVELOPERS})


def run_event(market: Market, event: tuple[object, ...]) -> None:
    """Apply one random event the way the server would, skipping what it would refuse."""
    book = market.ledger.book
    match event:
        case ("mint", str(account), int(amount)):
            market.mint(account, amount)
        case ("fund", str(user), int(amount), int(ahead)):
            amount = min(amount, book.balance(user_account(user)))
            if amount:
                market.fund(user, amount, market.epoch + ahead)
        case ("stake", str(model), int(amount)):
            amount = min(amount, book.balance(dev_account(DEVELOPERS[model])))
            if amount:
                market.pay(dev_account(DEVELOPERS[model]), stake_account(model), amount, "stake")
        case ("pay", str(source), str(target), int(amount)):
            amount = min(amount, book.balance(source))
            if amount and source != target:
                market.pay(source, target, amount)
        case ("show", str(user), str(model)):
            market.show(user, model)
        case ("rate", int(pick), int(liked), int(disliked), bool(per_item)):
            unrated = [i for i in market.impressions if i not in market.rated]
            if unrated:
                impression = unrated[pick % len(unrated)]
                before = market.entries
                body = market.rating_body(impression, liked, disliked, per_item)
                bid = market.bids[str(body["model"])]
                params = market.ledger.rules_for(market.epoch)
                expected = attention_payment(before, body, bid, day=market.time[:10], params=params)
                payments = market.rate(impression, liked, disliked, per_item)
                assert [dict(e.body) for e in payments] == expected
        case ("show and rate", str(user), str(model), int(liked), int(disliked), bool(per_item)):
            market.rate(market.show(user, model), liked, disliked, per_item)
        case ("wait", int(seconds)):
            market.seconds += seconds
        case ("settle",):
            check_settlement(market)
        case _:
            raise AssertionError(event)


def check_settlement(market: Market) -> None:
    entries, epoch = market.entries, market.epoch
    params = market.ledger.rules_for(epoch)
    first = settle(entries, epoch, DEVELOPERS, params)
    again = settle(list(entries), epoch, dict(DEVELOPERS), params)
    assert canonical(first) == canonical(again)  # byte-identical
    settled = market.settle()
    assert [(e.kind, dict(e.body)) for e in settled[:-1]] == first[:-1]
    assert settled[-1].kind == "epoch_close" and settled[-1].body["epoch"] == epoch
    assert settle(market.entries, epoch, DEVELOPERS, params) == []
    assert market.ledger.settle_epoch(epoch, time=market.time) == []


def check_invariants(market: Market) -> None:
    book = market.ledger.book
    balances = book.balances()
    assert all(amount > 0 for amount in balances.values())
    assert sum(balances.values()) + book.totals.burned == book.totals.minted


def attention_by_user_and_day(entries: tuple[Entry, ...]) -> dict[tuple[str, str], int]:
    rater = {e.body["impression_id"]: e.body["user"] for e in entries if e.kind == "rating"}
    totals: dict[tuple[str, str], int] = {}
    for entry in entries:
        memo = str(entry.body.get("memo", ""))
        if entry.kind == "transfer" and memo.startswith("attention:"):
            key = (str(rater[memo.removeprefix("attention:")]), entry.time[:10])
            totals[key] = totals.get(key, 0) + int(entry.body["amount"])
    return totals


def random_market(
    params: EconomyParams,
    bids: dict[str, int],
    opening: list[int],
    events: list[tuple[object, ...]],
) -> Market:
    """A market after opening deposits (to MINTABLE) and the events, checking the invariants
    after every step."""
    market = Market(params=params, bids=bids)
    for account, amount in zip(MINTABLE, opening, strict=True):
        if amount:
            market.mint(account, amount)
    for event in events:
        run_event(market, event)
        check_invariants(market)
    return market


OPENING = st.lists(st.integers(0, 300), min_size=len(MINTABLE), max_size=len(MINTABLE))
HISTORIES = st.lists(EVENTS, min_size=5, max_size=80)


@settings(max_examples=100, deadline=None)
@given(PARAMS, BIDS, OPENING, HISTORIES)
def test_random_markets_keep_the_invariants(
    params: EconomyParams,
    bids: dict[str, int],
    opening: list[int],
    events: list[tuple[object, ...]],
) -> None:
    market = random_market(params, bids, opening, events)
    entries = market.entries
    assert rules.balances(entries) == market.ledger.book.balances()
    assert rules.totals(entries) == market.ledger.book.totals
    for amount in attention_by_user_and_day(entries).values():
        assert amount <= params.attention_daily_cap
    # Settlement is a function of the entries alone: replaying gives the same open settlement.
    open_settlement = settle(entries, market.epoch, DEVELOPERS, params)
    assert open_settlement == rules.settle(market.ledger.book, market.epoch, DEVELOPERS, params)


RATINGS = st.lists(
    st.tuples(
        st.sampled_from(USERS),
        st.sampled_from(sorted(DEVELOPERS)),
        st.integers(0, 5),
        st.integers(0, 5),
    ),
    max_size=8,
)
EPOCHS = st.lists(
    st.tuples(st.lists(st.integers(0, 500), min_size=3, max_size=3), RATINGS),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(PARAMS, st.lists(st.integers(0, 5000), min_size=3, max_size=3), EPOCHS)
def test_every_budget_is_paid_out_exactly_once(
    params: EconomyParams,
    stakes: list[int],
    epochs: list[tuple[list[int], list[tuple[str, str, int, int]]]],
) -> None:
    market = Market(params=params, bids=dict.fromkeys(DEVELOPERS, 0))
    for model, stake in zip(sorted(DEVELOPERS), stakes, strict=True):
        if stake:
            market.mint(dev_account(DEVELOPERS[model]), stake)
            market.pay(dev_account(DEVELOPERS[model]), stake_account(model), stake, "stake")
    for budgets, ratings in epochs:
        for user, budget in zip(USERS, budgets, strict=True):
            if budget:
                market.mint(user_account(user), budget)
                market.fund(user, budget)
        for user, model, liked, disliked in ratings:
            market.rate(market.show(user, model), liked, disliked)
        minted_before, burned_before = (
            market.ledger.book.totals.minted,
            market.ledger.book.totals.burned,
        )
        check_settlement(market)
        check_invariants(market)
        epoch = market.epoch - 1
        settled = [e for e in market.entries if e.epoch == epoch and e.kind != "epoch_close"]
        paid_out = [
            e for e in settled if e.kind == "transfer" and str(e.body["memo"]).startswith("settle:")
        ]
        assert sum(int(e.body["amount"]) for e in paid_out) == sum(budgets)
        assert all(market.balance(budget_account(user, epoch)) == 0 for user in USERS)
        assert market.ledger.book.totals.minted == minted_before
        assert market.ledger.book.totals.burned - burned_before <= params.burn_cap * len(DEVELOPERS)
