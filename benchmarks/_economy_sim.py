"""The economy simulator's parts: real customers of the shipped Online Retail data as the honest
population, plain scorers of known quality as competing models, and a market whose every credit
moves through the real ledger (:class:`ledger.Ledger`), as the server appends it."""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Final

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from client_app.ranking import (
    BlendedItem,
    ItemKey,
    Recommendation,
    Reputation,
    Vote,
    blend,
    contributions,
)
from ledger import EconomyParams, Entry, Ledger, LedgerError, MarketKey, format_time
from ledger.economy import (
    ATTENTION_MEMO,
    SETTLE_MEMO,
    Body,
    budget_account,
    budget_owner,
    dev_account,
    escrow_account,
    stake_account,
    user_account,
)
from recommenders.baselines import EASE, ItemKNN, Popularity
from recommenders.datasets import Catalog, Split, load_online_retail, temporal_last_basket_split
from recommenders.evaluation import evaluate, interaction_matrix, top_items

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
# Scores every catalog item for users (dataset ids) from their training histories (CSR rows).
Scorer = Callable[[IntArray, sp.csr_matrix], FloatArray]

K = 10  # items per model list and in the blended list, as the app shows them
START = datetime(2024, 1, 1, tzinfo=UTC)
NOISE = 2.0  # the noisy scorer's noise, in standard deviations of the user's clean scores


# --- the honest population and the competing models ------------------------------------------


@dataclass(frozen=True)
class Quality:
    """A model's true quality on the validation users' held-out next basket."""

    ndcg: float
    recall: float
    users: int


@dataclass(frozen=True, eq=False)
class Population:
    """Simulated users (real customers) with what they bought next, and each model's top-K list
    for each of them, computed from their purchase history before that basket."""

    catalog: Catalog
    users: IntArray  # dataset ids; row r of every list array is users[r]
    held_out: tuple[frozenset[int], ...]  # per row: the catalog rows bought in the next basket
    lists: Mapping[str, IntArray]  # model -> (users, K) catalog rows, best first
    quality: Mapping[str, Quality]

    def recommendations(self, model: str, row: int) -> list[Recommendation]:
        items = self.lists[model][row].tolist()
        return [self.recommendation(item, rank) for rank, item in enumerate(items)]

    def recommendation(self, item: int, rank: int) -> Recommendation:
        catalog = self.catalog
        return Recommendation(
            item_id=catalog.item_ids[item],
            source=catalog.source,
            title=catalog.titles[item],
            category=catalog.categories[item].value,
            metadata={},
            score=1.0 / (rank + 1),
            rank=rank,
        )

    def hits(self, row: int) -> frozenset[ItemKey]:
        source, ids = self.catalog.source, self.catalog.item_ids
        return frozenset((source, ids[item]) for item in self.held_out[row])


@functools.cache
def _retail() -> tuple[Catalog, Split, sp.csr_matrix]:
    data = load_online_retail()
    split = temporal_last_basket_split(data.purchases)
    n_users = int(max(split.train.users.max(), split.test.users.max())) + 1
    return data.catalog, split, interaction_matrix(split.train, n_users, len(data.catalog))


def _noisy(clean: Scorer, stream: Sequence[int]) -> Scorer:
    def score(users: IntArray, history: sp.csr_matrix) -> FloatArray:
        scores = clean(users, history)
        for row, user in enumerate(users.tolist()):
            # Per user, so a user's list does not depend on the batch it was scored in.
            rng = np.random.default_rng([*stream, user])
            spread = float(scores[row].std()) or 1.0
            scores[row] += rng.normal(0.0, NOISE * spread, scores.shape[1])
        return scores

    return score


def _random(n_items: int, stream: Sequence[int]) -> Scorer:
    def score(users: IntArray, history: sp.csr_matrix) -> FloatArray:
        rows = [np.random.default_rng([*stream, u]).random(n_items) for u in users.tolist()]
        return np.stack(rows)

    return score


@functools.cache
def _fitted() -> dict[str, Scorer]:
    _, _, train = _retail()
    ease, knn, popularity = EASE().fit(train), ItemKNN().fit(train), Popularity().fit(train)
    return {
        "ease": lambda users, history: ease.score(history),
        "item-knn": lambda users, history: knn.score(history),
        "popularity": lambda users, history: popularity.score(history),
    }


