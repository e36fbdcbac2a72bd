"""The market's ledger as a protocol both sides import: entries, the hash chain and Merkle
roots, the economy's rules, replay verification and payout proofs (server and app alike)."""

from ledger.book import Book, Contribution, PayoutLine, UserSettlement, Votes
from ledger.economy import EconomyParams, LedgerError, Totals
from ledger.entries import (
    EXPORT_PAGE_ENTRIES,
    GENESIS_HASH,
    KINDS,
    MAX_LINE_BYTES,
    Entry,
    canonical,
    entry_hash,
    format_time,
    make_entry,
    validate_body,
)
from ledger.head import SignedHead, sign_head, verify_export
from ledger.keys import MarketKey, load_public_key
from ledger.merkle import MerkleFrontier, MerkleTree, merkle_proof, merkle_root, verify_proof
from ledger.replay import Ledger, Report, StaleCheckpoint, checkpoint_text
from ledger.verify import Proof, Verifier, check_payout_proof, payout_proof, verify_ledger

__all__ = [
    "EXPORT_PAGE_ENTRIES",
    "GENESIS_HASH",
    "KINDS",
    "MAX_LINE_BYTES",
    "Book",
    "Contribution",
    "EconomyParams",
    "Entry",
    "Ledger",
    "LedgerError",
    "MarketKey",
    "MerkleFrontier",
    "MerkleTree",
    "PayoutLine",
    "Proof",
    "Report",
    "SignedHead",
    "StaleCheckpoint",
    "Totals",
    "UserSettlement",
    "Verifier",
    "Votes",
    "canonical",
    "check_payout_proof",
    "checkpoint_text",
    "entry_hash",
    "format_time",
    "load_public_key",
    "make_entry",
    "merkle_proof",
    "merkle_root",
    "payout_proof",
    "sign_head",
    "validate_body",
    "verify_export",
    "verify_ledger",
    "verify_proof",
]
