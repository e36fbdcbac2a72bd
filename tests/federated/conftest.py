"""Fixtures of the federated tests: deterministic randomness and honest rounds to drive."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import pytest

from crypto.identity import IdentityKey
from federated.messages import RoundConfig


def counter_bytes(label: bytes) -> Callable[[int], bytes]:
    """A deterministic stand-in for os.urandom: SHA-256 in counter mode over `label`."""
    state = {"counter": 0}

    def random_bytes(count: int) -> bytes:
        out = b""
        while len(out) < count:
            out += hashlib.sha256(label + state["counter"].to_bytes(8, "big")).digest()
            state["counter"] += 1
        return out[:count]

    return random_bytes


def identity(n: int) -> IdentityKey:
    """Device n's fixed account identity (Ed25519)."""
    return IdentityKey.from_private_bytes(hashlib.sha256(b"identity%d" % n).digest())


def seats(clients: Iterable[int]) -> dict[int, str]:
    """The roster's identities: client n's seat is identity(n)'s."""
    return {c: identity(c).public_key_hex for c in clients}


def make_config(
    *,
    dimension: int = 64,
    threshold: int = 4,
    degree: int = 5,
    min_survivors: int = 4,
    max_clients: int = 20,
    bound: float = 2.0,
) -> RoundConfig:
    return RoundConfig(
        bytes(range(16)),
        dimension,
        threshold,
        degree,
        min_survivors,
        max_clients,
        bound,
        hashlib.sha256(b"graph").digest(),
    )


@pytest.fixture
def config() -> RoundConfig:
    return make_config()
