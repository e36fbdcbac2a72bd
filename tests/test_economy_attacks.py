"""Issue 11's economy goals on the attack simulator's small configuration (the real ledger and
rules, real customers of the shipped data): no attack returns more than its outlay, honest
models' earnings rank like their quality, credits are conserved and every ledger verifies.
The documented run (docs/economy_attacks.md) is larger; docs/economy.md says what it finds."""

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

pytestmark = pytest.mark.slow  # about 40 s: real customers, an EASE fit and 19 markets

CASES = [
    pytest.param(key, voting.name, id=f"{key}-{voting.name}")
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


# The documented run (3 seeds, 150 users an epoch) gives 0.9 under both votings on the means
# over seeds. This one seed of 12 users does too under the demo's voting; under the milder one
# it swaps one adjacent pair (0.7): EASE-with-noise, mostly repeating EASE's items, is paid for
# its own items only and falls below popularity, which proposes its own.
SPEARMAN_AT_LEAST = {"demo": 0.8, "model-lists-only": 0.7}


@pytest.mark.parametrize("voting", [voting.name for voting in VOTINGS])
def test_honest_earnings_rank_like_quality(small_run: dict[str, Any], voting: str) -> None:
    correlation = small_run["spearman"][voting]
    assert min(correlation["per_seed"].values()) >= SPEARMAN_AT_LEAST[voting], correlation


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
