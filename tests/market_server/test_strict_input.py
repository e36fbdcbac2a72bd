"""Money and counts are JSON integers only (no true, no "5"), and item ids are printable and
bounded: each bad input refused with a 422 on the real routes, and nothing moved."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import SignedClient

IMPRESSION = "0" * 32  # unknown: a body that passes validation gets 404, a bad one 422


@pytest.mark.parametrize("amount", [True, "5", 5.0, "1e3", None, [5]])
def test_a_budget_amount_must_be_an_integer(user: SignedClient, amount: Any) -> None:
    user.request("POST", "/v1/users/me/faucet")
    before = user.request("GET", "/v1/users/me/wallet").json()
    response = user.request("POST", "/v1/users/me/budget", json_body={"amount": amount})
    assert response.status_code == 422, response.text
    assert user.request("GET", "/v1/users/me/wallet").json() == before
    assert user.request("POST", "/v1/users/me/budget", json_body={"amount": 5}).status_code == 200


def rate(user: SignedClient, **fields: Any) -> Any:
    body = {
        "impression_id": IMPRESSION,
        "shown": 2,
        "liked": 1,
        "disliked": 0,
        "contribution": 1,
        **fields,
    }
    return user.request("POST", "/v1/ratings", json_body=body)


@pytest.mark.parametrize("field", ["shown", "liked", "disliked", "contribution"])
@pytest.mark.parametrize("value", [True, "1", 1.0])
def test_rating_counts_must_be_integers(user: SignedClient, field: str, value: Any) -> None:
    assert rate(user).status_code == 404
    assert rate(user, **{field: value}).status_code == 422


@pytest.mark.parametrize(
    "item_id",
    ["item\x00one", "line\nbreak", "\x7f", "c1\x85control", "", "x" * 257],
)
def test_item_ids_are_printable_and_bounded(user: SignedClient, item_id: str) -> None:
    good = [{"item_id": "item-1", "vote": "like"}]
    assert rate(user, items=good).status_code == 404
    bad = [{"item_id": item_id, "vote": "like"}]
    response = rate(user, items=bad)
    assert response.status_code == 422
    assert "item_id" in str(response.json()["detail"])


def test_the_longest_and_unicode_item_ids_pass(user: SignedClient) -> None:
    items = [{"item_id": "x" * 256, "vote": "like"}, {"item_id": "livre é ü 本", "vote": "dislike"}]
    assert rate(user, shown=2, liked=1, disliked=1, items=items).status_code == 404
