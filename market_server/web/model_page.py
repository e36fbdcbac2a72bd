"""A model's page: its manifest in people's words, catalog and licence, its versions and
their status, and its earnings and stake per settled epoch (the JSON API's numbers, from the
same functions). Deployment diagnostics are never on it: only the developer reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from ledger.economy import MAX_EPOCH, stake_account
from market_server import bundles, crud
from market_server.api.deps import MAX_ID, HistoryDep, SessionDep, StoreDep
from market_server.history import HISTORY_PAGE, MAX_HISTORY_PAGE
from market_server.models import Developer, ModelEpochPublic, ModelVersion
from market_server.standings import model_epochs, model_versions
from market_server.web.templating import page_query, render, validation_message
from recommenders.bundle import Linear, Manifest

router = APIRouter()

POLICIES = {
    "new-only": "Recommends only things you have not had yet.",
    "new-and-again": "Also suggests things you had before (re-buys, replays, revisits), apart.",
}


@dataclass(frozen=True)
class ManifestInWords:
    """The manifest's facts a reader can use, as sentences."""

    reads: str
    catalog: str
    policy: str
    tower: str
    noise: str
    licence: str
    licence_url: str | None
    attribution: str
    non_commercial: bool


def safe_link(url: str) -> str | None:
    """Only http(s) addresses become links: a manifest may hold anything."""
    return url if url.startswith(("https://", "http://")) else None


def _names(categories: tuple[str, ...]) -> str:
    words = [c.capitalize() if i == 0 else c for i, c in enumerate(categories)]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def in_words(manifest: Manifest) -> ManifestInWords:
    required, optional = manifest.required_categories, manifest.optional_categories
    reads = f"Reads your {_names(required).lower()} profile" if required else "Reads no category"
    if optional:
        reads += f"; also your {_names(optional).lower()} profile if you opted in"
    if any(block.kind == "catalog_history" for block in manifest.inputs):
        reads += "; and which of its catalog's items you already had (matched on your device)"
    layers = sum(1 for layer in manifest.tower if isinstance(layer, Linear))
    return ManifestInWords(
        reads=reads + ".",
        catalog=manifest.catalog.in_words(manifest.items),
        policy=POLICIES.get(manifest.policy, manifest.policy),
        tower=(
            f"Your device turns your profile into {manifest.dim} numbers with a small network "
            f"of {layers} layer{'' if layers == 1 else 's'}; only those, encrypted, reach the "
            "market, which scores every item without seeing them."
        ),
        noise=(
            "The market adds random noise to every score, so the model's item table is "
            "harder to copy."
            if manifest.score_noise > 0
            else ""
        ),
        licence=manifest.catalog.licence,
        licence_url=safe_link(manifest.catalog.licence_url),
        attribution=manifest.catalog.attribution,
        non_commercial=manifest.catalog.non_commercial,
    )


class _HistoryPage(BaseModel):
    """Which settled epochs the page shows: the ``limit`` latest below ``before``."""

    model_config = ConfigDict(extra="forbid")

    before: int | None = Field(default=None, ge=1, le=MAX_EPOCH + 1)
    limit: int = Field(default=HISTORY_PAGE, ge=1, le=MAX_HISTORY_PAGE)


def _chart_data(epochs: list[ModelEpochPublic]) -> dict[str, Any]:
    return {
        "epochs": [e.epoch for e in epochs],
        "earnings": [e.earnings for e in epochs],
        "contribution": [e.contribution_paid_for - e.contribution_voted_against for e in epochs],
        "stake": [e.stake for e in epochs],
        "stake_burned": [e.stake_burned for e in epochs],
    }


@router.get("/models/{model_id}", response_class=HTMLResponse)
def model_page(
    request: Request, model_id: str, session: SessionDep, store: StoreDep, history: HistoryDep
) -> HTMLResponse:
    """A model version's public page."""
    # Digits only, and few of them, before int(): a long one must not cost a conversion.
    is_id = model_id.isascii() and model_id.isdigit() and len(model_id) <= len(str(MAX_ID))
    model = session.get(ModelVersion, int(model_id)) if is_id and int(model_id) <= MAX_ID else None
    if model is None or model.id is None:  # (id 0 is never a row)
        context = {"heading": "No such model", "message": f"There is no model {model_id!r:.40}."}
        return render(request, "error.html", context, status_code=404)
    developer = session.get(Developer, model.developer_id)
    manifest = bundles.stored_manifests(session, [model.id]).get(model.id)
    try:
        page = page_query(request, _HistoryPage, frozenset({"before", "limit"}))
    except ValueError as error:
        context = {"heading": "Not a model page", "message": validation_message(error)}
        return render(request, "error.html", context, status_code=422)
    ledger_name = crud.ledger_model_id(model)
    epochs, older = model_epochs(
        session=session,
        store=store,
        history=history,
        ledger_name=ledger_name,
        before=page.before,
        limit=page.limit,
    )
    book = store.snapshot(session).book
    return render(
        request,
        "model.html",
        {
            "model": model,
            "ledger_name": ledger_name,
            "developer": developer.name if developer else "?",
            "words": None if manifest is None else in_words(manifest),
            "versions": model_versions(session=session, name=model.name),
            "epochs": epochs,
            "older": older,
            "limit": page.limit,
            "stake_now": book.balance(stake_account(ledger_name)),
            "earned": book.earned(ledger_name),
            "chart": _chart_data(epochs),
        },
    )
