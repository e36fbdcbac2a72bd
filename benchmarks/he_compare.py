"""privrec's engines against OpenFHE's hoisted baby-step/giant-step CKKS scoring, same run.

    make bench-compare        # installs the `compare` extra, builds the OpenFHE driver, runs this
    python -m benchmarks.he_compare --openfhe artifacts/openfhe/openfhe_bsgs \\
        --items 100000 --dim 64 --json artifacts/bench/he_compare.json

One table and the same queries for every engine: privrec's fused and SEAL engines (one thread,
in this process), the fused kernel's arithmetic floor, and OpenFHE (benchmarks/openfhe_bsgs.cpp,
one process per baby-step count, OMP_NUM_THREADS=1). Rounds are interleaved (one query through
every engine per round), so a busy machine slows them alike; per engine the median CPU time of
the server's work per query, per item, i.e. per core; ``rotations_ms`` the part of it spent on
the query's baby-step rotations (privrec: ``EncodedTable.query_rotations``, timed on its own;
OpenFHE: the hoisted ones; the giant steps are not in it). Every engine's scores are decrypted and
checked against the plaintext ``V @ u`` (largest error for a unit-norm ``u``, top-10 agreement).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks.common import machine, print_table, write_json
from crypto import EvaluationKeys, SecretKeys, decrypt_scores, encrypt_query, top_k
from crypto.kernel import floor_inner_products
from crypto.scorer import EncodedTable, EncryptedQuery
from crypto.wire import Envelope, Kind

COLUMNS = (
    "items",
    "dim",
    "engine",
    "us_per_item",
    "over_privrec_fused",
    "rotations_ms",
    "query_bytes",
    "eval_key_bytes",
    "response_bytes_per_item",
    "max_abs_error",
    "top10_agreement",
)
TOP = 10


class OpenFheDriver:
    """One OpenFHE process holding the pre-encoded table; scores a query file on request."""

    def __init__(self, binary: Path, table: Path, items: int, dim: int, baby_steps: int) -> None:
        self.items, self.baby_steps = items, baby_steps
        environment = {**os.environ, "OMP_NUM_THREADS": "1"}
        command = [str(binary), str(table), str(items), str(dim), str(baby_steps)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment
        )
        self.setup = self._fields(self._line(), "ready")

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the OpenFHE driver exited ({self.process.wait()})")
        return line

    @staticmethod
    def _fields(line: str, prefix: str = "") -> dict[str, str]:
        words = line.split()
        if prefix:
            if not words or words[0] != prefix:
                raise RuntimeError(f"unexpected answer from the OpenFHE driver: {line!r}")
            words = words[1:]
        return dict(word.split("=", 1) for word in words)

    def score(self, query: Path, scores: Path) -> tuple[dict[str, str], np.ndarray]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"score {query} {scores}\n")
        self.process.stdin.flush()
        answer = self._fields(self._line())
        return answer, np.fromfile(scores, dtype=np.float64, count=self.items)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


def load_average() -> float:
    return os.getloadavg()[0]


def agreement(scores: np.ndarray, exact: np.ndarray) -> float:
    found = set(top_k(scores, TOP).ids.tolist())
    expected = set(top_k(exact, TOP).ids.tolist())
    return len(found & expected) / TOP


def run_case(
    items: int,
    dim: int,
    *,
    repeats: int,
    seed: int,
    binary: Path,
    baby_steps: list[int],
    seal: bool,
) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
    keys = SecretKeys.generate()
    key_wire = keys.evaluation_keys()
    loaded = EvaluationKeys.from_bytes(key_wire)
    print(f"... encoding {items} x {dim}", file=sys.stderr, flush=True)
    engines = {"privrec fused": EncodedTable(table, engine="fused")}
    if seal:
        engines["privrec seal"] = EncodedTable(table, engine="seal")
    fused = engines["privrec fused"]
    score_scale = fused.score_scale
    floor_args = (fused.coefficients, fused.present)
    inner = np.empty(
        (fused.chunks, fused.giant_steps, 2, keys.profile.poly_modulus_degree), dtype=np.uint64
    )
    # One core each, BLAS included: after each call (the exact scores below) OpenBLAS's idle
    # threads spin for a while, and that spin was counted in this process's CPU time while the
    # next privrec engine was measured (0.68 instead of 0.39 us per item, same machine).
    blas = threadpool_limits(1, "blas")
    workdir = Path(tempfile.mkdtemp(prefix="he_compare_"))
    drivers: dict[str, OpenFheDriver] = {}
    try:
        # OpenFHE gets the table as privrec scores it: rows divided by the largest row norm.
        table_file = workdir / "table.f64"
        (table.astype(np.float64) / score_scale).tofile(table_file)
        for baby in baby_steps:
            name = f"OpenFHE B={baby} G={dim // baby}"
            drivers[name] = OpenFheDriver(binary, table_file, items, dim, baby)
        table_file.unlink()
        samples: dict[str, list[float]] = {}
        rotations: dict[str, list[float]] = {}
        sizes: dict[str, dict[str, float]] = {}
        errors: dict[str, list[float]] = {}
        agreements: dict[str, list[float]] = {}

        def record(name: str, cpu: float, scores: np.ndarray, exact: np.ndarray) -> None:
            samples.setdefault(name, []).append(cpu)
            errors.setdefault(name, []).append(float(np.max(np.abs(scores - exact))))
            agreements.setdefault(name, []).append(agreement(scores, exact))

        warm = encrypt_query(keys, rng.standard_normal(dim))  # numba compiles (or loads) once
        fused.score(EncryptedQuery.from_bytes(warm.wire), loaded)
        loads = [load_average()]
        for round_ in range(repeats + 1):  # round 0 warms every engine and is not counted
            print(f"... round {round_}/{repeats}", file=sys.stderr, flush=True)
            u = rng.standard_normal(dim)
            norm = float(np.linalg.norm(u))
            unit = u / norm
            exact = table.astype(np.float64) @ unit  # errors in the units of a unit-norm query
            prepared = encrypt_query(keys, u)
            for name, engine in engines.items():
                cpu = time.process_time()
                blobs = engine.score(EncryptedQuery.from_bytes(prepared.wire), loaded)
                fields = (items, dim, engine.score_scale)
                response = Envelope(Kind.RESPONSE, keys.profile, fields, tuple(blobs)).to_bytes()
                cpu = time.process_time() - cpu
                scores = decrypt_scores(keys, response, prepared) / norm
                if round_:
                    record(name, cpu, scores, exact)
                sizes[name] = {
                    "query_bytes": len(prepared.wire),
                    "eval_key_bytes": len(key_wire),
                    "response_bytes_per_item": len(response) / items,
                }
            parsed = EncryptedQuery.from_bytes(prepared.wire)
            cpu = time.process_time()
            baby_rotations = fused.query_rotations(parsed, loaded)
            if round_:
                rotations.setdefault("privrec fused", []).append(time.process_time() - cpu)
            cpu = time.process_time()
            floor_inner_products(baby_rotations, *floor_args, 0, fused.chunks, inner)
            if round_:
                samples.setdefault("floor", []).append(time.process_time() - cpu)
            query_file = workdir / "query.f64"
            unit.tofile(query_file)
            for name, driver in drivers.items():
                answer, unit_scores = driver.score(query_file, workdir / "scores.f64")
                scores = unit_scores * score_scale
                if round_:
                    record(name, float(answer["cpu"]), scores, exact)
                    rotations.setdefault(name, []).append(float(answer["rotations_cpu"]))
                sizes[name] = {
                    "query_bytes": int(answer["query_bytes"]),
                    "eval_key_bytes": int(driver.setup["key_bytes"]),
                    "response_bytes_per_item": int(answer["response_bytes"]) / items,
                }
            loads.append(load_average())
    finally:
        for driver in drivers.values():
            driver.close()
        shutil.rmtree(workdir, ignore_errors=True)
        blas.restore_original_limits()
    per_item = {name: statistics.median(v) * 1e6 / items for name, v in samples.items()}
    rows: list[dict[str, Any]] = []
    for name in [*engines, *drivers]:
        rows.append(
            {
                "items": items,
                "dim": dim,
                "engine": name,
                "us_per_item": per_item[name],
                "over_privrec_fused": per_item[name] / per_item["privrec fused"],
                "rotations_ms": statistics.median(rotations[name]) * 1e3
                if name in rotations
                else None,
                **sizes[name],
                "max_abs_error": max(errors[name]),
                "top10_agreement": statistics.mean(agreements[name]),
                "samples": samples[name],
            }
        )
    rows.append(
        {
            "items": items,
            "dim": dim,
            "engine": "fused-kernel floor",
            "us_per_item": per_item["floor"],
            "over_privrec_fused": per_item["floor"] / per_item["privrec fused"],
            "samples": samples["floor"],
        }
    )
    for row in rows:
        row["load_average"] = loads
        row["repeats"] = repeats
    for name, driver in drivers.items():
        rows[[r["engine"] for r in rows].index(name)]["openfhe"] = driver.setup
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openfhe", type=Path, required=True, help="the built openfhe_bsgs")
    parser.add_argument("--items", type=int, nargs="+", default=[100_000])
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (medians)")
    parser.add_argument(
        "--baby-steps",
        type=int,
        nargs="+",
        help="OpenFHE configurations (default: d, i.e. every rotation hoisted, and sqrt(d))",
    )
    parser.add_argument("--no-seal", action="store_true", help="skip privrec's SEAL engine")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    if not args.openfhe.is_file():
        parser.error(f"{args.openfhe} does not exist: build it with `make bench-compare`")
    baby_steps = args.baby_steps or sorted({args.dim, 1 << (args.dim.bit_length() - 1) // 2})
    rows: list[dict[str, Any]] = []
    for items in args.items:
        rows += run_case(
            items,
            args.dim,
            repeats=args.repeats,
            seed=args.seed,
            binary=args.openfhe,
            baby_steps=baby_steps,
            seal=not args.no_seal,
        )
    print_table(rows, COLUMNS)
    write_json(args.json, {"benchmark": "he_compare", "machine": machine(), "results": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
