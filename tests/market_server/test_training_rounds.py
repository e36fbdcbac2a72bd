"""Training-round routes on a real database: a developer opens a run, devices go through the
SecAgg+ steps (one drops after sharing its keys), the sum is recovered from the masks, the
contributors are paid from the escrow, and bad input on every route is refused cleanly."""

from __future__ import annotations

import base64
import dataclasses
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

from crypto.identity import IdentityKey
from federated.contribution import encode_contribution, fixed_point
from federated.errors import InvalidMessage
from federated.messages import (
    WIRE_VERSION,
    ConsistencyCheck,
    ConsistencySignature,
    Roster,
    RoundConfig,
    ShareInbox,
    UnmaskRequest,
)
from federated.model import Adam
from federated.runs import RunSpec
from federated.secagg import SecAggClient
from federated.signed import (
    SignedAdvertiseKeys,
    SignedRoster,
    consistency_statement,
    roster_digest,
)
from ledger.economy import training_account, user_account
from ledger.verify import verify_ledger
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.training_tables import TrainingClient, TrainingRound, TrainingRun, TrainingShare
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


def join(user: SignedClient, run_id: str, version: int | None = WIRE_VERSION) -> Any:
    """Join the round under way, saying the wire version the device speaks."""
    body = None if version is None else {"wire_version": version}
    return user.request("POST", f"{API}/{run_id}/join", json_body=body)


def signed_keys(user: SignedClient, device: SecAggClient) -> bytes:
    """The device's advertise-keys as it sends them: signed by its account's identity."""
    return SignedAdvertiseKeys.sign(device.advertise(), user.key).to_bytes()


def seated(
    client: TestClient, run_id: str, users: list[SignedClient]
) -> dict[int, tuple[SignedClient, SecAggClient]]:
    """Each user's device joined to the round under way, its signed keys advertised."""
    seats = {}
    for user in users:
        joined = ok(join(user, run_id)).json()
        device = SecAggClient(RoundConfig.from_json(joined["config"]), joined["client"])
        ok(
            user.request("POST", f"{API}/{run_id}/advertise", content=signed_keys(user, device)),
            204,
        )
        seats[joined["client"]] = (user, device)
    return seats


