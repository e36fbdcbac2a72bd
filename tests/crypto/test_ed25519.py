"""The one Ed25519 policy: which public keys are usable, and the signing key's secret handling.
The vectors here are also run through the user-identity and the ledger boundaries."""

from __future__ import annotations

import copy
import pickle

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from crypto.ed25519 import SigningKey, usable_public_key
from crypto.errors import ParameterError

# Small-order points (libsodium's blocklist, canonical and not): OpenSSL would accept forged
# signatures under these keys.
SMALL_ORDER_KEYS = [
    "00" * 32,
    "01" + "00" * 31,
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "ec" + "ff" * 30 + "7f",
    "ed" + "ff" * 30 + "7f",
    "ee" + "ff" * 30 + "7f",
]
NOT_A_POINT = "02" + "00" * 31  # y = 2 has no x on the curve
NON_CANONICAL_ZERO_X = "01" + "00" * 30 + "80"  # x = 0 with its sign bit set
UNUSABLE_KEYS = [*SMALL_ORDER_KEYS, NOT_A_POINT, NON_CANONICAL_ZERO_X]
SEED = bytes(range(32))
SEED_PUBLIC = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"


@pytest.mark.parametrize("public_hex", UNUSABLE_KEYS)
def test_unusable_public_keys_are_refused(public_hex: str) -> None:
    assert usable_public_key(bytes.fromhex(public_hex)) is None


def test_a_small_order_key_would_verify_a_forgery_without_the_check() -> None:
    # With A = the identity, R = A and S = 0, "[S]B = R + [k]A" holds for every message.
    weak = bytes.fromhex(SMALL_ORDER_KEYS[1])
    Ed25519PublicKey.from_public_bytes(weak).verify(weak + bytes(32), b"any message")
    assert usable_public_key(weak) is None


@pytest.mark.parametrize("raw", [b"", bytes(31), bytes(33), "00" * 32])
def test_anything_but_32_bytes_is_refused(raw: object) -> None:
    assert usable_public_key(raw) is None


def test_real_keys_are_usable() -> None:
    for key in (SigningKey.from_seed(SEED), SigningKey.generate()):
        public = usable_public_key(bytes.fromhex(key.public_key_hex))
        assert public is not None
        public.verify(key.sign(b"message"), b"message")


def test_the_seed_round_trips_and_is_the_only_way_out() -> None:
    key = SigningKey.from_seed(SEED)
    assert key.public_key_hex == SEED_PUBLIC
    assert key.seed() == SEED
    assert SEED.hex() not in repr(key) and SEED_PUBLIC in repr(key)
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.deepcopy(key)


@pytest.mark.parametrize("seed", [bytes(31), bytes(33), SEED.hex()])
def test_a_seed_is_exactly_32_bytes(seed: object) -> None:
    with pytest.raises(ParameterError, match="32 bytes"):
        SigningKey.from_seed(seed)  # type: ignore[arg-type]
