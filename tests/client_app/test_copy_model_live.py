"""Copy-the-leader against a real market (issue 11): a model deployed after another with the very
same bundle shows the same list, but the app's contributions give it 0 and the settlement pays
it nothing, while the original is paid for everything its list brought."""

from __future__ import annotations

from pathlib import Path

import httpx

from client_app.sdk import PrivrecClient
from tests.client_app.conftest import DIM, ITEMS, MARKET_KEY
from tests.client_app.test_sdk import with_books
from tests.factories import ModelSpec, deploy_models
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

ORIGINAL = ModelSpec("shelf", "shelf-labs", ("books",), stake=200, bid=0, seed=2)
COPY = ModelSpec("copycat", "copy-labs", ("books",), stake=200, bid=0, seed=2)  # same bundle


def test_a_copy_of_an_older_model_is_paid_nothing(tmp_path: Path) -> None:
    data = tmp_path / "market"
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key=MARKET_KEY
    )
    with server:
        (data / "bundles").mkdir()
        deploy_models(server.url, data / "bundles", (ORIGINAL, COPY), items=ITEMS, dim=DIM)
        client = PrivrecClient(tmp_path / "app", market_url=server.url, embedder=FakeEmbedder())
        try:
            client.create_identity()
            with_books(client, budget=100)
            round_ = client.refresh()
            lists = {entry.model.name: entry for entry in round_.lists}
            assert [e.model.name for e in round_.lists] == ["shelf", "copycat"]  # oldest first
            original, copy = lists["shelf"], lists["copycat"]
            assert [i.item_id for i in copy.items] == [i.item_id for i in original.items]
            for blended in round_.blended:  # the user likes the whole blended list
                client.rate_in_round(round_.round_id, blended.key, "like")
            contributions = client.contributions(round_.round_id)
            assert contributions == {
                original.impression_id: len(round_.blended),
                copy.impression_id: 0,
            }
            assert client.send_ratings().delivered == 2
            server.settle()
            view = client.wallet()
        finally:
            client.close()
        settled = view.ledger.settlement  # replayed from the verified ledger on the device
        assert view.ledger.ok and settled is not None and view.ledger.settlement_matches
        paid = {line.model: line.paid + line.fee for line in settled.lines}
        assert paid == {ORIGINAL.ledger_id: 100}  # the whole budget, nothing for the copy
        board = {row["name"]: row for row in httpx.get(f"{server.url}/v1/leaderboard").json()}
        assert board["copycat"]["earnings"] == board["copycat"]["contribution_paid_for"] == 0
        assert board["shelf"]["contribution_paid_for"] == 100
