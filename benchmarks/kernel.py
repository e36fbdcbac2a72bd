"""Fused scoring kernel benchmark: SEAL's path, the fused kernel and the arithmetic floor on one
table, one vs two kernel threads, and the client's decryption + top-10, against the old ones.

    python -m benchmarks.kernel --items 100000 1000000 --dim 64 --json artifacts/bench/kernel.json

Every measurement of a case is repeated ``--repeats`` times, interleaved (one of each per
round), so a busy machine slows them alike: quote the medians' ratios from one run. CPU time is
the process's (every thread's); ``*_us_per_item`` are CPU microseconds per item, i.e. per core;
``client_*_ms`` are CPU milliseconds to decrypt a response and rank its top 10 (and wall time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import tenseal.sealapi as seal

from benchmarks.common import machine, print_table, write_json
from crypto import EvaluationKeys, SecretKeys, decrypt_scores, encrypt_query, top_k
from crypto._seal_memory import ciphertext_array
from crypto.client import PreparedQuery
from crypto.kernel import choose_kernel, floor_inner_products, fused_inner_products
from crypto.response import lift, unpack_responses
from crypto.scorer import EncodedTable, EncryptedQuery
from crypto.wire import Envelope, Kind, parse_envelope

COLUMNS = (
    "items",
    "dim",
    "seal_us_per_item",
    "fused_us_per_item",
    "kernel_us_per_item",
    "floor_us_per_item",
    "fused_speedup_over_seal",
    "fused_over_floor",
    "kernel_over_floor",
    "two_threads_per_core",
    "two_threads_wall_speedup",
    "client_old_ms",
    "client_new_ms",
    "client_new_wall_ms",
    "client_speedup",
    "bit_identical",
)


def measure(function: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """(CPU seconds of the whole process, wall seconds, result) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function(*args)
    return time.process_time() - cpu, time.perf_counter() - wall, result


def seal_decrypt_scores(keys: SecretKeys, response: bytes, norm: float) -> Any:
    """The client's previous path, SEAL end to end: every ciphertext (lifted back to the data
    prime) decrypted and decoded by SEAL into a Python list."""
    rt, envelope = keys.runtime, parse_envelope(response, Kind.RESPONSE)
    items, _, score_scale = envelope.fields
    profile, q = rt.profile, rt.data_modulus
    c0, c1 = unpack_responses(profile, envelope.blobs)
    lifted = np.stack(
        [lift(c0, q, profile.response_c0_bits), lift(c1, q, profile.response_c1_bits)], axis=1
    )
    return seal_decrypt_coefficients(keys, lifted)[: int(items)] * (score_scale * norm)


def seal_decrypt_coefficients(keys: SecretKeys, ciphertexts: Any) -> Any:
    """Decrypt and decode ``(count, 2, N)`` ciphertexts, out of NTT form at the data prime, with
    SEAL's own decryptor and decoder: each is copied into a SEAL ciphertext, taken to NTT form,
    decrypted and decoded into a Python list (scores of unit-norm query and table scale)."""
    rt = keys.runtime
    parts = []
    for coefficients in ciphertexts:
        cipher, plain = seal.Ciphertext(), seal.Plaintext()
        keys.encryptor.encrypt_zero_symmetric(rt.context.first_parms_id(), cipher)
        rt.evaluator.transform_from_ntt_inplace(cipher)
        ciphertext_array(cipher).reshape(2, -1)[:] = coefficients
        rt.evaluator.transform_to_ntt_inplace(cipher)
        cipher.scale = rt.response_scale
        keys.decryptor.decrypt(cipher, plain)
        values = np.asarray(rt.encoder.decode_complex(plain))
        parts += [values.real, values.imag]
    return np.concatenate(parts)


def seal_decrypt_top10(keys: SecretKeys, response: bytes, query: PreparedQuery) -> Any:
    return top_k(seal_decrypt_scores(keys, response, query.norm), 10)


def decrypt_top10(keys: SecretKeys, response: bytes, query: PreparedQuery) -> Any:
    return top_k(decrypt_scores(keys, response, query), 10)


