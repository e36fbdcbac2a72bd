"""The ledger explorer in a real headless Chromium against a real market with settled epochs:
leaderboard → model → ledger epoch → entry → "verify in this browser", every number shown
equal to the JSON API's, the verification passing on the market's export and failing when
the server sends a tampered one, and axe-core finding no serious violation."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, Route

from ledger.entries import canonical
from tests.web.conftest import SHELF, WebMarket, assert_accessible

# Set to a directory (docs/screenshots) to save the pages' screenshots there.
SCREENSHOTS = os.environ.get("PRIVREC_WEB_SCREENSHOTS")


def screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=full_page)


def export(market: WebMarket) -> list[dict[str, Any]]:
    answer = httpx.get(f"{market.url}/v1/ledger", timeout=30)
    return [json.loads(line) for line in answer.text.splitlines() if line]


def facts(page: Page, selector: str) -> dict[str, str]:
    """A <dl class="facts"> as {term: text}."""
    terms = page.locator(f"{selector} dt").all_inner_texts()
    values = page.locator(f"{selector} dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def verify_in_browser(page: Page) -> tuple[str, list[str]]:
    page.get_by_role("button", name="Verify in this browser").click()
    verdict = page.locator(".verify-verdict")
    page.wait_for_function(
        "() => /^(Verified|NOT verified)/.test("
        "document.querySelector('.verify-verdict').textContent)"
    )
    return verdict.inner_text(), page.locator(".verify-steps li").all_inner_texts()


def check_ledger_index(page: Page, market: WebMarket, entries: list[dict[str, Any]]) -> None:
    head = market.api("/v1/ledger/head")
    shown = facts(page, "#signed-head")
    assert int(shown["Entry"]) == head["seq"] == entries[-1]["seq"]
    assert shown["Hash"] == head["hash"]
    rows = page.locator("#epochs tbody tr").all()
    epochs = sorted({e["epoch"] for e in entries}, reverse=True)
    assert [int(row.get_attribute("data-epoch") or -1) for row in rows] == epochs
    for row in rows:
        epoch = int(row.get_attribute("data-epoch") or -1)
        own = [e for e in entries if e["epoch"] == epoch]
        cells = row.locator("td").all_inner_texts()
        assert int(cells[0].replace(",", "")) == len(own)
        assert int(cells[1]) == own[0]["seq"]
        if own[-1]["kind"] == "epoch_close":
            assert cells[3] == own[-1]["body"]["merkle_root"]
            assert cells[2] == own[-1]["time"]


def check_epoch_page(page: Page, epoch: int, entries: list[dict[str, Any]]) -> None:
    own = [e for e in entries if e["epoch"] == epoch]
    assert page.locator("h1").inner_text() == f"Epoch {epoch}"
    assert page.locator("#merkle-root").inner_text() == own[-1]["body"]["merkle_root"]
    shown = [int(s) for s in page.locator("#entries tbody th").all_inner_texts()]
    assert shown == [e["seq"] for e in own][: len(shown)] and len(shown) == min(50, len(own))
    kinds = page.locator("#entries tbody td:nth-child(3)").all_inner_texts()
    assert kinds == [e["kind"] for e in own][: len(shown)]


def check_entry_page(page: Page, market: WebMarket, entry: dict[str, Any]) -> None:
    shown = facts(page, "#entry-fields")
    assert int(shown["Seq"]) == entry["seq"] and shown["Kind"] == entry["kind"]
    assert shown["Hash"] == entry["hash"] and shown["Signature"] == entry["signature"]
    for key, value in entry["body"].items():
        assert page.locator(f"#entry-body [data-field='{key}']").inner_text() == str(value)
    proof = json.loads(httpx.get(f"{market.url}/v1/ledger/proof/{entry['seq']}").text)
    rows = [
        row.locator("td").all_inner_texts() for row in page.locator("#proof-path tbody tr").all()
    ]
    assert [[side, sibling] for _, side, sibling in rows] == proof["path"]
    assert page.locator("#proof-root").inner_text() == proof["close"]["body"]["merkle_root"]


def test_ledger_epoch_entry_and_verify_in_the_browser(web_market: WebMarket, page: Page) -> None:
    entries = export(web_market)
    page.goto(f"{web_market.url}/ledger")
    check_ledger_index(page, web_market, entries)
    assert_accessible(page)
    screenshot(page, "web-ledger")

    page.get_by_role("link", name="Epoch 0", exact=True).click()
    check_epoch_page(page, 0, entries)
    assert_accessible(page)
    screenshot(page, "web-ledger-epoch", full_page=False)

    transfer = next(e for e in entries if e["epoch"] == 0 and e["kind"] == "transfer")
    page.get_by_role("link", name=str(transfer["seq"]), exact=True).click()
    check_entry_page(page, web_market, transfer)
    verdict, steps = verify_in_browser(page)
    assert verdict.startswith("Verified"), (verdict, steps)
    assert len(steps) == 4 and all(step.startswith("✓") for step in steps), steps
    assert f"entry {transfer['seq']} is under epoch 0's signed root" in steps[2]
    # What was verified, as signed, for the reader to compare with the page.
    assert f"a transfer with body {canonical(transfer['body']).decode()}" in steps[2]
    assert_accessible(page)
    screenshot(page, "web-ledger-entry")


def test_the_page_reports_a_tampered_export_as_not_verified(
    web_market: WebMarket, page: Page
) -> None:
    entries = export(web_market)
    transfer = next(e for e in entries if e["kind"] == "transfer")

    def tampered(route: Route) -> None:
        # A dishonest server: the same export with one amount changed.
        answer = route.fetch()
        lines = answer.text().splitlines()
        for index, line in enumerate(lines):
            entry = json.loads(line)
            if entry["seq"] == transfer["seq"]:
                entry["body"]["amount"] += 1000
                lines[index] = canonical(entry).decode()
        route.fulfill(response=answer, body="".join(line + "\n" for line in lines))

    page.route("**/v1/ledger?*", tampered)
    page.goto(f"{web_market.url}/ledger")
    verdict, steps = verify_in_browser(page)
    assert verdict.startswith("NOT verified")
    assert steps[0].startswith("✓")  # the head is still the market's
    assert steps[-1].startswith("✗") and "hash does not match" in steps[-1]
    assert f"entry {transfer['seq']}" in steps[-1]


def test_bad_explorer_queries_are_refused(web_market: WebMarket) -> None:
    last = export(web_market)[-1]
    for path, status in (
        ("/ledger/epochs/999", 404),
        (f"/ledger/entries/{last['seq'] + 1}", 404),
        ("/ledger/epochs/0?limit=201", 422),
        ("/ledger/epochs/0?limit=0", 422),
        ("/ledger/epochs/0?after=-1", 422),
        ("/ledger/epochs/0?after=1&after=2", 422),
        ("/ledger/epochs/0?page=2", 422),
        ("/ledger/epochs/-1", 422),
        ("/ledger/epochs/1e3", 422),
        ("/ledger/entries/abc", 422),
        ("/ledger/entries/+1", 422),
        (f"/ledger/entries/{2**63}", 422),
        ("/ledger?before=0", 422),
        ("/ledger?before=1.0", 422),
    ):
        answer = httpx.get(f"{web_market.url}{path}", timeout=30)
        assert answer.status_code == status, (path, answer.text[:200])
        assert answer.headers["content-type"].startswith("text/html"), path
        heading = "Not found" if status == 404 else "Not a ledger page"
        assert f"<h1>{heading}</h1>" in answer.text, path


def test_from_the_leaderboard_to_a_models_payout_verified_in_the_browser(
    web_market: WebMarket, page: Page
) -> None:
    """Leaderboard → model → ledger epoch → the entry paying it → verify, numbers as the API's."""
    shelf_id = web_market.model_ids[SHELF.name]
    memo = f"settle:0:share:{SHELF.ledger_id}"
    paid = [e for e in export(web_market) if e["kind"] == "transfer" and e["body"]["memo"] == memo]
    history = {e["epoch"]: e for e in web_market.api(f"/v1/models/{shelf_id}/history")}
    assert sum(e["body"]["amount"] for e in paid) == history[0]["earnings"] > 0

    page.goto(f"{web_market.url}/leaderboard")
    page.get_by_role("link", name=SHELF.ledger_id).click()
    earned = page.locator("#epochs tbody tr[data-epoch='0'] [data-field=earnings]").inner_text()
    assert int(earned.replace(",", "")) == history[0]["earnings"]
    page.locator("#epochs tbody tr[data-epoch='0']").get_by_role("link", name="0").click()
    assert page.url == f"{web_market.url}/ledger/epochs/0"
    row = page.locator("#entries tbody tr", has_text=memo)
    while row.count() == 0:  # the settlement closes the epoch: page on to it
        page.get_by_role("link", name="Next entries").click()
    assert row.locator("td.summary").inner_text().startswith(f"{paid[0]['body']['amount']:,}")
    row.get_by_role("link", name=str(paid[0]["seq"]), exact=True).click()
    check_entry_page(page, web_market, paid[0])
    verdict, steps = verify_in_browser(page)
    assert verdict.startswith("Verified") and len(steps) == 4, (verdict, steps)


