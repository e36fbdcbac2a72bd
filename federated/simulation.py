"""One secure-aggregation round run in-process, every message through its wire form (bytes
out, parsed and validated in), with each side's time and each device's traffic measured: the
benchmark's and the tests' driver, and the reference for the HTTP rounds to come."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from crypto.identity import IdentityKey
from federated.fixedpoint import Words
from federated.messages import (
    AdvertiseKeys,
    ConsistencyCheck,
    ConsistencySignature,
    MaskedInput,
    Roster,
    RoundConfig,
    ShareInbox,
    ShareKeys,
    UnmaskRequest,
    UnmaskResponse,
)
from federated.secagg import RandomBytes, SecAggClient, SecAggServer

T = TypeVar("T")


@dataclass
class RoundMeter:
    """Seconds spent by each device and by the server; bytes each device sent and received."""

    device_seconds: dict[int, float] = field(default_factory=dict)
    server_seconds: float = 0.0
    sent: dict[int, int] = field(default_factory=dict)
    received: dict[int, int] = field(default_factory=dict)

    def on_device(self, client: int, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return work()
        finally:
            elapsed = time.perf_counter() - start
            self.device_seconds[client] = self.device_seconds.get(client, 0.0) + elapsed

    def on_server(self, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return work()
        finally:
            self.server_seconds += time.perf_counter() - start

    def upload(self, client: int, data: bytes) -> bytes:
        self.sent[client] = self.sent.get(client, 0) + len(data)
        return data

    def download(self, client: int, data: bytes) -> bytes:
        self.received[client] = self.received.get(client, 0) + len(data)
        return data


def run_round(
    config: RoundConfig,
    clients: Sequence[int],
    contribute: Callable[[int], Words],
    *,
    drop_before_input: Collection[int] = (),
    drop_before_unmask: Collection[int] = (),
    meter: RoundMeter | None = None,
    random_bytes: Callable[[int], RandomBytes] = lambda _client: os.urandom,
) -> tuple[Words, tuple[int, ...]]:
    """Drive one round; `contribute(client)` gives a device's encoded vector (run on the device,
    after the keys are shared, so a device dropping out before it never computes it).
    Returns the unmasked sum mod 2^32 and the clients in it."""
    meter = meter or RoundMeter()
    server = SecAggServer(config)
    devices = {
        c: meter.on_device(c, partial(SecAggClient, config, c, random_bytes(c))) for c in clients
    }
    # Each device's account identity (the market's signed roster carries them; here they are
    # handed over in-process, as the key signatures are not what is measured).
    identities = {c: IdentityKey.generate() for c in clients}
    seats = {c: key.public_key_hex for c, key in identities.items()}
    for c, device in devices.items():
        data = meter.upload(c, meter.on_device(c, device.advertise).to_bytes())
        keys = AdvertiseKeys.from_json(data)
        meter.on_server(partial(server.receive_advertise, keys, seats[c]))
    roster = meter.on_server(server.roster).to_bytes()
    for c, device in devices.items():
        meter.download(c, roster)
        shared = meter.on_device(c, partial(device.share_keys, Roster.from_json(roster), seats))
        data = meter.upload(c, shared.to_bytes())
        meter.on_server(partial(server.receive_share_keys, ShareKeys.from_json(data)))
    for c, device in devices.items():
        if c in drop_before_input:
            continue
        inbox = meter.download(c, meter.on_server(partial(server.inbox, c)).to_bytes())
        data = meter.upload(c, meter.on_device(c, partial(_masked, device, inbox, contribute)))
        meter.on_server(partial(server.receive_masked_input, MaskedInput.from_json(data)))
    check = meter.on_server(server.consistency_check).to_bytes()
    for c in ConsistencyCheck.from_json(check).survivors:
        meter.download(c, check)
        signing = partial(devices[c].consistency, ConsistencyCheck.from_json(check), identities[c])
        data = meter.upload(c, meter.on_device(c, signing).to_bytes())
        meter.on_server(partial(server.receive_consistency, ConsistencySignature.from_json(data)))
    request = meter.on_server(server.unmask_request).to_bytes()
    for c in UnmaskRequest.from_json(request).survivors:
        if c in drop_before_unmask:  # signed the set, then went offline
            continue
        meter.download(c, request)
        answer = meter.on_device(c, partial(devices[c].unmask, UnmaskRequest.from_json(request)))
        data = meter.upload(c, answer.to_bytes())
        meter.on_server(partial(server.receive_unmask, UnmaskResponse.from_json(data)))
    total, _ = meter.on_server(server.aggregate)
    return total, tuple(sorted(server.masked))


def _masked(device: SecAggClient, inbox: bytes, contribute: Callable[[int], Words]) -> bytes:
    words = contribute(device.client)
    return device.masked_input(ShareInbox.from_json(inbox), words).to_bytes()
