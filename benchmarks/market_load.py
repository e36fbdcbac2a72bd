"""Market load benchmark: simulated users against a real ``privrec market serve`` process.

    python -m benchmarks.market_load --json out.json           # 10 users, 3 models x 10k items
    python -m benchmarks.market_load --server-workers 2 --json out.json

Each user has its own Ed25519 identity and CKKS keys and, per round, encrypts one fresh query
per model, asks for all models in one POST /v1/recommendations, decrypts every response and
takes its top 10, then rates each impression (POST /v1/ratings). Clients and server share this
machine's cores; the CPU table says how much of them each side used.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import numpy as np

from benchmarks._market import (
    TICK,
    all_proc_stats,
    database,
    each,
    failure,
    log,
    process_tree,
)
from benchmarks.common import machine, print_table, write_json
from crypto import PreparedQuery, SecretKeys, decrypt_scores, encrypt_query, top_k
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle
from tests.live_server import LiveServer

T = TypeVar("T")
TOP_K = 10
COLUMNS = ("kind", "count", "per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "errors")
CPU_COLUMNS = ("component", "cpu_s", "cpu_ms_per_recommendation", "share_of_machine")
MAX_ERROR_SAMPLES = 10


@dataclass
class Samples:
    """Latencies (seconds) of one kind of operation, and its failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    messages: list[str] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.latencies.append(seconds)

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.messages) < MAX_ERROR_SAMPLES:
            self.messages.append(message[:300])

    def merge(self, other: Samples) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.messages += other.messages[: MAX_ERROR_SAMPLES - len(self.messages)]

    def row(self, kind: str, wall_s: float | None) -> dict[str, Any]:
        ms = np.asarray(self.latencies) * 1e3
        stats: dict[str, Any] = {"p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
        if ms.size:
            p50, p90, p99 = np.percentile(ms, [50, 90, 99])
            stats = {"p50_ms": p50, "p90_ms": p90, "p99_ms": p99, "max_ms": ms.max()}
            stats["mean_ms"] = float(ms.mean())
        return {
            "kind": kind,
            "count": int(ms.size),
            # Requests per second over the whole measured phase (client crypto has no rate).
            "per_s": ms.size / wall_s if wall_s else None,
            **{k: (None if v is None else float(v)) for k, v in stats.items()},
            "errors": self.errors,
            "error_samples": self.messages,
        }


@dataclass
class UserStats:
    recommendations: Samples = field(default_factory=Samples)
    ratings: Samples = field(default_factory=Samples)
    encrypt: Samples = field(default_factory=Samples)  # one query (one model)
    decrypt: Samples = field(default_factory=Samples)  # one response, decrypt + top 10
    rounds: Samples = field(default_factory=Samples)  # a whole round as the user waits for it
    # CPU seconds of this thread in crypto (wall times above include waiting for the GIL).
    encrypt_cpu: float = 0.0
    decrypt_cpu: float = 0.0


class SimulatedUser:
    """One user of the market: its own identity, CKKS keys and HTTP connection."""

    def __init__(self, url: str, model_ids: list[int], dim: int, *, seed: int, timeout: float):
        self.http = httpx.Client(base_url=url, timeout=timeout)
        self.signed = SignedClient(self.http)
        self.model_ids = model_ids
        self.dim = dim
        self.rng = np.random.default_rng(seed)
        self.keys = SecretKeys.generate()
        self.key_id = ""

    def sign_up(self) -> None:
        """Register, take demo credits, fund a budget and upload evaluation keys once."""
        for method, path, body in (
            ("POST", "/v1/users", None),
            ("POST", "/v1/users/me/faucet", None),
            ("POST", "/v1/users/me/budget", {"amount": 100}),
        ):
            response = self.signed.request(method, path, json_body=body)
            if response.is_error:
                raise RuntimeError(failure(response))
        uploaded = self.signed.request(
            "POST", "/v1/users/me/evaluation-keys", content=self.keys.evaluation_keys()
        )
        if uploaded.is_error:
            raise RuntimeError(failure(uploaded))
        self.key_id = uploaded.json()["id"]

    def one_round(self, stats: UserStats) -> None:
        """Encrypt, recommend, decrypt + top 10, rate every impression; failures are counted."""
        round_started = time.perf_counter()
        prepared: dict[int, PreparedQuery] = {}
        for model_id in self.model_ids:
            u = self.rng.standard_normal(self.dim) / np.sqrt(self.dim)
            started, cpu = time.perf_counter(), time.thread_time()
            prepared[model_id] = encrypt_query(self.keys, u)
            stats.encrypt.add(time.perf_counter() - started)
            stats.encrypt_cpu += time.thread_time() - cpu
        body = {
            "evaluation_key_id": self.key_id,
            "queries": [
                {"model_id": mid, "query": base64.b64encode(q.wire).decode("ascii")}
                for mid, q in prepared.items()
            ],
        }
        results = self._post(stats.recommendations, "/v1/recommendations", body)
        if results is None:
            return
        impressions = []
        for result in results["results"]:
            started, cpu = time.perf_counter(), time.thread_time()
            scores = decrypt_scores(
                self.keys, base64.b64decode(result["response"]), prepared[result["model_id"]]
            )
            best = top_k(scores, TOP_K)
            stats.decrypt.add(time.perf_counter() - started)
            stats.decrypt_cpu += time.thread_time() - cpu
            impressions.append((result["impression_id"], len(best.ids)))
        for impression_id, shown in impressions:
            liked = int(self.rng.integers(0, shown + 1))
            disliked = int(self.rng.integers(0, shown - liked + 1))
            rating = {
                "impression_id": impression_id,
                "shown": shown,
                "liked": liked,
                "disliked": disliked,
                "contribution": liked - disliked,  # as if each list were blended alone
            }
            self._post(stats.ratings, "/v1/ratings", rating)
        stats.rounds.add(time.perf_counter() - round_started)

    def _post(self, samples: Samples, path: str, body: Any) -> Any:
        started = time.perf_counter()
        try:
            response = self.signed.request("POST", path, json_body=body)
            data = response.json() if not response.is_error else None
        except Exception as error:  # a load test counts every failure, whatever its kind
            samples.fail(f"POST {path}: {type(error).__name__}: {error}")
            return None
        seconds = time.perf_counter() - started
        if data is None:
            samples.fail(failure(response))
            return None
        samples.add(seconds)
        return data

    def close(self) -> None:
        self.http.close()


# --- set-up: a developer deploys the models ---------------------------------------------------


def deploy_models(
    url: str, *, models: int, items: int, dim: int, seed: int, work_dir: Path, timeout: float
) -> list[int]:
    """Sign a developer up, deploy ``models`` seeded bundles and wait until each is live."""
    with httpx.Client(base_url=url, timeout=timeout) as client:
        created = client.post("/v1/developers", json={"name": "load-bench"})
        created.raise_for_status()
        headers = {"Authorization": f"Bearer {created.json()['api_key']}"}
        model_ids = []
        work_dir.mkdir(parents=True, exist_ok=True)
        for index in range(models):
            directory = make_bundle(
                work_dir, n=items, d=dim, seed=seed + index, name=f"load-model-{index}"
            )
            # A faucet per model: its stake, and an escrow backing 100 bids (unbacked, unlisted).
            client.post("/v1/developers/me/faucet", headers=headers).raise_for_status()
            response = client.post(
                "/v1/models",
                headers={**headers, "Content-Type": "application/zip"},
                params={"stake": 100, "bid": 5, "escrow": 500},
                content=pack_bundle(directory),
            )
            if response.status_code != 202:
                raise RuntimeError(failure(response))
            model_id = int(response.json()["id"])
            model_ids.append(model_id)
            # One deployment of a developer's is validated at a time: wait before the next.
            deadline = time.monotonic() + timeout
            while (status := client.get(f"/v1/models/{model_id}").json()["status"]) != "live":
                if status not in ("pending", "validating") or time.monotonic() > deadline:
                    diagnostics = client.get(f"/v1/models/{model_id}/diagnostics", headers=headers)
                    raise RuntimeError(f"model {model_id} is {status}: {diagnostics.text}")
                time.sleep(0.5)
    return model_ids


# --- CPU accounting from /proc (Linux): who used the cores during the measured phase ----------


def server_cpu(root: int, workers: int) -> dict[str, float]:
    """CPU seconds of the server's process tree (API processes, encrypted-scoring workers)
    and of every PostgreSQL process on the machine.

    With one worker uvicorn serves in the root process; with more, the root supervises worker
    processes it spawned. Whatever the API processes spawn (scoring workers, an idle
    multiprocessing resource tracker) counts as scoring."""
    stats = all_proc_stats()
    api = {root} if workers == 1 else {root, *(p for p, s in stats.items() if s.ppid == root)}
    totals = {"api": 0.0, "scoring": 0.0}
    for pid in process_tree(root, stats):
        totals["api" if pid in api else "scoring"] += stats[pid].cpu_s
    totals["postgres"] = sum(s.cpu_s for s in stats.values() if s.name == "postgres")
    return totals


def machine_cpu() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks) - idle) / TICK, idle / TICK


