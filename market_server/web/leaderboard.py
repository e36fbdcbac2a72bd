"""The leaderboard page: the JSON API's leaderboard rows (same function, same ranking) per
category, sortable by links and a form that work without scripts, and a chart of each
model's earnings and contribution per settled epoch."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from market_server import crud
from market_server.api.deps import HistoryDep, SessionDep, StoreDep
from market_server.models import LeaderboardRow
from market_server.standings import LeaderboardQuery, SortColumn, SortOrder, ranked
from market_server.web.templating import render, validation_message
from recommenders.bundle import CATEGORIES

router = APIRouter()

# The chart and its table show the last settled epochs only: a page's size (epochs x models
# cells) must not grow with the market's age.
CHART_EPOCHS: Final = 30

# (sort column, heading, whether it is a number): the table's columns that sort.
COLUMNS = (
    (SortColumn.NAME, "Model", False),
    (SortColumn.DEVELOPER, "Developer", False),
    (SortColumn.STAKE, "Stake", True),
    (SortColumn.BID, "Bid", True),
    (SortColumn.IMPRESSIONS, "Impressions", True),
    (SortColumn.FUNDED, "Funded ratings", True),
    (SortColumn.UNFUNDED, "Unfunded ratings", True),
    (SortColumn.CONTRIBUTION, "Contribution", True),
    (SortColumn.EARNINGS, "Earnings", True),
    (SortColumn.STAKE_BURNED, "Stake burned", True),
)


def page_query(request: Request) -> LeaderboardQuery:
    """The page's query string as the API's query; the page lists live models unless asked
    otherwise. Raises ValueError (ValidationError included) for an unknown parameter, an
    unknown value or a parameter given twice."""
    items = request.query_params.multi_items()
    names = [name for name, _ in items]
    if len(set(names)) != len(names):
        raise ValueError("a parameter is given twice")
    return LeaderboardQuery.model_validate({"live_only": "true", **dict(items)})


def _href(query: LeaderboardQuery, **changes: object) -> str:
    """The page's address for ``query`` with ``changes``; defaults are left out."""
    values = {**query.model_dump(mode="json"), **changes}
    defaults = {"category": None, "live_only": True, "sort": "contribution", "order": "desc"}
    kept = {
        k: str(v).lower() if isinstance(v, bool) else v
        for k, v in values.items()
        if v is not None and v != defaults[k]
    }
    return "/leaderboard" + (f"?{urlencode(kept)}" if kept else "")


def _headings(query: LeaderboardQuery) -> list[dict[str, Any]]:
    """Each sortable column: a link to sort by it (largest first, or flipped when it is the
    current column) and its aria-sort state."""
    headings = []
    for column, label, numeric in COLUMNS:
        current = query.sort == column
        first = SortOrder.DESC if numeric else SortOrder.ASC
        flipped = SortOrder.ASC if query.order == SortOrder.DESC else SortOrder.DESC
        state = "none"
        if current:
            state = "descending" if query.order == SortOrder.DESC else "ascending"
        headings.append(
            {
                "label": label,
                "numeric": numeric,
                "href": _href(
                    query, sort=column.value, order=(flipped if current else first).value
                ),
                "aria_sort": state,
            }
        )
    return headings


def _chart_data(rows: list[LeaderboardRow], per_epoch: dict[int, dict[str, Any]]) -> dict[str, Any]:
    labels = [f"{row.name}@{row.version}" for row in rows]
    epochs = sorted(per_epoch)
    return {
        "epochs": epochs,
        "series": [
            {
                "label": label,
                "earnings": [per_epoch[e].get(label, (0, 0))[0] for e in epochs],
                "contribution": [per_epoch[e].get(label, (0, 0))[1] for e in epochs],
            }
            for label in labels
        ],
    }


@router.get("/leaderboard", response_class=HTMLResponse)
def leaderboard_page(
    request: Request, session: SessionDep, store: StoreDep, history: HistoryDep
) -> HTMLResponse:
    """Every live model of a category with its standing; sorted on the server."""
    try:
        query = page_query(request)
    except ValueError as error:
        context = {"heading": "Not a leaderboard", "message": validation_message(error)}
        return render(request, "error.html", context, status_code=422)
    rows = ranked(crud.leaderboard(session=session, store=store, history=history), query)
    settled = sorted(store.snapshot(session).book.closed_epochs)[-CHART_EPOCHS:]
    per_epoch = {
        epoch: {
            model: (figures.earnings, figures.paid_for - figures.voted_against)
            for model, figures in models.items()
        }
        for epoch, models in history.figures(session, settled).items()
    }
    return render(
        request,
        "leaderboard.html",
        {
            "rows": rows,
            "query": query,
            "categories": CATEGORIES,
            "headings": _headings(query),
            "tabs": [
                (label, _href(query, category=c), query.category == c)
                for label, c in [
                    ("All categories", None),
                    *((c.capitalize(), c) for c in CATEGORIES),
                ]
            ],
            "sort_columns": [(column.value, label) for column, label, _ in COLUMNS],
            "chart": _chart_data(rows, per_epoch),
            "chart_epochs": CHART_EPOCHS,
        },
    )
