"""The ledger: canonical entries, chain, signatures, Merkle proofs, and verification by replay
that reports the first bad entry of a tampered, forged or garbage ledger."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.cli import format_report, verify_file
from ledger.economy import (
    Body,
    EconomyParams,
    LedgerError,
    Totals,
    budget_account,
    dev_account,
    escrow_account,
    stake_account,
    user_account,
)
from ledger.entries import (
    GENESIS_HASH,
    KINDS,
    MAX_LINE_BYTES,
    Entry,
    format_time,
    make_entry,
    validate_body,
)
from ledger.keys import MarketKey, load_public_key
from ledger.merkle import MerkleTree, merkle_proof, merkle_root, verify_proof
from ledger.replay import Ledger, Report
from ledger.verify import Proof, check_payout_proof, payout_proof, verify_ledger
from tests.crypto.test_ed25519 import UNUSABLE_KEYS
from tests.ledger.test_economy import (
    BIDS,
    DEVELOPERS,
    HISTORIES,
    KEY,
    OPENING,
    PARAMS,
    USERS,
    Market,
    random_market,
)

OTHER_KEY = MarketKey.from_seed_hex("33" * 32)
Spec = tuple[str, dict[str, Any], int, str]  # kind, body, epoch, time


def build_sample() -> Market:
    """Two settled epochs and an open one, with attention, fees, a refund, a burn, a vote
    change and a paid federated training run."""
    market = Market(
        params=EconomyParams(
            rules=1,
            fee_bps=1000,
            burn_bps=1000,
            burn_cap=30,
            attention_daily_cap=8,
            per_item_multiplier=2,
            min_funding=10,
        )
    )
    u0, u1, u2 = USERS
    market.mint(dev_account("acme"), 500)
    market.mint(dev_account("bolt"), 400)
    market.pay(dev_account("bolt"), stake_account("gamma"), 400, "stake")
    market.pay(dev_account("acme"), stake_account("alpha"), 100, "stake")
    market.mint(user_account(u0), 100)
    market.mint(user_account(u1), 50)
    market.fund(u0, 60)
    market.fund(u1, 20)
    market.fund(u1, 5, epoch=1)
    market.rate(market.show(u0, "alpha"), liked=3, per_item=True)  # attention, capped at 8
    market.rate(market.show(u0, "gamma"), liked=1, disliked=4)  # gamma is net negative
    market.rate(market.show(u1, "beta"), liked=0, disliked=1)  # no likes: u1 is refunded
    market.rate(market.show(u2, "alpha"))  # u2 is unfunded: no attention
    market.show(u2, "beta")  # never rated
    market.seconds += 24 * 3600
    market.settle()
    market.rate(market.show(u1, "alpha"), liked=2)
    market.settle()
    # The market upgrades to rules 2 from epoch 2 on: contributions, an escrow, a retirement.
    market.switch(EconomyParams(rules=4, fee_bps=1000, burn_cap=30, attention_bps=2000))
    market.fund(u0, 20)
    market.pay(dev_account("acme"), escrow_account("beta"), 50, "attention escrow")
    beta_list = market.show(u0, "beta")
    market.rate(beta_list, liked=2, disliked=1, contribution=1)
    market.change_vote(beta_list, liked=3, disliked=0, contribution=2)  # rules 3: a new mind
    market.retire("gamma")
    # Rules 4: acme's training run for alpha pays u0 (who committed 20) for one contribution.
    run = "0f" * 16
    open_body: Body = {"training": run, "model": "alpha", "developer": "acme"}
    steps: tuple[tuple[str, Body], ...] = (
        ("training_open", {**open_body, "budget": 10, "reward": 2, "rounds": 1}),
        ("training_contribution", {"training": run, "round": 0, "user": u0}),
        ("training_close", {"training": run}),
    )
    for kind, body in steps:
        market.ledger.append_with_run(kind, body, epoch=market.epoch, time=market.time)
    return market


SAMPLE = build_sample()
LINES = SAMPLE.ledger.lines()


def verify(lines: Sequence[str | bytes], **pins: Any) -> Report:
    report = verify_ledger(lines, KEY.public_key_hex, **pins)
    assert report.error is None or "internal error" not in report.error, report.error
    return report


def specs(entries: tuple[Entry, ...] | list[Entry]) -> list[Spec]:
    return [(e.kind, dict(e.body), e.epoch, e.time) for e in entries]


def chain(steps: list[Spec], key: MarketKey = KEY, *, fix_roots: bool = True) -> list[str]:
    """Sign ``steps`` as a chain, without the ledger's rules: how a dishonest market would.
    Epoch roots are recomputed unless ``fix_roots`` is off."""
    lines: list[str] = []
    previous: Entry | None = None
    epoch_hashes: list[str] = []
    for kind, body, epoch, time in steps:
        if kind == "epoch_close" and fix_roots:
            body = {**body, "merkle_root": merkle_root(epoch_hashes)}
        previous = make_entry(previous, kind, body, epoch=epoch, time=time, key=key)
        epoch_hashes = [] if kind == "epoch_close" else [*epoch_hashes, previous.hash]
        lines.append(previous.to_json_line())
    return lines


def seq_of(kind: str, memo_prefix: str = "", entries: tuple[Entry, ...] = SAMPLE.entries) -> int:
    return next(
        e.seq
        for e in entries
        if e.kind == kind and str(e.body.get("memo", "")).startswith(memo_prefix)
    )


# --- a round trip ------------------------------------------------------------------------------


def test_the_sample_has_every_kind_of_entry_and_payment() -> None:
    memos = {str(e.body.get("memo", "")).split(":")[0] for e in SAMPLE.entries}
    kinds = {e.kind for e in SAMPLE.entries}
    assert kinds == set(KINDS)
    assert {"attention", "settle", "stake", "budget"} <= memos
    settle_memos = {str(e.body.get("memo")) for e in SAMPLE.entries if e.epoch == 0}
    assert {"settle:0:refund", "settle:0:fee:alpha", "settle:0:burn:gamma"} <= settle_memos


def test_an_exported_ledger_verifies() -> None:
    report = verify(LINES)
    assert report.ok, report.error
    assert report.entries == len(LINES)
    assert report.balances == SAMPLE.ledger.book.balances()
    assert report.totals == SAMPLE.ledger.book.totals
    assert report.closed_epochs == (0, 1)
    assert report.bad_seq is None


def test_bytes_and_crlf_lines_verify_too() -> None:
    assert verify([(line + "\r\n").encode() for line in LINES]).ok


def test_entries_round_trip_through_canonical_json_lines() -> None:
    for entry in SAMPLE.entries:
        line = entry.to_json_line()
        assert Entry.from_json_line(line) == entry
        assert line == json.dumps(
            json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    assert SAMPLE.entries[0].prev_hash == GENESIS_HASH


def test_a_ledger_reloads_from_its_entries_and_refuses_another_key() -> None:
    reloaded = Ledger(KEY, SAMPLE.entries, keep_entries=True)
    assert reloaded.book.balances() == SAMPLE.ledger.book.balances()
    assert reloaded.lines() == LINES
    with pytest.raises(LedgerError, match="signature"):
        Ledger(OTHER_KEY, SAMPLE.entries, keep_entries=True)


def test_pinned_params_and_developers_must_match() -> None:
    assert verify(LINES, params=SAMPLE.params, stakes_of=DEVELOPERS).ok
    report = verify(LINES, params=EconomyParams())
    assert (report.ok, report.bad_seq) == (False, 0)
    report = verify(LINES, stakes_of={**DEVELOPERS, "beta": "bolt"})
    assert report.bad_seq == 2 and "beta" in str(report.error)


# --- tampering, reordering, dropping, forging ---------------------------------------------------


def _flip(hex_text: str, at: int = 0) -> str:
    return hex_text[:at] + ("1" if hex_text[at] == "0" else "0") + hex_text[at + 1 :]


def _tamper_body(body: dict[str, Any]) -> dict[str, Any]:
    key = sorted(body)[0]
    value = body[key]
    changed = (
        not value
        if isinstance(value, bool)
        else value + 1
        if isinstance(value, int)
        else value + "x"
    )
    return {**body, key: changed}


TAMPER: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "seq": lambda d: {**d, "seq": d["seq"] + 1},
    "epoch": lambda d: {**d, "epoch": d["epoch"] + 1},
    "time": lambda d: {**d, "time": "2030-01-01T00:00:00Z"},
    "kind": lambda d: {**d, "kind": "burn" if d["kind"] != "burn" else "mint"},
    "body": lambda d: {**d, "body": _tamper_body(d["body"])},
    "prev_hash": lambda d: {**d, "prev_hash": _flip(d["prev_hash"])},
    "hash": lambda d: {**d, "hash": _flip(d["hash"], 10)},
    "signature": lambda d: {**d, "signature": _flip(d["signature"], 70)},
}


@pytest.mark.parametrize("name", sorted(TAMPER))
def test_tampering_with_a_field_of_any_entry_is_reported_at_its_seq(name: str) -> None:
    for index, line in enumerate(LINES):
        lines = list(LINES)
        lines[index] = json.dumps(TAMPER[name](json.loads(line)))
        report = verify(lines)
        assert (report.ok, report.bad_seq, report.entries) == (False, index, index), report.error


def test_reordering_dropping_or_repeating_any_line_is_reported() -> None:
    for index in range(len(LINES) - 1):  # dropping the last line leaves a valid shorter ledger
        swapped = list(LINES)
        swapped[index], swapped[index + 1] = swapped[index + 1], swapped[index]
        assert verify(swapped).bad_seq == index
        assert verify(LINES[:index] + LINES[index + 1 :]).bad_seq == index
        assert verify(LINES[: index + 1] + LINES[index:]).bad_seq == index + 1


def test_a_signature_by_another_key_is_reported() -> None:
    index = seq_of("transfer", "attention:")
    data = json.loads(LINES[index])
    lines = [*LINES[:index], json.dumps({**data, "signature": OTHER_KEY.sign(data["hash"])})]
    report = verify(lines)
    assert report.bad_seq == index and "signature" in str(report.error)
    assert verify(chain(specs(SAMPLE.entries), OTHER_KEY)).bad_seq == 0


def test_a_wrong_merkle_root_is_reported() -> None:
    steps = specs(SAMPLE.entries)
    close = seq_of("epoch_close")
    kind, body, epoch, time = steps[close]
    steps[close] = (kind, {**body, "merkle_root": hashlib.sha256(b"x").hexdigest()}, epoch, time)
    report = verify(chain(steps, fix_roots=False))
    assert report.bad_seq == close and "merkle_root" in str(report.error)


def _pays_differently(steps: list[Spec], index: int) -> None:
    kind, body, epoch, time = steps[index]
    steps[index] = (kind, {**body, "amount": body["amount"] - 1}, epoch, time)


@pytest.mark.parametrize(
    "memo", ["settle:0:share:", "settle:0:fee:", "settle:0:refund", "settle:0:burn:"]
)
def test_a_settlement_that_pays_differently_is_reported(memo: str) -> None:
    steps = specs(SAMPLE.entries)
    index = next(
        i for i, (_, body, _, _) in enumerate(steps) if str(body.get("memo", "")).startswith(memo)
    )
    _pays_differently(steps, index)
    report = verify(chain(steps))
    assert report.bad_seq == index and "settlement of epoch 0" in str(report.error)


def test_a_skipped_or_partial_settlement_is_reported() -> None:
    steps = specs(SAMPLE.entries)
    first = seq_of("transfer", "settle:0:")
    burn = seq_of("burn", "settle:0:")
    assert (
        verify(chain(steps[:first] + steps[burn + 1 :])).bad_seq == first
    )  # straight to the close
    assert verify(chain(steps[:burn] + steps[burn + 1 :])).bad_seq == burn  # the burn left out
    assert "ends before" in str(verify(chain(steps[:burn])).error)


def test_an_attention_payment_that_differs_or_is_missing_is_reported() -> None:
    steps = specs(SAMPLE.entries)
    index = seq_of("transfer", "attention:")
    changed = list(steps)
    _pays_differently(changed, index)
    report = verify(chain(changed))
    assert report.bad_seq == index and "attention payment" in str(report.error)
    assert verify(chain(steps[:index] + steps[index + 1 :])).bad_seq == index
    kind, body, epoch, time = steps[index]
    next_day = format_time(datetime.fromisoformat(time) + timedelta(days=1))
    late = [*steps[:index], (kind, body, epoch, next_day)]
    assert "UTC day" in str(verify(chain(late)).error)


def _rating(
    impression: str, user: str, model: str = "beta", developer: str = "acme"
) -> dict[str, Any]:
    return {
        "impression_id": impression,
        "user": user,
        "model": model,
        "developer": developer,
        "shown": 1,
        "liked": 1,
        "disliked": 0,
        "per_item": False,
    }


OPEN = SAMPLE.epoch
LATER = format_time(datetime(2024, 3, 1, tzinfo=UTC))
u0, u1, u2 = USERS
UNRATED = next(
    str(e.body["impression_id"])
    for e in SAMPLE.entries
    if e.kind == "impression" and e.body["user"] == u2 and e.body["model"] == "beta"
)
BROKEN_RULES: dict[str, tuple[str, dict[str, Any], str]] = {
    "rated twice": ("rating", _rating("imp0", u0, "alpha"), "already rated"),
    "rated by another user": ("rating", _rating(UNRATED, u0), "only the impression's user"),
    "rating of an unknown impression": ("rating", _rating("nope", u0), "unknown impression"),
    "rating of another model": (
        "rating",
        _rating(UNRATED, u2, "alpha"),
        "another model",
    ),
    "impression id reused": (
        "impression",
        {"impression_id": "imp0", "user": u0, "model": "alpha", "developer": "acme"},
        "already used",
    ),
    "impression of an unregistered model": (
        "impression",
        {"impression_id": "new", "user": u0, "model": "delta", "developer": "acme"},
        "not registered",
    ),
    "model taken over": ("model", {"model": "alpha", "developer": "bolt", "bid": 1}, "belongs"),
    "second params": ("params", EconomyParams(rules=1).to_body(), "first entry"),
    "overdraft": (
        "transfer",
        {"from": user_account(u2), "to": dev_account("acme"), "amount": 1, "memo": ""},
        "overdraft",
    ),
    "fake attention memo": (
        "transfer",
        {"from": dev_account("acme"), "to": user_account(u0), "amount": 1, "memo": "attention:x"},
        "payments the rules compute",
    ),
    "fake settlement memo": (
        "mint",
        {"account": user_account(u0), "amount": 1, "memo": "settle:2:share:alpha"},
        "payments the rules compute",
    ),
    "budget spent outside settlement": (
        "transfer",
        {"from": budget_account(u1, 1), "to": user_account(u1), "amount": 1, "memo": ""},
        "only by settlement",
    ),
    "stake burned outside settlement": (
        "burn",
        {"from": stake_account("gamma"), "amount": 1, "memo": ""},
        "only by the rules",
    ),
    "stake of a shown model withdrawn": (
        "transfer",
        {"from": stake_account("alpha"), "to": dev_account("acme"), "amount": 1, "memo": ""},
        "cooling-off",
    ),
    "escrow of a shown model withdrawn": (
        "transfer",
        {"from": escrow_account("beta"), "to": dev_account("acme"), "amount": 1, "memo": ""},
        "cooling-off",
    ),
    "escrow funded by another developer": (
        "transfer",
        {"from": dev_account("bolt"), "to": escrow_account("beta"), "amount": 1, "memo": ""},
        "only the developer",
    ),
    "budget funded by someone else": (
        "transfer",
        {"from": dev_account("acme"), "to": budget_account(u0, 2), "amount": 1, "memo": ""},
        "only its user",
    ),
    "rules-1 rating under rules 2": ("rating", _rating(UNRATED, u2), "needs contribution"),
    "rules-1 impression under rules 2": (
        "impression",
        {"impression_id": "new", "user": u0, "model": "alpha", "developer": "acme"},
        "needs list",
    ),
    "a list longer than the rules allow": (
        "impression",
        {"impression_id": "new", "user": u0, "model": "alpha", "developer": "acme", "list": 101},
        "at most 100",
    ),
    "more shown than the impression's list": (
        "rating",
        {**_rating(UNRATED, u2), "shown": 101, "contribution": 0},
        "at most 100",
    ),
    "impression of a retired model": (
        "impression",
        {"impression_id": "new", "user": u0, "model": "gamma", "developer": "bolt", "list": 5},
        "retired",
    ),
    "retired twice": ("retire", {"model": "gamma", "developer": "bolt"}, "retired already"),
    "retired by another developer": (
        "retire",
        {"model": "alpha", "developer": "bolt"},
        "not registered",
    ),
    "rules switched in a busy epoch": (
        "params",
        {**EconomyParams(rules=4, fee_bps=1).to_body(), "from_epoch": 2},
        "never change once it has entries",
    ),
    "rules going back": ("params", {**EconomyParams(rules=1).to_body()}, "first entry"),
    "stake paid to another developer": (
        "transfer",
        {"from": stake_account("alpha"), "to": dev_account("bolt"), "amount": 1, "memo": ""},
        "only to its developer",
    ),
    "budget of a closed epoch": (
        "transfer",
        {"from": user_account(u0), "to": budget_account(u0, 0), "amount": 1, "memo": ""},
        "closed",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_RULES))
def test_entries_that_break_the_rules_are_reported_and_refused(case: str) -> None:
    kind, body, reason = BROKEN_RULES[case]
    report = verify(chain([*specs(SAMPLE.entries), (kind, body, OPEN, LATER)]))
    assert report.bad_seq == len(LINES) and reason in str(report.error), report.error
    ledger = Ledger(KEY, SAMPLE.entries, keep_entries=True)
    with pytest.raises(LedgerError, match=reason):
        ledger.append(kind, body, epoch=OPEN, time=LATER)
    assert len(ledger) == len(LINES)  # nothing half-written: the next append still works
    ledger.append(
        "mint", {"account": user_account(u2), "amount": 1, "memo": ""}, epoch=OPEN, time=LATER
    )
    assert verify(ledger.lines()).ok


@pytest.mark.parametrize(
    ("epoch", "time", "reason"),
    [
        (OPEN + 1, LATER, "expected epoch"),
        (OPEN - 1, LATER, "expected epoch"),
        (OPEN, "2024-01-01T00:00:00Z", "before the previous"),
    ],
)
def test_epochs_advance_only_by_closing_and_time_never_goes_back(
    epoch: int, time: str, reason: str
) -> None:
    body = {"account": user_account(u0), "amount": 1, "memo": ""}
    report = verify(chain([*specs(SAMPLE.entries), ("mint", body, epoch, time)]))
    assert report.bad_seq == len(LINES) and reason in str(report.error)


def test_a_stake_never_at_risk_can_be_withdrawn_at_once() -> None:
    """Under rules 2 only a model never shown (a rejected deployment, say) gets its stake and
    escrow back at once; under rules 1 any stake could be withdrawn (old ledgers verify)."""
    ledger = Ledger(KEY, SAMPLE.entries, keep_entries=True)
    ledger.append(
        "model", {"model": "delta", "developer": "acme", "bid": 0}, epoch=OPEN, time=LATER
    )
    for account in (stake_account("delta"), escrow_account("delta")):
        moves = [(dev_account("acme"), account), (account, dev_account("acme"))]
        for source, target in moves:
            body: Body = {"from": source, "to": target, "amount": 10, "memo": ""}
            ledger.append("transfer", body, epoch=OPEN, time=LATER)
    assert verify(ledger.lines()).ok
    old = Ledger(KEY, [e for e in SAMPLE.entries if e.epoch < 2], keep_entries=True)
    withdraw: Body = {
        "from": stake_account("alpha"),
        "to": dev_account("acme"),
        "amount": 10,
        "memo": "",
    }
    old.append("transfer", withdraw, epoch=2, time=LATER)
    assert verify(old.lines()).ok


def test_an_epoch_close_closes_its_own_epoch() -> None:
    close = ("epoch_close", {"epoch": OPEN + 1, "merkle_root": "0" * 64}, OPEN, LATER)
    report = verify(chain([*specs(SAMPLE.entries), close], fix_roots=False))
    assert report.bad_seq == len(LINES) and "epoch_close of epoch" in str(report.error)


def test_a_ledger_starts_with_its_params() -> None:
    steps = specs(SAMPLE.entries)
    assert "params" in str(verify(chain(steps[1:])).error)
    assert verify(chain(steps[1:])).bad_seq == 0
    assert "empty" in str(verify([]).error)


@settings(max_examples=40, deadline=None)
@given(PARAMS, BIDS, OPENING, HISTORIES, st.data())
def test_random_ledgers_verify_and_a_second_rating_is_caught(
    params: EconomyParams,
    bids: dict[str, int],
    opening: list[int],
    events: list[tuple[object, ...]],
    data: st.DataObject,
) -> None:
    market = random_market(params, bids, opening, events)
    report = verify(market.ledger.lines())
    assert report.ok, report.error
    assert report.balances == market.ledger.book.balances()
    if market.rated:
        impression = data.draw(st.sampled_from(sorted(market.rated)))
        again = ("rating", market.rating_body(impression), market.epoch, market.time)
        report = verify(chain([*specs(market.entries), again]))
        assert report.bad_seq == len(market.entries) and "already rated" in str(report.error)


# --- garbage -----------------------------------------------------------------------------------


def _entry_dict(**changes: Any) -> dict[str, Any]:
    return {**json.loads(LINES[0]), **changes}


GARBAGE = {
    "empty line": "",
    "not json": "{nope",
    "a list": "[1, 2]",
    "deep nesting": "[" * 2000 + "]" * 2000,
    "too long": "x" * (MAX_LINE_BYTES + 1),
    "a float": LINES[0].replace('"fee_bps":1000', '"fee_bps":1000.0'),
    "NaN": LINES[0].replace('"fee_bps":1000', '"fee_bps":NaN'),
    "a huge integer": LINES[0].replace('"fee_bps":1000', '"fee_bps":' + "9" * 4000),
    "a duplicate key": LINES[0][:-1] + ',"seq":0}',
    "an unknown key": json.dumps(_entry_dict(extra=1)),
    "a missing key": json.dumps({k: v for k, v in _entry_dict().items() if k != "time"}),
    "a bool seq": json.dumps(_entry_dict(seq=False)),
    "a string epoch": json.dumps(_entry_dict(epoch="0")),
    "a naive time": json.dumps(_entry_dict(time="2024-01-01T08:00:00")),
    "an impossible time": json.dumps(_entry_dict(time="2024-02-30T08:00:00Z")),
    "uppercase hash": json.dumps(_entry_dict(hash=json.loads(LINES[0])["hash"].upper())),
    "a body that is a list": json.dumps(_entry_dict(body=[])),
    "an unknown kind": json.dumps(_entry_dict(kind="steal")),
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_garbage_lines_give_a_failed_report_at_their_position(case: str) -> None:
    report = verify([*LINES[:5], GARBAGE[case], *LINES[6:]])
    assert (report.ok, report.bad_seq, report.entries) == (False, 5, 5), report.error


def test_input_that_is_not_text_gives_a_failed_report() -> None:
    assert verify([b"\xff\xfe{}"]).bad_seq == 0  # not UTF-8
    assert verify([b"x" * (MAX_LINE_BYTES + 10)]).bad_seq == 0
    assert verify([LINES[0], None]).bad_seq == 1  # type: ignore[list-item]
    assert not verify_ledger(5, KEY.public_key_hex).ok  # type: ignore[arg-type]
    report = verify_ledger(LINES, KEY.public_key_hex, max_entries=3)
    assert (report.ok, report.bad_seq) == (False, 3)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.text(max_size=300), st.binary(max_size=300)), min_size=1, max_size=4),
    st.booleans(),
)
def test_random_garbage_never_raises(garbage: list[str | bytes], after_valid: bool) -> None:
    prefix = LINES[:3] if after_valid else []
    report = verify([*prefix, *garbage])
    assert (report.ok, report.bad_seq) == (False, len(prefix))


@pytest.mark.parametrize(
    "key",
    [
        "",
        "zz" * 32,
        "00" * 31,
        "00" * 33,
        "00" * 32,
        "01" + "00" * 31,
        "ec" + "ff" * 30 + "7f",
        "ed" + "ff" * 30 + "7f",
        42,
    ],
)
def test_unusable_market_keys_give_a_failed_report(key: Any) -> None:
    report = verify_ledger(LINES, key)
    assert (report.ok, report.bad_seq, report.entries) == (False, None, 0)
    assert str(report.error).startswith("market key")


@pytest.mark.parametrize("weak", UNUSABLE_KEYS)
def test_keys_crypto_refuses_are_refused_as_market_keys(weak: str) -> None:
    # The same vectors and function as the user identities (crypto.ed25519.usable_public_key):
    # a small-order key "verifies" forgeries, and the old blocklist let off-curve points in.
    with pytest.raises(LedgerError, match="not a canonical curve point, or of small order"):
        load_public_key(weak)
    assert not verify_ledger(LINES, weak).ok


# --- bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        ("steal", {}, "unknown entry kind"),
        ("mint", {"account": user_account(u0), "amount": 1}, "missing keys ['memo']"),
        ("mint", {"account": user_account(u0), "amount": 1, "memo": "", "x": 1}, "unknown keys"),
        ("mint", {"account": user_account(u0), "amount": True, "memo": ""}, "mint.amount"),
        ("mint", {"account": user_account(u0), "amount": 0, "memo": ""}, "mint.amount"),
        ("mint", {"account": user_account(u0), "amount": 10**15 + 1, "memo": ""}, "mint.amount"),
        ("mint", {"account": user_account(u0), "amount": 1.0, "memo": ""}, "mint.amount"),
        ("mint", {"account": stake_account("alpha"), "amount": 1, "memo": ""}, "minted only"),
        ("mint", {"account": "user:" + u0.upper(), "amount": 1, "memo": ""}, "an account"),
        ("mint", {"account": user_account(u0), "amount": 1, "memo": "a\nb"}, "printable"),
        ("mint", {"account": user_account(u0), "amount": 1, "memo": "x" * 201}, "printable"),
        ("transfer", {"from": "market", "to": "market", "amount": 1, "memo": ""}, "same account"),
        ("burn", {"from": "stake:a:b", "amount": 1, "memo": ""}, "an account"),
        ("rating", {**_rating("i", u0), "liked": 2}, "exceeds shown"),
        ("rating", {**_rating("i", u0), "per_item": 1}, "true or false"),
        ("rating", {**_rating("i/../", u0)}, "impression id"),
        ("model", {"model": "a:b", "developer": "acme", "bid": 0}, "model name"),
        ("epoch_close", {"epoch": -1, "merkle_root": "0" * 64}, "epoch_close.epoch"),
        ("params", {"fee_bps": 1}, "exactly the keys"),
        ("params", EconomyParams().to_body(), "from_epoch"),
        ("params", {**EconomyParams().to_body(), "from_epoch": -1}, "from_epoch"),
        ("params", {**EconomyParams().to_body(), "rules": 5, "from_epoch": 0}, "rules must be"),
        ("rating", {**_rating("i", u0), "contribution": 2}, "between -disliked and liked"),
        ("rating", {**_rating("i", u0), "contribution": -1}, "between -disliked and liked"),
        ("rating", {**_rating("i", u0), "contribution": True}, "integer"),
        (
            "impression",
            {"impression_id": "i", "user": u0, "model": "a", "developer": "d", "list": 0},
            "list",
        ),
        ("retire", {"model": "alpha"}, "missing keys"),
    ],
)
def test_bodies_are_validated_with_clear_messages(kind: str, body: Any, message: str) -> None:
    with pytest.raises(LedgerError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate_body(kind, body)


# --- keys and times ----------------------------------------------------------------------------


def test_the_market_key_never_shows_its_secret() -> None:
    seed = "44" * 32
    key = MarketKey.from_seed_hex(seed)
    assert seed not in repr(key) and key.public_key_hex in repr(key)
    assert MarketKey.from_seed_hex(key.seed_hex()).public_key_hex == key.public_key_hex
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(LedgerError):
        MarketKey.from_seed_hex("44" * 31)
    assert MarketKey.generate().public_key_hex != key.public_key_hex


def test_times_are_utc_iso_strings() -> None:
    moment = datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2024-05-01T12:30:00Z"
    with pytest.raises(LedgerError):
        format_time(datetime(2024, 5, 1))


# --- Merkle trees and proofs -------------------------------------------------------------------


def _reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, recursively: split at the largest power of two below n."""
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    left, right = _reference_root(leaves[:split]), _reference_root(leaves[split:])
    return hashlib.sha256(b"\x01" + left + right).digest()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=40, unique=True))
