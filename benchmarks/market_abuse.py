"""Market abuse benchmark (issue 10): what each known abuse costs the attacker and the server.

    python -m benchmarks.market_abuse --small                  # CI size, well under 2 minutes
    python -m benchmarks.market_abuse                          # the issue's sizes (minutes)
    python -m benchmarks.market_abuse --small --only 5 9       # some scenarios only
    python -m benchmarks.market_abuse --database-url postgresql+psycopg://postgres@127.0.0.1/test

Real ``privrec market serve`` processes on loopback in production mode (deposits, no faucet).
Per scenario: the attacker's credits, requests and bytes; the server's CPU seconds (its whole
process tree, exited children included), peak resident memory of that tree, database bytes and
ledger entries added; the worst latency and the status codes; and whether the goal is met: no
unfunded or 0-credit action costs the server more than 100 ms of CPU or 1 MiB of storage.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import io
import json
import math
import stat
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from concurrent import futures
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from benchmarks._abuse_harness import (
    CONFIGS,
    MAX_STORAGE_BYTES_PER_ACTION,
    Bench,
    Market,
    Row,
    Tally,
    User,
    crashed_row,
    live_parts,
    make_row,
    no_server_errors,
    pack,
    with_items,
)
from benchmarks._market import MIB, failure, log
from benchmarks.common import machine, print_table, write_json
from client_app.developer import DeveloperClient
from client_app.market import MarketError
from crypto import decrypt_scores, sign_request
from ledger.cli import verify_file
from market_server.api.routes.ledger import HEAD_HEADER
from market_server.core.config import Settings
from recommenders.bundle import ITEMS_FILE, Catalog, CatalogItem
from tests.factories import BundleParts, bundle_parts, fund_escrow
from tests.live_server import POSTGRES_URL

DEFAULT_JSON = "artifacts/bench/market_abuse.json"
COLUMNS = (
    "scenario",
    "attacker",
    "credits_committed",
    "requests",
    "bytes_sent",
    "server_cpu_s",
    "peak_rss_mib",
    "rss_growth_mib",
    "db_bytes_added",
    "ledger_entries_added",
    "worst_latency_s",
    "statuses",
    "passed",
)
STAKE = 10
ESCROW = 100  # each stage model's attention escrow: 100 bids of 1 (an unbacked bid is unlisted)
BIG_CREDITS = 2**31  # one more than PostgreSQL's INTEGER holds
EXTRACTION_NOISE = 0.1  # the noisy twin's score_noise: honest top-10 agreement 0.90
# The defaults a funded attacker meets: the least commitment that lets an account ask (with no
# min_query_commitment set, min_funding) and the queries one model answers it per epoch.
QUERY_COMMITMENT = int(Settings.model_fields["min_funding"].default)
PER_MODEL_CAP = int(Settings.model_fields["queries_per_model_per_epoch"].default)
RETIRE_WAIT_MAX_S = 2.0  # a request queued on a retired model fails within this


@dataclass
class Stage:
    """The run's main market and its funded developer, shared by the scenarios (a market start
    and a deployment cost seconds each; costs are measured per phase, not per market)."""

    bench: Bench
    market: Market
    developer: DeveloperClient
    extraction_id: int  # a small model whose item table the harness knows
    noisy_extraction_id: int  # the same table, deployed with score_noise
    extraction_items: np.ndarray[Any, Any]
    resources: ExitStack
    _live_ids: list[int] | None = None
    _second: Market | None = None

    def live_ids(self) -> list[int]:
        """``live_models`` models of live_items x live_dim, deployed on first use (they are
        the expensive part of a large run, and only scenarios 2 and 8 need them)."""
        if self._live_ids is None:
            config = self.bench.config
            self.market.deposit("dev:stage-dev", (STAKE + ESCROW) * config.live_models)
            self._live_ids = deploy(
                self.market,
                self.developer,
                [live_parts(config, f"live-{i}", i) for i in range(config.live_models)],
            )
        return self._live_ids

    def second_market(self) -> Market:
        """Another market, on PostgreSQL (scenario 3 needs it there, 7 needs a second one),
        started once and stopped with the stage."""
        if self._second is None:
            self._second = self.resources.enter_context(
                self.bench.market("second", database_url=self.bench.postgres_url)
            )
        return self._second


def stake_for(parts: BundleParts) -> int:
    """The stake the market asks of this bundle with its default settings: STAKE (the minimum)
    plus one credit per 2^20 table cells (Settings.deployment_stake)."""
    per_mebicell = int(Settings.model_fields["stake_per_mebicell"].default)
    return STAKE + per_mebicell * (parts.items.size >> 20)


def deploy(market: Market, developer: DeveloperClient, models: list[BundleParts]) -> list[int]:
    """Deploy every bundle, one after the other: a developer may have one deployment pending."""
    ids = []
    for parts in models:
        upload = developer.deploy(pack(parts, market.work_dir), stake=stake_for(parts), bid=1)
        ids.append(developer.wait_until_settled(upload.id, timeout=3600.0).id)
        fund_escrow(developer, upload.id, ESCROW)
    log(f"{len(ids)} models live")
    return ids


def build_stage(bench: Bench, market: Market, resources: ExitStack) -> Stage:
    config = bench.config
    extraction = bundle_parts(
        n=config.extraction_items, d=config.extraction_dim, name="extractable", seed=12
    )
    # Two stakes and two escrows, and one minimum stake to spare.
    developer = market.developer("stage-dev", credits=2 * (stake_for(extraction) + ESCROW) + STAKE)
    noisy = dataclasses.replace(
        extraction,
        manifest=dataclasses.replace(
            extraction.manifest, name="extractable-noisy", score_noise=EXTRACTION_NOISE
        ),
    )
    extraction_id, noisy_id = deploy(market, developer, [extraction, noisy])
    return Stage(
        bench=bench,
        market=market,
        developer=developer,
        extraction_id=extraction_id,
        noisy_extraction_id=noisy_id,
        extraction_items=extraction.items,
        resources=resources,
    )


def random_query(user: User, dim: int, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    return user.query(rng.standard_normal(dim))


def wait_for_verdict(developer: DeveloperClient, model_id: int, seconds: float) -> str:
    """ "live", or why not: rejected (with the diagnostics), or still validating when the
    scenario's time is up."""
    try:
        return developer.wait_until_settled(model_id, timeout=seconds).status
    except MarketError as error:  # the diagnostics end with the reason
        text = str(error)
        return text if len(text) <= 200 else f"{text[:60]} ... {text[-140:]}"


