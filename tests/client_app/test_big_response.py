"""A table above one shard (2^20 items) end to end on a real market: deployed as a bundle,
scored in two shards, its ~7.6 MB answer read within a limit derived from its item count,
decrypted in batches and ranked as the plaintext scores rank."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy

from client_app.developer import DeveloperClient
from client_app.market import MarketError, max_recommendation_bytes
from client_app.sdk import PrivrecClient
from crypto import decrypt_scores, encrypt_query, top_k
from crypto.profiles import MAX_ITEMS
from crypto.table_scorer import SHARD_ITEMS
from market_server.bundles import ITEM_CHUNK_BYTES
from tests.factories import big_table, write_big_bundle
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

ITEMS = SHARD_ITEMS + 1000  # two shards, the second one short
DIM = 4

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path]]:
    root = tmp_path_factory.mktemp("big")
    bundle = root / "big-books.zip"
    write_big_bundle(bundle, ITEMS, DIM, seed=9)
    server = LiveServer(
        data_dir=root / "market",
        database_url=f"sqlite:///{root / 'market.sqlite3'}",
        market_key="5c" * 32,
    )
    with server, DeveloperClient(server.url) as developer:
        developer.sign_up("big-labs")
        developer.faucet()
        deployed = developer.deploy(bundle, stake=100, bid=5, escrow=50)
        assert developer.wait_until_settled(deployed.id).status == "live"
        # The table is stored in 16 MiB chunks, never as one value (nor inside the zip).
        engine = sqlalchemy.create_engine(f"sqlite:///{root / 'market.sqlite3'}")
        with engine.connect() as connection:
            sizes = connection.execute(
                sqlalchemy.text("SELECT length(data) FROM itemchunk ORDER BY seq")
            ).scalars()
            assert list(sizes) == [ITEM_CHUNK_BYTES, 4 * ITEMS * DIM - ITEM_CHUNK_BYTES]
            stored = connection.execute(sqlalchemy.text("SELECT length(bundle) FROM bundleblob"))
            assert stored.scalar_one() == 0
        engine.dispose()
        yield server, bundle


def test_a_round_over_a_table_above_one_shard_ranks_every_item(
    market: tuple[LiveServer, Path],
) -> None:
    server, bundle = market
    user = PrivrecClient(bundle.parent / "user", market_url=server.url, embedder=FakeEmbedder())
    try:
        user.create_identity()
        user.faucet()
        user.fund_budget(10)
        (model,) = user.market.live_models()
        assert model.items == ITEMS
        keys_id = user.connect()
        vector = np.random.default_rng(3).normal(size=DIM)
        query = encrypt_query(user.secret_keys, vector)
        _, (result,) = user.market.recommend(
            keys_id, [(model.id, query.wire)], items={model.id: ITEMS}
        )
        # Well under the derived limit, which is far over the old blanket one per 1M items.
        assert len(result.response) < max_recommendation_bytes([ITEMS])
        scores = decrypt_scores(user.secret_keys, result.response, query)
        assert scores.shape == (ITEMS,)
        items = big_table(ITEMS, DIM, seed=9)
        exact = items.astype(np.float64) @ vector
        assert np.max(np.abs(scores - exact)) < 1e-3 * np.max(np.abs(exact))
        # The best items of both shards rank as the plaintext ranks them.
        assert set(top_k(scores, 10).ids) == set(top_k(exact, 10).ids)
        assert np.argmax(scores[SHARD_ITEMS:]) == np.argmax(exact[SHARD_ITEMS:])
        # Told the model is smaller than it is, the app refuses the market's larger answer.
        with pytest.raises(MarketError, match="larger than"):
            user.market.recommend(keys_id, [(model.id, query.wire)], items={model.id: 1000})
    finally:
        user.close()


def test_the_answer_limit_follows_the_tables_asked() -> None:
    one_shard = max_recommendation_bytes([SHARD_ITEMS])
    # 7.25 bytes per item on the wire, a third more in base64.
    assert 9.5 * SHARD_ITEMS < one_shard < 10.5 * SHARD_ITEMS
    assert max_recommendation_bytes([SHARD_ITEMS, SHARD_ITEMS]) > 2 * one_shard - 100_000
    assert max_recommendation_bytes([MAX_ITEMS]) > 160_000_000
    # The bound grows a whole ciphertext (thousands of items) at a time, with the table.
    assert max_recommendation_bytes([10]) == max_recommendation_bytes([4096])
    assert max_recommendation_bytes([2 * SHARD_ITEMS]) > one_shard + 9 * SHARD_ITEMS
    for bad in (0, MAX_ITEMS + 1):
        with pytest.raises(MarketError, match="outside"):
            max_recommendation_bytes([bad])
