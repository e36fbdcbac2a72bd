"""Models: deploy a bundle, follow its validation, fund its attention escrow, list live models
(those whose bids are backed), download their public parts (cacheable by ETag), retire, and
the leaderboard."""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO, Annotated, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Header,
    HTTPException,
    Query,
    Request,
    Response,
    status,
)
from pydantic import BeforeValidator
from sqlmodel import Session, col, select

from ledger.book import Book
from ledger.economy import MAX_AMOUNT, MAX_EPOCH, LedgerError, dev_account, escrow_account
from market_server import bundles, crud, deployment
from market_server.api.deps import (
    CurrentDeveloper,
    HistoryDep,
    ModelIdPath,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.core.config import Settings
from market_server.history import HISTORY_PAGE, MAX_HISTORY_PAGE, OLDER_HEADER
from market_server.ledger_store import LedgerStore
from market_server.models import (
    AmountIn,
    BundleBlob,
    Developer,
    LeaderboardRow,
    ModelDiagnostics,
    ModelEpochPublic,
    ModelPublic,
    ModelRetiredPublic,
    ModelStatus,
    ModelVersion,
    ModelVersionSummary,
)
from market_server.scoring import scoring_refusal
from market_server.standings import LeaderboardQuery, model_epochs, model_versions, ranked
from recommenders.bundle import InvalidBundle

router = APIRouter(tags=["models"])

BUNDLE_MEDIA_TYPES = ("application/zip", "application/x-tar", "application/tar")
# Written to the upload's temporary file this much at a time, off the event loop.
_WRITE_BATCH = 1024 * 1024
_DIGITS = re.compile(r"0|[1-9][0-9]{0,15}")


def _whole_credits(value: object) -> object:
    """A query value is text: only plain decimal digits spell an amount ("5"; never "+5",
    "5.0", " 5" or "true"), so every amount has one spelling."""
    if isinstance(value, str):
        if not _DIGITS.fullmatch(value):
            raise ValueError("must be a whole number of credits, in plain decimal digits")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number of credits")
    return value


_Credits = BeforeValidator(_whole_credits)
StakeQuery = Annotated[
    int, _Credits, Query(ge=1, le=MAX_AMOUNT, description="credits escrowed as the stake")
]
BidQuery = Annotated[
    int, _Credits, Query(ge=0, le=MAX_AMOUNT, description="credits paid per rated list")
]
EscrowQuery = Annotated[
    int,
    _Credits,
    Query(
        ge=0,
        le=MAX_AMOUNT,
        description="credits put in the model's attention escrow, which pays its bid (a model "
        "is listed only while its escrow holds at least one bid)",
    ),
]

_BUNDLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "the bundle, a zip or tar archive (`privrec model export`)",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in BUNDLE_MEDIA_TYPES
        },
    }
}
_DEPLOY_ERRORS: dict[int | str, dict[str, Any]] = {
    415: {"description": "The body is not a zip or tar bundle"},
    429: {"description": "A deployment of yours is still being validated"},
}


@dataclass(frozen=True)
class StoredFacts:
    """What the public view of models reads from their stored parts (see `stored_facts`)."""

    optional_categories: dict[int, tuple[str, ...]]
    catalog_bytes: dict[int, int]


def stored_facts(session: Session, model_ids: Collection[int]) -> StoredFacts:
    return StoredFacts(
        optional_categories=bundles.stored_optional_categories(session, model_ids),
        catalog_bytes=bundles.stored_catalog_sizes(session, model_ids),
    )


def to_public(
    model: ModelVersion, developer_name: str, book: Book, stored: StoredFacts
) -> ModelPublic:
    """The public view; `stored` is `stored_facts` of (at least) this model."""
    assert model.id is not None
    return ModelPublic(
        **model.model_dump(exclude={"categories", "developer_id", "diagnostics"}),
        developer=developer_name,
        categories=[c for c in model.categories.split(",") if c],
        optional_categories=sorted(stored.optional_categories.get(model.id, ())),
        catalog_bytes=stored.catalog_bytes.get(model.id),
        escrow=book.balance(escrow_account(crud.ledger_model_id(model))),
    )


def _public(session: Session, model: ModelVersion, developer_name: str, book: Book) -> ModelPublic:
    assert model.id is not None
    return to_public(model, developer_name, book, stored_facts(session, [model.id]))


def _developer_name(session: Session, developer_id: int) -> str:
    developer = session.get(Developer, developer_id)
    return developer.name if developer else "?"


def _get_model(session: Session, model_id: int) -> ModelVersion:
    model = session.get(ModelVersion, model_id)
    if model is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no model {model_id}")
    return model


