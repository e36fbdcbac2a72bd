"""Developers: sign up for an API key (shown once), and read their own account: balance, and
every model version they deployed with its earnings and diagnostics."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, HTTPException, status
from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select

from ledger.economy import dev_account
from market_server import crud
from market_server.api.deps import (
    CurrentDeveloper,
    LocalModeOnly,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.api.routes.models import stored_facts, to_public
from market_server.models import (
    DeveloperCreate,
    DeveloperCreated,
    DeveloperPublic,
    ModelPublic,
    ModelVersion,
)

router = APIRouter(prefix="/developers", tags=["developers"])

# A developer's own list is bounded by the deployment quotas; the newest this many are sent.
MAX_LISTED_MODELS: Final = 500


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


@router.get("/me/balance", response_model=DeveloperBalance)
def read_balance(
    developer: CurrentDeveloper, session: SessionDep, store: StoreDep
) -> DeveloperBalance:
    """Your credits: what stakes, escrows and bids are paid from, and payouts are paid to."""
    balance = store.snapshot(session).book.balance(dev_account(developer.name))
    return DeveloperBalance(developer=developer.name, balance=balance)


class DeveloperModel(ModelPublic):
    """One of your model versions, whatever its status, with what only you may read."""

    earnings: int = Field(description="what settlements have paid you for it (after fees)")
    diagnostics: str = Field(description="why it was rejected, or how its probe query scored")


@router.get("/me/models", response_model=list[DeveloperModel])
def read_my_models(
    developer: CurrentDeveloper, session: SessionDep, store: StoreDep
) -> list[DeveloperModel]:
    """Your model versions, newest first, with earnings and deployment diagnostics."""
    models = session.exec(
        select(ModelVersion)
        .where(ModelVersion.developer_id == developer.id)
        .order_by(col(ModelVersion.id).desc())
        .limit(MAX_LISTED_MODELS)
    ).all()
    book = store.snapshot(session).book
    stored = stored_facts(session, [m.id for m in models if m.id])
    return [
        DeveloperModel(
            **to_public(model, developer.name, book, stored).model_dump(),
            earnings=book.earned(crud.ledger_model_id(model)),
            diagnostics=model.diagnostics,
        )
        for model in models
    ]
