"""The "best of market" list: the competing lists fused by rank, each weighted by the model's
reputation with this user (their own likes and dislikes, nothing else)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


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


@dataclass(frozen=True)
class Reputation:
    """A model's standing with this user: Laplace-smoothed share of likes, in (0, 1)."""

    likes: int
    dislikes: int

    @property
    def score(self) -> float:
        return (self.likes + 1) / (self.likes + self.dislikes + 2)


@dataclass(frozen=True)
class BlendedItem:
    item: Recommendation
    score: float
    models: tuple[str, ...]  # labels of the models that proposed it, strongest first


def blend(
    lists: Sequence[tuple[str, float, Sequence[Recommendation]]], k: int
) -> list[BlendedItem]:
    """Fuse ``(model label, reputation, ranked items)`` lists into one of at most ``k`` items.

    An item at rank r (0-based) earns reputation / (r + 1) from each list it is in; the same
    catalog item proposed by several models adds up. Ties go to the earlier list, then rank.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    scores: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], Recommendation] = {}
    backers: dict[tuple[str, str], list[tuple[float, str]]] = {}
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
