"""Every model's figures per settled epoch (earnings, contribution, stake burned, stake),
read once from the epoch's entries and then kept: a settled epoch never changes. They are
counted exactly as the ledger's Book counts its totals, so summed they equal the totals; a
model's series is served a bounded page of epochs at a time."""

from __future__ import annotations

import json
import threading
from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ledger.economy import MAX_EPOCH, SETTLE_MEMO, SETTLEMENT_PAYMENT_RE, budget_owner
from market_server.models import LedgerEntryRow

STAKE_PREFIX: Final = "stake:"
HISTORY_PAGE: Final = 50  # settled epochs per page of a model's history
MAX_HISTORY_PAGE: Final = 200  # a page is rendered in one request: bounded for anyone
OLDER_HEADER: Final = "X-Older-Before"  # on a history page: ?before= of the older one
# Entries that move credits: the only ones a model's figures depend on.
_MONEY_KINDS: Final = ("transfer", "burn")
_EPOCH_BATCH: Final = 500  # epochs read per query (bounds the IN list)


@dataclass(frozen=True)
class EpochFigures:
    """What one epoch did for one model (credits)."""

    earnings: int = 0  # settlement shares paid to its developer, after the market's fee
    paid_for: int = 0  # budget credits paid for its contribution (shares and their fees)
    voted_against: int = 0  # budget credits burned as votes against it
    stake_burned: int = 0  # its stake burned for a negative contribution
    stake_change: int = 0  # the net change of its stake (escrowed, burned, returned)


@dataclass(frozen=True)
class SeriesPage:
    """A page of a model's (epoch, figures, stake at its end), oldest first; ``older`` is the
    ``before`` of the page of earlier epochs (None on the page of the first one)."""

    rows: list[tuple[int, EpochFigures, int]]
    older: int | None


@dataclass
class _Counter:
    figures: dict[str, EpochFigures] = field(default_factory=dict)

    def add(self, model: str, **amounts: int) -> None:
        now = self.figures.get(model, EpochFigures())
        self.figures[model] = replace(
            now, **{name: getattr(now, name) + amount for name, amount in amounts.items()}
        )


def _count(counter: _Counter, kind: str, body: Mapping[str, object]) -> None:
    source, amount = str(body.get("from", "")), body.get("amount")
    if not isinstance(amount, int):
        return
    target = str(body.get("to", "")) if kind == "transfer" else ""
    if source.startswith(STAKE_PREFIX):
        model = source.removeprefix(STAKE_PREFIX)
        counter.add(model, stake_change=-amount)
        if kind == "burn":
            counter.add(model, stake_burned=amount)
    if target.startswith(STAKE_PREFIX):
        counter.add(target.removeprefix(STAKE_PREFIX), stake_change=amount)
    # As the Book counts them: only settlement entries out of a user's budget pay or burn.
    paid = SETTLEMENT_PAYMENT_RE.fullmatch(str(body.get("memo", "")))
    if paid is None or budget_owner(source) is None:
        return
    what, model = paid.group(1), paid.group(2)
    if what == "vote":
        counter.add(model, voted_against=amount)
    elif what == "share":
        counter.add(model, paid_for=amount, earnings=amount)
    else:
        counter.add(model, paid_for=amount)


class EpochHistory:
    """Per settled epoch, model -> EpochFigures; an epoch is read from the database the first
    time it is asked for, then served from memory (epochs x models, small)."""

    def __init__(self) -> None:
        self._epochs: dict[int, Mapping[str, EpochFigures]] = {}
        self._totals: tuple[frozenset[int], Mapping[str, EpochFigures]] | None = None
        self._lock = threading.Lock()

    def figures(
        self, session: Session, settled: Collection[int]
    ) -> dict[int, Mapping[str, EpochFigures]]:
        """Epoch -> model -> figures for the ``settled`` epochs (ascending); each must be
        closed, as an open epoch's figures still change."""
        with self._lock:
            missing = sorted(set(settled) - self._epochs.keys())
        for start in range(0, len(missing), _EPOCH_BATCH):
            self._read(session, missing[start : start + _EPOCH_BATCH])
        with self._lock:
            return {epoch: self._epochs[epoch] for epoch in sorted(settled)}

    def _read(self, session: Session, epochs: list[int]) -> None:
        counters = {epoch: _Counter() for epoch in epochs}
        text = col(LedgerEntryRow.body)
        rows = session.exec(
            select(LedgerEntryRow.epoch, LedgerEntryRow.kind, LedgerEntryRow.body)
            .where(col(LedgerEntryRow.epoch).in_(epochs))
            .where(col(LedgerEntryRow.kind).in_(_MONEY_KINDS))
            # Only settlements and stake moves count; most money entries are attention
            # payments, left to the database to skip (the counting below stays exact).
            .where(or_(text.contains(SETTLE_MEMO), text.contains(STAKE_PREFIX)))
        )
        for epoch, kind, body in rows:
            _count(counters[epoch], kind, json.loads(body))
        with self._lock:
            for epoch, counter in counters.items():
                self._epochs[epoch] = MappingProxyType(counter.figures)

    def warm(self, session: Session, settled: Collection[int]) -> None:
        """Read every settled epoch not yet kept (a server does it at start-up, so that its
        first visitors do not wait for it)."""
        self.figures(session, settled)

    def model_series(
        self, session: Session, settled: Collection[int], model: str
    ) -> list[tuple[int, EpochFigures, int]]:
        """(epoch, figures, stake at the epoch's end) for each settled epoch, oldest first."""
        stake = 0
        series = []
        for epoch, per_model in self.figures(session, settled).items():
            figures = per_model.get(model, EpochFigures())
            stake += figures.stake_change
            series.append((epoch, figures, stake))
        return series

    def model_page(
        self,
        session: Session,
        settled: Collection[int],
        model: str,
        *,
        before: int | None = None,
        limit: int = HISTORY_PAGE,
    ) -> SeriesPage:
        """The ``limit`` latest settled epochs below epoch ``before`` (the latest when None) of
        :meth:`model_series`, oldest first; ValueError for a ``limit`` or ``before`` out of
        bounds. The stake at an epoch's end sums every earlier epoch, kept in memory."""
        if type(limit) is not int or not 1 <= limit <= MAX_HISTORY_PAGE:
            raise ValueError(f"limit must be in [1, {MAX_HISTORY_PAGE}]")
        if before is not None and (type(before) is not int or not 1 <= before <= MAX_EPOCH + 1):
            raise ValueError(f"before must be in [1, {MAX_EPOCH + 1}]")
        series = self.model_series(session, settled, model)
        if before is not None:
            series = series[: bisect_left(series, before, key=lambda row: row[0])]
        rows = series[-limit:]
        older = rows[0][0] if len(rows) < len(series) else None
        return SeriesPage(rows, older)

    def totals(self, session: Session, settled: Collection[int]) -> dict[str, EpochFigures]:
        """Model -> its figures summed over the ``settled`` epochs (the last sum is kept: it
        changes only when an epoch settles)."""
        key = frozenset(settled)
        with self._lock:
            if self._totals is not None and self._totals[0] == key:
                return dict(self._totals[1])
        counter = _Counter()
        for per_model in self.figures(session, settled).values():
            for model, figures in per_model.items():
                counter.add(
                    model,
                    earnings=figures.earnings,
                    paid_for=figures.paid_for,
                    voted_against=figures.voted_against,
                    stake_burned=figures.stake_burned,
                    stake_change=figures.stake_change,
                )
        with self._lock:
            self._totals = (key, MappingProxyType(counter.figures))
        return dict(counter.figures)
