"""Training-round routes on a real database: a developer opens a run, devices go through the
SecAgg+ steps (one drops after sharing its keys), the sum is recovered from the masks, the
contributors are paid from the escrow, and bad input on every route is refused cleanly."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from safetensors.numpy import load
from sqlmodel import Session, select

from federated.contribution import encode_contribution, fixed_point
from federated.messages import Roster, RoundConfig, ShareInbox, UnmaskRequest
from federated.runs import RunSpec
from federated.secagg import SecAggClient
from ledger.economy import training_account, user_account
from ledger.verify import verify_ledger
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.training_tables import TrainingClient, TrainingShare
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle
from tests.federated.training_run import run_body
from tests.market_server.test_flow import Developer, deploy, sign_up

API = "/v1/training-rounds"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    # A market that trains at most 100 parameters: the test model has 2 x 2 x 4 + 2.
    changes = {"rules_version": 4, "training_max_parameters": 100}
    with TestClient(create_app(settings.model_copy(update=changes))) as test:
        yield test


@pytest.fixture
def developer(client: TestClient) -> Developer:
    return sign_up(client, "fedlabs")


@pytest.fixture
def model_id(client: TestClient, developer: Developer, tmp_path: Path) -> int:
    bundle = pack_bundle(make_bundle(tmp_path, n=300, d=8, name="shelf"))
    deployed = deploy(client, developer, bundle)
    assert deployed.status_code == 202, deployed.text
    return int(deployed.json()["id"])


def devices(client: TestClient, count: int, commit: int = 100) -> list[SignedClient]:
    users = [SignedClient(client) for _ in range(count)]
    for user in users:
        assert user.register().status_code == 201
        if commit:
            user.fund_budget(commit)
    return users


def open_run(client: TestClient, developer: Developer, model_id: int, **changes: Any) -> Any:
    return client.post(API, headers=developer.headers, json=run_body(model_id, **changes))


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.text
    return response


def post(user: SignedClient, run_id: str, step: str, body: bytes) -> int:
    return int(user.request("POST", f"{API}/{run_id}/{step}", content=body).status_code)


def get(user: SignedClient, run_id: str, step: str, client: int) -> int:
    return int(user.request("GET", f"{API}/{run_id}/{step}?client={client}").status_code)


def poll(user: SignedClient, run_id: str, step: str, client: int) -> bytes:
    for _ in range(100):
        answer = user.request("GET", f"{API}/{run_id}/{step}?client={client}")
        if answer.status_code != 409:
            return bytes(ok(answer).content)
        time.sleep(0.1)
    raise AssertionError(f"{step} never opened")


def test_a_round_recovers_the_sum_after_a_dropout_and_pays_the_contributors(
    client: TestClient, developer: Developer, model_id: int, settings: Settings
) -> None:
    run = ok(open_run(client, developer, model_id), 201).json()
    run_id, spec = run["id"], RunSpec.from_json(run["spec"])
    assert run["escrow"] == 100 and run["status"] == "open"
    users = devices(client, 4)
    secagg: dict[int, tuple[SignedClient, SecAggClient]] = {}
    for user in users:
        joined = ok(user.request("POST", f"{API}/{run_id}/join")).json()
        config = RoundConfig.from_json(joined["config"])
        assert config == spec.round_config(config.round_id, config.graph_seed)
        secagg[joined["client"]] = (user, SecAggClient(config, joined["client"]))
    for _, (user, device) in secagg.items():
        ok(
            user.request(
                "POST", f"{API}/{run_id}/advertise", content=device.advertise().to_bytes()
            ),
            204,
        )
    for number, (user, device) in secagg.items():
        roster = Roster.from_json(poll(user, run_id, "roster", number))
        shared = device.share_keys(roster).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/share-keys", content=shared), 204)
    dropped = max(secagg)  # shared its keys, then went offline
    rng = np.random.default_rng(0)
    words = {}
    for number, (user, device) in secagg.items():
        if number == dropped:
            continue
        inbox = ShareInbox.from_json(poll(user, run_id, "inbox", number))
        update = rng.normal(size=spec.parameters) * 0.01
        words[number] = encode_contribution(update, spec.plan, device.config, rng)
        masked = device.masked_input(inbox, words[number]).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/masked-input", content=masked), 204)
    # While the round runs the server holds masked inputs: none is its device's update.
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        held = {r.client: r.masked for r in session.exec(select(TrainingClient)) if r.masked}
    assert set(held) == set(words)
    assert all(held[n] != words[n].astype("<u4").tobytes() for n in words)
    for number, (user, device) in secagg.items():
        if number == dropped:
            continue
        request = UnmaskRequest.from_json(poll(user, run_id, "unmask-request", number))
        assert request.dropped == (dropped,)
        answer = device.unmask(request).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/unmask-response", content=answer), 204)
    state = ok(client.get(f"{API}/{run_id}")).json()
    assert state["round_index"] == 1 and state["rounds"][0]["stage"] == "done"
    assert state["rounds"][0]["survivors"] == 3
    # The released update is the exact sum of the three survivors' words (the dropped
    # device's masks removed), decoded, over the cohort size.
    released = load(
        ok(client.get(f"{API}/{run_id}/rounds/0/update", headers=developer.headers)).content
    )
    total = sum((w.astype(np.uint64) for w in words.values()), np.zeros(spec.parameters, np.uint64))
    config = secagg[dropped][1].config
    expected = fixed_point(config).decode_sum(total.astype(np.uint32), 3) / spec.cohort
    np.testing.assert_array_equal(released["parameters"], expected)
    # Paid: the three survivors, 5 each less the fee; not the dropped device.
    wallets = {n: u.request("GET", "/v1/users/me/wallet").json() for n, (u, _) in secagg.items()}
    key = client.get("/v1/ledger/key").json()["public_key"]
    lines = client.get("/v1/ledger").text.splitlines()
    report = verify_ledger(lines, key)
    assert report.ok, report.error
    paid = {
        json.loads(line)["body"]["to"]
        for line in lines
        if json.loads(line)["body"].get("memo", "").startswith(f"training:{run_id}:0:")
    }
    survivors = {user_account(secagg[n][0].account) for n in secagg if n != dropped}
    assert paid - {"market"} == survivors
    assert report.balances[training_account(run_id)] == 85
    # The explorer shows the training entries like any other.
    seq = next(
        json.loads(line)["seq"]
        for line in lines
        if json.loads(line)["kind"] == "training_contribution"
    )
    page = ok(client.get(f"/ledger/entries/{seq}")).text
    assert "training_contribution" in page and run_id in page
    assert all(w["balance"] >= 0 for w in wallets.values())
    # Nothing of the round's inputs or shares is left in the database.
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        rows = session.exec(select(TrainingClient)).all()
        assert all(r.masked is None and r.unmask is None and r.mask_key is None for r in rows)
        assert session.exec(select(TrainingShare)).all() == []
    # The developer ends the run: the escrow left comes back.
    before = ok(client.get("/v1/developers/me/balance", headers=developer.headers)).json()
    ended = ok(client.post(f"{API}/{run_id}/cancel", headers=developer.headers)).json()
    after = ok(client.get("/v1/developers/me/balance", headers=developer.headers)).json()
    assert ended["status"] == "cancelled" and ended["escrow"] == 0
    assert after["balance"] - before["balance"] == 85
    assert verify_ledger(client.get("/v1/ledger").text.splitlines(), key).ok


def test_opening_a_run_is_checked(client: TestClient, developer: Developer, model_id: int) -> None:
    other = sign_up(client, "otherlabs")
    assert open_run(client, other, model_id).status_code == 403
    assert open_run(client, developer, 999).status_code == 404
    assert client.post(API, json=run_body(model_id)).status_code == 401
    bad: dict[str, dict[str, Any]] = {
        "noise and target": {"target_epsilon": 4.0},
        "no noise at all": {"noise_multiplier": None},
        "reward over budget": {"reward": 101},
        "cohort too small": {"cohort": 2},
        "survivors under the threshold": {"min_survivors": 2},
        "width under dim": {"width": 1},
        "not base64": {"parameters": "%%%"},
        "not safetensors": {"parameters": base64.b64encode(b"x" * 64).decode()},
        "float budget": {"budget": 10.5},
        "negative clip": {"clip_norm": -1},
        "NaN-like delta": {"delta": 1.0},
        "wrong shapes": {"dim": 1},
    }
    for name, changes in bad.items():
        answer = open_run(client, developer, model_id, **changes)
        assert answer.status_code in (400, 413, 422), (name, answer.text)
    # Over the market's parameter cap (2 x 8 x 8 + 2 = 130 > 100): refused before any noise
    # is calibrated or any blob is read.
    huge = open_run(client, developer, model_id, dim=8, width=8)
    assert (huge.status_code, huge.json()["detail"]) == (
        413,
        "130 parameters: this market trains at most 100",
    )
    assert open_run(client, developer, model_id, budget=10**9).status_code == 409  # overdraft
    ok(open_run(client, developer, model_id), 201)
    ok(open_run(client, developer, model_id), 201)
    assert open_run(client, developer, model_id).status_code == 409  # two open runs at most
    # Nothing half-written: the refused ones left no run and no escrow.
    assert len(ok(client.get(f"{API}?categories=books")).json()) == 2


def test_the_device_routes_refuse_bad_input(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    run_id = ok(open_run(client, developer, model_id), 201).json()["id"]
    free, funded, stranger = devices(client, 1, commit=0)[0], *devices(client, 2)
    assert free.request("POST", f"{API}/{run_id}/join").status_code == 409  # no commitment
    joined = ok(funded.request("POST", f"{API}/{run_id}/join")).json()
    assert ok(funded.request("POST", f"{API}/{run_id}/join")).json() == joined  # idempotent
    config = RoundConfig.from_json(joined["config"])
    device = SecAggClient(config, joined["client"])
    message = device.advertise()
    newer = json.dumps({**message.to_json(), "v": 9}).encode()
    for body in (b"", b"{", b"[]", b"x" * 5000, newer):
        assert funded.request("POST", f"{API}/{run_id}/advertise", content=body).status_code == 400
    theirs = SecAggClient(config, joined["client"] + 1).advertise().to_bytes()
    assert funded.request("POST", f"{API}/{run_id}/advertise", content=theirs).status_code == 403
    assert (
        stranger.request(
            "POST", f"{API}/{run_id}/advertise", content=message.to_bytes()
        ).status_code
        == 403
    )
    ok(funded.request("POST", f"{API}/{run_id}/advertise", content=message.to_bytes()), 204)
    again = funded.request("POST", f"{API}/{run_id}/advertise", content=message.to_bytes())
    assert again.status_code == 400  # advertised twice
    for step in ("roster", "inbox", "unmask-request"):
        assert (
            funded.request("GET", f"{API}/{run_id}/{step}?client={joined['client']}").status_code
            == 409
        )
        assert funded.request("GET", f"{API}/{run_id}/{step}?client=0").status_code == 422
    for step in ("share-keys", "masked-input", "unmask-response"):
        assert funded.request("POST", f"{API}/{run_id}/{step}", content=b"{}").status_code == 409
    assert funded.request("POST", f"{API}/{'0' * 32}/join").status_code == 404
    assert funded.request("POST", f"{API}/not-a-run/join").status_code == 422
    unsigned = client.post(f"{API}/{run_id}/join")
    assert unsigned.status_code == 401
    update_path = f"{API}/{run_id}/rounds/0/update"
    assert client.get(update_path, headers=developer.headers).status_code == 404
    other = sign_up(client, "peeking")
    assert client.get(update_path, headers=other.headers).status_code == 403
    assert client.post(f"{API}/{run_id}/cancel", headers=other.headers).status_code == 403


def test_a_round_with_too_few_devices_fails_without_unmasking(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    run_id = ok(open_run(client, developer, model_id, stage_seconds=1), 201).json()["id"]
    users = devices(client, 3)
    secagg = []
    for user in users:
        joined = ok(user.request("POST", f"{API}/{run_id}/join")).json()
        device = SecAggClient(RoundConfig.from_json(joined["config"]), joined["client"])
        ok(
            user.request(
                "POST", f"{API}/{run_id}/advertise", content=device.advertise().to_bytes()
            ),
            204,
        )
        secagg.append((user, device, joined["client"]))
    time.sleep(1.1)  # the advertising closes at its deadline with 3 of 4 devices
    for user, device, number in secagg[:2]:  # only two share their keys
        roster = Roster.from_json(poll(user, run_id, "roster", number))
        shared = device.share_keys(roster).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/share-keys", content=shared), 204)
    time.sleep(1.1)
    state = ok(client.get(f"{API}/{run_id}")).json()
    assert state["rounds"][0]["stage"] == "failed"
    assert "at least 3 needed" in state["rounds"][0]["message"]
    assert state["round_index"] == 1 and state["escrow"] == 100  # nobody paid
