"""What the ledger explorer shows, read from the stored ledger without replaying it: epochs with
their signed Merkle roots, an epoch's entries a page at a time, and an entry's inclusion proof
(from a ``ledger.merkle.BlockedMerkleTree`` of the epoch, kept while the epoch is asked about,
and the hashes of the 1,024-entry block the entry is in)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Final

from sqlmodel import Session, col, select

from ledger.economy import MAX_EPOCH, LedgerError
from ledger.entries import MAX_SEQ, Entry
from ledger.merkle import BLOCK_LEAVES, BlockedMerkleTree
from ledger.verify import Proof
from market_server.ledger_store import from_row
from market_server.models import LedgerEntryRow

EPOCHS_PER_PAGE: Final = 50
ENTRIES_PER_PAGE: Final = 50
MAX_ENTRIES_PER_PAGE: Final = 200  # a page is rendered in one request: bounded for anyone


@dataclass(frozen=True)
class EpochSummary:
    """One epoch: its entries are seq ``first_seq`` to ``first_seq + entries - 1``; ``close``
    (its epoch_close, signing its Merkle root) is None while it is open."""

    epoch: int
    first_seq: int
    entries: int  # the close included
    close: Entry | None

    @property
    def merkle_root(self) -> str | None:
        return None if self.close is None else str(self.close.body["merkle_root"])


@dataclass(frozen=True)
class EpochPage:
    """Entries of one epoch after seq ``after``; ``next_after`` pages on (None at the end)."""

    summary: EpochSummary
    entries: tuple[Entry, ...]
    next_after: int | None


def _closes(session: Session, *, below_epoch: int | None, limit: int) -> list[LedgerEntryRow]:
    query = select(LedgerEntryRow).where(LedgerEntryRow.kind == "epoch_close")
    if below_epoch is not None:
        query = query.where(col(LedgerEntryRow.epoch) < below_epoch)
    return list(session.exec(query.order_by(col(LedgerEntryRow.seq).desc()).limit(limit)).all())


def _last_row(session: Session) -> LedgerEntryRow | None:
    return session.exec(
        select(LedgerEntryRow).order_by(col(LedgerEntryRow.seq).desc()).limit(1)
    ).first()


def epoch_summaries(
    session: Session, *, below: int | None = None, limit: int = EPOCHS_PER_PAGE
) -> list[EpochSummary]:
    """Epochs newest first, those below epoch ``below`` (all when None), at most ``limit``;
    the open epoch comes first when it has entries and ``below`` is None."""
    if not 1 <= limit <= EPOCHS_PER_PAGE:
        raise ValueError(f"limit must be in [1, {EPOCHS_PER_PAGE}]")
    # One close more than shown: where the oldest shown epoch starts.
    closes = _closes(session, below_epoch=below, limit=limit + 1)
    summaries = []
    last = _last_row(session) if below is None else None
    if last is not None and last.kind != "epoch_close":
        first = closes[0].seq + 1 if closes else 0
        summaries.append(EpochSummary(last.epoch, first, last.seq - first + 1, None))
    for index, row in enumerate(closes[:limit]):
        first = closes[index + 1].seq + 1 if index + 1 < len(closes) else 0
        summaries.append(EpochSummary(row.epoch, first, row.seq - first + 1, from_row(row)))
    return summaries[:limit]


def _close_of(session: Session, epoch: int) -> LedgerEntryRow | None:
    """Epoch ``epoch``'s close: the ledger's closes in seq order are those of epochs 0, 1, 2...
    (read through the index on kind: asked by epoch, a database reads the epoch's rows)."""
    row = session.exec(
        select(LedgerEntryRow)
        .where(LedgerEntryRow.kind == "epoch_close")
        .order_by(col(LedgerEntryRow.seq))
        .offset(epoch)
        .limit(1)
    ).first()
    return row if row is not None and row.epoch == epoch else None


def epoch_summary(session: Session, epoch: int) -> EpochSummary:
    """One epoch's summary; LookupError if the ledger has no entry in it. Found from the
    closes around it (epochs follow one another, each ended by its close), never by reading
    the epoch's rows: a min/max over a million-entry epoch took 0.7 s per page."""
    if type(epoch) is not int or not 0 <= epoch <= MAX_EPOCH:
        raise LookupError(f"no epoch {epoch!r:.20}")
    before = _close_of(session, epoch - 1) if epoch > 0 else None
    if epoch > 0 and before is None:
        raise LookupError(f"the ledger has no entries in epoch {epoch}")
    first = 0 if before is None else before.seq + 1
    row = _close_of(session, epoch)
    if row is None:  # the open epoch, if it has entries yet
        row = _last_row(session)
        if row is None or row.epoch != epoch:
            raise LookupError(f"the ledger has no entries in epoch {epoch}")
    close = from_row(row) if row.kind == "epoch_close" else None
    return EpochSummary(epoch, first, row.seq - first + 1, close)


def epoch_page(
    session: Session, epoch: int, *, after: int | None = None, limit: int = ENTRIES_PER_PAGE
) -> EpochPage:
    """Entries of ``epoch`` with seq above ``after``, at most ``limit`` (bounded); LookupError
    if the epoch has no entries, ValueError for a bad ``after`` or ``limit``."""
    if not 1 <= limit <= MAX_ENTRIES_PER_PAGE:
        raise ValueError(f"limit must be in [1, {MAX_ENTRIES_PER_PAGE}]")
    if after is not None and not -1 <= after <= MAX_SEQ:
        raise ValueError(f"after must be in [-1, {MAX_SEQ}]")
    summary = epoch_summary(session, epoch)
    start = summary.first_seq if after is None else max(after + 1, summary.first_seq)
    rows = session.exec(
        select(LedgerEntryRow)
        .where(col(LedgerEntryRow.seq) >= start)
        .where(col(LedgerEntryRow.seq) < summary.first_seq + summary.entries)
        .order_by(col(LedgerEntryRow.seq))
        .limit(limit)
    ).all()
    entries = tuple(from_row(row) for row in rows)
    end = summary.first_seq + summary.entries - 1
    more = bool(entries) and entries[-1].seq < end
    return EpochPage(summary, entries, entries[-1].seq if more else None)


def entry_at(session: Session, seq: int) -> Entry:
    """The stored entry ``seq``; LookupError if there is none."""
    row = session.get(LedgerEntryRow, seq) if 0 <= seq <= MAX_SEQ else None
    if row is None:
        raise LookupError(f"no ledger entry {seq}")
    return from_row(row)


class _ClosedTrees:
    """Merkle trees of closed epochs (which never change) from their 1,024-leaf blocks up, the
    most recently used kept within a budget of hashes, so that proofs in one epoch hash its
    entries once, not per request (a proof then hashes its own block only)."""

    def __init__(self, max_nodes: int) -> None:
        self.max_nodes = max_nodes
        self._trees: OrderedDict[tuple[int, str], BlockedMerkleTree] = OrderedDict()
        self._nodes = 0
        self._lock = threading.Lock()
        # One build per epoch at a time: requests arriving while it is built wait for it
        # instead of each reading and hashing the whole epoch again.
        self._building: dict[tuple[int, str], threading.Lock] = {}

    def clear(self) -> None:
        with self._lock:
            self._trees.clear()
            self._nodes = 0

    def get(self, session: Session, summary: EpochSummary) -> BlockedMerkleTree:
        assert summary.close is not None
        key = (summary.epoch, summary.close.hash)
        with self._lock:
            tree = self._kept(key)
            if tree is not None:
                return tree
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                with self._lock:
                    tree = self._kept(key)  # built while this request waited
                return tree if tree is not None else self._build(session, summary, key)
        finally:
            with self._lock:
                self._building.pop(key, None)

    def _kept(self, key: tuple[int, str]) -> BlockedMerkleTree | None:
        tree = self._trees.get(key)
        if tree is not None:
            self._trees.move_to_end(key)
        return tree

    def _build(
        self, session: Session, summary: EpochSummary, key: tuple[int, str]
    ) -> BlockedMerkleTree:
        assert summary.close is not None
        hashes = entry_hashes(session, range(summary.first_seq, summary.close.seq))
        # Streamed a block at a time: only the block being hashed is ever held.
        tree = BlockedMerkleTree(iter(lambda: list(islice(hashes, BLOCK_LEAVES)), []))
        if tree.root != summary.merkle_root:  # the stored entries are not what was signed
            raise LedgerError(f"epoch {summary.epoch}'s stored entries do not give its root")
        with self._lock:
            if key not in self._trees and tree.nodes <= self.max_nodes:
                self._trees[key] = tree
                self._nodes += tree.nodes
                while self._nodes > self.max_nodes:
                    _, dropped = self._trees.popitem(last=False)
                    self._nodes -= dropped.nodes
        return tree


def entry_hashes(session: Session, seqs: range) -> Iterator[str]:
    """The hashes of the stored entries ``seqs``, in order."""
    return iter(
        session.exec(
            select(LedgerEntryRow.hash)
            .where(col(LedgerEntryRow.seq) >= seqs.start)
            .where(col(LedgerEntryRow.seq) < seqs.stop)
            .order_by(col(LedgerEntryRow.seq))
        )
    )


# About 75 bytes a node (a 32-byte bytes object and its pointer): some 7.5 MB, the trees of
# closed epochs of 50 million entries in all (a 250,000-entry epoch's tree is 490 hashes).
CLOSED_TREES: Final = _ClosedTrees(max_nodes=100_000)


def inclusion_proof(session: Session, seq: int) -> Proof:
    """The proof that entry ``seq`` is under its epoch's signed Merkle root, from the epoch's
    hashes only (its tree's upper levels kept for the next proof, the entry's block of 1,024
    read and hashed again per proof); LookupError if there is no such entry,
    LedgerError if its epoch is open or it is the close itself (which the root does not
    cover)."""
    entry = entry_at(session, seq)
    summary = epoch_summary(session, entry.epoch)
    if summary.close is None:
        raise LedgerError(f"epoch {entry.epoch} is not closed")
    if entry.seq == summary.close.seq:
        raise LedgerError(f"entry {seq} closes epoch {entry.epoch}: its root does not cover it")
    tree = CLOSED_TREES.get(session, summary)
    index = entry.seq - summary.first_seq
    block = tree.block_of(index)
    seqs = range(summary.first_seq + block.start, summary.first_seq + block.stop)
    path = tree.proof(index, list(entry_hashes(session, seqs)))
    return Proof(entry, tuple(path), summary.close)
