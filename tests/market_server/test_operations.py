"""Operating the market: settle and deposit from the command line, the settlement schedule,
verifying an exported ledger, and settings that refuse unsafe production defaults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from market_server.api.main import create_app, settle_if_due
from market_server.core.config import Settings
from privrec_cli import main
from tests.factories import SignedClient
from tests.market_server.conftest import MARKET_KEY


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The same settings, as the CLI reads them: from PRIVREC_* variables."""
    monkeypatch.setenv("PRIVREC_DATA_DIR", str(settings.data_dir))
    assert settings.database_url is not None
    monkeypatch.setenv("PRIVREC_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PRIVREC_MARKET_KEY", MARKET_KEY)
    return settings


def test_deposit_settle_and_verify_from_the_command_line(
    client: TestClient,
    user: SignedClient,
    environment: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["market", "deposit", f"user:{user.account}", "300"]) == 0
    wallet = user.request("GET", "/v1/users/me/wallet").json()
    assert wallet["balance"] == 300
    assert user.request("POST", "/v1/users/me/budget", json_body={"amount": 120}).status_code == 200
    assert main(["market", "settle"]) == 0  # the epoch is not due yet: nothing happens
    assert "epoch 0 (open since" in capsys.readouterr().out
    assert main(["market", "settle", "--epoch", "0"]) == 0  # named: settled now
    assert "settled epoch 0" in capsys.readouterr().out
    assert main(["market", "settle", "--epoch", "0"]) == 0
    assert "already settled" in capsys.readouterr().out
    # Nobody liked anything: the budget went back to its owner.
    assert user.request("GET", "/v1/users/me/wallet").json()["balance"] == 300

    export = tmp_path / "ledger.jsonl"
    export.write_text(client.get("/v1/ledger").text)
    key = client.get("/v1/ledger/key").json()["public_key"]
    assert main(["ledger", "verify", str(export), "--market-key", key]) == 0
    lines = export.read_text().splitlines()
    deposit = next(i for i, line in enumerate(lines) if '"amount":300' in line)
    lines[deposit] = lines[deposit].replace('"amount":300', '"amount":301')
    export.write_text("\n".join(lines) + "\n")
    assert main(["ledger", "verify", str(export), "--market-key", key]) == 1


def test_settle_refuses_an_epoch_that_is_not_open(
    environment: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    for epoch in ("5", "-1"):
        assert main(["market", "settle", "--epoch", epoch]) == 1
        error = capsys.readouterr().err
        assert error.startswith("error: ") and "Traceback" not in error
    assert main(["market", "settle", "--epoch", "0"]) == 0  # the refused ones wrote nothing
    assert "settled epoch 0" in capsys.readouterr().out


def test_deposit_refuses_bad_accounts(environment: Settings) -> None:
    assert main(["market", "deposit", "stake:someone", "5"]) == 2
    assert main(["market", "deposit", "user:not-a-key", "5"]) == 2


def test_the_schedule_settles_an_epoch_once_it_is_due(
    client: TestClient, user: SignedClient, settings: Settings
) -> None:
    user.request("POST", "/v1/users/me/faucet")
    store = client.app.state.ledger  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    assert settle_if_due(store, settings, now) == []  # the epoch just began
    later = now + timedelta(seconds=settings.epoch_s + 1)
    closed = settle_if_due(store, settings, later)
    assert closed[-1].kind == "epoch_close"
    # The close is stamped with the real clock: the epoch it opened is not due yet.
    assert settle_if_due(store, settings, datetime.now(UTC)) == []


def test_production_refuses_default_keys(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="PRIVREC_MARKET_KEY"):
        Settings(mode="production", data_dir=tmp_path, database_url="sqlite:///x.db")
    with pytest.raises(ValidationError, match="PRIVREC_DATABASE_URL"):
        Settings(mode="production", data_dir=tmp_path, market_key=MARKET_KEY)
    production = Settings(
        mode="production", data_dir=tmp_path, market_key=MARKET_KEY, database_url="sqlite:///x"
    )
    assert production.mode == "production"


def test_faucets_exist_only_in_local_mode(settings: Settings) -> None:
    production = settings.model_copy(update={"mode": "production"})
    with TestClient(create_app(production)) as client:
        user = SignedClient(client)
        assert user.register().status_code == 201
        refused = user.request("POST", "/v1/users/me/faucet")
        assert refused.status_code == 403
        assert "local mode" in refused.json()["detail"]
        api_key = client.post("/v1/developers", json={"name": "prod-dev"}).json()["api_key"]
        headers = {"Authorization": f"Bearer {api_key}"}
        assert client.post("/v1/developers/me/faucet", headers=headers).status_code == 403
