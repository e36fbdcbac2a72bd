"""The local store: owner-only file, opt-in off by default, all-or-nothing imports without
duplicates, forgetting a category, rounds and their votes, the outbox with contributions, the
data-use log, and the upgrade of a store written before rounds."""

from __future__ import annotations

import dataclasses
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client_app.ranking import Recommendation, Reputation, contributions
from client_app.store import DataUse, EventPage, LocalStore, ShownItem, ShownList, StoreError
from client_app.store_schema import SCHEMA_VERSION
from recommenders.activity import ActivityEvent, Category, InvalidActivityError

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
V1_DUMP = Path(__file__).parent / "data" / "store_v1.sql"
V2_DUMP = Path(__file__).parent / "data" / "store_v2.sql"


def event(title: str, category: Category = Category.BOOKS, days: int = 0) -> ActivityEvent:
    return ActivityEvent(category, "goodreads", title, None, NOW - timedelta(days=days))


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "private" / "privrec.sqlite3")


def test_the_file_is_owner_only_and_every_category_starts_off(store: LocalStore) -> None:
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [(s.category, s.opted_in, s.events) for s in store.categories()] == [
        (c, False, 0) for c in Category
    ]
    store.set_opt_in("music", True)
    assert store.opted_in() == {Category.MUSIC}
    with pytest.raises(InvalidActivityError, match="unknown category"):
        store.set_opt_in("diary", True)


def test_adding_is_all_or_nothing_and_skips_duplicates(store: LocalStore) -> None:
    assert store.add_events([event("Dune"), event("Emma", days=1)], origin="goodreads").added == 2
    again = store.add_events([event("Dune"), event("Ulysses"), event("Ulysses")], origin="x")
    assert (again.added, again.duplicates) == (1, 1)
    with pytest.raises(StoreError, match="not an activity event"):
        store.add_events([event("Persuasion"), "not an event"], origin="x")  # type: ignore[list-item]
    titles = [stored.event.title for stored in store.events(["books"])]
    # Newest first (the last added first among equal times); nothing of the failed batch.
    assert titles == ["Ulysses", "Dune", "Emma"]
    assert store.events([]) == []


def test_events_reads_only_the_categories_asked_for(store: LocalStore) -> None:
    store.add_events([event("Dune"), event("So What", Category.MUSIC)], origin="x")
    assert [s.event.title for s in store.events(["music"])] == ["So What"]
    assert len(store.events(["music", "books"], limit=1)) == 1


def page_titles(page: EventPage) -> list[str]:
    return [stored.event.title for stored in page.events]


def test_pages_of_activity_newest_first_with_exact_boundaries(store: LocalStore) -> None:
    store.add_events([event(f"Book {day:02}", days=day) for day in range(7)], origin="x")
    store.add_events([event("So What", Category.MUSIC)], origin="x")
    first = store.event_page(["books"], offset=0, limit=3)
    assert (first.total, first.offset, first.limit) == (7, 0, 3)
    assert page_titles(first) == ["Book 00", "Book 01", "Book 02"]
    assert page_titles(store.event_page(["books"], offset=3, limit=3)) == [
        "Book 03",
        "Book 04",
        "Book 05",
    ]
    last = store.event_page(["books"], offset=6, limit=3)
    assert page_titles(last) == ["Book 06"] and last.total == 7
    beyond = store.event_page(["books"], offset=7, limit=3)
    assert beyond.events == () and beyond.total == 7
    # The category filter: music's event is on no page of books, and both can be asked for.
    assert store.event_page(["music", "books"], limit=500).total == 8
    assert store.event_page([], limit=5) == EventPage((), 0, 0, 5)