def run_case(items: int, dim: int, *, repeats: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    table = (rng.standard_normal((items, dim)) / np.sqrt(dim)).astype(np.float32)
    keys = SecretKeys.generate()
    loaded = EvaluationKeys.from_bytes(keys.evaluation_keys())
    print(f"... encoding {items} x {dim} twice", file=sys.stderr, flush=True)
    seal_table = EncodedTable(table, engine="seal")
    fused = EncodedTable(table, engine="fused")
    coefficients, present = fused.coefficients, fused.present
    q = keys.runtime.data_modulus
    queries = [encrypt_query(keys, rng.standard_normal(dim)) for _ in range(repeats)]
    degree = keys.profile.poly_modulus_degree
    inner = np.empty((fused.chunks, fused.giant_steps, 2, degree), dtype=np.uint64)
    samples: dict[str, list[float]] = {}

    def record(name: str, value: float) -> None:
        samples.setdefault(name, []).append(value)

    warm_up = EncryptedQuery.from_bytes(queries[0].wire)  # numba compiles (or loads) once
    fused.score(warm_up, loaded)
    rotations = fused.query_rotations(warm_up, loaded)
    floor_inner_products(rotations, coefficients, present, 0, 1, inner)
    identical = True
    for round_, prepared in enumerate(queries):
        print(f"... round {round_ + 1}/{repeats}", file=sys.stderr, flush=True)
        parsed = EncryptedQuery.from_bytes(prepared.wire)
        cpu, _, expected = measure(seal_table.score, parsed, loaded)
        record("seal", cpu)
        fused.threads = 1
        cpu, wall_one, blobs = measure(fused.score, parsed, loaded)
        record("fused", cpu)
        identical &= blobs == expected
        fused.threads = 2  # the same table and rotations, shared by two threads
        cpu, wall_two, _ = measure(fused.score, parsed, loaded)
        record("fused_two_threads", cpu)
        record("two_threads_wall_speedup", wall_one / wall_two)
        rotations = fused.query_rotations(parsed, loaded)
        every_chunk = (0, fused.chunks, inner)
        cpu, _, _ = measure(fused_inner_products, rotations, coefficients, present, q, *every_chunk)
        record("kernel", cpu)
        cpu, _, _ = measure(floor_inner_products, rotations, coefficients, present, *every_chunk)
        record("floor", cpu)
        wire = Envelope(
            Kind.RESPONSE, keys.profile, (items, dim, seal_table.score_scale), tuple(expected)
        ).to_bytes()
        cpu, wall, old_top = measure(seal_decrypt_top10, keys, wire, prepared)
        record("client_old", cpu)
        record("client_old_wall", wall)
        cpu, wall, new_top = measure(decrypt_top10, keys, wire, prepared)
        record("client_new", cpu)
        record("client_new_wall", wall)
        identical &= bool(np.array_equal(old_top.ids, new_top.ids))
    median = {name: statistics.median(values) for name, values in samples.items()}
    per_item = {name: median[name] * 1e6 / items for name in ("seal", "fused", "kernel", "floor")}
    return {
        "items": items,
        "dim": dim,
        "kernel": choose_kernel(q),
        "baby_steps": fused.baby_steps,
        "giant_steps": fused.giant_steps,
        "seal_us_per_item": per_item["seal"],
        "fused_us_per_item": per_item["fused"],
        "kernel_us_per_item": per_item["kernel"],
        "floor_us_per_item": per_item["floor"],
        "fused_speedup_over_seal": per_item["seal"] / per_item["fused"],
        "fused_over_floor": per_item["fused"] / per_item["floor"],
        "kernel_over_floor": per_item["kernel"] / per_item["floor"],
        "two_threads_per_core": median["fused_two_threads"] / median["fused"],
        "two_threads_wall_speedup": median["two_threads_wall_speedup"],
        "client_old_ms": median["client_old"] * 1e3,
        "client_new_ms": median["client_new"] * 1e3,
        "client_old_wall_ms": median["client_old_wall"] * 1e3,
        "client_new_wall_ms": median["client_new_wall"] * 1e3,
        "client_speedup": median["client_old"] / median["client_new"],
        "bit_identical": identical,
        "repeats": repeats,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5, help="interleaved rounds (medians)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    rows = [run_case(items, args.dim, repeats=args.repeats, seed=args.seed) for items in args.items]
    print_table(rows, COLUMNS)
    write_json(args.json, {"benchmark": "kernel", "machine": machine(), "results": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
