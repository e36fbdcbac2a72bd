"""`privrec developer sign-up` and `privrec model deploy` against a real market process."""

from __future__ import annotations

from pathlib import Path

import pytest

from client_app.developer import DeveloperClient
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
    assert "POST /v1/models" in capsys.readouterr().err
    missing = tmp_path / "missing.zip"
    assert main(["model", "deploy", str(missing), "--market", market.url, "--stake", "1"]) == 1
    assert "missing.zip" in capsys.readouterr().err
    assert main(["developer", "sign-up", "x", "--market", "ftp://nowhere"]) == 1
    assert "not an http(s) URL" in capsys.readouterr().err
