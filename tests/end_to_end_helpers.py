"""Shared steps of the end-to-end tests: deploy models through the developer API, pick the
items of a round whose votes count for one model only, run the ``privrec`` CLI against a live
market's database, export and read back the ledger."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from client_app.ranking import ItemKey
from client_app.rounds import ModelList, RecommendationRound
from ledger.economy import ATTENTION_MEMO, user_account
from ledger.entries import Entry
from recommenders.activity import ActivityEvent, Category
from tests.factories import Deployed, ModelSpec, deploy_models
from tests.live_server import LiveServer

BPS = 10_000
ITEMS = 60
DIM = 8


def deploy(url: str, workdir: Path, specs: Sequence[ModelSpec]) -> Deployed:
    """Deploy the end-to-end tests' models (ITEMS x DIM bundles) and wait until each is live."""
    return deploy_models(url, workdir, specs, items=ITEMS, dim=DIM)


def events(category: Category, source: str, *titles: str) -> list[ActivityEvent]:
    """One activity per title, a day apart, most recent first."""
    now = datetime.now(UTC)
    return [
        ActivityEvent(category, source, title, None, now - timedelta(days=i))
        for i, title in enumerate(titles)
    ]


# --- rating a round ------------------------------------------------------------------------------


def brought_only_by(round_: RecommendationRound, entry: ModelList, count: int) -> list[ItemKey]:
    """``count`` items of the round's blended list that only ``entry``'s model proposed, best
    first. Leaving that model out drops them from the blend (and no other list has them), so a
    vote on one counts +1 (like) or -1 (dislike) in its contribution alone."""
    found = [b.key for b in round_.blended if b.models == (entry.model.label,)]
    assert len(found) >= count, f"{entry.model.label} brought only {found} into the blend"
    return found[:count]


def outside_the_blend(round_: RecommendationRound, entry: ModelList) -> str:
    """An item id of ``entry``'s list in no other list and not in the blended list: a vote on
    it counts in the list's summary (liked or disliked) but in no model's contribution."""
    blended = {b.key for b in round_.blended}
    elsewhere = {
        (item.source, item.item_id)
        for other in round_.lists
        if other is not entry
        for item in other.items
    }
    for item in entry.items:
        if (item.source, item.item_id) not in blended | elsewhere:
            return item.item_id
    raise AssertionError(f"every item of {entry.model.label} is in the blend or another list")


# --- the CLI against the market's database --------------------------------------------------


def run_cli(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m privrec_cli ARGS`` with the given environment; never raises on failure."""
    return subprocess.run(
        [sys.executable, "-m", "privrec_cli", *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settle(server: LiveServer, epoch: int | None = None) -> str:
    """``privrec market settle [--epoch N]`` on the server's database; its output."""
    return server.settle(epoch)


def verify_with_cli(path: Path, market_key: str) -> subprocess.CompletedProcess[str]:
    """``privrec ledger verify FILE --market-key HEX`` (exit status 0 when the ledger holds)."""
    return run_cli(os.environ, "ledger", "verify", str(path), "--market-key", market_key)


# --- the public ledger -------------------------------------------------------------------------


def market_public_key(url: str) -> str:
    answer = httpx.get(f"{url}/v1/ledger/key", timeout=30)
    answer.raise_for_status()
    key: str = answer.json()["public_key"]
    return key


def export_ledger(url: str, path: Path) -> list[str]:
    """GET /v1/ledger into ``path``; the lines."""
    answer = httpx.get(f"{url}/v1/ledger", timeout=60)
    answer.raise_for_status()
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    path.write_bytes(answer.content)
    return [line for line in answer.text.splitlines() if line]


def parse(lines: Sequence[str]) -> list[Entry]:
    return [Entry.from_json_line(line) for line in lines]


def attention_to(entries: Sequence[Entry], user: str) -> list[Entry]:
    """The attention transfers a user received (one per paid impression; the fee goes apart)."""
    return [
        e
        for e in entries
        if e.kind == "transfer"
        and str(e.body["memo"]).startswith(ATTENTION_MEMO)
        and e.body["to"] == user_account(user)
    ]


def ratings_per_impression(entries: Sequence[Entry]) -> Counter[str]:
    return Counter(str(e.body["impression_id"]) for e in entries if e.kind == "rating")


LEADERBOARD_COLUMNS = (
    "impressions",
    "ratings",
    "funded_liked",
    "funded_disliked",
    "unfunded_liked",
    "unfunded_disliked",
    "contribution_paid_for",
    "contribution_voted_against",
    "earnings",
    "stake",
    "escrow",
)


def leaderboard(url: str) -> dict[str, dict[str, int]]:
    """GET /v1/leaderboard as model name -> the numbers of its row."""
    answer = httpx.get(f"{url}/v1/leaderboard", timeout=30)
    answer.raise_for_status()
    return {row["name"]: {k: row[k] for k in LEADERBOARD_COLUMNS} for row in answer.json()}


def listed_models(url: str) -> set[str]:
    """The names GET /v1/models lists: live models whose escrow backs their bid."""
    answer = httpx.get(f"{url}/v1/models", timeout=30)
    answer.raise_for_status()
    return {str(model["name"]) for model in answer.json()}
