"""The Ed25519 identity: owner-only key files, signed requests, and a pinned test vector."""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto._files import InsecureKeyFile
from crypto.errors import CryptoError
from crypto.identity import (
    ACCOUNT_HEADER,
    MARKET_HEADER,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    SIGNED_HEADERS,
    TIMESTAMP_HEADER,
    IdentityKey,
    InvalidIdentity,
    InvalidSignature,
    SignedRequest,
    canonical_request,
    sign_request,
    verify_request,
    verify_signature,
)
from tests.crypto.test_ed25519 import NOT_A_POINT, SMALL_ORDER_KEYS, UNUSABLE_KEYS

NOW = 1_700_000_000
NONCE = "00112233445566778899aabbccddeeff"
METHOD, PATH, BODY = "POST", "/v1/ratings?x=1", b'{"item": 7, "rating": 5}'

# Fixed vector (signature version 2): the user's seed is 00 01 .. 1f, the market's 20 21 .. 3f.
# If one of these constants must change, the wire format has changed: bump REQUEST_DOMAIN's
# version instead of editing them.
VECTOR_SEED = bytes(range(32))
VECTOR_ACCOUNT = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
VECTOR_MARKET_SEED = bytes(range(32, 64))
VECTOR_MARKET = "29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7"
VECTOR_CANONICAL = (
    b"privrec-request-v2\n"
    b"29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7\n"
    b"POST\n"
    b"/v1/ratings?x=1\n"
    b"1700000000\n"
    b"00112233445566778899aabbccddeeff\n"
    b"5b5a9a1652587d3db1f8102805f2d6f5f9aa1a887864c66b686d1f6ad1e56b4d"
)
VECTOR_SIGNATURE = (
    "d0a592753f3f28d7764b4dca47dee0bb22c1a884664088b4c4ce70a2ec6a4520"
    "76a0656f1f3076439173d3b751c2fe978ab8495601f5d302b1bc4d08068d940c"
)
# The version-1 vector (no market): what an old client sends, refused now.
V1_SIGNATURE = (
    "308dca8d94974aff88d032626fc499501b748a19337264b967395c5ae45afefb"
    "86f6ef2464062bb6b20edfbe24cc17632b17b7b54cc328845ad3033abb771701"
)
MARKET = VECTOR_MARKET
OTHER_MARKET = IdentityKey.from_private_bytes(bytes(range(64, 96))).public_key_hex


@pytest.fixture(scope="module")
def key() -> IdentityKey:
    return IdentityKey.generate()


def signed(key: IdentityKey, market: str = MARKET) -> dict[str, str]:
    return sign_request(key, METHOD, PATH, BODY, market=market, timestamp=NOW, nonce=NONCE)


# --- keys on disk -----------------------------------------------------------------------------


def test_key_round_trips_with_owner_only_permissions(key: IdentityKey, tmp_path: Path) -> None:
    path = tmp_path / "keys" / "identity.key"
    key.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["identity.key"]
    text = path.read_text("ascii")
    assert text.startswith("privrec-identity-v1\n")
    assert text.endswith(f"ed25519-public-key: {key.public_key_hex}\n")
    loaded = IdentityKey.load(path)
    assert loaded.public_key_hex == key.public_key_hex
    # Same private key: Ed25519 is deterministic, so the signatures are identical.
    assert loaded.sign(b"m") == key.sign(b"m")


def test_group_readable_key_file_is_refused(key: IdentityKey, tmp_path: Path) -> None:
    path = tmp_path / "identity.key"
    key.save(path)
    path.chmod(0o640)
    with pytest.raises(InsecureKeyFile, match="chmod 600"):
        IdentityKey.load(path)


def test_missing_key_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        IdentityKey.load(tmp_path / "absent.key")


def _valid_file(key: IdentityKey, tmp_path: Path) -> bytes:
    path = tmp_path / "valid.key"
    key.save(path)
    return path.read_bytes()


