"""A real market server process (``privrec market serve``) on a free loopback port, and
throwaway PostgreSQL schemas."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy

from client_app.developer import DeveloperClient
from client_app.local_market import MarketProcess, free_port
from recommenders.reference import shipped_bundle

__all__ = ["POSTGRES_URL", "LiveServer", "free_port", "throwaway_schema"]

# The PostgreSQL server every machine here runs (trust auth, database `test`).
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class LiveServer(MarketProcess):
    """The market on a given database and ledger key, with any other PRIVREC_* settings."""

    def __init__(
        self,
        *,
        data_dir: Path,
        database_url: str,
        market_key: str,
        workers: int = 1,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        settings = {"PRIVREC_DATABASE_URL": database_url, "PRIVREC_MARKET_KEY": market_key}
        super().__init__(
            data_dir=data_dir,
            settings={**settings, **(extra_env or {})},
            workers=workers,
            port=port,
        )


@contextmanager
def throwaway_schema(url: str, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL schema (dropped afterwards): the URL to use, with its search path."""
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def reference_market(
    data_dir: Path, *, port: int, market_key: str, developer: str, models: Sequence[str]
) -> Iterator[str]:
    """A real market process (SQLite in ``data_dir``) where one developer has the shipped
    reference ``models`` live; yields its URL."""
    server = LiveServer(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'market.sqlite3'}",
        market_key=market_key,
        port=port,
    )
    with server, DeveloperClient(server.url) as client:
        client.sign_up(developer)
        client.faucet()
        for name in models:
            deployed = client.deploy(shipped_bundle(name).read_bytes(), stake=100, bid=2, escrow=20)
            assert client.wait_until_settled(deployed.id).status == "live", name
        yield server.url
