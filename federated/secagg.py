"""Secure aggregation (Bonawitz et al., CCS 2017) over a SecAgg+ neighbour graph (Bell et al.,
CCS 2020): the server learns the sum of the surviving clients' vectors mod 2^32, and nothing
else, even when clients drop out mid-round. Both sides are message-driven state machines, so
the transport (HTTP through the market server, or in-process) is the caller's choice."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import numpy as np
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from crypto.ed25519 import SigningKey
from crypto.identity import verify_signature
from federated.errors import InvalidMessage, ProtocolAbort, UnsafeRequest
from federated.fixedpoint import Words
from federated.masking import (
    check_enough,
    expand_mask,
    neighbours,
    open_shares,
    pairwise_seed,
    seal_shares,
)
from federated.messages import (
    AdvertiseKeys,
    ConsistencyCheck,
    ConsistencySignature,
    MaskedInput,
    Message,
    Roster,
    RoundConfig,
    ShareInbox,
    ShareKeys,
    UnmaskRequest,
    UnmaskResponse,
)
from federated.shamir import SECRET_BYTES, combine_shares, split_secret
from federated.signed import (
    check_consistency,
    consistency_quorum,
    consistency_statement,
    roster_digest,
)

RandomBytes = Callable[[int], bytes]


def _public(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _secret(key: X25519PrivateKey) -> bytes:
    """The raw private key, only ever to be Shamir-shared among the client's neighbours."""
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _same_round(config: RoundConfig, message: Message) -> None:
    if message.round_id != config.round_id:
        raise InvalidMessage("the message belongs to another round")


def _check_sets(config: RoundConfig, client: int, survivors: set[int], dropped: set[int]) -> None:
    """What an honest client refuses in the sets it is asked to sign and unmask for."""
    if survivors & dropped:
        raise UnsafeRequest(f"clients both survived and dropped: {sorted(survivors & dropped)}")
    if client not in survivors:
        raise UnsafeRequest("this client sent its masked input but is not counted")
    check_enough(len(survivors), config.min_survivors, "masked inputs in the sum")


