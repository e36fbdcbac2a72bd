"""Rules 4: federated training runs paid from a developer's escrow. The transfers that follow
a ``training_open``, ``training_contribution`` or ``training_close`` entry are computed here
from the book, so a replay recomputes (and so verifies) every training payment."""

from __future__ import annotations

from collections.abc import Mapping

from ledger.book import Book
from ledger.economy import (
    BPS,
    MARKET,
    TRAINING_MEMO,
    Body,
    EconomyParams,
    _int,
    _str,
    _transfer,
    dev_account,
    training_account,
    user_account,
)
from ledger.rules import _fee_v2


def training_cap_left(book: Book, user: str, epoch: int, params: EconomyParams) -> int:
    """What ``user`` may still be paid for training in ``epoch`` (fees included): the
    ``training_bps`` share of what they committed to the epoch's budget, less what was paid.
    An account that committed nothing is paid nothing, so free accounts cannot drain a run."""
    allowed = book.committed(user, epoch) * params.training_bps // BPS
    return max(0, allowed - book.training_counted(user, epoch))


def training_run(
    book: Book, kind: str, body: Mapping[str, object], *, epoch: int, params: EconomyParams
) -> list[Body]:
    """The transfers the rules attach to a training entry of ``kind`` (checked already)."""
    training = _str(body, "training")
    escrow = training_account(training)
    if kind == "training_open":
        memo = f"{TRAINING_MEMO}{training}:escrow"
        source = dev_account(_str(body, "developer"))
        return [_transfer(source, escrow, _int(body, "budget"), memo)]
    if kind == "training_close":
        held = book.balance(escrow)
        developer = book.training(training).developer
        memo = f"{TRAINING_MEMO}{training}:refund"
        return [_transfer(escrow, dev_account(developer), held, memo)] if held else []
    user, round_index = _str(body, "user"), _int(body, "round")
    reward = book.training(training).reward
    payout = min(reward, book.balance(escrow), training_cap_left(book, user, epoch, params))
    if payout <= 0:
        return []
    fee = _fee_v2(payout, params)
    memo = f"{TRAINING_MEMO}{training}:{round_index}:{user}"
    parts = [(user_account(user), payout - fee), (MARKET, fee)]
    return [_transfer(escrow, target, amount, memo) for target, amount in parts if amount]
