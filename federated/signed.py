"""What the devices sign with their Ed25519 identities: their AdvertiseKeys, relayed in a roster
that carries every signature (a server that substitutes keys is caught), and, in the
consistency round, the set of survivors they were shown together with the roster they saw (a
server that shows devices different sets, or different rosters, is caught)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from crypto.ed25519 import SigningKey
from crypto.identity import verify_signature
from federated.errors import InvalidMessage, UnsafeRequest
from federated.messages import (
    SIGNATURE_BYTES,
    WIRE_VERSION,
    AdvertiseKeys,
    ConsistencyCheck,
    Message,
    Roster,
    UnmaskRequest,
    _b64,
    _id_keyed,
    _unb64,
)

# A signed-roster's JSON for one client, at most: about 330 bytes with a 19-digit client id.
ROSTER_ENTRY_BYTES = 400
# Bound to the wire version: a signature made for one version's message is worthless in another.
SIGNED_KEYS_DOMAIN = b"privrec-federated-advertise-keys-v%d\n" % WIRE_VERSION
CONSISTENCY_DOMAIN = b"privrec-federated-consistency-v%d\n" % WIRE_VERSION
_ROSTER_DIGEST_DOMAIN = b"privrec-federated-roster-v%d\n" % WIRE_VERSION
_IDENTITY = re.compile(r"[0-9a-f]{64}")


def _identity(value: object) -> str:
    if not isinstance(value, str) or not _IDENTITY.fullmatch(value):
        raise InvalidMessage("identity must be an Ed25519 public key, 64 lowercase hex")
    return value


def signed_statement(keys: AdvertiseKeys, identity: str) -> bytes:
    """The bytes an identity signs: the domain, the keys message in its canonical JSON (its
    version, round id and client id included) and the identity itself."""
    return SIGNED_KEYS_DOMAIN + keys.to_bytes() + b"\n" + identity.encode("ascii")


@dataclass(frozen=True)
class SignedAdvertiseKeys(Message):
    """A client's AdvertiseKeys with its identity (the account's public key, hex) and that
    identity's signature over them."""

    TYPE: ClassVar[str] = "signed-advertise-keys"
    client: int
    channel_key: bytes
    mask_key: bytes
    identity: str
    signature: bytes

    @property
    def keys(self) -> AdvertiseKeys:
        return AdvertiseKeys(self.round_id, self.client, self.channel_key, self.mask_key)

    @classmethod
    def sign(cls, keys: AdvertiseKeys, identity: SigningKey) -> Self:
        """Sign a client's keys for their round with the device's identity key."""
        public = identity.public_key_hex
        signature = identity.sign(signed_statement(keys, public))
        return cls(keys.round_id, keys.client, keys.channel_key, keys.mask_key, public, signature)

    def verify(self, round_id: bytes, identity: str | None = None) -> AdvertiseKeys:
        """The keys, once the signature is checked and they belong to `round_id` (and to
        `identity`, when the caller knows whose they must be). Raises InvalidMessage."""
        if self.round_id != round_id:
            raise InvalidMessage("the signed keys belong to another round")
        if identity is not None and self.identity != identity:
            raise InvalidMessage("the keys are signed by another identity than the account's")
        keys = self.keys
        if not verify_signature(
            self.identity, signed_statement(keys, self.identity), self.signature
        ):
            raise InvalidMessage(f"client {self.client}'s keys are not signed by its identity")
        return keys

    def body(self) -> dict[str, Any]:
        return {
            **self.keys.body(),
            "identity": self.identity,
            "signature": _b64(self.signature),
        }

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        keys = AdvertiseKeys.parse(obj)  # the keys' own field checks, then the signature's
        return cls(
            keys.round_id,
            keys.client,
            keys.channel_key,
            keys.mask_key,
            _identity(obj["identity"]),
            _unb64(obj["signature"], "signature", SIGNATURE_BYTES),
        )


