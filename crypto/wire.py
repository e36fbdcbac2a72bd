"""Versioned, self-describing envelopes for queries, evaluation keys, responses and key files.

Layout (big-endian): magic ``PRHE`` | format version u8 | kind u8 | profile name (u8 length +
ASCII) | kind-specific fields | blob count u32 | blobs (u32 length + bytes). Blobs are
uncompressed SEAL objects (evaluation and secret keys), a query's bit-packed c0 and SEAL's seed
of c1, or a response ciphertext's two bit-packed polynomials (see docs/crypto.md). Parsing
checks the total length first, then the header, then each blob's bound; the SEAL objects inside
are checked by SEAL itself when they are loaded.

Format versions: 1 shipped SEAL ciphertexts whole and eight power-of-two rotation keys; 2 (this
one) packs queries and responses and has two rotation keys. Neither reads the other.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from enum import IntEnum

from crypto.errors import InvalidCiphertext
from crypto.profiles import MAX_DIM, MAX_ITEMS, PROFILES, CkksProfile

MAGIC = b"PRHE"
FORMAT_VERSION = 2
_PREFIX = struct.Struct(">4sBBB")
_COUNT = struct.Struct(">I")
_MAX_PROFILE_NAME = 32
_MAX_HEADER = _PREFIX.size + _MAX_PROFILE_NAME + 64


class WireVersionMismatch(InvalidCiphertext):
    """An envelope of another wire format version: the peer must upgrade (or re-create it)."""

    def __init__(self, label: str, version: int) -> None:
        self.version = version
        advice = (
            "it was made by an older privrec: upgrade the sender and make it anew"
            if version < FORMAT_VERSION
            else "it was made by a newer privrec: upgrade this side"
        )
        super().__init__(
            f"{label}: wire format version {version}, but this side speaks version "
            f"{FORMAT_VERSION}; {advice}"
        )


class Kind(IntEnum):
    QUERY = 1
    EVALUATION_KEYS = 2
    RESPONSE = 3
    SECRET_KEY = 4


_FIELDS: dict[Kind, struct.Struct] = {
    Kind.QUERY: struct.Struct(">H"),  # dim
    Kind.EVALUATION_KEYS: struct.Struct(">"),
    Kind.RESPONSE: struct.Struct(">IHd"),  # items, dim, score scale
    Kind.SECRET_KEY: struct.Struct(">"),
}


def blob_bound(kind: Kind, profile: CkksProfile) -> int:
    if kind is Kind.EVALUATION_KEYS:
        return profile.max_galois_keys_bytes
    if kind is Kind.SECRET_KEY:
        return profile.max_secret_key_bytes
    if kind is Kind.QUERY:
        return profile.max_query_blob_bytes
    return profile.response_ciphertext_bytes


def max_envelope_bytes(
    kind: Kind, profile: CkksProfile | None = None, *, items: int = MAX_ITEMS
) -> int:
    """The largest envelope of ``kind`` (for any profile when ``profile`` is None); for a
    response, the largest for a table of ``items`` items."""
    profiles = [profile] if profile else list(PROFILES.values())
    return max(
        _MAX_HEADER
        + (p.ciphertexts_for(items) if kind is Kind.RESPONSE else 1)
        * (_COUNT.size + blob_bound(kind, p))
        for p in profiles
    )


@dataclass(frozen=True)
class Envelope:
    kind: Kind
    profile: CkksProfile
    fields: tuple[int | float, ...]
    blobs: tuple[bytes, ...]

    def to_bytes(self) -> bytes:
        name = self.profile.name.encode("ascii")
        parts = [
            _PREFIX.pack(MAGIC, FORMAT_VERSION, self.kind, len(name)),
            name,
            _FIELDS[self.kind].pack(*self.fields),
            _COUNT.pack(len(self.blobs)),
        ]
        for blob in self.blobs:
            parts += [_COUNT.pack(len(blob)), blob]
        return b"".join(parts)


def check_version(data: bytes, kind: Kind) -> None:
    """Raise :class:`WireVersionMismatch` if ``data`` is an envelope of another format version
    (reads its first 5 bytes only: safe before any size check)."""
    head = bytes(data[: len(MAGIC) + 1])
    if len(head) == len(MAGIC) + 1 and head.startswith(MAGIC) and head[-1] != FORMAT_VERSION:
        raise WireVersionMismatch(kind.name.lower().replace("_", " "), head[-1])


def parse_envelope(data: bytes, kind: Kind, *, profile: CkksProfile | None = None) -> Envelope:
    """Parse and bound-check an envelope; raise :class:`InvalidCiphertext` on any defect.

    ``profile``, when given, is the only profile accepted. Kind-specific fields are range-checked
    here; the blobs are returned unparsed.
    """
    label = kind.name.lower().replace("_", " ")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidCiphertext(f"{label}: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) < _PREFIX.size:
        raise InvalidCiphertext(f"{label}: truncated header")
    magic, _, got_kind, name_len = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise InvalidCiphertext(f"{label}: not a privrec envelope (bad magic)")
    # The version is read before the size bound: an older peer's larger objects must get this
    # message, not "too large". Nothing past these 7 bytes is read until the bound is checked.
    check_version(data, kind)
    if len(data) > max_envelope_bytes(kind):
        raise InvalidCiphertext(f"{label}: {len(data)} bytes is over the size bound")
    if got_kind != kind:
        found = Kind(got_kind).name.lower() if got_kind in Kind._value2member_map_ else got_kind
        raise InvalidCiphertext(f"{label}: envelope holds kind {found}")
    offset = _PREFIX.size
    name_bytes = data[offset : offset + name_len]
    offset += name_len
    try:
        name = name_bytes.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidCiphertext(f"{label}: profile name is not ASCII") from None
    found_profile = PROFILES.get(name)
    if found_profile is None or len(name_bytes) != name_len:
        raise InvalidCiphertext(f"{label}: unknown profile {name!r}")
    if profile is not None and found_profile != profile:
        raise InvalidCiphertext(f"{label}: profile {name!r} but {profile.name!r} is expected")
    if len(data) > max_envelope_bytes(kind, found_profile):
        raise InvalidCiphertext(f"{label}: {len(data)} bytes is over the size bound of {name}")
    field_struct = _FIELDS[kind]
    if len(data) < offset + field_struct.size + _COUNT.size:
        raise InvalidCiphertext(f"{label}: truncated header")
    fields = field_struct.unpack_from(data, offset)
    offset += field_struct.size
    (count,) = _COUNT.unpack_from(data, offset)
    offset += _COUNT.size
    expected = _check_fields(kind, found_profile, fields, label)
    if count != expected:
        raise InvalidCiphertext(f"{label}: {count} blobs where {expected} are expected")
    bound = blob_bound(kind, found_profile)
    blobs = []
    for index in range(count):
        if len(data) < offset + _COUNT.size:
            raise InvalidCiphertext(f"{label}: truncated at blob {index}")
        (length,) = _COUNT.unpack_from(data, offset)
        offset += _COUNT.size
        if length > bound:
            raise InvalidCiphertext(f"{label}: blob {index} is over the bound of {bound} bytes")
        if len(data) < offset + length:
            raise InvalidCiphertext(f"{label}: truncated at blob {index}")
        blobs.append(data[offset : offset + length])
        offset += length
    if offset != len(data):
        raise InvalidCiphertext(f"{label}: {len(data) - offset} trailing bytes")
    return Envelope(kind, found_profile, tuple(fields), tuple(blobs))


def _check_fields(
    kind: Kind, profile: CkksProfile, fields: tuple[int | float, ...], label: str
) -> int:
    """Range-check the kind-specific fields; return how many blobs must follow."""
    if kind is Kind.QUERY:
        (dim,) = fields
        if not 1 <= int(dim) <= MAX_DIM:
            raise InvalidCiphertext(f"{label}: dimension {dim} is outside 1..{MAX_DIM}")
    if kind is Kind.RESPONSE:
        items, dim, scale = fields
        if not 1 <= int(items) <= MAX_ITEMS:
            raise InvalidCiphertext(f"{label}: item count {items} is outside 1..{MAX_ITEMS}")
        if not 1 <= int(dim) <= MAX_DIM:
            raise InvalidCiphertext(f"{label}: dimension {dim} is outside 1..{MAX_DIM}")
        if not (math.isfinite(scale) and scale > 0):
            raise InvalidCiphertext(f"{label}: score scale {scale} is not a positive number")
        return profile.ciphertexts_for(int(items))
    return 1
