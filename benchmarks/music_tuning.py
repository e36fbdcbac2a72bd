"""The music models' choices, made on the Last.fm validation split only (never on test):
the two-tower's dimension, EASE warm-start l2, epochs and resamples against the baselines,
and whether each model's relevance floor passes real listeners and stops other domains.

    python -m benchmarks.music_tuning --json out.json [--grid 64:100:10:1 64:50:30:4 ...]

Floors: every shipped music model is built as `make reference-bundles` builds it, then the
best score of each group is compared with its floor: the validation users (the floor is their
1% quantile), the ListenBrainz demo listener ("Artist — Track" plays, as the app imports
them), and profiles from another domain read as music: goodbooks readers' books and Online
Retail customers' purchases.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
import torch
from numpy.typing import NDArray

from benchmarks.common import machine, print_table, write_json
from recommenders.activity import ActivityEvent, Category
from recommenders.baselines import EASE, ItemKNN, Popularity
from recommenders.built_model import BuiltModel
from recommenders.embeddings import TextEmbedder
from recommenders.evaluation import BatchScorer, evaluate, interaction_matrix
from recommenders.lastfm import (
    build_music_model,
    lastfm_task,
    listenbrainz_events,
    validation_user_vectors,
)
from recommenders.model_kinds import ease_score_factors, low_rank_ease, train_two_tower
from recommenders.reference import REFERENCE_MODELS
from recommenders.tasks import Task, books_task, retail_task
from recommenders.tower import load_tower
from recommenders.training_examples import FeatureBuilder, TitleTable, books_examples

K = 20
EASE_L2 = (50.0, 70.0, 100.0, 200.0, 500.0)
# dim:l2:epochs:resamples:warm start ("svd": of the EASE weights, "scores": of its scores)
DEFAULT_GRID = (
    "64:100:10:1:svd",
    "64:100:1:1:scores",
    "64:70:1:1:scores",
    "64:70:10:1:scores",
    "64:50:1:1:scores",
)
WARM_STARTS = {"svd": low_rank_ease, "scores": ease_score_factors}
OTHER_DOMAIN_USERS = 300
GRID_COLUMNS = ("model", "validation_recall_at_20", "validation_ndcg_at_20", "users", "build_s")
FLOOR_COLUMNS = ("model", "floor", "group", "users", "at_or_above_floor", "median_best")


def baseline_rows(tuning: Task) -> list[dict[str, Any]]:
    train = interaction_matrix(tuning.train, int(tuning.train.users.max()) + 1, tuning.items)
    models: list[tuple[str, Popularity | ItemKNN | EASE]] = [
        ("popularity", Popularity()),
        ("item-knn", ItemKNN()),
        *((f"ease (l2={l2:g})", EASE(l2)) for l2 in EASE_L2),
    ]
    rows = []
    for name, model in models:
        print(f"... {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        fitted = model.fit(train)
        result = evaluate(history_scorer(fitted), tuning.split, tuning.items, k=K)
        rows.append(grid_row(name, result.recall, result.ndcg, result.users, started))
    return rows


def history_scorer(model: Popularity | ItemKNN | EASE) -> BatchScorer:
    return lambda _, history: model.score(history)


def lookup(scores: NDArray[np.float32], position: dict[int, int]) -> BatchScorer:
    """Scores computed beforehand, one row per user (``position`` gives the row)."""
    return lambda batch, _: scores[[position[int(u)] for u in batch]]


def grid_row(name: str, recall: float, ndcg: float, users: int, started: float) -> dict[str, Any]:
    return {
        "model": name,
        "validation_recall_at_20": recall,
        "validation_ndcg_at_20": ndcg,
        "users": users,
        "build_s": time.perf_counter() - started,
    }


def two_tower_rows(
    tuning: Task,
    table: TitleTable,
    grid: list[str],
    *,
    name: str = "music-two-tower",
    predicted: NDArray[np.bool_] | None = None,
) -> list[dict[str, Any]]:
    """Each "dim:l2:epochs:resamples:warm" trained on validation.train, scored on
    validation.test; ``predicted`` as in books_examples (which rows may be targets)."""
    users = tuning.split.test_users()
    rows_of = FeatureBuilder(tuning, table).test_rows(users)
    position = {int(u): i for i, u in enumerate(users.tolist())}
    rows = []
    for config in grid:
        dim, l2, epochs, resamples, warm = config.split(":")
        print(f"... two-tower {config}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        model = train_two_tower(
            tuning,
            table,
            name=name,
            dim=int(dim),
            l2=float(l2),
            epochs=int(epochs),
            progress=False,
            examples=functools.partial(
                books_examples, tuning, resamples=int(resamples), predicted=predicted
            ),
            warm_start=WARM_STARTS[warm],
        )
        tower = load_tower(model.manifest, model.tower)
        with torch.no_grad():
            scores = tower(torch.from_numpy(rows_of.toarray())).numpy() @ model.items.T
        result = evaluate(lookup(scores, position), tuning.split, tuning.items, k=K)
        label = f"two-tower d={dim} l2={l2} epochs={epochs} resamples={resamples} warm={warm}"
        rows.append(grid_row(label, result.recall, result.ndcg, result.users, started))
    return rows


def as_music(events: list[ActivityEvent]) -> list[ActivityEvent]:
    """Another domain's activity read as if it were music (a mislabelled import)."""
    return [
        ActivityEvent(Category.MUSIC, "elsewhere", e.title, None, e.time, e.weight) for e in events
    ]