CORRUPTIONS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "empty": (lambda data: b"", "wrong magic"),
    "wrong magic": (lambda data: b"ssh-ed25519" + data[11:], "wrong magic"),
    "other version": (lambda data: data.replace(b"-v1\n", b"-v2\n", 1), "unsupported format"),
    "binary junk": (lambda data: b"privrec-identity-v\xff" + data[19:], "not ASCII"),
    "truncated": (lambda data: data[:-10], "truncated or corrupt"),
    "no final newline": (lambda data: data[:-1] + b" ", "truncated or corrupt"),
    "too large": (lambda data: data + b"\n" * 4096, "too large"),
    "one byte more": (lambda data: data + b"\n", "too large"),
    "swapped lines": (
        lambda data: b"\n".join([data.split(b"\n")[0], *data.split(b"\n")[2:0:-1], b""]),
        "malformed key lines",
    ),
    "uppercase hex": (
        lambda data: data[:41] + data[41:105].upper() + data[105:],
        "lowercase hex",
    ),
    "flipped key bit": (
        lambda data: data[:41] + (b"1" if data[41:42] == b"0" else b"0") + data[42:],
        "does not match",
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_corrupt_key_files_are_refused(key: IdentityKey, tmp_path: Path, corruption: str) -> None:
    mutate, message = CORRUPTIONS[corruption]
    data = _valid_file(key, tmp_path)
    assert data[20:41] == b"ed25519-private-key: "  # the offsets the corruptions rely on
    path = tmp_path / "corrupt.key"
    path.write_bytes(mutate(data))
    path.chmod(0o600)
    with pytest.raises(InvalidIdentity, match=message):
        IdentityKey.load(path)


def test_invalid_identity_is_a_crypto_error() -> None:
    assert issubclass(InvalidIdentity, CryptoError)
    assert issubclass(InvalidSignature, CryptoError)


def test_key_is_never_pickled_and_repr_shows_only_the_public_key(key: IdentityKey) -> None:
    assert repr(key) == f"IdentityKey(public_key_hex={key.public_key_hex!r})"
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.deepcopy(key)


def test_from_private_bytes_requires_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        IdentityKey.from_private_bytes(b"\x00" * 31)


def test_rfc8032_test_vector_1() -> None:
    # Anchors sign() and public_key_hex to the standard, not only to this implementation.
    key = IdentityKey.from_private_bytes(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    )
    assert key.public_key_hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert key.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
        "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


# --- signed requests --------------------------------------------------------------------------


def test_fixed_vector_never_drifts() -> None:
    key = IdentityKey.from_private_bytes(VECTOR_SEED)
    assert key.public_key_hex == VECTOR_ACCOUNT
    assert IdentityKey.from_private_bytes(VECTOR_MARKET_SEED).public_key_hex == VECTOR_MARKET
    assert hashlib.sha256(BODY).hexdigest().encode() == VECTOR_CANONICAL.rsplit(b"\n", 1)[1]
    assert canonical_request("post", PATH, NOW, NONCE, BODY, market=MARKET) == VECTOR_CANONICAL
    headers = sign_request(key, "post", PATH, BODY, market=MARKET, timestamp=NOW, nonce=NONCE)
    assert headers == {
        "X-Privrec-Account": VECTOR_ACCOUNT,
        "X-Privrec-Market": VECTOR_MARKET,
        "X-Privrec-Timestamp": "1700000000",
        "X-Privrec-Nonce": NONCE,
        "X-Privrec-Signature": VECTOR_SIGNATURE,
    }
    assert verify_signature(VECTOR_ACCOUNT, VECTOR_CANONICAL, VECTOR_SIGNATURE)
    assert verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW) == SignedRequest(
        VECTOR_ACCOUNT, NOW, NONCE
    )


