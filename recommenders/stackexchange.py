"""Web activity from four Stack Exchange sites: the questions catalog, who asked or answered
which question when, and the time-respecting splits the web reference models are judged on.

Only reads `recommenders/data/stackexchange/` (derived by `scripts/derive_datasets.py`);
the content is CC BY-SA (see `recommenders/data/LICENSES.md`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.activity import Category
from recommenders.datasets import (
    DATA_DIR,
    Catalog,
    DatasetError,
    Interactions,
    Split,
    _frozen,
    _read_rows,
    _utc_seconds,
)
from recommenders.stackexchange_posts import LICENCE_URLS, SITES
from recommenders.tasks import Task

STACKEXCHANGE_SOURCE = "stackexchange"
STACKEXCHANGE_TASK = "stackexchange"
ACTIONS = ("asked", "answered")
# Per site, the last fifth of the events (by time) is the test period; the validation period is
# the last fifth of what is left.
HELD_OUT_FRACTION = 0.2
_ID = re.compile(r"([a-z-]+):(\d{1,12})")
STACKEXCHANGE = bundle.CatalogInfo(
    source=STACKEXCHANGE_SOURCE,
    description="Questions on four Stack Exchange sites: beer, coffee, math educators, "
    "data science meta",
    region="worldwide, in English",
    period="2014 to 2024",
    # Each question keeps its own licence (its "licence" field): 3.0 before 2 May 2018.
    licence="CC BY-SA 3.0 or 4.0 (per question)",
    licence_url="https://stackoverflow.com/help/licensing",
    attribution="Stack Exchange users on the site named with each question, which links to it",
    match="url",
    display=(
        bundle.DisplayField("site", "on"),
        bundle.DisplayField("tags", "tagged"),
        bundle.DisplayField("asked", "asked on"),
        bundle.DisplayField("licence", "licence"),
    ),
    link_field="link",
)


@dataclass(frozen=True, eq=False)
class StackExchange:
    """The questions (catalog rows) and one event per question asked or answered.

    `events.users` index `user_ids` ("<site>:<account id>": accounts are per site);
    `answered[k]` says whether event k is an answer (else the user asked the question).
    """

    catalog: Catalog
    events: Interactions
    answered: NDArray[np.bool_]
    user_ids: tuple[str, ...]
    user_sites: tuple[str, ...]


def _site_and_number(value: str, what: str, path: Path) -> tuple[str, int]:
    match = _ID.fullmatch(value)
    if match is None or match[1] not in SITES:
        raise DatasetError(
            f"{path.name}: {what} {value!r} is not '<site>:<number>' of a known site"
        )
    return match[1], int(match[2])


def _date(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()


@functools.cache
def load_stackexchange(data_dir: Path = DATA_DIR) -> StackExchange:
    """Load the bundled Stack Exchange slice (1,542 questions, 5,261 events of 1,443 users)."""
    base = data_dir / "stackexchange"
    questions_path = base / "questions.csv.gz"
    questions = list(
        _read_rows(
            questions_path, ("item_id", "site", "title", "tags", "created_utc", "link", "licence")
        )
    )
    created = _utc_seconds([q["created_utc"] for q in questions], questions_path)
    metadata: list[Mapping[str, str]] = []
    for question, moment in zip(questions, created.tolist(), strict=True):
        site, number = _site_and_number(question["item_id"], "item id", questions_path)
        if question["site"] != site or not question["title"].strip():
            raise DatasetError(f"{questions_path.name}: row {question['item_id']} is inconsistent")
        if question["link"] != SITES[site].question_url(number):
            raise DatasetError(f"{questions_path.name}: {question['item_id']} has a foreign link")
        if question["licence"] not in LICENCE_URLS:
            raise DatasetError(f"{questions_path.name}: unknown licence {question['licence']!r}")
        metadata.append(
            MappingProxyType(
                {
                    "site": SITES[site].name,
                    "tags": question["tags"],
                    "asked": _date(moment),
                    "link": question["link"],
                    "licence": question["licence"],
                }
            )
        )
    catalog = Catalog(
        source=STACKEXCHANGE_SOURCE,
        item_ids=tuple(q["item_id"] for q in questions),
        titles=tuple(q["title"] for q in questions),
        categories=(Category.WEB,) * len(questions),
        metadata=tuple(metadata),
    )
    row_of = {item_id: row for row, item_id in enumerate(catalog.item_ids)}

    events_path = base / "events.csv.gz"
    rows = list(_read_rows(events_path, ("user_id", "item_id", "time_utc", "action")))
    user_ids = tuple(sorted({r["user_id"] for r in rows}))
    user_sites = tuple(_site_and_number(u, "user id", events_path)[0] for u in user_ids)
    user_of = {user: index for index, user in enumerate(user_ids)}
    items = []
    for r in rows:
        item = row_of.get(r["item_id"])
        if item is None:
            raise DatasetError(
                f"{events_path.name}: question {r['item_id']!r} is not in the catalog"
            )
        if (
            r["action"] not in ACTIONS
            or user_sites[user_of[r["user_id"]]] != r["item_id"].split(":")[0]
        ):
            raise DatasetError(f"{events_path.name}: event {r} is not a same-site ask or answer")
        items.append(item)
    events = Interactions(
        users=_frozen(np.array([user_of[r["user_id"]] for r in rows], dtype=np.int64)),
        items=_frozen(np.array(items, dtype=np.int64)),
        weights=_frozen(np.ones(len(rows), dtype=np.float32)),
        times=_frozen(_utc_seconds([r["time_utc"] for r in rows], events_path)),
        # Each event is its own visit, so next-visit training examples are one event each.
        baskets=_frozen(np.arange(len(rows), dtype=np.int64)),
    )
    answered = _frozen(np.array([r["action"] == "answered" for r in rows], dtype=np.bool_))
    return StackExchange(catalog, events, answered, user_ids, user_sites)


@dataclass(frozen=True, eq=False)
class CutoffSplit:
    """A split at one cut-off time per site: `split.train` is every event before its site's
    cut-off, `split.test` the questions users of the training period answered from then on."""

    split: Split
    cutoffs: dict[str, int]  # site -> cut-off (UTC seconds)
    event_rows: NDArray[np.int64]  # the training events' rows in the events given

    def moment(self, site: str) -> datetime:
        return datetime.fromtimestamp(self.cutoffs[site], tz=UTC)


def cutoff_split(
    events: Interactions,
    answered: NDArray[np.bool_],
    event_sites: NDArray[np.str_],
    *,
    fraction: float = HELD_OUT_FRACTION,
) -> CutoffSplit:
    """Split at each site's time quantile 1 - `fraction` of its events.

    One cut-off per site rather than one for all: the sites share no users or questions, and
    their dumps cover different years (coffee: five weeks of 2015, matheducators: seven weeks of
    2014), so a single date would put whole sites in training or in test. Test items are
    questions the user answers after the cut-off and had not asked or answered before it
    (nobody is recommended the question they will ask themselves); test users are those with
    at least one event before the cut-off.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be in (0, 1), got {fraction}")
    if events.times is None:
        raise ValueError("a cut-off split needs event times")
    if answered.shape != (len(events),) or event_sites.shape != (len(events),):
        raise ValueError("need one answered flag and one site per event")
    times = events.times
    before = np.zeros(len(events), dtype=np.bool_)
    cutoffs: dict[str, int] = {}
    for site in np.unique(event_sites).tolist():
        rows = event_sites == site
        cutoffs[site] = int(np.quantile(times[rows], 1.0 - fraction, method="lower")) + 1
        before |= rows & (times < cutoffs[site])
    n_items = int(events.items.max()) + 1 if len(events) else 1
    pair = events.users * n_items + events.items
    known_user = np.isin(events.users, events.users[before])
    test = ~before & answered & known_user & ~np.isin(pair, pair[before])
    split = Split(train=events.select(before), test=events.select(test))
    return CutoffSplit(split, cutoffs, np.flatnonzero(before))


def stackexchange_task(*, validation: bool = False) -> Task:
    """The web task: test at each site's cut-off, or (`validation`) at the validation cut-off
    inside the training period, where hyperparameters and relevance floors are chosen."""
    data = load_stackexchange()
    sites = np.array(data.user_sites)[data.events.users]
    outer = cutoff_split(data.events, data.answered, sites)
    rows = outer.event_rows
    inner = cutoff_split(outer.split.train, data.answered[rows], sites[rows])
    chosen = inner if validation else outer
    times = {int(user): chosen.moment(data.user_sites[user]) for user in chosen.split.test_users()}
    return Task(
        name=STACKEXCHANGE_TASK,
        category=Category.WEB,
        catalog=data.catalog,
        train=chosen.split.train,
        split=chosen.split,
        times=times,
        liked=np.ones(len(chosen.split.train), dtype=np.bool_),
        info=STACKEXCHANGE,
        validation=None if validation else inner.split,
    )
