"""The whole loop against a real server process: developers deploy, users query, rate and
settle, the ledger is exported and verified, and every balance is checked to the credit
against the economy's rules worked out by hand below. Then a crash between two ratings."""

from __future__ import annotations

from pathlib import Path

import pytest

from client_app.market import MarketError
from client_app.sdk import PrivrecClient
from ledger.economy import (
    ATTENTION_MEMO,
    EconomyParams,
    dev_account,
    stake_account,
    user_account,
)
from ledger.keys import MarketKey
from ledger.verify import verify_ledger
from recommenders.activity import Category
from tests.end_to_end_helpers import (
    BPS,
    attention_to,
    deploy,
    events,
    export_ledger,
    leaderboard,
    market_public_key,
    parse,
    ratings_per_impression,
    settle,
    verify_with_cli,
)
from tests.factories import ModelSpec
from tests.live_server import LiveServer
from tests.recommenders.conftest import FakeEmbedder

MARKET_SEED = "e2" * 32
MARKET = "market"

# The economy, set explicitly so the expected numbers below follow from these constants.
FAUCET = 1000
FEE_BPS = 500  # 5 % of every payout goes to the market
BURN_BPS = 1000  # a net-negative model loses 10 % of its stake ...
BURN_CAP = 1000  # ... but at most this much per epoch
DAILY_CAP = 100  # attention a user can earn per UTC day
MIN_FUNDING = 10  # attention is paid only to users who put in at least this much
ECONOMY_ENV = {
    "PRIVREC_FAUCET_AMOUNT": str(FAUCET),
    "PRIVREC_FEE_BPS": str(FEE_BPS),
    "PRIVREC_BURN_BPS": str(BURN_BPS),
    "PRIVREC_BURN_CAP": str(BURN_CAP),
    "PRIVREC_ATTENTION_DAILY_CAP": str(DAILY_CAP),
    "PRIVREC_MIN_FUNDING": str(MIN_FUNDING),
    "PRIVREC_PER_ITEM_MULTIPLIER": "2",
    "PRIVREC_SCORING_TIMEOUT_S": "60",
}
PARAMS = EconomyParams(
    fee_bps=FEE_BPS,
    burn_bps=BURN_BPS,
    burn_cap=BURN_CAP,
    attention_daily_cap=DAILY_CAP,
    per_item_multiplier=2,
    min_funding=MIN_FUNDING,
)


def fee(amount: int) -> int:
    """The market's cut of a payout (rounded down)."""
    return amount * FEE_BPS // BPS


def net(amount: int) -> int:
    """What the payee receives of a payout: the market keeps its fee."""
    return amount - fee(amount)