def roster_for(user: SignedClient, run_id: str, client: int) -> tuple[Roster, dict[int, str]]:
    """The roster a device polls for, its signatures checked as the device checks them, and
    whose each seat is."""
    signed = SignedRoster.from_json(poll(user, run_id, "roster", client))
    return signed.verify(user.account, client), signed.identities


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
        joined = ok(join(user, run_id)).json()
        config = RoundConfig.from_json(joined["config"])
        assert config == spec.round_config(config.round_id, config.graph_seed)
        secagg[joined["client"]] = (user, SecAggClient(config, joined["client"]))
    for _, (user, device) in secagg.items():
        ok(
            user.request("POST", f"{API}/{run_id}/advertise", content=signed_keys(user, device)),
            204,
        )
    rosters = {}
    for number, (user, device) in secagg.items():
        rosters[number] = roster_for(user, run_id, number)
        shared = device.share_keys(*rosters[number]).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/share-keys", content=shared), 204)
    dropped = max(secagg)
    stranger_key = IdentityKey.generate()  # shared its keys, then went offline
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
    survivors = [(number, user, device) for number, (user, device) in secagg.items()]
    survivors = [s for s in survivors if s[0] != dropped]
    for number, user, device in survivors:  # the consistency round
        check = ConsistencyCheck.from_json(poll(user, run_id, "consistency-check", number))
        assert check.dropped == (dropped,) and dropped not in check.survivors
        signature = device.consistency(check, user.key).to_bytes()
        if number == survivors[0][0]:  # a signature over another set or by another key: 400
            other = ConsistencyCheck(check.round_id, check.survivors, ())
            digest = roster_digest(*rosters[number])
            for key, signed in ((user.key, other), (stranger_key, check)):
                bad = ConsistencySignature(
                    check.round_id, number, key.sign(consistency_statement(signed, digest))
                )
                answer = user.request(
                    "POST", f"{API}/{run_id}/consistency-signature", content=bad.to_bytes()
                )
                assert answer.status_code == 400 and "not over the check" in answer.text
            for body in (b"", b"{", b"x" * 1000):
                answer = user.request("POST", f"{API}/{run_id}/consistency-signature", content=body)
                assert answer.status_code == 400, body
            theirs = dataclasses.replace(
                ConsistencySignature.from_json(signature), client=survivors[1][0]
            ).to_bytes()
            answer = user.request("POST", f"{API}/{run_id}/consistency-signature", content=theirs)
            assert answer.status_code == 403
        ok(user.request("POST", f"{API}/{run_id}/consistency-signature", content=signature), 204)
        if number == survivors[0][0]:
            again = user.request("POST", f"{API}/{run_id}/consistency-signature", content=signature)
            assert again.status_code == 400 and "signed twice" in again.text
    for number, user, device in survivors:
        request = UnmaskRequest.from_json(poll(user, run_id, "unmask-request", number))
        assert request.dropped == (dropped,) and len(request.signatures) == 3
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
    assert paid - {"market"} == {user_account(user.account) for _, user, _ in survivors}
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
    assert join(free, run_id).status_code == 409  # no commitment
    # A device of another wire version (an older app says none) is refused before any seat.
    for version, spoken in ((None, "an older one"), (2, "version 2"), (4, "version 4")):
        answer = join(funded, run_id, version)
        assert answer.status_code == 400, answer.text
        assert f"speak wire version {WIRE_VERSION} and the device {spoken}" in answer.text
    for body in (b"{}", b'{"wire_version": "3"}', b'{"wire_version": 3, "x": 1}'):
        answer = funded.request("POST", f"{API}/{run_id}/join", content=body)
        assert answer.status_code in (400, 422), body
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.exec(select(TrainingClient)).all() == []
    joined = ok(join(funded, run_id)).json()
    assert ok(join(funded, run_id)).json() == joined  # idempotent
    config = RoundConfig.from_json(joined["config"])
    device = SecAggClient(config, joined["client"])
    keys = device.advertise()
    message = SignedAdvertiseKeys.sign(keys, funded.key)
    newer = json.dumps({**message.to_json(), "v": 9}).encode()
    older = json.dumps({**keys.to_json(), "v": 1}).encode()  # an app from before the signing
    forged = dataclasses.replace(message, signature=bytes(64)).to_bytes()
    swapped = dataclasses.replace(message, mask_key=keys.channel_key).to_bytes()
    elsewhere = SignedAdvertiseKeys.sign(dataclasses.replace(keys, round_id=b"r" * 16), funded.key)
    bad = (b"", b"{", b"[]", b"x" * 5000, newer, older, keys.to_bytes(), forged, swapped)
    for body in (*bad, elsewhere.to_bytes()):
        answer = funded.request("POST", f"{API}/{run_id}/advertise", content=body)
        assert answer.status_code == 400, body
    answer = funded.request("POST", f"{API}/{run_id}/advertise", content=older)
    assert f"unsupported message version 1: this side speaks version {WIRE_VERSION}" in answer.text
    unsigned = funded.request("POST", f"{API}/{run_id}/advertise", content=keys.to_bytes())
    assert "expected a signed-advertise-keys message" in unsigned.text
    other_seat = SecAggClient(config, joined["client"] + 1).advertise()
    theirs = SignedAdvertiseKeys.sign(other_seat, funded.key).to_bytes()
    assert funded.request("POST", f"{API}/{run_id}/advertise", content=theirs).status_code == 403
    by_stranger = SignedAdvertiseKeys.sign(keys, stranger.key).to_bytes()  # a valid signature
    answer = funded.request("POST", f"{API}/{run_id}/advertise", content=by_stranger)
    assert answer.status_code == 403 and "another identity" in answer.text
    assert (
        stranger.request(
            "POST", f"{API}/{run_id}/advertise", content=message.to_bytes()
        ).status_code
        == 403
    )
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        (row,) = session.exec(select(TrainingClient)).all()
        assert row.channel_key is None and row.key_signature is None  # nothing half-written
    ok(funded.request("POST", f"{API}/{run_id}/advertise", content=message.to_bytes()), 204)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        (row,) = session.exec(select(TrainingClient)).all()
        assert (row.channel_key, row.key_signature) == (keys.channel_key, message.signature)
    again = funded.request("POST", f"{API}/{run_id}/advertise", content=message.to_bytes())
    assert again.status_code == 400  # advertised twice
    for step in ("roster", "inbox", "consistency-check", "unmask-request"):
        assert (
            funded.request("GET", f"{API}/{run_id}/{step}?client={joined['client']}").status_code
            == 409
        )
        assert funded.request("GET", f"{API}/{run_id}/{step}?client=0").status_code == 422
    for step in ("share-keys", "masked-input", "consistency-signature", "unmask-response"):
        assert funded.request("POST", f"{API}/{run_id}/{step}", content=b"{}").status_code == 409
    assert join(funded, "0" * 32).status_code == 404
    assert join(funded, "not-a-run").status_code == 422
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
    secagg = seated(client, run_id, devices(client, 3))
    time.sleep(1.1)  # the advertising closes at its deadline with 3 of 4 devices
    for number, (user, device) in list(secagg.items())[:2]:  # only two share their keys
        shared = device.share_keys(*roster_for(user, run_id, number)).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/share-keys", content=shared), 204)
    time.sleep(1.1)
    state = ok(client.get(f"{API}/{run_id}")).json()
    assert state["rounds"][0]["stage"] == "failed"
    assert "at least 3 needed" in state["rounds"][0]["message"]
    assert state["round_index"] == 1 and state["escrow"] == 100  # nobody paid


