"""Verification of an exported ledger by full replay (in steps, resumable) and payout proofs
that an entry is under its epoch's signed Merkle root."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Protocol

from ledger.book import Book
from ledger.economy import EconomyParams, LedgerError, Totals
from ledger.entries import Entry, _hex64, _load_json, _seal_problem, canonical
from ledger.keys import load_public_key
from ledger.merkle import merkle_proof, verify_proof
from ledger.replay import Report, _Replay, _replay_from_checkpoint, checkpoint_text

MAX_ENTRIES: Final = 50_000_000
MAX_PROOF_CHARS: Final = 64 * 1024

# --- verification --------------------------------------------------------------------------------


class HeadLike(Protocol):
    """What verification reads of a signed tree head (``ledger.head.SignedHead``), once its
    signature has been checked."""

    @property
    def seq(self) -> int: ...

    @property
    def hash(self) -> str: ...


class Verifier:
    """verify_ledger in steps: feed the export page by page, save a checkpoint, and resume from
    it later, so each entry is verified once. Methods raise LedgerError."""

    def __init__(
        self,
        market_public_key_hex: str,
        *,
        checkpoint: str | bytes | None = None,
        stakes_of: Mapping[str, str] | None = None,
        params: EconomyParams | None = None,
    ) -> None:
        self.market_public_key_hex = market_public_key_hex
        if checkpoint is None:
            public_key = load_public_key(market_public_key_hex)
            self._replay = _Replay(public_key, params=params, stakes_of=stakes_of)
        else:
            self._replay = _replay_from_checkpoint(
                checkpoint, market_public_key_hex, params=params, stakes_of=stakes_of
            )
        self._watched: dict[int, str | None] = {}

    @property
    def count(self) -> int:
        return self._replay.count

    @property
    def last(self) -> Entry | None:
        return self._replay.last

    @property
    def book(self) -> Book:
        return self._replay.book

    def watch(self, seq: int) -> None:
        """Remember the hash of entry ``seq`` when it goes by (to check a head against)."""
        self._watched.setdefault(seq, None)

    def feed(self, lines: Iterable[str | bytes], *, max_entries: int = MAX_ENTRIES) -> int:
        """Verify the next entries; how many were read."""
        read = 0
        for line in lines:
            if self._replay.count >= max_entries:
                raise LedgerError(f"more than {max_entries} entries")
            entry = Entry.from_json_line(line)
            self._replay.admit(entry)
            if entry.seq in self._watched:
                self._watched[entry.seq] = entry.hash
            read += 1
        return read

    def head_problem(self, head: HeadLike) -> str | None:
        """Why the entries verified so far are not the ledger ``head`` signs: truncated (they
        end before it) or forked (another entry at its seq); None when they reach it."""
        last = self._replay.last
        if last is None or last.seq < head.seq:
            ends = "no entries" if last is None else f"seq {last.seq}"
            return (
                f"truncated: the ledger ends at {ends}, but the market's signed head is at seq "
                f"{head.seq}; entries are missing"
            )
        seen = last.hash if last.seq == head.seq else self._watched.get(head.seq)
        if seen is None:
            return f"cannot check the signed head at seq {head.seq}: that entry was not read"
        if seen != head.hash:
            return (
                f"forked: entry {head.seq} has hash {seen[:16]}..., but the market's signed head "
                f"says {head.hash[:16]}..."
            )
        return None

    def finish(self, head: HeadLike | None = None) -> None:
        self._replay.finish()
        if head is not None and (problem := self.head_problem(head)) is not None:
            raise LedgerError(problem)

    def checkpoint(self) -> str:
        return checkpoint_text(self._replay, self.market_public_key_hex)

    def report(self, error: str | None) -> Report:
        return self._replay.report(error)


def verify_ledger(
    lines: Iterable[str | bytes],
    market_public_key_hex: str,
    stakes_of: Mapping[str, str] | None = None,
    params: EconomyParams | None = None,
    *,
    max_entries: int = MAX_ENTRIES,
    head: HeadLike | None = None,
) -> Report:
    """Replay an exported ledger: each line parses, seq order, the hash chain, hashes,
    signatures, bodies, balances, one rating per impression by its user, attention payments,
    every settlement (recomputed) and every epoch's Merkle root. ``stakes_of`` (model ->
    developer) and ``params``, when given, must match what the ledger records. With a signed
    ``head`` (its signature checked by the caller: see ``ledger.head.verify_export``), a ledger
    that ends before it or holds another entry at its seq fails. Never raises.
    """
    try:
        verifier = Verifier(market_public_key_hex, stakes_of=stakes_of, params=params)
    except LedgerError as error:
        return Report(False, 0, {}, Totals(0, 0), (), error=f"market key: {error}")
    if head is not None:
        verifier.watch(head.seq)
    try:
        verifier.feed(lines, max_entries=max_entries)
        verifier.finish(head)
    except LedgerError as error:
        return verifier.report(str(error))
    except (UnicodeError, OSError) as error:  # reading the lines failed
        return verifier.report(f"cannot read the ledger: {error}")
    except Exception as error:  # a bug must fail closed: never pass a ledger, never crash
        return verifier.report(f"internal error: {type(error).__name__}: {error}")
    return verifier.report(None)


# --- payout proofs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """That ``entry`` is under the Merkle root of its epoch, which the market signed in
    ``close`` (that epoch's epoch_close); checkable with the market's public key alone."""

    entry: Entry
    path: tuple[tuple[str, str], ...]
    close: Entry

    def to_json(self) -> str:
        data = {
            "entry": self.entry.to_dict(),
            "path": [list(step) for step in self.path],
            "close": self.close.to_dict(),
        }
        return canonical(data).decode("utf-8")

    @classmethod
    def from_json(cls, text: str) -> Proof:
        """Parse :meth:`to_json` output strictly; raises LedgerError."""
        if not isinstance(text, str) or len(text) > MAX_PROOF_CHARS:
            raise LedgerError(f"a proof is text of at most {MAX_PROOF_CHARS} characters")
        data = _load_json(text)
        if not isinstance(data, dict) or set(data) != {"entry", "path", "close"}:
            raise LedgerError("a proof has exactly the keys entry, path and close")
        steps = data["path"]
        if not isinstance(steps, list) or len(steps) > 64:
            raise LedgerError("a proof's path is a list of at most 64 steps")
        path = []
        for step in steps:
            if not (isinstance(step, list) and len(step) == 2 and step[0] in ("left", "right")):
                raise LedgerError('a path step is ["left" or "right", hash]')
            _hex64("a path hash", step[1])
            path.append((str(step[0]), str(step[1])))
        return cls(Entry.from_dict(data["entry"]), tuple(path), Entry.from_dict(data["close"]))


def payout_proof(entries: Iterable[Entry], epoch: int, seq: int) -> Proof:
    """The proof that entry ``seq`` is in closed ``epoch``; raises LedgerError otherwise."""
    covered: list[Entry] = []
    for entry in entries:
        if entry.epoch != epoch:
            continue
        if entry.kind == "epoch_close":
            index = next((i for i, e in enumerate(covered) if e.seq == seq), None)
            if index is None:
                raise LedgerError(f"entry {seq} is not in epoch {epoch}")
            path = merkle_proof([e.hash for e in covered], index)
            return Proof(covered[index], tuple(path), entry)
        covered.append(entry)
    raise LedgerError(f"epoch {epoch} is not closed")


def check_payout_proof(proof: Proof, market_public_key_hex: str) -> bool:
    """Whether the proof holds under the market's key; never raises."""
    try:
        public_key = load_public_key(market_public_key_hex)
    except LedgerError:
        return False
    if not isinstance(proof, Proof):
        return False
    entry, close = proof.entry, proof.close
    if close.kind != "epoch_close" or entry.kind == "epoch_close":
        return False
    if not (entry.epoch == close.epoch == close.body["epoch"] and entry.seq < close.seq):
        return False
    if _seal_problem(entry, public_key) or _seal_problem(close, public_key):
        return False
    return verify_proof(entry.hash, proof.path, str(close.body["merkle_root"]))