def burn(stake: int) -> int:
    return min(stake * BURN_BPS // BPS, BURN_CAP)


def start_server(tmp_path: Path, database_url: str) -> LiveServer:
    server = LiveServer(
        data_dir=tmp_path / "market",
        database_url=database_url,
        market_key=MARKET_SEED,
        extra_env=ECONOMY_ENV,
    )
    return server.start()


def new_user(tmp_path: Path, name: str, url: str, embedder: FakeEmbedder) -> PrivrecClient:
    client = PrivrecClient(tmp_path / name, market_url=url, embedder=embedder)
    client.create_identity()
    return client


# --- the whole loop ----------------------------------------------------------------------------

BOOKS = ModelSpec("alpha-books", "alpha-labs", ("books",), stake=300, bid=40, seed=1)
BASKET = ModelSpec("alpha-basket", "alpha-labs", ("purchases",), 200, 30, history=True, seed=2)
MIX = ModelSpec("beta-mix", "beta-works", ("books", "music"), stake=250, bid=70, seed=3)

A_BOOKS = ("The Hobbit", "Dune", "Emma")
A_PURCHASES = ("Espresso machine", "Running shoes")
A_MUSIC = ("Kind of Blue",)  # stored, but A never opts into music
B_BOOKS = ("Middlemarch", "Ulysses")
B_MUSIC = ("Blue in Green", "So What", "Giant Steps")
B_PURCHASES = ("Garden hose",)  # stored, but B never opts into purchases
BUDGET_A = 100
BUDGET_B = 80


def test_whole_loop(tmp_path: Path, database_url: str) -> None:
    server = start_server(tmp_path, database_url)
    embedder_a, embedder_b = FakeEmbedder(), FakeEmbedder()
    user_a = new_user(tmp_path, "user-a", server.url, embedder_a)
    user_b = new_user(tmp_path, "user-b", server.url, embedder_b)
    try:
        # Two developers, three models: stakes escrowed, bids on record.
        (tmp_path / "bundles").mkdir()
        deployed = deploy(server.url, tmp_path / "bundles", [BOOKS, BASKET, MIX])
        assert deployed.faucet_balances == {"alpha-labs": FAUCET, "beta-works": FAUCET}

        # User A: books + purchases; user B: books + music. Each funds a budget.
        user_a.store.add_events(events(Category.BOOKS, "goodreads", *A_BOOKS), origin="test")
        user_a.store.add_events(events(Category.PURCHASES, "shop", *A_PURCHASES), origin="test")
        user_a.store.add_events(events(Category.MUSIC, "lastfm", *A_MUSIC), origin="test")
        user_b.store.add_events(events(Category.BOOKS, "goodreads", *B_BOOKS), origin="test")
        user_b.store.add_events(events(Category.MUSIC, "lastfm", *B_MUSIC), origin="test")
        user_b.store.add_events(events(Category.PURCHASES, "shop", *B_PURCHASES), origin="test")
        for category in ("books", "purchases"):
            user_a.set_opt_in(category, True)
        for category in ("books", "music"):
            user_b.set_opt_in(category, True)
        for user, budget in ((user_a, BUDGET_A), (user_b, BUDGET_B)):
            assert user.faucet().balance == FAUCET
            funded = user.fund_budget(budget)
            assert (funded.balance, funded.budget) == (FAUCET - budget, budget)

        # Each user asks only the models whose categories they all opted into.
        round_a = user_a.refresh()
        round_b = user_b.refresh()
        assert round_a.epoch == round_b.epoch == 0
        lists_a = {entry.model.name: entry for entry in round_a.lists}
        lists_b = {entry.model.name: entry for entry in round_b.lists}
        assert set(lists_a) == {BOOKS.name, BASKET.name}
        assert {s.model.name: s.reason for s in round_a.skipped} == {
            MIX.name: "needs music (not opted in)"
        }
        assert set(lists_b) == {BOOKS.name, MIX.name}
        assert {s.model.name: s.reason for s in round_b.skipped} == {
            BASKET.name: "needs purchases (not opted in)"
        }
        # Only opted-in titles were ever read; each model got only its own categories.
        assert embedder_a.seen == set(A_BOOKS + A_PURCHASES)
        assert embedder_b.seen == set(B_BOOKS + B_MUSIC)
        assert {u.model_label.split("@")[0]: u.categories for u in user_a.data_use()} == {
            BOOKS.name: ("books",),
            BASKET.name: ("purchases",),
        }
        assert {u.model_label.split("@")[0]: u.categories for u in user_b.data_use()} == {
            BOOKS.name: ("books",),
            MIX.name: ("books", "music"),
        }
        for entry in (*round_a.lists, *round_b.lists):
            assert len(entry.items) == user_a.top_k  # shown = 10 in every summary

        # Ratings. A: alpha-books 2 likes + 1 dislike, alpha-basket 1 like (sent together).
        books_a, basket_a = lists_a[BOOKS.name], lists_a[BASKET.name]
        user_a.rate(books_a.impression_id, books_a.items[0].item_id, "like")
        user_a.rate(books_a.impression_id, books_a.items[1].item_id, "like")
        user_a.rate(books_a.impression_id, books_a.items[2].item_id, "dislike")
        user_a.rate(basket_a.impression_id, basket_a.items[0].item_id, "like")
        sent = user_a.send_ratings()
        assert (sent.delivered, sent.refused, sent.pending, sent.error) == (2, 0, 0, None)
        # B, one list at a time so the daily cap is met in a known order:
        # alpha-books 1 like, then beta-mix 1 like + 3 dislikes (net negative: its stake burns).
        books_b, mix_b = lists_b[BOOKS.name], lists_b[MIX.name]
        user_b.rate(books_b.impression_id, books_b.items[0].item_id, "like")
        assert user_b.send_ratings().delivered == 1
        user_b.rate(mix_b.impression_id, mix_b.items[0].item_id, "like")
        for item in mix_b.items[1:4]:
            user_b.rate(mix_b.impression_id, item.item_id, "dislike")
        assert user_b.send_ratings().delivered == 1

        # Attention, paid at once per rated impression: the bid, capped by what is left of
        # the user's daily cap, from the developer; the market keeps its fee.
        attention_a_books = BOOKS.bid  # 40
        attention_a_basket = BASKET.bid  # 30 (A's day: 40 + 30 = 70 <= 100)
        attention_b_books = BOOKS.bid  # 40
        # (B's two ratings are seconds apart: on the same UTC day but within seconds of midnight.)
        attention_b_mix = min(MIX.bid, DAILY_CAP - attention_b_books)  # min(70, 60) = 60
        assert attention_b_mix == 60
        paid = {
            (who, use.model_label.split("@")[0]): use.paid_to_you
            for who, user in (("A", user_a), ("B", user_b))
            for use in user.data_use()
        }
        assert paid == {
            ("A", BOOKS.name): net(attention_a_books),  # 40 - 2 = 38
            ("A", BASKET.name): net(attention_a_basket),  # 30 - 1 = 29
            ("B", BOOKS.name): net(attention_b_books),  # 40 - 2 = 38
            ("B", MIX.name): net(attention_b_mix),  # 60 - 3 = 57
        }

        # Settle the epoch with the CLI, as an operator would, next to the running server.
        out = settle(server)
        assert "settled epoch 0" in out, out

        # Budget splits, by liked counts, largest remainder for the odd credit:
        #   A's 100 over {alpha-books: 2 likes, alpha-basket: 1 like}
        #     = 66.67 / 33.33 -> 66 / 33, the credit left to the larger remainder -> 67 / 33
        #   B's 80 over {alpha-books: 1 like, beta-mix: 1 like} = 40 / 40
        share_a_books, share_a_basket = 67, 33
        share_b_books, share_b_mix = 40, 40
        assert share_a_books + share_a_basket == BUDGET_A
        assert share_b_books + share_b_mix == BUDGET_B
        # Net ratings: alpha-books (2-1)+(1-0) = +2, alpha-basket +1, beta-mix 1-3 = -2.
        burned_mix = burn(MIX.stake)  # min(250 * 10 %, 1000) = 25
        assert burned_mix == 25

        # Users: faucet - budget + attention net of the market's fee.
        balance_a = FAUCET - BUDGET_A + net(attention_a_books) + net(attention_a_basket)
        assert balance_a == 1000 - 100 + 38 + 29 == 967
        balance_b = FAUCET - BUDGET_B + net(attention_b_books) + net(attention_b_mix)
        assert balance_b == 1000 - 80 + 38 + 57 == 1015
        # Developers: faucet - stakes - attention bids paid + budget shares net of the fee.
        alpha_labs = (
            FAUCET
            - (BOOKS.stake + BASKET.stake)
            - (attention_a_books + attention_a_basket + attention_b_books)
            + (net(share_a_books) + net(share_a_basket) + net(share_b_books))
        )
        assert alpha_labs == 1000 - (300 + 200) - (40 + 30 + 40) + (64 + 32 + 38) == 524
        beta_works = FAUCET - MIX.stake - attention_b_mix + net(share_b_mix)
        assert beta_works == 1000 - 250 - 60 + 38 == 728
        # The market: its fee on every attention payment and on every budget share.
        market_fees = sum(
            map(fee, [attention_a_books, attention_a_basket, attention_b_books, attention_b_mix])
        ) + sum(map(fee, [share_a_books, share_a_basket, share_b_books, share_b_mix]))
        assert market_fees == (2 + 1 + 2 + 3) + (3 + 1 + 2 + 2) == 16
        expected = {
            user_account(user_a.identity.public_key_hex): balance_a,
            user_account(user_b.identity.public_key_hex): balance_b,
            dev_account("alpha-labs"): alpha_labs,
            dev_account("beta-works"): beta_works,
            # Stakes stay escrowed whole, but beta-mix was rated net negative.
            stake_account(BOOKS.ledger_id): BOOKS.stake,  # 300
            stake_account(BASKET.ledger_id): BASKET.stake,  # 200
            stake_account(MIX.ledger_id): MIX.stake - burned_mix,  # 250 - 25 = 225
            MARKET: market_fees,
            # The budget escrows are empty after settlement (zero balances are not listed).
        }
        minted = 4 * FAUCET  # two developers and two users took the faucet once

        # Export the ledger; verify it with the CLI and by replaying it here.
        market_key = market_public_key(server.url)
        assert market_key == MarketKey.from_seed_hex(MARKET_SEED).public_key_hex
        lines = export_ledger(server.url, tmp_path / "ledger.ndjson")
        verified = verify_with_cli(tmp_path / "ledger.ndjson", market_key)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert ": OK," in verified.stdout
        stakes_of = {spec.ledger_id: spec.developer for spec in (BOOKS, BASKET, MIX)}
        report = verify_ledger(lines, market_key, stakes_of=stakes_of, params=PARAMS)
        assert report.ok, report.error
        assert report.closed_epochs == (0,)
        assert report.balances == expected
        assert (report.totals.minted, report.totals.burned) == (minted, burned_mix)
        assert sum(report.balances.values()) + report.totals.burned == report.totals.minted

        # The same, as each user's app sees it: wallet plus its own replay of the ledger.
        for user, payouts in (
            (user_a, {BOOKS.ledger_id: share_a_books, BASKET.ledger_id: share_a_basket}),
            (user_b, {BOOKS.ledger_id: share_b_books, MIX.ledger_id: share_b_mix}),
        ):
            view = user.wallet()
            assert view.ledger.ok and view.ledger.balance_matches is True, view.ledger.detail
            assert view.ledger.entries == len(lines)
            account = user_account(user.identity.public_key_hex)
            assert view.wallet.balance == expected[account]
            assert (view.wallet.epoch, view.wallet.budget) == (1, 0)  # epoch 1 is open
            assert view.wallet.payouts == payouts
        assert user_a.market.wallet().attention_earned == 38 + 29
        assert user_b.market.wallet().attention_earned == 38 + 57

        # The leaderboard agrees: developers' earnings are their shares net of fees.
        assert leaderboard(server.url) == {
            BOOKS.name: {
                "impressions": 2,
                "ratings": 2,
                "liked": 3,
                "disliked": 1,
                "earnings": net(share_a_books) + net(share_b_books),  # 64 + 38
                "stake": 300,
            },
            BASKET.name: {
                "impressions": 1,
                "ratings": 1,
                "liked": 1,
                "disliked": 0,
                "earnings": net(share_a_basket),  # 32
                "stake": 200,
            },
            MIX.name: {
                "impressions": 1,
                "ratings": 1,
                "liked": 1,
                "disliked": 3,
                "earnings": net(share_b_mix),  # 38
                "stake": 225,
            },
        }

        # Settling the same epoch again pays nothing and writes nothing.
        again = settle(server, epoch=0)
        assert "already settled" in again, again
        assert export_ledger(server.url, tmp_path / "ledger-again.ndjson") == lines
    finally:
        user_a.close()
        user_b.close()
        server.stop()


# --- a crash between two ratings ---------------------------------------------------------------

FIRST = ModelSpec("crash-first", "gamma-labs", ("books",), stake=100, bid=25, seed=4)
SECOND = ModelSpec("crash-second", "gamma-labs", ("books",), stake=100, bid=25, seed=5)
BUDGET = 50


def test_server_crash_between_ratings(tmp_path: Path) -> None:
    server = start_server(tmp_path, f"sqlite:///{tmp_path / 'market.sqlite3'}")
    user = new_user(tmp_path, "user", server.url, FakeEmbedder())
    try:
        (tmp_path / "bundles").mkdir()
        deploy(server.url, tmp_path / "bundles", [FIRST, SECOND])
        user.store.add_events(events(Category.BOOKS, "goodreads", *A_BOOKS), origin="test")
        user.set_opt_in("books", True)
        user.faucet()
        user.fund_budget(BUDGET)
        lists = {entry.model.name: entry for entry in user.refresh().lists}
        first, second = lists[FIRST.name], lists[SECOND.name]
        net_attention = net(FIRST.bid)  # 25 - 1 = 24 to the user

        # List 1 is rated and acknowledged: attention paid.
        user.rate(first.impression_id, first.items[0].item_id, "like")
        sent = user.send_ratings()
        assert (sent.delivered, sent.pending, sent.error) == (1, 0, None)
        assert user.market.wallet().attention_earned == net_attention

        # The server crashes before list 2's rating goes out: it waits in the outbox.
        server.kill()
        user.rate(second.impression_id, second.items[0].item_id, "like")
        user.rate(second.impression_id, second.items[1].item_id, "dislike")
        down = user.send_ratings()
        assert (down.delivered, down.refused, down.pending) == (0, 0, 1)
        assert down.error is not None and "cannot reach the market" in down.error
        (pending,) = user.pending_ratings()
        assert pending.impression_id == second.impression_id and pending.attempts == 1
        assert pending.payload == {
            "impression_id": second.impression_id,
            "shown": len(second.items),
            "liked": 1,
            "disliked": 1,
            "contribution": 0,
        }

        # Restarted on the same database, the queued rating is delivered.
        server.start()
        back = user.flush_outbox(force=True)
        assert (back.delivered, back.refused, back.pending, back.error) == (1, 0, 0, None)
        assert user.pending_ratings() == []
        assert {u.impression_id: u.paid_to_you for u in user.data_use()} == {
            first.impression_id: net_attention,
            second.impression_id: net_attention,
        }

        # A retry of the acknowledged rating (as if its answer had been lost) is refused.
        with pytest.raises(MarketError) as conflict:
            user.market.rate(
                {
                    "impression_id": first.impression_id,
                    "shown": 10,
                    "liked": 1,
                    "disliked": 0,
                    "contribution": 1,
                }
            )
        assert conflict.value.status == 409
        assert user.send_ratings().delivered == 0

        # Nothing acknowledged was lost and nothing was paid twice.
        market_key = market_public_key(server.url)
        entries = parse(export_ledger(server.url, tmp_path / "before-settle.ndjson"))
        assert ratings_per_impression(entries) == {
            first.impression_id: 1,
            second.impression_id: 1,
        }
        (first_rating,) = [
            e
            for e in entries
            if e.kind == "rating" and e.body["impression_id"] == first.impression_id
        ]
        assert (first_rating.body["liked"], first_rating.body["disliked"]) == (1, 0)
        attention = attention_to(entries, user.identity.public_key_hex)
        assert sorted(str(e.body["memo"]) for e in attention) == sorted(
            ATTENTION_MEMO + impression
            for impression in (first.impression_id, second.impression_id)
        )
        assert user.market.wallet().attention_earned == 2 * net_attention
        rows = leaderboard(server.url)
        assert (rows[FIRST.name]["ratings"], rows[FIRST.name]["liked"]) == (1, 1)
        assert (rows[SECOND.name]["ratings"], rows[SECOND.name]["disliked"]) == (1, 1)

        # Settlement after the restart pays once: 50 over {first: 1 like, second: 1 like}.
        assert "settled epoch 0" in settle(server)
        assert "already settled" in settle(server, epoch=0)
        lines = export_ledger(server.url, tmp_path / "ledger.ndjson")
        shares = [
            e
            for e in parse(lines)
            if e.kind == "transfer" and str(e.body["memo"]).startswith("settle:0:share:")
        ]
        assert sorted((str(e.body["to"]), e.body["amount"]) for e in shares) == [
            (dev_account("gamma-labs"), net(BUDGET // 2)),  # 25 - 1
            (dev_account("gamma-labs"), net(BUDGET // 2)),
        ]
        verified = verify_with_cli(tmp_path / "ledger.ndjson", market_key)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        report = verify_ledger(lines, market_key)
        assert report.ok, report.error
        assert report.balances[user_account(user.identity.public_key_hex)] == (
            FAUCET - BUDGET + 2 * net_attention  # 1000 - 50 + 48 = 998
        )
        assert sum(report.balances.values()) + report.totals.burned == report.totals.minted
        view = user.wallet()
        assert view.ledger.ok and view.ledger.balance_matches is True, view.ledger.detail
        assert view.wallet.attention_earned == 2 * net_attention
    finally:
        user.close()
        server.stop()
