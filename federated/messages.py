"""The secure-aggregation round's messages as versioned JSON objects (bytes in base64), each
parsed with strict validation: the server and the app both import this module.

A round: the server publishes a RoundConfig; clients send AdvertiseKeys, get the Roster, send
ShareKeys, get their ShareInbox, send MaskedInput, get the ConsistencyCheck (who the server says
survived) and send their ConsistencySignature over it, get an UnmaskRequest carrying the other
survivors' signatures, send UnmaskResponse.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

from federated.errors import InvalidMessage
from federated.shamir import SHARE_BYTES

# 2: the advertise step carries a signed-advertise-keys and the roster is a signed-roster
# (federated/signed.py); 3: the consistency round (consistency-check, consistency-signature, the
# unmask request carries the signatures) and share ciphertexts bound to the roster a device saw.
# A peer of another version is refused with the version it must speak.
WIRE_VERSION = 3
ROUND_ID_BYTES = 16
KEY_BYTES = 32  # X25519 public keys
# A share ciphertext: sender and receiver ids (8 + 8), two shares, the AEAD tag (16).
SHARE_CIPHERTEXT_BYTES = 16 + 2 * SHARE_BYTES + 16
MAX_CLIENTS = 10_000  # per round: bounds every list a message may carry
MAX_DIMENSION = 4_000_000  # model parameters per round (16 MB of masked input)
MAX_CLIENT_ID = 2**62
SIGNATURE_BYTES = 64  # Ed25519
# A survivor list's JSON, at most, per client (a 19-digit id and its comma), and a signature
# entry's (the quoted id, the base64 signature and the punctuation).
ID_LIST_ENTRY_BYTES = 20
SIGNATURE_ENTRY_BYTES = 120


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, name: str, length: int) -> bytes:
    if not isinstance(value, str) or len(value) > 4 * math.ceil(length / 3):
        raise InvalidMessage(f"{name} must be base64 of {length} bytes")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidMessage(f"{name} is not valid base64") from None
    if len(data) != length:
        raise InvalidMessage(f"{name} must be {length} bytes, got {len(data)}")
    return data


def _int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidMessage(f"{name} must be an integer in [{low}, {high}]")
    return value


def _client(value: object, name: str = "client") -> int:
    return _int(value, name, 1, MAX_CLIENT_ID)


def _id_keyed(value: object, name: str) -> dict[int, Any]:
    """A JSON object keyed by client ids written as decimal strings."""
    if not isinstance(value, dict) or len(value) > MAX_CLIENTS:
        raise InvalidMessage(f"{name} must be an object of at most {MAX_CLIENTS} entries")
    out = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.isdigit() or len(key) > 19:
            raise InvalidMessage(f"{name} keys must be client ids")
        out[_client(int(key), f"{name} key")] = item
    return out


def _ids(value: object, name: str) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > MAX_CLIENTS:
        raise InvalidMessage(f"{name} must be a list of at most {MAX_CLIENTS} client ids")
    ids = tuple(_client(v, name) for v in value)
    if len(set(ids)) != len(ids):
        raise InvalidMessage(f"{name} repeats a client")
    return ids


@dataclass(frozen=True)
class Message:
    """Base: `to_json` / `from_json` with the version, the type and the round id checked."""

    TYPE: ClassVar[str] = ""
    round_id: bytes

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        return {"v": WIRE_VERSION, "type": self.TYPE, "round": self.round_id.hex(), **self.body()}

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        raise NotImplementedError

    @classmethod
    def from_json(cls, obj: object, max_bytes: int | None = None) -> Self:
        """Validate and build; `obj` is parsed JSON (or raw bytes, at most `max_bytes`)."""
        if isinstance(obj, bytes | bytearray):
            if max_bytes is not None and len(obj) > max_bytes:
                raise InvalidMessage(f"{cls.TYPE} message over {max_bytes} bytes")
            try:
                obj = json.loads(obj)
            except (ValueError, RecursionError):
                raise InvalidMessage(f"{cls.TYPE} message is not JSON") from None
        if not isinstance(obj, dict):
            raise InvalidMessage(f"a {cls.TYPE} message must be a JSON object")
        # The version and the type first: a peer speaking another version (or sending another
        # step's message) is told so, not which fields this version expects.
        if obj.get("v") != WIRE_VERSION:
            raise InvalidMessage(
                f"unsupported message version {obj.get('v')!r:.40}: this side speaks version "
                f"{WIRE_VERSION} (update the app or the market)"
            )
        if obj.get("type") != cls.TYPE:
            raise InvalidMessage(f"expected a {cls.TYPE} message, got {obj.get('type')!r:.40}")
        names = {"v", "type", "round"} | {
            _wire_name(f.name) for f in fields(cls) if f.name != "round_id"
        }
        if set(obj) != names:
            raise InvalidMessage(f"{cls.TYPE} fields must be exactly {sorted(names)}")
        round_hex = obj["round"]
        if not isinstance(round_hex, str) or len(round_hex) != 2 * ROUND_ID_BYTES:
            raise InvalidMessage("round must be a 32-digit hex string")
        try:
            round_id = bytes.fromhex(round_hex)
        except ValueError:
            raise InvalidMessage("round must be a 32-digit hex string") from None
        return cls.parse({**obj, "round": round_id})


def _wire_name(field: str) -> str:
    return field.replace("_", "-")


@dataclass(frozen=True)
class RoundConfig(Message):
    """What every participant must agree on before the round starts.

    `degree`: neighbours each client masks with and shares its secrets among (SecAgg+; an
    odd degree is rounded down; degree >= clients - 1 is the complete graph of Bonawitz et
    al.); `threshold`: shares that reconstruct a secret, out of each client's neighbourhood
    (itself included);
    `min_survivors`: honest clients refuse to unmask a sum of fewer masked inputs (the
    distributed noise is calibrated to it); `graph_seed`: the public seed of the neighbour graph.
    """

    TYPE: ClassVar[str] = "round-config"
    dimension: int
    threshold: int
    degree: int
    min_survivors: int
    max_clients: int
    coordinate_bound: float
    graph_seed: bytes

    def __post_init__(self) -> None:
        _int(self.dimension, "dimension", 1, MAX_DIMENSION)
        _int(self.max_clients, "max-clients", 2, MAX_CLIENTS)
        _int(self.degree, "degree", 2, MAX_CLIENTS)
        _int(self.threshold, "threshold", 2, self.degree + 1)
        _int(self.min_survivors, "min-survivors", self.threshold, self.max_clients)
        bound = self.coordinate_bound
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise InvalidMessage("coordinate-bound must be a number")
        if not (math.isfinite(bound) and 0 < bound <= 1e6):
            raise InvalidMessage("coordinate-bound must be in (0, 1e6]")
        if len(self.round_id) != ROUND_ID_BYTES or len(self.graph_seed) != 32:
            raise InvalidMessage("round id is 16 bytes and graph seed 32")

    @property
    def masked_input_bytes(self) -> int:
        return 4 * self.dimension

    def body(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "threshold": self.threshold,
            "degree": self.degree,
            "min-survivors": self.min_survivors,
            "max-clients": self.max_clients,
            "coordinate-bound": self.coordinate_bound,
            "graph-seed": _b64(self.graph_seed),
        }

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        return cls(
            obj["round"],
            obj["dimension"],
            obj["threshold"],
            obj["degree"],
            obj["min-survivors"],
            obj["max-clients"],
            obj["coordinate-bound"],
            _unb64(obj["graph-seed"], "graph-seed", 32),
        )


@dataclass(frozen=True)
class AdvertiseKeys(Message):
    """A client's two X25519 public keys: one for share transport, one for pairwise masks."""

    TYPE: ClassVar[str] = "advertise-keys"
    client: int
    channel_key: bytes
    mask_key: bytes

    def body(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "channel-key": _b64(self.channel_key),
            "mask-key": _b64(self.mask_key),
        }

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        return cls(
            obj["round"],
            _client(obj["client"]),
            _unb64(obj["channel-key"], "channel-key", KEY_BYTES),
            _unb64(obj["mask-key"], "mask-key", KEY_BYTES),
        )


