"""Recommendation quality on the shipped data: baselines tuned on validation, and every reference
model scored in plaintext and through the crypto engine (encrypt, score, decrypt).

    python -m benchmarks.quality --json out.json [--datasets online-retail goodbooks lastfm]
    python -m benchmarks.quality --little-history --json out.json   # readers with few books

Baselines' hyperparameters are picked on each task's validation split, never on test; each
two-tower model is compared with the strongest baseline by a paired bootstrap interval.

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
from dataclasses import dataclass
from functools import partial
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
from recommenders.baselines import (
    ALS,
    EASE,
    ItemKNN,
    MostBought,
    Popularity,
    RecentPopularity,
    blend,
)
from recommenders.built_model import user_vectors as reference_user_vectors
from recommenders.bundle import Bundle, load_bundle
from recommenders.cross import build_cross_books, truncated_events, tuning_table
from recommenders.datasets import Split
from recommenders.embeddings import Embedder, TextEmbedder
from recommenders.evaluation import (
    EvaluationResult,
    evaluate,
    interaction_matrix,
    paired_difference,
    recall_per_user,
    top_items,
)
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
)
from recommenders.model_kinds import content_model
from recommenders.reference import REFERENCE_MODELS, build_reference_model
from recommenders.tasks import Task, load_task
from recommenders.training_examples import TitleTable

FloatArray = NDArray[np.float64]

K = 20
PLACES_DATASET = "osm-helsinki"  # no interaction data: measured by benchmarks/quality_places.py
# Hyperparameter grids; every choice is made on the task's validation split (a split of the
# training part made like the test split), then the chosen setting is refitted and tested.
EASE_L2 = (1.0, 10.0, 100.0, 200.0, 500.0, 1000.0)
ALS_GRID = ((64, 0.01, 1.0), (128, 0.01, 1.0), (128, 1.0, 1.0), (128, 1.0, 10.0))
RECENT_WINDOW_DAYS = (7.0, 14.0, 30.0, 60.0)
BLEND_WEIGHTS = (0.1, 0.2, 0.3, 0.5)
# The purchases protocol where re-buys count: the same training data as "online-retail", the
# whole last basket is the test, and bought items may be recommended.
REBUYS = "online-retail-rebuys"
TRAINED_ON = {REBUYS: "online-retail"}
BOOTSTRAP_SEED = 0
COLUMNS = (
    "dataset",
    "model",
    "validation_recall_at_20",
    "recall_at_20",
    "ndcg_at_20",
    "encrypted_recall_at_20",
    "encrypted_ndcg_at_20",
    "users",
    "build_s",
)
COMPARISON_COLUMNS = (
    "dataset",
    "model",
    "baseline",
    "recall_difference",
    "ci95_low",
    "ci95_high",
    "relative",
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


class SplitScores:
    """A split's training data seen by the baselines, and their scores for its test users."""

    def __init__(self, task: Task, split: Split) -> None:
        self.task = task
        self.split = split
        self.users = split.test_users()
        # Baselines learn from what the reference models learn from: the task's training data,
        # side data included (goodbooks' to-read marks), or the validation's training part.
        self.learn_from = task.train if split is task.split else split.train
        n_users = int(max(self.learn_from.users.max(), self.users.max())) + 1
        self.train = interaction_matrix(self.learn_from, n_users, task.items)
        self.history = self.train[self.users]
        counts = interaction_matrix(self.learn_from, n_users, task.items, binary=False)
        self.counts = counts[self.users]
        moments = task.query_times(split)
        self.times = np.array([int(moments[int(u)].timestamp()) for u in self.users])
        self._ease: dict[float, FloatArray] = {}
        self._recent: dict[float, FloatArray] = {}

    def ease(self, l2: float) -> FloatArray:
        if l2 not in self._ease:
            self._ease[l2] = EASE(l2).fit(self.train).score(self.history)
        return self._ease[l2]

    def recent(self, window_days: float) -> FloatArray:
        if window_days not in self._recent:
            popularity = RecentPopularity(window_days).fit(self.learn_from, self.task.items)
            self._recent[window_days] = popularity.score_at(self.times)
        return self._recent[window_days]

    def evaluate(self, scores: NDArray[np.floating]) -> EvaluationResult:
        position = {int(user): row for row, user in enumerate(self.users.tolist())}
        return evaluate(
            lambda batch, _: scores[[position[int(u)] for u in batch]],
            self.split,
            self.task.items,
            k=K,
            exclude_seen=self.task.name != REBUYS,
        )


