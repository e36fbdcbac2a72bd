"""The blend and each model's contribution to it, worked out by hand, and the bounds of a
contribution under hypothesis."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from client_app.ranking import (
    VOTES,
    ItemKey,
    Recommendation,
    Reputation,
    Vote,
    blend,
    contributions,
    spread_votes,
)

List = tuple[str, float, list[Recommendation]]


def item(item_id: str, rank: int, source: str = "shop", title: str | None = None) -> Recommendation:
    title = item_id.upper() if title is None else title
    return Recommendation(item_id, source, title, "purchases", {}, 1.0 - rank, rank)


def ranked(label: str, reputation: float, ids: Sequence[str], source: str = "shop") -> List:
    return label, reputation, [item(i, rank, source) for rank, i in enumerate(ids)]


def votes(**by_id: Vote) -> dict[ItemKey, Vote]:
    return {("shop", item_id): vote for item_id, vote in by_id.items()}


def test_blend_weighs_ranks_by_reputation_and_merges_the_same_item() -> None:
    trusted = ("trusted", Reputation(9, 1).score, [item("a", 0), item("b", 1)])
    doubtful = ("doubtful", Reputation(0, 8).score, [item("c", 0), item("a", 1)])
    other_shop = ("other", 0.5, [item("a", 0, source="elsewhere", title="Another A")])
    blended = blend([trusted, doubtful, other_shop], k=3)
    assert [b.key for b in blended] == [("shop", "a"), ("elsewhere", "a"), ("shop", "b")]
    assert blended[0].models == ("trusted", "doubtful")
    assert blended[0].score == pytest.approx(10 / 12 + 0.1 / 2)
    with pytest.raises(ValueError, match="k must be"):
        blend([trusted], k=0)
    with pytest.raises(ValueError, match="reputation"):
        blend([("bad", 1.5, [])], k=1)


def test_the_blend_holds_each_item_once_across_catalogs_and_rows() -> None:
    # "Dune" in two shops' catalogs is one item to a person, as is a title a catalog lists
    # twice; the same id in two catalogs with different titles stays two items.
    first = (
        "first",
        0.5,
        [item("d1", 0, "shop", "Dune"), item("x", 1), item("d2", 2, "shop", "DUNE!")],
    )
    second = ("second", 0.5, [item("d9", 0, "other", "dune"), item("x", 1, "other", "Xylophone")])
    blended = blend([first, second], k=5)
    assert [b.key for b in blended] == [("shop", "d1"), ("shop", "x"), ("other", "x")]
    dune = blended[0]
    assert dune.members == {("shop", "d1"), ("shop", "d2"), ("other", "d9")}
    assert dune.score == pytest.approx(0.5 + 0.5)  # each list once, at its best rank
    assert dune.models == ("first", "second")
    # Another category with the same title is another item.
    film = Recommendation("f", "cinema", "Dune", "web", {}, 1.0, 0)
    assert len(blend([first, ("films", 0.5, [film])], k=5)) == 3  # Dune, X, the film
    # A vote on one row of an item holds for its other rows; a row's own vote stays.
    rows = [*first[2], *second[2]]
    said = spread_votes(rows, {("other", "d9"): "dislike", ("shop", "d1"): "like"})
    assert said == {("shop", "d1"): "like", ("shop", "d2"): "like", ("other", "d9"): "dislike"}
    # Whoever brought Dune is credited with its own vote on it.
    assert contributions([first, second], said, k=1) == {"first": 1, "second": 0}
    assert contributions([second, first], said, k=1) == {"second": -1, "first": 0}


def test_contribution_counts_what_only_that_model_brought_into_the_blend() -> None:
    # Scores: x 0.8 + 0.5/2 = 1.05, w 0.5, y 0.4, z 0.27, v 0.17: B = {x, w, y} (k = 3).
    # A is older: without A, D also loses its repeat of x, so B_A = {w, v}: A brought x and y.
    # Without D, B_D = {x, y, z}: D brought w. x is liked and both lists have it: it counts
    # for A, which proposed it first.
    a = ranked("A", 0.8, ["x", "y", "z"])
    d = ranked("D", 0.5, ["w", "x", "v"])
    said = votes(x="like", y="like", z="like", w="dislike", v="like")
    assert [b.item.item_id for b in blend([a, d], k=3)] == ["x", "w", "y"]
    assert contributions([a, d], said, k=3) == {"A": 2, "D": -1}
    assert contributions([d, a], said, k=3) == {"D": 1 - 1, "A": 1}  # D older: x is D's
    # Within the bounds of each model's own summary: A liked 3, D liked 2 and disliked 1.
    assert contributions([a, d], {}, k=3) == {"A": 0, "D": 0}  # nothing rated, nothing counts


def test_disjoint_lists_each_bring_their_own_items() -> None:
    # Equal weights: a 0.5, d 0.5, b 0.25, e 0.25, ...; ties go to the earlier list: B = a, d, b.
    a = ranked("A", 0.5, ["a", "b", "c"])
    d = ranked("D", 0.5, ["d", "e", "f"])
    said = votes(a="like", b="dislike", d="like", e="like", f="dislike")
    assert contributions([a, d], said, k=3) == {"A": 1 - 1, "D": 1}  # e, f are not in B


def test_a_model_whose_items_are_all_outside_the_blend_gets_zero() -> None:
    # a 0.9, b 0.45 beat z1 0.1 and z2 0.05: B = {a, b}, and Z's liked items are not in it.
    a = ranked("A", 0.9, ["a", "b"])
    z = ranked("Z", 0.1, ["z1", "z2"])
    said = votes(a="like", b="like", z1="like", z2="like")
    assert contributions([a, z], said, k=2) == {"A": 2, "Z": 0}
    assert contributions([z], said, k=2) == {"Z": 2}  # alone, it brings the whole list


def test_a_copy_of_an_older_list_gets_nothing_and_the_original_keeps_its_own() -> None:
    liked = votes(a="like", b="like", c="like", d="like")
    original = ranked("A", 0.5, ["a", "b", "c"])  # deployed first: lists come oldest first
    copy = ranked("C", 0.5, ["a", "b", "c"])
    other = ranked("D", 0.5, ["d", "e", "f"])
    # Alone, the original brings its three liked items; next to its copy it still does, and
    # the copy brings none: its repeats of the original's items are the original's.
    assert contributions([original], liked, k=3) == {"A": 3}
    assert contributions([original, copy], liked, k=3) == {"A": 3, "C": 0}
    # With a third list: a 1.0, b 0.5, d 0.5, c 0.33, e 0.25 (the copy doubles a, b, c).
    # k = 3: B = {a, b, d}. Without A (and the copy's repeats) B = {d, e, f}: A brought a, b.
    assert contributions([original, copy, other], liked, k=3) == {"A": 2, "C": 0, "D": 1}
    assert contributions([original, other], liked, k=3) == {"A": 2, "D": 1}  # as if no copy
    # k = 4: B = {a, b, d, c}: c is in only because the copy doubled it, and still counts for
    # the original (the copy's weight on it stays when the copy is left out: 0 for the copy).
    assert contributions([original, copy, other], liked, k=4) == {"A": 3, "C": 0, "D": 1}
    # Deployed the other way round, the roles swap: what counts is who proposed it first.
    assert contributions([copy, original, other], liked, k=3) == {"C": 2, "A": 0, "D": 1}
    # A model that repeats an older model's item is followed by the later ones that repeat
    # it: a scores 0.17 (A) + 0.25 (N) + 0.5 (T) and tops B (k = 1). Leaving N out keeps its
    # own weight on a (A's item) but drops T's (T followed N): a falls behind b and g (0.5).
    owner, second, third = (
        ranked(*spec) for spec in (("A", 0.5, "bca"), ("N", 0.5, "ga"), ("T", 0.5, "ah"))
    )
    assert contributions([owner, second, third], votes(a="like"), k=1) == {"A": 1, "N": 1, "T": 0}
    # A near-copy is paid for its own items only.
    near = ranked("N", 0.5, ["g", "a", "b"])
    assert contributions([original, near, other], votes(a="like", g="like"), k=4)["N"] == 1


def test_labels_must_be_distinct() -> None:
    a = ranked("A", 0.5, ["a"])
    with pytest.raises(ValueError, match="own label"):
        contributions([a, a], {}, k=1)


UNIVERSE = [(source, f"i{n}") for source in ("s1", "s2") for n in range(6)]


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[List], dict[ItemKey, Vote], int]:
    lists = []
    for n in range(draw(st.integers(1, 5))):
        reputation = draw(st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0)))
        keys = draw(st.lists(st.sampled_from(UNIVERSE), unique=True, max_size=8))
        items = [item(i, rank, source) for rank, (source, i) in enumerate(keys)]
        lists.append((f"m{n}", reputation, items))
    said = draw(st.dictionaries(st.sampled_from(UNIVERSE), st.sampled_from(VOTES)))
    return lists, said, draw(st.integers(1, 12))


@settings(max_examples=400, deadline=None)
@given(rounds())
def test_a_contribution_is_bounded_by_the_models_own_summary(
    round_: tuple[list[List], dict[ItemKey, Vote], int],
) -> None:
    lists, said, k = round_
    found = contributions(lists, said, k)
    assert set(found) == {label for label, _, _ in lists}
    in_blend = {key for b in blend(lists, k) for key in b.members}
    for label, _, items in lists:
        own = [said.get((i.source, i.item_id)) for i in items]
        liked, disliked = own.count("like"), own.count("dislike")
        assert -disliked <= found[label] <= liked
        if not in_blend & {(i.source, i.item_id) for i in items}:
            assert found[label] == 0
