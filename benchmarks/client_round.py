"""Client round benchmark: where the time of an encrypted recommendation round goes, on the
device and at the market, for a profile of 1,000 real activities. Targets on this 2-core
machine: the first round <= 5 s (embedding model not loaded, catalogs on disk), a rerun <= 2 s.

    python -m benchmarks.client_round --json artifacts/bench/client_round.json --port 18680

A real market (its own process, SQLite) with every model of REFERENCE_MODELS deployed, and a
user whose activity is the real histories of the shipped datasets' test users. Each phase
runs in a fresh process, as an app started anew: its import (stored, then its titles
embedded), then the first round and reruns. A second user whose app did not embed at import
shows what the first round cost before that.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import machine, print_table, write_json
from client_app.developer import DeveloperClient
from client_app.local_market import MarketProcess, free_port
from client_app.store import fingerprint
from recommenders.activity import ActivityEvent

TARGETS_S = {"first round": 5.0, "rerun": 2.0}
ACTIVITIES = 1000
# The datasets whose real activity makes the profile, one category each (recommenders.tasks
# load_task names): places joins with one line here once its data has users.
PROFILE_DATASETS = ("online-retail", "goodbooks", "stackexchange", "lastfm")
USER_BUDGET = 500
DEVELOPER = "bench-developer"
STAKE, BID, ESCROW = 20, 1, 10


def real_profile(total: int, now: datetime) -> list[ActivityEvent]:
    """``total`` real activities split evenly between PROFILE_DATASETS: the training histories
    of their test users in turn, each replayed to end a minute before the previous one's."""
    from recommenders.tasks import load_task

    events: list[ActivityEvent] = []
    for index, dataset in enumerate(PROFILE_DATASETS):
        task = load_task(dataset)
        quota = total // len(PROFILE_DATASETS) + (index < total % len(PROFILE_DATASETS))
        taken: dict[str, ActivityEvent] = {}  # by the store's fingerprint: each event once
        for order, user in enumerate(sorted(task.times)):
            history = task.events(user)
            if not history:
                continue
            end = now - timedelta(minutes=order)
            shift = end - max(event.time for event in history)
            for e in history:
                moved = ActivityEvent(
                    e.category, e.source, e.title, e.external_id, e.time + shift, e.weight
                )
                taken.setdefault(fingerprint(moved), moved)
            if len(taken) >= quota:
                break
        events += list(taken.values())[:quota]
    return events


# --- the phases, each in a fresh process ------------------------------------------------------


def setup_user(data_dir: Path, market_url: str, *, embed_at_import: bool) -> dict[str, Any]:
    """A new user with a budget, the profile imported and opted in, the models downloaded."""
    from client_app.sdk import PrivrecClient

    client = PrivrecClient(data_dir, market_url=market_url)
    try:
        client.create_identity()
        client.connect()
        client.faucet()
        client.fund_budget(USER_BUDGET)
        events = real_profile(ACTIVITIES, datetime.now(UTC))
        categories = sorted({event.category for event in events})
        started = time.perf_counter()
        added = client.store.add_events(events, origin="benchmark")
        stored = time.perf_counter() - started
        embedded, embed_s = 0, 0.0
        if embed_at_import:
            for category in categories:
                client.set_opt_in(category, True)  # starts embedding in the background
            started = time.perf_counter()
            client.wait_for_embedding()
            if client.embedding_error is not None:
                raise client.embedding_error
            embedded = client.embed_activity()  # nothing left: the background run did it all
            embed_s = time.perf_counter() - started
        else:  # as the app did before: opted in, nothing embedded until a round
            for category in categories:
                client.store.set_opt_in(category, True)
        started = time.perf_counter()
        skipped = client.fetch_models()
        download_s = time.perf_counter() - started
        return {
            "activities": added.added,
            "categories": [c.value for c in categories],
            "distinct_titles": len({event.title for event in events}),
            "store_s": stored,
            "embed_s": embed_s,
            "embedded_after_background": embedded,
            "download_s": download_s,
            "skipped": [f"{s.model.label}: {s.reason}" for s in skipped],
        }
    finally:
        client.close()


def rounds(data_dir: Path, market_url: str, reruns: int) -> dict[str, Any]:
    """The first round of a fresh process, then ``reruns`` more in the same process."""
    from client_app.sdk import PrivrecClient

    client = PrivrecClient(data_dir, market_url=market_url)
    timed = []
    try:
        for _ in range(1 + reruns):
            started, cpu = time.perf_counter(), time.process_time()
            round_ = client.refresh()
            total = time.perf_counter() - started
            timed.append(
                {
                    "total_s": total,
                    # This process's CPU seconds (all threads): unlike the wall time, hardly
                    # changed by what else a shared machine runs.
                    "cpu_s": time.process_time() - cpu,
                    "seconds": round_.seconds,
                    "models": len(round_.lists),
                    "skipped": [f"{s.model.label}: {s.reason}" for s in round_.skipped],
                }
            )
    finally:
        client.close()
    return {"rounds": timed, "torch_imported": "torch" in sys.modules}


