"""The public ledger: the market's key, the export (JSON lines) and payout proofs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status
from fastapi.responses import PlainTextResponse
from sqlmodel import SQLModel

from ledger.chain import payout_proof
from ledger.economy import LedgerError
from market_server.api.deps import SessionDep, StoreDep

router = APIRouter(prefix="/ledger", tags=["ledger"])


class MarketKeyPublic(SQLModel):
    algorithm: str
    public_key: str


@router.get("/key", response_model=MarketKeyPublic)
def market_key(store: StoreDep) -> MarketKeyPublic:
    """The Ed25519 public key that signs every ledger entry."""
    return MarketKeyPublic(algorithm="ed25519", public_key=store.key.public_key_hex)


@router.get("", response_class=PlainTextResponse)
def export(
    session: SessionDep,
    store: StoreDep,
    from_seq: int = Query(default=0, ge=0, le=2**53),
    limit: int = Query(default=100_000, ge=1, le=1_000_000),
) -> PlainTextResponse:
    """Entries as canonical JSON lines, from ``from_seq`` on (verify with privrec ledger)."""
    entries = store.snapshot(session).entries[from_seq : from_seq + limit]
    text = "".join(entry.to_json_line() + "\n" for entry in entries)
    return PlainTextResponse(text, media_type="application/x-ndjson")


@router.get("/proof/{seq}", response_class=PlainTextResponse)
def proof(
    seq: Annotated[int, Path(ge=0, le=2**53)], session: SessionDep, store: StoreDep
) -> PlainTextResponse:
    """A proof that entry ``seq`` is in its epoch's signed Merkle root (epoch must be closed)."""
    entries = store.snapshot(session).entries
    if not 0 <= seq < len(entries):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no ledger entry {seq}")
    try:
        result = payout_proof(entries, entries[seq].epoch, seq)
    except LedgerError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return PlainTextResponse(result.to_json(), media_type="application/json")
