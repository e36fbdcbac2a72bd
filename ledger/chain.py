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
from typing import Any, Final, Protocol

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
    STATE_VERSION,
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
    "EXPORT_PAGE_ENTRIES",
    "GENESIS_HASH",
    "KINDS",
    "MAX_LINE_BYTES",
    "Entry",
    "HeadLike",
    "Ledger",
    "LedgerError",
    "MarketKey",
    "MerkleFrontier",
    "Proof",
    "Report",
    "Verifier",
    "canonical",
    "check_payout_proof",
    "checkpoint_text",
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
# Entries per page of a market's export, at most: about 0.5 MiB and 60 ms of the market's CPU
# (10,000 took 0.6 s, over issue 10's 100 ms for what anyone may ask without paying).
EXPORT_PAGE_ENTRIES: Final = 1_000
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

    def sign_message(self, message: bytes) -> str:
        """The signature (hex) of another message than an entry (a tree head). Callers make it
        longer than 32 bytes and domain-tagged, so it can never pass for an entry's."""
        if len(message) <= 32:
            raise LedgerError("a signed message must be longer than an entry hash")
        return self._private.sign(message).hex()

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


class MerkleFrontier:
    """The Merkle tree of a growing list of entry hashes, kept as the roots of its perfect
    subtrees (at most one per height, so O(log n) hashes); its root equals merkle_root's."""

    def __init__(self) -> None:
        self._nodes: list[tuple[int, bytes]] = []  # (height, root), heights decreasing
        self.size = 0

    def add(self, entry_hash_hex: str) -> None:
        _hex64("a Merkle leaf", entry_hash_hex)
        height, node = 0, _leaf(bytes.fromhex(entry_hash_hex))
        while self._nodes and self._nodes[-1][0] == height:
            node = _node(self._nodes.pop()[1], node)
            height += 1
        self._nodes.append((height, node))
        self.size += 1

    def root(self) -> str:
        """Promoting an odd node bottom-up is the same as folding the subtrees from the right."""
        if not self._nodes:
            return hashlib.sha256(b"").hexdigest()
        node = self._nodes[-1][1]
        for _, left in reversed(self._nodes[:-1]):
            node = _node(left, node)
        return node.hex()

    def to_state(self) -> dict[str, Any]:
        return {"size": self.size, "nodes": [[h, node.hex()] for h, node in self._nodes]}

    @classmethod
    def from_state(cls, state: object) -> MerkleFrontier:
        if not isinstance(state, dict) or set(state) != {"size", "nodes"}:
            raise LedgerError("a saved Merkle frontier has exactly the keys size and nodes")
        frontier = cls()
        size, nodes = state["size"], state["nodes"]
        if not isinstance(nodes, list) or type(size) is not int:
            raise LedgerError("a saved Merkle frontier is a size and a list of nodes")
        for item in nodes:
            if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
                raise LedgerError("a Merkle frontier node is [height, hash]")
            _hex64("a Merkle frontier node", item[1])
            frontier._nodes.append((item[0], bytes.fromhex(item[1])))
        heights = [h for h, _ in frontier._nodes]
        if size != sum(1 << h for h in heights) or heights != sorted(set(heights), reverse=True):
            raise LedgerError("a saved Merkle frontier does not describe a tree of its size")
        frontier.size = size
        return frontier


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


