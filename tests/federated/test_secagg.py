"""Secure aggregation: exact sums with and without dropouts, clear failures, the refusals an
honest client owes its neighbours (a server equivocating about the survivors or the roster
included), malformed messages, and fixed test vectors."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from federated.errors import InvalidMessage, ProtocolAbort, UnsafeRequest
from federated.masking import expand_mask, neighbours, pairwise_seed
from federated.messages import (
    WIRE_VERSION,
    AdvertiseKeys,
    ConsistencyCheck,
    ConsistencySignature,
    MaskedInput,
    RoundConfig,
    ShareKeys,
    UnmaskRequest,
    UnmaskResponse,
)
from federated.secagg import SecAggClient, SecAggServer, _public
from federated.signed import consistency_quorum
from tests.federated.conftest import counter_bytes, identity, make_config, seats


def inputs(config: RoundConfig, count: int) -> dict[int, np.ndarray]:
    rng = np.random.default_rng(7)
    return {
        c: rng.integers(0, 2**32, config.dimension, dtype=np.uint64).astype(np.uint32)
        for c in range(1, count + 1)
    }


def run_round(
    config: RoundConfig,
    count: int,
    *,
    drop_before_input: frozenset[int] = frozenset(),
    drop_before_unmask: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, np.ndarray, int]:
    """An honest round, every message through its JSON wire form; returns the server's sum,
    the true sum of the inputs it should hold, and its count."""
    values = inputs(config, count)
    clients = {c: SecAggClient(config, c, counter_bytes(b"client%d" % c)) for c in values}
    server = SecAggServer(config)
    for c, client in clients.items():
        keys = AdvertiseKeys.from_json(client.advertise().to_bytes())
        server.receive_advertise(keys, identity(c).public_key_hex)
    roster = server.roster()
    for client in clients.values():
        shared = client.share_keys(roster, seats(clients)).to_bytes()
        server.receive_share_keys(ShareKeys.from_json(shared))
    for c, client in clients.items():
        if c not in drop_before_input:
            message = client.masked_input(server.inbox(c), values[c])
            server.receive_masked_input(MaskedInput.from_json(message.to_bytes()))
    check = ConsistencyCheck.from_json(server.consistency_check().to_bytes())
    for c in check.survivors:  # every survivor signs; some drop before unmasking
        signed = clients[c].consistency(check, identity(c)).to_bytes()
        server.receive_consistency(ConsistencySignature.from_json(signed))
    request = UnmaskRequest.from_json(server.unmask_request().to_bytes())
    for c in request.survivors:
        if c not in drop_before_unmask:
            answer = clients[c].unmask(request)
            server.receive_unmask(UnmaskResponse.from_json(answer.to_bytes()))
    total, survivors = server.aggregate()
    expected = np.zeros(config.dimension, dtype=np.uint32)
    for c in request.survivors:
        expected += values[c]
    return total, expected, survivors


def advertised(config: RoundConfig, count: int) -> tuple[dict[int, SecAggClient], SecAggServer]:
    """A round whose `count` clients advertised their keys: ready for the roster."""
    clients = {c: SecAggClient(config, c, counter_bytes(b"u%d" % c)) for c in range(1, count + 1)}
    server = SecAggServer(config)
    for c, client in clients.items():
        server.receive_advertise(client.advertise(), identity(c).public_key_hex)
    return clients, server


def masked_round(config: RoundConfig, count: int) -> tuple[dict[int, SecAggClient], SecAggServer]:
    """A round in which every client has sent its masked input: ready for the check."""
    clients, server = advertised(config, count)
    roster = server.roster()
    for client in clients.values():
        server.receive_share_keys(client.share_keys(roster, seats(clients)))
    values = inputs(config, count)
    for c, client in clients.items():
        server.receive_masked_input(client.masked_input(server.inbox(c), values[c]))
    return clients, server


def test_honest_round_recovers_the_exact_sum() -> None:
    config = make_config(degree=50, threshold=6, min_survivors=6)  # complete graph: Bonawitz
    total, expected, survivors = run_round(config, 10)
    assert survivors == 10
    np.testing.assert_array_equal(total, expected)


def test_dropouts_before_and_after_the_masked_input_still_give_the_exact_sum() -> None:
    config = make_config(degree=10, threshold=6, min_survivors=8, max_clients=20)
    total, expected, survivors = run_round(
        config,
        14,
        drop_before_input=frozenset({2, 9}),  # their pairwise masks are rebuilt from key shares
        drop_before_unmask=frozenset({4, 11, 13}),  # their inputs count; their seeds are rebuilt
    )
    assert survivors == 12
    np.testing.assert_array_equal(total, expected)


def test_too_many_dropouts_fail_clearly() -> None:
    config = make_config(degree=6, threshold=4, min_survivors=8, max_clients=20)
    with pytest.raises(ProtocolAbort, match="masked inputs: 7, at least 8 needed"):
        run_round(config, 10, drop_before_input=frozenset({1, 2, 3}))
    # Enough inputs, but one neighbourhood keeps too few shares to rebuild a self-mask seed.
    with pytest.raises(ProtocolAbort, match="shares, 4 needed"):
        run_round(config, 10, drop_before_unmask=frozenset(range(1, 8)))


def signed_round(
    config: RoundConfig, count: int
) -> tuple[dict[int, SecAggClient], SecAggServer, UnmaskRequest]:
    """A round in which every survivor signed the honest check: ready to unmask."""
    clients, server = masked_round(config, count)
    check = server.consistency_check()
    for c, client in clients.items():
        server.receive_consistency(client.consistency(check, identity(c)))
    return clients, server, server.unmask_request()


def test_an_honest_client_signs_only_a_set_it_can_stand_by(config: RoundConfig) -> None:
    clients, server = masked_round(config, 6)
    honest = clients[1]
    neighbour = min(server.graph[1])
    everyone = tuple(sorted(clients))
    others = tuple(c for c in everyone if c != neighbour)
    refused = [
        (ConsistencyCheck(config.round_id, everyone, (neighbour,)), "both survived and dropped"),
        (ConsistencyCheck(config.round_id, everyone[1:], ()), "not counted"),
        (ConsistencyCheck(config.round_id, everyone[:3], ()), "masked inputs in the sum: 3"),
        (ConsistencyCheck(config.round_id, (*everyone, 99), ()), r"not in the roster \[99\]"),
    ]
    for check, error in refused:  # refused before signing: nothing signed, nothing unmasked
        with pytest.raises((UnsafeRequest, ProtocolAbort), match=error):
            honest.consistency(check, identity(1))
    with pytest.raises(ValueError, match="identity this client's roster seat holds"):
        honest.consistency(server.consistency_check(), identity(2))
    with pytest.raises(InvalidMessage, match="another round"):
        honest.consistency(
            dataclasses.replace(server.consistency_check(), round_id=bytes(16)), identity(1)
        )
    signed = honest.consistency(ConsistencyCheck(config.round_id, others, ()), identity(1))
    assert isinstance(signed, ConsistencySignature)
    with pytest.raises(ProtocolAbort, match="at 'unmask', not 'check'"):  # one set a round
        honest.consistency(ConsistencyCheck(config.round_id, everyone, ()), identity(1))


def test_a_client_unmasks_only_the_set_it_signed_with_a_quorum_of_valid_signatures() -> None:
    config = make_config(degree=4, threshold=3, min_survivors=5, max_clients=20)
    clients, server, request = signed_round(config, 10)
    quorum = consistency_quorum(10, config.min_survivors)
    assert quorum == 6 and len(request.signatures) == 10
    honest = clients[1]
    signatures = dict(request.signatures)
    someone = next(c for c in signatures if c != 1)
    forged = {**signatures, someone: bytes(64)}
    moved = {**signatures, someone: signatures[1]}  # 1's valid signature under another seat
    stranger_signed = {**signatures, 99: signatures[1]}
    few = dict(list(signatures.items())[: quorum - 1])
    other_set = ConsistencyCheck(config.round_id, request.survivors[1:], ())
    refused = [
        (dataclasses.replace(request, signatures=forged), "signature is not over this set"),
        (dataclasses.replace(request, signatures=moved), "signature is not over this set"),
        (dataclasses.replace(request, signatures=stranger_signed), "not survivors: \\[99\\]"),
        (dataclasses.replace(request, signatures=few), "5 survivors signed the set, at least 6"),
        (dataclasses.replace(request, survivors=other_set.survivors), "not the ones this client"),
        (dataclasses.replace(request, round_id=bytes(16)), "another round"),
    ]
    for bad, error in refused:
        with pytest.raises((UnsafeRequest, InvalidMessage), match=error):
            honest.unmask(UnmaskRequest.from_json(bad.to_bytes()))
    # A signature sent twice (under "7" and "07") counts once: still one short of the quorum.
    wire = dataclasses.replace(request, signatures=few).to_json()
    first = next(iter(wire["signatures"]))
    wire["signatures"]["0" + first] = wire["signatures"][first]
    with pytest.raises(UnsafeRequest, match="5 survivors signed the set, at least 6"):
        honest.unmask(UnmaskRequest.from_json(wire))
    # Exactly a quorum of valid signatures is enough, and the answer is the same each time.
    enough = dataclasses.replace(request, signatures=dict(list(signatures.items())[:quorum]))
    assert honest.unmask(enough) == honest.unmask(request)
    for client in clients.values():
        server.receive_unmask(client.unmask(request))
    assert server.aggregate()[1] == 10


def test_a_server_equivocating_about_the_survivors_gets_nothing_unmasked() -> None:
    """The attack the consistency round stops: the server tells half of a victim's share
    holders "it survived" (to collect shares of its self-mask seed) and the other half "it
    dropped" (shares of its mask key). Each honest client signs what it is shown; neither set
    reaches the quorum (more than half of the roster), and no client unmasks with the other
    set's signatures: nothing of anyone is revealed."""
    config = make_config(degree=50, threshold=5, min_survivors=5, max_clients=20)  # complete
    clients, _ = masked_round(config, 8)
    victim = 8
    everyone = tuple(sorted(clients))
    survived = ConsistencyCheck(config.round_id, everyone, ())
    dropped = ConsistencyCheck(config.round_id, everyone[:-1], (victim,))
    shown = {c: survived if c in (1, 2, 3, victim) else dropped for c in clients}
    signatures: dict[ConsistencyCheck, dict[int, bytes]] = {survived: {}, dropped: {}}
    for c, client in clients.items():
        signatures[shown[c]][c] = client.consistency(shown[c], identity(c)).signature
    assert consistency_quorum(len(clients), config.min_survivors) == 5
    everything = {**signatures[survived], **signatures[dropped]}
    for c, client in clients.items():
        check = shown[c]
        other = dropped if check == survived else survived
        with pytest.raises(UnsafeRequest, match="4 survivors signed the set, at least 5"):
            client.unmask(_request(check, signatures[check]))
        # (the victim's own signature is not even a survivor's in the "dropped" set)
        with pytest.raises(UnsafeRequest, match=r"not over this set|not survivors: \[8\]"):
            client.unmask(_request(check, everything))
        with pytest.raises(UnsafeRequest, match="not the ones this client signed"):
            client.unmask(_request(other, signatures[other]))


