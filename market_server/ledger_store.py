"""The ledger in the database: appends are serialised across server processes, checked by the
in-memory :class:`~ledger.replay.Ledger` (the same rules ``verify`` replays), and committed
together with the rows that caused them and, now and then, a checkpoint of the replay state."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from crypto._files import read_private_file, write_private_file
from ledger.economy import EconomyParams, LedgerError, parse_time
from ledger.entries import Entry, canonical, format_time
from ledger.head import SignedHead, sign_head
from ledger.keys import MarketKey
from ledger.replay import Ledger, StaleCheckpoint
from market_server.core.config import Settings
from market_server.models import LedgerCheckpointRow, LedgerEntryRow, MarketState

# Appends the entries of one change to the ledger, given the time to stamp them with.
Change = Callable[[Ledger, str], list[Entry]]


def economy_params(settings: Settings) -> EconomyParams:
    """The rules and parameters the server is configured with (rules 1 to 3 only to keep writing
    an old ledger under an old economy; a version never goes down)."""
    common = {
        "fee_bps": settings.fee_bps,
        "burn_bps": settings.burn_bps,
        "burn_cap": settings.burn_cap,
        "per_item_multiplier": settings.per_item_multiplier,
        "min_funding": settings.min_funding,
    }
    if settings.rules_version == 1:
        return EconomyParams(rules=1, attention_daily_cap=settings.attention_daily_cap, **common)
    if settings.rules_version >= 3:
        common["max_vote_changes"] = settings.max_vote_changes
    if settings.rules_version >= 4:
        common["training_bps"] = settings.training_bps
    return EconomyParams(
        rules=settings.rules_version,
        attention_bps=settings.attention_bps,
        cooling_off_epochs=settings.cooling_off_epochs,
        list_length=settings.list_length,
        **common,
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
    return LedgerStore(
        engine,
        load_market_key(settings),
        economy_params(settings),
        checkpoint_every=settings.ledger_checkpoint_every,
    )


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


def row_line(row: LedgerEntryRow) -> str:
    """The export line of a stored entry, without rebuilding (and re-checking) the Entry: the
    market wrote it through the rules, and every reader verifies the export anyway."""
    entry = {
        "seq": row.seq,
        "epoch": row.epoch,
        "time": row.time,
        "kind": row.kind,
        "body": json.loads(row.body),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
        "signature": row.signature,
    }
    return canonical(entry).decode("utf-8")


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


@dataclass(frozen=True)
class LedgerGlance:
    """What anonymous callers read most (``GET /v1/market``, ``/metrics``, ``/readyz``): the
    ledger's length and its epoch clock."""

    entries: int
    open_epoch: int
    epoch_started: datetime | None


