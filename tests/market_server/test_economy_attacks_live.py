"""Issue 11's attacks on the economy, replayed against a real market server: each attacker's
gain in credits (what its accounts hold at the end less what was minted to them, read from
the verified ledger export) is at most 0, and its victim loses only what the rules allow.

Amounts follow from PARAMS (the v3 defaults, set explicitly); every model here has ITEMS = 60
catalog items, so one list shows at most LIST = min(list_length, 60) = 60 of them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from ledger.economy import BPS, EconomyParams, bps_ceil
from tests.end_to_end_helpers import ITEMS
from tests.market_server.attack_market import (
    FAUCET,
    LedgerView,
    Market,
    Player,
    live_market,
    side,
)

pytestmark = pytest.mark.slow

PARAMS = EconomyParams(
    rules=3,
    fee_bps=500,
    burn_bps=1000,
    burn_cap=1000,
    per_item_multiplier=2,
    min_funding=10,
    attention_bps=400,
    cooling_off_epochs=2,
    list_length=100,
    max_vote_changes=3,
)
# Rules 3 are the server's default (ledger_of checks that the ledger records PARAMS).
ECONOMY_ENV = {
    "PRIVREC_RULES_VERSION": str(PARAMS.rules),
    "PRIVREC_MAX_VOTE_CHANGES": str(PARAMS.max_vote_changes),
    "PRIVREC_FEE_BPS": str(PARAMS.fee_bps),
    "PRIVREC_BURN_BPS": str(PARAMS.burn_bps),
    "PRIVREC_BURN_CAP": str(PARAMS.burn_cap),
    "PRIVREC_PER_ITEM_MULTIPLIER": str(PARAMS.per_item_multiplier),
    "PRIVREC_MIN_FUNDING": str(PARAMS.min_funding),
    "PRIVREC_ATTENTION_BPS": str(PARAMS.attention_bps),
    "PRIVREC_COOLING_OFF_EPOCHS": str(PARAMS.cooling_off_epochs),
    "PRIVREC_LIST_LENGTH": str(PARAMS.list_length),
}
LIST = min(PARAMS.list_length, ITEMS)


def fee(amount: int) -> int:
    """The market's cut of a payment: rounded up, so a paid amount never becomes a free one."""
    return bps_ceil(amount, PARAMS.fee_bps)


def attention_cap(committed: int) -> int:
    """The attention a user may earn in an epoch it committed ``committed`` credits to."""
    return committed * PARAMS.attention_bps // BPS


def stake_burn(voted_against: int, stake: int) -> int:
    """What a model loses at a settlement where budgets voted ``voted_against`` against it (not
    netted against what it was paid: its friends could buy off the burn for the fee)."""
    if voted_against <= 0:
        return 0
    return min(voted_against, bps_ceil(stake, PARAMS.burn_bps), PARAMS.burn_cap)


def ledger_of(market: Market) -> LedgerView:
    """The verified export; its rules are PARAMS (the server was configured with them)."""
    view = market.ledger()
    assert view.params == PARAMS
    return view


def rated(
    player: Player,
    impression: str,
    *,
    liked: int = 0,
    disliked: int = 0,
    contribution: int = 0,
    items: Sequence[tuple[str, str]] | None = None,
) -> int:
    """Rate a whole list (shown = LIST); it must be accepted. The attention it paid the rater."""
    answer = player.rate(
        impression,
        shown=LIST,
        liked=liked,
        disliked=disliked,
        contribution=contribution,
        items=items,
    )
    assert answer.status_code == 201, answer.text
    paid: int = answer.json()["attention_paid"]
    return paid


def rows_by_name(market: Market) -> dict[str, dict[str, int]]:
    return {row["name"]: row for row in market.leaderboard()}


def check_wallet_matches_ledger(view: LedgerView, *players: Player) -> None:
    for player in players:
        assert player.wallet()["balance"] == view.balance(player.ledger_account)


# --- 1. free accounts deciding burns and the leaderboard ----------------------------------------


