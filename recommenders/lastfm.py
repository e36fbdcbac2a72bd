"""Music data: Last.fm artists and play counts (HetRec 2011, NON-COMMERCIAL) with their
evaluation task, and one ListenBrainz user's listens (CC0) as the demo user's music activity.

Only reads `recommenders/data/`; see `recommenders/data/LICENSES.md` for the licences.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np
import torch

from recommenders import bundle
from recommenders.activity import ActivityEvent, Category, InvalidActivityError
from recommenders.built_model import FLOOR_QUANTILE, BuiltModel, relevance_floor
from recommenders.datasets import (
    DATA_DIR,
    Catalog,
    DatasetError,
    Interactions,
    _frozen,
    _int_column,
    _read_rows,
    _utc_seconds,
    random_holdout_split,
)
from recommenders.embeddings import Embedder
from recommenders.features import track_title
from recommenders.model_kinds import content_model, ease_score_factors, train_two_tower
from recommenders.tasks import BOOKS_EVENT_TIME, Task
from recommenders.tower import load_tower
from recommenders.training_examples import FeatureBuilder, TitleTable, books_examples

# Not "lastfm", the source of the app's Last.fm scrobble imports: their ids are track MBIDs,
# so such plays must match this catalog by title (the artist), never by id.
LASTFM_SOURCE = "lastfm-hetrec"
LISTENBRAINZ_SOURCE = "listenbrainz"
LASTFM_DATASET = "lastfm"
LINK_FIELD = "url"
LISTENERS_FIELD = "listeners"
LASTFM = bundle.CatalogInfo(
    source=LASTFM_SOURCE,
    description="Artists on Last.fm",
    region="worldwide (1,892 Last.fm users)",
    # The HetRec users' play counts were collected up to its release in May 2011.
    period="up to 2011",
    licence="HetRec 2011 Last.fm dataset licence: NON-COMMERCIAL use only",
    licence_url="https://grouplens.org/datasets/hetrec-2011/",
    attribution=(
        "Last.fm (www.last.fm); hetrec2011-lastfm-2k, Cantador, Brusilovsky and Kuflik, "
        "HetRec 2011 workshop at RecSys 2011. Made available for non-commercial use."
    ),
    non_commercial=True,
    # A play is "Artist — Track": it counts for its artist.
    match="artist",
    display=(bundle.DisplayField(LISTENERS_FIELD, "listeners among 1,892 Last.fm users"),),
    link_field=LINK_FIELD,
)
_HTTPS = "https://"
NON_COMMERCIAL_NOTE = (
    "Its catalog comes from the HetRec 2011 Last.fm dataset: NON-COMMERCIAL use only."
)
# Picked on the validation split (benchmarks/music_tuning.py), never on test.
TWO_TOWER_DIM = 64  # the largest that keeps the bundle under ~5 MB with 6,953 artists
TWO_TOWER_L2 = 70.0
TWO_TOWER_EPOCHS = 1
TWO_TOWER_RESAMPLES = 1
CONTENT_DIM = 64
# The relevance floor is this quantile of the best score validation users get. The two-tower
# keeps the usual 1%: 99% of validation users and the demo listener pass it, no profile of
# books or purchases read as music does (their catalog history matches nothing). The content
# model compares title embeddings only: device plays are titled "Artist — Track" and score a
# little lower than the validation users' bare artist names (the demo listener falls at their
# 0.5% quantile), so its floor is the lowest validation user's best: every real listener
# passes, 99% of purchase profiles do not; book titles it cannot tell from artist names
# (benchmarks/music_tuning.py prints all of this).
FLOOR_QUANTILES = {"two-tower": FLOOR_QUANTILE, "content": 0.0}
# Plays weigh 1 + ln(plays) per artist (and per title in the profile), in training and, declared
# in the music models' manifests, on the device, where they arrive one by one.
MUSIC_AGGREGATION = "log-plays"


@dataclass(frozen=True, eq=False)
class LastFm:
    """Artists (item id = HetRec artist id) and user-artist plays; weight = the play count
    (which the music tasks' aggregation, MUSIC_AGGREGATION, turns into 1 + ln(plays))."""

    catalog: Catalog
    plays: Interactions


@functools.cache
def load_lastfm(data_dir: Path = DATA_DIR) -> LastFm:
    """Load the bundled Last.fm slice (1,885 users, 6,953 artists, 82,155 user-artist counts)."""
    base = data_dir / "lastfm"
    artists_path = base / "artists.csv.gz"
    artists = list(_read_rows(artists_path, ("artist_id", "name", "url", LISTENERS_FIELD)))
    for line, artist in enumerate(artists, start=2):
        if not artist["name"].strip():
            raise DatasetError(f"{artists_path.name} line {line}: the artist has no name")
        if not artist["url"].startswith(_HTTPS) or any(c.isspace() for c in artist["url"]):
            raise DatasetError(f"{artists_path.name} line {line}: url must be an https link")
    listeners = _int_column([a[LISTENERS_FIELD] for a in artists], artists_path, LISTENERS_FIELD)
    if listeners.size and int(listeners.min()) < 1:
        raise DatasetError(f"{artists_path.name}: every artist needs at least one listener")
    ids = _int_column([a["artist_id"] for a in artists], artists_path, "artist_id")
    catalog = Catalog(
        source=LASTFM_SOURCE,
        item_ids=tuple(str(i) for i in ids.tolist()),
        titles=tuple(a["name"].strip() for a in artists),
        categories=(Category.MUSIC,) * len(artists),
        metadata=tuple(
            MappingProxyType({LINK_FIELD: a["url"], LISTENERS_FIELD: str(n)})
            for a, n in zip(artists, listeners.tolist(), strict=True)
        ),
    )

    plays_path = base / "plays.csv.gz"
    rows = list(_read_rows(plays_path, ("user_id", "artist_id", "plays")))
    row_of = {item_id: row for row, item_id in enumerate(catalog.item_ids)}
    artist_ids = _int_column([r["artist_id"] for r in rows], plays_path, "artist_id")
    try:
        items = np.array([row_of[str(i)] for i in artist_ids.tolist()], dtype=np.int64)
    except KeyError as exc:
        raise DatasetError(
            f"{plays_path.name} refers to artist {exc.args[0]} not in artists"
        ) from exc
    users = _int_column([r["user_id"] for r in rows], plays_path, "user_id")
    counts = _int_column([r["plays"] for r in rows], plays_path, "plays")
    if counts.size and int(counts.min()) < 1:
        raise DatasetError(f"{plays_path.name}: play counts must be positive")
    if np.unique(np.c_[users, items], axis=0).shape[0] != len(rows):
        raise DatasetError(f"{plays_path.name}: a user-artist pair is listed twice")
    plays = Interactions(
        users=_frozen(users),
        items=_frozen(items),
        # The counts themselves: MUSIC_AGGREGATION makes a fan's 10,000 plays weigh
        # 1 + ln(10,000), as the device does with 10,000 imported plays.
        weights=_frozen(counts.astype(np.float32)),
    )
    return LastFm(catalog=catalog, plays=plays)


def lastfm_task(seed: int = 0, *, validation: bool = False) -> Task:
    """Last.fm split once: per user, a seeded 20% of the artists is the test set, and a
    seeded 20% of the remaining ones is the validation set (hyperparameters are picked there).
    With ``validation``, the validation stage (:meth:`Task.validation_task`).

    There are no timestamps: every event is dated BOOKS_EVENT_TIME, so recency weighs nothing.
    """
    data = load_lastfm()
    rng = np.random.default_rng(seed)
    # Every listened artist is a positive, whatever its play count.
    split = random_holdout_split(data.plays, rng, min_rating=0.0)
    held = random_holdout_split(split.train, rng, min_rating=0.0)
    task = Task(
        name=LASTFM_DATASET,
        category=Category.MUSIC,
        catalog=data.catalog,
        train=split.train,
        split=split,
        times=dict.fromkeys((int(u) for u in split.test_users()), BOOKS_EVENT_TIME),
        liked=np.ones(len(split.train), dtype=np.bool_),
        info=LASTFM,
        validation=held,
        aggregation=MUSIC_AGGREGATION,
    )
    return task.validation_task() if validation else task


@functools.cache
def _listens(data_dir: Path) -> tuple[ActivityEvent, ...]:
    path = data_dir / "listenbrainz" / "listens.csv.gz"
    rows = list(_read_rows(path, ("listened_at_utc", "artist", "track")))
    times = _utc_seconds([r["listened_at_utc"] for r in rows], path)
    events = []
    for line, (row, time) in enumerate(zip(rows, times.tolist(), strict=True), start=2):
        try:
            events.append(
                ActivityEvent(
                    category=Category.MUSIC,
                    source=LISTENBRAINZ_SOURCE,
                    title=track_title(row["artist"], row["track"]),
                    external_id=None,
                    time=datetime.fromtimestamp(time, tz=UTC),
                )
            )
        except InvalidActivityError as exc:
            raise DatasetError(f"{path.name} line {line}: {exc}") from exc
    return tuple(sorted(events, key=lambda e: e.time))


def listenbrainz_events(data_dir: Path = DATA_DIR) -> list[ActivityEvent]:
    """The demo user's 1,090 ListenBrainz listens (April-August 2026) as music events,
    oldest first, titled "Artist — Track" like the app's music imports; each weighs 1."""
    return list(_listens(data_dir))


def build_music_model(
    name: str,
    kind: str,
    task: Task,
    embedder: Embedder,
    *,
    seed: int = 0,
    progress: bool = True,
) -> BuiltModel:
    """A music reference model over the Last.fm artists: "two-tower" (play history and
    profile) or "content" (artist names only: the shipped data has no per-artist tags).

    Both may show artists the user already plays, apart, as "again" (people replay artists),
    say their data is NON-COMMERCIAL, and carry a relevance floor set on validation users.
    """
    table = TitleTable(list(task.catalog.titles), embedder)
    if kind == "two-tower":
        built = train_two_tower(
            task,
            table,
            name=name,
            dim=TWO_TOWER_DIM,
            l2=TWO_TOWER_L2,
            epochs=TWO_TOWER_EPOCHS,
            seed=seed,
            progress=progress,
            examples=lambda features, rng: books_examples(
                task, features, rng, resamples=TWO_TOWER_RESAMPLES
            ),
            warm_start=ease_score_factors,
        )
    elif kind == "content":
        built = content_model(task, table, name=name, dim=CONTENT_DIM)
        note = "Artists are known by name only: the shipped data has no per-artist tags."
        manifest = dataclasses.replace(
            built.manifest, description=f"{built.manifest.description} {note}"
        )
        built = dataclasses.replace(built, manifest=manifest)
    else:
        raise ValueError(f"no music model of kind {kind!r}")
    manifest = dataclasses.replace(
        built.manifest,
        description=f"{built.manifest.description} {NON_COMMERCIAL_NOTE}",
        policy="new-and-again",
        relevance_floor=validation_floor(
            built, task.validation_task(), table, quantile=FLOOR_QUANTILES[kind]
        ),
    )
    return dataclasses.replace(built, manifest=manifest)


def validation_user_vectors(built: BuiltModel, tuning: Task, table: TitleTable) -> np.ndarray:
    """The tower outputs of ``tuning``'s test users (validation users, when ``tuning`` is a
    Task.validation_task), from their training history, as the device computes them."""
    reads_history = any(block.kind == "catalog_history" for block in built.manifest.inputs)
    features = FeatureBuilder(tuning, table, history=reads_history)
    rows = features.test_rows(tuning.split.test_users())
    tower = load_tower(built.manifest, built.tower)
    with torch.no_grad():
        vectors: np.ndarray = tower(torch.from_numpy(rows.toarray())).numpy()
    return vectors


def validation_floor(
    built: BuiltModel, tuning: Task, table: TitleTable, *, quantile: float = FLOOR_QUANTILE
) -> float:
    """The model's relevance floor: the ``quantile`` of the best score validation users get
    (built_model.relevance_floor)."""
    vectors = validation_user_vectors(built, tuning, table)
    return relevance_floor(vectors, built.items, quantile=quantile)
