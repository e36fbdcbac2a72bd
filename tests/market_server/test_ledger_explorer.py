"""The ledger explorer's reads (market_server.ledger_explorer) on a real market database: epochs
and their roots, an epoch's entries in bounded pages, inclusion proofs read from hashes alone
(equal to ledger.verify.payout_proof's); and the developer's own balance and models over the
JSON API."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import Session, select

from ledger.economy import LedgerError, dev_account
from ledger.entries import Entry
from ledger.merkle import BLOCK_LEAVES, BlockedMerkleTree, merkle_root
from ledger.replay import Ledger
from ledger.verify import check_payout_proof, payout_proof
from market_server import crud
from market_server.core.db import make_engine, migrate
from market_server.ledger_explorer import (
    EPOCHS_PER_PAGE,
    MAX_ENTRIES_PER_PAGE,
    _ClosedTrees,
    entry_at,
    epoch_page,
    epoch_summaries,
    epoch_summary,
    inclusion_proof,
)
from market_server.ledger_store import LedgerStore, from_row
from market_server.models import LedgerEntryRow
from tests.market_server.test_flow import bundle_zip, deploy, sign_up  # noqa: F401

MINTS = (3, 1, 6)  # per closed epoch; then 2 in the open one
OPEN_MINTS = 2


def store_of(client: TestClient) -> LedgerStore:
    store: LedgerStore = client.app.state.ledger  # type: ignore[attr-defined]
    return store


def build(store: LedgerStore) -> None:
    """Close one epoch per item of MINTS (that many mints in it), then mint OPEN_MINTS more."""
    with Session(store.engine) as session:
        for mints in MINTS:
            for n in range(mints):
                crud.mint(session=session, store=store, account="dev:acme", amount=n + 1, memo="t")
            assert crud.settle(session=session, store=store)
        for n in range(OPEN_MINTS):
            crud.mint(session=session, store=store, account="dev:acme", amount=n + 1, memo="t")


def exported(client: TestClient) -> list[Entry]:
    return [Entry.from_json_line(line) for line in client.get("/v1/ledger").text.splitlines()]


def test_epochs_show_their_entries_and_signed_roots(client: TestClient) -> None:
    store = store_of(client)
    build(store)
    entries = exported(client)
    with Session(store.engine) as session:
        epochs = epoch_summaries(session)
        assert [e.epoch for e in epochs] == [3, 2, 1, 0]  # newest first, the open one too
        for summary in epochs:
            own = [e for e in entries if e.epoch == summary.epoch]
            assert (summary.first_seq, summary.entries) == (own[0].seq, len(own))
            assert summary == epoch_summary(session, summary.epoch)
            if summary.close is None:
                assert summary.epoch == 3 and summary.merkle_root is None
            else:
                assert summary.close == own[-1] and summary.close.kind == "epoch_close"
                assert summary.merkle_root == merkle_root([e.hash for e in own[:-1]])
        assert [e.epoch for e in epoch_summaries(session, below=2)] == [1, 0]
        assert [e.epoch for e in epoch_summaries(session, below=3, limit=1)] == [2]
        with pytest.raises(LookupError):
            epoch_summary(session, 4)
        with pytest.raises(ValueError):
            epoch_summaries(session, limit=EPOCHS_PER_PAGE + 1)


def test_an_epoch_pages_through_every_entry_once(client: TestClient) -> None:
    store = store_of(client)
    build(store)
    entries = exported(client)
    with Session(store.engine) as session:
        for epoch in range(len(MINTS) + 1):
            seen: list[Entry] = []
            after = None
            while True:
                page = epoch_page(session, epoch, after=after, limit=2)
                assert len(page.entries) <= 2
                seen += page.entries
                if page.next_after is None:
                    break
                after = page.next_after
            assert seen == [e for e in entries if e.epoch == epoch]
        # ``after`` before the epoch starts from its first entry; past its end gives nothing.
        assert epoch_page(session, 2, after=0).entries[0].seq == epoch_summary(session, 2).first_seq
        last = entries[-1].seq
        assert epoch_page(session, 3, after=last).entries == ()
        for bad in ({"limit": 0}, {"limit": MAX_ENTRIES_PER_PAGE + 1}, {"after": -2}):
            with pytest.raises(ValueError):
                epoch_page(session, 0, **bad)
        with pytest.raises(LookupError):
            epoch_page(session, 9)
        with pytest.raises(LookupError):
            entry_at(session, last + 1)


def test_inclusion_proofs_equal_the_ledger_packages_and_check(client: TestClient) -> None:
    store = store_of(client)
    build(store)
    entries = exported(client)
    public_key = store.key.public_key_hex
    with Session(store.engine) as session:
        for entry in entries:
            summary = epoch_summary(session, entry.epoch)
            if summary.close is None or entry.seq == summary.close.seq:
                with pytest.raises(LedgerError):
                    inclusion_proof(session, entry.seq)
                continue
            proof = inclusion_proof(session, entry.seq)
            assert proof == payout_proof(entries, entry.epoch, entry.seq)
            assert check_payout_proof(proof, public_key)
    # The JSON route serves the same proof, and refuses what has none.
    close = next(e for e in entries if e.kind == "epoch_close")
    assert client.get(f"/v1/ledger/proof/{close.seq - 1}").text == proof_json(entries, close)
    assert client.get(f"/v1/ledger/proof/{close.seq}").status_code == 409
    assert client.get(f"/v1/ledger/proof/{entries[-1].seq}").status_code == 409  # open epoch
    assert client.get(f"/v1/ledger/proof/{entries[-1].seq + 1}").status_code == 404


def proof_json(entries: list[Entry], close: Entry) -> str:
    return payout_proof(entries, close.epoch, close.seq - 1).to_json()


def test_a_developer_reads_their_balance_and_every_model_of_theirs(
    client: TestClient,
    bundle_zip: bytes,  # noqa: F811
) -> None:
    acme, other = sign_up(client, "acme"), sign_up(client, "other")
    faucet = client.get("/v1/developers/me/balance", headers=acme.headers).json()["balance"]
    deployed = deploy(client, acme, bundle_zip, stake=100, bid=5).json()
    # Another developer's models are not listed; the stake and escrow left the balance.
    assert client.get("/v1/developers/me/models", headers=other.headers).json() == []
    balance = client.get("/v1/developers/me/balance", headers=acme.headers).json()
    assert balance == {"developer": "acme", "balance": faucet - 100 - 50}
    with Session(store_of(client).engine) as session:
        book = store_of(client).snapshot(session).book
        assert book.balance(dev_account("acme")) == balance["balance"]
    mine = client.get("/v1/developers/me/models", headers=acme.headers).json()
    assert [m["id"] for m in mine] == [deployed["id"]]
    assert mine[0]["status"] == "live" and mine[0]["earnings"] == 0
    assert "probe" in mine[0]["diagnostics"]  # how its probe query scored
    public = client.get(f"/v1/models/{deployed['id']}").json()
    assert {k: mine[0][k] for k in public} == public
    for path in ("/v1/developers/me/models", "/v1/developers/me/balance"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer prk_nope"}).status_code == 401


def test_closed_epochs_trees_are_kept_within_their_budget(client: TestClient) -> None:
    store = store_of(client)
    build(store)
    with Session(store.engine) as session:
        closed = [s for s in epoch_summaries(session) if s.close is not None]
        sizes = {
            s.epoch: BlockedMerkleTree.from_hashes(["00" * 32] * (s.entries - 1)).nodes
            for s in closed
        }
        trees = _ClosedTrees(max_nodes=max(sizes.values()) + 1)
        for summary in closed:
            tree = trees.get(session, summary)
            assert tree.root == summary.merkle_root
            assert trees.get(session, summary) is tree  # kept: the next proof hashes nothing
        # Only what fits is kept: the most recently used first.
        assert trees._nodes <= trees.max_nodes and list(trees._trees)[-1][0] == closed[-1].epoch
        assert _ClosedTrees(max_nodes=0).get(session, closed[0]).root == closed[0].merkle_root


def test_proofs_at_block_boundaries_are_the_full_trees(client: TestClient) -> None:
    """An epoch of three 1,024-leaf blocks (the last one short): proofs of the leaves around
    each block's edges are those of the whole tree, and only the blocks' levels are kept."""
    store = store_of(client)
    mints = 2 * BLOCK_LEAVES + 50

    def mint_many(ledger: Ledger, time: str) -> list[Entry]:
        body: dict[str, str | int | bool] = {"account": "dev:acme", "amount": 1, "memo": "t"}
        return [ledger.append("mint", body, epoch=0, time=time) for _ in range(mints)]

    with Session(store.engine) as session:
        store.change(session, mint_many)
        assert crud.settle(session=session, store=store)
    with Session(store.engine) as session:  # (the export comes in pages of 1,000)
        entries = [from_row(row) for row in session.exec(select(LedgerEntryRow))]
    close = next(e for e in entries if e.kind == "epoch_close")
    leaves = close.seq  # epoch 0 starts at seq 0
    assert leaves > 2 * BLOCK_LEAVES
    trees = _ClosedTrees(max_nodes=100)
    with Session(store.engine) as session:
        summary = epoch_summary(session, 0)
        assert trees.get(session, summary).nodes == 3 + 2 + 1  # not the 2 * leaves of all levels
        for seq in (0, 1023, 1024, 1025, 2047, 2048, 2049, leaves - 1):
            proof = inclusion_proof(session, seq)
            assert proof == payout_proof(entries, 0, seq)
            assert check_payout_proof(proof, store.key.public_key_hex)


def test_a_blocked_tree_refuses_hashes_that_are_not_its_blocks() -> None:
    hashes = [f"{i:064x}" for i in range(BLOCK_LEAVES + 3)]
    tree = BlockedMerkleTree.from_hashes(hashes)
    assert tree.root == merkle_root(hashes) and tree.size == len(hashes)
    assert tree.block_of(BLOCK_LEAVES + 1) == range(BLOCK_LEAVES, BLOCK_LEAVES + 3)
    with pytest.raises(LedgerError, match="block has 3 hashes"):
        tree.proof(BLOCK_LEAVES, hashes[BLOCK_LEAVES:-1])
    with pytest.raises(LedgerError, match="are not the tree's"):
        tree.proof(BLOCK_LEAVES, [*hashes[BLOCK_LEAVES:-1], "ff" * 32])
    with pytest.raises(LedgerError, match="no leaf"):
        tree.block_of(len(hashes))
    with pytest.raises(LedgerError, match="blocks of 1024"):
        BlockedMerkleTree([hashes[:3], hashes[3:6]])


def test_an_epochs_summary_does_not_read_the_epochs_entries(tmp_path: Path) -> None:
    """Asked by anyone for any epoch's page, the summary costs the same for a 20,000-entry
    epoch as for a small one: SQLite's virtual machine steps are counted."""
    engine = make_engine(f"sqlite:///{tmp_path / 'market.sqlite3'}")
    migrate(engine)
    big, root = 20_000, "ab" * 32
    rows = [
        {
            "seq": seq,
            "epoch": 0 if seq <= big else 1,
            "kind": "epoch_close" if seq == big else "mint",
            "body": f'{{"epoch": 0, "merkle_root": "{root}"}}' if seq == big else "{}",
            "hash": f"{seq:064x}",
        }
        for seq in range(big + 6)
    ]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ledger_entry (seq, epoch, time, kind, body, prev_hash, hash, "
                "signature) VALUES (:seq, :epoch, '2026-01-01T00:00:00Z', :kind, :body, "
                f"'{'0' * 64}', :hash, '{'0' * 128}')"
            ),
            rows,
        )
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 100
        return 0  # go on

    with Session(engine) as session:
        raw = session.connection().connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(count, 100)
        closed, still_open = epoch_summary(session, 0), epoch_summary(session, 1)
        raw.set_progress_handler(None, 0)
    assert (closed.first_seq, closed.entries, closed.merkle_root) == (0, big + 1, root)
    assert (still_open.first_seq, still_open.entries, still_open.close) == (big + 1, 5, None)
    assert steps < 5_000  # reading the epoch's 20,000 index entries takes over 100,000
    engine.dispose()


def test_concurrent_first_proofs_of_an_epoch_build_its_tree_once(client: TestClient) -> None:
    store = store_of(client)
    build(store)
    with Session(store.engine) as session:
        summary = next(s for s in epoch_summaries(session) if s.close is not None)
    trees = _ClosedTrees(max_nodes=10_000)
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("SELECT ledger_entry.hash"):
            reads.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:

        def proof_tree(_: int) -> str:
            with Session(store.engine) as session:
                return trees.get(session, summary).root

        with ThreadPoolExecutor(8) as pool:
            roots = set(pool.map(proof_tree, range(16)))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert roots == {summary.merkle_root}
    assert len(reads) == 1  # one request read and hashed the epoch; the others waited for it
    assert trees._building == {}
