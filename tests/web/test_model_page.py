"""A model's page in a real headless Chromium: reached from the leaderboard, it shows the
manifest in people's words, catalog size and licence, every version with its status, and
its earnings and stake per settled epoch equal to the JSON API's; the deployment
diagnostics only its developer may read are never on it."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from market_server.history import MAX_HISTORY_PAGE, OLDER_HEADER
from tests.web.conftest import MIXTAPE, SETTLED_EPOCHS, WebMarket, assert_accessible

EPOCH_FIELDS = (
    "earnings",
    "contribution_paid_for",
    "contribution_voted_against",
    "stake_burned",
    "stake",
)


def shown_epochs(page: Page) -> list[dict[str, int]]:
    rows = []
    for row in page.locator("#epochs tbody tr").all():
        shown = {"epoch": int(row.get_attribute("data-epoch") or -1)}
        for field in EPOCH_FIELDS:
            shown[field] = int(row.locator(f"[data-field={field}]").inner_text().replace(",", ""))
        rows.append(shown)
    return rows


def diagnostics(market: WebMarket, model_id: int) -> str:
    """What the market tells the model's developer alone, with their API key."""
    answer = httpx.get(
        f"{market.url}/v1/models/{model_id}/diagnostics",
        headers={"Authorization": f"Bearer {market.atlas_key}"},
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["diagnostics"])


def test_from_the_leaderboard_to_a_models_page(web_market: WebMarket, page: Page) -> None:
    mixtape_id = web_market.model_ids[MIXTAPE.name]
    page.goto(f"{web_market.url}/leaderboard")
    page.get_by_role("link", name=f"{MIXTAPE.name}@1.0.0").click()
    assert page.url == f"{web_market.url}/models/{mixtape_id}"
    assert page.get_by_role("heading", level=1).inner_text().startswith(MIXTAPE.name)

    model = web_market.api(f"/v1/models/{mixtape_id}")
    history = web_market.api(f"/v1/models/{mixtape_id}/history")
    assert [e["epoch"] for e in history] == list(SETTLED_EPOCHS)
    assert shown_epochs(page) == [{f: e[f] for f in ("epoch", *EPOCH_FIELDS)} for e in history]
    # Epoch 0's dislikes burned part of its stake; the stake at each end follows.
    assert history[0]["stake_burned"] > 0
    assert history[0]["stake"] == MIXTAPE.stake - history[0]["stake_burned"]
    assert history[-1]["stake"] == model["stake"] - sum(e["stake_burned"] for e in history)
    assert page.locator("#stake-now").inner_text() == (f"{history[-1]['stake']:,} credits")
    board = {row["model_id"]: row for row in web_market.api("/v1/leaderboard")}
    assert sum(e["earnings"] for e in history) == board[mixtape_id]["earnings"]
    assert sum(e["stake_burned"] for e in history) == board[mixtape_id]["stake_burned"]

    # The manifest in people's words, catalog size and licence.
    manifest = page.locator("#manifest").inner_text()
    assert "Reads your books and music profile." in manifest
    assert page.locator("#catalog-size").inner_text() == f"{model['items']:,} items"
    assert page.locator("#licence").inner_text() != ""
    assert "Recommends only things you have not had yet." in manifest
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === '2'")
    assert_accessible(page)


def test_versions_and_their_status(web_market: WebMarket, page: Page) -> None:
    retired, live = web_market.atlas_versions["1.0.0"], web_market.atlas_versions["2.0.0"]
    page.goto(f"{web_market.url}/models/{live}")
    rows = [
        [cell.inner_text() for cell in row.locator("td").all()[:2]]
        for row in page.locator("#versions tbody tr").all()
    ]
    assert rows == [["1.0.0", "retired"], ["2.0.0 (this page)", "live"]]
    assert [(v["id"], v["status"]) for v in web_market.api(f"/v1/models/{live}/versions")] == [
        (retired, "retired"),
        (live, "live"),
    ]
    # No settled epoch did anything for it: zero rows of numbers, its stake whole.
    assert shown_epochs(page) == [
        {"epoch": e, **dict.fromkeys(EPOCH_FIELDS, 0), "stake": 120} for e in SETTLED_EPOCHS
    ]
    secret = diagnostics(web_market, live)
    assert secret and secret not in page.content()
    page.get_by_role("link", name="1.0.0").click()
    assert page.url.endswith(f"/models/{retired}")
    assert page.locator("#model-status").inner_text() == "retired"
    assert "Reads your places profile." in page.locator("#manifest").inner_text()
    assert_accessible(page)
    # The leaderboard lists live models unless asked for retired ones too.
    page.goto(f"{web_market.url}/leaderboard?category=places")
    assert page.locator("#leaderboard tbody tr").count() == 1
    page.goto(f"{web_market.url}/leaderboard?category=places&live_only=false")
    assert page.locator("#leaderboard tbody tr").count() == 2


def test_unknown_models_are_a_404_page(web_market: WebMarket) -> None:
    for model_id in ("999999", "0", "-1", "abc", "99999999999999999999", "1e3", "٣", "9" * 5000):
        answer = httpx.get(f"{web_market.url}/models/{model_id}", timeout=30)
        assert answer.status_code == 404, model_id
        assert "<h1>No such model</h1>" in answer.text


def test_a_models_history_comes_a_bounded_page_at_a_time(web_market: WebMarket, page: Page) -> None:
    mixtape_id = web_market.model_ids[MIXTAPE.name]
    path = f"{web_market.url}/v1/models/{mixtape_id}/history"
    whole = httpx.get(path, timeout=30).json()
    latest = httpx.get(path, params={"limit": 1}, timeout=30)
    assert latest.json() == whole[-1:]
    assert latest.headers[OLDER_HEADER] == str(SETTLED_EPOCHS[-1])
    older = httpx.get(path, params={"limit": 1, "before": SETTLED_EPOCHS[-1]}, timeout=30)
    assert older.json() == whole[:1] and OLDER_HEADER not in older.headers  # the first epoch
    assert OLDER_HEADER not in httpx.get(path, timeout=30).headers
    for bad in ({"limit": 0}, {"limit": MAX_HISTORY_PAGE + 1}, {"before": 0}, {"before": "x"}):
        answer = httpx.get(path, params=bad, timeout=30)
        assert answer.status_code == 422, (bad, answer.text)
        assert next(iter(bad)) in answer.text
    page.goto(f"{web_market.url}/models/{mixtape_id}?limit=1")
    assert [e["epoch"] for e in shown_epochs(page)] == [SETTLED_EPOCHS[-1]]
    page.locator("#older-epochs").click()
    assert [e["epoch"] for e in shown_epochs(page)] == [SETTLED_EPOCHS[0]]
    assert page.locator("#older-epochs").count() == 0
    for query in ("limit=0", "limit=201", "before=-1", "limit=1&limit=2", "page=2"):
        answer = httpx.get(f"{web_market.url}/models/{mixtape_id}?{query}", timeout=30)
        assert answer.status_code == 422, query
        assert "Not a model page" in answer.text
