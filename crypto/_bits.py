"""Fixed-width bit packing of unsigned integers: each value in exactly ``bits`` bits.

Values are packed little-endian in groups of eight (eight values of ``bits`` bits are exactly
``bits`` bytes), with one vectorised shift-and-or per position in the group, so packing a
response of a million scores costs a few passes over memory, not one per bit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U64Array = npt.NDArray[np.uint64]
_GROUP = 8


def packed_size(count: int, bits: int) -> int:
    """Bytes that ``count`` values (a multiple of 8) of ``bits`` bits take."""
    return count * bits // 8


def pack_bits(values: U64Array, bits: int) -> bytes:
    """``values`` (every one below ``2**bits``, a multiple of 8 of them) in ``bits`` bits each."""
    flat = np.ascontiguousarray(values, dtype=np.uint64).reshape(-1)
    _check(flat.shape[0], bits)
    if bits < 64 and flat.shape[0] and int(flat.max()) >> bits:
        raise ValueError(f"a value does not fit in {bits} bits")
    if bits in (8, 16, 32, 64):
        return flat.astype(f"<u{bits // 8}").tobytes()
    # Position-major copies, so every shift and or below runs over contiguous memory.
    columns = np.ascontiguousarray(flat.reshape(-1, _GROUP).T)
    words = np.zeros((-(-bits // 8), columns.shape[1]), dtype=np.uint64)
    for position in range(_GROUP):
        word, shift = divmod(position * bits, 64)
        words[word] |= columns[position] << np.uint64(shift)
        if shift + bits > 64:
            words[word + 1] |= columns[position] >> np.uint64(64 - shift)
    return np.ascontiguousarray(words.T, dtype="<u8").view(np.uint8)[:, :bits].tobytes()


def unpack_bits(data: bytes | npt.NDArray[np.uint8], count: int, bits: int) -> U64Array:
    """The ``count`` values :func:`pack_bits` wrote into ``data`` (bytes, or a contiguous
    ``uint8`` array of any shape; exactly their size)."""
    _check(count, bits)
    raw = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data.reshape(-1)
    if raw.shape[0] != packed_size(count, bits):
        raise ValueError(f"{raw.shape[0]} bytes do not hold {count} values of {bits} bits")
    if bits in (8, 16, 32, 64):  # whole machine words: one widening copy
        return raw.view(f"<u{bits // 8}").astype(np.uint64)
    groups = count // _GROUP
    padded = np.zeros((groups, 8 * -(-bits // 8)), dtype=np.uint8)
    padded[:, :bits] = raw.reshape(groups, bits)
    words = np.ascontiguousarray(padded.view("<u8").astype(np.uint64, copy=False).T)
    values = np.empty((_GROUP, groups), dtype=np.uint64)
    mask = np.uint64((1 << bits) - 1)
    for position in range(_GROUP):
        word, shift = divmod(position * bits, 64)
        column = values[position]
        np.right_shift(words[word], np.uint64(shift), out=column)
        if shift + bits > 64:
            column |= words[word + 1] << np.uint64(64 - shift)
        column &= mask
    return np.ascontiguousarray(values.T).reshape(-1)


def _check(count: int, bits: int) -> None:
    if not 1 <= bits <= 64:
        raise ValueError(f"a width of {bits} bits is outside 1..64")
    if count % _GROUP:
        raise ValueError(f"{count} values is not a multiple of {_GROUP}")
