"""static/verify.js in a real headless Chromium against the Python verifier, on the export of
a real market with settled epochs: both pass the genuine export and its proofs, and both
refuse each tampered one (a changed amount, a reordered or dropped entry, a bad signature, a
float, a wrong proof sibling or side, another key)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from ledger.economy import EconomyParams, params_entry_body
from ledger.entries import canonical, entry_hash, make_entry
from ledger.head import SignedHead, sign_head, verify_export
from ledger.keys import MarketKey
from ledger.merkle import merkle_proof, merkle_root
from ledger.verify import Proof, check_payout_proof
from tests.web.conftest import MARKET_KEY, WebMarket

# Each runs in the page, importing the module the market serves; they return the verdict and
# the error's message, so a refusal is asserted case by case.
CHECK_EXPORT = """async ({lines, head, key}) => {
  const verify = await import("/static/verify.js");
  try {
    const marketKey = await verify.importMarketKey(key);
    await verify.checkHead(head, marketKey);
    const chain = new verify.ChainVerifier(marketKey, 0);
    await chain.feed(lines);
    chain.finish(head);
    return {ok: true, error: null, roots: chain.rootsChecked};
  } catch (error) {
    return {ok: false, error: error.message, roots: null};
  }
}"""
CHECK_PROOF = """async ({proof, key}) => {
  const verify = await import("/static/verify.js");
  try {
    await verify.checkProof(proof, await verify.importMarketKey(key));
    return {ok: true, error: null};
  } catch (error) {
    return {ok: false, error: error.message};
  }
}"""
CANONICAL = """async (values) => {
  const verify = await import("/static/verify.js");
  return values.map((value) => verify.canonical(value));
}"""


def flip(hex_text: str) -> str:
    """The same hex with its last digit changed."""
    return hex_text[:-1] + ("0" if hex_text[-1] != "0" else "1")


def edit(line: str, change: Callable[[dict[str, Any]], None], *, rehash: bool = False) -> str:
    entry = json.loads(line)
    change(entry)
    if rehash:
        fields = {k: entry[k] for k in ("seq", "epoch", "time", "kind", "body", "prev_hash")}
        entry["hash"] = entry_hash(**fields)
    return canonical(entry).decode()


@pytest.fixture(scope="module")
def exported(web_market: WebMarket) -> tuple[list[str], dict[str, Any], str]:
    answer = httpx.get(f"{web_market.url}/v1/ledger", timeout=30)
    lines = [line for line in answer.text.splitlines() if line]
    head = json.loads(answer.headers["X-Ledger-Head"])
    return lines, head, web_market.api("/v1/ledger/key")["public_key"]


def first_closed_epoch(lines: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The export's first epoch_close and the entries under its Merkle root."""
    entries = [json.loads(line) for line in lines]
    close = next(e for e in entries if e["kind"] == "epoch_close")
    return close, [e for e in entries if e["epoch"] == close["epoch"] and e["seq"] < close["seq"]]


def python_verdict(lines: list[str], head: dict[str, Any], key: str) -> bool:
    try:
        signed = SignedHead.from_dict(head)
    except ValueError:
        return False
    return verify_export(lines, key, signed).ok