def test_a_search_is_literal_and_ignores_case(store: LocalStore) -> None:
    titles = [
        "100% Pure",
        "1000 Pure",
        "snake_case",
        "snakeXcase",
        "O'Brien's \"Quotes\"",
        "Émile Zola",
        "back\\slash",
    ]
    store.add_events([event(title, days=i) for i, title in enumerate(titles)], origin="x")

    def found(search: str) -> list[str]:
        return page_titles(store.event_page(["books"], search=search, limit=50))

    assert found("0%") == ["100% Pure"]  # not "anything, then 0"
    assert found("%") == ["100% Pure"]
    assert found("_") == ["snake_case"]  # not "any one character"
    assert found("e_c") == ["snake_case"]
    assert found("'") == ["O'Brien's \"Quotes\""]
    assert found('"quotes"') == ["O'Brien's \"Quotes\""]
    assert found("'; DROP TABLE activity_event; --") == []
    assert found("\\") == ["back\\slash"]
    assert found("émile") == found("ÉMILE") == ["Émile Zola"]
    assert found("  PURE ") == ["100% Pure", "1000 Pure"]  # trimmed, newest first
    assert len(found("")) == len(titles)
    searched = store.event_page(["books"], search="pure", offset=1, limit=1)
    assert page_titles(searched) == ["1000 Pure"] and searched.total == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"offset": -1}, "whole number from 0"),
        ({"offset": 1.5}, "whole number from 0"),
        ({"offset": "2"}, "whole number from 0"),
        ({"offset": True}, "whole number from 0"),
        ({"limit": 0}, "1 to 500"),
        ({"limit": 501}, "1 to 500"),
        ({"limit": None}, "1 to 500"),
        ({"search": "x" * 201}, "at most 200 characters"),
        ({"search": None}, "at most 200 characters"),
    ],
)
def test_a_bad_page_or_search_is_refused(
    store: LocalStore, arguments: dict[str, object], message: str
) -> None:
    store.add_events([event("Dune")], origin="x")
    with pytest.raises(StoreError, match=message):
        store.event_page(["books"], **arguments)  # type: ignore[arg-type]
    with pytest.raises(InvalidActivityError, match="unknown category"):
        store.event_page(["diary"])


def test_a_store_of_version_3_gets_folded_titles_and_the_paging_index(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    store = LocalStore(path)
    store.add_events([event("Émile"), event("Straße", days=1)], origin="x")
    store.close()
    with sqlite3.connect(path) as connection:  # as version 3 left it
        connection.execute("DROP INDEX ix_activity_event_newest")
        connection.execute("ALTER TABLE activity_event DROP COLUMN title_folded")
        connection.execute("PRAGMA user_version = 3")
    store = LocalStore(path)
    assert page_titles(store.event_page(["books"], search="émile")) == ["Émile"]
    assert page_titles(store.event_page(["books"], search="STRASSE")) == ["Straße"]
    store.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM activity_event WHERE category = 'books' "
            "ORDER BY time DESC, id DESC LIMIT 50"
        ).fetchall()
    assert "ix_activity_event_newest" in str(plan) and "TEMP B-TREE" not in str(plan)


def test_remove_and_forget(store: LocalStore) -> None:
    store.add_events([event("Dune"), event("Dune", days=3), event("So What", Category.MUSIC)], "x")
    store.set_opt_in("books", True)
    first = store.events(["books"])[0]
    assert store.remove_event(first.id) == first.event
    with pytest.raises(StoreError, match="no activity"):
        store.remove_event(first.id)
    assert store.forget_category("books") == ["Dune"]
    assert {s.category: s.events for s in store.categories()}[Category.BOOKS] == 0
    assert store.opted_in() == frozenset()
    assert [s.event.title for s in store.events(["music"])] == ["So What"]


def shown(impression_id: str, model: str, reputation: float, ids: str) -> ShownList:
    """A list of ``model`` ("developer/name") showing the items named by the letters of ``ids``."""
    label = f"{model.split('/')[1]}@1 by {model.split('/')[0]}"
    use = DataUse(NOW, "http://m", label, ("books",), 100, 200, impression_id, None)
    items = tuple(ShownItem("shop", item_id) for item_id in ids)
    return ShownList(impression_id, 1, model, label, reputation, items, use)


def add_round(store: LocalStore, round_id: str, *lists: ShownList, k: int = 3) -> None:
    store.add_round(
        round_id=round_id, market_url="http://m", epoch=0, blended_length=k, lists=lists
    )


