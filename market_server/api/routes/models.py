"""Models: deploy a bundle, follow its validation, list live models, download their public
parts (cacheable by ETag), retire, and the leaderboard."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import (
    APIRouter,
    BackgroundTasks,
    File,
    Form,
    Header,
    HTTPException,
    Request,
    Response,
    UploadFile,
    status,
)
from sqlmodel import Session, col, select

from market_server import bundles, crud, deployment
from market_server.api.deps import (
    CurrentDeveloper,
    ModelIdPath,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from market_server.models import (
    BundleBlob,
    Developer,
    LeaderboardRow,
    ModelDiagnostics,
    ModelPublic,
    ModelStatus,
    ModelVersion,
)
from recommenders.bundle import InvalidBundle

router = APIRouter(tags=["models"])
MAX_CREDITS = 10**12


def to_public(model: ModelVersion, developer_name: str) -> ModelPublic:
    return ModelPublic(
        **model.model_dump(exclude={"categories", "developer_id", "diagnostics"}),
        developer=developer_name,
        categories=[c for c in model.categories.split(",") if c],
    )


def _developer_name(session: Session, developer_id: int) -> str:
    developer = session.get(Developer, developer_id)
    return developer.name if developer else "?"


def _get_model(session: Session, model_id: int) -> ModelVersion:
    model = session.get(ModelVersion, model_id)
    if model is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no model {model_id}")
    return model


@router.post("/models", response_model=ModelPublic, status_code=status.HTTP_202_ACCEPTED)
async def deploy(
    request: Request,
    developer: CurrentDeveloper,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    bundle: Annotated[UploadFile, File(description="the bundle, zip or tar")],
    stake: Annotated[int, Form(ge=1, le=MAX_CREDITS)],
    bid: Annotated[int, Form(ge=0, le=MAX_CREDITS)] = 0,
) -> ModelPublic:
    """Upload a bundle with a stake and an attention bid; it is validated, then probed."""
    data = await bundle.read(settings.max_bundle_bytes + 1)
    if len(data) > settings.max_bundle_bytes:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "bundle too large")
    try:
        parsed = await asyncio.to_thread(bundles.read_bundle, data)
    except InvalidBundle as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"bundle rejected: {error}") from None
    try:
        model = await asyncio.to_thread(
            lambda: crud.create_model_version(
                session=session,
                developer=developer,
                manifest=parsed.manifest,
                parts=bundles.public_parts(parsed),
                bundle=data,
                stake=stake,
                bid=bid,
            )
        )
    except crud.NotYours as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from None
    except crud.AlreadyDeployed as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from None
    assert model.id is not None
    background.add_task(
        deployment.validate_and_publish,
        engine=request.app.state.engine,
        scoring=request.app.state.scoring,
        store=request.app.state.ledger,
        model_id=model.id,
    )
    return to_public(model, developer.name)


@router.get("/models", response_model=list[ModelPublic])
def list_models(session: SessionDep, category: str | None = None) -> list[ModelPublic]:
    """Live models, optionally only those reading a category."""
    models = session.exec(
        select(ModelVersion)
        .where(ModelVersion.status == ModelStatus.LIVE)
        .order_by(col(ModelVersion.id))
    ).all()
    names = {d.id: d.name for d in session.exec(select(Developer)).all()}
    public = [to_public(m, names.get(m.developer_id, "?")) for m in models]
    if category is not None:
        public = [m for m in public if category in m.categories]
    return public


@router.get("/models/{model_id}", response_model=ModelPublic)
def read_model(model_id: ModelIdPath, session: SessionDep) -> ModelPublic:
    """One model version, whatever its status."""
    model = _get_model(session, model_id)
    return to_public(model, _developer_name(session, model.developer_id))


@router.get("/models/{model_id}/diagnostics", response_model=ModelDiagnostics)
def read_diagnostics(
    model_id: ModelIdPath, developer: CurrentDeveloper, session: SessionDep
) -> ModelDiagnostics:
    """Why a model was rejected, or how its probe query scored (its developer only)."""
    model = _get_model(session, model_id)
    if model.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your model")
    assert model.id is not None
    return ModelDiagnostics(id=model.id, status=model.status, diagnostics=model.diagnostics)


@router.post("/models/{model_id}/retire", response_model=ModelPublic)
def retire(
    request: Request, model_id: ModelIdPath, developer: CurrentDeveloper, session: SessionDep
) -> ModelPublic:
    """Stop serving a model version (its stake stays until the epoch settles)."""
    model = _get_model(session, model_id)
    if model.developer_id != developer.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "not your model")
    model.status = ModelStatus.RETIRED
    session.add(model)
    session.commit()
    session.refresh(model)
    request.app.state.scoring.drop(model_id)
    return to_public(model, developer.name)


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
def leaderboard(session: SessionDep, store: StoreDep) -> list[LeaderboardRow]:
    """Per model: impressions, rating summary, earnings and stake, best rated first."""
    rows = crud.leaderboard(session=session, store=store)
    return sorted(rows, key=lambda r: (-(r.liked - r.disliked), -r.impressions, r.model_id))