@dataclass(frozen=True)
class Roster(Message):
    """Every client that advertised keys in time: id -> (channel key, mask key)."""

    TYPE: ClassVar[str] = "roster"
    keys: Mapping[int, tuple[bytes, bytes]]

    def body(self) -> dict[str, Any]:
        return {"keys": {str(c): [_b64(a), _b64(b)] for c, (a, b) in sorted(self.keys.items())}}

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        keys = {}
        for client, pair in _id_keyed(obj["keys"], "keys").items():
            if not isinstance(pair, list) or len(pair) != 2:
                raise InvalidMessage("each roster entry is [channel key, mask key]")
            keys[client] = (
                _unb64(pair[0], "channel key", KEY_BYTES),
                _unb64(pair[1], "mask key", KEY_BYTES),
            )
        return cls(obj["round"], keys)


@dataclass(frozen=True)
class ShareKeys(Message):
    """A client's encrypted share pairs, one ciphertext per neighbour (id -> ciphertext)."""

    TYPE: ClassVar[str] = "share-keys"
    client: int
    ciphertexts: Mapping[int, bytes]

    def body(self) -> dict[str, Any]:
        shares = {str(c): _b64(data) for c, data in sorted(self.ciphertexts.items())}
        return {"client": self.client, "ciphertexts": shares}

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        ciphertexts = {
            c: _unb64(v, "ciphertext", SHARE_CIPHERTEXT_BYTES)
            for c, v in _id_keyed(obj["ciphertexts"], "ciphertexts").items()
        }
        return cls(obj["round"], _client(obj["client"]), ciphertexts)


