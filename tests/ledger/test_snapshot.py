"""Snapshots of the ledger for readers: each keeps the state it was taken at, whatever is
appended after it, refuses to change, and costs the ledger's own replay nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.book import Book
from ledger.economy import Body, LedgerError, dev_account
from ledger.entries import Entry
from ledger.replay import Ledger
from ledger.verify import verify_ledger
from ledger.versioned import CopyOnWrite, VersionedMap
from tests.ledger.test_economy import DEVELOPERS, KEY, USERS
from tests.ledger.test_rules_v2 import funded, staked
from tests.ledger.test_training import close, contribute, market_v4, open_run

u0, u1, u2 = USERS


def busy_entries() -> tuple[Entry, ...]:
    """Two settled epochs and an open one with every kind of entry: stakes, escrows, budgets,
    ratings and their attention, vote changes, a training run, a retirement."""
    market = market_v4()
    for model in DEVELOPERS:
        staked(market, model, 100)
    market.mint(dev_account("acme"), 60)
    market.pay(dev_account("acme"), "escrow:alpha", 60, "attention escrow")
    for epoch in range(3):
        for user in USERS:
            funded(market, user, 100)
        if epoch == 0:
            open_run(market)
            contribute(market, u0)
            contribute(market, u1)
        alpha = market.show(u0, "alpha")
        market.rate(alpha, liked=2)
        market.change_vote(alpha, liked=0, disliked=1)
        market.rate(market.show(u1, "beta"), liked=1)
        market.change_vote(market.impressions[-1], liked=2)
        market.rate(market.show(u2, "gamma" if epoch < 2 else "beta"), liked=1, disliked=1)
        if epoch == 0:
            close(market)
        if epoch == 1:
            market.retire("gamma")
        if epoch < 2:
            market.settle()
    return market.entries


def facts(ledger: Ledger) -> dict[str, Any]:
    """Everything a reader can ask a ledger, the book's whole state included."""
    book = ledger.book
    return {
        "length": len(ledger),
        "last": ledger.last,
        "open_epoch": ledger.open_epoch,
        "epoch_started": ledger.epoch_started,
        "latest_rules": ledger.latest_rules if len(ledger) else None,
        "book": book.to_state(),
        "balances": book.balances(),
        "totals": book.totals,
        "rated": [book.rated_vote(epoch, f"imp{i}") for epoch in range(3) for i in range(9)],
        "paid": [book.attention_paid(f"imp{i}") for i in range(9)],
        "settlements": [book.last_settlement(user) for user in USERS],
        "votes": [book.votes(model) for model in DEVELOPERS],
    }


@pytest.mark.parametrize("remembered", [CopyOnWrite.MOST_REMEMBERED, 3])
def test_every_snapshot_keeps_the_state_it_was_taken_at(
    remembered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3: the writer keeps forgetting which containers it owns (it then copies them again).
    monkeypatch.setattr(CopyOnWrite, "MOST_REMEMBERED", remembered)
    entries = busy_entries()
    ledger = Ledger(KEY)
    taken: list[tuple[Ledger, dict[str, Any]]] = []
    for seq, entry in enumerate(entries):
        ledger.ingest([entry])
        if seq % 4 == 1:
            continue  # now and then several entries between two snapshots
        state = facts(ledger)
        taken += [(ledger.snapshot(), state) for _ in range(1 + (seq % 3 == 0))]
    for view, state in taken:
        assert facts(view) == state
    # The ledger read snapshots all along and still holds what a plain replay does.
    assert facts(ledger) == facts(Ledger(KEY, entries))


def test_a_snapshot_refuses_to_change() -> None:
    entries = busy_entries()
    ledger = Ledger(KEY, entries[:-3], keep_entries=True)
    view = ledger.snapshot()
    body: Body = {"account": dev_account("acme"), "amount": 1, "memo": "deposit"}
    with pytest.raises(LedgerError, match="read-only"):
        view.append("mint", body, epoch=view.open_epoch, time=entries[-4].time)
    with pytest.raises(LedgerError, match="read-only"):
        view.ingest(entries[-3:])
    with pytest.raises(LedgerError, match="read-only"):
        view.book.apply(entries[-3])
    with pytest.raises(LedgerError, match="cannot be checkpointed"):
        view.checkpoint()
    with pytest.raises(TypeError):
        view.book.developers["alpha"] = "mallory"  # type: ignore[index]
    assert view.snapshot() is view and view.book.snapshot() is view.book
    ledger.ingest(entries[-3:])  # the ledger itself goes on
    assert view.entries == entries[:-3] and ledger.entries == entries
    assert verify_ledger(ledger.lines(), KEY.public_key_hex).ok


def test_a_snapshot_of_a_book_from_a_checkpoint() -> None:
    entries = busy_entries()
    ledger = Ledger.from_checkpoint(KEY, Ledger(KEY, entries[:-5]).checkpoint())
    view, state = ledger.snapshot(), facts(ledger)
    ledger.ingest(entries[-5:])
    assert facts(view) == state
    assert Book.from_state(view.book.to_state()).to_state() == state["book"]


def test_a_versioned_map_shows_each_view_what_was_set_before_it() -> None:
    live: VersionedMap[str, int] = VersionedMap({"a": 1})
    before = live.view()
    live.set("a", 2)
    live.set("b", 3)
    between = live.view()
    live.set("a", 4)
    assert (before.get("a"), "b" in before, dict(before.items())) == (1, False, {"a": 1})
    assert dict(between.items()) == {"a": 2, "b": 3}
    assert dict(live.items()) == {"a": 4, "b": 3}
    with pytest.raises(LedgerError, match="read-only"):
        between.set("a", 5)
    assert between.view() is between


def test_a_versioned_map_keeps_an_old_value_only_while_a_view_may_see_it() -> None:
    live: VersionedMap[str, int] = VersionedMap()
    for n in range(1000):
        live.set("key", n)  # no view in between: one version, replaced
    assert live._versions["key"] == (0, 999, None)
    view = live.view()
    for n in range(1000):
        live.set("key", n)
    assert list(live._versions.values()) == [(1, 999, (0, 999, None))]
    assert view.get("key") == 999 and live.get("key") == 999
