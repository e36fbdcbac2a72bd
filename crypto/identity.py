"""The user's Ed25519 identity (the account id is its public key) and signed HTTP requests.

Pure: no HTTP library, so the desktop client and the market server share exactly this code.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature as _BadEd25519Signature

from crypto._files import read_private_file, write_private_file
from crypto.ed25519 import SigningKey, usable_public_key
from crypto.errors import CryptoError, ParameterError

ACCOUNT_HEADER = "X-Privrec-Account"
MARKET_HEADER = "X-Privrec-Market"
TIMESTAMP_HEADER = "X-Privrec-Timestamp"
NONCE_HEADER = "X-Privrec-Nonce"
SIGNATURE_HEADER = "X-Privrec-Signature"
SIGNED_HEADERS = (ACCOUNT_HEADER, MARKET_HEADER, TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER)
# Version 2 binds a request to one market (its public key), so it cannot be replayed to another;
# version 1 had no market and is refused.
SIGNATURE_VERSION = 2
REQUEST_DOMAIN = b"privrec-request-v2"
DEFAULT_MAX_SKEW = 300

# Key file: three ASCII lines. The public key is stored too, as a checksum: a corrupted private
# key would otherwise load silently as a different identity (and a different account).
FILE_MAGIC = "privrec-identity-v"
FILE_VERSION = 1
_PRIVATE_PREFIX = "ed25519-private-key: "
_PUBLIC_PREFIX = "ed25519-public-key: "
_FILE_SIZE = len(f"{FILE_MAGIC}{FILE_VERSION}\n{_PRIVATE_PREFIX}\n{_PUBLIC_PREFIX}\n") + 2 * 64

# Lowercase only, and fullmatch with explicit [0-9] (``\d`` and ``isdigit`` accept non-ASCII
# digits): each value has exactly one spelling, so an account has exactly one id.
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_TIMESTAMP = re.compile(r"0|[1-9][0-9]{0,17}")  # no sign, no padding, no spaces; fits in int64
_METHOD = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
_PATH = re.compile(r"/[\x21-\x7e]*")  # printable ASCII: no newline can make the form ambiguous


class InvalidIdentity(CryptoError):
    """A file is not a valid privrec identity key file (wrong magic, version, length or key)."""


class InvalidSignature(CryptoError):
    """A signed request is missing, malformed, stale, or not signed by the account it names.

    The message says which check failed; servers should log it and answer a generic 401.
    """


class IdentityKey(SigningKey):
    """The user's Ed25519 private key; its public key is the account id. It is written only by
    :meth:`save`."""

    __slots__ = ()
    _NOT_PICKLED = "identity keys are never pickled; save them with IdentityKey.save()"

    @classmethod
    def from_private_bytes(cls, seed: bytes) -> IdentityKey:
        """The key whose 32-byte raw private key (RFC 8032 seed) is ``seed``; for test vectors."""
        return cls.from_seed(seed)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the key to ``path`` with owner-only permissions, atomically."""
        text = (
            f"{FILE_MAGIC}{FILE_VERSION}\n"
            f"{_PRIVATE_PREFIX}{self.seed().hex()}\n"
            f"{_PUBLIC_PREFIX}{self.public_key_hex}\n"
        )
        write_private_file(path, text.encode("ascii"))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> IdentityKey:
        """Read a key file written by :meth:`save`.

        Raises :class:`InvalidIdentity` for a malformed file, ``InsecureKeyFile`` for one others
        can access, and ``OSError`` for one that cannot be read.
        """
        try:
            data = read_private_file(path, max_bytes=_FILE_SIZE, what="identity key")
        except ValueError as error:
            raise InvalidIdentity(str(error)) from None
        return cls._parse(data, str(path))

    @classmethod
    def _parse(cls, data: bytes, source: str) -> IdentityKey:
        def refuse(reason: str) -> InvalidIdentity:
            return InvalidIdentity(f"identity key {source}: {reason}")

        if not data.startswith(FILE_MAGIC.encode("ascii")):
            raise refuse("not a privrec identity key file (wrong magic)")
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            raise refuse("not ASCII text") from None
        version_line, _, rest = text.partition("\n")
        if version_line != f"{FILE_MAGIC}{FILE_VERSION}":
            raise refuse(f"unsupported format {version_line[:40]!r} (expected version 1)")
        if len(data) != _FILE_SIZE or not rest.endswith("\n"):
            raise refuse(f"{len(data)} bytes, expected {_FILE_SIZE} (truncated or corrupt)")
        lines = rest[:-1].split("\n")
        if (
            len(lines) != 2
            or not lines[0].startswith(_PRIVATE_PREFIX)
            or not lines[1].startswith(_PUBLIC_PREFIX)
        ):
            raise refuse("malformed key lines")
        seed_hex = lines[0].removeprefix(_PRIVATE_PREFIX)
        public_hex = lines[1].removeprefix(_PUBLIC_PREFIX)
        if not (_HEX64.fullmatch(seed_hex) and _HEX64.fullmatch(public_hex)):
            raise refuse("keys must be 64 lowercase hex characters")
        key = cls.from_seed(bytes.fromhex(seed_hex))
        if key.public_key_hex != public_hex:
            raise refuse("the private key does not match the stored public key (corrupt file)")
        return key


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """The authenticated facts of a request that passed :func:`verify_request`."""

    account: str  # public key hex
    timestamp: int
    nonce: str