@dataclass
class CpuMark:
    wall: float
    client: float
    server: dict[str, float]
    machine: tuple[float, float]

    @classmethod
    def now(cls, server_pid: int, server_workers: int) -> CpuMark:
        return cls(
            time.perf_counter(),
            time.process_time(),
            server_cpu(server_pid, server_workers),
            machine_cpu(),
        )


def cpu_rows(
    start: CpuMark, end: CpuMark, stats: UserStats, requests: int, *, postgres: bool
) -> list[dict[str, Any]]:
    """Who used the machine's cores between two marks, per measured recommendation."""
    wall = end.wall - start.wall
    capacity = wall * (os.cpu_count() or 1)
    # A process that exits in between takes its CPU time with it (never below zero here).
    server = {key: max(0.0, end.server[key] - start.server[key]) for key in end.server}
    client = end.client - start.client
    crypto = stats.encrypt_cpu + stats.decrypt_cpu
    used = {
        "server API processes (HTTP, JSON, auth, DB, ledger)": server["api"],
        "server scoring workers (encrypted scoring)": server["scoring"],
    }
    if postgres:
        used["database: PostgreSQL processes"] = server["postgres"]
    used["client: encrypt queries"] = stats.encrypt_cpu
    used["client: decrypt + top 10"] = stats.decrypt_cpu
    used["client: the rest (HTTP, JSON, base64, signing)"] = max(0.0, client - crypto)
    # Others share this machine (tests, editors): their CPU is shown, not hidden in "idle".
    busy = end.machine[0] - start.machine[0]
    used["other processes on this machine"] = max(0.0, busy - sum(used.values()))
    used["idle"] = end.machine[1] - start.machine[1]
    return [
        {
            "component": name,
            "cpu_s": seconds,
            "cpu_ms_per_recommendation": seconds * 1e3 / requests if requests else None,
            "share_of_machine": seconds / capacity,
        }
        for name, seconds in used.items()
    ]


