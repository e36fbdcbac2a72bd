"""The market's economy in integer credits: balances, attention payments and epoch settlement.

Pure functions over ledger entries (stdlib only); ``entries``, ``replay`` and ``verify``
encode, sign and check them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Final, Protocol, TypeAlias

BodyValue: TypeAlias = str | int | bool
Body: TypeAlias = dict[str, BodyValue]

MAX_AMOUNT: Final = 10**15  # also the cap on credits in circulation, so no sum can exceed it
MAX_EPOCH: Final = 999_999_999
BPS: Final = 10_000  # basis points in a whole
MAX_LIST_LENGTH: Final = 1000  # the most items one model's list may show (params.list_length)
MARKET: Final = "market"
ATTENTION_MEMO: Final = "attention:"  # + impression id
SETTLE_MEMO: Final = "settle:"  # + epoch + ":" + what
TRAINING_MEMO: Final = "training:"  # + run id + ":" + escrow, refund or <round>:<user key>

# Identifiers never contain ":", so an account name splits back into its parts one way only;
# fullmatch with explicit [0-9] (``\d`` accepts non-ASCII digits) gives one spelling per value.
PUBKEY_RE: Final = re.compile(r"[0-9a-f]{64}")
DEVELOPER_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MODEL_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,159}")  # room for name@version
_EPOCH_TEXT = r"0|[1-9][0-9]{0,8}"
TRAINING_RE: Final = re.compile(r"[0-9a-f]{32}")  # a federated training run's id (16 bytes)
_ACCOUNT_RE: Final = re.compile(
    rf"market|user:{PUBKEY_RE.pattern}|dev:{DEVELOPER_RE.pattern}"
    rf"|stake:{MODEL_RE.pattern}|escrow:{MODEL_RE.pattern}"
    rf"|budget:{PUBKEY_RE.pattern}:(?:{_EPOCH_TEXT})|train:{TRAINING_RE.pattern}"
)
_BUDGET_RE: Final = re.compile(rf"budget:({PUBKEY_RE.pattern}):({_EPOCH_TEXT})")
_TIME_RE: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|\+00:00)"
)
_DAY_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a settlement entry out of a budget did, by its memo: "settle:<epoch>:<what>:<model>"
# (share and fee pay a model, vote burns a dislike's weight) or "settle:<epoch>:<what>".
SETTLEMENT_PAYMENT_RE: Final = re.compile(re.escape(SETTLE_MEMO) + r"[0-9]+:(share|fee|vote):(.+)")
SETTLEMENT_USER_RE: Final = re.compile(re.escape(SETTLE_MEMO) + r"[0-9]+:(refund|clawback)")
# Of Book.to_state and the ledger's checkpoints (3: vote changes, 4: training runs).
# "training:<run>:<round>:<user key>": a payment for one accepted contribution (the user's
# share, or the market's fee out of it), named by its user so the training cap can count it.
TRAINING_PAYMENT_RE: Final = re.compile(
    re.escape(TRAINING_MEMO) + r"([0-9a-f]{32}):(0|[1-9][0-9]{0,4}):([0-9a-f]{64})"
)
STATE_VERSION: Final = 4


class LedgerError(ValueError):
    """An entry, a ledger or an economic operation that breaks the rules; the message says how."""


def user_account(pubkey_hex: str) -> str:
    return f"user:{pubkey_hex}"


def dev_account(developer: str) -> str:
    return f"dev:{developer}"


def stake_account(model: str) -> str:
    return f"stake:{model}"


def escrow_account(model: str) -> str:
    """The escrow backing a model's attention bid (rules 2 pay attention out of it)."""
    return f"escrow:{model}"


def training_account(training: str) -> str:
    """The escrow of a federated training run: the developer's budget for paying contributors."""
    return f"train:{training}"


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


RULES_VERSIONS: Final = (1, 2, 3, 4)  # of the economy's rules; a ledger names the one in force
_V1_ONLY: Final = frozenset({"attention_daily_cap"})
_V2_ON: Final = frozenset({"rules", "attention_bps", "cooling_off_epochs", "list_length"})
_V3_ON: Final = frozenset({"max_vote_changes"})
_V4_ON: Final = frozenset({"training_bps"})
FROM_EPOCH: Final = "from_epoch"  # in a v2 params entry: the first epoch its rules apply to


