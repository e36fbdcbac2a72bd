"""The FastAPI application: settings, database, scoring service, and every router under /v1."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.entries import Entry
from market_server import crud
from market_server.api.routes import (
    developers,
    ledger,
    market,
    models,
    operator,
    ratings,
    recommendations,
    training,
    users,
)
from market_server.catalog_ids import CatalogIds
from market_server.core.config import Settings
from market_server.core.db import make_engine, migrate
from market_server.history import EpochHistory
from market_server.ledger_store import LedgerStore, open_store
from market_server.metrics import SAMPLE_EVERY_S, MarketMetrics, RequestTimer
from market_server.scoring import ScoringService
from market_server.web import mount_web

logger = logging.getLogger(__name__)
API_PREFIX = "/v1"
BUNDLE_UPLOAD_PATH = f"{API_PREFIX}/models"


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses (413) a body over the limit before the app reads it; bundle uploads get their own
    larger limit. Streams without Content-Length are counted as they arrive."""

    def __init__(self, app: ASGIApp, *, default: int, bundles: int) -> None:
        self.app, self.default, self.bundles = app, default, bundles

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_upload = scope["method"] == "POST" and scope["path"] == BUNDLE_UPLOAD_PATH
        limit = self.bundles if is_upload else self.default
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await _too_large(send, limit)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body over the limit of {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ErrorDetail(BaseModel):
    """Every error the API raises itself: a sentence saying what is wrong."""

    detail: str


# Documented once for every route, so clients (and schema checks) know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDetail, "description": text}
    for code, text in {
        400: "Malformed input: a ciphertext, key, bundle or body the server cannot use",
        401: "Missing or bad signature, or API key",
        403: "Not allowed for this account",
        404: "Unknown id",
        409: "Conflict with the current state (a duplicate, a balance too low)",
        410: "Too late (the rating window closed)",
        413: "Body over the size limit",
        503: "A scoring worker process died while scoring: ask again",
        504: "Scoring took too long",
    }.items()
}


def settle_if_due(store: LedgerStore, settings: Settings, now: datetime) -> list[Entry]:
    """Settle the open epoch once it is ``epoch_s`` old; [] otherwise. Due-ness is decided
    under the ledger's lock, so when processes race, one settles and the others see the new
    epoch (not yet due)."""
    with Session(store.engine) as session:
        return crud.settle(session=session, store=store, due_after_s=settings.epoch_s, now=now)


async def _settle_on_schedule(store: LedgerStore, settings: Settings) -> None:
    while True:
        await asyncio.sleep(min(60.0, settings.epoch_s / 4))
        await asyncio.to_thread(settle_if_due, store, settings, datetime.now(UTC))


def _warm_history(app: FastAPI) -> None:
    """Read the settled epochs' figures the pages chart, off the event loop, while the server
    already answers; a failure only leaves the reading to the first page that needs it."""
    store: LedgerStore = app.state.ledger
    history: EpochHistory = app.state.history
    try:
        with Session(store.engine) as session:
            history.warm(session, store.snapshot(session).book.closed_epochs)
    except Exception:
        logger.exception("could not read the settled epochs' figures at start-up")


def _scoring_gauges(scoring: ScoringService) -> tuple[int, int]:
    """This process's scoring queue depth and table cache bytes, for the metrics."""
    return scoring.in_flight, scoring.cached_bytes


def _ledger_entries(store: LedgerStore) -> int:
    with Session(store.engine) as session:
        return store.glance(session).entries


async def _sample_metrics(metrics: MarketMetrics) -> None:
    """Multiprocess mode: keep this worker's gauges fresh for scrapes other workers answer."""
    while True:
        metrics.sample()
        await asyncio.sleep(SAMPLE_EVERY_S)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        schedule = None
        if settings.auto_settle:
            schedule = asyncio.create_task(_settle_on_schedule(app.state.ledger, settings))
        warming = asyncio.create_task(asyncio.to_thread(_warm_history, app))
        sampling = None
        if app.state.metrics.multiprocess:
            sampling = asyncio.create_task(_sample_metrics(app.state.metrics))
        yield
        if schedule is not None:
            schedule.cancel()
        if sampling is not None:
            sampling.cancel()
        app.state.metrics.process_exited()
        await warming
        app.state.scoring.close()
        app.state.engine.dispose()

    app = FastAPI(
        title="privrec market",
        version=market.API_VERSION,
        summary="Recommender models compete to score encrypted user profiles.",
        lifespan=lifespan,
    )
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    app.state.settings = settings
    app.state.engine = engine
    app.state.ledger = open_store(settings, engine)
    try:
        with Session(engine) as session:  # fail at start, not at every append
            app.state.ledger.check_rules(session)
    except BaseException:
        engine.dispose()
        raise
    app.state.scoring = ScoringService(
        workers=settings.scoring_workers,
        threads=settings.scoring_threads,
        max_tables=settings.max_cached_tables,
        max_table_bytes=settings.scoring_memory_bytes,
        max_request_item_dims=settings.max_request_item_dims,
        timeout_s=settings.scoring_timeout_s,
        ray_address=settings.scoring_ray_address,
    )
    app.state.catalog_ids = CatalogIds(settings.catalog_ids_cache_bytes)
    app.state.history = EpochHistory()
    app.state.metrics = metrics = MarketMetrics()
    app.state.scoring.on_scored = metrics.observe_scoring
    metrics.watch(
        scoring=lambda: _scoring_gauges(app.state.scoring),
        ledger_entries=lambda: _ledger_entries(app.state.ledger),
    )
    # Bundles unpacked or probed at once in this process (each takes CPU and memory).
    app.state.deployment_slots = threading.BoundedSemaphore(settings.max_concurrent_probes)
    app.add_middleware(
        BodyLimit, default=settings.max_body_bytes, bundles=settings.bundle_upload_bytes
    )
    # Outermost: a refused body's 413 is timed too.
    app.add_middleware(RequestTimer, metrics=metrics)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        # 422 with the offending fields, never the raw body (it may be a ciphertext).
        errors: list[dict[str, Any]] = [
            {"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")}
            for e in error.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    for module in (market, users, developers, models, recommendations, ratings, ledger, training):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(operator.router)
    mount_web(app)
    return app


def app_from_environment() -> FastAPI:
    """Factory for uvicorn (``--workers`` needs an import string): settings from PRIVREC_*."""
    return create_app(Settings())
