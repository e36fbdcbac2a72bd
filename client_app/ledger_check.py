"""The market's ledger checked on this device: replayed up to its signed head from where the last
check stopped, forks caught, and the entries that moved the user's credits kept as receipts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from client_app.market import MarketClient, Wallet
from client_app.store import LocalStore, Receipt, VerifiedLedger

if TYPE_CHECKING:
    from ledger.book import UserSettlement
    from ledger.verify import Verifier

SAVE_EVERY_PAGES = 10  # save the verified state while a long first check runs
RECEIPTS_KEPT = "ledger_receipts_kept"  # markets whose checks kept receipts from the first entry
KEPT_HEADS = 64  # signed heads remembered per market, to catch one that contradicts them


@dataclass(frozen=True)
class LedgerCheck:
    ok: bool
    entries: int
    detail: str  # what was checked, or what failed
    balance_matches: bool | None  # the wallet's balance equals the replayed one
    new_entries: int = 0  # verified by this check (the others were verified before)
    # The wallet owner's last settlement as replayed here, and whether the market's own
    # account of it agrees (None: the market gave none).
    settlement: UserSettlement | None = None
    settlement_matches: bool | None = None
    empty: bool = False  # the market's ledger has no entry yet


class LedgerFailure(Exception):
    """The market's ledger failed verification; ``detail`` says how, for the wallet view."""

    def __init__(self, entries: int, detail: str) -> None:
        super().__init__(detail)
        self.entries, self.detail = entries, detail


class LedgerEmpty(LedgerFailure):
    """The market has no ledger entry yet: nothing to verify (and nothing to distrust)."""


@dataclass(frozen=True)
class WalletView:
    wallet: Wallet
    ledger: LedgerCheck


def _head_conflict(
    seen: list[dict[str, Any]], head: dict[str, Any], verifier: Verifier
) -> str | None:
    """Why ``head`` contradicts what this device saw or verified before, or None."""
    for old in seen:
        if old["seq"] == head["seq"] and old["hash"] != head["hash"]:
            return (
                f"forked: the market signed two different heads for entry {head['seq']} "
                f"({old['hash'][:16]}... on {old['time']}, "
                f"{head['hash'][:16]}... on {head['time']})"
            )
    last = verifier.last
    if last is not None and head["seq"] < last.seq:
        return (
            f"forked: the market's signed head is at entry {head['seq']}, behind entry {last.seq} "
            "that this device already verified: the market rewound its ledger"
        )
    return None


class ReceiptCollector:
    """Picks, from verified export lines, the entries that moved one user's credits: into or
    out of their balance or one of their budgets."""

    def __init__(self, pubkey_hex: str) -> None:
        self.pubkey_hex = pubkey_hex
        self._found: list[Receipt] = []

    def read(self, lines: Iterable[str]) -> None:
        from ledger.economy import budget_owner, user_account
        from ledger.entries import Entry

        own = user_account(self.pubkey_hex)
        for line in lines:
            if self.pubkey_hex not in line:  # most lines are someone else's: skip the parse
                continue
            entry = Entry.from_json_line(line)
            if entry.kind not in ("mint", "transfer", "burn"):
                continue
            body = entry.body
            source = body.get("from") if entry.kind != "mint" else None
            target = body.get("account") if entry.kind == "mint" else body.get("to")
            if not any(
                account == own or (budget_owner(account) or ("",))[0] == self.pubkey_hex
                for account in (source, target)
                if isinstance(account, str)
            ):
                continue
            self._found.append(
                Receipt(
                    seq=entry.seq,
                    epoch=entry.epoch,
                    time=entry.time,
                    kind=entry.kind,
                    source=source if isinstance(source, str) else None,
                    target=target if isinstance(target, str) else None,
                    amount=int(body["amount"]),
                    memo=str(body.get("memo", "")),
                )
            )

    def take(self) -> list[Receipt]:
        """The receipts found since the last take."""
        found, self._found = self._found, []
        return found


