"""`privrec demo --headless`, three times on one directory: the whole loop runs, then reruns on
what the first run created (funding no budget unless asked with --fund); and the shipped
reference bundles are what training produces."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from client_app.demo import DEMO_DEVELOPERS
from recommenders.bundle import load_bundle
from recommenders.features import CATEGORY_ORDER, FEATURE_SCHEMA_VERSION
from recommenders.reference import REFERENCE_MODELS, build_reference_model, shipped_bundle

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def run_demo(directory: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(
        [sys.executable, "-m", "privrec_cli", "demo", "--data-dir", str(directory), *args],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_headless_demo_runs_the_loop_then_reuses_its_state(tmp_path: Path) -> None:
    first = run_demo(tmp_path, "--headless")
    for model, spec in (m for models in DEMO_DEVELOPERS.values() for m in models.items()):
        row = rf"│ {model}\s+│ {spec.stake}\s+│ {spec.bid}\s+│ {spec.escrow}\s+│ live\s+│"
        assert re.search(row, first), model
    assert re.search(
        r"online-retail user 12360 \(75 activities\), goodbooks user 58 \(34 activities\),\s+"
        r"stackexchange user 462 \(27 activities\), a ListenBrainz listener \(981 plays\),\s+"
        r"a SAMPLE week of Helsinki places",
        first,
    )
    assert "1136 new activities stored" in first
    # Every category has lists, each under its catalog in people's words.
    for catalog in (
        "Gift-ware of one UK online shop",
        "Popular books on Goodreads",
        "Questions on four Stack Exchange sites",
        "Artists on Last.fm",
        "Named places in central Helsinki",
    ):
        assert catalog in first, catalog
    assert "not asked" not in first and "no model on this market" not in first
    # The user likes what they really did next and dislikes only a book they rated 2 stars.
    assert "best of market: 4 liked, 0 disliked, 6 not rated" in first
    assert "rating summaries delivered: 7, still queued: 0" in first
    assert "attention paid to you for this round: 21 credits" in first
    assert "settled epoch 0" in first
    # The budget pays the four models that brought a liked item into the blended list: none
    # of it is burned (the one disliked book was outside the blend) or refunded.
    assert "funded this epoch's budget with 1,000 credits (the first run)" in first
    assert "Your budget of 1,000 credits for the last payment period was settled:" in first
    assert first.count("because it brought 1 of your liked items into the blended list") == 4
    assert "Burned" not in first and "Refunded" not in first
    assert "ledger verified" in first and "wallet balance matches the replay: True" in first
    # Without a display the app cannot open: the demo says so and runs in the terminal.
    second = run_demo(tmp_path)
    assert "no display here" in second
    assert second.count("live (reused)") == sum(len(m) for m in DEMO_DEVELOPERS.values())
    assert "0 new activities stored" in second
    # A rerun funds no budget without asking, and says so: nothing is asked of the market.
    assert "no budget this epoch: a rerun funds none without asking" in second
    assert "Encrypted queries" not in second and "funded this epoch's budget" not in second
    assert "settled epoch 1" in second and "ledger verified" in second
    # Asked (--fund), it commits another budget and runs the loop again.
    third = run_demo(tmp_path, "--headless", "--fund")
    assert "funded this epoch's budget with 1,000 credits (asked with --fund)" in third
    assert "Encrypted queries" in third and "settled epoch 2" in third
    assert (tmp_path / "demo-state.json").stat().st_mode & 0o077 == 0


def test_shipped_reference_bundles_match_their_specs() -> None:
    for name in REFERENCE_MODELS:
        bundle = load_bundle(shipped_bundle(name), feature_schema=FEATURE_SCHEMA_VERSION)
        assert bundle.manifest.name == name
        category = {
            "online-retail": "purchases",
            "goodbooks": "books",
            "stackexchange": "web",
            "osm-helsinki": "places",
            "lastfm": "music",
        }
        spec = REFERENCE_MODELS[name]
        # cross-books reads every category (each optional) to recommend goodbooks books.
        reads = CATEGORY_ORDER if spec.kind == "cross" else (category[spec.dataset],)
        assert bundle.manifest.categories == tuple(reads)
    with pytest.raises(ValueError, match="unknown reference model"):
        shipped_bundle("nonsense")


def test_a_shipped_bundle_is_byte_identical_to_a_rebuild(tmp_path: Path) -> None:
    from tests.recommenders.conftest import FakeEmbedder

    # The popularity model embeds nothing, so this rebuild is exact on any machine.
    built = build_reference_model("books-popular", embedder=FakeEmbedder(), progress=False)
    from recommenders.bundle import pack_bundle

    rebuilt = pack_bundle(built.save(tmp_path / "books-popular"))
    assert rebuilt == shipped_bundle("books-popular").read_bytes()