class SecAggClient:
    """One device's side of one round. Call advertise, share_keys, masked_input, consistency,
    unmask in order; each checks what the server sent and refuses what an honest client must
    refuse."""

    def __init__(
        self, config: RoundConfig, client: int, random_bytes: RandomBytes = os.urandom
    ) -> None:
        self.config = config
        self.client = client
        self._random_bytes = random_bytes
        self._channel = X25519PrivateKey.from_private_bytes(random_bytes(32))
        self._mask = X25519PrivateKey.from_private_bytes(random_bytes(32))
        self._seed = random_bytes(SECRET_BYTES)  # the self-mask seed, b_u
        self._roster: Mapping[int, tuple[bytes, bytes]] = {}
        self._identities: Mapping[int, str] = {}
        self._digest = b""  # of the roster this client saw: its shares are sealed to it
        self._signed: ConsistencyCheck | None = None  # the one set it signs this round
        self._neighbours: frozenset[int] = frozenset()
        self._own_shares: tuple[bytes, bytes] = (b"", b"")
        self._held: dict[int, tuple[bytes, bytes]] = {}  # neighbour -> (seed share, key share)
        self._stage = "advertise"

    def _advance(self, expected: str, following: str) -> None:
        if self._stage != expected:
            raise ProtocolAbort(f"the client is at {self._stage!r}, not {expected!r}")
        self._stage = following

    def advertise(self) -> AdvertiseKeys:
        self._advance("advertise", "share")
        return AdvertiseKeys(
            self.config.round_id, self.client, _public(self._channel), _public(self._mask)
        )

    def share_keys(self, roster: Roster, identities: Mapping[int, str]) -> ShareKeys:
        """Split the self-mask seed and the mask key among the neighbours, encrypted to each.
        ``identities``: whose each seat is (the verified signed roster's), one seat each; the
        consistency round checks the survivors' signatures with them."""
        _same_round(self.config, roster)
        self._advance("share", "mask")
        keys = roster.keys
        own = (_public(self._channel), _public(self._mask))
        if keys.get(self.client) != own:
            raise UnsafeRequest("the roster does not hold this client's own keys")
        if set(identities) != set(keys) or len(set(identities.values())) != len(identities):
            raise UnsafeRequest("the roster's seats are not one identity each")
        if len(keys) > self.config.max_clients:
            raise ProtocolAbort(f"the roster has {len(keys)} clients, over the round's limit")
        check_enough(len(keys), self.config.min_survivors, "clients in the roster")
        published = [key for pair in keys.values() for key in pair]
        if len(set(published)) != len(published):
            raise UnsafeRequest("two roster entries share a public key")
        self._roster, self._identities = keys, dict(identities)
        self._digest = roster_digest(roster, identities)
        self._neighbours = neighbours(list(keys), self.config.degree, self.config.graph_seed)[
            self.client
        ]
        holders = sorted(self._neighbours | {self.client})
        threshold = self.config.threshold
        # More than half of the holders: a server telling half of them "u survived" and the
        # other half "u dropped" cannot collect enough shares of both of u's secrets.
        if 2 * threshold <= len(holders):
            raise UnsafeRequest(
                f"threshold {threshold} is not above half of the {len(holders)} share holders"
            )
        seed_shares = split_secret(self._seed, holders, threshold, self._random_bytes)
        key_shares = split_secret(_secret(self._mask), holders, threshold, self._random_bytes)
        self._own_shares = (seed_shares[self.client], key_shares[self.client])
        ciphertexts = {
            v: seal_shares(
                self._channel,
                keys[v][0],
                self.config.round_id,
                self.client,
                v,
                seed_shares[v],
                key_shares[v],
                self._digest,
            )
            for v in holders
            if v != self.client
        }
        return ShareKeys(self.config.round_id, self.client, ciphertexts)

    def masked_input(self, inbox: ShareInbox, words: Words) -> MaskedInput:
        """Mask the encoded vector with the self mask and a pairwise mask per neighbour that
        sent shares; keep the shares received for the unmasking."""
        _same_round(self.config, inbox)
        if words.dtype != np.uint32 or words.shape != (self.config.dimension,):
            raise ValueError(f"the input must be {self.config.dimension} uint32 words")
        self._advance("mask", "check")
        strangers = set(inbox.ciphertexts) - self._neighbours
        if strangers:
            raise InvalidMessage(
                f"shares from clients that are not neighbours: {sorted(strangers)}"
            )
        check_enough(len(inbox.ciphertexts) + 1, self.config.threshold, "neighbours still in")
        for sender, ciphertext in inbox.ciphertexts.items():
            self._held[sender] = open_shares(
                self._channel,
                self._roster[sender][0],
                self.config.round_id,
                sender,
                self.client,
                ciphertext,
                self._digest,
            )
        self._held[self.client] = self._own_shares
        masked = words + expand_mask(self._seed, self.config.dimension)
        for other in inbox.ciphertexts:
            seed = pairwise_seed(
                self._mask, self._roster[other][1], self.config.round_id, self.client, other
            )
            mask = expand_mask(seed, self.config.dimension)
            masked = masked + mask if self.client < other else masked - mask
        return MaskedInput(self.config.round_id, self.client, masked.astype("<u4").tobytes())

    def consistency(self, check: ConsistencyCheck, identity: SigningKey) -> ConsistencySignature:
        """Sign the set of survivors (and dropped clients) the server claims, with the roster
        this client saw: the only set it will ever unmask for this round."""
        _same_round(self.config, check)
        if identity.public_key_hex != self._identities.get(self.client):
            raise ValueError("sign with the identity this client's roster seat holds")
        survivors, dropped = set(check.survivors), set(check.dropped)
        _check_sets(self.config, self.client, survivors, dropped)
        # U3 and U2 \ U3 are within U2: a neighbour said to be in either shared its keys with us.
        unknown = (survivors | dropped) - set(self._roster)
        silent = ((survivors | dropped) & self._neighbours) - set(self._held)
        if unknown or silent:
            raise UnsafeRequest(
                f"the check names clients not in the roster {sorted(unknown)[:10]} or "
                f"neighbours that shared no keys with this client {sorted(silent)[:10]}"
            )
        self._advance("check", "unmask")
        self._signed = check
        statement = consistency_statement(check, self._digest)
        return ConsistencySignature(self.config.round_id, self.client, identity.sign(statement))

    def unmask(self, request: UnmaskRequest) -> UnmaskResponse:
        """Reveal each neighbour's seed share if it survived, its key share if it dropped, for
        the set this client signed only, once enough survivors signed it too."""
        _same_round(self.config, request)
        if self._stage != "unmask" or self._signed is None:
            raise ProtocolAbort(f"the client is at {self._stage!r}, not 'unmask'")
        if request.check != self._signed:
            raise UnsafeRequest("the unmask request's sets are not the ones this client signed")
        quorum = consistency_quorum(len(self._roster), self.config.min_survivors)
        check_consistency(request, self._digest, self._identities, quorum)
        survivors, dropped = set(request.survivors), set(request.dropped)
        # One set for the whole round, checked disjoint when signed: each held client's seed
        # share or key share, never both, however many times the request comes.
        return UnmaskResponse(
            self.config.round_id,
            self.client,
            {c: self._held[c][0] for c in survivors if c in self._held},
            {c: self._held[c][1] for c in dropped if c in self._held},
        )


