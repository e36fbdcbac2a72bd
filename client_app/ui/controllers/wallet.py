"""Wallet: balance, budget, attention, when the payment period ends, the ledger replayed on the
device, the last settlement explained model by model (those paid nothing too), the user's
receipts and what they earned and spent per period, in plain words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from client_app.ledger_check import WalletView
from client_app.market import MarketError, MarketInfo, MarketUnavailable
from client_app.sdk import PrivrecClient
from client_app.store import Receipt, ShownModel
from client_app.ui.controllers.wording import (
    Notice,
    credits_text,
    duration_text,
    error_text,
    period_text,
    plural,
    when_text,
)
from ledger.book import PayoutLine, UserSettlement
from ledger.economy import (
    ATTENTION_MEMO,
    MARKET,
    SETTLEMENT_PAYMENT_RE,
    SETTLEMENT_USER_RE,
    budget_owner,
    user_account,
)

SETTLEMENT_NOTE = (
    "A model brought an item into your blended list when the list would not have it without "
    "that model; each model counts the liked items it brought, less the disliked ones."
)
LEDGER_NOTE = (
    "The market's signed, hash-chained ledger was downloaded and replayed on this device: every "
    "signature, every balance and every settlement."
)
DISTRUST = "Commit no more credits to this market until its operator explains it."
NO_PAYOUTS = "Nothing yet: budgets are paid out when a payment period is settled."
CHART_PERIODS: Final = 8  # the most recent periods the chart shows
RECEIPTS_SHOWN: Final = 200  # newest first


def settlement_to_explain(view: WalletView) -> UserSettlement | None:
    """The last settlement as replayed on this device once the ledger verified (the balance
    was compared only then), not on the market's word; else the market's account of it."""
    if view.ledger.balance_matches is not None:
        return view.ledger.settlement
    return view.wallet.last_settlement


def settlement_text(
    settlement: UserSettlement | None,
    open_epoch: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """The last settlement of this user's budget in plain words: a heading, and a line per
    model (why it got what it got) and for what came back or was burned. ``labels`` name the
    ledger's models in the app's words ("shelf@1.0.0 by shelf-labs")."""
    if settlement is None:
        return (
            "No budget of yours was settled yet: budgets are settled when a payment period ends.",
            (),
        )
    lines = settlement.lines
    held = settlement.refunded + settlement.clawback
    held += sum(line.paid + line.fee + line.burned for line in lines)
    period = period_text(settlement.epoch, open_epoch)
    heading = f"Your budget of {credits_text(held)} for {period} was settled:"
    weighed = sum(abs(line.contribution) for line in lines)
    said = tuple(
        payout_line_text(line, weighed, held, (labels or {}).get(line.model)) for line in lines
    )
    moved = any(line.contribution for line in lines)
    if settlement.clawback:
        said += (
            f"Burned {credits_text(settlement.clawback)} of your budget to take back the "
            "attention you were paid that period, since none of your ratings changed the "
            "blended list.",
        )
    if settlement.refunded:
        if not lines and not settlement.clawback:
            why = ": you rated nothing that period."
        elif not moved:
            why = ": no model was paid, since none of your ratings changed the blended list."
        else:
            why = "."
        said += (f"Refunded {credits_text(settlement.refunded)} to your balance{why}",)
    return heading, said


def payout_line_text(
    line: PayoutLine, weighed: int = 0, budget: int = 0, label: str | None = None
) -> str:
    """Why one model got what it got: e.g. "Paid 11 credits to shelf@1.0.0, and 1 credit to the
    market as its fee: it brought 3 of your liked items into the blended list, 3 of the 5
    items that split your budget of 20 credits." Budgets split by each model's contribution
    (the liked items it brought, less the disliked ones: see SETTLEMENT_NOTE), disliked ones
    burned; ``weighed`` is the sum of those contributions' sizes, ``budget`` what was split."""
    name = label or line.model
    count = abs(line.contribution)
    split = (
        f", {count:,} of the {weighed:,} items that split your budget of {credits_text(budget)}"
        if weighed > count and budget
        else ""
    )
    if line.contribution > 0:
        fee = f", and {credits_text(line.fee)} to the market as its fee," if line.fee else ""
        return (
            f"Paid {credits_text(line.paid)} to {name}{fee} because it brought "
            f"{count:,} of your liked items into the blended list{split}."
        )
    if line.contribution < 0:
        items = plural(count, "item", "items")
        return (
            f"Burned {credits_text(line.burned)} of your budget against {name}: it brought "
            f"{items} you disliked into the blended list{split}."
        )
    return (
        f"Nothing to {name}: it brought no more items you liked than you disliked into the "
        "blended list."
    )


