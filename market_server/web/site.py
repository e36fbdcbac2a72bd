"""Mounts the pages on the app: the static files and every page router."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from market_server.web import dashboard, leaderboard, ledger_pages, model_page
from market_server.web.templating import STATIC_DIR, STATIC_PATH, environment

__all__ = ["PAGE_ROUTERS", "STATIC_DIR", "STATIC_PATH", "mount_web"]

_home = APIRouter(include_in_schema=False)


@_home.get("/")
def home() -> RedirectResponse:
    """The site's front page is the leaderboard."""
    return RedirectResponse("/leaderboard", status_code=307)


# Every router of pages; not part of the JSON API's schema.
PAGE_ROUTERS: Final = (
    _home,
    leaderboard.router,
    model_page.router,
    ledger_pages.router,
    dashboard.router,
)


def mount_web(app: FastAPI) -> None:
    """Serve the pages and their static files (``/static``) from ``app``."""
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="static")
    # Compiled now rather than by the first visitor of each page (the environment keeps them).
    for template in environment.list_templates(extensions=["html"]):
        environment.get_template(template)
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
