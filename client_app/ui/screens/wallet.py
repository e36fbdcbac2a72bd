"""Wallet: balance, this epoch's budget and funding it, demo credits, the last settlement
explained per model, payouts per model, attention earned and what is left of its cap, and the
ledger as replayed and checked on this device."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from client_app.ui.controllers import WalletController, WalletScreenView
from client_app.ui.screens.base import (
    AppScreen,
    TextBlock,
    clear_field,
    fill_table,
    load_kv,
    no_progress,
)

PAYOUT_COLUMNS = (("Model", 0.7), ("Paid to it", 0.3))


class WalletScreen(AppScreen):
    controller: WalletController
    balance = StringProperty("…")
    budget = StringProperty()
    attention = StringProperty()
    attention_cap = StringProperty()
    settlement_heading = StringProperty()
    settlement_note = StringProperty()
    ledger = StringProperty("Checking the ledger…")
    ledger_ok = BooleanProperty(True)
    balance_check = StringProperty()
    faucet_available = BooleanProperty(True)

    def load(self) -> None:
        self.run(
            "checking your wallet and the ledger", no_progress(self.controller.load), self.show
        )

    def show(self, view: WalletScreenView) -> None:
        self.balance = view.balance
        self.budget = view.budget
        self.attention = view.attention
        self.attention_cap = view.attention_cap
        self.settlement_heading = view.settlement_heading
        self.settlement_note = view.settlement_note
        lines = self.ids.settlement
        lines.clear_widgets()
        for line in view.settlement:
            lines.add_widget(TextBlock(text=line))  # model names are the developers' words
        self.ledger = view.ledger
        self.ledger_ok = view.ledger_ok
        self.balance_check = view.balance_check
        self.faucet_available = view.faucet_available
        fill_table(
            self.ids.payouts,
            PAYOUT_COLUMNS,
            view.payouts,
            "Nothing yet: budgets are paid out when an epoch is settled.",
        )

    def fund(self) -> None:
        amount = self.ids.amount.text

        def funded(_notice: object) -> None:
            clear_field(self.ids.amount, amount)
            self.load()

        self.run(
            "funding your budget",
            no_progress(lambda: self.controller.fund(amount)),
            funded,
            now=True,
        )

    def faucet(self) -> None:
        self.act("asking for demo credits", self.controller.faucet)


load_kv("wallet.kv")
