"""Users: registration by public key, and their evaluation keys (uploaded once per rotation)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request, Response, status

from crypto import EvaluationKeys, InvalidCiphertext
from crypto.wire import Kind, max_envelope_bytes
from ledger.economy import LedgerError, user_account
from market_server import crud
from market_server.api.deps import (
    CurrentUser,
    LocalModeOnly,
    SessionDep,
    SettingsDep,
    SignedAccount,
    StoreDep,
)
from market_server.models import (
    AmountIn,
    EvaluationKeySet,
    EvaluationKeySetPublic,
    UserPublic,
    WalletPublic,
)

router = APIRouter(prefix="/users", tags=["users"])


@router.post(
    "",
    response_model=UserPublic,
    responses={200: {"description": "Already registered"}, 201: {"description": "Registered"}},
    status_code=status.HTTP_201_CREATED,
)
def register(account: SignedAccount, session: SessionDep, response: Response) -> UserPublic:
    """Register the account whose key signed the request (idempotent)."""
    user, created = crud.register_user(session=session, account=account)
    if not created:
        response.status_code = status.HTTP_200_OK
    return UserPublic.model_validate(user)


@router.get("/me", response_model=UserPublic)
def read_me(user: CurrentUser) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(user)


@router.post(
    "/me/evaluation-keys",
    response_model=EvaluationKeySetPublic,
    status_code=status.HTTP_201_CREATED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def upload_evaluation_keys(
    request: Request, user: CurrentUser, session: SessionDep
) -> EvaluationKeySetPublic:
    """Upload CKKS evaluation keys (a crypto envelope) and get the id queries refer to."""
    data = await request.body()
    if len(data) > max_envelope_bytes(Kind.EVALUATION_KEYS):
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "evaluation keys too large")
    try:
        keys = await asyncio.to_thread(EvaluationKeys.from_bytes, data)
    except InvalidCiphertext as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    record = await asyncio.to_thread(
        lambda: crud.store_evaluation_keys(session=session, user=user, data=data, keys=keys)
    )
    return EvaluationKeySetPublic.model_validate(record)


@router.get("/me/evaluation-keys/{key_id}", response_model=EvaluationKeySetPublic)
def read_evaluation_keys(
    key_id: str, user: CurrentUser, session: SessionDep
) -> EvaluationKeySetPublic:
    """Metadata of one of the user's evaluation-key sets."""
    record = session.get(EvaluationKeySet, key_id)
    if record is None or record.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such evaluation keys")
    return EvaluationKeySetPublic.model_validate(record)


@router.get("/me/wallet", response_model=WalletPublic)
def read_wallet(user: CurrentUser, session: SessionDep, store: StoreDep) -> WalletPublic:
    """Balance, this epoch's budget, attention earned and payouts per model."""
    return crud.wallet(session=session, store=store, user=user)


@router.post("/me/budget", response_model=WalletPublic)
def fund_budget(
    body: AmountIn, user: CurrentUser, session: SessionDep, store: StoreDep
) -> WalletPublic:
    """Move credits into this epoch's budget, to be split among the models you like."""
    try:
        crud.fund_budget(session=session, store=store, user=user, amount=body.amount)
    except LedgerError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return crud.wallet(session=session, store=store, user=user)


@router.post("/me/faucet", response_model=WalletPublic, dependencies=[LocalModeOnly])
def faucet(
    user: CurrentUser, session: SessionDep, store: StoreDep, settings: SettingsDep
) -> WalletPublic:
    """Demo credits (local mode only)."""
    crud.mint(
        session=session,
        store=store,
        account=user_account(user.id),
        amount=settings.faucet_amount,
        memo="faucet",
    )
    return crud.wallet(session=session, store=store, user=user)
