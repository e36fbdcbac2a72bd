"""Shamir sharing over GF(2^521 - 1): fixed vectors, any threshold subset, too few shares."""

from __future__ import annotations

import contextlib
import itertools

import pytest

from federated.errors import ProtocolAbort
from federated.shamir import PRIME, SHARE_BYTES, combine_shares, split_secret
from tests.federated.conftest import counter_bytes

SECRET = bytes(range(32))


def test_fixed_randomness_gives_the_recorded_shares() -> None:
    shares = split_secret(SECRET, [1, 2, 3], 2, counter_bytes(b"shamir"))
    # f(x) = s + a x with a from the counter generator: recorded once, guards the encoding.
    a = int.from_bytes(counter_bytes(b"shamir")(SHARE_BYTES), "big") & PRIME
    s = int.from_bytes(SECRET, "big")
    for x in (1, 2, 3):
        assert shares[x] == ((s + a * x) % PRIME).to_bytes(SHARE_BYTES, "big")
    assert shares[1].hex()[-16:] == RECORDED_SHARE_1_TAIL


RECORDED_SHARE_1_TAIL = "0531322fa16e4f5c"


def test_any_threshold_subset_reconstructs_and_fewer_refuse() -> None:
    shares = split_secret(SECRET, [3, 8, 11, 40, 41], 3, counter_bytes(b"any"))
    for subset in itertools.combinations(shares, 3):
        assert combine_shares({x: shares[x] for x in subset}, 3) == SECRET
    with pytest.raises(ProtocolAbort, match="3 needed"):
        combine_shares({3: shares[3], 8: shares[8]}, 3)


def test_a_tampered_share_is_detected_or_gives_another_secret() -> None:
    shares = split_secret(SECRET, [1, 2, 3], 3, counter_bytes(b"tamper"))
    bad = dict(shares)
    bad[2] = (int.from_bytes(bad[2], "big") ^ 1).to_bytes(SHARE_BYTES, "big")
    # Most tampering lands outside the 32-byte secrets (ProtocolAbort); the rest is wrong.
    with contextlib.suppress(ProtocolAbort):
        assert combine_shares(bad, 3) != SECRET
    with pytest.raises(ProtocolAbort, match="malformed"):
        combine_shares({1: shares[1], 2: shares[2][:-1], 3: shares[3]}, 3)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        split_secret(b"short", [1, 2], 2, counter_bytes(b"p"))
    with pytest.raises(ValueError, match="distinct positive"):
        split_secret(SECRET, [1, 1], 2, counter_bytes(b"p"))
    with pytest.raises(ValueError, match="threshold"):
        split_secret(SECRET, [1, 2], 3, counter_bytes(b"p"))
