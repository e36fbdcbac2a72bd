"""Database writes, in keyword-only typed functions: the one place routes change state."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select, update

from crypto import EvaluationKeys
from ledger.economy import (
    Body,
    budget_account,
    dev_account,
    escrow_account,
    parse_time,
    stake_account,
    user_account,
)
from ledger.entries import Entry
from ledger.replay import Ledger
from ledger.rules import attention_cap_left
from market_server.bundles import ITEM_CHUNK_BYTES, PublicParts, stored_catalog_texts
from market_server.core.security import hash_api_key, new_api_key
from market_server.history import EpochFigures, EpochHistory
from market_server.ledger_store import LedgerStore, current_epoch
from market_server.models import (
    BundleBlob,
    Developer,
    EvaluationKeySet,
    Impression,
    ItemChunk,
    LeaderboardRow,
    ModelStatus,
    ModelVersion,
    PayoutLinePublic,
    Rating,
    RatingPublic,
    SettlementPublic,
    User,
    VoteChangePublic,
    WalletPublic,
    utcnow,
)
from recommenders.bundle import Float32Array, Manifest


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
    """This name and version are live, retired or being validated: a version is never replaced
    (only a rejected one may be deployed again)."""


class TooManyPending(Exception):
    """The developer already has as many deployments being validated as allowed."""


class OverQuota(Exception):
    """The model would take the developer past their quota of item-table cells."""


# A deployment still being validated: it holds its stake and its developer's one pending place.
IN_VALIDATION = (ModelStatus.PENDING, ModelStatus.VALIDATING)


def check_pending(*, session: Session, developer: Developer, max_pending: int) -> None:
    """Raise TooManyPending if the developer has ``max_pending`` deployments being validated."""
    pending = session.exec(
        select(func.count()).where(
            ModelVersion.developer_id == developer.id,
            col(ModelVersion.status).in_(IN_VALIDATION),
        )
    ).one()
    if pending >= max_pending:
        raise TooManyPending(
            f"{pending} of your deployments are still being validated (at most {max_pending}): "
            "wait until they go live or are rejected"
        )


def expire_deployments(
    *, session: Session, store: LedgerStore, developer: Developer, timeout_s: int
) -> int:
    """Reject the developer's deployments pending or validating for longer than ``timeout_s``
    (a server restarted mid-validation never finishes them), returning their stakes; so a lost
    deployment neither holds the stake nor blocks the next one. How many were expired."""
    started_before = utcnow() - timedelta(seconds=timeout_s)
    stale = session.exec(
        select(ModelVersion).where(
            ModelVersion.developer_id == developer.id,
            col(ModelVersion.status).in_(IN_VALIDATION),
            col(ModelVersion.created_at) < started_before,
        )
    ).all()
    for model in stale:
        report = {"deployment": "expired", "error": f"not validated within {timeout_s} s"}
        reject_model(session=session, store=store, model=model, diagnostics=json.dumps(report))
    return len(stale)


def check_deployable(
    *,
    session: Session,
    developer: Developer,
    manifest: Manifest,
    max_pending: int,
    max_cells: int,
) -> ModelVersion | None:
    """Whether the developer may deploy this name and version now: the rejected version it
    replaces, or None. Raises NotYours, AlreadyDeployed, TooManyPending or OverQuota."""
    owner = session.exec(
        select(ModelVersion.developer_id).where(ModelVersion.name == manifest.name)
    ).first()
    if owner is not None and owner != developer.id:
        raise NotYours(f"model {manifest.name!r} belongs to another developer")
    previous = session.exec(
        select(ModelVersion).where(
            ModelVersion.name == manifest.name, ModelVersion.version == manifest.version
        )
    ).first()
    if previous is not None and previous.status != ModelStatus.REJECTED:
        raise AlreadyDeployed(
            f"{manifest.name} {manifest.version} is already deployed ({previous.status.value}): "
            "a version is never replaced, deploy a new one"
        )
    check_pending(session=session, developer=developer, max_pending=max_pending)
    held = session.exec(
        select(func.sum(col(ModelVersion.items) * col(ModelVersion.dim))).where(
            ModelVersion.developer_id == developer.id,
            col(ModelVersion.status).in_([*IN_VALIDATION, ModelStatus.LIVE]),
        )
    ).one()
    cells = manifest.items * manifest.dim
    if int(held or 0) + cells > max_cells:
        raise OverQuota(
            f"{manifest.items} x {manifest.dim} = {cells} cells would take your live and pending "
            f"models past your quota of {max_cells} cells (retire a model first)"
        )
    return previous


def create_model_version(
    *,
    session: Session,
    store: LedgerStore,
    developer: Developer,
    manifest: Manifest,
    stake: int,
    bid: int,
    escrow: int = 0,
    max_pending: int,
    max_cells: int,
) -> ModelVersion:
    """A pending model version from a validated manifest, registered in the ledger (developer,
    bid) with its stake (and ``escrow`` credits of attention escrow) escrowed, in one commit:
    before the rest of its bundle is unpacked. A rejected earlier attempt at the same version
    is replaced. Raises what check_deployable raises, or LedgerError (a balance too low)."""
    assert developer.id is not None
    developer_id = developer.id
    model = ModelVersion(
        name=manifest.name,
        version=manifest.version,
        developer_id=developer_id,
        stake=stake,
        bid=bid,
    )
    name = ledger_model_id(model)

    def change(ledger: Ledger, time: str) -> list[Entry]:
        nonlocal model
        # Checked again under the ledger's lock: a concurrent deployment may have come first.
        previous = check_deployable(
            session=session,
            developer=developer,
            manifest=manifest,
            max_pending=max_pending,
            max_cells=max_cells,
        )
        model = previous or model
        model.status = ModelStatus.PENDING
        model.description = manifest.description
        model.categories = ",".join(sorted(manifest.categories))
        model.dim, model.items = manifest.dim, manifest.items
        model.stake, model.bid = stake, bid
        model.diagnostics = ""
        model.created_at, model.live_at = utcnow(), None
        session.add(model)
        session.flush()
        epoch = current_epoch(ledger)
        registered: Body = {"model": name, "developer": developer.name, "bid": bid}
        staked: Body = {
            "from": dev_account(developer.name),
            "to": stake_account(name),
            "amount": stake,
            "memo": "stake",
        }
        entries = [
            ledger.append("model", registered, epoch=epoch, time=time),
            ledger.append("transfer", staked, epoch=epoch, time=time),
        ]
        if escrow:
            body = _escrow_body(developer.name, name, escrow)
            entries.append(ledger.append("transfer", body, epoch=epoch, time=time))
        return entries

    store.change(session, change)
    return model


def store_bundle(
    *, session: Session, model: ModelVersion, parts: PublicParts, items: Float32Array
) -> None:
    """Keep a pending model's validated bundle: the public parts clients download, and its
    item table in chunks, each written and let go before the next (no second copy of a big
    table is held), in one commit."""
    assert model.id is not None
    session.add(
        BundleBlob(
            model_id=model.id,
            bundle=b"",
            manifest=parts.manifest,
            tower=parts.tower,
            catalog=parts.catalog,
        )
    )
    rows = max(1, ITEM_CHUNK_BYTES // (4 * items.shape[1]))
    for seq, start in enumerate(range(0, items.shape[0], rows)):
        chunk = ItemChunk(
            model_id=model.id,
            seq=seq,
            data=np.ascontiguousarray(items[start : start + rows], dtype="<f4").tobytes(),
        )
        session.add(chunk)
        session.flush()
        session.expunge(chunk)
    session.commit()


class KeyQuotaFull(Exception):
    """The account already stores its quota of evaluation-key sets."""


def store_evaluation_keys(
    *, session: Session, user: User, data: bytes, keys: EvaluationKeys, max_sets: int
) -> tuple[EvaluationKeySet, bool]:
    """The user's record of these keys, and whether it is new: the same bytes uploaded again
    give the existing record. Raises KeyQuotaFull when ``max_sets`` are stored already."""
    digest = hashlib.sha256(data).hexdigest()
    existing = _key_set_by_digest(session, user, digest)
    if existing is not None:
        return existing, False
    # A no-op write takes the user's row lock (PostgreSQL) or the write lock (SQLite) before
    # counting, so concurrent uploads cannot both take the last place.
    session.exec(
        update(User).where(col(User.id) == user.id).values(created_at=col(User.created_at))
    )
    stored = session.exec(
        select(func.count())
        .select_from(EvaluationKeySet)
        .where(col(EvaluationKeySet.user_id) == user.id)
    ).one()
    if stored >= max_sets:
        session.rollback()
        raise KeyQuotaFull(stored)
    record = EvaluationKeySet(
        id=secrets.token_hex(16),
        user_id=user.id,
        profile=keys.profile.name,
        digest=digest,
        size=len(data),
        data=data,
    )
    session.add(record)
    try:
        session.commit()
    except IntegrityError:  # the same set, uploaded concurrently, was stored first
        session.rollback()
        existing = _key_set_by_digest(session, user, digest)
        if existing is None:
            raise
        return existing, False
    session.refresh(record)
    return record, True


def _key_set_by_digest(session: Session, user: User, digest: str) -> EvaluationKeySet | None:
    return session.exec(
        select(EvaluationKeySet).where(
            col(EvaluationKeySet.user_id) == user.id, col(EvaluationKeySet.digest) == digest
        )
    ).first()


def delete_evaluation_keys(*, session: Session, user: User, key_id: str) -> bool:
    """Delete one of the user's key sets; False if the user has none with this id."""
    record = session.get(EvaluationKeySet, key_id)
    if record is None or record.user_id != user.id:
        return False
    session.delete(record)
    session.commit()
    return True


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