def _own_model(session: Session, model_id: int, developer: Developer) -> ModelVersion:
    """The model, if it is the developer's (404 when there is none, 403 when it is another's)."""
    model = _get_model(session, model_id)
    if model.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your model")
    return model


def _refusal(error: Exception) -> HTTPException:
    """The answer to a deployment the developer may not make now."""
    code = {
        crud.NotYours: status.HTTP_403_FORBIDDEN,
        crud.AlreadyDeployed: status.HTTP_409_CONFLICT,
        crud.TooManyPending: status.HTTP_429_TOO_MANY_REQUESTS,
        crud.OverQuota: status.HTTP_413_CONTENT_TOO_LARGE,
        LedgerError: status.HTTP_409_CONFLICT,
    }[type(error)]
    detail = f"stake not escrowed: {error}" if isinstance(error, LedgerError) else str(error)
    return HTTPException(code, detail)


def _check_before_reading(
    session: Session,
    store: LedgerStore,
    settings: Settings,
    developer: Developer,
    stake: int,
    escrow: int,
) -> None:
    """What can be refused from the query alone, so a refused upload is never read."""
    if stake < settings.min_stake:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST, f"the stake must be at least {settings.min_stake} credits"
        )
    crud.expire_deployments(
        session=session, store=store, developer=developer, timeout_s=settings.deployment_timeout_s
    )
    try:
        crud.check_pending(
            session=session, developer=developer, max_pending=settings.max_pending_deployments
        )
    except crud.TooManyPending as error:
        raise _refusal(error) from None
    balance = store.snapshot(session).book.balance(dev_account(developer.name))
    if stake + escrow > balance:
        what = f"the stake of {stake} credits" + (f" and escrow of {escrow}" if escrow else "")
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"{what} is more than your balance of {balance}"
        )


async def _receive_upload(request: Request, upload: IO[bytes], limit: int) -> None:
    """Stream the body into ``upload``, refusing it (413) once it passes ``limit`` bytes."""
    received = 0
    batch: list[bytes] = []
    batched = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE, f"bundle over the limit of {limit} bytes"
            )
        batch.append(chunk)
        batched += len(chunk)
        if batched >= _WRITE_BATCH:
            await asyncio.to_thread(upload.writelines, batch)
            batch, batched = [], 0
    await asyncio.to_thread(upload.writelines, batch)
    if received == 0:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the body must be the bundle")


def _deploy_upload(
    *,
    session: Session,
    store: LedgerStore,
    settings: Settings,
    slots: threading.BoundedSemaphore,
    developer: Developer,
    upload: IO[bytes],
    stake: int,
    bid: int,
    escrow: int,
) -> ModelVersion:
    """Read the upload's headers and manifest only, check them against the quotas, escrow the
    stake with a pending row, and only then unpack and validate the rest; a bundle found
    invalid then is rejected (its stake returned) and the answer says why."""
    with slots:
        try:
            archive = bundles.BundleArchive(upload, settings.bundle_limits)
        except InvalidBundle as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, f"bundle rejected: {error}") from None
        with archive:
            try:
                manifest = bundles.read_manifest(archive)
            except InvalidBundle as error:
                raise HTTPException(
                    status.HTTP_400_BAD_REQUEST, f"bundle rejected: {error}"
                ) from None
            cells = manifest.items * manifest.dim
            if cells > settings.max_model_cells:
                raise HTTPException(
                    status.HTTP_413_CONTENT_TOO_LARGE,
                    f"{manifest.items} items x {manifest.dim} dimensions = {cells} cells, over "
                    f"the limit of {settings.max_model_cells} per model",
                )
            if stake < settings.deployment_stake(cells):
                raise HTTPException(
                    status.HTTP_400_BAD_REQUEST,
                    f"a table of {cells} cells needs a stake of at least "
                    f"{settings.deployment_stake(cells)} credits ({settings.min_stake}, plus "
                    f"{settings.stake_per_mebicell} per 2^20 cells)",
                )
            unscorable = scoring_refusal(manifest.items, manifest.dim, settings)
            if unscorable is not None:
                raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, unscorable)
            quotas = {
                "max_pending": settings.max_pending_deployments,
                "max_cells": settings.max_developer_cells,
            }
            try:
                # Checked first outside the ledger's lock, so a refusal costs no ledger work.
                crud.check_deployable(
                    session=session, developer=developer, manifest=manifest, **quotas
                )
                model = crud.create_model_version(
                    session=session,
                    store=store,
                    developer=developer,
                    manifest=manifest,
                    stake=stake,
                    bid=bid,
                    escrow=escrow,
                    **quotas,
                )
            except (
                crud.NotYours,
                crud.AlreadyDeployed,
                crud.TooManyPending,
                crud.OverQuota,
                LedgerError,
            ) as error:
                raise _refusal(error) from None
            try:
                parsed = bundles.read_rest(archive, manifest)
                crud.store_bundle(
                    session=session,
                    model=model,
                    parts=bundles.public_parts(parsed),
                    items=parsed.items,
                )
            except BaseException as error:
                session.rollback()
                report = {"bundle": "invalid" if isinstance(error, InvalidBundle) else "error"}
                report["error"] = str(error)[:2000]
                crud.reject_model(
                    session=session,
                    store=store,
                    model=model,
                    diagnostics=json.dumps(report, sort_keys=True),
                )
                if isinstance(error, InvalidBundle):
                    raise HTTPException(
                        status.HTTP_400_BAD_REQUEST,
                        f"bundle rejected: {error} (model {model.id}; the stake is returned, "
                        f"and {manifest.name} {manifest.version} may be deployed again)",
                    ) from None
                raise
    return model


