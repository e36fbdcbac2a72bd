"""The state a replay of the ledger builds, entry by entry: balances, totals, and what the
economy's rules (``ledger.rules``) and its readers (leaderboard, wallet) need, kept bounded;
readers get read-only snapshots of it that later entries do not change (:meth:`Book.snapshot`)."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, TypeVar

from ledger.economy import (
    _EPOCH_TEXT,
    ATTENTION_MEMO,
    MAX_AMOUNT,
    SETTLEMENT_PAYMENT_RE,
    SETTLEMENT_USER_RE,
    TRAINING_PAYMENT_RE,
    EntryLike,
    LedgerError,
    Totals,
    _bool,
    _int,
    _str,
    budget_owner,
    user_account,
    utc_day,
)
from ledger.versioned import READ_ONLY, CopyOnWrite, VersionedMap

T = TypeVar("T")


@dataclass(frozen=True)
class Votes:
    """Items liked and disliked in a model's rated lists. Funded ones come from users who had
    committed credits to the rating's epoch; unfunded ones are shown apart and move nothing."""

    funded_liked: int = 0
    funded_disliked: int = 0
    unfunded_liked: int = 0
    unfunded_disliked: int = 0


@dataclass(frozen=True)
class Contribution:
    """A model's budget-weighted contribution over settled epochs, in credits: budgets paid
    for the items it alone brought to liked places in blended lists, and budgets burned
    against those it alone brought to disliked ones."""

    paid_for: int = 0
    voted_against: int = 0

    @property
    def net(self) -> int:
        return self.paid_for - self.voted_against


@dataclass(frozen=True)
class PayoutLine:
    """What one user's budget did for one model in a settlement."""

    model: str
    contribution: int  # the user's summed contribution (liked minus disliked items it brought)
    paid: int  # to the model's developer
    fee: int  # to the market, out of the same share
    burned: int  # the user's budget burned against the model (a negative contribution)


@dataclass(frozen=True)
class UserSettlement:
    """The last settlement of a user's budget: where each credit went, and why."""

    epoch: int
    lines: tuple[PayoutLine, ...]
    refunded: int
    clawback: int  # burned: attention earned in an epoch whose ratings paid no model


@dataclass(frozen=True)
class TrainingRun:
    """An open federated training run (rules 4): whose model it trains, what one accepted
    contribution earns, and how many aggregation rounds it has."""

    model: str
    developer: str
    reward: int
    rounds: int


@dataclass(frozen=True)
class RatedVote:
    """A rating of the open epoch as it now stands (rules 2 and later): what a vote change
    replaces, and how often it has changed."""

    user: str
    model: str
    shown: int
    per_item: bool
    funded: bool  # its user had committed credits to the epoch when rating: it weighs
    liked: int
    disliked: int
    contribution: int
    changes: int