def _request(check: ConsistencyCheck, signatures: dict[int, bytes]) -> UnmaskRequest:
    return UnmaskRequest(check.round_id, check.survivors, check.dropped, signatures)


def test_shares_sealed_under_another_roster_do_not_open(config: RoundConfig) -> None:
    """Roster equivocation: the server shows client 1 a roster in which client 2's seat is
    held by another identity (the same keys, re-signed by an identity the server controls).
    The shares are sealed to the roster their sender saw, so 1 cannot open its neighbours'
    nor they 1's: 1 leaves the round before masking anything, and so do its neighbours."""
    clients, server = advertised(config, 5)
    roster = server.roster()
    honest = seats(clients)
    tampered = {**honest, 2: identity(99).public_key_hex}
    for c, client in clients.items():
        server.receive_share_keys(client.share_keys(roster, tampered if c == 1 else honest))
    words = np.zeros(config.dimension, np.uint32)
    for c in (1, 2):
        with pytest.raises(InvalidMessage, match="sealed under another roster"):
            clients[c].masked_input(server.inbox(c), words)
    # Client 3 saw the honest roster, as 2, 4 and 5 did: only 1's shares fail to open.
    with pytest.raises(InvalidMessage, match="shares from client 1 do not decrypt"):
        clients[3].masked_input(server.inbox(3), words)


