"""Privacy: what left the device, model by model, and the ratings waiting to be sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from client_app.sdk import PrivrecClient
from client_app.store import DataUse
from client_app.ui.controllers.wording import (
    category_label,
    credits_text,
    plural,
    size_text,
    when_text,
)


@dataclass(frozen=True)
class DataUseRow:
    when: str
    model: str
    categories: str
    sent: str
    received: str
    paid: str


@dataclass(frozen=True)
class PendingRow:
    list_id: str
    summary: str
    attempts: str
    next_try: str
    last_error: str


@dataclass(frozen=True)
class PrivacyView:
    summary: str
    uses: tuple[DataUseRow, ...]
    pending: tuple[PendingRow, ...]


class PrivacyController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client

    def load(self) -> PrivacyView:
        uses = self.client.data_use()
        pending = self.client.pending_ratings()
        activities = sum(state.events for state in self.client.categories())
        return PrivacyView(
            summary=self._summary(uses, activities),
            uses=tuple(
                DataUseRow(
                    when=when_text(use.at),
                    model=use.model_label,
                    categories=", ".join(category_label(c) for c in use.categories),
                    sent=size_text(use.query_bytes),
                    received=size_text(use.response_bytes),
                    paid="not rated" if use.paid_to_you is None else credits_text(use.paid_to_you),
                )
                for use in uses
            ),
            pending=tuple(
                PendingRow(
                    list_id=p.impression_id[:12],
                    summary=(
                        ("new vote: " if p.change else "")
                        + f"{p.payload.get('liked', 0)} liked, {p.payload.get('disliked', 0)} "
                        + ("disliked" if p.change else f"disliked of {p.payload.get('shown', 0)}")
                        + ("; with per-item votes" if "items" in p.payload else "")
                    ),
                    attempts=plural(p.attempts, "attempt"),
                    next_try=when_text(p.next_attempt_at),
                    last_error=p.last_error or "",
                )
                for p in pending
            ),
        )

    def _summary(self, uses: Sequence[DataUse], activities: int) -> str:
        kept = f"Your {plural(activities, 'activity', 'activities')} never left this device."
        if not uses:
            return f"{kept} Nothing derived from them has been sent yet."
        models = sorted({use.model_label.split(" by ", 1)[0] for use in uses})
        sent = sum(use.query_bytes for use in uses)
        rated = sum(use.paid_to_you is not None for use in uses)
        per_item = (
            "which items you liked, as you allowed in Settings"
            if self.client.share_item_feedback
            else "never which items"
        )
        return (
            f"{kept} What left it: {plural(len(uses), 'encrypted profile')} "
            f"({size_text(sent)} in all) sent to {plural(len(models), 'model')} "
            f"({', '.join(models)}). The market could read neither them nor the scores it sent "
            f"back, and never learned what you were shown. Rating summaries sent: {rated:,} "
            f"(how many items you liked and disliked per list; {per_item})."
        )
