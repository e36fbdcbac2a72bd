"""Encrypted recommendations: one query per model, scored in parallel, one impression each.

Nothing about a query or its scores is stored or logged: only that an impression happened.
"""

from __future__ import annotations

import asyncio
import base64
import binascii

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import Field
from sqlmodel import SQLModel

from crypto import InvalidCiphertext
from crypto.wire import Kind, max_envelope_bytes
from market_server import bundles, crud
from market_server.api.deps import (
    MAX_ID,
    CurrentUser,
    ScoringDep,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.models import EvaluationKeySet, ModelStatus, ModelVersion
from market_server.scoring import ScoringTimeout

router = APIRouter(prefix="/recommendations", tags=["recommendations"])
_MAX_QUERY_B64 = 4 * (max_envelope_bytes(Kind.QUERY) // 3 + 1)


class EncryptedQueryIn(SQLModel):
    model_id: int = Field(ge=1, le=MAX_ID)
    query: str = Field(max_length=_MAX_QUERY_B64, description="base64 of a crypto query envelope")


class RecommendationRequest(SQLModel):
    evaluation_key_id: str = Field(max_length=32)
    queries: list[EncryptedQueryIn] = Field(min_length=1, max_length=64)


class EncryptedScores(SQLModel):
    model_id: int
    impression_id: str
    response: str = Field(description="base64 of a crypto response envelope")


class RecommendationResponse(SQLModel):
    epoch: int
    results: list[EncryptedScores]


@router.post("", response_model=RecommendationResponse)
async def recommend(
    body: RecommendationRequest,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    scoring: ScoringDep,
    settings: SettingsDep,
    store: StoreDep,
) -> RecommendationResponse:
    """Score each encrypted query on its model; return encrypted scores and impression ids."""
    if len(body.queries) > settings.max_models_per_request:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"at most {settings.max_models_per_request} models per request",
        )
    model_ids = [q.model_id for q in body.queries]
    if len(set(model_ids)) != len(model_ids):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "one query per model")
    queries = []
    for item in body.queries:
        try:
            query = base64.b64decode(item.query, validate=True)
        except (binascii.Error, ValueError):
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, f"model {item.model_id}: query is not base64"
            ) from None
        queries.append((item.model_id, query))

    def look_up() -> tuple[EvaluationKeySet, list[ModelVersion]]:
        key_set = session.get(EvaluationKeySet, body.evaluation_key_id)
        if key_set is None or key_set.user_id != user.id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such evaluation keys")
        models = []
        for model_id in model_ids:
            model = session.get(ModelVersion, model_id)
            if model is None or model.status != ModelStatus.LIVE:
                raise HTTPException(status.HTTP_404_NOT_FOUND, f"model {model_id} is not live")
            models.append(model)
        # Give the connection back before scoring: holding pooled connections across long
        # awaits would let more concurrent requests than the pool size starve each other.
        session.close()
        return key_set, models

    key_set, models = await asyncio.to_thread(look_up)
    key_data = key_set.data
    keys = await asyncio.to_thread(scoring.evaluation_keys, key_set.id, lambda: key_data)
    engine = request.app.state.engine
    outcomes = await asyncio.gather(
        *(
            scoring.score(mid, bundles.stored_items(engine, mid), query, keys)
            for mid, query in queries
        ),
        return_exceptions=True,
    )
    for (model_id, _), outcome in zip(queries, outcomes, strict=True):
        if isinstance(outcome, InvalidCiphertext):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, f"model {model_id}: {outcome}")
        if isinstance(outcome, ScoringTimeout):
            raise HTTPException(status.HTTP_504_GATEWAY_TIMEOUT, str(outcome))
        if isinstance(outcome, BaseException):
            raise outcome
    # The ledger append waits for the database lock: never on the event loop.
    epoch, impressions = await asyncio.to_thread(
        lambda: crud.record_impressions(session=session, store=store, user=user, models=models)
    )
    return RecommendationResponse(
        epoch=epoch,
        results=[
            EncryptedScores(
                model_id=model_id,
                impression_id=impression.id,
                response=base64.b64encode(outcome).decode("ascii"),
            )
            for (model_id, _), impression, outcome in zip(
                queries, impressions, outcomes, strict=True
            )
            if isinstance(outcome, bytes)
        ],
    )
