"""Web pages benchmark: the server's time to render each page of the market's site on a long
ledger.

    python -m benchmarks.web_pages --entries 100000 --json out.json
    python -m benchmarks.web_pages --entries 5000          # a quick run

It writes a ledger of that many entries with ``benchmarks.ledger_scale``'s realistic mix
(models with stakes and escrows; per round an impression, its rating and its attention; a
budget per user and epoch), settled every ``--settle-every`` entries, into a fresh SQLite
market with the impressions and ratings the database keeps beside it, and the three models
as live versions with a real (shipped) bundle manifest. Then, in-process (no network), it
times each page in a fresh server process as the server measures itself (its request-latency
histogram: the test client's thread hops are left out). ``first`` is the first request once
start-up is done (at start-up the server reads each settled epoch's money entries once, off
the event loop, and keeps the figures: a settled epoch never changes), ``warm`` the median of
the next requests, ``unwarmed_first`` a first request that finds nothing kept (one arriving
during start-up's read: the worst case), ``startup_read`` how long that read takes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session

import recommenders
from benchmarks.common import machine, print_table, write_json
from benchmarks.ledger_scale import DEVELOPER, MODELS, SEED, Writer, store_rows
from ledger.keys import MarketKey
from market_server import bundles
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.core.security import hash_api_key, new_api_key
from market_server.history import EpochHistory
from market_server.ledger_store import economy_params
from market_server.models import (
    BundleBlob,
    Developer,
    Impression,
    ModelStatus,
    ModelVersion,
    Rating,
    User,
)

BUNDLE = Path(recommenders.__file__).parent / "data" / "reference" / "books-popular.zip"
REPEATS = 15
TARGET_MS = 200
COLUMNS = (
    "page",
    "entries",
    "epochs",
    "first_ms",
    "warm_ms",
    "warm_max_ms",
    "unwarmed_first_ms",
    "startup_read_s",
    "bytes",
)


class SettlingWriter(Writer):
    """ledger_scale's writer, settling every ``settle_every`` entries."""

    def __init__(self, key: MarketKey, settings: Settings, settle_every: int) -> None:
        super().__init__(key, economy_params(settings))
        self.settle_every = settle_every

    def grow_to(self, size: int) -> None:
        while len(self.ledger) < size:
            before = len(self.ledger)
            self.step()
            if before // self.settle_every != len(self.ledger) // self.settle_every:
                self.add("settle", {})


def store_market(engine: Any, writer: Writer) -> dict[str, int]:
    """The database beside the ledger: developer, live model versions with a real manifest,
    users, impressions and ratings; model ledger name -> id."""
    parts = bundles.public_parts(bundles.check_bundle(BUNDLE.read_bytes()))
    ids: dict[str, int] = {}
    with Session(engine) as session:
        developer = Developer(name=DEVELOPER, api_key_hash=hash_api_key(new_api_key()))
        session.add(developer)
        session.flush()
        assert developer.id is not None
        for ledger_name in MODELS:
            name, version = ledger_name.split("@")
            model = ModelVersion(
                name=name,
                version=version,
                developer_id=developer.id,
                status=ModelStatus.LIVE,
                description=f"{name}: a benchmark model",
                categories="books",
                dim=16,
                items=1000,
                stake=10**6,
                bid=2,
            )
            session.add(model)
            session.flush()
            assert model.id is not None
            ids[ledger_name] = model.id
            session.add(
                BundleBlob(
                    model_id=model.id,
                    bundle=b"",
                    manifest=parts.manifest,
                    tower=parts.tower,
                    catalog=parts.catalog,
                )
            )
        session.execute(insert(User), [{"id": user} for user in writer.users])
        impressions, ratings = [], []
        for entry in writer.entries:
            body = entry.body
            if entry.kind == "impression":
                impressions.append(
                    {
                        "id": body["impression_id"],
                        "user_id": body["user"],
                        "model_id": ids[str(body["model"])],
                        "epoch": entry.epoch,
                        "list_length": body["list"],
                    }
                )
            elif entry.kind == "rating":
                ratings.append(
                    {
                        "impression_id": body["impression_id"],
                        "user_id": body["user"],
                        "model_id": ids[str(body["model"])],
                        "shown": body["shown"],
                        "liked": body["liked"],
                        "disliked": body["disliked"],
                        "contribution": body["contribution"],
                    }
                )
        session.execute(insert(Impression), impressions)
        session.execute(insert(Rating), ratings)
        session.commit()
    return ids