class Book:
    """Apply entries in seq order; a failed ``apply`` changes nothing. The rules read it
    through the methods below; nothing outside this module writes it.

    A :meth:`snapshot` shares every container with the book, so taking one costs O(1) in the
    book's size: the book copies a container (one level: a dict, not what it holds) before it
    first changes it after a snapshot, and what only grows (ids of rated and paid impressions,
    training runs, the open epoch's ratings) is versioned instead of copied."""

    def __init__(self) -> None:
        self._cow = CopyOnWrite()
        self._frozen = False  # a snapshot: apply refuses
        self._balances: dict[str, int] = defaultdict(int)
        self._minted = 0
        self._burned = 0
        self._developers: dict[str, str] = {}
        self._bids: dict[str, int] = {}
        self._deposited: dict[str, int] = defaultdict(int)  # user key -> minted to them
        self._budgeted: dict[str, int] = defaultdict(int)  # user key -> put in budgets, kept
        self._rater: VersionedMap[str, str] = VersionedMap()  # impression id -> its rater
        self._attention: dict[tuple[str, str], int] = defaultdict(int)  # (user, day) -> paid
        self._attention_paid: VersionedMap[str, bool] = VersionedMap()  # impression ids
        self._liked: dict[int, dict[str, dict[str, int]]] = {}  # epoch -> user -> model -> n
        self._net: dict[int, dict[str, int]] = {}  # epoch -> model -> liked - disliked
        self._budget_users: dict[int, set[str]] = {}  # epoch -> users with a budget
        self._closed: set[int] = set()
        # Rules 2: per open (or future) epoch, dropped when it closes.
        self._committed: dict[int, dict[str, int]] = {}  # epoch -> user -> put in its budget
        self._attention_epoch: dict[int, dict[str, int]] = {}  # epoch -> user -> counted
        self._contrib: dict[int, dict[str, dict[str, int]]] = {}  # epoch -> user -> model -> c
        # epoch -> impression -> RatedVote fields (a vote change replaces them)
        self._ratings: dict[int, VersionedMap[str, tuple[Any, ...]]] = {}
        # Per model: bounded by the models ever registered.
        self._shown: set[str] = set()  # models that had an impression: their stake was at risk
        self._retired: dict[str, int] = {}  # model -> epoch it retired in
        self._votes: dict[str, list[int]] = {}  # model -> Votes fields
        self._credit: dict[str, list[int]] = {}  # model -> [paid_for, voted_against]
        # Reporting aggregates (the leaderboard's and the wallet's), kept as entries apply so
        # that no reader has to scan the ledger: bounded by accounts and models.
        self._earned: dict[str, int] = defaultdict(int)  # model -> settlement shares paid
        self._attention_earned: dict[str, int] = defaultdict(int)  # user key -> attention
        self._payouts: dict[str, dict[str, int]] = {}  # user key -> model -> share + fee
        self._last: dict[str, dict[str, Any]] = {}  # user key -> last settlement (see below)
        # Rules 4: training runs. Open runs and their paid contributions ("round:user"), dropped
        # when the run closes; every run id ever opened (ids are never reused); per open epoch,
        # what each user was paid for training (the cap); what each user earned by training.
        self._trainings: dict[str, list[Any]] = {}  # run -> TrainingRun fields
        self._contributed: dict[str, set[str]] = {}  # run -> "round:user"
        self._training_ids: VersionedMap[str, bool] = VersionedMap()
        self._training_epoch: dict[int, dict[str, int]] = {}  # epoch -> user -> counted
        self._training_earned: dict[str, int] = defaultdict(int)  # user key -> training paid

    # --- reading ---------------------------------------------------------------------------

    def balance(self, account: str) -> int:
        return self._balances.get(account, 0)

    def balances(self) -> dict[str, int]:
        """Every non-zero balance, sorted by account."""
        return {account: n for account, n in sorted(self._balances.items()) if n}

    @property
    def totals(self) -> Totals:
        return Totals(minted=self._minted, burned=self._burned)

    @property
    def developers(self) -> Mapping[str, str]:
        """Model -> developer, from the ``model`` entries: whose stake and payouts a model's are."""
        return MappingProxyType(self._developers)

    @property
    def bids(self) -> Mapping[str, int]:
        """Model -> its current attention bid per rated impression."""
        return MappingProxyType(self._bids)

    @property
    def closed_epochs(self) -> frozenset[int]:
        return frozenset(self._closed)

    @property
    def retired(self) -> Mapping[str, int]:
        """Model -> the epoch it retired in."""
        return MappingProxyType(self._retired)

    def was_shown(self, model: str) -> bool:
        """Whether the model ever had an impression (so its stake has been at risk)."""
        return model in self._shown

    def earned(self, model: str) -> int:
        """What settlements have paid ``model``'s developer (its shares, after fees)."""
        return self._earned.get(model, 0)

    def attention_earned(self, pubkey_hex: str) -> int:
        """The attention payments the user has received."""
        return self._attention_earned.get(pubkey_hex, 0)

    def payouts(self, pubkey_hex: str) -> dict[str, int]:
        """Model -> what the user's budgets paid for it (its share and the market's fee)."""
        return dict(sorted(self._payouts.get(pubkey_hex, {}).items()))

    def funded(self, pubkey_hex: str) -> int:
        """Rules 1: what the user has committed, the larger of their deposits and what they
        have put in budgets and not had refunded (the larger, not the sum, so a deposit that
        is then budgeted counts once)."""
        return max(self._deposited.get(pubkey_hex, 0), self._budgeted.get(pubkey_hex, 0))

    def committed(self, pubkey_hex: str, epoch: int) -> int:
        """What the user has put into their budget for ``epoch`` (while it is open)."""
        return self._committed.get(epoch, {}).get(pubkey_hex, 0)

    def attention_counted(self, pubkey_hex: str, epoch: int) -> int:
        """Attention paid for the user's ratings in ``epoch``, fees included (rules 2's cap)."""
        return self._attention_epoch.get(epoch, {}).get(pubkey_hex, 0)

    def attention_on_day(self, pubkey_hex: str, day: str) -> int:
        """Attention paid for the user's ratings on a UTC day, fees included (rules 1's cap)."""
        return self._attention.get((pubkey_hex, day), 0)

    def attention_paid(self, impression_id: str) -> bool:
        return impression_id in self._attention_paid

    def training(self, training: str) -> TrainingRun:
        """The open training run ``training``; LedgerError if it is not open."""
        found = self._trainings.get(training)
        if found is None:
            raise LedgerError(f"training run {training} is not open")
        return TrainingRun(*found)

    def training_is_open(self, training: str) -> bool:
        return training in self._trainings

    def training_was_opened(self, training: str) -> bool:
        return training in self._training_ids

    def contributed(self, training: str, round_index: int, pubkey_hex: str) -> bool:
        """Whether the user's contribution to that round of an open run was recorded."""
        return f"{round_index}:{pubkey_hex}" in self._contributed.get(training, ())

    def training_counted(self, pubkey_hex: str, epoch: int) -> int:
        """Training payments for the user's contributions in ``epoch``, fees included."""
        return self._training_epoch.get(epoch, {}).get(pubkey_hex, 0)

    def training_earned(self, pubkey_hex: str) -> int:
        """What the user has been paid for contributions to training runs."""
        return self._training_earned.get(pubkey_hex, 0)

    def budget_users(self, epoch: int) -> frozenset[str]:
        """Users with a budget for ``epoch`` (while it is open)."""
        return frozenset(self._budget_users.get(epoch, ()))

    def liked(self, epoch: int, pubkey_hex: str) -> dict[str, int]:
        """Rules 1: model -> items the user liked in ``epoch``."""
        return dict(self._liked.get(epoch, {}).get(pubkey_hex, {}))

    def nets(self, epoch: int) -> dict[str, int]:
        """Rules 1: model -> liked minus disliked items over ``epoch``."""
        return dict(self._net.get(epoch, {}))

    def contributions(self, epoch: int, pubkey_hex: str) -> dict[str, int] | None:
        """Rules 2: model -> the user's summed contributions in ``epoch``; None if the user
        rated nothing there."""
        found = self._contrib.get(epoch, {}).get(pubkey_hex)
        return None if found is None else dict(found)

    def rated_vote(self, epoch: int, impression_id: str) -> RatedVote | None:
        """The rating of ``impression_id`` made in ``epoch`` while that epoch is open (rules 2
        and later), as vote changes left it; None once the epoch is settled, or if none."""
        ratings = self._ratings.get(epoch)
        found = None if ratings is None else ratings.get(impression_id)
        return None if found is None else RatedVote(*found)

    def votes(self, model: str) -> Votes:
        return Votes(*self._votes.get(model, (0, 0, 0, 0)))

    def contribution(self, model: str) -> Contribution:
        return Contribution(*self._credit.get(model, (0, 0)))

    def last_settlement(self, pubkey_hex: str) -> UserSettlement | None:
        record = self._last.get(pubkey_hex)
        if record is None:
            return None
        lines = tuple(
            PayoutLine(model, contribution, paid, fee, burned)
            for model, (contribution, paid, fee, burned) in sorted(record["lines"].items())
        )
        return UserSettlement(record["epoch"], lines, record["refunded"], record["clawback"])

    # --- snapshots -------------------------------------------------------------------------

    def snapshot(self) -> Book:
        """A read-only view of the book as it is now, which later entries do not change (a
        reader may hold it while the book goes on); O(1) in the book's size."""
        if self._frozen:
            return self
        view = copy.copy(self)  # shares every container; the copy-on-write below keeps them
        view._frozen = True
        view._cow = CopyOnWrite()
        view._rater = self._rater.view()
        view._attention_paid = self._attention_paid.view()
        view._training_ids = self._training_ids.view()
        view._ratings = {epoch: ratings.view() for epoch, ratings in self._ratings.items()}
        self._cow.shared()
        return view

    @property
    def is_snapshot(self) -> bool:
        return self._frozen

    # --- replay ----------------------------------------------------------------------------
    # Every change goes through ``own`` (a top-level container) or ``own_in`` (one inside
    # another): a container a snapshot may share is copied before it changes.

    def apply(self, entry: EntryLike) -> None:
        """Replay one entry; raises LedgerError (and changes nothing) on an overdraft."""
        if self._frozen:
            raise LedgerError(READ_ONLY)
        body = entry.body
        own = self._cow.mine
        match entry.kind:
            case "mint":
                self._mint(_str(body, "account"), _int(body, "amount"))
            case "transfer":
                self._move(body, entry.epoch, utc_day(entry.time))
            case "burn":
                account, amount = _str(body, "from"), _int(body, "amount")
                self._debit(account, amount)
                self._burned += amount
                out_of = budget_owner(account)
                if out_of is not None:
                    self._settled_from_budget(out_of, _str(body, "memo"), amount)
            case "model":
                model, developer, bid = (
                    _str(body, "model"),
                    _str(body, "developer"),
                    _int(body, "bid"),
                )
                self._developers = own(self._developers)
                self._developers[model] = developer
                self._bids = own(self._bids)
                self._bids[model] = bid
            case "impression":
                model = _str(body, "model")
                if model not in self._shown:
                    self._shown = own(self._shown)
                    self._shown.add(model)
            case "retire":
                self._retired = own(self._retired)
                self._retired[_str(body, "model")] = entry.epoch
            case "rating":
                self._rate(entry.epoch, body)
            case "vote_change":
                self._change_vote(entry.epoch, body)
            case "epoch_close":
                epoch = _int(body, "epoch")
                self._closed = own(self._closed)
                self._closed.add(epoch)
                # A closed epoch is never settled again: its rating state is no longer needed.
                for name in _PER_EPOCH:
                    per_epoch = getattr(self, name)
                    if epoch in per_epoch:
                        per_epoch = own(per_epoch)
                        per_epoch.pop(epoch)
                        setattr(self, name, per_epoch)
            case "training_open":
                training = _str(body, "training")
                self._training_ids.set(training, True)
                self._contributed = own(self._contributed)
                self._contributed[training] = set()
                self._cow.adopt(self._contributed[training])
                self._trainings = own(self._trainings)
                self._trainings[training] = [
                    _str(body, "model"),
                    _str(body, "developer"),
                    _int(body, "reward"),
                    _int(body, "rounds"),
                ]
            case "training_contribution":
                training = _str(body, "training")
                contributed = f"{_int(body, 'round')}:{_str(body, 'user')}"
                self._contributed = own(self._contributed)
                self._cow.mine_in(self._contributed, training, set).add(contributed)
            case "training_close":
                training = _str(body, "training")
                if training in self._trainings:
                    self._trainings = own(self._trainings)
                    self._trainings.pop(training)
                if training in self._contributed:
                    self._contributed = own(self._contributed)
                    self._contributed.pop(training)
            case "params":
                pass  # no money moves
            case kind:
                raise LedgerError(f"unknown entry kind {kind!r:.40}")

    def _add(self, name: str, key: Any, amount: int) -> None:
        """Add ``amount`` to ``key`` of the (top-level, flat) counts named ``name``."""
        counts = self._cow.mine(getattr(self, name))
        setattr(self, name, counts)
        counts[key] = counts.get(key, 0) + amount

    def _add_in(self, name: str, outer: Any, key: Any, amount: int) -> None:
        """Add ``amount`` to ``key`` of the counts at ``outer`` in the map named ``name``."""
        per = self._cow.mine(getattr(self, name))
        setattr(self, name, per)
        counts = self._cow.mine_in(per, outer, dict)
        counts[key] = counts.get(key, 0) + amount

    def _mint(self, account: str, amount: int) -> None:
        if self._minted - self._burned + amount > MAX_AMOUNT:
            raise LedgerError(f"minting {amount} would put more than {MAX_AMOUNT} in circulation")
        self._minted += amount
        self._add("_balances", account, amount)
        if account.startswith("user:"):
            self._add("_deposited", account.removeprefix("user:"), amount)

    def _debit(self, account: str, amount: int) -> None:
        held = self._balances.get(account, 0)
        if amount > held:
            raise LedgerError(f"overdraft: {account} holds {held}, cannot pay {amount}")
        self._balances = self._cow.mine(self._balances)
        if held == amount:  # an emptied account (a settled budget, say) is left out: bounded
            self._balances.pop(account, None)
        else:
            self._balances[account] = held - amount

    def _move(self, body: Mapping[str, object], epoch: int, day: str) -> None:
        source, target, amount = _str(body, "from"), _str(body, "to"), _int(body, "amount")
        memo = _str(body, "memo")
        rater = None
        if memo.startswith(ATTENTION_MEMO):
            rater = self._rater.get(memo.removeprefix(ATTENTION_MEMO))
            if rater is None:
                raise LedgerError(f"attention payment {memo!r:.80} for an unrated impression")
        self._debit(source, amount)
        self._add("_balances", target, amount)
        paid_for = TRAINING_PAYMENT_RE.fullmatch(memo)
        if paid_for is not None and source.startswith("train:"):
            self._count_training(paid_for.group(3), target, epoch, amount)
        if rater is not None:
            self._count_attention(rater, day, amount)
            self._add_in("_attention_epoch", epoch, rater, amount)
            self._attention_paid.set(memo.removeprefix(ATTENTION_MEMO), True)
            if target == user_account(rater):
                self._add("_attention_earned", rater, amount)
        into, out_of = budget_owner(target), budget_owner(source)
        if into is not None:
            if into[0] not in self._budget_users.get(into[1], ()):
                self._budget_users = self._cow.mine(self._budget_users)
                self._cow.mine_in(self._budget_users, into[1], set).add(into[0])
            if source == user_account(into[0]):
                self._add("_budgeted", into[0], amount)
                self._add_in("_committed", into[1], into[0], amount)
        if out_of is not None and target == user_account(out_of[0]):  # a refund
            budgeted = self._budgeted.get(out_of[0], 0)
            self._add("_budgeted", out_of[0], max(0, budgeted - amount) - budgeted)
        if out_of is not None:
            self._settled_from_budget(out_of, memo, amount)

    def _count_training(self, user: str, target: str, epoch: int, amount: int) -> None:
        self._add_in("_training_epoch", epoch, user, amount)
        if target == user_account(user):
            self._add("_training_earned", user, amount)

    def _settled_from_budget(self, budget: tuple[str, int], memo: str, amount: int) -> None:
        """Account for a settlement entry out of a user's budget (the wallet explains it)."""
        user, epoch = budget
        self._last = self._cow.mine(self._last)
        record = self._last.get(user)
        if record is None or record["epoch"] != epoch:
            record = {"epoch": epoch, "refunded": 0, "clawback": 0, "lines": {}}
            self._last[user] = record
            self._cow.adopt(record)
            self._cow.adopt(record["lines"])
        else:
            record = self._cow.mine_in(self._last, user, dict)
        to_user = SETTLEMENT_USER_RE.fullmatch(memo)
        if to_user is not None:
            record[to_user.group(1) if to_user.group(1) == "clawback" else "refunded"] += amount
            return
        paid = SETTLEMENT_PAYMENT_RE.fullmatch(memo)
        if paid is None:
            return
        what, model = paid.group(1), paid.group(2)
        lines = self._cow.mine_in(record, "lines", dict)
        line = self._cow.mine_in(
            lines, model, lambda: [self._user_contribution(epoch, user, model), 0, 0, 0]
        )
        self._credit = self._cow.mine(self._credit)
        credit = self._cow.mine_in(self._credit, model, lambda: [0, 0])
        if what == "vote":
            line[3] += amount
            credit[1] += amount
            return
        line[1 if what == "share" else 2] += amount
        credit[0] += amount
        if what == "share":
            self._add("_earned", model, amount)
        self._add_in("_payouts", user, model, amount)

    def _user_contribution(self, epoch: int, user: str, model: str) -> int:
        # Rules 2 report contributions; under rules 1 a model's weight was its liked count.
        contributions = self._contrib.get(epoch, {}).get(user)
        if contributions is not None:
            return contributions.get(model, 0)
        return self._liked.get(epoch, {}).get(user, {}).get(model, 0)

    def _count_attention(self, user: str, day: str, amount: int) -> None:
        # Entry times never go back, so the daily cap only ever reads the latest day: earlier
        # days are dropped and the state stays bounded by the users paid on one day.
        if self._attention and day not in {known for _, known in self._attention}:
            self._attention = defaultdict(
                int, {key: n for key, n in self._attention.items() if key[1] >= day}
            )
            self._cow.adopt(self._attention)
        self._add("_attention", (user, day), amount)

    def _add_per_user(self, name: str, epoch: int, user: str, model: str, amount: int) -> None:
        """Add ``amount`` to ``model`` of ``user`` in ``epoch`` of the map named ``name``."""
        per_epoch = self._cow.mine(getattr(self, name))
        setattr(self, name, per_epoch)
        per_user = self._cow.mine_in(self._cow.mine_in(per_epoch, epoch, dict), user, dict)
        per_user[model] = per_user.get(model, 0) + amount

    def _add_votes(self, model: str, at: int, liked: int, disliked: int) -> None:
        self._votes = self._cow.mine(self._votes)
        votes = self._cow.mine_in(self._votes, model, lambda: [0, 0, 0, 0])
        votes[at] += liked
        votes[at + 1] += disliked

    def _rate(self, epoch: int, body: Mapping[str, object]) -> None:
        user, model = _str(body, "user"), _str(body, "model")
        liked, disliked = _int(body, "liked"), _int(body, "disliked")
        self._rater.set(_str(body, "impression_id"), user)
        funded = self.committed(user, epoch) > 0
        if "contribution" in body:  # rules 2: a rating made with nothing committed weighs 0
            contribution = _int(body, "contribution")
            if funded:
                self._add_per_user("_contrib", epoch, user, model, contribution)
            record = (user, model, _int(body, "shown"), _bool(body, "per_item"), funded)
            if epoch not in self._ratings:
                self._ratings = self._cow.mine(self._ratings)
                self._ratings[epoch] = VersionedMap()
            ratings = self._ratings[epoch]
            ratings.set(_str(body, "impression_id"), (*record, liked, disliked, contribution, 0))
        else:
            self._add_per_user("_liked", epoch, user, model, liked)
            self._add_in("_net", epoch, model, liked - disliked)
        self._add_votes(model, 0 if funded else 2, liked, disliked)

    def _change_vote(self, epoch: int, body: Mapping[str, object]) -> None:
        """Rules 3: replace a rating's counts and contribution by the new vote's (subtract the
        old, add the new), in the funded or unfunded column the rating was counted in."""
        impression = _str(body, "impression_id")
        ratings = self._ratings.get(epoch)
        record = None if ratings is None else ratings.get(impression)
        if ratings is None or record is None:
            raise LedgerError(f"vote change of {impression}: no rating of it in open epoch {epoch}")
        old = RatedVote(*record)
        liked, disliked = _int(body, "liked"), _int(body, "disliked")
        contribution = _int(body, "contribution")
        if old.funded:
            self._add_per_user(
                "_contrib", epoch, old.user, old.model, contribution - old.contribution
            )
        self._add_votes(
            old.model, 0 if old.funded else 2, liked - old.liked, disliked - old.disliked
        )
        ratings.set(impression, (*record[:5], liked, disliked, contribution, old.changes + 1))

    # --- checkpoints ---------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Everything a replay needs to continue, as JSON values in one canonical form
        (zero amounts left out, lists sorted): ``from_state(to_state())`` is this book."""
        return {
            "balances": _nonzero(self._balances),
            "minted": self._minted,
            "burned": self._burned,
            "developers": dict(sorted(self._developers.items())),
            "bids": dict(sorted(self._bids.items())),
            "deposited": _nonzero(self._deposited),
            "budgeted": _nonzero(self._budgeted),
            "rater": dict(sorted(self._rater.items())),
            "attention": [
                [user, day, n] for (user, day), n in sorted(self._attention.items()) if n
            ],
            "attention_paid": sorted(self._attention_paid.keys()),
            "liked": _by_epoch(self._liked, _per_user),
            "net": _by_epoch(self._net, lambda nets: dict(sorted(nets.items()))),
            "budget_users": _by_epoch(self._budget_users, sorted),
            "closed": sorted(self._closed),
            "committed": _by_epoch(self._committed, _nonzero),
            "attention_epoch": _by_epoch(self._attention_epoch, _nonzero),
            "contrib": _by_epoch(self._contrib, _per_user),
            "ratings": _by_epoch(
                self._ratings, lambda ratings: {i: list(r) for i, r in sorted(ratings.items())}
            ),
            "shown": sorted(self._shown),
            "retired": dict(sorted(self._retired.items())),
            "votes": {model: list(v) for model, v in sorted(self._votes.items())},
            "credit": {model: list(c) for model, c in sorted(self._credit.items())},
            "earned": _nonzero(self._earned),
            "attention_earned": _nonzero(self._attention_earned),
            "payouts": {user: _nonzero(models) for user, models in sorted(self._payouts.items())},
            "last": {
                user: {**record, "lines": dict(sorted(record["lines"].items()))}
                for user, record in sorted(self._last.items())
            },
            "trainings": {run: list(fields) for run, fields in sorted(self._trainings.items())},
            "contributed": {run: sorted(done) for run, done in sorted(self._contributed.items())},
            "training_ids": sorted(self._training_ids.keys()),
            "training_epoch": _by_epoch(self._training_epoch, _nonzero),
            "training_earned": _nonzero(self._training_earned),
        }

    @classmethod
    def from_state(cls, state: object) -> Book:
        """The book :meth:`to_state` described; raises LedgerError for anything malformed."""
        data = _state_object(state, "book", _BOOK_KEYS)
        book = cls()
        book._balances = defaultdict(int, _amounts(data["balances"], "balances"))
        book._minted = _state_int(data["minted"], "minted")
        book._burned = _state_int(data["burned"], "burned")
        book._developers = _texts(data["developers"], "developers")
        book._bids = _amounts(data["bids"], "bids")
        book._deposited = defaultdict(int, _amounts(data["deposited"], "deposited"))
        book._budgeted = defaultdict(int, _amounts(data["budgeted"], "budgeted"))
        book._rater = VersionedMap(_texts(data["rater"], "rater"))
        attention: dict[tuple[str, str], int] = defaultdict(int)
        for row in _state_list(data["attention"], "attention"):
            if not (isinstance(row, list) and len(row) == 3):
                raise LedgerError("state attention rows are [user, day, amount]")
            attention[_state_str(row[0], "attention"), _state_str(row[1], "attention")] = (
                _state_int(row[2], "attention")
            )
        book._attention = attention
        book._attention_paid = _flags(data["attention_paid"], "attention_paid")
        book._liked = _epochs(data["liked"], "liked", lambda v: _users(v, "liked"))
        book._net = _epochs(data["net"], "net", lambda v: _amounts(v, "net", signed=True))
        book._budget_users = _epochs(
            data["budget_users"], "budget_users", lambda v: _strings(v, "budget_users")
        )
        book._closed = {
            _state_int(epoch, "closed") for epoch in _state_list(data["closed"], "closed")
        }
        book._committed = _epochs(data["committed"], "committed", lambda v: _amounts(v, "c"))
        book._attention_epoch = _epochs(
            data["attention_epoch"], "attention_epoch", lambda v: _amounts(v, "attention_epoch")
        )
        book._contrib = _epochs(
            data["contrib"], "contrib", lambda v: _users(v, "contrib", signed=True)
        )
        book._ratings = _epochs(data["ratings"], "ratings", _rated_votes)
        book._shown = _strings(data["shown"], "shown")
        book._retired = _amounts(data["retired"], "retired")
        book._votes = _rows(data["votes"], "votes", 4)
        book._credit = _rows(data["credit"], "credit", 2)
        book._earned = defaultdict(int, _amounts(data["earned"], "earned"))
        book._attention_earned = defaultdict(
            int, _amounts(data["attention_earned"], "attention_earned")
        )
        book._payouts = {
            _state_str(user, "payouts"): _amounts(models, "payouts")
            for user, models in _state_dict(data["payouts"], "payouts").items()
        }
        book._last = {
            _state_str(user, "last"): _settlement_record(record)
            for user, record in _state_dict(data["last"], "last").items()
        }
        book._trainings = {}
        for run, row in _state_dict(data["trainings"], "trainings").items():
            if not (isinstance(row, list) and len(row) == 4):
                raise LedgerError("a saved training run is [model, developer, reward, rounds]")
            book._trainings[_state_str(run, "trainings")] = [
                _state_str(row[0], "trainings"),
                _state_str(row[1], "trainings"),
                _state_int(row[2], "trainings"),
                _state_int(row[3], "trainings"),
            ]
        book._contributed = {
            _state_str(run, "contributed"): _strings(done, "contributed")
            for run, done in _state_dict(data["contributed"], "contributed").items()
        }
        book._training_ids = _flags(data["training_ids"], "training_ids")
        book._training_epoch = _epochs(
            data["training_epoch"], "training_epoch", lambda v: _amounts(v, "training_epoch")
        )
        book._training_earned = defaultdict(
            int, _amounts(data["training_earned"], "training_earned")
        )
        return book


# --- state (checkpoint) helpers: JSON values checked on the way back in --------------------------

# The per-epoch state of rating and settling an epoch: dropped when it closes.
_PER_EPOCH: Final = (
    "_liked",
    "_net",
    "_budget_users",
    "_committed",
    "_attention_epoch",
    "_contrib",
    "_ratings",
    "_training_epoch",
)

_BOOK_KEYS: Final = frozenset(
    {
        "balances",
        "minted",
        "burned",
        "developers",
        "bids",
        "deposited",
        "budgeted",
        "rater",
        "attention",
        "attention_paid",
        "liked",
        "net",
        "budget_users",
        "closed",
        "committed",
        "attention_epoch",
        "contrib",
        "ratings",
        "shown",
        "retired",
        "votes",
        "credit",
        "earned",
        "attention_earned",
        "payouts",
        "last",
        "trainings",
        "contributed",
        "training_ids",
        "training_epoch",
        "training_earned",
    }
)


def _nonzero(amounts: Mapping[str, int]) -> dict[str, int]:
    return {key: n for key, n in sorted(amounts.items()) if n}


def _per_user(users: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {user: _nonzero(models) for user, models in sorted(users.items())}


def _by_epoch(per_epoch: Mapping[int, T], to_state: Callable[[T], object]) -> dict[str, object]:
    return {str(epoch): to_state(value) for epoch, value in sorted(per_epoch.items())}


def _state_object(value: object, what: str, keys: frozenset[str]) -> dict[str, object]:
    if not isinstance(value, dict) or set(value) != keys:
        raise LedgerError(f"a saved {what} state must be an object with keys {sorted(keys)}")
    return value


def _state_dict(value: object, what: str) -> dict[str, object]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise LedgerError(f"state {what} must be an object")
    return value


def _state_list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise LedgerError(f"state {what} must be a list")
    return value


def _state_int(value: object, what: str, *, signed: bool = False) -> int:
    if type(value) is not int or abs(value) > MAX_AMOUNT * 1000 or (value < 0 and not signed):
        raise LedgerError(f"state {what} holds {value!r:.40}, not a bounded integer")
    return value


def _state_str(value: object, what: str) -> str:
    if not isinstance(value, str) or len(value) > 400:
        raise LedgerError(f"state {what} holds {value!r:.40}, not a short string")
    return value


def _strings(value: object, what: str) -> set[str]:
    return {_state_str(text, what) for text in _state_list(value, what)}


def _flags(value: object, what: str) -> VersionedMap[str, bool]:
    return VersionedMap(dict.fromkeys(_strings(value, what), True))


def _amounts(value: object, what: str, *, signed: bool = False) -> dict[str, int]:
    return {
        _state_str(key, what): _state_int(n, what, signed=signed)
        for key, n in _state_dict(value, what).items()
    }


def _users(value: object, what: str, *, signed: bool = False) -> dict[str, dict[str, int]]:
    return {
        _state_str(user, what): _amounts(models, what, signed=signed)
        for user, models in _state_dict(value, what).items()
    }


def _rows(value: object, what: str, width: int) -> dict[str, list[int]]:
    rows = {}
    for key, row in _state_dict(value, what).items():
        if not (isinstance(row, list) and len(row) == width):
            raise LedgerError(f"state {what} rows are lists of {width} integers")
        rows[_state_str(key, what)] = [_state_int(n, what) for n in row]
    return rows


def _texts(value: object, what: str) -> dict[str, str]:
    return {
        _state_str(key, what): _state_str(text, what)
        for key, text in _state_dict(value, what).items()
    }


def _epochs(value: object, what: str, parse: Callable[[object], T]) -> dict[int, T]:
    return {_epoch_key(epoch): parse(inner) for epoch, inner in _state_dict(value, what).items()}


def _epoch_key(text: str) -> int:
    if not re.fullmatch(_EPOCH_TEXT, text):
        raise LedgerError(f"state epoch key {text!r:.20} is not an epoch")
    return int(text)


def _settlement_record(value: object) -> dict[str, Any]:
    record = _state_object(value, "last settlement", frozenset(_LAST_KEYS))
    lines = {}
    for model, line in _state_dict(record["lines"], "last settlement").items():
        if not (isinstance(line, list) and len(line) == 4):
            raise LedgerError("a saved payout line is [contribution, paid, fee, burned]")
        contribution = _state_int(line[0], "payout line", signed=True)
        lines[_state_str(model, "payout line")] = [contribution] + [
            _state_int(n, "payout line") for n in line[1:]
        ]
    return {
        "epoch": _epoch_key(str(_state_int(record["epoch"], "last settlement"))),
        "refunded": _state_int(record["refunded"], "last settlement"),
        "clawback": _state_int(record["clawback"], "last settlement"),
        "lines": lines,
    }


_LAST_KEYS: Final = ("epoch", "refunded", "clawback", "lines")


def _rated_votes(value: object) -> VersionedMap[str, tuple[Any, ...]]:
    ratings: dict[str, tuple[Any, ...]] = {}
    for impression, row in _state_dict(value, "ratings").items():
        if not (isinstance(row, list) and len(row) == 9):
            raise LedgerError(
                "a saved rating is [user, model, shown, per_item, funded, liked, "
                "disliked, contribution, changes]"
            )
        user, model = _state_str(row[0], "ratings"), _state_str(row[1], "ratings")
        if not all(isinstance(flag, bool) for flag in row[3:5]):
            raise LedgerError("a saved rating's per_item and funded are true or false")
        counts = [_state_int(n, "ratings") for n in (row[2], row[5], row[6], row[8])]
        contribution = _state_int(row[7], "ratings", signed=True)
        ratings[_state_str(impression, "ratings")] = (
            user,
            model,
            counts[0],
            row[3],
            row[4],
            counts[1],
            counts[2],
            contribution,
            counts[3],
        )
    return VersionedMap(ratings)