def payloads(store: LocalStore) -> dict[str, dict[str, object]]:
    return {pending.impression_id: pending.payload for pending in store.pending_ratings()}


def test_a_vote_holds_in_every_list_of_its_round(store: LocalStore) -> None:
    add_round(
        store,
        "r1",
        shown("imp-a", "acme/shelf", 0.8, "xyz"),
        shown("imp-d", "beta/mix", 0.5, "wxv"),
    )
    add_round(store, "r2", shown("imp-later", "acme/shelf", 0.5, "xq"))
    store.set_vote("r1", ("shop", "x"), "like")  # from the blended list, say
    round_id, key = store.shown_item("imp-d", "w")  # from D's own list
    store.set_vote(round_id, key, "dislike")
    store.set_vote("r1", ("shop", "y"), "like")
    assert store.votes("imp-a") == {"x": "like", "y": "like"}
    assert store.votes("imp-d") == {"x": "like", "w": "dislike"}
    assert store.votes("imp-later") == {}  # the same item in another round: not voted
    assert store.round_votes("r1") == {
        ("shop", "x"): "like",
        ("shop", "y"): "like",
        ("shop", "w"): "dislike",
    }
    # Reputation counts a vote for every model that showed the item.
    assert store.reputations() == {
        "acme/shelf": Reputation(likes=2, dislikes=0),
        "beta/mix": Reputation(likes=1, dislikes=1),
    }
    store.set_vote("r1", ("shop", "y"), None)  # cleared
    assert store.votes("imp-a") == {"x": "like"}
    with pytest.raises(StoreError, match="not shown"):
        store.set_vote("r1", ("shop", "q"), "like")  # shown in r2, not in r1
    with pytest.raises(StoreError, match="not shown"):
        store.set_vote("r1", ("elsewhere", "x"), "like")  # same id, another catalog
    with pytest.raises(StoreError, match="not shown in this list"):
        store.shown_item("imp-a", "w")
    with pytest.raises(StoreError, match="no impression"):
        store.shown_item("imp-404", "x")
    with pytest.raises(StoreError, match="no round"):
        store.set_vote("r404", ("shop", "x"), "like")
    with pytest.raises(StoreError, match="'like' or 'dislike'"):
        store.set_vote("r1", ("shop", "x"), "love")  # type: ignore[arg-type]


def test_a_rounds_summaries_are_queued_together_with_contributions(store: LocalStore) -> None:
    # The hand-worked round of test_ranking: B = {x, w, y}; A (older) brought x and y, D w.
    a = shown("imp-a", "acme/shelf", 0.8, "xyz")
    d = shown("imp-d", "beta/mix", 0.5, "wxv")
    unrated = shown("imp-u", "gamma/far", 0.1, "pq")
    add_round(store, "r1", a, d, unrated)
    add_round(store, "r-unrated", shown("imp-n", "acme/shelf", 0.5, "xyz"))
    for item_id, vote in (("x", "like"), ("y", "like"), ("z", "like"), ("w", "dislike")):
        store.set_vote("r1", ("shop", item_id), vote)  # type: ignore[arg-type]
    lists = [(s.impression_id, s.reputation, list(as_recommendations(s))) for s in (a, d, unrated)]
    expected = contributions(lists, store.round_votes("r1"), k=3)
    assert expected == {"imp-a": 2, "imp-d": -1, "imp-u": 0}
    assert store.round_contributions("r1") == expected
    assert store.queue_unsent_summaries(share_items=False) == 2  # lists without a vote: none
    assert payloads(store) == {
        "imp-a": {
            "impression_id": "imp-a",
            "shown": 3,
            "liked": 3,
            "disliked": 0,
            "contribution": 2,
        },
        "imp-d": {
            "impression_id": "imp-d",
            "shown": 3,
            "liked": 1,
            "disliked": 1,
            "contribution": -1,
        },
    }
    assert (
        store.round("r1").submitted_at is not None and store.round("r-unrated").submitted_at is None
    )
    assert store.impression("imp-u").submitted_at is None
    # The round is closed: its contributions stay those that were sent.
    with pytest.raises(StoreError, match="already sent"):
        store.set_vote("r1", ("shop", "p"), "like")
    assert store.queue_unsent_summaries(share_items=False) == 0
    store.rating_postponed("imp-a", "down", timedelta(minutes=5))
    assert [p.impression_id for p in store.pending_ratings(due_only=True)] == ["imp-d"]
    store.rating_delivered("imp-a", 4)
    assert [use.paid_to_you for use in store.data_use() if use.impression_id == "imp-a"] == [4]
    assert store.impression("imp-a").attention_paid == 4


