"""The fused scoring kernel: NTT-form multiply-accumulate over a pre-encoded table, in numba.

Each output coefficient of a chunk's inner product is ``sum_b rot_b(u)[j] * P_b[j] mod q``
over the baby steps ``b``. SEAL computes it as one ``multiply_plain`` plus one ``add_inplace``
per term, each a full pass over memory with its own modular reduction. Here the products are
summed exactly in 128 bits (``D * q^2 < 2^120`` for ``q < 2^56``, ``D <= 256``) and reduced
once per coefficient (Barrett), in one pass that reads each table coefficient once for both
ciphertext polynomials; modular sums do not depend on the order of reduction, so the result is
bit-identical to SEAL's. The kernels release the GIL, so threads can share one table.

numba rather than a compiled extension: it installs as a wheel from the package registry (no
compiler on the server, nothing built by ``pip install -e``), and its ``intrinsic`` API emits
LLVM's 64 x 64 -> 128-bit multiply, which plain numpy cannot express.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

U64Array = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]

# Coefficients per tile: the four 128-bit accumulators of a tile (16 KB) stay in L1.
_TILE = 512
MAX_MODULUS_BITS = 56  # D * q^2 must stay below 2^128 (D <= 256) with room for the Barrett step


def _mul_wide_signature(typingctx: Any, a: Any, b: Any) -> Any:
    """(low, high) 64-bit words of the 128-bit product of two uint64."""
    pair = types.UniTuple(types.uint64, 2)  # type: ignore[no-untyped-call]
    signature = pair(types.uint64, types.uint64)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        wide = ir.IntType(128)
        product = builder.mul(builder.zext(args[0], wide), builder.zext(args[1], wide))
        low = builder.trunc(product, ir.IntType(64))
        high = builder.trunc(builder.lshr(product, ir.Constant(wide, 64)), ir.IntType(64))
        return context.make_tuple(builder, sig.return_type, [low, high])

    return signature, codegen


_mul_wide: Any = intrinsic(_mul_wide_signature)


@njit(nogil=True, cache=True, inline="always")
def _carry(total: np.uint64, added: np.uint64) -> np.uint64:
    return np.uint64(1) if total < added else np.uint64(0)


@njit(nogil=True, cache=True, inline="always")
def _reduce128(
    low: np.uint64, high: np.uint64, q: np.uint64, ratio_low: np.uint64, ratio_high: np.uint64
) -> np.uint64:
    """(high * 2^64 + low) mod q, with ratio = floor(2^128 / q): the quotient estimate
    floor(x * ratio / 2^128) is at most 2 below the true one, so at most two subtractions."""
    _, t = _mul_wide(low, ratio_low)
    a_low, a_high = _mul_wide(low, ratio_high)
    b_low, b_high = _mul_wide(high, ratio_low)
    middle = t + a_low
    carry = _carry(middle, t)
    middle2 = middle + b_low
    carry += _carry(middle2, middle)
    quotient = high * ratio_high + a_high + b_high + carry
    remainder = np.uint64(low - quotient * q)
    while remainder >= q:
        remainder -= q
    return remainder


@njit(nogil=True, cache=True)
def fused_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: np.uint64,
    ratio_low: np.uint64,
    ratio_high: np.uint64,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
    floor: bool = False,
) -> None:
    """``out[c, a, k] = sum_b baby[b, k] * table[c, a, b] mod q`` for chunks in
    ``[first_chunk, last_chunk)``, every giant step ``a`` and both polynomials ``k``.

    ``baby``: (g, 2, N) NTT-form rotations of the query; ``table``: (chunks, G, g, N) NTT-form
    plaintexts; ``present[c, a, b]`` false where the plaintext is zero (skipped).

    ``floor=True`` is the arithmetic floor the benchmarks compare with: the same loops with a
    plain wrapping 64-bit multiply-accumulate and no reduction (wrong modulo q)."""
    giant, steps, degree = table.shape[1], table.shape[2], table.shape[3]
    low0 = np.empty(_TILE, dtype=np.uint64)
    high0 = np.empty(_TILE, dtype=np.uint64)
    low1 = np.empty(_TILE, dtype=np.uint64)
    high1 = np.empty(_TILE, dtype=np.uint64)
    for c in range(first_chunk, last_chunk):
        for a in range(giant):
            for start in range(0, degree, _TILE):
                width = min(_TILE, degree - start)
                low0[:] = 0
                high0[:] = 0
                low1[:] = 0
                high1[:] = 0
                for b in range(steps):
                    if not present[c, a, b]:
                        continue
                    plain = table[c, a, b, start : start + width]
                    poly0 = baby[b, 0, start : start + width]
                    poly1 = baby[b, 1, start : start + width]
                    if floor:
                        for j in range(width):
                            low0[j] += poly0[j] * plain[j]
                            low1[j] += poly1[j] * plain[j]
                        continue
                    for j in range(width):
                        p = plain[j]
                        lo, hi = _mul_wide(poly0[j], p)
                        total = low0[j] + lo
                        high0[j] += hi + _carry(total, lo)
                        low0[j] = total
                        lo, hi = _mul_wide(poly1[j], p)
                        total = low1[j] + lo
                        high1[j] += hi + _carry(total, lo)
                        low1[j] = total
                for j in range(width):
                    if floor:
                        out[c, a, 0, start + j] = low0[j]
                        out[c, a, 1, start + j] = low1[j]
                    else:
                        out[c, a, 0, start + j] = _reduce128(
                            low0[j], high0[j], q, ratio_low, ratio_high
                        )
                        out[c, a, 1, start + j] = _reduce128(
                            low1[j], high1[j], q, ratio_low, ratio_high
                        )


@njit(nogil=True, cache=True)
def add_mod(x: U64Array, y: U64Array, q: np.uint64) -> None:
    """x = (x + y) mod q, elementwise, for x and y already reduced."""
    flat_x, flat_y = x.reshape(-1), y.reshape(-1)
    for i in range(flat_x.shape[0]):
        total = flat_x[i] + flat_y[i]
        flat_x[i] = total - q if total >= q else total


def barrett_ratio(q: int) -> tuple[np.uint64, np.uint64]:
    """floor(2^128 / q) as (low, high) 64-bit words."""
    if not 2 <= q < 1 << MAX_MODULUS_BITS:
        raise ValueError(f"the kernel needs a modulus of at most {MAX_MODULUS_BITS} bits")
    ratio = (1 << 128) // q
    return np.uint64(ratio & ((1 << 64) - 1)), np.uint64(ratio >> 64)
