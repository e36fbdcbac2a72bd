"""Signed AdvertiseKeys and the signed roster: a round goes through with them, and a tampered
key, a wrong identity, a replay into another round or a malformed message is refused; the
consistency round's statement, digest and messages, and their bad forms."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from crypto.identity import IdentityKey
from federated.errors import InvalidMessage
from federated.messages import (
    MAX_CLIENT_ID,
    WIRE_VERSION,
    AdvertiseKeys,
    ConsistencyCheck,
    ConsistencySignature,
    MaskedInput,
    Roster,
    ShareKeys,
    UnmaskRequest,
)
from federated.secagg import SecAggClient, SecAggServer
from federated.signed import (
    CONSISTENCY_DOMAIN,
    SIGNED_KEYS_DOMAIN,
    SignedAdvertiseKeys,
    SignedRoster,
    consistency_statement,
    roster_digest,
)
from tests.federated.conftest import counter_bytes, make_config

CONFIG = make_config(dimension=8, threshold=3, degree=4, min_survivors=3, max_clients=10)
OTHER_ROUND = bytes(range(1, 17))


def identity(n: int) -> IdentityKey:
    return IdentityKey.from_private_bytes(bytes([n]) * 32)


def signed_keys(client: int, round_id: bytes = CONFIG.round_id) -> SignedAdvertiseKeys:
    config = dataclasses.replace(CONFIG, round_id=round_id)
    keys = SecAggClient(config, client, counter_bytes(b"c%d" % client)).advertise()
    return SignedAdvertiseKeys.sign(keys, identity(client))


def test_a_round_runs_on_signed_keys_checked_by_every_client() -> None:
    clients = {c: SecAggClient(CONFIG, c, counter_bytes(b"c%d" % c)) for c in range(1, 6)}
    server = SecAggServer(CONFIG)
    relayed: dict[int, SignedAdvertiseKeys] = {}
    for c, client in clients.items():
        wire = SignedAdvertiseKeys.sign(client.advertise(), identity(c)).to_bytes()
        signed = SignedAdvertiseKeys.from_json(wire, max_bytes=4096)
        # The server checks the signer is the account that sent it, then runs the plain round.
        account = identity(c).public_key_hex
        server.receive_advertise(signed.verify(CONFIG.round_id, account), account)
        relayed[c] = signed
    roster_wire = SignedRoster.of(CONFIG.round_id, relayed).to_bytes()
    assert server.roster() == SignedRoster.from_json(roster_wire).verify()
    values = {c: np.full(CONFIG.dimension, c, dtype=np.uint32) for c in clients}
    for c, client in clients.items():
        signed_roster = SignedRoster.from_json(roster_wire)
        roster = signed_roster.verify(identity(c).public_key_hex, c)
        assert signed_roster.identities == server.identities
        shared = client.share_keys(roster, signed_roster.identities).to_bytes()
        server.receive_share_keys(ShareKeys.from_json(shared))
    for c, client in clients.items():
        message = client.masked_input(server.inbox(c), values[c])
        server.receive_masked_input(MaskedInput.from_json(message.to_bytes()))
    check = server.consistency_check()
    for c, client in clients.items():
        server.receive_consistency(client.consistency(check, identity(c)))
    request = server.unmask_request()
    for c in request.survivors:
        server.receive_unmask(clients[c].unmask(request))
    total, count = server.aggregate()
    assert count == 5
    assert np.array_equal(total, np.full(CONFIG.dimension, 15, dtype=np.uint32))


def test_the_signature_covers_the_domain_version_round_client_keys_and_identity() -> None:
    signed = signed_keys(3)
    statement = SIGNED_KEYS_DOMAIN + signed.keys.to_bytes() + b"\n"
    statement += identity(3).public_key_hex.encode()
    assert SIGNED_KEYS_DOMAIN == b"privrec-federated-advertise-keys-v%d\n" % WIRE_VERSION
    assert identity(3).public_key.verify(signed.signature, statement) is None
    assert signed.verify(CONFIG.round_id) == signed.keys


@pytest.mark.parametrize("field", ["channel_key", "mask_key"])
def test_a_substituted_key_is_refused(field: str) -> None:
    signed = signed_keys(2)
    forged = dataclasses.replace(signed, **{field: signed_keys(4).keys.__dict__[field]})
    with pytest.raises(InvalidMessage, match="not signed by its identity"):
        forged.verify(CONFIG.round_id)


def test_keys_moved_to_another_client_id_are_refused() -> None:
    forged = dataclasses.replace(signed_keys(2), client=7)
    with pytest.raises(InvalidMessage, match="not signed by its identity"):
        forged.verify(CONFIG.round_id)


def test_keys_signed_by_another_identity_are_refused() -> None:
    signed = signed_keys(2)
    # Claimed by identity 5 but signed by identity 2.
    claimed = dataclasses.replace(signed, identity=identity(5).public_key_hex)
    with pytest.raises(InvalidMessage, match="not signed by its identity"):
        claimed.verify(CONFIG.round_id)
    # Re-signed by a key the server controls: valid as such, but not the account that sent it.
    resigned = SignedAdvertiseKeys.sign(signed.keys, identity(9))
    assert resigned.verify(CONFIG.round_id) == signed.keys
    with pytest.raises(InvalidMessage, match="another identity"):
        resigned.verify(CONFIG.round_id, identity(2).public_key_hex)


def test_keys_replayed_into_another_round_are_refused() -> None:
    old = signed_keys(2)
    with pytest.raises(InvalidMessage, match="another round"):
        old.verify(OTHER_ROUND)
    # Relabelled with the new round id, the signature no longer matches.
    relabelled = dataclasses.replace(old, round_id=OTHER_ROUND)
    with pytest.raises(InvalidMessage, match="not signed by its identity"):
        relabelled.verify(OTHER_ROUND)


def test_a_roster_with_a_substituted_or_replayed_entry_is_refused() -> None:
    entries = {c: signed_keys(c) for c in (1, 2, 3)}
    forged = dict(entries)
    forged[2] = dataclasses.replace(entries[2], mask_key=entries[3].mask_key)
    with pytest.raises(InvalidMessage, match="client 2's keys are not signed"):
        SignedRoster.of(CONFIG.round_id, forged).verify()
    replayed = {**entries, 2: signed_keys(2, OTHER_ROUND)}
    with pytest.raises(InvalidMessage, match="another round"):
        SignedRoster.of(CONFIG.round_id, replayed).verify()
    moved = {**entries, 4: entries[1]}
    with pytest.raises(InvalidMessage, match="holds client 1's keys"):
        SignedRoster.of(CONFIG.round_id, moved).verify()
    twice = {**entries, 4: SignedAdvertiseKeys.sign(signed_keys(4).keys, identity(1))}
    with pytest.raises(InvalidMessage, match="two seats"):
        SignedRoster.of(CONFIG.round_id, twice).verify()
    roster = SignedRoster.of(CONFIG.round_id, entries)
    with pytest.raises(InvalidMessage, match="own signed keys"):
        roster.verify(identity(4).public_key_hex, 1)
    assert set(roster.verify(identity(1).public_key_hex, 1).keys) == {1, 2, 3}


def test_a_signed_roster_survives_its_wire_form() -> None:
    roster = SignedRoster.of(CONFIG.round_id, {c: signed_keys(c) for c in (1, 2)})
    assert SignedRoster.from_json(roster.to_bytes()) == roster


def test_a_full_roster_of_the_largest_client_ids_fits_its_bound_and_one_more_does_not() -> None:
    largest = MAX_CLIENT_ID - 1
    entries = {
        c: dataclasses.replace(signed_keys(1), client=c) for c in range(largest - 9, largest + 1)
    }
    raw = SignedRoster.of(CONFIG.round_id, entries).to_bytes()
    assert len(raw) <= SignedRoster.max_bytes(10)
    assert SignedRoster.from_json(raw, max_bytes=SignedRoster.max_bytes(10)).entries == entries
    padded = raw[:-1] + b" " * (SignedRoster.max_bytes(10) - len(raw) + 1) + b"}"
    with pytest.raises(InvalidMessage, match="over"):
        SignedRoster.from_json(padded, max_bytes=SignedRoster.max_bytes(10))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"identity": "AB" * 32}, "64 lowercase hex"),
        ({"identity": 5}, "64 lowercase hex"),
        ({"signature": "AAAA"}, "signature must be 64 bytes"),
        ({"signature": "!!"}, "signature is not valid base64"),
        ({"channel-key": "AAAA"}, "channel-key must be 32 bytes"),
        ({"client": 0}, "client must be an integer"),
        ({"v": WIRE_VERSION + 1}, "unsupported message version"),
        ({"type": "advertise-keys"}, "expected a signed-advertise-keys"),
        ({"extra": 1}, "fields must be exactly"),
    ],
)
def test_malformed_signed_keys_are_refused(change: dict[str, object], message: str) -> None:
    wire = {**signed_keys(1).to_json(), **change}
    with pytest.raises(InvalidMessage, match=message):
        SignedAdvertiseKeys.from_json(json.dumps(wire).encode())


def test_a_plain_advertise_keys_is_not_a_signed_one_and_size_is_bounded() -> None:
    plain = signed_keys(1).keys.to_bytes()
    with pytest.raises(InvalidMessage):
        SignedAdvertiseKeys.from_json(plain)
    with pytest.raises(InvalidMessage, match="over 100 bytes"):
        SignedAdvertiseKeys.from_json(signed_keys(1).to_bytes(), max_bytes=100)
    assert isinstance(AdvertiseKeys.from_json(plain), AdvertiseKeys)


@pytest.mark.parametrize(
    "entry",
    [
        "not an object",
        {"channel-key": "", "mask-key": "", "identity": ""},
        {"channel-key": "", "mask-key": "", "identity": "", "signature": "", "extra": ""},
    ],
)
def test_malformed_roster_entries_are_refused(entry: object) -> None:
    wire = SignedRoster.of(CONFIG.round_id, {1: signed_keys(1)}).to_json()
    wire["entries"] = {"1": entry}
    with pytest.raises(InvalidMessage, match="exactly the fields"):
        SignedRoster.from_json(wire)


# --- the consistency round -----------------------------------------------------------------------

ROSTER = Roster(CONFIG.round_id, {c: (bytes([c]) * 32, bytes([c + 100]) * 32) for c in (1, 2, 3)})
SEATS = {c: identity(c).public_key_hex for c in (1, 2, 3)}
CHECK = ConsistencyCheck(CONFIG.round_id, (1, 2), (3,))


def test_the_roster_digest_covers_every_seats_keys_and_identity() -> None:
    digest = roster_digest(ROSTER, SEATS)
    assert len(digest) == 32 and digest == roster_digest(ROSTER, dict(reversed(SEATS.items())))
    other_identity = {**SEATS, 2: identity(9).public_key_hex}
    other_key = Roster(ROSTER.round_id, {**ROSTER.keys, 3: (bytes(32), bytes([103]) * 32)})
    fewer = Roster(ROSTER.round_id, {c: ROSTER.keys[c] for c in (1, 2)})
    other_round = Roster(OTHER_ROUND, ROSTER.keys)
    variants = [
        roster_digest(ROSTER, other_identity),
        roster_digest(other_key, SEATS),
        roster_digest(fewer, SEATS),
        roster_digest(other_round, SEATS),
    ]
    assert len({digest, *variants}) == 5


def test_the_consistency_statement_covers_the_domain_version_roster_round_and_sets() -> None:
    digest = roster_digest(ROSTER, SEATS)
    statement = consistency_statement(CHECK, digest)
    assert CONSISTENCY_DOMAIN == b"privrec-federated-consistency-v%d\n" % WIRE_VERSION
    assert statement == CONSISTENCY_DOMAIN + digest + CHECK.to_bytes()
    moved = ConsistencyCheck(CHECK.round_id, (1, 2, 3), ())
    assert consistency_statement(moved, digest) != statement
    assert consistency_statement(CHECK, bytes(32)) != statement
    # Parsing puts the ids in order: the same sets are the same check, whatever the order sent.
    shuffled = {**CHECK.to_json(), "survivors": [2, 1]}
    assert ConsistencyCheck.from_json(shuffled) == CHECK


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"survivors": [1, 1]}, "survivors repeats a client"),
        ({"survivors": [0]}, "survivors must be an integer"),
        ({"survivors": "1,2"}, "survivors must be a list"),
        ({"dropped": [True]}, "dropped must be an integer"),
        ({"round": "00" * 15}, "round must be a 32-digit hex"),
        ({"v": WIRE_VERSION - 1}, "speaks version 3"),
        ({"type": "unmask-request"}, "expected a consistency-check"),
        ({"extra": 1}, "fields must be exactly"),
    ],
)
def test_malformed_consistency_checks_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidMessage, match=message):
        ConsistencyCheck.from_json({**CHECK.to_json(), **change})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signature": "AAAA"}, "signature must be 64 bytes"),
        ({"signature": "!" * 88}, "signature is not valid base64"),
        ({"signature": 5}, "signature must be base64"),
        ({"client": 2**62 + 1}, "client must be an integer"),
        ({"v": 2}, "unsupported message version 2"),
    ],
)
def test_malformed_consistency_signatures_are_refused(
    change: dict[str, object], message: str
) -> None:
    good = ConsistencySignature(CONFIG.round_id, 1, bytes(64)).to_json()
    assert ConsistencySignature.from_json(good).signature == bytes(64)
    with pytest.raises(InvalidMessage, match=message):
        ConsistencySignature.from_json({**good, **change})


@pytest.mark.parametrize(
    ("signatures", "message"),
    [
        ({"1": "AAAA"}, "signature must be 64 bytes"),
        ({"x": "A" * 88}, "signatures keys must be client ids"),
        ([], "signatures must be an object"),
    ],
)
def test_malformed_unmask_requests_are_refused(signatures: object, message: str) -> None:
    good = UnmaskRequest(CONFIG.round_id, (1, 2), (3,), {1: bytes(64)}).to_json()
    assert UnmaskRequest.from_json(good).check == CHECK
    with pytest.raises(InvalidMessage, match=message):
        UnmaskRequest.from_json({**good, "signatures": signatures})


def test_a_full_check_and_unmask_request_of_the_largest_ids_fit_their_bounds() -> None:
    ids = tuple(range(MAX_CLIENT_ID - 9, MAX_CLIENT_ID + 1))
    check = ConsistencyCheck(CONFIG.round_id, ids[:5], ids[5:])
    request = UnmaskRequest(CONFIG.round_id, ids, (), {c: bytes(64) for c in ids})
    for message, bound in (
        (check, ConsistencyCheck.max_bytes(10)),
        (request, UnmaskRequest.max_bytes(10)),
    ):
        raw = message.to_bytes()
        assert len(raw) <= bound
        assert type(message).from_json(raw, max_bytes=bound) == message
        padded = raw[:-1] + b" " * (bound - len(raw) + 1) + b"}"
        with pytest.raises(InvalidMessage, match="over"):
            type(message).from_json(padded, max_bytes=bound)