def test_a_request_signed_for_another_market_is_refused(key: IdentityKey) -> None:
    headers = signed(key, OTHER_MARKET)
    verify_request(headers, METHOD, PATH, BODY, market=OTHER_MARKET, now=NOW)
    with pytest.raises(InvalidSignature, match="signed for another market"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)
    # Relabelling the market header does not help: the market is inside the signed form.
    headers[MARKET_HEADER] = MARKET
    with pytest.raises(InvalidSignature, match="bad signature"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


def test_an_old_form_signature_is_refused_with_a_clear_message() -> None:
    old = {
        ACCOUNT_HEADER: VECTOR_ACCOUNT,
        TIMESTAMP_HEADER: str(NOW),
        NONCE_HEADER: NONCE,
        SIGNATURE_HEADER: V1_SIGNATURE,
    }
    with pytest.raises(InvalidSignature, match=r"old form.*signature version 2"):
        verify_request(old, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize("market", ["", "AB" * 32, "ab" * 31, None])
def test_the_market_must_be_a_public_key_hex(key: IdentityKey, market: object) -> None:
    with pytest.raises(ValueError, match="market"):
        sign_request(key, METHOD, PATH, BODY, market=market, timestamp=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="market"):
        verify_request(signed(key), METHOD, PATH, BODY, market=market, now=NOW)  # type: ignore[arg-type]


def test_sign_verify_round_trip(key: IdentityKey) -> None:
    headers = signed(key)
    assert list(headers) == list(SIGNED_HEADERS)
    result = verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)
    assert result == SignedRequest(account=key.public_key_hex, timestamp=NOW, nonce=NONCE)


def test_nonce_is_random_by_default(key: IdentityKey) -> None:
    first = sign_request(key, "GET", "/v1/me", b"", market=MARKET, timestamp=NOW)
    second = sign_request(key, "GET", "/v1/me", b"", market=MARKET, timestamp=NOW)
    assert first[NONCE_HEADER] != second[NONCE_HEADER]
    assert len(first[NONCE_HEADER]) == 32
    for headers in (first, second):
        verify_request(headers, "get", "/v1/me", b"", market=MARKET, now=NOW)


def test_header_names_are_case_insensitive(key: IdentityKey) -> None:
    headers = signed(key)
    for transform in (str.lower, str.upper, str.swapcase):
        renamed = {transform(name): value for name, value in headers.items()}
        verify_request(renamed, METHOD, PATH, BODY, market=MARKET, now=NOW)


def test_duplicate_header_in_two_cases_is_refused(key: IdentityKey) -> None:
    headers: dict[str, str] = {**signed(key), "x-privrec-nonce": "ff" * 16}
    with pytest.raises(InvalidSignature, match="more than once"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


def test_other_headers_are_ignored(key: IdentityKey) -> None:
    headers = {**signed(key), "Content-Type": "application/json", "X-Privrec-Other": "x"}
    verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize("missing", SIGNED_HEADERS)
def test_missing_header_is_refused(key: IdentityKey, missing: str) -> None:
    headers = signed(key)
    del headers[missing]
    expected = "old form" if missing == MARKET_HEADER else f"missing header {missing}"
    with pytest.raises(InvalidSignature, match=expected):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", PATH, BODY),
        ("POST", "/v1/ratings", BODY),  # query string dropped
        ("POST", "/v1/ratings?x=2", BODY),
        ("POST", "/v1/ratings?x=1&y=2", BODY),
        ("POST", "/v1/Ratings?x=1", BODY),
        ("POST", PATH, BODY + b" "),
        ("POST", PATH, b""),
    ],
)
def test_tampered_request_fails(key: IdentityKey, method: str, path: str, body: bytes) -> None:
    with pytest.raises(InvalidSignature, match="bad signature"):
        verify_request(signed(key), method, path, body, market=MARKET, now=NOW)


def _flip_last_hex(value: str) -> str:
    return value[:-1] + ("0" if value[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("header", "tamper"),
    [
        (TIMESTAMP_HEADER, lambda value: str(int(value) + 1)),
        (NONCE_HEADER, _flip_last_hex),
        (SIGNATURE_HEADER, _flip_last_hex),
        (SIGNATURE_HEADER, lambda value: value[64:] + value[:64]),
    ],
)
def test_tampered_header_fails(key: IdentityKey, header: str, tamper: Callable[[str], str]) -> None:
    headers = signed(key)
    headers[header] = tamper(headers[header])
    with pytest.raises(InvalidSignature, match="bad signature"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


def test_other_account_fails(key: IdentityKey) -> None:
    headers = signed(key)
    headers[ACCOUNT_HEADER] = IdentityKey.generate().public_key_hex
    with pytest.raises(InvalidSignature, match="bad signature"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        (ACCOUNT_HEADER, "ab" * 31, "64 lowercase hex"),
        (ACCOUNT_HEADER, "AB" * 32, "64 lowercase hex"),
        (ACCOUNT_HEADER, "zz" * 32, "64 lowercase hex"),
        (ACCOUNT_HEADER, "ab" * 32 + "\n", "64 lowercase hex"),
        (MARKET_HEADER, MARKET.upper(), "64 lowercase hex"),
        (MARKET_HEADER, MARKET + "\n", "64 lowercase hex"),
        (MARKET_HEADER, "", "64 lowercase hex"),
        (NONCE_HEADER, "ab" * 15, "32 lowercase hex"),
        (NONCE_HEADER, "ab" * 17, "32 lowercase hex"),
        (NONCE_HEADER, NONCE.upper(), "32 lowercase hex"),
        (SIGNATURE_HEADER, "00" * 63, "128 lowercase hex"),
        (SIGNATURE_HEADER, "00" * 65, "128 lowercase hex"),
        (SIGNATURE_HEADER, " " + "00" * 64, "128 lowercase hex"),
        (TIMESTAMP_HEADER, f"+{NOW}", "canonical decimal"),
        (TIMESTAMP_HEADER, f"0{NOW}", "canonical decimal"),
        (TIMESTAMP_HEADER, f" {NOW}", "canonical decimal"),
        (TIMESTAMP_HEADER, f"{NOW} ", "canonical decimal"),
        (TIMESTAMP_HEADER, f"{NOW}\n", "canonical decimal"),
        (TIMESTAMP_HEADER, f"{NOW}.0", "canonical decimal"),
        (TIMESTAMP_HEADER, "1_700_000_000", "canonical decimal"),
        (TIMESTAMP_HEADER, "-1", "canonical decimal"),
        (TIMESTAMP_HEADER, "", "canonical decimal"),
        (
            TIMESTAMP_HEADER,
            "\u0661\u0667" + "\u0660" * 8,
            "canonical decimal",
        ),  # Arabic-Indic digits
        (TIMESTAMP_HEADER, "9" * 4400, "canonical decimal"),  # beyond int()'s digit limit
    ],
)
def test_malformed_header_is_refused(
    key: IdentityKey, header: str, value: str, message: str
) -> None:
    headers = signed(key)
    headers[header] = value
    with pytest.raises(InvalidSignature, match=message):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize("skew", [0, 1, 300])
def test_timestamps_exactly_at_the_skew_limit_pass(key: IdentityKey, skew: int) -> None:
    headers = signed(key)
    verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW + skew, max_skew=skew)
    verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW - skew, max_skew=skew)


