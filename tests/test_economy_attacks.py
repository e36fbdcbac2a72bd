"""Issue 11's economy goals on the attack simulator's small configuration (the real ledger and
rules, real customers of the shipped data): no attack returns more than its outlay, honest
models' earnings rank like their quality, credits are conserved and every ledger verifies.

Attacks that the rules of ledger v2 do not defeat yet are expected failures, each with the
reason measured by ``python -m benchmarks.economy_attacks`` (docs/economy_attacks.md); the
report shows them as xpassed once a rule change defeats them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from benchmarks._economy_sim import DEMO_VOTING, population
from benchmarks.economy_attacks import (
    CONFIGS,
    VOTINGS,
    check_conservation,
    extra_scorers,
    play,
    run,
    scenarios,
)
from ledger import verify_ledger

OFFSET = (
    "rules 2 net a model's paid-for contributions against the dislikes of it before burning, "
    "so budgets paid (at a 5% fee) to one's own model buy off its burn"
)
COPY = (
    "leave-one-out credits a copy of the leader with the leader's items its duplicate pushes "
    "into the blended list, when honest users seldom dislike there"
)
KNOWN: dict[tuple[str, str], str] = {
    **{(key, voting.name): OFFSET for key in ("sybil", "farming", "ring") for voting in VOTINGS},
    ("farming-reproduced", "model-lists-only"): (
        "no attention is farmed, but the ten credits paid to the attacker's model keep it "
        "listed, which changes what honest users see (worst seed of the full run: +0.26)"
    ),
    ("copy", "model-lists-only"): COPY,
}
CASES = [
    pytest.param(
        key,
        voting.name,
        marks=[pytest.mark.xfail(reason=KNOWN[key, voting.name], strict=False)]
        if (key, voting.name) in KNOWN
        else [],
        id=f"{key}-{voting.name}",
    )
    for voting in VOTINGS
    for key in (scenario.key for scenario in scenarios())
]


@pytest.fixture(scope="module")
def small_run() -> dict[str, Any]:
    return run("small")


@pytest.mark.parametrize(("key", "voting"), CASES)
def test_no_attack_returns_more_than_its_outlay(
    small_run: dict[str, Any], key: str, voting: str
) -> None:
    outcomes = [o for o in small_run["per_seed"] if (o["key"], o["voting"]) == (key, voting)]
    assert outcomes, f"attack {key} did not run under {voting} voting"
    for outcome in outcomes:
        assert outcome["outlay"] >= 0
        assert outcome["gain"] <= 0, (
            f"{outcome['attack']} ({voting} voting, seed {outcome['seed']}): returned "
            f"{outcome['gain']} on an outlay of {outcome['outlay']}"
        )


def test_the_reproduced_attacks_move_nothing(small_run: dict[str, Any]) -> None:
    """Issue 11's two reproductions: the free account's summaries are refused or weigh nothing,
    and ten credits committed once farm no attention from the victim."""
    rows = {row["key"]: row for row in small_run["attacks"]}
    assert (rows["free-burn"]["return"], rows["free-burn"]["victim_loss"]) == (0, 0)
    assert any("shown=1000 refused" in note for note in rows["free-burn"]["notes"])
    assert rows["farming-reproduced"]["victim_loss"] == 0


@pytest.mark.parametrize(
    "voting",
    [
        pytest.param(
            voting.name,
            marks=[
                pytest.mark.xfail(
                    reason="under the demo's voting every model burns its maximum, and a "
                    "worthless model whose escrow runs out stops losing while a poor listed one "
                    "goes on: one seed's Spearman is 0.7 (0.9 on the full run's means)",
                    strict=False,
                )
            ]
            if voting == DEMO_VOTING
            else [],
        )
        for voting in VOTINGS
    ],
)
def test_honest_earnings_rank_like_quality(small_run: dict[str, Any], voting: str) -> None:
    correlation = small_run["spearman"][voting]
    assert min(correlation["per_seed"].values()) >= 0.8, correlation


def test_every_attack_ledger_conserves_credits_and_verifies() -> None:
    """Each attack's market, replayed from its export by the ledger's verifier, gives the same
    balances; balances + burned == minted and none is negative."""
    config = dataclasses.replace(CONFIGS["small"], users=5)
    people = population(0, extra_scorers(0), size=40, validation=40)
    for scenario in scenarios():
        world = play(config, 0, people, DEMO_VOTING, scenario, attack=True, keep_entries=True)
        check_conservation(world)
        book = world.ledger.book
        report = verify_ledger(world.ledger.lines(), world.key.public_key_hex)
        assert report.ok, f"{scenario.key}: {report.error}"
        assert report.balances == book.balances()
        assert report.totals == book.totals
        assert sum(report.balances.values()) + report.totals.burned == report.totals.minted