def test_merkle_roots_follow_rfc_6962_and_every_proof_verifies(leaves: list[bytes]) -> None:
    hashes = [leaf.hex() for leaf in leaves]
    root = merkle_root(hashes)
    assert root == _reference_root(leaves).hex()
    tree = MerkleTree(hashes)  # kept levels: the same root and proofs
    assert tree.root == root and tree.nodes >= len(hashes)
    for index, value in enumerate(hashes):
        proof = merkle_proof(hashes, index)
        assert tree.proof(index) == proof
        assert verify_proof(value, proof, root)
        other = hashes[(index + 1) % len(hashes)]
        assert len(hashes) == 1 or not verify_proof(other, proof, root)


def test_merkle_edge_cases() -> None:
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    with pytest.raises(LedgerError):
        merkle_proof(["00" * 32], 1)
    assert MerkleTree([]).root == merkle_root([]) and MerkleTree([]).size == 0
    with pytest.raises(LedgerError):
        MerkleTree(["00" * 32]).proof(-1)
    assert not verify_proof("00" * 32, [("up", "00" * 32)], "00" * 32)
    assert not verify_proof("00" * 32, "garbage", "00" * 32)  # type: ignore[arg-type]
    assert not verify_proof("xyz", [], "00" * 32)
    assert not verify_proof("00" * 32, [("left",)], "00" * 32)  # type: ignore[list-item]