def as_recommendations(shown_list: ShownList) -> list[Recommendation]:
    return [
        Recommendation(item.item_id, item.source, item.item_id, "books", {}, 0.0, rank)
        for rank, item in enumerate(shown_list.items)
    ]


def test_summaries_are_delivered_round_by_round_in_the_order_of_the_lists(
    store: LocalStore,
) -> None:
    add_round(
        store, "r1", shown("imp-z", "acme/shelf", 0.5, "ab"), shown("imp-b", "beta/mix", 0.5, "bc")
    )
    add_round(store, "r2", shown("imp-a", "acme/shelf", 0.5, "d"))
    store.set_vote("r2", ("shop", "d"), "like")
    store.set_vote("r1", ("shop", "b"), "like")  # in both lists of r1
    assert store.queue_unsent_summaries(share_items=False) == 3
    assert [p.impression_id for p in store.pending_ratings()] == ["imp-z", "imp-b", "imp-a"]


def test_per_item_votes_and_a_refused_rating(store: LocalStore) -> None:
    add_round(store, "r1", shown("imp-1", "acme/shelf", 0.5, "abc"))
    store.set_vote("r1", ("shop", "c"), "like")
    store.set_vote("r1", ("shop", "a"), "dislike")
    store.queue_unsent_summaries(share_items=True)
    (pending,) = store.pending_ratings()
    # Alone in its round, a list brings its whole list into the blend: liked - disliked.
    assert pending.payload["contribution"] == 0
    assert pending.payload["items"] == [
        {"item_id": "a", "vote": "dislike"},
        {"item_id": "c", "vote": "like"},
    ]
    store.rating_refused("imp-1", "the rating window of this impression closed")
    assert store.pending_ratings() == []
    assert store.impression("imp-1").failure == "the rating window of this impression closed"


def test_again_items_count_as_shown_and_are_never_blended(store: LocalStore) -> None:
    # A's list: x, y new, then "again" items a1, a2 (already consumed, shown apart).
    a = shown("imp-a", "acme/shelf", 0.8, "xy")
    a = dataclasses.replace(
        a,
        items=(*a.items, ShownItem("shop", "a1", again=True), ShownItem("shop", "a2", again=True)),
    )
    d = shown("imp-d", "beta/mix", 0.5, "w")
    withheld = dataclasses.replace(shown("imp-f", "gamma/far", 0.5, ""), items=())  # fits nobody
    add_round(store, "r1", a, d, withheld, k=3)
    store.set_vote("r1", ("shop", "a1"), "like")
    store.set_vote("r1", ("shop", "w"), "like")
    with pytest.raises(StoreError, match="not shown"):
        store.set_vote("r1", ("shop", "z"), "like")
    # The blend of x, y and w holds w: D brought it; A's liked "again" item brought nothing.
    assert store.round_contributions("r1") == {"imp-a": 0, "imp-d": 1, "imp-f": 0}
    assert store.queue_unsent_summaries(share_items=False) == 2  # the withheld list: no vote
    sent = payloads(store)
    assert sent["imp-a"] == {
        "impression_id": "imp-a",
        "shown": 4,  # "again" items were displayed: they count as shown
        "liked": 1,
        "disliked": 0,
        "contribution": 0,
    }
    assert sent["imp-d"]["shown"] == 1 and "imp-f" not in sent


