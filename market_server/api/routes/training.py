"""Federated training runs: a developer opens one for a model (its budget escrowed), devices
that opted in take part in its rounds through the SecAgg+ messages, the developer reads the
noised aggregates and the new parameters (docs/federated.md, docs/market_api.md)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt
from sqlmodel import Session, col, select

from federated.errors import FederatedError, InvalidMessage
from federated.privacy import noise_for_epsilon
from federated.runs import (
    MAX_SERVER_ADAM_EPS,
    MAX_SERVER_DECAY,
    RunSpec,
    ServerOptimizer,
    parameter_count,
    unpack_inputs,
    unpack_parameters,
)
from ledger.economy import MAX_AMOUNT, LedgerError
from market_server import training_rounds as rounds
from market_server.api.deps import (
    CurrentDeveloper,
    CurrentUser,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.crud import ledger_model_id
from market_server.ledger_store import LedgerStore
from market_server.models import ModelStatus, ModelVersion, User
from market_server.training_tables import (
    RunStatus,
    TrainingJoined,
    TrainingRound,
    TrainingRoundPublic,
    TrainingRun,
    TrainingRunPublic,
)

router = APIRouter(prefix="/training-rounds", tags=["training"])
RunIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="a training run's id")]
ClientQuery = Annotated[int, Query(ge=1, le=100_000, description="your device's client id")]
SAFETENSORS = "application/octet-stream"
MAX_LISTED = 50
T = TypeVar("T")


class TrainingRunCreate(BaseModel):
    """A run of federated training rounds for one of your models (docs/federated.md)."""

    model_id: StrictInt = Field(ge=1, le=2**31 - 1)
    dim: StrictInt = Field(ge=1, le=256)
    width: StrictInt = Field(ge=1, le=1024)
    embedding: StrictInt = Field(ge=1, le=4096)
    facts: StrictInt = Field(default=0, ge=0, le=64, description="public facts per item")
    rounds: StrictInt = Field(ge=1, le=10_000)
    cohort: StrictInt = Field(ge=3, le=10_000, description="devices per round, at most")
    min_survivors: StrictInt = Field(ge=2, le=10_000)
    clip_norm: StrictFloat | StrictInt = Field(gt=0, le=1000)
    noise_multiplier: StrictFloat | StrictInt | None = Field(default=None, ge=0, le=1000)
    target_epsilon: StrictFloat | StrictInt | None = Field(default=None, gt=0, le=100)
    sampling_rate: StrictFloat | StrictInt = Field(gt=0, le=1)
    delta: StrictFloat = Field(gt=0, le=0.1)
    learning_rate: StrictFloat | StrictInt = Field(gt=0, le=1000)
    server_learning_rate: StrictFloat | StrictInt = Field(gt=0, le=1000)
    server_optimizer: ServerOptimizer = Field(
        default="adam", description="FedAvg, or DP-FedAdam (the benchmark's plan)"
    )
    server_decay: StrictFloat | StrictInt = Field(
        default=0.1, ge=0, le=MAX_SERVER_DECAY, description="round r's rate: rate / (1 + decay r)"
    )
    server_adam_eps: StrictFloat | StrictInt = Field(default=1e-8, gt=0, le=MAX_SERVER_ADAM_EPS)
    reward: StrictInt = Field(ge=1, le=MAX_AMOUNT, description="credits per accepted update")
    budget: StrictInt = Field(ge=1, le=MAX_AMOUNT, description="credits escrowed for the run")
    stage_seconds: StrictFloat | StrictInt = Field(default=60, ge=1, le=3600)
    parameters: str = Field(description="base64 of safetensors {parameters: float64 flat}")
    inputs: str = Field(description="base64 of safetensors {items, projection, facts}: float64")


def _refused(error: Exception) -> HTTPException:
    code = {
        rounds.TrainingRefused: status.HTTP_409_CONFLICT,
        rounds.NotInRound: status.HTTP_403_FORBIDDEN,
        rounds.WrongWireVersion: status.HTTP_400_BAD_REQUEST,
        LedgerError: status.HTTP_409_CONFLICT,
    }.get(type(error), status.HTTP_400_BAD_REQUEST)
    return HTTPException(code, str(error))


def _answer(work: Callable[[], T]) -> T:
    """Run a state change; a refusal or a bad message becomes its 4xx with the reason."""
    try:
        return work()
    except (
        rounds.TrainingRefused,
        rounds.NotInRound,
        rounds.WrongWireVersion,
        LedgerError,
        FederatedError,
    ) as error:
        raise _refused(error) from None


def _run(session: Session, run_id: str) -> TrainingRun:
    run = session.get(TrainingRun, run_id)
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no training run {run_id}")
    return run


def _public(
    session: Session, store: LedgerStore, run: TrainingRun, *, since: int = 0
) -> TrainingRunPublic:
    """The run with its rounds from ``since`` on (a list shows only the current one)."""
    return TrainingRunPublic(
        id=run.id,
        model_id=run.model_id,
        status=run.status,
        round_index=run.round_index,
        budget=run.budget,
        escrow=rounds.escrow_left(store, session, run),
        spec=json.loads(run.spec),
        rounds=[
            TrainingRoundPublic.model_validate(r, from_attributes=True)
            for r in rounds.rounds_of(session, run, since=since)
        ],
    )


def _unb64(text: str, name: str, limit: int) -> bytes:
    if len(text) > 4 * math.ceil(limit / 3):
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f"{name} is over {limit} bytes")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"{name} is not base64") from None


def _spec(body: TrainingRunCreate, model: ModelVersion, noise: float) -> RunSpec:
    categories = tuple(sorted(c for c in model.categories.split(",") if c))
    try:
        return RunSpec(
            training=rounds.new_spec_id(),
            model=ledger_model_id(model),
            categories=categories,
            dim=body.dim,
            width=body.width,
            items=model.items,
            embedding=body.embedding,
            facts=body.facts,
            rounds=body.rounds,
            cohort=body.cohort,
            min_survivors=body.min_survivors,
            clip_norm=float(body.clip_norm),
            noise_multiplier=noise,
            sampling_rate=float(body.sampling_rate),
            delta=body.delta,
            learning_rate=float(body.learning_rate),
            server_learning_rate=float(body.server_learning_rate),
            server_optimizer=body.server_optimizer,
            server_decay=float(body.server_decay),
            server_adam_eps=float(body.server_adam_eps),
            reward=body.reward,
        )
    except InvalidMessage as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None


@router.post("", response_model=TrainingRunPublic, status_code=status.HTTP_201_CREATED)
async def open_run(
    body: TrainingRunCreate,
    developer: CurrentDeveloper,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
) -> TrainingRunPublic:
    """Open a training run for one of your models, escrowing its budget from your balance."""
    model = session.get(ModelVersion, body.model_id)
    if model is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no model {body.model_id}")
    if model.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your model")
    if model.status != ModelStatus.LIVE:
        raise HTTPException(status.HTTP_409_CONFLICT, f"model {model.id} is not live")
    if (body.noise_multiplier is None) == (body.target_epsilon is None):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "give noise_multiplier or target_epsilon"
        )
    if body.cohort > settings.training_max_cohort:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            f"a round takes at most {settings.training_max_cohort} devices on this market",
        )
    count = parameter_count(body.dim, body.width, body.facts)
    if count > settings.training_max_parameters:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"{count} parameters: this market trains at most {settings.training_max_parameters}",
        )
    if body.reward > body.budget:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "the reward per update exceeds the budget"
        )
    noise = body.noise_multiplier
    if noise is None:
        assert body.target_epsilon is not None
        target = float(body.target_epsilon)
        try:
            noise = await asyncio.to_thread(
                noise_for_epsilon, target, float(body.sampling_rate), body.rounds, body.delta
            )
        except (ValueError, ArithmeticError) as error:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(error)) from None
    spec = _spec(body, model, float(noise))
    parameters = _unb64(body.parameters, "parameters", spec.parameters_bytes)
    inputs = _unb64(body.inputs, "inputs", spec.inputs_bytes)
    try:
        unpack_parameters(parameters, spec)
        unpack_inputs(inputs, spec)
    except InvalidMessage as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    run = await asyncio.to_thread(
        _answer,
        lambda: rounds.open_run(
            session=session,
            store=store,
            developer=developer,
            model=model,
            spec=spec,
            parameters=parameters,
            inputs=inputs,
            budget=body.budget,
            stage_seconds=float(body.stage_seconds),
            max_open_runs=settings.training_max_open_runs,
        ),
    )
    return _public(session, store, run)


@router.get("", response_model=list[TrainingRunPublic])
def list_runs(
    session: SessionDep,
    store: StoreDep,
    categories: Annotated[str, Query(max_length=200, description="comma-separated")] = "",
) -> list[TrainingRunPublic]:
    """Open runs whose model reads only categories among the given ones (your opted-in ones)."""
    wanted = {c for c in categories.split(",") if c}
    found = session.exec(
        select(TrainingRun)
        .where(TrainingRun.status == RunStatus.OPEN)
        .order_by(col(TrainingRun.created_at))
        .limit(1000)
    ).all()
    matching = [run for run in found if set(rounds.spec_of(run).categories) <= wanted]
    return [_public(session, store, r, since=r.round_index) for r in matching[:MAX_LISTED]]


@router.get("/{run_id}", response_model=TrainingRunPublic)
def read_run(run_id: RunIdPath, session: SessionDep, store: StoreDep) -> TrainingRunPublic:
    """A run's spec, escrow and rounds (closing a stage whose deadline passed)."""
    run = _run(session, run_id)
    _answer(lambda: rounds.advance(session=session, store=store, run=run))
    return _public(session, store, run)


