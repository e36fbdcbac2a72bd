"""Scoring sizing: RAM and CPU of the market's encrypted scoring per million items, per dimension,
measured on small tables and extrapolated (the cost is linear in the number of chunks), and one
large table scored in one process.

    python -m benchmarks.scoring_sizing --json sizing.json
    python -m benchmarks.scoring_sizing --items 16384 65536 --dims 16 32 64 128 256
    python -m benchmarks.scoring_sizing --one-process 10000000 --dims 64 --json big.json

Each table is encoded in one scoring worker process of its own, as the market runs it: its
shards live in shared memory (the segment size is reported), the worker's private memory is
its resident memory outside them, less the fixed cost of a worker (Python, numpy and SEAL
loaded, measured apart on a one-row table); CPU is the worker's user + system time per query.
``--one-process N`` instead encodes and scores an N-item table in this process (no workers):
peak and final resident memory, encoding and query time, and the client's decryption.
``--compare-workers N`` scores one N-item table with one worker process, two worker processes
(one shard each, the baby rotations computed once by the calling process) and one worker with
two kernel threads, in interleaved rounds: CPU per query of every process involved (the
calling one included), so ``per_core`` over one worker is the cost of parallelism.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import machine, print_table, write_json
from crypto import (
    EvaluationKeys,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encoded_table_bytes,
    encrypt_query,
)

MIB = 1024 * 1024
MILLION = 1_000_000
COLUMNS = (
    "items",
    "dim",
    "encoded_mib",
    "segment_mib",
    "private_added_mib",
    "cpu_s_per_query",
    "start_and_encode_cpu_s",
    "response_mib",
    "ram_mib_per_million_items",
    "cpu_s_per_query_per_million_items",
)


def rss_bytes(pid: int | str = "self", field: str = "VmRSS") -> int:
    """A memory field of /proc/<pid>/status: VmRSS (resident), VmHWM (its peak), RssAnon
    (private, outside shared-memory segments), RssShmem (pages of shared segments mapped)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc")


def private_bytes(pid: int | str = "self") -> int:
    return rss_bytes(pid, "RssAnon") + rss_bytes(pid, "RssFile")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pid(scorer: TableScorer) -> int:
    (pid,) = worker_pids(scorer)
    return pid


def worker_pids(scorer: TableScorer) -> list[int]:
    # The executors' own bookkeeping, only read.
    return [int(pid) for pool in scorer._pools for pid in (pool._processes or {})]


def compare_workers(items: int, dim: int, repeats: int) -> list[dict[str, Any]]:
    """CPU and wall time per query of one table scored three ways, interleaved."""
    keys = SecretKeys.generate()
    eval_keys = EvaluationKeys.from_bytes(keys.evaluation_keys())  # parsed once, as the market
    rng = np.random.default_rng(items + dim)
    table = rng.standard_normal((items, dim), dtype=np.float32)
    query = encrypt_query(keys, rng.standard_normal(dim)).wire
    setups = {  # workers, threads
        "one worker": (1, 1),
        "two workers": (2, 1),
        "one worker, two threads": (1, 2),
    }
    scorers = {name: TableScorer(table, workers=w, threads=t) for name, (w, t) in setups.items()}
    cpu: dict[str, list[float]] = {name: [] for name in setups}
    wall: dict[str, list[float]] = {name: [] for name in setups}
    try:
        for scorer in scorers.values():
            scorer.score(query, eval_keys)  # the first query parses the keys, loads the kernel
        for _ in range(repeats):
            for name, scorer in scorers.items():
                pids = worker_pids(scorer)
                started = sum(cpu_seconds(pid) for pid in pids), time.process_time()
                began = time.perf_counter()
                scorer.score(query, eval_keys)
                wall[name].append(time.perf_counter() - began)
                used = sum(cpu_seconds(pid) for pid in pids) - started[0]
                cpu[name].append(used + time.process_time() - started[1])
    finally:
        for scorer in scorers.values():
            scorer.close()
    # The kernel counts CPU time in 10 ms ticks: sums over the rounds, not medians.
    base = sum(cpu["one worker"])
    return [
        {
            "items": items,
            "dim": dim,
            "setup": name,
            "cpu_ms_per_query": 1000 * sum(cpu[name]) / repeats,
            "wall_ms_per_query": 1000 * float(np.median(wall[name])),
            "per_core_over_one_worker": sum(cpu[name]) / base,
            "load_average": os.getloadavg()[0],
        }
        for name in setups
    ]


