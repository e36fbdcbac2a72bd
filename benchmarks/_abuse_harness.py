"""The market-abuse benchmark's harness: real markets on loopback, metered attacker clients,
the server's cost of a scenario (CPU, memory, database, ledger) and the result rows."""

from __future__ import annotations

import base64
import dataclasses
import io
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import sqlalchemy
from sqlalchemy.engine import Engine
from sqlmodel import Session

from benchmarks._market import MIB, RssSampler, database, log, tree_cpu_s
from client_app.developer import DeveloperClient
from crypto import IdentityKey, PreparedQuery, SecretKeys, encrypt_query
from ledger import Entry, Ledger
from ledger.economy import user_account
from market_server import cli as market_cli
from market_server.core.config import Settings
from market_server.ledger_store import current_epoch, open_store
from recommenders.bundle import pack_bundle, save_bundle
from tests.factories import BundleParts, SignedClient, bundle_parts
from tests.live_server import LiveServer

# The goal of issue 10: no unfunded or 0-credit action costs the server more than this.
MAX_CPU_S_PER_ACTION = 0.100
MAX_STORAGE_BYTES_PER_ACTION = MIB


@dataclass(frozen=True)
class Config:
    """Sizes and bounds of one run; every loop stops at its count or its time, whichever first."""

    name: str
    big_items: int  # 1: the table a 0-credit developer uploads
    big_dim: int
    bomb_bytes: int  # 1: zeros inflated from a small zip
    live_models: int  # 2: models asked in one request
    live_items: int  # 2 and 8: items of each live model
    live_dim: int
    key_uploads: int  # 4: copies of the same evaluation keys
    unfunded_rounds: int  # 5: recommendation + rating rounds of an unfunded account
    ledger_entries: int  # 5: ledger length before the restart
    queued_requests: int  # 8: requests waiting on the model being retired
    extraction_items: int  # 12: the model whose table is extracted
    extraction_dim: int
    scenario_seconds: float  # bound of every loop and wait of one scenario
    scoring_timeout_s: float  # the server's PRIVREC_SCORING_TIMEOUT_S
    # 2: the stage's PRIVREC_MAX_REQUEST_ITEM_DIMS (None: the default, 10^8), so that asking
    # every live model exceeds the per-request budget at either size.
    request_item_dims: int | None = None

    def stage_settings(self) -> dict[str, str]:
        if self.request_item_dims is None:
            return {}
        return {"PRIVREC_MAX_REQUEST_ITEM_DIMS": str(self.request_item_dims)}


SMALL = Config(
    name="small",
    big_items=20_000,
    big_dim=64,
    bomb_bytes=64 * MIB,
    live_models=3,
    live_items=20_000,
    live_dim=64,
    key_uploads=6,
    unfunded_rounds=15,
    ledger_entries=10_000,
    queued_requests=8,
    extraction_items=500,
    extraction_dim=16,
    scenario_seconds=30.0,
    scoring_timeout_s=10.0,
    request_item_dims=2 * 20_000 * 64,  # two of the three live models fit, three do not
)
LARGE = Config(
    name="large",
    big_items=1_000_000,
    big_dim=256,
    bomb_bytes=900 * MIB,
    live_models=4,
    live_items=250_000,
    live_dim=256,
    key_uploads=40,
    unfunded_rounds=200,
    ledger_entries=200_000,
    queued_requests=8,
    extraction_items=500,
    extraction_dim=16,
    scenario_seconds=300.0,
    scoring_timeout_s=30.0,
)
CONFIGS = {config.name: config for config in (SMALL, LARGE)}


# --- the attacker's side: every request counted --------------------------------------------


@dataclass
class Tally:
    """What a client sent and got: requests, bytes, status codes, the slowest request."""

    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    worst_latency_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reset(self) -> None:
        """Forget the set-up's requests: only the attack that follows counts."""
        with self._lock:
            self.requests = self.bytes_sent = self.bytes_received = 0
            self.statuses.clear()
            self.worst_latency_s = 0.0

    def snapshot(self) -> Tally:
        """A copy, so that what follows (a check after the attack) is not counted."""
        with self._lock:
            return Tally(
                self.requests,
                self.bytes_sent,
                self.bytes_received,
                Counter(self.statuses),
                self.worst_latency_s,
            )

    def record(self, sent: int, received: int, status: str, seconds: float) -> None:
        with self._lock:
            self.requests += 1
            self.bytes_sent += sent
            self.bytes_received += received
            self.statuses[status] += 1
            self.worst_latency_s = max(self.worst_latency_s, seconds)