def test_a_tampered_key_row_makes_every_device_refuse_the_roster(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    """A market whose database swaps one device's public key (a malicious operator, or a
    break-in): the roster still relays that device's signature over its own keys, so every
    device sees the substitution, the victim included, and none shares its keys."""
    run_id = ok(open_run(client, developer, model_id), 201).json()["id"]
    seats = seated(client, run_id, devices(client, 4))
    victim = min(seats)
    attacker_key = SecAggClient(seats[victim][1].config, victim).advertise().channel_key
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        row = session.exec(select(TrainingClient).where(TrainingClient.client == victim)).one()
        row.channel_key = attacker_key
        session.add(row)
        session.commit()
    for number, (user, _) in seats.items():
        with pytest.raises(InvalidMessage, match=f"client {victim}'s keys are not signed"):
            roster_for(user, run_id, number)


def stale(client: TestClient, run_id: str) -> None:
    """Mark the run's round under way as opened by a server of wire version 2 (a row written
    before the column holds 2: its server default)."""
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        run = session.get(TrainingRun, run_id)
        assert run is not None
        current = session.get(TrainingRound, (run_id, run.round_index))
        assert current is not None and current.wire_version == WIRE_VERSION
        current.wire_version = 2
        session.add(current)
        session.commit()


def test_a_round_opened_under_an_older_wire_version_is_dropped_cleanly(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    """The market moves from wire version 2 to 3 while a round runs: the old round's devices
    are told why, the round is dropped (nothing unmasked, nobody paid, its keys forgotten),
    the run goes on with a round of version 3, and a run whose last round it was ends with
    its escrow back with the developer."""
    run_id = ok(open_run(client, developer, model_id), 201).json()["id"]
    old, new = devices(client, 2), devices(client, 1)[0]
    seated(client, run_id, old)
    stale(client, run_id)
    answer = old[0].request("POST", f"{API}/{run_id}/share-keys", content=b"{}")
    assert answer.status_code == 409 and "opened under wire version 2" in answer.text
    joined = ok(join(new, run_id)).json()
    assert joined["round_index"] == 1 and joined["client"] == 1
    state = ok(client.get(f"{API}/{run_id}")).json()
    first = state["rounds"][0]
    assert first["stage"] == "failed" and "market now speaks version 3" in first["message"]
    assert state["status"] == "open" and state["round_index"] == 1 and state["escrow"] == 100
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        rows = session.exec(select(TrainingClient).where(TrainingClient.round_index == 0)).all()
        assert len(rows) == 2 and all(r.channel_key is None for r in rows)
        assert session.get(TrainingRound, (run_id, 1)).wire_version == WIRE_VERSION  # type: ignore[union-attr]
    # The run's last round dropped: the run ends and its escrow goes back.
    last = ok(open_run(client, developer, model_id, rounds=1), 201).json()["id"]
    before = ok(client.get("/v1/developers/me/balance", headers=developer.headers)).json()
    stale(client, last)
    ended = ok(client.get(f"{API}/{last}")).json()
    after = ok(client.get("/v1/developers/me/balance", headers=developer.headers)).json()
    assert ended["status"] == "finished" and ended["escrow"] == 0
    assert after["balance"] - before["balance"] == 100
    key = client.get("/v1/ledger/key").json()["public_key"]
    lines = client.get("/v1/ledger").text.splitlines()
    assert verify_ledger(lines, key).ok
    assert not [line for line in lines if json.loads(line)["kind"] == "training_contribution"]


def full_round(
    client: TestClient, developer: Developer, run_id: str, spec: RunSpec, seed: int
) -> np.ndarray[Any, Any]:
    """A round a whole fresh cohort of devices takes part in to the end: its released (noised
    mean) update, as the developer reads it."""
    rng = np.random.default_rng(seed)
    index = ok(client.get(f"{API}/{run_id}")).json()["round_index"]
    seats = seated(client, run_id, devices(client, spec.cohort))
    for number, (user, device) in seats.items():
        shared = device.share_keys(*roster_for(user, run_id, number)).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/share-keys", content=shared), 204)
    for number, (user, device) in seats.items():
        inbox = ShareInbox.from_json(poll(user, run_id, "inbox", number))
        words = encode_contribution(
            rng.normal(size=spec.parameters) * 0.1, spec.plan, device.config, rng
        )
        masked = device.masked_input(inbox, words).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/masked-input", content=masked), 204)
    for number, (user, device) in seats.items():
        check = ConsistencyCheck.from_json(poll(user, run_id, "consistency-check", number))
        signature = device.consistency(check, user.key).to_bytes()
        ok(user.request("POST", f"{API}/{run_id}/consistency-signature", content=signature), 204)
    for number, (user, device) in seats.items():
        answer = device.unmask(
            UnmaskRequest.from_json(poll(user, run_id, "unmask-request", number))
        )
        ok(user.request("POST", f"{API}/{run_id}/unmask-response", content=answer.to_bytes()), 204)
    path = f"{API}/{run_id}/rounds/{index}/update"
    released: np.ndarray[Any, Any] = load(ok(client.get(path, headers=developer.headers)).content)[
        "parameters"
    ]
    return released


def parameters_of(client: TestClient, run_id: str) -> np.ndarray[Any, Any]:
    answer = ok(client.get(f"{API}/{run_id}/parameters"))
    parameters: np.ndarray[Any, Any] = load(answer.content)["parameters"]
    return parameters


def test_the_server_steps_with_adam_at_the_decayed_rate(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    """Without the optimiser fields a run takes the benchmark's plan (DP-FedAdam at rate /
    (1 + 0.1 r)): after two rounds (a failed one between them, which steps nothing but counts
    in the decay) the parameters are exactly federated.model.Adam's on the released means."""
    # Stages wait 30 s, but close as soon as every device answered: on a busy machine, no
    # device comes too late.
    body = run_body(model_id, rounds=3, stage_seconds=30)
    for name in ("server_optimizer", "server_decay", "server_adam_eps"):
        del body[name]
    run = ok(client.post(API, headers=developer.headers, json=body), 201).json()
    run_id, spec = run["id"], RunSpec.from_json(run["spec"])
    assert (spec.server_optimizer, spec.server_decay, spec.server_adam_eps) == ("adam", 0.1, 1e-8)
    initial = parameters_of(client, run_id)
    first = full_round(client, developer, run_id, spec, seed=1)
    stale(client, run_id)  # round 1 is dropped (nothing released), as a failed round is
    state = ok(client.get(f"{API}/{run_id}")).json()
    assert state["round_index"] == 2 and state["rounds"][1]["stage"] == "failed", state
    third = full_round(client, developer, run_id, spec, seed=2)
    adam = Adam(spec.parameters, spec.server_learning_rate, eps=1e-8)
    expected = initial
    for round_number, mean in ((1, first), (3, third)):
        adam.learning_rate = spec.server_learning_rate / (1 + 0.1 * round_number)
        expected = adam.step(expected, -mean)
    np.testing.assert_array_equal(parameters_of(client, run_id), expected)
    assert not np.allclose(expected, initial + first + third)  # not what FedAvg would give
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        stored = session.get(TrainingRun, run_id)
        assert stored is not None and stored.server_steps == 2  # the failed round took none


@pytest.mark.parametrize("decay", [0.0, 0.5])
def test_the_server_steps_with_sgd_as_fedavg(
    client: TestClient, developer: Developer, model_id: int, decay: float
) -> None:
    """ "sgd" moves by rate x the released mean, the rate decayed if the run says so (FedAvg
    with a server rate when not), and keeps no Adam state."""
    changes = {"server_optimizer": "sgd", "server_decay": decay, "server_learning_rate": 0.7}
    run = ok(open_run(client, developer, model_id, stage_seconds=30, **changes), 201).json()
    run_id, spec = run["id"], RunSpec.from_json(run["spec"])
    expected = parameters_of(client, run_id)
    for round_number in (1, 2):
        mean = full_round(client, developer, run_id, spec, seed=round_number)
        expected = expected + 0.7 / (1 + decay * round_number) * mean
    np.testing.assert_array_equal(parameters_of(client, run_id), expected)
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        stored = session.get(TrainingRun, run_id)
        assert stored is not None and stored.status == "finished"
        assert (stored.server_first_moment, stored.server_steps) == (None, 0)


def test_bad_server_optimiser_fields_are_refused(
    client: TestClient, developer: Developer, model_id: int
) -> None:
    bad: dict[str, tuple[dict[str, Any], str]] = {
        "unknown optimiser": ({"server_optimizer": "adagrad"}, "'sgd' or 'adam'"),
        "optimiser not a string": ({"server_optimizer": 1}, "'sgd' or 'adam'"),
        "negative decay": ({"server_decay": -0.1}, "greater than or equal to 0"),
        "huge decay": ({"server_decay": 1e4}, "less than or equal to 1000"),
        "decay as text": ({"server_decay": "0.1"}, "server_decay"),
        "zero eps": ({"server_adam_eps": 0}, "greater than 0"),
        "eps over 1": ({"server_adam_eps": 2.0}, "less than or equal to 1"),
    }
    for name, (changes, why) in bad.items():
        answer = open_run(client, developer, model_id, **changes)
        assert answer.status_code == 422 and why in answer.text, (name, answer.text)
    assert ok(client.get(f"{API}?categories=books")).json() == []  # none was opened
