"""The ``privrec`` command: crypto profiles, listing, training and exporting models, and the
developer commands' arguments (their runs against a market are in tests/client_app)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from privrec_cli import main
from recommenders.bundle import load_bundle
from recommenders.features import FEATURE_SCHEMA_VERSION
from tests.factories import make_bundle


def test_crypto_profiles_lists_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crypto", "profiles"]) == 0
    assert "ckks4096-v1 (default)" in capsys.readouterr().out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: privrec" in capsys.readouterr().out


def test_model_list_names_every_reference_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("retail-two-tower", "retail-content", "books-two-tower", "books-popular"):
        assert name in out


def test_train_writes_a_loadable_bundle(tmp_path: Path) -> None:
    out = tmp_path / "popular"
    args = ["model", "train", "books-popular", "--out", str(out), "--cache-dir", str(tmp_path)]
    assert main([*args, "--quiet"]) == 0
    bundle = load_bundle(out, feature_schema=FEATURE_SCHEMA_VERSION)
    assert bundle.manifest.name == "books-popular"
    assert bundle.items.shape == (bundle.manifest.items, 1)
    # Never overwrite a bundle that exists.
    assert main([*args, "--quiet"]) == 2


def test_train_refuses_an_unknown_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", "train", "nope", "--out", str(tmp_path / "x")]) == 2
    assert "unknown model" in capsys.readouterr().err


def test_export_packs_a_valid_bundle(tmp_path: Path) -> None:
    bundle_dir = make_bundle(tmp_path)
    out = tmp_path / "bundle.zip"
    assert main(["model", "export", str(bundle_dir), "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert load_bundle(out.read_bytes(), feature_schema=FEATURE_SCHEMA_VERSION).manifest.name


def test_export_refuses_a_broken_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle_dir = make_bundle(tmp_path)
    (bundle_dir / "items.safetensors").write_bytes(b"truncated")
    out = tmp_path / "bundle.zip"
    assert main(["model", "export", str(bundle_dir), "--out", str(out)]) == 1
    assert "not a valid bundle" in capsys.readouterr().err
    assert not out.exists()


def test_deploy_help_says_what_the_escrow_is_for(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["model", "deploy", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--escrow ESCROW" in out
    assert "default 0: a model with a bid > 0 is listed only while its escrow holds" in out


def test_fund_escrow_needs_an_api_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRIVREC_API_KEY", raising=False)
    assert main(["model", "fund-escrow", "3", "50"]) == 2
    assert "PRIVREC_API_KEY" in capsys.readouterr().err
