"""Encrypted scoring benchmark: the crypto engine against TenSEAL's matmul and plaintext numpy.

    python -m benchmarks.he_scoring --items 100000 --dim 64 --json out.json
    python -m benchmarks.he_scoring --grid --json out.json   # n in {10k,100k,1M} x d in {32,64,128}
    python -m benchmarks.he_scoring --wire --json out.json   # wire sizes and the switch's precision

Random data: item rows and the user vector are drawn from N(0, 1/d), so scores are O(1) and
``max_abs_error`` is an absolute error on that scale.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import platformdirs

from benchmarks.common import machine, print_table, timed, write_json
from crypto import (
    DEFAULT_PROFILE,
    PROFILES,
    EncodedTable,
    EncryptedQuery,
    EvaluationKeys,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encrypt_query,
    top_k,
)

GRID_ITEMS = (10_000, 100_000, 1_000_000)
GRID_DIMS = (32, 64, 128)
TENSEAL_BLOCK = 4096
COLUMNS = (
    "label",
    "items",
    "dim",
    "scorer_us_per_item_per_core",
    "scorer_wall_s",
    "single_core_us_per_item",
    "tenseal_matmul_us_per_item",
    "numpy_us_per_item",
    "query_bytes",
    "eval_key_bytes",
    "response_bytes_per_item",
    "client_encrypt_ms",
    "client_decrypt_topk_ms",
    "top10_agreement",
    "max_abs_error",
    "encoded_table_bytes_per_entry",
)


def top10_agreement(exact: npt.NDArray[np.float64], approx: npt.NDArray[np.float64]) -> float:
    """Fraction of the exact top 10 that the decrypted scores also rank in their top 10."""
    wanted = set(top_k(exact, 10).ids.tolist())
    got = set(top_k(approx, 10).ids.tolist())
    return len(wanted & got) / len(wanted)


def tenseal_matmul_us_per_item(
    items: npt.NDArray[np.float32], query: npt.NDArray[np.float64]
) -> float:
    """TenSEAL's high-level vector x matrix on one block of items (it re-encodes every call)."""
    import tenseal as ts

    context = ts.context(ts.SCHEME_TYPE.CKKS, 8192, coeff_mod_bit_sizes=[60, 40, 40, 60])
    context.global_scale = 2.0**40
    context.generate_galois_keys()
    block = items[:TENSEAL_BLOCK].astype(np.float64)
    vector = ts.ckks_vector(context, query.tolist())
    matrix = block.T.tolist()
    seconds, result = timed(lambda: vector.matmul(matrix), repeats=1)
    error = np.abs(np.asarray(result.decrypt()) - block @ query).max()
    assert error < 1e-2, f"TenSEAL baseline is wrong (error {error})"
    return float(seconds * 1e6 / block.shape[0])


def real_embedding_case(
    dim: int, queries: int, seed: int, cache_dir: Path
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float64]]:
    """Items: MiniLM embeddings of every title in the shipped catalogs, projected to ``dim``;
    queries: real customers' purchase profiles (mean title embedding), projected the same way."""
    from recommenders.datasets import load_goodbooks, load_online_retail
    from recommenders.embeddings import TextEmbedder

    retail, books = load_online_retail(), load_goodbooks()
    titles = list(dict.fromkeys(retail.catalog.titles + books.catalog.titles))
    embeddings = TextEmbedder(cache_dir).embed(titles).astype(np.float64)
    _, _, right = np.linalg.svd(embeddings, full_matrices=False)
    projection = right[:dim].T
    rng = np.random.default_rng(seed)
    customers = rng.choice(np.unique(retail.purchases.users), size=queries, replace=False)
    row_of = {title: row for row, title in enumerate(titles)}
    profiles = []
    for customer in customers:
        bought = retail.purchases.items[retail.purchases.users == customer]
        rows = [row_of[retail.catalog.titles[item]] for item in bought]
        profiles.append(embeddings[rows].mean(axis=0))
    return (embeddings @ projection).astype(np.float32), np.asarray(profiles) @ projection


