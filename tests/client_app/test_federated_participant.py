"""The device refuses what it must before anything leaves it: a run reading a category the user
did not let models learn from, a run beyond the user's ε limit for the model, a round whose
parameters are not the run's (a server lowering the noise or the survivors), a roster
whose keys are not the ones each device signed (a server in the middle), and an unmask
request without a quorum of signatures over the set of survivors it signed."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from client_app.federated_participant import (
    MAX_DRAWN_RUNS,
    MemoryDrawLog,
    NotOptedIn,
    RosterRefused,
    SatOut,
    SitOutReason,
    TrainingParticipant,
    round_under_way,
)
from client_app.market import MarketClient
from client_app.training_consent import TrainingConsent
from crypto import IdentityKey
from federated.errors import BudgetExceeded, InvalidMessage, UnsafeRequest
from federated.messages import ConsistencyCheck, ShareInbox, UnmaskRequest
from federated.model import Example
from federated.privacy import epsilon
from federated.runs import RunSpec
from federated.secagg import SecAggClient
from federated.signed import SignedRoster
from market_server.api.main import create_app
from market_server.core.config import Settings
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle
from tests.federated.training_run import consent_of, examples_of, run_body
from tests.market_server.test_flow import deploy, sign_up
from tests.market_server.test_training_rounds import devices, poll, roster_for, seated

SPEC = RunSpec(
    training="ab" * 16,
    model="shelf@1.0.0",
    categories=("books",),
    dim=2,
    width=4,
    items=300,
    embedding=8,
    facts=0,
    rounds=30,
    cohort=100,
    min_survivors=76,
    clip_norm=1.0,
    noise_multiplier=0.6,
    sampling_rate=0.015,
    delta=1e-4,
    learning_rate=0.2,
    server_learning_rate=0.03,
    server_optimizer="adam",
    server_decay=0.1,
    server_adam_eps=1e-8,
    reward=5,
)


def participant(
    consent: TrainingConsent, market: MarketClient | None = None
) -> TrainingParticipant:
    market = market or MarketClient("http://127.0.0.1:9", IdentityKey.generate())
    return TrainingParticipant(market, consent, examples_of(1))


def test_a_run_is_charged_once_and_refused_beyond_the_limit(tmp_path: Path) -> None:
    cost = epsilon(SPEC.plan, SPEC.delta)
    consent = consent_of(tmp_path, ["books"], limit=1.05 * cost)  # composed, 2 runs: ~1.15x
    device = participant(consent)
    assert device.admit(SPEC) == pytest.approx(cost, rel=1e-3)
    assert device.admit(SPEC) == pytest.approx(cost, rel=1e-3)  # the same run: no more ε
    (record,) = consent.history()
    assert (record.round_id, record.contributions) == (SPEC.training, 2)
    with pytest.raises(BudgetExceeded):  # a second run of the model would pass the limit
        device.admit(dataclasses.replace(SPEC, training="cd" * 16))
    assert len(consent.history()) == 1  # the refused run recorded nothing
    other_model = dataclasses.replace(SPEC, training="01" * 16, model="other@1.0.0")
    assert device.admit(other_model) == pytest.approx(cost, rel=1e-3)  # budgets are per model


def test_a_run_without_noise_or_outside_the_opt_ins_is_refused(tmp_path: Path) -> None:
    consent = consent_of(tmp_path, ["music"])
    with pytest.raises(NotOptedIn):
        participant(consent).admit(SPEC)
    consent.set_opted_in("books", True)
    with pytest.raises(BudgetExceeded):  # no noise: ε is unbounded
        participant(consent).admit(dataclasses.replace(SPEC, noise_multiplier=0.0))
    assert consent.history() == []


class TamperingTransport(httpx.BaseTransport):
    """A market in the middle: every successful answer goes through ``tamper``; it records
    every request's path (what the device sent, and how far it got)."""

    def __init__(self, inner: Any) -> None:  # the TestClient's transport (its own httpx)
        self.inner = inner
        self.paths: list[str] = []

    def tamper(self, path: str, content: bytes) -> bytes:
        return content

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        response = self.inner.handle_request(request)
        content = response.read()
        if response.status_code == 200:
            content = self.tamper(request.url.path, content)
        headers = {"content-type": response.headers.get("content-type", "application/json")}
        return httpx.Response(response.status_code, headers=headers, content=content)

    def steps(self, run_id: str) -> list[str]:
        return [path.rsplit("/", 1)[-1] for path in self.paths if run_id in path]