def ledger_name(label: str) -> str:
    """The ledger's name of a model from the app's label: "shelf@1.0.0 by shelf-labs" ->
    "shelf@1.0.0" (a ledger name has no spaces)."""
    return label.split(" ", 1)[0]


def unpaid_text(settlement: UserSettlement | None, shown: Sequence[ShownModel]) -> tuple[str, ...]:
    """The models this device was shown in the settled period that its budget paid nothing
    (they have no line in the settlement), each with why."""
    if settlement is None:
        return ()
    listed = {line.model for line in settlement.lines}
    said = []
    for model in shown:
        if ledger_name(model.label) in listed:
            continue
        lists = plural(model.shown, "list")
        if not model.rated:
            why = (
                f"you rated none of its {lists}" if model.shown > 1 else "you did not rate its list"
            )
        elif model.refused and not model.delivered:
            why = "the market refused your ratings of it (they came too late)"
        elif not model.delivered:
            why = "your ratings of it had not reached the market when the period was settled"
        elif model.contribution == 0:
            why = (
                "it brought no item you liked into the blended list that another model had not "
                "brought first (or as many you disliked)"
            )
        else:
            why = "its share of your budget came to less than 1 credit"
        said.append(f"Nothing to {model.label}: {why}.")
    return tuple(said)


def epoch_clock_text(info: MarketInfo, now: datetime | None = None) -> str:
    """When this payment period ends, in the user's local time."""
    if info.epoch_seconds is None:
        return "This market does not say when its payment periods end."
    length = duration_text(info.epoch_seconds)
    if info.epoch_started is None or info.epoch_due is None:
        return (
            f"The market's first payment period starts with its first ledger entry; periods "
            f"last {length}."
        )
    now = now or datetime.now(UTC)
    started, due = when_text(info.epoch_started), when_text(info.epoch_due)
    if now < info.epoch_due:
        who = (
            "then the market settles it by itself"
            if info.auto_settle
            else "at the earliest: the market's operator settles it"
        )
        return (
            f"This payment period started {started} and ends {due} ({who}; periods last {length})."
        )
    if info.auto_settle:
        return f"This payment period was due to end {due}: the market settles it within minutes."
    return f"This payment period is due since {due}: it ends when the market's operator settles it."


@dataclass(frozen=True)
class ReceiptView:
    when: str  # local time, to the minute
    text: str
    amount: str  # "+40 credits" (to you), "-40 credits" (from you), "40 credits" (moved)
    direction: str  # "in", "out" or "moved" (between your balance and your budget)


@dataclass(frozen=True)
class PeriodBar:
    """One payment period of the chart: what you earned (attention paid to you) and spent
    (what your budget paid models, their fees and burns; refunds are not spent)."""

    label: str
    earned: int
    spent: int