def publish_model(*, session: Session, model: ModelVersion, diagnostics: str) -> None:
    """Put a probed model live with its probe report (its stake was escrowed when it was
    deployed), unless it was expired meanwhile."""
    session.refresh(model)
    if model.status != ModelStatus.VALIDATING:
        return
    model.diagnostics = diagnostics
    model.status = ModelStatus.LIVE
    model.live_at = utcnow()
    session.add(model)
    session.commit()


STAKE_RETURNED_MEMO = "stake returned: the model was rejected"
ESCROW_RETURNED_MEMO = "attention escrow returned: the model was rejected"
STAKE_RELEASED_MEMO = "stake returned: the model was retired before it was shown"
ESCROW_RELEASED_MEMO = "attention escrow returned: the model was retired before it was shown"


def _return_unshown(
    ledger: Ledger, *, model: str, developer: str, memos: tuple[str, str], time: str
) -> list[Entry]:
    """Give a model that was never shown its stake and escrow back at once (free transfers:
    nothing it did can have earned a burn)."""
    entries = []
    for account, memo in zip((stake_account(model), escrow_account(model)), memos, strict=True):
        held = ledger.book.balance(account)
        if held:
            body: Body = {
                "from": account,
                "to": dev_account(developer),
                "amount": held,
                "memo": memo,
            }
            entries.append(ledger.append("transfer", body, epoch=current_epoch(ledger), time=time))
    return entries