def test_a_threshold_of_half_the_holders_or_less_is_refused() -> None:
    config = make_config(degree=6, threshold=3, min_survivors=3)  # 7 holders, 3 shares
    clients, server = advertised(config, 8)
    with pytest.raises(UnsafeRequest, match="not above half"):
        clients[1].share_keys(server.roster(), seats(clients))


def test_a_roster_without_the_clients_own_keys_is_refused(config: RoundConfig) -> None:
    clients, server = advertised(config, 5)
    roster = server.roster()
    swapped = dict(roster.keys)
    swapped[1] = swapped[2][::-1]
    with pytest.raises(UnsafeRequest, match="own keys"):
        clients[1].share_keys(dataclasses.replace(roster, keys=swapped), seats(clients))


def test_a_roster_whose_seats_are_not_one_identity_each_is_refused(config: RoundConfig) -> None:
    clients, server = advertised(config, 5)
    roster = server.roster()
    twice = {**seats(clients), 3: identity(2).public_key_hex}
    missing = seats(range(1, 5))
    for c, identities in ((1, twice), (2, missing)):  # a refusal ends the client's round
        with pytest.raises(UnsafeRequest, match="one identity each"):
            clients[c].share_keys(roster, identities)


def test_malformed_and_oversized_messages_are_rejected(config: RoundConfig) -> None:
    client = SecAggClient(config, 1, counter_bytes(b"m"))
    good = client.advertise().to_json()
    server = SecAggServer(config)
    cases = [
        ({**good, "v": 2}, "unsupported message version 2: this side speaks version 3"),
        ({**good, "v": WIRE_VERSION + 1}, "unsupported message version"),
        ({**good, "type": "masked-input"}, "expected a advertise-keys"),
        ({**good, "extra": 1}, "fields must be exactly"),
        ({**good, "client": 0}, "client must be an integer"),
        ({**good, "client": True}, "client must be an integer"),
        ({**good, "mask-key": good["mask-key"][:-4]}, "must be 32 bytes"),
        ({**good, "channel-key": "!!!!" * 11}, "not valid base64"),
        ({**good, "round": "zz" * 16}, "hex"),
    ]
    for message, error in cases:
        with pytest.raises(InvalidMessage, match=error):
            AdvertiseKeys.from_json(message)
    with pytest.raises(InvalidMessage, match="over 100 bytes"):
        AdvertiseKeys.from_json(json.dumps(good).encode(), max_bytes=100)
    with pytest.raises(InvalidMessage, match="not JSON"):
        AdvertiseKeys.from_json(b"{")
    server.receive_advertise(AdvertiseKeys.from_json(good), identity(1).public_key_hex)
    with pytest.raises(InvalidMessage, match="twice"):
        server.receive_advertise(AdvertiseKeys.from_json(good), identity(1).public_key_hex)
    replayed = dataclasses.replace(AdvertiseKeys.from_json(good), client=2)
    with pytest.raises(InvalidMessage, match="fresh and distinct"):
        server.receive_advertise(replayed, identity(2).public_key_hex)
    second_seat = SecAggClient(config, 3, counter_bytes(b"m3")).advertise()
    with pytest.raises(InvalidMessage, match="one seat"):
        server.receive_advertise(second_seat, identity(1).public_key_hex)
    wrong_round = dataclasses.replace(AdvertiseKeys.from_json(good), round_id=bytes(16))
    with pytest.raises(InvalidMessage, match="another round"):
        server.receive_advertise(wrong_round, identity(2).public_key_hex)


