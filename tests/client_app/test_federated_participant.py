"""The device refuses what it must before anything leaves it: a run reading a category the user
did not let models learn from, a run beyond the user's ε limit for the model, a round whose
parameters are not the run's (a server lowering the noise or the survivors), and a roster
whose keys are not the ones each device signed (a server in the middle)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from client_app.federated_participant import NotOptedIn, RosterRefused, TrainingParticipant
from client_app.market import MarketClient
from client_app.training_consent import TrainingConsent
from crypto import IdentityKey
from federated.errors import BudgetExceeded, UnsafeRequest
from federated.messages import RoundConfig
from federated.privacy import epsilon
from federated.runs import RunSpec
from federated.secagg import SecAggClient
from federated.signed import SignedAdvertiseKeys, SignedRoster
from market_server.api.main import create_app
from market_server.core.config import Settings
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle
from tests.federated.training_run import consent_of, examples_of, run_body
from tests.market_server.test_flow import deploy, sign_up

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


class LoweredSurvivors(httpx.BaseTransport):
    """A market whose join answer asks for fewer survivors than the run promised."""

    def __init__(self, inner: Any) -> None:  # the TestClient's transport (its own httpx)
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        content = response.read()
        if request.url.path.endswith("/join"):
            joined = json.loads(content)
            joined["config"].update({"min-survivors": 2, "threshold": 2})
            content = json.dumps(joined).encode()
        headers = {"content-type": response.headers.get("content-type", "application/json")}
        return httpx.Response(response.status_code, headers=headers, content=content)


def market_settings(tmp_path: Path) -> Settings:
    return Settings(
        mode="local",
        data_dir=tmp_path / "market",
        market_key="11" * 32,
        rules_version=4,
        scoring_workers=1,
    )


def test_a_round_whose_parameters_are_not_the_runs_is_refused(tmp_path: Path) -> None:
    with TestClient(create_app(market_settings(tmp_path))) as market:
        developer = sign_up(market, "fedlabs")
        bundle = pack_bundle(make_bundle(tmp_path, n=300, d=8))
        model_id = deploy(market, developer, bundle).json()["id"]
        body = run_body(model_id)
        run = market.post("/v1/training-rounds", headers=developer.headers, json=body)
        assert run.status_code == 201, run.text
        transport = LoweredSurvivors(market._transport)
        with MarketClient(
            "http://testserver", IdentityKey.generate(), transport=transport
        ) as client:
            client.register()
            client.faucet()
            client.fund_budget(100)
            device = participant(consent_of(tmp_path / "device", ["books"], 100.0), client)
            with pytest.raises(UnsafeRequest, match="not the run's"):
                device.take_part(run.json()["id"], timeout=5)


class SwappedRosterKey(httpx.BaseTransport):
    """A market in the middle: the roster it relays gives one client's entry another channel
    key (one the attacker holds the private half of); it records every request's path."""

    def __init__(self, inner: Any, victim: str) -> None:
        self.inner = inner
        self.victim = victim  # "own" (the device's own entry) or "neighbour"
        self.own_client = 0
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        response = self.inner.handle_request(request)
        content = response.read()
        if request.url.path.endswith("/join") and response.status_code == 200:
            self.own_client = json.loads(content)["client"]
        if request.url.path.endswith("/roster") and response.status_code == 200:
            roster = json.loads(content)
            entries = roster["entries"]
            target = str(self.own_client) if self.victim == "own" else min(entries)
            if self.victim != "own":
                assert target != str(self.own_client)
            entries[target]["channel-key"] = entries[target]["mask-key"]
            content = json.dumps(roster).encode()
        headers = {"content-type": response.headers.get("content-type", "application/json")}
        return httpx.Response(response.status_code, headers=headers, content=content)


@pytest.mark.parametrize("victim", ["neighbour", "own"])
def test_a_roster_with_a_substituted_key_aborts_the_round(tmp_path: Path, victim: str) -> None:
    """Three honest devices advertise their signed keys; the fourth device's roster comes
    through a tampering market: it refuses the roster and sends no share and no input."""
    with TestClient(create_app(market_settings(tmp_path))) as market:
        developer = sign_up(market, "fedlabs")
        bundle = pack_bundle(make_bundle(tmp_path, n=300, d=8))
        model_id = deploy(market, developer, bundle).json()["id"]
        run = market.post("/v1/training-rounds", headers=developer.headers, json=run_body(model_id))
        assert run.status_code == 201, run.text
        run_id = run.json()["id"]
        honest = []
        for _ in range(3):
            user = SignedClient(market)
            assert user.register().status_code == 201
            user.fund_budget(100)
            joined = user.request("POST", f"/v1/training-rounds/{run_id}/join").json()
            device = SecAggClient(RoundConfig.from_json(joined["config"]), joined["client"])
            signed = SignedAdvertiseKeys.sign(device.advertise(), user.key).to_bytes()
            advertised = user.request(
                "POST", f"/v1/training-rounds/{run_id}/advertise", content=signed
            )
            assert advertised.status_code == 204, advertised.text
            honest.append((user, joined["client"]))
        transport = SwappedRosterKey(market._transport, victim)
        with MarketClient(
            "http://testserver", IdentityKey.generate(), transport=transport
        ) as client:
            client.register()
            client.faucet()
            client.fund_budget(100)
            taker = participant(consent_of(tmp_path / "device", ["books"], 100.0), client)
            with pytest.raises(RosterRefused, match="keys are not signed by its identity"):
                taker.take_part(run_id, timeout=5)
        steps = [path.rsplit("/", 1)[-1] for path in transport.paths if run_id in path]
        assert "advertise" in steps and "roster" in steps  # it got as far as the roster
        assert not {"share-keys", "masked-input", "unmask-response"} & set(steps)
        # The market itself relays the signed keys faithfully: an honest device's roster checks.
        user, number = honest[0]
        answer = user.request("GET", f"/v1/training-rounds/{run_id}/roster?client={number}")
        roster = SignedRoster.from_json(answer.content).verify(user.account, number)
        assert set(roster.keys) == {number for _, number in honest} | {transport.own_client}
