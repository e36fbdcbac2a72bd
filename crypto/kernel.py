"""The fused scoring kernel: NTT-form multiply-accumulate over a pre-encoded table, in numba.

Each output coefficient of a chunk's inner product is ``sum_b rot_b(u)[j] * P_b[j] mod q``
over the baby steps ``b``. SEAL computes it as one ``multiply_plain`` plus one ``add_inplace``
per term, each a full pass over memory with its own modular reduction. Here the products are
summed exactly (128 bits at most: ``D * q^2 < 2^120`` for ``q < 2^56``, ``D <= 256``) and reduced
once per coefficient (Barrett), in one pass that reads each table coefficient once for both
ciphertext polynomials; modular sums do not depend on the order of reduction, so the result is
bit-identical to SEAL's. The sums are kept in vectorisable 64-bit lanes: AVX-512 IFMA's 52-bit
multiply-accumulate where the CPU has it and q < 2^52 (the default profile's data prime), else
products of half-width pieces. The kernels release the GIL, so threads can share one table.

numba rather than a compiled extension: it installs as a wheel from the package registry (no
compiler on the server, nothing built by ``pip install -e``), and its ``intrinsic`` API emits
LLVM's 128-bit multiply and the IFMA instructions, which plain numpy cannot express.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from llvmlite import binding as llvm_binding
from llvmlite import ir
from numba import config, njit, types
from numba.core import cgutils
from numba.extending import intrinsic

U64Array = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]

# Coefficients per tile: a tile's sums (up to six 64-bit lanes each, 24 KB) stay in L1.
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


@njit(nogil=True, cache=True, inline="always")
def _join_halves(
    low_sum: np.uint64, high_sum: np.uint64, shift: int
) -> tuple[np.uint64, np.uint64]:
    """``high_sum * 2^shift + low_sum`` (``0 < shift < 64``) as (low, high) 64-bit words."""
    moved = high_sum << np.uint64(shift)
    low = low_sum + moved
    high = (high_sum >> np.uint64(64 - shift)) + _carry(low, moved)
    return low, high


@njit(nogil=True, cache=True, inline="always")
def _add128(
    low: np.uint64, high: np.uint64, add_low: np.uint64, add_high: np.uint64
) -> tuple[np.uint64, np.uint64]:
    total = low + add_low
    return total, high + add_high + _carry(total, add_low)


@njit(nogil=True, cache=True, inline="always")
def _split_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: np.uint64,
    ratio_low: np.uint64,
    ratio_high: np.uint64,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
    half: int,
) -> None:
    """The portable kernel: each coefficient (below ``2^(2 * half)``) is cut into two
    ``half``-bit halves, so the products are ``2 half``-bit and their sums fit 64-bit lanes,
    which the compiler vectorises (32 x 32 -> 64-bit multiplies, or IFMA's low half); inlined
    with a literal ``half`` so the masks are constants it can see."""
    giant, steps, degree = table.shape[1], table.shape[2], table.shape[3]
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)
    # Products of two halves are below 2^(2 half) and the middle term sums two of them: this
    # many terms fit a 64-bit lane before the sums are folded into 128-bit totals.
    block = 1 << (63 - 2 * half)
    sums = np.zeros((6, _TILE), dtype=np.uint64)  # low, middle, high sums of both polynomials
    totals = np.zeros((4, _TILE), dtype=np.uint64)  # (low, high) words of both polynomials
    for c in range(first_chunk, last_chunk):
        for a in range(giant):
            for start in range(0, degree, _TILE):
                width = min(_TILE, degree - start)
                totals[:, :width] = 0
                for first_step in range(0, steps, block):
                    sums[:, :width] = 0
                    for b in range(first_step, min(steps, first_step + block)):
                        if not present[c, a, b]:
                            continue
                        plain = table[c, a, b, start : start + width]
                        poly0 = baby[b, 0, start : start + width]
                        poly1 = baby[b, 1, start : start + width]
                        low0, mid0, high0 = sums[0], sums[1], sums[2]
                        low1, mid1, high1 = sums[3], sums[4], sums[5]
                        for j in range(width):
                            p_low = plain[j] & mask
                            p_high = (plain[j] >> shift) & mask
                            x_low = poly0[j] & mask
                            x_high = (poly0[j] >> shift) & mask
                            y_low = poly1[j] & mask
                            y_high = (poly1[j] >> shift) & mask
                            low0[j] += x_low * p_low
                            mid0[j] += x_low * p_high + x_high * p_low
                            high0[j] += x_high * p_high
                            low1[j] += y_low * p_low
                            mid1[j] += y_low * p_high + y_high * p_low
                            high1[j] += y_high * p_high
                    for k in range(2):
                        for j in range(width):
                            low, high = _join_halves(sums[3 * k, j], sums[3 * k + 1, j], half)
                            top_low, top_high = _join_halves(
                                np.uint64(0), sums[3 * k + 2, j], 2 * half
                            )
                            low, high = _add128(low, high, top_low, top_high)
                            totals[2 * k, j], totals[2 * k + 1, j] = _add128(
                                totals[2 * k, j], totals[2 * k + 1, j], low, high
                            )
                for j in range(width):
                    out[c, a, 0, start + j] = _reduce128(
                        totals[0, j], totals[1, j], q, ratio_low, ratio_high
                    )
                    out[c, a, 1, start + j] = _reduce128(
                        totals[2, j], totals[3, j], q, ratio_low, ratio_high
                    )


@njit(nogil=True, cache=True)
def _split26_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: np.uint64,
    ratio_low: np.uint64,
    ratio_high: np.uint64,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
) -> None:
    _split_inner_products(
        baby, table, present, q, ratio_low, ratio_high, first_chunk, last_chunk, out, 26
    )


@njit(nogil=True, cache=True)
def _split28_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: np.uint64,
    ratio_low: np.uint64,
    ratio_high: np.uint64,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
) -> None:
    _split_inner_products(
        baby, table, present, q, ratio_low, ratio_high, first_chunk, last_chunk, out, 28
    )


_LANES = 8  # 64-bit lanes of a 512-bit register


def _madd52_signature(typingctx: Any, low: Any, high: Any, x: Any, y: Any, at: Any) -> Any:
    """``low[at:at+8] += (x * y) mod 2^52`` and ``high[at:at+8] += (x * y) >> 52`` lane by lane
    (AVX-512 IFMA's vpmadd52luq / vpmadd52huq: the operands' low 52 bits are multiplied)."""
    signature = types.void(low, high, x, y, at)

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        vector = ir.VectorType(ir.IntType(64), _LANES)
        function_type = ir.FunctionType(vector, [vector, vector, vector])
        module = builder.module
        declare: Any = cgutils.get_or_insert_function
        low_half = declare(module, function_type, "llvm.x86.avx512.vpmadd52l.uq.512")
        high_half = declare(module, function_type, "llvm.x86.avx512.vpmadd52h.uq.512")
        pointers = []
        for value, array_type in zip(args[:4], sig.args[:4], strict=True):
            array = context.make_array(array_type)(context, builder, value)
            element = builder.gep(array.data, [args[4]])
            pointers.append(builder.bitcast(element, vector.as_pointer()))
        low_sum, high_sum, x_lanes, y_lanes = (builder.load(p, align=8) for p in pointers)
        builder.store(builder.call(low_half, [low_sum, x_lanes, y_lanes]), pointers[0], align=8)
        builder.store(builder.call(high_half, [high_sum, x_lanes, y_lanes]), pointers[1], align=8)
        return context.get_dummy_value()

    return signature, codegen


_madd52: Any = intrinsic(_madd52_signature)


@njit(nogil=True, cache=True)
def _ifma_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: np.uint64,
    ratio_low: np.uint64,
    ratio_high: np.uint64,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
) -> None:
    """The kernel for moduli below 2^52 on CPUs with AVX-512 IFMA: one 52 x 52-bit
    multiply-accumulate per half of each product, eight lanes at a time. The low and the high
    halves' sums (each term below 2^52, at most 256 terms) fit 64-bit lanes."""
    giant, steps, degree = table.shape[1], table.shape[2], table.shape[3]
    sums = np.zeros((4, _TILE), dtype=np.uint64)  # low and high sums of both polynomials
    for c in range(first_chunk, last_chunk):
        for a in range(giant):
            for start in range(0, degree, _TILE):
                width = min(_TILE, degree - start)
                sums[:, :width] = 0
                low0, high0, low1, high1 = sums[0], sums[1], sums[2], sums[3]
                for b in range(steps):
                    if not present[c, a, b]:
                        continue
                    plain = table[c, a, b, start : start + width]
                    poly0 = baby[b, 0, start : start + width]
                    poly1 = baby[b, 1, start : start + width]
                    for j in range(0, width, _LANES):
                        _madd52(low0, high0, poly0, plain, j)
                        _madd52(low1, high1, poly1, plain, j)
                for k in range(2):
                    for j in range(width):
                        low, high = _join_halves(sums[2 * k, j], sums[2 * k + 1, j], 52)
                        out[c, a, k, start + j] = _reduce128(low, high, q, ratio_low, ratio_high)


@njit(nogil=True, cache=True)
def floor_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
) -> None:
    """The arithmetic floor the benchmarks compare with: the kernels' loops with a plain
    wrapping 64-bit multiply-accumulate and no reduction (wrong modulo q)."""
    giant, steps, degree = table.shape[1], table.shape[2], table.shape[3]
    sum0 = np.empty(_TILE, dtype=np.uint64)
    sum1 = np.empty(_TILE, dtype=np.uint64)
    for c in range(first_chunk, last_chunk):
        for a in range(giant):
            for start in range(0, degree, _TILE):
                width = min(_TILE, degree - start)
                sum0[:] = 0
                sum1[:] = 0
                for b in range(steps):
                    if not present[c, a, b]:
                        continue
                    plain = table[c, a, b, start : start + width]
                    poly0 = baby[b, 0, start : start + width]
                    poly1 = baby[b, 1, start : start + width]
                    for j in range(width):
                        sum0[j] += poly0[j] * plain[j]
                        sum1[j] += poly1[j] * plain[j]
                for j in range(width):
                    out[c, a, 0, start + j] = sum0[j]
                    out[c, a, 1, start + j] = sum1[j]


