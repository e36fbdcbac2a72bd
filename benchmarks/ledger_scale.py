"""Ledger scale benchmark: what a long ledger costs the market and the app.

    python -m benchmarks.ledger_scale --sizes 10000,100000 --json out.json
    python -m benchmarks.ledger_scale --sizes 2000          # a quick run

For each length it writes a ledger of that many entries under economy rules 2 (models with
stakes and attention escrows; per round an impression, its rating with a contribution and the
attention it earns within 4 % of the user's budget; a budget per user and epoch; a settlement
every 20,000 entries) into a fresh SQLite market,
with its last checkpoint half an interval before the end, then measures: the first ledger
request of a restarted server (``after``: from the checkpoint; ``before``: the full replay
the server used to do), one export page (as many entries as the market sends at once), the
app's first check of the whole export, and its next check after 1,000 more entries (from its
saved state).

It then measures what readers' snapshots cost (``--snapshots-only`` runs just this part, in
memory): the CPU time of one writer's change (a user's round: budget, impression, rating, its
attention payments) with no reader, and right after a reader took a snapshot; the snapshot
itself; the deep copy of the book a copy-on-read snapshot paid instead (wall time); and a full
replay of the ledger.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from benchmarks.common import machine, print_table, write_json
from ledger.economy import (
    EconomyParams,
    budget_account,
    dev_account,
    escrow_account,
    stake_account,
    user_account,
)
from ledger.entries import EXPORT_PAGE_ENTRIES, Entry, format_time
from ledger.head import SignedHead
from ledger.keys import MarketKey
from ledger.replay import Ledger
from ledger.verify import Verifier
from market_server import crud
from market_server.api.main import create_app
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.ledger_store import economy_params, from_row, to_row
from market_server.models import LedgerCheckpointRow, LedgerEntryRow

SEED = "5e" * 32
USERS = 1000
MODELS = ("alpha@1", "beta@1", "gamma@1")
DEVELOPER = "acme"
BID = 2
STAKE = 10**6  # burns are capped per epoch: the stakes never run out
ESCROW = 10**8  # nor do the escrows paying the bids
DEPOSIT = 10**4
BUDGET = 100  # each user's per epoch: 4 credits of attention, two paid ratings
SETTLE_EVERY = 20_000
CHECKPOINT_EVERY = 1000
NEW_ENTRIES = 1000
PAGE = EXPORT_PAGE_ENTRIES
COLUMNS = (
    "entries",
    "first_request_before_s",
    "first_request_before_cpu_s",
    "first_request_after_s",
    "first_request_after_cpu_s",
    "replayed_on_restart",
    "checkpoint_bytes",
    "export_page_s",
    "export_page_bytes",
    "client_first_check_s",
    "client_next_check_s",
    "client_next_entries",
)

SNAPSHOT_COLUMNS = (
    "entries",
    "change_us",
    "change_after_read_us",
    "change_after_read_max_us",
    "snapshot_us",
    "deepcopy_book_ms",
    "replay_s",
    "replay_cpu_s",
)
CHANGES = 300  # timed changes per column: each a user's round, about four entries


class Writer:
    """Appends a realistic mix of entries through the ledger's rules, one second apart."""

    def __init__(self, key: MarketKey, params: EconomyParams) -> None:
        self.ledger = Ledger(key)
        self.list_length = params.list_length  # every model's catalog is at least this long
        self.clock = datetime(2024, 1, 1, tzinfo=UTC)
        self.entries: list[Entry] = []
        self.users = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(USERS)]
        self.impressions = 0
        self.budgeted: set[tuple[str, int]] = set()  # (user, epoch) with a budget
        self.entries.append(self.ledger.switch_rules(params, time=self.tick()))
        for model in MODELS:
            self.add("model", {"model": model, "developer": DEVELOPER, "bid": BID})
        developer = dev_account(DEVELOPER)
        self.add("mint", {"account": developer, "amount": 10**9, "memo": "deposit"})
        for model in MODELS:
            self.pay(developer, stake_account(model), STAKE, "stake")
            self.pay(developer, escrow_account(model), ESCROW, "attention escrow")
        for user in self.users:
            self.add("mint", {"account": user_account(user), "amount": DEPOSIT, "memo": "deposit"})

    def tick(self) -> str:
        self.clock += timedelta(seconds=1)
        return format_time(self.clock)

    def add(self, kind: str, body: dict[str, Any]) -> None:
        time_ = self.tick()
        epoch = self.ledger.open_epoch
        if kind == "rating":
            self.entries += self.ledger.record_rating(body, epoch=epoch, time=time_)
        elif kind == "settle":
            self.entries += self.ledger.settle_epoch(epoch, time=time_)
        else:
            self.entries.append(self.ledger.append(kind, body, epoch=epoch, time=time_))

    def pay(self, source: str, target: str, amount: int, memo: str) -> None:
        self.add("transfer", {"from": source, "to": target, "amount": amount, "memo": memo})

    def step(self) -> None:
        """One user's round: a budget at their first in the epoch, an impression, its rating."""
        user = self.users[self.impressions % USERS]
        model = MODELS[self.impressions % len(MODELS)]
        epoch = self.ledger.open_epoch
        if (user, epoch) not in self.budgeted:
            self.budgeted.add((user, epoch))
            self.pay(user_account(user), budget_account(user, epoch), BUDGET, "budget")
        impression = f"i{self.impressions}"
        who = {"impression_id": impression, "user": user, "model": model, "developer": DEVELOPER}
        self.add("impression", {**who, "list": self.list_length})
        liked, disliked = 1 + self.impressions // len(MODELS) % 3, 1
        # Mostly net positive contributions; one list in five only brought a disliked item.
        contribution = -disliked if self.impressions % 5 == 0 else liked - disliked
        counts = {"shown": 10, "liked": liked, "disliked": disliked}
        self.add("rating", {**who, **counts, "per_item": False, "contribution": contribution})
        self.impressions += 1

    def grow_to(self, size: int) -> None:
        while len(self.ledger) < size:
            before = len(self.ledger)
            self.step()
            if before // SETTLE_EVERY != len(self.ledger) // SETTLE_EVERY:
                self.add("settle", {})


