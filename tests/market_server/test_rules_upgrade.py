"""A market whose ledger was written under rules 1, restarted with rules 2: the switch is
scheduled from the next epoch at the first change, the open epoch still settles under rules 1
and the next under rules 2, and the exported ledger verifies (library and CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session, select

from crypto import IdentityKey, SecretKeys
from ledger.economy import LedgerError
from ledger.entries import Entry
from ledger.verify import verify_ledger
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.models import LedgerCheckpointRow
from privrec_cli import main
from tests.factories import SignedClient
from tests.market_server.test_economy_v2 import ask_one, entries, live_model, rate, settle
from tests.market_server.test_flow import sign_up
from tests.market_server.test_query_budgets import Asker

BUDGET = 30  # 5% of 30 is 1.5: rules 1 round the fee down to 1, rules 2 up to 2


def params_entries(client: TestClient) -> list[Entry]:
    return [e for e in entries(client) if e.kind == "params"]


def shown_once(
    client: TestClient, tmp_path: Path, keys: SecretKeys, identity: IdentityKey
) -> tuple[int, Asker, str]:
    """A live model and a user who committed BUDGET and was shown one list of it."""
    model_id = live_model(client, tmp_path, sign_up(client, "acme"), "shelf")
    asker = Asker(client, keys, identity)
    asker.user.fund_budget(BUDGET)
    return model_id, asker, ask_one(asker, model_id)


def test_a_rules_1_ledger_switches_to_rules_2_from_the_next_epoch(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys, identity = SecretKeys.generate(), IdentityKey.generate()
    with TestClient(create_app(settings.model_copy(update={"rules_version": 1}))) as client:
        model_id, asker, first = shown_once(client, tmp_path, keys, identity)
        (params,) = params_entries(client)
        assert "rules" not in params.body and "from_epoch" not in params.body  # a v1 body
        wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
        assert wallet["attention_cap_left"] is None  # rules 1 cap attention by day

    rules_2 = settings.model_copy(update={"rules_version": 2})
    with TestClient(create_app(rules_2)) as client:  # the same database, rules 2
        asker = Asker(client, keys, identity)
        assert len(params_entries(client)) == 1  # nothing written before the first change
        assert rate(asker, first, liked=3, contribution=0).status_code == 201
        switch = params_entries(client)[-1]
        assert (switch.epoch, switch.body["rules"], switch.body["from_epoch"]) == (0, 2, 1)
        (rating,) = [e for e in entries(client) if e.kind == "rating"]
        assert "contribution" not in rating.body  # epoch 0 is still under rules 1
        closing = settle(client)  # rules 1: the budget goes to the liked model, fee rounded down
        shares = {str(e.body["memo"]): e.body["amount"] for e in closing if e.kind == "transfer"}
        assert shares == {"settle:0:share:shelf@1.0.0": BUDGET - 1, "settle:0:fee:shelf@1.0.0": 1}

        asker.user.request("POST", "/v1/users/me/budget", json_body={"amount": BUDGET})
        second = ask_one(asker, model_id)
        (impression,) = [e for e in entries(client) if e.kind == "impression" and e.epoch == 1]
        assert impression.body["list"] == 100
        wallet = asker.user.request("GET", "/v1/users/me/wallet").json()
        assert wallet["attention_cap_left"] == BUDGET * 400 // 10_000
        # Likes that the blended list owes nothing to: rules 2 give the budget back.
        assert rate(asker, second, liked=3, contribution=0).status_code == 201
        (rating,) = [e for e in entries(client) if e.kind == "rating" and e.epoch == 1]
        assert rating.body["contribution"] == 0
        closing = settle(client)
        moved = {str(e.body["memo"]): e.body["amount"] for e in closing if e.kind == "transfer"}
        assert moved == {"settle:1:refund": BUDGET}

    with TestClient(create_app(rules_2)) as client:  # restarted again: no second switch
        SignedClient(client, identity).request("POST", "/v1/users/me/faucet")
        assert len(params_entries(client)) == 2
        lines = client.get("/v1/ledger").text.splitlines()
        key = client.get("/v1/ledger/key").json()["public_key"]
    report = verify_ledger(lines, key)
    assert report.ok, report.error
    assert report.closed_epochs == (0, 1)
    export = tmp_path / "ledger.jsonl"
    export.write_text("\n".join(lines) + "\n")
    assert main(["ledger", "verify", str(export), "--market-key", key]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_rules_2_market_restarted_with_rules_3_changes_votes_from_the_next_epoch(
    settings: Settings, tmp_path: Path
) -> None:
    keys, identity = SecretKeys.generate(), IdentityKey.generate()
    with TestClient(create_app(settings.model_copy(update={"rules_version": 2}))) as client:
        model_id, _, first = shown_once(client, tmp_path, keys, identity)
    rules_3 = settings.model_copy(update={"rules_version": 3})
    with TestClient(create_app(rules_3)) as client:  # rules 3, from the next epoch on
        asker = Asker(client, keys, identity)
        assert rate(asker, first, liked=1).status_code == 201
        body = {"liked": 0, "disliked": 1, "contribution": -1}
        refused = asker.user.request("PUT", f"/v1/ratings/{first}", json_body=body)
        assert refused.status_code == 409
        assert refused.json()["detail"] == ("this market runs economy rules 2: votes cannot change")
        settle(client)
        asker.user.request("POST", "/v1/users/me/budget", json_body={"amount": BUDGET})
        second = ask_one(asker, model_id)
        assert rate(asker, second, liked=1).status_code == 201
        changed = asker.user.request("PUT", f"/v1/ratings/{second}", json_body=body)
        assert changed.status_code == 200, changed.text
        lines = client.get("/v1/ledger").text.splitlines()
        key = client.get("/v1/ledger/key").json()["public_key"]
    assert verify_ledger(lines, key).ok


def test_a_later_change_of_parameters_is_scheduled_once(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        SignedClient(client).register()
        sign_up(client, "acme")  # a faucet: the first change writes the params
        (first,) = params_entries(client)
        assert (first.body["rules"], first.body["from_epoch"], first.body["fee_bps"]) == (4, 0, 500)
    cheaper = settings.model_copy(update={"fee_bps": 300})
    with TestClient(create_app(cheaper)) as client:
        sign_up(client, "other")
        sign_up(client, "third")
        switch = params_entries(client)[-1]
        assert len(params_entries(client)) == 2
        assert (switch.body["fee_bps"], switch.body["from_epoch"]) == (300, 1)


def test_a_market_refuses_to_start_with_older_rules_than_its_ledger(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        sign_up(client, "acme")  # the first change opens the ledger under rules 4
    with pytest.raises(LedgerError, match="set PRIVREC_RULES_VERSION=4"):
        create_app(settings.model_copy(update={"rules_version": 1}))


def test_under_rules_1_bids_need_no_escrow_and_a_retired_model_keeps_its_stake(
    settings: Settings, tmp_path: Path
) -> None:
    with TestClient(create_app(settings.model_copy(update={"rules_version": 1}))) as client:
        acme = sign_up(client, "acme")
        model_id = live_model(client, tmp_path, acme, "shelf", bid=5)  # paid from dev:acme
        assert [m["id"] for m in client.get("/v1/models").json()] == [model_id]
        asker = Asker(client, SecretKeys.generate())
        asker.user.fund_budget(10)
        ask_one(asker, model_id)
        retired = client.post(f"/v1/models/{model_id}/retire", headers=acme.headers).json()
        assert (retired["returned"], retired["release_epoch"]) == (0, None)
        assert retired["detail"] == (
            "retired: this market runs economy rules 1, which never release a stake"
        )
        assert [e.kind for e in entries(client)][-1] == "retire"


def test_the_rules_version_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVREC_RULES_VERSION", "1")
    assert Settings().rules_version == 1
    monkeypatch.setenv("PRIVREC_RULES_VERSION", "5")
    with pytest.raises(ValidationError, match="rules_version"):
        Settings()


def test_a_checkpoint_in_an_older_state_version_is_replaced_by_a_full_replay(
    settings: Settings,
) -> None:
    """A market upgraded from a version whose checkpoints it cannot read replays its ledger
    from the first entry, and goes on appending to the same chain."""
    with TestClient(create_app(settings)) as client:
        SignedClient(client).register()
        sign_up(client, "acme")
        settle(client)  # an epoch close writes a checkpoint
        written = len(entries(client))
        with Session(client.app.state.engine) as session:  # type: ignore[attr-defined]
            row = session.exec(select(LedgerCheckpointRow)).one()
            row.state = json.dumps(json.loads(row.state) | {"version": 1})
            session.add(row)
            session.commit()
    with TestClient(create_app(settings)) as client:
        sign_up(client, "later")  # appends after a full replay
        assert client.app.state.ledger.entries_replayed == written  # type: ignore[attr-defined]
        market_key = client.get("/v1/market").json()["public_key"]
        report = verify_ledger(client.get("/v1/ledger").text.splitlines(), market_key)
        assert report.ok and report.entries > written, report.error