def measure(
    items: int, dim: int, keys: SecretKeys, eval_keys: bytes, repeats: int, baseline: int
) -> dict[str, Any]:
    rng = np.random.default_rng(items + dim)
    table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
    scorer = TableScorer(table, workers=1)
    del table  # the scorer keeps no copy
    pid = worker_pid(scorer)
    encode_cpu = cpu_seconds(pid)  # start-up included: about 1 s of imports
    segment = sum(Path("/dev/shm", name).stat().st_size for name in scorer.segment_names)
    added = private_bytes(pid) - baseline
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
        "segment_mib": segment / MIB,
        "private_added_mib": added / MIB,
        "cpu_s_per_query": cpu,
        "start_and_encode_cpu_s": encode_cpu,
        "response_mib": len(response) / MIB,
        "ram_mib_per_million_items": scorer.encoded_bytes / MIB * MILLION / items,
        "cpu_s_per_query_per_million_items": cpu * MILLION / items,
    }


def worker_baseline_bytes() -> int:
    """Resident memory of one scoring worker process holding a one-row table."""
    with TableScorer(np.ones((1, 1), dtype=np.float32), workers=1) as scorer:
        return private_bytes(worker_pid(scorer))


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
                "shared_mib_per_million_items": largest["segment_mib"] * scale,
                # Not scaled: a worker's private memory beyond its baseline is scratch space of
                # encoding (about one shard's float rows), not a per-item cost.
                "private_added_mib_measured": largest["private_added_mib"],
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


def one_process(items: int, dim: int, repeats: int) -> dict[str, Any]:
    """Encode and score an ``items x dim`` table in this process; memory from /proc."""
    keys = SecretKeys.generate()
    eval_keys = keys.evaluation_keys()
    started_rss = rss_bytes()
    rng = np.random.default_rng(items + dim)
    table = rng.standard_normal((items, dim), dtype=np.float32)
    table /= np.float32(np.sqrt(dim))
    u = rng.standard_normal(dim)
    expected = table @ u.astype(np.float32)
    wall, cpu = time.perf_counter(), time.process_time()
    scorer = TableScorer(table)
    encode_wall, encode_cpu = time.perf_counter() - wall, time.process_time() - cpu
    del table  # the scorer keeps no copy: what stays is the encoded shards
    encoded_rss = rss_bytes()
    query = encrypt_query(keys, u)
    scorer.score(query.wire, eval_keys)  # the first query also compiles or loads the kernel
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        response = scorer.score(query.wire, eval_keys)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall = time.perf_counter()
    scores = decrypt_scores(keys, response, query)
    decrypt_wall = time.perf_counter() - wall
    error = float(np.max(np.abs(scores - expected)))
    return {
        "items": items,
        "dim": dim,
        "shards": len(scorer.shards),
        "encoded_gib": scorer.encoded_bytes / 2**30,
        "rss_before_gib": started_rss / 2**30,
        "rss_after_encoding_gib": encoded_rss / 2**30,
        "peak_rss_gib": rss_bytes(field="VmHWM") / 2**30,
        "encode_wall_s": encode_wall,
        "encode_cpu_s": encode_cpu,
        "query_wall_s": float(np.median(walls)),
        "query_cpu_s": float(np.median(cpus)),
        "response_mib": len(response) / MIB,
        "client_decrypt_wall_s": decrypt_wall,
        "max_abs_error": error,
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[16_384, 65_536])
    parser.add_argument("--dims", type=int, nargs="+", default=[16, 32, 64, 128, 256])
    parser.add_argument("--one-process", type=int, metavar="ITEMS", help="one large table")
    parser.add_argument("--compare-workers", type=int, metavar="ITEMS", help="1 vs 2 workers")
    parser.add_argument("--repeats", type=int, default=10, help="queries timed per table")
    parser.add_argument("--machine-note", default="2-core AMD EPYC, 24 GiB")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    if args.compare_workers:
        rows = [
            r for d in args.dims for r in compare_workers(args.compare_workers, d, args.repeats)
        ]
        print(f"machine: {args.machine_note} ({machine()['cpu']})")
        print_table(rows, list(rows[0]))
        write_json(args.json, {"benchmark": "scoring_workers", "machine": machine(),
                               "machine_note": args.machine_note, "rows": rows})  # fmt: skip
        return
    if args.one_process:
        rows = [one_process(args.one_process, dim, args.repeats) for dim in args.dims]
        print(f"machine: {args.machine_note} ({machine()['cpu']})")
        print_table(rows, list(rows[0]))
        write_json(args.json, {"benchmark": "scoring_sizing_one_process", "machine": machine(),
                               "machine_note": args.machine_note, "rows": rows})  # fmt: skip
        return
    result = run(args)
    print(f"machine: {result['machine_note']} ({result['machine']['cpu']})")
    print(f"one scoring worker process before any table: {result['worker_baseline_mib']:.0f} MiB")
    print_table(result["rows"], COLUMNS)
    print()
    print_table(result["per_million_items"], list(result["per_million_items"][0]))
    write_json(args.json, result)


if __name__ == "__main__":
    main()