def canonical_request(
    method: str, path: str, timestamp: int, nonce: str, body: bytes, *, market: str
) -> bytes:
    """The exact bytes a request signature covers (version 2)::

        privrec-request-v2\\n MARKET\\n METHOD\\n PATH?QUERY\\n TIMESTAMP\\n NONCE\\n
        SHA256(BODY) hex

    (joined by single newlines, no trailing newline). ``market`` is the market's Ed25519 public
    key (64 lowercase hex, as ``GET /v1/market`` serves it): a request signed for one market is
    worthless at another. ``path`` is the raw, percent-encoded request target exactly as sent,
    query string included (e.g. ``/v1/ratings?x=1``); every field is checked so none can contain
    the newline separator. Raises :class:`ParameterError`.
    """
    if not isinstance(market, str) or not _HEX64.fullmatch(market):
        raise ParameterError("the market's identity must be its public key, 64 lowercase hex")
    if not isinstance(method, str) or not _METHOD.fullmatch(method):
        raise ParameterError(f"request method {method!r:.40} is not an HTTP token")
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise ParameterError(
            f"request path {path!r:.80} must start with '/' and be printable ASCII "
            "(percent-encoded, as sent)"
        )
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise ParameterError(f"timestamp {timestamp!r:.40} must be a non-negative int")
    if not isinstance(nonce, str) or not _HEX32.fullmatch(nonce):
        raise ParameterError("nonce must be 32 lowercase hex characters (16 bytes)")
    return b"\n".join(
        (
            REQUEST_DOMAIN,
            market.encode("ascii"),
            method.upper().encode("ascii"),
            path.encode("ascii"),
            str(timestamp).encode("ascii"),
            nonce.encode("ascii"),
            hashlib.sha256(body).hexdigest().encode("ascii"),
        )
    )


def sign_request(
    key: IdentityKey,
    method: str,
    path: str,
    body: bytes,
    *,
    market: str,
    timestamp: int,
    nonce: str | None = None,
) -> dict[str, str]:
    """The five ``X-Privrec-*`` headers authenticating this request as ``key``'s account, for
    the market whose public key (hex) is ``market`` only.

    ``timestamp`` is the current unix time in seconds (injected, so tests are reproducible);
    ``nonce`` defaults to 16 fresh random bytes. Use a new nonce for every request.
    """
    if nonce is None:
        nonce = secrets.token_hex(16)
    message = canonical_request(method, path, timestamp, nonce, body, market=market)
    return {
        ACCOUNT_HEADER: key.public_key_hex,
        MARKET_HEADER: market,
        TIMESTAMP_HEADER: str(timestamp),
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: key.sign(message).hex(),
    }


