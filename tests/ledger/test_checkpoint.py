"""Checkpoints and signed heads: a replay resumed from a saved state ends exactly where a full
replay does, the Merkle frontier matches the full tree, and a signed head catches an export cut
short (before a burn) or forked."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.cli import verify_file
from ledger.economy import LedgerError
from ledger.entries import Entry, make_entry
from ledger.head import SignedHead, sign_head, verify_export
from ledger.merkle import MerkleFrontier, merkle_root
from ledger.replay import Ledger, StaleCheckpoint
from ledger.verify import Verifier
from tests.ledger.test_economy import BIDS, EVENTS, KEY, PARAMS, Market, run_event
from tests.ledger.test_ledger import LINES, OTHER_KEY, SAMPLE

PUBLIC = KEY.public_key_hex
HASHES = st.lists(st.binary(min_size=32, max_size=32).map(bytes.hex), max_size=70)


@given(HASHES)
def test_the_merkle_frontier_has_the_full_trees_root(hashes: list[str]) -> None:
    frontier = MerkleFrontier()
    for value in hashes:
        frontier.add(value)
    assert frontier.root() == merkle_root(hashes)
    again = MerkleFrontier.from_state(frontier.to_state())
    assert again.root() == frontier.root() and again.size == len(hashes)


def full_state(lines: list[str]) -> str:
    verifier = Verifier(PUBLIC)
    verifier.feed(lines)
    return verifier.checkpoint()


@settings(max_examples=60, deadline=None)
@given(params=PARAMS, bids=BIDS, events=st.lists(EVENTS, max_size=40), cut=st.floats(0, 1))
def test_a_replay_resumed_from_a_checkpoint_equals_the_full_replay(
    params: Any, bids: dict[str, int], events: list[tuple[object, ...]], cut: float
) -> None:
    market = Market(params=params, bids=bids)
    for event in events:
        run_event(market, event)
    lines = market.ledger.lines()
    at = round(cut * len(lines))  # anywhere, even inside an attention run or a settlement
    first = Verifier(PUBLIC)
    first.feed(lines[:at])
    saved = first.checkpoint()
    resumed = Verifier(PUBLIC, checkpoint=saved)
    assert resumed.checkpoint() == saved  # the state round-trips exactly
    resumed.feed(lines[at:])
    resumed.finish()
    assert resumed.checkpoint() == full_state(lines)
    # The market's own ledger resumes too, and goes on appending what the rules compute.
    ledger = Ledger.from_checkpoint(KEY, market.ledger.checkpoint())
    assert ledger.checkpoint() == market.ledger.checkpoint()
    assert ledger.book.balances() == market.ledger.book.balances()
    time = market.time
    expected = market.ledger.settle_epoch(market.epoch, time=time)
    assert ledger.settle_epoch(market.epoch, time=time) == expected


def test_the_ledger_keeps_no_entries_unless_asked() -> None:
    ledger = Ledger(KEY, SAMPLE.entries)
    assert len(ledger) == len(LINES) and ledger.last == SAMPLE.entries[-1]
    with pytest.raises(LedgerError, match="does not keep its entries"):
        ledger.entries  # noqa: B018


def test_a_checkpoint_resumes_only_its_own_market_and_version() -> None:
    saved = Ledger(KEY, SAMPLE.entries).checkpoint()
    with pytest.raises(LedgerError, match="another market key"):
        Ledger.from_checkpoint(OTHER_KEY, saved)
    data = json.loads(saved)
    for version in (3, 5):  # an older state (or a newer one) is replayed, not misread
        with pytest.raises(StaleCheckpoint, match="replay instead"):
            Ledger.from_checkpoint(KEY, json.dumps({**data, "version": version}))
    with pytest.raises(LedgerError, match="head"):
        Ledger.from_checkpoint(KEY, json.dumps({**data, "seq": data["seq"] - 1}))
    broken = {**data, "state": {**data["state"], "book": {"balances": {}}}}
    with pytest.raises(LedgerError, match="book state"):
        Ledger.from_checkpoint(KEY, json.dumps(broken))
    with pytest.raises(LedgerError, match="not valid JSON"):
        Verifier(PUBLIC, checkpoint=saved[:-1])


# --- signed tree heads ---------------------------------------------------------------------------

TIME = "2024-02-01T00:00:00Z"


def head_at(seq: int) -> SignedHead:
    return sign_head(KEY, SAMPLE.entries[seq], TIME)


def test_a_signed_head_verifies_and_refuses_tampering() -> None:
    head = head_at(len(LINES) - 1)
    head.check(PUBLIC)
    assert SignedHead.from_json(head.to_json()) == head
    with pytest.raises(LedgerError, match="not signed by the market"):
        SignedHead(head.seq - 1, head.hash, head.time, head.signature).check(PUBLIC)
    with pytest.raises(LedgerError, match="not signed by the market"):
        head.check(OTHER_KEY.public_key_hex)
    with pytest.raises(LedgerError, match="exactly the keys"):
        SignedHead.from_json(json.dumps({**head.to_dict(), "extra": 1}))
    # An entry signature never passes for a head's: the head signs a tagged message.
    entry = SAMPLE.entries[head.seq]
    with pytest.raises(LedgerError, match="not signed by the market"):
        SignedHead(head.seq, head.hash, head.time, entry.signature).check(PUBLIC)


def test_an_export_is_checked_against_the_signed_head() -> None:
    last = len(LINES) - 1
    assert verify_export(LINES, PUBLIC, head_at(last)).ok
    # The market signed an earlier head, and the export has grown since: still fine.
    assert verify_export(LINES, PUBLIC, head_at(last - 3)).ok
    forged = sign_head(OTHER_KEY, SAMPLE.entries[last], TIME)
    report = verify_export(LINES, PUBLIC, forged)
    assert not report.ok and "signed head" in str(report.error)


def settlement_with_a_burn() -> int:
    """The seq where the settlement holding the sample's burn begins."""
    burn = next(e for e in SAMPLE.entries if e.kind == "burn")
    return next(
        e.seq
        for e in SAMPLE.entries
        if e.epoch == burn.epoch and str(e.body.get("memo", "")).startswith("settle:")
    )