def server_seconds(client: TestClient, path: str, route: str) -> tuple[float, int]:
    """GET ``path``: the server's own time for it (its request-latency histogram, labelled
    by ``route``, the path's template), without the test client's thread hops; its size."""
    registry = client.app.state.metrics.registry  # type: ignore[attr-defined]
    labels = {"method": "GET", "route": route, "status": "2xx"}
    name = "privrec_http_request_duration_seconds_sum"
    before = registry.get_sample_value(name, labels) or 0.0
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return registry.get_sample_value(name, labels) - before, len(answer.content)


def time_page(client: TestClient, path: str, route: str) -> dict[str, Any]:
    """The first request (its manifest parsed, its queries' plans made) and the next ones."""
    first, size = server_seconds(client, path, route)
    warm = [server_seconds(client, path, route)[0] for _ in range(REPEATS)]
    return {
        "page": path,
        "first_ms": first * 1000,
        "warm_ms": statistics.median(warm) * 1000,
        "warm_max_ms": max(warm) * 1000,
        "bytes": size,
    }


def settled_read(client: TestClient) -> float:
    """Seconds to read every settled epoch's figures into an empty EpochHistory (what a
    server does once, at start-up, off the event loop)."""
    store = client.app.state.ledger  # type: ignore[attr-defined]
    with Session(store.engine) as session:
        settled = store.snapshot(session).book.closed_epochs
        start = time.perf_counter()
        EpochHistory().warm(session, settled)
        return time.perf_counter() - start


def unwarmed_first(client: TestClient, path: str, route: str) -> float:
    """Server seconds of a first request that finds nothing kept (one arriving during
    start-up's read): the app's history is swapped for an empty one."""
    client.app.state.history = EpochHistory()  # type: ignore[attr-defined]
    return server_seconds(client, path, route)[0]


def measure(entries: int, settle_every: int, workdir: Path) -> list[dict[str, Any]]:
    key = MarketKey.from_seed_hex(SEED)
    settings = Settings(
        mode="local",
        data_dir=workdir,
        database_url=f"sqlite:///{workdir / 'market.sqlite3'}",
        market_key=SEED,
    )
    writer = SettlingWriter(key, settings, settle_every)
    writer.grow_to(entries)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    store_rows(engine, writer.entries)
    ids = store_market(engine, writer)
    engine.dispose()
    epochs = len(writer.ledger.book.closed_epochs)
    model = ids[MODELS[0]]
    # The ledger explorer: an epoch in the middle, a page deep in it and an entry with its proof.
    middle = next(e for e in writer.entries[len(writer.entries) // 2 :] if e.kind != "epoch_close")
    epoch = [e for e in writer.entries if e.epoch == middle.epoch]
    pages = (  # (path, its route's template)
        ("/leaderboard", "/leaderboard"),
        ("/leaderboard?category=books&sort=earnings&order=asc", "/leaderboard"),
        (f"/models/{model}", "/models/{model_id}"),
        ("/v1/leaderboard", "/v1/leaderboard"),
        (f"/v1/models/{model}/history", "/v1/models/{model_id}/history"),
        ("/ledger", "/ledger"),
        (f"/ledger/epochs/{middle.epoch}", "/ledger/epochs/{epoch}"),
        (
            f"/ledger/epochs/{middle.epoch}?after={epoch[-60].seq}&limit=200",
            "/ledger/epochs/{epoch}",
        ),
        (f"/ledger/entries/{middle.seq}", "/ledger/entries/{seq}"),
        ("/dashboard", "/dashboard"),
    )
    rows = []
    for path, route in pages:
        # A fresh server process per page, as after a restart.
        with TestClient(create_app(settings)) as client:
            # The ledger loads and the settled epochs are read at start-up: wait for both.
            state = client.app.state  # type: ignore[attr-defined]
            with Session(state.ledger.engine) as session:
                state.history.warm(session, state.ledger.snapshot(session).book.closed_epochs)
            timing = time_page(client, path, route)
            rows.append(
                {
                    **timing,
                    "entries": len(writer.ledger),
                    "epochs": epochs,
                    "unwarmed_first_ms": unwarmed_first(client, path, route) * 1000,
                    "startup_read_s": settled_read(client),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=100_000, help="ledger length")
    parser.add_argument(
        "--settle-every", type=int, default=1000, help="entries per epoch (settled)"
    )
    parser.add_argument("--json", default=None, help="write the results to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        rows = measure(args.entries, args.settle_every, Path(workdir))
    print_table(rows, COLUMNS)
    slow = [row["page"] for row in rows if row["warm_ms"] > TARGET_MS]
    print(f"\ntarget: every page under {TARGET_MS} ms warm; over it: {slow or 'none'}")
    write_json(args.json, {"machine": machine(), "results": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
