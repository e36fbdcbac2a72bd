"""Coefficients of SEAL ciphertexts and plaintexts read and written in memory, as numpy arrays.

TenSEAL's ``sealapi`` gives no buffer access to a SEAL object's coefficients, only one element
per call (or a whole object through a file). A pybind11 object stores the address of its C++
value right after the Python object header, and SEAL 4's ``Ciphertext`` and ``Plaintext`` keep
their coefficients in one contiguous ``DynArray``; this module reads that address. The layout
is probed once per process against SEAL's own accessors (:func:`check_layout`), and every
access re-checks the object's shape fields, so a TenSEAL build with another layout is refused
with :class:`UnsupportedLayout` instead of reading the wrong memory.
"""

from __future__ import annotations

import ctypes
import struct
import sys
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto.errors import CryptoError

U64Array = npt.NDArray[np.uint64]

# Where pybind11 keeps the C++ value pointer: after ob_refcnt and ob_type.
_VALUE_OFFSET = sys.getsizeof(object())
# SEAL 4.x Ciphertext: parms_id[4], is_ntt_form, size, poly_modulus_degree, coeff_modulus_size,
# scale, correction_factor, then DynArray{pool (shared_ptr), capacity, size, Pointer{data}}.
_CT_SIZE, _CT_DEGREE, _CT_MODULI, _CT_COUNT, _CT_DATA = 40, 48, 56, 104, 112
# SEAL 4.x Plaintext: parms_id[4], coeff_count, scale, then the same DynArray.
_PT_COEFFS, _PT_COUNT, _PT_DATA = 32, 72, 80


class UnsupportedLayout(CryptoError):
    """This TenSEAL build lays out SEAL objects differently: in-memory access is unavailable."""


def _word(address: int) -> int:
    return int(ctypes.c_uint64.from_address(address).value)


def _words(address: int, count: int) -> tuple[int, ...]:
    """``count`` consecutive 64-bit words, read in one copy."""
    return struct.unpack(f"<{count}Q", ctypes.string_at(address, 8 * count))


def _value_address(obj: Any, kind: type) -> int:
    if type(obj) is not kind:
        raise TypeError(f"expected a SEAL {kind.__name__}, got {type(obj).__name__}")
    return _word(id(obj) + _VALUE_OFFSET)


def _view(address: int, count: int, owner: Any) -> U64Array:
    buffer = (ctypes.c_uint64 * count).from_address(address)
    buffer._owner = owner  # type: ignore[attr-defined]  # the array keeps the SEAL object alive
    return np.frombuffer(memoryview(buffer), dtype=np.uint64)


def ciphertext_address(ciphertext: Any) -> int:
    """Address of the ciphertext's contiguous ``size * moduli * degree`` coefficients (valid
    until a SEAL call resizes it), after the checks of :func:`ciphertext_array`."""
    check_layout()
    return _ciphertext_data(ciphertext)[0]


def plaintext_address(plaintext: Any) -> int:
    """Address of the plaintext's ``coeff_count`` contiguous coefficients."""
    check_layout()
    return _plaintext_data(plaintext)[0]


def ciphertext_array(ciphertext: Any) -> U64Array:
    """The ciphertext's coefficients as a ``(size, moduli, degree)`` view of SEAL's memory.

    The view aliases the object (and keeps it alive): writes go into the ciphertext. It stays
    valid until a SEAL call resizes the ciphertext (a different level or size)."""
    check_layout()
    return _ciphertext_view(ciphertext)


def _ciphertext_view(ciphertext: Any) -> U64Array:
    address, shape = _ciphertext_data(ciphertext)
    return _view(address, shape[0] * shape[1] * shape[2], ciphertext).reshape(shape)


def _ciphertext_data(ciphertext: Any) -> tuple[int, tuple[int, int, int]]:
    fields = _words(_value_address(ciphertext, seal.Ciphertext), _CT_DATA // 8 + 1)
    shape = (fields[_CT_SIZE // 8], fields[_CT_MODULI // 8], fields[_CT_DEGREE // 8])
    count = fields[_CT_COUNT // 8]
    if shape != (ciphertext.size(), ciphertext.coeff_modulus_size(), shape[2]) or (
        count != shape[0] * shape[1] * shape[2] or count == 0
    ):
        raise UnsupportedLayout("a SEAL ciphertext's shape fields are not where they were")
    return fields[_CT_DATA // 8], shape


def plaintext_array(plaintext: Any) -> U64Array:
    """The plaintext's coefficients (``coeff_count`` words) as a view of SEAL's memory."""
    check_layout()
    return _plaintext_view(plaintext)


def _plaintext_view(plaintext: Any) -> U64Array:
    address, count = _plaintext_data(plaintext)
    return _view(address, count, plaintext)


def _plaintext_data(plaintext: Any) -> tuple[int, int]:
    fields = _words(_value_address(plaintext, seal.Plaintext), _PT_DATA // 8 + 1)
    count = fields[_PT_COUNT // 8]
    if fields[_PT_COEFFS // 8] != count or count == 0:
        raise UnsupportedLayout("a SEAL plaintext's shape fields are not where they were")
    return fields[_PT_DATA // 8], count


@cache
def check_layout() -> None:
    """Probe the layout once against SEAL's element accessors; raise UnsupportedLayout."""
    parms = seal.EncryptionParameters(seal.SCHEME_TYPE.CKKS)
    parms.set_poly_modulus_degree(1024)
    parms.set_coeff_modulus(seal.CoeffModulus.Create(1024, [30, 30]))
    context = seal.SEALContext(parms, True, seal.SEC_LEVEL_TYPE.NONE)
    secret = seal.KeyGenerator(context).secret_key()
    plain = seal.Plaintext()
    seal.CKKSEncoder(context).encode([0.25, -0.5, 1.0], 2.0**20, plain)
    cipher = seal.Ciphertext()
    seal.Encryptor(context, secret).encrypt_symmetric(plain, cipher)
    try:
        cipher_view, plain_view = _ciphertext_view(cipher), _plaintext_view(plain)
    except (UnsupportedLayout, ValueError) as error:
        raise UnsupportedLayout(f"SEAL objects are not laid out as expected: {error}") from None
    flat = cipher_view.reshape(-1)
    cipher_probes = np.unique(np.linspace(0, flat.shape[0] - 1, 17).astype(int))
    plain_probes = np.unique(np.linspace(0, plain_view.shape[0] - 1, 17).astype(int))
    if any(int(flat[i]) != cipher[int(i)] for i in cipher_probes) or any(
        int(plain_view[i]) != plain[int(i)] for i in plain_probes
    ):
        raise UnsupportedLayout("SEAL objects' coefficients are not where they were expected")