# --- the run ----------------------------------------------------------------------------------


def run_users(
    users: list[SimulatedUser],
    *,
    rounds: int,
    warmup: int,
    max_seconds: float,
    mark: Callable[[], CpuMark],
) -> tuple[UserStats, CpuMark, CpuMark, bool]:
    """Every user warms up, then all start the measured rounds together; merged stats back,
    and whether the deadline cut the rounds short (a stalled server must not hold the run)."""
    deadline = time.monotonic() + max_seconds
    cut_short = threading.Event()
    marks: list[CpuMark] = []
    barrier = threading.Barrier(len(users), action=lambda: marks.append(mark()))
    per_user = [UserStats() for _ in users]
    failures: list[BaseException] = []

    def simulate(user: SimulatedUser, stats: UserStats) -> None:
        try:
            try:
                for _ in range(warmup):  # the first request per model and process builds its table
                    user.one_round(UserStats())
            finally:
                barrier.wait()
            for _ in range(rounds):
                if time.monotonic() > deadline:
                    cut_short.set()
                    break
                user.one_round(stats)
        except BaseException as error:  # a bug in the benchmark itself, not a load failure
            failures.append(error)

    each(list(zip(users, per_user, strict=True)), lambda pair: simulate(*pair))
    end = mark()
    if failures:
        raise failures[0]
    merged = UserStats()
    for stats in per_user:
        for name in ("recommendations", "ratings", "encrypt", "decrypt", "rounds"):
            getattr(merged, name).merge(getattr(stats, name))
        merged.encrypt_cpu += stats.encrypt_cpu
        merged.decrypt_cpu += stats.decrypt_cpu
    return merged, marks[0], end, cut_short.is_set()


def wait_for_workers(server: LiveServer, workers: int, *, timeout: float) -> None:
    """LiveServer is ready when one worker answers; wait until every worker has started, so
    that no request meets a worker still starting up (migrating, on SQLite)."""
    deadline = time.monotonic() + timeout
    while server.log_path.read_text().count("Application startup complete") < workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{workers} server workers did not start in {timeout} s")
        time.sleep(0.2)


