"""Handlers of ``privrec market ...`` and ``privrec ledger ...``: serve, settle, deposit, verify."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from sqlmodel import Session

from ledger.economy import LedgerError, is_account
from ledger.entries import format_time
from market_server import crud
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_store import LedgerStore, load_market_key, open_store
from market_server.metrics import MULTIPROCESS_DIR_ENV
from market_server.web.templating import key_groups


def serve(*, host: str, port: int, workers: int, scoring_ray_address: str | None = None) -> int:
    """Run the API with uvicorn; several workers share one database (use PostgreSQL then).
    ``scoring_ray_address`` overrides PRIVREC_SCORING_RAY_ADDRESS (the workers read it there)."""
    if scoring_ray_address is not None:
        os.environ["PRIVREC_SCORING_RAY_ADDRESS"] = scoring_ray_address
    settings = Settings()  # fail fast on bad configuration, before uvicorn forks workers
    if settings.scoring_ray_address is not None:
        from market_server.scoring_ray import check_reachable

        try:
            check_reachable(settings.scoring_ray_address)
        except (ValueError, ConnectionError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    if workers > 1 and settings.resolved_database_url.startswith("sqlite"):
        print("note: several workers on SQLite serialise their writes; prefer PostgreSQL")
    # Read (in local mode, made) here, before the workers start: they all load the same one.
    market_key = load_market_key(settings).public_key_hex
    print(f"market key fingerprint: {key_groups(market_key)}", flush=True)
    with _shared_metrics(workers):
        uvicorn.run(
            "market_server.api.main:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=False,
            server_header=False,
        )
    return 0


@contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, a private directory (0700) where each writes its metrics, so that
    a scrape reads them all; removed at exit. An operator's own PROMETHEUS_MULTIPROC_DIR is
    used as it is (and left in place)."""
    if workers <= 1 or MULTIPROCESS_DIR_ENV in os.environ:
        yield
        return
    directory = tempfile.mkdtemp(prefix="privrec-metrics-")
    os.environ[MULTIPROCESS_DIR_ENV] = directory  # the workers inherit it
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR_ENV]
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def _store(settings: Settings | None = None) -> Iterator[LedgerStore]:
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate(engine)
        yield open_store(settings, engine)
    finally:
        engine.dispose()


def settle(*, epoch: int | None) -> int:
    """Settle the open epoch if it is due (``epoch_s`` old), or the epoch named; an epoch that
    is closed, or not yet due, is left alone. Due-ness is decided under the ledger's lock, so
    concurrent runs settle an epoch once."""
    settings = Settings()
    try:
        with _store(settings) as store, Session(store.engine) as session:
            if epoch is None:
                entries = crud.settle(session=session, store=store, due_after_s=settings.epoch_s)
            else:
                entries = crud.settle(session=session, store=store, epoch=epoch)
            ledger = store.snapshot(session)
    except LedgerError as error:  # e.g. an epoch that is not open yet: nothing was written
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not entries and epoch is not None:
        print(f"epoch {epoch} is already settled: nothing to do")
        return 0
    if not entries:
        open_epoch, started = ledger.open_epoch, ledger.epoch_started
        since = "" if started is None else f" (open since {format_time(started)})"
        print(
            f"epoch {open_epoch}{since} is not due: epochs last {settings.epoch_s} s; nothing to "
            f"do. To close it now: privrec market settle --epoch {open_epoch}"
        )
        return 0
    closed = entries[-1]
    moved = sum(int(e.body.get("amount", 0)) for e in entries if e.kind in ("transfer", "burn"))
    print(f"settled epoch {closed.epoch}: {len(entries)} ledger entries, {moved} credits moved")
    print(f"merkle root {closed.body['merkle_root']}")
    return 0


def deposit(*, account: str, amount: int, memo: str) -> int:
    """Credit an account (an operator's record of a payment received)."""
    if not is_account(account) or not account.startswith(("user:", "dev:")):
        print(f"error: {account!r} is not a user:<key> or dev:<name> account")
        return 2
    try:
        with _store() as store, Session(store.engine) as session:
            entry = crud.mint(
                session=session, store=store, account=account, amount=amount, memo=memo
            )
    except LedgerError as error:
        print(f"error: {error}")
        return 1
    print(f"ledger entry {entry.seq}: {amount} credits to {account}")
    return 0
