"""The market's Ed25519 signing key and the loading of its public key, under crypto's one
Ed25519 policy (:mod:`crypto.ed25519`), with failures reported as LedgerError."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from crypto.ed25519 import SigningKey, usable_public_key
from ledger.economy import LedgerError
from ledger.entries import _is_hex


def load_public_key(public_key_hex: str) -> Ed25519PublicKey:
    """The market's public key from 64 hex characters; raises LedgerError for a key that is
    malformed, not a canonical curve point, or of small order (a small-order key "verifies"
    forged signatures, which would let a market disown its ledger)."""
    if not _is_hex(public_key_hex.lower() if isinstance(public_key_hex, str) else None, 64):
        raise LedgerError("a market public key is 64 hex characters")
    public_key = usable_public_key(bytes.fromhex(public_key_hex))
    if public_key is None:
        raise LedgerError(
            "not a usable Ed25519 public key (not a canonical curve point, or of small order)"
        )
    return public_key


class MarketKey:
    """The market's Ed25519 signing key. Its secret leaves only through :meth:`seed_hex`.

    It wraps a :class:`crypto.ed25519.SigningKey` rather than extending it: entries are signed
    as hex over their 32-byte hash, and other messages only when longer than that."""

    __slots__ = ("_key",)

    def __init__(self, key: SigningKey) -> None:
        self._key = key

    @classmethod
    def generate(cls) -> MarketKey:
        return cls(SigningKey.generate())

    @classmethod
    def from_seed_hex(cls, seed_hex: str) -> MarketKey:
        """The key whose 32-byte RFC 8032 seed is ``seed_hex`` (64 hex characters)."""
        if not _is_hex(seed_hex.lower() if isinstance(seed_hex, str) else None, 64):
            raise LedgerError("a market key seed is 64 hex characters")
        return cls(SigningKey.from_seed(bytes.fromhex(seed_hex)))

    def seed_hex(self) -> str:
        """The secret seed, for storing the key in the market's configuration."""
        return self._key.seed().hex()

    @property
    def public_key_hex(self) -> str:
        return self._key.public_key_hex

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key

    def sign(self, hash_hex: str) -> str:
        """The signature (hex) of an entry: over the 32 bytes of its hash."""
        return self._key.sign(bytes.fromhex(hash_hex)).hex()

    def __repr__(self) -> str:
        return f"MarketKey(public_key_hex={self.public_key_hex!r})"

    def sign_message(self, message: bytes) -> str:
        """The signature (hex) of another message than an entry (a tree head). Callers make it
        longer than 32 bytes and domain-tagged, so it can never pass for an entry's."""
        if len(message) <= 32:
            raise LedgerError("a signed message must be longer than an entry hash")
        return self._key.sign(message).hex()

    def __reduce__(self) -> Any:
        raise TypeError("market keys are never pickled; store MarketKey.seed_hex() explicitly")
