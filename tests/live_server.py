"""A real market server process (``privrec market serve``) on a free loopback port, and
throwaway PostgreSQL schemas."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy

from client_app.local_market import MarketProcess, free_port

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