def run_case(
    items: int,
    dim: int,
    *,
    profile: str,
    workers: int,
    queries: int,
    seed: int,
    baseline: bool,
    table: npt.NDArray[np.float32] | None = None,
    user_vectors: npt.NDArray[np.float64] | None = None,
    label: str = "random",
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    if table is None:
        table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
    if user_vectors is None:
        user_vectors = rng.standard_normal((queries, dim)) / np.sqrt(dim)
    keys = SecretKeys.generate(profile)
    eval_keys = keys.evaluation_keys()
    single_core = None
    if items <= 100_000:
        local = EncodedTable(table, profile=profile)
        single_keys = EvaluationKeys.from_bytes(eval_keys)
        single_query = EncryptedQuery.from_bytes(encrypt_query(keys, user_vectors[0]).wire)
        seconds, _ = timed(lambda: local.score(single_query, single_keys), repeats=3)
        single_core = seconds * 1e6 / items
        del local
    with TableScorer(table, profile=profile, workers=workers) as scorer:
        encrypt_s, walls, decrypt_s, agreements, errors = [], [], [], [], []
        response = b""
        for u in user_vectors:
            seconds, prepared = timed(partial(encrypt_query, keys, u), repeats=1)
            encrypt_s.append(seconds)
            scorer.score(prepared.wire, eval_keys)  # warm the workers' key cache
            seconds, response = timed(partial(scorer.score, prepared.wire, eval_keys), 1)
            walls.append(seconds)

            def read(p: Any = prepared, r: bytes = response) -> Any:
                scores = decrypt_scores(keys, r, p)
                return scores, top_k(scores, 10)

            seconds, (scores, _) = timed(read, repeats=1)
            decrypt_s.append(seconds)
            exact = table.astype(np.float64) @ u
            agreements.append(top10_agreement(exact, scores))
            errors.append(float(np.abs(scores - exact).max()))
        wall = float(np.median(walls))
        row = {
            "label": label,
            "profile": profile,
            "items": items,
            "dim": dim,
            "workers": scorer.workers,
            "scorer_wall_s": wall,
            "scorer_us_per_item_per_core": wall * max(1, scorer.workers) * 1e6 / items,
            "single_core_us_per_item": single_core,
            "encoded_table_bytes_per_entry": scorer.encoded_bytes / (items * dim),
        }
    numpy_s, _ = timed(lambda: table @ user_vectors[0].astype(np.float32), repeats=20)
    row.update(
        {
            "tenseal_matmul_us_per_item": (
                tenseal_matmul_us_per_item(table, user_vectors[0]) if baseline else None
            ),
            "numpy_us_per_item": numpy_s * 1e6 / items,
            "query_bytes": len(prepared.wire),
            "eval_key_bytes": len(eval_keys),
            "response_bytes_per_item": len(response) / items,
            "client_encrypt_ms": float(np.median(encrypt_s)) * 1e3,
            "client_decrypt_topk_ms": float(np.median(decrypt_s)) * 1e3,
            "top10_agreement": float(np.mean(agreements)),
            "max_abs_error": max(errors),
            "queries": len(user_vectors),
        }
    )
    return row


WIRE_COLUMNS = (
    "label",
    "items",
    "dim",
    "baby_steps",
    "query_bytes",
    "eval_key_bytes",
    "response_bytes_per_item",
    "top10_agreement",
    "top10_agreement_unswitched",
    "max_rel_error",
    "max_rel_error_unswitched",
    "rms_rel_error",
    "rms_rel_error_unswitched",
)


def wire_case(
    label: str,
    table: npt.NDArray[np.float32],
    users: npt.NDArray[np.float64],
    keys: SecretKeys,
    eval_keys: bytes,
) -> dict[str, Any]:
    """Sizes on the wire, and precision with and without the response's switch down: the same
    response totals decrypted as they are, and after switching down, packing and lifting.
    Errors are relative to the largest possible |score| (largest row norm times ||u||)."""
    from benchmarks.kernel import seal_decrypt_coefficients
    from crypto.response import pack_response
    from crypto.wire import Envelope, Kind

    rt, items, dim = keys.runtime, table.shape[0], table.shape[1]
    encoded = EncodedTable(table, profile=keys.profile.name)
    loaded = EvaluationKeys.from_bytes(eval_keys)
    exact_all = table.astype(np.float64) @ users.T
    found: dict[str, list[float]] = {}
    response = query_wire = b""
    for index, u in enumerate(users):
        prepared = encrypt_query(keys, u)
        query_wire = prepared.wire
        parsed = EncryptedQuery.from_bytes(prepared.wire)
        totals = np.stack([t.copy() for t in encoded.response_totals(parsed, loaded)])
        blobs = tuple(pack_response(rt.profile, rt.data_modulus, t) for t in totals)
        fields = (items, dim, encoded.score_scale)
        response = Envelope(Kind.RESPONSE, rt.profile, fields, blobs).to_bytes()
        unswitched = seal_decrypt_coefficients(keys, totals)[:items] * (
            encoded.score_scale * prepared.norm
        )
        switched = decrypt_scores(keys, response, prepared)
        exact, bound = exact_all[:, index], encoded.score_scale * prepared.norm
        for name, scores in (("", switched), ("_unswitched", unswitched)):
            error = (scores - exact) / bound
            found.setdefault("top10_agreement" + name, []).append(top10_agreement(exact, scores))
            found.setdefault("max_rel_error" + name, []).append(float(np.abs(error).max()))
            found.setdefault("ms_rel_error" + name, []).append(float(np.mean(error**2)))
    row: dict[str, Any] = {
        "label": label,
        "items": items,
        "dim": dim,
        "queries": len(users),
        "baby_steps": encoded.baby_steps,
        "query_bytes": len(query_wire),
        "eval_key_bytes": len(eval_keys),
        "response_bytes_per_item": len(response) / items,
    }
    for name in ("", "_unswitched"):
        row["top10_agreement" + name] = float(np.mean(found["top10_agreement" + name]))
        row["max_rel_error" + name] = max(found["max_rel_error" + name])
        row["rms_rel_error" + name] = float(np.sqrt(np.mean(found["ms_rel_error" + name])))
    return row


def shipped_tables() -> list[tuple[str, npt.NDArray[np.float32]]]:
    """The item tables of the shipped reference two-tower models (real, trained on real data)."""
    import recommenders
    from recommenders.bundle import load_bundle
    from recommenders.features import FEATURE_SCHEMA_VERSION

    folder = Path(recommenders.__file__).parent / "data" / "reference"
    return [
        (path.stem, load_bundle(path, feature_schema=FEATURE_SCHEMA_VERSION).items)
        for path in sorted(folder.glob("*-two-tower.zip"))
    ]


def profile_queries(
    table: npt.NDArray[np.float32], count: int, seed: int
) -> npt.NDArray[np.float64]:
    """Query vectors shaped like a user's profile: the mean of 5 of the table's rows."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(table.shape[0], size=(count, 5))
    profiles: npt.NDArray[np.float64] = table.astype(np.float64)[picks].mean(axis=1)
    return profiles


def wire_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    keys = SecretKeys.generate(args.profile)
    eval_keys = keys.evaluation_keys()
    rows = []
    rng = np.random.default_rng(args.seed)
    for items, dim in ((args.items, args.dim), (args.items, 256)):
        print(f"... wire: random {items} x {dim}", file=sys.stderr, flush=True)
        table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
        users = rng.standard_normal((args.queries, dim)) / np.sqrt(dim)
        rows.append(wire_case("random", table, users, keys, eval_keys))
    for name, table in shipped_tables():
        print(f"... wire: {name}", file=sys.stderr, flush=True)
        users = profile_queries(table, args.queries, args.seed)
        rows.append(wire_case(name, table, users, keys, eval_keys))
    if args.real:
        cache_dir = args.cache_dir or Path(platformdirs.user_cache_dir("privrec"))
        for dim in GRID_DIMS:
            print(f"... wire: real title embeddings x {dim}", file=sys.stderr, flush=True)
            table, users = real_embedding_case(dim, args.queries, args.seed, cache_dir)
            rows.append(wire_case("titles", table, users, keys, eval_keys))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--grid", action="store_true", help="run the full n x d grid")
    parser.add_argument("--profile", default=DEFAULT_PROFILE, choices=sorted(PROFILES))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--queries", type=int, default=5, help="queries per case (medians)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baseline", action="store_true", help="skip TenSEAL's matmul")
    parser.add_argument(
        "--real", action="store_true", help="also score real title embeddings (d = 32, 64, 128)"
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="title embedding cache (with --real)"
    )
    parser.add_argument(
        "--wire", action="store_true", help="only wire sizes and the response switch's precision"
    )
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.wire:
        rows = wire_rows(args)
        print_table(rows, WIRE_COLUMNS)
        payload = {"benchmark": "he_scoring --wire", "machine": machine(), "results": rows}
        write_json(args.json, payload)
        return 0
    cases = (
        [(n, d) for n in GRID_ITEMS for d in GRID_DIMS] if args.grid else [(args.items, args.dim)]
    )
    rows = []
    for items, dim in cases:
        print(f"... {items} items x {dim} dims", file=sys.stderr, flush=True)
        rows.append(
            run_case(
                items,
                dim,
                profile=args.profile,
                workers=args.workers,
                queries=args.queries,
                seed=args.seed,
                baseline=not args.no_baseline,
            )
        )
    if args.real:
        cache_dir = args.cache_dir or Path(platformdirs.user_cache_dir("privrec"))
        for dim in GRID_DIMS:
            print(f"... real title embeddings x {dim} dims", file=sys.stderr, flush=True)
            table, users = real_embedding_case(dim, args.queries, args.seed, cache_dir)
            rows.append(
                run_case(
                    table.shape[0],
                    dim,
                    profile=args.profile,
                    workers=args.workers,
                    queries=args.queries,
                    seed=args.seed,
                    baseline=False,
                    table=table,
                    user_vectors=users,
                    label="real",
                )
            )
    print_table(rows, COLUMNS)
    write_json(args.json, {"benchmark": "he_scoring", "machine": machine(), "results": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
