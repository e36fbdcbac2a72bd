"""Issue 15's last step against a real market: a federated run's trained parameters deployed as
the next version of a live model (staked, probed, live), and a real device's encrypted list
from that version ranked exactly as the trained model ranks the device's own profile."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from client_app.developer import DeveloperClient
from client_app.sdk import PrivrecClient
from recommenders.bundle import pack_bundle
from recommenders.embeddings import EMBEDDING_DIM
from recommenders.features import extract_features
from tests.client_app.conftest import MARKET_KEY
from tests.client_app.test_sdk import with_books
from tests.live_server import LiveServer, worker_port
from tests.recommenders.conftest import FakeEmbedder
from tests.recommenders.test_federated_bundle import (
    TRAINING,
    load,
    previous_bundle,
    trained_model,
)


def test_a_federated_model_goes_live_as_a_new_version(tmp_path: Path) -> None:
    data = tmp_path / "market"
    server = LiveServer(
        data_dir=data,
        database_url=f"sqlite:///{data / 'market.sqlite3'}",
        market_key=MARKET_KEY,
        port=worker_port(18710),
    )
    first = previous_bundle(tmp_path)
    model, inputs = trained_model(list(load(first).catalog.titles))
    with server, DeveloperClient(server.url) as developer:
        developer.sign_up("fed-labs")
        developer.faucet()
        old = developer.wait_until_settled(
            developer.deploy(pack_bundle(first), stake=100, bid=0).id
        )
        new = developer.deploy_federated_version(
            first, model, inputs, version="1.1.0", training=TRAINING, stake=100, bid=0
        )
        assert (old.name, old.version, old.status) == ("fedshelf", "1.0.0", "live")
        assert (new.name, new.version, new.status, new.stake) == ("fedshelf", "1.1.0", "live", 100)
        assert new.id != old.id
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
    assert TRAINING.run_id in lists["1.1.0"].model.description
    # The device's decrypted list is the trained model's own ranking of the device's profile.
    features = extract_features(
        events, {"books"}, ["books"], embedder=FakeEmbedder(), now=datetime.now(UTC)
    )
    user = inputs.user_input(features.profile_vector()[:EMBEDDING_DIM])
    scores = model.scores(inputs, user[None])[0]
    top = np.argsort(-scores)[: len(lists["1.1.0"].items)]
    titles = load(first).catalog.item_ids
    assert [item.item_id for item in lists["1.1.0"].items] == [titles[i] for i in top]
