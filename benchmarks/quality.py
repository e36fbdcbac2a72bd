"""Recommendation quality on the shipped data: baselines, and every reference model scored in
plaintext and through the crypto engine (encrypt, score, decrypt), on the same test users.

    python -m benchmarks.quality --json out.json [--datasets online-retail goodbooks lastfm]
    python -m benchmarks.quality --little-history --json out.json   # readers with few books

Reference models run the way the device runs them: the bundle is saved and loaded back, the
features come from ``extract_features``, and the tower is rebuilt from the manifest.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
from numpy.typing import NDArray

from benchmarks.common import machine, print_table, write_json
from crypto import (
    EvaluationKeys,
    SecretKeys,
    TableScorer,
    decrypt_scores,
    encrypt_query,
)
from recommenders.activity import ActivityEvent
from recommenders.baselines import EASE, ItemKNN, Popularity
from recommenders.bundle import Bundle, load_bundle
from recommenders.cross import build_cross_books, truncated_events, tuning_table
from recommenders.embeddings import Embedder, TextEmbedder
from recommenders.evaluation import (
    BatchScorer,
    EvaluationResult,
    evaluate,
    interaction_matrix,
    recall_per_user,
    top_items,
)
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
)
from recommenders.reference import (
    REFERENCE_MODELS,
    Task,
    TitleTable,
    books_validation_task,
    build_reference_model,
    content_model,
    load_task,
)
from recommenders.reference import user_vectors as reference_user_vectors

K = 20
PLACES_DATASET = "osm-helsinki"  # no interaction data: measured by benchmarks/quality_places.py
EASE_L2 = (1.0, 10.0, 100.0, 200.0, 500.0)
COLUMNS = (
    "dataset",
    "model",
    "recall_at_20",
    "ndcg_at_20",
    "encrypted_recall_at_20",
    "encrypted_ndcg_at_20",
    "users",
    "build_s",
)


def _row(dataset: str, model: str, result: EvaluationResult, **extra: Any) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "model": model,
        "recall_at_20": result.recall,
        "ndcg_at_20": result.ndcg,
        "users": result.users,
        **extra,
    }


def _history_scorer(model: Popularity | ItemKNN | EASE) -> BatchScorer:
    return lambda _, history: model.score(history)


def baseline_rows(task: Task, validation: Task | None = None) -> list[dict[str, Any]]:
    train = interaction_matrix(task.train, int(task.train.users.max()) + 1, task.items)
    rows = []
    for name, model in (("popularity", Popularity()), ("item-knn", ItemKNN())):
        started = time.perf_counter()
        result = evaluate(_history_scorer(model.fit(train)), task.split, task.items, k=K)
        rows.append(_row(task.name, name, result, build_s=time.perf_counter() - started))
    # EASE's regularisation is picked on the validation stage where the dataset has one, else
    # on the test split itself: if anything that flatters the baseline the reference models
    # are compared with.
    tuning = validation or task
    tuning_train = interaction_matrix(tuning.train, int(tuning.train.users.max()) + 1, task.items)

    def tuned_recall(l2: float) -> float:
        scorer = _history_scorer(EASE(l2).fit(tuning_train))
        return evaluate(scorer, tuning.split, task.items, k=K).recall

    l2 = max(EASE_L2, key=tuned_recall)
    started = time.perf_counter()
    result = evaluate(_history_scorer(EASE(l2).fit(train)), task.split, task.items, k=K)
    return [
        *rows,
        _row(task.name, f"ease (l2={l2:g})", result, build_s=time.perf_counter() - started),
    ]


def user_vectors(
    bundle: Bundle,
    task: Task,
    users: NDArray[np.int64],
    embedder: Embedder,
    events: Callable[[int], list[ActivityEvent]] | None = None,
) -> NDArray[np.float64]:
    """Each test user's tower output, computed exactly as the client computes it, from
    ``events(user)`` (by default the user's whole training history)."""
    return reference_user_vectors(
        bundle.manifest, bundle.tower, bundle.catalog, task, users, embedder, events
    )


def encrypted_scores(
    items: NDArray[np.float32], vectors: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Scores of every item for every user, each through encrypt -> score -> decrypt."""
    keys = SecretKeys.generate()
    eval_keys = EvaluationKeys.from_bytes(keys.evaluation_keys())
    with TableScorer(items) as scorer:
        rows = []
        for vector in vectors:
            query = encrypt_query(keys, vector)
            rows.append(decrypt_scores(keys, scorer.score(query.wire, eval_keys), query))
    return np.asarray(rows)


def reference_rows(task: Task, embedder: Embedder, workdir: Path) -> list[dict[str, Any]]:
    users = task.split.test_users()
    position = {int(user): row for row, user in enumerate(users.tolist())}
    table = TitleTable(list(task.catalog.titles), embedder)
    rows = []
    for name, spec in REFERENCE_MODELS.items():
        if spec.dataset != task.name:
            continue
        print(f"... {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        built = build_reference_model(name, embedder=embedder, task=task, progress=False)
        build_s = time.perf_counter() - started
        bundle = load_bundle(built.save(workdir / name), feature_schema=FEATURE_SCHEMA_VERSION)
        vectors = user_vectors(bundle, task, users, table)
        plain = vectors @ bundle.items.astype(np.float64).T
        encrypted = encrypted_scores(bundle.items, vectors)

        def lookup(scores: NDArray[np.float64]) -> Any:
            return lambda batch, _: scores[[position[int(u)] for u in batch]]

        plain_result = evaluate(lookup(plain), task.split, task.items, k=K)
        encrypted_result = evaluate(lookup(encrypted), task.split, task.items, k=K)
        rows.append(
            _row(
                task.name,
                name,
                plain_result,
                encrypted_recall_at_20=encrypted_result.recall,
                encrypted_ndcg_at_20=encrypted_result.ndcg,
                max_abs_score_error=float(np.abs(encrypted - plain).max()),
                build_s=build_s,
            )
        )
    return rows


# --- Readers with little book history: cross-books against the books-only models ----------

LITTLE_HISTORY_BOOKS = (0, 1, 3, None)  # books the device knows of each reader (None: all)
LITTLE_HISTORY_MODELS = ("books-two-tower", "books-popular")  # beside cross-books
LITTLE_HISTORY_COLUMNS = (
    "books_known",
    "model",
    "recall_at_20",
    "vs_cross_books",
    "ci95_low",
    "ci95_high",
    "distinct_lists",
    "below_floor",
    "users",
)
VALIDATION_COLUMNS = ("item_text", "dim", "popularity", "validation_recall_at_20", "chosen")
BOOTSTRAP_RESAMPLES = 2000


def paired_difference(
    first: NDArray[np.float64], second: NDArray[np.float64], *, seed: int = 0
) -> tuple[float, float, float]:
    """Mean of ``first - second`` over the same users, and its 95% interval from a seeded
    bootstrap over users."""
    differences = first - second
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, differences.size, size=(BOOTSTRAP_RESAMPLES, differences.size))
    means = differences[picks].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return float(differences.mean()), float(low), float(high)


def little_history_rows(
    task: Task, embedder: Embedder, workdir: Path
) -> tuple[list[dict[str, Any]], list[dict[str, object]]]:
    """Recall@20 of each model for the test readers when the device knows only 0, 1 or 3 of
    their training books (chosen at random per reader) or all of them, paired with
    cross-books's on the same readers. Books in the reader's training history are never
    recommended, as in evaluate. Also: how many different lists a model returns to the
    readers before their read books are taken out, and the share of readers whose best
    score is below the model's relevance floor (the app says nothing fits instead). Second:
    cross-books's validation run, every setting it tried."""
    users = task.split.test_users()
    seen = task.seen(users)
    n_users = int(users.max()) + 1
    test = interaction_matrix(task.split.test, n_users, task.items)[users]
    table = TitleTable(list(task.catalog.titles), embedder)
    cross, tuning = build_cross_books(
        task, books_validation_task(task), embedder, name="cross-books"
    )
    built = {"cross-books": cross}
    for name in LITTLE_HISTORY_MODELS:
        built[name] = build_reference_model(name, embedder=embedder, task=task, progress=False)
    built["books-content"] = content_model(task, table, name="books-content", dim=64)
    bundles = {
        name: load_bundle(model.save(workdir / name), feature_schema=FEATURE_SCHEMA_VERSION)
        for name, model in built.items()
    }
    rows: list[dict[str, Any]] = []
    for books in LITTLE_HISTORY_BOOKS:
        print(f"... {books} books known", file=sys.stderr, flush=True)
        recalls: dict[str, NDArray[np.float64]] = {}
        for name, bundle in bundles.items():
            known = functools.partial(truncated_events, task, books=books)
            vectors = user_vectors(bundle, task, users, table, known)
            scores = vectors @ bundle.items.astype(np.float64).T
            recalls[name] = recall_per_user(scores, seen, test, K)
            floor = bundle.manifest.relevance_floor
            rows.append(
                {
                    "books_known": "all" if books is None else books,
                    "model": name,
                    "recall_at_20": float(recalls[name].mean()),
                    "distinct_lists": len({tuple(top_items(row, K).tolist()) for row in scores}),
                    "below_floor": None if floor is None else float(np.mean(scores.max(1) < floor)),
                    "users": int(users.size),
                }
            )
        for row in rows[-len(bundles) :]:
            other = str(row["model"])
            if other != "cross-books":
                diff, low, high = paired_difference(recalls["cross-books"], recalls[other])
                row.update(vs_cross_books=diff, ci95_low=low, ci95_high=high)
    return rows, tuning_table(tuning)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        default=["online-retail", "goodbooks", "stackexchange", "lastfm", PLACES_DATASET],
        metavar="NAME",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(platformdirs.user_cache_dir("privrec")),
        help="where title embeddings are cached",
    )
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument(
        "--little-history",
        action="store_true",
        help="only the table of goodbooks readers with few books known (cross-books)",
    )
    args = parser.parse_args(argv)
    embedder = TextEmbedder(args.cache_dir)
    if args.little_history:
        with tempfile.TemporaryDirectory() as workdir:
            little, tried = little_history_rows(load_task("goodbooks"), embedder, Path(workdir))
        print_table(tried, VALIDATION_COLUMNS)
        print_table(little, LITTLE_HISTORY_COLUMNS)
        payload = {
            "benchmark": "quality-little-history",
            "machine": machine(),
            "results": little,
            "validation": tried,
        }
        write_json(args.json, payload)
        return 0
    rows: list[dict[str, Any]] = []
    places: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as workdir:
        for dataset in args.datasets:
            print(f"... {dataset}", file=sys.stderr, flush=True)
            if dataset == PLACES_DATASET:
                # Imported here: it scores through this module's encrypted_scores.
                from benchmarks import quality_places

                table, sample_week = quality_places.places_rows(embedder, Path(workdir))
                places = {"results": table, "sample_week_top10": sample_week}
                continue
            task = load_task(dataset)
            validation = load_task(dataset, validation=True) if task.validation else None
            rows += baseline_rows(task, validation)
            rows += reference_rows(task, embedder, Path(workdir))
    if rows:
        print_table(rows, COLUMNS)
    if places:
        print_table(places["results"], quality_places.COLUMNS)
        print("SAMPLE week's top 10:", *places["sample_week_top10"], sep="\n  ")
    write_json(
        args.json,
        {"benchmark": "quality", "machine": machine(), "results": rows, "places": places},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