class SecAggServer:
    """The server's side of one round: routes the messages and, at the end, removes the masks
    from the sum. Everything it keeps is masked or encrypted to a client."""

    def __init__(self, config: RoundConfig) -> None:
        self.config = config
        self.keys: dict[int, tuple[bytes, bytes]] = {}
        self.identities: dict[int, str] = {}  # whose each seat is (Ed25519 public key, hex)
        self.graph: dict[int, frozenset[int]] = {}
        self.shares: dict[int, Mapping[int, bytes]] = {}  # sender -> receiver -> ciphertext
        self.masked: dict[int, Words] = {}
        self.signatures: dict[int, bytes] = {}  # survivor -> its signature over the check
        self._statement: bytes | None = None  # what survivors sign: fixed once inputs close
        self.responses: dict[int, UnmaskResponse] = {}
        self.stage = "advertise"

    def _at(self, stage: str) -> None:
        if self.stage != stage:
            raise InvalidMessage(f"the round is at {self.stage!r}, not {stage!r}")

    def receive_advertise(self, message: AdvertiseKeys, identity: str) -> None:
        """A client's keys, from the account ``identity`` (checked by the caller: the signed
        request's, or the keys' signature's)."""
        _same_round(self.config, message)
        self._at("advertise")
        if message.client in self.keys:
            raise InvalidMessage(f"client {message.client} advertised keys twice")
        if identity in self.identities.values():
            raise InvalidMessage("an identity holds one seat in a round")
        if len(self.keys) >= self.config.max_clients:
            raise InvalidMessage("the round is full")
        taken = {key for pair in self.keys.values() for key in pair}
        pair = (message.channel_key, message.mask_key)
        if message.channel_key == message.mask_key or taken & set(pair):
            raise InvalidMessage("public keys must be fresh and distinct")
        self.keys[message.client] = pair
        self.identities[message.client] = identity

    def roster(self) -> Roster:
        """Close the key advertising (idempotent) and publish who is in."""
        if self.stage == "advertise":
            check_enough(len(self.keys), self.config.min_survivors, "clients advertised keys")
            self.graph = neighbours(list(self.keys), self.config.degree, self.config.graph_seed)
            self.stage = "share"
        return Roster(self.config.round_id, dict(self.keys))

    def receive_share_keys(self, message: ShareKeys) -> None:
        _same_round(self.config, message)
        self._at("share")
        if message.client not in self.keys:
            raise InvalidMessage(f"client {message.client} is not in the roster")
        if message.client in self.shares:
            raise InvalidMessage(f"client {message.client} shared its keys twice")
        if set(message.ciphertexts) != self.graph[message.client]:
            raise InvalidMessage("shares must go to exactly the client's neighbours")
        self.shares[message.client] = message.ciphertexts

    def inbox(self, client: int) -> ShareInbox:
        """The shares sent to `client` by neighbours that shared theirs (closes the sharing)."""
        if self.stage == "share":
            check_enough(len(self.shares), self.config.min_survivors, "clients shared keys")
            self.stage = "mask"
        self._at("mask")
        if client not in self.shares:
            raise InvalidMessage(f"client {client} did not share its keys")
        incoming = {
            sender: self.shares[sender][client]
            for sender in self.graph[client]
            if sender in self.shares
        }
        return ShareInbox(self.config.round_id, incoming)

    def receive_masked_input(self, message: MaskedInput) -> None:
        _same_round(self.config, message)
        self._at("mask")
        if message.client not in self.shares:
            raise InvalidMessage(f"client {message.client} did not share its keys")
        if message.client in self.masked:
            raise InvalidMessage(f"client {message.client} sent its input twice")
        if len(message.words) != self.config.masked_input_bytes:
            raise InvalidMessage(
                f"masked input of {len(message.words)} bytes; the round takes "
                f"{self.config.masked_input_bytes}"
            )
        self.masked[message.client] = np.frombuffer(message.words, dtype="<u4").astype(np.uint32)

    def roster_digest(self) -> bytes:
        return roster_digest(Roster(self.config.round_id, self.keys), self.identities)

    def consistency_check(self) -> ConsistencyCheck:
        """Close the inputs (idempotent): who is in the sum, who dropped after sharing keys."""
        if self.stage == "mask":
            check_enough(len(self.masked), self.config.min_survivors, "masked inputs")
            self.stage = "check"
        if self.stage not in ("check", "unmask"):
            raise InvalidMessage(f"the round is at {self.stage!r}, not 'check'")
        dropped = tuple(sorted(set(self.shares) - set(self.masked)))
        return ConsistencyCheck(self.config.round_id, tuple(sorted(self.masked)), dropped)

    def receive_consistency(self, message: ConsistencySignature) -> None:
        """A survivor's signature over the check; refused unless valid (one bad signature
        relayed would make every honest client refuse to unmask)."""
        _same_round(self.config, message)
        self._at("check")
        if message.client not in self.masked:
            raise InvalidMessage(f"client {message.client} is not among the survivors")
        if message.client in self.signatures:
            raise InvalidMessage(f"client {message.client} signed twice")
        if self._statement is None:
            self._statement = consistency_statement(self.consistency_check(), self.roster_digest())
        if not verify_signature(
            self.identities[message.client], self._statement, message.signature
        ):
            raise InvalidMessage(f"client {message.client}'s signature is not over the check")
        self.signatures[message.client] = message.signature

    def quorum(self) -> int:
        return consistency_quorum(len(self.keys), self.config.min_survivors)

    def unmask_request(self) -> UnmaskRequest:
        """Close the signing (idempotent): the check with every survivor's signature over it."""
        if self.stage == "check":
            check_enough(len(self.signatures), self.quorum(), "survivors signed the set")
            self.stage = "unmask"
        self._at("unmask")
        check = self.consistency_check()
        return UnmaskRequest(
            self.config.round_id, check.survivors, check.dropped, dict(self.signatures)
        )

    def receive_unmask(self, message: UnmaskResponse) -> None:
        _same_round(self.config, message)
        self._at("unmask")
        client = message.client
        if client not in self.signatures:
            raise InvalidMessage(f"client {client} is not among the survivors that signed")
        if client in self.responses:
            raise InvalidMessage(f"client {client} answered twice")
        holds = self.graph[client] | {client}
        survivors = set(self.masked)
        if not set(message.seed_shares) <= holds & survivors:
            raise InvalidMessage("seed shares of clients this one does not hold, or not survivors")
        dropped = set(self.shares) - survivors
        if not set(message.key_shares) <= holds & dropped:
            raise InvalidMessage("key shares of clients this one does not hold, or not dropped")
        self.responses[client] = message

    def aggregate(self) -> tuple[Words, int]:
        """The sum of the survivors' vectors mod 2^32 and how many they are. Raises
        ProtocolAbort when too few shares came back to remove a mask."""
        self._at("unmask")
        threshold, dimension = self.config.threshold, self.config.dimension
        survivors = sorted(self.masked)
        total = np.zeros(dimension, dtype=np.uint32)
        for client in survivors:
            total += self.masked[client]
        for client in survivors:
            shares = {
                holder: response.seed_shares[client]
                for holder, response in self.responses.items()
                if client in response.seed_shares
            }
            total -= expand_mask(combine_shares(shares, threshold), dimension)
        for client in sorted(set(self.shares) - set(self.masked)):
            shares = {
                holder: response.key_shares[client]
                for holder, response in self.responses.items()
                if client in response.key_shares
            }
            key = X25519PrivateKey.from_private_bytes(combine_shares(shares, threshold))
            if _public(key) != self.keys[client][1]:
                raise ProtocolAbort(f"the key shares of client {client} are inconsistent")
            for other in sorted(self.graph[client] & set(survivors)):
                mask = expand_mask(
                    pairwise_seed(key, self.keys[other][1], self.config.round_id, client, other),
                    dimension,
                )
                # `other` added the mask if other < client, else subtracted it.
                total = total - mask if other < client else total + mask
        return total, len(survivors)
