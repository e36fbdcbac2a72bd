"""The "best of market" list: the competing lists fused by rank, each weighted by the model's
reputation with this user; and each model's contribution to it, by leaving the model out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

Vote = Literal["like", "dislike"]
VOTES: tuple[Vote, ...] = ("like", "dislike")
ItemKey = tuple[str, str]  # (source, item_id): the same catalog item, whichever model shows it


class Ranked(Protocol):
    """What the blend reads of an item: which catalog item it is, and its rank in its list."""

    @property
    def source(self) -> str: ...

    @property
    def item_id(self) -> str: ...

    @property
    def rank(self) -> int: ...


ItemT = TypeVar("ItemT", bound=Ranked)


@dataclass(frozen=True)
class Recommendation:
    """One item of a model's list. ``source`` names the catalog the item id belongs to."""

    item_id: str
    source: str
    title: str
    category: str
    metadata: Mapping[str, Any]
    score: float
    rank: int
    # INTERIM (wt-ui): the client helper's interface, so the screens run; dropped at merge.
    reason: str | None = None
    link: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    again: bool = False


@dataclass(frozen=True)
class Reputation:
    """A model's standing with this user: Laplace-smoothed share of likes, in (0, 1)."""

    likes: int
    dislikes: int

    @property
    def score(self) -> float:
        return (self.likes + 1) / (self.likes + self.dislikes + 2)


@dataclass(frozen=True)
class BlendedItem(Generic[ItemT]):
    item: ItemT
    score: float
    models: tuple[str, ...]  # labels of the models that proposed it, strongest first

    @property
    def key(self) -> ItemKey:
        return (self.item.source, self.item.item_id)


def blend(lists: Sequence[tuple[str, float, Sequence[ItemT]]], k: int) -> list[BlendedItem[ItemT]]:
    """Fuse ``(model label, reputation, ranked items)`` lists into one of at most ``k`` items.

    An item at rank r (0-based) earns reputation / (r + 1) from each list it is in; the same
    catalog item (same source and item id) proposed by several models adds up. Ties go to
    the earlier list, then rank.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    scores: dict[ItemKey, float] = {}
    first: dict[ItemKey, ItemT] = {}
    backers: dict[ItemKey, list[tuple[float, str]]] = {}
    for label, reputation, items in lists:
        if not 0.0 <= reputation <= 1.0:
            raise ValueError(f"reputation of {label!r} must be in [0, 1], got {reputation}")
        for item in items:
            key = (item.source, item.item_id)
            share = reputation / (item.rank + 1)
            scores[key] = scores.get(key, 0.0) + share
            first.setdefault(key, item)
            backers.setdefault(key, []).append((share, label))
    order = sorted(scores, key=lambda key: -scores[key])  # stable: earlier lists win ties
    return [
        BlendedItem(
            item=first[key],
            score=scores[key],
            models=tuple(label for _, label in sorted(backers[key], key=lambda b: -b[0])),
        )
        for key in order[:k]
    ]


def contributions(
    lists: Sequence[tuple[str, float, Sequence[Ranked]]],
    votes: Mapping[ItemKey, Vote],
    k: int,
) -> dict[str, int]:
    """Each model's contribution to the blended list B = ``blend(lists, k)``, by leaving it out.

    ``lists`` come in the order the models were deployed (the market's model ids), oldest
    first; a model that proposes an item after another did follows it. So for the model
    labelled m, B_m = ``blend`` of the lists with m's list left out, except its repeats of
    older models' items (their weight is the older models' credit), and with the later
    models' repeats of m's items left out too (they followed m); contribution[m] = (liked
    items of B not in B_m) - (disliked items of B not in B_m), with ``votes`` keyed by
    (source, item id): a vote on an item counts in every list that has it. Only integers come
    out: which items they were stays on the device.

    Only items of m's list lose weight in B_m, so the items of B missing from it are all m's:
    -(m's disliked items) <= contribution[m] <= (m's liked items). A model none of whose items
    made it into B gets 0, and so does a model whose items are all in B thanks to older
    models anyway: only what a model adds to the blend counts.

    A model that copies an older model's list gets 0: all its items are repeats, and they keep
    their weight when it is left out. The original keeps its whole contribution, as if the
    copy did not exist (plain leave-one-out would give both ~0, and a copy that pushes the
    original's lower items into B by doubling their weight would be paid for them). A model
    that repeats an older model's item shares it with the later models that repeat it after
    it, which keeps honest models that agree with each other paid (docs/economy.md).
    """
    labels = [label for label, _, _ in lists]
    if len(set(labels)) != len(labels):
        raise ValueError("each list needs its own label to be left out")
    full = {blended.key for blended in blend(lists, k)}
    result: dict[str, int] = {}
    older: set[ItemKey] = set()  # the items of the lists before the one left out
    for position, (label, reputation, items) in enumerate(lists):
        keys = {(item.source, item.item_id) for item in items}
        kept = [
            (other, weight, _without(later, keys) if at > position else later)
            for at, (other, weight, later) in enumerate(lists)
            if at != position
        ]
        # Its repeats of older models' items stay: their weight is the older models' credit.
        repeats = [item for item in items if (item.source, item.item_id) in older]
        brought = full - {
            blended.key for blended in blend([*kept, (label, reputation, repeats)], k)
        }
        older |= keys
        result[label] = sum(1 if votes[key] == "like" else -1 for key in brought if key in votes)
    return result


def _without(items: Sequence[ItemT], keys: set[ItemKey]) -> list[ItemT]:
    return [item for item in items if (item.source, item.item_id) not in keys]