_REPLAY_KEYS: Final = frozenset(
    {
        "count",
        "params",
        "last",
        "merkle",
        "epoch_started",
        "impressions",
        "rated",
        "run",
        "run_at",
        "run_name",
        "run_day",
        "book",
    }
)


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
        self.frontier = MerkleFrontier()  # over the open epoch's entries, in seq order
        self.epoch_started: str | None = None  # the time the open epoch began
        self._params: EconomyParams | None = None
        self._last: Entry | None = None
        self._last_time: datetime | None = None
        # Impressions not rated yet: id -> user, model, developer. A rated one moves to _rated,
        # where only its id is kept (ids are never reused), so the state carries less per id.
        self._impressions: dict[str, tuple[str, str, str]] = {}
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

    @property
    def last(self) -> Entry | None:
        return self._last

    def to_state(self) -> dict[str, Any]:
        """The replay's whole state as JSON values (see :func:`checkpoint_text`)."""
        return {
            "count": self.count,
            "params": None if self._params is None else self._params.to_body(),
            "last": None if self._last is None else self._last.to_dict(),
            "merkle": self.frontier.to_state(),
            "epoch_started": self.epoch_started,
            "impressions": {i: list(shown) for i, shown in sorted(self._impressions.items())},
            "rated": sorted(self._rated),
            "run": [[kind, dict(body)] for kind, body in self._run],
            "run_at": self._run_at,
            "run_name": self._run_name,
            "run_day": self._run_day,
            "book": self.book.to_state(),
        }

    @classmethod
    def from_state(
        cls,
        public_key: Ed25519PublicKey,
        state: object,
        *,
        params: EconomyParams | None = None,
        stakes_of: Mapping[str, str] | None = None,
    ) -> _Replay:
        if not isinstance(state, dict) or set(state) != _REPLAY_KEYS:
            raise LedgerError(f"a saved replay state has exactly the keys {sorted(_REPLAY_KEYS)}")
        replay = cls(public_key, params=params, stakes_of=stakes_of)
        replay.book = Book.from_state(state["book"])
        count, last = state["count"], state["last"]
        if type(count) is not int or not 0 <= count <= MAX_SEQ:
            raise LedgerError("a saved replay's count is a non-negative integer")
        replay.count = count
        if last is not None:
            replay._last = Entry.from_dict(last)
            replay._last_time = parse_time(replay._last.time)
        last_seq = -1 if replay._last is None else replay._last.seq
        if last_seq != count - 1:
            raise LedgerError("a saved replay's last entry is not entry count - 1")
        if state["params"] is not None:
            replay._params = EconomyParams.from_body(state["params"])
            if params is not None and replay._params != params:
                raise LedgerError(f"the saved ledger's params are not the expected {params}")
        replay.frontier = MerkleFrontier.from_state(state["merkle"])
        started = state["epoch_started"]
        if started is not None:
            parse_time(started)
        replay.epoch_started = started
        impressions = state["impressions"]
        if not isinstance(impressions, dict):
            raise LedgerError("saved impressions are an object")
        for impression, shown in impressions.items():
            if not (
                isinstance(shown, list)
                and len(shown) == 3
                and all(isinstance(x, str) for x in shown)
            ):
                raise LedgerError("a saved impression is [user, model, developer]")
            replay._impressions[impression] = (shown[0], shown[1], shown[2])
        rated, run = state["rated"], state["run"]
        if not isinstance(rated, list) or not all(isinstance(i, str) for i in rated):
            raise LedgerError("saved rated impressions are a list of ids")
        replay._rated = set(rated)
        if not replay._rated.isdisjoint(replay._impressions):
            raise LedgerError("a saved impression is both rated and waiting for its rating")
        if not isinstance(run, list):
            raise LedgerError("a saved run is a list of [kind, body]")
        steps: list[tuple[str, Body]] = []
        for step in run:
            if not (isinstance(step, list) and len(step) == 2 and isinstance(step[1], dict)):
                raise LedgerError("a saved run step is [kind, body]")
            steps.append((str(step[0]), step[1]))
        run_at, name, day = state["run_at"], state["run_name"], state["run_day"]
        if type(run_at) is not int or not 0 <= run_at <= len(steps) or not isinstance(name, str):
            raise LedgerError("a saved run position is outside its run")
        if day is not None and not isinstance(day, str):
            raise LedgerError("a saved run day is a date or null")
        replay._run, replay._run_at, replay._run_name, replay._run_day = steps, run_at, name, day
        return replay

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
            if entry.body["merkle_root"] != self.frontier.root():
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
                if impression in self._impressions or impression in self._rated:
                    raise LedgerError(f"impression id {impression} is already used")
                if self.book.developers.get(model) != body["developer"]:
                    raise LedgerError(f"model {model} is not registered to {body['developer']}")
            case "rating":
                impression = str(body["impression_id"])
                if impression in self._rated:
                    raise LedgerError(f"impression {impression} is already rated")
                shown_to = self._impressions.get(impression)
                if shown_to is None:
                    raise LedgerError(f"rating of unknown impression {impression}")
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
            self._impressions.pop(str(body["impression_id"]))
            self._rated.add(str(body["impression_id"]))
        if entry.kind == "epoch_close":
            self.frontier = MerkleFrontier()
            self.epoch_started = entry.time
        else:
            self.frontier.add(entry.hash)
            if self.epoch_started is None:
                self.epoch_started = entry.time
        self._last, self._last_time = entry, moment
        self.count += 1


# --- the market's ledger -----------------------------------------------------------------------


