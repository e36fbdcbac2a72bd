"""Scoring sizing: RAM and CPU of the market's encrypted scoring per million items, per dimension,
measured on small tables and extrapolated (the cost is linear in the number of chunks).

    python -m benchmarks.scoring_sizing --json sizing.json
    python -m benchmarks.scoring_sizing --items 16384 65536 --dims 16 64 256

Each table is encoded in one scoring worker process of its own, as the market runs it: the
resident memory is that process's, less the fixed cost of a worker (Python, numpy and SEAL
loaded, measured apart on a one-row table); CPU is the worker's user + system time per query.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import machine, print_table, write_json
from crypto import SecretKeys, TableScorer, encoded_table_bytes, encrypt_query

MIB = 1024 * 1024
MILLION = 1_000_000
COLUMNS = (
    "items",
    "dim",
    "encoded_mib",
    "rss_added_mib",
    "cpu_s_per_query",
    "start_and_encode_cpu_s",
    "response_mib",
    "ram_mib_per_million_items",
    "cpu_s_per_query_per_million_items",
)


def rss_bytes(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pid(scorer: TableScorer) -> int:
    (pool,) = scorer._pools
    (pid,) = pool._processes or {}  # the executor's own bookkeeping, only read
    return int(pid)


def measure(
    items: int, dim: int, keys: SecretKeys, eval_keys: bytes, repeats: int, baseline: int
) -> dict[str, Any]:
    rng = np.random.default_rng(items + dim)
    table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
    scorer = TableScorer(table, workers=1)
    pid = worker_pid(scorer)
    encode_cpu = cpu_seconds(pid)  # start-up included: about 1 s of imports
    added = rss_bytes(pid) - baseline
    query = encrypt_query(keys, rng.standard_normal(dim)).wire
    scorer.score(query, eval_keys)  # the first query also parses the keys
    # The kernel counts CPU time in 10 ms ticks: time the queries together, not one by one.
    started = cpu_seconds(pid)
    for _ in range(repeats):
        response = scorer.score(query, eval_keys)
    cpu = (cpu_seconds(pid) - started) / repeats
    assert scorer.encoded_bytes == encoded_table_bytes(items, dim)
    scorer.close()
    return {
        "items": items,
        "dim": dim,
        "encoded_mib": scorer.encoded_bytes / MIB,
        "rss_added_mib": added / MIB,
        "cpu_s_per_query": cpu,
        "start_and_encode_cpu_s": encode_cpu,
        "response_mib": len(response) / MIB,
        "ram_mib_per_million_items": scorer.encoded_bytes / MIB * MILLION / items,
        "cpu_s_per_query_per_million_items": cpu * MILLION / items,
    }


def worker_baseline_bytes() -> int:
    """Resident memory of one scoring worker process holding a one-row table."""
    with TableScorer(np.ones((1, 1), dtype=np.float32), workers=1) as scorer:
        return rss_bytes(worker_pid(scorer))


def run(args: argparse.Namespace) -> dict[str, Any]:
    keys = SecretKeys.generate()
    eval_keys = keys.evaluation_keys()
    baseline = worker_baseline_bytes()
    rows = [
        measure(items, dim, keys, eval_keys, args.repeats, baseline)
        for dim in args.dims
        for items in args.items
    ]
    # Per million items, per dimension: the largest table measured at each dimension.
    per_dim = []
    for dim in args.dims:
        largest = max((r for r in rows if r["dim"] == dim), key=lambda r: r["items"])
        scale = MILLION / largest["items"]
        per_dim.append(
            {
                "dim": dim,
                "encoded_mib_per_million_items": encoded_table_bytes(MILLION, dim) / MIB,
                "rss_mib_per_million_items": largest["rss_added_mib"] * scale,
                "cpu_s_per_query_per_million_items": largest["cpu_s_per_query"] * scale,
                "response_mib_per_million_items": largest["response_mib"] * scale,
            }
        )
    return {
        "benchmark": "scoring_sizing",
        "machine": machine(),
        "machine_note": args.machine_note,
        "worker_baseline_mib": baseline / MIB,
        "rows": rows,
        "per_million_items": per_dim,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[16_384, 65_536])
    parser.add_argument("--dims", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--repeats", type=int, default=10, help="queries timed per table")
    parser.add_argument("--machine-note", default="2-core AMD EPYC, 24 GiB")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    result = run(args)
    print(f"machine: {result['machine_note']} ({result['machine']['cpu']})")
    print(f"one scoring worker process before any table: {result['worker_baseline_mib']:.0f} MiB")
    print_table(result["rows"], COLUMNS)
    print()
    print_table(result["per_million_items"], list(result["per_million_items"][0]))
    write_json(args.json, result)


if __name__ == "__main__":
    main()