def reject_model(
    *, session: Session, store: LedgerStore, model: ModelVersion, diagnostics: str
) -> None:
    """Mark a model rejected with its diagnostics, drop its stored bundle (the diagnostics say
    why; the bytes are not kept) and return its stake and escrow to its developer, in one
    commit; a model its developer retired meanwhile stays retired."""
    developer = session.get(Developer, model.developer_id)
    assert developer is not None and model.id is not None

    def change(ledger: Ledger, time: str) -> list[Entry]:
        session.refresh(model)
        if model.status == ModelStatus.RETIRED:  # retired while validating: already returned
            return []
        model.status = ModelStatus.REJECTED
        model.diagnostics = diagnostics
        session.add(model)
        blob = session.get(BundleBlob, model.id)
        if blob is not None:
            session.delete(blob)
        session.exec(delete(ItemChunk).where(col(ItemChunk.model_id) == model.id))
        return _return_unshown(
            ledger,
            model=ledger_model_id(model),
            developer=developer.name,
            memos=(STAKE_RETURNED_MEMO, ESCROW_RETURNED_MEMO),
            time=time,
        )

    store.change(session, change)


ESCROW_MEMO = "attention escrow"


def _escrow_body(developer: str, model: str, amount: int) -> Body:
    return {
        "from": dev_account(developer),
        "to": escrow_account(model),
        "amount": amount,
        "memo": ESCROW_MEMO,
    }


class NotEscrowable(Exception):
    """The model no longer takes attention escrow (retired or rejected)."""


