"""Server fixtures: the app on a real SQLite file and on PostgreSQL (a fresh schema per test),
and clients that sign requests like the desktop app does."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from crypto import IdentityKey, sign_request
from market_server.api.main import create_app
from market_server.core.config import Settings

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARKET_KEY = "11" * 32


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'market.sqlite3'}"
        return
    schema = f"privrec_test_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        mode="local",
        data_dir=tmp_path / "market",
        database_url=database_url,
        market_key=MARKET_KEY,
        scoring_workers=1,
        scoring_timeout_s=60,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class SignedClient:
    """A user of the market: an Ed25519 identity that signs every request it sends."""

    def __init__(self, client: TestClient, key: IdentityKey | None = None) -> None:
        self.client = client
        self.key = key or IdentityKey.generate()

    @property
    def account(self) -> str:
        return self.key.public_key_hex

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        body = (
            content
            if content is not None
            else (b"" if json_body is None else json.dumps(json_body).encode())
        )
        signed = sign_request(self.key, method, path, body, timestamp=int(time.time()))
        all_headers = {**signed, **(headers or {})}
        if json_body is not None:
            all_headers["content-type"] = "application/json"
        return self.client.request(method, path, content=body, headers=all_headers)

    def register(self) -> Any:
        return self.request("POST", "/v1/users")


@pytest.fixture
def user(client: TestClient) -> SignedClient:
    signed = SignedClient(client)
    assert signed.register().status_code == 201
    return signed
