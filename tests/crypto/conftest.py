"""Fixtures of the crypto tests: key material is generated once per session (it is slow-ish)."""

from __future__ import annotations

import pytest

from crypto import SecretKeys


@pytest.fixture(scope="session")
def keys() -> SecretKeys:
    return SecretKeys.generate()


@pytest.fixture(scope="session")
def eval_keys(keys: SecretKeys) -> bytes:
    return keys.evaluation_keys()