@pytest.mark.parametrize("skew", [0, 300])
def test_timestamps_beyond_the_skew_limit_fail(key: IdentityKey, skew: int) -> None:
    headers = signed(key)
    with pytest.raises(InvalidSignature, match="s old"):
        verify_request(
            headers, METHOD, PATH, BODY, market=MARKET, now=NOW + skew + 1, max_skew=skew
        )
    with pytest.raises(InvalidSignature, match="in the future"):
        verify_request(
            headers, METHOD, PATH, BODY, market=MARKET, now=NOW - skew - 1, max_skew=skew
        )


def test_default_skew_is_five_minutes(key: IdentityKey) -> None:
    verify_request(signed(key), METHOD, PATH, BODY, market=MARKET, now=NOW + 300)
    with pytest.raises(InvalidSignature):
        verify_request(signed(key), METHOD, PATH, BODY, market=MARKET, now=NOW + 301)


@pytest.mark.parametrize("account", UNUSABLE_KEYS)
def test_invalid_public_keys_are_refused(key: IdentityKey, account: str) -> None:
    headers = signed(key)
    headers[ACCOUNT_HEADER] = account
    with pytest.raises(InvalidSignature, match="not a valid Ed25519 public key"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize("account", SMALL_ORDER_KEYS[:2])
def test_forgery_under_a_small_order_key_is_refused(account: str) -> None:
    # With A = 0 or the identity, R = A and S = 0, "[S]B = R + [k]A" holds for every message,
    # and OpenSSL accepts it: this is why keys are decoded and checked before verifying.
    forged = bytes.fromhex(account) + bytes(32)
    message = canonical_request(METHOD, PATH, NOW, NONCE, BODY, market=MARKET)
    assert not verify_signature(account, message, forged)
    headers = {
        ACCOUNT_HEADER: account,
        MARKET_HEADER: MARKET,
        TIMESTAMP_HEADER: str(NOW),
        NONCE_HEADER: NONCE,
        SIGNATURE_HEADER: forged.hex(),
    }
    with pytest.raises(InvalidSignature, match="not a valid Ed25519 public key"):
        verify_request(headers, METHOD, PATH, BODY, market=MARKET, now=NOW)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET\nPOST", "/v1"),
        ("GÉT", "/v1"),
        ("", "/v1"),
        ("GET", "v1"),
        ("GET", ""),
        ("GET", "/v1\n1700000000"),
        ("GET", "/v1 x"),
        ("GET", "/vé"),
    ],
)
def test_requests_that_cannot_be_framed_unambiguously(
    key: IdentityKey, method: str, path: str
) -> None:
    with pytest.raises(ValueError, match=r"method|path"):
        sign_request(key, method, path, b"", market=MARKET, timestamp=NOW)
    headers = sign_request(key, "GET", "/v1", b"", market=MARKET, timestamp=NOW)
    with pytest.raises(InvalidSignature, match=r"method|path"):
        verify_request(headers, method, path, b"", market=MARKET, now=NOW)


