"""Several server processes on one PostgreSQL: ratings, duplicate ratings and settlement running
at the same time lose nothing and pay nothing twice, and the exported ledger still verifies."""

from __future__ import annotations

import base64
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import sqlalchemy
from sqlmodel import Session, select

from crypto import IdentityKey, SecretKeys, encrypt_query
from ledger.economy import ATTENTION_MEMO, SETTLE_MEMO
from ledger.entries import Entry
from ledger.keys import MarketKey
from ledger.replay import Report
from ledger.verify import Proof, check_payout_proof, verify_ledger
from market_server import crud
from market_server.core.config import Settings
from market_server.core.db import make_engine
from market_server.ledger_store import current_epoch, open_store
from market_server.models import Impression, Rating
from recommenders.bundle import pack_bundle
from tests.factories import SignedClient, make_bundle, upload_bundle
from tests.live_server import LiveServer

MARKET_KEY = "5a" * 32
FAUCET = 1000  # Settings.faucet_amount
USERS = 10
ROUNDS = 3  # recommendation requests per user, each one impression per model
MODELS = {"shelf": ("acme", 100, 5), "grump": ("bolt", 200, 3)}  # name: developer, stake, bid
ESCROW_BIDS = 100  # each model's attention escrow backs this many bids
DIM = 8

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Clients:
    """One ``httpx.Client`` per thread and server, so no connection pool is shared by threads."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self._local = threading.local()
        self._opened: list[httpx.Client] = []
        self._lock = threading.Lock()

    def get(self, server: int) -> httpx.Client:
        mine: dict[int, httpx.Client] = self._local.__dict__.setdefault("clients", {})
        if server not in mine:
            mine[server] = httpx.Client(base_url=self.urls[server], timeout=60)
            with self._lock:
                self._opened.append(mine[server])
        return mine[server]

    def signed(self, key: IdentityKey, server: int) -> SignedClient:
        return SignedClient(self.get(server), key)

    def close(self) -> None:
        with self._lock:
            for client in self._opened:
                client.close()


@dataclass
class Member:
    key: IdentityKey
    budget: int
    impressions: list[tuple[str, int]] = field(default_factory=list)  # (id, model id)

    @property
    def account(self) -> str:
        return self.key.public_key_hex


@dataclass
class Outcome:
    impression_id: str
    model_id: int
    status: int
    body: Any


@dataclass
class Settler:
    """Settles the open epoch over and over from its own engine and ledger store (what
    ``privrec market settle`` does), in a thread of the test process."""

    settings: Settings
    closed: list[tuple[int, list[Entry]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.resolved_database_url)
        self.store = open_store(self.settings, self.engine)

    def settle_once(self) -> list[Entry]:
        with Session(self.engine) as session:
            # Both settlers aim at the epoch they see open: they race to close the same one.
            epoch = current_epoch(self.store.snapshot(session))
            entries = crud.settle(session=session, store=self.store, epoch=epoch)
        self.closed.append((epoch, entries))
        return entries

    def run(self, start: threading.Event, stop: threading.Event, pause: float) -> None:
        start.wait(timeout=60)
        while not stop.is_set():
            self.settle_once()
            time.sleep(pause)

    def close(self) -> None:
        self.engine.dispose()


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[list[LiveServer]]:
    """Two ``privrec market serve`` processes of two workers each, started at the same time
    (so they also migrate the shared schema at once), on one database and one market key."""
    live = [
        LiveServer(
            data_dir=tmp_path / name,
            database_url=database_url,
            market_key=MARKET_KEY,
            workers=2,
            extra_env={"PRIVREC_SCORING_TIMEOUT_S": "60"},
        )
        for name in ("a", "b")
    ]
    try:
        with ThreadPoolExecutor(2) as pool:
            for started in [pool.submit(server.start) for server in live]:
                started.result()
        yield live
    finally:
        for server in live:
            server.stop()


def deploy_models(client: httpx.Client, tmp_path: Path) -> dict[str, int]:
    """Each developer signs up, takes the faucet and deploys its model; wait until all are live."""
    ids = {}
    for seed, (name, (developer, stake, bid)) in enumerate(MODELS.items()):
        created = client.post("/v1/developers", json={"name": developer})
        assert created.status_code == 201, created.text
        headers = {"Authorization": f"Bearer {created.json()['api_key']}"}
        assert client.post("/v1/developers/me/faucet", headers=headers).status_code == 200
        bundle = pack_bundle(make_bundle(tmp_path, n=64, d=DIM, name=name, seed=seed))
        escrow = ESCROW_BIDS * bid
        deployed = upload_bundle(client, headers, bundle, stake=stake, bid=bid, escrow=escrow)
        assert deployed.status_code == 202, deployed.text
        ids[name] = deployed.json()["id"]
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        states = {name: client.get(f"/v1/models/{i}").json()["status"] for name, i in ids.items()}
        if all(state not in ("pending", "validating") for state in states.values()):
            break
        time.sleep(0.2)
    assert states == dict.fromkeys(ids, "live")
    return ids


def join_market(clients: Clients, index: int, model_ids: dict[str, int]) -> Member:
    """Register, take the faucet, fund a budget, upload keys and ask for recommendations,
    alternating between the servers."""
    member = Member(IdentityKey.generate(), budget=50 + 10 * index)
    here, there = clients.signed(member.key, index % 2), clients.signed(member.key, 1 - index % 2)
    assert here.register().status_code == 201
    assert there.register().status_code == 200  # the other server sees the same account
    assert there.request("POST", "/v1/users/me/faucet").json()["balance"] == FAUCET
    funded = here.request("POST", "/v1/users/me/budget", json_body={"amount": member.budget})
    assert funded.status_code == 200, funded.text
    keys = SecretKeys.generate()
    uploaded = there.request("POST", "/v1/users/me/evaluation-keys", content=keys.evaluation_keys())
    assert uploaded.status_code == 201, uploaded.text
    rng = np.random.default_rng(index)
    for round_ in range(ROUNDS):
        queries = [
            {
                "model_id": model_id,
                "query": base64.b64encode(
                    encrypt_query(keys, rng.standard_normal(DIM)).wire
                ).decode(),
            }
            for model_id in model_ids.values()
        ]
        body = {"evaluation_key_id": uploaded.json()["id"], "queries": queries}
        answer = (here, there)[round_ % 2].request("POST", "/v1/recommendations", json_body=body)
        assert answer.status_code == 200, answer.text
        member.impressions += [
            (r["impression_id"], r["model_id"]) for r in answer.json()["results"]
        ]
    return member


def rating_for(rng: random.Random, model: str, *, per_item: bool) -> dict[str, Any]:
    """Users like shelf and mostly dislike grump, so grump's stake is burned; some share
    per-item votes (which pays them more)."""
    liked, disliked = rng.randint(0, 4), rng.randint(0, 4)
    if model == "grump":
        liked, disliked = min(liked, 1), max(disliked, 2)
    body: dict[str, Any] = {
        "shown": 10,
        "liked": liked,
        "disliked": disliked,
        "contribution": liked - disliked,  # each model's own list, blended alone
    }
    if per_item:
        votes = ["like"] * liked + ["dislike"] * disliked
        body["items"] = [{"item_id": f"item-{i}", "vote": vote} for i, vote in enumerate(votes)]
    return body


@dataclass
class CliSettler:
    """Runs ``privrec market settle`` as a process of its own, over and over."""

    env: dict[str, str]
    closed: list[int] = field(default_factory=list)

    def settle_once(self) -> None:
        command = [sys.executable, "-m", "privrec_cli", "market", "settle"]
        done = subprocess.run(
            command, env=self.env, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        self.closed += [int(n) for n in re.findall(r"^settled epoch ([0-9]+):", done.stdout, re.M)]

    def run(self, start: threading.Event, stop: threading.Event, pause: float) -> None:
        start.wait(timeout=60)
        while not stop.is_set():
            self.settle_once()
            time.sleep(pause)


@dataclass
class Storm:
    """What the clients were told while everything ran at once."""

    members: list[Member]
    outcomes: list[Outcome] = field(default_factory=list)  # impressions rated once
    pairs: list[tuple[Outcome, Outcome]] = field(default_factory=list)  # rated twice at once
    top_ups: list[int] = field(default_factory=list)  # statuses of budget top-ups
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def impressions(self) -> list[tuple[Member, str, int]]:
        return [(m, impression, model) for m in self.members for impression, model in m.impressions]

    @property
    def acknowledged(self) -> list[Outcome]:
        return self.outcomes + [o for pair in self.pairs for o in pair if o.status == 201]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_concurrent_ratings_and_settlement_across_processes(
    servers: list[LiveServer], database_url: str, tmp_path: Path
) -> None:
    clients = Clients([server.url for server in servers])
    settings = Settings(
        mode="local",
        data_dir=tmp_path / "settler",
        database_url=database_url,
        market_key=MARKET_KEY,
    )
    settlers = [Settler(settings), Settler(settings)]
    cli = CliSettler(
        {
            **os.environ,
            "PRIVREC_MODE": "local",
            "PRIVREC_DATA_DIR": str(tmp_path / "cli"),
            "PRIVREC_DATABASE_URL": database_url,
            "PRIVREC_MARKET_KEY": MARKET_KEY,
            # `market settle` closes only a due epoch: here, one at least a second old.
            "PRIVREC_EPOCH_S": "1",
        }
    )
    try:
        model_ids = deploy_models(clients.get(0), tmp_path)
        with ThreadPoolExecutor(6) as pool:
            members = list(pool.map(lambda i: join_market(clients, i, model_ids), range(USERS)))
        storm = Storm(members)
        assert len(storm.impressions) == USERS * ROUNDS * len(MODELS)
        run_storm(storm, clients, settlers, cli, model_ids)
        closed = len(cli.closed)
        time.sleep(1.1)  # let the open epoch come due
        cli.settle_once()  # close the epoch the last ratings fell into
        assert len(cli.closed) == closed + 1

        key = clients.get(0).get("/v1/ledger/key").json()["public_key"]
        assert key == MarketKey.from_seed_hex(MARKET_KEY).public_key_hex
        exports = [clients.get(server).get("/v1/ledger") for server in (0, 1)]
        assert exports[0].status_code == 200 and exports[0].text == exports[1].text
        lines = exports[0].text.splitlines()
        stakes_of = {f"{name}@1.0.0": developer for name, (developer, _, _) in MODELS.items()}
        report = verify_ledger(lines, key, stakes_of=stakes_of, params=settlers[0].store.params)
        assert report.ok, report.error
        entries = [Entry.from_json_line(line) for line in lines]

        check_ratings(storm, entries, database_url)
        check_settlements(entries, report, settlers, cli)
        check_balances(storm, entries, report, clients)
        payout = next(e for e in entries if ":share:" in str(e.body.get("memo", "")))
        proof = Proof.from_json(clients.get(1).get(f"/v1/ledger/proof/{payout.seq}").text)
        assert proof.entry == payout and check_payout_proof(proof, key)
    finally:
        clients.close()
        for settler in settlers:
            settler.close()


def run_storm(
    storm: Storm,
    clients: Clients,
    settlers: list[Settler],
    cli: CliSettler,
    model_ids: dict[str, int],
) -> None:
    """Every impression rated once, a third of them twice at the same instant through both
    servers, budgets topped up, while two settler threads and a settler process keep closing
    epochs. They start once shelf has a like, so that the budgets funded in epoch 0 pay it."""
    names = {model_id: name for name, model_id in model_ids.items()}
    rng = random.Random(7)
    impressions = storm.impressions
    rng.shuffle(impressions)

    def rate(member: Member, impression: str, model_id: int, body: Any, server: int) -> Outcome:
        response = clients.signed(member.key, server).request(
            "POST", "/v1/ratings", json_body={"impression_id": impression, **body}
        )
        if response.status_code == 201 and names[model_id] == "shelf" and body["liked"]:
            start.set()
        return Outcome(impression, model_id, response.status_code, response.json())

    def rate_once(member: Member, impression: str, model_id: int, body: Any, server: int) -> None:
        outcome = rate(member, impression, model_id, body, server)
        with storm.lock:
            storm.outcomes.append(outcome)

    def rate_twice(member: Member, impression: str, model_id: int, body: Any, _: int) -> None:
        barrier = threading.Barrier(2, timeout=30)

        def at_once(server: int) -> Outcome:
            barrier.wait()
            return rate(member, impression, model_id, body, server)

        with ThreadPoolExecutor(2) as both:
            first, second = both.map(at_once, (0, 1))
        with storm.lock:
            storm.pairs.append((first, second))

    def top_up(member: Member, server: int) -> None:
        funded = clients.signed(member.key, server).request(
            "POST", "/v1/users/me/budget", json_body={"amount": 20}
        )
        with storm.lock:
            storm.top_ups.append(funded.status_code)

    start, stop = threading.Event(), threading.Event()
    with ThreadPoolExecutor(3) as background:
        settling = [
            background.submit(settlers[0].run, start, stop, 0.05),
            background.submit(settlers[1].run, start, stop, 0.08),
            background.submit(cli.run, start, stop, 0.2),
        ]
        try:
            with ThreadPoolExecutor(10) as pool:
                tasks: list[Future[None]] = []
                for n, (member, impression, model_id) in enumerate(impressions):
                    body = rating_for(rng, names[model_id], per_item=n % 5 == 0)
                    task: Callable[..., None] = rate_twice if n % 3 == 0 else rate_once
                    server = rng.randrange(2)
                    tasks.append(pool.submit(task, member, impression, model_id, body, server))
                    if n % 6 == 0:
                        tasks.append(pool.submit(top_up, storm.members[n % USERS], n % 2))
                for submitted in tasks:
                    submitted.result()
        finally:
            start.set()
            stop.set()
        for running in settling:
            running.result()

    # Every request got an answer the API documents: no 5xx, nothing lost.
    failed = [o.body for o in storm.outcomes if o.status != 201]
    assert failed == []
    for first, second in storm.pairs:
        assert sorted((first.status, second.status)) == [201, 409], (first.body, second.body)
        refused = first if first.status == 409 else second
        assert refused.body == {"detail": "this impression is already rated"}
    assert storm.pairs and set(storm.top_ups) == {200}
    assert len(storm.acknowledged) == len(impressions)


def check_ratings(storm: Storm, entries: list[Entry], database_url: str) -> None:
    """Every acknowledged rating is in the ledger and the database exactly once, and nothing
    else is; attention was paid once per rating, exactly what its 201 said."""
    acknowledged = storm.acknowledged
    rated = Counter(str(e.body["impression_id"]) for e in entries if e.kind == "rating")
    assert set(rated.values()) == {1}
    assert set(rated) == {o.impression_id for o in acknowledged}
    per_item = {str(e.body["impression_id"]) for e in entries if e.body.get("per_item") is True}
    assert per_item == {o.impression_id for o in acknowledged if o.body["per_item"]} != set()
    shown = Counter(str(e.body["impression_id"]) for e in entries if e.kind == "impression")
    assert set(shown.values()) == {1} and set(shown) == {i for _, i, _ in storm.impressions}
    # The ratings really interleaved with settlement: they fell into several epochs.
    assert len({e.epoch for e in entries if e.kind == "rating"}) >= 2
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            assert Counter(session.exec(select(Rating.impression_id)).all()) == rated
            assert len(session.exec(select(Impression.id)).all()) == len(storm.impressions)
            held = session.execute(sqlalchemy.text("SELECT count(*) FROM ledger_entry")).scalar()
            assert held == len(entries)
    finally:
        engine.dispose()

    paid = Counter(
        str(e.body["memo"]).removeprefix(ATTENTION_MEMO)
        for e in entries
        if e.kind == "transfer"
        and str(e.body["memo"]).startswith(ATTENTION_MEMO)
        and str(e.body["to"]).startswith("user:")
    )
    assert set(paid.values()) == {1}
    amounts = attention_to_users(entries)
    assert {o.impression_id: o.body["attention_paid"] for o in acknowledged} == {
        o.impression_id: amounts.get(o.impression_id, 0) for o in acknowledged
    }
    assert sum(amounts.values()) > 0


def attention_to_users(entries: list[Entry]) -> dict[str, int]:
    """Impression id -> what its rater was paid for rating it."""
    return {
        str(e.body["memo"]).removeprefix(ATTENTION_MEMO): int(e.body["amount"])
        for e in entries
        if e.kind == "transfer"
        and str(e.body["memo"]).startswith(ATTENTION_MEMO)
        and str(e.body["to"]).startswith("user:")
    }


def check_settlements(
    entries: list[Entry], report: Report, settlers: list[Settler], cli: CliSettler
) -> None:
    """Each epoch closed once, in order, by exactly one settle call; no payout twice."""
    closes = Counter(int(e.body["epoch"]) for e in entries if e.kind == "epoch_close")
    assert set(closes.values()) == {1}
    assert sorted(closes) == list(range(len(closes))) == list(report.closed_epochs)
    settled = Counter(epoch for s in settlers for epoch, done in s.closed if done)
    settled.update(cli.closed)
    assert settled == closes
    for settler in settlers:
        for epoch, done in settler.closed:
            assert all(e.epoch == epoch for e in done)
    payouts = Counter(
        (str(e.body["from"]), str(e.body["memo"]))
        for e in entries
        if e.kind in ("transfer", "burn") and str(e.body["memo"]).startswith(SETTLE_MEMO)
    )
    assert payouts and set(payouts.values()) == {1}
    assert any(e.kind == "burn" for e in entries), "grump's net negative epochs burn its stake"
    assert any(":share:shelf@1.0.0" in str(e.body.get("memo", "")) for e in entries)
    assert not [a for a in report.balances if a.startswith("budget:")]  # every budget settled


def check_balances(storm: Storm, entries: list[Entry], report: Report, clients: Clients) -> None:
    """Credits are conserved, and both servers report the verified balances."""
    minted = FAUCET * (USERS + len(MODELS))
    assert report.totals.minted == minted
    assert sum(report.balances.values()) + report.totals.burned == minted
    assert all(amount > 0 for amount in report.balances.values())
    transfers = [e.body for e in entries if e.kind == "transfer"]
    attention = attention_to_users(entries)
    for member in storm.members:
        wallets = [
            clients.signed(member.key, server).request("GET", "/v1/users/me/wallet").json()
            for server in (0, 1)
        ]
        assert wallets[0] == wallets[1]
        wallet = wallets[0]
        assert wallet["balance"] == report.balances.get(f"user:{member.account}", 0)
        assert wallet["budget"] == 0 and wallet["epoch"] == len(report.closed_epochs)
        mine = {impression for impression, _ in member.impressions}
        assert wallet["attention_earned"] == sum(attention.get(i, 0) for i in mine)
        payouts: Counter[str] = Counter()
        for body in transfers:
            paid = re.fullmatch(r"settle:[0-9]+:(?:share|fee):(.+)", str(body["memo"]))
            if paid and str(body["from"]).startswith(f"budget:{member.account}:"):
                payouts[paid[1]] += int(body["amount"])
        assert wallet["payouts"] == dict(payouts)
    boards = [clients.get(server).get("/v1/leaderboard").json() for server in (0, 1)]
    assert boards[0] == boards[1] and len(boards[0]) == len(MODELS)
    for row in boards[0]:
        name = f"{row['name']}@{row['version']}"
        assert row["stake"] == report.balances.get(f"stake:{name}", 0)
        ratings = [o for o in storm.acknowledged if o.model_id == row["model_id"]]
        assert (row["ratings"], row["impressions"]) == (len(ratings), ROUNDS * USERS)
        assert row["liked"] == sum(o.body["liked"] for o in ratings)
        shares = sum(
            int(body["amount"])
            for body in transfers
            if str(body["memo"]).endswith(f":share:{name}")
        )
        assert row["earnings"] == shares
    for name, (developer, stake, bid) in MODELS.items():
        account, escrow = f"dev:{developer}", f"escrow:{name}@1.0.0"
        out = sum(int(body["amount"]) for body in transfers if body["from"] == account)
        earned = sum(int(body["amount"]) for body in transfers if body["to"] == account)
        assert out == stake + ESCROW_BIDS * bid  # nothing else ever leaves a developer
        assert report.balances.get(account, 0) == FAUCET - out + earned
        paid_for_attention = sum(
            int(body["amount"])
            for body in transfers
            if body["from"] == escrow and str(body["memo"]).startswith(ATTENTION_MEMO)
        )
        assert paid_for_attention > 0  # attention is paid out of the escrow, and only that
        assert report.balances.get(escrow, 0) == ESCROW_BIDS * bid - paid_for_attention
