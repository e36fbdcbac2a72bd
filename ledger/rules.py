"""The economy's rules, one version each: the attention payment a rating earns and the
entries that settle an epoch, computed from a :class:`~ledger.book.Book` (docs/economy.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from ledger.book import Book
from ledger.economy import (
    _DAY_RE,
    ATTENTION_MEMO,
    BPS,
    MARKET,
    MAX_AMOUNT,
    MAX_EPOCH,
    SETTLE_MEMO,
    Body,
    EconomyParams,
    EntryLike,
    LedgerError,
    Totals,
    _bool,
    _str,
    _transfer,
    bps_ceil,
    budget_account,
    dev_account,
    escrow_account,
    largest_remainder,
    stake_account,
    user_account,
)

Step = tuple[str, Body]


def attention_payment(
    book: Book,
    rating_body: Mapping[str, object],
    bid: int,
    *,
    day: str,
    epoch: int,
    params: EconomyParams,
) -> list[Body]:
    """The transfers paying a user for rating an impression in ``epoch`` on UTC ``day``:
    ``bid`` (times the per-item multiplier when per-item feedback is shared), less the market's
    fee, capped by what the rules in ``params`` leave the user; nothing for a paid impression.

    Rules 1 pay from the developer's balance, up to a daily cap, to users whose lifetime
    deposits reach ``min_funding``. Rules 2 pay from the model's attention escrow, up to
    ``attention_bps`` of what the user committed to the epoch's budget, with a fee that never
    rounds to 0."""
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
    if book.attention_paid(impression):
        return []
    if params.rules == 1:
        if book.funded(user) < params.min_funding:
            return []
        payer = dev_account(developer)
        cap_left = params.attention_daily_cap - book.attention_on_day(user, day)
        fee_of = _fee_v1
    else:
        payer = escrow_account(_str(rating_body, "model"))
        allowed = book.committed(user, epoch) * params.attention_bps // BPS
        cap_left = allowed - book.attention_counted(user, epoch)
        fee_of = _fee_v2
    payout = min(bid * multiplier, cap_left, book.balance(payer))
    if payout <= 0:
        return []
    fee = fee_of(payout, params)
    memo = ATTENTION_MEMO + impression
    parts = [(user_account(user), payout - fee), (MARKET, fee)]
    return [_transfer(payer, target, amount, memo) for target, amount in parts if amount]


def _fee_v1(amount: int, params: EconomyParams) -> int:
    return amount * params.fee_bps // BPS


def _fee_v2(amount: int, params: EconomyParams) -> int:
    # Rounded up, so a paid amount never becomes a free one for the market.
    return min(amount, bps_ceil(amount, params.fee_bps))


def settle(
    book: Book, epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
) -> list[Step]:
    """The (kind, body) pairs that settle ``epoch`` under ``params``' rules; ``[]`` once it is
    closed. Users and models are taken in sorted order, so the output depends only on the
    book. The last pair is ``("epoch_close", {"epoch": epoch})``: the ledger adds the Merkle
    root when appending it, since the root covers the settlement entries themselves."""
    if type(epoch) is not int or not 0 <= epoch <= MAX_EPOCH:
        raise LedgerError(f"an epoch is an integer in [0, {MAX_EPOCH}]")
    if epoch in book.closed_epochs:
        return []
    settle_rules = _settle_v1 if params.rules == 1 else _settle_v2
    return [*settle_rules(book, epoch, stakes_of, params), ("epoch_close", {"epoch": epoch})]


def _developer(stakes_of: Mapping[str, str], model: str) -> str:
    developer = stakes_of.get(model)
    if developer is None:
        raise LedgerError(f"model {model!r} has no registered developer")
    return developer


def _pay_share(
    budget: str, developer: str, model: str, share: int, fee: int, memo: str
) -> list[Step]:
    parts = [
        (dev_account(developer), share - fee, f"{memo}share:{model}"),
        (MARKET, fee, f"{memo}fee:{model}"),
    ]
    return [
        ("transfer", _transfer(budget, target, amount, text))
        for target, amount, text in parts
        if amount
    ]


def _burn(account: str, amount: int, memo: str) -> Step:
    return ("burn", {"from": account, "amount": amount, "memo": memo})


def _settle_v1(
    book: Book, epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
) -> list[Step]:
    """Rules 1: each budget is split among the models its user rated, by liked counts, and
    paid to their developers less the fee (rounded down); a budget with no likes goes back.
    Each model rated net negative (by counts) loses ``min(stake * burn_bps, burn_cap)``."""
    memo = f"{SETTLE_MEMO}{epoch}:"
    out: list[Step] = []
    for user in sorted(book.budget_users(epoch)):
        budget = budget_account(user, epoch)
        held = book.balance(budget)
        if not held:
            continue
        liked = {model: n for model, n in book.liked(epoch, user).items() if n > 0}
        if not liked:
            out.append(("transfer", _transfer(budget, user_account(user), held, memo + "refund")))
            continue
        for model, share in largest_remainder(held, liked).items():
            developer = _developer(stakes_of, model)
            fee = share * params.fee_bps // BPS
            out.extend(_pay_share(budget, developer, model, share, fee, memo))
    for model, net in sorted(book.nets(epoch).items()):
        stake = stake_account(model)
        burn = min(book.balance(stake) * params.burn_bps // BPS, params.burn_cap)
        if net < 0 and burn > 0:
            out.append(_burn(stake, burn, f"{memo}burn:{model}"))
    return out


def _settle_v2(
    book: Book, epoch: int, stakes_of: Mapping[str, str], params: EconomyParams
) -> list[Step]:
    """Rules 2 (docs/economy.md): each budget is split by the size of its user's contributions
    to the blended list; positive shares pay the model's developer (less a fee rounded up),
    negative ones are burned from the budget. A model voted against by budgets V loses
    ``min(V, ceil(stake * burn_bps), burn_cap)`` of its stake (at least 1 when V > 0). Stakes and
    escrows of models retired ``cooling_off_epochs`` ago go back to their developers."""
    memo = f"{SETTLE_MEMO}{epoch}:"
    out: list[Step] = []
    voted_against: dict[str, int] = defaultdict(int)
    for user in sorted(book.budget_users(epoch)):
        budget = budget_account(user, epoch)
        held = book.balance(budget)
        if not held:
            continue
        contributions = book.contributions(epoch, user)
        if contributions is None:  # rated nothing: the budget was never used
            out.append(("transfer", _transfer(budget, user_account(user), held, memo + "refund")))
            continue
        weights = {model: abs(c) for model, c in contributions.items() if c}
        if not weights:
            # Rated, but no model changed the blended list: attention earned meanwhile is not
            # refunded (else committing, rating and taking the refund would farm it for free).
            clawback = min(held, book.attention_counted(user, epoch))
            if clawback:
                out.append(_burn(budget, clawback, memo + "clawback"))
            if held - clawback:
                refund = _transfer(budget, user_account(user), held - clawback, memo + "refund")
                out.append(("transfer", refund))
            continue
        for model, share in largest_remainder(held, weights).items():
            if not share:
                continue
            if contributions[model] > 0:
                developer = _developer(stakes_of, model)
                out.extend(
                    _pay_share(budget, developer, model, share, _fee_v2(share, params), memo)
                )
            else:  # a dislike costs its author what it weighs
                out.append(_burn(budget, share, f"{memo}vote:{model}"))
                voted_against[model] += share
    burned: dict[str, int] = {}
    for model in sorted(voted_against):
        # Not netted against what other budgets paid it: a model's own accounts could buy off
        # its burn for the fee. Each vote is already its author's net judgement of the model.
        stake = book.balance(stake_account(model))
        if stake and params.burn_bps and params.burn_cap:
            limit = min(bps_ceil(stake, params.burn_bps), params.burn_cap)
            burned[model] = min(voted_against[model], limit)
            out.append(_burn(stake_account(model), burned[model], f"{memo}burn:{model}"))
    for model, retired in sorted(book.retired.items()):
        if retired + params.cooling_off_epochs > epoch:
            continue
        developer = dev_account(_developer(stakes_of, model))
        held_stake = book.balance(stake_account(model)) - burned.get(model, 0)
        for account, held, what in (
            (stake_account(model), held_stake, "release"),
            (escrow_account(model), book.balance(escrow_account(model)), "release-escrow"),
        ):
            if held:
                out.append(
                    ("transfer", _transfer(account, developer, held, f"{memo}{what}:{model}"))
                )
    return out


# --- over a sequence of entries (tests, tools) ---------------------------------------------------


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
