"""The ledger in the database: appends are serialised across server processes, checked by the
in-memory :class:`~ledger.chain.Ledger` (the same rules ``verify`` replays), and
committed together with the rows that caused them."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from crypto._files import read_private_file, write_private_file
from ledger.chain import Entry, Ledger, MarketKey, format_time
from ledger.economy import EconomyParams, parse_time
from market_server.core.config import Settings
from market_server.models import LedgerEntryRow, MarketState

# Appends the entries of one change to the ledger, given the time to stamp them with.
Change = Callable[[Ledger, str], list[Entry]]


def economy_params(settings: Settings) -> EconomyParams:
    return EconomyParams(
        fee_bps=settings.fee_bps,
        burn_bps=settings.burn_bps,
        burn_cap=settings.burn_cap,
        attention_daily_cap=settings.attention_daily_cap,
        per_item_multiplier=settings.per_item_multiplier,
        min_funding=settings.min_funding,
    )


def load_market_key(settings: Settings) -> MarketKey:
    """The configured key; in local mode, one generated once into the data directory."""
    if settings.market_key:
        return MarketKey.from_seed_hex(settings.market_key)
    path = settings.data_dir / "market.key"
    if not path.exists():
        write_private_file(path, MarketKey.generate().seed_hex().encode())
    return MarketKey.from_seed_hex(
        read_private_file(path, max_bytes=128, what="market key").decode().strip()
    )


def open_store(settings: Settings, engine: Engine) -> LedgerStore:
    return LedgerStore(engine, load_market_key(settings), economy_params(settings))


def to_row(entry: Entry) -> LedgerEntryRow:
    return LedgerEntryRow(
        seq=entry.seq,
        epoch=entry.epoch,
        time=entry.time,
        kind=entry.kind,
        body=json.dumps(dict(entry.body), sort_keys=True),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
        signature=entry.signature,
    )


def from_row(row: LedgerEntryRow) -> Entry:
    return Entry(
        seq=row.seq,
        epoch=row.epoch,
        time=row.time,
        kind=row.kind,
        body=json.loads(row.body),
        prev_hash=row.prev_hash,
        hash=row.hash,
        signature=row.signature,
    )


class LedgerStore:
    """A process-local copy of the ledger, brought up to date under the database lock before
    every change, so that several server processes append to one chain."""

    def __init__(self, engine: Engine, key: MarketKey, params: EconomyParams) -> None:
        self.engine = engine
        self.key = key
        self.params = params
        self._ledger: Ledger | None = None
        self._lock = threading.Lock()

    def _lock_database(self, session: Session) -> None:
        # Updating the one state row takes the write lock (a row lock on PostgreSQL, the
        # database's write lock on SQLite) until commit: appends are serialised everywhere.
        result = session.exec(update(MarketState).where(col(MarketState.id) == 1).values(id=1))
        if result.rowcount == 0:
            session.add(MarketState(id=1))
            session.flush()

    def _sync(self, session: Session) -> Ledger:
        ledger = self._ledger or Ledger(self.key)
        newer = session.exec(
            select(LedgerEntryRow)
            .where(col(LedgerEntryRow.seq) >= len(ledger))
            .order_by(col(LedgerEntryRow.seq))
        ).all()
        ledger.ingest(from_row(row) for row in newer)
        self._ledger = ledger
        return ledger

    def change(self, session: Session, change: Change) -> list[Entry]:
        """Apply ``change`` and commit it with whatever ``session`` holds, atomically."""
        with self._lock:
            try:
                self._lock_database(session)
                ledger = self._sync(session)
                if len(ledger) == 0:
                    self._append_all(
                        session,
                        ledger.append(
                            "params", self.params.to_body(), epoch=0, time=self._now(ledger)
                        ),
                    )
                entries = change(ledger, self._now(ledger))
                self._append_all(session, *entries)
                session.commit()
            except BaseException:
                session.rollback()
                self._ledger = None  # it may hold entries that were never committed
                raise
            return entries

    def _append_all(self, session: Session, *entries: Entry) -> None:
        for entry in entries:
            session.add(to_row(entry))
        session.flush()

    @staticmethod
    def _now(ledger: Ledger) -> str:
        # Entries' times never go backwards, even if this process's clock is behind another's.
        now = datetime.now(UTC)
        if ledger.last is not None:
            now = max(now, parse_time(ledger.last.time))
        return format_time(now)

    def snapshot(self, session: Session) -> Ledger:
        """The ledger as committed now (read-only use)."""
        with self._lock:
            return self._sync(session)


def current_epoch(ledger: Ledger) -> int:
    """Epochs advance only by closing them: the open epoch follows the last close."""
    last = ledger.last
    if last is None:
        return 0
    return last.epoch + 1 if last.kind == "epoch_close" else last.epoch


def epoch_started(ledger: Ledger) -> datetime | None:
    """When the open epoch began: the last close, or the first entry (None when empty)."""
    for entry in reversed(ledger.entries):
        if entry.kind == "epoch_close":
            return parse_time(entry.time)
    return parse_time(ledger.entries[0].time) if len(ledger) else None
