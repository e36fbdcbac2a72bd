"""Issue 15's last step against a real market: the parameters of a training run, read back
from the market by its developer (`privrec model deploy-federated`), deployed as the next
version of the model the run trained (staked, probed, live), and a real device's encrypted
list from that version ranked exactly as the trained model ranks the device's own profile."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pytest

from client_app.developer import DeveloperClient
from client_app.market import MarketError
from client_app.sdk import PrivrecClient
from federated.runs import pack_inputs, pack_parameters
from privrec_cli import main
from recommenders.bundle import pack_bundle
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import extract_features
from tests.client_app.conftest import MARKET_KEY
from tests.client_app.test_sdk import with_books
from tests.federated.training_run import run_body
from tests.live_server import LiveServer, worker_port
from tests.recommenders.conftest import FakeEmbedder
from tests.recommenders.test_federated_bundle import load, previous_bundle, trained_model


def test_a_training_run_goes_live_as_the_models_next_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "market"
    server = LiveServer(
        data_dir=data,
        database_url=f"sqlite:///{data / 'market.sqlite3'}",
        market_key=MARKET_KEY,
        port=worker_port(18710),
    )
    first = previous_bundle(tmp_path)
    other = previous_bundle(tmp_path, name="other-shelf")
    # The run's parameters as a few rounds would leave them: the test opens the run with
    # parameters already moved by local updates (the market serves a run's current ones).
    model, inputs = trained_model(list(load(first).catalog.titles))
    with server, DeveloperClient(server.url) as developer:
        developer.sign_up("fed-labs")
        developer.faucet()
        old = developer.wait_until_settled(
            developer.deploy(pack_bundle(first), stake=100, bid=0).id
        )
        body = run_body(
            old.id,
            dim=model.user.shape[0],
            width=inputs.width,
            embedding=EMBEDDING_DIM,
            facts=inputs.facts.shape[1],
            parameters=base64.b64encode(pack_parameters(model.flat())).decode(),
            inputs=base64.b64encode(pack_inputs(inputs)).decode(),
        )
        auth = {"Authorization": f"Bearer {developer.api_key}"}
        opened = httpx.post(f"{server.url}/v1/training-rounds", json=body, headers=auth)
        assert opened.status_code == 201, opened.text
        run_id = opened.json()["id"]
        # Only the bundle of the version the run trained makes its next version.
        with pytest.raises(
            ValueError, match=re.escape("trained fedshelf@1.0.0, not other-shelf@1.0.0")
        ):
            developer.deploy_federated_version(other, run_id, version="1.1.0", stake=100, bid=0)
        with pytest.raises(
            MarketError, match=r"refused to read training run (ab)+: no training run"
        ):
            developer.training_result("ab" * 16)
        monkeypatch.setenv("PRIVREC_API_KEY", str(developer.api_key))
        deploy = ["model", "deploy-federated", run_id, "--previous", str(first)]
        deploy += ["--version", "1.1.0", "--stake", "100", "--market", server.url]
        assert main(deploy) == 0
        printed = capsys.readouterr().out
        (new,) = [m for m in developer.models() if m.version == "1.1.0"]
        assert f"training run {run_id} is model {new.id}, fedshelf 1.1.0: live" in printed
        assert (new.name, new.status, new.stake, old.version) == ("fedshelf", "live", 100, "1.0.0")
        assert main(deploy) == 1  # a version is deployed once; the market's reason is printed
        assert "fedshelf 1.1.0 is already deployed" in capsys.readouterr().err
        client = PrivrecClient(tmp_path / "app", market_url=server.url, embedder=FakeEmbedder())
        try:
            client.create_identity()
            with_books(client)
            round_ = client.refresh()
            events = [stored.event for stored in client.store.events(["books"])]
        finally:
            client.close()
    lists = {entry.model.version: entry for entry in round_.lists}
    assert sorted(lists) == ["1.0.0", "1.1.0"]
    assert f"training run {run_id}" in lists["1.1.0"].model.description
    # The device's decrypted list is the trained model's own ranking of the device's profile.
    features = extract_features(
        events, {"books"}, ["books"], embedder=FakeEmbedder(), now=datetime.now(UTC)
    )
    user = inputs.user_input(features.profile_vector()[:EMBEDDING_DIM])
    scores = model.scores(inputs, user[None])[0]
    top = np.argsort(-scores)[: len(lists["1.1.0"].items)]
    item_ids = load(first).catalog.item_ids
    assert [item.item_id for item in lists["1.1.0"].items] == [item_ids[i] for i in top]
