"""Client key material (kept on the device) and the public evaluation keys the server receives."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import numpy as np
import numpy.typing as npt
import tenseal.sealapi as seal

from crypto._files import read_private_file, write_private_file
from crypto._seal import SealRuntime, load_enveloped, runtime, save_blob
from crypto._seal_memory import ciphertext_array, plaintext_array
from crypto.errors import InvalidCiphertext
from crypto.profiles import DEFAULT_PROFILE, CkksProfile
from crypto.wire import Envelope, Kind, max_envelope_bytes


class SecretKeys:
    """The user's CKKS secret key. It is written only by :meth:`save_secret_key`."""

    def __init__(self, rt: SealRuntime, secret_key: Any) -> None:
        self._rt = rt
        self._secret_key = secret_key
        self._encryptor: Any = None
        self._decryptor: Any = None
        self._secret_coefficients: npt.NDArray[np.int8] | None = None

    def __repr__(self) -> str:
        return f"SecretKeys(profile={self.profile.name!r})"

    def __reduce__(self) -> Any:
        raise TypeError("secret keys are never pickled; save them with save_secret_key()")

    @classmethod
    def generate(cls, profile: str = DEFAULT_PROFILE) -> SecretKeys:
        rt = runtime(profile)
        return cls(rt, seal.KeyGenerator(rt.context).secret_key())

    @property
    def profile(self) -> CkksProfile:
        return self._rt.profile

    @property
    def runtime(self) -> SealRuntime:
        return self._rt

    @property
    def encryptor(self) -> Any:
        if self._encryptor is None:
            self._encryptor = seal.Encryptor(self._rt.context, self._secret_key)
        return self._encryptor

    @property
    def decryptor(self) -> Any:
        if self._decryptor is None:
            self._decryptor = seal.Decryptor(self._rt.context, self._secret_key)
        return self._decryptor

    @property
    def secret_coefficients(self) -> npt.NDArray[np.int8]:
        """The secret key s as its N ternary coefficients (SEAL keeps it in NTT form): what
        the client multiplies a response's c1 by (crypto/client.py). Never leaves the device."""
        if self._secret_coefficients is None:
            rt, degree = self._rt, self.profile.poly_modulus_degree
            holder, flat = seal.Ciphertext(), seal.Ciphertext()
            self.encryptor.encrypt_zero_symmetric(rt.context.first_parms_id(), holder)
            ntt = plaintext_array(self._secret_key.data())[:degree]  # at the data prime
            ciphertext_array(holder).reshape(2, degree)[:] = ntt
            rt.evaluator.transform_from_ntt(holder, flat)
            residues = ciphertext_array(flat).reshape(2, degree)[0].astype(np.int64)
            q = rt.data_modulus
            coefficients = np.where(residues > q // 2, residues - q, residues)
            if np.abs(coefficients).max() > 1:  # pragma: no cover - SEAL's keys are ternary
                raise RuntimeError("the secret key is not ternary")
            self._secret_coefficients = coefficients.astype(np.int8)
        return self._secret_coefficients

    def evaluation_keys(self) -> bytes:
        """Public Galois keys for exactly the rotations the packing uses; no secret material."""
        generator = seal.KeyGenerator(self._rt.context, self._secret_key)
        seeded = generator.create_galois_keys(self._rt.galois_elements)
        blob = save_blob(seeded)
        return Envelope(Kind.EVALUATION_KEYS, self.profile, (), (blob,)).to_bytes()

    def save_secret_key(self, path: str | os.PathLike[str]) -> None:
        """Write the secret key to ``path`` with owner-only permissions, atomically."""
        blob = save_blob(self._secret_key)
        write_private_file(path, Envelope(Kind.SECRET_KEY, self.profile, (), (blob,)).to_bytes())

    @classmethod
    def load_secret_key(cls, path: str | os.PathLike[str]) -> SecretKeys:
        """Read a key file written by :meth:`save_secret_key`, refusing one others can read."""
        bound = max_envelope_bytes(Kind.SECRET_KEY)
        try:
            data = read_private_file(path, max_bytes=bound, what="secret key")
        except ValueError as error:
            raise InvalidCiphertext(str(error)) from None
        secret_key = seal.SecretKey()
        _, rt = load_enveloped(secret_key, data, Kind.SECRET_KEY, profile=None, what="secret key")
        return cls(rt, secret_key)


class EvaluationKeys:
    """A user's public Galois keys, loaded and checked on the server side."""

    def __init__(self, rt: SealRuntime, galois_keys: Any, wire: bytes) -> None:
        self.runtime = rt
        self.galois_keys = galois_keys
        self.wire = wire  # kept to forward to worker processes, which load their own copy
        self.digest = hashlib.sha256(wire).hexdigest()

    @property
    def profile(self) -> CkksProfile:
        return self.runtime.profile

    @classmethod
    def from_bytes(cls, data: bytes, *, profile: CkksProfile | None = None) -> EvaluationKeys:
        galois_keys = seal.GaloisKeys()
        _, rt = load_enveloped(
            galois_keys, data, Kind.EVALUATION_KEYS, profile=profile, what="evaluation keys"
        )
        if galois_keys.parms_id() != rt.context.key_parms_id():
            raise InvalidCiphertext("evaluation keys: not at the key level of the profile")
        missing = [elt for elt in rt.galois_elements if not galois_keys.has_key(elt)]
        if missing or galois_keys.size() != len(rt.galois_elements):
            raise InvalidCiphertext("evaluation keys: not the rotation set the profile needs")
        return cls(rt, galois_keys, bytes(data))
