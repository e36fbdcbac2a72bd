"""Dependencies as Annotated aliases, so route signatures stay short and auth is visible."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from crypto.identity import InvalidSignature, SignedRequest, verify_request
from market_server.catalog_ids import CatalogIds
from market_server.core.config import Settings
from market_server.core.security import API_KEY_PREFIX, hash_api_key
from market_server.history import EpochHistory
from market_server.ledger_store import LedgerStore
from market_server.models import Developer, UsedNonce, User
from market_server.scoring import ScoringService


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    # Objects stay readable after commit without a reload: a lazy reload could otherwise run
    # on the event loop in an async route and wait there for a pooled connection.
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def get_scoring(request: Request) -> ScoringService:
    scoring: ScoringService = request.app.state.scoring
    return scoring


def get_catalog_ids(request: Request) -> CatalogIds:
    catalog_ids: CatalogIds = request.app.state.catalog_ids
    return catalog_ids


def get_history(request: Request) -> EpochHistory:
    history: EpochHistory = request.app.state.history
    return history


def get_store(request: Request) -> LedgerStore:
    store: LedgerStore = request.app.state.ledger
    return store


# Ids are database integers: bounded here so an absurd one is a 422, never a driver overflow.
MAX_ID = 2**31 - 1
ModelIdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="a model version's id")]

SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[LedgerStore, Depends(get_store)]
HistoryDep = Annotated[EpochHistory, Depends(get_history)]


def local_mode_only(settings: SettingsDep) -> None:
    """Guards demo conveniences (the faucets): refused outside local mode."""
    if settings.mode != "local":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the faucet exists only in local mode")


LocalModeOnly = Depends(local_mode_only)
SessionDep = Annotated[Session, Depends(get_session)]
ScoringDep = Annotated[ScoringService, Depends(get_scoring)]
CatalogIdsDep = Annotated[CatalogIds, Depends(get_catalog_ids)]


async def signed_account(
    request: Request, session: SessionDep, settings: SettingsDep, store: StoreDep
) -> str:
    """The account whose Ed25519 key signed this request, for this market (the key its ledger
    is signed with); a request signed for another market, or a replayed nonce, is refused."""
    body = await request.body()
    # The path exactly as sent (percent-escapes intact): that is what the client signed.
    raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    path = (raw_path + (b"?" + query if query else b"")).decode("ascii", errors="replace")
    now = int(time.time())
    try:
        signed = verify_request(
            request.headers,
            request.method,
            path,
            body,
            market=store.key.public_key_hex,
            now=now,
            max_skew=settings.signature_skew_s,
        )
    except InvalidSignature as error:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"bad signature: {error}") from None
    # A database write may wait for another writer's lock: never on the event loop.
    if not await asyncio.to_thread(_remember_nonce, session, signed, now, settings):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "replayed request (nonce reused)")
    return signed.account


def _remember_nonce(session: Session, signed: SignedRequest, now: int, settings: Settings) -> bool:
    """Record the request's nonce; False if it was already used (a replay)."""
    # Nonces older than the skew window can be forgotten: their timestamps are refused anyway.
    session.exec(
        delete(UsedNonce).where(col(UsedNonce.seen_at) < now - 2 * settings.signature_skew_s)
    )
    session.add(UsedNonce(account=signed.account, nonce=signed.nonce, seen_at=now))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


SignedAccount = Annotated[str, Depends(signed_account)]


def end_read(session: Session) -> None:
    """End the session's read transaction, returning its pooled connection.

    A dependency that reads and then lets the route await (a thread hop, scoring) must not hold
    a connection meanwhile: requests holding every connection while they wait for a worker
    thread, and worker threads waiting for a connection, would starve each other until the
    pool's timeout. Loaded objects stay readable (the session does not expire on commit).
    """
    session.commit()


def current_user(account: SignedAccount, session: SessionDep) -> User:
    user = session.get(User, account)
    end_read(session)
    if user is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "unknown account: register it first")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def current_developer(
    session: SessionDep, authorization: Annotated[str | None, Header()] = None
) -> Developer:
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.startswith(API_KEY_PREFIX):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "developer API key required (Authorization: Bearer prk_...)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    developer = session.exec(
        select(Developer).where(Developer.api_key_hash == hash_api_key(key))
    ).first()
    end_read(session)
    if developer is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "invalid API key", headers={"WWW-Authenticate": "Bearer"}
        )
    return developer


CurrentDeveloper = Annotated[Developer, Depends(current_developer)]