def _closed_entries() -> list[Entry]:
    closed = set(SAMPLE.ledger.book.closed_epochs)
    return [e for e in SAMPLE.entries if e.epoch in closed and e.kind != "epoch_close"]


def test_a_payout_proof_holds_for_every_entry_of_a_closed_epoch() -> None:
    for entry in _closed_entries():
        proof = payout_proof(SAMPLE.entries, entry.epoch, entry.seq)
        assert proof.entry == entry
        assert check_payout_proof(proof, KEY.public_key_hex)
        assert check_payout_proof(Proof.from_json(proof.to_json()), KEY.public_key_hex)


def _resigned(entry: Entry, key: MarketKey = KEY, **changes: Any) -> Entry:
    data = {**entry.to_dict(), **changes}
    return make_entry(
        None, data["kind"], data["body"], epoch=data["epoch"], time=data["time"], key=key
    )


def test_an_altered_payout_proof_fails() -> None:
    entry = next(e for e in _closed_entries() if str(e.body.get("memo", "")).startswith("settle:"))
    proof = payout_proof(SAMPLE.entries, entry.epoch, entry.seq)
    assert proof.path
    more = {**entry.body, "amount": int(entry.body["amount"]) + 1}
    side, sibling = proof.path[0]
    other_close = next(
        e for e in SAMPLE.entries if e.kind == "epoch_close" and e.epoch != entry.epoch
    )
    bad = [
        Proof(Entry(**{**entry.to_dict(), "body": more}), proof.path, proof.close),  # stale hash
        Proof(_resigned(entry, body=more), proof.path, proof.close),  # re-signed, not in the root
        Proof(entry, ((side, _flip(sibling)), *proof.path[1:]), proof.close),
        Proof(
            entry, (("left" if side == "right" else "right", sibling), *proof.path[1:]), proof.close
        ),
        Proof(entry, proof.path[1:], proof.close),
        Proof(
            entry,
            proof.path,
            Entry(
                **{**proof.close.to_dict(), "body": {**proof.close.body, "merkle_root": "0" * 64}}
            ),
        ),
        Proof(entry, proof.path, other_close),
        Proof(entry, proof.path, SAMPLE.entries[proof.close.seq - 1]),  # not an epoch_close
        Proof(entry, proof.path, _resigned(proof.close, OTHER_KEY)),
    ]
    for altered in bad:
        assert not check_payout_proof(altered, KEY.public_key_hex)
    assert not check_payout_proof(proof, OTHER_KEY.public_key_hex)
    assert not check_payout_proof(proof, "00" * 32)
    assert not check_payout_proof("proof", KEY.public_key_hex)  # type: ignore[arg-type]


