"""`privrec demo`: an embedded market with the reference models of two demo developers, and a
demo user whose activity is a real held-out customer and reader of the shipped data. Opens
the app, or (headless) runs the whole loop in the terminal. Re-running reuses what exists."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from rich.console import Console
from rich.table import Table
from rich.text import Text

from client_app.developer import DeveloperClient
from client_app.local_market import MarketProcess
from client_app.market import MarketError
from client_app.sdk import ModelList, PrivrecClient, RecommendationRound
from client_app.ui.controllers import settlement_text, settlement_to_explain
from crypto import write_private_file
from recommenders.activity import ActivityEvent, Category

DEMO_DIR_ENV = "PRIVREC_DEMO_DIR"
DEMO_BUDGET = 100
# developer -> the reference models it deploys, with (stake, bid per rated list).
DEMO_DEVELOPERS: dict[str, dict[str, tuple[int, int]]] = {
    "northwind-labs": {"retail-two-tower": (300, 3), "books-two-tower": (250, 2)},
    "open-shelf": {"retail-content": (150, 1), "books-popular": (100, 1)},
}
MARKET_START_TIMEOUT_S = 90.0


def default_demo_dir() -> Path:
    configured = os.environ.get(DEMO_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_data_dir("privrec-demo"))


def embedded_market(directory: Path) -> MarketProcess:
    """The demo's own market: local mode, SQLite and a generated key in ``directory``,
    whatever PRIVREC_* settings the shell has."""
    return MarketProcess(
        data_dir=directory, log_path=directory / "server.log", inherit_settings=False
    )


@dataclass(frozen=True)
class DemoUser:
    """A real customer and a real reader of the shipped data, with what they did next."""

    events: tuple[ActivityEvent, ...]
    held_out: frozenset[tuple[str, str]]  # (catalog source, item id) they bought / liked next
    description: str


def demo_user(now: datetime) -> DemoUser:
    """The first held-out Online Retail customer and goodbooks reader with a rich history.

    Their histories are replayed as if they ended at ``now`` (recommenders weigh recent
    activity more, and these datasets are years old)."""
    from recommenders.reference import books_task, retail_task

    events: list[ActivityEvent] = []
    held_out: set[tuple[str, str]] = set()
    described = []
    for task, minimum in ((retail_task(), 30), (books_task(), 20)):
        test = task.split.test
        user = next(
            int(u)
            for u in task.split.test_users().tolist()
            if len(task.events(int(u))) >= minimum and int((test.users == u).sum()) >= 3
        )
        shift = now - task.times[user]
        history = task.events(user)
        events += [
            ActivityEvent(e.category, e.source, e.title, e.external_id, e.time + shift, e.weight)
            for e in history
        ]
        items = test.items[test.users == user].tolist()
        held_out |= {(task.catalog.source, task.catalog.item_ids[i]) for i in items}
        described.append(f"{task.name} user {user} ({len(history)} activities)")
    return DemoUser(tuple(events), frozenset(held_out), " and ".join(described))


class DemoState:
    """What a previous run created (developer API keys, deployed models): a private file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def save(self) -> None:
        write_private_file(self.path, json.dumps(self.data, indent=2).encode())


