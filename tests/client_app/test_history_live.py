"""History and vote changes against a real market process: rate, change the vote (the market
counts the change, the device's ledger check replays it), settle, and a later change refused."""

from __future__ import annotations

from client_app.sdk import PrivrecClient
from tests.client_app.conftest import Market
from tests.client_app.test_sdk import with_books


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