def test_free_accounts_neither_burn_nor_save_a_model(tmp_path: Path, database_url: str) -> None:
    """Issue 11, first reproduction: a never-funded key rated `shill` shown=1000 liked=1000
    and its competitor `rival` disliked=1000; rival lost 100 of its stake, shill escaped the
    burn 50 honest dislikes had earned it and topped the leaderboard. Now: no impression
    without commitment, shown bounded by the list, unfunded ratings move nothing and are
    shown apart, and a funded attacker's votes weigh what it committed and cost it that."""
    with live_market(tmp_path, database_url, ECONOMY_ENV) as market:
        shill_labs, rival_labs = market.developer("shill-labs"), market.developer("rival-labs")
        # shill bids for attention too: the unfunded key must not earn any of it.
        bid = 10
        shill = shill_labs.deploy("shill", stake=500, bid=bid, escrow=10 * bid)
        rival = rival_labs.deploy("rival", stake=1000)

        # A key that never committed anything gets no impression, so it has nothing to rate.
        free = market.player(faucet=False)
        assert free.commit(10).status_code == 409  # nothing to commit
        assert free.ask([shill, rival]).status_code == 402
        made_up = "0" * 32
        liking = free.rate(made_up, shown=1000, liked=1000, contribution=1000)
        disliking = free.rate(made_up, shown=1000, disliked=1000, contribution=-1000)
        assert liking.status_code == disliking.status_code == 404

        # A key funded in an earlier epoch holds impressions but commits nothing now.
        first = market.open_epoch()
        lapsed = market.player()
        assert lapsed.commit(PARAMS.min_funding).status_code == 200
        lapsed_lists = lapsed.impressions([shill, rival])
        assert market.settle() == first  # lapsed rated nothing: its budget comes back
        epoch = first + 1

        # Honest users, funded, dislike shill and like rival: 50 dislikes in all.
        honest = [market.player() for _ in range(2)]
        honest_budget = 100
        for player in honest:
            assert player.commit(honest_budget).status_code == 200
            lists = player.impressions([shill, rival])
            rated(player, lists[shill.id][0], disliked=25, contribution=-25)
            rated(player, lists[rival.id][0], liked=25, contribution=25)
        voted_against_shill = paid_for_rival = len(honest) * honest_budget // 2

        # The lapsed key, unfunded in this epoch: shown is bounded by the list, and what it
        # sends within the bounds is kept but moves nothing.
        assert lapsed.wallet()["committed"] == 0
        over = lapsed.rate(lapsed_lists[shill.id][0], shown=1000, liked=1000, contribution=1000)
        assert over.status_code == 400, over.text
        assert rated(lapsed, lapsed_lists[shill.id][0], liked=LIST, contribution=LIST) == 0
        assert rated(lapsed, lapsed_lists[rival.id][0], disliked=LIST, contribution=-LIST) == 0
        # Changing those votes moves nothing either, and only so often (rules 3): an unfunded
        # key grows the ledger by at most max_vote_changes entries per list it was shown.
        flip = lapsed_lists[rival.id][0]
        for votes in ({"liked": LIST}, {"liked": 1}, {"disliked": LIST}):  # back where it was
            vote = {**votes, "contribution": votes.get("liked", 0) - votes.get("disliked", 0)}
            assert lapsed.change_vote(flip, **vote).status_code == 200
        assert lapsed.change_vote(flip, liked=LIST, contribution=LIST).status_code == 429
        assert free.change_vote(made_up, liked=1, contribution=1).status_code == 404

        # A funded attacker: its votes weigh what it committed, split by contribution.
        burner = market.player()
        burner_budget = 30
        assert burner.commit(burner_budget).status_code == 200
        lists = burner.impressions([shill, rival])
        too_many = burner.rate(lists[shill.id][0], shown=1000, liked=1000, contribution=1000)
        assert too_many.status_code == 400, too_many.text
        beyond_liked = burner.rate(lists[shill.id][0], shown=LIST, liked=5, contribution=6)
        assert beyond_liked.status_code == 422, beyond_liked.text
        rated(burner, lists[shill.id][0], liked=LIST, contribution=LIST)
        rated(burner, lists[rival.id][0], disliked=LIST, contribution=-LIST)
        paid_for_shill = voted_against_rival = burner_budget // 2  # equal contributions

        assert market.settle() == epoch
        view = ledger_of(market)

        # The never-funded key left no trace and moved nothing.
        assert not [e for e in view.entries if e.body.get("user") == free.account]
        assert view.minted_to(side([free])) == view.holdings(side([free])) == 0

        # rival: the unfunded dislikes burn nothing; the funded ones burn what they cost the
        # burner, who paid for every credit of it out of its budget.
        assert paid_for_rival - voted_against_rival > 0
        burned_rival = stake_burn(voted_against_rival, 1000)
        assert view.stake_burned(rival) == burned_rival == voted_against_rival == 15
        assert view.balance(rival.stake_account) == 1000 - burned_rival
        rival_side = side(developers=[rival_labs], models=[rival])
        shares_to_rival = len(honest) * (honest_budget // 2 - fee(honest_budget // 2))
        assert view.gain(rival_side) == shares_to_rival - burned_rival

        # shill: burned as the honest dislikes alone would burn it; the attackers' likes did
        # not save it (the unfunded ones weigh nothing, the funded ones what they cost).
        burn = stake_burn(voted_against_shill, 500)
        assert burn == 50
        assert view.stake_burned(shill) == burn

        # shill's escrow paid attention to funded raters only, within their caps.
        assert view.attention(lapsed.account) == {}
        assert view.attention(burner.account) == {epoch: min(bid, attention_cap(burner_budget))}
        attention = len(honest) * min(bid, attention_cap(honest_budget))
        attention += min(bid, attention_cap(burner_budget))
        assert view.escrow_paid(shill) == attention

        # The attacking side (the three keys, shill's developer and model) gained nothing: the
        # burner's vote against rival burned its own budget, its like paid shill less the fee,
        # and the attention it got back from shill's escrow went to the market as the fee.
        attackers = side([free, lapsed, burner], [shill_labs], [shill])
        gain = view.gain(attackers)
        assert gain == -voted_against_rival - fee(paid_for_shill) - burn - attention
        assert gain <= 0 < view.outlay(attackers)
        assert view.balance(lapsed.ledger_account) == FAUCET  # its budget was refunded
        check_wallet_matches_ledger(view, lapsed, burner, *honest)

        # The burner's wallet explains where its budget went.
        last = burner.wallet()["last_settlement"]
        assert (last["epoch"], last["refunded"], last["clawback"]) == (epoch, 0, 0)
        assert sorted(
            (line["model"], line["contribution"], line["paid"], line["fee"], line["burned"])
            for line in last["lines"]
        ) == [
            (rival.ledger_id, -LIST, 0, 0, voted_against_rival),
            (shill.ledger_id, LIST, paid_for_shill - fee(paid_for_shill), fee(paid_for_shill), 0),
        ]

        # The leaderboard shows the unfunded ratings apart and ranks by what money said.
        rows = rows_by_name(market)
        counts = ("funded_liked", "funded_disliked", "unfunded_liked", "unfunded_disliked")
        assert {name: tuple(rows[name][k] for k in counts) for name in rows} == {
            "shill": (LIST, 50, LIST, 0),
            "rival": (50, LIST, 0, LIST),
        }
        assert (
            rows["shill"]["contribution_paid_for"],
            rows["shill"]["contribution_voted_against"],
        ) == (paid_for_shill, voted_against_shill)
        assert (
            rows["rival"]["contribution_paid_for"],
            rows["rival"]["contribution_voted_against"],
        ) == (paid_for_rival, voted_against_rival)
        assert [row["name"] for row in market.leaderboard()] == ["rival", "shill"]


# --- 2. farming attention -------------------------------------------------------------------


def test_attention_farm_returns_nothing(tmp_path: Path, database_url: str) -> None:
    """Issue 11, second reproduction: five accounts each deposited 10 once, budgeted it to the
    attacker's own model and kept rating a victim's bid-20 model with per-item feedback (its
    item ids unchecked); in two epochs the attacker gained 505 on an outlay of 51 and the
    victim lost 500. Now attention is capped at attention_bps of this epoch's commitment,
    per-item ids must be in the catalog, and a budget that rewards no model claws back the
    attention it was paid."""
    with live_market(tmp_path, database_url, ECONOMY_ENV) as market:
        victim_labs, farm_labs = market.developer("victim-labs"), market.developer("farm-labs")
        victim_stake, victim_escrow, bid = 100, 500, 20
        victim = victim_labs.deploy("victim", stake=victim_stake, bid=bid, escrow=victim_escrow)
        farm = farm_labs.deploy("farm", stake=PARAMS.min_funding)

        farmers = [market.player() for _ in range(5)]
        small = 10  # each farmer's commitment per epoch, as in the reproduction
        assert attention_cap(small) == 0
        lists: dict[str, dict[int, list[str]]] = {}
        first = market.open_epoch()
        for player in farmers:
            assert player.commit(small).status_code == 200
            lists[player.account] = player.impressions([victim, farm], rounds=2)

        def farm_round(player: Player, round_: int) -> int:
            """Budget to the own model, per-item likes on the victim; the attention paid."""
            mine = lists[player.account]
            rated(player, mine[farm.id][round_], liked=LIST, contribution=LIST)
            return rated(
                player,
                mine[victim.id][round_],
                liked=2,
                items=[(item, "like") for item in victim.item_ids(2)],
            )

        # Per-item feedback must name catalog items.
        bogus = farmers[0].rate(
            lists[farmers[0].account][victim.id][0],
            shown=LIST,
            liked=2,
            items=[("no-such-item", "like"), ("item-0", "like")],
        )
        assert bogus.status_code == 400, bogus.text
        for player in farmers:
            assert farm_round(player, 0) == 0  # 10 committed earns no attention at all
            wallet = player.wallet()
            assert (wallet["committed"], wallet["attention_cap_left"]) == (small, 0)
        assert market.settle() == first

        # Second epoch: the five again, and two that commit enough to earn some attention, one
        # of them rewarding no model at all (its attention is clawed back).
        big, leech = market.player(), market.player()
        large = 250
        assert attention_cap(large) == 10
        for player in farmers:
            assert player.commit(small).status_code == 200
            assert farm_round(player, 1) == 0  # an impression of the first epoch
        assert big.commit(large).status_code == 200
        assert leech.commit(large).status_code == 200
        big_lists = big.impressions([victim, farm])
        big_lists[victim.id] += big.impressions([victim], rounds=2)[victim.id]
        rated(big, big_lists[farm.id][0], liked=LIST, contribution=LIST)
        leech_lists = leech.impressions([victim], rounds=3)
        per_item = [(item, "like") for item in victim.item_ids(2)]
        for player, impressions in ((big, big_lists[victim.id]), (leech, leech_lists[victim.id])):
            cap = attention_cap(large)
            payments = [rated(player, i, liked=2, items=per_item) for i in impressions]
            assert payments == [cap - fee(cap), 0, 0]  # the cap binds long before the bid x 2
            assert player.wallet()["attention_cap_left"] == 0
        assert market.settle() == first + 1
        view = ledger_of(market)

        # No user earned more attention in an epoch than its share of that epoch's commitment.
        players = [*farmers, big, leech]
        for player in players:
            committed = view.committed(player.account)
            for epoch, paid in view.attention(player.account).items():
                assert paid <= attention_cap(committed.get(epoch, 0))
        assert all(view.attention(player.account) == {} for player in farmers)

        # The victim paid exactly the capped attention, and lost nothing else.
        victim_side = side(developers=[victim_labs], models=[victim])
        capped = 2 * attention_cap(large)
        assert view.escrow_paid(victim) == capped
        assert view.gain(victim_side) == -capped
        assert view.balance(victim.stake_account) == victim_stake
        assert view.balance(victim.escrow_account) == victim_escrow - capped

        # The attacking side lost money: every budget that reached its model paid the fee, and
        # the leech's attention went back as a clawback.
        attackers = side(players, [farm_labs], [farm])
        cap = attention_cap(large)
        expected = (
            -2 * len(farmers) * fee(small)
            + (cap - fee(cap) - fee(large))  # big
            + (cap - fee(cap) - cap)  # leech
        )
        gain = view.gain(attackers)
        assert gain == expected
        assert gain <= 0 < view.outlay(attackers)
        (clawback,) = view.burns(f"settle:{first + 1}:clawback")
        assert clawback.body["amount"] == cap
        last = leech.wallet()["last_settlement"]
        assert (last["clawback"], last["refunded"]) == (cap, large - cap)
        check_wallet_matches_ledger(view, *players)


# --- 3. the other attacks of issue 11 -----------------------------------------------------------


def sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'market.sqlite3'}"


