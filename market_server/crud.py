"""Database writes, in keyword-only typed functions: the one place routes change state."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from crypto import EvaluationKeys
from ledger.chain import Entry, Ledger
from ledger.economy import (
    ATTENTION_MEMO,
    SETTLE_MEMO,
    Body,
    budget_account,
    dev_account,
    stake_account,
    user_account,
)
from market_server.bundles import PublicParts
from market_server.core.security import hash_api_key, new_api_key
from market_server.ledger_store import LedgerStore, current_epoch
from market_server.models import (
    BundleBlob,
    Developer,
    EvaluationKeySet,
    Impression,
    LeaderboardRow,
    ModelStatus,
    ModelVersion,
    Rating,
    RatingPublic,
    User,
    WalletPublic,
    utcnow,
)
from recommenders.bundle import Manifest


def register_user(*, session: Session, account: str) -> tuple[User, bool]:
    """The user with this public key, created if new; the flag says whether it was."""
    user = session.get(User, account)
    if user is not None:
        return user, False
    user = User(id=account)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user, True


def create_developer(*, session: Session, name: str) -> tuple[Developer, str]:
    """A new developer and its API key (returned once, stored only as a hash)."""
    api_key = new_api_key()
    developer = Developer(name=name, api_key_hash=hash_api_key(api_key))
    session.add(developer)
    session.commit()
    session.refresh(developer)
    return developer, api_key


class NotYours(Exception):
    """The model name belongs to another developer."""


class AlreadyDeployed(Exception):
    """This name and version are deployed already (a version is never replaced)."""


def create_model_version(
    *,
    session: Session,
    developer: Developer,
    manifest: Manifest,
    parts: PublicParts,
    bundle: bytes,
    stake: int,
    bid: int,
) -> ModelVersion:
    """A validated bundle, stored as a pending model version with its public parts."""
    owner = session.exec(
        select(ModelVersion.developer_id).where(ModelVersion.name == manifest.name)
    ).first()
    if owner is not None and owner != developer.id:
        raise NotYours(f"model {manifest.name!r} belongs to another developer")
    duplicate = session.exec(
        select(ModelVersion).where(
            ModelVersion.name == manifest.name, ModelVersion.version == manifest.version
        )
    ).first()
    if duplicate is not None:
        raise AlreadyDeployed(f"{manifest.name} {manifest.version} is already deployed")
    assert developer.id is not None
    model = ModelVersion(
        name=manifest.name,
        version=manifest.version,
        developer_id=developer.id,
        status=ModelStatus.PENDING,
        description=manifest.description,
        categories=",".join(sorted(manifest.categories)),
        dim=manifest.dim,
        items=manifest.items,
        stake=stake,
        bid=bid,
    )
    session.add(model)
    session.flush()
    assert model.id is not None
    session.add(
        BundleBlob(
            model_id=model.id,
            bundle=bundle,
            manifest=parts.manifest,
            tower=parts.tower,
            catalog=parts.catalog,
        )
    )
    session.commit()
    session.refresh(model)
    return model


def store_evaluation_keys(
    *, session: Session, user: User, data: bytes, keys: EvaluationKeys
) -> EvaluationKeySet:
    record = EvaluationKeySet(
        id=secrets.token_hex(16),
        user_id=user.id,
        profile=keys.profile.name,
        digest=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
    )
    session.add(record)
    session.commit()
    session.refresh(record)
    return record


# --- writes that also append to the ledger (committed together, or not at all) ------------


def ledger_model_id(model: ModelVersion) -> str:
    """How the ledger names a model version (its stake, bid and payouts are per version)."""
    return f"{model.name}@{model.version}"


def mint(*, session: Session, store: LedgerStore, account: str, amount: int, memo: str) -> Entry:
    """Create credits (the demo faucet, or an operator's deposit)."""
    body: Body = {"account": account, "amount": amount, "memo": memo}
    return store.change(
        session,
        lambda ledger, time: [ledger.append("mint", body, epoch=current_epoch(ledger), time=time)],
    )[0]


def fund_budget(*, session: Session, store: LedgerStore, user: User, amount: int) -> Entry:
    """Move credits from the user's balance into their budget for the open epoch."""

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch = current_epoch(ledger)
        body: Body = {
            "from": user_account(user.id),
            "to": budget_account(user.id, epoch),
            "amount": amount,
            "memo": "budget",
        }
        return [ledger.append("transfer", body, epoch=epoch, time=time)]

    return store.change(session, change)[0]


def publish_model(
    *, session: Session, store: LedgerStore, model: ModelVersion, developer: Developer
) -> None:
    """Register a validated model in the ledger (developer, bid) and escrow its stake, then
    mark it live, all in one commit. Raises LedgerError (e.g. a balance below the stake)."""
    name = ledger_model_id(model)

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch = current_epoch(ledger)
        entries = [
            ledger.append(
                "model",
                {"model": name, "developer": developer.name, "bid": model.bid},
                epoch=epoch,
                time=time,
            )
        ]
        if model.stake:
            stake: Body = {
                "from": dev_account(developer.name),
                "to": stake_account(name),
                "amount": model.stake,
                "memo": "stake",
            }
            entries.append(ledger.append("transfer", stake, epoch=epoch, time=time))
        return entries

    model.status = ModelStatus.LIVE
    model.live_at = utcnow()
    session.add(model)
    store.change(session, change)


class NotFunded(Exception):
    """The account has not committed enough to the open epoch's budget for this request."""


class QueryCapReached(Exception):
    """The account has asked a model as often as one epoch allows."""


@dataclass(frozen=True)
class QueryLimits:
    """Recommendation requests bounded by committed money (docs/model_extraction.md)."""

    min_commitment: int  # credits in the open epoch's budget before any query
    queries_per_credit: int  # model queries per committed credit per epoch
    per_model_per_epoch: int  # model queries per (account, model) per epoch


def committed_this_epoch(*, session: Session, store: LedgerStore, user: User) -> tuple[int, int]:
    """The open epoch and the credits ``user`` has committed to its budget."""
    return _committed(store.snapshot(session), user)


def _committed(ledger: Ledger, user: User) -> tuple[int, int]:
    epoch = current_epoch(ledger)
    return epoch, ledger.book.balance(budget_account(user.id, epoch))


def check_query_allowance(
    *,
    session: Session,
    user: User,
    epoch: int,
    committed: int,
    model_ids: list[int],
    limits: QueryLimits,
) -> None:
    """Raise NotFunded or QueryCapReached unless ``user`` may query ``model_ids`` once more in
    ``epoch``; each impression the user has there counts as one model query."""
    if committed < limits.min_commitment:
        raise NotFunded(
            f"asking for recommendations needs at least {limits.min_commitment} credits "
            f"committed to this epoch's budget (you have {committed}): fund it first "
            "(POST /v1/users/me/budget)"
        )
    mine = (col(Impression.user_id) == user.id, col(Impression.epoch) == epoch)
    asked = session.exec(select(func.count()).select_from(Impression).where(*mine)).one()
    allowance = committed * limits.queries_per_credit
    if asked + len(model_ids) > allowance:
        raise NotFunded(
            f"your budget of {committed} credits allows {allowance} model queries this epoch; "
            f"you have made {asked} and this request asks {len(model_ids)} more: commit more "
            "credits to this epoch's budget (POST /v1/users/me/budget) or wait for the next epoch"
        )
    per_model = session.exec(
        select(Impression.model_id, func.count())
        .where(*mine, col(Impression.model_id).in_(model_ids))
        .group_by(col(Impression.model_id))
    ).all()
    for model_id, count in sorted(per_model):
        if count >= limits.per_model_per_epoch:
            raise QueryCapReached(
                f"model {model_id} has answered you {count} times this epoch, the most one "
                "epoch allows: ask it again in the next epoch"
            )


def record_impressions(
    *,
    session: Session,
    store: LedgerStore,
    user: User,
    models: list[ModelVersion],
    limits: QueryLimits | None = None,
) -> tuple[int, list[Impression]]:
    """One impression per model for this user, in the open epoch; with ``limits``, checked
    again under the ledger's lock (concurrent requests cannot overspend the allowance)."""
    impressions: list[Impression] = []
    developers = {d.id: d.name for d in session.exec(select(Developer)).all()}

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch, committed = _committed(ledger, user)
        if limits is not None:
            check_query_allowance(
                session=session,
                user=user,
                epoch=epoch,
                committed=committed,
                model_ids=[m.id for m in models if m.id is not None],
                limits=limits,
            )
        entries = []
        for model in models:
            assert model.id is not None
            impression = Impression(
                id=secrets.token_hex(16), user_id=user.id, model_id=model.id, epoch=epoch
            )
            impressions.append(impression)
            session.add(impression)
            body: Body = {
                "impression_id": impression.id,
                "user": user.id,
                "model": ledger_model_id(model),
                "developer": developers[model.developer_id],
            }
            entries.append(ledger.append("impression", body, epoch=epoch, time=time))
        session.flush()
        return entries

    entries = store.change(session, change)
    return (entries[0].epoch if entries else 0), impressions


def record_rating(
    *,
    session: Session,
    store: LedgerStore,
    user: User,
    impression: Impression,
    shown: int,
    liked: int,
    disliked: int,
    per_item: list[dict[str, str]] | None,
) -> RatingPublic | None:
    """Record the one rating of an impression and pay its attention bid; None if rated."""
    if session.exec(select(Rating).where(Rating.impression_id == impression.id)).first():
        return None
    model = session.get(ModelVersion, impression.model_id)
    assert model is not None
    developer = session.get(Developer, model.developer_id)
    assert developer is not None
    rating = Rating(
        impression_id=impression.id,
        user_id=user.id,
        model_id=impression.model_id,
        shown=shown,
        liked=liked,
        disliked=disliked,
        per_item=None if per_item is None else json.dumps(per_item),
    )
    session.add(rating)
    body: Body = {
        "impression_id": impression.id,
        "user": user.id,
        "model": ledger_model_id(model),
        "developer": developer.name,
        "shown": shown,
        "liked": liked,
        "disliked": disliked,
        "per_item": per_item is not None,
    }
    try:
        entries = store.change(
            session,
            lambda ledger, time: ledger.record_rating(body, epoch=current_epoch(ledger), time=time),
        )
    except IntegrityError:  # another request rated it first
        return None
    paid = sum(
        int(e.body["amount"])
        for e in entries
        if e.kind == "transfer" and e.body["to"] == user_account(user.id)
    )
    session.refresh(rating)
    return RatingPublic(
        impression_id=rating.impression_id,
        model_id=rating.model_id,
        shown=shown,
        liked=liked,
        disliked=disliked,
        per_item=per_item is not None,
        attention_paid=paid,
        created_at=rating.created_at,
    )


def settle(*, session: Session, store: LedgerStore, epoch: int | None = None) -> list[Entry]:
    """Settle ``epoch`` (default: the open one) and close it; [] if it was already closed."""

    def change(ledger: Ledger, time: str) -> list[Entry]:
        target = current_epoch(ledger) if epoch is None else epoch
        return ledger.settle_epoch(target, time=time)

    return store.change(session, change)


# --- reads that combine the database and the ledger ------------------------------------------


_SETTLEMENT_PAYMENT = re.compile(re.escape(SETTLE_MEMO) + r"[0-9]+:(share|fee):(.+)")


def _settlement_payment(entry: Entry) -> tuple[str, str] | None:
    """("share" or "fee", model) for a settlement transfer out of a budget, else None."""
    if entry.kind != "transfer":
        return None
    paid = _SETTLEMENT_PAYMENT.fullmatch(str(entry.body["memo"]))
    return (paid.group(1), paid.group(2)) if paid else None


def leaderboard(*, session: Session, store: LedgerStore) -> list[LeaderboardRow]:
    """Impressions and ratings from the database; earnings and stakes from the ledger."""
    ledger = store.snapshot(session)
    book = ledger.book
    earnings: dict[str, int] = {}
    for entry in ledger.entries:
        paid = _settlement_payment(entry)
        if paid is not None and paid[0] == "share":
            earnings[paid[1]] = earnings.get(paid[1], 0) + int(entry.body["amount"])
    impressions = dict(
        session.exec(
            select(Impression.model_id, func.count()).group_by(col(Impression.model_id))
        ).all()
    )
    ratings = {
        model_id: (count, liked or 0, disliked or 0)
        for model_id, count, liked, disliked in session.exec(
            select(
                Rating.model_id, func.count(), func.sum(Rating.liked), func.sum(Rating.disliked)
            ).group_by(col(Rating.model_id))
        ).all()
    }
    names = {d.id: d.name for d in session.exec(select(Developer)).all()}
    rows = []
    for model in session.exec(
        select(ModelVersion).where(
            col(ModelVersion.status).in_([ModelStatus.LIVE, ModelStatus.RETIRED])
        )
    ).all():
        assert model.id is not None
        name = ledger_model_id(model)
        count, liked, disliked = ratings.get(model.id, (0, 0, 0))
        rows.append(
            LeaderboardRow(
                model_id=model.id,
                name=model.name,
                version=model.version,
                developer=names.get(model.developer_id, "?"),
                impressions=impressions.get(model.id, 0),
                ratings=count,
                liked=int(liked),
                disliked=int(disliked),
                earnings=earnings.get(name, 0),
                stake=book.balance(stake_account(name)),
            )
        )
    return rows


def wallet(*, session: Session, store: LedgerStore, user: User) -> WalletPublic:
    ledger = store.snapshot(session)
    book = ledger.book
    account = user_account(user.id)
    epoch = current_epoch(ledger)
    attention = 0
    payouts: dict[str, int] = {}
    budget_prefix = f"budget:{user.id}:"
    for entry in ledger.entries:
        if entry.kind != "transfer":
            continue
        memo = str(entry.body["memo"])
        if entry.body["to"] == account and memo.startswith(ATTENTION_MEMO):
            attention += int(entry.body["amount"])
        # A budget pays each model its share and the market's fee on it: both count.
        paid = _settlement_payment(entry)
        if paid is not None and str(entry.body["from"]).startswith(budget_prefix):
            payouts[paid[1]] = payouts.get(paid[1], 0) + int(entry.body["amount"])
    return WalletPublic(
        account=user.id,
        balance=book.balance(account),
        epoch=epoch,
        budget=book.balance(budget_account(user.id, epoch)),
        attention_earned=attention,
        payouts=payouts,
    )
