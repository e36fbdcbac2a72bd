"""The leaderboard's choices a reader makes (category, live models only, sort column and
order), validated once, and the one ranking both the JSON API and the page apply."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, col, select

from market_server.history import HISTORY_PAGE, EpochHistory
from market_server.ledger_store import LedgerStore
from market_server.models import (
    LeaderboardRow,
    ModelEpochPublic,
    ModelStatus,
    ModelVersion,
    ModelVersionSummary,
)
from recommenders.bundle import CATEGORIES


class SortColumn(StrEnum):
    CONTRIBUTION = "contribution"  # paid for minus voted against (the default ranking)
    EARNINGS = "earnings"
    STAKE_BURNED = "stake_burned"
    STAKE = "stake"
    BID = "bid"
    IMPRESSIONS = "impressions"
    RATINGS = "ratings"
    FUNDED = "funded"  # funded liked minus funded disliked
    UNFUNDED = "unfunded"  # unfunded liked minus unfunded disliked
    NAME = "name"
    DEVELOPER = "developer"


class SortOrder(StrEnum):
    DESC = "desc"
    ASC = "asc"


class LeaderboardQuery(BaseModel):
    """Which models, in which order: unknown parameters and values are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(
        default=None, description=f"only models reading this category: one of {CATEGORIES}"
    )
    live_only: bool = Field(default=False, description="leave retired models out")
    sort: SortColumn = Field(default=SortColumn.CONTRIBUTION, description="the column ranked by")
    order: SortOrder = Field(default=SortOrder.DESC, description="desc: largest first")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str | None) -> str | None:
        if value is not None and value not in CATEGORIES:
            raise ValueError(f"unknown category: one of {', '.join(CATEGORIES)}")
        return value


def _contribution(row: LeaderboardRow) -> tuple[int, ...]:
    return (
        row.contribution_paid_for - row.contribution_voted_against,
        row.funded_liked - row.funded_disliked,
        row.impressions,
    )


_KEYS: Final[dict[SortColumn, Callable[[LeaderboardRow], tuple[int, ...] | tuple[str, ...]]]] = {
    SortColumn.CONTRIBUTION: _contribution,
    SortColumn.EARNINGS: lambda r: (r.earnings,),
    SortColumn.STAKE_BURNED: lambda r: (r.stake_burned,),
    SortColumn.STAKE: lambda r: (r.stake,),
    SortColumn.BID: lambda r: (r.bid,),
    SortColumn.IMPRESSIONS: lambda r: (r.impressions,),
    SortColumn.RATINGS: lambda r: (r.ratings,),
    SortColumn.FUNDED: lambda r: (r.funded_liked - r.funded_disliked,),
    SortColumn.UNFUNDED: lambda r: (r.unfunded_liked - r.unfunded_disliked,),
    SortColumn.NAME: lambda r: (r.name, r.version),
    SortColumn.DEVELOPER: lambda r: (r.developer, r.name, r.version),
}


def ranked(rows: Iterable[LeaderboardRow], query: LeaderboardQuery) -> list[LeaderboardRow]:
    """The rows ``query`` picks, in its order; ties keep the oldest model first."""
    picked = [
        row
        for row in rows
        if (query.category is None or query.category in row.categories)
        and (not query.live_only or row.status == ModelStatus.LIVE)
    ]
    key = _KEYS[query.sort]
    # Two stable sorts: by id first, so that equal keys stay oldest first in either order.
    picked.sort(key=lambda r: r.model_id)
    picked.sort(key=key, reverse=query.order == SortOrder.DESC)
    return picked


def model_epochs(
    *,
    session: Session,
    store: LedgerStore,
    history: EpochHistory,
    ledger_name: str,
    before: int | None = None,
    limit: int = HISTORY_PAGE,
) -> tuple[list[ModelEpochPublic], int | None]:
    """A page of settled epochs, oldest first (the ``limit`` latest below ``before``): what
    each did for the model version the ledger names ``ledger_name`` (name@version), and its
    stake at the epoch's end; with the ``before`` of the older page (None if none). ValueError
    for bounds out of range (see EpochHistory.model_page)."""
    settled = store.snapshot(session).book.closed_epochs
    page = history.model_page(session, settled, ledger_name, before=before, limit=limit)
    rows = [
        ModelEpochPublic(
            epoch=epoch,
            earnings=figures.earnings,
            contribution_paid_for=figures.paid_for,
            contribution_voted_against=figures.voted_against,
            stake_burned=figures.stake_burned,
            stake=stake,
        )
        for epoch, figures, stake in page.rows
    ]
    return rows, page.older


def model_versions(*, session: Session, name: str) -> list[ModelVersionSummary]:
    """Every version deployed under ``name``, oldest first, whatever its status."""
    versions = session.exec(
        select(ModelVersion).where(ModelVersion.name == name).order_by(col(ModelVersion.id))
    ).all()
    return [
        ModelVersionSummary(
            id=v.id, version=v.version, status=v.status, created_at=v.created_at, live_at=v.live_at
        )
        for v in versions
        if v.id is not None
    ]