class MeteredTransport(httpx.BaseTransport):
    """Counts every request into a :class:`Tally`; a request without an answer counts as
    status "timeout" or "dropped"."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        sent = len(body) + sum(len(k) + len(v) + 4 for k, v in request.headers.raw)
        started = time.perf_counter()
        try:
            response = self.inner.handle_request(request)
            content = response.read()
        except httpx.TransportError as error:  # a timeout, or the server dropped the connection
            kind = "timeout" if isinstance(error, httpx.TimeoutException) else "dropped"
            self.tally.record(sent, 0, kind, time.perf_counter() - started)
            raise
        self.tally.record(
            sent, len(content), str(response.status_code), time.perf_counter() - started
        )
        return response

    def close(self) -> None:
        self.inner.close()


# --- the server's side: what one scenario cost it ------------------------------------------


@dataclass
class Cost:
    """The server's cost of one measured phase (filled when the phase ends)."""

    cpu_s: float = 0.0
    peak_rss_mib: float = 0.0  # summed over the process tree, sampled every 50 ms
    rss_growth_mib: float = 0.0  # that peak minus the tree's memory when the phase began
    peak_hwm_mib: float = 0.0  # sum of each process's lifetime peak (VmHWM)
    db_bytes_added: int = 0
    ledger_entries_added: int = 0
    wall_s: float = 0.0


class Market:
    """One running market (``privrec market serve``, production mode unless told otherwise)
    and a direct connection to its database for the measurements."""

    def __init__(self, server: LiveServer, database_url: str, work_dir: Path) -> None:
        self.server = server
        self.url = server.url
        self.database_url = database_url
        self.work_dir = work_dir
        self.engine: Engine = sqlalchemy.create_engine(database_url)
        self.market_key_hex = ""

    @property
    def pid(self) -> int:
        assert self.server.process is not None
        return self.server.process.pid

    def restart(self) -> None:
        self.server.stop()
        self.server.start()

    # -- measurements --

    def db_bytes(self) -> int:
        """Bytes in use. SQLite: pages not on the free list, once the write-ahead log is folded
        in (file sizes would hide growth in reused WAL or free pages); PostgreSQL: the schema's
        tables, with their indexes and TOAST."""
        if self.database_url.startswith("sqlite"):
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                pages, free, size = (
                    int(connection.exec_driver_sql(f"PRAGMA {name}").scalar_one())
                    for name in ("page_count", "freelist_count", "page_size")
                )
            return (pages - free) * size
        query = (
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )
        with self.engine.connect() as connection:
            return int(connection.execute(sqlalchemy.text(query)).scalar_one())

    def count(self, sql: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(sqlalchemy.text(sql)).scalar_one())

    def ledger_entries(self) -> int:
        return self.count("SELECT COUNT(*) FROM ledger_entry")

    @contextmanager
    def measure(self) -> Iterator[Cost]:
        """The server's cost of what runs inside the block."""
        cost = Cost()
        db, ledger = self.db_bytes(), self.ledger_entries()
        started, cpu = time.perf_counter(), tree_cpu_s(self.pid)
        with RssSampler(self.pid) as sampler:
            baseline = sampler.peak_rss
            yield cost
        cost.cpu_s = tree_cpu_s(self.pid) - cpu
        cost.wall_s = time.perf_counter() - started
        cost.peak_rss_mib = sampler.peak_rss / MIB
        cost.rss_growth_mib = (sampler.peak_rss - baseline) / MIB
        cost.peak_hwm_mib = sampler.peak_hwm / MIB
        cost.db_bytes_added = self.db_bytes() - db
        cost.ledger_entries_added = self.ledger_entries() - ledger

    # -- participants --

    @contextmanager
    def _server_environment(self) -> Iterator[None]:
        """This process's PRIVREC_* variables set to the server's, for its command-line code."""
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.server.env)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def deposit(self, account: str, amount: int) -> None:
        """An operator's deposit (``privrec market deposit``'s code, run in this process to
        spare a process start per deposit)."""
        with self._server_environment(), redirect_stdout(io.StringIO()) as out:
            status = market_cli.deposit(account=account, amount=amount, memo="deposit")
        if status != 0:
            raise RuntimeError(f"deposit failed: {out.getvalue().strip()}")

    def settle(self, epoch: int | None = None) -> str:
        """``privrec market settle [--epoch N]``'s code in this process (see :meth:`deposit`);
        its output."""
        with self._server_environment(), redirect_stdout(io.StringIO()) as out:
            status = market_cli.settle(epoch=epoch)
        text = out.getvalue().strip()
        if status != 0:
            raise RuntimeError(f"settlement failed: {text}")
        return text

    def seed_ledger(self, entries: int) -> None:
        """Append ``entries`` mints in one commit through the server's own ledger store (the
        server should be stopped: its copy of the ledger would not know them otherwise)."""
        with self._server_environment():
            settings = Settings()
        store = open_store(settings, self.engine)
        accounts = [user_account(secrets.token_hex(32)) for _ in range(64)]

        def mints(ledger: Ledger, time: str) -> list[Entry]:
            epoch = current_epoch(ledger)
            return [
                ledger.append(
                    "mint",
                    {"account": accounts[i % len(accounts)], "amount": 1, "memo": "seed"},
                    epoch=epoch,
                    time=time,
                )
                for i in range(entries)
            ]

        with Session(self.engine) as session:
            store.change(session, mints)

    def client(self, tally: Tally) -> httpx.Client:
        """An anonymous client of this market, its requests counted in ``tally``."""
        return httpx.Client(base_url=self.url, timeout=600.0, transport=MeteredTransport(tally))

    def developer(
        self, name: str, *, credits: int = 0, tally: Tally | None = None
    ) -> DeveloperClient:
        """A signed-up developer (its API key set), funded by a deposit when ``credits``."""
        transport = MeteredTransport(tally) if tally is not None else None
        client = DeveloperClient(self.url, timeout=600.0, transport=transport)
        client.sign_up(name)
        if credits:
            self.deposit(f"dev:{name}", credits)
        return client

    def user(self, *, credits: int = 0, tally: Tally | None = None) -> User:
        """A registered user with evaluation keys, funded by a deposit when ``credits``: all of
        them committed to the open epoch's budget, as asking for recommendations needs."""
        user = User(self.url, tally)
        user.call("POST", "/v1/users").raise_for_status()
        if credits:
            self.deposit(f"user:{user.account}", credits)
            funded = user.call("POST", "/v1/users/me/budget", json_body={"amount": credits})
            funded.raise_for_status()
        user.upload_keys()
        return user

    def retire(self, developer: DeveloperClient, model_id: int) -> int:
        """``POST /v1/models/{id}/retire`` as ``developer``; the status code."""
        headers = {"Authorization": f"Bearer {developer.api_key}"}
        url = f"{self.url}/v1/models/{model_id}/retire"
        return httpx.post(url, headers=headers, timeout=600.0).status_code


