"""What the device makes of a model's decrypted scores: items the user already consumed kept
out of the new list (or shown apart as "again"), the relevance floor, and for every item shown
a reason, a link and the fields people read. All of it computed here, none of it sent."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from client_app.model_cache import LoadedModel
from client_app.ranking import Recommendation
from crypto import top_k
from recommenders.activity import ActivityEvent, Category, parse_category
from recommenders.bundle import CatalogInfo, DisplayField, InvalidBundle, check_link
from recommenders.embeddings import Embedder

# A "new-and-again" model's consumed items shown apart: at most this many (and never more than
# the list's own length, so a market set to short lists gets short "again" lists too), and only
# those it ranks among its top AGAIN_DEPTH (a re-buy the model ranks low is not worth a line).
AGAIN_ITEMS = 5
AGAIN_DEPTH = 100
DETAIL_CHARS = 80  # a display value longer than this is cut, with an ellipsis
REASON_TITLE_CHARS = 70
VERBS: Mapping[Category, str] = {
    Category.WEB: "you read",
    Category.MUSIC: "you played",
    Category.PURCHASES: "you bought",
    Category.BOOKS: "you read",
    Category.PLACES: "you visited",
}
NOTHING_FITS = "nothing in this catalog fits your activity"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EARTH_RADIUS_KM = 6371.0


def catalog_summary(info: CatalogInfo, items: int) -> str:
    """What a list's catalog is, in one line for people: what, where, when, how many, whose
    licence (non-commercial said loudly)."""
    parts = [info.description or info.source, info.region, info.period, f"{items:,} items"]
    licence = info.licence
    if licence and info.attribution:
        licence = f"{licence}, {info.attribution}"
    elif info.attribution:
        licence = info.attribution
    parts.append(licence)
    if info.non_commercial:
        parts.append("NON-COMMERCIAL use only")
    return " · ".join(part for part in parts if part)


def consumed_rows(model: LoadedModel, events: Iterable[ActivityEvent]) -> Counter[int]:
    """The catalog rows the user already consumed, with how many of ``events`` each: matched
    by the catalog's own rules (``model.index``), each event to rows of its own category
    only (a book read is not a song played)."""
    categories = model.catalog.categories
    counts: Counter[int] = Counter()
    for event in events:
        for row in model.index.match(event):
            if categories[row] == event.category.value:
                counts[row] += 1
    return counts


@dataclass(frozen=True)
class Picked:
    """The catalog rows a list shows (best first, with their scores), and whether it fits."""

    rows: tuple[int, ...]
    scores: tuple[float, ...]
    again_rows: tuple[int, ...]
    again_scores: tuple[float, ...]
    fits: bool


def pick(
    scores: npt.NDArray[np.float64],
    consumed: Iterable[int],
    *,
    k: int,
    policy: str,
    floor: float | None,
) -> Picked:
    """The top ``k`` rows the user has not consumed; for a "new-and-again" policy also the
    consumed rows the model ranks among its top, apart. A list whose best score is below
    ``floor`` fits nobody: it shows nothing at all. (The best of all rows, consumed ones too:
    that is what a model's floor is set on, the best score real users get.)"""
    if floor is not None and (len(scores) == 0 or float(np.max(scores)) < floor):
        return Picked((), (), (), (), fits=False)
    consumed = set(consumed)
    mask = np.ones(len(scores), dtype=bool)
    mask[list(consumed)] = False
    fresh = np.flatnonzero(mask)  # ascending: top_k's ties still go to the lower row
    best = top_k(scores[fresh], k) if len(fresh) else None
    rows = () if best is None else tuple(fresh[best.ids].tolist())
    kept = () if best is None else tuple(best.scores.tolist())
    again: list[int] = []
    if policy == "new-and-again" and consumed:
        top = top_k(scores, min(AGAIN_DEPTH, len(scores))).ids.tolist()
        again = [row for row in top if row in consumed][: min(AGAIN_ITEMS, k)]
    return Picked(rows, kept, tuple(again), tuple(float(scores[row]) for row in again), fits=True)


def details(
    metadata: Mapping[str, Any], fields: Sequence[DisplayField]
) -> tuple[tuple[str, str], ...]:
    """(label, value) of the display fields an item has: text or numbers only, control
    characters blanked, long values cut (a catalog's metadata is the developer's input)."""
    shown = []
    for field in fields:
        value = metadata.get(field.field)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        text = " ".join(_CONTROL.sub(" ", str(value)).split())
        if text:
            shown.append((field.label, _cut(text, DETAIL_CHARS)))
    return tuple(shown)


def link(metadata: Mapping[str, Any], link_field: str | None) -> str | None:
    """The item's page, if the catalog declares a link field and it is an http(s) URL (the
    bundle parser refuses any other; checked again before the app may open it)."""
    if link_field is None:
        return None
    try:
        return check_link(metadata.get(link_field), f"metadata.{link_field}")
    except InvalidBundle:
        return None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _coordinates(metadata: Mapping[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) from an item's metadata (numbers or numeric text), None if absent or bad."""
    try:
        lat, lon = float(metadata["lat"]), float(metadata["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


def _distance_text(km: float) -> str:
    return f"{round(km * 1000, -1):.0f} m" if km < 1 else f"{km:.1f} km"


def _because(event: ActivityEvent) -> str:
    return f"because {VERBS[event.category]} {_cut(event.title, REASON_TITLE_CHARS)}"


def again_reason(category: str, times: int) -> str:
    """Why a consumed item is shown again: how often the user had it."""
    verb = VERBS[parse_category(category)]
    return f"{verb} it {times} times" if times > 1 else f"{verb} it before"


class History:
    """The user's activities a reason may point to (one per category and title, the latest),
    with their titles' embeddings: the same cached embedder as the features."""

    def __init__(self, events: Iterable[ActivityEvent], embedder: Embedder) -> None:
        latest: dict[tuple[Category, str], ActivityEvent] = {}
        for event in events:
            key = (event.category, event.title)
            if key not in latest or latest[key].time < event.time:
                latest[key] = event
        self.events = tuple(latest.values())
        self.embedder = embedder
        self._vectors = _unit_rows(embedder.embed([e.title for e in self.events]))
        self._shown: dict[str, npt.NDArray[np.float32]] = {}

    def of(self, categories: Iterable[str]) -> list[int]:
        wanted = {parse_category(c) for c in categories}
        return [i for i, event in enumerate(self.events) if event.category in wanted]

    def embed_shown(self, titles: Iterable[str]) -> None:
        """Embed the titles of the items about to be shown, all lists' at once (one batch
        for the model, not one per list)."""
        new = [title for title in dict.fromkeys(titles) if title not in self._shown]
        if new:
            self._shown.update(zip(new, _unit_rows(self.embedder.embed(new)), strict=True))

    def nearest_by_title(self, titles: Sequence[str], among: Sequence[int]) -> list[ActivityEvent]:
        """For each title, the activity of ``among`` whose title is nearest (cosine)."""
        if not titles or not among:
            return []
        self.embed_shown(titles)
        items = np.stack([self._shown[title] for title in titles])
        nearest = np.argmax(items @ self._vectors[list(among)].T, axis=1)
        return [self.events[among[i]] for i in nearest.tolist()]


def _unit_rows(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: npt.NDArray[np.float32] = np.divide(
        vectors, norms, out=np.zeros_like(vectors), where=norms > 1e-12
    )
    return unit


def reasons(model: LoadedModel, rows: Sequence[int], history: History) -> list[str | None]:
    """Why each row is shown, from the user's activity in the categories the model read: the
    nearest visited place for an item with coordinates (when the user's activity matches
    catalog rows with coordinates), else the activity whose title is nearest to the item's.
    None only without any activity in those categories."""
    among = history.of(model.manifest.categories)
    if not among:
        return [None] * len(rows)
    where = [_coordinates(model.catalog[row].metadata) for row in rows]
    places = _visited_places(model, [history.events[i] for i in among]) if any(where) else []
    found: list[str | None] = [None] * len(rows)
    by_title: list[int] = []
    for at, here in enumerate(where):
        if here is None or not places:
            by_title.append(at)
            continue
        event, visited = min(places, key=lambda place: _km(here, place[1]))
        found[at] = f"{_because(event)} ({_distance_text(_km(here, visited))} away)"
    titles = [model.catalog.titles[rows[at]] for at in by_title]
    for at, event in zip(by_title, history.nearest_by_title(titles, among), strict=True):
        found[at] = _because(event)
    return found


def _visited_places(
    model: LoadedModel, events: Sequence[ActivityEvent]
) -> list[tuple[ActivityEvent, tuple[float, float]]]:
    """The activities that match catalog rows with coordinates, at those coordinates."""
    places = []
    for event in events:
        for row in model.index.match(event):
            where = _coordinates(model.catalog[row].metadata)
            if where is not None:
                places.append((event, where))
                break
    return places


def recommendations(
    model: LoadedModel, picked: Picked, consumed: Mapping[int, int], history: History
) -> tuple[tuple[Recommendation, ...], tuple[Recommendation, ...]]:
    """The list's new items and its "again" items, each with its reason, link and details."""
    new_reasons = reasons(model, picked.rows, history)
    new = tuple(
        _recommendation(model, row, score, rank, reason)
        for rank, (row, score, reason) in enumerate(
            zip(picked.rows, picked.scores, new_reasons, strict=True)
        )
    )
    again = tuple(
        _recommendation(
            model,
            row,
            score,
            rank,
            again_reason(model.catalog.categories[row], consumed[row]),
            again=True,
        )
        for rank, (row, score) in enumerate(
            zip(picked.again_rows, picked.again_scores, strict=True)
        )
    )
    return new, again


def _recommendation(
    model: LoadedModel,
    row: int,
    score: float,
    rank: int,
    reason: str | None,
    *,
    again: bool = False,
) -> Recommendation:
    entry = model.catalog[row]
    info = model.manifest.catalog
    return Recommendation(
        item_id=entry.item_id,
        source=info.source,
        title=entry.title,
        category=parse_category(entry.category).value,
        metadata=dict(entry.metadata),
        score=score,
        rank=rank,
        reason=reason,
        link=link(entry.metadata, info.link_field),
        details=details(entry.metadata, info.display),
        again=again,
    )
