"""The app's local SQLite store (SQLModel): activity, opt-in flags, impressions, votes, the
rating outbox, the data-use log and settings. It never leaves the device."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Column, Engine, Text, event, func
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel, col, create_engine, delete, select

from client_app.ranking import Reputation
from recommenders.activity import ActivityEvent, Category, parse_category

Vote = Literal["like", "dislike"]
VOTES: tuple[Vote, ...] = ("like", "dislike")
# SQLite allows at most 999 bound parameters per statement on old builds.
_CHUNK = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back naive; every one stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class StoreError(ValueError):
    """A request the local store refuses (unknown event, impression already sent, ...)."""


# --- tables ------------------------------------------------------------------------------------


class LocalTable(SQLModel, registry=registry()):
    """Base of the local tables: their own metadata, apart from the market server's."""


class EventRow(LocalTable, table=True):
    __tablename__ = "activity_event"
    id: int | None = Field(default=None, primary_key=True)
    # A hash of the event's fields: importing the same file twice adds nothing.
    fingerprint: str = Field(max_length=64, unique=True)
    category: str = Field(max_length=16, index=True)
    source: str
    title: str
    external_id: str | None = None
    time: datetime
    weight: float
    origin: str = Field(max_length=64, description="the importer key, or 'manual'")
    added_at: datetime


class ConsentRow(LocalTable, table=True):
    __tablename__ = "category_consent"
    category: str = Field(primary_key=True, max_length=16)
    opted_in: bool = False
    changed_at: datetime