def test_the_page_refuses_another_entrys_proof(web_market: WebMarket, page: Page) -> None:
    entries = export(web_market)
    asked, other = [e for e in entries if e["epoch"] == 0 and e["kind"] == "transfer"][:2]

    def another_proof(route: Route) -> None:
        # A dishonest server: a genuine proof, but of another entry of the same epoch.
        route.fulfill(response=route.fetch(url=f"{web_market.url}/v1/ledger/proof/{other['seq']}"))

    page.route(f"**/v1/ledger/proof/{asked['seq']}", another_proof)
    page.goto(f"{web_market.url}/ledger/entries/{asked['seq']}")
    verdict, steps = verify_in_browser(page)
    assert verdict.startswith("NOT verified"), (verdict, steps)
    assert steps[-1].startswith("✗") and f"the proof is of entry {other['seq']}" in steps[-1]


def _telling(genuine: str, told: str) -> Callable[[Route], None]:
    """A route handler serving the page with ``genuine`` replaced by ``told`` (once)."""

    def lie(route: Route) -> None:
        answer = route.fetch()
        assert genuine in answer.text()
        route.fulfill(response=answer, body=answer.text().replace(genuine, told, 1))

    return lie


def test_the_page_must_show_what_the_market_signed(web_market: WebMarket, page: Page) -> None:
    entries = export(web_market)
    transfer = next(e for e in entries if e["epoch"] == 0 and e["kind"] == "transfer")
    closes = [e for e in entries if e["kind"] == "epoch_close"]
    entry_page = f"/ledger/entries/{transfer['seq']}"
    for path in ("/ledger", "/ledger/epochs/0", entry_page):
        page.goto(f"{web_market.url}{path}")
        verdict, steps = verify_in_browser(page)
        assert verdict.startswith("Verified"), (path, steps)
        assert steps[-1].startswith("✓ this page shows what the market signed"), (path, steps)

    amount = transfer["body"]["amount"]
    root = closes[0]["body"]["merkle_root"]
    later = closes[0]["seq"] + 1  # epoch 1's first entry
    # A dishonest server: genuine data for the check, another story in the page's HTML.
    lies = [
        (
            entry_page,
            f'data-field="amount">{amount}<',
            f'data-field="amount">{amount + 1000}<',
            f"entry {transfer['seq']}'s amount as {amount + 1000}",
        ),
        ("/ledger/epochs/0", "<td>transfer</td>", "<td>mint</td>", "kind as mint"),
        ("/ledger/epochs/0", 'data-start="0"', f'data-start="{later}"', "did not reach"),
        (
            "/ledger",
            f'<code class="hex">{root}</code>',
            f'<code class="hex">{root[::-1]}</code>',
            "Merkle root",
        ),
    ]
    for path, genuine, told, error in lies:
        page.route(f"{web_market.url}{path}", _telling(genuine, told))
        page.goto(f"{web_market.url}{path}")
        verdict, steps = verify_in_browser(page)
        page.unroute(f"{web_market.url}{path}")
        assert verdict.startswith("NOT verified"), (path, told, steps)
        assert steps[-1].startswith("✗") and error in steps[-1], (path, told, steps)
