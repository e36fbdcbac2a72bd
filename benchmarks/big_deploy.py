"""Deploying a table above 1M items as a bundle: upload time, time until live (unpacked,
checked, stored in chunks, encoded and probed) and the peak resident memory of the market
process and of its scoring worker; then the app's download of the model (its catalog streamed
to disk up to the size the market lists) and parse, with this process's peak memory.

    nice python -m benchmarks.big_deploy --items 4194304 --dim 64 \\
        --json artifacts/bench/big_deploy.json

The bundle (a stored zip: the table does not compress) is written to disk a chunk at a time
and streamed to the market, which runs as its own process with limits raised to take it
(``PRIVREC_MAX_MODEL_CELLS``, ``PRIVREC_MAX_CATALOG_BYTES``, ``PRIVREC_SCORING_MEMORY_BYTES``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import machine, print_table, write_json
from client_app.developer import DeveloperClient
from client_app.local_market import MarketProcess
from client_app.market import MarketClient
from client_app.model_cache import ModelCache
from crypto import IdentityKey
from tests.factories import write_big_bundle

COLUMNS = (
    "items",
    "dim",
    "bundle MiB",
    "upload s",
    "to live s",
    "server peak MiB",
    "worker MiB",
    "catalog MiB",
    "app load s",
    "app peak MiB",
)


def _peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _app_load(url: str, model_id: int, directory: Path) -> dict[str, Any]:
    """The app's first load of the model: its parts downloaded (the catalog within the size the
    market lists, the app's ceiling raised to it) and parsed."""
    with MarketClient(url, IdentityKey.generate(), timeout=1800) as user:
        (model,) = [m for m in user.live_models() if m.id == model_id]
        assert model.catalog_bytes is not None, "the market lists no catalog size"
        cache = ModelCache(directory, max_catalog_bytes=model.catalog_bytes)
        began = time.perf_counter()
        cache.load(user, model_id, catalog_bytes=model.catalog_bytes)
        return {
            "catalog MiB": model.catalog_bytes / 2**20,
            "app load s": time.perf_counter() - began,
            "app peak MiB": _peak_rss_mib(os.getpid()),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=4 * 2**20)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--port", type=int, default=18320)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    cells = args.items * args.dim
    root = Path(tempfile.mkdtemp(prefix="privrec-big-deploy-"))
    try:
        bundle = root / "bundle.zip"
        started = time.perf_counter()
        write_big_bundle(bundle, args.items, args.dim)
        print(f"wrote {bundle.stat().st_size:,} bytes in {time.perf_counter() - started:.1f} s")
        market = MarketProcess(
            data_dir=root / "market",
            port=args.port,
            settings={
                "PRIVREC_DATABASE_URL": f"sqlite:///{root / 'market.sqlite3'}",
                "PRIVREC_MARKET_KEY": "6d" * 32,
                "PRIVREC_MAX_MODEL_CELLS": str(cells),
                "PRIVREC_MAX_CATALOG_BYTES": str(max(64 << 20, 32 * args.items)),
                "PRIVREC_MAX_REQUEST_ITEM_DIMS": str(cells),
                "PRIVREC_SCORING_MEMORY_BYTES": str(16 * cells + (1 << 30)),
                "PRIVREC_SCORING_TIMEOUT_S": "600",
            },
        )
        market.start()
        try:
            assert market.process is not None
            with DeveloperClient(market.url, timeout=1800) as developer:
                developer.sign_up("big-tables")
                developer.faucet()
                stake = 10 + (cells >> 20)
                began = time.perf_counter()
                deployed = developer.deploy(bundle, stake=stake, bid=1, escrow=10)
                uploaded = time.perf_counter()
                settled = developer.wait_until_settled(deployed.id, timeout=3600)
                live = time.perf_counter()
                if settled.status != "live":
                    raise RuntimeError(f"the model was {settled.status}: {market.log_tail()}")
                api_key = developer.api_key
            diagnostics = httpx.get(
                f"{market.url}/v1/models/{deployed.id}/diagnostics",
                headers={"Authorization": f"Bearer {api_key}"},
                timeout=60,
            ).json()
            server = market.process.pid
            workers = _children(server)
            row: dict[str, Any] = {
                "items": args.items,
                "dim": args.dim,
                "bundle MiB": bundle.stat().st_size / 2**20,
                "upload s": uploaded - began,
                "to live s": live - uploaded,
                "server peak MiB": _peak_rss_mib(server),
                "worker MiB": max((_peak_rss_mib(pid) for pid in workers), default=None),
            }
            row.update(_app_load(market.url, deployed.id, root / "app-models"))
        finally:
            market.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print_table([row], COLUMNS)
    print(f"probe: {diagnostics}")
    write_json(
        args.json,
        {
            "machine": machine(),
            "load_average": os.getloadavg(),
            "rows": [row],
            "probe": diagnostics,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