def receipt_view(receipt: Receipt, pubkey_hex: str, open_epoch: int | None = None) -> ReceiptView:
    """One entry that moved the user's credits, in a sentence."""
    own = user_account(pubkey_hex)
    amount = receipt.amount
    source, target, memo = receipt.source or "", receipt.target or "", receipt.memo
    budget = budget_owner(source) or budget_owner(target)
    period = period_text(budget[1], open_epoch) if budget else ""
    payment = SETTLEMENT_PAYMENT_RE.fullmatch(memo)
    direction = "out"
    if receipt.kind == "mint":
        direction = "in"
        text = (
            "Demo credits from the market"
            if memo == "faucet"
            else f"Credits minted to you ({memo})"
        )
    elif target == own and memo.startswith(ATTENTION_MEMO):
        direction = "in"
        payer = source.split(":", 1)[1] if ":" in source else source
        text = f"Paid by {payer} for rating its list"
    elif source == own and budget is not None:
        direction, text = "moved", f"Put into your budget for {period}"
    elif target == own and budget is not None:
        direction, text = "moved", f"Refunded from your budget for {period}"
    elif payment is not None:
        what, model = payment.group(1), payment.group(2)
        maker = target.split(":", 1)[1] if target.startswith("dev:") else "its maker"
        text = {
            "share": f"Your budget for {period} paid {maker} for {model}",
            "fee": f"Your budget for {period} paid the market's fee on {model}",
            "vote": f"Burned from your budget for {period} against {model}",
        }[what]
    elif SETTLEMENT_USER_RE.fullmatch(memo) is not None and receipt.kind == "burn":
        text = f"Burned from your budget for {period}: the attention paid to you that period"
    elif target == own:
        direction, text = "in", f"Received from {source}"
    else:
        text = f"Sent to {'the market' if target == MARKET else target or 'no one (burned)'}"
    sign = {"in": "+", "out": "-", "moved": ""}[direction]
    return ReceiptView(
        _entry_when(receipt.time), f"{text}.", f"{sign}{credits_text(amount)}", direction
    )


def _entry_when(time: str) -> str:
    return when_text(datetime.fromisoformat(time.replace("Z", "+00:00")))


def period_bars(
    receipts: Iterable[Receipt], pubkey_hex: str, open_epoch: int | None = None
) -> tuple[PeriodBar, ...]:
    """Earned and spent per payment period, the last CHART_PERIODS with any."""
    own = user_account(pubkey_hex)
    earned: dict[int, int] = {}
    spent: dict[int, int] = {}
    for receipt in receipts:
        if receipt.target == own and receipt.memo.startswith(ATTENTION_MEMO):
            earned[receipt.epoch] = earned.get(receipt.epoch, 0) + receipt.amount
            continue
        budget = budget_owner(receipt.source or "")
        if budget is not None and receipt.target != own:  # out of a budget, not a refund
            spent[budget[1]] = spent.get(budget[1], 0) + receipt.amount
    periods = sorted(earned.keys() | spent.keys())[-CHART_PERIODS:]
    return tuple(
        PeriodBar(period_label(e, open_epoch), earned.get(e, 0), spent.get(e, 0)) for e in periods
    )


def period_label(epoch: int, open_epoch: int | None = None) -> str:
    """A period's short name, for a column of the chart: "this period", "last period",
    "period 3"."""
    return period_text(epoch, open_epoch).replace("payment ", "").removeprefix("the ")


@dataclass(frozen=True)
class WalletScreenView:
    balance: str
    budget: str
    attention: str
    attention_cap: str
    settlement_heading: str
    settlement: tuple[str, ...]
    settlement_note: str
    payouts: tuple[tuple[str, str], ...]
    ledger: str
    ledger_ok: bool
    balance_check: str
    faucet_available: bool
    ready: bool = True  # False: no identity or no market yet; ``ledger`` says which
    ledger_note: str = ""  # what the check did (only once one was done)
    epoch_clock: str = ""
    unpaid: tuple[str, ...] = ()
    receipts: tuple[ReceiptView, ...] = ()
    chart: tuple[PeriodBar, ...] = ()


def not_ready_view(why: str) -> WalletScreenView:
    """The wallet before there is anything to show: no balance, no check, and why."""
    return WalletScreenView(
        balance="-",
        budget="",
        attention="",
        attention_cap="",
        settlement_heading="",
        settlement=(),
        settlement_note="",
        payouts=(),
        ledger=why,
        ledger_ok=True,
        balance_check="",
        faucet_available=False,
        ready=False,
    )


NO_IDENTITY = not_ready_view(
    "No wallet yet: create your identity on the Welcome screen. It is your account on the "
    "market; nothing was checked."
)