def drive(
    server: LiveServer, args: argparse.Namespace, work_dir: Path
) -> tuple[UserStats, CpuMark, CpuMark, bool]:
    """Deploy the models on a started server, sign the users up and run their rounds."""
    assert server.process is not None
    wait_for_workers(server, args.server_workers, timeout=args.timeout)
    log(f"server on {server.url} ({args.server_workers} worker process(es))")
    started = time.perf_counter()
    model_ids = deploy_models(
        server.url,
        models=args.models,
        items=args.items,
        dim=args.dim,
        seed=args.seed,
        work_dir=work_dir / "bundles",
        timeout=args.timeout,
    )
    log(f"{len(model_ids)} models live in {time.perf_counter() - started:.1f} s")
    users = [
        SimulatedUser(
            server.url, model_ids, args.dim, seed=args.seed + 1000 + i, timeout=args.timeout
        )
        for i in range(args.users)
    ]
    try:
        each(users, SimulatedUser.sign_up)
        log(f"{args.users} users signed up; {args.rounds} rounds each ...")
        pid = server.process.pid
        return run_users(
            users,
            rounds=args.rounds,
            warmup=args.warmup,
            max_seconds=args.max_seconds,
            mark=lambda: CpuMark.now(pid, args.server_workers),
        )
    finally:
        each(users, SimulatedUser.close)


def run(args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="privrec-load-") as tmp,
        database(args.database_url, Path(tmp)) as database_url,
    ):
        server = LiveServer(
            data_dir=Path(tmp) / "market",
            database_url=database_url,
            market_key=secrets.token_hex(32),
            workers=args.server_workers,
            # A load test asks each model more often than a user's epoch allows (24 by default).
            extra_env={
                "PRIVREC_QUERIES_PER_MODEL_PER_EPOCH": str(args.rounds + args.warmup),
                "PRIVREC_QUERIES_PER_CREDIT": str(args.rounds + args.warmup),
            },
        )
        with server:
            try:
                stats, start, end, cut_short = drive(server, args, Path(tmp))
            except Exception:
                # The server's log goes with the temporary directory: show its end first.
                log(f"server log (end):\n{server.log_path.read_text()[-4000:]}")
                raise
    wall = end.wall - start.wall
    results = [
        stats.recommendations.row("recommendations", wall),
        stats.ratings.row("ratings", wall),
        stats.encrypt.row("client encrypt (1 query)", None),
        stats.decrypt.row("client decrypt + top 10 (1 model)", None),
        stats.rounds.row("user round (all of the above)", wall),
    ]
    cpu = cpu_rows(
        start,
        end,
        stats,
        len(stats.recommendations.latencies),
        postgres=database_url.startswith("postgresql"),
    )
    recommendations = results[0]
    target = {
        "recommendations_p99_ms_max": 1500.0,
        "errors_max": 0,
        "met": bool(
            not cut_short
            and recommendations["p99_ms"] is not None
            and recommendations["p99_ms"] <= 1500.0
            and sum(r["errors"] for r in results) == 0
        ),
    }
    if cut_short:
        log(f"stopped after {args.max_seconds:.0f} s, before every user finished its rounds")
    return {
        "wall_s": wall,
        "cut_short": cut_short,
        "results": results,
        "cpu": cpu,
        "target": target,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", required=True, help="write the results to this JSON file")
    parser.add_argument("--users", type=int, default=10, help="concurrent simulated users")
    parser.add_argument("--models", type=int, default=3, help="live models, all in every request")
    parser.add_argument("--items", type=int, default=10_000, help="items per model")
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=30, help="measured rounds per user")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds per user first")
    parser.add_argument("--server-workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--database-url", help="e.g. PostgreSQL (default: SQLite in a temporary directory)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=900.0,
        help="no new round starts after this long (warm-up included)",
    )
    args = parser.parse_args(argv)
    if min(args.users, args.models, args.items, args.dim, args.rounds) < 1:
        parser.error("--users, --models, --items, --dim and --rounds must be positive")
    outcome = run(args)
    print_table(outcome["results"], COLUMNS)
    print()
    print_table(outcome["cpu"], CPU_COLUMNS)
    target = outcome["target"]
    print(
        f"target: recommendations p99 <= {target['recommendations_p99_ms_max']:.0f} ms, "
        f"no errors: {'met' if target['met'] else 'MISSED'}"
    )
    parameters = {
        key: getattr(args, key)
        for key in (
            "users",
            "models",
            "items",
            "dim",
            "rounds",
            "warmup",
            "server_workers",
            "seed",
            "max_seconds",
        )
    }
    parameters["database"] = (args.database_url or "sqlite").split(":")[0].split("+")[0]
    write_json(
        args.json,
        {"benchmark": "market_load", "machine": machine(), "parameters": parameters, **outcome},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
