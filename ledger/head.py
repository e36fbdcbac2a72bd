"""Signed tree heads (as in Certificate Transparency): the market signs (seq, hash, time) of its
ledger's last entry, so an export cut short or forked is caught by anyone holding the head."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidSignature

from ledger.economy import LedgerError, Totals, parse_time
from ledger.entries import MAX_SEQ, Entry, _is_hex, _load_json, canonical
from ledger.keys import MarketKey, load_public_key
from ledger.replay import Report
from ledger.verify import verify_ledger

HEAD_VERSION: Final = 1
# The signed bytes start with this tag, so a head's signature can never pass for an entry's
# (those sign a bare 32-byte hash) or for any other message of the market's.
_HEAD_TAG: Final = b"privrec-tree-head\n"
_HEAD_KEYS: Final = frozenset({"version", "seq", "hash", "time", "signature"})
MAX_HEAD_CHARS: Final = 1024


@dataclass(frozen=True)
class SignedHead:
    """The market's signed statement that its ledger's entry ``seq`` has hash ``hash``, as of
    ``time``. Every export the market serves afterwards must extend it."""

    seq: int
    hash: str
    time: str
    signature: str
    version: int = HEAD_VERSION

    def signed_bytes(self) -> bytes:
        body = {"version": self.version, "seq": self.seq, "hash": self.hash, "time": self.time}
        return _HEAD_TAG + canonical(body)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "seq": self.seq,
            "hash": self.hash,
            "time": self.time,
            "signature": self.signature,
        }

    def to_json(self) -> str:
        return canonical(self.to_dict()).decode("utf-8")

    @classmethod
    def from_json(cls, text: str | bytes) -> SignedHead:
        """Parse a head strictly (shape only; :meth:`check` verifies the signature)."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        if not isinstance(text, str) or len(text) > MAX_HEAD_CHARS:
            raise LedgerError(f"a signed head is JSON of at most {MAX_HEAD_CHARS} characters")
        return cls.from_dict(_load_json(text))

    @classmethod
    def from_dict(cls, data: object) -> SignedHead:
        if not isinstance(data, dict) or set(data) != _HEAD_KEYS:
            raise LedgerError(f"a signed head has exactly the keys {sorted(_HEAD_KEYS)}")
        if data["version"] != HEAD_VERSION:
            raise LedgerError(f"signed head version {data['version']!r:.20} is not {HEAD_VERSION}")
        seq, digest, signature = data["seq"], data["hash"], data["signature"]
        if type(seq) is not int or not 0 <= seq <= MAX_SEQ:
            raise LedgerError("a signed head's seq is a non-negative integer")
        if not _is_hex(digest, 64):
            raise LedgerError("a signed head's hash is 64 lowercase hex characters")
        if not _is_hex(signature, 128):
            raise LedgerError("a signed head's signature is 128 lowercase hex characters")
        parse_time(data["time"])
        return cls(seq=seq, hash=digest, time=data["time"], signature=signature)

    def check(self, market_public_key_hex: str) -> None:
        """Raise LedgerError unless the market's key signed this head."""
        public_key = load_public_key(market_public_key_hex)
        try:
            public_key.verify(bytes.fromhex(self.signature), self.signed_bytes())
        except InvalidSignature:
            raise LedgerError("the signed head is not signed by the market's key") from None


def sign_head(key: MarketKey, last: Entry, time: str) -> SignedHead:
    """The market's signed head over its last entry ``last``, dated ``time``."""
    parse_time(time)
    unsigned = SignedHead(seq=last.seq, hash=last.hash, time=time, signature="0" * 128)
    return SignedHead(last.seq, last.hash, time, key.sign_message(unsigned.signed_bytes()))


def verify_export(
    lines: Iterable[str | bytes], market_public_key_hex: str, head: SignedHead, **pins: Any
) -> Report:
    """verify_ledger against a signed head: the head's signature, then the whole replay, then
    that the export reaches the head with the same entry there. Never raises."""
    try:
        head.check(market_public_key_hex)
    except LedgerError as error:
        return Report(False, 0, {}, Totals(0, 0), (), error=f"signed head: {error}")
    return verify_ledger(lines, market_public_key_hex, head=head, **pins)