class WalletController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client
        self.faucet_available = False

    def load(self) -> WalletScreenView:
        if not self.client.has_identity:
            return NO_IDENTITY
        try:
            # The epoch clock moves: asked afresh. Only a local (demo) market hands out credits.
            info = self.client.market_info(refresh=True)
            view = self.client.wallet()
        except MarketUnavailable as error:
            return not_ready_view(
                f"No market to show a wallet from: {error_text(error)} Nothing was checked."
            )
        self.faucet_available = info.faucet
        wallet, ledger = view.wallet, view.ledger
        open_epoch = wallet.epoch
        payouts = tuple(
            (model, credits_text(amount)) for model, amount in sorted(wallet.payouts.items())
        )
        if ledger.empty:
            ledger_text = "The market's ledger has no entries yet: nothing to check."
        elif ledger.ok:
            ledger_text = f"Ledger verified: {plural(ledger.entries, 'entry', 'entries')}"
        elif ledger.balance_matches is False or ledger.settlement_matches is False:
            ledger_text = (
                "The ledger verified, but the market's account of your wallet does NOT match "
                f"it. {DISTRUST}"
            )
        else:
            ledger_text = f"Ledger check FAILED: {ledger.detail}. {DISTRUST}"
        balance_check = {
            True: "Your balance matches the replayed ledger.",
            False: "Your balance does NOT match the replayed ledger.",
            None: "Your balance could not be checked against the ledger.",
        }[ledger.balance_matches]
        # What was committed stays in the budget until the epoch is settled (a market older
        # than rules v2 does not say, and its budget is the same thing).
        committed = wallet.budget if wallet.committed is None else wallet.committed
        cap = ""
        if wallet.attention_cap_left is not None:
            # The cap is a share of what was committed this epoch (issue 11).
            left = credits_text(wallet.attention_cap_left)
            cap = f"You can still earn {left} for your attention this payment period."
        if ledger.settlement_matches is False:
            balance_check += (
                " The market's account of your last settlement does NOT match the replayed "
                "ledger: the one below is the replayed one."
            )
        settled = settlement_to_explain(view)
        shown = self.client.shown_models(settled.epoch) if settled is not None else []
        labels = {ledger_name(model.label): model.label for model in shown}
        heading, settlement = settlement_text(settled, open_epoch, labels)
        receipts = self.client.receipts() if ledger.ok and not ledger.empty else []
        account = self.client.identity.public_key_hex
        return WalletScreenView(
            balance=credits_text(wallet.balance),
            budget=f"Committed to this payment period: {credits_text(committed)}",
            attention=f"Paid to you for your attention: {credits_text(wallet.attention_earned)}",
            attention_cap=cap,
            settlement_heading=heading,
            settlement=settlement,
            settlement_note=SETTLEMENT_NOTE if settlement else "",
            payouts=payouts,
            ledger=ledger_text,
            ledger_ok=ledger.ok,
            balance_check=balance_check,
            faucet_available=self.faucet_available,
            ledger_note=LEDGER_NOTE if ledger.ok and not ledger.empty else "",
            epoch_clock=epoch_clock_text(info),
            unpaid=unpaid_text(settled, shown),
            receipts=tuple(
                receipt_view(receipt, account, open_epoch)
                for receipt in reversed(receipts[-RECEIPTS_SHOWN:])
            ),
            chart=period_bars(receipts, account, open_epoch),
        )

    def fund(self, amount_text: str) -> Notice:
        try:
            amount = int(amount_text.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(
                f"a budget is a whole number of credits, not {amount_text!r}"
            ) from None
        wallet = self.client.fund_budget(amount)
        return Notice(
            f"Added {credits_text(amount)} to this payment period's budget "
            f"(now {credits_text(wallet.budget)}); it is split among the models you like."
        )

    def faucet(self) -> Notice:
        try:
            wallet = self.client.faucet()
        except MarketError as error:
            if error.status == 403:
                self.faucet_available = False
                return Notice("This market hands out no free credits.", is_error=True)
            raise
        return Notice(f"Demo credits received: your balance is {credits_text(wallet.balance)}.")
