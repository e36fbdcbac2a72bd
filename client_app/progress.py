"""How long SDK calls report their progress: a message and a fraction done, for the app's bar."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, float], None]


def no_progress(_message: str, _fraction: float) -> None:
    return None


def reporter(progress: Progress, fraction: float) -> Callable[[str], None]:
    """Messages of a step that happen at one point of the progress bar."""
    return lambda message: progress(message, fraction)
