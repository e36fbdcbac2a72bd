"""Users: registration by public key, and their evaluation keys (uploaded once per rotation)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response, status
from sqlmodel import col, select

from crypto import EvaluationKeys, InvalidCiphertext
from crypto.wire import Kind, WireVersionMismatch, check_version, max_envelope_bytes
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
KeyIdPath = Annotated[str, Path(max_length=32, description="an evaluation-key set's id")]


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
    responses={
        200: {"description": "These keys were uploaded before: their existing record"},
        201: {"description": "Stored"},
    },
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
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> EvaluationKeySetPublic:
    """Upload CKKS evaluation keys (a crypto envelope) and get the id queries refer to."""
    data = await request.body()
    try:
        check_version(data, Kind.EVALUATION_KEYS)  # an older client's keys were larger
        if len(data) > max_envelope_bytes(Kind.EVALUATION_KEYS):
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "evaluation keys too large")
        keys = await asyncio.to_thread(EvaluationKeys.from_bytes, data)
    except InvalidCiphertext as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    try:
        record, created = await asyncio.to_thread(
            lambda: crud.store_evaluation_keys(
                session=session,
                user=user,
                data=data,
                keys=keys,
                max_sets=settings.max_evaluation_key_sets,
            )
        )
    except crud.KeyQuotaFull:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"this account already stores {settings.max_evaluation_key_sets} evaluation-key "
            "sets, the most allowed: delete one you no longer use "
            "(GET /v1/users/me/evaluation-keys lists them, "
            "DELETE /v1/users/me/evaluation-keys/{id} removes one), then upload again",
        ) from None
    if not created:
        response.status_code = status.HTTP_200_OK
    return EvaluationKeySetPublic.model_validate(record)


@router.get("/me/evaluation-keys", response_model=list[EvaluationKeySetPublic])
def list_evaluation_keys(user: CurrentUser, session: SessionDep) -> list[EvaluationKeySetPublic]:
    """Metadata of the user's evaluation-key sets, oldest first."""
    records = session.exec(
        select(EvaluationKeySet)
        .where(col(EvaluationKeySet.user_id) == user.id)
        .order_by(col(EvaluationKeySet.created_at), col(EvaluationKeySet.id))
    ).all()
    return [EvaluationKeySetPublic.model_validate(record) for record in records]


@router.get("/me/evaluation-keys/{key_id}", response_model=EvaluationKeySetPublic)
def read_evaluation_keys(
    key_id: KeyIdPath, user: CurrentUser, session: SessionDep
) -> EvaluationKeySetPublic:
    """Metadata of one of the user's evaluation-key sets; 410 if they are stored in a wire
    format version this market no longer reads (upload new keys)."""
    record = session.get(EvaluationKeySet, key_id)
    if record is None or record.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such evaluation keys")
    try:
        check_version(record.data, Kind.EVALUATION_KEYS)
    except WireVersionMismatch as error:
        raise HTTPException(status.HTTP_410_GONE, f"{error}: upload new keys") from None
    return EvaluationKeySetPublic.model_validate(record)


@router.delete("/me/evaluation-keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_evaluation_keys(key_id: KeyIdPath, user: CurrentUser, session: SessionDep) -> None:
    """Delete one of the user's evaluation-key sets (queries can no longer refer to it)."""
    if not crud.delete_evaluation_keys(session=session, user=user, key_id=key_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such evaluation keys")


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
