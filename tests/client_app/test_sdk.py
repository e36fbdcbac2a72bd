"""The client SDK against a real market process: keys, opt-in, encrypted rounds, ratings with
the offline outbox, reputation, the wallet and its ledger check, the data-use log."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import stat
from datetime import UTC, datetime, timedelta

import httpx
import numpy as np
import pytest

from client_app.errors import NotReady
from client_app.ledger_check import RECEIPTS_KEPT
from client_app.market import MarketError, MarketKeyChanged, MarketUnavailable
from client_app.outbox import retry_delay
from client_app.ranking import contributions
from client_app.sdk import PrivrecClient
from client_app.store import StoreError
from ledger.entries import Entry, format_time, make_entry
from ledger.head import SignedHead
from ledger.keys import MarketKey
from recommenders.activity import ActivityEvent, Category
from recommenders.features import extract_features, tower_inputs
from recommenders.tower import TowerRunner
from tests.client_app.conftest import MARKET_KEY, MODELS, Market, model_options
from tests.factories import bundle_parts
from tests.recommenders.conftest import FakeEmbedder

NOW = datetime.now(UTC)


def books(*titles: str) -> list[ActivityEvent]:
    return [
        ActivityEvent(Category.BOOKS, "goodreads", title, None, NOW - timedelta(days=i))
        for i, title in enumerate(titles)
    ]


def with_books(client: PrivrecClient, *, budget: int = 10) -> None:
    """Books opted in, and the minimum budget committed (the market asks it of every account)."""
    client.store.add_events(books("The Hobbit", "Dune", "Emma"), origin="test")
    client.set_opt_in("books", True)
    if budget:
        client.faucet()
        client.fund_budget(budget)


def test_an_unfunded_account_is_told_to_fund_its_budget(app_client: PrivrecClient) -> None:
    with_books(app_client, budget=0)
    with pytest.raises(NotReady) as refused:
        app_client.refresh()
    message = str(refused.value)
    assert message.startswith("The market recommends only to accounts that commit credits")
    assert "fund this payment period's budget in your wallet" in message
    assert "at least 10 credits" in message  # the market's own numbers, for the record
    assert app_client.data_use() == []  # nothing was recorded as sent


def test_first_run_keys_are_owner_only_and_uploaded_once(app_client: PrivrecClient) -> None:
    for path in (app_client.identity_path, app_client.secret_key_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(app_client.identity_path.parent.stat().st_mode) == 0o700
    first = app_client.connect()
    assert app_client.connect() == first  # registered and uploaded once, then reused
    assert app_client.account_id == app_client.identity.public_key_hex
    # create_identity on an existing identity keeps it (the account holds the balance).
    assert app_client.create_identity() == app_client.account_id


def test_nothing_is_asked_until_a_category_is_opted_in(app_client: PrivrecClient) -> None:
    app_client.store.add_events(books("The Hobbit"), origin="test")
    assert {state.category: state.opted_in for state in app_client.categories()} == dict.fromkeys(
        Category, False
    )
    with pytest.raises(NotReady, match="not opted in"):
        app_client.refresh()
    assert app_client.data_use() == []


def test_a_round_asks_only_fully_opted_in_models_and_decrypts_their_lists(
    app_client: PrivrecClient, market: Market, embedder: FakeEmbedder
) -> None:
    with_books(app_client)
    app_client.store.add_events(  # a category not opted into: never read
        [ActivityEvent(Category.MUSIC, "lastfm", "Blue in Green", None, NOW)], origin="test"
    )
    progress: list[tuple[str, float]] = []
    round_ = app_client.refresh(lambda message, fraction: progress.append((message, fraction)))
    assert [entry.model.name for entry in round_.lists] == ["shelf"]
    assert {s.model.name: s.reason for s in round_.skipped} == {
        "basket": "needs purchases (not opted in)",
        "mixtape": "needs music (not opted in)",
    }
    assert progress[-1] == ("done", 1.0)
    assert [f for _, f in progress] == sorted(f for _, f in progress)
    (shelf,) = round_.lists
    assert len(shelf.items) == app_client.top_k
    # The decrypted ranking is the plaintext one: recompute u . items for the same model.
    parts = bundle_parts(**model_options("shelf"))
    features = extract_features(
        [stored.event for stored in app_client.store.events(["books"])],
        {"books"},
        parts.manifest.categories,
        embedder=FakeEmbedder(),
        now=datetime.now(UTC),
    )
    u = TowerRunner(parts.manifest, parts.tower)(tower_inputs(parts.manifest.inputs, features))
    plain = parts.items.astype(np.float64) @ u
    expected = [parts.catalog.item_ids[i] for i in np.argsort(-plain)[: app_client.top_k]]
    assert [item.item_id for item in shelf.items] == expected
    assert [item.title for item in shelf.items] == [f"Item number {i[5:]}" for i in expected]
    np.testing.assert_allclose(
        [item.score for item in shelf.items], np.sort(plain)[::-1][: app_client.top_k], rtol=1e-3
    )
    # Only titles of the opted-in category reached the embedder, and the titles of the items
    # shown (each item's reason is the user's nearest title).
    assert embedder.seen == {"The Hobbit", "Dune", "Emma", *(i.title for i in shelf.items)}
    assert all(
        i.reason in {f"because you read {t}" for t in ("The Hobbit", "Dune", "Emma")}
        for i in shelf.items
    )
    # The blended list holds the only list's items, in its order.
    assert [b.item.item_id for b in round_.blended] == expected
    (use,) = app_client.data_use()
    assert use.categories == ("books",)
    assert use.model_label == f"shelf@1.0.0 by {MODELS['shelf'].developer}"
    assert use.query_bytes == shelf.query_bytes > 0
    assert use.impression_id == shelf.impression_id


def test_model_parts_are_downloaded_once_and_a_corrupt_cache_is_replaced(
    app_client: PrivrecClient,
) -> None:
    with_books(app_client)
    first: list[str] = []
    app_client.refresh(lambda message, _: first.append(message))
    assert sum("downloaded" in m for m in first) == 3  # manifest, tower, catalog
    # A fresh client on the same data directory uses the cached version and downloads nothing.
    again = PrivrecClient(app_client.data_dir, embedder=FakeEmbedder())
    messages: list[str] = []
    again.refresh(lambda message, _: messages.append(message))
    assert not any("downloaded" in m for m in messages)
    # A damaged cached manifest is refused, dropped, and fetched afresh next time.
    (manifest,) = (app_client.data_dir / "models").glob("*/*/manifest.bin")
    manifest.write_bytes(b"{not json")
    broken = PrivrecClient(app_client.data_dir, embedder=FakeEmbedder())
    with pytest.raises(NotReady, match=r"shelf@1\.0\.0 by shelf-labs: its bundle is invalid"):
        broken.refresh()
    assert [entry.model.name for entry in broken.refresh().lists] == ["shelf"]
    for client in (again, broken):
        client.close()


def test_ratings_go_as_one_summary_per_list_and_pay_attention(
    app_client: PrivrecClient, market: Market
) -> None:
    with_books(app_client, budget=100)  # attention is paid up to 4% of it
    (shelf,) = app_client.refresh().lists
    first, second, third = (item.item_id for item in shelf.items[:3])
    app_client.rate(shelf.impression_id, first, "like")
    app_client.rate(shelf.impression_id, second, "dislike")
    app_client.rate(shelf.impression_id, third, "like")
    app_client.rate(shelf.impression_id, third, None)  # changed their mind
    assert app_client.votes(shelf.impression_id) == {first: "like", second: "dislike"}
    with pytest.raises(StoreError, match="not shown"):
        app_client.rate(shelf.impression_id, "item-that-was-not-shown", "like")
    with pytest.raises(StoreError, match="'like' or 'dislike'"):
        app_client.rate(shelf.impression_id, first, "love")  # type: ignore[arg-type]
    result = app_client.send_ratings()
    assert (result.delivered, result.refused, result.pending, result.error) == (1, 0, 0, None)
    paid = MODELS["shelf"].bid - 1  # less the market's fee: 5%, rounded up
    assert app_client.data_use()[0].paid_to_you == paid
    assert app_client.market.wallet().attention_earned == paid
    with pytest.raises(StoreError, match="already sent"):
        app_client.rate(shelf.impression_id, first, "dislike")
    assert app_client.reputations()["shelf-labs/shelf"].score == pytest.approx(2 / 4)
    # Nothing new to send: a second call delivers nothing and pays nothing twice.
    assert app_client.send_ratings().delivered == 0
    assert app_client.market.wallet().attention_earned == paid


def test_the_blended_list_is_rated_and_each_summary_carries_its_contribution(
    app_client: PrivrecClient,
) -> None:
    with_books(app_client)
    app_client.store.add_events(
        [ActivityEvent(Category.MUSIC, "lastfm", "Blue in Green", None, NOW)], origin="test"
    )
    app_client.set_opt_in("music", True)
    round_ = app_client.refresh()
    shelf, mixtape = sorted(round_.lists, key=lambda entry: entry.model.name)[::-1]
    assert (shelf.model.name, mixtape.model.name) == ("shelf", "mixtape")
    # Both catalogs are "online-retail" items: an item both proposed is one item of the blend.
    shared = {(i.source, i.item_id) for i in shelf.items} & {
        (i.source, i.item_id) for i in mixtape.items
    }
    top, bottom = round_.blended[0], round_.blended[-1]
    app_client.rate_in_round(round_.round_id, top.key, "like")
    app_client.rate_in_round(round_.round_id, bottom.key, "dislike")
    app_client.rate(shelf.impression_id, shelf.items[-1].item_id, "like")  # from shelf's list
    said = app_client.round_votes(round_.round_id)
    for entry in (shelf, mixtape):  # a vote counts in every list that shows the item
        assert app_client.votes(entry.impression_id) == {
            i.item_id: said[i.source, i.item_id]
            for i in entry.items
            if (i.source, i.item_id) in said
        }
    assert top.key in shared and len(top.models) == 2  # proposed by both, so it tops the blend
    lists = [(e.impression_id, e.reputation.score, e.items) for e in round_.lists]
    expected = contributions(lists, said, app_client.top_k)
    # The liked top item came from both lists: it counts for the older model (lists come
    # oldest first), which proposed it first. The disliked last one came only from shelf, and
    # shelf's own liked last item did not make it into the blend.
    assert bottom.models == (shelf.model.label,)
    assert (shelf.items[-1].source, shelf.items[-1].item_id) not in {b.key for b in round_.blended}
    assert [e.model.id for e in round_.lists] == sorted(e.model.id for e in round_.lists)
    older = round_.lists[0].impression_id
    assert expected == {
        shelf.impression_id: -1 + (shelf.impression_id == older),
        mixtape.impression_id: int(mixtape.impression_id == older),
    }
    assert app_client.contributions(round_.round_id) == expected
    app_client.store.queue_unsent_summaries(share_items=False)
    sent = {p.impression_id: p.payload for p in app_client.pending_ratings()}
    for impression_id, payload in sent.items():
        assert payload["contribution"] == expected[impression_id]
        assert -payload["disliked"] <= payload["contribution"] <= payload["liked"]
    assert sent[shelf.impression_id]["liked"] >= 1
    # The round is sent as a whole: no vote on any of its lists after that.
    with pytest.raises(StoreError, match="already sent"):
        app_client.rate(mixtape.impression_id, mixtape.items[0].item_id, "like")
    assert app_client.flush_outbox().delivered == len(sent)


def test_per_item_votes_are_shared_only_when_opted_in(app_client: PrivrecClient) -> None:
    with_books(app_client)
    assert app_client.share_item_feedback is False
    app_client.set_share_item_feedback(True)
    (shelf,) = app_client.refresh().lists
    app_client.rate(shelf.impression_id, shelf.items[0].item_id, "like")
    app_client.store.queue_unsent_summaries(share_items=app_client.share_item_feedback)
    (pending,) = app_client.pending_ratings()
    assert pending.payload["items"] == [{"item_id": shelf.items[0].item_id, "vote": "like"}]
    assert app_client.flush_outbox().delivered == 1


def test_ratings_wait_in_the_outbox_while_the_market_is_down(
    app_client: PrivrecClient, market: Market
) -> None:
    with_books(app_client)
    (shelf,) = app_client.refresh().lists
    app_client.rate(shelf.impression_id, shelf.items[0].item_id, "like")
    market.server.kill()
    try:
        down = app_client.send_ratings()
        assert down.delivered == 0 and down.pending == 1
        assert down.error is not None and "cannot reach the market" in down.error
        (pending,) = app_client.pending_ratings()
        assert pending.attempts == 1 and pending.next_attempt_at > datetime.now(UTC)
        assert app_client.flush_outbox().delivered == 0  # not due yet: no retry storm
    finally:
        market.server.start()
    assert app_client.flush_outbox(force=True).delivered == 1
    assert app_client.pending_ratings() == []
    # Had the acknowledgement been lost, the retry is answered 409 and counts as delivered.
    app_client.store.rating_postponed(shelf.impression_id, "lost", timedelta(0))
    payload = {
        "impression_id": shelf.impression_id,
        "shown": 10,
        "liked": 1,
        "disliked": 0,
        "contribution": 1,
    }
    with pytest.raises(MarketError) as conflict:
        app_client.market.rate(payload)
    assert conflict.value.status == 409


def test_retry_delay_backs_off_and_is_capped() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(12)]
    assert 4 <= delays[0] <= 6 and 8 <= delays[1] <= 12
    assert max(delays) <= 3600 * 1.2
    assert delays[11] >= 3600 * 0.8


def test_wallet_budget_and_a_verified_ledger(app_client: PrivrecClient, market: Market) -> None:
    app_client.faucet()
    wallet = app_client.fund_budget(40)
    assert wallet.budget == 40
    view = app_client.wallet()
    assert view.ledger.ok and view.ledger.balance_matches is True
    assert view.ledger.entries > 0
    with pytest.raises(ValueError, match="whole number"):
        app_client.fund_budget(0)
    # A check saved by an older version of the app (another state version) is verified again
    # from the first entry, at once, keeping the signed heads it saw.
    saved = app_client.store.verified_ledger(app_client.market_url)
    assert saved is not None and saved.checkpoint
    older = json.loads(saved.checkpoint) | {"version": 1}
    app_client.store.save_verified_ledger(
        app_client.market_url, dataclasses.replace(saved, checkpoint=json.dumps(older))
    )
    again = app_client.verify_ledger()
    assert again.ok and again.new_entries == again.entries == view.ledger.entries
    # The market's key is pinned on first use: a different key is reported, never trusted,
    # and nothing is signed for it.
    pinned = app_client.store.get_setting("market_keys", {})
    assert pinned == {app_client.market_url: app_client.market_info().public_key}
    app_client.store.set_setting("market_keys", {app_client.market_url: "ab" * 32})
    changed = app_client.verify_ledger()
    assert not changed.ok and "signing key changed" in changed.detail
    with pytest.raises(MarketKeyChanged, match="signing key changed"):
        app_client.wallet()


def test_the_market_says_when_its_epoch_ends(app_client: PrivrecClient, market: Market) -> None:
    app_client.faucet()  # at least one entry: the open epoch has begun
    info = app_client.market_info(refresh=True)
    assert info.epoch == market.server.open_epoch()
    assert info.epoch_seconds == 24 * 3600 and info.auto_settle is False  # the defaults
    assert info.epoch_started is not None and info.epoch_due is not None
    assert info.epoch_started <= datetime.now(UTC)
    assert info.epoch_due - info.epoch_started == timedelta(seconds=info.epoch_seconds)


def test_the_ledger_check_keeps_the_users_receipts(
    app_client: PrivrecClient, market: Market
) -> None:
    app_client.faucet()
    app_client.fund_budget(40)
    first = app_client.wallet().ledger
    receipts = app_client.receipts()
    own = f"user:{app_client.account_id}"
    mine = [(r.kind, r.source, r.target, r.amount, r.memo) for r in receipts]
    assert mine == [
        ("mint", None, own, 1000, "faucet"),
        ("transfer", own, f"budget:{app_client.account_id}:{market.server.open_epoch()}", 40,
         "budget"),
    ]  # fmt: skip
    assert [r.seq for r in receipts] == sorted(r.seq for r in receipts) and first.ok
    # Checked again: nothing new, nothing kept twice.
    assert app_client.verify_ledger().new_entries == 0 and app_client.receipts() == receipts
    # A check saved by an app that kept no receipts is done once more from the first entry.
    app_client.store.set_setting(RECEIPTS_KEPT, [])
    app_client.store.save_receipts(app_client.market_url, "ab" * 32, [])  # drops this key's
    assert app_client.receipts() == []
    again = app_client.verify_ledger()
    assert again.ok and again.new_entries == again.entries == first.entries
    assert app_client.receipts() == receipts


def test_the_market_identity_is_asked_once_and_signed_for(
    app_client: PrivrecClient, market: Market
) -> None:
    info = app_client.market_info()
    assert (info.mode, info.faucet, info.signature_version) == ("local", True, 2)
    app_client.connect()
    assert app_client.market_info() is info  # asked once per connection to the market


def test_rotating_keys_deletes_the_previous_set_on_the_market(
    app_client: PrivrecClient, market: Market
) -> None:
    first = app_client.connect()
    assert app_client.market.evaluation_key_ids() == [first]
    app_client.rotate_keys()
    second = app_client.connect()
    assert second != first
    assert app_client.market.evaluation_key_ids() == [second]
    assert app_client.store.get_setting("retired_evaluation_keys", {}) == {}


def test_a_full_key_quota_of_stale_sets_is_freed_before_uploading(
    app_client: PrivrecClient, market: Market
) -> None:
    app_client.connect()
    stale = app_client.market.upload_evaluation_keys(app_client.secret_keys.evaluation_keys())
    assert len(app_client.market.evaluation_key_ids()) == 2  # the market's quota
    app_client.store.set_setting("evaluation_keys", {})  # this device lost track of both
    fresh = app_client.connect()
    assert app_client.market.evaluation_key_ids() == [fresh]
    assert not app_client.market.has_evaluation_keys(stale)


def test_keys_stored_in_an_older_wire_format_are_replaced(
    app_client: PrivrecClient, market: Market
) -> None:
    stored = app_client.connect()
    # As if the set had been uploaded before the market moved to wire format 2.
    database = sqlite3.connect(market.server.env["PRIVREC_DATABASE_URL"].removeprefix("sqlite:///"))
    with database:
        (data,) = database.execute(
            "SELECT data FROM evaluationkeyset WHERE id = ?", (stored,)
        ).fetchone()
        old = data[:4] + bytes([1]) + data[5:]
        database.execute("UPDATE evaluationkeyset SET data = ? WHERE id = ?", (old, stored))
    database.close()
    assert not app_client.market.has_evaluation_keys(stored)  # the market answers 410
    fresh = app_client.connect()
    assert fresh != stored
    assert app_client.market.has_evaluation_keys(fresh)


def test_forget_category_deletes_events_cached_embeddings_and_consent(tmp_path) -> None:
    from recommenders.embeddings import EmbeddingCache

    client = PrivrecClient(tmp_path, embedder=FakeEmbedder())
    with_books(client, budget=0)  # offline: no market here
    client.store.add_events(
        [ActivityEvent(Category.MUSIC, "lastfm", "Blue in Green", None, NOW)], origin="test"
    )
    cache = EmbeddingCache(client.embeddings_dir)
    vector = np.ones(384, dtype=np.float32)
    cache.store("model", {"Dune": vector, "Blue in Green": vector})
    assert client.forget_category("books") == 3
    counts = {state.category: state.events for state in client.categories()}
    assert counts[Category.BOOKS] == 0 and counts[Category.MUSIC] == 1
    assert Category.BOOKS not in client.store.opted_in()
    assert set(cache.lookup("model", ["Dune", "Blue in Green"])) == {"Blue in Green"}
    client.close()


def test_bad_market_urls_and_an_unreachable_market(tmp_path) -> None:
    client = PrivrecClient(tmp_path, embedder=FakeEmbedder())
    for bad in ("ftp://example.org", "not a url", "http://", "http://host/?q=1"):
        with pytest.raises(ValueError):
            client.set_market_url(bad)
    client.create_identity()
    with httpx.Client() as probe:  # find a closed port
        del probe
    client.set_market_url("http://127.0.0.1:9")
    with pytest.raises(MarketUnavailable, match="cannot reach the market"):
        client.connect()
    client.close()


def test_a_model_whose_query_cannot_be_computed_is_left_out_with_the_reason(
    app_client: PrivrecClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_books(app_client)

    def overflowing_tower(*_: object) -> None:
        raise ValueError("the user tower produced NaN or infinite values")

    monkeypatch.setattr("client_app.rounds.tower_inputs", overflowing_tower)
    with pytest.raises(NotReady, match=r"shelf@1\.0\.0 .*cannot compute its query: the user tower"):
        app_client.refresh()
    assert app_client.data_use() == []  # nothing was sent


def test_the_ledger_check_pages_through_the_export_and_resumes(
    app_client: PrivrecClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_client.faucet()
    asked: list[int | None] = []
    read_page = app_client.market.ledger_page

    def small_pages(*, after: int | None, limit: int = 3) -> list[str]:
        asked.append(after)
        return read_page(after=after, limit=3)

    monkeypatch.setattr(app_client.market, "ledger_page", small_pages)
    first = app_client.wallet().ledger
    # Every page is read (the old check stopped after the first), and the balance matches.
    assert first.ok and first.balance_matches is True, first.detail
    assert first.new_entries == first.entries and len(asked) >= first.entries // 3
    asked.clear()
    app_client.fund_budget(5)
    second = app_client.wallet().ledger
    assert second.ok and second.balance_matches is True, second.detail
    # Only what was added since: the rest was verified once, on the first check.
    assert second.new_entries == second.entries - first.entries >= 1
    assert asked[0] == first.entries - 1


def forged_head(seq: int, digest: str) -> SignedHead:
    """A head the market's key signed (the test knows the seed): what a forking market sends."""
    time = format_time(datetime.now(UTC))
    unsigned = SignedHead(seq, digest, time, "0" * 128)
    signature = MarketKey.from_seed_hex(MARKET_KEY).sign_message(unsigned.signed_bytes())
    return SignedHead(seq, digest, time, signature)


