"""Economy attack simulator (issue 11 item 6): what each known attack on the market's economy
returns on its outlay, run on the real ledger and economy rules with an honest population.

    python -m benchmarks.economy_attacks --small           # the test suite's size, seconds
    python -m benchmarks.economy_attacks                   # the documented run (minutes)
    python -m benchmarks.economy_attacks --example         # docs/economy.md's worked example

Honest users are real held-out Online Retail customers: each epoch a sample of them commits a
budget, asks every listed model, blends the lists, likes what they really bought next and
dislikes two misses per list (as ``privrec demo`` does), and sends each model its summary
with its leave-one-out contribution to the blended list. The honest models are plain scorers
of measured quality (NDCG@10 on the other half of the held-out customers). Each attack runs
twice with the same seed, with and without the attacker's actions: its return is the
difference in the attacker's profit, its victim's loss the difference in the victim's.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Sequence
from contextlib import redirect_stdout
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from scipy import stats

from benchmarks._economy_sim import (
    DEMO_VOTING,
    HonestUsers,
    K,
    Population,
    Round,
    Scorer,
    Summary,
    Voting,
    World,
    extra_noisy,
    extra_random,
    population,
)
from benchmarks.common import machine, print_table, write_json
from client_app.ranking import blend, contributions
from ledger import EconomyParams
from ledger.economy import Body, dev_account, stake_account, user_account

DEFAULT_JSON = "artifacts/bench/economy_attacks.json"
COLUMNS = (
    "attack",
    "voting",
    "outlay",
    "return",
    "return_on_outlay",
    "worst_seed_return_on_outlay",
    "victim",
    "victim_loss",
)
HONEST: Final = ("ease", "item-knn", "ease-noisy", "popularity", "random")
# Every honest model's, and the attackers' unless stated. A bid of 2 leaves the user 1 after
# the market's fee (rounded up, the fee takes all of a bid of 1).
STAKE, ESCROW, BID = 1000, 300, 2
# Honest voting as the demo does it (two misses disliked in every list shown, the blended one
# included), and a milder user who dislikes only in the models' own lists: the attacks must
# lose against both, and the second leaves a worthless model far less voted against.
VOTINGS: Final = (DEMO_VOTING, Voting("model-lists-only", 2, 0))


@dataclass(frozen=True)
class Config:
    name: str
    users: int  # honest customers asked per epoch
    epochs: int
    seeds: tuple[int, ...]
    population: int | None  # simulated customers drawn from (None: the whole half)
    validation: int | None  # customers measuring true quality (None: the whole other half)
    honest_users: int  # customers asked per epoch in the run without attackers (Spearman)
    budget: int = 100  # each honest user's commitment per epoch (the demo's)
    votings: tuple[Voting, ...] = VOTINGS
    accounts: int = 5  # funded accounts of a Sybil, farming or burning attacker


CONFIGS: Final = {
    "small": Config(
        "small", users=12, epochs=6, seeds=(0,), population=300, validation=600, honest_users=150
    ),
    "full": Config(
        "full",
        users=150,
        epochs=6,
        seeds=(0, 1, 2),
        population=None,
        validation=None,
        honest_users=300,
    ),
}


# --- the attacks ------------------------------------------------------------------------------


def rate(
    world: World,
    user: str,
    model: str,
    *,
    liked: int = 0,
    disliked: int = 0,
    contribution: int = 0,
    shown: int = K,
    per_item: bool = False,
) -> int:
    """An attacker's device: ask ``model`` and report whatever summary the rules accept."""
    impression = world.impression(user, model)
    summary = Summary(shown, liked, disliked, contribution)
    return world.rate(impression, user, model, summary, per_item=per_item)


