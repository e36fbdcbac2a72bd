"""A live market for the economy-attack regression tests: developers and users on its HTTP API
(users signing raw requests, as an attacker writes them), settlement by the CLI, and each
side's gain and outlay in credits read back from the verified ledger export."""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from benchmarks._abuse_harness import User
from client_app.developer import DeveloperClient
from crypto import PreparedQuery
from ledger.economy import (
    MARKET,
    EconomyParams,
    budget_owner,
    dev_account,
    escrow_account,
    parse_params_entry,
    stake_account,
    user_account,
)
from ledger.entries import Entry
from ledger.verify import verify_ledger
from recommenders.bundle import pack_bundle
from tests.end_to_end_helpers import DIM, ITEMS, export_ledger, market_public_key
from tests.factories import ModelSpec, make_bundle
from tests.live_server import LiveServer, worker_port

# The loopback ports these tests may use (one server at a time).
PORTS = range(worker_port(18400), worker_port(18500))
FAUCET = 1000
TIMEOUT = 120.0


def free_port_in(ports: range) -> int:
    """The first port of ``ports`` nobody listens on."""
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


@contextmanager
def live_market(
    work_dir: Path, database_url: str, extra_env: Mapping[str, str] | None = None
) -> Iterator[Market]:
    """A market server process (local mode: the faucet gives FAUCET credits) on a port of
    PORTS, stopped afterwards; its log's tail is printed if the block fails."""
    env = {
        "PRIVREC_FAUCET_AMOUNT": str(FAUCET),
        "PRIVREC_SCORING_TIMEOUT_S": "60",
        **(extra_env or {}),
    }
    server = LiveServer(
        data_dir=work_dir / "market",
        database_url=database_url,
        market_key="a7" * 32,
        port=free_port_in(PORTS),
        extra_env=env,
    )
    with server:
        market = Market(server, work_dir)
        try:
            yield market
        except BaseException:
            print(f"server log (end):\n{server.log_tail(4000)}")
            raise
        finally:
            market.close()


# --- who controls which accounts ------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """The accounts one party controls: its users' (with their budgets), its developers', and
    its models' stakes and attention escrows."""

    users: frozenset[str] = frozenset()  # public keys
    developers: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()  # ledger ids (name@version)

    def owns(self, account: str) -> bool:
        kind, _, rest = account.partition(":")
        budget = budget_owner(account)
        if budget is not None:
            return budget[0] in self.users
        if kind == "user":
            return rest in self.users
        if kind == "dev":
            return rest in self.developers
        if kind in ("stake", "escrow"):
            return rest in self.models
        return False


def side(
    players: Iterable[Player] = (),
    developers: Iterable[Developer] = (),
    models: Iterable[Model] = (),
) -> Side:
    return Side(
        users=frozenset(p.account for p in players),
        developers=frozenset(d.name for d in developers),
        models=frozenset(m.ledger_id for m in models),
    )


# --- the ledger, read back ------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerView:
    """The exported ledger, verified by full replay: its entries and final balances."""

    entries: tuple[Entry, ...]
    balances: dict[str, int]
    minted: int
    burned: int

    @property
    def params(self) -> EconomyParams:
        """The rules of the ledger's first params entry (these tests never switch rules)."""
        first = next(e for e in self.entries if e.kind == "params")
        params, _ = parse_params_entry(first.body)
        return params

    def balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def minted_to(self, party: Side) -> int:
        return sum(
            int(e.body["amount"])
            for e in self.entries
            if e.kind == "mint" and party.owns(str(e.body["account"]))
        )

    def holdings(self, party: Side) -> int:
        return sum(n for account, n in self.balances.items() if party.owns(account))

    def gain(self, party: Side) -> int:
        """What the party holds now, less what was minted to it: its return in credits."""
        return self.holdings(party) - self.minted_to(party)

    def outlay(self, party: Side) -> int:
        """Credits the party committed: into budgets, stakes and attention escrows."""
        return sum(
            int(e.body["amount"])
            for e in self.transfers()
            if party.owns(str(e.body["from"]))
            and not str(e.body["from"]).startswith(("budget:", "stake:", "escrow:"))
            and str(e.body["to"]).startswith(("budget:", "stake:", "escrow:"))
        )

    def transfers(self, memo_prefix: str = "") -> list[Entry]:
        return [
            e
            for e in self.entries
            if e.kind == "transfer" and str(e.body["memo"]).startswith(memo_prefix)
        ]

    def burns(self, memo_prefix: str = "") -> list[Entry]:
        return [
            e
            for e in self.entries
            if e.kind == "burn" and str(e.body["memo"]).startswith(memo_prefix)
        ]

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def attention(self, account: str) -> dict[int, int]:
        """Epoch -> attention credits paid for ratings by the user (its part and the fee)."""
        raters = {
            str(e.body["impression_id"]): (str(e.body["user"]), e.epoch)
            for e in self.of_kind("rating")
        }
        paid: dict[int, int] = {}
        for entry in self.transfers("attention:"):
            user, epoch = raters[str(entry.body["memo"]).removeprefix("attention:")]
            if user == account:
                paid[epoch] = paid.get(epoch, 0) + int(entry.body["amount"])
        return paid

    def committed(self, account: str) -> dict[int, int]:
        """Epoch -> what the user put into that epoch's budget."""
        put: dict[int, int] = {}
        for entry in self.transfers():
            owner = budget_owner(str(entry.body["to"]))
            if owner is not None and owner[0] == account:
                put[owner[1]] = put.get(owner[1], 0) + int(entry.body["amount"])
        return put

    def stake_burned(self, model: Model) -> int:
        return sum(
            int(e.body["amount"])
            for e in self.burns()
            if e.body["from"] == stake_account(model.ledger_id)
        )

    def escrow_paid(self, model: Model) -> int:
        """Attention the model's escrow paid out (users' parts and the market's fees)."""
        return sum(
            int(e.body["amount"])
            for e in self.transfers("attention:")
            if e.body["from"] == escrow_account(model.ledger_id)
        )

    def market_fees(self) -> int:
        return self.balance(MARKET)


