"""The local store: owner-only file, opt-in off by default, all-or-nothing imports without
duplicates, forgetting a category, votes, the outbox and the data-use log; and the blend."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from client_app.ranking import Recommendation, Reputation, blend
from client_app.store import DataUse, LocalStore, StoreError
from recommenders.activity import ActivityEvent, Category, InvalidActivityError

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


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


def add_impression(store: LocalStore, impression_id: str = "imp-1") -> None:
    use = DataUse(NOW, "http://m", "shelf@1 by acme", ("books",), 100, 200, impression_id, None)
    store.add_impression(
        impression_id=impression_id,
        market_url="http://m",
        model_id=1,
        model_key="acme/shelf",
        model_label="shelf@1 by acme",
        epoch=0,
        item_ids=["a", "b", "c"],
        use=use,
    )


def test_votes_become_one_queued_summary_and_reputation(store: LocalStore) -> None:
    add_impression(store)
    add_impression(store, "imp-unrated")
    store.set_vote("imp-1", "a", "like")
    store.set_vote("imp-1", "b", "dislike")
    with pytest.raises(StoreError, match="no impression"):
        store.set_vote("imp-404", "a", "like")
    assert store.queue_unsent_summaries(share_items=False) == 1  # unrated lists are not sent
    (pending,) = store.pending_ratings()
    assert pending.payload == {
        "impression_id": "imp-1",
        "shown": 3,
        "liked": 1,
        "disliked": 1,
        "contribution": 0,
    }
    assert store.queue_unsent_summaries(share_items=False) == 0
    store.rating_postponed("imp-1", "down", timedelta(minutes=5))
    assert store.pending_ratings(due_only=True) == []
    store.rating_delivered("imp-1", 4)
    assert store.pending_ratings() == []
    assert [use.paid_to_you for use in store.data_use()] == [None, 4]
    assert store.reputations() == {"acme/shelf": Reputation(likes=1, dislikes=1)}
    assert store.impression("imp-1").attention_paid == 4


def test_a_refused_rating_leaves_the_queue_with_its_reason(store: LocalStore) -> None:
    add_impression(store)
    store.set_vote("imp-1", "c", "like")
    store.queue_unsent_summaries(share_items=True)
    assert store.pending_ratings()[0].payload["items"] == [{"item_id": "c", "vote": "like"}]
    store.rating_refused("imp-1", "the rating window of this impression closed")
    assert store.pending_ratings() == []
    assert store.impression("imp-1").failure == "the rating window of this impression closed"


def item(item_id: str, rank: int, source: str = "shop") -> Recommendation:
    return Recommendation(item_id, source, item_id.upper(), "purchases", {}, 1.0 - rank, rank)


def test_blend_weighs_ranks_by_reputation_and_merges_the_same_item() -> None:
    trusted = ("trusted", Reputation(9, 1).score, [item("a", 0), item("b", 1)])
    doubtful = ("doubtful", Reputation(0, 8).score, [item("c", 0), item("a", 1)])
    other_shop = ("other", 0.5, [item("a", 0, source="elsewhere")])
    blended = blend([trusted, doubtful, other_shop], k=3)
    assert [(b.item.source, b.item.item_id) for b in blended] == [
        ("shop", "a"),
        ("elsewhere", "a"),
        ("shop", "b"),
    ]
    assert blended[0].models == ("trusted", "doubtful")
    assert blended[0].score == pytest.approx(10 / 12 + 0.1 / 2)
    with pytest.raises(ValueError, match="k must be"):
        blend([trusted], k=0)
    with pytest.raises(ValueError, match="reputation"):
        blend([("bad", 1.5, [])], k=1)
