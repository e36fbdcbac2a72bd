"""The developer dashboard: a static page whose script (static/dashboard.js) calls the JSON API
with the API key the developer types in, kept in the page's memory only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from market_server.api.deps import SettingsDep
from market_server.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/dashboard")
def dashboard(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Your models, earnings and diagnostics, and a deploy form (the key never reaches a URL)."""
    context = {"min_stake": settings.min_stake, "max_bundle_bytes": settings.bundle_upload_bytes}
    return render(request, "dashboard.html", context)