def in_fresh_process(phase: str, data_dir: Path, market_url: str, *extra: str) -> Any:
    command = [sys.executable, "-m", "benchmarks.client_round", "--phase", phase]
    command += ["--data-dir", str(data_dir), "--market-url", market_url, *extra]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the market -------------------------------------------------------------------------------


def deploy_reference_models(url: str) -> list[str]:
    """Every model of REFERENCE_MODELS, deployed by one developer and live."""
    from recommenders.reference import REFERENCE_MODELS, shipped_bundle

    with DeveloperClient(url) as developer:
        developer.sign_up(DEVELOPER)
        developer.faucet()
        for name in REFERENCE_MODELS:
            deployed = developer.deploy(
                shipped_bundle(name).read_bytes(), stake=STAKE, bid=BID, escrow=ESCROW
            )
            developer.wait_until_settled(deployed.id)
    return list(REFERENCE_MODELS)


# --- the report -------------------------------------------------------------------------------


def _step_rows(cases: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per step, one column per case (the median over its rounds); then the round's
    wall time and the device's CPU time."""
    from client_app.rounds import ROUND_STEPS

    rows = []
    for step in (*ROUND_STEPS, "total", "cpu"):
        row: dict[str, Any] = {"step": step}
        for case, timed in cases.items():
            values = [
                r[f"{step}_s"] if step in ("total", "cpu") else r["seconds"].get(step, 0.0)
                for r in timed
            ]
            row[case] = round(statistics.median(values), 3)
        rows.append(row)
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="privrec-round-bench-") as scratch:
        work = Path(args.work_dir or scratch)
        market = MarketProcess(
            data_dir=work / "market", port=args.port or free_port(), inherit_settings=False
        )
        with market:
            models = deploy_reference_models(market.url)
            embedded_dir, plain_dir = work / "user-embedded", work / "user-plain"
            setup = in_fresh_process("setup", embedded_dir, market.url)
            done = in_fresh_process(
                "rounds", embedded_dir, market.url, "--reruns", str(args.reruns)
            )
            in_fresh_process("setup-no-embed", plain_dir, market.url)
            before = in_fresh_process("rounds", plain_dir, market.url, "--reruns", "0")
    first, reruns = done["rounds"][0], done["rounds"][1:]
    cases = {
        "first round": [first],
        "rerun": reruns,
        "first round, not embedded at import": before["rounds"][:1],
    }
    totals = {
        "first round": first["total_s"],
        "rerun": statistics.median(r["total_s"] for r in reruns),
    }
    return {
        "machine": machine(),
        "load_average": os.getloadavg(),
        "models": models,
        "profile": {k: setup[k] for k in ("activities", "categories", "distinct_titles")},
        "import": {k: setup[k] for k in ("store_s", "embed_s", "download_s")},
        "torch_imported_in_round": done["torch_imported"],
        "skipped": first["skipped"],
        "steps": _step_rows(cases),
        "totals_s": totals,
        "targets_s": TARGETS_S,
        "rounds": {"embedded at import": done["rounds"], "not embedded": before["rounds"]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--port", type=int, help="the market's loopback port (default: free)")
    parser.add_argument("--reruns", type=int, default=3, help="rounds after the first")
    parser.add_argument("--work-dir", type=Path, help="keep the market and users here")
    parser.add_argument("--phase", choices=("setup", "setup-no-embed", "rounds"), help="internal")
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--market-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reruns < (0 if args.phase else 1):
        parser.error("--reruns must be positive")
    if args.phase is not None:
        if args.data_dir is None or args.market_url is None:
            parser.error("a phase needs --data-dir and --market-url")
        if args.phase == "rounds":
            outcome = rounds(args.data_dir, args.market_url, args.reruns)
        else:
            outcome = setup_user(
                args.data_dir, args.market_url, embed_at_import=args.phase == "setup"
            )
        print(json.dumps(outcome))
        return 0
    if args.json is None:
        parser.error("--json is required")
    result = run(args)
    print(
        f"profile: {result['profile']['activities']:,} activities in "
        f"{', '.join(result['profile']['categories'])} "
        f"({result['profile']['distinct_titles']:,} distinct titles); "
        f"{len(result['models'])} models; load average {result['load_average'][0]:.1f}"
    )
    imported = result["import"]
    print(
        f"import: stored in {imported['store_s']:.2f} s, titles embedded in "
        f"{imported['embed_s']:.2f} s (background), models downloaded in "
        f"{imported['download_s']:.2f} s"
    )
    print_table(
        result["steps"], ("step", "first round", "rerun", "first round, not embedded at import")
    )
    met = all(result["totals_s"][case] <= target for case, target in TARGETS_S.items())
    for case, target in TARGETS_S.items():
        print(f"{case}: {result['totals_s'][case]:.2f} s (target <= {target:.0f} s)")
    write_json(args.json, result)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