def test_sybil_self_dealing_pays_the_fees(tmp_path: Path) -> None:
    """k funded accounts rating their own developer's model: budgets and attention only go
    round from the attacker to itself, less the market's fee on each."""
    with live_market(tmp_path, sqlite(tmp_path), ECONOMY_ENV) as market:
        labs = market.developer("sybil-labs")
        bid, escrow = 5, 100
        own = labs.deploy("sybil", stake=100, bid=bid, escrow=escrow)
        sybils = [market.player() for _ in range(3)]
        budget = 50
        for player in sybils:
            assert player.commit(budget).status_code == 200
            (impression,) = player.impressions([own])[own.id]
            paid = rated(player, impression, liked=LIST, contribution=LIST)
            attention = min(bid, attention_cap(budget))
            assert paid == attention - fee(attention)
        market.settle()
        view = ledger_of(market)
        attackers = side(sybils, [labs], [own])
        attention = min(bid, attention_cap(budget))
        gain = view.gain(attackers)
        assert gain == -len(sybils) * (fee(budget) + fee(attention))
        assert gain <= 0 < view.outlay(attackers)
        assert view.market_fees() == -gain  # all it lost went to the market as fees


def test_burning_a_competitor_costs_at_least_the_burn(tmp_path: Path) -> None:
    """Funded dislikes against a competitor: each credit of vote is burned from the voter's
    own budget, and the competitor's stake loses at most that (and at most burn_bps of it)."""
    with live_market(tmp_path, sqlite(tmp_path), ECONOMY_ENV) as market:
        rival_labs = market.developer("rival-labs")
        stake = 200
        rival = rival_labs.deploy("rival", stake=stake)
        cheap, rich = market.player(), market.player()
        epoch = market.open_epoch()
        budgets = {cheap.account: PARAMS.min_funding, rich.account: 300}
        for player in (cheap, rich):
            assert player.commit(budgets[player.account]).status_code == 200
            (impression,) = player.impressions([rival])[rival.id]
            rated(player, impression, disliked=LIST, contribution=-LIST)
        assert market.settle() == epoch
        view = ledger_of(market)

        votes = view.burns(f"settle:{epoch}:vote:{rival.ledger_id}")
        assert sum(int(e.body["amount"]) for e in votes) == sum(budgets.values())
        burned = view.stake_burned(rival)
        assert (
            burned == stake_burn(sum(budgets.values()), stake) == bps_ceil(stake, PARAMS.burn_bps)
        )
        attackers = side([cheap, rich])
        assert view.gain(attackers) == -sum(budgets.values())
        assert -view.gain(attackers) >= burned  # the attack costs at least what it burns
        assert view.gain(side(developers=[rival_labs], models=[rival])) == -burned