# A baseline family: each setting's label and how to score a split's test users with it.
Family = dict[str, Callable[[SplitScores], FloatArray]]


def _families(task: Task) -> dict[str, Family]:
    families: dict[str, Family] = {
        "popularity": {"popularity": lambda s: Popularity().fit(s.train).score(s.history)},
        "item-knn": {"item-knn": lambda s: ItemKNN().fit(s.train).score(s.history)},
        "ease": {f"ease (l2={l2:g})": partial(SplitScores.ease, l2=l2) for l2 in EASE_L2},
        "als": {
            f"als (factors={f}, reg={r:g}, alpha={a:g})": partial(_als, factors=f, reg=r, alpha=a)
            for f, r, a in ALS_GRID
        },
    }
    if task.train.times is not None:
        families["ease + recent popularity"] = {
            f"ease (l2={l2:g}) + recent popularity ({days:g} d, weight {w:g})": partial(
                _ease_recent, l2=l2, days=days, weight=w
            )
            for l2 in EASE_L2
            for days in RECENT_WINDOW_DAYS
            for w in BLEND_WEIGHTS
        }
    if task.name == REBUYS:
        families["most bought"] = {"most bought": lambda s: MostBought().score(s.counts)}
        families["most bought + recent popularity"] = {
            f"most bought + recent popularity ({days:g} d, weight {w:g})": partial(
                _bought_recent, days=days, weight=w
            )
            for days in RECENT_WINDOW_DAYS
            for w in BLEND_WEIGHTS
        }
    return families


def _als(scores: SplitScores, *, factors: int, reg: float, alpha: float) -> FloatArray:
    model = ALS(factors, reg, alpha=alpha).fit(scores.train)
    return model.score(scores.history)


def _ease_recent(scores: SplitScores, *, l2: float, days: float, weight: float) -> FloatArray:
    return blend(scores.ease(l2), scores.recent(days), weight)


def _bought_recent(scores: SplitScores, *, days: float, weight: float) -> FloatArray:
    return blend(MostBought().score(scores.counts), scores.recent(days), weight)


def baseline_rows(task: Task) -> tuple[list[dict[str, Any]], dict[str, EvaluationResult]]:
    """Per baseline family, the setting best on validation, refitted and tested; and the test
    results by label (for paired comparisons)."""
    if task.validation is None:
        raise ValueError(f"{task.name} has no validation split to choose the baselines on")
    validation, test = SplitScores(task, task.validation), SplitScores(task, task.split)
    rows, results = [], {}
    for family, settings in _families(task).items():
        print(f"... {family}", file=sys.stderr, flush=True)
        on_validation = {
            label: validation.evaluate(score(validation)).recall
            for label, score in settings.items()
        }
        label = max(on_validation, key=lambda name: on_validation[name])
        started = time.perf_counter()
        result = test.evaluate(settings[label](test))
        results[label] = result
        rows.append(
            _row(
                task.name,
                label,
                result,
                validation_recall_at_20=on_validation[label],
                build_s=time.perf_counter() - started,
            )
        )
        if family == "ease" and task.train is not task.split.train:
            # Side data (goodbooks' to-read marks) as EASE's input lowers its recall: the
            # variant fed only the split's own history (rated books) is measured too, with
            # the l2 chosen above (validation's training part cannot tell the two apart).
            started = time.perf_counter()
            l2 = float(label.removeprefix("ease (l2=").removesuffix(")"))
            rated = interaction_matrix(task.split.train, test.train.shape[0], task.items)
            model = EASE(l2).fit(test.train)
            variant = f"{label}, rated history"
            results[variant] = test.evaluate(model.score(rated[test.users]))
            rows.append(
                _row(task.name, variant, results[variant], build_s=time.perf_counter() - started)
            )
    return rows, results


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


@dataclass(frozen=True)
class BuiltBundle:
    bundle: Bundle
    build_s: float


