"""The cryptographic steps of secure aggregation on `cryptography`'s primitives: X25519 key
agreement, HKDF-SHA256 key derivation, ChaCha20 as the mask generator, ChaCha20-Poly1305 for
share transport; and the SecAgg+ neighbour graph."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from federated.errors import InvalidMessage, ProtocolAbort
from federated.fixedpoint import Words

_MASK_INFO = b"privrec federated secagg v1 pairwise mask"
_SHARE_INFO = b"privrec federated secagg v1 share transport"
_NONCE = bytes(12)  # every transport key encrypts exactly one message (sender, receiver, round)


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _agree(private: X25519PrivateKey, public: bytes) -> bytes:
    try:
        return private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:  # a low-order point: the all-zero shared secret is refused
        raise InvalidMessage("a public key is not a usable X25519 key") from None


def _pair(a: int, b: int) -> bytes:
    low, high = sorted((a, b))
    return low.to_bytes(8, "big") + high.to_bytes(8, "big")


def pairwise_seed(
    private: X25519PrivateKey, public: bytes, round_id: bytes, a: int, b: int
) -> bytes:
    """The mask seed clients a and b share: both derive it, from either side's private key."""
    return _hkdf(_agree(private, public), _MASK_INFO + round_id + _pair(a, b))


def expand_mask(seed: bytes, dimension: int) -> Words:
    """`dimension` pseudo-random words mod 2^32: ChaCha20 keyed by the 32-byte seed."""
    if len(seed) != 32:
        raise ValueError("mask seeds are 32 bytes")
    keystream = Cipher(algorithms.ChaCha20(seed, bytes(16)), mode=None).encryptor()
    return np.frombuffer(keystream.update(bytes(4 * dimension)), dtype="<u4").astype(np.uint32)


def _transport_key(
    private: X25519PrivateKey, public: bytes, round_id: bytes, sender: int, receiver: int
) -> ChaCha20Poly1305:
    info = _SHARE_INFO + round_id + sender.to_bytes(8, "big") + receiver.to_bytes(8, "big")
    return ChaCha20Poly1305(_hkdf(_agree(private, public), info))


def seal_shares(
    private: X25519PrivateKey,
    receiver_key: bytes,
    round_id: bytes,
    sender: int,
    receiver: int,
    seed_share: bytes,
    key_share: bytes,
    roster_digest: bytes,
) -> bytes:
    """Encrypt the pair of shares `sender` gives `receiver`; both ids are inside and bound, and
    so is the digest of the roster the sender saw (a receiver shown another roster cannot open
    it: a server cannot split a client's share holders between two rosters)."""
    ids = sender.to_bytes(8, "big") + receiver.to_bytes(8, "big")
    aead = _transport_key(private, receiver_key, round_id, sender, receiver)
    return aead.encrypt(_NONCE, ids + seed_share + key_share, round_id + ids + roster_digest)


def open_shares(
    private: X25519PrivateKey,
    sender_key: bytes,
    round_id: bytes,
    sender: int,
    receiver: int,
    ciphertext: bytes,
    roster_digest: bytes,
) -> tuple[bytes, bytes]:
    """Decrypt and check a share pair; tampering, misrouting or a sender that was shown another
    roster than `roster_digest` raises InvalidMessage."""
    ids = sender.to_bytes(8, "big") + receiver.to_bytes(8, "big")
    aead = _transport_key(private, sender_key, round_id, sender, receiver)
    try:
        plain = aead.decrypt(_NONCE, ciphertext, round_id + ids + roster_digest)
    except InvalidTag:
        raise InvalidMessage(
            f"the shares from client {sender} do not decrypt (tampered, or sealed under "
            "another roster)"
        ) from None
    if plain[:16] != ids or (len(plain) - 16) % 2:
        raise InvalidMessage(f"the shares from client {sender} are not addressed to {receiver}")
    half = (len(plain) - 16) // 2
    return plain[16 : 16 + half], plain[16 + half :]


def neighbours(clients: Sequence[int], degree: int, seed: bytes) -> dict[int, frozenset[int]]:
    """SecAgg+'s graph: the clients in a seeded random order on a ring, each joined to the
    degree/2 nearest on either side (a Harary graph); the complete graph when degree >= n - 1.
    Every client computes the same graph from the public roster and seed."""
    ordered = sorted(clients)
    count = len(ordered)
    if degree >= count - 1:
        everyone = frozenset(ordered)
        return {c: everyone - {c} for c in ordered}
    ordered.sort(key=lambda c: hashlib.sha256(seed + c.to_bytes(8, "big")).digest())
    half = max(1, degree // 2)
    graph: dict[int, set[int]] = {c: set() for c in ordered}
    for position, client in enumerate(ordered):
        for step in range(1, half + 1):
            other = ordered[(position + step) % count]
            graph[client].add(other)
            graph[other].add(client)
    return {c: frozenset(n) for c, n in graph.items()}


def check_enough(count: int, needed: int, what: str) -> None:
    if count < needed:
        raise ProtocolAbort(f"{what}: {count}, at least {needed} needed")
