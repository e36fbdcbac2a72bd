"""What the screens say: the status line's notices, errors in words the user can act on, and
the shared wording of categories, counts, credits and moments."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from client_app.errors import NotReady
from client_app.importers import ImportFailed
from client_app.market import LiveModel, MarketError, MarketKeyChanged, MarketUnavailable
from client_app.ranking import Reputation
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
    """What to tell the user about a failed action: a sentence saying what happened, in their
    words, and what to do next (never a raw HTTP path, account id or errno)."""
    if isinstance(error, ImportFailed):
        where = f" ({error.location})" if error.location else ""
        return f"Could not import {error.file_name}{where}: {error.reason}. Nothing was kept."
    if isinstance(error, MarketKeyChanged):
        return (
            "This market's signing key changed since you first connected, so it may be another "
            "market or an impostor: nothing was sent to it. Ask its operator whether the key "
            "changed, or point the app at the market you trust in Settings."
        )
    if isinstance(error, MarketUnavailable):
        return _unavailable_text(error)
    if isinstance(error, MarketError):
        return _refusal_text(error)
    if isinstance(error, EmbeddingError):
        return _sentence(f"Could not compute your profile: {error}")
    if isinstance(error, NotReady | StoreError | ValueError):
        return _sentence(str(error))
    if isinstance(error, ConnectionRefusedError):
        return "The connection was refused: check that the market is running, then try again."
    if isinstance(error, TimeoutError):
        return "That took too long and was stopped: try again in a minute."
    if isinstance(error, OSError):
        return _sentence(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    return _sentence(f"Unexpected error ({type(error).__name__}): {error}")


SAFE_HERE = "Your data is safe on this device."
_OVERDRAFT = re.compile(r"overdraft: \S+ holds (\d+), cannot pay (\d+)")


def _unavailable_text(error: MarketUnavailable) -> str:
    """The market could not be reached or failed: why, in words, and when to try again."""
    url = _market_url(str(error))
    if error.status == 429:
        return (
            "The market is limiting how often you ask (too many requests): wait a minute, then "
            "try again."
        )
    if error.reason == "failed":
        code = f" (error {error.status})" if error.status else ""
        return (
            f"The market failed on its side{code}. {SAFE_HERE} Try again in a "
            "few minutes; if it keeps failing, tell the market's operator."
        )
    if error.reason == "timeout":
        return (
            f"The market{url} took too long to answer. {SAFE_HERE} Try again in a minute, or "
            "check your network."
        )
    if error.reason == "unreachable":
        return (
            f"Cannot reach the market{url}: nothing answers there. {SAFE_HERE} Check that the "
            "market is running and that its address in Settings is right, then try again."
        )
    return f"The connection to the market{url} broke off. {SAFE_HERE} Try again in a minute."


def _market_url(message: str) -> str:
    found = re.search(r"https?://[^\s:]+(?::[0-9]+)?", message)
    return f" at {found.group(0)}" if found else ""


def _refusal_text(error: MarketError) -> str:
    """A request the market refused, by the reason it gave."""
    detail = error.detail or str(error)
    overdraft = _OVERDRAFT.search(detail)
    if overdraft is not None:
        held, asked = (int(n) for n in overdraft.groups())
        return (
            f"Not enough credits: your balance holds {credits_text(held)}, and this needs "
            f"{credits_text(asked)}. Get demo credits in the Wallet (on a demo market) or use "
            "a smaller amount."
        )
    if error.status == 402:
        return (
            "The market answers only accounts that commit credits: fund this payment period's "
            "budget in the Wallet, then try again."
        )
    if error.status == 401 and "request timestamp" in detail:
        return (
            "The market refused this device's signature because your computer's clock is off: "
            "set it right (automatic time), then try again."
        )
    if error.status == 401:
        return (
            "The market did not accept this device's signature. Try again; if it keeps "
            "happening, your identity files may be damaged: restore them from a backup."
        )
    if error.status == 403 and "unknown account" in detail:
        return (
            "The market does not know your account: it may have lost its data. Your identity and "
            "your data on this device are safe; tell the market's operator."
        )
    if error.status == 413:
        return "That is more than the market accepts in one request: send less at a time."
    if error.status is None:
        return _sentence(
            f"The market sent an answer this app cannot use ({detail}). Try again later, or "
            "update the app"
        )
    return _sentence(f"The market refused: {detail}")


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


def period_text(epoch: int, open_epoch: int | None = None) -> str:
    """An epoch in people's words: "this payment period", "the last payment period", else
    "payment period 3" (counted from 1, as people count)."""
    if epoch == open_epoch:
        return "this payment period"
    if open_epoch is not None and epoch == open_epoch - 1:
        return "the last payment period"
    return f"payment period {epoch + 1:,}"


def duration_text(seconds: int) -> str:
    """E.g. "1 day", "6 hours", "90 minutes", "45 seconds": a whole unit when one fits."""
    for unit, length in (("day", 86_400), ("hour", 3600), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            return plural(seconds // length, unit)
    if seconds < 120:
        return plural(seconds, "second")
    if seconds < 7200:
        return plural(round(seconds / 60), "minute")
    return f"{seconds / 3600:.1f} hours"


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