@router.post(
    "/models",
    response_model=ModelPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_DEPLOY_ERRORS,
    openapi_extra=_BUNDLE_BODY,
)
async def deploy(
    request: Request,
    developer: CurrentDeveloper,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    background: BackgroundTasks,
    stake: StakeQuery,
    bid: BidQuery = 0,
    escrow: EscrowQuery = 0,
    content_type: Annotated[str | None, Header()] = None,
) -> ModelPublic:
    """Deploy a bundle (the body) with a stake, a bid and an attention escrow: refused before
    the body is read unless both are funded; escrowed before the bundle is unpacked; probed."""
    media_type = (content_type or "").partition(";")[0].strip().lower()
    if media_type not in BUNDLE_MEDIA_TYPES:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            "send the bundle as the body, with Content-Type one of "
            + ", ".join(BUNDLE_MEDIA_TYPES),
        )
    await asyncio.to_thread(
        _check_before_reading, session, store, settings, developer, stake, escrow
    )
    with tempfile.TemporaryFile() as upload:
        await _receive_upload(request, upload, settings.bundle_upload_bytes)
        model = await asyncio.to_thread(
            lambda: _deploy_upload(
                session=session,
                store=store,
                settings=settings,
                slots=request.app.state.deployment_slots,
                developer=developer,
                upload=upload,
                stake=stake,
                bid=bid,
                escrow=escrow,
            )
        )
    assert model.id is not None
    background.add_task(
        deployment.validate_and_publish,
        engine=request.app.state.engine,
        scoring=request.app.state.scoring,
        store=store,
        slots=request.app.state.deployment_slots,
        model_id=model.id,
    )
    return _public(session, model, developer.name, store.snapshot(session).book)


@router.get("/models", response_model=list[ModelPublic])
def list_models(
    session: SessionDep, store: StoreDep, category: str | None = None
) -> list[ModelPublic]:
    """Live models whose escrow backs their bid, optionally only those reading a category."""
    models = session.exec(
        select(ModelVersion)
        .where(ModelVersion.status == ModelStatus.LIVE)
        .order_by(col(ModelVersion.id))
    ).all()
    ledger = store.snapshot(session)
    names = {d.id: d.name for d in session.exec(select(Developer)).all()}
    listed = [m for m in models if crud.bid_not_backed(m, ledger) is None]
    stored = stored_facts(session, [m.id for m in listed if m.id is not None])
    public = [to_public(m, names.get(m.developer_id, "?"), ledger.book, stored) for m in listed]
    if category is not None:
        public = [m for m in public if category in m.categories]
    return public


@router.get("/models/{model_id}", response_model=ModelPublic)
def read_model(model_id: ModelIdPath, session: SessionDep, store: StoreDep) -> ModelPublic:
    """One model version, whatever its status."""
    model = _get_model(session, model_id)
    book = store.snapshot(session).book
    return _public(session, model, _developer_name(session, model.developer_id), book)


@router.get("/models/{model_id}/diagnostics", response_model=ModelDiagnostics)
def read_diagnostics(
    model_id: ModelIdPath, developer: CurrentDeveloper, session: SessionDep
) -> ModelDiagnostics:
    """Why a model was rejected, or how its probe query scored (its developer only)."""
    model = _own_model(session, model_id, developer)
    assert model.id is not None
    return ModelDiagnostics(id=model.id, status=model.status, diagnostics=model.diagnostics)