def test_a_masked_input_of_the_wrong_size_or_from_a_stranger_is_rejected() -> None:
    config = make_config(degree=50, threshold=3, min_survivors=3)
    clients, server = advertised(config, 4)
    roster = server.roster()
    with pytest.raises(InvalidMessage, match="exactly the client's neighbours"):
        server.receive_share_keys(ShareKeys(config.round_id, 1, {}))
    for client in clients.values():
        server.receive_share_keys(client.share_keys(roster, seats(clients)))
    server.inbox(1)
    with pytest.raises(InvalidMessage, match="the round takes 256"):
        server.receive_masked_input(MaskedInput(config.round_id, 1, bytes(4 * 65)))
    with pytest.raises(InvalidMessage, match="did not share its keys"):
        server.receive_masked_input(MaskedInput(config.round_id, 99, bytes(256)))
    with pytest.raises(InvalidMessage, match="whole number of 32-bit words"):
        MaskedInput.from_json(
            {**MaskedInput(config.round_id, 1, bytes(256)).to_json(), "words": "AAAAAAA="}
        )


def test_an_unmask_response_with_both_shares_of_a_client_is_rejected(config: RoundConfig) -> None:
    body = UnmaskResponse(config.round_id, 1, {2: bytes(66)}, {2: bytes(66)}).to_json()
    with pytest.raises(InvalidMessage, match="never both revealed"):
        UnmaskResponse.from_json(body)


