"""Readers of the stored ledger see only committed state, and one state throughout a read:
changes (committed or rolled back) made while they read never show (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from types import MappingProxyType

import pytest
from sqlmodel import Session

from ledger.entries import Entry, format_time
from ledger.replay import Ledger
from market_server import crud
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_store import LedgerStore, copy_ledger, current_epoch, open_store

ACCOUNT = "user:" + "ab" * 32
WRITES = 40  # changes by the writer thread, every third one rolled back
READERS = 3


class RolledBack(Exception):
    """Raised by a change after it appended, so that its transaction rolls back."""


@pytest.fixture
def store(settings: Settings) -> Iterator[LedgerStore]:
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    try:
        yield open_store(settings, engine)
    finally:
        engine.dispose()


def mint_then_fail(ledger: Ledger, time: str) -> list[Entry]:
    ledger.append("mint", {"account": ACCOUNT, "amount": 1000, "memo": "never"}, epoch=0, time=time)
    raise RolledBack


def mint(store: LedgerStore, amount: int) -> None:
    with Session(store.engine) as session:
        crud.mint(session=session, store=store, account=ACCOUNT, amount=amount, memo="test")


def test_a_snapshot_never_shows_a_later_or_rolled_back_change(store: LedgerStore) -> None:
    mint(store, 5)
    with Session(store.engine) as session:
        held = store.snapshot(session)
        with pytest.raises(RolledBack):
            store.change(session, mint_then_fail)
        assert (len(held), held.book.balance(ACCOUNT)) == (2, 5)  # not the 1000 rolled back
        mint(store, 7)
        assert (len(held), held.book.balance(ACCOUNT)) == (2, 5)  # not the later 7 either
        now = store.snapshot(session)
        assert (len(now), now.book.balance(ACCOUNT), current_epoch(now)) == (3, 12, 0)
        assert store.snapshot(session) is now  # no change since: the same object, no copy


def test_concurrent_readers_see_only_committed_states(store: LedgerStore) -> None:
    mint(store, 1)
    committed = {(2, 1)}  # (entries, balance) after each commit
    done = threading.Event()
    seen: list[tuple[int, int]] = []
    problems: list[str] = []

    def write() -> None:
        balance, entries = 1, 2
        try:
            for step in range(WRITES):
                threading.Event().wait(0.002)  # the store's lock is not fair: let readers in
                if step % 3 == 2:
                    with Session(store.engine) as session, pytest.raises(RolledBack):
                        store.change(session, mint_then_fail)
                    continue
                mint(store, step + 1)
                balance, entries = balance + step + 1, entries + 1
                committed.add((entries, balance))
        finally:
            done.set()

    def read() -> None:
        with Session(store.engine) as session:
            while not done.is_set():
                ledger = store.snapshot(session)
                first = (len(ledger), ledger.book.balance(ACCOUNT))
                threading.Event().wait(0.001)  # let the writer run mid-read
                again = (len(ledger), ledger.book.balance(ACCOUNT))
                if again != first:
                    problems.append(f"one read saw {first} then {again}")
                seen.append(first)

    threads = [threading.Thread(target=write)]
    threads += [threading.Thread(target=read) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not problems
    assert len(set(seen)) > 3  # the readers did read while the writer wrote
    assert set(seen) <= committed, set(seen) - committed


def test_a_copy_is_the_same_state_and_independent(store: LedgerStore) -> None:
    mint(store, 5)
    with Session(store.engine) as session:
        ledger = store.snapshot(session)
    copied = copy_ledger(ledger, store.key)
    assert copied.checkpoint() == ledger.checkpoint()
    assert isinstance(copied.last, Entry) and isinstance(copied.last.body, MappingProxyType)
    body: dict[str, str | int | bool] = {"account": ACCOUNT, "amount": 2, "memo": "copy"}
    copied.append("mint", body, epoch=0, time=format_time(datetime.now(UTC)))
    assert (len(copied), copied.book.balance(ACCOUNT)) == (3, 7)
    assert (len(ledger), ledger.book.balance(ACCOUNT)) == (2, 5)