class Demo:
    def __init__(self, directory: Path, console: Console | None = None) -> None:
        self.directory = directory
        self.console = console or Console(highlight=False)
        self.market = embedded_market(directory / "market")
        self.state = DemoState(directory / "demo-state.json")
        self.started = time.perf_counter()

    def step(self, title: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.console.rule(Text(f"{title}  ({elapsed:.1f} s)"))

    # --- set-up ---------------------------------------------------------------------------

    def deploy_models(self) -> None:
        from recommenders.reference import shipped_bundle

        self.step("Two developers deploy the reference models (stake, bid per rated list)")
        table = Table("developer", "model", "stake", "bid", "status")
        keys: dict[str, str] = self.state.data.setdefault("api_keys", {})
        for developer, models in DEMO_DEVELOPERS.items():
            with DeveloperClient(self.market.url, keys.get(developer)) as client:
                if developer not in keys:
                    keys[developer] = client.sign_up(developer)
                    self.state.save()
                    client.faucet()
                live = {m.name: m for m in client.models() if m.status == "live"}
                for name, (stake, bid) in models.items():
                    if name in live:
                        table.add_row(developer, name, str(stake), str(bid), "live (reused)")
                        continue
                    deployed = client.deploy(
                        shipped_bundle(name).read_bytes(), stake=stake, bid=bid
                    )
                    settled = client.wait_until_settled(deployed.id)
                    table.add_row(developer, name, str(stake), str(bid), settled.status)
        self.console.print(table)

    def prepare_user(self, client: PrivrecClient) -> DemoUser:
        self.step("The demo user's device: real held-out activity, opted in")
        client.create_identity()
        client.connect()
        # The first run's moment anchors the replay, so a rerun stores the same events again
        # (and they are recognised as already there).
        anchor = self.state.data.setdefault("replayed_until", datetime.now(UTC).isoformat())
        self.state.save()
        user = demo_user(datetime.fromisoformat(anchor))
        added = client.store.add_events(user.events, origin="demo")
        for category in (Category.PURCHASES, Category.BOOKS):
            client.set_opt_in(category, True)
        wallet = client.market.wallet()
        # The market recommends only to accounts with a budget committed in the open epoch
        # (a rerun after settlement starts a new one): fund it, with demo credits if needed.
        if wallet.budget == 0:
            if wallet.balance < DEMO_BUDGET:
                wallet = client.faucet()
            wallet = client.fund_budget(DEMO_BUDGET)
        table = Table("category", "activities on this device", "opted in")
        for state in client.categories():
            table.add_row(
                state.category.value, str(state.events), "yes" if state.opted_in else "no"
            )
        self.console.print(Text(f"{user.description}; {added.added} new activities stored"))
        self.console.print(table)
        self.console.print(
            Text(f"wallet: balance {wallet.balance}, budget this epoch {wallet.budget}")
        )
        return user

    # --- the loop -------------------------------------------------------------------------

    def query(self, client: PrivrecClient) -> RecommendationRound:
        self.step("Encrypted queries: each model scores the encrypted profile")
        round_ = client.refresh()
        table = Table("model", "categories (encrypted)", "query bytes", "response bytes")
        for entry in round_.lists:
            table.add_row(
                Text(entry.model.label),
                ", ".join(entry.model.categories),
                f"{entry.query_bytes:,}",
                f"{entry.response_bytes:,}",
            )
        self.console.print(table)
        times = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in round_.seconds.items())
        self.console.print(Text(f"time on this device and the market: {times}"))
        for skipped in round_.skipped:
            self.console.print(Text(f"not asked: {skipped.model.label}: {skipped.reason}"))
        return round_

    def show_lists(self, round_: RecommendationRound, user: DemoUser) -> None:
        self.step("Competing top-10 lists, side by side (* = what the user really did next)")
        by_category: dict[tuple[str, ...], list[ModelList]] = {}
        for entry in round_.lists:
            by_category.setdefault(entry.model.categories, []).append(entry)
        for categories, lists in by_category.items():
            table = Table("#", title=", ".join(categories))
            for entry in lists:
                table.add_column(Text(entry.model.label))
            for rank in range(max(len(entry.items) for entry in lists)):
                cells: list[Text | str] = [str(rank + 1)]
                for entry in lists:
                    if rank < len(entry.items):
                        item = entry.items[rank]
                        hit = (item.source, item.item_id) in user.held_out
                        cells.append(Text(("* " if hit else "") + item.title[:40]))
                    else:
                        cells.append("")
                table.add_row(*cells)
            self.console.print(table)
        blended = Table("#", "best of market", "proposed by")
        for rank, blended_item in enumerate(round_.blended, start=1):
            blended.add_row(
                str(rank), Text(blended_item.item.title[:50]), Text(", ".join(blended_item.models))
            )
        self.console.print(blended)

    def rate(self, client: PrivrecClient, round_: RecommendationRound, user: DemoUser) -> None:
        self.step(
            "Ratings: like what the user really did next, in the blended list and every list; "
            "dislike two misses per list"
        )
        # A vote holds for the item in every list of the round: the blended list and the
        # models' lists are rated alike.
        for blended_item in round_.blended:
            if blended_item.key in user.held_out:
                client.rate_in_round(round_.round_id, blended_item.key, "like")
        for entry in round_.lists:
            hits = [i for i in entry.items if (i.source, i.item_id) in user.held_out]
            misses = [i for i in reversed(entry.items) if i not in hits][:2]
            for item in hits:
                client.rate(entry.impression_id, item.item_id, "like")
            for item in misses:
                client.rate(entry.impression_id, item.item_id, "dislike")
        contributions = client.contributions(round_.round_id)
        table = Table("model", "liked", "disliked", "shown", "contribution to the blend")
        for entry in round_.lists:
            votes = list(client.votes(entry.impression_id).values())
            table.add_row(
                Text(entry.model.label),
                str(votes.count("like")),
                str(votes.count("dislike")),
                str(len(entry.items)),
                f"{contributions[entry.impression_id]:+d}",
            )
        result = client.send_ratings()
        self.console.print(table)
        self.console.print(
            Text(
                "contribution: the liked items of the blended list that only this model brought, "
                "less the disliked ones (computed on this device; no item id is sent)"
            )
        )
        self.console.print(
            Text(f"rating summaries delivered: {result.delivered}, still queued: {result.pending}")
        )

    def settle(self, client: PrivrecClient) -> None:
        self.step("Settlement: budgets, stakes and fees for the epoch")
        self.console.print(Text(self.market.settle()))
        view = client.wallet()
        table = Table("model", "your budget paid it")
        for model, paid in sorted(view.wallet.payouts.items()):
            table.add_row(Text(model), str(paid))
        self.console.print(table)
        wallet = view.wallet
        heading, lines = settlement_text(settlement_to_explain(view))
        self.console.print(Text(heading))
        for line in lines:
            self.console.print(Text(f"  {line}"))
        self.console.print(
            Text(f"your balance {wallet.balance}, attention earned {wallet.attention_earned}")
        )
        self.step("Ledger, replayed and verified on the user's device")
        status = "verified" if view.ledger.ok else "NOT VERIFIED"
        self.console.print(Text(f"ledger {status}: {view.ledger.detail}"))
        if view.ledger.balance_matches is not None:
            self.console.print(
                Text(f"wallet balance matches the replay: {view.ledger.balance_matches}")
            )


def has_display() -> bool:
    """Whether a window can open: on Linux and the BSDs only with an X11 or Wayland display."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_demo(directory: Path | None = None, *, headless: bool = False) -> int:
    directory = directory or default_demo_dir()
    demo = Demo(directory)
    demo.step(f"privrec demo in {directory}")
    if not headless and not has_display():
        demo.console.print(
            Text("no display here (DISPLAY is not set): running the demo in the terminal")
        )
        headless = True
    try:
        with demo.market:
            demo.console.print(Text(f"embedded market at {demo.market.url} (SQLite, local mode)"))
            demo.deploy_models()
            client = PrivrecClient(directory / "app", market_url=demo.market.url)
            try:
                user = demo.prepare_user(client)
                if not headless:
                    demo.step("Opening the app")
                    from client_app.ui.app import run_app

                    run_app(directory / "app", demo.market.url)
                    return 0
                round_ = demo.query(client)
                demo.show_lists(round_, user)
                demo.rate(client, round_, user)
                demo.settle(client)
            finally:
                client.close()
    except (MarketError, RuntimeError, OSError) as error:
        demo.console.print(Text(f"demo failed: {error}", style="bold red"))
        return 1
    demo.step("Done")
    return 0
