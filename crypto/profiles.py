"""Named, versioned CKKS parameter profiles and the size bounds that follow from them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from crypto.errors import ParameterError

MAX_DIM = 256
# Items of one model's table: 10M at d = 64 fit a 24 GiB server (docs/sizing.md); a table
# is scored in shards of about 1M (crypto.table_scorer), its response is 16 bytes per item.
MAX_ITEMS = 1 << 24


@dataclass(frozen=True)
class CkksProfile:
    """One CKKS parameter set, with the fixed-point scales used by queries and item tables.

    The engine uses a single data prime: the query is encrypted at it, every product stays at
    it (no rescaling), and the response is therefore already at the last level. The second prime
    only serves key switching (rotations), so it never appears in a query or a response.
    """

    name: str
    poly_modulus_degree: int
    data_prime_bits: int
    special_prime_bits: int
    security_bits: int
    query_scale_bits: int
    table_scale_bits: int
    # Response coefficients after the switch to a power-of-two modulus: c1 keeps more bits
    # than c0 because its rounding error is multiplied by the secret key (docs/crypto.md).
    response_c0_bits: int
    response_c1_bits: int
    # The giant-step generator: the only rotation besides 1 that has a key.
    giant_step: int = 16
    max_dim: int = MAX_DIM

    @property
    def slot_count(self) -> int:
        return self.poly_modulus_degree // 2

    @property
    def items_per_ciphertext(self) -> int:
        """Two items per slot: the real and the imaginary part of a complex plaintext."""
        return 2 * self.slot_count

    @cached_property
    def rotation_steps(self) -> tuple[int, ...]:
        """The two rotations with keys: the baby step 1 and the giant step; every other
        rotation the packing needs is composed of them (crypto/scorer.py)."""
        return (1, self.giant_step)

    @property
    def query_coefficient_bits(self) -> int:
        """Each query coefficient lies below the data prime: exactly this many bits."""
        return self.data_prime_bits

    @property
    def query_bytes(self) -> int:
        """The query's coefficients on the wire (c0 only: c1 is a seed), bit-packed."""
        return self.poly_modulus_degree * self.query_coefficient_bits // 8

    @property
    def response_ciphertext_bytes(self) -> int:
        """One response ciphertext on the wire: c0 and c1 at their switched widths."""
        degree = self.poly_modulus_degree
        return degree * (self.response_c0_bits + self.response_c1_bits) // 8

    def padded_dim(self, dim: int) -> int:
        """The power of two the query is padded to, so it tiles the slots exactly."""
        if not 1 <= dim <= self.max_dim:
            raise ParameterError(f"dimension {dim} is outside 1..{self.max_dim}")
        return 1 << (dim - 1).bit_length()

    def ciphertexts_for(self, items: int) -> int:
        if not 1 <= items <= MAX_ITEMS:
            raise ParameterError(f"item count {items} is outside 1..{MAX_ITEMS}")
        return -(-items // self.items_per_ciphertext)

    # Upper bounds of the blobs, used to refuse oversized input before anything is parsed.
    # 1 KiB covers SEAL's header and the object's metadata (the seed of a seeded query).
    @property
    def max_query_blob_bytes(self) -> int:
        return self.query_bytes + 1024

    @property
    def max_galois_keys_bytes(self) -> int:
        per_key = 2 * self.poly_modulus_degree * 2 * 8 + 1024
        return len(self.rotation_steps) * per_key + 1024

    @property
    def max_secret_key_bytes(self) -> int:
        return 2 * self.poly_modulus_degree * 8 + 1024


PROFILES: dict[str, CkksProfile] = {
    # The default. N=4096 allows 109 bits of modulus at 128-bit security (HE standard, and
    # SEAL's own table). 52 + 57 bits: a special prime well above the data prime keeps
    # key-switching noise near its rounding floor (53+56 and 54+55 had 4-7x larger worst-case
    # errors); 2^28 x 2^21 = 2^49 leaves 3 bits of headroom under the data prime for
    # |score| <= sqrt(2) (unit-norm query, rows scaled to norm <= 1). Measured at n=100k, d=64:
    # score error rms 1.1e-5, max 5e-5 (docs/crypto.md).
    "ckks4096-v1": CkksProfile(
        name="ckks4096-v1",
        poly_modulus_degree=4096,
        data_prime_bits=52,
        special_prime_bits=57,
        security_bits=128,
        query_scale_bits=28,
        table_scale_bits=21,
        response_c0_bits=26,
        response_c1_bits=32,
    ),
    # A conservative profile: N=8192 with 116 of the 118 bits the HE standard allows at 256-bit
    # security. Same per-item work and response size; twice the query and key sizes.
    "ckks8192-s256-v1": CkksProfile(
        name="ckks8192-s256-v1",
        poly_modulus_degree=8192,
        data_prime_bits=56,
        special_prime_bits=60,
        security_bits=256,
        query_scale_bits=32,
        table_scale_bits=21,
        response_c0_bits=27,
        response_c1_bits=33,
    ),
}

DEFAULT_PROFILE = "ckks4096-v1"


def get_profile(name: str) -> CkksProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ParameterError(f"unknown CKKS profile {name!r} (known: {known})") from None