class LoweredSurvivors(TamperingTransport):
    """A market whose join answer asks for fewer survivors than the run promised."""

    def tamper(self, path: str, content: bytes) -> bytes:
        if not path.endswith("/join"):
            return content
        joined = json.loads(content)
        joined["config"].update({"min-survivors": 2, "threshold": 2})
        return json.dumps(joined).encode()


def market_settings(tmp_path: Path) -> Settings:
    return Settings(
        mode="local",
        data_dir=tmp_path / "market",
        market_key="11" * 32,
        rules_version=4,
        scoring_workers=1,
    )


def open_test_run(market: TestClient, tmp_path: Path) -> str:
    """A developer's live model and a run of it (4 devices a round, 3 needed): its id. Its
    stages wait 30 s, so that on a busy machine the fourth device still joins before the
    advertising closes (each stage closes as soon as every device answered)."""
    developer = sign_up(market, "fedlabs")
    bundle = pack_bundle(make_bundle(tmp_path, n=300, d=8))
    model_id = deploy(market, developer, bundle).json()["id"]
    body = run_body(model_id, stage_seconds=30)
    run = market.post("/v1/training-rounds", headers=developer.headers, json=body)
    assert run.status_code == 201, run.text
    return str(run.json()["id"])


@contextmanager
def funded_device(transport: TamperingTransport, tmp_path: Path) -> Iterator[TrainingParticipant]:
    """The SDK participant of a funded account, reaching the market through ``transport``."""
    with MarketClient("http://testserver", IdentityKey.generate(), transport=transport) as client:
        client.register()
        client.faucet()
        client.fund_budget(100)
        yield participant(consent_of(tmp_path / "device", ["books"], 100.0), client)


def seat_honest(
    market: TestClient, run_id: str, count: int
) -> dict[int, tuple[SignedClient, SecAggClient]]:
    """``count`` honest funded devices that joined the round and advertised their keys."""
    return seated(market, run_id, devices(market, count))


def test_a_round_whose_parameters_are_not_the_runs_is_refused(tmp_path: Path) -> None:
    with TestClient(create_app(market_settings(tmp_path))) as market:
        run_id = open_test_run(market, tmp_path)
        transport = LoweredSurvivors(market._transport)
        with (
            funded_device(transport, tmp_path) as device,
            pytest.raises(UnsafeRequest, match="not the run's"),
        ):
            device.take_part(run_id, timeout=5)


class OlderSpec(TamperingTransport):
    """A market from before the server optimisers: it publishes its runs' specs as version 1
    (no server_optimizer, server_decay or server_adam_eps)."""

    def tamper(self, path: str, content: bytes) -> bytes:
        answer = json.loads(content)
        if not isinstance(answer, dict) or "spec" not in answer:
            return content
        spec = {
            k: v
            for k, v in answer["spec"].items()
            if not k.startswith("server_") or k == "server_learning_rate"
        }
        return json.dumps({**answer, "spec": {**spec, "v": 1}}).encode()


def test_a_run_spec_of_another_version_is_refused_before_joining(tmp_path: Path) -> None:
    with TestClient(create_app(market_settings(tmp_path))) as market:
        run_id = open_test_run(market, tmp_path)
        transport = OlderSpec(market._transport)
        with funded_device(transport, tmp_path) as device:
            with pytest.raises(InvalidMessage, match="unsupported run spec version 1: this side"):
                device.take_part(run_id, timeout=5)
            assert transport.steps(run_id) == [run_id]  # it read the run, and sent nothing
            assert device.consent.history() == []  # nor charged any ε


