"""The market's economy in integer credits: balances, attention payments and epoch settlement.

Pure functions over ledger entries (stdlib only); ``entries``, ``replay`` and ``verify``
encode, sign and check them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, Protocol, TypeAlias

BodyValue: TypeAlias = str | int | bool
Body: TypeAlias = dict[str, BodyValue]

MAX_AMOUNT: Final = 10**15  # also the cap on credits in circulation, so no sum can exceed it
MAX_EPOCH: Final = 999_999_999
BPS: Final = 10_000  # basis points in a whole
MARKET: Final = "market"
ATTENTION_MEMO: Final = "attention:"  # + impression id
SETTLE_MEMO: Final = "settle:"  # + epoch + ":" + what

# Identifiers never contain ":", so an account name splits back into its parts one way only;
# fullmatch with explicit [0-9] (``\d`` accepts non-ASCII digits) gives one spelling per value.
PUBKEY_RE: Final = re.compile(r"[0-9a-f]{64}")
DEVELOPER_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MODEL_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,159}")  # room for name@version
_EPOCH_TEXT = r"0|[1-9][0-9]{0,8}"
_ACCOUNT_RE: Final = re.compile(
    rf"market|user:{PUBKEY_RE.pattern}|dev:{DEVELOPER_RE.pattern}|stake:{MODEL_RE.pattern}"
    rf"|budget:{PUBKEY_RE.pattern}:(?:{_EPOCH_TEXT})"
)
_BUDGET_RE: Final = re.compile(rf"budget:({PUBKEY_RE.pattern}):({_EPOCH_TEXT})")
_TIME_RE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|\+00:00)"
)
_DAY_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A settlement transfer out of a budget: "settle:<epoch>:share:<model>" or "...:fee:<model>".
SETTLEMENT_PAYMENT_RE: Final = re.compile(re.escape(SETTLE_MEMO) + r"[0-9]+:(share|fee):(.+)")
STATE_VERSION: Final = 1  # of Book.to_state and the ledger's checkpoints


class LedgerError(ValueError):
    """An entry, a ledger or an economic operation that breaks the rules; the message says how."""


def user_account(pubkey_hex: str) -> str:
    return f"user:{pubkey_hex}"


def dev_account(developer: str) -> str:
    return f"dev:{developer}"


def stake_account(model: str) -> str:
    return f"stake:{model}"


def budget_account(pubkey_hex: str, epoch: int) -> str:
    """The escrow holding what a user gives the models they rate in ``epoch``."""
    return f"budget:{pubkey_hex}:{epoch}"


def is_account(text: object) -> bool:
    return isinstance(text, str) and _ACCOUNT_RE.fullmatch(text) is not None


def budget_owner(account: str) -> tuple[str, int] | None:
    """The (user public key, epoch) of a budget account, or None for any other account."""
    match = _BUDGET_RE.fullmatch(account)
    return (match[1], int(match[2])) if match else None


def parse_time(text: object) -> datetime:
    """An entry time: ISO-8601 in UTC (``Z`` or ``+00:00``), at most microseconds."""
    if not isinstance(text, str) or not _TIME_RE.fullmatch(text):
        raise LedgerError(f"time must be ISO-8601 UTC like 2024-05-01T12:00:00Z, got {text!r:.60}")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise LedgerError(f"time {text!r} is not a real date and time") from None


def utc_day(time: str) -> str:
    """The UTC day (YYYY-MM-DD) of an entry time: the period of the attention cap."""
    return parse_time(time).date().isoformat()


@dataclass(frozen=True)
class EconomyParams:
    """The market's economic parameters; recorded in the ledger's first entry."""

    fee_bps: int = 500
    burn_bps: int = 1000
    burn_cap: int = 1000
    attention_daily_cap: int = 100
    per_item_multiplier: int = 2
    min_funding: int = 10

    def __post_init__(self) -> None:
        limits = {"fee_bps": (0, BPS), "burn_bps": (0, BPS), "per_item_multiplier": (1, 1000)}
        for name, value in asdict(self).items():
            low, high = limits.get(name, (0, MAX_AMOUNT))
            if type(value) is not int or not low <= value <= high:
                raise LedgerError(f"params.{name} must be an integer in [{low}, {high}]")

    def to_body(self) -> Body:
        return dict(asdict(self))

    @classmethod
    def from_body(cls, body: Mapping[str, object]) -> EconomyParams:
        names = {field.name for field in fields(cls)}
        if set(body) != names:
            raise LedgerError(f"params must have exactly the keys {sorted(names)}")
        values = {name: _int(body, name) for name in names}
        return cls(**values)


@dataclass(frozen=True)
class Totals:
    minted: int
    burned: int

    @property
    def circulating(self) -> int:
        return self.minted - self.burned


class EntryLike(Protocol):
    """What the economy reads of a ledger entry (``ledger.Entry`` is one)."""

    @property
    def epoch(self) -> int: ...

    @property
    def time(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def body(self) -> Mapping[str, object]: ...


def _int(body: Mapping[str, object], key: str) -> int:
    value = body.get(key)
    if type(value) is not int:
        raise LedgerError(f"{key} must be an integer, got {value!r:.60}")
    return value


def _str(body: Mapping[str, object], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise LedgerError(f"{key} must be a string, got {value!r:.60}")
    return value


def _bool(body: Mapping[str, object], key: str) -> bool:
    value = body.get(key)
    if not isinstance(value, bool):
        raise LedgerError(f"{key} must be true or false, got {value!r:.60}")
    return value


def largest_remainder(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split ``total`` in proportion to positive ``weights``, exactly: everyone gets the floor of
    their share, then the credits left go one each to the largest remainders (ties to the
    smaller name). The result is sorted by name."""
    if type(total) is not int or total < 0:
        raise LedgerError("the total to split must be a non-negative integer")
    if any(type(weight) is not int or weight <= 0 for weight in weights.values()):
        raise LedgerError("split weights must be positive integers")
    if not weights:
        if total:
            raise LedgerError("cannot split credits among no one")
        return {}
    weight_sum = sum(weights.values())
    shares = {name: total * weight // weight_sum for name, weight in weights.items()}
    left = total - sum(shares.values())
    # Remainders share the denominator weight_sum, so comparing numerators is exact.
    order = sorted(weights, key=lambda name: (-(total * weights[name] % weight_sum), name))
    for name in order[:left]:
        shares[name] += 1
    return dict(sorted(shares.items()))


def _transfer(source: str, target: str, amount: int, memo: str) -> Body:
    return {"from": source, "to": target, "amount": amount, "memo": memo}


class Book:
    """The state a replay of the ledger builds: balances, totals, and what the attention and
    settlement rules read. Apply entries in seq order; a failed ``apply`` changes nothing."""

    def __init__(self) -> None:
        self._balances: dict[str, int] = defaultdict(int)
        self._minted = 0
        self._burned = 0
        self._developers: dict[str, str] = {}
        self._bids: dict[str, int] = {}
        self._deposited: dict[str, int] = defaultdict(int)  # user key -> minted to them
        self._budgeted: dict[str, int] = defaultdict(int)  # user key -> put in budgets, kept
        self._rater: dict[str, str] = {}  # impression id -> the user who rated it
        self._attention: dict[tuple[str, str], int] = defaultdict(int)  # (user, day) -> paid
        self._attention_paid: set[str] = set()
        self._liked: dict[int, dict[str, dict[str, int]]] = {}  # epoch -> user -> model -> n
        self._net: dict[int, dict[str, int]] = {}  # epoch -> model -> liked - disliked
        self._budget_users: dict[int, set[str]] = {}  # epoch -> users with a budget
        self._closed: set[int] = set()
        # Reporting aggregates (the leaderboard's and the wallet's), kept as entries apply so
        # that no reader has to scan the ledger: bounded by accounts and models.
        self._earned: dict[str, int] = defaultdict(int)  # model -> settlement shares paid
        self._attention_earned: dict[str, int] = defaultdict(int)  # user key -> attention
        self._payouts: dict[str, dict[str, int]] = {}  # user key -> model -> share + fee

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
        """What the user has committed: the larger of their deposits and what they have put in
        budgets and not had refunded. The larger, not the sum, so a deposit that is then
        budgeted counts once."""
        return max(self._deposited.get(pubkey_hex, 0), self._budgeted.get(pubkey_hex, 0))

    # --- replay ----------------------------------------------------------------------------

    def apply(self, entry: EntryLike) -> None:
        """Replay one entry; raises LedgerError (and changes nothing) on an overdraft."""
        body = entry.body
        match entry.kind:
            case "mint":
                self._mint(_str(body, "account"), _int(body, "amount"))
            case "transfer":
                self._move(body, utc_day(entry.time))
            case "burn":
                account, amount = _str(body, "from"), _int(body, "amount")
                self._debit(account, amount)
                self._burned += amount
            case "model":
                model, developer, bid = (
                    _str(body, "model"),
                    _str(body, "developer"),
                    _int(body, "bid"),
                )
                self._developers[model] = developer
                self._bids[model] = bid
            case "rating":
                self._rate(entry.epoch, body)
            case "epoch_close":
                epoch = _int(body, "epoch")
                self._closed.add(epoch)
                # A closed epoch is never settled again: its rating state is no longer needed.
                self._liked.pop(epoch, None)
                self._net.pop(epoch, None)
                self._budget_users.pop(epoch, None)
            case "params" | "impression":
                pass  # no money moves
            case kind:
                raise LedgerError(f"unknown entry kind {kind!r:.40}")

    def _mint(self, account: str, amount: int) -> None:
        if self._minted - self._burned + amount > MAX_AMOUNT:
            raise LedgerError(f"minting {amount} would put more than {MAX_AMOUNT} in circulation")
        self._minted += amount
        self._balances[account] += amount
        if account.startswith("user:"):
            self._deposited[account.removeprefix("user:")] += amount

    def _debit(self, account: str, amount: int) -> None:
        held = self._balances.get(account, 0)
        if amount > held:
            raise LedgerError(f"overdraft: {account} holds {held}, cannot pay {amount}")
        self._balances[account] = held - amount

    def _move(self, body: Mapping[str, object], day: str) -> None:
        source, target, amount = _str(body, "from"), _str(body, "to"), _int(body, "amount")
        memo = _str(body, "memo")
        rater = None
        if memo.startswith(ATTENTION_MEMO):
            rater = self._rater.get(memo.removeprefix(ATTENTION_MEMO))
            if rater is None:
                raise LedgerError(f"attention payment {memo!r:.80} for an unrated impression")
        self._debit(source, amount)
        self._balances[target] += amount
        if rater is not None:
            self._count_attention(rater, day, amount)
            self._attention_paid.add(memo.removeprefix(ATTENTION_MEMO))
            if target == user_account(rater):
                self._attention_earned[rater] += amount
        into, out_of = budget_owner(target), budget_owner(source)
        if into is not None:
            self._budget_users.setdefault(into[1], set()).add(into[0])
            if source == user_account(into[0]):
                self._budgeted[into[0]] += amount
        if out_of is not None and target == user_account(out_of[0]):  # a refund
            self._budgeted[out_of[0]] = max(0, self._budgeted[out_of[0]] - amount)
        paid = SETTLEMENT_PAYMENT_RE.fullmatch(memo) if out_of is not None else None
        if out_of is not None and paid is not None:
            what, model = paid.group(1), paid.group(2)
            if what == "share":
                self._earned[model] += amount
            per_model = self._payouts.setdefault(out_of[0], {})
            per_model[model] = per_model.get(model, 0) + amount

    def _count_attention(self, user: str, day: str, amount: int) -> None:
        # Entry times never go back, so the daily cap only ever reads the latest day: earlier
        # days are dropped and the state stays bounded by the users paid on one day.
        if self._attention and day not in {known for _, known in self._attention}:
            self._attention = defaultdict(
                int, {key: n for key, n in self._attention.items() if key[1] >= day}
            )
        self._attention[user, day] += amount

    def _rate(self, epoch: int, body: Mapping[str, object]) -> None:
        user, model = _str(body, "user"), _str(body, "model")
        liked, disliked = _int(body, "liked"), _int(body, "disliked")
        self._rater[_str(body, "impression_id")] = user
        per_model = self._liked.setdefault(epoch, {}).setdefault(user, {})
        per_model[model] = per_model.get(model, 0) + liked
        net = self._net.setdefault(epoch, {})
        net[model] = net.get(model, 0) + liked - disliked

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
            "attention_paid": sorted(self._attention_paid),
            "liked": {
                str(epoch): {user: _nonzero(models) for user, models in sorted(users.items())}
                for epoch, users in sorted(self._liked.items())
            },
            "net": {
                str(epoch): dict(sorted(nets.items())) for epoch, nets in sorted(self._net.items())
            },
            "budget_users": {
                str(epoch): sorted(users) for epoch, users in sorted(self._budget_users.items())
            },
            "closed": sorted(self._closed),
            "earned": _nonzero(self._earned),
            "attention_earned": _nonzero(self._attention_earned),
            "payouts": {user: _nonzero(models) for user, models in sorted(self._payouts.items())},
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
        book._rater = _texts(data["rater"], "rater")
        attention: dict[tuple[str, str], int] = defaultdict(int)
        for row in _state_list(data["attention"], "attention"):
            if not (isinstance(row, list) and len(row) == 3):
                raise LedgerError("state attention rows are [user, day, amount]")
            attention[_state_str(row[0], "attention"), _state_str(row[1], "attention")] = (
                _state_int(row[2], "attention")
            )
        book._attention = attention
        book._attention_paid = {
            _state_str(i, "attention_paid")
            for i in _state_list(data["attention_paid"], "attention_paid")
        }
        book._liked = {
            _epoch_key(epoch): {
                _state_str(user, "liked"): _amounts(models, "liked")
                for user, models in _state_dict(users, "liked").items()
            }
            for epoch, users in _state_dict(data["liked"], "liked").items()
        }
        book._net = {
            _epoch_key(epoch): _amounts(nets, "net", signed=True)
            for epoch, nets in _state_dict(data["net"], "net").items()
        }
        book._budget_users = {
            _epoch_key(epoch): {
                _state_str(user, "budget_users") for user in _state_list(users, "budget_users")
            }
            for epoch, users in _state_dict(data["budget_users"], "budget_users").items()
        }
        book._closed = {
            _state_int(epoch, "closed") for epoch in _state_list(data["closed"], "closed")
        }
        book._earned = defaultdict(int, _amounts(data["earned"], "earned"))
        book._attention_earned = defaultdict(
            int, _amounts(data["attention_earned"], "attention_earned")
        )
        book._payouts = {
            _state_str(user, "payouts"): _amounts(models, "payouts")
            for user, models in _state_dict(data["payouts"], "payouts").items()
        }
        return book

    # --- the rules -------------------------------------------------------------------------

    def attention_payment(
        self, rating_body: Mapping[str, object], bid: int, *, day: str, params: EconomyParams
    ) -> list[Body]:
        """The transfers paying a user for rating an impression: ``bid`` (times the per-item
        multiplier when per-item feedback is shared) from the developer, the market's fee
        split off; capped by what is left of the user's daily cap (counted before the fee)
        and by the developer's balance; nothing for an unfunded user or a paid impression."""
        if type(bid) is not int or not 0 <= bid <= MAX_AMOUNT:
            raise LedgerError(f"a bid is an integer in [0, {MAX_AMOUNT}]")
        if not isinstance(day, str) or not _DAY_RE.fullmatch(day):
            raise LedgerError(f"day must be YYYY-MM-DD, got {day!r:.40}")
        try:
            date.fromisoformat(day)
        except ValueError:
            raise LedgerError(f"day {day!r} is not a date") from None
        impression = _str(rating_body, "impression_id")
        user, developer = _str(rating_body, "user"), _str(rating_body, "developer")
        multiplier = params.per_item_multiplier if _bool(rating_body, "per_item") else 1
        if impression in self._attention_paid or self.funded(user) < params.min_funding:
            return []
        cap_left = params.attention_daily_cap - self._attention.get((user, day), 0)
        payout = min(bid * multiplier, cap_left, self.balance(dev_account(developer)))
        if payout <= 0:
            return []
        fee = payout * params.fee_bps // BPS
        memo = ATTENTION_MEMO + impression
        payer = dev_account(developer)
        parts = [(user_account(user), payout - fee), (MARKET, fee)]
        return [_transfer(payer, target, amount, memo) for target, amount in parts if amount]

    def settle(
        self, epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
    ) -> list[tuple[str, Body]]:
        """The entries settling ``epoch`` (see :func:`settle`)."""
        if type(epoch) is not int or not 0 <= epoch <= MAX_EPOCH:
            raise LedgerError(f"an epoch is an integer in [0, {MAX_EPOCH}]")
        if epoch in self._closed:
            return []
        memo = f"{SETTLE_MEMO}{epoch}:"
        out: list[tuple[str, Body]] = []
        liked_by = self._liked.get(epoch, {})
        for user in sorted(self._budget_users.get(epoch, ())):
            budget = budget_account(user, epoch)
            held = self.balance(budget)
            if not held:
                continue
            liked = {model: n for model, n in liked_by.get(user, {}).items() if n > 0}
            if not liked:
                out.append(
                    ("transfer", _transfer(budget, user_account(user), held, memo + "refund"))
                )
                continue
            for model, share in largest_remainder(held, liked).items():
                developer = stakes_of.get(model)
                if developer is None:
                    raise LedgerError(f"model {model!r} has no registered developer")
                fee = share * params.fee_bps // BPS
                parts = [
                    (dev_account(developer), share - fee, f"{memo}share:{model}"),
                    (MARKET, fee, f"{memo}fee:{model}"),
                ]
                out.extend(
                    ("transfer", _transfer(budget, target, amount, text))
                    for target, amount, text in parts
                    if amount
                )
        for model, net in sorted(self._net.get(epoch, {}).items()):
            stake = stake_account(model)
            burn = min(self.balance(stake) * params.burn_bps // BPS, params.burn_cap)
            if net < 0 and burn > 0:
                out.append(("burn", {"from": stake, "amount": burn, "memo": f"{memo}burn:{model}"}))
        out.append(("epoch_close", {"epoch": epoch}))
        return out


# --- state (checkpoint) helpers: JSON values checked on the way back in --------------------------

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
        "earned",
        "attention_earned",
        "payouts",
    }
)


