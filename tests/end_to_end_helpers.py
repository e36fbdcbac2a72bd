"""Shared steps of the end-to-end tests: deploy models through the developer API, run the
``privrec`` CLI against a live market's database, export and read back the ledger."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

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


def leaderboard(url: str) -> dict[str, dict[str, int]]:
    """GET /v1/leaderboard as model name -> the numbers of its row."""
    answer = httpx.get(f"{url}/v1/leaderboard", timeout=30)
    answer.raise_for_status()
    keys = ("impressions", "ratings", "liked", "disliked", "earnings", "stake")
    return {row["name"]: {k: row[k] for k in keys} for row in answer.json()}