def test_js_and_python_agree_on_the_export_and_each_tampering(
    web_market: WebMarket, page: Page, exported: tuple[list[str], dict[str, Any], str]
) -> None:
    lines, head, key = exported
    transfer = next(i for i, line in enumerate(lines) if json.loads(line)["kind"] == "transfer")

    def amount_plus_one(entry: dict[str, Any]) -> None:
        entry["body"]["amount"] += 1

    def with_line(index: int, line: str) -> list[str]:
        return [*lines[:index], line, *lines[index + 1 :]]

    swapped = [*lines[: transfer - 1], lines[transfer], lines[transfer - 1], *lines[transfer + 1 :]]
    amount = json.loads(lines[transfer])["body"]["amount"]
    cases: dict[str, tuple[list[str], dict[str, Any], str, str]] = {
        "genuine": (lines, head, key, ""),
        "changed amount": (
            with_line(transfer, edit(lines[transfer], amount_plus_one)),
            head,
            key,
            "hash does not match",
        ),
        "changed amount, hash recomputed": (
            with_line(transfer, edit(lines[transfer], amount_plus_one, rehash=True)),
            head,
            key,
            "signature is not the market's",
        ),
        "reordered entries": (swapped, head, key, f"expected seq {transfer - 1}"),
        "dropped last entry": (lines[:-1], head, key, "truncated"),
        "bad entry signature": (
            with_line(
                transfer, edit(lines[transfer], lambda e: e.update(signature=flip(e["signature"])))
            ),
            head,
            key,
            "signature is not the market's",
        ),
        "bad head signature": (
            lines,
            {**head, "signature": flip(head["signature"])},
            key,
            "signed head",
        ),
        "a float amount": (
            with_line(
                transfer, lines[transfer].replace(f'"amount":{amount},', f'"amount":{amount}.0,')
            ),
            head,
            key,
            "canonical",
        ),
        "another market's key": (lines, head, MarketKey.generate().public_key_hex, "signed head"),
    }
    page.goto(f"{web_market.url}/ledger")
    for name, (case_lines, case_head, case_key, error) in cases.items():
        shown = page.evaluate(
            CHECK_EXPORT, {"lines": case_lines, "head": case_head, "key": case_key}
        )
        assert (
            shown["ok"] == python_verdict(case_lines, case_head, case_key) == (name == "genuine")
        ), (
            name,
            shown,
        )
        assert error in (shown["error"] or ""), (name, shown)
    genuine = page.evaluate(CHECK_EXPORT, {"lines": lines, "head": head, "key": key})
    closes = sum(json.loads(line)["kind"] == "epoch_close" for line in lines)
    assert genuine["roots"] == closes >= 2  # every epoch's Merkle root recomputed in the browser


