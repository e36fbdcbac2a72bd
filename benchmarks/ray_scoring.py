"""Scoring on a local Ray cluster (market_server/scoring_ray.py): latency and throughput against
the number of actors, and the bytes one query moves, to project to N machines.

    python -m benchmarks.ray_scoring --items 10000000 --dim 64 --actors 1 2 4 \\
        --json artifacts/bench/ray_scoring.json

The table is encoded once (by Ray tasks, into the object store); each actor count then holds
the same encoded pieces (``RayTableScorer.with_actors``). Per actor count: one warm-up query
(the kernel's JIT and the key parse in each actor), then ``--queries`` timed queries one after
another (latency) and the same number two at a time (throughput). One client decrypts one
response to check the top 10 against plaintext scores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import numpy as np
import ray

from benchmarks.common import machine, print_table, write_json
from crypto import (
    EvaluationKeys,
    PreparedQuery,
    SecretKeys,
    decrypt_scores,
    encrypt_query,
    top_k,
)
from crypto.profiles import DEFAULT_PROFILE, MAX_ITEMS, get_profile
from crypto.scorer import response_envelope
from market_server import scoring_ray
from market_server.scoring_ray import RayTableScorer
from tests.ray_cluster import local_ray_cluster

COLUMNS = [
    "items",
    "dim",
    "actors",
    "latency_s",
    "items_per_s",
    "us_per_item_per_core",
    "concurrent_queries_per_s",
    "query_bytes",
    "response_bytes",
    "response_bytes_per_item",
]


def random_table(items: int, dim: int, seed: int) -> np.ndarray:
    """Rows drawn from N(0, 1/d), generated in float32 (no float64 copy of a 10M table)."""
    rng = np.random.default_rng(seed)
    table = rng.standard_normal((items, dim), dtype=np.float32)
    table *= np.float32(1 / np.sqrt(dim))
    return table


def check_first_piece(
    scorer: RayTableScorer,
    head: np.ndarray,
    keys: SecretKeys,
    evaluation_keys: EvaluationKeys,
    query: PreparedQuery,
    user: np.ndarray,
) -> dict[str, Any]:
    """Decrypt the cluster's answer for the first piece (the benchmark keeps only that head of
    the float table, to leave the machine's memory to the actors) and compare it with plaintext
    scores: top-10 agreement and the largest error."""
    first_actor = scorer._actors[0]
    keys_ref = ray.put(evaluation_keys.wire)
    blobs = ray.get(first_actor.score.remote(query.wire, [keys_ref], evaluation_keys.digest, 0.0))
    piece = scorer._pieces[0].layout.items
    chunks = -(-piece // scorer.profile.items_per_ciphertext)
    response = response_envelope(
        blobs[:chunks], piece, scorer.dim, scorer.score_scale, scorer.profile
    )
    begin = time.perf_counter()
    scores = decrypt_scores(keys, response, query)
    found = set(top_k(scores, 10).ids.tolist())
    took = time.perf_counter() - begin
    exact = head[:piece].astype(np.float64) @ user
    expected = set(np.argsort(-exact)[:10].tolist())
    return {
        "checked_items": piece,
        "client_decrypt_top10_s": took,
        "top10_agreement": len(found & expected) / 10,
        "max_abs_error": float(np.max(np.abs(scores - exact))),
    }


def concurrent_rate(scorer: RayTableScorer, queries: list[bytes], keys: EvaluationKeys) -> float:
    """Queries per second with two queries in flight at a time."""
    pending = list(queries)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not pending:
                    return
                query = pending.pop()
            scorer.score(query, keys, timeout=3600)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(queries) / (time.perf_counter() - started)


def busy_cores(cluster_cpus: float, *, on_this_machine: bool) -> int:
    """The cores the actors can run on at once: the cluster's CPUs, at most this machine's
    when every node was started here (nodes on one machine share its cores)."""
    cores = max(1, int(cluster_cpus))
    return min(cores, os.cpu_count() or 1) if on_this_machine else cores


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


@contextmanager
def cluster(args: argparse.Namespace, encoded_bytes: int) -> Iterator[str]:
    if args.address:
        with nullcontext(args.address) as address:
            yield address
        return
    # The encoded coefficients, and the rows kept for lineage (half as much), over the nodes.
    per_node = int(encoded_bytes * 1.6 / args.nodes) + 256 * 2**20
    with local_ray_cluster(
        nodes=args.nodes, cpus_per_node=args.cpus_per_node, object_store_bytes=per_node
    ) as local:
        yield local.address


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=positive, default=10_000_000)
    parser.add_argument("--dim", type=positive, default=64)
    parser.add_argument("--actors", type=positive, nargs="+", default=[1, 2, 4])
    parser.add_argument("--queries", type=positive, default=3)
    parser.add_argument(
        "--nodes", type=positive, default=1, help="Ray nodes started on this machine"
    )
    parser.add_argument("--cpus-per-node", type=positive, default=os.cpu_count() or 1)
    parser.add_argument("--address", help="use this running cluster instead of starting one")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)

    profile = get_profile(DEFAULT_PROFILE)
    padded = profile.padded_dim(args.dim)
    encoded_estimate = -(-args.items // profile.items_per_ciphertext) * profile.items_per_ciphertext
    encoded_estimate *= padded * 8

    table = random_table(args.items, args.dim, args.seed)
    keys = SecretKeys.generate()
    evaluation_keys = EvaluationKeys.from_bytes(keys.evaluation_keys())
    rng = np.random.default_rng(args.seed + 1)
    users = [rng.normal(size=args.dim) for _ in range(args.queries)]
    prepared = [encrypt_query(keys, user) for user in users]
    queries = [query.wire for query in prepared]
    table_head = table[: min(args.items, MAX_ITEMS)].copy()  # the first piece, to check

    rows: list[dict[str, Any]] = []
    extra: dict[str, Any] = {}
    with cluster(args, encoded_estimate) as address:
        scoring_ray.connect(address)
        cpus = ray.cluster_resources().get("CPU", 1)  # type: ignore[no-untyped-call]
        # A cluster of other machines (--address) has cores this one does not.
        cores = busy_cores(cpus, on_this_machine=not args.address)
        started = time.perf_counter()
        base = RayTableScorer(table, actors=max(args.actors), load_timeout_s=7200)
        extra["encode_s"] = time.perf_counter() - started
        extra["encoded_bytes"] = base.encoded_bytes
        extra["pieces"] = len(base._pieces)
        del table  # the cluster holds the table now
        print(f"encoded {args.items} x {args.dim} in {extra['encode_s']:.1f} s", flush=True)
        for actors in sorted(args.actors):
            scorer = base if actors == max(args.actors) else base.with_actors(actors)
            held = scorer.workers
            try:
                response = scorer.score(queries[0], evaluation_keys, timeout=3600)  # warm-up
                latencies = []
                for query in queries:
                    begin = time.perf_counter()
                    response = scorer.score(query, evaluation_keys, timeout=3600)
                    latencies.append(time.perf_counter() - begin)
                rate = concurrent_rate(scorer, queries, evaluation_keys)
            finally:
                if scorer is not base:
                    scorer.close()
            latency = statistics.median(latencies)
            busy = min(held, cores)  # actors beyond the cores only share them
            row = {
                "items": args.items,
                "dim": args.dim,
                "actors": held,
                "latency_s": latency,
                "items_per_s": args.items / latency,
                "us_per_item_per_core": latency * busy / args.items * 1e6,
                "concurrent_queries_per_s": rate,
                "query_bytes": len(queries[0]),
                "response_bytes": len(response),
                "response_bytes_per_item": len(response) / args.items,
            }
            rows.append(row)
            print_table([row], COLUMNS)
        extra.update(
            check_first_piece(base, table_head, keys, evaluation_keys, prepared[0], users[0])
        )
        base.close()
        scoring_ray.disconnect()
    extra["evaluation_key_bytes"] = len(evaluation_keys.wire)
    extra["nodes"] = args.nodes if not args.address else None
    extra["cpus_per_node"] = args.cpus_per_node
    extra["load_average"] = os.getloadavg()
    print_table(rows, COLUMNS)
    print(extra)
    write_json(
        args.json,
        {"benchmark": "ray_scoring", "machine": machine(), "results": rows, **extra},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