@pytest.mark.parametrize(
    ("timestamp", "nonce"),
    [(-1, NONCE), (True, NONCE), (1.5, NONCE), (NOW, "xyz"), (NOW, NONCE.upper())],
)
def test_sign_request_refuses_bad_timestamp_or_nonce(
    key: IdentityKey, timestamp: object, nonce: str
) -> None:
    with pytest.raises(ValueError, match=r"timestamp|nonce"):
        sign_request(key, METHOD, PATH, BODY, market=MARKET, timestamp=timestamp, nonce=nonce)  # type: ignore[arg-type]


def test_verify_signature_helper(key: IdentityKey) -> None:
    signature = key.sign(b"ledger entry")
    assert verify_signature(key.public_key_hex, b"ledger entry", signature)
    assert verify_signature(key.public_key_hex, b"ledger entry", signature.hex())
    assert not verify_signature(key.public_key_hex, b"ledger entry!", signature)
    assert not verify_signature(key.public_key_hex.upper(), b"ledger entry", signature)
    assert not verify_signature(key.public_key_hex, b"ledger entry", signature.hex().upper())
    assert not verify_signature(IdentityKey.generate().public_key_hex, b"ledger entry", signature)
    assert not verify_signature(NOT_A_POINT, b"ledger entry", signature)


# --- fuzz -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_KEY = IdentityKey.from_private_bytes(VECTOR_SEED)
FUZZ_HEADERS = sign_request(FUZZ_KEY, METHOD, PATH, BODY, market=MARKET, timestamp=NOW, nonce=NONCE)


def _near(valid: str) -> st.SearchStrategy[str]:
    """Values close to valid ones (so the later checks are reached), and arbitrary text."""
    hexish = st.text(alphabet="0123456789abcdefABCDEF +-\n\x00é", max_size=len(valid) + 2)
    return st.one_of(st.just(valid), hexish, st.text(max_size=200))


@FUZZ
@given(
    account=_near(FUZZ_HEADERS[ACCOUNT_HEADER]),
    market=_near(MARKET),
    timestamp=st.one_of(
        st.just(str(NOW)), st.integers().map(str), _near(FUZZ_HEADERS[TIMESTAMP_HEADER])
    ),
    nonce=_near(NONCE),
    signature=_near(FUZZ_HEADERS[SIGNATURE_HEADER]),
    extra=st.dictionaries(st.text(max_size=30), st.text(max_size=30), max_size=4),
    method=st.one_of(st.just(METHOD), st.text(max_size=10)),
    path=st.one_of(st.just(PATH), st.text(max_size=40)),
    body=st.one_of(st.just(BODY), st.binary(max_size=200)),
    drop=st.sets(st.sampled_from(SIGNED_HEADERS), max_size=1),
)
def test_fuzzed_requests_raise_only_invalid_signature(
    account: str,
    market: str,
    timestamp: str,
    nonce: str,
    signature: str,
    extra: dict[str, str],
    method: str,
    path: str,
    body: bytes,
    drop: set[str],
) -> None:
    values = [account, market, timestamp, nonce, signature]
    headers = {**extra, **dict(zip(SIGNED_HEADERS, values, strict=True))}
    for name in drop:
        headers.pop(name, None)
    try:
        result = verify_request(headers, method, path, body, market=MARKET, now=NOW)
    except InvalidSignature:
        return
    # Anything accepted is exactly the genuinely signed request (extra headers aside).
    assert result == SignedRequest(VECTOR_ACCOUNT, NOW, NONCE)
    assert (method.upper(), path, body) == (METHOD, PATH, BODY)


@FUZZ
@given(
    public_key=st.one_of(st.text(max_size=70), st.binary(min_size=32, max_size=32).map(bytes.hex)),
    message=st.binary(max_size=100),
    signature=st.one_of(st.binary(max_size=70), st.text(max_size=130)),
)
def test_fuzzed_verify_signature_never_raises(
    public_key: str, message: bytes, signature: bytes | str
) -> None:
    assert verify_signature(public_key, message, signature) is False


def test_verify_signature_tolerates_wrong_types() -> None:
    assert verify_signature(None, b"", b"") is False  # type: ignore[arg-type]
    assert verify_signature("00" * 32, "text", b"") is False  # type: ignore[arg-type]
    assert verify_signature(VECTOR_ACCOUNT, b"", 7) is False  # type: ignore[arg-type]


def test_no_temporary_files_left_on_repeated_save(key: IdentityKey, tmp_path: Path) -> None:
    path = tmp_path / "identity.key"
    key.save(path)
    IdentityKey.generate().save(path)  # overwrite is atomic
    assert sorted(os.listdir(tmp_path)) == ["identity.key"]
    assert IdentityKey.load(path).public_key_hex != key.public_key_hex