@dataclass(frozen=True)
class EconomyParams:
    """The market's economic rules and their parameters, recorded in the ledger's ``params``
        entries. ``rules`` picks the version: 1 is the first economy (a daily attention cap and
        payouts by liked counts), 2 pays by contribution to the blended list, 3 is 2 with votes
        changeable until their epoch settles, 4 is 3 with federated training runs paid from a
    developer's escrow (docs/economy.md, docs/federated.md). Fields a version does not read
        keep their defaults and are not in its entry."""

    rules: int = 3
    fee_bps: int = 500
    burn_bps: int = 1000
    burn_cap: int = 1000
    attention_daily_cap: int = 100  # v1: attention a user may earn per UTC day
    per_item_multiplier: int = 2
    min_funding: int = 10
    attention_bps: int = 400  # v2: share of an epoch's commitment a user may earn in attention
    cooling_off_epochs: int = 2  # v2: epochs a retired model's stake can still burn
    list_length: int = 100  # v2: the most items one model's list may show
    max_vote_changes: int = 3  # v3: times one rating's vote may change before its epoch settles
    training_bps: int = 1000  # v4: share of an epoch's commitment a user may earn by training

    def __post_init__(self) -> None:
        limits = {
            "rules": (RULES_VERSIONS[0], RULES_VERSIONS[-1]),
            "fee_bps": (0, BPS),
            "burn_bps": (0, BPS),
            "attention_bps": (0, BPS),
            "training_bps": (0, BPS),
            "per_item_multiplier": (1, 1000),
            "cooling_off_epochs": (0, 1000),
            "list_length": (1, MAX_LIST_LENGTH),
            "max_vote_changes": (0, 100),
        }
        for name, value in asdict(self).items():
            low, high = limits.get(name, (0, MAX_AMOUNT))
            if type(value) is not int or not low <= value <= high:
                raise LedgerError(f"params.{name} must be an integer in [{low}, {high}]")

    @classmethod
    def _keys(cls, rules: int) -> frozenset[str]:
        names = frozenset(field.name for field in fields(cls))
        if rules == 1:
            return names - _V2_ON - _V3_ON - _V4_ON
        later = {2: _V3_ON | _V4_ON, 3: _V4_ON}.get(rules, frozenset())
        return names - _V1_ONLY - later

    def to_body(self) -> Body:
        """The params of this version only (a v1 body has no ``rules``: old ledgers)."""
        keys = self._keys(self.rules)
        return {name: value for name, value in asdict(self).items() if name in keys}

    @classmethod
    def from_body(cls, body: Mapping[str, object]) -> EconomyParams:
        rules = _int(body, "rules") if "rules" in body else 1
        if rules not in RULES_VERSIONS:
            raise LedgerError(f"params.rules must be one of {list(RULES_VERSIONS)}, got {rules}")
        names = cls._keys(rules)
        if set(body) != names:
            raise LedgerError(f"params of rules {rules} must have exactly the keys {sorted(names)}")
        values = {name: _int(body, name) for name in names}
        return cls(**{**values, "rules": rules})


def params_entry_body(params: EconomyParams, from_epoch: int) -> Body:
    """The body of a ``params`` entry putting ``params`` in force from ``from_epoch`` on; the
    first version's entries have no from_epoch (they could only open a ledger)."""
    if params.rules == 1:
        if from_epoch != 0:
            raise LedgerError("rules 1 can only open a ledger (they have no from_epoch)")
        return params.to_body()
    if type(from_epoch) is not int or not 0 <= from_epoch <= MAX_EPOCH:
        raise LedgerError(f"from_epoch is an integer in [0, {MAX_EPOCH}]")
    return {**params.to_body(), FROM_EPOCH: from_epoch}


def parse_params_entry(body: Mapping[str, object]) -> tuple[EconomyParams, int]:
    """The params of a ``params`` entry body and the epoch they apply from."""
    if "rules" in body:
        from_epoch = _int(body, FROM_EPOCH)
        if not 0 <= from_epoch <= MAX_EPOCH:
            raise LedgerError(f"from_epoch is an integer in [0, {MAX_EPOCH}]")
        return EconomyParams.from_body({k: v for k, v in body.items() if k != FROM_EPOCH}), (
            from_epoch
        )
    return EconomyParams.from_body(body), 0


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


def bps_ceil(amount: int, bps: int) -> int:
    """``amount * bps / 10000`` rounded up: a fee or burn on a non-zero amount is never 0
    (unless the rate is)."""
    return -(-amount * bps // BPS)
