"""For the operator, outside /v1: liveness, readiness (database, ledger, scoring service) and
Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlmodel import Session

from market_server.api.deps import ScoringDep, StoreDep
from market_server.metrics import MarketMetrics

router = APIRouter(tags=["operator"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive and answering."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A part the market needs is down"}})
def readyz(request: Request, store: StoreDep, scoring: ScoringDep) -> JSONResponse:
    """Ready to serve: the database answers, the ledger is loaded, the scoring service runs."""
    checks: dict[str, str] = {}
    try:
        with Session(store.engine) as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            checks["database"] = "ok"
            checks["ledger"] = f"ok: {store.glance(session).entries} entries"
    except Exception as error:  # any failure means not ready; the message says which part
        checks.setdefault("database", f"down: {type(error).__name__}")
        checks.setdefault("ledger", "not loaded")
    checks["scoring"] = "down: stopping" if scoring.closed else "ok"
    ready = all(value.startswith("ok") for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=status.HTTP_200_OK if ready else status.HTTP_503_SERVICE_UNAVAILABLE,
    )


@router.get("/metrics", response_class=Response)
def metrics(request: Request) -> Response:
    """Prometheus metrics of the server (every worker's), in the text exposition format."""
    metrics: MarketMetrics = request.app.state.metrics
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