# --- participants -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    id: int
    name: str
    developer: str
    items: int

    @property
    def ledger_id(self) -> str:
        return f"{self.name}@1.0.0"  # bundle_parts writes version 1.0.0

    @property
    def stake_account(self) -> str:
        return stake_account(self.ledger_id)

    @property
    def escrow_account(self) -> str:
        return escrow_account(self.ledger_id)

    def item_ids(self, count: int) -> list[str]:
        """Ids that exist in the model's catalog (bundle_parts names them item-<i>)."""
        return [f"item-{i}" for i in range(count)]


class Developer:
    """A signed-up developer holding the faucet's credits, over its API key."""

    def __init__(self, market: Market, name: str) -> None:
        self.market = market
        self.name = name
        self.client = DeveloperClient(market.url, timeout=TIMEOUT)
        self.client.sign_up(name)
        assert self.client.faucet() == FAUCET
        self._seeds = 0

    @property
    def account(self) -> str:
        return dev_account(self.name)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.client.api_key}", **kwargs.pop("headers", {})}
        with httpx.Client(base_url=self.market.url, timeout=TIMEOUT) as http:
            return http.request(method, path, headers=headers, **kwargs)

    def upload(self, name: str, *, stake: int, bid: int = 0, escrow: int = 0) -> httpx.Response:
        """POST /v1/models?stake=&bid=&escrow= with a small seeded bundle."""
        self._seeds += 1
        spec = ModelSpec(name, self.name, ("books",), stake=stake, bid=bid, seed=self._seeds)
        directory = self.market.work_dir / "bundles" / self.name
        directory.mkdir(parents=True, exist_ok=True)
        bundle = pack_bundle(make_bundle(directory, **spec.bundle_options(ITEMS, DIM)))
        return self.call(
            "POST",
            "/v1/models",
            params={"stake": stake, "bid": bid, "escrow": escrow},
            content=bundle,
            headers={"Content-Type": "application/zip"},
        )

    def deploy(self, name: str, *, stake: int, bid: int = 0, escrow: int = 0) -> Model:
        """Deploy and wait until the model is live."""
        answer = self.upload(name, stake=stake, bid=bid, escrow=escrow)
        assert answer.status_code == 202, answer.text
        live = self.client.wait_until_settled(int(answer.json()["id"]))
        assert (live.status, live.stake, live.bid) == ("live", stake, bid), live
        return Model(live.id, name, self.name, ITEMS)

    def retire(self, model: Model) -> httpx.Response:
        return self.call("POST", f"/v1/models/{model.id}/retire")

    def top_up(self, model: Model, amount: int) -> httpx.Response:
        """Move credits into the model's attention escrow."""
        return self.call("POST", f"/v1/models/{model.id}/escrow", json={"amount": amount})

    def close(self) -> None:
        self.client.close()