class User:
    """A market user: an Ed25519 identity signing every request (the project's SignedClient)
    and CKKS keys."""

    def __init__(self, url: str, tally: Tally | None = None, timeout: float = 600.0) -> None:
        transport = MeteredTransport(tally) if tally is not None else None
        self.http = httpx.Client(base_url=url, timeout=timeout, transport=transport)
        self.signed = SignedClient(self.http, IdentityKey.generate())
        self.keys: SecretKeys | None = None
        self.key_id = ""

    @property
    def account(self) -> str:
        return self.signed.account

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.signed.request(method, path, **kwargs)
        return response

    def upload_keys(self) -> None:
        self.keys = SecretKeys.generate()
        response = self.call(
            "POST", "/v1/users/me/evaluation-keys", content=self.keys.evaluation_keys()
        )
        response.raise_for_status()
        self.key_id = response.json()["id"]

    def query(self, vector: np.ndarray[Any, Any]) -> PreparedQuery:
        assert self.keys is not None
        return encrypt_query(self.keys, vector)

    def recommend(self, queries: dict[int, PreparedQuery]) -> httpx.Response:
        body = {
            "evaluation_key_id": self.key_id,
            "queries": [
                {"model_id": model_id, "query": base64.b64encode(q.wire).decode("ascii")}
                for model_id, q in queries.items()
            ],
        }
        return self.call("POST", "/v1/recommendations", json_body=body)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> User:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pack(parts: BundleParts, work_dir: Path) -> bytes:
    """A bundle's zip (the project's save and pack), from its parts."""
    directory = work_dir / f"bundle-{secrets.token_hex(4)}"
    save_bundle(
        directory,
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=parts.catalog,
    )
    return pack_bundle(directory)


def with_items(parts: BundleParts, items: np.ndarray[Any, Any]) -> BundleParts:
    return dataclasses.replace(parts, items=items.astype(np.float32))


def live_parts(config: Config, name: str, seed: int) -> BundleParts:
    return bundle_parts(n=config.live_items, d=config.live_dim, name=name, seed=seed)


# --- a run: its markets -----------------------------------------


