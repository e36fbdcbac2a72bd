"""The federated benchmark's --quick mode on real goodbooks readers (slow: real data, and the
catalog's title embeddings on a cold cache)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from benchmarks import federated


@pytest.mark.slow
def test_quick_run_trains_privately_and_reports_every_column(
    embedding_cache_dir: Path, tmp_path: Path
) -> None:
    output = tmp_path / "federated.json"
    assert (
        federated.main(["--quick", "--cache-dir", str(embedding_cache_dir), "--json", str(output)])
        == 0
    )
    payload = json.loads(output.read_text())
    rows = {row["epsilon"]: row for row in payload["results"]}
    start = rows["-"]["recall_at_20"]
    central = rows["∞ (no DP)"]["recall_at_20"]
    assert central > start  # training on the readers beats title similarity
    clear, private = rows["∞"], rows["8"]
    assert clear["recall_at_20"] > start  # so do the federated rounds, without noise
    assert private["achieved_epsilon"] <= 8.0 + 1e-6 and private["noise_multiplier"] > 0
    assert math.isinf(clear["achieved_epsilon"])
    for row in (clear, private):
        assert row["ci95_low"] <= row["difference"] <= row["ci95_high"]
        # The upload is the masked input (4 bytes per parameter, base64-encoded), the keys
        # and one share ciphertext per neighbour: a few KB.
        masked_input = 4 * 4 / 3 * row["parameters"]
        assert masked_input < row["upload_bytes"] < masked_input + 4096
        assert row["survivors"] >= 0.9 * row["cohort"] * (1 - federated.QUICK.dropout)
    curve = payload["curves"]["∞"]
    assert curve[-1][0] == federated.QUICK.rounds


def quick_clear_part(cache_dir: Path, output: Path, *arguments: str) -> dict[str, Any]:
    """One --quick part in the clear at ε = 8 (device rate given), read back from its JSON."""
    common = ["--quick", "--clear", "--epsilon", "8", "--device-rate", "0.2"]
    command = [*common, *arguments, "--cache-dir", str(cache_dir), "--json", str(output)]
    assert federated.main(command) == 0
    part: dict[str, Any] = json.loads(output.read_text())
    return part


@pytest.mark.slow
def test_rounds_in_the_clear_train_like_the_secure_ones(
    embedding_cache_dir: Path, tmp_path: Path
) -> None:
    part = quick_clear_part(embedding_cache_dir, tmp_path / "clear.json", "--part", "federated")
    assert part["mode"] == "clear" and part["noise_multiplier"] > 0
    assert "upload_bytes" not in part  # nothing of the protocol was measured, nothing claimed
    assert part["recall_at_20"] > part["start_recall_at_20"]  # training beats title similarity
    assert len(part["per_user"]) == federated.QUICK.test_users


@pytest.mark.slow
def test_a_tuning_run_on_validation_records_what_it_changed(
    embedding_cache_dir: Path, tmp_path: Path
) -> None:
    # Several local steps per device (each device's own update, not the one-step cohort sum),
    # a released model averaged over the last rounds and narrower towers: the levers tried on
    # validation.
    changes = ["--local-steps", "2", "--average-last", "0.5", "--seed", "7", "--dim", "4"]
    part = quick_clear_part(
        embedding_cache_dir, tmp_path / "tune.json", "--part", "tune-federated", *changes
    )
    [row] = part["tuning"]
    assert row["settings"] == {"dim": 4, "local_steps": 2, "average_last": 0.5, "seed": 7}
    assert row["mode"] == "clear" and row["noise_multiplier"] > 0
    assert (
        federated.changed(row) == "dim 4, average last 0.5, local steps 2, seed 7, device rate 0.2"
    )
    assert row["validation_recall_at_20"] > row["start_recall_at_20"]  # it trains
