"""Model deployment's background step: probe a stored bundle with real encrypted queries, then
put it live or reject it with a diagnostic (its stake, escrowed at upload, returned)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crypto import EvaluationKeys, SecretKeys, decrypt_scores, encrypt_query, top_k
from market_server import crud
from market_server.bundles import stored_items
from market_server.ledger_store import LedgerStore
from market_server.models import ModelStatus, ModelVersion
from market_server.scoring import ScoringService

PROBE_QUERIES = 3
# Relative to the largest score: well above CKKS noise (~1e-4), well below a real rank gap.
TIE_TOLERANCE = 1e-3


# Scores one encrypted query (bytes) with the probe keys and returns the response envelope.
ProbeScorer = Callable[[bytes, EvaluationKeys], bytes]


@cache
def probe_keys() -> tuple[SecretKeys, EvaluationKeys]:
    """The market's own throwaway CKKS keys, used only to probe new models."""
    keys = SecretKeys.generate()
    return keys, EvaluationKeys.from_bytes(keys.evaluation_keys())


def top_k_agreement(
    exact: npt.NDArray[np.float64], decrypted: npt.NDArray[np.float64], k: int
) -> float:
    """Share of the decrypted top k that truly belongs in a top k: an item counts if its exact
    score reaches the exact k-th best, within CKKS noise. Items tied with the k-th best (a
    popularity model has many) are all equally right, whichever the noise picks."""
    threshold = float(np.sort(exact)[-k])
    tolerance = TIE_TOLERANCE * max(float(np.abs(exact).max()), 1e-12)
    chosen = top_k(decrypted, k).ids
    return float(np.mean(exact[chosen] >= threshold - tolerance))


def probe_report(
    items: npt.NDArray[np.float32], score: ProbeScorer, *, seed: int
) -> tuple[bool, str]:
    """Score random queries through the encrypted path and compare them with plaintext."""
    keys, eval_keys = probe_keys()
    rng = np.random.default_rng(seed)
    agreements, errors, seconds = [], [], []
    for _ in range(PROBE_QUERIES):
        u = rng.standard_normal(items.shape[1])
        query = encrypt_query(keys, u)
        started = time.perf_counter()
        response = score(query.wire, eval_keys)
        seconds.append(time.perf_counter() - started)
        scores = decrypt_scores(keys, response, query)
        # In float32 (a float64 copy of a large table would double the probe's memory): its
        # rounding is far below the CKKS noise the comparison allows for.
        exact = np.asarray(items @ np.asarray(u, dtype=np.float32), dtype=np.float64)
        agreements.append(top_k_agreement(exact, scores, min(10, items.shape[0])))
        errors.append(float(np.abs(scores - exact).max() / max(np.abs(exact).max(), 1e-12)))
    agreement = float(np.mean(agreements))
    passed = agreement >= 0.9
    report = {
        "probe": "passed" if passed else "failed",
        "queries": PROBE_QUERIES,
        "top10_agreement": round(agreement, 4),
        "max_relative_error": float(f"{max(errors):.3g}"),
        "median_seconds": round(float(np.median(seconds)), 4),
    }
    return passed, json.dumps(report, sort_keys=True)


def validate_and_publish(
    *,
    engine: Engine,
    scoring: ScoringService,
    store: LedgerStore,
    slots: threading.BoundedSemaphore,
    model_id: int,
) -> None:
    """Background step of a deployment: probe the model through the encrypted path (waiting
    for one of the process's deployment slots), then put it live or reject it."""
    loader = stored_items(engine, model_id)
    with slots, Session(engine) as session:
        model = session.get(ModelVersion, model_id)
        if model is None or model.status != ModelStatus.PENDING:
            return
        model.status = ModelStatus.VALIDATING  # visible while the probe runs
        session.add(model)
        session.commit()
        try:
            # Loaded once: the scorer encodes the same array the plaintext scores come from
            # (a second load would hold a big table twice).
            items = loader()
            passed, report = probe_report(
                items,
                lambda query, keys: scoring.score_blocking(model_id, lambda: items, query, keys),
                seed=model_id,
            )
        except Exception as error:  # whatever failed, the developer reads why
            passed, report = False, json.dumps({"probe": "error", "error": str(error)[:500]})
        if passed:
            crud.publish_model(session=session, model=model, diagnostics=report)
            return
        crud.reject_model(session=session, store=store, model=model, diagnostics=report)
        # Not retired: the same name@version may be fixed and deployed again under this id.
        scoring.drop(model_id, retired=False)
