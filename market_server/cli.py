"""Handlers of ``privrec market ...``: serve the API and settle epochs."""

from __future__ import annotations

import uvicorn

from market_server.core.config import Settings


def serve(*, host: str, port: int, workers: int) -> int:
    """Run the API with uvicorn; several workers share one database (use PostgreSQL then)."""
    settings = Settings()  # fail fast on bad configuration, before uvicorn forks workers
    if workers > 1 and settings.resolved_database_url.startswith("sqlite"):
        print("note: several workers on SQLite serialise their writes; prefer PostgreSQL")
    uvicorn.run(
        "market_server.api.main:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
    )
    return 0
