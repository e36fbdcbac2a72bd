"""Shared vocabulary of on-device activity: the categories and one validated activity event."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

MAX_TITLE_CHARS = 1000


class Category(StrEnum):
    """A kind of activity; the user opts in (or not) per category."""

    WEB = "web"
    MUSIC = "music"
    PURCHASES = "purchases"
    BOOKS = "books"
    PLACES = "places"


class InvalidActivityError(ValueError):
    """An activity event or category that does not satisfy the vocabulary's rules."""


def parse_category(value: object) -> Category:
    """Return the `Category` named by `value`, or raise `InvalidActivityError`."""
    if isinstance(value, Category):
        return value
    if isinstance(value, str):
        try:
            return Category(value)
        except ValueError:
            pass
    known = ", ".join(c.value for c in Category)
    raise InvalidActivityError(f"unknown category {value!r}; expected one of: {known}")


@dataclass(frozen=True, slots=True)
class ActivityEvent:
    """One thing the user did: read a page, played a track, bought an item, read a book, ...

    `source` names the shop or service it came from; `external_id` is that source's own id of
    the item, if it has one. `time` is normalised to UTC; `weight` is the event's strength.
    """

    category: Category
    source: str
    title: str
    external_id: str | None
    time: datetime
    weight: float = 1.0

    def __post_init__(self) -> None:
        # Events come from import files and other apps, so every field is checked at runtime,
        # whatever the type hints say.
        object.__setattr__(self, "category", parse_category(self.category))
        if not isinstance(self.source, str) or not self.source.strip():
            raise InvalidActivityError(f"source must be a non-empty string, got {self.source!r}")
        if not isinstance(self.title, str) or not self.title.strip():
            raise InvalidActivityError(f"title must be a non-empty string, got {self.title!r}")
        if len(self.title) > MAX_TITLE_CHARS:
            raise InvalidActivityError(
                f"title is {len(self.title)} characters long; the limit is {MAX_TITLE_CHARS}"
            )
        if self.external_id is not None and (
            not isinstance(self.external_id, str) or not self.external_id.strip()
        ):
            raise InvalidActivityError(
                f"external_id must be None or a non-empty string, got {self.external_id!r}"
            )
        if not isinstance(self.time, datetime):
            raise InvalidActivityError(f"time must be a datetime, got {self.time!r}")
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise InvalidActivityError(f"time must be timezone-aware, got naive {self.time!r}")
        object.__setattr__(self, "time", self.time.astimezone(UTC))
        # bool is an int subclass; a True weight is a bug upstream, not a weight of 1.
        if isinstance(self.weight, bool) or not isinstance(self.weight, numbers.Real):
            raise InvalidActivityError(f"weight must be a number, got {self.weight!r}")
        weight = float(self.weight)
        if not math.isfinite(weight) or weight <= 0.0:
            raise InvalidActivityError(f"weight must be finite and > 0, got {self.weight!r}")
        object.__setattr__(self, "weight", weight)
