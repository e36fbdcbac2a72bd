"""The developer dashboard in a real headless Chromium against a real market of its own: the
API key typed in opens the developer's balance, models, earnings and diagnostics (equal to the
JSON API's), the deploy form deploys a bundle that goes live and explains a refused one, the
key is never stored by the browser nor put in a URL, and axe-core finds no serious violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from client_app.developer import DeveloperClient
from recommenders.bundle import pack_bundle
from tests.factories import make_bundle
from tests.live_server import LiveServer
from tests.web.conftest import AXE_SCRIPT, assert_accessible
from tests.web.test_ledger_pages import screenshot


@pytest.fixture(scope="module")
def small_market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A market of this module's own: deploying here changes no other test's leaderboard."""
    data = tmp_path_factory.mktemp("dashboard-market")
    server = LiveServer(
        data_dir=data, database_url=f"sqlite:///{data / 'market.sqlite3'}", market_key="4c" * 32
    )
    with server:
        yield server.url


# The refusals this test provokes on purpose (a wrong key, a broken bundle): Chromium logs each
# answer of 401 or 400 to the console; any other console error still fails the test.
EXPECTED_REFUSALS = (
    "Failed to load resource: the server responded with a status of 401 (Unauthorized)",
    "Failed to load resource: the server responded with a status of 400 (Bad Request)",
)


@pytest.fixture
def dashboard_page(browser: Browser) -> Iterator[Page]:
    """The ``page`` fixture's checks (no script error, no console error, no other host), but
    for the refusals provoked on purpose."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=AXE_SCRIPT)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and message.text not in EXPECTED_REFUSALS
            else None
        ),
    )
    opened.on(
        "request",
        lambda request: (
            None if request.url.startswith("http://127.0.0.1:") else errors.append(request.url)
        ),
    )
    try:
        yield opened
    finally:
        context.close()
    assert errors == [], errors


def shown_models(page: Page) -> list[dict[str, str]]:
    rows = []
    for row in page.locator("#my-models tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append(
            {
                "id": row.get_attribute("data-model-id") or "",
                "model": row.locator("th").inner_text(),
                "status": cells[0],
                "stake": cells[1],
                "bid": cells[2],
                "escrow": cells[3],
                "earnings": cells[4],
            }
        )
    return rows


def api_models(url: str, key: str) -> list[dict[str, str]]:
    models = httpx.get(
        f"{url}/v1/developers/me/models", headers={"Authorization": f"Bearer {key}"}, timeout=30
    ).json()
    return [
        {
            "id": str(m["id"]),
            "model": f"{m['name']}@{m['version']}",
            "status": m["status"],
            **{field: f"{m[field]:,}" for field in ("stake", "bid", "escrow", "earnings")},
        }
        for m in models
    ]


def test_the_dashboard_shows_the_apis_numbers_deploys_and_keeps_the_key_in_memory(
    small_market: str, dashboard_page: Page, tmp_path: Path
) -> None:
    page = dashboard_page
    with DeveloperClient(small_market) as developer:
        key = developer.sign_up("dash-labs")
        balance = developer.faucet()
    bundle = tmp_path / "shelf.zip"
    bundle.write_bytes(pack_bundle(make_bundle(tmp_path, n=300, d=8, name="dash-shelf")))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bundle.read_bytes()[:2000])

    page.goto(f"{small_market}/dashboard")
    assert_accessible(page)
    page.get_by_label("API key").fill("prk_not-a-key")
    page.get_by_role("button", name="Open my dashboard").click()
    page.get_by_text("Could not open the dashboard: invalid API key").wait_for()

    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Open my dashboard").click()
    page.get_by_text("Signed in for this page only.").wait_for()
    assert page.locator("#developer-name").inner_text() == "dash-labs"
    assert page.locator("#developer-balance").inner_text() == f"{balance:,}"
    assert shown_models(page) == api_models(small_market, key) == []

    page.get_by_label("Bundle").set_input_files(str(broken))
    page.get_by_role("button", name="Deploy").click()
    page.get_by_text("Not deployed: bundle rejected").wait_for()

    page.get_by_label("Bundle").set_input_files(str(bundle))
    page.get_by_label("Stake (credits)").fill("120")
    page.get_by_label("Bid per rated list").fill("3")
    page.get_by_label("Attention escrow").fill("30")
    page.get_by_role("button", name="Deploy").click()
    page.wait_for_function(
        "() => / is live\\.$/.test(document.getElementById('deploy-result').textContent)",
        timeout=60_000,
    )
    models = api_models(small_market, key)
    assert [m["status"] for m in models] == ["live"]
    assert models[0]["stake"] == "120" and models[0]["escrow"] == "30"
    assert shown_models(page) == models
    assert page.locator("#developer-balance").inner_text() == f"{balance - 150:,}"
    page.locator("#my-models summary").click()
    assert "probe" in page.locator("#my-models pre.diagnostics").inner_text()
    assert_accessible(page)
    screenshot(page, "web-dashboard")

    # The key was only ever in the page's memory: no storage, no cookie, no URL.
    stored = page.evaluate(
        "() => [localStorage.length, sessionStorage.length, document.cookie, location.href]"
    )
    assert stored == [0, 0, "", f"{small_market}/dashboard"]
    assert key not in page.content()
    page.get_by_role("button", name="Forget the key").click()
    assert page.locator("#dashboard").is_hidden()
    page.reload()
    assert (
        page.locator("#dashboard").is_hidden() and page.get_by_label("API key").input_value() == ""
    )
