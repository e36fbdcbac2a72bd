"""The SEAL runtime of a profile, and byte-level save/load of SEAL objects with bounds checks.

TenSEAL's ``sealapi`` saves and loads only through file paths, so blobs go through a private
temporary directory (in memory where /dev/shm exists). SEAL compresses with zstd when it saves;
blobs are stored uncompressed on the wire, so loading untrusted input never inflates anything.
"""

from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal
import zstandard

from crypto.errors import InvalidCiphertext, ParameterError
from crypto.profiles import CkksProfile, get_profile
from crypto.wire import Envelope, Kind, blob_bound, parse_envelope

SCRATCH_PREFIX = "privrec-seal-"  # SEAL reads and writes files: these, in /dev/shm

_SEAL_MAGIC = 0xA15E
_SEAL_HEADER = struct.Struct("<HBBBBHQ")  # magic, header size, major, minor, compression, 0, size
_COMPR_NONE = 0
_COMPR_ZSTD = 2


class SealObject(Protocol):
    def save(self, path: str) -> None: ...

    def load(self, context: Any, path: str) -> None: ...


@dataclass(frozen=True)
class SealRuntime:
    """SEAL context, encoder and evaluator of one profile (one per process and profile)."""

    profile: CkksProfile
    context: Any
    encoder: Any
    evaluator: Any

    @property
    def data_parms_id(self) -> list[int]:
        return list(self.context.first_parms_id())

    @property
    def data_modulus(self) -> int:
        """The data prime q: every query, table and response coefficient lies in [0, q)."""
        return int(self.context.first_context_data().parms().coeff_modulus()[0].value())

    @property
    def response_scale(self) -> float:
        return 2.0 ** (self.profile.query_scale_bits + self.profile.table_scale_bits)

    @property
    def galois_elements(self) -> list[int]:
        two_n = 2 * self.profile.poly_modulus_degree
        return [pow(3, step, two_n) for step in self.profile.rotation_steps]


_SECURITY_LEVELS = {128: seal.SEC_LEVEL_TYPE.TC128, 192: seal.SEC_LEVEL_TYPE.TC192}
_SECURITY_LEVELS[256] = seal.SEC_LEVEL_TYPE.TC256


@cache
def runtime(profile_name: str) -> SealRuntime:
    profile = get_profile(profile_name)
    parms = seal.EncryptionParameters(seal.SCHEME_TYPE.CKKS)
    parms.set_poly_modulus_degree(profile.poly_modulus_degree)
    parms.set_coeff_modulus(
        seal.CoeffModulus.Create(
            profile.poly_modulus_degree, [profile.data_prime_bits, profile.special_prime_bits]
        )
    )
    # SEAL refuses parameters above the HE standard's modulus bound for the security level.
    context = seal.SEALContext(parms, True, _SECURITY_LEVELS[profile.security_bits])
    if not context.parameters_set():
        raise ParameterError(
            f"profile {profile.name}: SEAL rejected the parameters "
            f"({context.parameters_error_message()})"
        )
    return SealRuntime(
        profile=profile,
        context=context,
        encoder=seal.CKKSEncoder(context),
        evaluator=seal.Evaluator(context),
    )


def _scratch_path() -> Path:
    """A new private (0600) file for one SEAL path-based save or load; the caller unlinks it.

    A file per call rather than a directory per process: a worker process ends without
    running atexit handlers, and every scoring worker used to leave its directory behind.
    """
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    handle, name = tempfile.mkstemp(prefix=SCRATCH_PREFIX, suffix=".bin", dir=base)
    os.close(handle)
    return Path(name)


def save_blob(obj: SealObject) -> bytes:
    """Serialise a SEAL object (or a seeded ``Serializable``) to uncompressed SEAL bytes."""
    path = _scratch_path()
    try:
        obj.save(str(path))
        data = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    magic, header_size, major, minor, compression, _, size = _SEAL_HEADER.unpack_from(data)
    if compression == _COMPR_NONE:
        return data
    if compression != _COMPR_ZSTD:  # pragma: no cover - depends on how SEAL was built
        raise RuntimeError(f"SEAL saved with unexpected compression mode {compression}")
    # Our own, trusted output: inflating it is safe; untrusted input is never inflated.
    body = zstandard.ZstdDecompressor().decompressobj().decompress(data[header_size:size])
    header = _SEAL_HEADER.pack(magic, header_size, major, minor, _COMPR_NONE, 0, 16 + len(body))
    return header + body