def test_retiring_does_not_escape_the_burn(tmp_path: Path) -> None:
    """A developer retires its model as soon as it is disliked: the stake still burns at that
    epoch's settlement and during the cooling-off, and comes back only after it."""
    with live_market(tmp_path, sqlite(tmp_path), ECONOMY_ENV) as market:
        labs = market.developer("escape-labs")
        stake = 200
        model = labs.deploy("escape", stake=stake)
        honest = market.player()
        retired_in = market.open_epoch()
        budget = 100
        assert honest.commit(budget).status_code == 200
        first, second = honest.impressions([model], rounds=2)[model.id]
        rated(honest, first, disliked=10, contribution=-10)

        retire = labs.retire(model)
        assert retire.status_code == 200, retire.text
        assert retire.json()["returned"] == 0  # it was shown: no stake comes back now
        assert retire.json()["release_epoch"] == retired_in + PARAMS.cooling_off_epochs
        assert model.id not in market.listed()
        assert honest.ask([model]).status_code == 404  # not live: no more impressions

        burns = [stake_burn(budget, stake)]
        assert market.settle() == retired_in
        # Cooling-off: an earlier impression rated now still burns the stake.
        assert honest.commit(budget).status_code == 200
        rated(honest, second, disliked=10, contribution=-10)
        burns.append(stake_burn(budget, stake - burns[0]))
        assert market.settle() == retired_in + 1
        view = ledger_of(market)
        assert view.stake_burned(model) == sum(burns) == 20 + 18
        assert view.balance(model.stake_account) == stake - sum(burns)  # still held
        assert view.transfers(f"settle:{retired_in + 1}:release") == []

        assert market.settle() == retired_in + 2
        view = ledger_of(market)
        (retired,) = view.of_kind("retire")
        assert (retired.epoch, dict(retired.body)) == (
            retired_in,
            {"model": model.ledger_id, "developer": labs.name},
        )
        (release,) = view.transfers(f"settle:{retired_in + 2}:release:")
        assert (release.body["to"], release.body["amount"]) == (labs.account, stake - sum(burns))
        assert view.balance(model.stake_account) == 0
        assert view.gain(side(developers=[labs], models=[model])) == -sum(burns)


