"""The "best of market" list: the competing lists fused by rank, each weighted by the model's
reputation with this user, each item once; and each model's contribution to it, by leaving the
model out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from recommenders.features import normalise_title

Vote = Literal["like", "dislike"]
VOTES: tuple[Vote, ...] = ("like", "dislike")
ItemKey = tuple[str, str]  # (source, item_id): the same catalog item, whichever model shows it


def title_key(category: str, title: str) -> str:
    """How an item is recognised across catalogs: its category and normalised title ("" when
    the title has no letters left to compare)."""
    normalised = normalise_title(title)
    return f"{category}:{normalised}" if normalised else ""


class Ranked(Protocol):
    """What the blend reads of an item: which catalog item it is, what it is called (its
    ``title_key``, "" if unknown) and its rank in its list."""

    @property
    def source(self) -> str: ...

    @property
    def item_id(self) -> str: ...

    @property
    def title_key(self) -> str: ...

    @property
    def rank(self) -> int: ...


ItemT = TypeVar("ItemT", bound=Ranked)


@dataclass(frozen=True)
class Recommendation:
    """One item of a model's list. ``source`` names the catalog the item id belongs to.

    ``reason`` says which of the user's own activities it is like ("because you played ...";
    None only without history in the categories the model read), ``link`` is its http(s)
    page (None if the catalog has none), ``details`` are (label, value) pairs of the fields
    the model shows people, and ``again`` marks an item the user already consumed."""

    item_id: str
    source: str
    title: str
    category: str
    metadata: Mapping[str, Any]
    score: float
    rank: int
    reason: str | None = None
    link: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    again: bool = False

    @property
    def title_key(self) -> str:
        return title_key(self.category, self.title)


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
    # Every (source, item id) the blend took for this one item (the same title elsewhere).
    members: frozenset[ItemKey] = field(default_factory=frozenset)

    @property
    def key(self) -> ItemKey:
        return (self.item.source, self.item.item_id)


def _key(item: Ranked) -> ItemKey:
    return (item.source, item.item_id)


def item_groups(items: Iterable[Ranked]) -> dict[ItemKey, int]:
    """Which items are one and the same to a person: the same (source, item id), or the same
    ``title_key`` (one category, one normalised title), whichever catalog lists them, and
    transitively so. Maps each item's key to its group's number (groups numbered in order of
    their first item). Two rows of one catalog with one title count as one item too: a list
    that shows a title twice looks like a mistake, whatever the ids."""
    parent: dict[object, object] = {}

    def root(node: object) -> object:
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving
            node = parent[node]
        return node

    keys: list[ItemKey] = []
    for item in items:
        key = _key(item)
        if key not in parent:
            parent[key] = key
            keys.append(key)
        if item.title_key:
            name = ("title", item.title_key)
            parent.setdefault(name, name)
            parent[root(name)] = root(key)
    numbers: dict[object, int] = {}
    return {key: numbers.setdefault(root(key), len(numbers)) for key in keys}


def blend(lists: Sequence[tuple[str, float, Sequence[ItemT]]], k: int) -> list[BlendedItem[ItemT]]:
    """Fuse ``(model label, reputation, ranked items, best first)`` lists into one of at most
    ``k`` items, each once (see ``item_groups``).

    An item at rank r (0-based) earns reputation / (r + 1) from each list it is in (at its
    best rank there); the same item proposed by several models adds up. Ties go to the
    earlier list, then rank. The item shown is the first list's.
    """
    groups = item_groups(item for _, _, items in lists for item in items)
    return _blend(lists, k, groups)


def _blend(
    lists: Sequence[tuple[str, float, Sequence[ItemT]]], k: int, groups: Mapping[ItemKey, int]
) -> list[BlendedItem[ItemT]]:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    scores: dict[int, float] = {}
    first: dict[int, ItemT] = {}
    backers: dict[int, list[tuple[float, str]]] = {}
    members: dict[int, set[ItemKey]] = {}
    for label, reputation, items in lists:
        if not 0.0 <= reputation <= 1.0:
            raise ValueError(f"reputation of {label!r} must be in [0, 1], got {reputation}")
        proposed: set[int] = set()
        for item in items:
            group = groups[_key(item)]
            members.setdefault(group, set()).add(_key(item))
            if group in proposed:  # a list's second row of one item adds nothing
                continue
            proposed.add(group)
            share = reputation / (item.rank + 1)
            scores[group] = scores.get(group, 0.0) + share
            first.setdefault(group, item)
            backers.setdefault(group, []).append((share, label))
    order = sorted(scores, key=lambda group: -scores[group])  # stable: earlier lists win ties
    return [
        BlendedItem(
            item=first[group],
            score=scores[group],
            models=tuple(label for _, label in sorted(backers[group], key=lambda b: -b[0])),
            members=frozenset(members[group]),
        )
        for group in order[:k]
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
    items of B not in B_m) - (disliked items of B not in B_m), each counted by m's own vote
    on it (``votes`` keyed by (source, item id); a vote on an item counts in every list that
    has it, see ``spread_votes``). Items are told apart as the blend does (``item_groups``,
    over the whole round). Only integers come out: which items they were stays on the device.

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
    groups = item_groups(item for _, _, items in lists for item in items)

    def group_of(item: Ranked) -> int:
        return groups[_key(item)]

    full = {groups[blended.key] for blended in _blend(lists, k, groups)}
    result: dict[str, int] = {}
    older: set[int] = set()  # the items of the lists before the one left out
    for position, (label, reputation, items) in enumerate(lists):
        own = {group_of(item) for item in items}
        kept = [
            (other, weight, _without(later, own, groups) if at > position else later)
            for at, (other, weight, later) in enumerate(lists)
            if at != position
        ]
        # Its repeats of older models' items stay: their weight is the older models' credit.
        repeats = [item for item in items if group_of(item) in older]
        left = _blend([*kept, (label, reputation, repeats)], k, groups)
        brought = full - {groups[blended.key] for blended in left}
        older |= own
        # m's own vote on each item it brought (its first row of it with a vote): so the
        # contribution stays within m's own liked and disliked counts.
        said: dict[int, Vote] = {}
        for item in items:
            vote = votes.get(_key(item))
            if vote is not None and group_of(item) in brought:
                said.setdefault(group_of(item), vote)
        result[label] = sum(1 if vote == "like" else -1 for vote in said.values())
    return result


def _without(items: Sequence[ItemT], drop: set[int], groups: Mapping[ItemKey, int]) -> list[ItemT]:
    return [item for item in items if groups[_key(item)] not in drop]


def spread_votes(items: Iterable[Ranked], votes: Mapping[ItemKey, Vote]) -> dict[ItemKey, Vote]:
    """The votes of a round, given on some rows, for every row of the same item (see
    ``item_groups``): a like of "1984" in the blended list is a like of "1984" in each list
    that has it, whichever catalog it came from. A row keeps its own vote; the others of its
    item take the item's latest vote (``votes`` are in the order they were cast)."""
    rows = list(items)
    groups = item_groups(rows)
    latest: dict[int, Vote] = {}
    for key, vote in votes.items():
        if key in groups:
            latest[groups[key]] = vote  # later votes replace earlier ones
    spread = {key: latest[group] for key, group in groups.items() if group in latest}
    spread.update((key, vote) for key, vote in votes.items() if key in groups)
    return spread