@router.get("/{run_id}/parameters", response_class=Response)
def read_parameters(run_id: RunIdPath, session: SessionDep) -> Response:
    """The run's current parameters (safetensors): the noised aggregates applied so far."""
    return Response(_run(session, run_id).parameters, media_type=SAFETENSORS)


@router.get("/{run_id}/inputs", response_class=Response)
def read_inputs(run_id: RunIdPath, session: SessionDep) -> Response:
    """The catalog's public inputs the devices compute their loss with (safetensors)."""
    return Response(_run(session, run_id).inputs, media_type=SAFETENSORS)


@router.get("/{run_id}/rounds/{round_index}/update", response_class=Response)
def read_update(
    run_id: RunIdPath,
    round_index: Annotated[int, Path(ge=0, le=10_000)],
    developer: CurrentDeveloper,
    session: SessionDep,
) -> Response:
    """Your run's noised mean update of one finished round (safetensors)."""
    run = _run(session, run_id)
    if run.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your training run")
    found = session.get(TrainingRound, (run_id, round_index))
    if found is None or found.update is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "that round released no update")
    return Response(found.update, media_type=SAFETENSORS)


@router.post("/{run_id}/cancel", response_model=TrainingRunPublic)
def cancel(
    run_id: RunIdPath, developer: CurrentDeveloper, session: SessionDep, store: StoreDep
) -> TrainingRunPublic:
    """End your run now: the round under way is dropped and the escrow left comes back."""
    run = _run(session, run_id)
    if run.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your training run")
    _answer(lambda: rounds.cancel_run(session=session, store=store, run=run))
    return _public(session, store, run)


