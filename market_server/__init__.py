"""Market server (FastAPI + SQLModel): deployment, encrypted scoring, ratings, economy, ledger."""
