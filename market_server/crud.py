"""Database writes, in keyword-only typed functions: the one place routes change state."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from crypto import EvaluationKeys
from ledger.chain import Entry, Ledger
from ledger.economy import (
    Body,
    budget_account,
    dev_account,
    parse_time,
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


def record_impressions(
    *, session: Session, store: LedgerStore, user: User, models: list[ModelVersion]
) -> tuple[int, list[Impression]]:
    """One impression per model for this user, in the open epoch."""
    impressions: list[Impression] = []
    developers = {d.id: d.name for d in session.exec(select(Developer)).all()}

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch = current_epoch(ledger)
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


def settle(
    *,
    session: Session,
    store: LedgerStore,
    epoch: int | None = None,
    due_after_s: int | None = None,
    now: datetime | None = None,
) -> list[Entry]:
    """Settle ``epoch`` (default: the open one) and close it; [] if it was already closed. With
    ``due_after_s``, the open epoch is settled only once it is that old (at ``now``, default
    the entry time). Both are decided under the ledger's lock, so that concurrent callers
    settle an epoch once and never close the epoch that one of them has just opened."""

    def change(ledger: Ledger, time: str) -> list[Entry]:
        target = ledger.open_epoch if epoch is None else epoch
        started = ledger.epoch_started
        if due_after_s is not None and target == ledger.open_epoch and started is not None:
            moment = now if now is not None else parse_time(time)
            if (moment - started).total_seconds() < due_after_s:
                return []
        return ledger.settle_epoch(target, time=time)

    return store.change(session, change)


# --- reads that combine the database and the ledger ------------------------------------------


def leaderboard(*, session: Session, store: LedgerStore) -> list[LeaderboardRow]:
    """Impressions and ratings from the database; earnings and stakes from the ledger's state
    (kept as entries apply: nothing here reads the entries)."""
    book = store.snapshot(session).book
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
                earnings=book.earned(name),
                stake=book.balance(stake_account(name)),
            )
        )
    return rows


def wallet(*, session: Session, store: LedgerStore, user: User) -> WalletPublic:
    """Balances, attention earned and payouts from the ledger's state (no entry is read)."""
    ledger = store.snapshot(session)
    book = ledger.book
    epoch = ledger.open_epoch
    return WalletPublic(
        account=user.id,
        balance=book.balance(user_account(user.id)),
        epoch=epoch,
        budget=book.balance(budget_account(user.id, epoch)),
        attention_earned=book.attention_earned(user.id),
        payouts=book.payouts(user.id),
    )
