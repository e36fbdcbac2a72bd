"""The books two-tower's choices, made on the goodbooks validation split only (never on test):
warm start, EASE l2, epochs, draws per reader and which books are targets, against EASE fed
all activity or the rated books only.

    python -m benchmarks.books_tuning --json out.json [--grid 80:100:1:4:scores:rated ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from benchmarks import music_tuning
from benchmarks.common import machine, print_table, write_json
from benchmarks.music_tuning import GRID_COLUMNS, grid_row, lookup
from recommenders.baselines import EASE
from recommenders.datasets import load_goodbooks
from recommenders.embeddings import TextEmbedder
from recommenders.evaluation import evaluate, interaction_matrix
from recommenders.tasks import Task, books_task, rated_liked
from recommenders.training_examples import TitleTable

K = 20
EASE_L2 = (100.0, 200.0, 500.0)
# dim:l2:epochs:resamples:warm start:targets ("liked": rated >= 4 and to-read marks, every
# reader's; "rated": only books rated >= 4, so only raters' examples).
DEFAULT_GRID = (
    "80:200:10:1:svd:liked",
    "80:200:10:1:svd:rated",
    "80:200:10:4:svd:rated",
    "80:100:10:4:svd:rated",
    "80:100:1:4:scores:rated",
)


def baseline_rows(tuning: Task) -> list[dict[str, Any]]:
    """EASE fitted on all training activity, scored from it and from the rated books alone."""
    n_users = int(tuning.train.users.max()) + 1
    train = interaction_matrix(tuning.train, n_users, tuning.items)
    ratings = len(tuning.train) - len(load_goodbooks().to_read)  # to-read marks come last
    rated_rows = tuning.train.select(np.arange(len(tuning.train)) < ratings)
    rated = interaction_matrix(rated_rows, n_users, tuning.items)
    users = tuning.split.test_users()
    position = {int(u): i for i, u in enumerate(users.tolist())}
    rows = []
    for l2 in EASE_L2:
        print(f"... ease l2={l2:g}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        weights = EASE(l2).fit(train).weights
        assert weights is not None
        scores = {"": train[users] @ weights, ", rated history": rated[users] @ weights}
        for label, scored in scores.items():
            result = evaluate(lookup(np.asarray(scored), position), tuning.split, tuning.items, k=K)
            name = f"ease (l2={l2:g}){label}"
            rows.append(grid_row(name, result.recall, result.ndcg, result.users, started))
    return rows


def two_tower_rows(tuning: Task, table: TitleTable, grid: list[str]) -> list[dict[str, Any]]:
    """Each "dim:l2:epochs:resamples:warm:targets" trained on validation.train, scored on
    validation.test as the device computes it."""
    rows = []
    for config in grid:
        *setting, targets = config.split(":")
        predicted = rated_liked(tuning) if targets == "rated" else None
        (row,) = music_tuning.two_tower_rows(
            tuning, table, [":".join(setting)], name="books-two-tower", predicted=predicted
        )
        rows.append(row | {"model": f"{row['model']} targets={targets}"})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", nargs="*", default=list(DEFAULT_GRID), metavar="D:L2:E:R:W:T")
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    task = books_task()
    tuning = task.validation_task()
    embedder = TextEmbedder(Path(platformdirs.user_cache_dir("privrec")))
    table = TitleTable(list(task.catalog.titles), embedder)
    grid = baseline_rows(tuning) + two_tower_rows(tuning, table, args.grid)
    print_table(grid, GRID_COLUMNS)
    write_json(args.json, {"benchmark": "books_tuning", "machine": machine(), "grid": grid})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
