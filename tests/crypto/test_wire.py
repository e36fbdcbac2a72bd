"""Every load of untrusted bytes either succeeds or raises InvalidCiphertext: fuzzed here."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto import (
    EncryptedQuery,
    EvaluationKeys,
    InvalidCiphertext,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encrypt_query,
    get_profile,
)
from crypto.wire import (
    FORMAT_VERSION,
    MAGIC,
    Envelope,
    Kind,
    WireVersionMismatch,
    max_envelope_bytes,
    parse_envelope,
)

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TABLE = np.random.default_rng(1).standard_normal((5000, 8)).astype(np.float32)


@pytest.fixture(scope="module")
def scorer() -> Iterator[TableScorer]:
    with TableScorer(TABLE) as table_scorer:
        yield table_scorer


@pytest.fixture(scope="module")
def samples(keys: SecretKeys, eval_keys: bytes, scorer: TableScorer) -> dict[str, bytes]:
    query = encrypt_query(keys, np.arange(8.0))
    return {
        "query": query.wire,
        "eval_keys": eval_keys,
        "response": scorer.score(query.wire, eval_keys),
    }


def loaders(keys: SecretKeys, eval_keys: bytes) -> dict[str, Callable[[bytes], object]]:
    query = encrypt_query(keys, np.arange(8.0))
    return {
        "query": lambda data: EncryptedQuery.from_bytes(data),
        "eval_keys": lambda data: EvaluationKeys.from_bytes(data),
        "response": lambda data: decrypt_scores(keys, data, query),
    }


def assert_valid_or_refused(load: Callable[[bytes], object], data: bytes) -> None:
    try:
        load(data)
    except InvalidCiphertext as error:
        assert str(error)  # a message that says what failed


@pytest.mark.parametrize("kind", ["query", "eval_keys", "response"])
@FUZZ
@given(data=st.data())
def test_truncated_and_bit_flipped_inputs(
    keys: SecretKeys, eval_keys: bytes, samples: dict[str, bytes], kind: str, data: st.DataObject
) -> None:
    sample = samples[kind]
    load = loaders(keys, eval_keys)[kind]
    cut = data.draw(st.integers(0, len(sample) - 1))
    with pytest.raises(InvalidCiphertext):
        load(sample[:cut])
    flipped = bytearray(sample)
    for position in data.draw(st.lists(st.integers(0, len(sample) - 1), min_size=1, max_size=8)):
        flipped[position] ^= 1 << data.draw(st.integers(0, 7))
    assert_valid_or_refused(load, bytes(flipped))


@pytest.mark.parametrize("kind", ["query", "eval_keys", "response"])
@FUZZ
@given(junk=st.binary(max_size=4096))
def test_random_bytes_are_refused(
    keys: SecretKeys, eval_keys: bytes, kind: str, junk: bytes
) -> None:
    load = loaders(keys, eval_keys)[kind]
    with pytest.raises(InvalidCiphertext):
        load(junk)
    with pytest.raises(InvalidCiphertext):
        load(MAGIC + junk)


@FUZZ
@given(
    items=st.integers(0, 2**32 - 1),
    dim=st.integers(0, 2**16 - 1),
    scale=st.floats(allow_nan=True, allow_infinity=True),
)
def test_response_header_fields_are_range_checked(
    keys: SecretKeys,
    eval_keys: bytes,
    samples: dict[str, bytes],
    items: int,
    dim: int,
    scale: float,
) -> None:
    envelope = parse_envelope(samples["response"], Kind.RESPONSE)
    forged = Envelope(Kind.RESPONSE, envelope.profile, (items, dim, scale), envelope.blobs)
    assert_valid_or_refused(loaders(keys, eval_keys)["response"], forged.to_bytes())


def test_wrong_kind_and_wrong_profile(
    keys: SecretKeys, eval_keys: bytes, samples: dict[str, bytes]
) -> None:
    with pytest.raises(InvalidCiphertext, match="size bound"):
        EncryptedQuery.from_bytes(eval_keys)  # far larger than any query
    with pytest.raises(InvalidCiphertext, match="holds kind query"):
        EvaluationKeys.from_bytes(samples["query"])
    with pytest.raises(InvalidCiphertext, match="expected"):
        EncryptedQuery.from_bytes(samples["query"], profile=get_profile("ckks8192-s256-v1"))
    # A genuine 8192 ciphertext relabelled as a 4096 query fails SEAL's parameter check.
    other = SecretKeys.generate("ckks8192-s256-v1")
    blob = parse_envelope(encrypt_query(other, np.ones(8)).wire, Kind.QUERY).blobs[0]
    relabelled = Envelope(Kind.QUERY, keys.profile, (8,), (blob,)).to_bytes()
    with pytest.raises(InvalidCiphertext):
        EncryptedQuery.from_bytes(relabelled)


def test_oversized_inputs_are_refused_before_parsing(
    keys: SecretKeys, eval_keys: bytes, scorer: TableScorer
) -> None:
    for kind, load in loaders(keys, eval_keys).items():
        bound = max_envelope_bytes(
            {"query": Kind.QUERY, "eval_keys": Kind.EVALUATION_KEYS, "response": Kind.RESPONSE}[
                kind
            ]
        )
        with pytest.raises(InvalidCiphertext, match="size bound"):
            load(MAGIC + bytes([FORMAT_VERSION]) + b"\0" * bound)
    with pytest.raises(InvalidCiphertext, match="size bound"):
        scorer.score(
            MAGIC + bytes([FORMAT_VERSION]) + b"\0" * max_envelope_bytes(Kind.QUERY), eval_keys
        )


@pytest.mark.parametrize("version", [1, FORMAT_VERSION + 1])
def test_another_wire_version_is_refused_naming_both_versions(
    keys: SecretKeys, eval_keys: bytes, samples: dict[str, bytes], version: int
) -> None:
    for kind, load in loaders(keys, eval_keys).items():
        other = bytearray(samples[kind])
        other[len(MAGIC)] = version
        # Version 1's evaluation keys were larger than version 2's bound: the version is
        # still what the message names, not the size.
        for data in (bytes(other), bytes(other) + b"\0" * 600_000):
            with pytest.raises(WireVersionMismatch) as refused:
                load(data)
            message = str(refused.value)
            assert f"version {version}, but this side speaks version {FORMAT_VERSION}" in message
            assert ("upgrade the sender" if version == 1 else "upgrade this side") in message


@pytest.mark.parametrize("kind", [Kind.QUERY, Kind.EVALUATION_KEYS])
def test_compressed_or_foreign_seal_blobs_are_refused(
    keys: SecretKeys, samples: dict[str, bytes], kind: Kind
) -> None:
    sample = samples["query" if kind is Kind.QUERY else "eval_keys"]
    envelope = parse_envelope(sample, kind)
    blob = envelope.blobs[0]
    # The query's SEAL part is the seed of c1 after the packed c0; the keys are SEAL's whole.
    at = keys.profile.query_bytes if kind is Kind.QUERY else 0
    magic, header_size, major, minor, _, reserved, size = struct.unpack_from("<HBBBBHQ", blob, at)
    for header in (
        struct.pack("<HBBBBHQ", magic, header_size, major, minor, 2, reserved, size),  # zstd
        struct.pack("<HBBBBHQ", magic, header_size, major + 1, minor, 0, reserved, size),
        struct.pack("<HBBBBHQ", magic, header_size, major, minor, 0, reserved, size + 1),
    ):
        forged_blob = blob[:at] + header + blob[at + 16 :]
        forged = Envelope(kind, keys.profile, envelope.fields, (forged_blob,)).to_bytes()
        with pytest.raises(InvalidCiphertext):
            loaders(keys, samples["eval_keys"])["query" if kind is Kind.QUERY else "eval_keys"](
                forged
            )


def test_non_bytes_input_is_refused() -> None:
    with pytest.raises(InvalidCiphertext, match="expected bytes"):
        parse_envelope("text", Kind.QUERY)  # type: ignore[arg-type]