class Ledger:
    """The market's ledger in memory. Every append is checked by the rules verify_ledger
    replays, then chained and signed: the market cannot write a ledger that fails them.

    It keeps the replay's state and the last entry, not the entries themselves (the database
    or the export holds those), unless ``keep_entries`` asks for them (tests, small tools)."""

    def __init__(
        self, key: MarketKey, entries: Iterable[Entry] = (), *, keep_entries: bool = False
    ) -> None:
        self._key = key
        self._replay = _Replay(key.public_key)
        self._entries: list[Entry] | None = [] if keep_entries else None
        self.ingest(entries)

    @classmethod
    def from_checkpoint(cls, key: MarketKey, text: str | bytes) -> Ledger:
        """The ledger as it was when :meth:`checkpoint` wrote ``text``; raises LedgerError."""
        ledger = cls(key)
        ledger._replay = _replay_from_checkpoint(text, key.public_key_hex)
        return ledger

    def checkpoint(self) -> str:
        """The replay's state as canonical JSON (versioned; see :func:`checkpoint_text`)."""
        return checkpoint_text(self._replay, self._key.public_key_hex)

    def __len__(self) -> int:
        return self._replay.count

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, for a ledger built with ``keep_entries``."""
        if self._entries is None:
            raise LedgerError("this ledger does not keep its entries (read them from storage)")
        return tuple(self._entries)

    @property
    def last(self) -> Entry | None:
        return self._replay.last

    @property
    def book(self) -> Book:
        """Balances and economic state (read it; entries reach it only through the ledger)."""
        return self._replay.book

    @property
    def params(self) -> EconomyParams:
        return self._replay.params

    @property
    def open_epoch(self) -> int:
        """Epochs advance only by closing them: the open epoch follows the last close."""
        last = self.last
        if last is None:
            return 0
        return last.epoch + 1 if last.kind == "epoch_close" else last.epoch

    @property
    def epoch_started(self) -> datetime | None:
        """When the open epoch began: the last close, or the first entry (None when empty)."""
        started = self._replay.epoch_started
        return None if started is None else parse_time(started)

    def ingest(self, entries: Iterable[Entry]) -> None:
        """Adopt entries already signed (e.g. stored by another server process), checking each."""
        for entry in entries:
            self._admit(entry)

    def _admit(self, entry: Entry) -> None:
        self._replay.admit(entry)
        if self._entries is not None:
            self._entries.append(entry)

    def append(self, kind: str, body: Mapping[str, BodyValue], *, epoch: int, time: str) -> Entry:
        """Check, chain, sign and add an entry. An ``epoch_close`` body may leave out its
        ``merkle_root`` (as :func:`economy.settle` does): the ledger computes it."""
        body = dict(body)
        if kind == "epoch_close" and "merkle_root" not in body:
            body["merkle_root"] = self._replay.frontier.root()
        entry = make_entry(self.last, kind, body, epoch=epoch, time=time, key=self._key)
        self._admit(entry)
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
        """The export of a ledger built with ``keep_entries``: one canonical JSON line each."""
        return [entry.to_json_line() for entry in self.entries]


# --- checkpoints: a replay's state, saved and resumed --------------------------------------------

CHECKPOINT_FORMAT: Final = "privrec-ledger-state"
MAX_CHECKPOINT_CHARS: Final = 2 * 1024**3


def checkpoint_text(replay: _Replay, market_public_key_hex: str) -> str:
    """Canonical JSON of a replay's state, tagged with its format version, the market's key and
    the head it covers, so that it resumes only for that market, exactly where it stopped."""
    last = replay.last
    return canonical(
        {
            "format": CHECKPOINT_FORMAT,
            "version": STATE_VERSION,
            "market_key": market_public_key_hex,
            "seq": -1 if last is None else last.seq,
            "hash": GENESIS_HASH if last is None else last.hash,
            "state": replay.to_state(),
        }
    ).decode("utf-8")


def _replay_from_checkpoint(
    text: str | bytes,
    market_public_key_hex: str,
    *,
    params: EconomyParams | None = None,
    stakes_of: Mapping[str, str] | None = None,
) -> _Replay:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="strict")
    if not isinstance(text, str) or len(text) > MAX_CHECKPOINT_CHARS:
        raise LedgerError("a checkpoint is JSON text")
    data = _load_json(text)
    keys = {"format", "version", "market_key", "seq", "hash", "state"}
    if not isinstance(data, dict) or set(data) != keys or data["format"] != CHECKPOINT_FORMAT:
        raise LedgerError(f"not a ledger checkpoint (an object with keys {sorted(keys)})")
    if data["version"] != STATE_VERSION:
        raise LedgerError(f"checkpoint version {data['version']!r:.20} is not {STATE_VERSION}")
    if data["market_key"] != market_public_key_hex:
        raise LedgerError("the checkpoint was made for another market key")
    replay = _Replay.from_state(
        load_public_key(market_public_key_hex), data["state"], params=params, stakes_of=stakes_of
    )
    last = replay.last
    if (data["seq"], data["hash"]) != ((last.seq, last.hash) if last else (-1, GENESIS_HASH)):
        raise LedgerError("the checkpoint's head is not its state's last entry")
    return replay


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


class HeadLike(Protocol):
    """What verification reads of a signed tree head (``ledger.head.SignedHead``), once its
    signature has been checked."""

    @property
    def seq(self) -> int: ...

    @property
    def hash(self) -> str: ...


class Verifier:
    """verify_ledger in steps: feed the export page by page, save a checkpoint, and resume from
    it later, so each entry is verified once. Methods raise LedgerError."""

    def __init__(
        self,
        market_public_key_hex: str,
        *,
        checkpoint: str | bytes | None = None,
        stakes_of: Mapping[str, str] | None = None,
        params: EconomyParams | None = None,
    ) -> None:
        self.market_public_key_hex = market_public_key_hex
        if checkpoint is None:
            public_key = load_public_key(market_public_key_hex)
            self._replay = _Replay(public_key, params=params, stakes_of=stakes_of)
        else:
            self._replay = _replay_from_checkpoint(
                checkpoint, market_public_key_hex, params=params, stakes_of=stakes_of
            )
        self._watched: dict[int, str | None] = {}

    @property
    def count(self) -> int:
        return self._replay.count

    @property
    def last(self) -> Entry | None:
        return self._replay.last

    @property
    def book(self) -> Book:
        return self._replay.book

    def watch(self, seq: int) -> None:
        """Remember the hash of entry ``seq`` when it goes by (to check a head against)."""
        self._watched.setdefault(seq, None)

    def feed(self, lines: Iterable[str | bytes], *, max_entries: int = MAX_ENTRIES) -> int:
        """Verify the next entries; how many were read."""
        read = 0
        for line in lines:
            if self._replay.count >= max_entries:
                raise LedgerError(f"more than {max_entries} entries")
            entry = Entry.from_json_line(line)
            self._replay.admit(entry)
            if entry.seq in self._watched:
                self._watched[entry.seq] = entry.hash
            read += 1
        return read

    def head_problem(self, head: HeadLike) -> str | None:
        """Why the entries verified so far are not the ledger ``head`` signs: truncated (they
        end before it) or forked (another entry at its seq); None when they reach it."""
        last = self._replay.last
        if last is None or last.seq < head.seq:
            ends = "no entries" if last is None else f"seq {last.seq}"
            return (
                f"truncated: the ledger ends at {ends}, but the market's signed head is at seq "
                f"{head.seq}; entries are missing"
            )
        seen = last.hash if last.seq == head.seq else self._watched.get(head.seq)
        if seen is None:
            return f"cannot check the signed head at seq {head.seq}: that entry was not read"
        if seen != head.hash:
            return (
                f"forked: entry {head.seq} has hash {seen[:16]}..., but the market's signed head "
                f"says {head.hash[:16]}..."
            )
        return None

    def finish(self, head: HeadLike | None = None) -> None:
        self._replay.finish()
        if head is not None and (problem := self.head_problem(head)) is not None:
            raise LedgerError(problem)

    def checkpoint(self) -> str:
        return checkpoint_text(self._replay, self.market_public_key_hex)

    def report(self, error: str | None) -> Report:
        return self._replay.report(error)


def verify_ledger(
    lines: Iterable[str | bytes],
    market_public_key_hex: str,
    stakes_of: Mapping[str, str] | None = None,
    params: EconomyParams | None = None,
    *,
    max_entries: int = MAX_ENTRIES,
    head: HeadLike | None = None,
) -> Report:
    """Replay an exported ledger: each line parses, seq order, the hash chain, hashes,
    signatures, bodies, balances, one rating per impression by its user, attention payments,
    every settlement (recomputed) and every epoch's Merkle root. ``stakes_of`` (model ->
    developer) and ``params``, when given, must match what the ledger records. With a signed
    ``head`` (its signature checked by the caller: see ``ledger.head.verify_export``), a ledger
    that ends before it or holds another entry at its seq fails. Never raises.
    """
    try:
        verifier = Verifier(market_public_key_hex, stakes_of=stakes_of, params=params)
    except LedgerError as error:
        return Report(False, 0, {}, Totals(0, 0), (), error=f"market key: {error}")
    if head is not None:
        verifier.watch(head.seq)
    try:
        verifier.feed(lines, max_entries=max_entries)
        verifier.finish(head)
    except LedgerError as error:
        return verifier.report(str(error))
    except (UnicodeError, OSError) as error:  # reading the lines failed
        return verifier.report(f"cannot read the ledger: {error}")
    except Exception as error:  # a bug must fail closed: never pass a ledger, never crash
        return verifier.report(f"internal error: {type(error).__name__}: {error}")
    return verifier.report(None)


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
