"""The market's web pages, served by the market server itself: Jinja2 templates rendered on
the server, static assets (CSS, small scripts, a vendored chart library) and the page routers.
Nothing is fetched from any other host and nothing is built at install time."""

from __future__ import annotations

from market_server.web.site import PAGE_ROUTERS, mount_web
from market_server.web.templating import STATIC_DIR, STATIC_PATH

__all__ = ["PAGE_ROUTERS", "STATIC_DIR", "STATIC_PATH", "mount_web"]