@dataclass(frozen=True)
class SignedRoster(Message):
    """The roster as the server relays it: every client's signed keys, by client id. A client
    checks it with `verify` and hands the resulting Roster to SecAggClient."""

    TYPE: ClassVar[str] = "signed-roster"
    entries: Mapping[int, SignedAdvertiseKeys]

    @classmethod
    def of(cls, round_id: bytes, entries: Mapping[int, SignedAdvertiseKeys]) -> Self:
        return cls(round_id, dict(entries))

    @property
    def identities(self) -> dict[int, str]:
        """Whose each seat is: the identity that signed its keys (checked by ``verify``)."""
        return {client: entry.identity for client, entry in self.entries.items()}

    @staticmethod
    def max_bytes(max_clients: int) -> int:
        """The most a roster of up to ``max_clients`` entries takes: a device reads no more."""
        return 1024 + ROSTER_ENTRY_BYTES * max_clients

    def verify(self, own_identity: str | None = None, own_client: int | None = None) -> Roster:
        """The plain Roster, once every entry is checked: filed under its own client id, for
        this round, signed by its identity, no identity twice (one device, one seat); and, when
        given, this device's own entry carries its own identity."""
        seen: set[str] = set()
        keys = {}
        for client, entry in self.entries.items():
            if entry.client != client:
                raise InvalidMessage(f"roster entry {client} holds client {entry.client}'s keys")
            if entry.identity in seen:
                raise InvalidMessage(f"identity {entry.identity[:16]}... holds two seats")
            seen.add(entry.identity)
            checked = entry.verify(self.round_id)
            keys[client] = (checked.channel_key, checked.mask_key)
        if own_client is not None and own_identity is not None:
            own = self.entries.get(own_client)
            if own is None or own.identity != own_identity:
                raise InvalidMessage("the roster does not carry this device's own signed keys")
        return Roster(self.round_id, keys)

    def body(self) -> dict[str, Any]:
        return {
            "entries": {
                str(client): {
                    "channel-key": _b64(entry.channel_key),
                    "mask-key": _b64(entry.mask_key),
                    "identity": entry.identity,
                    "signature": _b64(entry.signature),
                }
                for client, entry in sorted(self.entries.items())
            }
        }

    @classmethod
    def parse(cls, obj: Mapping[str, Any]) -> Self:
        entries = {}
        names = {"channel-key", "mask-key", "identity", "signature"}
        for client, entry in _id_keyed(obj["entries"], "entries").items():
            if not isinstance(entry, dict) or set(entry) != names:
                raise InvalidMessage(f"each roster entry has exactly the fields {sorted(names)}")
            entries[client] = SignedAdvertiseKeys.parse(
                {**entry, "round": obj["round"], "client": client}
            )
        return cls(obj["round"], entries)


# --- the consistency round (Bonawitz et al., CCS 2017, round 3) ---------------------------------


def roster_digest(roster: Roster, identities: Mapping[int, str]) -> bytes:
    """SHA-256 of the roster a device was shown: every seat's keys and identity. Devices seal
    their shares to it and sign it with the survivors, so a device never takes part in the same
    round under another roster than its neighbours and co-signers."""
    seats = json.dumps({str(c): identities[c] for c in sorted(roster.keys)}, sort_keys=True)
    return hashlib.sha256(
        _ROSTER_DIGEST_DOMAIN + roster.to_bytes() + b"\n" + seats.encode()
    ).digest()


def consistency_statement(check: ConsistencyCheck, digest: bytes) -> bytes:
    """The bytes every survivor signs: the domain (with the wire version), the roster digest and
    the check's canonical JSON (its round id, survivors and dropped clients)."""
    return CONSISTENCY_DOMAIN + digest + check.to_bytes()


def consistency_quorum(roster_size: int, min_survivors: int) -> int:
    """Signatures of one set a device needs before it unmasks: more than half of the roster (an
    honest device signs one set per round, so two sets cannot both reach it without colluders)
    and at least ``min_survivors``."""
    return max(min_survivors, roster_size // 2 + 1)


def check_consistency(
    request: UnmaskRequest, digest: bytes, identities: Mapping[int, str], quorum: int
) -> None:
    """Refuse (UnsafeRequest) an unmask request whose signatures are not ``quorum`` valid ones,
    by distinct survivors of the roster, over this very set and roster digest."""
    survivors = set(request.survivors)
    strangers = sorted(set(request.signatures) - (survivors & set(identities)))
    if strangers:
        raise UnsafeRequest(f"signatures of clients that are not survivors: {strangers[:10]}")
    if len({identities[c] for c in request.signatures}) < quorum:  # counted before verified
        raise UnsafeRequest(
            f"{len(request.signatures)} survivors signed the set, at least {quorum} needed"
        )
    statement = consistency_statement(request.check, digest)
    statement_hash = hashlib.sha256(statement).digest()
    for client, signature in sorted(request.signatures.items()):
        seen = (identities[client], statement_hash, signature)
        if seen in _VERIFIED:
            continue
        if not verify_signature(identities[client], statement, signature):
            raise UnsafeRequest(f"client {client}'s signature is not over this set of survivors")
        if len(_VERIFIED) >= _VERIFIED_LIMIT:
            _VERIFIED.clear()
        _VERIFIED.add(seen)


# Signatures already found valid, by (identity, SHA-256 of the statement, signature): a device
# checks each once anyway, but a simulation runs a whole cohort in one process, where every
# device checks the same few hundred signatures (Ed25519 verification is deterministic).
_VERIFIED: set[tuple[str, bytes, bytes]] = set()
_VERIFIED_LIMIT = 1 << 16
