"""The ledger's rules replayed entry by entry, the market's in-memory ledger that appends
under them (and read-only snapshots of it for readers), and checkpoints of a replay's state."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger import rules
from ledger.book import Book
from ledger.economy import (
    ATTENTION_MEMO,
    SETTLE_MEMO,
    STATE_VERSION,
    TRAINING_MEMO,
    Body,
    BodyValue,
    EconomyParams,
    LedgerError,
    Totals,
    budget_owner,
    dev_account,
    params_entry_body,
    parse_params_entry,
    parse_time,
    user_account,
    utc_day,
)
from ledger.entries import (
    GENESIS_HASH,
    MAX_SEQ,
    TRAINING_KINDS,
    Entry,
    _load_json,
    _seal_problem,
    canonical,
    make_entry,
)
from ledger.keys import MarketKey, load_public_key
from ledger.merkle import MerkleFrontier
from ledger.training import training_run
from ledger.versioned import READ_ONLY

# --- the rules, checked entry by entry ---------------------------------------------------------


def _opens_settlement(entry: Entry) -> bool:
    memo = entry.body.get("memo")
    return entry.kind == "epoch_close" or (
        entry.kind in ("transfer", "burn") and str(memo).startswith(SETTLE_MEMO)
    )


def _text(body: Mapping[str, BodyValue]) -> str:
    return canonical(dict(body)).decode("utf-8")


_REPLAY_KEYS: Final = frozenset(
    {
        "count",
        "schedule",
        "last",
        "merkle",
        "epoch_started",
        "impressions",
        "rated",
        "run",
        "run_at",
        "run_name",
        "run_day",
        "book",
    }
)


class _Replay:
    """The ledger's rules, checked one entry at a time; shared by verify_ledger and Ledger.

    Entries the rules compute (a rating's attention payments, an epoch's settlement) form a
    *run*: once one is due, the next entries must be exactly it.
    """

    def __init__(
        self,
        public_key: Ed25519PublicKey,
        *,
        params: EconomyParams | None = None,
        stakes_of: Mapping[str, str] | None = None,
    ) -> None:
        self._public_key = public_key
        self._pinned_params = params
        self._pinned_stakes = dict(stakes_of) if stakes_of is not None else None
        self.book = Book()
        self.count = 0
        self.frontier = MerkleFrontier()  # over the open epoch's entries, in seq order
        self.epoch_started: str | None = None  # the time the open epoch began
        # (from epoch, params), oldest first: the rules in force and any switch scheduled.
        self._schedule: list[tuple[int, EconomyParams]] = []
        self._last: Entry | None = None
        self._last_time: datetime | None = None
        # Impressions not rated yet: id -> user, model, developer, list length (0: none, rules
        # 1). A rated one moves to _rated, where only its id is kept (ids are never reused).
        self._impressions: dict[str, tuple[str, str, str, int]] = {}
        self._rated: set[str] = set()
        self._run: Sequence[tuple[str, Body]] = ()
        self._run_at = 0
        self._run_name = ""
        self._run_day: str | None = None  # attention is paid on its rating's UTC day
        self._frozen = False  # a snapshot: admit refuses

    def snapshot(self) -> _Replay:
        """A read-only view of the replay as it is now, for readers: the book's snapshot and the
        epoch clock, O(1) in the ledger's length. It leaves out what only checks the next
        entries (impressions waiting for their rating, rated ids, the run under way), so it
        cannot be checkpointed."""
        if self._frozen:
            return self
        view = copy.copy(self)
        view._frozen = True
        view.book = self.book.snapshot()
        view.frontier = copy.deepcopy(self.frontier)  # O(log n) subtree roots
        view._schedule = list(self._schedule)
        view._impressions, view._rated, view._run = {}, set(), ()
        return view

    @property
    def is_snapshot(self) -> bool:
        return self._frozen

    @property
    def open_epoch(self) -> int:
        last = self._last
        if last is None:
            return 0
        return last.epoch + 1 if last.kind == "epoch_close" else last.epoch

    def rules_for(self, epoch: int) -> EconomyParams:
        """The params in force for ``epoch``: the last scheduled from that epoch or before."""
        found = [params for start, params in self._schedule if start <= epoch]
        if not found:
            raise LedgerError("the ledger has no params entry")
        return found[-1]

    @property
    def params(self) -> EconomyParams:
        """The params in force for the open epoch."""
        return self.rules_for(self.open_epoch)

    @property
    def schedule(self) -> tuple[tuple[int, EconomyParams], ...]:
        return tuple(self._schedule)

    def next_expected(self) -> tuple[str, Body] | None:
        return self._run[self._run_at] if self._run_at < len(self._run) else None

    def admit(self, entry: Entry) -> None:
        """Check ``entry`` as the next one, then apply it; on LedgerError nothing changes."""
        if self._frozen:
            raise LedgerError(READ_ONLY)
        if entry.seq != self.count:
            raise LedgerError(f"expected seq {self.count}, found {entry.seq}")
        if entry.prev_hash != (self._last.hash if self._last else GENESIS_HASH):
            raise LedgerError("prev_hash is not the previous entry's hash")
        problem = _seal_problem(entry, self._public_key)
        if problem:
            raise LedgerError(problem)
        moment = parse_time(entry.time)
        if self._last_time is not None and moment < self._last_time:
            raise LedgerError(f"time {entry.time} is before the previous entry's")
        self._check_epoch(entry)
        if self.count == 0 and entry.kind != "params":
            raise LedgerError("the ledger must start with a params entry")
        run, at, name, day = self._run, self._run_at, self._run_name, self._run_day
        if at == len(run) and _opens_settlement(entry):
            params = self.rules_for(entry.epoch)
            run = rules.settle(self.book, entry.epoch, self.book.developers, params)
            at, name, day = 0, f"settlement of epoch {entry.epoch}", None
        if at < len(run):
            self._match(entry, run[at], name, day)
            at += 1
        else:
            self._check_free(entry)
        if entry.kind == "rating":
            run, at, day = self._attention_run(entry), 0, utc_day(entry.time)
            name = f"attention payment for impression {entry.body['impression_id']}"
        elif entry.kind in TRAINING_KINDS:
            params = self.rules_for(entry.epoch)
            steps = training_run(
                self.book, entry.kind, entry.body, epoch=entry.epoch, params=params
            )
            run, at, day = [("transfer", step) for step in steps], 0, None
            name = f"transfers of {entry.kind} {entry.body['training']}"
        self.book.apply(entry)  # the last check (overdrafts); below, nothing can fail
        self._commit(entry, moment)
        self._run, self._run_at, self._run_name, self._run_day = run, at, name, day

    @property
    def last(self) -> Entry | None:
        return self._last

    def to_state(self) -> dict[str, Any]:
        """The replay's whole state as JSON values (see :func:`checkpoint_text`)."""
        if self._frozen:
            raise LedgerError(
                "a snapshot of the ledger cannot be checkpointed: it leaves out what checks the "
                "next entries"
            )
        return {
            "count": self.count,
            "schedule": [[start, params.to_body()] for start, params in self._schedule],
            "last": None if self._last is None else self._last.to_dict(),
            "merkle": self.frontier.to_state(),
            "epoch_started": self.epoch_started,
            "impressions": {i: list(shown) for i, shown in sorted(self._impressions.items())},
            "rated": sorted(self._rated),
            "run": [[kind, dict(body)] for kind, body in self._run],
            "run_at": self._run_at,
            "run_name": self._run_name,
            "run_day": self._run_day,
            "book": self.book.to_state(),
        }

    @classmethod
    def from_state(
        cls,
        public_key: Ed25519PublicKey,
        state: object,
        *,
        params: EconomyParams | None = None,
        stakes_of: Mapping[str, str] | None = None,
    ) -> _Replay:
        if not isinstance(state, dict) or set(state) != _REPLAY_KEYS:
            raise LedgerError(f"a saved replay state has exactly the keys {sorted(_REPLAY_KEYS)}")
        replay = cls(public_key, params=params, stakes_of=stakes_of)
        replay.book = Book.from_state(state["book"])
        count, last = state["count"], state["last"]
        if type(count) is not int or not 0 <= count <= MAX_SEQ:
            raise LedgerError("a saved replay's count is a non-negative integer")
        replay.count = count
        if last is not None:
            replay._last = Entry.from_dict(last)
            replay._last_time = parse_time(replay._last.time)
        last_seq = -1 if replay._last is None else replay._last.seq
        if last_seq != count - 1:
            raise LedgerError("a saved replay's last entry is not entry count - 1")
        schedule = state["schedule"]
        if not isinstance(schedule, list):
            raise LedgerError("a saved schedule is a list of [from epoch, params]")
        for step in schedule:
            if not (isinstance(step, list) and len(step) == 2 and type(step[0]) is int):
                raise LedgerError("a saved schedule step is [from epoch, params]")
            if not isinstance(step[1], dict):
                raise LedgerError("saved params are an object")
            replay._schedule.append((step[0], EconomyParams.from_body(step[1])))
        replay.frontier = MerkleFrontier.from_state(state["merkle"])
        started = state["epoch_started"]
        if started is not None:
            parse_time(started)
        replay.epoch_started = started
        impressions = state["impressions"]
        if not isinstance(impressions, dict):
            raise LedgerError("saved impressions are an object")
        for impression, shown in impressions.items():
            if not (
                isinstance(shown, list)
                and len(shown) == 4
                and all(isinstance(x, str) for x in shown[:3])
                and type(shown[3]) is int
            ):
                raise LedgerError("a saved impression is [user, model, developer, list]")
            replay._impressions[impression] = (shown[0], shown[1], shown[2], shown[3])
        rated, run = state["rated"], state["run"]
        if not isinstance(rated, list) or not all(isinstance(i, str) for i in rated):
            raise LedgerError("saved rated impressions are a list of ids")
        replay._rated = set(rated)
        if not replay._rated.isdisjoint(replay._impressions):
            raise LedgerError("a saved impression is both rated and waiting for its rating")
        if not isinstance(run, list):
            raise LedgerError("a saved run is a list of [kind, body]")
        steps: list[tuple[str, Body]] = []
        for step in run:
            if not (isinstance(step, list) and len(step) == 2 and isinstance(step[1], dict)):
                raise LedgerError("a saved run step is [kind, body]")
            steps.append((str(step[0]), step[1]))
        run_at, name, day = state["run_at"], state["run_name"], state["run_day"]
        if type(run_at) is not int or not 0 <= run_at <= len(steps) or not isinstance(name, str):
            raise LedgerError("a saved run position is outside its run")
        if day is not None and not isinstance(day, str):
            raise LedgerError("a saved run day is a date or null")
        replay._run, replay._run_at, replay._run_name, replay._run_day = steps, run_at, name, day
        return replay

    def finish(self) -> None:
        if self.count == 0:
            raise LedgerError("the ledger is empty: it must start with a params entry")
        if self.next_expected() is not None:
            raise LedgerError(f"the ledger ends before the {self._run_name} is complete")

    def report(self, error: str | None) -> Report:
        return Report(
            ok=error is None,
            entries=self.count,
            balances=self.book.balances(),
            totals=self.book.totals,
            closed_epochs=tuple(sorted(self.book.closed_epochs)),
            bad_seq=None if error is None else self.count,
            error=error,
        )

    def _check_epoch(self, entry: Entry) -> None:
        last = self._last
        if entry.seq == 0 and entry.epoch != 0:  # the explorer numbers epochs by their closes
            raise LedgerError(f"the first entry is in epoch {entry.epoch}: a ledger starts in 0")
        if last is not None:
            # Epochs advance only by closing them, so every epoch's settlement is in the ledger.
            want = last.epoch + 1 if last.kind == "epoch_close" else last.epoch
            if entry.epoch != want:
                raise LedgerError(f"entry is in epoch {entry.epoch}, expected epoch {want}")
        if entry.kind == "epoch_close":
            if entry.body["epoch"] != entry.epoch:
                raise LedgerError(f"epoch_close of epoch {entry.body['epoch']} in {entry.epoch}")
            if entry.body["merkle_root"] != self.frontier.root():
                raise LedgerError("merkle_root is not the root of the epoch's entries")

    def _match(self, entry: Entry, want: tuple[str, Body], name: str, day: str | None) -> None:
        kind, body = want
        if kind == "epoch_close":  # its root is checked with the epoch
            same = entry.kind == kind and entry.body["epoch"] == body["epoch"]
        else:  # canonical bytes, so that true and 1 differ
            same = entry.kind == kind and _text(entry.body) == _text(body)
        if not same:
            raise LedgerError(
                f"{name} is not what the rules compute: expected {kind} {_text(body)}, "
                f"found {entry.kind} {_text(entry.body)}"
            )
        if day is not None and utc_day(entry.time) != day:
            raise LedgerError(f"{name} is not on its rating's UTC day {day}")

    def _check_free(self, entry: Entry) -> None:
        """Rules for an entry the market chose (not one the rules computed)."""
        body = entry.body
        match entry.kind:
            case "params":
                self._check_params(entry)
            case "model":
                model, developer = str(body["model"]), str(body["developer"])
                owner = self.book.developers.get(model, developer)
                if owner != developer:
                    raise LedgerError(f"model {model} belongs to developer {owner}")
                pinned_stakes = self._pinned_stakes
                if pinned_stakes is not None and pinned_stakes.get(model) != developer:
                    raise LedgerError(f"model {model} is not expected to be {developer}'s")
            case "mint" | "transfer" | "burn":
                self._check_money(entry)
            case "impression":
                impression, model = str(body["impression_id"]), str(body["model"])
                if impression in self._impressions or impression in self._rated:
                    raise LedgerError(f"impression id {impression} is already used")
                if self.book.developers.get(model) != body["developer"]:
                    raise LedgerError(f"model {model} is not registered to {body['developer']}")
                if model in self.book.retired:
                    raise LedgerError(f"model {model} is retired: it is shown no more")
                params = self._rules_2_shape(entry, "list")
                if params is not None and int(body["list"]) > params.list_length:
                    raise LedgerError(f"a list shows at most {params.list_length} items")
            case "rating":
                impression = str(body["impression_id"])
                if impression in self._rated:
                    raise LedgerError(f"impression {impression} is already rated")
                shown_to = self._impressions.get(impression)
                if shown_to is None:
                    raise LedgerError(f"rating of unknown impression {impression}")
                if body["user"] != shown_to[0]:
                    raise LedgerError(f"only the impression's user may rate {impression}")
                if (body["model"], body["developer"]) != shown_to[1:3]:
                    raise LedgerError(f"rating names another model than impression {impression}")
                params = self._rules_2_shape(entry, "contribution")
                if params is not None:
                    most = shown_to[3] or params.list_length
                    if int(body["shown"]) > most:
                        raise LedgerError(f"impression {impression} showed at most {most} items")
            case "vote_change":
                self._check_vote_change(entry)
            case "training_open" | "training_contribution" | "training_close":
                self._check_training(entry)
            case "retire":
                model = str(body["model"])
                if self.book.developers.get(model) != body["developer"]:
                    raise LedgerError(f"model {model} is not registered to {body['developer']}")
                if model in self.book.retired:
                    raise LedgerError(f"model {model} is retired already")
            case "epoch_close":  # unreachable: a close always opens a settlement run
                raise LedgerError("epoch_close outside a settlement")

    def _check_training(self, entry: Entry) -> None:
        """Rules 4: a run is opened by a registered, unretired model's developer who holds its
        budget, under a fresh id; a user's contribution is recorded at most once per round of
        an open run; a run closes once."""
        body = entry.body
        params = self.rules_for(entry.epoch)
        if params.rules < 4:
            raise LedgerError(f"under rules {params.rules} there are no training runs (rules 4)")
        training = str(body["training"])
        if entry.kind == "training_open":
            model, developer = str(body["model"]), str(body["developer"])
            if self.book.training_was_opened(training):
                raise LedgerError(f"training run id {training} is already used")
            if self.book.developers.get(model) != developer:
                raise LedgerError(f"model {model} is not registered to {developer}")
            if model in self.book.retired:
                raise LedgerError(f"model {model} is retired: it trains no more")
            held = self.book.balance(dev_account(developer))
            if held < int(body["budget"]):
                raise LedgerError(f"overdraft: dev:{developer} holds {held}, cannot escrow it")
            return
        if not self.book.training_is_open(training):
            raise LedgerError(f"training run {training} is not open")
        if entry.kind == "training_contribution":
            rounds = self.book.training(training).rounds
            round_index, user = int(body["round"]), str(body["user"])
            if round_index >= rounds:
                raise LedgerError(f"training run {training} has {rounds} rounds")
            if self.book.contributed(training, round_index, user):
                raise LedgerError(f"{user} contributed to round {round_index} already")

    def _check_vote_change(self, entry: Entry) -> None:
        """Rules 3: only the rating's user changes its vote, only while the epoch it was rated
        in is open, at most ``max_vote_changes`` times, and only the counts and contribution
        change (the attention it earned is not paid again)."""
        body = entry.body
        impression = str(body["impression_id"])
        params = self.rules_for(entry.epoch)
        if params.rules < 3:
            raise LedgerError(f"under rules {params.rules} a vote cannot change (rules 3 allow it)")
        if impression not in self._rated:
            known = impression in self._impressions
            raise LedgerError(
                f"impression {impression} is not rated yet: rate it instead"
                if known
                else f"vote change of unknown impression {impression}"
            )
        rated = self.book.rated_vote(entry.epoch, impression)
        if rated is None:
            raise LedgerError(
                f"the epoch impression {impression} was rated in is settled: its vote can no "
                "longer change"
            )
        if body["user"] != rated.user:
            raise LedgerError(f"only the user who rated {impression} may change its vote")
        if (
            body["model"] != rated.model
            or self.book.developers.get(rated.model) != body["developer"]
        ):
            raise LedgerError(f"vote change names another model than impression {impression}")
        if (body["shown"], body["per_item"]) != (rated.shown, rated.per_item):
            raise LedgerError("a vote change keeps its rating's shown and per_item")
        new = (body["liked"], body["disliked"], body["contribution"])
        if new == (rated.liked, rated.disliked, rated.contribution):
            raise LedgerError(f"the vote change of {impression} changes nothing")
        if rated.changes >= params.max_vote_changes:
            raise LedgerError(
                f"the vote on impression {impression} has changed {rated.changes} times, the "
                f"most the rules allow ({params.max_vote_changes})"
            )

    def _rules_2_shape(self, entry: Entry, key: str) -> EconomyParams | None:
        """The rules-2 params when they are in force for ``entry`` (which must then carry
        ``key``), or None under rules 1 (which must not)."""
        params = self.rules_for(entry.epoch)
        has = key in entry.body
        if has != (params.rules >= 2):
            want = "needs" if params.rules >= 2 else "cannot have"
            raise LedgerError(f"under rules {params.rules} a {entry.kind} {want} {key}")
        return params if has else None

    def _check_params(self, entry: Entry) -> None:
        params, from_epoch = parse_params_entry(entry.body)
        if self.count == 0:
            if from_epoch != entry.epoch:
                raise LedgerError("the first params entry applies from its own epoch")
            pinned = self._pinned_params
            if pinned is not None and params != pinned:
                raise LedgerError(f"params {_text(entry.body)} are not the expected {pinned}")
            return
        if "rules" not in entry.body:
            raise LedgerError("params may only be the first entry, unless they name rules >= 2")
        latest = self._schedule[-1][1].rules
        if params.rules < latest:
            raise LedgerError(f"rules never go back: {params.rules} after {latest}")
        first_of_epoch = self._last is not None and self._last.kind == "epoch_close"
        earliest = entry.epoch if first_of_epoch else entry.epoch + 1
        if from_epoch < earliest:
            raise LedgerError(
                f"params switch from epoch {from_epoch}: an epoch's rules never change once it "
                f"has entries (the earliest is epoch {earliest})"
            )

    def _check_money(self, entry: Entry) -> None:
        body = entry.body
        memo = str(body["memo"])
        if memo.startswith((ATTENTION_MEMO, SETTLE_MEMO, TRAINING_MEMO)):
            raise LedgerError(
                f"memo {memo!r:.60}: attention:, settle: and training: mark payments the rules "
                "compute (right after a rating, a training entry, or before an epoch_close)"
            )
        source, target = str(body.get("from", "")), str(body.get("to", ""))
        if source.startswith("train:") or target.startswith("train:"):
            raise LedgerError(f"{source or target}: a training escrow moves only by the rules")
        rules_2 = self.rules_for(entry.epoch).rules >= 2
        if budget_owner(source) is not None:
            raise LedgerError(f"{source} is paid out only by settlement")
        if source.startswith(("stake:", "escrow:")):
            # A stake is the developer's skin in the game and an escrow backs its bid: only the
            # rules burn or spend them, and they only ever go back to the model's developer.
            model = source.split(":", 1)[1]
            developer = self.book.developers.get(model)
            if developer is None or entry.kind != "transfer" or target != dev_account(developer):
                raise LedgerError(
                    f"{source} is burned or spent only by the rules and paid only to its developer"
                )
            if (rules_2 or source.startswith("escrow:")) and self.book.was_shown(model):
                raise LedgerError(
                    f"{source}: the model was shown to users, so it goes back to its developer "
                    "only by settlement, after retirement and its cooling-off"
                )
        if target.startswith("escrow:"):
            developer = self.book.developers.get(target.split(":", 1)[1])
            if developer is None or source != dev_account(developer):
                raise LedgerError(f"only the developer of a registered model funds {target}")
        budget = budget_owner(target)
        if budget is not None and budget[1] < entry.epoch:
            raise LedgerError(f"budget of epoch {budget[1]} is closed")
        if budget is not None and rules_2 and source != user_account(budget[0]):
            raise LedgerError(f"only its user funds {target}")

    def _attention_run(self, rating: Entry) -> list[tuple[str, Body]]:
        body = rating.body
        bid = self.book.bids.get(str(body["model"]), 0)
        payments = rules.attention_payment(
            self.book,
            body,
            bid,
            day=utc_day(rating.time),
            epoch=rating.epoch,
            params=self.rules_for(rating.epoch),
        )
        return [("transfer", payment) for payment in payments]

    def _commit(self, entry: Entry, moment: datetime) -> None:
        body = entry.body
        if entry.kind == "params":
            params, from_epoch = parse_params_entry(body)
            self._schedule = [step for step in self._schedule if step[0] < from_epoch]
            self._schedule.append((from_epoch, params))
        elif entry.kind == "impression":
            self._impressions[str(body["impression_id"])] = (
                str(body["user"]),
                str(body["model"]),
                str(body["developer"]),
                int(body.get("list", 0)),
            )
        elif entry.kind == "rating":
            self._impressions.pop(str(body["impression_id"]))
            self._rated.add(str(body["impression_id"]))
        if entry.kind == "epoch_close":
            self.frontier = MerkleFrontier()
            self.epoch_started = entry.time
            # Only the rules of the epoch now open and later ones can still be asked for.
            opened = entry.epoch + 1
            while len(self._schedule) > 1 and self._schedule[1][0] <= opened:
                self._schedule.pop(0)
        else:
            self.frontier.add(entry.hash)
            if self.epoch_started is None:
                self.epoch_started = entry.time
        self._last, self._last_time = entry, moment
        self.count += 1


