"""The HTTP API of the market (FastAPI), every route under /v1."""
