"""Ledger entries: canonical JSON, entry times, the body schema of each kind, the entry
itself, its hash and signature check, and making a signed entry."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.economy import (
    DEVELOPER_RE,
    MAX_AMOUNT,
    MAX_EPOCH,
    MODEL_RE,
    PUBKEY_RE,
    TRAINING_RE,
    BodyValue,
    LedgerError,
    is_account,
    parse_params_entry,
    parse_time,
)

if TYPE_CHECKING:
    from ledger.keys import MarketKey


GENESIS_HASH: Final = "0" * 64
MAX_LINE_BYTES: Final = 4096  # the largest legal entry is well under 2 KiB
# Entries per page of a market's export, at most: about 0.5 MiB and 60 ms of the market's CPU
# (10,000 took 0.6 s, over issue 10's 100 ms for what anyone may ask without paying).
EXPORT_PAGE_ENTRIES: Final = 1_000
MAX_MEMO_CHARS: Final = 200
MAX_COUNT: Final = 1_000_000  # items shown, liked or disliked in one impression
MAX_SEQ: Final = 2**53  # safe in every JSON reader
_ENTRY_KEYS: Final = frozenset(
    {"seq", "epoch", "time", "kind", "body", "prev_hash", "hash", "signature"}
)
_HEX_DIGITS: Final = frozenset("0123456789abcdef")


def canonical(value: object) -> bytes:
    """The one encoding that is hashed: JSON, sorted keys, no whitespace, UTF-8, no floats."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_time(moment: datetime) -> str:
    """An aware datetime as an entry time (UTC, ``Z``), for callers that hold the clock."""
    if moment.tzinfo is None:
        raise LedgerError("entry times must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- body schemas ------------------------------------------------------------------------------

Check = Callable[[str, object], None]


def _is_hex(value: object, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and set(value) <= _HEX_DIGITS


def _integer(low: int, high: int) -> Check:
    def check(name: str, value: object) -> None:
        # bool is an int subclass; True is not a credit.
        if type(value) is not int or not low <= value <= high:
            raise LedgerError(f"{name} must be an integer in [{low}, {high}], got {value!r:.40}")

    return check


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    def check(name: str, value: object) -> None:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise LedgerError(f"{name} must be {what}, got {value!r:.80}")

    return check


def _account(name: str, value: object) -> None:
    if not is_account(value):
        raise LedgerError(
            f"{name} must be an account (user:<key>, dev:<id>, stake:<model>, "
            f"budget:<key>:<epoch>, train:<run> or market), got {value!r:.80}"
        )


def _mint_account(name: str, value: object) -> None:
    _account(name, value)
    if not str(value).startswith(("user:", "dev:")):
        raise LedgerError(f"{name}: credits are minted only to user: or dev: accounts")


def _memo(name: str, value: object) -> None:
    # isprintable() refuses control characters and lone surrogates (which UTF-8 cannot encode).
    if not isinstance(value, str) or len(value) > MAX_MEMO_CHARS or not value.isprintable():
        raise LedgerError(f"{name} must be printable text of at most {MAX_MEMO_CHARS} characters")


def _flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise LedgerError(f"{name} must be true or false, got {value!r:.40}")


def _hex64(name: str, value: object) -> None:
    if not _is_hex(value, 64):
        raise LedgerError(f"{name} must be 64 lowercase hex characters")


_amount = _integer(1, MAX_AMOUNT)
_count = _integer(0, MAX_COUNT)
_epoch = _integer(0, MAX_EPOCH)
_model = _pattern(MODEL_RE, "a model name ([A-Za-z0-9._@+-], at most 160)")
_developer = _pattern(DEVELOPER_RE, "a developer id ([A-Za-z0-9._-], at most 64)")
_user = _pattern(PUBKEY_RE, "a user's public key (64 lowercase hex characters)")
_training = _pattern(TRAINING_RE, "a training run id (32 lowercase hex characters)")
MAX_TRAINING_ROUNDS: Final = 10_000  # aggregation rounds of one training run
_impression = _pattern(re.compile(r"[A-Za-z0-9_-]{1,64}"), "an impression id ([A-Za-z0-9_-], 1-64)")

_contribution = _integer(-MAX_COUNT, MAX_COUNT)
_RATING: Final[Mapping[str, Check]] = {
    "impression_id": _impression,
    "user": _user,
    "model": _model,
    "developer": _developer,
    "shown": _count,
    "liked": _count,
    "disliked": _count,
    "per_item": _flag,
}

_SCHEMAS: Final[Mapping[str, Mapping[str, Check]]] = {
    "params": {},  # checked by economy.parse_params_entry
    "model": {"model": _model, "developer": _developer, "bid": _integer(0, MAX_AMOUNT)},
    "mint": {"account": _mint_account, "amount": _amount, "memo": _memo},
    "transfer": {"from": _account, "to": _account, "amount": _amount, "memo": _memo},
    "burn": {"from": _account, "amount": _amount, "memo": _memo},
    "impression": {
        "impression_id": _impression,
        "user": _user,
        "model": _model,
        "developer": _developer,
    },
    "rating": _RATING,
    "retire": {"model": _model, "developer": _developer},
    "epoch_close": {"epoch": _epoch, "merkle_root": _hex64},
    # Rules 3: the user's new vote on an impression they rated in the open epoch; it replaces
    # the rating's counts and contribution (docs/economy.md).
    "vote_change": {**_RATING, "contribution": _contribution},
    # Rules 4: a developer's federated training run, escrowing `budget` to pay `reward` per
    # accepted contribution; a user's contribution to one of its rounds (the rules compute the
    # payment that follows); the run's end (the escrow left goes back). docs/federated.md.
    "training_open": {
        "training": _training,
        "model": _model,
        "developer": _developer,
        "budget": _amount,
        "reward": _amount,
        "rounds": _integer(1, MAX_TRAINING_ROUNDS),
    },
    "training_contribution": {
        "training": _training,
        "round": _integer(0, MAX_TRAINING_ROUNDS - 1),
        "user": _user,
    },
    "training_close": {"training": _training},
}
TRAINING_KINDS: Final = frozenset({"training_open", "training_contribution", "training_close"})
KINDS: Final = tuple(_SCHEMAS)
_RATED_KINDS: Final = frozenset({"rating", "vote_change"})
# Keys rules 2 add to a kind's body; a body has all of them or none (the replay checks which
# one the rules in force want).
RULES_2_KEYS: Final[Mapping[str, Mapping[str, Check]]] = {
    "impression": {"list": _integer(1, MAX_COUNT)},
    "rating": {"contribution": _contribution},
}


def validate_body(kind: str, body: object) -> None:
    """Raise LedgerError unless ``body`` has exactly the keys and value types of ``kind``."""
    schema = _SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise LedgerError(f"unknown entry kind {kind!r:.40}; known: {', '.join(KINDS)}")
    if not isinstance(body, dict) or not all(isinstance(key, str) for key in body):
        raise LedgerError(f"the body of a {kind} entry must be a JSON object")
    if kind == "params":
        parse_params_entry(body)
        return
    added = RULES_2_KEYS.get(kind, {})
    if added and set(added) <= set(body):
        schema = {**schema, **added}
    if set(body) != set(schema):
        missing, extra = sorted(set(schema) - set(body)), sorted(set(body) - set(schema))
        raise LedgerError(f"{kind} body: missing keys {missing}, unknown keys {extra}")
    for key, check in schema.items():
        check(f"{kind}.{key}", body[key])
    if kind == "training_open" and body["reward"] > body["budget"]:
        raise LedgerError("training_open: the reward per contribution exceeds the budget")
    if kind == "transfer" and body["from"] == body["to"]:
        raise LedgerError("transfer: from and to are the same account")
    if kind in _RATED_KINDS and body["liked"] + body["disliked"] > body["shown"]:
        raise LedgerError(f"{kind}: liked + disliked exceeds shown")
    if (
        kind in _RATED_KINDS
        and not -body["disliked"] <= body.get("contribution", 0) <= body["liked"]
    ):
        raise LedgerError(f"{kind}: a contribution lies between -disliked and liked")


# --- entries -----------------------------------------------------------------------------------


def _refuse_float(text: str) -> object:
    raise LedgerError(f"numbers must be integers, found {text:.40}")


def _refuse_constant(text: str) -> object:
    raise LedgerError(f"{text} is not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of duplicate keys; two spellings of one line must not exist.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise LedgerError(f"duplicate key {key!r:.40}")
        result[key] = value
    return result


def _load_json(text: str) -> Any:
    try:
        return json.loads(
            text,
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except LedgerError:
        raise
    except RecursionError:
        raise LedgerError("JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, or an integer with too many digits
        raise LedgerError(f"not valid JSON: {error!s:.100}") from None


def entry_hash(
    seq: int, epoch: int, time: str, kind: str, body: Mapping[str, BodyValue], prev_hash: str
) -> str:
    """SHA-256 (hex) of the canonical entry without its hash and signature."""
    signed = {
        "seq": seq,
        "epoch": epoch,
        "time": time,
        "kind": kind,
        "body": dict(body),
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical(signed)).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One ledger line. Construction checks the shape of every field and the body of its kind;
    the chain, hash, signature and economic rules are checked by verify_ledger and Ledger."""

    seq: int
    epoch: int
    time: str
    kind: str
    body: Mapping[str, BodyValue]
    prev_hash: str
    hash: str
    signature: str

    def __post_init__(self) -> None:
        _integer(0, MAX_SEQ)("seq", self.seq)
        _epoch("epoch", self.epoch)
        parse_time(self.time)
        body = dict(self.body) if isinstance(self.body, Mapping) else self.body
        validate_body(self.kind, body)
        # A private, read-only copy: neither the caller's dict nor a reader can change an entry.
        object.__setattr__(self, "body", MappingProxyType(body))
        _hex64("prev_hash", self.prev_hash)
        _hex64("hash", self.hash)
        if not _is_hex(self.signature, 128):
            raise LedgerError("signature must be 128 lowercase hex characters")

    def __hash__(self) -> int:  # the generated one would hash the body mapping, which fails
        return hash(self.hash)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "epoch": self.epoch,
            "time": self.time,
            "kind": self.kind,
            "body": dict(self.body),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "signature": self.signature,
        }

    def to_json_line(self) -> str:
        """The canonical JSON line (no newline), as exported."""
        return canonical(self.to_dict()).decode("utf-8")

    @classmethod
    def from_dict(cls, data: object) -> Entry:
        if not isinstance(data, dict):
            raise LedgerError("an entry must be a JSON object")
        if set(data) != _ENTRY_KEYS:
            missing, extra = sorted(_ENTRY_KEYS - set(data)), sorted(set(data) - _ENTRY_KEYS)
            raise LedgerError(f"entry: missing keys {missing}, unknown keys {extra}"[:300])
        return cls(**data)

    @classmethod
    def from_json_line(cls, line: str | bytes) -> Entry:
        """Parse one exported line (a trailing newline is allowed), strictly: bounded length,
        integers only, no duplicate or unknown keys; raises LedgerError."""
        if isinstance(line, bytes):
            if len(line) > MAX_LINE_BYTES + 2:
                raise LedgerError(f"line longer than {MAX_LINE_BYTES} bytes")
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise LedgerError("line is not UTF-8") from None
        if not isinstance(line, str):
            raise LedgerError("a line must be text")
        text = line.removesuffix("\n").removesuffix("\r")
        if len(text) > MAX_LINE_BYTES:
            raise LedgerError(f"line longer than {MAX_LINE_BYTES} bytes")
        return cls.from_dict(_load_json(text))


def _seal_problem(entry: Entry, public_key: Ed25519PublicKey) -> str | None:
    """Why the entry's hash or signature is wrong, or None when both hold."""
    digest = entry_hash(entry.seq, entry.epoch, entry.time, entry.kind, entry.body, entry.prev_hash)
    if digest != entry.hash:
        return "hash does not match the entry's contents"
    try:
        public_key.verify(bytes.fromhex(entry.signature), bytes.fromhex(entry.hash))
    except InvalidSignature:
        return "signature is not the market's"
    return None


def make_entry(
    previous: Entry | None,
    kind: str,
    body: Mapping[str, BodyValue],
    *,
    epoch: int,
    time: str,
    key: MarketKey,
) -> Entry:
    """The entry after ``previous``, chained and signed, with no check of the ledger's rules
    (that is :meth:`Ledger.append`); for storage layers that check them another way."""
    body = dict(body)
    validate_body(kind, body)
    seq = previous.seq + 1 if previous is not None else 0
    prev_hash = previous.hash if previous is not None else GENESIS_HASH
    digest = entry_hash(seq, epoch, time, kind, body, prev_hash)
    return Entry(seq, epoch, time, kind, body, prev_hash, digest, key.sign(digest))
