"""Model extraction through the real crypto engine: how many encrypted queries recover a private
item table, with and without the score noise a model may declare (docs/model_extraction.md).

    python -m benchmarks.model_extraction --json extraction.json
    python -m benchmarks.model_extraction --items 500 --dim 16 --sigmas 0 0.01 0.03 0.1

The attacker asks basis vectors u = e_1..e_d (each answer is one column of V) and, under noise,
asks each one k times and averages. Per noise level: the honest users' top-10 agreement, and
the relative error ||V' - V|| / ||V|| of the stolen table after k rounds of d queries, measured
for k = 1, 4, 16, ... up to --max-rounds. Averaging k independent answers divides the error by
sqrt(k) (``law_check`` is the measured error at the largest k over e_1 / sqrt(k): about 1), so
the queries needed for a target error e are d * ceil((e_1 / e)^2), from the measured e_1.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.common import machine, print_table, write_json
from crypto import SecretKeys, TableScorer, decrypt_scores, encrypt_query, top_k

TARGETS = (0.1, 0.01)
# Default query budgets of the market (Settings): committed credits and per-model caps.
MIN_COMMITMENT = 10
PER_MODEL_PER_EPOCH = 24


def answer(
    scorer: TableScorer,
    keys: SecretKeys,
    eval_keys: bytes,
    u: npt.NDArray[np.float64],
    sigma: float,
) -> npt.NDArray[np.float64]:
    query = encrypt_query(keys, u)
    return decrypt_scores(keys, scorer.score(query.wire, eval_keys, score_noise=sigma), query)


def top10_agreement(
    scorer: TableScorer,
    keys: SecretKeys,
    eval_keys: bytes,
    table: npt.NDArray[np.float32],
    sigma: float,
    rng: np.random.Generator,
    queries: int,
) -> float:
    """What noise costs honest users: overlap of the exact and the returned top 10."""
    overlaps = []
    for _ in range(queries):
        direction = rng.standard_normal((table.shape[1],))
        u = direction / float(np.linalg.norm(direction))
        exact = set(top_k(table.astype(np.float64) @ u, 10).ids.tolist())
        noisy = set(top_k(answer(scorer, keys, eval_keys, u, sigma), 10).ids.tolist())
        overlaps.append(len(exact & noisy) / 10)
    return float(np.mean(overlaps))


def extraction_curve(
    scorer: TableScorer,
    keys: SecretKeys,
    eval_keys: bytes,
    table: npt.NDArray[np.float32],
    sigma: float,
    max_rounds: int,
) -> list[tuple[int, float]]:
    """(rounds k, relative error of the average of k answers per basis vector), k = 1, 4, ..."""
    n, d = table.shape
    total = np.zeros((n, d))
    curve = []
    rounds = 0
    checkpoints = [4**i for i in range(int(math.log(max_rounds, 4)) + 1)]
    for checkpoint in checkpoints:
        while rounds < checkpoint:
            for i in range(d):
                total[:, i] += answer(scorer, keys, eval_keys, np.eye(d)[i], sigma)
            rounds += 1
        stolen = total / rounds
        error = float(np.linalg.norm(stolen - table) / np.linalg.norm(table))
        curve.append((rounds, error))
        if sigma == 0:
            break  # without noise one round is all an attacker needs
    return curve


def queries_for(target: float, error_after_one_round: float, d: int) -> int:
    """Queries for an average of k rounds of d basis queries to reach ``target``."""
    return d * max(1, math.ceil((error_after_one_round / target) ** 2))


def credits_needed(queries: int) -> int:
    """Credits an extractor must hold committed, under the default budgets, to ask ``queries``
    of one model within one epoch: one funded account per 24 queries."""
    return math.ceil(queries / PER_MODEL_PER_EPOCH) * MIN_COMMITMENT


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = np.random.default_rng(args.seed)
    table = rng.standard_normal((args.items, args.dim)).astype(np.float32)
    keys = SecretKeys.generate()
    eval_keys = keys.evaluation_keys()
    rms = float(np.sqrt(np.mean(table.astype(np.float64) ** 2)))
    rows = []
    with TableScorer(table) as scorer:
        for sigma in args.sigmas:
            curve = extraction_curve(scorer, keys, eval_keys, table, sigma, args.max_rounds)
            row: dict[str, Any] = {
                "sigma": sigma,
                "sigma_per_entry_rms": sigma / rms,
                "top10_agreement": top10_agreement(
                    scorer, keys, eval_keys, table, sigma, rng, args.agreement_queries
                ),
                "error_after_d_queries": curve[0][1],
                "law_check": curve[-1][1] / (curve[0][1] / math.sqrt(curve[-1][0])),
                "curve": curve,
            }
            for target in TARGETS:
                queries = queries_for(target, curve[0][1], args.dim)
                row[f"queries_to_{target:g}"] = queries
                row[f"credits_to_{target:g}_in_one_epoch"] = credits_needed(queries)
                row[f"epochs_to_{target:g}_with_one_account"] = math.ceil(
                    queries / PER_MODEL_PER_EPOCH
                )
            rows.append(row)
    return {
        "benchmark": "model_extraction",
        "machine": machine(),
        "machine_note": args.machine_note,
        "items": args.items,
        "dim": args.dim,
        "score_scale": scorer.score_scale,
        "entry_rms": rms,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--dim", type=int, default=16)
    parser.add_argument("--sigmas", type=float, nargs="+", default=[0.0, 0.03, 0.1, 0.3, 1.0])
    parser.add_argument("--max-rounds", type=int, default=64, help="largest k measured")
    parser.add_argument("--agreement-queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--machine-note", default="2-core AMD EPYC, 24 GiB")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    result = run(args)
    print(
        f"machine: {result['machine_note']}; table {args.items} x {args.dim}, entries N(0, 1), "
        f"largest row norm {result['score_scale']:.3g}"
    )
    columns = [k for k in result["rows"][0] if k != "curve"]
    print_table(result["rows"], columns)
    write_json(args.json, result)


if __name__ == "__main__":
    main()
