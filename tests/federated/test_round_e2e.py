"""Federated training end to end against a real market process: a developer opens a run, four
devices (each its own OS process, the real SDK) take part, one drops out after sharing its keys,
the sum is still recovered, the developer gets only the noised aggregate, no device's update is
anywhere in what the server stores or logs, contributors are paid and the ledger verifies."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from safetensors.numpy import load

from client_app.developer import DeveloperClient
from federated.contribution import fixed_point
from federated.model import Adam
from federated.runs import RunSpec
from ledger.economy import dev_account, training_account, user_account
from ledger.verify import verify_ledger
from recommenders.bundle import pack_bundle
from tests.factories import make_bundle
from tests.federated.training_market import training_market
from tests.federated.training_run import ITEMS, run_body
from tests.live_server import LiveServer

DEVICES = 4
DROPPED = DEVICES  # the seed of the device that goes offline after sharing its keys
MARKET_KEY = "5e" * 32


@pytest.fixture
def market(tmp_path: Path) -> Iterator[LiveServer]:
    with training_market(tmp_path, MARKET_KEY, 18150) as server:
        yield server


def start_devices(url: str, run_dir: Path) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.federated.participant_process",
                url,
                str(run_dir),
                str(seed),
                *(["--drop"] if seed == DROPPED else []),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for seed in range(1, DEVICES + 1)
    ]


def wait_for(paths: list[Path], processes: list[subprocess.Popen[bytes]], timeout: float) -> None:
    end = time.monotonic() + timeout
    while not all(path.exists() for path in paths):
        failed = [p for p in processes if p.poll() not in (None, 0)]
        assert not failed, failed[0].communicate()[0].decode(errors="replace")[-3000:]
        assert time.monotonic() < end, f"devices not ready: {[p for p in paths if not p.exists()]}"
        time.sleep(0.1)


def stored_bytes(data_dir: Path) -> bytes:
    """Every byte the market keeps on disk: database (and its journal), key, logs."""
    return b"".join(path.read_bytes() for path in sorted(data_dir.rglob("*")) if path.is_file())


def test_devices_train_a_model_through_the_market(market: LiveServer, tmp_path: Path) -> None:
    developer = DeveloperClient(market.url)
    developer.sign_up("fedlabs")
    developer.faucet()
    bundle = pack_bundle(make_bundle(tmp_path, n=ITEMS, d=8, name="shelf"))
    model = developer.wait_until_settled(developer.deploy(bundle, stake=100, bid=5, escrow=50).id)
    assert model.status == "live"
    auth = {"Authorization": f"Bearer {developer.api_key}"}
    run_dir = tmp_path / "devices"
    run_dir.mkdir()
    processes = start_devices(market.url, run_dir)
    try:
        wait_for([run_dir / f"ready-{s}" for s in range(1, DEVICES + 1)], processes, 180)
        with httpx.Client(base_url=market.url, headers=auth, timeout=60) as http:
            # Stages wait 15 s: a device slow to start on a busy machine still joins in time
            # (the dropped one costs the round that wait once).
            body = run_body(model.id, rounds=1, stage_seconds=15, reward=8, budget=200)
            opened = http.post("/v1/training-rounds", json=body)
            assert opened.status_code == 201, opened.text
            run = opened.json()
            before = http.get("/v1/developers/me/balance").json()["balance"]
            (run_dir / "go").write_text(run["id"])
            outcomes = [p.communicate(timeout=240)[0].decode(errors="replace") for p in processes]
            assert all(p.returncode == 0 for p in processes), "\n".join(outcomes)[-4000:]
            results = {
                seed: json.loads((run_dir / f"result-{seed}.json").read_text())
                for seed in range(1, DEVICES + 1)
            }
            assert [results[s]["sent_input"] for s in sorted(results)] == [True, True, True, False]
            state = http.get(f"/v1/training-rounds/{run['id']}").json()
            update = http.get(f"/v1/training-rounds/{run['id']}/rounds/0/update")
            parameters = http.get(f"/v1/training-rounds/{run['id']}/parameters")
            after = http.get("/v1/developers/me/balance").json()["balance"]
            key = http.get("/v1/ledger/key").json()["public_key"]
            lines = http.get("/v1/ledger").text.splitlines()
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        developer.close()

    # The round finished with the three survivors' sum; the run is over.
    assert state["status"] == "finished", state
    assert state["rounds"][0]["stage"] == "done" and state["rounds"][0]["survivors"] == 3
    spec = RunSpec.from_json(state["spec"])
    # Every device charged the run's ε to its own budget before sending anything.
    assert all(r["epsilon"] > 0 for r in results.values())
    # The developer's aggregate is the exact sum of the survivors' words (the dropped device's
    # masks removed), over the cohort: the noise each device added is in it, nothing else.
    words = {s: np.frombuffer((run_dir / f"words-{s}.bin").read_bytes(), "<u4") for s in (1, 2, 3)}
    assert not (run_dir / f"words-{DROPPED}.bin").exists()  # it dropped before computing one
    total = np.zeros(spec.parameters, np.uint64)
    for vector in words.values():
        total += vector
    config = spec.round_config(b"\0" * 16, b"\0" * 32)  # the fixed point depends on sizes only
    expected = fixed_point(config).decode_sum(total.astype(np.uint32), 3) / spec.cohort
    np.testing.assert_array_equal(load(update.content)["parameters"], expected)
    # The run's server Adam took its first step with it, at round 1's decayed rate.
    initial = load(base64.b64decode(run_body(model.id)["parameters"]))["parameters"]
    assert spec.server_optimizer == "adam"
    rate = spec.server_learning_rate / (1 + spec.server_decay)
    adam = Adam(spec.parameters, rate, eps=spec.server_adam_eps)
    np.testing.assert_allclose(
        load(parameters.content)["parameters"], adam.step(initial, -expected)
    )
    # No device's update is in anything the server stores or logs, in any encoding.
    kept = stored_bytes(market.log_path.parent)
    log = market.log_tail(10**9).encode()
    assert parameters.content[-64:] in kept  # the scan does see the blobs the database holds
    for vector in words.values():
        raw = vector.tobytes()
        for needle in (raw[:64], raw[-64:], base64.b64encode(raw[:48]), raw[:64].hex().encode()):
            assert needle not in kept and needle not in log
    # Paid: the survivors (reward less the fee), not the dropped device; the rest went back.
    report = verify_ledger(lines, key)
    assert report.ok, report.error
    accounts = {s: user_account(r["account"]) for s, r in results.items()}
    earned = {
        s: sum(
            json.loads(line)["body"]["amount"]
            for line in lines
            if json.loads(line)["body"].get("to") == account
            and json.loads(line)["body"].get("memo", "").startswith("training:")
        )
        for s, account in accounts.items()
    }
    assert earned == {1: 7, 2: 7, 3: 7, DROPPED: 0}
    assert report.balances.get(training_account(run["id"]), 0) == 0
    assert after - before == 200 - 3 * 8  # the escrow left came back at the run's end
    assert report.balances[dev_account("fedlabs")] == after