class LedgerStore:
    """A process-local replay state of the ledger (not its entries), brought up to date under
    the database lock before every change, so that several server processes append to one
    chain. A fresh process starts from the latest checkpoint and replays only what follows."""

    def __init__(
        self, engine: Engine, key: MarketKey, params: EconomyParams, *, checkpoint_every: int
    ) -> None:
        self.engine = engine
        self.key = key
        self.params = params
        self.checkpoint_every = checkpoint_every
        self.entries_replayed = 0  # read back from storage and re-checked, since start-up
        self._params_scheduled = False  # set once a change committed with them scheduled
        self._ledger: Ledger | None = None
        self._lock = threading.Lock()
        self._glance: LedgerGlance | None = None  # as of the head it was read at
        self._view: Ledger | None = None  # the last snapshot: readers share it until a change

    def _lock_database(self, session: Session) -> None:
        # Updating the one state row takes the write lock (a row lock on PostgreSQL, the
        # database's write lock on SQLite) until commit: appends are serialised everywhere.
        lock = update(MarketState).where(col(MarketState.id) == 1).values(id=1)
        if session.exec(lock).rowcount:
            return
        try:
            with session.begin_nested():  # the first change ever: create the row
                session.add(MarketState(id=1))
        except IntegrityError:  # another process created it first: lock theirs
            session.exec(lock)

    def _load(self, session: Session) -> Ledger:
        row = session.exec(
            select(LedgerCheckpointRow).order_by(col(LedgerCheckpointRow.seq).desc()).limit(1)
        ).first()
        if row is None:
            return Ledger(self.key)
        stored = session.get(LedgerEntryRow, row.seq)
        if stored is None or stored.hash != row.hash:
            raise LedgerError(f"checkpoint {row.seq} does not match the stored ledger entry")
        try:
            return Ledger.from_checkpoint(self.key, row.state)
        except StaleCheckpoint:  # written by an older version: replay from the first entry
            return Ledger(self.key)

    def _sync(self, session: Session) -> Ledger:
        ledger = self._ledger if self._ledger is not None else self._load(session)
        newer = session.exec(
            select(LedgerEntryRow)
            .where(col(LedgerEntryRow.seq) >= len(ledger))
            .order_by(col(LedgerEntryRow.seq))
        )
        for row in newer:
            ledger.ingest([from_row(row)])
            self.entries_replayed += 1
        self._ledger = ledger
        return ledger

    def change(self, session: Session, change: Change) -> list[Entry]:
        """Apply ``change`` and commit it with whatever ``session`` holds, atomically."""
        with self._lock:
            ledger, synced = None, 0
            try:
                self._lock_database(session)
                ledger = self._sync(session)
                synced = len(ledger)
                self._append_all(session, *self._schedule_params(ledger))
                entries = change(ledger, self._now(ledger))
                self._append_all(session, *entries)
                self._checkpoint_if_due(session, ledger, entries)
                session.commit()
            except BaseException:
                session.rollback()
                # A refused append changes nothing in memory; only entries that were appended
                # and then rolled back force a reload (from the last checkpoint).
                if ledger is None or len(ledger) != synced:
                    self._ledger = None
                raise
            self._params_scheduled = True
            return entries

    def _schedule_params(self, ledger: Ledger) -> list[Entry]:
        """The first entry of a new ledger (the configured params, from epoch 0), or on a
        ledger whose last scheduled params differ from the configured ones, the switch to them
        from the earliest epoch allowed (checked at this process's first change; a switch to
        a lower rules version is refused, LedgerError)."""
        if len(ledger) and (
            self._params_scheduled or ledger.latest_rules.to_body() == self.params.to_body()
        ):
            return []
        return [ledger.switch_rules(self.params, time=self._now(ledger))]

    def _append_all(self, session: Session, *entries: Entry) -> None:
        for entry in entries:
            session.add(to_row(entry))
        session.flush()

    def _checkpoint_if_due(self, session: Session, ledger: Ledger, entries: list[Entry]) -> None:
        """Save the state every ``checkpoint_every`` entries and at each epoch close (settling
        is when most state is dropped); keep the one before too, as the last one grows."""
        last = ledger.last
        if last is None:
            return
        latest = session.exec(select(func.max(LedgerCheckpointRow.seq))).one()
        latest = -1 if latest is None else int(latest)
        closed = any(entry.kind == "epoch_close" for entry in entries)
        if last.seq == latest or (not closed and last.seq - latest < self.checkpoint_every):
            return
        session.add(LedgerCheckpointRow(seq=last.seq, hash=last.hash, state=ledger.checkpoint()))
        session.exec(delete(LedgerCheckpointRow).where(col(LedgerCheckpointRow.seq) < latest))
        session.flush()

    @staticmethod
    def _now(ledger: Ledger) -> str:
        # Entries' times never go backwards, even if this process's clock is behind another's.
        now = datetime.now(UTC)
        if ledger.last is not None:
            now = max(now, parse_time(ledger.last.time))
        return format_time(now)

    def check_rules(self, session: Session) -> None:
        """Refuse (LedgerError) configured rules older than the ledger's: rules never go back,
        so such a server could append nothing."""
        ledger = self.snapshot(session)
        if len(ledger) and ledger.latest_rules.rules > self.params.rules:
            raise LedgerError(
                f"the ledger runs economy rules {ledger.latest_rules.rules} and rules never go "
                f"back: set PRIVREC_RULES_VERSION={ledger.latest_rules.rules} (it is "
                f"{self.params.rules})"
            )

    def snapshot(self, session: Session) -> Ledger:
        """The ledger as committed now: a read-only view that later changes do not alter, so a
        reader may hold it as long as it likes. It costs O(1) in the ledger's length, and the
        next change then copies each container of the state it changes (one dict, not all)."""
        with self._lock:
            ledger = self._sync(session)
            view = self._view
            if view is None or view.last is not ledger.last:  # an append replaces the last
                view = self._view = ledger.snapshot()
            return view

    def glance(self, session: Session) -> LedgerGlance:
        """The ledger's length and epoch clock as committed now. Kept per ledger head: while the
        stored ledger does not grow, a call costs one indexed query and neither syncs nor waits
        behind a change in progress (anyone may call it, as often as they like)."""
        last_seq = session.exec(select(func.max(LedgerEntryRow.seq))).one()
        entries = 0 if last_seq is None else int(last_seq) + 1
        kept = self._glance
        if kept is not None and kept.entries == entries:
            return kept
        with self._lock:
            ledger = self._sync(session)
            kept = LedgerGlance(len(ledger), ledger.open_epoch, ledger.epoch_started)
            self._glance = kept
        return kept

    def head(self, session: Session) -> SignedHead | None:
        """The market's signed head over its last committed entry (None while it is empty)."""
        last = self.snapshot(session).last
        if last is None:
            return None
        return sign_head(self.key, last, format_time(max(datetime.now(UTC), parse_time(last.time))))


def current_epoch(ledger: Ledger) -> int:
    """Epochs advance only by closing them: the open epoch follows the last close."""
    return ledger.open_epoch


def epoch_started(ledger: Ledger) -> datetime | None:
    """When the open epoch began: the last close, or the first entry (None when empty)."""
    return ledger.epoch_started