def test_fixed_keys_give_the_recorded_masks() -> None:
    # RFC 8439 (A.1, test vector 1): ChaCha20 with a zero key and nonce starts 76 b8 e0 ad.
    assert expand_mask(bytes(32), 2).tolist() == [0xADE0B876, 0x903DF1A0]
    first = X25519PrivateKey.from_private_bytes(bytes([1]) * 32)
    second = X25519PrivateKey.from_private_bytes(bytes([2]) * 32)
    seed = pairwise_seed(first, _public(second), bytes(16), 1, 2)
    assert seed == pairwise_seed(second, _public(first), bytes(16), 2, 1)
    assert seed.hex() == "5d24bf7d5c982fef1b555ec6c6d5988d2d2861ccde7538152bcf0d5914cb41e6"
    assert expand_mask(seed, 4).tolist() == [710534248, 2723700048, 3322875998, 3762422344]
    assert pairwise_seed(first, _public(second), bytes([1]) * 16, 1, 2) != seed  # per round


def test_the_neighbour_graph_is_symmetric_and_of_the_asked_degree() -> None:
    graph = neighbours(list(range(1, 101)), 8, b"s" * 32)
    assert all(len(others) == 8 for others in graph.values())
    assert all(a in graph[b] for a, others in graph.items() for b in others)
    assert graph == neighbours(list(range(100, 0, -1)), 8, b"s" * 32)
    assert graph != neighbours(list(range(1, 101)), 8, b"t" * 32)


def test_the_server_takes_only_valid_signatures_from_survivors_once() -> None:
    config = make_config(degree=4, threshold=3, min_survivors=4, max_clients=20)
    clients, server = masked_round(config, 6)
    check = server.consistency_check()
    signature = clients[1].consistency(check, identity(1))
    with pytest.raises(InvalidMessage, match="not over the check"):
        server.receive_consistency(dataclasses.replace(signature, client=2))  # 1's, as 2's
    with pytest.raises(InvalidMessage, match="not over the check"):
        server.receive_consistency(dataclasses.replace(signature, signature=bytes(64)))
    with pytest.raises(InvalidMessage, match="not among the survivors"):
        server.receive_consistency(dataclasses.replace(signature, client=99))
    with pytest.raises(InvalidMessage, match="another round"):
        server.receive_consistency(dataclasses.replace(signature, round_id=bytes(16)))
    server.receive_consistency(signature)
    with pytest.raises(InvalidMessage, match="signed twice"):
        server.receive_consistency(signature)
    for c in (2, 3):
        server.receive_consistency(clients[c].consistency(check, identity(c)))
    # 3 of 6 signed: not more than half of the roster, so no unmask request can go out.
    with pytest.raises(ProtocolAbort, match="survivors signed the set: 3, at least 4 needed"):
        server.unmask_request()
    server.receive_consistency(clients[4].consistency(check, identity(4)))
    request = server.unmask_request()
    assert set(request.signatures) == {1, 2, 3, 4}
    with pytest.raises(InvalidMessage, match="not among the survivors that signed"):
        server.receive_unmask(UnmaskResponse(config.round_id, 5, {}, {}))
    with pytest.raises(ProtocolAbort, match="at 'check', not 'unmask'"):  # 5 did not sign
        clients[5].unmask(request)


def test_the_server_rejects_shares_a_client_must_not_send(config: RoundConfig) -> None:
    clients, server, _ = signed_round(config, 8)
    neighbour = min(server.graph[1])
    with pytest.raises(InvalidMessage, match="not dropped"):
        server.receive_unmask(UnmaskResponse(config.round_id, 1, {}, {neighbour: bytes(66)}))
    stranger = next(c for c in clients if c != 1 and c not in server.graph[1])
    with pytest.raises(InvalidMessage, match="does not hold"):
        server.receive_unmask(UnmaskResponse(config.round_id, 1, {stranger: bytes(66)}, {}))