def fund_escrow(
    *, session: Session, store: LedgerStore, developer: Developer, model: ModelVersion, amount: int
) -> int:
    """Move ``amount`` credits from the developer's balance into the model's attention escrow
    (which pays its bid); the escrow's new balance. Raises NotEscrowable, or LedgerError (a
    balance too low)."""
    name = ledger_model_id(model)

    def change(ledger: Ledger, time: str) -> list[Entry]:
        session.refresh(model)  # under the ledger's lock: a retirement may have come first
        if model.status in (ModelStatus.RETIRED, ModelStatus.REJECTED):
            raise NotEscrowable(
                f"model {model.id} is {model.status.value}: its escrow is returned, not funded"
            )
        body = _escrow_body(developer.name, name, amount)
        return [ledger.append("transfer", body, epoch=current_epoch(ledger), time=time)]

    store.change(session, change)
    return store.snapshot(session).book.balance(escrow_account(name))


def bid_not_backed(model: ModelVersion, ledger: Ledger) -> str | None:
    """Why a model may not be shown for its bid now (its escrow holds less than one bid), or
    None when it may: an unbacked bid is neither listed nor asked. Rules 1 pay bids from the
    developer's balance, not an escrow: there every bid may be shown."""
    if ledger.open_rules.rules < 2:
        return None
    held = ledger.book.balance(escrow_account(ledger_model_id(model)))
    if held >= model.bid:
        return None
    return (
        f"model {model.id} bids {model.bid} credits per rated list but its attention escrow "
        f"holds {held}: it is not listed until its developer tops the escrow up "
        f"(POST /v1/models/{model.id}/escrow)"
    )


class NotRetirable(Exception):
    """The model is already retired, or was rejected (its stake already returned)."""


@dataclass(frozen=True)
class Retirement:
    shown: bool  # whether the model was ever shown (else its stake and escrow came back)
    returned: int = 0  # stake and escrow credits returned at once (a model never shown)
    release_epoch: int | None = None  # the epoch whose settlement releases them (rules 2)


def retire_model(
    *, session: Session, store: LedgerStore, developer: Developer, model: ModelVersion
) -> Retirement:
    """Retire a model in the ledger (no more impressions). A model never shown gets its stake
    and escrow back at once; a shown one keeps them at stake until the settlement of the epoch
    ``cooling_off_epochs`` after this one (its stake can still burn until then)."""
    name = ledger_model_id(model)
    outcome = Retirement(shown=False)

    def change(ledger: Ledger, time: str) -> list[Entry]:
        nonlocal outcome
        session.refresh(model)  # under the ledger's lock: one retirement, no impression races
        if model.status in (ModelStatus.RETIRED, ModelStatus.REJECTED):
            raise NotRetirable(f"model {model.id} is already {model.status.value}")
        model.status = ModelStatus.RETIRED
        session.add(model)
        epoch = current_epoch(ledger)
        retired: Body = {"model": name, "developer": developer.name}
        entries = [ledger.append("retire", retired, epoch=epoch, time=time)]
        if ledger.book.was_shown(name):
            rules = store.params  # those of the settlements to come (rules 1 release nothing)
            release = epoch + rules.cooling_off_epochs if rules.rules >= 2 else None
            outcome = Retirement(shown=True, release_epoch=release)
            return entries
        returns = _return_unshown(
            ledger,
            model=name,
            developer=developer.name,
            memos=(STAKE_RELEASED_MEMO, ESCROW_RELEASED_MEMO),
            time=time,
        )
        outcome = Retirement(shown=False, returned=sum(int(e.body["amount"]) for e in returns))
        return entries + returns

    store.change(session, change)
    return outcome


class NotFunded(Exception):
    """The account has not committed enough to the open epoch's budget for this request."""


class QueryCapReached(Exception):
    """The account has asked a model as often as one epoch allows."""


class BidNotBacked(Exception):
    """A model asked for bids more than its attention escrow holds (see bid_not_backed)."""