def scorers(seed: int) -> dict[str, Scorer]:
    """The competing plain scorers, best first by design: EASE, item-kNN, EASE with noise,
    popularity, random. ``seed`` draws the noise and the random scores."""
    catalog, _, _ = _retail()
    fitted = _fitted()
    return {
        "ease": fitted["ease"],
        "item-knn": fitted["item-knn"],
        "ease-noisy": _noisy(fitted["ease"], (seed,)),
        "popularity": fitted["popularity"],
        "random": _random(len(catalog), (seed,)),
    }


def extra_noisy(seed: int, index: int) -> Scorer:
    """Another noisy EASE (a decent model of its own), independent of ``scorers``' one."""
    return _noisy(_fitted()["ease"], (seed, 1 + index))


def extra_random(seed: int, index: int) -> Scorer:
    """Another random scorer (an attacker's worthless model), independent of ``scorers``' and
    of the other indices'."""
    return _random(len(_retail()[0]), (seed, 1 + index))


def population(
    seed: int,
    extra: Mapping[str, Scorer] | None = None,
    *,
    size: int | None = None,
    validation: int | None = None,
) -> Population:
    """The held-out customers split in two at random (``seed``): the validation half (at most
    ``validation`` of it) measures the quality of each model of :func:`scorers`, the other half
    (at most ``size``) is the simulated population. ``extra`` models (attackers') answer it too."""
    catalog, split, train = _retail()
    honest = scorers(seed)
    models = {**honest, **(extra or {})}
    users = np.random.default_rng(seed).permutation(split.test_users())
    measured, simulated = users[: users.size // 2], np.sort(users[users.size // 2 :])
    simulated, measured = simulated[:size], measured[:validation]
    check = Split(train=split.train, test=split.test.select(np.isin(split.test.users, measured)))
    quality = {}
    for name, scorer in honest.items():
        result = evaluate(scorer, check, len(catalog), k=K)
        quality[name] = Quality(ndcg=result.ndcg, recall=result.recall, users=result.users)
    history = train[simulated]
    lists = {}
    for name, scorer in models.items():
        scores = np.array(scorer(simulated, history), dtype=np.float64)
        scores[history.nonzero()] = -np.inf  # never what the customer bought before
        lists[name] = np.stack([top_items(row, K) for row in scores])
    test = split.test
    held_out = tuple(frozenset(test.items[test.users == u].tolist()) for u in simulated.tolist())
    return Population(
        catalog=catalog,
        users=simulated,
        held_out=held_out,
        lists=MappingProxyType(lists),
        quality=MappingProxyType(quality),
    )


# --- the device: votes as the demo casts them, and each model's contribution ------------------


def _key(item: Recommendation) -> ItemKey:
    return (item.source, item.item_id)


Lists = Sequence[tuple[str, float, Sequence[Recommendation]]]


@dataclass(frozen=True)
class Voting:
    """How many misses an honest user dislikes per model list and in the blended list."""

    name: str
    list_dislikes: int
    blended_dislikes: int


DEMO_VOTING: Final = Voting("demo", 2, 2)  # two misses of every list the user is shown


def demo_votes(
    lists: Lists,
    blended: Sequence[Recommendation],
    hits: frozenset[ItemKey],
    voting: Voting,
) -> dict[ItemKey, Vote]:
    """Like every shown item the user really bought next; dislike the last misses of each
    model's list and of the blended one (client_app.demo's rule: two per list). A vote is on
    the item, so it counts in every list of the round that shows it."""
    votes: dict[ItemKey, Vote] = {}
    shown = [(items, voting.list_dislikes) for _, _, items in lists]
    for items, dislikes in [*shown, (blended, voting.blended_dislikes)]:
        for item in items:
            if _key(item) in hits:
                votes[_key(item)] = "like"
        misses = [item for item in reversed(items) if _key(item) not in hits]
        for item in misses[:dislikes]:
            votes.setdefault(_key(item), "dislike")
    return votes


@dataclass(frozen=True)
class Summary:
    """A model's rating summary for one round, with its contribution to the blended list."""

    shown: int
    liked: int
    disliked: int
    contribution: int


def summaries(lists: Lists, votes: Mapping[ItemKey, Vote], k: int = K) -> dict[str, Summary]:
    counted = contributions(lists, votes, k)
    out = {}
    for label, _, items in lists:
        marks = [votes.get(_key(item)) for item in items]
        out[label] = Summary(
            shown=len(items),
            liked=marks.count("like"),
            disliked=marks.count("dislike"),
            contribution=counted[label],
        )
    return out


# --- the market: the real ledger, and whose each account is ------------------------------------


@dataclass
class Listing:
    developer: str
    owner: str
    bid: int
    lists: str  # the Population.lists entry this model answers with
    refill: int  # the developer tops its escrow up to this at each epoch's start (0: never)
    retired: bool = False


@dataclass
class Flows:
    """What the ledger moved for one model over a run (from its entries' memos)."""

    paid: int = 0  # its shares of budgets, fee included (the spec's P)
    fees: int = 0  # the market's part of them
    voted_against: int = 0  # budgets burned by dislikes of it (the spec's V)
    stake_burned: int = 0
    attention: int = 0  # paid out of its escrow to raters, fee included


@dataclass
class World:
    """One market run: a ledger appended to exactly as the server appends, plus who owns which
    account (owners are labels such as ``honest-users``, ``ease``, ``attacker``)."""

    params: EconomyParams
    seed: int
    keep_entries: bool = False
    key: MarketKey = field(init=False)
    ledger: Ledger = field(init=False)
    models: dict[str, Listing] = field(default_factory=dict)
    minted: Counter[str] = field(default_factory=Counter)
    user_owner: dict[str, str] = field(default_factory=dict)  # user key -> owner
    dev_owner: dict[str, str] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)
    flows: dict[str, Flows] = field(default_factory=dict)
    last_settled: dict[str, Flows] = field(default_factory=dict)  # the last epoch's, per model
    _ticks: int = 0
    _impressions: int = 0

    def __post_init__(self) -> None:
        seed = hashlib.sha256(f"privrec-economy-sim-market-{self.seed}".encode()).hexdigest()
        self.key = MarketKey.from_seed_hex(seed)
        self.ledger = Ledger(self.key, keep_entries=self.keep_entries)
        self.ledger.switch_rules(self.params, time=self._time())

    # --- time and epochs -----------------------------------------------------------------

    def _time(self) -> str:
        self._ticks += 1
        return format_time(START + timedelta(seconds=self._ticks))

    @property
    def epoch(self) -> int:
        return self.ledger.open_epoch

    def append(self, kind: str, body: Body) -> Entry:
        return self.ledger.append(kind, body, epoch=self.epoch, time=self._time())

    def settle(self) -> list[Entry]:
        entries = self.ledger.settle_epoch(self.epoch, time=self._time())
        self.last_settled = {}
        self._note(entries, self.last_settled)
        self._note(entries, self.flows)
        return entries

    @staticmethod
    def _note(entries: Sequence[Entry], flows: dict[str, Flows]) -> None:
        for entry in entries:
            memo = str(entry.body.get("memo", ""))
            amount = int(entry.body.get("amount", 0))
            source = str(entry.body.get("from", ""))
            if memo.startswith(ATTENTION_MEMO) and source.startswith("escrow:"):
                flows.setdefault(source.removeprefix("escrow:"), Flows()).attention += amount
                continue
            parts = memo.split(":", 3)
            if len(parts) != 4 or parts[0] + ":" != SETTLE_MEMO:
                continue
            tally = flows.setdefault(parts[3], Flows())
            match parts[2]:
                case "share":
                    tally.paid += amount
                case "fee":
                    tally.paid += amount
                    tally.fees += amount
                case "vote":
                    tally.voted_against += amount
                case "burn":
                    tally.stake_burned += amount

    # --- accounts --------------------------------------------------------------------------

    def user(self, owner: str, name: str) -> str:
        """A user's public key (derived from the run's seed and ``name``), owned by ``owner``."""
        key = hashlib.sha256(f"{self.seed}/{owner}/{name}".encode()).hexdigest()
        self.user_owner[key] = owner
        return key

    def mint(self, owner: str, account: str, amount: int) -> None:
        self.minted[owner] += amount
        self.append("mint", {"account": account, "amount": amount, "memo": "deposit"})

    def commit(self, user: str, amount: int) -> None:
        """The user moves ``amount`` of their balance into this epoch's budget."""
        self.append(
            "transfer",
            {
                "from": user_account(user),
                "to": budget_account(user, self.epoch),
                "amount": amount,
                "memo": "budget",
            },
        )

    def deploy(
        self,
        owner: str,
        developer: str,
        model: str,
        *,
        stake: int,
        escrow: int,
        bid: int,
        lists: str,
        refill: bool = True,
    ) -> None:
        """Fund the developer, register the model, escrow its stake and attention budget."""
        self.dev_owner[developer] = owner
        self.mint(owner, dev_account(developer), stake + escrow)
        self.models[model] = Listing(developer, owner, bid, lists, refill=escrow if refill else 0)
        self.append("model", {"model": model, "developer": developer, "bid": bid})
        self.append(
            "transfer",
            {
                "from": dev_account(developer),
                "to": stake_account(model),
                "amount": stake,
                "memo": "stake",
            },
        )
        if escrow:
            self.top_up(model, escrow)

    def top_up(self, model: str, amount: int) -> None:
        developer = self.models[model].developer
        amount = min(amount, self.ledger.book.balance(dev_account(developer)))
        if amount > 0:
            self.append(
                "transfer",
                {
                    "from": dev_account(developer),
                    "to": escrow_account(model),
                    "amount": amount,
                    "memo": "attention escrow",
                },
            )

    def refill(self) -> None:
        """Each developer tops its listed models' escrows up: from what it has earned, then
        with a fresh deposit. Developers keep their models in the market for the whole run,
        so that earnings compare models that were all listed throughout (a worthless model
        whose escrow ran out would stop losing, and out-earn a poor one still listed)."""
        for model, listing in self.models.items():
            if listing.refill and not listing.retired:
                short = listing.refill - self.ledger.book.balance(escrow_account(model))
                account = dev_account(listing.developer)
                missing = short - self.ledger.book.balance(account)
                if short > 0 and missing > 0:
                    self.mint(listing.owner, account, missing)
                self.top_up(model, short)

    def retire(self, model: str) -> None:
        listing = self.models[model]
        listing.retired = True
        self.append("retire", {"model": model, "developer": listing.developer})

    def listed(self, model: str) -> bool:
        """Whether the market lists ``model``: not retired, and its bid backed by escrow."""
        listing = self.models[model]
        backed = listing.bid == 0 or self.ledger.book.balance(escrow_account(model)) > 0
        return not listing.retired and backed

    def try_append(self, kind: str, body: Body) -> Entry | None:
        """Append, or record why the ledger refused (an attacker trying what the rules forbid)."""
        try:
            return self.append(kind, body)
        except LedgerError as error:
            self.refusals.append(f"{kind}: {error}")
            return None

    # --- impressions and ratings ---------------------------------------------------------------

    def impression(self, user: str, model: str) -> str:
        self._impressions += 1
        impression = f"i{self._impressions}"
        listing = self.models[model]
        self.append(
            "impression",
            {
                "impression_id": impression,
                "user": user,
                "model": model,
                "developer": listing.developer,
                "list": min(self.params.list_length, len(_retail()[0])),
            },
        )
        return impression

    def rating_body(
        self, impression: str, user: str, model: str, summary: Summary, *, per_item: bool = False
    ) -> Body:
        return {
            "impression_id": impression,
            "user": user,
            "model": model,
            "developer": self.models[model].developer,
            "shown": summary.shown,
            "liked": summary.liked,
            "disliked": summary.disliked,
            "per_item": per_item,
            "contribution": summary.contribution,
        }

    def rate(
        self, impression: str, user: str, model: str, summary: Summary, *, per_item: bool = False
    ) -> int:
        """Record the rating and its attention payments; what the user was paid."""
        body = self.rating_body(impression, user, model, summary, per_item=per_item)
        entries = self.ledger.record_rating(body, epoch=self.epoch, time=self._time())
        self._note(entries, self.flows)
        return sum(
            int(e.body["amount"])
            for e in entries
            if e.kind == "transfer" and e.body["to"] == user_account(user)
        )

    # --- accounting ----------------------------------------------------------------------------

    def owner_of(self, account: str) -> str:
        kind, _, rest = account.partition(":")
        budget = budget_owner(account)
        if budget is not None:
            return self.user_owner.get(budget[0], "?")
        if kind == "user":
            return self.user_owner.get(rest, "?")
        if kind == "dev":
            return self.dev_owner.get(rest, "?")
        if kind in ("stake", "escrow"):
            listing = self.models.get(rest)
            return listing.owner if listing else "?"
        return kind  # the market

    def wealth(self) -> Counter[str]:
        """Credits held per owner; stakes and escrows at face value (what retiring returns
        if nothing more is burned: an upper bound, so an attacker's return is not understated)."""
        held: Counter[str] = Counter()
        for account, amount in self.ledger.book.balances().items():
            held[self.owner_of(account)] += amount
        return held

    def profit(self, owner: str) -> int:
        return self.wealth()[owner] - self.minted[owner]


