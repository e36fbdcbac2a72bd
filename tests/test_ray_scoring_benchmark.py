"""benchmarks/ray_scoring.py's own arithmetic and arguments (the cluster runs are benchmarks)."""

from __future__ import annotations

import os

import pytest

from benchmarks.ray_scoring import busy_cores, main


def test_cores_are_this_machines_only_for_a_cluster_started_here() -> None:
    here = os.cpu_count() or 1
    assert busy_cores(here * 4, on_this_machine=True) == here
    assert busy_cores(here * 4, on_this_machine=False) == here * 4  # other machines' cores
    assert busy_cores(0.5, on_this_machine=False) == 1


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--items", "0"], "--items: 0 is not a positive whole number"),
        (["--queries", "0"], "--queries: 0 is not a positive whole number"),
        (["--actors", "2", "-1"], "--actors: -1 is not a positive whole number"),
        (["--dim", "x"], "--dim: invalid positive value"),
    ],
)
def test_bad_arguments_stop_before_any_work(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err