def test_js_and_python_agree_on_proofs_and_refuse_a_wrong_sibling(
    web_market: WebMarket, page: Page, exported: tuple[list[str], dict[str, Any], str]
) -> None:
    lines, _, key = exported
    _, proved = first_closed_epoch(lines)
    page.goto(f"{web_market.url}/ledger")
    for entry in (proved[0], proved[len(proved) // 2], proved[-1]):
        proof = json.loads(httpx.get(f"{web_market.url}/v1/ledger/proof/{entry['seq']}").text)
        assert len(proof["path"]) >= 2
        side, sibling = proof["path"][0]
        tampered = {
            "genuine": proof,
            "wrong sibling": {**proof, "path": [[side, flip(sibling)], *proof["path"][1:]]},
            "wrong side": {
                **proof,
                "path": [["left" if side == "right" else "right", sibling], *proof["path"][1:]],
            },
            "missing step": {**proof, "path": proof["path"][1:]},
            "changed entry": {
                **proof,
                "entry": {**proof["entry"], "prev_hash": flip(proof["entry"]["prev_hash"])},
            },
        }
        for name, case in tampered.items():
            shown = page.evaluate(CHECK_PROOF, {"proof": case, "key": key})
            in_python = check_payout_proof(Proof.from_json(json.dumps(case)), key)
            assert shown["ok"] == in_python == (name == "genuine"), (name, shown)


def test_the_canonical_encoding_is_pythons(web_market: WebMarket, page: Page) -> None:
    values = [
        {"b": 1, "a": [True, False, None], "é": "x"},
        {"memo": 'quote " backslash \\ tab \t control \u0001 emoji 😀 ß ﬀ </script>'},
        {"\U0001f600": 1, "\uffff": 2, "z": 3},  # code point order, not UTF-16's
        {"n": 2**53 - 1, "neg": -(10**15), "nested": {"y": {"x": []}}},
    ]
    page.goto(f"{web_market.url}/ledger")
    assert page.evaluate(CANONICAL, values) == [canonical(v).decode() for v in values]


CHECK_PROOF_IN_CHAIN = """async ({lines, proof, seq, key}) => {
  const verify = await import("/static/verify.js");
  try {
    const marketKey = await verify.importMarketKey(key);
    const chain = new verify.ChainVerifier(marketKey, 0);
    chain.watch(seq);
    await chain.feed(lines);
    await verify.checkProof(proof, marketKey);
    verify.checkProofInChain(proof, seq, chain);
    return {ok: true, error: null};
  } catch (error) {
    return {ok: false, error: error.message};
  }
}"""


def _signed(key: MarketKey, entry: dict[str, Any]) -> dict[str, Any]:
    fields = {k: entry[k] for k in ("seq", "epoch", "time", "kind", "body", "prev_hash")}
    hashed = entry_hash(**fields)
    return {**entry, "hash": hashed, "signature": key.sign(hashed)}


def test_a_proof_counts_only_for_its_entry_as_the_chain_verified_it(
    web_market: WebMarket, page: Page, exported: tuple[list[str], dict[str, Any], str]
) -> None:
    lines, _, key = exported
    close, epoch = first_closed_epoch(lines)
    asked, other = epoch[len(epoch) // 2], epoch[0]
    proof = json.loads(httpx.get(f"{web_market.url}/v1/ledger/proof/{asked['seq']}").text)
    others = json.loads(httpx.get(f"{web_market.url}/v1/ledger/proof/{other['seq']}").text)
    # A market that also signed a fork of the epoch: the asked entry changed, its epoch's root
    # and close signed again. Each signature holds; only the chain tells them apart.
    market = MarketKey.from_seed_hex(MARKET_KEY)
    forked = [dict(e) for e in epoch]
    index = forked.index(asked)
    forked[index] = _signed(market, {**asked, "body": {**asked["body"], "memo": "forked"}})
    hashes = [e["hash"] for e in forked]
    forked_close = _signed(
        market, {**close, "body": {**close["body"], "merkle_root": merkle_root(hashes)}}
    )
    fork = {
        "entry": forked[index],
        "path": [list(step) for step in merkle_proof(hashes, index)],
        "close": forked_close,
    }
    cases = {
        "genuine": (proof, ""),
        "another entry's proof": (others, f"the proof is of entry {other['seq']}"),
        "a signed fork": (fork, f"not the entry {asked['seq']} of the verified chain"),
    }
    page.goto(f"{web_market.url}/ledger")
    for name, (case, error) in cases.items():
        assert check_payout_proof(Proof.from_json(json.dumps(case)), key)  # each is signed
        shown = page.evaluate(
            CHECK_PROOF_IN_CHAIN, {"lines": lines, "proof": case, "seq": asked["seq"], "key": key}
        )
        assert shown["ok"] == (name == "genuine"), (name, shown)
        assert error in (shown["error"] or ""), (name, shown)


def test_both_refuse_a_ledger_whose_first_entry_is_not_in_epoch_0(
    web_market: WebMarket, page: Page, exported: tuple[list[str], dict[str, Any], str]
) -> None:
    _, _, key = exported
    market = MarketKey.from_seed_hex(MARKET_KEY)
    # Rules 2 params in force from their own epoch 3: every other check passes.
    body = params_entry_body(EconomyParams(rules=2), 3)
    first = make_entry(None, "params", body, epoch=3, time="2026-01-01T00:00:00Z", key=market)
    head = sign_head(market, first, first.time)
    lines = [first.to_json_line()]
    assert not verify_export(lines, key, head).ok
    page.goto(f"{web_market.url}/ledger")
    shown = page.evaluate(CHECK_EXPORT, {"lines": lines, "head": head.to_dict(), "key": key})
    assert not shown["ok"]
    assert "the first entry is in epoch 3" in shown["error"]
