"""What the screens say: the status line's notices, errors in words the user can act on, and
the shared wording of categories, counts, credits and moments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from client_app.importers import ImportFailed
from client_app.market import LiveModel, MarketError, MarketUnavailable
from client_app.ranking import Reputation
from client_app.sdk import NotReady
from client_app.store import StoreError
from recommenders.activity import Category, parse_category
from recommenders.embeddings import EmbeddingError

Progress = Callable[[str, float], None]
Opener = Callable[[str], object]  # webbrowser.open: False when no browser could be started

CATEGORY_LABELS: Final = {
    Category.WEB: "Web pages",
    Category.MUSIC: "Music",
    Category.PURCHASES: "Purchases",
    Category.BOOKS: "Books",
    Category.PLACES: "Places",
}
CATEGORY_ORDER: Final = {category.value: position for position, category in enumerate(Category)}


@dataclass(frozen=True)
class Notice:
    """The outcome of an action, for the status line (red when ``is_error``)."""

    text: str
    is_error: bool = False


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def error_text(error: BaseException) -> str:
    """What to tell the user about a failed action, in words they can act on."""
    if isinstance(error, ImportFailed):
        where = f" ({error.location})" if error.location else ""
        return f"Could not import {error.file_name}{where}: {error.reason}. Nothing was kept."
    if isinstance(error, MarketUnavailable):
        return _sentence(f"{error}. Your data is safe on this device; try again later")
    if isinstance(error, MarketError):
        return _sentence(f"The market refused: {error}")
    if isinstance(error, EmbeddingError):
        return _sentence(f"Could not compute your profile: {error}")
    if isinstance(error, NotReady | StoreError | ValueError):
        return _sentence(str(error))
    if isinstance(error, OSError):
        return _sentence(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    return _sentence(f"Unexpected error ({type(error).__name__}): {error}")


def category_label(category: Category | str) -> str:
    try:
        return CATEGORY_LABELS[parse_category(category)]
    except ValueError:
        return str(category)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def credits_text(amount: int) -> str:
    return plural(amount, "credit")


def size_text(size: int) -> str:
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def when_text(moment: datetime) -> str:
    """A moment in the user's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def reputation_text(reputation: Reputation) -> str:
    """E.g. "73% liked, 11 ratings": this user's own votes on the model's items."""
    ratings = reputation.likes + reputation.dislikes
    if ratings == 0:
        return "not rated by you yet"
    return f"{round(100 * reputation.likes / ratings)}% liked, {plural(ratings, 'rating')}"


def bid_text(bid: int) -> str:
    if bid <= 0:
        return "pays nothing for your attention"
    return f"pays {credits_text(bid)} per rated list"


def model_short_label(model: LiveModel) -> str:
    return f"{model.name}@{model.version}"