# --- the market's ledger -----------------------------------------------------------------------


class Ledger:
    """The market's ledger in memory. Every append is checked by the rules verify_ledger
    replays, then chained and signed: the market cannot write a ledger that fails them.

    It keeps the replay's state and the last entry, not the entries themselves (the database
    or the export holds those), unless ``keep_entries`` asks for them (tests, small tools).

    A reader that may hold it while entries are appended takes a :meth:`snapshot`."""

    def __init__(
        self, key: MarketKey, entries: Iterable[Entry] = (), *, keep_entries: bool = False
    ) -> None:
        self._key = key
        self._replay = _Replay(key.public_key)
        self._entries: list[Entry] | None = [] if keep_entries else None
        self.ingest(entries)

    @classmethod
    def from_checkpoint(cls, key: MarketKey, text: str | bytes) -> Ledger:
        """The ledger as it was when :meth:`checkpoint` wrote ``text``; raises LedgerError."""
        ledger = cls(key)
        ledger._replay = _replay_from_checkpoint(text, key.public_key_hex)
        return ledger

    def checkpoint(self) -> str:
        """The replay's state as canonical JSON (versioned; see :func:`checkpoint_text`)."""
        return checkpoint_text(self._replay, self._key.public_key_hex)

    def snapshot(self) -> Ledger:
        """A read-only ledger as this one is now, which later appends do not change: its
        appends raise LedgerError, and its book is a snapshot (:meth:`Book.snapshot`). O(1) in
        the ledger's length; this ledger then copies a container of its book before it first
        changes it (one dict, not the book)."""
        if self._replay.is_snapshot:
            return self
        view = copy.copy(self)
        view._replay = self._replay.snapshot()
        return view

    @property
    def is_snapshot(self) -> bool:
        return self._replay.is_snapshot

    def __len__(self) -> int:
        return self._replay.count

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry, for a ledger built with ``keep_entries``."""
        if self._entries is None:
            raise LedgerError("this ledger does not keep its entries (read them from storage)")
        return tuple(self._entries[: len(self)])  # a snapshot shares the list, as a prefix

    @property
    def last(self) -> Entry | None:
        return self._replay.last

    @property
    def book(self) -> Book:
        """Balances and economic state (read it; entries reach it only through the ledger)."""
        return self._replay.book

    @property
    def params(self) -> EconomyParams:
        """The params in force for the open epoch (see :meth:`rules_for`)."""
        return self._replay.params

    @property
    def open_rules(self) -> EconomyParams:
        return self._replay.params

    def rules_for(self, epoch: int) -> EconomyParams:
        """The params in force for ``epoch`` (the open one or later)."""
        return self._replay.rules_for(epoch)

    @property
    def latest_rules(self) -> EconomyParams:
        """The params of the last ``params`` entry (in force from its from_epoch on): what a
        market compares its configured rules with."""
        schedule = self._replay.schedule
        if not schedule:
            raise LedgerError("the ledger has no params entry")
        return schedule[-1][1]

    def switch_rules(self, params: EconomyParams, *, time: str) -> Entry:
        """Put ``params`` in force from the earliest epoch allowed: the open one if nothing has
        happened in it yet, else the next. A ledger's first entry opens it with them."""
        schedule = self._replay.schedule
        if schedule and params.rules < schedule[-1][1].rules:
            raise LedgerError(f"rules never go back: {params.rules} after {schedule[-1][1].rules}")
        open_epoch = self.open_epoch
        last = self.last
        first_of_epoch = last is None or last.kind == "epoch_close"
        from_epoch = open_epoch if first_of_epoch else open_epoch + 1
        body = params_entry_body(params, 0 if last is None else from_epoch)
        return self.append("params", body, epoch=open_epoch, time=time)

    @property
    def open_epoch(self) -> int:
        """Epochs advance only by closing them: the open epoch follows the last close."""
        return self._replay.open_epoch

    @property
    def epoch_started(self) -> datetime | None:
        """When the open epoch began: the last close, or the first entry (None when empty)."""
        started = self._replay.epoch_started
        return None if started is None else parse_time(started)

    def ingest(self, entries: Iterable[Entry]) -> None:
        """Adopt entries already signed (e.g. stored by another server process), checking each."""
        for entry in entries:
            self._admit(entry)

    def _admit(self, entry: Entry) -> None:
        self._replay.admit(entry)
        if self._entries is not None:
            self._entries.append(entry)

    def append(self, kind: str, body: Mapping[str, BodyValue], *, epoch: int, time: str) -> Entry:
        """Check, chain, sign and add an entry. An ``epoch_close`` body may leave out its
        ``merkle_root`` (as :func:`rules.settle` does): the ledger computes it."""
        if self.is_snapshot:
            raise LedgerError(READ_ONLY)
        body = dict(body)
        if kind == "epoch_close" and "merkle_root" not in body:
            body["merkle_root"] = self._replay.frontier.root()
        entry = make_entry(self.last, kind, body, epoch=epoch, time=time, key=self._key)
        self._admit(entry)
        return entry

    def record_rating(self, body: Mapping[str, BodyValue], *, epoch: int, time: str) -> list[Entry]:
        """Append a rating and the attention payments it earns."""
        return self.append_with_run("rating", body, epoch=epoch, time=time)

    def append_with_run(
        self, kind: str, body: Mapping[str, BodyValue], *, epoch: int, time: str
    ) -> list[Entry]:
        """Append an entry and the entries the rules compute after it (a rating's attention
        payments, a training entry's transfers)."""
        added = [self.append(kind, body, epoch=epoch, time=time)]
        while (step := self._replay.next_expected()) is not None:
            added.append(self.append(*step, epoch=epoch, time=time))
        return added

    def change_vote(self, body: Mapping[str, BodyValue], *, time: str) -> Entry:
        """Append a vote change (rules 3) of a rating made in the open epoch; no payment
        follows it."""
        return self.append("vote_change", body, epoch=self.open_epoch, time=time)

    def settle_epoch(self, epoch: int, *, time: str) -> list[Entry]:
        """Append the settlement of ``epoch`` and its epoch_close; ``[]`` if already closed."""
        book = self._replay.book
        if epoch in book.closed_epochs:  # its rules may be forgotten; it never settles again
            return []
        steps = rules.settle(book, epoch, book.developers, self._replay.rules_for(epoch))
        return [self.append(kind, body, epoch=epoch, time=time) for kind, body in steps]

    def lines(self) -> list[str]:
        """The export of a ledger built with ``keep_entries``: one canonical JSON line each."""
        return [entry.to_json_line() for entry in self.entries]


