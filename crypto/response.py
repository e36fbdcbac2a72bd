"""A response ciphertext on the wire: switched from the data prime to two power-of-two moduli.

The server takes each response ciphertext out of NTT form and rounds every coefficient
``c`` in ``[0, q)`` to ``round(c * 2^b / q) mod 2^b``: ``b0`` bits for c0 and ``b1`` for c1
(the profile's ``response_c0_bits`` and ``response_c1_bits``), bit-packed. The client lifts
them back to ``round(c' * q / 2^b)``, which decrypts to the same message plus the rounding
errors ``e0 + e1 * s`` scaled by ``q / 2^b``: c1's error is multiplied by the secret key, so
c1 keeps more bits than c0. Why these widths are safe is derived in docs/crypto.md.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from crypto._bits import pack_bits, unpack_bits
from crypto.errors import InvalidCiphertext
from crypto.profiles import CkksProfile

U64Array = npt.NDArray[np.uint64]


def switch_down(coefficients: U64Array, modulus: int, bits: int) -> U64Array:
    """``round(c * 2^bits / q) mod 2^bits`` of coefficients in ``[0, q)``: exact in float64,
    since ``c < q < 2^53`` and multiplying by a power of two over ``q`` rounds once."""
    scaled = np.rint(coefficients.astype(np.float64) * (2.0**bits / modulus))
    switched: U64Array = scaled.astype(np.uint64) & np.uint64((1 << bits) - 1)
    return switched


def lift(switched: U64Array, modulus: int, bits: int) -> U64Array:
    """Back to ``[0, q)``: ``round(c' * q / 2^bits)`` (below ``q`` for every ``c' < 2^bits``)."""
    lifted: U64Array = np.rint(switched.astype(np.float64) * (modulus / 2.0**bits)).astype(
        np.uint64
    )
    return lifted


def pack_response(profile: CkksProfile, modulus: int, coefficients: U64Array) -> bytes:
    """One response ciphertext, ``(2, N)`` coefficients (not NTT form) in ``[0, q)``, packed."""
    c0 = switch_down(coefficients[0], modulus, profile.response_c0_bits)
    c1 = switch_down(coefficients[1], modulus, profile.response_c1_bits)
    return pack_bits(c0, profile.response_c0_bits) + pack_bits(c1, profile.response_c1_bits)


def unpack_responses(profile: CkksProfile, blobs: tuple[bytes, ...]) -> tuple[U64Array, U64Array]:
    """The switched coefficients of packed ciphertexts, c0 and c1 as two ``(count, N)`` arrays:
    c0 below ``2^response_c0_bits``, c1 below ``2^response_c1_bits`` (:func:`lift` takes
    them back to q).

    Every blob must have exactly the packed size; any bit pattern of that size is a valid
    ciphertext, so nothing else can be wrong with it."""
    degree, size = profile.poly_modulus_degree, profile.response_ciphertext_bytes
    for index, blob in enumerate(blobs):
        if len(blob) != size:
            raise InvalidCiphertext(
                f"response ciphertext {index}: {len(blob)} bytes where {size} are expected"
            )
    count = len(blobs)
    joined = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(count, size)
    split = degree * profile.response_c0_bits // 8
    c0, c1 = (
        unpack_bits(np.ascontiguousarray(joined[:, lo:hi]), count * degree, bits).reshape(
            count, degree
        )
        for lo, hi, bits in (
            (0, split, profile.response_c0_bits),
            (split, size, profile.response_c1_bits),
        )
    )
    return c0, c1
