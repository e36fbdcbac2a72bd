"""History and vote changes against a real market process: rate, change the vote (the market
counts the change, the device's ledger check replays it), settle, and a later change refused."""

from __future__ import annotations

from client_app.market import MarketUnavailable
from client_app.sdk import PrivrecClient
from client_app.ui.controllers import NO_HISTORY, HistoryController, HistoryView, Notice
from client_app.ui.controllers.history import NOT_SENT, OTHER_MARKET, SETTLED
from client_app.ui.controllers.wording import when_text
from tests.client_app.conftest import Market
from tests.client_app.test_sdk import with_books
from tests.live_server import free_port


def test_a_vote_changes_until_the_epoch_settles_then_the_history_says_so(
    app_client: PrivrecClient, market: Market
) -> None:
    with_books(app_client, budget=100)
    round_ = app_client.refresh()
    (shelf,) = round_.lists
    first, second = shelf.items[:2]
    app_client.rate(shelf.impression_id, first.item_id, "like")
    assert app_client.send_ratings().delivered == 1
    epoch = app_client.open_epoch()
    (past,) = app_client.history()
    assert (past.round_id, past.epoch, past.submitted) == (round_.round_id, epoch, True)
    (listed,) = past.lists
    assert listed.status == "counted" and listed.model_description
    assert [item.title for item, _ in listed.items[:2]] == [first.title, second.title]
    assert listed.items[0][1] == "like"

    # A new mind: the first item disliked, the second liked. The market counts the change and
    # pays no attention again; the ledger the device replays holds it.
    paid = app_client.market.wallet().attention_earned
    changed = app_client.change_vote(round_.round_id, (first.source, first.item_id), "dislike")
    assert (changed.delivered, changed.refused, changed.pending) == (1, 0, 0)
    app_client.change_vote(round_.round_id, (second.source, second.item_id), "like")
    (listed,) = app_client.history()[0].lists
    assert (listed.status, listed.vote_changes, listed.problem) == ("counted", 2, None)
    view = app_client.wallet()
    assert view.ledger.ok, view.ledger.detail
    assert view.wallet.attention_earned == paid

    market.server.settle(epoch)
    assert app_client.open_epoch() == epoch + 1
    late = app_client.change_vote(round_.round_id, (second.source, second.item_id), None)
    assert (late.delivered, late.refused, late.pending) == (0, 1, 0)
    (listed,) = app_client.history()[0].lists
    assert listed.vote_changes == 2
    assert listed.problem == (
        "the epoch this rating was counted in has been settled: its vote can no longer change"
    )


def test_the_history_screen_says_which_votes_can_change_and_why_one_was_not_taken(
    app_client: PrivrecClient, market: Market
) -> None:
    history = HistoryController(app_client)
    assert history.load() == HistoryView(NO_HISTORY, ())
    with_books(app_client, budget=100)
    round_ = app_client.refresh()
    assert len(round_.lists) == 1
    unsent = history.load().rounds[0]
    assert (unsent.state, unsent.can_change) == (NOT_SENT, True)
    (listed,) = unsent.lists
    assert listed.model == "Picked by shelf-labs"
    assert listed.technical == "shelf@1.0.0 · A seeded test model (40 items, dim 8)."
    first = listed.items[0]
    assert history.toggle_vote(round_.round_id, first.key, "like") == Notice("Vote saved.")
    app_client.send_ratings()

    epoch = app_client.open_epoch()
    sent = history.load().rounds[0]
    due = app_client.market_info().epoch_due
    assert due is not None
    assert sent.can_change and sent.state == (
        f"You can change these votes until the market settles this payment period, due "
        f"{when_text(due)} (it pays the models by them then)."
    )
    assert sent.lists[0].items[0].vote == "like"
    assert history.toggle_vote(round_.round_id, first.key, "dislike") == Notice(
        "Changed: the market counts your new vote on 1 list."
    )
    assert history.toggle_vote(round_.round_id, first.key, "dislike") == Notice(  # cleared
        "Changed: the market counts your new vote on 1 list."
    )

    market.server.settle(epoch)
    settled = history.load().rounds[0]
    assert (settled.state, settled.can_change) == (SETTLED, False)
    assert not any(item.can_change for item in settled.lists[0].items)
    # Asked all the same (another window, say), the market refuses and the list says why.
    refused = history.toggle_vote(round_.round_id, first.key, "like")
    assert refused == Notice(
        "The market did not take the change: the list below says why.", is_error=True
    )
    status = history.load().rounds[0].lists[0].status
    assert status == (
        "Your rating is counted. You changed your vote 2 times. Not taken: the epoch this rating "
        "was counted in has been settled: its vote can no longer change. It counts your earlier "
        "vote."
    )

    app_client.set_market_url(f"http://127.0.0.1:{free_port()}")  # the user moved markets
    assert history.load().rounds[0].state == OTHER_MARKET


def test_a_vote_change_the_market_cannot_hear_waits_in_the_outbox_like_a_rating(
    app_client: PrivrecClient, market: Market
) -> None:
    with_books(app_client, budget=100)
    round_ = app_client.refresh()
    (shelf,) = round_.lists
    first = shelf.items[0]
    app_client.rate(shelf.impression_id, first.item_id, "like")
    assert app_client.send_ratings().delivered == 1

    # The market goes quiet: the change is kept, postponed, and the failure itself is kept
    # for the app's words (MarketUnavailable), as a rating's would be.
    http = app_client.market._http
    http.base_url = f"http://127.0.0.1:{free_port()}"
    try:
        lost = app_client.change_vote(round_.round_id, (first.source, first.item_id), "dislike")
    finally:
        http.base_url = market.url
    assert (lost.delivered, lost.refused, lost.pending) == (0, 0, 1)
    assert isinstance(lost.unavailable, MarketUnavailable) and lost.error
    (listed,) = app_client.history()[0].lists
    assert listed.status == "changing"

    back = app_client.flush_outbox(force=True)
    assert (back.delivered, back.refused, back.pending, back.error) == (1, 0, 0, None)
    (listed,) = app_client.history()[0].lists
    assert (listed.status, listed.vote_changes) == ("counted", 1)
