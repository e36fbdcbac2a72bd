"""The ledger explorer's pages: epochs with their signed Merkle roots and the market's signed
head, an epoch's entries a page at a time, one entry with its inclusion proof; each page offers
to verify what it shows in the visitor's browser (static/verify.js)."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

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
from market_server.web.templating import environment, render

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


def key_groups(hex_text: str) -> str:
    """A key or hash in groups of four characters, easier to compare by eye."""
    return " ".join(hex_text[i : i + 4] for i in range(0, len(hex_text), 4))


environment.filters["entry_summary"] = entry_summary
environment.filters["key_groups"] = key_groups


def _not_found(request: Request, message: str) -> HTMLResponse:
    context = {"heading": "Not found", "message": message}
    return render(request, "error.html", context, status_code=404)


@router.get("/ledger")
def ledger_index(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_EPOCH + 1)] = None,
) -> HTMLResponse:
    """The signed head, the market's key and the epochs, newest first."""
    epochs = epoch_summaries(session, below=before)
    oldest = epochs[-1].epoch if epochs else 0
    context = {
        "head": store.head(session),
        "market_key": store.key.public_key_hex,
        "epochs": epochs,
        "older": oldest if len(epochs) == EPOCHS_PER_PAGE and oldest > 0 else None,
    }
    return render(request, "ledger_index.html", context)


@router.get("/ledger/epochs/{epoch}")
def ledger_epoch(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    epoch: Annotated[int, Path(ge=0, le=MAX_EPOCH)],
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ENTRIES_PER_PAGE)] = ENTRIES_PER_PAGE,
) -> HTMLResponse:
    """One epoch: its Merkle root and its entries, ``limit`` at a time after seq ``after``."""
    try:
        page = epoch_page(session, epoch, after=after, limit=limit)
    except LookupError as error:
        return _not_found(request, str(error))
    context = {"page": page, "limit": limit, "market_key": store.key.public_key_hex}
    return render(request, "ledger_epoch.html", context)


@router.get("/ledger/entries/{seq}")
def ledger_entry(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    seq: Annotated[int, Path(ge=0, le=MAX_SEQ)],
) -> HTMLResponse:
    """One entry, every field, and the proof that it is under its epoch's signed root."""
    try:
        entry = entry_at(session, seq)
        summary = epoch_summary(session, entry.epoch)
    except LookupError as error:
        return _not_found(request, str(error))
    try:
        proof, no_proof = inclusion_proof(session, seq), None
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
