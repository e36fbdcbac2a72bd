"""A round as the client reports it for models that describe their catalog (display fields,
link field, licence, non-commercial data, "new-and-again" policy, a relevance floor): the real
round of the test market's models, with what such manifests add. Shared by the controller
test and the UI driver.

The test market's bundles (tests/factories.py) declare none of it yet, so the fields are
added to the real round: shelf's last two items come back as "again", its first item's link
is a javascript: one (it must never be offered), mixtape's list is withheld (under its
relevance floor). Places, switched on, is read by none of the test market's models: the
client itself reports it uncovered."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from client_app.ranking import Recommendation, blend
from client_app.rounds import ModelList, RecommendationRound
from recommenders.bundle import CatalogInfo
from tests.client_app.conftest import ITEMS

CATALOG = CatalogInfo(
    source="goodreads",
    description="Books on Goodreads",
    region="worldwide",
    period="2006-2017",
    licence="CC BY-NC 4.0",
    licence_url="https://creativecommons.org/licenses/by-nc/4.0/",
    attribution="goodbooks-10k (Zajac, 2017)",
    non_commercial=True,
)
# How the app words it next to each list (the test market's catalogs have ITEMS rows).
CATALOG_LINE = f"Books on Goodreads  ·  {ITEMS} items  ·  worldwide  ·  2006-2017  ·  CC BY-NC 4.0"
AGAIN_ITEMS = 2
UNSAFE_LINK = "javascript:alert(1)"


def item_link(item_id: str) -> str:
    return f"https://www.goodreads.com/book/show/{item_id}"


def item_reason(rank: int) -> str:
    return f"because you read Dune ({rank})"


def described(item: Recommendation, *, again: bool = False) -> Recommendation:
    """``item`` as a model declaring display fields and a link field shows it."""
    return dataclasses.replace(
        item,
        reason=item_reason(item.rank),
        link=item_link(item.item_id),
        details=(("by", "Frank Herbert"), ("first published", "1965"), ("empty", " ")),
        again=again,
    )


def describe_list(entry: ModelList) -> ModelList:
    if entry.model.name == "mixtape":
        return dataclasses.replace(entry, items=(), again_items=(), fits=False)
    items = [described(item) for item in entry.items]
    items[0] = dataclasses.replace(items[0], link=UNSAFE_LINK)
    again = tuple(dataclasses.replace(item, again=True) for item in items[-AGAIN_ITEMS:])
    return dataclasses.replace(
        entry,
        items=tuple(items[:-AGAIN_ITEMS]),
        again_items=again,
        catalog=CATALOG,
        policy="new-and-again",
    )


def describe_round(round_: RecommendationRound) -> RecommendationRound:
    """The round described; its blended list fused again from what the lists now show (a
    withheld list and again items are not blended)."""
    lists = tuple(describe_list(entry) for entry in round_.lists)
    blended = blend(
        [(entry.model.label, entry.reputation.score, entry.items) for entry in lists],
        len(round_.blended),
    )
    return dataclasses.replace(round_, lists=lists, blended=tuple(blended))


def describing(
    refresh: Callable[..., RecommendationRound],
) -> Callable[..., RecommendationRound]:
    """``PrivrecClient.refresh`` whose rounds are described (patch the client's with it)."""

    def described_refresh(*args: Any, **kwargs: Any) -> RecommendationRound:
        return describe_round(refresh(*args, **kwargs))

    return described_refresh
