"""The local store's history: every round's lists and votes, votes changed after sending (a
queued rating rewritten, a counted one given a vote change), and the upgrade from schema 3."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from client_app.store import LocalStore, ShownItem, StoreError
from client_app.store_schema import SCHEMA_VERSION
from tests.client_app.test_store import add_round, shown

V3_DUMP = Path(__file__).parent / "data" / "store_v3.sql"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    opened = LocalStore(tmp_path / "privrec.sqlite3")
    yield opened
    opened.close()


def sent_round(store: LocalStore) -> None:
    """Round r1: A shows x, y; D shows x, w. x liked, w disliked, both delivered in epoch 4."""
    add_round(
        store, "r1", shown("imp-a", "acme/shelf", 0.8, "xy"), shown("imp-d", "beta/mix", 0.5, "xw")
    )
    store.set_vote("r1", ("shop", "x"), "like")
    store.set_vote("r1", ("shop", "w"), "dislike")
    assert store.queue_unsent_summaries(share_items=False) == 2
    for impression in ("imp-a", "imp-d"):
        store.rating_delivered(impression, 2, epoch=4)


def test_a_counted_vote_changes_by_a_vote_change_of_the_lists_it_touches(
    store: LocalStore,
) -> None:
    sent_round(store)
    with pytest.raises(StoreError, match="already sent"):
        store.set_vote("r1", ("shop", "y"), "like")
    # y is only in A's list: A's summary changes, D's does not.
    assert store.change_vote("r1", ("shop", "y"), "dislike", share_items=False) == 1
    (pending,) = store.pending_ratings()
    assert pending.change and pending.impression_id == "imp-a"
    assert pending.payload == {"liked": 1, "disliked": 1, "contribution": 0}
    # Changed again before it was sent: the one queued change is rewritten.
    store.change_vote("r1", ("shop", "y"), "like", share_items=False)
    assert [p.payload["liked"] for p in store.pending_ratings()] == [2]
    store.vote_change_delivered("imp-a")
    assert store.pending_ratings() == []
    assert store.impression("imp-a").vote_changes == 1
    # Back to what the market counted now: nothing to tell it.
    store.change_vote("r1", ("shop", "y"), "dislike", share_items=False)
    assert store.change_vote("r1", ("shop", "y"), "like", share_items=False) == 0
    assert store.pending_ratings() == []


def test_a_change_shares_per_item_votes_exactly_when_its_rating_did(store: LocalStore) -> None:
    sent_round(store)  # sent without per-item votes
    store.change_vote("r1", ("shop", "w"), None, share_items=True)  # the setting changed since
    # Clearing D's only dislike leaves it a summary with no dislike; A's contribution is as
    # counted, so A has nothing to tell.
    (pending,) = store.pending_ratings()
    assert (pending.impression_id, pending.change) == ("imp-d", True)
    assert pending.payload == {"liked": 1, "disliked": 0, "contribution": 0}


def test_a_queued_rating_is_rewritten_and_an_unrated_list_gets_its_rating(
    store: LocalStore,
) -> None:
    add_round(
        store, "r1", shown("imp-a", "acme/shelf", 0.8, "xy"), shown("imp-d", "beta/mix", 0.5, "w")
    )
    store.set_vote("r1", ("shop", "x"), "like")
    store.queue_unsent_summaries(share_items=False)  # D had no vote: no rating for it
    assert store.change_vote("r1", ("shop", "x"), "dislike", share_items=False) == 1
    assert store.change_vote("r1", ("shop", "w"), "like", share_items=False) == 2
    queued = {p.impression_id: (p.change, p.payload) for p in store.pending_ratings()}
    assert queued == {
        "imp-a": (
            False,
            {"impression_id": "imp-a", "shown": 2, "liked": 0, "disliked": 1, "contribution": -1},
        ),
        "imp-d": (
            False,
            {"impression_id": "imp-d", "shown": 1, "liked": 1, "disliked": 0, "contribution": 1},
        ),
    }


def test_the_history_lists_rounds_newest_first_with_votes_and_where_each_stands(
    store: LocalStore,
) -> None:
    sent_round(store)
    store.change_vote("r1", ("shop", "y"), "dislike", share_items=False)
    store.vote_change_refused("imp-a", "the epoch this rating was counted in has been settled")
    later = shown("imp-l", "acme/shelf", 0.5, "q")
    titled = (ShownItem("shop", "q", "books:dune", title="Dune"),)
    add_round(store, "r2", later.__class__(**{**later.__dict__, "items": titled}))
    first, second = store.history()
    assert (first.round_id, first.submitted, first.epoch) == ("r2", False, 0)
    assert first.lists[0].items == ((titled[0], None),)
    assert first.lists[0].status == "unrated"
    assert (second.round_id, second.epoch) == ("r1", 4)  # counted in epoch 4
    a, d = second.lists
    assert [(item.item_id, vote) for item, vote in a.items] == [("x", "like"), ("y", "dislike")]
    assert (a.status, a.problem) == (
        "counted",
        "the epoch this rating was counted in has been settled",
    )
    assert (d.status, d.problem, d.model_label) == ("counted", None, "mix@1 by beta")
    assert store.history(limit=1)[0].round_id == "r2"


def test_a_vote_change_refuses_what_is_not_one(store: LocalStore) -> None:
    sent_round(store)
    with pytest.raises(StoreError, match="a vote is 'like' or 'dislike'"):
        store.change_vote("r1", ("shop", "x"), "meh", share_items=False)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="was not shown"):
        store.change_vote("r1", ("shop", "zz"), "like", share_items=False)
    with pytest.raises(StoreError, match="no round"):
        store.change_vote("r9", ("shop", "x"), "like", share_items=False)
    add_round(store, "r2", shown("imp-l", "acme/shelf", 0.5, "q"))
    with pytest.raises(StoreError, match="not sent yet"):
        store.change_vote("r2", ("shop", "q"), "like", share_items=False)
    assert store.pending_ratings() == []


def test_a_store_of_version_3_is_upgraded_and_its_rounds_show_in_the_history(
    tmp_path: Path,
) -> None:
    path = tmp_path / "privrec.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V3_DUMP.read_text())
    store = LocalStore(path)
    later, first = store.history()
    assert (later.round_id, first.round_id) == ("r2", "r1")
    assert first.lists[0].items[0][0].title == ""  # written before titles were kept
    assert first.lists[0].items[0][1] == "like"
    assert [row.status for row in first.lists] == ["counted", "queued"]
    # The rating delivered before the upgrade recorded no vote: a change is sent whatever it is.
    assert store.change_vote("r1", ("shop", "z"), "dislike", share_items=False) == 2
    pending = {p.impression_id: p for p in store.pending_ratings()}
    assert pending["imp-a"].change and not pending["imp-d"].change
    assert pending["imp-d"].payload["impression_id"] == "imp-d"  # still the queued rating
    store.close()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        row = check.execute(
            "SELECT model_description, vote_changes, rated_epoch FROM impression "
            "WHERE impression_id = 'imp-a'"
        ).fetchone()
    assert row == ("", 0, None)
    again = LocalStore(path)  # opening it again changes nothing
    assert json.dumps(again.pending_ratings()[0].payload)
    again.close()