def test_an_unbacked_bid_is_not_listed(tmp_path: Path) -> None:
    """A bid of 10^12 backed by an escrow of 1 is not listed and gets no impression; a backed
    model stops being listed when its escrow runs below its bid, and is listed again once
    topped up."""
    with live_market(tmp_path, sqlite(tmp_path), ECONOMY_ENV) as market:
        labs = market.developer("bluff-labs")
        huge = 10**12
        bluff = labs.deploy("bluff", stake=PARAMS.min_funding, bid=huge, escrow=1)
        bid = 20
        thin = labs.deploy("thin", stake=PARAMS.min_funding, bid=bid, escrow=bid + bid // 2)
        assert market.listed() == {thin.id}
        assert labs.top_up(bluff, huge).status_code == 409  # more than the developer holds

        user = market.player()
        budget = 500
        assert attention_cap(budget) >= bid
        assert user.commit(budget).status_code == 200
        assert user.ask([bluff]).status_code == 409  # its bid is not backed
        (impression,) = user.impressions([thin])[thin.id]
        assert rated(user, impression, liked=1, contribution=1) == bid - fee(bid)
        assert market.listed() == set()  # bid // 2 left, under the bid
        assert user.ask([thin]).status_code == 409
        topped = labs.top_up(thin, bid // 2)
        assert topped.status_code == 200, topped.text
        assert market.listed() == {thin.id}

        view = ledger_of(market)
        shown = {str(e.body["model"]) for e in view.of_kind("impression")}
        assert shown == {thin.ledger_id}
        assert view.escrow_paid(thin) == bid
        assert view.balance(bluff.escrow_account) == 1


def test_a_collusion_ring_pays_the_fees(tmp_path: Path) -> None:
    """Two developers whose users rate each other's models (budgets and attention crossing
    over): every credit that goes round pays the market's fee, so neither half gains."""
    with live_market(tmp_path, sqlite(tmp_path), ECONOMY_ENV) as market:
        labs_a, labs_b = market.developer("ring-a"), market.developer("ring-b")
        bid, escrow, budget = 10, 100, 250
        model_a = labs_a.deploy("ring-model-a", stake=50, bid=bid, escrow=escrow)
        model_b = labs_b.deploy("ring-model-b", stake=50, bid=bid, escrow=escrow)
        users_a = [market.player() for _ in range(2)]  # ring-a's users rate ring-b's model
        users_b = [market.player() for _ in range(2)]
        attention = min(bid, attention_cap(budget))
        for players, other in ((users_a, model_b), (users_b, model_a)):
            for player in players:
                assert player.commit(budget).status_code == 200
                (impression,) = player.impressions([other])[other.id]
                paid = rated(player, impression, liked=LIST, contribution=LIST)
                assert paid == attention - fee(attention)
        market.settle()
        view = ledger_of(market)

        half_a = side(users_a, [labs_a], [model_a])
        half_b = side(users_b, [labs_b], [model_b])
        per_user = fee(budget) + fee(attention)
        for half, players in ((half_a, users_a), (half_b, users_b)):
            assert view.gain(half) == -len(players) * per_user
            assert view.gain(half) <= 0 < view.outlay(half)
        ring = side([*users_a, *users_b], [labs_a, labs_b], [model_a, model_b])
        assert view.gain(ring) == -view.market_fees() < 0