def test_a_vote_holds_for_the_same_title_from_another_catalog(store: LocalStore) -> None:
    dune = ShownItem("shop", "d1", title_key="books:dune")
    elsewhere = ShownItem("library", "d9", title_key="books:dune")
    a = dataclasses.replace(shown("imp-a", "acme/shelf", 0.5, "x"), items=(dune,))
    d = dataclasses.replace(shown("imp-d", "beta/mix", 0.5, "y"), items=(elsewhere,))
    add_round(store, "r1", a, d, k=1)
    store.set_vote("r1", dune.key, "like")  # in the blended list: one item, "Dune"
    assert store.votes("imp-d") == {"d9": "like"}
    assert store.round_contributions("r1") == {"imp-a": 1, "imp-d": 0}  # A proposed it first
    store.queue_unsent_summaries(share_items=False)
    assert {i: (p["liked"], p["contribution"]) for i, p in payloads(store).items()} == {
        "imp-a": (1, 1),
        "imp-d": (1, 0),
    }


def test_a_store_of_version_2_is_upgraded_with_its_rounds(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V2_DUMP.read_text())
    store = LocalStore(path)
    assert store.votes("imp-d") == {"x": "like", "w": "dislike"}
    assert store.round_contributions("r2") == {"imp-a": 1, "imp-d": -1}
    add_round(store, "r3", shown("imp-new", "acme/shelf", 0.5, "q"))  # the new columns work
    store.set_vote("r3", ("shop", "q"), "like")
    assert store.queue_unsent_summaries(share_items=False) == 3
    store.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert check.execute(
            "SELECT DISTINCT title_key, again FROM impression_item WHERE impression_id = 'imp-a'"
        ).fetchall() == [("", 0)]


def test_a_store_written_before_rounds_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V1_DUMP.read_text())
    store = LocalStore(path)
    # Everything the user had is still there.
    assert [stored.event.title for stored in store.events(["books"])] == ["Dune"]
    assert page_titles(store.event_page(["books"], search="dUNE")) == ["Dune"]
    assert store.opted_in() == {Category.BOOKS}
    assert store.get_setting("market_url") == "http://127.0.0.1:8000"
    assert [use.paid_to_you for use in store.data_use() if use.impression_id == "imp-sent"] == [3]
    assert store.impression("imp-sent").attention_paid == 3
    # The same reputations as the old app computed (it printed them when the dump was made).
    assert store.reputations() == {
        "acme/mix": Reputation(likes=1, dislikes=0),
        "acme/shelf": Reputation(likes=2, dislikes=1),
    }
    # A summary queued before the upgrade goes out as it was.
    assert payloads(store) == {
        "imp-queued": {"impression_id": "imp-queued", "shown": 2, "liked": 1, "disliked": 0}
    }
    # Each old list is a round of its own: votes stay where they were cast, and the rated,
    # unsent one is sent with its contribution (alone in its round: liked - disliked).
    assert store.votes("imp-rated") == {"x": "like", "y": "dislike"}
    with pytest.raises(StoreError, match="already sent"):
        store.set_vote(*store.shown_item("imp-sent", "b"), "like")
    store.set_vote(*store.shown_item("imp-unrated", "p"), "like")
    assert store.queue_unsent_summaries(share_items=False) == 2
    sent = payloads(store)
    assert sent["imp-rated"] == {
        "impression_id": "imp-rated",
        "shown": 3,
        "liked": 1,
        "disliked": 1,
        "contribution": 0,
    }
    assert sent["imp-unrated"]["contribution"] == 1
    store.close()
    # Stamped with the current version; opening it again changes nothing.
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        tables = {row[0] for row in check.execute("SELECT name FROM sqlite_master")}
    assert "vote" not in tables and "impression_v1" not in tables
    again = LocalStore(path)
    assert again.votes("imp-rated") == {"x": "like", "y": "dislike"}
    again.close()


def test_an_upgrade_that_fails_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "privrec.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V1_DUMP.read_text())
        old.execute(
            "UPDATE impression SET items_json = 'not json' WHERE impression_id = 'imp-sent'"
        )
    with pytest.raises(ValueError):
        LocalStore(path)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM vote").fetchone() == (4,)
        assert check.execute("SELECT count(*) FROM impression").fetchone() == (4,)
