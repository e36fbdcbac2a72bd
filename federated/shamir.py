"""Shamir secret sharing of 32-byte secrets over the prime field GF(2^521 - 1).

A secret is a polynomial's constant term; share x is the polynomial at x (client ids, > 0).
Any `threshold` shares give the secret back; fewer give no information about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from federated.errors import ProtocolAbort

# The Mersenne prime M521: every 32-byte secret is smaller, and x = client id stays far below.
PRIME = 2**521 - 1
SECRET_BYTES = 32
SHARE_BYTES = 66  # ceil(521 / 8)
RandomBytes = Callable[[int], bytes]


def _random_element(random_bytes: RandomBytes) -> int:
    while True:  # rejection sampling: uniform in [0, PRIME)
        value = int.from_bytes(random_bytes(SHARE_BYTES), "big") & PRIME
        if value < PRIME:
            return value


def split_secret(
    secret: bytes, xs: Iterable[int], threshold: int, random_bytes: RandomBytes
) -> dict[int, bytes]:
    """Shares of `secret` at each x in `xs` (distinct, positive); `threshold` reconstruct it."""
    points = list(xs)
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"secrets are {SECRET_BYTES} bytes, got {len(secret)}")
    if len(set(points)) != len(points) or any(not 0 < x < PRIME for x in points):
        raise ValueError("share points must be distinct positive field elements")
    if not 1 <= threshold <= len(points):
        raise ValueError(f"threshold {threshold} must be in [1, {len(points)}]")
    coefficients = [int.from_bytes(secret, "big")]
    coefficients += [_random_element(random_bytes) for _ in range(threshold - 1)]
    shares = {}
    for x in points:
        value = 0
        for coefficient in reversed(coefficients):  # Horner
            value = (value * x + coefficient) % PRIME
        shares[x] = value.to_bytes(SHARE_BYTES, "big")
    return shares


def combine_shares(shares: Mapping[int, bytes], threshold: int) -> bytes:
    """The secret from at least `threshold` shares (x -> share); the first `threshold` by x
    are used. Raises ProtocolAbort with fewer, or when they do not encode a 32-byte secret."""
    if len(shares) < threshold:
        raise ProtocolAbort(f"{len(shares)} shares, {threshold} needed to reconstruct")
    points = sorted(shares)[:threshold]
    values = {}
    for x in points:
        share = shares[x]
        if len(share) != SHARE_BYTES or not 0 < x < PRIME:
            raise ProtocolAbort(f"share {x} is malformed")
        values[x] = int.from_bytes(share, "big")
        if values[x] >= PRIME:
            raise ProtocolAbort(f"share {x} is not a field element")
    secret = 0
    for x in points:
        numerator, denominator = 1, 1
        for other in points:
            if other != x:
                numerator = numerator * other % PRIME
                denominator = denominator * (other - x) % PRIME
        secret = (secret + values[x] * numerator * pow(denominator, -1, PRIME)) % PRIME
    if secret >= 2 ** (8 * SECRET_BYTES):
        raise ProtocolAbort("the shares are inconsistent: they do not encode a 32-byte secret")
    return secret.to_bytes(SECRET_BYTES, "big")