class SwappedRosterKey(TamperingTransport):
    """A market in the middle: the roster it relays gives one client's entry another channel
    key (one the attacker holds the private half of)."""

    def __init__(self, inner: Any, victim: str) -> None:
        super().__init__(inner)
        self.victim = victim  # "own" (the device's own entry) or "neighbour"
        self.own_client = 0

    def tamper(self, path: str, content: bytes) -> bytes:
        if path.endswith("/join"):
            self.own_client = json.loads(content)["client"]
        if not path.endswith("/roster"):
            return content
        roster = json.loads(content)
        entries = roster["entries"]
        target = str(self.own_client) if self.victim == "own" else min(entries)
        if self.victim != "own":
            assert target != str(self.own_client)
        entries[target]["channel-key"] = entries[target]["mask-key"]
        return json.dumps(roster).encode()


@pytest.mark.parametrize("victim", ["neighbour", "own"])
def test_a_roster_with_a_substituted_key_aborts_the_round(tmp_path: Path, victim: str) -> None:
    """Three honest devices advertise their signed keys; the fourth device's roster comes
    through a tampering market: it refuses the roster and sends no share and no input."""
    with TestClient(create_app(market_settings(tmp_path))) as market:
        run_id = open_test_run(market, tmp_path)
        honest = seat_honest(market, run_id, 3)
        transport = SwappedRosterKey(market._transport, victim)
        with (
            funded_device(transport, tmp_path) as taker,
            pytest.raises(RosterRefused, match="keys are not signed by its identity"),
        ):
            taker.take_part(run_id, timeout=5)
        steps = transport.steps(run_id)
        assert "advertise" in steps and "roster" in steps  # it got as far as the roster
        assert not {"share-keys", "masked-input", "unmask-response"} & set(steps)
        # The market itself relays the signed keys faithfully: an honest device's roster checks.
        number = min(honest)
        user = honest[number][0]
        answer = user.request("GET", f"/v1/training-rounds/{run_id}/roster?client={number}")
        roster = SignedRoster.from_json(answer.content).verify(user.account, number)
        assert set(roster.keys) == set(honest) | {transport.own_client}


class TamperedUnmaskRequest(TamperingTransport):
    """A market whose unmask request to this device is not the set it signed with a quorum
    of signatures: two of the four signatures left out, or a survivor said to have dropped."""

    def __init__(self, inner: Any, how: str) -> None:
        super().__init__(inner)
        self.how = how

    def tamper(self, path: str, content: bytes) -> bytes:
        if not path.endswith("/unmask-request"):
            return content
        message = json.loads(content)
        if self.how == "signatures left out":
            for client in sorted(message["signatures"])[:2]:
                del message["signatures"][client]
        else:
            message["dropped"].append(message["survivors"].pop())
        return json.dumps(message).encode()


@pytest.mark.parametrize(
    ("how", "refusal"),
    [
        ("signatures left out", "2 survivors signed the set, at least 3 needed"),
        ("another set", "not the ones this client signed"),
    ],
)
def test_an_unmask_request_without_a_quorum_over_the_signed_set_is_refused(
    tmp_path: Path, how: str, refusal: str
) -> None:
    """Three honest devices and the SDK participant go through a round up to the unmasking;
    the participant's unmask request comes through a tampering market: it refuses and sends
    no unmask response."""
    with TestClient(create_app(market_settings(tmp_path))) as market:
        run_id = open_test_run(market, tmp_path)
        honest = seat_honest(market, run_id, 3)
        transport = TamperedUnmaskRequest(market._transport, how)
        outcome: list[BaseException | None] = []
        with funded_device(transport, tmp_path) as taker:

            def take_part() -> None:
                try:
                    taker.take_part(run_id, timeout=60)
                    outcome.append(None)
                except BaseException as error:  # handed to the test's thread
                    outcome.append(error)

            thread = threading.Thread(target=take_part)
            thread.start()
            try:
                drive(run_id, honest)
            finally:
                thread.join(timeout=90)
        assert len(outcome) == 1 and isinstance(outcome[0], UnsafeRequest), outcome
        assert refusal in str(outcome[0])
        steps = transport.steps(run_id)
        assert "consistency-signature" in steps and "unmask-request" in steps
        assert "unmask-response" not in steps


