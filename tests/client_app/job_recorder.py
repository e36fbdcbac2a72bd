"""A worker's JobListener for tests that drive `client_app.ui.worker.Worker` without a window."""

from __future__ import annotations


class JobRecorder:
    """Keeps what the worker told it, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def job_started(self, description: str) -> None:
        self.events.append(("started", description))

    def job_progress(self, message: str, fraction: float) -> None:
        self.events.append(("progress", message, str(fraction)))

    def job_failed(self, description: str, message: str) -> None:
        self.events.append(("failed", description, message))

    def jobs_idle(self) -> None:
        self.events.append(("idle",))