def test_payout_proofs_need_a_closed_epoch_and_an_entry_in_it() -> None:
    with pytest.raises(LedgerError, match="not closed"):
        payout_proof(SAMPLE.entries, SAMPLE.epoch, len(LINES) - 1)
    with pytest.raises(LedgerError, match="not in epoch"):
        payout_proof(SAMPLE.entries, 1, 0)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_garbage_proofs_are_refused(text: str) -> None:
    with pytest.raises(LedgerError):
        Proof.from_json(text)


def test_proofs_are_parsed_strictly() -> None:
    proof = json.loads(payout_proof(SAMPLE.entries, 0, 5).to_json())
    for broken in (
        {**proof, "extra": 1},
        {**proof, "path": [["up", "00" * 32]]},
        {**proof, "path": [["left"]]},
        {**proof, "path": "left"},
        {**proof, "entry": []},
    ):
        with pytest.raises(LedgerError):
            Proof.from_json(json.dumps(broken))
    with pytest.raises(LedgerError):
        Proof.from_json("x" * 70_000)


# --- the command line --------------------------------------------------------------------------


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "ledger.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_verify_file_prints_a_report_and_exits_0_or_1(tmp_path: Path) -> None:
    out = io.StringIO()
    assert verify_file(_write(tmp_path, LINES), KEY.public_key_hex + "\n", out=out) == 0
    text = out.getvalue()
    assert f"OK, {len(LINES)} entries verified, 2 epochs closed (last 1)" in text
    assert "dev:acme" in text and "in circulation" in text
    lines = list(LINES)
    lines[7] = lines[7].replace('"amount":', '"amount":1')
    out = io.StringIO()
    assert verify_file(_write(tmp_path, lines), KEY.public_key_hex, out=out) == 1
    assert "FAILED at seq 7" in out.getvalue()


def test_a_long_report_lists_the_first_balances_only() -> None:
    balances = {f"dev:d{i:03}": i + 1 for i in range(100)}
    report = Report(True, 1, balances, Totals(5050, 0), ())
    text = format_report(report, "x")
    assert "dev:d000" in text and "dev:d099" not in text and "and 60 more accounts" in text


def test_verify_file_refuses_missing_odd_and_oversized_files(tmp_path: Path) -> None:
    out = io.StringIO()
    assert verify_file(tmp_path / "missing.jsonl", KEY.public_key_hex, out=out) == 1
    assert verify_file(tmp_path, KEY.public_key_hex, out=out) == 1
    path = _write(tmp_path, LINES)
    assert verify_file(path, KEY.public_key_hex, max_bytes=100, out=out) == 1
    assert "limit" in out.getvalue()
    assert verify_file(path, "not a key", out=out) == 1
    (tmp_path / "long.jsonl").write_bytes(b"x" * (MAX_LINE_BYTES * 3))
    assert verify_file(tmp_path / "long.jsonl", KEY.public_key_hex, out=out) == 1