class SettingRow(LocalTable, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str


class ImpressionRow(LocalTable, table=True):
    __tablename__ = "impression"
    impression_id: str = Field(primary_key=True, max_length=32)
    market_url: str
    model_id: int
    model_key: str = Field(index=True, description="developer/name: reputation outlives versions")
    model_label: str
    epoch: int
    items_json: str = Field(description="item ids shown, best first")
    created_at: datetime
    submitted_at: datetime | None = None
    delivered_at: datetime | None = None
    attention_paid: int | None = None
    failure: str | None = None


class VoteRow(LocalTable, table=True):
    __tablename__ = "vote"
    impression_id: str = Field(primary_key=True, max_length=32)
    item_id: str = Field(primary_key=True, max_length=128)
    model_key: str = Field(index=True)
    vote: str = Field(max_length=8)
    at: datetime


class OutboxRow(LocalTable, table=True):
    """A rating summary waiting to be delivered; deleted once the market acknowledged it."""

    __tablename__ = "rating_outbox"
    impression_id: str = Field(primary_key=True, max_length=32)
    payload: str
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = None


class DataUseRow(LocalTable, table=True):
    __tablename__ = "data_use"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    market_url: str
    model_label: str
    categories: str = Field(description="comma-separated categories encrypted into the query")
    query_bytes: int
    response_bytes: int
    impression_id: str = Field(index=True, max_length=32)
    paid_to_you: int | None = None


class LedgerCheckRow(LocalTable, table=True):
    """A market's ledger as last verified on this device: the replay state it reached (a
    checkpoint) and the signed heads seen, so the next check reads only newer entries and a
    market that rewrites what it signed is caught."""

    __tablename__ = "ledger_check"
    market_url: str = Field(primary_key=True)
    market_key: str = Field(max_length=64)
    checkpoint: str = Field(sa_column=Column(Text, nullable=False))
    heads: str = Field(description="JSON list of the signed heads seen, oldest first")
    updated_at: datetime


# --- plain results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedLedger:
    """What the last ledger check on this device verified (see LedgerCheckRow)."""

    market_key: str
    checkpoint: str
    heads: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class StoredEvent:
    id: int
    event: ActivityEvent
    origin: str


@dataclass(frozen=True)
class CategoryState:
    category: Category
    opted_in: bool
    events: int


@dataclass(frozen=True)
class AddResult:
    added: int
    duplicates: int


@dataclass(frozen=True)
class DataUse:
    at: datetime
    market_url: str
    model_label: str
    categories: tuple[str, ...]
    query_bytes: int
    response_bytes: int
    impression_id: str
    paid_to_you: int | None


@dataclass(frozen=True)
class PendingRating:
    impression_id: str
    payload: dict[str, Any]
    attempts: int
    next_attempt_at: datetime
    last_error: str | None


def fingerprint(event: ActivityEvent) -> str:
    fields = [
        event.category.value,
        event.source,
        event.title,
        event.external_id,
        event.time.isoformat(),
        repr(event.weight),
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


def _to_event(row: EventRow) -> StoredEvent:
    assert row.id is not None
    event = ActivityEvent(
        category=parse_category(row.category),
        source=row.source,
        title=row.title,
        external_id=row.external_id,
        time=_aware(row.time),
        weight=row.weight,
    )
    return StoredEvent(id=row.id, event=event, origin=row.origin)


class LocalStore:
    """One SQLite file, created owner-only. Safe to share between the UI and a worker thread:
    every method opens its own short session."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.engine: Engine = create_engine(
            f"sqlite:///{self.path}", connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        LocalTable.metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    # --- settings ---------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._session() as session:
            row = session.get(SettingRow, key)
            return default if row is None else json.loads(row.value)

    def set_setting(self, key: str, value: Any) -> None:
        with self._session() as session:
            session.merge(SettingRow(key=key, value=json.dumps(value)))
            session.commit()

    # --- the verified ledger ----------------------------------------------------------------

    def verified_ledger(self, market_url: str) -> VerifiedLedger | None:
        with self._session() as session:
            row = session.get(LedgerCheckRow, market_url)
            if row is None:
                return None
            heads = json.loads(row.heads)
            return VerifiedLedger(row.market_key, row.checkpoint, tuple(heads))

    def save_verified_ledger(self, market_url: str, verified: VerifiedLedger) -> None:
        with self._session() as session:
            session.merge(
                LedgerCheckRow(
                    market_url=market_url,
                    market_key=verified.market_key,
                    checkpoint=verified.checkpoint,
                    heads=json.dumps(list(verified.heads)),
                    updated_at=utcnow(),
                )
            )
            session.commit()

    # --- consent ----------------------------------------------------------------------------

    def opted_in(self) -> frozenset[Category]:
        with self._session() as session:
            rows = session.exec(select(ConsentRow).where(col(ConsentRow.opted_in))).all()
            return frozenset(parse_category(row.category) for row in rows)

    def set_opt_in(self, category: Category | str, opted_in: bool) -> None:
        category = parse_category(category)
        with self._session() as session:
            session.merge(
                ConsentRow(category=category.value, opted_in=bool(opted_in), changed_at=utcnow())
            )
            session.commit()

    def categories(self) -> list[CategoryState]:
        """Every category, opted in or not (off unless the user switched it on)."""
        allowed = self.opted_in()
        with self._session() as session:
            counts = dict(
                session.exec(
                    select(EventRow.category, func.count()).group_by(EventRow.category)
                ).all()
            )
        return [CategoryState(c, c in allowed, int(counts.get(c.value, 0))) for c in Category]

    # --- activity ---------------------------------------------------------------------------

    def add_events(self, events: Iterable[ActivityEvent], origin: str) -> AddResult:
        """Add events in one transaction (all or none); ones already stored are skipped."""
        batch: dict[str, ActivityEvent] = {}
        for item in events:
            if not isinstance(item, ActivityEvent):
                raise StoreError(f"not an activity event: {type(item).__name__}")
            batch.setdefault(fingerprint(item), item)
        now = utcnow()
        with self._session() as session:
            existing: set[str] = set()
            keys = list(batch)
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                existing.update(
                    session.exec(
                        select(EventRow.fingerprint).where(col(EventRow.fingerprint).in_(chunk))
                    ).all()
                )
            new = [(key, item) for key, item in batch.items() if key not in existing]
            session.add_all(
                EventRow(
                    fingerprint=key,
                    category=item.category.value,
                    source=item.source,
                    title=item.title,
                    external_id=item.external_id,
                    time=item.time,
                    weight=item.weight,
                    origin=origin,
                    added_at=now,
                )
                for key, item in new
            )
            session.commit()
        return AddResult(added=len(new), duplicates=len(batch) - len(new))

    def remove_event(self, event_id: int) -> ActivityEvent:
        with self._session() as session:
            row = session.get(EventRow, event_id)
            if row is None:
                raise StoreError(f"no activity with id {event_id}")
            removed = _to_event(row).event
            session.delete(row)
            session.commit()
            return removed

    def events(
        self, categories: Iterable[Category | str], *, limit: int | None = None
    ) -> list[StoredEvent]:
        """The events of exactly these categories, newest first. Callers pass only categories
        they may read: the query never touches the others."""
        names = sorted({parse_category(c).value for c in categories})
        if not names:
            return []
        with self._session() as session:
            query = (
                select(EventRow)
                .where(col(EventRow.category).in_(names))
                .order_by(col(EventRow.time).desc(), col(EventRow.id).desc())
            )
            if limit is not None:
                query = query.limit(limit)
            return [_to_event(row) for row in session.exec(query).all()]

    def forget_category(self, category: Category | str) -> list[str]:
        """Delete a category's events and opt it out; returns the forgotten titles, so cached
        features (their embeddings) can be deleted too."""
        category = parse_category(category)
        with self._session() as session:
            titles = session.exec(
                select(EventRow.title).where(EventRow.category == category.value)
            ).all()
            session.exec(delete(EventRow).where(col(EventRow.category) == category.value))
            session.merge(ConsentRow(category=category.value, opted_in=False, changed_at=utcnow()))
            session.commit()
        return sorted(set(titles))

    # --- impressions, votes and the outbox --------------------------------------------------

    def add_impression(
        self,
        *,
        impression_id: str,
        market_url: str,
        model_id: int,
        model_key: str,
        model_label: str,
        epoch: int,
        item_ids: Sequence[str],
        use: DataUse,
    ) -> None:
        """An impression and its data-use entry, written together."""
        with self._session() as session:
            session.add(
                ImpressionRow(
                    impression_id=impression_id,
                    market_url=market_url,
                    model_id=model_id,
                    model_key=model_key,
                    model_label=model_label,
                    epoch=epoch,
                    items_json=json.dumps(list(item_ids)),
                    created_at=utcnow(),
                )
            )
            session.add(
                DataUseRow(
                    at=use.at,
                    market_url=use.market_url,
                    model_label=use.model_label,
                    categories=",".join(use.categories),
                    query_bytes=use.query_bytes,
                    response_bytes=use.response_bytes,
                    impression_id=use.impression_id,
                    paid_to_you=use.paid_to_you,
                )
            )
            session.commit()

    def impression(self, impression_id: str) -> ImpressionRow:
        with self._session() as session:
            row = session.get(ImpressionRow, impression_id)
            if row is None:
                raise StoreError(f"no impression {impression_id!r}")
            return row

    def set_vote(self, impression_id: str, item_id: str, vote: Vote | None) -> None:
        """Like, dislike or clear one shown item, until the impression's summary is sent."""
        if vote is not None and vote not in VOTES:
            raise StoreError(f"a vote is 'like' or 'dislike', not {vote!r}")
        with self._session() as session:
            impression = session.get(ImpressionRow, impression_id)
            if impression is None:
                raise StoreError(f"no impression {impression_id!r}")
            if item_id not in json.loads(impression.items_json):
                raise StoreError(f"item {item_id!r} was not shown in this impression")
            if impression.submitted_at is not None:
                raise StoreError("the ratings of this list were already sent")
            existing = session.get(VoteRow, (impression_id, item_id))
            if existing is not None:
                session.delete(existing)
            if vote is not None:
                session.add(
                    VoteRow(
                        impression_id=impression_id,
                        item_id=item_id,
                        model_key=impression.model_key,
                        vote=vote,
                        at=utcnow(),
                    )
                )
            session.commit()

    def votes(self, impression_id: str) -> dict[str, Vote]:
        with self._session() as session:
            rows = session.exec(select(VoteRow).where(VoteRow.impression_id == impression_id))
            return {row.item_id: "like" if row.vote == "like" else "dislike" for row in rows}

    def queue_unsent_summaries(self, *, share_items: bool) -> int:
        """Turn every rated, unsent impression into a summary in the outbox (one transaction)."""
        now = utcnow()
        queued = 0
        with self._session() as session:
            impressions = session.exec(
                select(ImpressionRow).where(col(ImpressionRow.submitted_at).is_(None))
            ).all()
            for impression in impressions:
                votes = session.exec(
                    select(VoteRow).where(VoteRow.impression_id == impression.impression_id)
                ).all()
                if not votes:
                    continue
                liked = sum(v.vote == "like" for v in votes)
                payload: dict[str, Any] = {
                    "impression_id": impression.impression_id,
                    "shown": len(json.loads(impression.items_json)),
                    "liked": liked,
                    "disliked": len(votes) - liked,
                    # Rules 2 asks each model's contribution to the blended list; until the app
                    # computes it (client_app/ranking.py), 0 claims none, which is always valid.
                    "contribution": 0,
                }
                if share_items:
                    payload["items"] = [
                        {"item_id": v.item_id, "vote": v.vote}
                        for v in sorted(votes, key=lambda v: v.item_id)
                    ]
                impression.submitted_at = now
                session.add(impression)
                session.add(
                    OutboxRow(
                        impression_id=impression.impression_id,
                        payload=json.dumps(payload),
                        next_attempt_at=now,
                    )
                )
                queued += 1
            session.commit()
        return queued

    def pending_ratings(self, *, due_only: bool = False) -> list[PendingRating]:
        with self._session() as session:
            query = select(OutboxRow).order_by(col(OutboxRow.next_attempt_at))
            if due_only:
                query = query.where(col(OutboxRow.next_attempt_at) <= utcnow())
            return [
                PendingRating(
                    impression_id=row.impression_id,
                    payload=json.loads(row.payload),
                    attempts=row.attempts,
                    next_attempt_at=_aware(row.next_attempt_at),
                    last_error=row.last_error,
                )
                for row in session.exec(query).all()
            ]

    def rating_delivered(self, impression_id: str, attention_paid: int | None) -> None:
        """Acknowledged by the market: leave the outbox, and record what it paid."""
        with self._session() as session:
            self._close_outbox(session, impression_id)
            impression = session.get(ImpressionRow, impression_id)
            if impression is not None:
                impression.delivered_at = utcnow()
                impression.attention_paid = attention_paid
                session.add(impression)
            uses = session.exec(select(DataUseRow).where(DataUseRow.impression_id == impression_id))
            for use in uses:
                use.paid_to_you = attention_paid
                session.add(use)
            session.commit()

    def rating_refused(self, impression_id: str, reason: str) -> None:
        """The market refused it for good (e.g. the rating window closed): stop retrying."""
        with self._session() as session:
            self._close_outbox(session, impression_id)
            impression = session.get(ImpressionRow, impression_id)
            if impression is not None:
                impression.failure = reason[:500]
                session.add(impression)
            session.commit()

    @staticmethod
    def _close_outbox(session: Session, impression_id: str) -> None:
        row = session.get(OutboxRow, impression_id)
        if row is not None:
            session.delete(row)

    def rating_postponed(self, impression_id: str, error: str, delay: timedelta) -> None:
        with self._session() as session:
            row = session.get(OutboxRow, impression_id)
            if row is None:
                return
            row.attempts += 1
            row.last_error = error[:500]
            row.next_attempt_at = utcnow() + delay
            session.add(row)
            session.commit()

    def reputations(self) -> dict[str, Reputation]:
        """Per model (developer/name), from this user's own likes and dislikes."""
        with self._session() as session:
            rows = session.exec(
                select(VoteRow.model_key, VoteRow.vote, func.count()).group_by(
                    VoteRow.model_key, VoteRow.vote
                )
            ).all()
        counts: dict[str, dict[str, int]] = {}
        for key, vote, count in rows:
            counts.setdefault(key, {})[vote] = int(count)
        return {
            key: Reputation(likes=c.get("like", 0), dislikes=c.get("dislike", 0))
            for key, c in counts.items()
        }

    def data_use(self, limit: int = 500) -> list[DataUse]:
        with self._session() as session:
            rows = session.exec(
                select(DataUseRow).order_by(col(DataUseRow.at).desc()).limit(limit)
            ).all()
        return [
            DataUse(
                at=_aware(row.at),
                market_url=row.market_url,
                model_label=row.model_label,
                categories=tuple(c for c in row.categories.split(",") if c),
                query_bytes=row.query_bytes,
                response_bytes=row.response_bytes,
                impression_id=row.impression_id,
                paid_to_you=row.paid_to_you,
            )
            for row in rows
        ]


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
