"""privrec's one Ed25519 policy: which public keys are usable (a canonical curve point outside
the small-order subgroup) and the signing-key class that users' and the market's keys wrap."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar, Self

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crypto.errors import ParameterError

SEED_BYTES = 32

# Edwards25519 (RFC 8032 section 5.1). OpenSSL accepts any 32 bytes as a public key and, for a
# small-order key such as 00...00, verifies forged signatures of any message (a user could
# disown a request, a market its ledger); so keys are decoded and checked here first.
_P = 2**255 - 19
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


# The point checks cost ~0.8 ms in pure Python and the same accounts sign request after
# request; keys are immutable, so the verdict is cached (bounded, for any number of accounts).
@lru_cache(maxsize=4096)
def usable_public_key(raw: bytes) -> Ed25519PublicKey | None:
    """The public key whose 32-byte encoding is ``raw``, or None unless it is a canonical
    encoding of a curve point outside the small-order subgroup."""
    if not isinstance(raw, bytes) or len(raw) != 32:
        return None
    point = _decode_point(raw)
    if point is None:
        return None
    for _ in range(3):  # [8]P is the identity exactly when P has small order (cofactor 8)
        point = _double(point)
    if point == (0, 1):
        return None
    return Ed25519PublicKey.from_public_bytes(raw)


def _decode_point(raw: bytes) -> tuple[int, int] | None:
    encoded = int.from_bytes(raw, "little")
    sign, y = encoded >> 255, encoded & ((1 << 255) - 1)
    if y >= _P:
        return None  # non-canonical encoding of y
    u, v = (y * y - 1) % _P, (_D * y * y + 1) % _P
    x2 = u * pow(v, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
        if (x * x - x2) % _P:
            return None  # no x on the curve for this y
    if x == 0 and sign:
        return None  # non-canonical encoding of x = 0
    if x & 1 != sign:
        x = _P - x
    return x, y


def _double(point: tuple[int, int]) -> tuple[int, int]:
    # Affine doubling on -x^2 + y^2 = 1 + d x^2 y^2; the denominators never vanish on the curve.
    x, y = point
    xx, yy = x * x % _P, y * y % _P
    x3 = 2 * x * y * pow((yy - xx) % _P, _P - 2, _P)
    y3 = (yy + xx) * pow((2 + xx - yy) % _P, _P - 2, _P)
    return x3 % _P, y3 % _P


class SigningKey:
    """An Ed25519 private key in memory. Its secret leaves only through :meth:`seed`; it is
    never pickled. Subclasses name what the key is and how it is stored."""

    __slots__ = ("_private", "_public_hex")
    _NOT_PICKLED: ClassVar[str] = "signing keys are never pickled; export SigningKey.seed()"

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public_hex = raw.hex()

    @classmethod
    def generate(cls) -> Self:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, seed: bytes) -> Self:
        """The key whose 32-byte raw private key (RFC 8032 seed) is ``seed``."""
        if not isinstance(seed, bytes) or len(seed) != SEED_BYTES:
            raise ParameterError("an Ed25519 private key is exactly 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    def seed(self) -> bytes:
        """The secret 32-byte seed, for a caller that stores the key."""
        return self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )

    @property
    def public_key_hex(self) -> str:
        """The 64 lowercase hex characters of the public key."""
        return self._public_hex

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message`` (deterministic, per RFC 8032)."""
        return self._private.sign(message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(public_key_hex={self._public_hex!r})"

    def __reduce__(self) -> Any:
        raise TypeError(self._NOT_PICKLED)
