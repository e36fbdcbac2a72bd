"""The Privacy screen's training part in the real app on a virtual display: the switch, the ε
limit refused and saved, the models trained with the ε they spent, and automatic training (its
first pass runs by itself, its last outcome is shown, it is paused and resumed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from client_app.training_consent import DEFAULT_EPSILON_LIMIT
from tests.client_app.conftest import SCREENS_DIR, run_driver
from tests.live_server import free_port

pytestmark = pytest.mark.ui


def test_the_privacy_screen_switches_training_and_sets_the_limit(
    display: str, tmp_path: Path
) -> None:
    (tmp_path / "exports").mkdir()
    # No identity, so the app asks the market nothing: an address nobody answers at.
    report = run_driver("training", display, f"http://127.0.0.1:{free_port()}", tmp_path)

    assert report["switches"] == {
        "web": False,
        "music": False,
        "purchases": False,
        "books": True,
        "places": False,
    }
    before = report["trained_before"]
    for shown in ("model 7", "model 12", "Books", "1 run, 2 rounds", "1.00 of 8", "0.50 of 8"):
        assert shown in before, f"{shown!r} not in the trained table: {before}"
    assert "not known" in before  # model 12's rounds are unknown: no ε against the market

    assert report["background_pass_ran"] is True
    auto = report["auto_before"]
    assert auto["switch"] is True and auto["shown"]
    assert auto["status"].startswith("Automatic training is on")
    # The record kept from another day: with no identity, this run's pass kept none.
    assert "2026-01-02" in auto["status"]
    assert auto["status"].endswith(": model 7: not picked for round 3 (random sampling).")
    paused = report["auto_paused"]
    assert paused["switch"] is False and paused["paused"]
    assert paused["notice"].startswith("Automatic training paused")
    resumed = report["auto_resumed"]
    assert resumed["switch"] is True and resumed["status"] == auto["status"]
    assert not resumed["paused"] and "by itself again" in resumed["notice"]

    music = report["music"]
    assert music["training"] and music["shown"] and not music["scoring"]
    assert music["status"] == "Models may now learn from your music, within your ε limit."

    assert report["button_disabled_at_start"] is True  # the field shows the limit as saved
    bad = report["bad_limit"]
    assert bad["is_error"] and "“lots” is not a number" in bad["status"]
    assert (bad["field"], bad["stored"]) == ("lots", DEFAULT_EPSILON_LIMIT)

    good = report["limit"]
    assert good["stored"] == 1.05 and good["field"] == "1.05"
    assert good["status"] == "Your ε limit is now 1.05 per model."
    assert good["summary"].startswith("Models may learn from: Music, Books.")
    assert "1.00 of 1.05" in good["trained"] and "0.50 of 1.05" in good["trained"]
    # "Take part now" with books and music on: the job runs and says in words why nothing
    # was sent (this user has no identity on a market yet), and no run is charged.
    assert report["take_part_enabled"] is True
    # A background pass held in its round on the training thread: the UI is idle meanwhile,
    # the button is refused in words and starts nothing, and long jobs asked for meanwhile (a
    # click's, two screens' loads) start and finish while the round is still open.
    during = report["take_part_during_pass"]
    assert during["is_error"] and during["idle"]
    assert during["status"] == (
        "Still taking part in training in the background: try again when it is done."
    )
    assert during["training_with"] == "taking part in training in the background"
    held = report["job_during_pass"]
    assert held["training_with"] == held["training_with_after"] == during["training_with"]
    assert held["idle"] and held["shown"] and held["round_still_open"]
    assert held["delivered"] and held["delivered"][0].startswith("Your ")
    assert report["held_pass_ended"] is True
    taken = report["take_part"]
    assert taken["is_error"] and "no identity yet" in taken["status"].lower()
    assert "no identity yet" in taken["outcome"].lower() and taken["history"] == 2
    assert report["take_part_disabled_when_off"] is True
    assert (SCREENS_DIR / "privacy_training.png").exists()
