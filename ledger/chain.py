"""The market's append-only ledger: canonical JSON entries, hash chain, Ed25519 signatures,
per-epoch Merkle roots, verification by full replay (settlement included) and payout proofs."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.economy import (
    ATTENTION_MEMO,
    DEVELOPER_RE,
    MAX_AMOUNT,
    MAX_EPOCH,
    MODEL_RE,
    PUBKEY_RE,
    SETTLE_MEMO,
    Body,
    BodyValue,
    Book,
    EconomyParams,
    LedgerError,
    Totals,
    budget_owner,
    dev_account,
    is_account,
    parse_time,
    utc_day,
)

__all__ = [
    "GENESIS_HASH",
    "KINDS",
    "MAX_LINE_BYTES",
    "Entry",
    "Ledger",
    "LedgerError",
    "MarketKey",
    "Proof",
    "Report",
    "canonical",
    "check_payout_proof",
    "entry_hash",
    "format_time",
    "load_public_key",
    "make_entry",
    "merkle_proof",
    "merkle_root",
    "payout_proof",
    "validate_body",
    "verify_ledger",
    "verify_proof",
]

GENESIS_HASH: Final = "0" * 64
MAX_LINE_BYTES: Final = 4096  # the largest legal entry is well under 2 KiB
MAX_ENTRIES: Final = 50_000_000
MAX_MEMO_CHARS: Final = 200
MAX_COUNT: Final = 1_000_000  # items shown, liked or disliked in one impression
MAX_SEQ: Final = 2**53  # safe in every JSON reader
MAX_PROOF_CHARS: Final = 64 * 1024
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
            f"budget:<key>:<epoch> or market), got {value!r:.80}"
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
_impression = _pattern(re.compile(r"[A-Za-z0-9_-]{1,64}"), "an impression id ([A-Za-z0-9_-], 1-64)")

_SCHEMAS: Final[Mapping[str, Mapping[str, Check]]] = {
    "params": {},  # checked by EconomyParams.from_body
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
    "rating": {
        "impression_id": _impression,
        "user": _user,
        "model": _model,
        "developer": _developer,
        "shown": _count,
        "liked": _count,
        "disliked": _count,
        "per_item": _flag,
    },
    "epoch_close": {"epoch": _epoch, "merkle_root": _hex64},
}
KINDS: Final = tuple(_SCHEMAS)


def validate_body(kind: str, body: object) -> None:
    """Raise LedgerError unless ``body`` has exactly the keys and value types of ``kind``."""
    schema = _SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise LedgerError(f"unknown entry kind {kind!r:.40}; known: {', '.join(KINDS)}")
    if not isinstance(body, dict) or not all(isinstance(key, str) for key in body):
        raise LedgerError(f"the body of a {kind} entry must be a JSON object")
    if kind == "params":
        EconomyParams.from_body(body)
        return
    if set(body) != set(schema):
        missing, extra = sorted(set(schema) - set(body)), sorted(set(body) - set(schema))
        raise LedgerError(f"{kind} body: missing keys {missing}, unknown keys {extra}")
    for key, check in schema.items():
        check(f"{kind}.{key}", body[key])
    if kind == "transfer" and body["from"] == body["to"]:
        raise LedgerError("transfer: from and to are the same account")
    if kind == "rating" and body["liked"] + body["disliked"] > body["shown"]:
        raise LedgerError("rating: liked + disliked exceeds shown")


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


# --- keys and signatures -----------------------------------------------------------------------

# OpenSSL accepts any 32 bytes as an Ed25519 public key, and a small-order key "verifies"
# forged signatures, which would let a market disown its ledger. Every small-order point has
# one of these y coordinates (libsodium's blocklist, sign bit ignored); y >= p is non-canonical.
_P: Final = 2**255 - 19
_Y_ORDER_8: Final = 0x05FC536D880238B13933C6D305ACDFD5F098EFF289F4C345B027B2C28F95E826
_SMALL_ORDER_Y: Final = frozenset({0, 1, _P - 1, _Y_ORDER_8, _P - _Y_ORDER_8})


def load_public_key(public_key_hex: str) -> Ed25519PublicKey:
    """The market's public key from 64 hex characters; raises LedgerError for a key that is
    malformed, non-canonical or of small order."""
    if not _is_hex(public_key_hex.lower() if isinstance(public_key_hex, str) else None, 64):
        raise LedgerError("a market public key is 64 hex characters")
    raw = bytes.fromhex(public_key_hex)
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    if y >= _P or y in _SMALL_ORDER_Y:
        raise LedgerError("not a usable Ed25519 public key (non-canonical or of small order)")
    return Ed25519PublicKey.from_public_bytes(raw)


class MarketKey:
    """The market's Ed25519 signing key. Its secret leaves only through :meth:`seed_hex`."""

    __slots__ = ("_private", "_public_hex")

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public_hex = raw.hex()

    @classmethod
    def generate(cls) -> MarketKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_seed_hex(cls, seed_hex: str) -> MarketKey:
        """The key whose 32-byte RFC 8032 seed is ``seed_hex`` (64 hex characters)."""
        if not _is_hex(seed_hex.lower() if isinstance(seed_hex, str) else None, 64):
            raise LedgerError("a market key seed is 64 hex characters")
        return cls(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex)))

    def seed_hex(self) -> str:
        """The secret seed, for storing the key in the market's configuration."""
        seed = self._private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return seed.hex()

    @property
    def public_key_hex(self) -> str:
        return self._public_hex

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private.public_key()

    def sign(self, hash_hex: str) -> str:
        """The signature (hex) of an entry: over the 32 bytes of its hash."""
        return self._private.sign(bytes.fromhex(hash_hex)).hex()

    def __repr__(self) -> str:
        return f"MarketKey(public_key_hex={self._public_hex!r})"

    def __reduce__(self) -> Any:
        raise TypeError("market keys are never pickled; store MarketKey.seed_hex() explicitly")


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