KERNELS = ("ifma", "split26", "split28")
_KERNEL_FUNCTIONS = {
    "ifma": _ifma_inner_products,
    "split26": _split26_inner_products,
    "split28": _split28_inner_products,
}


@cache
def host_has_ifma() -> bool:
    """Whether numba compiles for a CPU with AVX-512 IFMA (the host's, unless numba is told
    to compile for another: then the portable kernels are used)."""
    numba_config: Any = config
    if numba_config.CPU_NAME not in (None, "host") or numba_config.CPU_FEATURES:
        return False
    return bool(llvm_binding.get_host_cpu_features().get("avx512ifma", False))


def choose_kernel(q: int, *, allow_ifma: bool = True) -> str:
    """The fastest kernel for modulus ``q`` on this CPU."""
    bits = q.bit_length()
    if q < 2 or bits > MAX_MODULUS_BITS:
        raise ValueError(f"the kernel needs a modulus of at most {MAX_MODULUS_BITS} bits")
    if bits <= 52 and allow_ifma and host_has_ifma():
        return "ifma"
    return "split26" if bits <= 52 else "split28"


def fused_inner_products(
    baby: U64Array,
    table: U64Array,
    present: BoolArray,
    q: int,
    first_chunk: int,
    last_chunk: int,
    out: U64Array,
    *,
    kernel: str | None = None,
) -> None:
    """``out[c, a, k] = sum_b baby[b, k] * table[c, a, b] mod q`` for chunks in
    ``[first_chunk, last_chunk)``, every giant step ``a`` and both polynomials ``k``.

    ``baby``: (g, 2, N) NTT-form rotations of the query; ``table``: (chunks, G, g, N) NTT-form
    plaintexts; ``present[c, a, b]`` false where the plaintext is zero (skipped). Every kernel
    gives the same bits (sums modulo q do not depend on how they are reduced); ``kernel``:
    one of :data:`KERNELS` (default :func:`choose_kernel`'s)."""
    name = kernel if kernel is not None else choose_kernel(q)
    if name not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {name!r}")
    if name == "ifma" and not (q.bit_length() <= 52 and host_has_ifma()):
        raise ValueError("the IFMA kernel needs a modulus below 2^52 and a CPU with AVX-512 IFMA")
    if name == "split26" and q.bit_length() > 52:
        raise ValueError("the split26 kernel needs a modulus below 2^52")
    ratio_low, ratio_high = barrett_ratio(q)
    _KERNEL_FUNCTIONS[name](
        baby, table, present, np.uint64(q), ratio_low, ratio_high, first_chunk, last_chunk, out
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