def best_scores(
    built: BuiltModel, histories: list[list[ActivityEvent]], table: TitleTable, task: Task
) -> NDArray[np.float64]:
    reads_history = any(block.kind == "catalog_history" for block in built.manifest.inputs)
    features = FeatureBuilder(task, table, history=reads_history)
    now = datetime(2026, 8, 2, tzinfo=UTC)
    rows = features.rows([(events, max(now, *(e.time for e in events))) for events in histories])
    tower = load_tower(built.manifest, built.tower)
    with torch.no_grad():
        vectors = tower(torch.from_numpy(rows.toarray())).numpy().astype(np.float64)
    best: NDArray[np.float64] = (vectors @ built.items.astype(np.float64).T).max(axis=1)
    return best


def floor_rows(task: Task, embedder: TextEmbedder) -> list[dict[str, Any]]:
    rng = np.random.default_rng(0)
    groups: dict[str, list[list[ActivityEvent]]] = {
        "listenbrainz demo user": [listenbrainz_events()]
    }
    for other in (books_task(), retail_task()):
        users = rng.choice(np.unique(other.train.users), OTHER_DOMAIN_USERS, replace=False)
        groups[f"{other.name} users as music"] = [as_music(other.events(int(u))) for u in users]
    titles = {e.title for histories in groups.values() for h in histories for e in h}
    table = TitleTable([*task.catalog.titles, *sorted(titles)], embedder)
    tuning = task.validation_task()
    rows = []
    for name, spec in REFERENCE_MODELS.items():
        if spec.dataset != task.name:
            continue
        print(f"... {name}", file=sys.stderr, flush=True)
        built = build_music_model(name, spec.kind, task, embedder, progress=False)
        floor = built.manifest.relevance_floor
        assert floor is not None
        validation = validation_user_vectors(built, tuning, table) @ built.items.T
        scored = {"validation users": validation.max(axis=1).astype(np.float64)}
        scored |= {group: best_scores(built, h, table, task) for group, h in groups.items()}
        for group, best in scored.items():
            rows.append(
                {
                    "model": name,
                    "floor": floor,
                    "group": group,
                    "users": int(best.size),
                    "at_or_above_floor": float(np.mean(best >= floor)),
                    "median_best": float(np.median(best)),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", nargs="*", default=list(DEFAULT_GRID), metavar="D:L2:E:R:W")
    parser.add_argument("--no-floors", action="store_true", help="skip the floor check")
    parser.add_argument("--floors-only", action="store_true", help="skip baselines and grid")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(platformdirs.user_cache_dir("privrec")),
        help="where title embeddings are cached",
    )
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    embedder = TextEmbedder(args.cache_dir)
    task = lastfm_task()
    tuning = task.validation_task()
    table = TitleTable(list(task.catalog.titles), embedder)
    grid = []
    if not args.floors_only:
        grid = baseline_rows(tuning) + two_tower_rows(tuning, table, args.grid)
        print_table(grid, GRID_COLUMNS)
    floors = [] if args.no_floors else floor_rows(task, embedder)
    if floors:
        print_table(floors, FLOOR_COLUMNS)
    write_json(
        args.json,
        {"benchmark": "music_tuning", "machine": machine(), "grid": grid, "floors": floors},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
