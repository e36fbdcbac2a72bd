"""Model deployment: validate an uploaded bundle (data only, never executed), keep its public
parts for download, and probe it with a real encrypted query before it goes live."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import safetensors.numpy
from sqlalchemy.engine import Engine
from sqlmodel import Session

from crypto import EvaluationKeys, SecretKeys, decrypt_scores, encrypt_query, top_k
from market_server import crud
from market_server.economy import LedgerError
from market_server.ledger_store import LedgerStore
from market_server.models import BundleBlob, Developer, ModelStatus, ModelVersion
from market_server.scoring import ItemLoader, ScoringService
from recommenders.bundle import Bundle, InvalidBundle, load_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION

PROBE_QUERIES = 3


@dataclass(frozen=True)
class PublicParts:
    """What every client may download: manifest, user tower and the whole catalog."""

    manifest: bytes
    tower: bytes
    catalog: bytes


def read_bundle(data: bytes) -> Bundle:
    """Parse and validate an uploaded bundle; raises InvalidBundle with a diagnostic."""
    return load_bundle(data, feature_schema=FEATURE_SCHEMA_VERSION)


def public_parts(bundle: Bundle) -> PublicParts:
    return PublicParts(
        manifest=bundle.manifest.to_bytes(),
        tower=safetensors.numpy.save(dict(bundle.tower)),
        catalog=bundle.catalog.to_csv(),
    )


def item_table(stored_bundle: bytes) -> npt.NDArray[np.float32]:
    """The private item table of a stored (already validated) bundle."""
    return np.asarray(read_bundle(stored_bundle).items, dtype=np.float32)


def stored_items(engine: Engine, model_id: int) -> ItemLoader:
    """Loads a deployed model's private item table from the database, when a scorer needs it."""

    def load() -> npt.NDArray[np.float32]:
        with Session(engine) as session:
            blob = session.get(BundleBlob, model_id)
            if blob is None:
                raise LookupError(f"model {model_id} has no stored bundle")
            return item_table(blob.bundle)

    return load


def etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest() + '"'


# Scores one encrypted query (bytes) with the probe keys and returns the response envelope.
ProbeScorer = Callable[[bytes, EvaluationKeys], bytes]


@cache
def probe_keys() -> tuple[SecretKeys, EvaluationKeys]:
    """The market's own throwaway CKKS keys, used only to probe new models."""
    keys = SecretKeys.generate()
    return keys, EvaluationKeys.from_bytes(keys.evaluation_keys())


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
        exact = items.astype(np.float64) @ u
        k = min(10, items.shape[0])
        agreements.append(
            len(set(top_k(exact, k).ids.tolist()) & set(top_k(scores, k).ids.tolist())) / k
        )
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


__all__ = [
    "InvalidBundle",
    "PublicParts",
    "etag",
    "item_table",
    "probe_report",
    "public_parts",
    "read_bundle",
]


def validate_and_publish(
    *, engine: Engine, scoring: ScoringService, store: LedgerStore, model_id: int
) -> None:
    """Background step of a deployment: probe the model through the encrypted path, then
    publish it (stake escrowed, ledger entry) or reject it with a diagnostic."""
    loader = stored_items(engine, model_id)
    with Session(engine) as session:
        model = session.get(ModelVersion, model_id)
        if model is None or model.status != ModelStatus.PENDING:
            return
        model.status = ModelStatus.VALIDATING  # visible while the probe runs
        session.add(model)
        session.commit()
        developer = session.get(Developer, model.developer_id)
        assert developer is not None
        try:
            passed, report = probe_report(
                loader(),
                lambda query, keys: scoring.score_blocking(model_id, loader, query, keys),
                seed=model_id,
            )
        except Exception as error:  # whatever failed, the developer reads why
            passed, report = False, json.dumps({"probe": "error", "error": str(error)[:500]})
        model.diagnostics = report
        if passed:
            try:
                crud.publish_model(session=session, store=store, model=model, developer=developer)
                return
            except LedgerError as error:
                model = session.get(ModelVersion, model_id)
                assert model is not None
                model.diagnostics = f"{report}\nnot published: {error}"
        model.status = ModelStatus.REJECTED
        session.add(model)
        session.commit()
        scoring.drop(model_id)
