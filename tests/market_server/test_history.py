"""Per-epoch figures read back from a settled ledger's entries (SQLite and PostgreSQL) add up
to what the ledger's state keeps: earnings, contributions paid for and voted against, and
each stake (deposits, burns) to the credit; an epoch is read once, then kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, delete

from benchmarks.ledger_scale import MODELS, SEED, STAKE, store_rows
from benchmarks.web_pages import SettlingWriter
from ledger.economy import stake_account
from ledger.keys import MarketKey
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.history import MAX_HISTORY_PAGE, EpochFigures, EpochHistory
from market_server.models import LedgerEntryRow


def test_epoch_figures_add_up_to_the_ledgers_totals(database_url: str, tmp_path: Path) -> None:
    settings = Settings(mode="local", data_dir=tmp_path, database_url=database_url, market_key=SEED)
    writer = SettlingWriter(MarketKey.from_seed_hex(SEED), settings, settle_every=400)
    writer.grow_to(3000)
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate(engine)
        store_rows(engine, writer.entries)
        book = writer.ledger.book
        settled = book.closed_epochs
        assert len(settled) >= 5
        history = EpochHistory()
        with Session(engine) as session:
            totals = history.totals(session, settled)
            for model in MODELS:
                figures = totals[model]
                contribution = book.contribution(model)
                assert figures.earnings == book.earned(model) > 0
                assert figures.paid_for == contribution.paid_for
                assert figures.voted_against == contribution.voted_against > 0
                # The stake's every move is in a settled epoch (the open one has none here).
                assert figures.stake_change == book.balance(stake_account(model))
                assert figures.stake_change == STAKE - figures.stake_burned
                series = history.model_series(session, settled, model)
                assert [epoch for epoch, _, _ in series] == sorted(settled)
                assert series[-1][2] == book.balance(stake_account(model))
                assert sum(f.stake_burned for _, f, _ in series) == figures.stake_burned
                # Paged back two epochs at a time, the same series, stakes included.
                pages: list[tuple[int, EpochFigures, int]] = []
                before: int | None = None
                while True:
                    page = history.model_page(session, settled, model, before=before, limit=2)
                    assert 1 <= len(page.rows) <= 2
                    pages[:0] = page.rows
                    if page.older is None:
                        break
                    before = page.older
                assert pages == series
            for bad in ({"limit": 0}, {"limit": MAX_HISTORY_PAGE + 1}, {"before": 0}):
                with pytest.raises(ValueError, match=next(iter(bad))):
                    history.model_page(session, settled, MODELS[0], **bad)
            kept = history.figures(session, settled)
            # Kept: read again with the entries gone, the figures are the same.
            session.exec(delete(LedgerEntryRow))
            session.commit()
            assert history.figures(session, settled) == kept
            assert history.totals(session, settled) == totals
            assert EpochHistory().figures(session, settled) != kept  # a new one reads
    finally:
        engine.dispose()