class Player:
    """A user signing its own requests: it can send any rating body, as an attacker would."""

    def __init__(self, market: Market, *, faucet: bool = True) -> None:
        self.user = User(market.url, timeout=TIMEOUT)
        answer = self.user.call("POST", "/v1/users")
        assert answer.status_code == 201, answer.text
        if faucet:
            answer = self.user.call("POST", "/v1/users/me/faucet")
            assert answer.status_code == 200, answer.text
        self._query: PreparedQuery | None = None

    @property
    def account(self) -> str:
        return self.user.account

    @property
    def ledger_account(self) -> str:
        return user_account(self.account)

    def commit(self, amount: int) -> httpx.Response:
        """Put credits into the open epoch's budget."""
        return self.user.call("POST", "/v1/users/me/budget", json_body={"amount": amount})

    def ask(self, models: Sequence[Model]) -> httpx.Response:
        """One recommendation request, one encrypted query per model (the same vector: an
        attacker does not care what it is shown)."""
        if self._query is None:
            self.user.upload_keys()
            self._query = self.user.query(np.ones(DIM, dtype=np.float64))
        return self.user.recommend({model.id: self._query for model in models})

    def impressions(self, models: Sequence[Model], rounds: int = 1) -> dict[int, list[str]]:
        """Model id -> the impression ids of ``rounds`` requests over ``models``."""
        got: dict[int, list[str]] = {model.id: [] for model in models}
        for _ in range(rounds):
            answer = self.ask(models)
            assert answer.status_code == 200, answer.text
            for result in answer.json()["results"]:
                got[int(result["model_id"])].append(str(result["impression_id"]))
        return got

    def rate(
        self,
        impression: str,
        *,
        shown: int,
        liked: int = 0,
        disliked: int = 0,
        contribution: int = 0,
        items: Sequence[tuple[str, str]] | None = None,
    ) -> httpx.Response:
        """POST /v1/ratings with exactly this body (per-item votes as (item id, vote))."""
        body: dict[str, Any] = {
            "impression_id": impression,
            "shown": shown,
            "liked": liked,
            "disliked": disliked,
            "contribution": contribution,
        }
        if items is not None:
            body["items"] = [{"item_id": item, "vote": vote} for item, vote in items]
        answer: httpx.Response = self.user.call("POST", "/v1/ratings", json_body=body)
        return answer

    def change_vote(
        self, impression: str, *, liked: int = 0, disliked: int = 0, contribution: int = 0
    ) -> httpx.Response:
        """PUT /v1/ratings/{impression} (rules 3) with exactly this vote."""
        body = {"liked": liked, "disliked": disliked, "contribution": contribution}
        answer: httpx.Response = self.user.call("PUT", f"/v1/ratings/{impression}", json_body=body)
        return answer

    def wallet(self) -> dict[str, Any]:
        answer = self.user.call("GET", "/v1/users/me/wallet")
        assert answer.status_code == 200, answer.text
        wallet: dict[str, Any] = answer.json()
        return wallet

    def close(self) -> None:
        self.user.close()


class Market:
    """The running market and everyone the test made on it (closed together)."""

    def __init__(self, server: LiveServer, work_dir: Path) -> None:
        self.server = server
        self.url = server.url
        self.work_dir = work_dir
        self._closing: list[Developer | Player] = []

    def developer(self, name: str) -> Developer:
        developer = Developer(self, name)
        self._closing.append(developer)
        return developer

    def player(self, *, faucet: bool = True) -> Player:
        player = Player(self, faucet=faucet)
        self._closing.append(player)
        return player

    def open_epoch(self) -> int:
        return self.server.open_epoch()

    def settle(self) -> int:
        """Settle the open epoch with ``privrec market settle``; the epoch settled."""
        epoch = self.open_epoch()
        out = self.server.settle(epoch)
        assert f"settled epoch {epoch}" in out, out
        return epoch

    def listed(self) -> set[int]:
        answer = httpx.get(f"{self.url}/v1/models", timeout=TIMEOUT)
        answer.raise_for_status()
        return {int(model["id"]) for model in answer.json()}

    def leaderboard(self) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/v1/leaderboard", timeout=TIMEOUT)
        answer.raise_for_status()
        rows: list[dict[str, Any]] = answer.json()
        return rows

    def ledger(self) -> LedgerView:
        """Export the ledger and verify it by full replay (the market's key from its API)."""
        lines = export_ledger(self.url, self.work_dir / "ledger.ndjson")
        report = verify_ledger(lines, market_public_key(self.url))
        assert report.ok, report.error
        assert sum(report.balances.values()) + report.totals.burned == report.totals.minted
        return LedgerView(
            entries=tuple(Entry.from_json_line(line) for line in lines),
            balances=report.balances,
            minted=report.totals.minted,
            burned=report.totals.burned,
        )

    def close(self) -> None:
        for participant in self._closing:
            participant.close()