def reference_rows(
    task: Task, embedder: Embedder, workdir: Path, built: dict[str, BuiltBundle]
) -> tuple[list[dict[str, Any]], dict[str, EvaluationResult]]:
    """Every reference model trained on ``task``'s training data, run as the device runs it,
    in plaintext and (new-items protocols) encrypted. ``built`` caches bundles across tasks
    that share training data."""
    trained_on = TRAINED_ON.get(task.name, task.name)
    scores = SplitScores(task, task.split)
    table = TitleTable(list(task.catalog.titles), embedder)
    rows, results = [], {}
    for name, spec in REFERENCE_MODELS.items():
        if spec.dataset != trained_on:
            continue
        print(f"... {name}", file=sys.stderr, flush=True)
        if name not in built:
            started = time.perf_counter()
            training_task = task if trained_on == task.name else load_task(trained_on)
            model = build_reference_model(
                name, embedder=embedder, task=training_task, progress=False
            )
            build_s = time.perf_counter() - started
            loaded = load_bundle(model.save(workdir / name), feature_schema=FEATURE_SCHEMA_VERSION)
            built[name] = BuiltBundle(loaded, build_s)
        bundle = built[name].bundle
        vectors = user_vectors(bundle, task, scores.users, table)
        plain = scores.evaluate(vectors @ bundle.items.astype(np.float64).T)
        results[name] = plain
        extra: dict[str, Any] = {"build_s": built[name].build_s}
        if task.name != REBUYS:  # the protocol's scores are the same; once is enough
            encrypted = encrypted_scores(bundle.items, vectors)
            encrypted_result = scores.evaluate(encrypted)
            extra |= {
                "encrypted_recall_at_20": encrypted_result.recall,
                "encrypted_ndcg_at_20": encrypted_result.ndcg,
                "max_abs_score_error": float(
                    np.abs(encrypted - vectors @ bundle.items.astype(np.float64).T).max()
                ),
            }
        rows.append(_row(task.name, name, plain, **extra))
    return rows, results


def comparison_rows(
    task: Task,
    baselines: dict[str, EvaluationResult],
    references: dict[str, EvaluationResult],
) -> list[dict[str, Any]]:
    """Each interaction-trained reference model against the strongest baseline on test, with
    a paired 95% bootstrap interval over the test users (seeded)."""
    strongest = max(baselines, key=lambda label: baselines[label].recall)
    rows = []
    for name, result in references.items():
        if REFERENCE_MODELS[name].kind != "two-tower":
            continue
        difference = paired_difference(
            result.user_recalls,
            baselines[strongest].user_recalls,
            np.random.default_rng(BOOTSTRAP_SEED),
        )
        rows.append(
            {
                "dataset": task.name,
                "model": name,
                "baseline": strongest,
                "recall_difference": difference.mean,
                "ci95_low": difference.low,
                "ci95_high": difference.high,
                "relative": f"{difference.mean / baselines[strongest].recall:+.1%}",
            }
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
    cross, tuning = build_cross_books(task, task.validation_task(), embedder, name="cross-books")
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
                difference = paired_difference(
                    recalls["cross-books"], recalls[other], np.random.default_rng(BOOTSTRAP_SEED)
                )
                row.update(
                    vs_cross_books=difference.mean,
                    ci95_low=difference.low,
                    ci95_high=difference.high,
                )
    return rows, tuning_table(tuning)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets",
        nargs="+",
        default=["online-retail", REBUYS, "goodbooks", "stackexchange", "lastfm", PLACES_DATASET],
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
    comparisons: list[dict[str, Any]] = []
    built: dict[str, BuiltBundle] = {}
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
            baseline, baseline_results = baseline_rows(task)
            reference, reference_results = reference_rows(task, embedder, Path(workdir), built)
            rows += baseline + reference
            comparisons += comparison_rows(task, baseline_results, reference_results)
    if rows:
        print_table(rows, COLUMNS)
        print()
        print_table(comparisons, COMPARISON_COLUMNS)
    if places:
        print_table(places["results"], quality_places.COLUMNS)
        print("SAMPLE week's top 10:", *places["sample_week_top10"], sep="\n  ")
    write_json(
        args.json,
        {
            "benchmark": "quality",
            "machine": machine(),
            "results": rows,
            "comparisons": comparisons,
            "places": places,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
