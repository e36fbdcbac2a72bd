"""A real market server process (``privrec market serve``) on a free loopback port, and
throwaway PostgreSQL schemas."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import sqlalchemy

from client_app.developer import DeveloperClient
from client_app.local_market import MarketProcess, free_port
from client_app.rounds import RecommendationRound
from client_app.sdk import PrivrecClient
from recommenders.activity import ActivityEvent
from recommenders.bundle import Bundle, load_bundle
from recommenders.embeddings import Embedder
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.reference import shipped_bundle
from recommenders.tower import TowerRunner

__all__ = [
    "POSTGRES_URL",
    "LiveServer",
    "PlaintextRanking",
    "free_port",
    "one_category_round",
    "plaintext_ranking",
    "throwaway_schema",
    "worker_port",
]

# The PostgreSQL server every machine here runs (trust auth, database `test`).
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Each pytest-xdist worker runs its own copy of a module's fixtures: a suite's fixed loopback
# port is moved by this much per worker, so two workers never serve on the same one.
WORKER_PORT_STRIDE = 1000


def worker_port(port: int) -> int:
    """``port`` for this pytest-xdist worker (gw0, gw1, ...; unchanged outside xdist)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return port + WORKER_PORT_STRIDE * int(worker.removeprefix("gw"))


class LiveServer(MarketProcess):
    """The market on a given database and ledger key, with any other PRIVREC_* settings."""

    def __init__(
        self,
        *,
        data_dir: Path,
        database_url: str,
        market_key: str,
        workers: int = 1,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        settings = {"PRIVREC_DATABASE_URL": database_url, "PRIVREC_MARKET_KEY": market_key}
        super().__init__(
            data_dir=data_dir,
            settings={**settings, **(extra_env or {})},
            workers=workers,
            port=port,
        )


@contextmanager
def throwaway_schema(url: str, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL schema (dropped afterwards): the URL to use, with its search path."""
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def reference_market(
    data_dir: Path, *, port: int, market_key: str, developer: str, models: Sequence[str]
) -> Iterator[str]:
    """A real market process (SQLite in ``data_dir``) where one developer has the shipped
    reference ``models`` live; yields its URL."""
    server = LiveServer(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'market.sqlite3'}",
        market_key=market_key,
        port=port,
    )
    with server, DeveloperClient(server.url) as client:
        client.sign_up(developer)
        client.faucet()
        for name in models:
            deployed = client.deploy(shipped_bundle(name).read_bytes(), stake=100, bid=2, escrow=20)
            assert client.wait_until_settled(deployed.id).status == "live", name
        yield server.url


def one_category_round(
    market_url: str,
    app_dir: Path,
    events: Sequence[ActivityEvent],
    category: str,
    embedder: Embedder,
) -> RecommendationRound:
    """A new user with only ``events`` of one ``category`` asks the market once, funded."""
    client = PrivrecClient(app_dir, market_url=market_url, embedder=embedder)
    try:
        client.create_identity()
        client.store.add_events(events, origin="test")
        client.set_opt_in(category, True)
        client.faucet()
        client.fund_budget(10)
        return client.refresh()
    finally:
        client.close()


@dataclass(frozen=True)
class PlaintextRanking:
    """A shipped model's catalog ranked in plaintext for the same events, to compare with
    what the device decrypted: the items the events consumed and the rest in score order."""

    model: Bundle
    consumed: frozenset[str]
    ranked_new: tuple[str, ...]
    best_score: float


def plaintext_ranking(
    model_name: str,
    events: Sequence[ActivityEvent],
    category: str,
    embedder: Embedder,
    now: datetime,
) -> PlaintextRanking:
    model = load_bundle(shipped_bundle(model_name), feature_schema=FEATURE_SCHEMA_VERSION)
    index = catalog_index(model.catalog, model.manifest)
    features = extract_features(
        events,
        {category},
        [category],
        index,
        embedder=embedder,
        now=now,
        aggregation=model.manifest.aggregation_rules,
    )
    user = TowerRunner(model.manifest, model.tower)(tower_inputs(model.manifest.inputs, features))
    scores = model.items.astype(np.float64) @ user
    ids = model.catalog.item_ids
    consumed = frozenset(ids[row] for event in events for row in index.match(event))
    ranked_new = tuple(ids[row] for row in np.argsort(-scores) if ids[row] not in consumed)
    return PlaintextRanking(model, consumed, ranked_new, float(scores.max()))