@router.get("/models/{model_id}/history", response_model=list[ModelEpochPublic])
def read_history(
    model_id: ModelIdPath,
    session: SessionDep,
    store: StoreDep,
    history: HistoryDep,
    response: Response,
    before: Annotated[int | None, Query(ge=1, le=MAX_EPOCH + 1)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_HISTORY_PAGE)] = HISTORY_PAGE,
) -> list[ModelEpochPublic]:
    """Per settled epoch, a page at a time (X-Older-Before pages back): the version's
    earnings, contribution, stake burned and stake."""
    model = _get_model(session, model_id)
    rows, older = model_epochs(
        session=session,
        store=store,
        history=history,
        ledger_name=crud.ledger_model_id(model),
        before=before,
        limit=limit,
    )
    if older is not None:
        response.headers[OLDER_HEADER] = str(older)
    return rows


@router.get("/models/{model_id}/versions", response_model=list[ModelVersionSummary])
def read_versions(model_id: ModelIdPath, session: SessionDep) -> list[ModelVersionSummary]:
    """Every version deployed under this model's name, oldest first, with its status."""
    return model_versions(session=session, name=_get_model(session, model_id).name)


@router.post(
    "/models/{model_id}/escrow",
    response_model=ModelPublic,
    responses={409: {"description": "Your balance is too low, or the model is retired"}},
)
def fund_escrow(
    model_id: ModelIdPath,
    body: AmountIn,
    developer: CurrentDeveloper,
    session: SessionDep,
    store: StoreDep,
) -> ModelPublic:
    """Move credits from your balance into your model's attention escrow, which pays its bid."""
    model = _own_model(session, model_id, developer)
    try:
        crud.fund_escrow(
            session=session, store=store, developer=developer, model=model, amount=body.amount
        )
    except (crud.NotEscrowable, LedgerError) as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    return _public(session, model, developer.name, store.snapshot(session).book)


@router.post(
    "/models/{model_id}/retire",
    response_model=ModelRetiredPublic,
    responses={409: {"description": "Already retired, or rejected"}},
)
def retire(
    request: Request,
    model_id: ModelIdPath,
    developer: CurrentDeveloper,
    session: SessionDep,
    store: StoreDep,
) -> ModelRetiredPublic:
    """Stop serving a model version: its stake and escrow come back at once if it was never
    shown, else at the settlement of the epoch the cooling-off period ends in."""
    model = _own_model(session, model_id, developer)
    try:
        outcome = crud.retire_model(session=session, store=store, developer=developer, model=model)
    except crud.NotRetirable as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    request.app.state.scoring.drop(model_id)
    if not outcome.shown:
        detail = (
            f"retired before it was ever shown: its stake and escrow ({outcome.returned} "
            "credits) are back in your balance"
        )
    elif outcome.release_epoch is None:
        detail = "retired: this market runs economy rules 1, which never release a stake"
    else:
        detail = (
            f"retired: its stake and escrow are released at the settlement of epoch "
            f"{outcome.release_epoch}, and until then its stake can still burn for ratings "
            "of its past lists"
        )
    public = _public(session, model, developer.name, store.snapshot(session).book)
    return ModelRetiredPublic(
        **public.model_dump(),
        returned=outcome.returned,
        release_epoch=outcome.release_epoch,
        detail=detail,
    )


_PARTS = {
    "manifest": ("manifest", "application/json"),
    "tower": ("tower", "application/octet-stream"),
    "catalog": ("catalog", "text/csv; charset=utf-8"),
}


@router.get(
    "/models/{model_id}/{part}",
    responses={200: {"content": {"application/octet-stream": {}}}, 304: {}},
    response_class=Response,
)
def download_part(
    model_id: ModelIdPath,
    part: str,
    session: SessionDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A live model's public part (manifest, tower or whole catalog), with its ETag."""
    if part not in _PARTS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "parts are manifest, tower and catalog")
    model = _get_model(session, model_id)
    if model.status not in (ModelStatus.LIVE, ModelStatus.RETIRED):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"model {model_id} is not live")
    blob = session.get(BundleBlob, model_id)
    assert blob is not None
    attribute, media_type = _PARTS[part]
    data: bytes = getattr(blob, attribute)
    tag = bundles.etag(data)
    # A version never changes, so its parts can be cached for good.
    headers = {"ETag": tag, "Cache-Control": "public, max-age=31536000, immutable"}
    if if_none_match is not None and tag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=data, media_type=media_type, headers=headers)


@router.get("/leaderboard", response_model=list[LeaderboardRow])
def leaderboard(
    session: SessionDep,
    store: StoreDep,
    history: HistoryDep,
    query: Annotated[LeaderboardQuery, Query()],
) -> list[LeaderboardRow]:
    """Per model: impressions, funded and unfunded votes, contribution, earnings, stake burned,
    stake and escrow; by default best contribution (paid for minus voted against) first."""
    rows = crud.leaderboard(session=session, store=store, history=history)
    return ranked(rows, query)
