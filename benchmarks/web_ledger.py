"""Server render time of the ledger explorer's pages and the developer dashboard on a long
ledger (issue 16: under 200 ms each on a 100k-entry ledger).

    python -m benchmarks.web_ledger --entries 100000 --json out.json
    python -m benchmarks.web_ledger --entries 5000           # a quick run
    python -m benchmarks.web_ledger --proofs-only --proof-epoch 250000

The ledger is benchmarks.ledger_scale's realistic mix (budgets, impressions, ratings with
contributions, attention, a settlement every 20,000 entries) written into a fresh SQLite
market; each page is then requested in-process (no network) and its median wall time over
``--repeats`` requests reported, with the worst page of each kind: the ledger's front page,
an epoch's first page and a page deep inside it, the entry page (its proof over the largest
epoch's hashes; kept, then built again as on the first proof of an epoch), the dashboard, and
the JSON routes these pages' scripts call. The proof route is also timed as it was built
before (rebuilding every entry of the epoch) for comparison. Then, in one ``--proof-epoch``
entry closed epoch: the first proof (its kept tree built) and a later one, and the memory
its kept tree takes against the whole tree kept before.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, col, select

from benchmarks.common import machine, print_table, write_json
from benchmarks.ledger_scale import SEED, Writer, store_rows
from ledger.keys import MarketKey
from ledger.merkle import BlockedMerkleTree, MerkleTree, merkle_root
from ledger.verify import payout_proof
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_explorer import (
    CLOSED_TREES,
    _ClosedTrees,
    entry_hashes,
    epoch_summaries,
    epoch_summary,
)
from market_server.ledger_store import economy_params, from_row
from market_server.models import LedgerEntryRow

T = TypeVar("T")
COLUMNS = ("page", "path", "entries", "largest_epoch", "median_ms", "median_cpu_ms", "bytes")
PROOF_COLUMNS = ("measure", "leaves", "ms", "cpu_ms", "nodes", "bytes")


def timed(function: Callable[[], T], repeats: int) -> tuple[float, float, T]:
    """Median wall and CPU seconds (the whole process's: the in-process server's work) of
    ``repeats`` calls, and the last call's result; CPU shows the cost on a busy machine."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def build(size: int, workdir: Path) -> tuple[Settings, int]:
    settings = Settings(
        mode="local",
        data_dir=workdir,
        database_url=f"sqlite:///{workdir / 'market.sqlite3'}",
        market_key=SEED,
    )
    writer = Writer(MarketKey.from_seed_hex(SEED), economy_params(settings))
    writer.grow_to(size)
    if not writer.ledger.book.closed_epochs:  # a short run: one closed epoch to prove in
        writer.add("settle", {})
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    store_rows(engine, writer.entries)
    engine.dispose()
    return settings, len(writer.ledger)


def old_proof(client: TestClient, seq: int) -> str:
    """The proof as the JSON route built it before: every entry of the epoch rebuilt."""
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        entry = session.get(LedgerEntryRow, seq)
        assert entry is not None
        rows = session.exec(
            select(LedgerEntryRow)
            .where(col(LedgerEntryRow.epoch) == entry.epoch)
            .order_by(col(LedgerEntryRow.seq))
        ).all()
        return payout_proof((from_row(row) for row in rows), entry.epoch, seq).to_json()