# --- checkpoints: a replay's state, saved and resumed --------------------------------------------

CHECKPOINT_FORMAT: Final = "privrec-ledger-state"


class StaleCheckpoint(LedgerError):
    """A checkpoint in another state version: replay the ledger from its start instead."""


MAX_CHECKPOINT_CHARS: Final = 2 * 1024**3


def checkpoint_text(replay: _Replay, market_public_key_hex: str) -> str:
    """Canonical JSON of a replay's state, tagged with its format version, the market's key and
    the head it covers, so that it resumes only for that market, exactly where it stopped."""
    last = replay.last
    return canonical(
        {
            "format": CHECKPOINT_FORMAT,
            "version": STATE_VERSION,
            "market_key": market_public_key_hex,
            "seq": -1 if last is None else last.seq,
            "hash": GENESIS_HASH if last is None else last.hash,
            "state": replay.to_state(),
        }
    ).decode("utf-8")


def _replay_from_checkpoint(
    text: str | bytes,
    market_public_key_hex: str,
    *,
    params: EconomyParams | None = None,
    stakes_of: Mapping[str, str] | None = None,
) -> _Replay:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="strict")
    if not isinstance(text, str) or len(text) > MAX_CHECKPOINT_CHARS:
        raise LedgerError("a checkpoint is JSON text")
    data = _load_json(text)
    keys = {"format", "version", "market_key", "seq", "hash", "state"}
    if not isinstance(data, dict) or set(data) != keys or data["format"] != CHECKPOINT_FORMAT:
        raise LedgerError(f"not a ledger checkpoint (an object with keys {sorted(keys)})")
    if data["version"] != STATE_VERSION:
        raise StaleCheckpoint(
            f"checkpoint version {data['version']!r:.20} is not {STATE_VERSION}: replay instead"
        )
    if data["market_key"] != market_public_key_hex:
        raise LedgerError("the checkpoint was made for another market key")
    replay = _Replay.from_state(
        load_public_key(market_public_key_hex), data["state"], params=params, stakes_of=stakes_of
    )
    last = replay.last
    if (data["seq"], data["hash"]) != ((last.seq, last.hash) if last else (-1, GENESIS_HASH)):
        raise LedgerError("the checkpoint's head is not its state's last entry")
    return replay


# --- the outcome of a replay -----------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The outcome of verify_ledger. On failure ``bad_seq`` is the first bad entry (the line
    at that 0-based position), and the balances are those before it."""

    ok: bool
    entries: int
    balances: dict[str, int]
    totals: Totals
    closed_epochs: tuple[int, ...]
    bad_seq: int | None = None
    error: str | None = None
