"""Useful lists against a real market: nothing consumed passes as new (by id, title, artist
or web address), "again" items apart, each item once in the blend, a reason, a link and
details for every item, the relevance floor, and the categories no model reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest

from client_app.developer import DeveloperClient
from client_app.lists import Picked, details, link, pick
from client_app.rounds import ModelList, RecommendationRound
from client_app.sdk import PrivrecClient
from recommenders.activity import ActivityEvent, Category
from recommenders.bundle import (
    Catalog,
    CatalogInfo,
    CatalogItem,
    DisplayField,
    InvalidBundle,
    pack_bundle,
    parse_catalog,
    save_bundle,
)
from recommenders.features import PROFILE_DIM
from recommenders.reference import shipped_bundle
from tests.factories import bundle_parts
from tests.live_server import LiveServer, worker_port
from tests.recommenders.conftest import FakeEmbedder

MARKET_KEY = "5d" * 32
PORT = worker_port(18660)  # this helper's own loopback ports: 18660-18669
ITEMS = 12
NOW = datetime.now(UTC)
QUESTIONS = "https://stackoverflow.com/questions/"
REFERENCE = "books-popular"
LASTFM = "https://www.last.fm/music/"

BOOKS = [
    "Dune", "Emma", "Ulysses", "Beloved", "Dracula", "Middlemarch", "Persuasion", "Rebecca",
    "Walden", "Hamlet", "Othello", "Frankenstein",
]  # fmt: skip
ARTISTS = [
    "Molchat Doma", "Kino", "Björk", "Radiohead", "Nina Simone", "Massive Attack", "Portishead",
    "Sade", "Can", "Air", "Low", "Suicide",
]  # fmt: skip
PLACES = [  # (name, lat, lon): real places of central Helsinki
    ("Kiasma", 60.1718, 24.9367), ("Ateneum", 60.1700, 24.9441), ("Oodi", 60.1736, 24.9381),
    ("Musiikkitalo", 60.1744, 24.9343), ("Kansallisteatteri", 60.1717, 24.9439),
    ("Vanha kirkkopuisto", 60.1676, 24.9398), ("Kauppatori", 60.1675, 24.9525),
    ("Senaatintori", 60.1694, 24.9522), ("Temppeliaukion kirkko", 60.1730, 24.9253),
    ("Sinebrychoffin puisto", 60.1606, 24.9334), ("Kaivopuisto", 60.1569, 24.9560),
    ("Linnanmäki", 60.1879, 24.9408),
]  # fmt: skip


def rows(titles: Sequence[str], category: str, metadata: Any) -> list[CatalogItem]:
    return [
        CatalogItem(item_id=f"{category[:2]}-{i}", title=title, category=category, metadata=m)
        for i, (title, m) in enumerate(zip(titles, metadata, strict=True))
    ]


@dataclass(frozen=True)
class Spec:
    name: str
    category: str
    info: CatalogInfo
    items: list[CatalogItem]
    policy: str = "new-only"
    floor: float | None = None
    seed: int = 0


def book_rows(titles: Sequence[str], site: str) -> list[CatalogItem]:
    meta = [
        {"authors": f"Author {i}\x07 of a long name " * 5, "year": 1800 + i, "link": f"{site}{i}"}
        for i in range(ITEMS)
    ]
    return rows(titles, "books", meta)


SHELF_INFO = CatalogInfo(
    source="goodreads",
    description="Classic books on Goodreads",
    licence="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    display=(DisplayField("authors", "by"), DisplayField("year", "published")),
    link_field="link",
)
SPECS = {
    spec.name: spec
    for spec in (
        Spec(
            "shelf", "books", SHELF_INFO, book_rows(BOOKS, "https://www.goodreads.com/book/show/")
        ),
        # Another catalog of the same books (but Ivanhoe for Ulysses), under its own ids.
        Spec(
            "library",
            "books",
            CatalogInfo(source="library", link_field="link"),
            book_rows([*BOOKS[:2], "Ivanhoe", *BOOKS[3:]], "https://library.example.org/b/"),
            seed=1,
        ),
        Spec(
            "tunes",
            "music",
            CatalogInfo(source="lastfm", match="artist", link_field="link", non_commercial=True),
            rows(ARTISTS, "music", [{"link": f"{LASTFM}{quote(a)}"} for a in ARTISTS]),
            policy="new-and-again",
            seed=2,
        ),
        Spec(
            "pages",
            "web",
            CatalogInfo(source="stackexchange", match="url", link_field="link"),
            rows(
                [f"How do I fix error {i}?" for i in range(ITEMS)],
                "web",
                [{"link": f"{QUESTIONS}{100 + i}"} for i in range(ITEMS)],
            ),
            seed=3,
        ),
        Spec(
            "spots",
            "places",
            CatalogInfo(source="osm", link_field="link"),
            rows(
                [name for name, _, _ in PLACES],
                "places",
                [
                    {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "link": f"https://osm.org/node/{i}"}
                    for i, (_, lat, lon) in enumerate(PLACES)
                ],
            ),
            seed=4,
        ),
        Spec("fussy", "books", SHELF_INFO, book_rows(BOOKS, "https://g.example/"), floor=1e9),
    )
}


def deploy(developer: DeveloperClient, spec: Spec, workdir: Path) -> int:
    parts = bundle_parts(
        n=ITEMS, d=8, profile_size=PROFILE_DIM, categories=(spec.category,), name=spec.name,
        seed=spec.seed, source=spec.info.source,
    )  # fmt: skip
    manifest = dataclasses.replace(
        parts.manifest, catalog=spec.info, policy=spec.policy, relevance_floor=spec.floor
    )
    bundle = save_bundle(
        workdir / spec.name,
        manifest=manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=Catalog.from_items(spec.items),
    )
    deployment = developer.deploy(pack_bundle(bundle), stake=50, bid=0)
    assert developer.wait_until_settled(deployment.id).status == "live"
    return deployment.id


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("market")
    server = LiveServer(
        data_dir=data,
        database_url=f"sqlite:///{data / 'market.sqlite3'}",
        market_key=MARKET_KEY,
        port=PORT,
    )
    with server:
        developer = DeveloperClient(server.url)
        try:
            developer.sign_up("list-lab")
            developer.faucet()
            for spec in SPECS.values():
                deploy(developer, spec, data)
            # A real reference model too: its shipped catalog has a link for every item.
            shipped = developer.deploy(shipped_bundle(REFERENCE).read_bytes(), stake=50, bid=0)
            assert developer.wait_until_settled(shipped.id).status == "live"
        finally:
            developer.close()
        yield server.url


def event(category: Category, title: str, source: str, external_id: str | None = None):
    return ActivityEvent(category, source, title, external_id, NOW - timedelta(days=1))


HISTORY = [
    # Books: Ulysses by its Goodreads id (its title differs), Dune and Emma by title.
    event(Category.BOOKS, "Ulysses (Penguin Classics)", "goodreads", "bo-2"),
    event(Category.BOOKS, "dune", "kindle"),
    event(Category.BOOKS, "EMMA!", "kindle"),
    # Music: two plays of Molchat Doma and one of Kino, by artist.
    event(Category.MUSIC, "Molchat Doma — Клетка", "spotify"),
    event(Category.MUSIC, "Molchat Doma — Судно", "spotify"),
    event(Category.MUSIC, "Kino — Кукушка", "spotify"),
    # Web: two questions visited, by their address.
    event(Category.WEB, "Why? - Stack Overflow", "firefox", f"{QUESTIONS}103/why?tab=votes#a1"),
    event(Category.WEB, "Again - Stack Overflow", "firefox", "https://www.StackOverflow.com/questions/105/"),
    # Places: Kiasma visited (Oodi is 200 m away).
    event(Category.PLACES, "Kiasma", "takeout"),
    # Purchases: opted in, but no model reads them.
    event(Category.PURCHASES, "Kettle", "amazon"),
]  # fmt: skip
CONSUMED = {
    "shelf": {"Dune", "Emma", "Ulysses"},
    "library": {"Dune", "Emma"},
    "tunes": {"Molchat Doma", "Kino"},
    "pages": {"How do I fix error 3?", "How do I fix error 5?"},
    "spots": {"Kiasma"},
    "fussy": {"Dune", "Emma", "Ulysses"},
}
VERB = {"books": "read", "music": "played", "web": "read", "places": "visited"}


@pytest.fixture(scope="module")
def round_and_client(
    market: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RecommendationRound, PrivrecClient]]:
    # Persuasion's title is near Emma's (the other titles embed at random).
    embedder = FakeEmbedder({"EMMA!": [1.0, 0.0], "Persuasion": [1.0, 0.2]})
    client = PrivrecClient(tmp_path_factory.mktemp("app"), market_url=market, embedder=embedder)
    client.create_identity()
    client.store.add_events(HISTORY, origin="test")
    for category in Category:
        client.set_opt_in(category, True)
    client.faucet()
    client.fund_budget(10)
    yield client.refresh(), client
    client.close()


def lists_by_name(round_: RecommendationRound) -> dict[str, ModelList]:
    return {entry.model.name: entry for entry in round_.lists}


def test_nothing_consumed_passes_as_new(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, _ = round_and_client
    lists = lists_by_name(round_)
    assert set(lists) == {*SPECS, REFERENCE}
    for name, entry in lists.items():
        if not entry.fits or name == REFERENCE:
            continue
        titles = [item.title for item in entry.items]
        # Masked before the top 10 of 12 is taken: the list is the rest, none consumed.
        assert not CONSUMED[name] & set(titles), name
        assert len(titles) == min(10, ITEMS - len(CONSUMED[name])), name
        assert not any(item.again for item in entry.items)
    blended = {b.item.title for b in round_.blended}
    assert not blended & {"Dune", "Emma", "Ulysses", "Molchat Doma", "Kino", "Kiasma"}


def test_again_items_only_for_a_new_and_again_model(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, _ = round_and_client
    lists = lists_by_name(round_)
    tunes = lists["tunes"]
    assert tunes.policy == "new-and-again"
    assert {item.title for item in tunes.again_items} == {"Molchat Doma", "Kino"}
    assert all(item.again for item in tunes.again_items)
    reasons = {item.title: item.reason for item in tunes.again_items}
    assert reasons == {"Molchat Doma": "you played it 2 times", "Kino": "you played it before"}
    for name, entry in lists.items():
        if name != "tunes":
            assert entry.policy == "new-only" and entry.again_items == ()
    # Never blended as new.
    again = {(i.source, i.item_id) for i in tunes.again_items}
    assert not again & {key for b in round_.blended for key in b.members}


def test_the_blended_list_holds_each_item_once(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, _ = round_and_client
    keys = [b.item.title_key for b in round_.blended]
    assert len(keys) == len(set(keys)) == len(round_.blended)
    # Shelf and library list the same books under their own ids: their shared titles are one
    # item each, proposed by both.
    both = [b for b in round_.blended if {s for s, _ in b.members} == {"goodreads", "library"}]
    assert both and all(len(b.models) == 2 for b in both)


def test_every_item_has_a_reason_a_link_and_details(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, _ = round_and_client
    lists = lists_by_name(round_)
    for name, entry in lists.items():
        for item in entry.items:
            assert item.reason is not None and item.reason.startswith(
                f"because you {VERB[item.category]} "
            ), (name, item.reason)
            assert item.link is not None and item.link.startswith("https://"), (name, item.link)
        for item in entry.again_items:
            assert item.link is not None
    # The shipped reference model: Goodreads links, authors and years for people.
    reference = lists[REFERENCE].items
    assert len(reference) == 10
    for item in reference:
        assert item.link is not None and item.link.startswith("https://www.goodreads.com/book/")
        assert [label for label, _ in item.details] == ["by", "first published"]
    shelf = lists["shelf"]
    assert shelf.catalog == SHELF_INFO
    persuasion = next(item for item in shelf.items if item.title == "Persuasion")
    assert persuasion.reason == "because you read EMMA!"
    label, value = persuasion.details[0]
    assert label == "by" and len(value) <= 80 and value.endswith("…") and "\x07" not in value
    assert persuasion.details[1] == ("published", "1806")
    assert persuasion.link == "https://www.goodreads.com/book/show/6"
    # A place is explained by the nearest place visited, with its distance.
    oodi = next(item for item in lists["spots"].items if item.title == "Oodi")
    assert oodi.reason == "because you visited Kiasma (210 m away)"
    # Reasons come from the categories the model read only.
    pages = {item.reason for item in lists["pages"].items}
    assert pages <= {f"because you read {t} - Stack Overflow" for t in ("Why?", "Again")}


def test_a_list_below_its_relevance_floor_is_withheld_and_shows_nothing(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, client = round_and_client
    fussy = lists_by_name(round_)["fussy"]
    assert (fussy.fits, fussy.items, fussy.again_items) == (False, (), ())
    assert client.votes(fussy.impression_id) == {}
    with pytest.raises(Exception, match="not shown"):
        client.rate(fussy.impression_id, "bo-4", "like")


def test_summaries_count_again_items_as_shown_and_the_market_accepts_them(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, client = round_and_client
    lists = lists_by_name(round_)
    tunes = lists["tunes"]
    client.rate(tunes.impression_id, tunes.again_items[0].item_id, "like")
    client.rate_in_round(round_.round_id, round_.blended[0].key, "like")
    client.store.queue_unsent_summaries(share_items=False)
    sent = {p.impression_id: p.payload for p in client.pending_ratings()}
    assert sent[tunes.impression_id]["shown"] == len(tunes.items) + len(tunes.again_items)
    assert lists["fussy"].impression_id not in sent  # nothing shown, nothing to rate
    result = client.flush_outbox(force=True)
    assert (result.delivered, result.refused, result.error) == (len(sent), 0, None)


def test_coverage_and_uncovered_categories(
    round_and_client: tuple[RecommendationRound, PrivrecClient],
) -> None:
    round_, client = round_and_client
    assert client.coverage() == {"web": 1, "music": 1, "purchases": 0, "books": 4, "places": 1}
    assert round_.uncovered == ("purchases",)


def test_a_bundle_with_a_javascript_link_is_refused() -> None:
    parts = bundle_parts(n=2)
    manifest = dataclasses.replace(
        parts.manifest, catalog=CatalogInfo(source="shop", link_field="link")
    )
    bad = Catalog.from_items(
        CatalogItem(f"item-{i}", f"Item {i}", "books", {"link": "javascript:alert(1)"})
        for i in range(2)
    )
    with pytest.raises(InvalidBundle, match="not an http"):
        parse_catalog(bad.to_csv(), manifest)
    # And the device checks again before it offers a link to open.
    assert link({"link": "javascript:alert(1)"}, "link") is None
    assert link({"link": "https://example.org/a"}, "link") == "https://example.org/a"
    assert link({"link": "https://example.org/a"}, None) is None
    # Display values are text or numbers; anything else is left out.
    fields = [DisplayField("by", "by"), DisplayField("n", "n"), DisplayField("y", "year")]
    assert details({"by": ["a list"], "n": True, "y": 3}, fields) == (("year", "3"),)


def test_pick_masks_consumed_rows_keeps_again_apart_and_applies_the_floor() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.7, 0.1, 0.05])
    new = pick(scores, {0, 4}, k=3, policy="new-only", floor=None)
    assert (new.rows, new.again_rows, new.fits) == ((1, 2, 3), (), True)  # tie: lower row first
    again = pick(scores, {0, 4}, k=3, policy="new-and-again", floor=0.8)
    assert (again.rows, again.again_rows, again.again_scores) == ((1, 2, 3), (0, 4), (0.9, 0.1))
    assert pick(scores, {0}, k=3, policy="new-and-again", floor=0.91) == Picked(
        (), (), (), (), fits=False
    )
    # The floor is set on the best score of all items (what real users get), consumed or not.
    assert pick(scores, {0}, k=3, policy="new-only", floor=0.85).rows == (1, 2, 3)
    everything = pick(scores, range(6), k=3, policy="new-only", floor=0.0)
    assert (everything.rows, everything.fits) == ((), True)
    # A market set to one-item lists gets at most one "again" item too.
    short = pick(scores, {0, 4}, k=1, policy="new-and-again", floor=None)
    assert (short.rows, short.again_rows) == ((1,), (0,))