def measure(size: int, workdir: Path, repeats: int) -> list[dict[str, Any]]:
    settings, size = build(size, workdir)  # the ledger's length, its set-up included
    rows: list[dict[str, Any]] = []
    with TestClient(create_app(settings)) as client:
        client.get("/ledger")  # the server's first ledger read syncs its state: not a page's
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            closed = [e for e in epoch_summaries(session) if e.close is not None]
            largest = max(closed, key=lambda e: e.entries)
            deep_after = largest.first_seq + largest.entries - 60
            middle = largest.first_seq + largest.entries // 2
            assert epoch_summary(session, largest.epoch) == largest
        developer = client.post("/v1/developers", json={"name": "bench"}).json()
        auth = {"Authorization": f"Bearer {developer['api_key']}"}
        pages = [
            ("ledger front page", "/ledger", {}),
            ("epoch, first page", f"/ledger/epochs/{largest.epoch}", {}),
            ("epoch, deep page", f"/ledger/epochs/{largest.epoch}?after={deep_after}", {}),
            ("epoch, 200 entries", f"/ledger/epochs/{largest.epoch}?limit=200", {}),
            ("entry with its proof", f"/ledger/entries/{middle}", {}),
            ("developer dashboard", "/dashboard", {}),
            ("JSON: signed head", "/v1/ledger/head", {}),
            ("JSON: proof", f"/v1/ledger/proof/{middle}", {}),
            ("JSON: my models", "/v1/developers/me/models", auth),
            ("JSON: export page", f"/v1/ledger?after={middle}&limit=1000", {}),
        ]
        for page, path, headers in pages:
            seconds, cpu, response = timed(partial(client.get, path, headers=headers), repeats)
            assert response.status_code == 200, (path, response.text[:200])
            rows.append(
                {
                    "page": page,
                    "path": path,
                    "entries": size,
                    "largest_epoch": largest.entries,
                    "median_ms": seconds * 1000,
                    "median_cpu_ms": cpu * 1000,
                    "bytes": len(response.content),
                }
            )

        def cold_entry_page() -> Any:
            CLOSED_TREES.clear()  # as on the first proof asked in an epoch
            return client.get(f"/ledger/entries/{middle}")

        seconds, cpu, response = timed(cold_entry_page, max(1, repeats // 3))
        rows.append(
            {
                "page": "entry, first proof of its epoch",
                "path": f"/ledger/entries/{middle} (tree of epoch {largest.epoch} built)",
                "entries": size,
                "largest_epoch": largest.entries,
                "median_ms": seconds * 1000,
                "median_cpu_ms": cpu * 1000,
                "bytes": len(response.content),
            }
        )
        seconds, cpu, text = timed(lambda: old_proof(client, middle), max(1, repeats // 3))
        assert text == client.get(f"/v1/ledger/proof/{middle}").text
        rows.append(
            {
                "page": "JSON: proof, as built before",
                "path": f"(every entry of epoch {largest.epoch} rebuilt)",
                "entries": size,
                "largest_epoch": largest.entries,
                "median_ms": seconds * 1000,
                "median_cpu_ms": cpu * 1000,
                "bytes": len(text),
            }
        )
    return rows


def _epoch_rows(engine: Any, leaves: int) -> None:
    """One closed epoch of ``leaves`` entries plus its close, written straight into the table
    (hashes only matter to a proof; the close signs their true Merkle root)."""
    hashes = [hashlib.sha256(seq.to_bytes(8, "big")).hexdigest() for seq in range(leaves)]
    close = {"epoch": 0, "merkle_root": merkle_root(hashes)}
    statement = text(
        "INSERT INTO ledger_entry (seq, epoch, time, kind, body, prev_hash, hash, signature) "
        "VALUES (:seq, 0, '2026-01-01T00:00:00Z', :kind, :body, :prev, :hash, :signature)"
    )
    rows = [
        {"seq": seq, "kind": "mint", "body": "{}", "hash": value}
        for seq, value in enumerate(hashes)
    ]
    rows.append(
        {"seq": leaves, "kind": "epoch_close", "body": json.dumps(close), "hash": "ab" * 32}
    )
    with engine.begin() as connection:
        connection.execute(
            statement, [{**r, "prev": "0" * 64, "signature": "0" * 128} for r in rows]
        )


def measure_big_epoch(leaves: int, workdir: Path) -> list[dict[str, Any]]:
    """The first and a later proof in one ``leaves``-entry closed epoch, and what its kept tree
    costs in memory (traced), against the whole tree the explorer kept before."""
    engine = make_engine(f"sqlite:///{workdir / 'epoch.sqlite3'}")
    migrate(engine)
    _epoch_rows(engine, leaves)
    trees = _ClosedTrees(max_nodes=100_000)
    rows: list[dict[str, Any]] = []
    with Session(engine) as session:
        summary = epoch_summary(session, 0)
        for seq in (leaves // 2, leaves - 1):  # the first proof builds the tree, then it is kept
            started, cpu = time.perf_counter(), time.process_time()
            tree = trees.get(session, summary)
            index = seq - summary.first_seq
            block = tree.block_of(index)
            tree.proof(index, list(entry_hashes(session, block)))
            rows.append(
                {
                    "measure": "first proof" if not rows else "later proof",
                    "leaves": leaves,
                    "ms": (time.perf_counter() - started) * 1000,
                    "cpu_ms": (time.process_time() - cpu) * 1000,
                }
            )
        hashes = list(entry_hashes(session, range(leaves)))
    for name, make in (
        ("kept tree (blocks of 1,024 up)", lambda: BlockedMerkleTree.from_hashes(hashes)),
        ("whole tree (as kept before)", lambda: MerkleTree(hashes)),
    ):
        tracemalloc.start()
        kept = make()
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({"measure": name, "leaves": leaves, "nodes": kept.nodes, "bytes": size})
        del kept
    engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=100_000, help="ledger length")
    parser.add_argument("--repeats", type=int, default=15, help="requests per page (median)")
    parser.add_argument("--json", default=None, help="write the results to this file")
    parser.add_argument(
        "--proof-epoch", type=int, default=250_000, help="entries of the epoch proofs are timed in"
    )
    parser.add_argument("--proofs-only", action="store_true", help="only the big-epoch proofs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        rows = [] if args.proofs_only else measure(args.entries, Path(workdir), args.repeats)
        proofs = measure_big_epoch(args.proof_epoch, Path(workdir))
    if rows:
        print_table(rows, COLUMNS)
    print_table(proofs, PROOF_COLUMNS)
    write_json(args.json, {"machine": machine(), "results": rows, "proofs": proofs})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