def test_the_ledger_check_reports_a_forked_or_rewound_market(
    app_client: PrivrecClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_client.faucet()
    assert app_client.wallet().ledger.ok
    head = app_client.market.ledger_head()
    assert head is not None
    real_head, real_page = app_client.market.ledger_head, app_client.market.ledger_page

    def answer(forged: SignedHead) -> None:
        monkeypatch.setattr(app_client.market, "ledger_head", lambda: forged)

    answer(forged_head(head.seq, "ab" * 32))  # two heads for one seq
    check = app_client.wallet().ledger
    assert not check.ok and check.detail.startswith("forked: the market signed two different")
    answer(forged_head(head.seq - 2, "cd" * 32))  # behind what was verified
    check = app_client.wallet().ledger
    assert not check.ok and "rewound" in check.detail
    # A longer ledger whose next entry does not extend the verified one.
    previous = Entry.from_json_line(real_page(after=head.seq - 2, limit=1)[0])
    other = make_entry(
        previous,
        "mint",
        {"account": "dev:someone", "amount": 1, "memo": "fork"},
        epoch=previous.epoch,
        time=format_time(datetime.now(UTC)),
        key=MarketKey.from_seed_hex(MARKET_KEY),
    )
    sibling = make_entry(
        other,
        "mint",
        dict(other.body),
        epoch=other.epoch,
        time=other.time,
        key=MarketKey.from_seed_hex(MARKET_KEY),
    )
    answer(forged_head(head.seq + 1, sibling.hash))
    monkeypatch.setattr(
        app_client.market, "ledger_page", lambda *, after, limit=3: [sibling.to_json_line()]
    )
    check = app_client.wallet().ledger
    assert not check.ok and "does not extend" in check.detail
    # The state verified before the fork is kept: the honest market checks out again.
    monkeypatch.setattr(app_client.market, "ledger_head", real_head)
    monkeypatch.setattr(app_client.market, "ledger_page", real_page)
    again = app_client.wallet().ledger
    assert again.ok and again.new_entries <= 1, again.detail
