"""Secure aggregation: exact sums with and without dropouts, clear failures, the refusals an
honest client owes its neighbours, malformed messages, and fixed test vectors."""

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
    MaskedInput,
    RoundConfig,
    ShareKeys,
    UnmaskRequest,
    UnmaskResponse,
)
from federated.secagg import SecAggClient, SecAggServer, _public
from tests.federated.conftest import counter_bytes, make_config


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
    for client in clients.values():
        server.receive_advertise(AdvertiseKeys.from_json(client.advertise().to_bytes()))
    roster = server.roster()
    for client in clients.values():
        server.receive_share_keys(ShareKeys.from_json(client.share_keys(roster).to_bytes()))
    for c, client in clients.items():
        if c not in drop_before_input:
            message = client.masked_input(server.inbox(c), values[c])
            server.receive_masked_input(MaskedInput.from_json(message.to_bytes()))
    request = server.unmask_request()
    for c in request.survivors:
        if c not in drop_before_unmask:
            answer = clients[c].unmask(request)
            server.receive_unmask(UnmaskResponse.from_json(answer.to_bytes()))
    total, survivors = server.aggregate()
    expected = np.zeros(config.dimension, dtype=np.uint32)
    for c in request.survivors:
        expected += values[c]
    return total, expected, survivors


def masked_round(config: RoundConfig, count: int) -> tuple[dict[int, SecAggClient], SecAggServer]:
    """A round in which every client has sent its masked input: ready to unmask."""
    clients = {c: SecAggClient(config, c, counter_bytes(b"u%d" % c)) for c in range(1, count + 1)}
    server = SecAggServer(config)
    for client in clients.values():
        server.receive_advertise(client.advertise())
    roster = server.roster()
    for client in clients.values():
        server.receive_share_keys(client.share_keys(roster))
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


def test_an_honest_client_never_reveals_both_secrets_of_one_client(config: RoundConfig) -> None:
    clients, server = masked_round(config, 6)
    honest = clients[1]
    neighbour = min(server.graph[1])
    everyone = tuple(sorted(clients))
    with pytest.raises(UnsafeRequest, match="both survived and dropped"):
        honest.unmask(UnmaskRequest(config.round_id, everyone, (neighbour,)))
    first = honest.unmask(UnmaskRequest(config.round_id, everyone, ()))
    assert neighbour in first.seed_shares and not first.key_shares
    # Later the server claims the neighbour dropped, to get its mask key share too.
    others = tuple(c for c in everyone if c != neighbour)
    with pytest.raises(UnsafeRequest, match="would unmask its input"):
        honest.unmask(UnmaskRequest(config.round_id, others, (neighbour,)))
    with pytest.raises(UnsafeRequest, match="not counted"):
        honest.unmask(UnmaskRequest(config.round_id, everyone[1:], ()))


def test_a_threshold_of_half_the_holders_or_less_is_refused() -> None:
    config = make_config(degree=6, threshold=3, min_survivors=3)  # 7 holders, 3 shares
    clients = [SecAggClient(config, c, counter_bytes(b"h%d" % c)) for c in range(1, 9)]
    server = SecAggServer(config)
    for client in clients:
        server.receive_advertise(client.advertise())
    with pytest.raises(UnsafeRequest, match="not above half"):
        clients[0].share_keys(server.roster())


def test_a_roster_without_the_clients_own_keys_is_refused(config: RoundConfig) -> None:
    clients = [SecAggClient(config, c, counter_bytes(b"r%d" % c)) for c in range(1, 6)]
    server = SecAggServer(config)
    for client in clients:
        server.receive_advertise(client.advertise())
    roster = server.roster()
    swapped = dict(roster.keys)
    swapped[1] = swapped[2][::-1]
    with pytest.raises(UnsafeRequest):
        clients[0].share_keys(dataclasses.replace(roster, keys=swapped))


def test_malformed_and_oversized_messages_are_rejected(config: RoundConfig) -> None:
    client = SecAggClient(config, 1, counter_bytes(b"m"))
    good = client.advertise().to_json()
    server = SecAggServer(config)
    cases = [
        ({**good, "v": 1}, "unsupported message version 1: this side speaks version 2"),
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
    server.receive_advertise(AdvertiseKeys.from_json(good))
    with pytest.raises(InvalidMessage, match="twice"):
        server.receive_advertise(AdvertiseKeys.from_json(good))
    replayed = dataclasses.replace(AdvertiseKeys.from_json(good), client=2)
    with pytest.raises(InvalidMessage, match="fresh and distinct"):
        server.receive_advertise(replayed)
    wrong_round = dataclasses.replace(AdvertiseKeys.from_json(good), round_id=bytes(16))
    with pytest.raises(InvalidMessage, match="another round"):
        server.receive_advertise(wrong_round)


def test_a_masked_input_of_the_wrong_size_or_from_a_stranger_is_rejected() -> None:
    config = make_config(degree=50, threshold=3, min_survivors=3)
    clients = {c: SecAggClient(config, c, counter_bytes(b"s%d" % c)) for c in range(1, 5)}
    server = SecAggServer(config)
    for client in clients.values():
        server.receive_advertise(client.advertise())
    roster = server.roster()
    with pytest.raises(InvalidMessage, match="exactly the client's neighbours"):
        server.receive_share_keys(ShareKeys(config.round_id, 1, {}))
    for client in clients.values():
        server.receive_share_keys(client.share_keys(roster))
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


def test_the_server_rejects_shares_a_client_must_not_send(config: RoundConfig) -> None:
    clients, server = masked_round(config, 8)
    server.unmask_request()
    neighbour = min(server.graph[1])
    with pytest.raises(InvalidMessage, match="not dropped"):
        server.receive_unmask(UnmaskResponse(config.round_id, 1, {}, {neighbour: bytes(66)}))
    stranger = next(c for c in clients if c != 1 and c not in server.graph[1])
    with pytest.raises(InvalidMessage, match="does not hold"):
        server.receive_unmask(UnmaskResponse(config.round_id, 1, {stranger: bytes(66)}, {}))