def load_blob(obj: SealObject, blob: bytes, *, rt: SealRuntime, max_bytes: int, what: str) -> None:
    """Load untrusted SEAL bytes into ``obj``: bounds, then header, then SEAL's validity checks."""
    if len(blob) > max_bytes:
        raise InvalidCiphertext(f"{what}: {len(blob)} bytes exceeds the bound of {max_bytes}")
    if len(blob) < _SEAL_HEADER.size:
        raise InvalidCiphertext(f"{what}: truncated SEAL header")
    magic, header_size, major, _, compression, reserved, size = _SEAL_HEADER.unpack_from(blob)
    if magic != _SEAL_MAGIC or header_size != _SEAL_HEADER.size or reserved != 0:
        raise InvalidCiphertext(f"{what}: not a SEAL object")
    if major != _seal_version_major():
        raise InvalidCiphertext(f"{what}: SEAL serialisation version {major} is not supported")
    if compression != _COMPR_NONE:
        raise InvalidCiphertext(f"{what}: compressed SEAL objects are not accepted")
    if size != len(blob):
        raise InvalidCiphertext(f"{what}: SEAL header size {size} != {len(blob)} bytes received")
    path = _scratch_path()
    try:
        path.write_bytes(blob)
        obj.load(rt.context, str(path))
    except Exception as exc:  # SEAL raises several kinds; attackers learn only "invalid".
        raise InvalidCiphertext(f"{what}: rejected by SEAL's validity checks") from exc
    finally:
        path.unlink(missing_ok=True)


def load_enveloped(
    obj: SealObject, data: bytes, kind: Kind, *, profile: CkksProfile | None, what: str
) -> tuple[Envelope, SealRuntime]:
    """Parse an envelope holding one SEAL object of ``kind`` and load it into ``obj``."""
    envelope = parse_envelope(data, kind, profile=profile)
    rt = runtime(envelope.profile.name)
    bound = blob_bound(kind, envelope.profile)
    load_blob(obj, envelope.blobs[0], rt=rt, max_bytes=bound, what=what)
    return envelope, rt


@dataclass(frozen=True)
class QueryLayout:
    """Where SEAL's serialisation of a seeded query puts its parts: a fixed ``prefix`` (header,
    level, size 2, NTT form, query scale, array length), then c0's ``N`` little-endian
    coefficients, then ``seed_bytes`` bytes that stand for c1 (a SEAL header, the PRNG type
    and its seed)."""

    prefix: bytes
    seed_bytes: int


@cache
def query_layout(profile_name: str) -> QueryLayout:
    """Taken once from SEAL's own serialisation of a query under a throwaway key, and checked
    against the ciphertext SEAL loads from it."""
    rt = runtime(profile_name)
    degree = rt.profile.poly_modulus_degree
    throwaway = seal.KeyGenerator(rt.context).secret_key()
    plain = seal.Plaintext()
    rt.encoder.encode(0.5, rt.data_parms_id, 2.0**rt.profile.query_scale_bits, plain)
    blob = save_blob(seal.Encryptor(rt.context, throwaway).encrypt_symmetric(plain))
    loaded = seal.Ciphertext()
    load_blob(loaded, blob, rt=rt, max_bytes=len(blob), what="query")
    c0 = struct.pack(f"<{degree}Q", *(loaded[i] for i in range(degree)))
    start = blob.find(c0)
    prefix = blob[:start]
    if start < 0 or not prefix.endswith(struct.pack("<Q", degree)):  # pragma: no cover
        raise RuntimeError("SEAL's seeded ciphertext serialisation is not laid out as expected")
    return QueryLayout(prefix=prefix, seed_bytes=len(blob) - start - len(c0))


def ciphertext_coefficients(ciphertext: Any) -> npt.NDArray[np.uint64]:
    """A size-2 ciphertext's ``(2, N)`` coefficients at the data prime, read from SEAL's
    serialisation (which ends with them) where its memory cannot be read."""
    degree = ciphertext.poly_modulus_degree()
    if ciphertext.size() != 2 or ciphertext.coeff_modulus_size() != 1:
        raise ValueError("expected a size-2 ciphertext at the data prime")
    blob = save_blob(ciphertext)
    return np.frombuffer(blob, dtype="<u8", offset=len(blob) - 16 * degree).reshape(2, degree)


@lru_cache(maxsize=1)
def _seal_version_major() -> int:
    probe = seal.Plaintext()
    path = _scratch_path()
    try:
        probe.save(str(path))
        header = path.read_bytes()[: _SEAL_HEADER.size]
    finally:
        path.unlink(missing_ok=True)
    return int(_SEAL_HEADER.unpack(header)[2])
