"""The market's Ed25519 signing key and the loading of its public key."""

from __future__ import annotations

from typing import Any, Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.economy import LedgerError
from ledger.entries import _is_hex

# OpenSSL accepts any 32 bytes as an Ed25519 public key, and a small-order key "verifies"
# forged signatures, which would let a market disown its ledger. Every small-order point has
# one of these y coordinates (libsodium's blocklist, sign bit ignored); y >= p is non-canonical.
_P: Final = 2**255 - 19
_Y_ORDER_8: Final = 0x05FC536D880238B13933C6D305ACDFD5F098EFF289F4C345B027B2C28F95E826
_SMALL_ORDER_Y: Final = frozenset({0, 1, _P - 1, _Y_ORDER_8, _P - _Y_ORDER_8})


def load_public_key(public_key_hex: str) -> Ed25519PublicKey:
    """The market's public key from 64 hex characters; raises LedgerError for a key that is
    malformed, non-canonical or of small order."""
    if not _is_hex(public_key_hex.lower() if isinstance(public_key_hex, str) else None, 64):
        raise LedgerError("a market public key is 64 hex characters")
    raw = bytes.fromhex(public_key_hex)
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= _P or y in _SMALL_ORDER_Y:
        raise LedgerError("not a usable Ed25519 public key (non-canonical or of small order)")
    return Ed25519PublicKey.from_public_bytes(raw)


class MarketKey:
    """The market's Ed25519 signing key. Its secret leaves only through :meth:`seed_hex`."""

    __slots__ = ("_private", "_public_hex")

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public_hex = raw.hex()

    @classmethod
    def generate(cls) -> MarketKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed_hex(cls, seed_hex: str) -> MarketKey:
        """The key whose 32-byte RFC 8032 seed is ``seed_hex`` (64 hex characters)."""
        if not _is_hex(seed_hex.lower() if isinstance(seed_hex, str) else None, 64):
            raise LedgerError("a market key seed is 64 hex characters")
        return cls(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex)))

    def seed_hex(self) -> str:
        """The secret seed, for storing the key in the market's configuration."""
        seed = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return seed.hex()

    @property
    def public_key_hex(self) -> str:
        return self._public_hex

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    def sign(self, hash_hex: str) -> str:
        """The signature (hex) of an entry: over the 32 bytes of its hash."""
        return self._private.sign(bytes.fromhex(hash_hex)).hex()

    def __repr__(self) -> str:
        return f"MarketKey(public_key_hex={self._public_hex!r})"

    def sign_message(self, message: bytes) -> str:
        """The signature (hex) of another message than an entry (a tree head). Callers make it
        longer than 32 bytes and domain-tagged, so it can never pass for an entry's."""
        if len(message) <= 32:
            raise LedgerError("a signed message must be longer than an entry hash")
        return self._private.sign(message).hex()

    def __reduce__(self) -> Any:
        raise TypeError("market keys are never pickled; store MarketKey.seed_hex() explicitly")