# --- honest users ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """What one honest user saw, voted and sent in one epoch (for the worked example)."""

    user: str
    lists: Lists
    blended: list[BlendedItem[Recommendation]]
    votes: Mapping[ItemKey, Vote]
    summaries: Mapping[str, Summary]
    paid: Mapping[str, int]  # attention paid to the user, per rated model


@dataclass
class HonestUsers:
    """The honest population's devices: per epoch a sample of customers commits a budget, asks
    every listed model, blends the lists by their own reputation of each model, votes like the
    demo user, and sends each model's summary with its contribution.

    Who is asked in an epoch, and in which order a user rates, depend only on ``seed``, the
    epoch and the user: the same in a run with an attacker as in one without."""

    population: Population
    per_epoch: int
    budget: int
    voting: Voting
    seed: int
    reputation: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)
    promised: int = 0  # attention bids of the rated lists (what users were offered)
    paid: int = 0

    def play(self, world: World, *, epochs_left: int) -> None:
        rng = np.random.default_rng([self.seed, world.epoch])
        rows = rng.choice(len(self.population.users), self.per_epoch, replace=False)
        for row in sorted(rows.tolist()):
            self.round(world, row, epochs_left=epochs_left)

    def key(self, world: World, row: int) -> str:
        return world.user("honest-users", f"customer-{int(self.population.users[row])}")

    def round(self, world: World, row: int, *, epochs_left: int) -> Round:
        user = self.key(world, row)
        if world.ledger.book.balance(user_account(user)) < self.budget:
            world.mint("honest-users", user_account(user), self.budget * epochs_left)
        world.commit(user, self.budget)
        # Oldest first, as the market lists them: contributions credit a repeated item to the
        # model that proposed it first.
        asked = [m for m in world.models if world.listed(m)]
        impressions = {model: world.impression(user, model) for model in asked}
        lists = [
            (
                model,
                Reputation(*self.reputation.get((row, model), (0, 0))).score,
                self.population.recommendations(world.models[model].lists, row),
            )
            for model in asked
        ]
        blended = blend(lists, K)
        votes = demo_votes(lists, [b.item for b in blended], self.population.hits(row), self.voting)
        rated = summaries(lists, votes)
        paid = {}
        # Which bids the user's attention cap reaches first is luck (per user and epoch).
        order = np.random.default_rng([self.seed, world.epoch, row]).permutation(len(asked))
        for model in [asked[i] for i in order.tolist()]:
            summary = rated[model]
            if not summary.liked and not summary.disliked:
                continue  # the app sends a summary only for a list with votes
            likes, dislikes = self.reputation.get((row, model), (0, 0))
            self.reputation[row, model] = (likes + summary.liked, dislikes + summary.disliked)
            self.promised += world.models[model].bid
            paid[model] = world.rate(impressions[model], user, model, summary)
            self.paid += paid[model]
        return Round(user, lists, blended, votes, rated, paid)