def verify_request(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    *,
    market: str,
    now: int,
    max_skew: int = DEFAULT_MAX_SKEW,
) -> SignedRequest:
    """Check a request's ``X-Privrec-*`` headers (names matched case-insensitively), for the
    market whose public key (hex) is ``market``: a request signed for another one is refused.

    Checks the market, freshness (``|timestamp - now| <= max_skew``) and authenticity only. Replay
    protection is the server's job: it must remember each accepted ``(account, nonce)`` for
    at least ``2 * max_skew`` seconds and reject a reuse; after that the timestamp check
    refuses the old request anyway. ``path`` is the raw request target as received (e.g.
    ASGI ``raw_path`` plus ``?`` and ``query_string`` when there is one).

    Raises :class:`InvalidSignature` naming the failed check.
    """
    if isinstance(now, bool) or not isinstance(now, int):
        raise ParameterError("now must be an int (unix seconds)")
    if isinstance(max_skew, bool) or not isinstance(max_skew, int) or max_skew < 0:
        raise ParameterError("max_skew must be a non-negative int (seconds)")
    if not isinstance(market, str) or not _HEX64.fullmatch(market):
        raise ParameterError("market must be the market's public key, 64 lowercase hex")
    values = _signed_header_values(headers)
    signed_for = values[MARKET_HEADER]
    if not _HEX64.fullmatch(signed_for):
        raise InvalidSignature(f"{MARKET_HEADER} must be 64 lowercase hex characters")
    if signed_for != market:
        raise InvalidSignature(
            f"the request was signed for another market ({signed_for[:16]}...), not this one "
            f"({market[:16]}...): a client signs for the market key GET /v1/market serves"
        )
    account = values[ACCOUNT_HEADER]
    timestamp_text = values[TIMESTAMP_HEADER]
    nonce = values[NONCE_HEADER]
    signature_hex = values[SIGNATURE_HEADER]
    if not _HEX64.fullmatch(account):
        raise InvalidSignature(f"{ACCOUNT_HEADER} must be 64 lowercase hex characters")
    if not _TIMESTAMP.fullmatch(timestamp_text):
        raise InvalidSignature(f"{TIMESTAMP_HEADER} must be unix seconds in canonical decimal")
    if not _HEX32.fullmatch(nonce):
        raise InvalidSignature(f"{NONCE_HEADER} must be 32 lowercase hex characters")
    if not _HEX128.fullmatch(signature_hex):
        raise InvalidSignature(f"{SIGNATURE_HEADER} must be 128 lowercase hex characters")
    timestamp = int(timestamp_text)
    if timestamp < now - max_skew:
        raise InvalidSignature(f"request timestamp is {now - timestamp} s old (max {max_skew})")
    if timestamp > now + max_skew:
        raise InvalidSignature(
            f"request timestamp is {timestamp - now} s in the future (max {max_skew})"
        )
    public_key = usable_public_key(bytes.fromhex(account))
    if public_key is None:
        raise InvalidSignature(f"{ACCOUNT_HEADER} is not a valid Ed25519 public key")
    try:
        message = canonical_request(method, path, timestamp, nonce, body, market=market)
    except ParameterError as error:
        raise InvalidSignature(str(error)) from None
    try:
        public_key.verify(bytes.fromhex(signature_hex), message)
    except _BadEd25519Signature:
        raise InvalidSignature("bad signature for this account and request") from None
    return SignedRequest(account=account, timestamp=timestamp, nonce=nonce)


def verify_signature(public_key_hex: str, message: bytes, signature: bytes | str) -> bool:
    """Whether ``signature`` (64 raw bytes or 128 lowercase hex) is valid; never raises."""
    if not isinstance(public_key_hex, str) or not isinstance(message, bytes):
        return False
    if isinstance(signature, str):
        if not _HEX128.fullmatch(signature):
            return False
        signature = bytes.fromhex(signature)
    if not isinstance(signature, bytes) or len(signature) != 64:
        return False
    if not _HEX64.fullmatch(public_key_hex):
        return False
    public_key = usable_public_key(bytes.fromhex(public_key_hex))
    if public_key is None:
        return False
    try:
        public_key.verify(signature, message)
    except _BadEd25519Signature:
        return False
    return True


def _signed_header_values(headers: Mapping[str, str]) -> dict[str, str]:
    wanted = {name.lower(): name for name in SIGNED_HEADERS}
    found: dict[str, str] = {}
    try:
        items = list(headers.items())
    except Exception:  # a broken mapping is a bad request, not a server error
        raise InvalidSignature("headers are not a mapping of strings") from None
    for name, value in items:
        canonical = wanted.get(name.lower()) if isinstance(name, str) and name.isascii() else None
        if canonical is None:
            continue
        # Two copies (e.g. a proxy appended one) are ambiguous: which one did the client sign?
        if canonical in found:
            raise InvalidSignature(f"header {canonical} given more than once")
        if not isinstance(value, str):
            raise InvalidSignature(f"header {canonical} is not a string")
        found[canonical] = value
    if MARKET_HEADER not in found and SIGNATURE_HEADER in found:
        raise InvalidSignature(
            f"the request is signed in an old form (no {MARKET_HEADER}, so not bound to a "
            f"market); this market accepts signature version {SIGNATURE_VERSION} only: "
            "update the client"
        )
    for name in SIGNED_HEADERS:
        if name not in found:
            raise InvalidSignature(f"missing header {name}")
    return found
