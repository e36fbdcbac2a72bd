"""The ledger explorer's pages: epochs with their signed Merkle roots and the market's signed
head, an epoch's entries a page at a time, one entry with its inclusion proof; each page offers
to verify what it shows in the visitor's browser (static/verify.js)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from ledger.economy import MAX_EPOCH, LedgerError
from ledger.entries import MAX_SEQ, Entry
from market_server.api.deps import SessionDep, StoreDep
from market_server.ledger_explorer import (
    ENTRIES_PER_PAGE,
    EPOCHS_PER_PAGE,
    MAX_ENTRIES_PER_PAGE,
    entry_at,
    epoch_page,
    epoch_summaries,
    epoch_summary,
    inclusion_proof,
)
from market_server.web.templating import environment, page_query, render, validation_message

router = APIRouter(include_in_schema=False)


# Body keys shown first in an entry's one-line summary, by kind.
_SUMMARY_KEYS: Final = {
    "mint": ("amount", "account"),
    "transfer": ("amount", "from", "to"),
    "burn": ("amount", "from"),
    "model": ("model", "developer", "bid"),
    "impression": ("model", "impression_id"),
    "rating": ("model", "liked", "disliked", "shown"),
    "vote_change": ("model", "liked", "disliked", "shown"),
    "retire": ("model",),
    "epoch_close": ("epoch",),
    "params": ("rules",),
    "training_open": ("model", "budget", "reward", "rounds", "training"),
    "training_contribution": ("training", "round", "user"),
    "training_close": ("training",),
}


def entry_summary(entry: Entry) -> str:
    """One line saying what an entry did, in the ledger's own terms."""
    body = entry.body
    match entry.kind:
        case "mint":
            return f"{body['amount']:,} credits minted to {body['account']} ({body['memo']})"
        case "transfer":
            moved = f"{body['amount']:,} credits from {body['from']} to {body['to']}"
            return f"{moved} ({body['memo']})"
        case "burn":
            return f"{body['amount']:,} credits burned from {body['from']} ({body['memo']})"
        case "epoch_close":
            return f"epoch {body['epoch']} closed under Merkle root {body['merkle_root']}"
    keys = _SUMMARY_KEYS.get(entry.kind, ())
    return ", ".join(f"{key} {body[key]}" for key in keys if key in body)


environment.filters["entry_summary"] = entry_summary


def _not_found(request: Request, message: str) -> HTMLResponse:
    context = {"heading": "Not found", "message": message}
    return render(request, "error.html", context, status_code=404)


class _Address(BaseModel):
    """A ledger page's path and query values: integers in bounds, nothing else."""

    model_config = ConfigDict(extra="forbid")

    epoch: int | None = Field(default=None, ge=0, le=MAX_EPOCH)
    seq: int | None = Field(default=None, ge=0, le=MAX_SEQ)
    before: int | None = Field(default=None, ge=1, le=MAX_EPOCH + 1)
    after: int | None = Field(default=None, ge=0, le=MAX_SEQ)
    limit: int = Field(default=ENTRIES_PER_PAGE, ge=1, le=MAX_ENTRIES_PER_PAGE)


def _address(request: Request, allowed: frozenset[str]) -> _Address:
    """The page's path parameters and query string, validated (see :func:`page_query`)."""
    return page_query(request, _Address, allowed, with_path=True)


def _refused(request: Request, error: ValueError) -> HTMLResponse:
    context = {"heading": "Not a ledger page", "message": validation_message(error)}
    return render(request, "error.html", context, status_code=422)


@router.get("/ledger")
def ledger_index(request: Request, session: SessionDep, store: StoreDep) -> HTMLResponse:
    """The signed head, the market's key and the epochs, newest first (``?before=EPOCH``)."""
    try:
        address = _address(request, frozenset({"before"}))
    except ValueError as error:
        return _refused(request, error)
    epochs = epoch_summaries(session, below=address.before)
    oldest = epochs[-1].epoch if epochs else 0
    context = {
        "head": store.head(session),
        "market_key": store.key.public_key_hex,
        "epochs": epochs,
        "older": oldest if len(epochs) == EPOCHS_PER_PAGE and oldest > 0 else None,
    }
    return render(request, "ledger_index.html", context)


@router.get("/ledger/epochs/{epoch}")
def ledger_epoch(request: Request, session: SessionDep, store: StoreDep) -> HTMLResponse:
    """One epoch: its Merkle root and its entries, ``limit`` at a time after seq ``after``."""
    try:
        address = _address(request, frozenset({"after", "limit"}))
    except ValueError as error:
        return _refused(request, error)
    assert address.epoch is not None  # the path's
    try:
        page = epoch_page(session, address.epoch, after=address.after, limit=address.limit)
    except LookupError as error:
        return _not_found(request, str(error))
    context = {"page": page, "limit": address.limit, "market_key": store.key.public_key_hex}
    return render(request, "ledger_epoch.html", context)


@router.get("/ledger/entries/{seq}")
def ledger_entry(request: Request, session: SessionDep, store: StoreDep) -> HTMLResponse:
    """One entry, every field, and the proof that it is under its epoch's signed root."""
    try:
        address = _address(request, frozenset())
    except ValueError as error:
        return _refused(request, error)
    assert address.seq is not None  # the path's
    try:
        entry = entry_at(session, address.seq)
        summary = epoch_summary(session, entry.epoch)
    except LookupError as error:
        return _not_found(request, str(error))
    try:
        proof, no_proof = inclusion_proof(session, entry.seq), None
    except LedgerError as error:
        proof, no_proof = None, str(error)
    context = {
        "entry": entry,
        "summary": summary,
        "proof": proof,
        "no_proof": no_proof,
        "market_key": store.key.public_key_hex,
    }
    return render(request, "ledger_entry.html", context)
