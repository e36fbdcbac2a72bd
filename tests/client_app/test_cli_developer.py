"""`privrec developer sign-up`, `privrec model deploy` and `privrec model fund-escrow` against a
real market process."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from client_app.developer import DeveloperClient
from client_app.market import MarketError
from privrec_cli import main
from recommenders.bundle import pack_bundle
from recommenders.features import PROFILE_DIM
from tests.client_app.conftest import Market
from tests.factories import make_bundle


def test_sign_up_then_deploy_a_bundle(
    market: Market,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main(["developer", "sign-up", "cli-developer", "--market", market.url]) == 0
    api_key = capsys.readouterr().out.strip().splitlines()[-1]
    assert api_key.startswith("prk_")
    with DeveloperClient(market.url, api_key) as developer:
        developer.faucet()
    bundle = tmp_path / "model.zip"
    bundle.write_bytes(
        pack_bundle(make_bundle(tmp_path, name="cli-model", profile_size=PROFILE_DIM, n=30))
    )
    deploy = ["model", "deploy", str(bundle), "--market", market.url, "--stake", "40"]

    monkeypatch.delenv("PRIVREC_API_KEY", raising=False)
    assert main(deploy) == 2
    assert "PRIVREC_API_KEY" in capsys.readouterr().err

    monkeypatch.setenv("PRIVREC_API_KEY", api_key)
    assert main(deploy) == 0
    out = capsys.readouterr().out
    assert "uploaded cli-model 1.0.0" in out and "is live" in out
    # The same version again is refused by the market, and the reason is printed.
    assert main(deploy) == 1
    assert "cli-model 1.0.0 is already deployed" in capsys.readouterr().err


def test_deploy_reports_bad_input_clearly(
    market: Market,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRIVREC_API_KEY", "prk_not-a-real-key")
    not_a_bundle = tmp_path / "junk.zip"
    not_a_bundle.write_bytes(b"this is not a zip file")
    assert main(["model", "deploy", str(not_a_bundle), "--market", market.url, "--stake", "1"]) == 1
    assert "The market does not know your API key" in capsys.readouterr().err
    missing = tmp_path / "missing.zip"
    assert main(["model", "deploy", str(missing), "--market", market.url, "--stake", "1"]) == 1
    assert "missing.zip" in capsys.readouterr().err
    assert main(["developer", "sign-up", "x", "--market", "ftp://nowhere"]) == 1
    assert "not an http(s) URL" in capsys.readouterr().err


def test_deploy_with_an_escrow_and_top_it_up(
    market: Market,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with DeveloperClient(market.url) as developer:
        monkeypatch.setenv("PRIVREC_API_KEY", developer.sign_up("escrow-developer"))
        balance = developer.faucet()

    def deploy(name: str, *options: str) -> int:
        bundle = tmp_path / f"{name}.zip"
        parts = make_bundle(tmp_path, name=name, profile_size=PROFILE_DIM, n=30)
        bundle.write_bytes(pack_bundle(parts))
        return main(["model", "deploy", str(bundle), "--market", market.url, *options])

    def fund(model_id: int, amount: int) -> int:
        return main(["model", "fund-escrow", str(model_id), str(amount), "--market", market.url])

    # Backed at deploy: three bids of 4 in its escrow, listed at once.
    assert deploy("backed-model", "--stake", "40", "--bid", "4", "--escrow", "12") == 0
    out = capsys.readouterr().out
    assert "stake 40, bid 4 per rated list, attention escrow 12 credits" in out
    assert "not listed" not in out
    balance -= 40 + 12
    # Without an escrow (the default), a model with a bid is live but not listed until funded.
    assert deploy("unbacked-model", "--stake", "30", "--bid", "5") == 0
    out = capsys.readouterr().out
    assert "attention escrow 0 credits" in out
    assert "not listed while its escrow holds less than one bid" in out
    balance -= 30
    with DeveloperClient(market.url, os.environ["PRIVREC_API_KEY"]) as developer:
        ids = {model.name: model.id for model in developer.models()}
        assert "backed-model" in ids and "unbacked-model" not in ids
    found = re.search(r"uploaded unbacked-model 1\.0\.0 as model (\d+);", out)
    assert found is not None, out
    unbacked_id = int(found.group(1))
    assert fund(unbacked_id, 5) == 0
    assert f"model {unbacked_id} (unbacked-model 1.0.0): attention escrow now 5 credits" in (
        capsys.readouterr().out
    )
    balance -= 5
    with DeveloperClient(market.url, os.environ["PRIVREC_API_KEY"]) as developer:
        assert developer.model(unbacked_id).escrow == 5
        assert unbacked_id in {model.id for model in developer.models()}

        # Refusals, in plain sentences (the CLI prints the same ones).
        with pytest.raises(MarketError, match="your balance is too low") as low:
            developer.fund_escrow(unbacked_id, balance + 1)
        assert low.value.status == 409
        shelf = market.model_ids["shelf"]
        with pytest.raises(MarketError, match=f"model {shelf} is another developer's") as theirs:
            developer.fund_escrow(shelf, 1)
        assert theirs.value.status == 403
        with pytest.raises(MarketError, match="refused the amounts given") as malformed:
            developer.fund_escrow(unbacked_id, 10**12 + 1)  # over the market's largest amount
        assert malformed.value.status == 422
        with pytest.raises(MarketError, match="this market has no model 99999"):
            developer.fund_escrow(99999, 1)
        with pytest.raises(ValueError, match="at least 1"):
            developer.fund_escrow(unbacked_id, 0)
        assert developer.model(unbacked_id).escrow == 5  # nothing refused moved a credit
    assert fund(unbacked_id, balance + 1) == 1
    assert "Cannot put" in capsys.readouterr().err
    too_much = str(balance + 1)
    assert deploy("costly-model", "--stake", "10", "--bid", "1", "--escrow", too_much) == 1
    err = capsys.readouterr().err
    assert f"Cannot deploy this bundle: the stake of 10 credits and escrow of {too_much}" in err
    assert f"is more than your balance of {balance}" in err
