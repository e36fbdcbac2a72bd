"""Deploying costs the server nothing until the stake is funded (issue 10): the money is checked
before the body is read, declared sizes before anything is inflated, the stake escrowed before
the bundle is unpacked and returned when it is rejected; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import threading
import tracemalloc
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session, select

from ledger.economy import MAX_AMOUNT, dev_account, escrow_account, stake_account
from ledger.verify import verify_ledger
from market_server import bundles, crud, deployment
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.models import BundleBlob, ModelStatus, ModelVersion
from recommenders.bundle import BUNDLE_FILES, CATALOG_FILE, ITEMS_FILE, pack_bundle
from tests.factories import make_bundle, record_member_reads, write_big_bundle, zip_bomb_bundle
from tests.market_server.test_flow import Developer, deploy, sign_up

CHUNK = 64 * 1024


def balance(client: TestClient, account: str) -> int:
    state = client.app.state  # type: ignore[attr-defined]
    with Session(state.engine) as session:
        held: int = state.ledger.snapshot(session).book.balance(account)
        return held


def model_rows(client: TestClient) -> list[ModelVersion]:
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        return list(session.exec(select(ModelVersion)).all())


def post_stream(
    app: FastAPI, query: str, headers: dict[str, str], *, chunks: int = 64
) -> tuple[httpx.Response, int]:
    """POST a body of ``chunks`` x 64 KiB to the deploy route, handed to the app only as it asks
    for it; returns the answer and how many bytes the app pulled."""
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(chunks):
            pulled += CHUNK
            yield bytes(CHUNK)

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await http.post(f"/v1/models?{query}", headers=headers, content=body())

    return asyncio.run(post()), pulled


@pytest.fixture
def bundle_zip(tmp_path: Path) -> bytes:
    return pack_bundle(make_bundle(tmp_path, n=300, d=8, categories=("books",), name="shelf"))


def hold_probes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Keep deployments pending: the background probe is recorded instead of run."""
    held: list[dict[str, Any]] = []
    monkeypatch.setattr(deployment, "validate_and_publish", lambda **kwargs: held.append(kwargs))
    return held


@pytest.mark.parametrize(
    ("case", "query", "extra_headers", "status", "message"),
    [
        ("unfunded", "stake=100&bid=1", {}, 409, "more than your balance of 0"),
        ("funded", "stake=5&bid=1", {}, 400, "at least 10 credits"),
        ("pending", "stake=100&bid=1", {}, 429, "still being validated"),
        ("funded", "stake=100&bid=1", {"Content-Type": "text/plain"}, 415, "application/zip"),
        ("funded", "stake=100&bid=1", {"Content-Length": str(2**40)}, 413, "over the limit"),
    ],
)
def test_a_refused_deployment_is_never_read(
    client: TestClient,
    bundle_zip: bytes,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    query: str,
    extra_headers: dict[str, str],
    status: int,
    message: str,
) -> None:
    developer = sign_up(client, "acme", faucet=case != "unfunded")
    if case == "pending":
        hold_probes(monkeypatch)
        assert deploy(client, developer, bundle_zip).status_code == 202
    headers = {**developer.headers, "Content-Type": "application/zip", **extra_headers}
    answer, pulled = post_stream(client.app, query, headers)  # type: ignore[arg-type]
    assert answer.status_code == status, answer.text
    assert message in answer.json()["detail"]
    assert pulled == 0  # not one byte of the 4 MiB body was asked for
    assert len(model_rows(client)) == (1 if case == "pending" else 0)


@pytest.mark.parametrize(
    "spelling", ["5.0", "+100", "true", "%20100", "1e2", "0x64", "0100", "-1", str(MAX_AMOUNT + 1)]
)
def test_stake_and_bid_are_whole_numbers_in_digits(
    client: TestClient, bundle_zip: bytes, spelling: str
) -> None:
    developer = sign_up(client, "acme")
    headers = {**developer.headers, "Content-Type": "application/zip"}
    for query in (f"stake={spelling}&bid=0", f"stake=100&bid={spelling}"):
        answer = client.post(f"/v1/models?{query}", headers=headers, content=bundle_zip)
        assert answer.status_code == 422, (query, answer.text)
    assert model_rows(client) == []