def drive(run_id: str, devices: dict[int, tuple[SignedClient, SecAggClient]]) -> None:
    """Take honest devices through a round, step by step, each answering as it opens."""
    api = f"/v1/training-rounds/{run_id}"
    for number, (user, device) in devices.items():
        shared = device.share_keys(*roster_for(user, run_id, number)).to_bytes()
        assert user.request("POST", f"{api}/share-keys", content=shared).status_code == 204
    for number, (user, device) in devices.items():
        inbox = ShareInbox.from_json(poll(user, run_id, "inbox", number))
        words = np.zeros(device.config.dimension, np.uint32)
        masked = device.masked_input(inbox, words).to_bytes()
        assert user.request("POST", f"{api}/masked-input", content=masked).status_code == 204
    for number, (user, device) in devices.items():
        check = ConsistencyCheck.from_json(poll(user, run_id, "consistency-check", number))
        signature = device.consistency(check, user.key).to_bytes()
        answer = user.request("POST", f"{api}/consistency-signature", content=signature)
        assert answer.status_code == 204, answer.text
    for number, (user, device) in devices.items():
        request = UnmaskRequest.from_json(poll(user, run_id, "unmask-request", number))
        answer = device.unmask(request).to_bytes()
        assert user.request("POST", f"{api}/unmask-response", content=answer).status_code == 204


def test_a_device_draws_once_per_round_and_sits_out_charging_nothing(tmp_path: Path) -> None:
    """The draw is made once per round (a second try in the same round does not draw again),
    before the examples are built; a round sat out, for either reason, joins nothing and
    charges no ε."""
    with TestClient(create_app(market_settings(tmp_path))) as market:
        run_id = open_test_run(market, tmp_path)
        transport = TamperingTransport(market._transport)
        built: list[str] = []

        def no_examples(spec: RunSpec, _inputs: object) -> list[Example]:
            built.append(spec.training)
            return []

        with funded_device(transport, tmp_path) as device:
            device.examples = no_examples
            rates: list[float] = []

            def left_out(rate: float) -> bool:
                rates.append(rate)
                return False

            device.sample = left_out
            not_sampled = device.take_part(run_id, timeout=5)
            again = device.take_part(run_id, timeout=5)
            examples_after_draws = list(built)
            device.draws = MemoryDrawLog()  # another device's draw, which picks it
            device.sample = lambda rate: True
            empty = device.take_part(run_id, timeout=5)
            charged = device.consent.history()
        steps = transport.steps(run_id)
    assert not_sampled == SatOut(run_id, 0, SitOutReason.NOT_SAMPLED)
    assert again == SatOut(run_id, 0, SitOutReason.ALREADY_DRAWN)
    assert rates == [1.0] and examples_after_draws == []  # the run's rate: 1
    assert empty == SatOut(run_id, 0, SitOutReason.NO_EXAMPLES) and built == [run_id]
    assert charged == [] and not {"join", "advertise"} & set(steps)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"round_index": 2, "rounds": [{"round_index": 2, "stage": "advertise"}]}, (2, True)),
        ({"round_index": 2, "rounds": [{"round_index": 2, "stage": "share-keys"}]}, (2, False)),
        ({"round_index": 0, "rounds": [{"round_index": 1, "stage": "advertise"}]}, "round 0"),
        ({"round_index": -1, "rounds": []}, "no valid round"),
        ({"round_index": "0", "rounds": []}, "no valid round"),
        ({"round_index": 0, "rounds": "advertise"}, "no valid round"),
    ],
)
def test_the_round_under_way_is_read_strictly(
    answer: dict[str, Any], expected: tuple[int, bool] | str
) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidMessage, match=expected):
            round_under_way(answer)
    else:
        assert round_under_way(answer) == expected


def test_a_memory_draw_log_keeps_the_latest_runs() -> None:
    draws = MemoryDrawLog()
    for run in range(MAX_DRAWN_RUNS + 5):
        draws.remember(f"run{run}", run)
    latest = MAX_DRAWN_RUNS + 4
    assert draws.drawn("run4") is None and draws.drawn(f"run{latest}") == latest
    draws.remember("run5", 9)  # drawn again: kept as the latest
    draws.remember("new", 0)
    assert draws.drawn("run5") == 9 and draws.drawn("run6") is None