# --- the devices' side --------------------------------------------------------------------------


class TrainingJoin(BaseModel):
    """What a device says when it joins: the SecAgg wire version it speaks."""

    model_config = ConfigDict(extra="forbid")
    wire_version: StrictInt = Field(ge=1, le=1000)


@router.post("/{run_id}/join", response_model=TrainingJoined)
def join(
    run_id: RunIdPath,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    body: TrainingJoin | None = None,
) -> TrainingJoined:
    """Take a place in the round under way (one per account per round; committed money only;
    400 unless the body's `wire_version` is the market's: an older app sends none)."""
    run = _run(session, run_id)
    row = _answer(
        lambda: rounds.join(
            session=session,
            store=store,
            run=run,
            user=user,
            min_commitment=settings.required_query_commitment,
            wire_version=None if body is None else body.wire_version,
        )
    )
    view = rounds.load_round(session, run)
    return TrainingJoined(
        run_id=run.id,
        round_index=row.round_index,
        client=row.client,
        config=view.server.config.to_json(),
    )


def _read(
    session: Session, store: LedgerStore, run_id: str, user: User, client: int, step: str
) -> Response:
    run = _run(session, run_id)
    _answer(lambda: rounds.advance(session=session, store=store, run=run))
    data = _answer(
        lambda: rounds.read_step(session=session, run=run, user=user, client=client, step=step)
    )
    return Response(data, media_type="application/json")


