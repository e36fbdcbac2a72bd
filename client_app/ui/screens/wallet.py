"""Wallet: balance, this payment period's budget and funding it, demo credits, when the period
ends, the ledger as replayed and checked on this device, the last settlement explained per
model (those paid nothing too), a chart of what was earned and spent per period, the user's
receipts, and payouts per model. Before an identity or a market, it says so and nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from client_app.ui.controllers import (
    CHART_PERIODS,
    NO_PAYOUTS,
    PeriodBar,
    WalletController,
    WalletScreenView,
)
from client_app.ui.screens.base import (
    AppScreen,
    TextBlock,
    clear_field,
    fill_table,
    load_kv,
    no_progress,
)

PAYOUT_COLUMNS = (("Model", 0.7), ("Paid to it", 0.3))
RECEIPT_COLUMNS = (("When", 0.2), ("What", 0.6), ("Credits", 0.2))
CHART_NOTE = "Green: paid to you for your attention. Orange: what your budget paid or burned."
NO_CHART = "Nothing earned or spent yet: the chart fills as payment periods are settled."


class PeriodColumn(BoxLayout):
    """One period of the chart: two bars (earned, spent) over a shared scale, and the numbers
    (the bars are drawn by wallet.kv, in the theme's colours)."""

    label = StringProperty()
    values = StringProperty()
    earned = NumericProperty(0.0)  # fraction of the chart's largest amount
    spent = NumericProperty(0.0)


class PeriodChart(BoxLayout):
    """Earned and spent per payment period, drawn on Kivy's canvas (no plotting library)."""

    def show(self, bars: Sequence[PeriodBar]) -> None:
        self.clear_widgets()
        largest = max((max(bar.earned, bar.spent) for bar in bars), default=0) or 1
        for bar in bars:
            self.add_widget(
                PeriodColumn(
                    label=bar.label,
                    values=f"+{bar.earned:,} / -{bar.spent:,}",
                    earned=bar.earned / largest,
                    spent=bar.spent / largest,
                )
            )
        # Every period as wide as in a full chart: one period is not a wall of colour.
        if len(bars) < CHART_PERIODS:
            self.add_widget(Widget(size_hint_x=CHART_PERIODS - len(bars)))


class WalletScreen(AppScreen):
    controller: WalletController
    balance = StringProperty("")
    budget = StringProperty()
    attention = StringProperty()
    attention_cap = StringProperty()
    settlement_heading = StringProperty()
    settlement_note = StringProperty()
    ledger = StringProperty("")
    ledger_ok = BooleanProperty(True)
    ledger_note = StringProperty()
    balance_check = StringProperty()
    epoch_clock = StringProperty()
    chart_note = StringProperty()
    faucet_available = BooleanProperty(False)
    ready = BooleanProperty(False)

    def load(self) -> None:
        self.run(
            "checking your wallet and the ledger", no_progress(self.controller.load), self.show
        )

    def show(self, view: WalletScreenView) -> None:
        self.ready = view.ready
        self.balance = view.balance
        self.budget = view.budget
        self.attention = view.attention
        self.attention_cap = view.attention_cap
        self.settlement_heading = view.settlement_heading
        self.settlement_note = view.settlement_note
        lines = self.ids.settlement
        lines.clear_widgets()
        for line in (*view.settlement, *view.unpaid):
            lines.add_widget(TextBlock(text=line))  # model names are the developers' words
        self.ledger = view.ledger
        self.ledger_ok = view.ledger_ok
        self.ledger_note = view.ledger_note
        self.balance_check = view.balance_check
        self.epoch_clock = view.epoch_clock
        self.faucet_available = view.faucet_available
        self.chart_note = CHART_NOTE if view.chart else NO_CHART
        self.ids.chart.show(view.chart)
        fill_table(
            self.ids.receipts,
            RECEIPT_COLUMNS,
            ((r.when, r.text, r.amount) for r in view.receipts),
            "No entry of yours in the ledger yet.",
        )
        fill_table(self.ids.payouts, PAYOUT_COLUMNS, view.payouts, NO_PAYOUTS)

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
