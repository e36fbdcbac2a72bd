"""The public ledger: the market's key, its signed head, the export (JSON lines, in pages) and
payout proofs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Final

from fastapi import APIRouter, HTTPException, Path, Query, status
from fastapi.responses import PlainTextResponse, StreamingResponse
from sqlmodel import Session, SQLModel, col, select

from ledger.economy import LedgerError
from ledger.entries import EXPORT_PAGE_ENTRIES, MAX_SEQ
from ledger.head import SignedHead
from market_server.api.deps import SessionDep, StoreDep
from market_server.ledger_explorer import inclusion_proof
from market_server.ledger_store import LedgerStore, row_line
from market_server.models import LedgerEntryRow

router = APIRouter(prefix="/ledger", tags=["ledger"])

PAGE_LIMIT: Final = EXPORT_PAGE_ENTRIES
HEAD_HEADER: Final = "X-Ledger-Head"  # the signed head, as JSON, on every export page
_READ_BATCH: Final = 1000


class MarketKeyPublic(SQLModel):
    algorithm: str
    public_key: str


class SignedHeadPublic(SQLModel):
    """The market's signature over (version, seq, hash, time) of its last entry."""

    version: int
    seq: int
    hash: str
    time: str
    signature: str


@router.get("/key", response_model=MarketKeyPublic)
def market_key(store: StoreDep) -> MarketKeyPublic:
    """The Ed25519 public key that signs every ledger entry."""
    return MarketKeyPublic(algorithm="ed25519", public_key=store.key.public_key_hex)


def _head(session: Session, store: LedgerStore) -> SignedHead:
    head = store.head(session)
    if head is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the ledger has no entries yet")
    return head


@router.get("/head", response_model=SignedHeadPublic)
def head(session: SessionDep, store: StoreDep) -> SignedHeadPublic:
    """The signed tree head: every export must reach and extend it."""
    return SignedHeadPublic(**_head(session, store).to_dict())


def _page_lines(store: LedgerStore, first: int, last: int) -> Iterator[bytes]:
    # A session of its own: the request's closes when the route returns, before streaming.
    with Session(store.engine) as session:
        for start in range(first, last + 1, _READ_BATCH):
            rows = session.exec(
                select(LedgerEntryRow)
                .where(col(LedgerEntryRow.seq) >= start)
                .where(col(LedgerEntryRow.seq) <= min(last, start + _READ_BATCH - 1))
                .order_by(col(LedgerEntryRow.seq))
            ).all()
            yield "".join(row_line(row) + "\n" for row in rows).encode("utf-8")


@router.get(
    "",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}}},
)
def export(
    session: SessionDep,
    store: StoreDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ)] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = PAGE_LIMIT,
) -> StreamingResponse:
    """Entries after seq ``after`` (default: from the first), at most ``limit``, as canonical
    JSON lines up to the signed head sent in the X-Ledger-Head header; page on with ?after=."""
    signed = store.head(session)
    headers = {} if signed is None else {HEAD_HEADER: signed.to_json()}
    first = 0 if after is None else after + 1
    # Never past the signed head, so that a page and its header describe one ledger.
    last = -1 if signed is None else min(signed.seq, first + limit - 1)
    return StreamingResponse(
        _page_lines(store, first, last), media_type="application/x-ndjson", headers=headers
    )


@router.get("/proof/{seq}", response_class=PlainTextResponse)
def proof(seq: Annotated[int, Path(ge=0, le=MAX_SEQ)], session: SessionDep) -> PlainTextResponse:
    """A proof that entry ``seq`` is in its epoch's signed Merkle root (epoch must be closed)."""
    try:
        # Read from the epoch's hashes only, not its whole entries.
        result = inclusion_proof(session, seq)
    except LookupError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
    except LedgerError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return PlainTextResponse(result.to_json(), media_type="application/json")