async def _receive(
    request: Request, session: Session, run_id: str, accept: Callable[[TrainingRun, bytes], None]
) -> None:
    raw = await request.body()
    run = _run(session, run_id)
    await asyncio.to_thread(_answer, lambda: accept(run, raw))


@router.post("/{run_id}/advertise", status_code=status.HTTP_204_NO_CONTENT)
async def advertise(
    run_id: RunIdPath, request: Request, user: CurrentUser, session: SessionDep
) -> None:
    """SecAgg+ step 1: your device's two public keys, signed by your account's identity key (a
    signed-advertise-keys message; 400 if the signature fails, 403 if another identity's)."""
    await _receive(
        request,
        session,
        run_id,
        lambda run, raw: rounds.advertise(session=session, run=run, user=user, raw=raw),
    )


@router.get("/{run_id}/roster", response_class=Response)
def roster(
    run_id: RunIdPath, client: ClientQuery, user: CurrentUser, session: SessionDep, store: StoreDep
) -> Response:
    """SecAgg+ step 2: every device in the round with its keys and its account's signature over
    them (a signed-roster; 409 until the stage closes)."""
    return _read(session, store, run_id, user, client, "roster")


@router.post("/{run_id}/share-keys", status_code=status.HTTP_204_NO_CONTENT)
async def share_keys(
    run_id: RunIdPath, request: Request, user: CurrentUser, session: SessionDep
) -> None:
    """SecAgg+ step 3: your device's shares, sealed to each neighbour."""
    await _receive(
        request,
        session,
        run_id,
        lambda run, raw: rounds.share_keys(session=session, run=run, user=user, raw=raw),
    )


@router.get("/{run_id}/inbox", response_class=Response)
def inbox(
    run_id: RunIdPath, client: ClientQuery, user: CurrentUser, session: SessionDep, store: StoreDep
) -> Response:
    """SecAgg+ step 4: the shares sealed to your device (409 until the sharing closes)."""
    return _read(session, store, run_id, user, client, "inbox")


@router.post("/{run_id}/masked-input", status_code=status.HTTP_204_NO_CONTENT)
async def masked_input(
    run_id: RunIdPath, request: Request, user: CurrentUser, session: SessionDep
) -> None:
    """SecAgg+ step 5: your device's masked, clipped and noised update."""
    await _receive(
        request,
        session,
        run_id,
        lambda run, raw: rounds.masked_input(session=session, run=run, user=user, raw=raw),
    )


@router.get("/{run_id}/consistency-check", response_class=Response)
def consistency_check(
    run_id: RunIdPath, client: ClientQuery, user: CurrentUser, session: SessionDep, store: StoreDep
) -> Response:
    """SecAgg+ step 6: who is in the sum and who dropped, for the survivors to sign (409 until
    the inputs close)."""
    return _read(session, store, run_id, user, client, "consistency-check")


@router.post("/{run_id}/consistency-signature", status_code=status.HTTP_204_NO_CONTENT)
async def consistency_signature(
    run_id: RunIdPath, request: Request, user: CurrentUser, session: SessionDep
) -> None:
    """SecAgg+ step 7: your device's signature over the consistency check (400 if it is not
    a valid one by your account's identity over the check and the round's roster)."""
    await _receive(
        request,
        session,
        run_id,
        lambda run, raw: rounds.consistency_signature(session=session, run=run, user=user, raw=raw),
    )


@router.get("/{run_id}/unmask-request", response_class=Response)
def unmask_request(
    run_id: RunIdPath, client: ClientQuery, user: CurrentUser, session: SessionDep, store: StoreDep
) -> Response:
    """SecAgg+ step 8: the checked sets with every survivor's signature over them (409 until
    the signing closes)."""
    return _read(session, store, run_id, user, client, "unmask-request")


@router.post("/{run_id}/unmask-response", status_code=status.HTTP_204_NO_CONTENT)
async def unmask_response(
    run_id: RunIdPath, request: Request, user: CurrentUser, session: SessionDep, store: StoreDep
) -> None:
    """SecAgg+ step 9: your device's shares of its neighbours' secrets."""
    await _receive(
        request,
        session,
        run_id,
        lambda run, raw: rounds.unmask_response(
            session=session, store=store, run=run, user=user, raw=raw
        ),
    )