def test_a_ledger_cut_before_a_burn_fails_against_the_head() -> None:
    cut_at = settlement_with_a_burn()
    cut = LINES[:cut_at]
    assert verify_export(cut, PUBLIC, head_at(cut_at - 1)).ok  # what an old head covered
    report = verify_export(cut, PUBLIC, head_at(len(LINES) - 1))
    assert not report.ok
    assert str(report.error).startswith(f"truncated: the ledger ends at seq {cut_at - 1}")


def test_a_forked_export_fails_against_the_head() -> None:
    # The same entries up to seq 5, then another entry 6 the market also signed.
    entries = list(SAMPLE.entries[:6])
    other = make_entry(
        entries[-1],
        "mint",
        {"account": "dev:acme", "amount": 7, "memo": "other"},
        epoch=0,
        time=entries[-1].time,
        key=KEY,
    )
    fork = [e.to_json_line() for e in [*entries, other]]
    report = verify_export(fork, PUBLIC, head_at(6))
    assert not report.ok and str(report.error).startswith("forked: entry 6 has hash")


def test_verify_command_takes_the_signed_head(tmp_path: Path) -> None:
    cut_at = settlement_with_a_burn()
    export, head_file = tmp_path / "ledger.jsonl", tmp_path / "head.json"
    head_file.write_text(head_at(len(LINES) - 1).to_json())
    export.write_text("\n".join(LINES) + "\n")

    def run(head: Path | None) -> tuple[int, str]:
        out = io.StringIO()
        return verify_file(export, PUBLIC, head_path=head, out=out), out.getvalue()

    status, text = run(head_file)
    assert status == 0 and "OK" in text and "no signed head" not in text
    export.write_text("\n".join(LINES[:cut_at]) + "\n")
    status, text = run(None)
    assert status == 0 and "no signed head given" in text  # without the head, a prefix passes
    status, text = run(head_file)
    assert status == 1 and "FAILED" in text and "truncated" in text  # with it, it does not
    head_file.write_text("{}")
    status, text = run(head_file)
    assert status == 1 and "not a signed head" in text


def test_entries_from_a_checkpoint_need_the_previous_hash() -> None:
    saved = Ledger(KEY, SAMPLE.entries[:10]).checkpoint()
    verifier = Verifier(PUBLIC, checkpoint=saved)
    with pytest.raises(LedgerError, match="expected seq 10"):
        verifier.feed(LINES[11:12])
    stranger = make_entry(
        Entry.from_json_line(LINES[8]),
        "mint",
        {"account": "dev:acme", "amount": 1, "memo": "x"},
        epoch=0,
        time=SAMPLE.entries[9].time,
        key=KEY,
    )
    shifted = make_entry(
        stranger, "mint", dict(stranger.body), epoch=0, time=stranger.time, key=KEY
    )
    with pytest.raises(LedgerError, match="prev_hash"):
        verifier.feed([shifted.to_json_line()])