def test_a_bid_beyond_32_bits_deploys_and_reads_back(client: TestClient, bundle_zip: bytes) -> None:
    # The API accepted such bids before the credit columns were BIGINT; PostgreSQL then 500'd.
    developer = sign_up(client, "acme")
    deployed = deploy(client, developer, bundle_zip, stake=100, bid=2**31, escrow=0)
    assert deployed.status_code == 202, deployed.text
    model = client.get(f"/v1/models/{deployed.json()['id']}").json()
    assert (model["stake"], model["bid"], model["escrow"]) == (100, 2**31, 0)
    assert client.get("/v1/models").json() == []  # a bid its escrow does not back is unlisted


def test_a_zip_bomb_is_refused_unopened_before_any_escrow(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    developer = sign_up(client, "acme")
    funds = balance(client, dev_account("acme"))
    # 250,000 x 235 fits the default cell quota; the bomb is refused for its ratio.
    bomb = zip_bomb_bundle(items=250_000, dim=235, name="bomb")
    inflated = record_member_reads(monkeypatch)
    tracemalloc.start()
    try:
        answer = deploy(client, developer, bomb, stake=100)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.status_code == 400, answer.text
    assert "would inflate" in answer.json()["detail"]
    assert ITEMS_FILE not in inflated  # refused from its header, never decompressed
    assert peak < 16 * 1024 * 1024  # the 0.2 MB upload held a few times, never the 224 MiB
    assert model_rows(client) == []
    assert balance(client, dev_account("acme")) == funds


def test_declared_cells_over_the_quota_are_refused_before_unpacking(
    settings: Settings, bundle_zip: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpacked: list[str] = []
    monkeypatch.setattr(bundles, "read_rest", lambda *args: unpacked.append("read"))
    with TestClient(create_app(settings.model_copy(update={"max_model_cells": 2000}))) as client:
        developer = sign_up(client, "acme")
        answer = deploy(client, developer, bundle_zip)  # its manifest declares 300 x 8
        assert answer.status_code == 413, answer.text
        assert "= 2400 cells, over the limit of 2000 per model" in answer.json()["detail"]
        assert unpacked == []
        assert model_rows(client) == []
        assert balance(client, dev_account("acme")) == 1000


def test_a_big_table_needs_a_stake_in_proportion_before_it_is_unpacked(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpacked: list[str] = []
    monkeypatch.setattr(bundles, "read_rest", lambda *args: unpacked.append("read"))
    big = tmp_path / "big.zip"
    write_big_bundle(big, 2**17, 8)  # 2^20 cells
    dear = settings.model_copy(update={"stake_per_mebicell": 500})
    assert dear.deployment_stake(2**20 - 1) == 10
    assert dear.deployment_stake(2**20) == 510
    with TestClient(create_app(dear)) as client:
        developer = sign_up(client, "acme")
        answer = deploy(client, developer, big.read_bytes(), stake=509)
        assert answer.status_code == 400, answer.text
        assert "of 1048576 cells needs a stake of at least 510 credits" in answer.json()["detail"]
        assert unpacked == []
        assert model_rows(client) == []
        assert balance(client, dev_account("acme")) == 1000


def test_the_bundle_limits_come_from_the_settings(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_probes(monkeypatch)
    limits = settings.model_copy(update={"max_catalog_bytes": 2**20})
    assert limits.bundle_limits.catalog_bytes == 2**20
    assert limits.bundle_limits.items_bytes == 4 * settings.max_model_cells + 8 + 64 * 1024
    assert limits.bundle_upload_bytes == limits.bundle_limits.archive_bytes
    custom = settings.model_copy(update={"max_bundle_bytes": 5 * 2**20})
    assert custom.bundle_upload_bytes == 5 * 2**20
    wordy = tmp_path / "wordy.zip"
    write_big_bundle(wordy, 100_000, 4)  # a catalog of 1.6 MB
    with TestClient(create_app(limits)) as client:
        developer = sign_up(client, "acme")
        answer = deploy(client, developer, wordy.read_bytes())
        # Refused from the archive's headers: nothing inflated, no stake escrowed.
        assert answer.status_code == 400, answer.text
        assert "catalog.csv" in answer.json()["detail"]
        assert "exceed the limit of 1048576 bytes" in answer.json()["detail"]
        assert model_rows(client) == []
        assert balance(client, dev_account("acme")) == 1000


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_model_cells", 2**24 * 256 + 1),
        ("max_model_cells", 0),
        ("max_catalog_bytes", 1000),
        ("max_bundle_bytes", 1000),
        ("stake_per_mebicell", -1),
    ],
)
def test_bad_bundle_limits_are_refused_at_start(field: str, value: int) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings(**{field: value})  # type: ignore[arg-type]


def test_a_developer_cell_quota_counts_live_and_pending_models(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold_probes(monkeypatch)
    quota = settings.model_copy(update={"max_developer_cells": 3000, "max_pending_deployments": 2})
    with TestClient(create_app(quota)) as client:
        developer = sign_up(client, "acme")
        first = pack_bundle(make_bundle(tmp_path, n=300, d=8, name="first"))  # 2400 cells
        second = pack_bundle(make_bundle(tmp_path, n=100, d=8, name="second"))  # 800 more
        assert deploy(client, developer, first).status_code == 202
        answer = deploy(client, developer, second)
        assert answer.status_code == 413, answer.text
        assert "past your quota of 3000 cells" in answer.json()["detail"]
        # Only the first model's stake and attention escrow (100 + 50) are held.
        assert balance(client, dev_account("acme")) == 850


def test_stake_escrowed_at_deploy_returned_on_rejection_and_the_version_deployed_again(
    client: TestClient, bundle_zip: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate_and_publish = deployment.validate_and_publish
    held = hold_probes(monkeypatch)
    developer = sign_up(client, "acme")
    deployed = deploy(client, developer, bundle_zip, stake=100, bid=2)
    assert deployed.status_code == 202, deployed.text
    model_id = deployed.json()["id"]
    # Escrowed with the pending row, before any probe.
    assert deployed.json()["status"] == "pending"
    assert balance(client, dev_account("acme")) == 1000 - 100 - 20
    assert balance(client, stake_account("shelf@1.0.0")) == 100
    assert balance(client, escrow_account("shelf@1.0.0")) == 20

    # The probe fails: rejected, the stake back and the bytes gone, the diagnostics kept.
    monkeypatch.setattr(deployment, "probe_report", lambda *a, **k: (False, '{"probe": "failed"}'))
    validate_and_publish(**held[0])
    assert client.get(f"/v1/models/{model_id}").json()["status"] == ModelStatus.REJECTED
    diagnostics = client.get(f"/v1/models/{model_id}/diagnostics", headers=developer.headers)
    assert diagnostics.json()["diagnostics"] == '{"probe": "failed"}'
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.get(BundleBlob, model_id) is None
    assert balance(client, dev_account("acme")) == 1000
    assert balance(client, stake_account("shelf@1.0.0")) == 0
    assert balance(client, escrow_account("shelf@1.0.0")) == 0

    # The same name@version deploys again after the fix, replacing the rejected row.
    monkeypatch.undo()
    again = deploy(client, developer, bundle_zip, stake=50, bid=1)
    assert again.status_code == 202, again.text
    assert again.json()["id"] == model_id
    status = client.get(f"/v1/models/{model_id}").json()["status"]
    assert status == ModelStatus.LIVE, client.get(
        f"/v1/models/{model_id}/diagnostics", headers=developer.headers
    ).text
    assert balance(client, dev_account("acme")) == 1000 - 50 - 10
    # A live version is never replaced.
    assert deploy(client, developer, bundle_zip).status_code == 409

    key = client.get("/v1/ledger/key").json()["public_key"]
    lines = client.get("/v1/ledger").text.splitlines()
    report = verify_ledger(lines, key)
    assert report.ok, report.error
    assert report.balances[dev_account("acme")] == 940
    assert sum(crud.STAKE_RETURNED_MEMO in line for line in lines) == 1
    assert sum(crud.ESCROW_RETURNED_MEMO in line for line in lines) == 1


def test_a_bundle_invalid_past_its_manifest_is_rejected_with_its_stake_returned(
    client: TestClient, bundle_zip: bytes
) -> None:
    developer = sign_up(client, "acme")
    with zipfile.ZipFile(io.BytesIO(bundle_zip)) as archive:
        files = {name: archive.read(name) for name in BUNDLE_FILES}
    files[CATALOG_FILE] = files[CATALOG_FILE].replace(b"item_id,", b"item,", 1)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)

    answer = deploy(client, developer, broken.getvalue())
    assert answer.status_code == 400, answer.text
    assert "catalog.csv: the header must be" in answer.json()["detail"]
    assert "the stake is returned" in answer.json()["detail"]
    [model] = model_rows(client)
    assert model.status == ModelStatus.REJECTED
    assert "catalog.csv" in model.diagnostics
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        assert session.get(BundleBlob, model.id) is None
    assert balance(client, dev_account("acme")) == 1000

    fixed = deploy(client, developer, bundle_zip)
    assert fixed.status_code == 202, fixed.text
    assert fixed.json()["id"] == model.id
    assert client.get(f"/v1/models/{model.id}").json()["status"] == ModelStatus.LIVE
    assert balance(client, dev_account("acme")) == 1000 - 100 - 50  # stake and escrow


def test_another_developers_pending_or_live_name_is_still_refused(
    client: TestClient, bundle_zip: bytes
) -> None:
    owner: Developer = sign_up(client, "acme")
    assert deploy(client, owner, bundle_zip).status_code == 202
    rival = sign_up(client, "rival")
    answer = deploy(client, rival, bundle_zip)
    assert answer.status_code == 403
    assert balance(client, dev_account("rival")) == 1000


def test_a_lost_deployment_expires_and_no_longer_blocks_the_developer(
    client: TestClient, bundle_zip: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = hold_probes(monkeypatch)
    developer = sign_up(client, "acme")
    lost_id = deploy(client, developer, bundle_zip, stake=100).json()["id"]
    other = pack_bundle(make_bundle(tmp_path, n=50, d=8, name="other"))
    assert deploy(client, developer, other, stake=100).status_code == 429
    # As if the server had restarted mid-validation two hours ago.
    with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
        lost = session.get(ModelVersion, lost_id)
        assert lost is not None
        lost.created_at = lost.created_at - timedelta(hours=2)
        session.add(lost)
        session.commit()
    assert deploy(client, developer, other, stake=100).status_code == 202
    assert client.get(f"/v1/models/{lost_id}").json()["status"] == ModelStatus.REJECTED
    diagnostics = client.get(f"/v1/models/{lost_id}/diagnostics", headers=developer.headers)
    assert "not validated within 3600 s" in diagnostics.json()["diagnostics"]
    # The lost stake and escrow came back; the other model's (100 + 50) are held.
    assert balance(client, dev_account("acme")) == 850
    assert balance(client, stake_account("shelf@1.0.0")) == 0
    # The lost probe, if it ever runs, leaves the expired model alone.
    monkeypatch.undo()
    deployment.validate_and_publish(**held[0])
    assert client.get(f"/v1/models/{lost_id}").json()["status"] == ModelStatus.REJECTED


def test_probes_wait_for_a_deployment_slot(
    client: TestClient, settings: Settings, bundle_zip: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate_and_publish = deployment.validate_and_publish
    held = hold_probes(monkeypatch)
    developer = sign_up(client, "acme")
    model_id = deploy(client, developer, bundle_zip).json()["id"]
    slots = held[0]["slots"]
    assert slots is client.app.state.deployment_slots  # type: ignore[attr-defined]
    taken = [slots.acquire(blocking=False) for _ in range(settings.max_concurrent_probes)]
    assert all(taken)  # every slot of the process is busy
    probe = threading.Thread(target=lambda: validate_and_publish(**held[0]))
    probe.start()
    probe.join(timeout=1.0)
    assert probe.is_alive()  # waiting for a slot
    assert client.get(f"/v1/models/{model_id}").json()["status"] == "pending"
    for _ in taken:
        slots.release()
    probe.join(timeout=60)
    status = client.get(f"/v1/models/{model_id}").json()["status"]
    assert status == ModelStatus.LIVE, client.get(
        f"/v1/models/{model_id}/diagnostics", headers=developer.headers
    ).text