class NoLongerLive(Exception):
    """A model asked for was retired (or rejected) while the request was being scored."""


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
    again under the ledger's lock (concurrent requests cannot overspend the allowance), and
    so are the models (still live, their bids backed). Under rules 2 each impression records
    the most items the user can be shown: min(list_length, the model's items)."""
    impressions: list[Impression] = []
    developers = {d.id: d.name for d in session.exec(select(Developer)).all()}

    def change(ledger: Ledger, time: str) -> list[Entry]:
        epoch, committed = _committed(ledger, user)
        for model in models:
            # Read afresh (the caller's copy may predate a retirement), under the ledger's lock.
            now = session.exec(select(ModelVersion.status).where(ModelVersion.id == model.id)).one()
            if now != ModelStatus.LIVE:
                raise NoLongerLive(f"model {model.id} is {ModelStatus(now).value}")
            unbacked = bid_not_backed(model, ledger)
            if unbacked is not None:
                raise BidNotBacked(unbacked)
        rules = ledger.open_rules
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
            body: Body = {
                "impression_id": impression.id,
                "user": user.id,
                "model": ledger_model_id(model),
                "developer": developers[model.developer_id],
            }
            if rules.rules >= 2:
                impression.list_length = min(rules.list_length, model.items)
                body["list"] = impression.list_length
            impressions.append(impression)
            session.add(impression)
            entries.append(ledger.append("impression", body, epoch=epoch, time=time))
        session.flush()
        return entries

    entries = store.change(session, change)
    return (entries[0].epoch if entries else 0), impressions


class ShownOverList(ValueError):
    """A rating says more items were shown than its impression's list could hold."""


def record_rating(
    *,
    session: Session,
    store: LedgerStore,
    user: User,
    impression: Impression,
    shown: int,
    liked: int,
    disliked: int,
    contribution: int,
    per_item: list[dict[str, str]] | None,
) -> RatingPublic | None:
    """Record the one rating of an impression and pay its attention bid; None if rated.
    Raises ShownOverList when ``shown`` exceeds what the impression could show."""
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
        contribution=contribution,
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

    def change(ledger: Ledger, time: str) -> list[Entry]:
        rules = ledger.open_rules
        if rules.rules >= 2:  # an epoch still under rules 1 keeps their rating body
            # An impression written under rules 1 recorded no list: the rules' bound holds.
            most = rules.list_length if impression.list_length is None else impression.list_length
            if shown > most:
                raise ShownOverList(
                    f"shown is {shown}, but this impression could show at most {most} items "
                    f"(the model's list length)"
                )
            body["contribution"] = contribution
        return ledger.record_rating(body, epoch=current_epoch(ledger), time=time)

    try:
        entries = store.change(session, change)
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
        contribution=contribution,
        per_item=per_item is not None,
        attention_paid=paid,
        created_at=rating.created_at,
        epoch=entries[0].epoch,
    )