@dataclass(frozen=True)
class ShareInbox(Message):
    """The ciphertexts addressed to one client, by sender: the senders are the clients still
    in the round (U1 of Bonawitz et al.) among its neighbours."""

    TYPE: ClassVar[str] = "share-inbox"
    ciphertexts: Mapping[int, bytes]

    def body(self) -> dict[str, Any]:
        return {"ciphertexts": {str(c): _b64(d) for c, d in sorted(self.ciphertexts.items())}}

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        ciphertexts = {
            c: _unb64(v, "ciphertext", SHARE_CIPHERTEXT_BYTES)
            for c, v in _id_keyed(obj["ciphertexts"], "ciphertexts").items()
        }
        return cls(obj["round"], ciphertexts)


@dataclass(frozen=True)
class MaskedInput(Message):
    """A client's encoded update plus its masks, mod 2^32, little-endian words."""

    TYPE: ClassVar[str] = "masked-input"
    client: int
    words: bytes

    def body(self) -> dict[str, Any]:
        return {"client": self.client, "words": _b64(self.words)}

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        words = obj["words"]
        if not isinstance(words, str) or len(words) > 4 * math.ceil(4 * MAX_DIMENSION / 3):
            raise InvalidMessage("words must be base64, at most the largest dimension")
        try:
            data = base64.b64decode(words, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidMessage("words is not valid base64") from None
        if len(data) % 4:
            raise InvalidMessage("words must be a whole number of 32-bit words")
        return cls(obj["round"], _client(obj["client"]), data)


def _survivor_sets(survivors: tuple[int, ...], dropped: tuple[int, ...]) -> dict[str, Any]:
    return {"survivors": sorted(survivors), "dropped": sorted(dropped)}


@dataclass(frozen=True)
class ConsistencyCheck(Message):
    """Who sent a masked input (U3 of Bonawitz et al.) and who shared keys but did not: the set
    each survivor signs before anything is unmasked, so that every honest client answers the
    unmasking for one and the same set (federated/signed.py: consistency_statement)."""

    TYPE: ClassVar[str] = "consistency-check"
    survivors: tuple[int, ...]
    dropped: tuple[int, ...]

    def body(self) -> dict[str, Any]:
        return _survivor_sets(self.survivors, self.dropped)

    @staticmethod
    def max_bytes(max_clients: int) -> int:
        """The most a check of a round of ``max_clients`` takes: a device reads no more."""
        return 512 + ID_LIST_ENTRY_BYTES * max_clients

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        # Sorted, as they are written: two checks of the same sets compare equal.
        survivors = tuple(sorted(_ids(obj["survivors"], "survivors")))
        return cls(obj["round"], survivors, tuple(sorted(_ids(obj["dropped"], "dropped"))))


@dataclass(frozen=True)
class ConsistencySignature(Message):
    """A survivor's Ed25519 signature over the consistency check it was sent (and the roster it
    saw): an honest client signs one set per round."""

    TYPE: ClassVar[str] = "consistency-signature"
    client: int
    signature: bytes

    def body(self) -> dict[str, Any]:
        return {"client": self.client, "signature": _b64(self.signature)}

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        return cls(
            obj["round"],
            _client(obj["client"]),
            _unb64(obj["signature"], "signature", SIGNATURE_BYTES),
        )


@dataclass(frozen=True)
class UnmaskRequest(Message):
    """The consistency check's sets again, with the survivors' signatures over them (by client
    id): a client unmasks only for the set it signed, and only when enough others signed it
    too. Survivors' self-mask seeds are revealed, the dropped clients' mask keys: an honest
    client reveals at most one of the two per client."""

    TYPE: ClassVar[str] = "unmask-request"
    survivors: tuple[int, ...]
    dropped: tuple[int, ...]
    signatures: Mapping[int, bytes]

    @property
    def check(self) -> ConsistencyCheck:
        return ConsistencyCheck(self.round_id, self.survivors, self.dropped)

    def body(self) -> dict[str, Any]:
        signatures = {str(c): _b64(s) for c, s in sorted(self.signatures.items())}
        return {**_survivor_sets(self.survivors, self.dropped), "signatures": signatures}

    @staticmethod
    def max_bytes(max_clients: int) -> int:
        """The most a request of a round of ``max_clients`` takes: a device reads no more."""
        return ConsistencyCheck.max_bytes(max_clients) + SIGNATURE_ENTRY_BYTES * max_clients

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        check = ConsistencyCheck.parse(obj)
        signatures = {
            c: _unb64(v, "signature", SIGNATURE_BYTES)
            for c, v in _id_keyed(obj["signatures"], "signatures").items()
        }
        return cls(obj["round"], check.survivors, check.dropped, signatures)


@dataclass(frozen=True)
class UnmaskResponse(Message):
    """A client's shares of its neighbours' self-mask seeds (survivors) and mask keys
    (dropped), by the client they belong to."""

    TYPE: ClassVar[str] = "unmask-response"
    client: int
    seed_shares: Mapping[int, bytes]
    key_shares: Mapping[int, bytes]

    def body(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "seed-shares": {str(c): _b64(s) for c, s in sorted(self.seed_shares.items())},
            "key-shares": {str(c): _b64(s) for c, s in sorted(self.key_shares.items())},
        }

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        seeds = {
            c: _unb64(v, "seed share", SHARE_BYTES)
            for c, v in _id_keyed(obj["seed-shares"], "seed-shares").items()
        }
        keys = {
            c: _unb64(v, "key share", SHARE_BYTES)
            for c, v in _id_keyed(obj["key-shares"], "key-shares").items()
        }
        if set(seeds) & set(keys):
            raise InvalidMessage("a client's seed share and key share are never both revealed")
        return cls(obj["round"], _client(obj["client"]), seeds, keys)
