"""Handlers of ``privrec market ...`` and ``privrec ledger ...``: serve, settle, deposit, verify."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from sqlmodel import Session

from ledger.economy import LedgerError, is_account
from market_server import crud
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_store import LedgerStore, current_epoch, open_store


def serve(*, host: str, port: int, workers: int) -> int:
    """Run the API with uvicorn; several workers share one database (use PostgreSQL then)."""
    settings = Settings()  # fail fast on bad configuration, before uvicorn forks workers
    if workers > 1 and settings.resolved_database_url.startswith("sqlite"):
        print("note: several workers on SQLite serialise their writes; prefer PostgreSQL")
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
def _store() -> Iterator[LedgerStore]:
    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate(engine)
        yield open_store(settings, engine)
    finally:
        engine.dispose()


def settle(*, epoch: int | None) -> int:
    """Settle an epoch (default: the open one) and close it; a closed epoch is left alone."""
    try:
        with _store() as store, Session(store.engine) as session:
            target = epoch if epoch is not None else current_epoch(store.snapshot(session))
            entries = crud.settle(session=session, store=store, epoch=target)
    except LedgerError as error:  # e.g. an epoch that is not open yet: nothing was written
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not entries:
        print(f"epoch {target} was already settled: nothing to do")
        return 0
    moved = sum(int(e.body.get("amount", 0)) for e in entries if e.kind in ("transfer", "burn"))
    print(f"settled epoch {target}: {len(entries)} ledger entries, {moved} credits moved")
    print(f"merkle root {entries[-1].body['merkle_root']}")
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