# --- Merkle trees (RFC 6962 hashing; an odd node is promoted to the next level) ----------------


def _leaf(entry_hash_bytes: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_hash_bytes).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(hashes: Sequence[str]) -> list[list[bytes]]:
    for value in hashes:
        _hex64("a Merkle leaf", value)
    level = [_leaf(bytes.fromhex(value)) for value in hashes]
    levels = [level]
    while len(level) > 1:
        level = [
            _node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
        levels.append(level)
    return levels


def merkle_root(hashes: Sequence[str]) -> str:
    """The root (hex) over entry hashes in order; that of no entries is SHA-256 of nothing."""
    if not hashes:
        return hashlib.sha256(b"").hexdigest()
    return _levels(hashes)[-1][0].hex()


def merkle_proof(hashes: Sequence[str], index: int) -> list[tuple[str, str]]:
    """The audit path of leaf ``index``: (side of the sibling, "left" or "right"; its hex)."""
    if type(index) is not int or not 0 <= index < len(hashes):
        raise LedgerError(f"no leaf {index!r:.20} among {len(hashes)}")
    path = []
    for level in _levels(hashes)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):  # else the node is promoted as it is
            path.append(("left" if sibling < index else "right", level[sibling].hex()))
        index //= 2
    return path


def verify_proof(leaf_hash: str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """Whether the entry whose hash is ``leaf_hash`` (hex; the leaf prefix is applied here) is
    under ``root`` by ``proof``; never raises."""
    if not (_is_hex(leaf_hash, 64) and _is_hex(root, 64)):
        return False
    if not isinstance(proof, list | tuple) or len(proof) > 64:
        return False
    node = _leaf(bytes.fromhex(leaf_hash))
    for step in proof:
        if not isinstance(step, list | tuple) or len(step) != 2:
            return False
        side, sibling = step
        if side not in ("left", "right") or not _is_hex(sibling, 64):
            return False
        other = bytes.fromhex(sibling)
        node = _node(other, node) if side == "left" else _node(node, other)
    return node.hex() == root


# --- the rules, checked entry by entry ---------------------------------------------------------


def _opens_settlement(entry: Entry) -> bool:
    memo = entry.body.get("memo")
    return entry.kind == "epoch_close" or (
        entry.kind in ("transfer", "burn") and str(memo).startswith(SETTLE_MEMO)
    )


def _text(body: Mapping[str, BodyValue]) -> str:
    return canonical(dict(body)).decode("utf-8")


class _Replay:
    """The ledger's rules, checked one entry at a time; shared by verify_ledger and Ledger.

    Entries the rules compute (a rating's attention payments, an epoch's settlement) form a
    *run*: once one is due, the next entries must be exactly it.
    """

    def __init__(
        self,
        public_key: Ed25519PublicKey,
        *,
        params: EconomyParams | None = None,
        stakes_of: Mapping[str, str] | None = None,
    ) -> None:
        self._public_key = public_key
        self._pinned_params = params
        self._pinned_stakes = dict(stakes_of) if stakes_of is not None else None
        self.book = Book()
        self.count = 0
        self.epoch_hashes: list[str] = []  # of the open epoch's entries, in seq order
        self._params: EconomyParams | None = None
        self._last: Entry | None = None
        self._last_time: datetime | None = None
        self._impressions: dict[str, tuple[str, str, str]] = {}  # id -> user, model, developer
        self._rated: set[str] = set()
        self._run: Sequence[tuple[str, Body]] = ()
        self._run_at = 0
        self._run_name = ""
        self._run_day: str | None = None  # attention is paid on its rating's UTC day

    @property
    def params(self) -> EconomyParams:
        if self._params is None:
            raise LedgerError("the ledger has no params entry")
        return self._params

    def next_expected(self) -> tuple[str, Body] | None:
        return self._run[self._run_at] if self._run_at < len(self._run) else None

    def admit(self, entry: Entry) -> None:
        """Check ``entry`` as the next one, then apply it; on LedgerError nothing changes."""
        if entry.seq != self.count:
            raise LedgerError(f"expected seq {self.count}, found {entry.seq}")
        if entry.prev_hash != (self._last.hash if self._last else GENESIS_HASH):
            raise LedgerError("prev_hash is not the previous entry's hash")
        problem = _seal_problem(entry, self._public_key)
        if problem:
            raise LedgerError(problem)
        moment = parse_time(entry.time)
        if self._last_time is not None and moment < self._last_time:
            raise LedgerError(f"time {entry.time} is before the previous entry's")
        self._check_epoch(entry)
        if self.count == 0 and entry.kind != "params":
            raise LedgerError("the ledger must start with a params entry")
        run, at, name, day = self._run, self._run_at, self._run_name, self._run_day
        if at == len(run) and _opens_settlement(entry):
            run = self.book.settle(entry.epoch, self.book.developers, self.params)
            at, name, day = 0, f"settlement of epoch {entry.epoch}", None
        if at < len(run):
            self._match(entry, run[at], name, day)
            at += 1
        else:
            self._check_free(entry)
        if entry.kind == "rating":
            run, at, day = self._attention_run(entry), 0, utc_day(entry.time)
            name = f"attention payment for impression {entry.body['impression_id']}"
        self.book.apply(entry)  # the last check (overdrafts); below, nothing can fail
        self._commit(entry, moment)
        self._run, self._run_at, self._run_name, self._run_day = run, at, name, day

    def finish(self) -> None:
        if self.count == 0:
            raise LedgerError("the ledger is empty: it must start with a params entry")
        if self.next_expected() is not None:
            raise LedgerError(f"the ledger ends before the {self._run_name} is complete")

    def report(self, error: str | None) -> Report:
        return Report(
            ok=error is None,
            entries=self.count,
            balances=self.book.balances(),
            totals=self.book.totals,
            closed_epochs=tuple(sorted(self.book.closed_epochs)),
            bad_seq=None if error is None else self.count,
            error=error,
        )

    def _check_epoch(self, entry: Entry) -> None:
        last = self._last
        if last is not None:
            # Epochs advance only by closing them, so every epoch's settlement is in the ledger.
            want = last.epoch + 1 if last.kind == "epoch_close" else last.epoch
            if entry.epoch != want:
                raise LedgerError(f"entry is in epoch {entry.epoch}, expected epoch {want}")
        if entry.kind == "epoch_close":
            if entry.body["epoch"] != entry.epoch:
                raise LedgerError(f"epoch_close of epoch {entry.body['epoch']} in {entry.epoch}")
            if entry.body["merkle_root"] != merkle_root(self.epoch_hashes):
                raise LedgerError("merkle_root is not the root of the epoch's entries")

    def _match(self, entry: Entry, want: tuple[str, Body], name: str, day: str | None) -> None:
        kind, body = want
        if kind == "epoch_close":  # its root is checked with the epoch
            same = entry.kind == kind and entry.body["epoch"] == body["epoch"]
        else:  # canonical bytes, so that true and 1 differ
            same = entry.kind == kind and _text(entry.body) == _text(body)
        if not same:
            raise LedgerError(
                f"{name} is not what the rules compute: expected {kind} {_text(body)}, "
                f"found {entry.kind} {_text(entry.body)}"
            )
        if day is not None and utc_day(entry.time) != day:
            raise LedgerError(f"{name} is not on its rating's UTC day {day}")

    def _check_free(self, entry: Entry) -> None:
        """Rules for an entry the market chose (not one the rules computed)."""
        body = entry.body
        match entry.kind:
            case "params":
                if self.count:
                    raise LedgerError("params may only be the first entry")
                pinned = self._pinned_params
                if pinned is not None and EconomyParams.from_body(body) != pinned:
                    raise LedgerError(f"params {_text(body)} are not the expected {pinned}")
            case "model":
                model, developer = str(body["model"]), str(body["developer"])
                owner = self.book.developers.get(model, developer)
                if owner != developer:
                    raise LedgerError(f"model {model} belongs to developer {owner}")
                pinned_stakes = self._pinned_stakes
                if pinned_stakes is not None and pinned_stakes.get(model) != developer:
                    raise LedgerError(f"model {model} is not expected to be {developer}'s")
            case "mint" | "transfer" | "burn":
                self._check_money(entry)
            case "impression":
                impression, model = str(body["impression_id"]), str(body["model"])
                if impression in self._impressions:
                    raise LedgerError(f"impression id {impression} is already used")
                if self.book.developers.get(model) != body["developer"]:
                    raise LedgerError(f"model {model} is not registered to {body['developer']}")
            case "rating":
                impression = str(body["impression_id"])
                shown_to = self._impressions.get(impression)
                if shown_to is None:
                    raise LedgerError(f"rating of unknown impression {impression}")
                if impression in self._rated:
                    raise LedgerError(f"impression {impression} is already rated")
                if body["user"] != shown_to[0]:
                    raise LedgerError(f"only the impression's user may rate {impression}")
                if (body["model"], body["developer"]) != shown_to[1:]:
                    raise LedgerError(f"rating names another model than impression {impression}")
            case "epoch_close":  # unreachable: a close always opens a settlement run
                raise LedgerError("epoch_close outside a settlement")

    def _check_money(self, entry: Entry) -> None:
        body = entry.body
        memo = str(body["memo"])
        if memo.startswith((ATTENTION_MEMO, SETTLE_MEMO)):
            raise LedgerError(
                f"memo {memo!r:.60}: attention: and settle: mark payments the rules compute "
                "(right after a rating, or before an epoch_close)"
            )
        source, target = str(body.get("from", "")), str(body.get("to", ""))
        if budget_owner(source) is not None:
            raise LedgerError(f"{source} is paid out only by settlement")
        if source.startswith("stake:"):
            # A stake is the developer's skin in the game: only settlement may burn it, and
            # it can only go back to the model's developer, never elsewhere.
            developer = self.book.developers.get(source.removeprefix("stake:"))
            if developer is None or target != dev_account(developer):
                raise LedgerError(
                    f"{source} is burned only by settlement and paid only to its developer"
                )
        budget = budget_owner(target)
        if budget is not None and budget[1] < entry.epoch:
            raise LedgerError(f"budget of epoch {budget[1]} is closed")

    def _attention_run(self, rating: Entry) -> list[tuple[str, Body]]:
        body = rating.body
        bid = self.book.bids.get(str(body["model"]), 0)
        payments = self.book.attention_payment(
            body, bid, day=utc_day(rating.time), params=self.params
        )
        return [("transfer", payment) for payment in payments]

    def _commit(self, entry: Entry, moment: datetime) -> None:
        body = entry.body
        if entry.kind == "params":
            self._params = EconomyParams.from_body(body)
        elif entry.kind == "impression":
            self._impressions[str(body["impression_id"])] = (
                str(body["user"]),
                str(body["model"]),
                str(body["developer"]),
            )
        elif entry.kind == "rating":
            self._rated.add(str(body["impression_id"]))
        if entry.kind == "epoch_close":
            self.epoch_hashes = []
        else:
            self.epoch_hashes.append(entry.hash)
        self._last, self._last_time = entry, moment
        self.count += 1


# --- the market's ledger -----------------------------------------------------------------------


class Ledger:
    """The market's ledger in memory. Every append is checked by the rules verify_ledger
    replays, then chained and signed: the market cannot write a ledger that fails them."""

    def __init__(self, key: MarketKey, entries: Iterable[Entry] = ()) -> None:
        self._key = key
        self._replay = _Replay(key.public_key)
        self._entries: list[Entry] = []
        self.ingest(entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """A snapshot of every entry (a copy: use :attr:`last` on hot paths)."""
        return tuple(self._entries)

    @property
    def last(self) -> Entry | None:
        return self._entries[-1] if self._entries else None

    @property
    def book(self) -> Book:
        """Balances and economic state (read it; entries reach it only through the ledger)."""
        return self._replay.book

    @property
    def params(self) -> EconomyParams:
        return self._replay.params

    def ingest(self, entries: Iterable[Entry]) -> None:
        """Adopt entries already signed (e.g. stored by another server process), checking each."""
        for entry in entries:
            self._replay.admit(entry)
            self._entries.append(entry)

    def append(self, kind: str, body: Mapping[str, BodyValue], *, epoch: int, time: str) -> Entry:
        """Check, chain, sign and add an entry. An ``epoch_close`` body may leave out its
        ``merkle_root`` (as :func:`economy.settle` does): the ledger computes it."""
        body = dict(body)
        if kind == "epoch_close" and "merkle_root" not in body:
            body["merkle_root"] = merkle_root(self._replay.epoch_hashes)
        entry = make_entry(self.last, kind, body, epoch=epoch, time=time, key=self._key)
        self._replay.admit(entry)
        self._entries.append(entry)
        return entry

    def record_rating(self, body: Mapping[str, BodyValue], *, epoch: int, time: str) -> list[Entry]:
        """Append a rating and the attention payments it earns."""
        added = [self.append("rating", body, epoch=epoch, time=time)]
        while (step := self._replay.next_expected()) is not None:
            added.append(self.append(*step, epoch=epoch, time=time))
        return added

    def settle_epoch(self, epoch: int, *, time: str) -> list[Entry]:
        """Append the settlement of ``epoch`` and its epoch_close; ``[]`` if already closed."""
        book = self._replay.book
        steps = book.settle(epoch, book.developers, self._replay.params)
        return [self.append(kind, body, epoch=epoch, time=time) for kind, body in steps]

    def lines(self) -> list[str]:
        """The export: one canonical JSON line per entry."""
        return [entry.to_json_line() for entry in self._entries]


# --- verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The outcome of verify_ledger. On failure ``bad_seq`` is the first bad entry (the line
    at that 0-based position), and the balances are those before it."""

    ok: bool
    entries: int
    balances: dict[str, int]
    totals: Totals
    closed_epochs: tuple[int, ...]
    bad_seq: int | None = None
    error: str | None = None


def verify_ledger(
    lines: Iterable[str | bytes],
    market_public_key_hex: str,
    stakes_of: Mapping[str, str] | None = None,
    params: EconomyParams | None = None,
    *,
    max_entries: int = MAX_ENTRIES,
) -> Report:
    """Replay an exported ledger: each line parses, seq order, the hash chain, hashes,
    signatures, bodies, balances, one rating per impression by its user, attention payments,
    every settlement (recomputed) and every epoch's Merkle root. ``stakes_of`` (model ->
    developer) and ``params``, when given, must match what the ledger records. Never raises.
    """
    try:
        replay = _Replay(load_public_key(market_public_key_hex), params=params, stakes_of=stakes_of)
    except LedgerError as error:
        return Report(False, 0, {}, Totals(0, 0), (), error=f"market key: {error}")
    try:
        for line in lines:
            if replay.count >= max_entries:
                raise LedgerError(f"more than {max_entries} entries")
            replay.admit(Entry.from_json_line(line))
        replay.finish()
    except LedgerError as error:
        return replay.report(str(error))
    except (UnicodeError, OSError) as error:  # reading the lines failed
        return replay.report(f"cannot read the ledger: {error}")
    except Exception as error:  # a bug must fail closed: never pass a ledger, never crash
        return replay.report(f"internal error: {type(error).__name__}: {error}")
    return replay.report(None)


# --- payout proofs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """That ``entry`` is under the Merkle root of its epoch, which the market signed in
    ``close`` (that epoch's epoch_close); checkable with the market's public key alone."""

    entry: Entry
    path: tuple[tuple[str, str], ...]
    close: Entry

    def to_json(self) -> str:
        data = {
            "entry": self.entry.to_dict(),
            "path": [list(step) for step in self.path],
            "close": self.close.to_dict(),
        }
        return canonical(data).decode("utf-8")

    @classmethod
    def from_json(cls, text: str) -> Proof:
        """Parse :meth:`to_json` output strictly; raises LedgerError."""
        if not isinstance(text, str) or len(text) > MAX_PROOF_CHARS:
            raise LedgerError(f"a proof is text of at most {MAX_PROOF_CHARS} characters")
        data = _load_json(text)
        if not isinstance(data, dict) or set(data) != {"entry", "path", "close"}:
            raise LedgerError("a proof has exactly the keys entry, path and close")
        steps = data["path"]
        if not isinstance(steps, list) or len(steps) > 64:
            raise LedgerError("a proof's path is a list of at most 64 steps")
        path = []
        for step in steps:
            if not (isinstance(step, list) and len(step) == 2 and step[0] in ("left", "right")):
                raise LedgerError('a path step is ["left" or "right", hash]')
            _hex64("a path hash", step[1])
            path.append((str(step[0]), str(step[1])))
        return cls(Entry.from_dict(data["entry"]), tuple(path), Entry.from_dict(data["close"]))


def payout_proof(entries: Iterable[Entry], epoch: int, seq: int) -> Proof:
    """The proof that entry ``seq`` is in closed ``epoch``; raises LedgerError otherwise."""
    covered: list[Entry] = []
    for entry in entries:
        if entry.epoch != epoch:
            continue
        if entry.kind == "epoch_close":
            index = next((i for i, e in enumerate(covered) if e.seq == seq), None)
            if index is None:
                raise LedgerError(f"entry {seq} is not in epoch {epoch}")
            path = merkle_proof([e.hash for e in covered], index)
            return Proof(covered[index], tuple(path), entry)
        covered.append(entry)
    raise LedgerError(f"epoch {epoch} is not closed")


def check_payout_proof(proof: Proof, market_public_key_hex: str) -> bool:
    """Whether the proof holds under the market's key; never raises."""
    try:
        public_key = load_public_key(market_public_key_hex)
    except LedgerError:
        return False
    if not isinstance(proof, Proof):
        return False
    entry, close = proof.entry, proof.close
    if close.kind != "epoch_close" or entry.kind == "epoch_close":
        return False
    if not (entry.epoch == close.epoch == close.body["epoch"] and entry.seq < close.seq):
        return False
    if _seal_problem(entry, public_key) or _seal_problem(close, public_key):
        return False
    return verify_proof(entry.hash, proof.path, str(close.body["merkle_root"]))
