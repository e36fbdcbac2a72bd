"""Developers: sign up for an API key (shown once), and read their own account."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from ledger.economy import dev_account
from market_server import crud
from market_server.api.deps import (
    CurrentDeveloper,
    LocalModeOnly,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.models import DeveloperCreate, DeveloperCreated, DeveloperPublic

router = APIRouter(prefix="/developers", tags=["developers"])


@router.post("", response_model=DeveloperCreated, status_code=status.HTTP_201_CREATED)
def sign_up(body: DeveloperCreate, session: SessionDep) -> DeveloperCreated:
    """Create a developer account; the API key in the answer is never shown again."""
    try:
        developer, api_key = crud.create_developer(session=session, name=body.name)
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, f"name {body.name!r} is taken") from None
    return DeveloperCreated(
        **DeveloperPublic.model_validate(developer).model_dump(), api_key=api_key
    )


@router.get("/me", response_model=DeveloperPublic)
def read_me(developer: CurrentDeveloper) -> DeveloperPublic:
    """The developer the API key belongs to."""
    return DeveloperPublic.model_validate(developer)


class DeveloperBalance(SQLModel):
    developer: str
    balance: int


@router.post("/me/faucet", response_model=DeveloperBalance, dependencies=[LocalModeOnly])
def faucet(
    developer: CurrentDeveloper, session: SessionDep, store: StoreDep, settings: SettingsDep
) -> DeveloperBalance:
    """Demo credits for stakes and bids (local mode only)."""
    account = dev_account(developer.name)
    crud.mint(
        session=session, store=store, account=account, amount=settings.faucet_amount, memo="faucet"
    )
    return DeveloperBalance(
        developer=developer.name, balance=store.snapshot(session).book.balance(account)
    )