@dataclass
class Scenario:
    """An attack. ``setup`` runs in both worlds (``attack`` says which); ``before`` at the
    start of each epoch, ``act`` after the honest users' round and before settlement."""

    key: str
    title: str
    victim: str | None = None  # the owner whose loss is reported
    attacker: str = "attacker"
    notes: list[str] = field(default_factory=list)

    def setup(self, world: World, config: Config, attack: bool) -> None:
        pass

    def before(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        pass

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        pass


class Accounts:
    """An attacker's user accounts; each deposits just what it commits (its outlay)."""

    def __init__(self, world: World, owner: str, prefix: str, count: int) -> None:
        self.owner = owner
        self.keys = [world.user(owner, f"{prefix}-{i}") for i in range(count)]

    def commit(self, world: World, total: int) -> None:
        """Spread ``total`` over the accounts (each at least 1), depositing what is missing."""
        share = max(1, -(-total // len(self.keys)))
        for key in self.keys:
            missing = share - world.ledger.book.balance(user_account(key))
            if missing > 0:
                world.mint(self.owner, user_account(key), missing)
            world.commit(key, share)


def farm(world: World, user: str, skip: Sequence[str] = ()) -> None:
    """Ask every listed model but ``skip`` and rate it with an empty summary: attention only."""
    for model in [m for m in world.models if world.listed(m) and m not in skip]:
        rate(world, user, model, per_item=True)


class SybilSelfDealing(Scenario):
    """k funded accounts rate the attacker's own (worthless) model: each epoch they commit as
    much as honest dislikes voted against it in the last settlement, to cancel its burn, and
    farm attention from every other model."""

    model = "sybil@1"

    def setup(self, world: World, config: Config, attack: bool) -> None:
        world.deploy(
            self.attacker,
            "sybil-dev",
            self.model,
            stake=STAKE,
            escrow=ESCROW,
            bid=BID,
            lists="attacker-random",
        )
        if attack:
            self.accounts = Accounts(world, self.attacker, "sybil", config.accounts)

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack:
            return
        against = world.last_settled.get(self.model)
        self.accounts.commit(world, against.voted_against if against else config.budget)
        for key in self.accounts.keys:
            if world.listed(self.model):
                rate(world, key, self.model, liked=K, contribution=K)
            farm(world, key, skip=[self.model])


class AttentionFarming(Scenario):
    """The reproduced attack (issue 11): funded accounts budget their money to the attacker's
    model and keep rating a victim's high-bid model with per-item feedback to farm its bid.
    ``deposit`` = 10 once is the reproduction; a larger one commits it every epoch."""

    model = "farm@1"

    def __init__(self, key: str, title: str, *, deposit: int, every_epoch: bool) -> None:
        super().__init__(key, title, victim="high-bid")
        self.deposit, self.every_epoch = deposit, every_epoch

    def setup(self, world: World, config: Config, attack: bool) -> None:
        world.deploy(
            self.victim or "",
            "high-bid-dev",
            "high-bid@1",
            stake=STAKE,
            escrow=20 * ESCROW,
            bid=20,
            lists="high-bid",
        )
        world.deploy(
            self.attacker,
            "farm-dev",
            self.model,
            stake=STAKE,
            escrow=ESCROW,
            bid=BID,
            lists="attacker-random",
        )
        if attack:
            self.accounts = Accounts(world, self.attacker, "farmer", config.accounts)

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack:
            return
        if epoch == 0 or self.every_epoch:
            self.accounts.commit(world, self.deposit * len(self.accounts.keys))
        for key in self.accounts.keys:
            if (epoch == 0 or self.every_epoch) and world.listed(self.model):
                rate(world, key, self.model, liked=1, contribution=1)
            if world.listed("high-bid@1"):
                rate(world, key, "high-bid@1", liked=K, shown=K, per_item=True)


class BurnCompetitor(Scenario):
    """k funded accounts dislike everything the leader (EASE) shows them, with the most negative
    contribution the rules allow, committing each epoch what the leader was paid in the last
    settlement plus its largest burn, so that it is net negative."""

    def setup(self, world: World, config: Config, attack: bool) -> None:
        world.deploy(
            self.attacker,
            "rival-dev",
            "rival@1",
            stake=STAKE,
            escrow=ESCROW,
            bid=BID,
            lists="attacker-random",
        )
        if attack:
            self.accounts = Accounts(world, self.attacker, "burner", config.accounts)

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack:
            return
        leader = world.last_settled.get("ease@1")
        paid = leader.paid if leader else config.users * config.budget // 2
        self.accounts.commit(world, paid + world.params.burn_cap + 1)
        for key in self.accounts.keys:
            rate(world, key, "ease@1", disliked=K, contribution=-K)


class RetireEscape(Scenario):
    """A worthless model, burned by honest dislikes, retires before its epoch is settled and
    tries to take its stake back at once; the baseline retires right after that settlement."""

    model = "escape@1"

    def setup(self, world: World, config: Config, attack: bool) -> None:
        world.deploy(
            self.attacker,
            "escape-dev",
            self.model,
            stake=STAKE,
            escrow=ESCROW,
            bid=BID,
            lists="attacker-random",
        )
        self.last = max(0, config.epochs - 3)  # the last epoch it is shown in

    def before(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack and epoch == self.last + 1:
            world.retire(self.model)

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if attack and epoch == self.last:
            world.retire(self.model)
            held = world.ledger.book.balance(stake_account(self.model))
            withdrawal: Body = {
                "from": stake_account(self.model),
                "to": dev_account("escape-dev"),
                "amount": held,
                "memo": "stake back",
            }
            if world.try_append("transfer", withdrawal) is None:
                self.notes.append(f"stake withdrawal refused: {world.refusals[-1]}")


class UnbackedBid(Scenario):
    """A worthless model bids 10^12 per rated list with 10 credits of escrow (never refilled);
    the baseline is the market without it. Its victims would be the users promised the bid."""

    model = "unbacked@1"

    def setup(self, world: World, config: Config, attack: bool) -> None:
        if attack:
            world.deploy(
                self.attacker,
                "unbacked-dev",
                self.model,
                stake=100,
                escrow=10,
                bid=10**12,
                lists="attacker-random",
                refill=False,
            )

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if attack:
            listed = "listed" if world.listed(self.model) else "not listed (escrow spent)"
            self.notes.append(f"after epoch {epoch}'s ratings: {listed}")


class CopyLeader(Scenario):
    """A model that answers every user with exactly the leader's (EASE's) list."""

    def setup(self, world: World, config: Config, attack: bool) -> None:
        if attack:
            world.deploy(
                self.attacker,
                "copycat-dev",
                "copycat@1",
                stake=STAKE,
                escrow=ESCROW,
                bid=BID,
                lists="ease",
            )


class CollusionRing(Scenario):
    """Three developers of worthless models; each funds accounts that rate the other two
    members' models as positively as the rules allow and farm attention elsewhere."""

    ring = ("ring-0@1", "ring-1@1", "ring-2@1")

    def setup(self, world: World, config: Config, attack: bool) -> None:
        for i, model in enumerate(self.ring):
            world.deploy(
                self.attacker,
                f"ring-dev-{i}",
                model,
                stake=STAKE,
                escrow=ESCROW,
                bid=BID,
                lists=f"ring-random-{i}",
            )
        if attack:
            self.accounts = [
                Accounts(world, self.attacker, f"ring-{i}", 2) for i in range(len(self.ring))
            ]

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack:
            return
        for i, accounts in enumerate(self.accounts):
            others = [m for j, m in enumerate(self.ring) if j != i]
            against = sum(
                world.last_settled[m].voted_against for m in others if m in world.last_settled
            )
            accounts.commit(world, against or config.budget)
            for key in accounts.keys:
                for model in others:
                    if world.listed(model):
                        rate(world, key, model, liked=K, contribution=K)
                farm(world, key, skip=self.ring)


class FreeAccountBurn(Scenario):
    """The reproduced attack (issue 11): a never-funded account rates the attacker's model
    shown=1000, liked=1000 and a competitor (popularity) disliked=1000 each epoch; refused,
    it sends the largest summaries the rules accept (shown = the impression's list)."""

    def setup(self, world: World, config: Config, attack: bool) -> None:
        world.deploy(
            self.attacker,
            "free-dev",
            "free@1",
            stake=STAKE,
            escrow=ESCROW,
            bid=BID,
            lists="attacker-random",
        )
        if attack:
            self.account = world.user(self.attacker, "free-account")

    def act(self, world: World, config: Config, epoch: int, attack: bool) -> None:
        if not attack:
            return
        shown = world.params.list_length
        for model, liked, disliked in (("free@1", 1000, 0), ("popularity@1", 0, 1000)):
            if not world.listed(model):
                continue
            impression = world.impression(self.account, model)
            too_many = Summary(1000, liked, disliked, liked - disliked)
            body = world.rating_body(impression, self.account, model, too_many)
            if world.try_append("rating", body) is None and epoch == 0:
                self.notes.append(f"shown=1000 refused: {world.refusals[-1]}")
            most = Summary(shown, min(liked, shown), min(disliked, shown), 0)
            most = Summary(shown, most.liked, most.disliked, most.liked - most.disliked)
            world.rate(impression, self.account, model, most)


def scenarios() -> list[Scenario]:
    return [
        SybilSelfDealing("sybil", "Sybil self-dealing (k funded accounts rate their own model)"),
        AttentionFarming(
            "farming-reproduced",
            "attention farming, reproduced (5 x 10 credits once)",
            deposit=10,
            every_epoch=False,
        ),
        AttentionFarming(
            "farming",
            "attention farming (5 accounts commit 1000 every epoch)",
            deposit=1000,
            every_epoch=True,
        ),
        BurnCompetitor("burn", "burning a competitor (the leader) by dislikes", victim="ease"),
        RetireEscape("retire", "escaping a burn by retiring before settlement"),
        UnbackedBid(
            "unbacked", "unbacked bid (10^12 per list, 10 credits of escrow)", victim="honest-users"
        ),
        CopyLeader("copy", "copy-the-leader model (EASE's lists)", victim="ease"),
        CollusionRing("ring", "collusion ring (3 developers rate each other's models)"),
        FreeAccountBurn(
            "free-burn",
            "free-account burn, reproduced (shown=1000, liked=1000)",
            victim="popularity",
        ),
    ]


# --- running ----------------------------------------------------------------------------------


def extra_scorers(seed: int) -> dict[str, Scorer]:
    """The attackers' worthless models (random lists, independent of the honest random's) and
    the farming victim's (a noisy EASE of its own, so that it copies no honest model)."""
    return {
        "high-bid": extra_noisy(seed, 0),
        "attacker-random": extra_random(seed, 0),
        **{f"ring-random-{i}": extra_random(seed, 1 + i) for i in range(3)},
    }


def play(
    config: Config,
    seed: int,
    people: Population,
    voting: Voting,
    scenario: Scenario | None = None,
    *,
    attack: bool = False,
    users: int | None = None,
    keep_entries: bool = False,
) -> World:
    """One market run of ``config.epochs`` epochs; the honest side is the same for a seed."""
    world = World(EconomyParams(), seed, keep_entries=keep_entries)
    for name in HONEST:
        world.deploy(
            name, f"{name}-dev", f"{name}@1", stake=STAKE, escrow=ESCROW, bid=BID, lists=name
        )
    if scenario is not None:
        scenario.setup(world, config, attack)
    honest = HonestUsers(people, users or config.users, config.budget, voting, seed)
    for epoch in range(config.epochs):
        world.refill()
        if scenario is not None:
            scenario.before(world, config, epoch, attack)
        honest.play(world, epochs_left=config.epochs - epoch)
        if scenario is not None:
            scenario.act(world, config, epoch, attack)
        world.settle()
    check_conservation(world)
    return world


def check_conservation(world: World) -> None:
    """Balances + burned == minted, and no negative balance (the ledger refuses overdrafts)."""
    book = world.ledger.book
    balances = book.balances()
    if sum(balances.values()) + book.totals.burned != book.totals.minted:
        raise AssertionError("credits are not conserved")
    if any(amount < 0 for amount in balances.values()):
        raise AssertionError("a balance went negative")


@dataclass(frozen=True)
class Outcome:
    key: str
    attack: str
    voting: str
    seed: int
    outlay: int
    gain: int  # the attacker's profit with the attack minus without it
    victim: str | None
    victim_loss: int | None
    notes: tuple[str, ...]


def attack_outcome(
    config: Config, seed: int, people: Population, voting: Voting, scenario: Scenario
) -> Outcome:
    base = play(config, seed, people, voting, scenario, attack=False)
    scenario.notes.clear()
    hit = play(config, seed, people, voting, scenario, attack=True)
    owner = scenario.attacker
    added = hit.minted[owner] - base.minted[owner]
    # What the attack adds to the attacker's credits in the market; all of them when it adds
    # none (an attack that only changes timing puts the whole stake at risk).
    outlay = added if added > 0 else hit.minted[owner]
    victim = scenario.victim
    return Outcome(
        key=scenario.key,
        attack=scenario.title,
        voting=voting.name,
        seed=seed,
        outlay=outlay,
        gain=hit.profit(owner) - base.profit(owner),
        victim=victim,
        victim_loss=None if victim is None else base.profit(victim) - hit.profit(victim),
        notes=tuple(dict.fromkeys(scenario.notes)),
    )


def honest_economy(
    config: Config, seed: int, people: Population, voting: Voting
) -> list[dict[str, Any]]:
    """Each honest model's quality and what the market paid it, with no attacker around."""
    world = play(config, seed, people, voting, users=config.honest_users)
    rows = []
    for name in HONEST:
        flows = world.flows.get(f"{name}@1")
        quality = people.quality[name]
        rows.append(
            {
                "model": name,
                "voting": voting.name,
                "seed": seed,
                "ndcg_at_10": round(quality.ndcg, 4),
                "recall_at_10": round(quality.recall, 4),
                "paid": flows.paid if flows else 0,
                "voted_against": flows.voted_against if flows else 0,
                "stake_burned": flows.stake_burned if flows else 0,
                "attention": flows.attention if flows else 0,
                "earnings": world.profit(name),
            }
        )
    return rows


def spearman(rows: Sequence[dict[str, Any]]) -> float:
    result = stats.spearmanr([r["earnings"] for r in rows], [r["ndcg_at_10"] for r in rows])
    return float(result.statistic)


def run(name: str, *, only: Sequence[str] | None = None) -> dict[str, Any]:
    config = CONFIGS[name]
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    honest_rows: list[dict[str, Any]] = []
    for seed in config.seeds:
        people = population(
            seed, extra_scorers(seed), size=config.population, validation=config.validation
        )
        for voting in config.votings:
            honest_rows += honest_economy(config, seed, people, voting)
            for scenario in scenarios():
                if only is None or scenario.key in only:
                    outcomes.append(attack_outcome(config, seed, people, voting, scenario))
    correlations = {
        voting.name: {
            "per_seed": {
                str(seed): spearman(
                    [r for r in honest_rows if r["voting"] == voting.name and r["seed"] == seed]
                )
                for seed in config.seeds
            },
            "mean_over_seeds": spearman(
                mean_rows([r for r in honest_rows if r["voting"] == voting.name])
            ),
        }
        for voting in config.votings
    }
    return {
        "config": asdict(config),
        "rules": EconomyParams().to_body(),
        "attacks": summarise(outcomes),
        "per_seed": [asdict(o) for o in outcomes],
        "honest_models": honest_rows,
        "spearman": correlations,
        "wall_s": round(time.perf_counter() - started, 1),
    }


HONEST_COLUMNS = (
    "model",
    "voting",
    "ndcg_at_10",
    "recall_at_10",
    "paid",
    "voted_against",
    "stake_burned",
    "attention",
    "earnings",
)


def mean_rows(rows: Sequence[dict[str, Any]], *, by_voting: bool = False) -> list[dict[str, Any]]:
    """Per model (and voting), every number column's mean over the seeds."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["model"], row["voting"] if by_voting else ""), []).append(row)
    return [
        {
            "model": model,
            "voting": voting,
            **{
                column: round(float(np.mean([r[column] for r in group])), 4)
                for column in ("ndcg_at_10", "recall_at_10")
            },
            **{  # credits: whole ones read better than 4.061e+04
                column: round(float(np.mean([r[column] for r in group])))
                for column in HONEST_COLUMNS[4:]
            },
        }
        for (model, voting), group in groups.items()
    ]


def summarise(outcomes: Sequence[Outcome]) -> list[dict[str, Any]]:
    """One row per attack and voting: outlay and return summed over the seeds, and the worst
    seed's return on outlay."""
    rows = []
    for key, voting in dict.fromkeys((o.key, o.voting) for o in outcomes):
        group = [o for o in outcomes if (o.key, o.voting) == (key, voting)]
        outlay, gain = sum(o.outlay for o in group), sum(o.gain for o in group)
        losses = [o.victim_loss for o in group if o.victim_loss is not None]
        rows.append(
            {
                "key": key,
                "attack": group[0].attack,
                "voting": voting,
                "outlay": outlay,
                "return": gain,
                "return_on_outlay": round(gain / outlay, 4) if outlay else 0.0,
                "worst_seed_return_on_outlay": max(_roi(o) for o in group),
                "victim": group[0].victim or "-",
                "victim_loss": sum(losses) if losses else None,
                "seeds": len(group),
                "notes": sorted({note for o in group for note in o.notes}),
            }
        )
    return rows


def _roi(outcome: Outcome) -> float:
    return round(outcome.gain / outcome.outlay, 4) if outcome.outlay else 0.0


# --- the worked example of docs/economy.md ---------------------------------------------------

EXAMPLE_MODELS: Final = ("ease", "popularity", "random")


def example_rows(people: Population, count: int) -> list[int]:
    """The first customers whose blended list (of the example's models, fresh reputations)
    holds something they bought next, so that the example has a like and a dislike."""
    rows = []
    for row in range(len(people.users)):
        lists = [(m, 0.5, people.recommendations(m, row)) for m in EXAMPLE_MODELS]
        blended = [b.item for b in blend(lists, K)]
        if any((item.source, item.item_id) in people.hits(row) for item in blended):
            rows.append(row)
        if len(rows) == count:
            break
    return rows


def worked_example(seed: int = 0) -> str:
    """One epoch, two real customers, three models, on the real ledger: markdown."""
    people = population(seed, size=400)
    world = World(EconomyParams(), seed, keep_entries=True)
    for name in EXAMPLE_MODELS:
        world.deploy(
            name, f"{name}-dev", f"{name}@1", stake=STAKE, escrow=ESCROW, bid=BID, lists=name
        )
    honest = HonestUsers(people, 0, 100, DEMO_VOTING, seed)
    start = len(world.ledger)
    names: dict[str, str] = {}
    out = [
        f"Models (each: stake {STAKE}, attention escrow {ESCROW}, bid {BID} per rated list): "
        + ", ".join(f"`{m}@1`" for m in EXAMPLE_MODELS)
        + f"; each user commits {honest.budget} credits to the epoch's budget.",
        "",
    ]
    for letter, row in zip("AB", example_rows(people, 2), strict=True):
        played = honest.round(world, row, epochs_left=1)
        names[played.user] = f"user {letter}"
        out += describe_round(people, played, f"User {letter}", row)
    settled = world.settle()
    out += ["Settlement of epoch 0, as appended to the ledger:", ""]
    out += ["| entry | from | to | amount | memo |", "|---|---|---|---|---|"]
    for entry in settled:
        body = entry.body
        if entry.kind == "epoch_close":
            continue
        source = _short(str(body.get("from", "")), names)
        target = _short(str(body.get("to", "")), names) if entry.kind == "transfer" else "(burned)"
        out.append(f"| {entry.kind} | {source} | {target} | {body['amount']} | {body['memo']} |")
    epoch_entries = world.ledger.entries[start:]
    out += ["", f"({len(epoch_entries)} entries in the epoch, the settlement included.)", ""]
    out += [
        "| model | paid for (P) | voted against (V) | stake burned | attention paid |",
        "|---|---|---|---|---|",
    ]
    for name in EXAMPLE_MODELS:
        flows = world.flows.get(f"{name}@1")
        if flows is not None:
            out.append(
                f"| {name}@1 | {flows.paid} | {flows.voted_against} | "
                f"{flows.stake_burned} | {flows.attention} |"
            )
    return "\n".join(out) + "\n"


def describe_round(people: Population, played: Round, who: str, row: int) -> list[str]:
    bought = len(people.held_out[row])
    out = [
        f"**{who}** (Online Retail customer {int(people.users[row])}, who bought {bought} new "
        "items in their next basket). The blended list, leave-one-out and votes:",
        "",
        "| # | item | proposed by | vote | leaves the list without |",
        "|---|---|---|---|---|",
    ]
    for rank, blended in enumerate(played.blended, start=1):
        key = blended.key
        # The models whose leaving out takes this item out of B: those it counts for, asked
        # of the device's own function with this one item liked.
        counted = contributions(played.lists, {key: "like"}, K)
        gone = [label for label, n in counted.items() if n]
        vote = played.votes.get(key, "")
        out.append(
            f"| {rank} | {blended.item.title[:40]} | {', '.join(blended.models)} | {vote} | "
            f"{', '.join(gone) or '-'} |"
        )
    out += [
        "",
        "| model | shown | liked | disliked | contribution | attention paid to the user |",
        "|---|---|---|---|---|---|",
    ]
    for model, summary in sorted(played.summaries.items()):
        out.append(
            f"| {model} | {summary.shown} | {summary.liked} | {summary.disliked} | "
            f"{summary.contribution} | {played.paid.get(model, 0)} |"
        )
    return [*out, ""]


def _short(account: str, names: dict[str, str]) -> str:
    kind, _, rest = account.partition(":")
    for key, name in names.items():
        if key in rest:
            return f"{kind}:{name}" if kind == "user" else f"budget:{name}"
    return account


def render(outcome: dict[str, Any], machine_info: dict[str, Any]) -> str:
    """The run as the markdown page kept in docs/economy_attacks.md."""
    config = outcome["config"]
    lines = [
        "# Economy attacks (`benchmarks/economy_attacks.py`)",
        "",
        "Generated by `python -m benchmarks.economy_attacks --json docs/economy_attacks.json "
        "--markdown docs/economy_attacks.md`; what it does and what the numbers mean: "
        "docs/economy.md.",
        "",
        f"Configuration `{config['name']}`: {config['epochs']} epochs, {config['users']} honest "
        f"customers per epoch in each attack's runs ({config['honest_users']} in the run "
        f"without attackers), each committing {config['budget']} credits per epoch; seeds "
        f"{', '.join(map(str, config['seeds']))}; {outcome['wall_s']} s on "
        f"{machine_info['cpu']}, {machine_info['cores']} cores, Python {machine_info['python']}.",
        "",
        "## Attacks",
        "",
        "Outlay, return and the victim's loss are summed over the seeds; return on outlay is "
        "return / outlay, and the worst seed's too.",
        "",
        _table(outcome["attacks"], COLUMNS),
        "",
    ]
    notes = [(row["key"], note) for row in outcome["attacks"] for note in row["notes"]]
    lines += [f"- {key}: {note}" for key, note in dict.fromkeys(notes)]
    lines += ["", "## Honest models (no attacker)", ""]
    lines.append(_table(mean_rows(outcome["honest_models"], by_voting=True), HONEST_COLUMNS))
    for voting, correlation in outcome["spearman"].items():
        per_seed = ", ".join(f"{v:.2f}" for v in correlation["per_seed"].values())
        lines.append(
            f"\nSpearman(earnings, NDCG@10) under {voting} voting: "
            f"{correlation['mean_over_seeds']:.2f} on the means over seeds; per seed {per_seed}."
        )
    return "\n".join(lines) + "\n"


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    text = io.StringIO()
    with redirect_stdout(text):
        print_table(rows, columns)
    return text.getvalue().rstrip("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the test suite's configuration")
    parser.add_argument("--json", default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument("--markdown", help="also write the run as markdown here")
    parser.add_argument("--only", nargs="+", help="attack keys, e.g. sybil ring")
    parser.add_argument("--example", action="store_true", help="print the worked example")
    args = parser.parse_args(argv)
    if args.example:
        print(worked_example(), end="")
        return 0
    outcome = run("small" if args.small else "full", only=args.only)
    machine_info = machine()
    page = render(outcome, machine_info)
    print(page)
    if args.markdown:
        Path(args.markdown).write_text(page)
    write_json(args.json, {"benchmark": "economy_attacks", "machine": machine_info, **outcome})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