class Bench:
    """Starts the markets of a run, each on a fresh database and data directory."""

    def __init__(
        self, config: Config, work_dir: Path, database_url: str | None, postgres_url: str
    ) -> None:
        self.config = config
        self.work_dir = work_dir
        self.database_url = database_url
        self.postgres_url = postgres_url

    @contextmanager
    def market(
        self,
        name: str,
        *,
        database_url: str | None = None,
        sqlite: bool = False,
        settings: dict[str, str] | None = None,
    ) -> Iterator[Market]:
        """A production market (deposits only, no faucet) for scenario ``name``, on the run's
        database unless ``database_url`` is given or ``sqlite`` forces a SQLite file."""
        directory = self.work_dir / f"{name}-{secrets.token_hex(3)}"
        directory.mkdir(parents=True)
        url = None if sqlite else (database_url or self.database_url)
        with ExitStack() as stack:
            resolved = stack.enter_context(database(url, directory))
            env = {
                "PRIVREC_MODE": "production",
                "PRIVREC_SCORING_TIMEOUT_S": str(self.config.scoring_timeout_s),
                **(settings or {}),
            }
            server = LiveServer(
                data_dir=directory / "data",
                database_url=resolved,
                market_key=secrets.token_hex(32),
                extra_env=env,
            )
            started = time.perf_counter()
            stack.enter_context(server)
            market = Market(server, resolved, directory)
            stack.callback(market.engine.dispose)
            market.market_key_hex = httpx.get(f"{server.url}/v1/ledger/key").json()["public_key"]
            log(f"[{name}] market on {server.url} in {time.perf_counter() - started:.1f} s")
            try:
                yield market
            except Exception:
                log(f"[{name}] server log (end):\n{server.log_tail(3000)}")
                raise


# --- rows ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One scenario's result: the attacker's cost, the server's cost, and the goal."""

    scenario: str
    item: int
    attacker: str
    credits_committed: int
    actions: int
    requests: int
    bytes_sent: int
    bytes_received: int
    server_cpu_s: float
    peak_rss_mib: float
    rss_growth_mib: float
    db_bytes_added: int
    ledger_entries_added: int
    worst_latency_s: float
    statuses: dict[str, int]
    outcome: str
    goal: str
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def make_row(
    scenario: str,
    item: int,
    *,
    attacker: str,
    credits: int,
    actions: int,
    tally: Tally,
    cost: Cost,
    outcome: str,
    goal: str,
    checks: dict[str, bool],
    unfunded: bool = True,
) -> Row:
    """A row; ``checks`` name the scenario's own conditions, and an unfunded attacker's actions
    must also stay within the per-action CPU and storage goal."""
    if unfunded:
        per_action = max(actions, 1)
        checks = {
            **checks,
            f"CPU <= {MAX_CPU_S_PER_ACTION * 1e3:.0f} ms/action": cost.cpu_s / per_action
            <= MAX_CPU_S_PER_ACTION,
            "storage <= 1 MiB/action": cost.db_bytes_added / per_action
            <= MAX_STORAGE_BYTES_PER_ACTION,
        }
    missed = [name for name, ok in checks.items() if not ok]
    if missed:
        outcome = f"{outcome}; MISSED: {', '.join(missed)}"
    return Row(
        scenario=scenario,
        item=item,
        attacker=attacker,
        credits_committed=credits,
        actions=actions,
        requests=tally.requests,
        bytes_sent=tally.bytes_sent,
        bytes_received=tally.bytes_received,
        server_cpu_s=round(cost.cpu_s, 3),
        peak_rss_mib=round(cost.peak_rss_mib, 1),
        rss_growth_mib=round(cost.rss_growth_mib, 1),
        db_bytes_added=cost.db_bytes_added,
        ledger_entries_added=cost.ledger_entries_added,
        worst_latency_s=round(tally.worst_latency_s, 3),
        statuses=dict(sorted(tally.statuses.items())),
        outcome=outcome,
        goal=goal,
        passed=not missed,
    )


def crashed_row(scenario: str, item: int, error: str) -> Row:
    return make_row(
        scenario,
        item,
        attacker="-",
        credits=0,
        actions=0,
        tally=Tally(),
        cost=Cost(),
        outcome=f"the scenario crashed: {error[:300]}",
        goal="-",
        checks={"ran": False},
        unfunded=False,
    )


def no_server_errors(tally: Tally) -> bool:
    """No 5xx, and every request answered (no timeout, no dropped connection)."""
    return all(status.isdigit() and not status.startswith("5") for status in tally.statuses)
