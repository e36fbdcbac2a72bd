"""Wallet: balance, budget, attention, the ledger replayed on the device and the last settlement
in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from client_app.market import MarketError
from client_app.sdk import PrivrecClient, WalletView
from client_app.ui.controllers.wording import Notice, credits_text, plural
from ledger.book import PayoutLine, UserSettlement

SETTLEMENT_NOTE = (
    "A model brought an item into your blended list when the list would not have it without "
    "that model; each model counts the liked items it brought, less the disliked ones."
)


def settlement_to_explain(view: WalletView) -> UserSettlement | None:
    """The last settlement as replayed on this device once the ledger verified (the balance
    was compared only then), not on the market's word; else the market's account of it."""
    if view.ledger.balance_matches is not None:
        return view.ledger.settlement
    return view.wallet.last_settlement


def settlement_text(settlement: UserSettlement | None) -> tuple[str, tuple[str, ...]]:
    """The last settlement of this user's budget in plain words: a heading, and a line per
    model and for what came back or was burned."""
    if settlement is None:
        return "No budget of yours was settled yet: budgets are settled when an epoch ends.", ()
    lines = settlement.lines
    held = settlement.refunded + settlement.clawback
    held += sum(line.paid + line.fee + line.burned for line in lines)
    heading = f"Your budget of {credits_text(held)} for epoch {settlement.epoch} was settled:"
    said = tuple(payout_line_text(line) for line in lines)
    moved = any(line.contribution for line in lines)
    if settlement.clawback:
        said += (
            f"Burned {credits_text(settlement.clawback)} of your budget to take back the "
            "attention you were paid that epoch, since none of your ratings changed the "
            "blended list.",
        )
    if settlement.refunded:
        if not lines and not settlement.clawback:
            why = ": you rated nothing that epoch."
        elif not moved:
            why = ": no model was paid, since none of your ratings changed the blended list."
        else:
            why = "."
        said += (f"Refunded {credits_text(settlement.refunded)} to your balance{why}",)
    return heading, said


def payout_line_text(line: PayoutLine) -> str:
    """E.g. "Paid 12 credits to shelf@1.0.0 because it brought 3 of your liked items into the
    blended list" (net of the disliked ones it brought: see SETTLEMENT_NOTE)."""
    count = abs(line.contribution)
    if line.contribution > 0:
        fee = f", and {credits_text(line.fee)} to the market as its fee," if line.fee else ""
        return (
            f"Paid {credits_text(line.paid)} to {line.model}{fee} because it brought "
            f"{count:,} of your liked items into the blended list."
        )
    if line.contribution < 0:
        items = plural(count, "item", "items")
        return (
            f"Burned {credits_text(line.burned)} of your budget against {line.model}: it brought "
            f"{items} you disliked into the blended list."
        )
    return (
        f"Nothing to {line.model}: it brought no more items you liked than you disliked into "
        "the blended list."
    )


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


class WalletController:
    def __init__(self, client: PrivrecClient) -> None:
        self.client = client
        self.faucet_available = False

    def load(self) -> WalletScreenView:
        view = self.client.wallet()
        # Only a local (demo) market hands out credits, and GET /v1/market says so.
        self.faucet_available = self.client.market_info().faucet
        wallet, ledger = view.wallet, view.ledger
        payouts = tuple(
            (model, credits_text(amount)) for model, amount in sorted(wallet.payouts.items())
        )
        if ledger.ok:
            ledger_text = f"Ledger verified: {plural(ledger.entries, 'entry', 'entries')}"
        else:
            ledger_text = f"Ledger check FAILED: {ledger.detail}"
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
            cap = f"You can still earn {left} for your attention this epoch."
        if ledger.settlement_matches is False:
            balance_check += (
                " The market's account of your last settlement does NOT match the replayed "
                "ledger: the one below is the replayed one."
            )
        heading, settlement = settlement_text(settlement_to_explain(view))
        return WalletScreenView(
            balance=credits_text(wallet.balance),
            budget=f"Committed to epoch {wallet.epoch}: {credits_text(committed)}",
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
            f"Added {credits_text(amount)} to this epoch's budget "
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