class VoteUnchangeable(ValueError):
    """A vote change the rules refuse; ``status`` is its HTTP answer: 409 while the rules or
    the epoch no longer allow it, 429 once the rating has changed as often as they allow, 400
    for a change that is not one (same vote, or counts over what was shown)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def change_vote(
    *,
    session: Session,
    store: LedgerStore,
    rating: Rating,
    liked: int,
    disliked: int,
    contribution: int,
    per_item: list[dict[str, str]] | None,
) -> VoteChangePublic:
    """Replace the vote of ``rating`` (rules 3), while the epoch it was recorded in is open.
    Raises VoteUnchangeable; the row and the ledger change together or not at all."""
    if liked + disliked > rating.shown:
        raise VoteUnchangeable(
            f"liked + disliked is {liked + disliked}, over the {rating.shown} items shown", 400
        )
    if (per_item is None) != (rating.per_item is None):
        shared = "shared" if rating.per_item is not None else "did not share"
        raise VoteUnchangeable(
            f"this rating {shared} per-item feedback: a change keeps it so (send items "
            "exactly when the rating did)",
            400,
        )
    model = session.get(ModelVersion, rating.model_id)
    assert model is not None
    developer = session.get(Developer, model.developer_id)
    assert developer is not None
    body: Body = {
        "impression_id": rating.impression_id,
        "user": rating.user_id,
        "model": ledger_model_id(model),
        "developer": developer.name,
        "shown": rating.shown,
        "liked": liked,
        "disliked": disliked,
        "per_item": per_item is not None,
        "contribution": contribution,
    }
    epoch_and_left: list[int] = []

    def change(ledger: Ledger, time: str) -> list[Entry]:
        rules, epoch = ledger.open_rules, current_epoch(ledger)
        if rules.rules < 3:
            raise VoteUnchangeable(
                f"this market runs economy rules {rules.rules}: votes cannot change", 409
            )
        rated = ledger.book.rated_vote(epoch, rating.impression_id)
        if rated is None:
            raise VoteUnchangeable(
                "the epoch this rating was counted in has been settled: its vote can no "
                "longer change",
                409,
            )
        if rated.changes >= rules.max_vote_changes:
            raise VoteUnchangeable(
                f"this vote has already changed {rated.changes} times, the most allowed", 429
            )
        if (liked, disliked, contribution) == (rated.liked, rated.disliked, rated.contribution):
            raise VoteUnchangeable("this is the vote already counted: nothing to change", 400)
        epoch_and_left[:] = [epoch, rules.max_vote_changes - rated.changes - 1]
        return [ledger.change_vote(body, time=time)]

    rating.liked, rating.disliked, rating.contribution = liked, disliked, contribution
    rating.per_item = None if per_item is None else json.dumps(per_item)
    session.add(rating)
    store.change(session, change)
    epoch, left = epoch_and_left
    return VoteChangePublic(
        impression_id=rating.impression_id,
        epoch=epoch,
        liked=liked,
        disliked=disliked,
        contribution=contribution,
        changes_left=left,
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


def leaderboard(
    *, session: Session, store: LedgerStore, history: EpochHistory
) -> list[LeaderboardRow]:
    """Impressions and ratings from the database; funded and unfunded votes, contributions,
    earnings, stakes and escrows from the ledger's state (kept as entries apply); stake burned
    from the settled epochs' history (read once per epoch). Best contribution first: paid for
    minus voted against."""
    ledger = store.snapshot(session)
    book = ledger.book
    burned = history.totals(session, book.closed_epochs)
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
    models = session.exec(
        select(ModelVersion).where(
            col(ModelVersion.status).in_([ModelStatus.LIVE, ModelStatus.RETIRED])
        )
    ).all()
    catalogs = stored_catalog_texts(session, [m.id for m in models if m.id is not None])
    rows = []
    for model in models:
        assert model.id is not None
        name = ledger_model_id(model)
        count, liked, disliked = ratings.get(model.id, (0, 0, 0))
        votes, contribution = book.votes(name), book.contribution(name)
        rows.append(
            LeaderboardRow(
                model_id=model.id,
                name=model.name,
                version=model.version,
                developer=names.get(model.developer_id, "?"),
                status=model.status,
                categories=[c for c in model.categories.split(",") if c],
                description=model.description,
                catalog=catalogs.get(model.id, ""),
                bid=book.bids.get(name, model.bid),
                impressions=impressions.get(model.id, 0),
                ratings=count,
                liked=int(liked),
                disliked=int(disliked),
                funded_liked=votes.funded_liked,
                funded_disliked=votes.funded_disliked,
                unfunded_liked=votes.unfunded_liked,
                unfunded_disliked=votes.unfunded_disliked,
                contribution_paid_for=contribution.paid_for,
                contribution_voted_against=contribution.voted_against,
                earnings=book.earned(name),
                stake_burned=burned.get(name, EpochFigures()).stake_burned,
                stake=book.balance(stake_account(name)),
                escrow=book.balance(escrow_account(name)),
            )
        )
    return sorted(
        rows,
        key=lambda r: (
            -(r.contribution_paid_for - r.contribution_voted_against),
            -(r.funded_liked - r.funded_disliked),
            -r.impressions,
            r.model_id,
        ),
    )


def wallet(*, session: Session, store: LedgerStore, user: User) -> WalletPublic:
    """Balances, attention earned and left to earn, payouts and how the last settlement split
    the user's budget, from the ledger's state (no entry is read)."""
    ledger = store.snapshot(session)
    book = ledger.book
    epoch = ledger.open_epoch
    committed = book.committed(user.id, epoch)
    cap_left = None
    # An empty ledger (a new market) records no rules yet: the ones it will start with.
    rules = ledger.open_rules if len(ledger) else store.params
    if rules.rules >= 2:
        cap_left = attention_cap_left(book, user.id, epoch, rules)
    settled = book.last_settlement(user.id)
    return WalletPublic(
        account=user.id,
        balance=book.balance(user_account(user.id)),
        epoch=epoch,
        budget=book.balance(budget_account(user.id, epoch)),
        attention_earned=book.attention_earned(user.id),
        payouts=book.payouts(user.id),
        committed=committed,
        attention_cap_left=cap_left,
        last_settlement=None
        if settled is None
        else SettlementPublic(
            epoch=settled.epoch,
            refunded=settled.refunded,
            clawback=settled.clawback,
            lines=[
                PayoutLinePublic(
                    model=line.model,
                    contribution=line.contribution,
                    paid=line.paid,
                    fee=line.fee,
                    burned=line.burned,
                )
                for line in settled.lines
            ],
        ),
    )
