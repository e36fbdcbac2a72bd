"""Encrypted recommendations: one query per model, scored in parallel, one impression each,
within the request's cost budget and the account's funded query budget.

Nothing about a query or its scores is stored or logged: only that an impression happened.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import Field
from sqlmodel import Session, SQLModel, select

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
from market_server.core.config import Settings
from market_server.ledger_store import LedgerStore
from market_server.models import (
    BundleBlob,
    EvaluationKeySet,
    Impression,
    ModelStatus,
    ModelVersion,
    User,
)
from market_server.scoring import ModelRetired, ScoringFailed, ScoringTimeout, TableTooLarge

router = APIRouter(prefix="/recommendations", tags=["recommendations"])
_MAX_QUERY_B64 = 4 * (max_envelope_bytes(Kind.QUERY) // 3 + 1)
SCORING_TIMING = "score"  # the Server-Timing metric of a request's scoring


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


def query_limits(settings: Settings) -> crud.QueryLimits:
    return crud.QueryLimits(
        min_commitment=settings.required_query_commitment,
        queries_per_credit=settings.queries_per_credit,
        per_model_per_epoch=settings.queries_per_model_per_epoch,
    )


def check_request_cost(models: list[ModelVersion], settings: Settings) -> None:
    """Refuse (400) a request whose models hold more item-dimensions than one request may score."""
    cost = sum(model.items * model.dim for model in models)
    if cost > settings.max_request_item_dims:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"these models hold {cost} item-dimensions (items x dim), more than one request "
            f"may score ({settings.max_request_item_dims}): ask them in several requests",
        )


@contextmanager
def allowance_refusals() -> Iterator[None]:
    """An allowance refusal as its HTTP answer: 402 (commit more credits), 429 (a model's cap)."""
    try:
        yield
    except crud.NotFunded as error:
        raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, str(error)) from None
    except crud.QueryCapReached as error:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(error)) from None


def check_allowance(
    session: Session, store: LedgerStore, user: User, model_ids: list[int], settings: Settings
) -> None:
    """Refuse a request the account's committed budget does not cover, before any scoring."""
    epoch, committed = crud.committed_this_epoch(session=session, store=store, user=user)
    with allowance_refusals():
        crud.check_query_allowance(
            session=session,
            user=user,
            epoch=epoch,
            committed=committed,
            model_ids=model_ids,
            limits=query_limits(settings),
        )


def score_noise(session: Session, model_id: int) -> float:
    """The noise level the model's (validated) manifest asks for; 0 when it asks for none."""
    manifest = session.exec(
        select(BundleBlob.manifest).where(BundleBlob.model_id == model_id)
    ).one()
    return float(json.loads(manifest).get("score_noise", 0.0))


@router.post("", response_model=RecommendationResponse)
async def recommend(
    body: RecommendationRequest,
    request: Request,
    response: Response,
    user: CurrentUser,
    session: SessionDep,
    scoring: ScoringDep,
    settings: SettingsDep,
    store: StoreDep,
) -> RecommendationResponse:
    """Score each encrypted query on its model; return encrypted scores and impression ids.

    Needs committed credits in this epoch's budget; 400 over the request cost budget, 402
    without enough committed credits, 409 for a model whose attention escrow does not back its
    bid (it is not listed), 429 once a model has answered its per-epoch cap."""
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

    def look_up() -> tuple[EvaluationKeySet, list[ModelVersion], list[float]]:
        key_set = session.get(EvaluationKeySet, body.evaluation_key_id)
        if key_set is None or key_set.user_id != user.id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such evaluation keys")
        models = []
        ledger = store.snapshot(session)
        for model_id in model_ids:
            model = session.get(ModelVersion, model_id)
            if model is None or model.status != ModelStatus.LIVE:
                raise HTTPException(status.HTTP_404_NOT_FOUND, f"model {model_id} is not live")
            unbacked = crud.bid_not_backed(model, ledger)
            if unbacked is not None:
                raise HTTPException(status.HTTP_409_CONFLICT, unbacked)
            models.append(model)
        check_request_cost(models, settings)
        check_allowance(session, store, user, model_ids, settings)
        noise = [score_noise(session, model_id) for model_id in model_ids]
        # Give the connection back before scoring: holding pooled connections across long
        # awaits would let more concurrent requests than the pool size starve each other.
        session.close()
        return key_set, models, noise

    key_set, models, noise = await asyncio.to_thread(look_up)
    key_data = key_set.data
    try:
        keys = await asyncio.to_thread(scoring.evaluation_keys, key_set.id, lambda: key_data)
    except InvalidCiphertext as error:  # stored in a wire format version no longer read
        raise HTTPException(
            status.HTTP_410_GONE, f"{error}: upload new keys (nothing was charged)"
        ) from None
    engine = request.app.state.engine
    scoring_started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            scoring.score(mid, bundles.stored_items(engine, mid), query, keys, score_noise=sigma)
            for (mid, query), sigma in zip(queries, noise, strict=True)
        ),
        return_exceptions=True,
    )
    # How long scoring took (standard Server-Timing), so a client can tell it from the network.
    scoring_ms = (time.perf_counter() - scoring_started) * 1000
    response.headers["Server-Timing"] = f"{SCORING_TIMING};dur={scoring_ms:.1f}"
    for (model_id, _), outcome in zip(queries, outcomes, strict=True):
        if isinstance(outcome, InvalidCiphertext):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, f"model {model_id}: {outcome}")
        if isinstance(outcome, ScoringTimeout):
            raise HTTPException(status.HTTP_504_GATEWAY_TIMEOUT, str(outcome))
        if isinstance(outcome, ModelRetired):
            raise HTTPException(
                status.HTTP_410_GONE, f"{outcome}: ask the live models again (nothing was charged)"
            )
        if isinstance(outcome, ScoringFailed):
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE, f"{outcome} (nothing was charged)"
            )
        if isinstance(outcome, TableTooLarge):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(outcome))
        if isinstance(outcome, BaseException):
            raise outcome

    # The ledger append waits for the database lock: never on the event loop.
    def record() -> tuple[int, list[Impression]]:
        with allowance_refusals():  # checked again under the ledger's lock, and the models too
            try:
                return crud.record_impressions(
                    session=session,
                    store=store,
                    user=user,
                    models=models,
                    limits=query_limits(settings),
                )
            except crud.BidNotBacked as error:
                raise HTTPException(
                    status.HTTP_409_CONFLICT, f"{error} (nothing was charged)"
                ) from None
            except crud.NoLongerLive as error:
                raise HTTPException(
                    status.HTTP_410_GONE,
                    f"{error} while your query was scored: ask the live models again "
                    "(nothing was charged)",
                ) from None

    epoch, impressions = await asyncio.to_thread(record)
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
