"""The whole loop against a real server process under economy rules 2: developers deploy with
stakes, bids and attention escrows; users query, rate each round as a whole and send it once;
the epoch settles; the ledger is exported and verified; and every balance is checked to the
credit against the rules worked out by hand below. Then a crash with a round queued."""

from __future__ import annotations

from pathlib import Path

import pytest

from client_app.market import MarketError
from client_app.sdk import PrivrecClient
from client_app.store import StoreError
from client_app.ui.controllers import payout_line_text
from ledger import PayoutLine, UserSettlement
from ledger.economy import (
    ATTENTION_MEMO,
    EconomyParams,
    dev_account,
    escrow_account,
    params_entry_body,
    stake_account,
    user_account,
)
from ledger.keys import MarketKey
from ledger.verify import verify_ledger
from recommenders.activity import Category
from tests.end_to_end_helpers import (
    BPS,
    ITEMS,
    attention_to,
    brought_only_by,
    deploy,
    events,
    export_ledger,
    leaderboard,
    listed_models,
    market_public_key,
    outside_the_blend,
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
FEE_BPS = 500  # 5 % of every payment goes to the market, rounded up
BURN_BPS = 1000  # a model voted against loses what the votes weigh, at most 10 % of its stake
BURN_CAP = 1000  # ... and at most this much per epoch
ATTENTION_BPS = 400  # attention a user can earn per epoch: 4 % of what they committed to it
MIN_FUNDING = 10  # credits committed to the open epoch before a user may ask for lists
LIST_LENGTH = 100  # the most items of a model a user can be shown
ECONOMY_ENV = {
    "PRIVREC_RULES_VERSION": "2",
    "PRIVREC_FAUCET_AMOUNT": str(FAUCET),
    "PRIVREC_FEE_BPS": str(FEE_BPS),
    "PRIVREC_BURN_BPS": str(BURN_BPS),
    "PRIVREC_BURN_CAP": str(BURN_CAP),
    "PRIVREC_ATTENTION_BPS": str(ATTENTION_BPS),
    "PRIVREC_MIN_FUNDING": str(MIN_FUNDING),
    "PRIVREC_PER_ITEM_MULTIPLIER": "2",
    "PRIVREC_COOLING_OFF_EPOCHS": "2",
    "PRIVREC_LIST_LENGTH": str(LIST_LENGTH),
    "PRIVREC_SCORING_TIMEOUT_S": "60",
}
PARAMS = EconomyParams(
    rules=2,
    fee_bps=FEE_BPS,
    burn_bps=BURN_BPS,
    burn_cap=BURN_CAP,
    attention_bps=ATTENTION_BPS,
    per_item_multiplier=2,
    min_funding=MIN_FUNDING,
    cooling_off_epochs=2,
    list_length=LIST_LENGTH,
)


def fee(amount: int) -> int:
    """The market's cut of a payment, rounded up: a paid amount is never free for it."""
    return (amount * FEE_BPS + BPS - 1) // BPS


def net(amount: int) -> int:
    """What the payee receives of a payment: the market keeps its fee."""
    return amount - fee(amount)


def attention_cap(committed: int) -> int:
    """The attention a user can earn in an epoch, fees included."""
    return committed * ATTENTION_BPS // BPS


def stake_burn(voted_against: int, stake: int) -> int:
    """What a model's stake loses for the budget credits voted against it in an epoch."""
    return min(voted_against, (stake * BURN_BPS + BPS - 1) // BPS, BURN_CAP)


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

# Bids backed by escrows of a few bids each: alpha-basket's holds exactly one.
BOOKS = ModelSpec("alpha-books", "alpha-labs", ("books",), 300, 12, seed=1, escrow_bids=5)
BASKET = ModelSpec(
    "alpha-basket", "alpha-labs", ("purchases",), 200, 5, history=True, seed=2, escrow_bids=1
)
MIX = ModelSpec("beta-mix", "beta-works", ("books", "music"), 250, 9, seed=3, escrow_bids=10)

A_BOOKS = ("The Hobbit", "Dune", "Emma")
A_PURCHASES = ("Espresso machine", "Running shoes")
A_MUSIC = ("Kind of Blue",)  # stored, but A never opts into music
B_BOOKS = ("Middlemarch", "Ulysses")
B_MUSIC = ("Blue in Green", "So What", "Giant Steps")
B_PURCHASES = ("Garden hose",)  # stored, but B never opts into purchases
BUDGET_A = 500
BUDGET_B = 400


def test_whole_loop(tmp_path: Path, database_url: str) -> None:
    server = start_server(tmp_path, database_url)
    embedder_a, embedder_b = FakeEmbedder(), FakeEmbedder()
    user_a = new_user(tmp_path, "user-a", server.url, embedder_a)
    user_b = new_user(tmp_path, "user-b", server.url, embedder_b)
    try:
        # Two developers, three models: stakes and attention escrows taken at deploy.
        (tmp_path / "bundles").mkdir()
        deployed = deploy(server.url, tmp_path / "bundles", [BOOKS, BASKET, MIX])
        assert deployed.faucet_balances == {"alpha-labs": FAUCET, "beta-works": FAUCET}
        assert (BOOKS.escrow, BASKET.escrow, MIX.escrow) == (60, 5, 90)
        assert listed_models(server.url) == {BOOKS.name, BASKET.name, MIX.name}

        # User A: books + purchases; user B: books + music. Each commits a budget.
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
            assert (funded.balance, funded.budget, funded.committed) == (
                FAUCET - budget,
                budget,
                budget,
            )
            assert funded.attention_cap_left == attention_cap(budget)  # 20 for A, 16 for B

        # Each user asks only the models whose categories they all opted into.
        round_a = user_a.refresh()
        round_b = user_b.refresh()
        assert round_a.epoch == round_b.epoch == 0
        lists_a = {entry.model.name: entry for entry in round_a.lists}
        lists_b = {entry.model.name: entry for entry in round_b.lists}
        assert list(lists_a) == [BOOKS.name, BASKET.name]  # oldest model first
        assert {s.model.name: s.reason for s in round_a.skipped} == {
            MIX.name: "needs music (not opted in)"
        }
        assert list(lists_b) == [BOOKS.name, MIX.name]
        assert {s.model.name: s.reason for s in round_b.skipped} == {
            BASKET.name: "needs purchases (not opted in)"
        }
        # Of the user's own titles, only opted-in ones were ever read (the others the embedder
        # saw are the titles of items shown, for their reasons); each model got only its own
        # categories.
        for round_, embedder, own in (
            (round_a, embedder_a, A_BOOKS + A_PURCHASES),
            (round_b, embedder_b, B_BOOKS + B_MUSIC),
        ):
            shown = {item.title for entry in round_.lists for item in entry.items}
            assert embedder.seen - shown == set(own)
        assert {u.model_label.split("@")[0]: u.categories for u in user_a.data_use()} == {
            BOOKS.name: ("books",),
            BASKET.name: ("purchases",),
        }
        assert {u.model_label.split("@")[0]: u.categories for u in user_b.data_use()} == {
            BOOKS.name: ("books",),
            MIX.name: ("books", "music"),
        }
        for entry in (*round_a.lists, *round_b.lists):
            assert len(entry.items) == user_a.top_k == 10  # shown = 10 in every summary
        assert len(round_a.blended) == len(round_b.blended) == 10

        # A rates the round as a whole, the blended list included. Votes on items only one
        # model brought into the blend make its contribution: alpha-books 3 likes - 1 dislike
        # = +2, alpha-basket 1 like = +1. One more like on an alpha-books item the blend left
        # out counts in its summary, not in its contribution.
        books_a, basket_a = lists_a[BOOKS.name], lists_a[BASKET.name]
        *liked, disliked = brought_only_by(round_a, books_a, 4)
        for key in liked:
            user_a.rate_in_round(round_a.round_id, key, "like")
        user_a.rate_in_round(round_a.round_id, disliked, "dislike")
        user_a.rate(books_a.impression_id, outside_the_blend(round_a, books_a), "like")
        (basket_liked,) = brought_only_by(round_a, basket_a, 1)
        user_a.rate_in_round(round_a.round_id, basket_liked, "like")
        assert user_a.contributions(round_a.round_id) == {
            books_a.impression_id: 3 - 1,
            basket_a.impression_id: 1,
        }
        # B: alpha-books 1 like = +1; beta-mix 1 like - 3 dislikes = -2 (net against it).
        books_b, mix_b = lists_b[BOOKS.name], lists_b[MIX.name]
        (books_liked,) = brought_only_by(round_b, books_b, 1)
        user_b.rate_in_round(round_b.round_id, books_liked, "like")
        mix_liked, *mix_disliked = brought_only_by(round_b, mix_b, 4)
        user_b.rate_in_round(round_b.round_id, mix_liked, "like")
        for key in mix_disliked:
            user_b.rate_in_round(round_b.round_id, key, "dislike")
        assert user_b.contributions(round_b.round_id) == {
            books_b.impression_id: 1,
            mix_b.impression_id: 1 - 3,
        }

        # Each round's summaries go together, once: the round then takes no more votes.
        for user, round_ in ((user_a, round_a), (user_b, round_b)):
            sent = user.send_ratings()
            assert (sent.delivered, sent.refused, sent.pending, sent.error) == (2, 0, 0, None)
            with pytest.raises(StoreError, match="already sent"):
                user.rate_in_round(round_.round_id, round_.blended[-1].key, "like")
            assert user.send_ratings().delivered == 0

        # Attention, paid per rated list in the order of the round's lists: the bid, capped by
        # what is left of 4 % of the user's budget and by the model's escrow; fee rounded up.
        cap_a, cap_b = attention_cap(BUDGET_A), attention_cap(BUDGET_B)
        assert (cap_a, cap_b) == (20, 16)
        attention_a_books = min(BOOKS.bid, cap_a, BOOKS.escrow)  # 12
        attention_a_basket = min(BASKET.bid, cap_a - attention_a_books, BASKET.escrow)  # 5
        attention_b_books = min(BOOKS.bid, cap_b, BOOKS.escrow - attention_a_books)  # 12
        attention_b_mix = min(MIX.bid, cap_b - attention_b_books, MIX.escrow)  # 4: B's cap
        assert (attention_a_books, attention_a_basket) == (12, 5)
        assert (attention_b_books, attention_b_mix) == (12, 4)
        assert (fee(12), fee(5), fee(4)) == (1, 1, 1)  # 0.6, 0.25 and 0.2 rounded up
        paid = {
            (who, use.model_label.split("@")[0]): use.paid_to_you
            for who, user in (("A", user_a), ("B", user_b))
            for use in user.data_use()
        }
        assert paid == {
            ("A", BOOKS.name): net(attention_a_books),  # 12 - 1 = 11
            ("A", BASKET.name): net(attention_a_basket),  # 5 - 1 = 4
            ("B", BOOKS.name): net(attention_b_books),  # 12 - 1 = 11
            ("B", MIX.name): net(attention_b_mix),  # 4 - 1 = 3
        }
        wallet_a, wallet_b = user_a.market.wallet(), user_b.market.wallet()
        assert wallet_a.attention_cap_left == cap_a - 12 - 5 == 3
        assert wallet_b.attention_cap_left == cap_b - 12 - 4 == 0
        # alpha-basket's escrow held one bid and paid it: no longer listed until topped up.
        assert listed_models(server.url) == {BOOKS.name, MIX.name}

        # Settle the epoch with the CLI, as an operator would, next to the running server.
        out = settle(server)
        assert "settled epoch 0" in out, out

        # Each budget is split by the size of its user's contributions (largest remainder for
        # the odd credit). A: 500 over {alpha-books: 2, alpha-basket: 1} = 333.33 / 166.67
        #   -> 333 / 166, the credit left to the larger remainder (alpha-basket's) -> 333 / 167.
        share_a_books, share_a_basket = 333, 167
        assert share_a_books + share_a_basket == BUDGET_A
        # B: 400 over {alpha-books: |+1|, beta-mix: |-2|} = 133.33 / 266.67 -> 133 / 267.
        # alpha-books' share pays its developer; beta-mix's is burned from B's budget: a vote
        # against a model costs its author what it weighs.
        share_b_books, vote_b_mix = 133, 267
        assert share_b_books + vote_b_mix == BUDGET_B
        assert (fee(333), fee(167), fee(133)) == (17, 9, 7)  # 16.65, 8.35, 6.65 rounded up
        # beta-mix was voted against with 267 budget credits: its stake loses at most 10 %.
        burned_mix = stake_burn(vote_b_mix, MIX.stake)  # min(267, 25, 1000)
        assert burned_mix == 25

        # Users: faucet - budget + attention net of the market's fee.
        balance_a = FAUCET - BUDGET_A + net(attention_a_books) + net(attention_a_basket)
        assert balance_a == 1000 - 500 + 11 + 4 == 515
        balance_b = FAUCET - BUDGET_B + net(attention_b_books) + net(attention_b_mix)
        assert balance_b == 1000 - 400 + 11 + 3 == 614
        # Developers: faucet - stakes - escrows + budget shares net of the fee.
        alpha_labs = (
            FAUCET
            - (BOOKS.stake + BASKET.stake)
            - (BOOKS.escrow + BASKET.escrow)
            + (net(share_a_books) + net(share_a_basket) + net(share_b_books))
        )
        assert alpha_labs == 1000 - (300 + 200) - (60 + 5) + (316 + 158 + 126) == 1035
        beta_works = FAUCET - MIX.stake - MIX.escrow
        assert beta_works == 1000 - 250 - 90 == 660
        # Escrows: what they were funded with, less the attention they paid (fees included).
        escrow_books = BOOKS.escrow - attention_a_books - attention_b_books
        assert escrow_books == 60 - 12 - 12 == 36
        escrow_mix = MIX.escrow - attention_b_mix
        assert escrow_mix == 90 - 4 == 86
        # The market: its fee on every attention payment and every budget share.
        market_fees = sum(
            map(fee, [attention_a_books, attention_a_basket, attention_b_books, attention_b_mix])
        ) + sum(map(fee, [share_a_books, share_a_basket, share_b_books]))
        assert market_fees == (1 + 1 + 1 + 1) + (17 + 9 + 7) == 37
        expected = {
            user_account(user_a.identity.public_key_hex): balance_a,
            user_account(user_b.identity.public_key_hex): balance_b,
            dev_account("alpha-labs"): alpha_labs,
            dev_account("beta-works"): beta_works,
            stake_account(BOOKS.ledger_id): BOOKS.stake,  # 300
            stake_account(BASKET.ledger_id): BASKET.stake,  # 200
            stake_account(MIX.ledger_id): MIX.stake - burned_mix,  # 250 - 25 = 225
            escrow_account(BOOKS.ledger_id): escrow_books,
            escrow_account(MIX.ledger_id): escrow_mix,
            MARKET: market_fees,
            # alpha-basket's escrow and both budgets are empty (zero balances are not listed).
        }
        minted = 4 * FAUCET  # two developers and two users took the faucet once
        burned = vote_b_mix + burned_mix  # 267 + 25
        assert sum(expected.values()) + burned == minted  # 3708 + 292 = 4000

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
        assert (report.totals.minted, report.totals.burned) == (minted, burned)
        entries = parse(lines)
        assert (entries[0].kind, entries[0].body) == ("params", params_entry_body(PARAMS, 0))
        # Every impression says how long a list it could have shown (min(100, 60 items)), and
        # every rating carries the contribution computed on the device.
        assert {e.body["list"] for e in entries if e.kind == "impression"} == {ITEMS}
        summaries = {
            (e.body["model"], e.body["user"] == user_a.identity.public_key_hex): (
                e.body["shown"],
                e.body["liked"],
                e.body["disliked"],
                e.body["contribution"],
            )
            for e in entries
            if e.kind == "rating"
        }
        assert summaries == {
            (BOOKS.ledger_id, True): (10, 4, 1, 2),
            (BASKET.ledger_id, True): (10, 1, 0, 1),
            (BOOKS.ledger_id, False): (10, 1, 0, 1),
            (MIX.ledger_id, False): (10, 1, 3, -2),
        }

        # The same, as each user's app sees it: wallet, its own replay of the ledger, and the
        # settlement explained line by line.
        settlements = {
            user_a: UserSettlement(
                epoch=0,
                lines=(
                    PayoutLine(BASKET.ledger_id, 1, net(share_a_basket), fee(share_a_basket), 0),
                    PayoutLine(BOOKS.ledger_id, 2, net(share_a_books), fee(share_a_books), 0),
                ),
                refunded=0,
                clawback=0,
            ),
            user_b: UserSettlement(
                epoch=0,
                lines=(
                    PayoutLine(BOOKS.ledger_id, 1, net(share_b_books), fee(share_b_books), 0),
                    PayoutLine(MIX.ledger_id, -2, 0, 0, vote_b_mix),
                ),
                refunded=0,
                clawback=0,
            ),
        }
        payouts = {
            user_a: {BOOKS.ledger_id: share_a_books, BASKET.ledger_id: share_a_basket},
            user_b: {BOOKS.ledger_id: share_b_books},
        }
        for user, settlement in settlements.items():
            view = user.wallet()
            assert view.ledger.ok and view.ledger.balance_matches is True, view.ledger.detail
            assert view.ledger.entries == len(lines)
            account = user_account(user.identity.public_key_hex)
            assert view.wallet.balance == expected[account]
            assert (view.wallet.epoch, view.wallet.budget) == (1, 0)  # epoch 1 is open
            assert view.wallet.payouts == payouts[user]
            assert view.wallet.last_settlement == view.ledger.settlement == settlement
        assert user_a.market.wallet().attention_earned == 11 + 4
        assert user_b.market.wallet().attention_earned == 11 + 3
        assert payout_line_text(settlements[user_a].lines[1]) == (
            f"Paid 316 credits to {BOOKS.ledger_id}, and 17 credits to the market as its fee, "
            "because it brought 2 of your liked items into the blended list."
        )
        assert payout_line_text(settlements[user_b].lines[1]) == (
            f"Burned 267 credits of your budget against {MIX.ledger_id}: it brought 2 items you "
            "disliked into the blended list."
        )

        # The leaderboard agrees. Every vote was funded (both users had committed budgets).
        assert leaderboard(server.url) == {
            BOOKS.name: {
                "impressions": 2,
                "ratings": 2,
                "funded_liked": 4 + 1,
                "funded_disliked": 1,
                "unfunded_liked": 0,
                "unfunded_disliked": 0,
                "contribution_paid_for": share_a_books + share_b_books,  # 333 + 133
                "contribution_voted_against": 0,
                "earnings": net(share_a_books) + net(share_b_books),  # 316 + 126
                "stake": 300,
                "escrow": escrow_books,
            },
            BASKET.name: {
                "impressions": 1,
                "ratings": 1,
                "funded_liked": 1,
                "funded_disliked": 0,
                "unfunded_liked": 0,
                "unfunded_disliked": 0,
                "contribution_paid_for": share_a_basket,
                "contribution_voted_against": 0,
                "earnings": net(share_a_basket),  # 158
                "stake": 200,
                "escrow": 0,
            },
            MIX.name: {
                "impressions": 1,
                "ratings": 1,
                "funded_liked": 1,
                "funded_disliked": 3,
                "unfunded_liked": 0,
                "unfunded_disliked": 0,
                "contribution_paid_for": 0,
                "contribution_voted_against": vote_b_mix,
                "earnings": 0,
                "stake": MIX.stake - burned_mix,
                "escrow": escrow_mix,
            },
        }

        # Settling the same epoch again pays nothing and writes nothing.
        again = settle(server, epoch=0)
        assert "already settled" in again, again
        assert export_ledger(server.url, tmp_path / "ledger-again.ndjson") == lines
        assert user_a.wallet().wallet.balance == balance_a
    finally:
        user_a.close()
        user_b.close()
        server.stop()


# --- a crash with a round queued -----------------------------------------------------------------

FIRST = ModelSpec("crash-first", "gamma-labs", ("books",), stake=100, bid=8, seed=4)
SECOND = ModelSpec("crash-second", "gamma-labs", ("books",), stake=100, bid=8, seed=5)
BUDGET = 500


def test_server_crash_with_a_round_queued(tmp_path: Path) -> None:
    server = start_server(tmp_path, f"sqlite:///{tmp_path / 'market.sqlite3'}")
    user = new_user(tmp_path, "user", server.url, FakeEmbedder())
    try:
        (tmp_path / "bundles").mkdir()
        deploy(server.url, tmp_path / "bundles", [FIRST, SECOND])
        user.store.add_events(events(Category.BOOKS, "goodreads", *A_BOOKS), origin="test")
        user.set_opt_in("books", True)
        user.faucet()
        user.fund_budget(BUDGET)
        net_attention = net(FIRST.bid)  # 8 - 1 = 7 to the user (8 + 8 <= 4 % of 500)

        # Round 1: one like, on an item only crash-first brought into the blend; delivered.
        round_1 = user.refresh()
        first = {entry.model.name: entry for entry in round_1.lists}[FIRST.name]
        (liked,) = brought_only_by(round_1, first, 1)
        user.rate_in_round(round_1.round_id, liked, "like")
        sent = user.send_ratings()
        assert (sent.delivered, sent.pending, sent.error) == (1, 0, None)
        assert user.market.wallet().attention_earned == net_attention

        # Round 2 is asked, then the server crashes before its ratings go out: they wait in
        # the outbox. crash-second: 2 likes - 1 dislike = +1.
        round_2 = user.refresh()
        second = {entry.model.name: entry for entry in round_2.lists}[SECOND.name]
        server.kill()
        *likes, dislike = brought_only_by(round_2, second, 3)
        for key in likes:
            user.rate_in_round(round_2.round_id, key, "like")
        user.rate_in_round(round_2.round_id, dislike, "dislike")
        down = user.send_ratings()
        assert (down.delivered, down.refused, down.pending) == (0, 0, 1)
        assert down.error is not None and "cannot reach the market" in down.error
        (pending,) = user.pending_ratings()
        assert pending.impression_id == second.impression_id and pending.attempts == 1
        assert pending.payload == {
            "impression_id": second.impression_id,
            "shown": len(second.items),
            "liked": 2,
            "disliked": 1,
            "contribution": 1,
        }

        # Restarted on the same database, the queued round is delivered.
        server.start()
        back = user.flush_outbox(force=True)
        assert (back.delivered, back.refused, back.pending, back.error) == (1, 0, 0, None)
        assert user.pending_ratings() == []
        assert {
            u.impression_id: u.paid_to_you for u in user.data_use() if u.paid_to_you is not None
        } == {first.impression_id: net_attention, second.impression_id: net_attention}

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
        assert (first_rating.body["liked"], first_rating.body["contribution"]) == (1, 1)
        attention = attention_to(entries, user.identity.public_key_hex)
        assert sorted(str(e.body["memo"]) for e in attention) == sorted(
            ATTENTION_MEMO + impression
            for impression in (first.impression_id, second.impression_id)
        )
        assert user.market.wallet().attention_earned == 2 * net_attention
        rows = leaderboard(server.url)
        assert (rows[FIRST.name]["ratings"], rows[FIRST.name]["funded_liked"]) == (1, 1)
        assert (rows[SECOND.name]["ratings"], rows[SECOND.name]["funded_disliked"]) == (1, 1)

        # Settlement after the restart pays once: 500 over {first: +1, second: +1} = 250 each,
        # 13 of each to the market (12.5 rounded up).
        assert "settled epoch 0" in settle(server)
        assert "already settled" in settle(server, epoch=0)
        lines = export_ledger(server.url, tmp_path / "ledger.ndjson")
        shares = [
            e
            for e in parse(lines)
            if e.kind == "transfer" and str(e.body["memo"]).startswith("settle:0:share:")
        ]
        assert sorted((str(e.body["to"]), e.body["amount"]) for e in shares) == [
            (dev_account("gamma-labs"), net(BUDGET // 2)),  # 250 - 13 = 237
            (dev_account("gamma-labs"), net(BUDGET // 2)),
        ]
        verified = verify_with_cli(tmp_path / "ledger.ndjson", market_key)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        report = verify_ledger(lines, market_key)
        assert report.ok, report.error
        assert report.balances[user_account(user.identity.public_key_hex)] == (
            FAUCET - BUDGET + 2 * net_attention  # 1000 - 500 + 14 = 514
        )
        assert sum(report.balances.values()) + report.totals.burned == report.totals.minted
        view = user.wallet()
        assert view.ledger.ok and view.ledger.balance_matches is True, view.ledger.detail
        assert view.wallet.attention_earned == 2 * net_attention
    finally:
        user.close()
        server.stop()
