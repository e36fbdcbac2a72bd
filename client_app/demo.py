"""`privrec demo`: an embedded market with the reference models of three demo developers
(stakes, and bids backed by attention escrows), and a demo user with activity in all five
categories: a real held-out customer, reader, Stack Exchange user and ListenBrainz listener
of the shipped data, and a SAMPLE week of places. Opens the app, or (headless) runs the whole
loop in the terminal: query, rate the round as that user really would, settle, verify the
ledger. Re-running reuses what exists."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs
from rich.console import Console
from rich.table import Table
from rich.text import Text

from client_app.developer import Deployment, DeveloperClient
from client_app.lists import NOTHING_FITS, catalog_summary
from client_app.local_market import MarketProcess
from client_app.market import MarketError
from client_app.ranking import ItemKey, Recommendation, Vote
from client_app.rounds import RecommendationRound
from client_app.sdk import PrivrecClient
from client_app.store import AddResult
from client_app.ui.controllers import (
    credits_text,
    ledger_name,
    settlement_text,
    settlement_to_explain,
    unpaid_text,
)
from crypto import write_private_file
from recommenders.activity import ActivityEvent, Category

DEMO_DIR_ENV = "PRIVREC_DEMO_DIR"
# Committed each epoch. A user earns attention up to 4 % of it (20 credits): enough for the
# ten models' bids (39 in all) in a round, each less the market's fee.
DEMO_BUDGET = 1000


@dataclass(frozen=True)
class DemoModel:
    """A reference model as a demo developer deploys it."""

    stake: int
    bid: int  # attention credits paid per rated list
    # The attention escrow the bids are paid from: a model is listed only while it holds at
    # least one bid, so a rerun tops it back up to this.
    escrow: int


DEMO_DEVELOPERS: dict[str, dict[str, DemoModel]] = {
    "northwind-labs": {
        "retail-two-tower": DemoModel(stake=300, bid=6, escrow=60),
        "books-two-tower": DemoModel(stake=250, bid=5, escrow=50),
        "web-two-tower": DemoModel(stake=150, bid=4, escrow=40),
    },
    "open-shelf": {
        "retail-content": DemoModel(stake=150, bid=4, escrow=40),
        "books-popular": DemoModel(stake=100, bid=3, escrow=30),
        "cross-books": DemoModel(stake=150, bid=3, escrow=30),
        "web-content": DemoModel(stake=100, bid=3, escrow=30),
    },
    "local-ears": {
        "music-two-tower": DemoModel(stake=250, bid=5, escrow=50),
        "music-content": DemoModel(stake=120, bid=3, escrow=30),
        "places-nearby": DemoModel(stake=120, bid=3, escrow=30),
    },
}
MARKET_START_TIMEOUT_S = 90.0
# The held-out customer, reader and Stack Exchange user the demo replays, by dataset: among
# the first test users with a rich history (30 purchases, 20 books, 27 questions), ones the
# reference models serve (a model ranks one of their next items in its top 10), so the
# blended list holds something they really liked and the settlement has a contribution to
# pay. Their votes stay what they really did (DemoUser.vote).
DEMO_USERS: Mapping[str, int] = {"online-retail": 12360, "goodbooks": 58, "stackexchange": 462}
# The ListenBrainz listener's last tenth of plays is what they did next: the artists first
# played then are their held-out items.
MUSIC_HELD_OUT_FRACTION = 0.1


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
    held_out: frozenset[ItemKey]  # (catalog source, item id) they bought / rated 4-5 next
    disliked: frozenset[ItemKey]  # books they already rated 1 or 2 stars
    description: str

    def vote(self, key: ItemKey) -> Vote | None:
        """What this user really says of an item shown to them: like what they bought or
        liked next, dislike a book they already rated 1 or 2 stars, and leave the rest alone
        (not picking an item is not disliking it, and a dislike costs its author budget)."""
        if key in self.held_out:
            return "like"
        if key in self.disliked:
            return "dislike"
        return None


def demo_user(now: datetime) -> DemoUser:
    """The held-out Online Retail customer, goodbooks reader and Stack Exchange user of
    DEMO_USERS, the ListenBrainz listener, and a SAMPLE week of Helsinki places.

    Everything but the places is real activity; histories are replayed as if they ended at
    ``now`` (recommenders weigh recent activity more, and these datasets are years old)."""
    from recommenders.places import sample_places_events
    from recommenders.stackexchange import stackexchange_task
    from recommenders.tasks import books_task, retail_task

    events: list[ActivityEvent] = []
    held_out: set[ItemKey] = set()
    disliked: set[ItemKey] = set()
    described = []
    for task in (retail_task(), books_task(), stackexchange_task()):
        test = task.split.test
        user = DEMO_USERS[task.name]
        history = task.events(user)
        events += _shifted(history, now - task.times[user])
        items = test.items[test.users == user].tolist()
        held_out |= {(task.catalog.source, task.catalog.item_ids[i]) for i in items}
        # Only ratings say "disliked": a low star rating among what they read (to-read marks,
        # purchases and answers are positive signals only).
        low = (task.train.users == user) & ~task.liked & (task.train.weights <= 2)
        rated_low = task.train.items[low].tolist()
        disliked |= {(task.catalog.source, task.catalog.item_ids[i]) for i in rated_low}
        described.append(f"{task.name} user {user} ({len(history)} activities)")
    music, next_artists = _listener(now)
    events += music
    held_out |= next_artists
    described.append(f"a ListenBrainz listener ({len(music)} plays)")
    places = sample_places_events(now)
    events += places
    described.append(f"a SAMPLE week of Helsinki places, not a real person's ({len(places)})")
    return DemoUser(tuple(events), frozenset(held_out), frozenset(disliked), ", ".join(described))


def _shifted(events: Sequence[ActivityEvent], shift: timedelta) -> list[ActivityEvent]:
    return [
        ActivityEvent(e.category, e.source, e.title, e.external_id, e.time + shift, e.weight)
        for e in events
    ]


def _listener(now: datetime) -> tuple[list[ActivityEvent], set[ItemKey]]:
    """The ListenBrainz listener's plays but the last tenth, ending at ``now``, and the Last.fm
    artists they first played in that last tenth."""
    from recommenders.features import CatalogIndex
    from recommenders.lastfm import LASTFM, listenbrainz_events, load_lastfm

    plays = listenbrainz_events()
    cut = int(len(plays) * (1 - MUSIC_HELD_OUT_FRACTION))
    history, later = plays[:cut], plays[cut:]
    catalog = load_lastfm().catalog
    index = CatalogIndex(catalog, LASTFM.source, match=LASTFM.match)
    known = {row for play in history for row in index.match(play)}
    next_rows = {row for play in later for row in index.match(play)} - known
    artists = {(LASTFM.source, catalog.item_ids[row]) for row in next_rows}
    return _shifted(history, now - history[-1].time), artists


_MARKS: dict[Vote | None, str] = {"like": "* ", "dislike": "x ", None: ""}


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
        self._state_lock = threading.Lock()
        self.started = time.perf_counter()

    def step(self, title: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.console.rule(Text(f"{title}  ({elapsed:.1f} s)"))

    # --- set-up ---------------------------------------------------------------------------

    def deploy_models(self) -> None:
        self.step("Three developers deploy the reference models (stake, bid, attention escrow)")
        # A market validates one deployment per developer at a time: each developer deploys
        # from its own thread, so the developers' validations overlap.
        with ThreadPoolExecutor(max_workers=len(DEMO_DEVELOPERS)) as pool:
            deployed = list(pool.map(self._deploy, DEMO_DEVELOPERS))
        table = Table("developer", "model", "stake", "bid", "escrow", "status")
        for rows in deployed:
            for row in rows:
                table.add_row(*row)
        self.console.print(table)
        self.console.print(
            Text(
                "a bid is paid to the user per rated list, from the model's attention escrow; a "
                "model is listed only while its escrow holds at least one bid"
            )
        )

    def _deploy(self, developer: str) -> list[tuple[str, ...]]:
        """One developer's models live (reused from a previous run where they are); a table
        row for each."""
        from recommenders.reference import shipped_bundle

        rows: list[tuple[str, ...]] = []
        key = self.state.data.get("api_keys", {}).get(developer)
        with DeveloperClient(self.market.url, key) as client:
            if key is None:
                self._remember("api_keys", developer, client.sign_up(developer))
                client.faucet()
            for name, spec in DEMO_DEVELOPERS[developer].items():
                reused = self._reuse(client, self.state.data.get("model_ids", {}).get(name), spec)
                if reused is not None:
                    row = (str(reused.stake), str(reused.bid), str(reused.escrow))
                    rows.append((developer, name, *row, "live (reused)"))
                    continue
                deployed = client.deploy(
                    shipped_bundle(name).read_bytes(),
                    stake=spec.stake,
                    bid=spec.bid,
                    escrow=spec.escrow,
                )
                self._remember("model_ids", name, deployed.id)
                settled = client.wait_until_settled(deployed.id)
                row = (str(settled.stake), str(settled.bid), str(settled.escrow))
                rows.append((developer, name, *row, settled.status))
        return rows

    def _remember(self, section: str, name: str, value: str | int) -> None:
        """Record an API key or a model id at once (the developers' threads share the file)."""
        with self._state_lock:
            self.state.data.setdefault(section, {})[name] = value
            self.state.save()

    @staticmethod
    def _reuse(client: DeveloperClient, model_id: int | None, spec: DemoModel) -> Deployment | None:
        """A live model a previous run deployed, its escrow topped back up once it holds less
        than a bid; None when there is none."""
        if model_id is None:
            return None
        try:
            model = client.model(model_id)
        except MarketError as error:
            if error.status == 404:  # the market's database was deleted: deploy again
                return None
            raise
        if model.status != "live":
            return None
        if model.escrow < model.bid:
            model = client.fund_escrow(model.id, spec.escrow - model.escrow)
        return model

    def anchor_replay(self) -> None:
        """Fix the moment the demo user's histories are replayed up to: the first run's, so a
        rerun stores the same events again (and they are recognised as already there)."""
        with self._state_lock:
            self.state.data.setdefault("replayed_until", datetime.now(UTC).isoformat())
            self.state.save()

    def load_user(self, client: PrivrecClient) -> tuple[DemoUser, AddResult]:
        """The demo user's keys and activity on the device, opted in, its titles starting to
        embed in the background. It needs no market, so it runs while the market starts."""
        anchor = self.state.data["replayed_until"]  # set by anchor_replay
        client.create_identity()
        user = demo_user(datetime.fromisoformat(anchor))
        added = client.store.add_events(user.events, origin="demo")
        for category in Category:
            client.set_opt_in(category, True)
        return user, added

    def prepare_user(
        self, client: PrivrecClient, user: DemoUser, added: AddResult, *, fund: bool = False
    ) -> bool:
        """Connect the demo user and show their device; whether they have a budget in the open
        epoch. The market recommends only to accounts that committed credits there: the first
        run funds one (with demo credits), a rerun only when asked (``fund``), and both say so."""
        self.step("The demo user's device: real held-out activity (places: a sample), all opted in")
        client.connect()
        wallet = client.market.wallet()
        first_run = "budget_funded" not in self.state.data
        if wallet.budget:
            funding = f"this epoch already has a budget of {credits_text(wallet.budget)}"
        elif first_run or fund:
            if wallet.balance < DEMO_BUDGET:
                wallet = client.faucet()
            wallet = client.fund_budget(DEMO_BUDGET)
            with self._state_lock:
                funded = self.state.data.setdefault("budget_funded", [])
                funded.append(wallet.epoch)
                self.state.save()
            why = "the first run" if first_run else "asked with --fund"
            funding = f"funded this epoch's budget with {credits_text(DEMO_BUDGET)} ({why})"
        else:
            funding = (
                "no budget this epoch: a rerun funds none without asking (rerun with --fund to "
                f"commit {credits_text(DEMO_BUDGET)}, or fund it in the app's Wallet); the market "
                "recommends only to accounts that commit credits"
            )
        table = Table("category", "activities on this device", "opted in")
        for state in client.categories():
            table.add_row(
                state.category.value, str(state.events), "yes" if state.opted_in else "no"
            )
        self.console.print(Text(f"{user.description}; {added.added} new activities stored"))
        self.console.print(table)
        self.console.print(Text(funding))
        self.console.print(
            Text(f"wallet: balance {wallet.balance}, budget this epoch {wallet.budget}")
        )
        return wallet.budget > 0

    # --- the loop -------------------------------------------------------------------------

    def query(self, client: PrivrecClient) -> RecommendationRound:
        self.step("Encrypted queries: each model scores the encrypted profile")
        round_ = client.refresh()
        table = Table("model", "categories (encrypted)", "query bytes", "response bytes")
        for entry in round_.lists:
            table.add_row(
                Text(entry.model.label),
                ", ".join(entry.categories),
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
        self.step(
            "Competing lists, each with its catalog, a reason and a link per item (* = what "
            "the user really did next, x = a book they rated 1 or 2 stars)"
        )
        for entry in round_.lists:
            caption = catalog_summary(entry.catalog, entry.model.items)
            if not entry.fits:
                self.console.print(Text(f"{entry.model.label} ({caption}): {NOTHING_FITS}"))
                continue
            for title, items in (
                (entry.model.label, entry.items),
                (f"{entry.model.label}: again (you had these already)", entry.again_items),
            ):
                if items:
                    self.console.print(self._items_table(title, caption, items, user))
        for category in round_.uncovered:
            self.console.print(Text(f"{category}: no model on this market recommends from it"))
        blended = Table("#", "best of market", "proposed by")
        for rank, blended_item in enumerate(round_.blended, start=1):
            mark = _MARKS[user.vote(blended_item.key)]
            blended.add_row(
                str(rank),
                Text(mark + blended_item.item.title[:50]),
                Text(", ".join(blended_item.models)),
            )
        self.console.print(blended)

    @staticmethod
    def _items_table(
        title: str, caption: str, items: Sequence[Recommendation], user: DemoUser
    ) -> Table:
        table = Table("#", "item", "why", "link", title=title, caption=caption)
        for rank, item in enumerate(items, start=1):
            mark = _MARKS[user.vote((item.source, item.item_id))]
            said = "; ".join(f"{label} {value}" for label, value in item.details)
            table.add_row(
                str(rank),
                Text(mark + item.title[:40] + (f" ({said})" if said else "")),
                Text(item.reason or ""),
                Text(item.link or ""),
            )
        return table

    def rate(self, client: PrivrecClient, round_: RecommendationRound, user: DemoUser) -> None:
        self.step(
            "Ratings of the whole round: like what the user really did next, dislike only books "
            "they rated 1 or 2 stars"
        )
        # A vote holds for the item in every list of the round, the blended one included.
        shown = {
            (item.source, item.item_id)
            for entry in round_.lists
            for item in (*entry.items, *entry.again_items)
        }
        for key in sorted(shown):
            vote = user.vote(key)
            if vote is not None:
                client.rate_in_round(round_.round_id, key, vote)
        said = client.round_votes(round_.round_id)
        blended_votes = [said[b.key] for b in round_.blended if b.key in said]
        self.console.print(
            Text(
                f"best of market: {blended_votes.count('like')} liked, "
                f"{blended_votes.count('dislike')} disliked, "
                f"{len(round_.blended) - len(blended_votes)} not rated (a vote holds in every "
                "list of the round; an item not picked is not a dislike, and a dislike costs "
                "its author the budget it weighs)"
            )
        )
        contributions = client.contributions(round_.round_id)
        table = Table("model", "liked", "disliked", "shown", "contribution to the blend")
        rated = 0
        for entry in round_.lists:
            votes = list(client.votes(entry.impression_id).values())
            rated += bool(votes)
            table.add_row(
                Text(entry.model.label),
                str(votes.count("like")),
                str(votes.count("dislike")),
                str(len(entry.items) + len(entry.again_items)),
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
            Text(
                f"rated lists: {rated} (a list without a vote sends no summary); rating "
                f"summaries delivered: {result.delivered}, still queued: {result.pending}"
            )
        )
        paid = {use.impression_id: use.paid_to_you for use in client.data_use()}
        attention = sum(paid.get(entry.impression_id) or 0 for entry in round_.lists)
        cap_left = client.market.wallet().attention_cap_left
        more = "" if cap_left is None else f"; you can earn {cap_left} more this epoch"
        self.console.print(
            Text(
                f"attention paid to you for this round: {credits_text(attention)} (each rated "
                f"list's bid less the market's fee, up to a share of your budget per epoch{more})"
            )
        )

    def settle(self, client: PrivrecClient) -> None:
        self.step("Settlement: budgets, stakes and fees for the epoch")
        self.console.print(Text(self.market.settle()))
        view = client.wallet()
        table = Table("model", "your budgets paid it (every epoch)")
        for model, paid in sorted(view.wallet.payouts.items()):
            table.add_row(Text(model), str(paid))
        self.console.print(table)
        wallet = view.wallet
        settled = settlement_to_explain(view)
        shown = client.shown_models(settled.epoch) if settled is not None else []
        labels = {ledger_name(model.label): model.label for model in shown}
        heading, lines = settlement_text(settled, wallet.epoch, labels)
        self.console.print(Text(heading))
        for line in (*lines, *unpaid_text(settled, shown)):
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


def run_demo(directory: Path | None = None, *, headless: bool = False, fund: bool = False) -> int:
    """The demo end to end; ``fund`` commits another budget on a rerun (the first run always
    funds one)."""
    directory = directory or default_demo_dir()
    demo = Demo(directory)
    demo.step(f"privrec demo in {directory}")
    if not headless and not has_display():
        demo.console.print(
            Text("no display here (DISPLAY is not set): running the demo in the terminal")
        )
        headless = True
    demo.anchor_replay()
    client = PrivrecClient(directory / "app", market_url=demo.market.url)
    # The device's part (data, keys, title embeddings) runs while the market starts and the
    # models deploy: it needs no market, and the market works in its own process.
    loading = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-device")
    device = loading.submit(demo.load_user, client)
    try:
        with demo.market:
            demo.console.print(Text(f"embedded market at {demo.market.url} (SQLite, local mode)"))
            demo.deploy_models()
            user, added = device.result()
            funded = demo.prepare_user(client, user, added, fund=fund)
            if not headless:
                # The app's first round then finds every title embedded.
                client.wait_for_embedding()
                demo.step("Opening the app")
                from client_app.ui.app import run_app

                run_app(directory / "app", demo.market.url)
                return 0
            if funded:
                round_ = demo.query(client)
                demo.show_lists(round_, user)
                demo.rate(client, round_, user)
            demo.settle(client)
    except (MarketError, RuntimeError, OSError) as error:
        demo.console.print(Text(f"demo failed: {error}", style="bold red"))
        return 1
    finally:
        loading.shutdown(wait=True)
        client.close()
    demo.step("Done")
    return 0