def _nonzero(amounts: Mapping[str, int]) -> dict[str, int]:
    return {key: n for key, n in sorted(amounts.items()) if n}


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


def _amounts(value: object, what: str, *, signed: bool = False) -> dict[str, int]:
    return {
        _state_str(key, what): _state_int(n, what, signed=signed)
        for key, n in _state_dict(value, what).items()
    }


def _texts(value: object, what: str) -> dict[str, str]:
    return {
        _state_str(key, what): _state_str(text, what)
        for key, text in _state_dict(value, what).items()
    }


def _epoch_key(text: str) -> int:
    if not re.fullmatch(_EPOCH_TEXT, text):
        raise LedgerError(f"state epoch key {text!r:.20} is not an epoch")
    return int(text)


def replay(entries: Iterable[EntryLike]) -> Book:
    """The book after applying ``entries`` in order."""
    book = Book()
    for entry in entries:
        book.apply(entry)
    return book


def balances(entries: Iterable[EntryLike]) -> dict[str, int]:
    """Every non-zero balance after the entries; raises LedgerError on an overdraft."""
    return replay(entries).balances()


def totals(entries: Iterable[EntryLike]) -> Totals:
    """Credits minted and burned: the balances always add up to minted - burned."""
    return replay(entries).totals


def attention_payment(
    entries: Iterable[EntryLike],
    rating_entry_body: Mapping[str, object],
    bid: int,
    *,
    day: str,
    params: EconomyParams,
) -> list[Body]:
    """The ``transfer`` bodies paying a user for a rating (see :meth:`Book.attention_payment`);
    their memo is ``attention:<impression id>``, which the daily cap counts."""
    return replay(entries).attention_payment(rating_entry_body, bid, day=day, params=params)


def settle(
    entries: Iterable[EntryLike], epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
) -> list[tuple[str, Body]]:
    """The (kind, body) pairs that settle ``epoch``; ``[]`` once it is closed.

    Each budget of the epoch is split among the models its user rated, by liked counts
    (:func:`largest_remainder`), and paid to their developers less the market fee; a budget
    with no likes goes back to its user. Each model rated net negative over the epoch loses
    ``min(stake * burn_bps / 10000, burn_cap)`` of its stake. Users and models are taken in
    sorted order, so the output depends only on the entries. The last pair is
    ``("epoch_close", {"epoch": epoch})``: the ledger adds the Merkle root when appending it,
    since the root covers the settlement entries themselves.
    """
    return replay(entries).settle(epoch, stakes_of, params)
