"""Bit packing and the response's switch down: exact round trips and bounds at the extremes."""

from __future__ import annotations

import numpy as np
import pytest

from crypto import SecretKeys
from crypto._bits import pack_bits, packed_size, unpack_bits
from crypto.response import lift, switch_down


@pytest.mark.parametrize("bits", [1, 7, 8, 24, 26, 31, 32, 33, 52, 57, 63, 64])
def test_values_round_trip_in_exactly_their_bits(bits: int) -> None:
    rng = np.random.default_rng(bits)
    values = rng.integers(0, 1 << min(bits, 63), 4096, dtype=np.uint64)
    values[:8] = (1 << bits) - 1  # every bit set
    values[8:16] = 0
    packed = pack_bits(values, bits)
    assert len(packed) == packed_size(4096, bits) == 512 * bits
    assert np.array_equal(unpack_bits(packed, 4096, bits), values)
    as_array = np.frombuffer(packed, dtype=np.uint8).reshape(8, -1)
    assert np.array_equal(unpack_bits(as_array, 4096, bits), values)


def test_bad_widths_counts_and_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="does not fit in 26 bits"):
        pack_bits(np.full(8, 1 << 26, dtype=np.uint64), 26)
    with pytest.raises(ValueError, match="multiple of 8"):
        pack_bits(np.zeros(7, dtype=np.uint64), 26)
    with pytest.raises(ValueError, match=r"outside 1\.\.64"):
        pack_bits(np.zeros(8, dtype=np.uint64), 0)
    with pytest.raises(ValueError, match="do not hold"):
        unpack_bits(bytes(25), 8, 26)


def test_switching_down_and_lifting_stay_in_range_and_close(keys: SecretKeys) -> None:
    q = keys.runtime.data_modulus
    rng = np.random.default_rng(0)
    coefficients = rng.integers(0, q, 8192, dtype=np.uint64)
    coefficients[:4] = [0, 1, q - 1, q // 2]
    for bits in (26, 32):
        switched = switch_down(coefficients, q, bits)
        assert int(switched.max()) < 1 << bits
        assert switched[2] == 0  # q - 1 rounds to 2^bits, which is 0 modulo 2^bits
        lifted = lift(switched, q, bits)
        assert int(lifted.max()) < q
        # Within half a step of q / 2^bits, modulo q.
        distance = (lifted.astype(object) - coefficients.astype(object)) % q
        assert all(min(d, q - d) <= q / 2 ** (bits + 1) + 1 for d in distance)
