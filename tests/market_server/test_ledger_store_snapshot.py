"""A reader of the ledger store holds a consistent state while changes are appended in another
thread: the snapshot it got neither changes under it nor shows half an entry (SQLite and
PostgreSQL)."""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from ledger.economy import Body, LedgerError, user_account
from ledger.entries import Entry
from ledger.keys import MarketKey
from ledger.replay import Ledger
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_store import Change, LedgerStore, economy_params
from tests.market_server.conftest import MARKET_KEY

CHANGES = 60


@pytest.fixture
def store(settings: Settings) -> Iterator[LedgerStore]:
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    yield LedgerStore(
        engine, MarketKey.from_seed_hex(MARKET_KEY), economy_params(settings), checkpoint_every=25
    )
    engine.dispose()


def account(i: int) -> str:
    return user_account(hashlib.sha256(i.to_bytes(4, "big")).hexdigest())


def mint_and_move(i: int) -> Change:
    """A change of two entries: a mint to a new account, then a transfer out of an older one."""

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch = ledger.open_epoch
        minted: Body = {"account": account(i), "amount": 10, "memo": "deposit"}
        moved: Body = {"from": account(i // 2), "to": account(i + 1), "amount": 3, "memo": "move"}
        return [
            ledger.append("mint", minted, epoch=epoch, time=time),
            ledger.append("transfer", moved, epoch=epoch, time=time),
        ]

    return change


def read(view: Ledger) -> tuple[int, dict[str, int], int, int]:
    """What a page reads: the length, every balance, and the totals they must add up to."""
    length = len(view)
    balances = view.book.balances()
    totals = view.book.totals
    return length, balances, totals.minted, totals.burned


def test_a_reader_holds_one_consistent_state_while_changes_are_appended(
    store: LedgerStore,
) -> None:
    with Session(store.engine) as session:
        store.change(session, mint_and_move(0))
        store.change(session, mint_and_move(1))
    reader_has_read, writer_is_done = threading.Event(), threading.Event()
    first: list[tuple[int, dict[str, int], int, int]] = []
    readings, torn, changed = 0, 0, 0
    failures: list[BaseException] = []

    def check(view: Ledger) -> None:
        nonlocal readings, torn, changed
        reading = read(view)
        readings += 1
        torn += sum(reading[1].values()) != reading[2] - reading[3]
        changed += reading != first[0]

    def reader() -> None:
        try:
            with Session(store.engine) as session:
                view = store.snapshot(session)
            first.append(read(view))
            reader_has_read.set()
            while not writer_is_done.is_set():
                check(view)
            check(view)  # after the last change was committed
        except BaseException as error:  # e.g. "dictionary changed size during iteration"
            failures.append(error)
            reader_has_read.set()

    def writer() -> None:
        try:
            reader_has_read.wait(timeout=30)
            with Session(store.engine) as session:
                for i in range(2, 2 + CHANGES):
                    store.change(session, mint_and_move(i))
        except BaseException as error:
            failures.append(error)
        finally:
            writer_is_done.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: tear what can tear
    try:
        threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures
    assert first[0][0] == 5  # the params entry and the two changes before the snapshot
    assert sum(first[0][1].values()) == first[0][2] - first[0][3]
    assert readings > 1
    assert torn == 0, f"{torn} of {readings} readings saw half an entry"
    assert changed == 0, f"{changed} of {readings} readings saw later changes"
    with Session(store.engine) as session:
        now = read(store.snapshot(session))
    assert now[0] == 5 + 2 * CHANGES  # and the writer's changes are all there for later readers
    assert sum(now[1].values()) == now[2] - now[3] == 10 * (2 + CHANGES)


def test_a_snapshot_refuses_changes_and_the_store_goes_on(store: LedgerStore) -> None:
    with Session(store.engine) as session:
        store.change(session, mint_and_move(0))
        view = store.snapshot(session)
        with pytest.raises(LedgerError, match="read-only"):
            view.append("mint", {"account": account(9), "amount": 1, "memo": "m"}, epoch=0, time="")
        store.change(session, mint_and_move(1))
        assert len(store.snapshot(session)) == 5
    assert len(view) == 3
    assert view.book.balance(account(1)) == 3