def try_deploy(
    developer: DeveloperClient, bundle: bytes, *, stake: int, seconds: float, bid: int = 0
) -> tuple[int | None, str]:
    """(model id or None, what became of it) for one upload: the market's refusal, or the
    verdict on the accepted deployment (see :func:`wait_for_verdict`)."""
    try:
        deployment = developer.deploy(bundle, stake=stake, bid=bid)
    except MarketError as error:
        return None, str(error)[:160]
    return deployment.id, wait_for_verdict(developer, deployment.id, seconds)


# --- 1. bundle uploads before money ------------------------------------------------------------


def big_table_bundle(stage: Stage) -> bytes:
    """The issue's upload: a big table that zips small (rows repeat every 8), with a catalog
    lean enough to stay under the catalog limit at 10^6 rows."""
    config = stage.bench.config
    parts = bundle_parts(n=config.big_items, d=config.big_dim, name="big-table", seed=1)
    block = np.random.default_rng(1).standard_normal((8, config.big_dim))
    items = np.tile(block, (config.big_items // 8 + 1, 1))[: config.big_items]
    catalog = Catalog.from_items(
        CatalogItem(item_id=str(i), title=str(i), category="books", metadata={})
        for i in range(config.big_items)
    )
    return pack(
        dataclasses.replace(with_items(parts, items), catalog=catalog), stage.market.work_dir
    )


def zip_bomb(stage: Stage, zero_bytes: int) -> bytes:
    """A valid small bundle whose item file is replaced by ``zero_bytes`` zeros (deflated)."""
    valid = pack(bundle_parts(name="bomb"), stage.market.work_dir)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(valid)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            if info.filename != ITEMS_FILE:
                bomb.writestr(info, source.read(info))
                continue
            with bomb.open(ITEMS_FILE, "w") as member:
                chunk = bytes(MIB)
                for offset in range(0, zero_bytes, MIB):
                    member.write(chunk[: min(MIB, zero_bytes - offset)])
    return buffer.getvalue()


def s01_bundle_before_money(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    rows = []
    big = big_table_bundle(stage)
    tally = Tally()
    developer = market.developer("zero-credit", tally=tally)
    tally.reset()
    with market.measure() as cost:
        model_id, verdict = try_deploy(developer, big, stake=STAKE, seconds=config.scenario_seconds)
    attack = tally.snapshot()
    # After the "fix" (the stake paid), the same name@version must be deployable again.
    market.deposit("dev:zero-credit", STAKE)
    fixed = pack(bundle_parts(name="big-table", seed=2), market.work_dir)
    _, again = try_deploy(developer, fixed, stake=STAKE, seconds=config.scenario_seconds)
    rows.append(
        make_row(
            "1a bundle before money: big table",
            1,
            attacker=f"0-credit developer uploads a {len(big) / MIB:.1f} MiB zip of a "
            f"{config.big_items} x {config.big_dim} table",
            credits=0,
            actions=1,
            tally=attack,
            cost=cost,
            outcome=f"upload: {verdict}; redeploy of the name@version after paying: {again}",
            goal="refused before inflating; rejected bytes not kept; redeployable after a fix",
            checks={"refused": model_id is None, "redeployable after paying": again == "live"},
        )
    )
    developer.close()

    bomb = zip_bomb(stage, config.bomb_bytes)
    tally = Tally()
    bomber = market.developer("bomber", tally=tally)
    tally.reset()
    with market.measure() as cost:
        model_id, verdict = try_deploy(bomber, bomb, stake=STAKE, seconds=config.scenario_seconds)
    bomber.close()
    rows.append(
        make_row(
            "1b bundle before money: zip bomb",
            1,
            attacker=f"0-credit developer uploads a {len(bomb) / MIB:.2f} MiB zip of "
            f"{config.bomb_bytes / MIB:.0f} MiB of zeros",
            credits=0,
            actions=1,
            tally=tally,
            cost=cost,
            outcome=f"upload: {verdict}",
            goal="refused before inflating (ratio and byte cap)",
            checks={"refused": model_id is None},
        )
    )
    rows.append(funded_zip_bomb(stage, bomb))
    return rows


def funded_zip_bomb(stage: Stage, bomb: bytes) -> Row:
    """A developer who can pay the stake sends the bomb: the stake is escrowed, the bundle is
    refused while it is unpacked (the ratio cap), and the stake comes back."""
    market, config = stage.market, stage.bench.config
    tally = Tally()
    developer = market.developer("funded-bomber", credits=STAKE, tally=tally)
    tally.reset()
    with market.measure() as cost:
        _, verdict = try_deploy(developer, bomb, stake=STAKE, seconds=config.scenario_seconds)
    attack = tally.snapshot()
    # The whole balance is the stake: a valid deployment now proves it came back.
    valid = pack(bundle_parts(name="after-bomb", seed=3), market.work_dir)
    _, again = try_deploy(developer, valid, stake=STAKE, seconds=config.scenario_seconds)
    developer.close()
    return make_row(
        "1c bundle with its stake paid: zip bomb",
        1,
        attacker=f"developer with {STAKE} credits (the stake) uploads the "
        f"{len(bomb) / MIB:.2f} MiB zip of {config.bomb_bytes / MIB:.0f} MiB of zeros",
        credits=STAKE,
        actions=1,
        tally=attack,
        cost=cost,
        outcome=f"upload: {verdict}; then a valid bundle with the same stake: {again}",
        goal="refused while streaming (ratio cap), nothing kept, the stake returned",
        checks={
            "refused": verdict != "live",
            "no 5xx": no_server_errors(attack),
            "stake returned": again == "live",
            "bytes not kept": cost.db_bytes_added <= MAX_STORAGE_BYTES_PER_ACTION,
        },
        unfunded=False,
    )


# --- 2. one request asking several large models ------------------------------------------------


def s02_scoring_cost(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    live_ids = stage.live_ids()
    asked = f"{len(live_ids)} models of {config.live_items} x {config.live_dim}"
    budget = config.request_item_dims or 10**8
    rows = []
    for key, label, credits in (
        ("2a", "unfunded user", 0),
        ("2b", f"user with {QUERY_COMMITMENT} credits", QUERY_COMMITMENT),
    ):
        tally = Tally()
        user = market.user(credits=credits, tally=tally)
        queries = {mid: random_query(user, config.live_dim, mid) for mid in live_ids}
        tally.reset()
        with market.measure() as cost:
            response = user.recommend(queries)
        attack = tally.snapshot()
        # Within the budget, the same user is answered: the refusal is the budget, not the user.
        within = user.recommend({live_ids[0]: queries[live_ids[0]]}).status_code
        user.close()
        refused = 400 <= response.status_code < 500
        checks = {"no 5xx": no_server_errors(attack), "clear 4xx": refused}
        if credits:
            checks["one model within the budget answered"] = within == 200
            checks["nothing written"] = cost.ledger_entries_added == 0
        rows.append(
            make_row(
                f"{key} scoring cost: several large models, {label}",
                2,
                attacker=f"{label}, 1 request asking {asked} "
                f"({len(live_ids) * config.live_items * config.live_dim:,} item-dims)",
                credits=credits,
                actions=1,
                tally=attack,
                cost=cost,
                outcome=f"{response.status_code} {response.text[:90]}; one model alone: {within}",
                goal=f"over the request budget ({budget:,} item-dims): a clear 4xx before "
                "scoring; within 100 ms CPU",
                checks=checks,
                # A funded request is still refused before scoring: hold it to the same bound.
                unfunded=True,
            )
        )
    return rows


# --- 3. credits beyond PostgreSQL's INTEGER ----------------------------------------------------


def s03_postgres_credit_overflow(stage: Stage) -> list[Row]:
    config = stage.bench.config
    tally = Tally()
    market = stage.second_market()
    rich = market.developer("rich", credits=BIG_CREDITS + STAKE, tally=tally)
    poor = market.developer("poor", tally=tally)
    tally.reset()
    outcomes = []
    with market.measure() as cost:
        for label, developer, stake, bid, seed in (
            ("funded stake=2^31", rich, BIG_CREDITS, 0, 31),
            ("funded bid=2^31", rich, STAKE, BIG_CREDITS, 32),
            ("0-credit stake=2^31", poor, BIG_CREDITS, 0, 33),
        ):
            bundle = pack(bundle_parts(name=f"big-{seed}", seed=seed), market.work_dir)
            _, said = try_deploy(
                developer, bundle, stake=stake, bid=bid, seconds=config.scenario_seconds
            )
            outcomes.append(f"{label}: {said[:80]}")
    rich.close()
    poor.close()
    return [
        make_row(
            "3 credits over 2^31-1 on PostgreSQL",
            3,
            attacker="developers upload with stake or bid 2147483648",
            credits=BIG_CREDITS + STAKE,
            actions=3,
            tally=tally,
            cost=cost,
            outcome="; ".join(outcomes),
            goal="no 5xx: BIGINT columns, API bounds match the database",
            checks={"no 5xx": no_server_errors(tally)},
            unfunded=False,
        )
    ]


# --- 4. the same evaluation keys, uploaded again and again -------------------------------------


def s04_evaluation_key_copies(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    tally = Tally()
    user = market.user(tally=tally)
    assert user.keys is not None
    keys = user.keys.evaluation_keys()
    tally.reset()
    with market.measure() as cost:
        for _ in range(config.key_uploads):
            user.call("POST", "/v1/users/me/evaluation-keys", content=keys)
    user.close()
    return [
        make_row(
            "4 evaluation keys uploaded N times",
            4,
            attacker=f"unfunded user uploads the same {len(keys) / MIB:.2f} MiB keys "
            f"{config.key_uploads} times",
            credits=0,
            actions=config.key_uploads,
            tally=tally,
            cost=cost,
            outcome=f"{cost.db_bytes_added / MIB:.1f} MiB stored for {config.key_uploads} copies",
            goal="deduplicated by content hash, a per-account quota",
            checks={"stored once": cost.db_bytes_added <= len(keys) + MIB},
        )
    ]


# --- 5. the ledger grows for free, and its cost grows with it ----------------------------------


def s05_unfunded_ledger_growth(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    tally = Tally()
    user = market.user(tally=tally)
    query = random_query(user, config.extraction_dim, 5)
    tally.reset()
    rounds = 0
    deadline = time.monotonic() + config.scenario_seconds
    with market.measure() as cost:
        while rounds < config.unfunded_rounds and time.monotonic() < deadline:
            rounds += 1
            answer = user.recommend({stage.extraction_id: query})
            if answer.status_code != 200:
                continue
            for result in answer.json()["results"]:
                rating = {"impression_id": result["impression_id"], "shown": 10, "liked": 1}
                body = {**rating, "disliked": 0, "contribution": 1}
                user.call("POST", "/v1/ratings", json_body=body)
    user.close()
    return [
        make_row(
            "5a unfunded account grows the ledger",
            5,
            attacker=f"unfunded user, {rounds} rounds of recommend + rate",
            credits=0,
            actions=tally.requests,
            tally=tally,
            cost=cost,
            outcome=f"{cost.ledger_entries_added} ledger entries in {cost.wall_s:.1f} s",
            goal="what an account adds to the ledger is bounded by what it paid (0 here)",
            checks={"no ledger entries": cost.ledger_entries_added == 0},
        )
    ]


def s05_ledger_after_restart(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    market.server.stop()
    started = time.perf_counter()
    market.seed_ledger(config.ledger_entries)
    length = market.ledger_entries()
    log(f"ledger seeded to {length} entries in {time.perf_counter() - started:.1f} s")
    market.server.start()
    rows = []
    for scenario, path, what in (
        (
            "5b first ledger request after restart",
            f"/v1/ledger?after={length - 2}&limit=1",
            "the last entry",
        ),
        ("5c ledger export page", "/v1/ledger", "a page of the export (the default limit)"),
    ):
        tally = Tally()
        with market.client(tally) as client, market.measure() as cost:
            response = client.get(path)
        rows.append(
            make_row(
                scenario,
                5,
                attacker=f"anonymous GET of {what} ({length} entries)",
                credits=0,
                actions=1,
                tally=tally,
                cost=cost,
                outcome=f"{response.status_code}, {len(response.content) / MIB:.2f} MiB in "
                f"{tally.worst_latency_s:.2f} s",
                goal="no request replays the ledger; the export is paginated",
                checks={"answered": response.status_code == 200},
            )
        )
    return rows


# --- 6. a truncated ledger verifies ------------------------------------------------------------


def export_with_head(client: httpx.Client) -> tuple[list[str], bytes]:
    """Every page of ``GET /v1/ledger`` (``?after=``) and the signed head the first one came
    with; pages stop at that head."""
    first = client.get("/v1/ledger")
    first.raise_for_status()
    head = first.headers[HEAD_HEADER].encode("utf-8")
    lines = first.text.splitlines(keepends=True)
    head_seq = int(json.loads(head)["seq"])
    while lines and int(json.loads(lines[-1])["seq"]) < head_seq:
        page = client.get("/v1/ledger", params={"after": json.loads(lines[-1])["seq"]})
        page.raise_for_status()
        more = page.text.splitlines(keepends=True)
        if not more:
            break
        lines += more
    return lines, head


def s06_truncated_ledger(stage: Stage) -> list[Row]:
    market = stage.market
    tally = Tally()
    with market.client(tally) as client, market.measure() as cost:
        lines, head = export_with_head(client)
    head_path = market.work_dir / "ledger-head.json"
    head_path.write_bytes(head)
    verdicts = {}
    for label, kept in (("whole", lines), ("truncated", lines[:-1])):
        path = market.work_dir / f"ledger-{label}.jsonl"
        path.write_text("".join(kept))
        verdicts[label] = verify_file(
            path, market.market_key_hex, out=io.StringIO(), head_path=head_path
        )
    return [
        make_row(
            "6 truncated ledger verifies",
            6,
            attacker=f"a mirror drops the last of {len(lines)} entries",
            credits=0,
            actions=1,
            tally=tally,
            cost=cost,
            outcome=f"verify against the signed head, exit status: whole {verdicts['whole']}, "
            f"truncated {verdicts['truncated']}",
            goal="verify checks the export against the signed head: truncation detected",
            checks={
                "whole verifies": verdicts["whole"] == 0,
                "truncated detected": verdicts["truncated"] != 0,
            },
            unfunded=False,
        )
    ]


# --- 7. a request signed for market A replayed to market B -------------------------------------


def signed_for(market: Market, user: User, method: str, path: str, body: bytes) -> dict[str, str]:
    """The headers a client signs for ``market``: its ledger key is part of the signed form."""
    return sign_request(
        user.signed.key,
        method,
        path,
        body,
        market=market.market_key_hex,
        timestamp=int(time.time()),
    )


def s07_cross_market_replay(stage: Stage) -> list[Row]:
    market_a = stage.market
    market_b = stage.second_market()
    tally = Tally()
    register = b""
    budget = b'{"amount": 5}'
    with User(market_a.url) as user, User(market_b.url, tally) as replayer:
        sent_to_a = signed_for(market_a, user, "POST", "/v1/users", register)
        user.http.post("/v1/users", content=register, headers=sent_to_a).raise_for_status()
        market_a.deposit(f"user:{user.account}", 10)
        market_b.deposit(f"user:{user.account}", 10)
        funding = signed_for(market_a, user, "POST", "/v1/users/me/budget", budget)
        json_headers = {**funding, "content-type": "application/json"}
        user.http.post("/v1/users/me/budget", content=budget, headers=json_headers)
        with market_b.measure() as cost:
            first = replayer.http.post("/v1/users", content=register, headers=sent_to_a)
            second = replayer.http.post("/v1/users/me/budget", content=budget, headers=json_headers)
    return [
        make_row(
            "7 request for market A replayed to B",
            7,
            attacker="anyone replays a user's 2 signed requests to another market",
            credits=0,
            actions=2,
            tally=tally,
            cost=cost,
            outcome=f"B answered register {first.status_code}, budget {second.status_code}",
            goal="signatures bind the market: B refuses both, its ledger unchanged",
            checks={
                "B refuses both": first.status_code >= 400 and second.status_code >= 400,
                "B's ledger unchanged": cost.ledger_entries_added == 0,
            },
        )
    ]


# --- 8. retiring a model while requests wait on it ---------------------------------------------


def s08_retire_while_scoring(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    model_id = stage.live_ids()[-1]
    tally = Tally()
    user = market.user(credits=QUERY_COMMITMENT, tally=tally)
    query = random_query(user, config.live_dim, 8)
    tally.reset()
    finished: list[tuple[float, int]] = []

    def ask(_: int) -> None:
        status = user.recommend({model_id: query}).status_code
        finished.append((time.monotonic(), status))

    with market.measure() as cost, futures.ThreadPoolExecutor(config.queued_requests) as pool:
        waiting = [pool.submit(ask, i) for i in range(config.queued_requests)]
        # Once the first answer is back, the others are queued on the model's scorer.
        futures.wait(waiting, timeout=config.scenario_seconds, return_when=futures.FIRST_COMPLETED)
        retired_at = time.monotonic()
        retired = market.retire(stage.developer, model_id)
        futures.wait(waiting, timeout=config.scenario_seconds + config.scoring_timeout_s)
    user.close()
    waits = [done - retired_at for done, _ in finished]
    worst = max(waits, default=float("inf"))
    statuses = sorted(status for _, status in finished)
    return [
        make_row(
            "8 retire while scoring",
            8,
            attacker=f"{config.queued_requests} requests queued on a model its developer retires",
            credits=QUERY_COMMITMENT,
            actions=config.queued_requests,
            tally=tally,
            cost=cost,
            outcome=f"retire {retired}; requests {statuses}; the last ended {worst:.1f} s "
            "after the retire",
            goal=f"queued requests fail fast (<= {RETIRE_WAIT_MAX_S:.0f} s) with a clear error",
            checks={
                "all answered": len(finished) == config.queued_requests,
                "no 5xx": no_server_errors(tally),
                f"ended <= {RETIRE_WAIT_MAX_S:.0f} s after retire": worst <= RETIRE_WAIT_MAX_S,
            },
            unfunded=False,
        )
    ]


# --- 9. lax types on money ---------------------------------------------------------------------


def s09_lax_types(stage: Stage) -> list[Row]:
    market, config = stage.market, stage.bench.config
    tally = Tally()
    user = market.user(credits=QUERY_COMMITMENT, tally=tally)
    market.deposit(f"user:{user.account}", 10)  # credits a lax amount could move
    query = random_query(user, config.extraction_dim, 9)
    answer = user.recommend({stage.extraction_id: query})
    answer.raise_for_status()
    impression = answer.json()["results"][0]["impression_id"]
    tally.reset()
    nul_rating = {
        "impression_id": impression,
        "shown": 10,
        "liked": 1,
        "disliked": 0,
        "contribution": 1,
        "items": [{"item_id": "item-\x00", "vote": "like"}],
    }
    statuses = {}
    with market.measure() as cost:
        for label, path, body in (
            ("amount true", "/v1/users/me/budget", {"amount": True}),
            ('amount "5"', "/v1/users/me/budget", {"amount": "5"}),
            ("NUL item id", "/v1/ratings", nul_rating),
        ):
            statuses[label] = user.call("POST", path, json_body=body).status_code
    user.close()
    return [
        make_row(
            "9 lax types on money and ids",
            9,
            attacker="funded user sends a bool amount, a string amount, a NUL item id",
            credits=10,
            actions=3,
            tally=tally,
            cost=cost,
            outcome=", ".join(f"{label}: {status}" for label, status in statuses.items()),
            goal="strict integers, printable bounded ids: 422 each, nothing written",
            checks={
                "all 422": set(statuses.values()) == {422},
                "nothing written": cost.ledger_entries_added == 0,
            },
            unfunded=False,
        )
    ]


# --- 10. the database file's mode --------------------------------------------------------------


def s10_database_file_mode(stage: Stage) -> list[Row]:
    def modes(market: Market) -> dict[str, str]:
        path = Path(market.database_url.removeprefix("sqlite:///"))
        files = [path, *(path.with_name(path.name + tail) for tail in ("-wal", "-shm"))]
        return {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files if f.exists()}

    tally = Tally()
    if stage.market.database_url.startswith("sqlite"):
        with stage.market.measure() as cost:
            found = modes(stage.market)
    else:
        with stage.bench.market("s10-sqlite", sqlite=True) as market, market.measure() as cost:
            found = modes(market)
    private = all(int(mode, 8) & 0o077 == 0 for mode in found.values())
    return [
        make_row(
            "10 database file mode",
            10,
            attacker="another account on the server's machine reads the file",
            credits=0,
            actions=1,
            tally=tally,
            cost=cost,
            outcome=", ".join(f"{name} {mode}" for name, mode in found.items()),
            goal="0600 like the market key",
            checks={"owner-only": private and bool(found)},
            unfunded=False,
        )
    ]


# --- 11. concurrent settlements ----------------------------------------------------------------


def s11_concurrent_settle(stage: Stage) -> list[Row]:
    market = stage.market
    closes = "SELECT COUNT(*) FROM ledger_entry WHERE kind = 'epoch_close'"
    outcomes: list[str] = []

    def run_settle(settle: Callable[[], str]) -> None:
        try:
            outcomes.append(settle().splitlines()[0][:60])
        except RuntimeError as error:
            outcomes.append(f"failed: {str(error)[-80:]}")

    def closed_by(runs: list[Callable[[], str]], *, at_once: bool) -> int:
        before = market.count(closes)
        if at_once:
            with futures.ThreadPoolExecutor(len(runs)) as pool:
                list(pool.map(run_settle, runs))
        else:
            for settle in runs:
                run_settle(settle)
        return market.count(closes) - before

    tally = Tally()
    with market.measure() as cost:
        # Without --epoch (the cron line): the open epoch is minutes old, not due.
        undue = closed_by([market.settle] * 2, at_once=False)
        # --epoch N twice in a row, then three `privrec market settle --epoch N+1` at once.
        named = market.server.open_epoch()
        sequential = closed_by([lambda: market.settle(named)] * 2, at_once=False)
        concurrent = closed_by([lambda: market.server.settle(named + 1)] * 3, at_once=True)
    crashed = [o for o in outcomes if "Traceback" in o or o.startswith("failed")]
    return [
        make_row(
            "11 settle run twice, and 3 at once",
            11,
            attacker="an operator (or cron) runs `privrec market settle` 2 + 2 + 3 times",
            credits=0,
            actions=7,
            tally=tally,
            cost=cost,
            outcome=f"epochs closed: {undue} by 2 runs before the epoch is due, {sequential} by "
            f"2 runs of --epoch {named} in a row, {concurrent} by 3 concurrent runs of "
            f"--epoch {named + 1}; {len(crashed)} runs failed",
            goal="settles only due epochs (or the one named); concurrent runs settle once",
            checks={
                "2 runs before due close none": undue == 0,
                "2 runs of --epoch N close 1": sequential == 1,
                "3 concurrent runs close 1": concurrent == 1,
                "no run failed": not crashed,
            },
            unfunded=False,
        )
    ]


# --- 12. model extraction with d basis-vector queries ------------------------------------------


Answers = list[list[np.ndarray[Any, Any]]]  # per basis vector, each decrypted column


def extraction_queries(
    user: User, model_id: int, dim: int, count: int
) -> tuple[Answers, list[int]]:
    """Ask ``model_id`` the basis vectors e_1..e_d round-robin, ``count`` times in all (stopping
    at the first refusal); the decrypted columns per basis vector, and every status."""
    answers: Answers = [[] for _ in range(dim)]
    statuses = []
    assert user.keys is not None
    for n in range(count):
        basis = np.zeros(dim)
        basis[n % dim] = 1.0
        prepared = user.query(basis)
        response = user.recommend({model_id: prepared})
        statuses.append(response.status_code)
        if response.status_code != 200:
            log(f"extraction query {n}: {failure(response)}")
            break
        result = response.json()["results"][0]
        scores = decrypt_scores(user.keys, base64.b64decode(result["response"]), prepared)
        answers[n % dim].append(np.asarray(scores, dtype=np.float64))
    return answers, statuses


def relative_error(answers: Answers, table: np.ndarray[Any, Any], *, rounds: int) -> float:
    """The error of the table recovered from the first ``rounds`` answers per column,
    averaged; infinite if a column was never answered."""
    if any(not column for column in answers):
        return float("inf")
    recovered = np.stack(
        [np.mean(column[:rounds], axis=0)[: len(table)] for column in answers], axis=1
    )
    return float(np.linalg.norm(recovered - table) / np.linalg.norm(table))


def queries_to(target: float, error_after_one_round: float, dim: int) -> int:
    """Queries an attacker needs to average its way down to ``target`` (the error falls as
    1/sqrt(k) over k rounds: docs/model_extraction.md)."""
    return dim * max(1, math.ceil((error_after_one_round / target) ** 2))


def s12_model_extraction(stage: Stage) -> list[Row]:
    market = stage.market
    table = stage.extraction_items.astype(np.float64)
    items, dim = table.shape
    rows = []

    tally = Tally()
    user = market.user(tally=tally)
    tally.reset()
    with market.measure() as cost:
        unfunded = [
            user.recommend({stage.extraction_id: user.query(np.eye(dim)[i])}).status_code
            for i in range(dim)
        ]
    user.close()
    rows.append(
        make_row(
            "12a model extraction: unfunded account",
            12,
            attacker=f"unfunded user sends the {dim} basis vectors to a {items} x {dim} model",
            credits=0,
            actions=dim,
            tally=tally,
            cost=cost,
            outcome=f"statuses {sorted(set(unfunded))}: none answered",
            goal="no query without committed credits (402), nothing written",
            checks={
                "all refused with 402": unfunded == [402] * dim,
                "nothing written": cost.ledger_entries_added == 0,
            },
        )
    )

    # A funded account with the minimum commitment asks each model until it is refused.
    tally = Tally()
    user = market.user(credits=QUERY_COMMITMENT, tally=tally)
    tally.reset()
    answered: dict[str, list[int]] = {}
    errors: dict[str, tuple[float, float]] = {}  # (after one round, after the cap)
    with market.measure() as cost:
        for label, model_id in (
            ("plain", stage.extraction_id),
            ("noisy", stage.noisy_extraction_id),
        ):
            answers, answered[label] = extraction_queries(user, model_id, dim, PER_MODEL_CAP + 1)
            errors[label] = (
                relative_error(answers, table, rounds=1),
                relative_error(answers, table, rounds=PER_MODEL_CAP),
            )
    user.close()
    needs = []
    for label, (one_round, _) in errors.items():
        for target in (0.1, 0.01):
            queries = queries_to(target, one_round, dim)
            epochs = math.ceil(queries / PER_MODEL_CAP)
            needs.append(
                f"{label} to {target:.0%}: {queries:,} queries = {epochs:,} account-epochs "
                f"({epochs * QUERY_COMMITMENT:,} credits committed)"
            )
    cap_held = {
        label: statuses == [200] * PER_MODEL_CAP + [429] for label, statuses in answered.items()
    }
    # With at most 2 answers per column in one account-epoch, noise of sigma (the table's
    # entries have rms 1) leaves an error of at least about sigma/sqrt(2) = 0.07.
    noisy_floor = EXTRACTION_NOISE / 2
    rows.append(
        make_row(
            "12b model extraction: funded account, per-model cap",
            12,
            attacker=f"user with {QUERY_COMMITMENT} credits committed asks the basis vectors "
            f"of a {items} x {dim} model, and of its twin with score_noise {EXTRACTION_NOISE}, "
            "until refused",
            credits=QUERY_COMMITMENT,
            actions=2 * (PER_MODEL_CAP + 1),
            tally=tally,
            cost=cost,
            outcome=f"answered {sum(s == 200 for s in answered['plain'])} + "
            f"{sum(s == 200 for s in answered['noisy'])} then "
            f"{answered['plain'][-1]}/{answered['noisy'][-1]}; error after one round: plain "
            f"{errors['plain'][0]:.2g}, noisy {errors['noisy'][0]:.2g}; in one account-epoch: "
            f"plain {errors['plain'][1]:.2g}, noisy {errors['noisy'][1]:.2g}; " + "; ".join(needs),
            goal=f"a cost to manage: {PER_MODEL_CAP} queries per (account, model) per epoch, "
            f"tied to {QUERY_COMMITMENT} committed credits; noise makes copies dearer",
            checks={
                f"cap of {PER_MODEL_CAP} then 429 (plain)": cap_held["plain"],
                f"cap of {PER_MODEL_CAP} then 429 (noisy)": cap_held["noisy"],
                f"noisy error >= {noisy_floor:g} in one account-epoch": errors["noisy"][1]
                >= noisy_floor,
            },
            unfunded=False,
        )
    )
    return rows


# --- the run -----------------------------------------------------------------------------------


Scenario = Callable[[Stage], list[Row]]
# In run order: the stage's models are retired (8), its epoch settled (11) and its server
# restarted on a longer ledger (5b) only after the scenarios that need them as they were.
SCENARIOS: dict[str, Scenario] = {
    "12": s12_model_extraction,
    "9": s09_lax_types,
    "5a": s05_unfunded_ledger_growth,
    "4": s04_evaluation_key_copies,
    "2": s02_scoring_cost,
    "8": s08_retire_while_scoring,
    "7": s07_cross_market_replay,
    "1": s01_bundle_before_money,
    "10": s10_database_file_mode,
    "11": s11_concurrent_settle,
    "6": s06_truncated_ledger,
    "5b": s05_ledger_after_restart,
    "3": s03_postgres_credit_overflow,
}


def run(
    config_name: str,
    *,
    database_url: str | None = None,
    postgres_url: str = POSTGRES_URL,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Run the scenarios (all, or those whose key or item number is in ``only``); the rows
    come back sorted by item."""
    config = CONFIGS[config_name]
    chosen = {
        key: scenario
        for key, scenario in SCENARIOS.items()
        if only is None or key in only or key.rstrip("ab") in only
    }
    rows: list[tuple[str, Row]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="privrec-abuse-") as tmp:
        bench = Bench(config, Path(tmp), database_url, postgres_url)
        with ExitStack() as resources:
            market = resources.enter_context(
                bench.market("stage", settings=config.stage_settings())
            )
            stage = build_stage(bench, market, resources)
            try:
                for key, scenario in chosen.items():
                    begun = time.perf_counter()
                    rows += [(key, row) for row in attempt(key, scenario, stage)]
                    log(f"scenario {key} in {time.perf_counter() - begun:.1f} s")
            finally:
                stage.developer.close()
    rows.sort(key=lambda pair: (pair[1].item, pair[1].scenario))
    return {
        "config": config_name,
        "wall_s": round(time.perf_counter() - started, 1),
        "rows": [{"key": key, **row.as_dict()} for key, row in rows],
    }


def attempt(key: str, scenario: Scenario, stage: Stage) -> list[Row]:
    """The scenario's rows; one failed row if it crashed (e.g. an API it drives changed),
    so that the other scenarios still run."""
    try:
        return scenario(stage)
    except Exception as error:
        log(f"scenario {key} crashed:\n{traceback.format_exc()}")
        item = int(key.rstrip("ab"))
        return [crashed_row(f"{key} {scenario.__name__}", item, f"{type(error).__name__}: {error}")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--small", action="store_true", help="the CI configuration")
    size.add_argument("--large", action="store_true", help="the issue's sizes (the default)")
    parser.add_argument("--json", default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument(
        "--database-url", help="e.g. PostgreSQL (default: SQLite in a temporary directory)"
    )
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="the PostgreSQL of scenario 3 (always run there)",
    )
    parser.add_argument("--only", nargs="+", help="scenario keys or item numbers, e.g. 5 9 12")
    args = parser.parse_args(argv)
    outcome = run(
        "small" if args.small else "large",
        database_url=args.database_url,
        postgres_url=args.postgres_url,
        only=args.only,
    )
    print_table(outcome["rows"], COLUMNS)
    print()
    for row in outcome["rows"]:
        print(f"{row['scenario']}: {row['outcome']}")
    passed = sum(row["passed"] for row in outcome["rows"])
    print(f"\n{passed}/{len(outcome['rows'])} scenarios meet the goal ({outcome['wall_s']} s)")
    parameters = {"database": (args.database_url or "sqlite").split(":")[0].split("+")[0]}
    write_json(
        args.json,
        {
            "benchmark": "market_abuse",
            "machine": machine(),
            "parameters": {**parameters, **dataclasses.asdict(CONFIGS[outcome["config"]])},
            **outcome,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
