"""The leaderboard and model pages in a real headless Chromium against a real market with
two settled epochs: every number shown equals the JSON API's, sorting works without
scripts, the charts draw, nothing is fetched from another host, axe-core finds no serious
violation, and a model's deployment diagnostics never reach its public page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page
from sqlmodel import Session

from market_server import crud
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.web.leaderboard import CHART_EPOCHS
from tests.end_to_end_helpers import LEADERBOARD_COLUMNS
from tests.web.conftest import MIXTAPE, SETTLED_EPOCHS, SHELF, WebMarket, assert_accessible

# The API's leaderboard numbers the page shows (all but ratings and escrow), and two more.
ROW_FIELDS = (
    *(c for c in LEADERBOARD_COLUMNS if c not in ("ratings", "escrow")),
    "bid",
    "stake_burned",
)


def _number(text: str) -> int:
    return int(text.replace(",", "").strip())


def shown_rows(page: Page) -> list[dict[str, int]]:
    """The leaderboard table as the browser shows it: model id and every numeric field."""
    rows = []
    for row in page.locator("#leaderboard tbody tr").all():
        shown = {"model_id": int(row.get_attribute("data-model-id") or 0)}
        for field in ROW_FIELDS:
            shown[field] = _number(row.locator(f"[data-field={field}]").inner_text())
        rows.append(shown)
    return rows


def api_rows(market: WebMarket, **query: str) -> list[dict[str, int]]:
    return [
        {"model_id": row["model_id"], **{f: row[f] for f in ROW_FIELDS}}
        for row in market.api("/v1/leaderboard", **query)
    ]


def test_leaderboard_shows_the_apis_numbers_and_sorts_without_scripts(
    web_market: WebMarket, page: Page
) -> None:
    page.goto(f"{web_market.url}/leaderboard")
    assert page.title() == "Leaderboard · privrec market"
    assert shown_rows(page) == api_rows(web_market, live_only="true")
    rows = {row["model_id"]: row for row in shown_rows(page)}
    mixtape = rows[web_market.model_ids[MIXTAPE.name]]
    assert mixtape["contribution_voted_against"] > 0 and mixtape["stake_burned"] > 0
    assert rows[web_market.model_ids[SHELF.name]]["earnings"] > 0
    # Both charts drawn from the page's own data, and the per-epoch table beside them.
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === '2'")
    assert page.locator("#per-epoch-table thead th").count() == 1 + len(SETTLED_EPOCHS)
    assert_accessible(page)

    # A category, then a sort by clicking a column heading: server-side, as the API's.
    page.get_by_role("link", name="Books", exact=True).click()
    assert page.url.endswith("/leaderboard?category=books")
    assert shown_rows(page) == api_rows(web_market, category="books", live_only="true")
    page.get_by_role("link", name="Earnings", exact=True).click()
    assert page.url.endswith("/leaderboard?category=books&sort=earnings")  # desc: the default
    expected = api_rows(web_market, category="books", live_only="true", sort="earnings")
    assert shown_rows(page) == expected
    assert expected[0]["earnings"] >= expected[-1]["earnings"]
    header = page.locator("th", has=page.get_by_role("link", name="Earnings", exact=True))
    assert header.get_attribute("aria-sort") == "descending"
    # Clicking it again flips the order.
    page.get_by_role("link", name="Earnings", exact=True).click()
    assert "order=asc" in page.url
    assert shown_rows(page) == api_rows(
        web_market, category="books", live_only="true", sort="earnings", order="asc"
    )
    assert header.get_attribute("aria-sort") == "ascending"


def test_leaderboard_sorts_with_scripts_off(web_market: WebMarket, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{web_market.url}/leaderboard")
        page.select_option("select[name=sort]", "stake")
        page.select_option("select[name=order]", "asc")
        page.get_by_role("button", name="Show").click()
        assert shown_rows(page) == api_rows(web_market, live_only="true", sort="stake", order="asc")
    finally:
        context.close()


def test_a_bad_sort_is_a_clear_error_page(web_market: WebMarket) -> None:
    for query in (
        "sort=stake%3Bdrop",
        "order=sideways",
        "category=cars",
        "page=2",
        "sort=bid&sort=name",
    ):
        answer = httpx.get(f"{web_market.url}/leaderboard?{query}", timeout=30)
        assert answer.status_code == 422, query
        assert "cannot show" in answer.text and "<h1>Not a leaderboard</h1>" in answer.text
        assert answer.headers["content-type"].startswith("text/html")
    for query in ("sort=bogus", "page=2", "live_only=maybe", "category=cars"):
        api = httpx.get(f"{web_market.url}/v1/leaderboard?{query}", timeout=30)
        assert api.status_code == 422, query


def test_the_leaderboard_charts_the_last_settled_epochs_only(tmp_path: Path) -> None:
    settings = Settings(
        mode="local", data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'market.sqlite3'}"
    )
    app = create_app(settings)
    with TestClient(app) as client:
        store = app.state.ledger
        with Session(store.engine) as session:
            crud.mint(session=session, store=store, account="dev:old", amount=1, memo="start")
            for epoch in range(CHART_EPOCHS + 5):
                assert crud.settle(session=session, store=store, epoch=epoch)
        page = client.get("/leaderboard")
    assert page.status_code == 200
    charted = re.search(
        r'<script type="application/json" id="leaderboard-chart-data">(.*?)</script>', page.text
    )
    assert charted is not None
    assert json.loads(charted.group(1))["epochs"] == list(range(5, CHART_EPOCHS + 5))
    assert page.text.count('<th scope="col" class="num">Epoch ') == CHART_EPOCHS
    assert f"The last {CHART_EPOCHS} settled epochs" in page.text