def store_rows(engine: Any, entries: list[Entry]) -> None:
    with Session(engine) as session:
        session.add_all([to_row(entry) for entry in entries])
        session.commit()


def measure(size: int, workdir: Path) -> dict[str, Any]:
    key = MarketKey.from_seed_hex(SEED)
    settings = Settings(
        mode="local",
        data_dir=workdir,
        database_url=f"sqlite:///{workdir / 'market.sqlite3'}",
        market_key=SEED,
        ledger_checkpoint_every=CHECKPOINT_EVERY,
    )
    # The server's own rules, so that it finds nothing to switch when it starts.
    writer = Writer(key, economy_params(settings))
    # The server checkpoints every CHECKPOINT_EVERY entries: the last one is, on average,
    # half an interval behind the head; that half is what a restart replays.
    checkpoint_at = max(1, size - CHECKPOINT_EVERY // 2)
    writer.grow_to(checkpoint_at)
    checkpoint = writer.ledger.checkpoint()
    last = writer.ledger.last
    assert last is not None
    writer.grow_to(size)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    store_rows(engine, writer.entries)
    with Session(engine) as session:
        session.add(LedgerCheckpointRow(seq=last.seq, hash=last.hash, state=checkpoint))
        session.commit()
        start, cpu = time.perf_counter(), time.process_time()
        # What every fresh server process did before checkpoints, on its first ledger request.
        rows = session.exec(select(LedgerEntryRow).order_by(col(LedgerEntryRow.seq))).all()
        Ledger(key, (from_row(row) for row in rows))
        before, before_cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()

    with TestClient(create_app(settings)) as client:
        start, cpu = time.perf_counter(), time.process_time()
        head = SignedHead.from_dict(client.get("/v1/ledger/head").json())
        first_request, first_cpu = time.perf_counter() - start, time.process_time() - cpu
        replayed = client.app.state.ledger.entries_replayed  # type: ignore[attr-defined]
        start = time.perf_counter()
        page = client.get("/v1/ledger", params={"after": size // 2, "limit": PAGE})
        export_page = time.perf_counter() - start

        start = time.perf_counter()
        verifier = Verifier(key.public_key_hex)
        verify_pages(client, verifier, head)
        first_check = time.perf_counter() - start
        saved = verifier.checkpoint()

        store = client.app.state.ledger  # type: ignore[attr-defined]
        with Session(store.engine) as session:
            for _ in range(NEW_ENTRIES):
                crud.mint(session=session, store=store, account="dev:acme", amount=1, memo="m")
        start = time.perf_counter()
        resumed = Verifier(key.public_key_hex, checkpoint=saved)
        newer = resumed.count
        verify_pages(client, resumed, SignedHead.from_dict(client.get("/v1/ledger/head").json()))
        resumed.checkpoint()
        next_check = time.perf_counter() - start
    return {
        "entries": size,
        "first_request_before_s": before,
        "first_request_before_cpu_s": before_cpu,
        "first_request_after_s": first_request,
        "first_request_after_cpu_s": first_cpu,
        "replayed_on_restart": replayed,
        "checkpoint_bytes": len(checkpoint),
        "export_page_s": export_page,
        "export_page_bytes": len(page.content),
        "client_first_check_s": first_check,
        "client_next_check_s": next_check,
        "client_next_entries": resumed.count - newer,
    }


def measure_snapshots(size: int, workdir: Path) -> dict[str, Any]:
    """Per-change cost with and without a reader's snapshot before it, the snapshot's cost,
    and the deep copy that copy-on-read paid per read (the reverted fix), at ``size``."""
    key = MarketKey.from_seed_hex(SEED)
    settings = Settings(mode="local", data_dir=workdir, market_key=SEED)
    writer = Writer(key, economy_params(settings))
    writer.grow_to(size)
    ledger = writer.ledger
    take = getattr(ledger, "snapshot", None)  # absent before snapshots were views

    # Alternately without and with a reader's snapshot before the change, so that both see the
    # same ledger and the same load; CPU time of this thread, which other jobs inflate less.
    alone: list[float] = []
    after_read: list[float] = []
    snapshots: list[float] = []
    for i in range(2 * CHANGES):
        read = take is not None and i % 2 == 1
        if take is not None and read:
            start = time.thread_time()
            take()
            snapshots.append(time.thread_time() - start)
        start = time.thread_time()
        writer.step()
        (after_read if read else alone).append(time.thread_time() - start)
    deep = []
    for _ in range(5):
        start = time.perf_counter()
        copy.deepcopy(ledger.book)
        deep.append(time.perf_counter() - start)
    start, cpu = time.perf_counter(), time.process_time()
    Ledger(key, writer.entries)
    replay, replay_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "entries": len(ledger),
        "change_us": statistics.median(alone) * 1e6,
        "change_after_read_us": statistics.median(after_read) * 1e6 if after_read else None,
        "change_after_read_max_us": max(after_read) * 1e6 if after_read else None,
        "snapshot_us": statistics.median(snapshots) * 1e6 if snapshots else None,
        "deepcopy_book_ms": statistics.median(deep) * 1e3,
        "replay_s": replay,
        "replay_cpu_s": replay_cpu,
    }


def verify_pages(client: TestClient, verifier: Verifier, head: SignedHead) -> None:
    """What the app's wallet check does: page on from the verified state to the head."""
    head.check(verifier.market_public_key_hex)
    verifier.watch(head.seq)
    while verifier.count <= head.seq:
        last = verifier.last
        params = {"limit": PAGE, **({} if last is None else {"after": last.seq})}
        lines = client.get("/v1/ledger", params=params).text.splitlines()
        if not lines:
            break
        verifier.feed(lines)
    verifier.finish(head)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000", help="ledger lengths, comma-separated")
    parser.add_argument("--json", default=None, help="write the results to this file")
    parser.add_argument(
        "--snapshots-only", action="store_true", help="measure only what snapshots cost"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    snapshot_rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as workdir:
            if not args.snapshots_only:
                rows.append(measure(size, Path(workdir)))
                print_table(rows[-1:], COLUMNS)
            snapshot_rows.append(measure_snapshots(size, Path(workdir)))
            print_table(snapshot_rows[-1:], SNAPSHOT_COLUMNS)
    print()
    if rows:
        print_table(rows, COLUMNS)
    print_table(snapshot_rows, SNAPSHOT_COLUMNS)
    write_json(
        args.json,
        {
            "machine": machine(),
            "load": os.getloadavg(),
            "results": rows,
            "snapshots": snapshot_rows,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