class LedgerChecker:
    """Checks one market's ledger for one account, keeping what it verified in the store."""

    def __init__(
        self, store: LocalStore, market: MarketClient, market_url: str, account_key: str
    ) -> None:
        self.store, self.market, self.market_url = store, market, market_url
        self.account_key = account_key

    def check(self, market_key: str, wallet: Wallet | None = None) -> LedgerCheck:
        """Verify the ledger with ``market_key`` up to its signed head, from where the last
        check on this device stopped: each entry is verified once. A head that contradicts one
        seen before, or an export that no longer extends what was verified, is reported as a
        fork; the last good state is kept."""
        from ledger.economy import LedgerError, user_account

        saved = self.store.verified_ledger(self.market_url)
        if saved is not None and saved.market_key != market_key:
            saved = None
        if saved is not None and self.market_url not in self.store.get_setting(RECEIPTS_KEPT, []):
            # Checked by an app that kept no receipts: check once more from the first entry
            # (the heads seen stay), keeping them this time.
            saved = VerifiedLedger(market_key, "", saved.heads)
        try:
            verifier, checked = self._verify_to_head(market_key, saved)
        except LedgerEmpty as empty:  # a new market: only an empty wallet can be right
            matches = None if wallet is None else wallet.balance == 0
            return LedgerCheck(matches is not False, 0, empty.detail, matches, empty=True)
        except LedgerFailure as failure:
            return LedgerCheck(False, failure.entries, failure.detail, None)
        except LedgerError as error:  # the saved state itself is unusable: start over
            self.store.save_verified_ledger(
                self.market_url, VerifiedLedger(market_key, "", saved.heads if saved else ())
            )
            return LedgerCheck(False, 0, f"the saved ledger check is unusable: {error}", None)
        matches = settled = settled_matches = None
        if wallet is not None:
            matches = verifier.book.balance(user_account(wallet.account)) == wallet.balance
            settled = verifier.book.last_settlement(wallet.account)
            if wallet.last_settlement is not None:
                settled_matches = wallet.last_settlement == settled
        detail = (
            f"{verifier.count} entries ({checked} new): hash chain, signatures, balances, "
            "settlements and the market's signed head"
        )
        ok = matches is not False and settled_matches is not False
        return LedgerCheck(ok, verifier.count, detail, matches, checked, settled, settled_matches)

    def _verify_to_head(
        self, market_key: str, saved: VerifiedLedger | None
    ) -> tuple[Verifier, int]:
        """Page through the export from the saved state to the signed head; (the verifier, how
        many entries were new). Raises LedgerFailure."""
        from ledger.economy import LedgerError
        from ledger.entries import Entry
        from ledger.replay import StaleCheckpoint
        from ledger.verify import Verifier

        head = self.market.ledger_head()
        heads = list(saved.heads) if saved is not None else []
        if head is None:
            raise LedgerEmpty(0, "the market's ledger has no entries yet")
        try:
            head.check(market_key)
        except LedgerError as error:
            raise LedgerFailure(0, f"ledger invalid: {error}") from None
        checkpoint = saved.checkpoint if saved is not None and saved.checkpoint else None
        try:
            verifier = Verifier(market_key, checkpoint=checkpoint)
        except StaleCheckpoint:  # saved by an older version of the app: verify from the start
            verifier = Verifier(market_key)
        problem = _head_conflict(heads, head.to_dict(), verifier)
        if problem is not None:
            raise LedgerFailure(verifier.count, problem)
        verifier.watch(head.seq)
        start, pages = verifier.count, 0
        receipts = ReceiptCollector(self.account_key)
        try:
            while verifier.count <= head.seq:
                last = verifier.last
                lines = self.market.ledger_page(after=None if last is None else last.seq)
                if not lines:
                    break  # finish() reports the truncation
                first = Entry.from_json_line(lines[0])
                if last is not None and first.prev_hash != last.hash:
                    raise LedgerError(
                        f"forked: entry {first.seq} does not extend entry {last.seq} as this "
                        "device verified it"
                    )
                verifier.feed(lines)
                receipts.read(lines)  # verified: feed raised otherwise
                pages += 1
                if pages % SAVE_EVERY_PAGES == 0:  # an interrupted first check resumes
                    self._save_ledger(market_key, verifier, heads, receipts)
            verifier.finish(head)
        except LedgerError as error:
            where = f" at entry {verifier.count}"
            raise LedgerFailure(verifier.count, f"ledger invalid{where}: {error}") from None
        self._save_ledger(market_key, verifier, [*heads, head.to_dict()], receipts)
        return verifier, verifier.count - start

    def _save_ledger(
        self,
        market_key: str,
        verifier: Verifier,
        heads: list[dict[str, Any]],
        receipts: ReceiptCollector,
    ) -> None:
        kept = {int(h["seq"]): h for h in heads}  # one per seq (a conflict was refused)
        latest = [kept[seq] for seq in sorted(kept)][-KEPT_HEADS:]
        # Receipts first: a checkpoint never gets ahead of the receipts it passed.
        self.store.save_receipts(self.market_url, market_key, receipts.take())
        self.store.save_verified_ledger(
            self.market_url, VerifiedLedger(market_key, verifier.checkpoint(), tuple(latest))
        )
        kept_for: list[str] = self.store.get_setting(RECEIPTS_KEPT, [])
        if self.market_url not in kept_for:
            self.store.set_setting(RECEIPTS_KEPT, [*kept_for, self.market_url])
