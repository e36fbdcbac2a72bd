"""The app's local SQLite store (SQLModel): activity, opt-in flags, rounds of lists and their
votes, the rating outbox, the data-use log and settings. It never leaves the device."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, event, func
from sqlmodel import Session, col, create_engine, delete, select

from client_app.ranking import VOTES, ItemKey, Reputation, Vote, contributions, spread_votes
from client_app.store_schema import (
    ConsentRow,
    DataUseRow,
    EventRow,
    ImpressionRow,
    LedgerCheckRow,
    LocalTable,
    OutboxRow,
    ReceiptRow,
    RoundRow,
    SettingRow,
    ShownItemRow,
    VoteRow,
    upgrade,
)
from recommenders.activity import ActivityEvent, Category, parse_category

__all__ = [
    "VOTES",
    "EventPage",
    "ImpressionRow",
    "LocalStore",
    "RoundRow",
    "ShownItem",
    "ShownList",
    "StoreError",
    "Vote",
]

# SQLite allows at most 999 bound parameters per statement on old builds.
_CHUNK = 500
# A page of activity is read at once: more would be a screenful nobody scrolls through.
MAX_PAGE = 500
# Longer than any title worth typing; a longer search is refused, not cut.
MAX_SEARCH = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands datetimes back naive; every one stored here is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class StoreError(ValueError):
    """A request the local store refuses (unknown event, impression already sent, ...)."""


# --- plain results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedLedger:
    """What the last ledger check on this device verified (see LedgerCheckRow)."""

    market_key: str
    checkpoint: str
    heads: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Receipt:
    """A verified ledger entry that moved the user's credits (see ReceiptRow)."""

    seq: int
    epoch: int
    time: str
    kind: str  # mint, transfer or burn
    source: str | None
    target: str | None
    amount: int
    memo: str


@dataclass(frozen=True)
class ShownModel:
    """What this device did with one model's lists in one epoch on one market: how many were
    shown, rated (their summaries queued), delivered or refused, and their summed
    contribution to the blended lists (recomputed from the votes)."""

    label: str  # name@version by developer
    shown: int
    rated: int
    delivered: int
    refused: int
    contribution: int


@dataclass(frozen=True)
class StoredEvent:
    id: int
    event: ActivityEvent
    origin: str


@dataclass(frozen=True)
class EventPage:
    """A page of the events that match a search, newest first, and how many match in all."""

    events: tuple[StoredEvent, ...]
    total: int
    offset: int
    limit: int


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
    change: bool = False  # a new vote for a rating the market already counted


@dataclass(frozen=True)
class HistoryList:
    """A model's list in a past round, with the user's votes on it and where its rating is."""

    impression_id: str
    model_label: str  # name@version by developer
    model_description: str  # what the model says it recommends ("" before schema 4)
    items: tuple[tuple[ShownItem, Vote | None], ...]
    status: str  # "unrated", "queued", "counted", "changing" or "refused"
    vote_changes: int
    problem: str | None  # why the market refused the rating or the last change


@dataclass(frozen=True)
class HistoryRound:
    round_id: str
    market_url: str
    created_at: datetime
    epoch: int  # the epoch its ratings were counted in (or its lists were shown in)
    submitted: bool
    lists: tuple[HistoryList, ...]


@dataclass(frozen=True)
class ShownItem:
    """An item as a list showed it: which catalog item, how the blend recognises it (see
    ranking.title_key) and whether it was shown apart as already consumed ("again")."""

    source: str
    item_id: str
    title_key: str = ""
    again: bool = False
    title: str = ""  # as the catalog named it (kept for the history; "" before schema 4)

    @property
    def key(self) -> ItemKey:
        return (self.source, self.item_id)


@dataclass(frozen=True)
class ShownList:
    """A model's list in a round as the app records it: what the blend used, and the data-use
    entry of the query that brought it. A list withheld as fitting nobody shows no items."""

    impression_id: str
    model_id: int
    model_key: str
    model_label: str
    reputation: float
    items: tuple[ShownItem, ...]  # best first, "again" items after the others
    use: DataUse
    model_description: str = ""


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
        upgrade(self.path)
        event.listen(self.engine, "connect", _sqlite_pragmas)
        LocalTable.metadata.create_all(self.engine)
        # create_all skips the tables that exist: a store made by an older version gets the
        # indexes added since here (CREATE INDEX IF NOT EXISTS).
        for table in LocalTable.metadata.sorted_tables:
            for index in table.indexes:
                index.create(self.engine, checkfirst=True)

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

    def save_receipts(self, market_url: str, market_key: str, receipts: Iterable[Receipt]) -> None:
        """Keep verified entries that moved the user's credits (one row per entry: saving one
        again changes nothing); those of another key for this market are dropped."""
        with self._session() as session:
            session.execute(
                delete(ReceiptRow)
                .where(col(ReceiptRow.market_url) == market_url)
                .where(col(ReceiptRow.market_key) != market_key)
            )
            for receipt in receipts:
                session.merge(
                    ReceiptRow(market_url=market_url, market_key=market_key, **asdict(receipt))
                )
            session.commit()

    def receipts(self, market_url: str, market_key: str) -> list[Receipt]:
        """The user's receipts from this market's ledger, oldest first."""
        with self._session() as session:
            rows = session.exec(
                select(ReceiptRow)
                .where(col(ReceiptRow.market_url) == market_url)
                .where(col(ReceiptRow.market_key) == market_key)
                .order_by(col(ReceiptRow.seq))
            ).all()
            return [
                Receipt(r.seq, r.epoch, r.time, r.kind, r.source, r.target, r.amount, r.memo)
                for r in rows
            ]

    def shown_models(self, market_url: str, epoch: int) -> list[ShownModel]:
        """Each model whose lists this device was shown in ``epoch`` on ``market_url``, by
        label: what became of them (the wallet says why a model was paid nothing)."""
        found: dict[str, list[int]] = {}
        with self._session() as session:
            rounds = session.exec(
                select(RoundRow)
                .where(RoundRow.market_url == market_url)
                .where(RoundRow.epoch == epoch)
            ).all()
            for _round, lists, _said, contributed in _weighed(session, rounds):
                for impression, _items in lists:
                    counts = found.setdefault(impression.model_label, [0, 0, 0, 0, 0])
                    counts[0] += 1
                    if impression.submitted_at is not None:
                        counts[1] += 1
                        counts[4] += contributed[impression.impression_id]
                    counts[2] += impression.delivered_at is not None
                    counts[3] += impression.failure is not None
        return [ShownModel(label, *counts) for label, counts in sorted(found.items())]

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
                    title_folded=item.title.casefold(),
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

    def event_page(
        self,
        categories: Iterable[Category | str],
        *,
        search: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> EventPage:
        """The events of these categories whose title contains ``search`` (taken literally,
        whatever its case: no wildcards), newest first, from ``offset``: at most ``limit``."""
        if not isinstance(search, str) or len(search) > MAX_SEARCH:
            raise StoreError(f"a search is text of at most {MAX_SEARCH} characters")
        if not _is_count(offset):
            raise StoreError(f"a page starts at a whole number from 0, not {offset!r}")
        if not _is_count(limit) or not 1 <= limit <= MAX_PAGE:
            raise StoreError(f"a page holds 1 to {MAX_PAGE} activities, not {limit!r}")
        names = sorted({parse_category(c).value for c in categories})
        condition: ColumnElement[bool] = col(EventRow.category).in_(names)
        needle = search.strip().casefold()
        if needle:  # instr, not LIKE: no character of the search is a wildcard
            condition = and_(condition, func.instr(EventRow.title_folded, needle) > 0)
        newest_first = (col(EventRow.time).desc(), col(EventRow.id).desc())
        with self._session() as session:
            total = session.exec(select(func.count()).select_from(EventRow).where(condition)).one()
            # The page's ids first: skipping ``offset`` rows then walks the index alone.
            ids = select(EventRow.id).where(condition).order_by(*newest_first)
            rows = session.exec(
                select(EventRow)
                .where(col(EventRow.id).in_(ids.offset(offset).limit(limit)))
                .order_by(*newest_first)
            ).all()
        return EventPage(tuple(_to_event(row) for row in rows), int(total), offset, limit)

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

    def add_round(
        self,
        *,
        round_id: str,
        market_url: str,
        epoch: int,
        blended_length: int,
        lists: Sequence[ShownList],
    ) -> None:
        """A round: its lists in the order they were blended, each with its data-use entry,
        written together."""
        now = utcnow()
        with self._session() as session:
            session.add(
                RoundRow(
                    round_id=round_id,
                    market_url=market_url,
                    epoch=epoch,
                    blended_length=blended_length,
                    created_at=now,
                )
            )
            for position, shown in enumerate(lists):
                session.add(
                    ImpressionRow(
                        impression_id=shown.impression_id,
                        round_id=round_id,
                        position=position,
                        reputation=shown.reputation,
                        market_url=market_url,
                        model_id=shown.model_id,
                        model_key=shown.model_key,
                        model_label=shown.model_label,
                        model_description=shown.model_description,
                        epoch=epoch,
                        created_at=now,
                    )
                )
                session.add_all(
                    ShownItemRow(
                        impression_id=shown.impression_id,
                        rank=rank,
                        source=item.source,
                        item_id=item.item_id,
                        title_key=item.title_key,
                        again=item.again,
                        title=item.title,
                    )
                    for rank, item in enumerate(shown.items)
                )
                use = shown.use
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

    def round(self, round_id: str) -> RoundRow:
        with self._session() as session:
            row = session.get(RoundRow, round_id)
            if row is None:
                raise StoreError(f"no round {round_id!r}")
            return row

    def impression(self, impression_id: str) -> ImpressionRow:
        with self._session() as session:
            row = session.get(ImpressionRow, impression_id)
            if row is None:
                raise StoreError(f"no impression {impression_id!r}")
            return row

    def shown_item(self, impression_id: str, item_id: str) -> tuple[str, ItemKey]:
        """The round and the (source, item id) of an item of a model's list."""
        with self._session() as session:
            impression = session.get(ImpressionRow, impression_id)
            if impression is None:
                raise StoreError(f"no impression {impression_id!r}")
            source = session.exec(
                select(ShownItemRow.source).where(
                    ShownItemRow.impression_id == impression_id, ShownItemRow.item_id == item_id
                )
            ).first()
            if source is None:
                raise StoreError(f"item {item_id!r} was not shown in this list")
            return impression.round_id, (source, item_id)

    def set_vote(self, round_id: str, key: ItemKey, vote: Vote | None) -> None:
        """Like, dislike or clear an item shown in a round, until the round's summaries are
        sent: the vote holds in every list of the round that has the item."""
        if vote is not None and vote not in VOTES:
            raise StoreError(f"a vote is 'like' or 'dislike', not {vote!r}")
        with self._session() as session:
            round_ = session.get(RoundRow, round_id)
            if round_ is None:
                raise StoreError(f"no round {round_id!r}")
            if round_.submitted_at is not None:
                raise StoreError("the ratings of these recommendations were already sent")
            _replace_vote(session, round_id, key, vote)
            session.commit()

    def change_vote(
        self, round_id: str, key: ItemKey, vote: Vote | None, *, share_items: bool
    ) -> int:
        """Change a vote in a round whose ratings were sent: each list whose summary now
        differs from what the market counted gets a vote change queued (a rating still queued
        is rewritten instead, and a list rated for the first time gets its rating). Returns
        how many lists will tell the market. Whether the market still takes a change (its
        epoch open, the changes left) is the market's to say."""
        if vote is not None and vote not in VOTES:
            raise StoreError(f"a vote is 'like' or 'dislike', not {vote!r}")
        now = utcnow()
        with self._session() as session:
            round_ = session.get(RoundRow, round_id)
            if round_ is None:
                raise StoreError(f"no round {round_id!r}")
            if round_.submitted_at is None:
                raise StoreError("these recommendations were not sent yet: vote on them instead")
            _replace_vote(session, round_id, key, vote)
            ((_, lists, said, found),) = _weighed(session, [round_])
            telling = 0
            for impression, items in lists:
                if impression.failure is not None:
                    continue  # refused for good: the market never counted it
                sent = impression.submitted_at is not None
                pending = session.get(OutboxRow, impression.impression_id)
                # A change shares per-item votes exactly when its rating did (the market
                # holds it to that), whatever the setting says now.
                said_before = pending.payload if pending is not None else impression.sent_vote
                share = share_items if said_before is None else "items" in json.loads(said_before)
                payload = _summary(impression, items, said, found, share, always=sent)
                if payload is None:
                    continue
                if impression.delivered_at is None:  # its rating has not reached the market
                    if pending is None:  # first rated now
                        pending = OutboxRow(
                            impression_id=impression.impression_id, payload="", next_attempt_at=now
                        )
                        impression.submitted_at = now
                        session.add(impression)
                    pending.payload = json.dumps(payload)
                    session.add(pending)
                    telling += 1
                    continue
                vote_now = _vote_part(payload)
                if impression.sent_vote is not None and json.loads(impression.sent_vote) == (
                    vote_now
                ):
                    if pending is not None:  # changed back before it was sent
                        session.delete(pending)
                    continue
                if pending is None:
                    pending = OutboxRow(
                        impression_id=impression.impression_id,
                        payload="",
                        next_attempt_at=now,
                        change=True,
                    )
                pending.payload = json.dumps(vote_now)
                pending.attempts, pending.last_error, pending.next_attempt_at = 0, None, now
                session.add(pending)
                telling += 1
            session.commit()
        return telling

    def round_votes(self, round_id: str) -> dict[ItemKey, Vote]:
        with self._session() as session:
            return _round_votes(session, round_id)

    def votes(self, impression_id: str) -> dict[str, Vote]:
        """The votes on a model's list, by item id: cast there or anywhere else in its round,
        on this item or on the same item from another catalog (ranking.spread_votes)."""
        with self._session() as session:
            impression = session.get(ImpressionRow, impression_id)
            if impression is None:
                raise StoreError(f"no impression {impression_id!r}")
            lists = _round_lists(session, impression.round_id)
            said = _spread_votes(session, impression.round_id, lists)
            return {
                item.item_id: said[item.source, item.item_id]
                for row, items in lists
                if row.impression_id == impression_id
                for item in items
                if (item.source, item.item_id) in said
            }

    def round_contributions(self, round_id: str) -> dict[str, int]:
        """Each list's contribution to the round's blended list (by impression id), from the
        votes so far: see ``ranking.contributions``."""
        with self._session() as session:
            round_ = session.get(RoundRow, round_id)
            if round_ is None:
                raise StoreError(f"no round {round_id!r}")
            lists = _round_lists(session, round_id)
            return _contributions(round_, lists, _spread_votes(session, round_id, lists))

    def queue_unsent_summaries(self, *, share_items: bool) -> int:
        """Turn every rated, unsent round into summaries in the outbox, one per list with a
        vote on its items, each with the list's contribution to the blend (one transaction).
        Returns how many were queued; the round takes no more votes."""
        now = utcnow()
        queued = 0
        with self._session() as session:
            rounds = session.exec(
                select(RoundRow)
                .where(col(RoundRow.submitted_at).is_(None))
                .where(col(RoundRow.round_id).in_(select(VoteRow.round_id)))
                .order_by(col(RoundRow.created_at))
            ).all()
            for round_, lists, said, found in _weighed(session, rounds):
                for impression, items in lists:
                    payload = _summary(impression, items, said, found, share_items, always=False)
                    if payload is None:
                        continue
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
                round_.submitted_at = now
                session.add(round_)
            session.commit()
        return queued

    def pending_ratings(self, *, due_only: bool = False) -> list[PendingRating]:
        """Queued summaries, the first due first; a round's in the order of its lists."""
        with self._session() as session:
            query = (
                select(OutboxRow)
                .join(
                    ImpressionRow,
                    col(ImpressionRow.impression_id) == OutboxRow.impression_id,
                    isouter=True,
                )
                .order_by(
                    col(OutboxRow.next_attempt_at),
                    col(ImpressionRow.created_at),
                    col(ImpressionRow.position),
                )
            )
            if due_only:
                query = query.where(col(OutboxRow.next_attempt_at) <= utcnow())
            return [
                PendingRating(
                    impression_id=row.impression_id,
                    payload=json.loads(row.payload),
                    attempts=row.attempts,
                    next_attempt_at=_aware(row.next_attempt_at),
                    last_error=row.last_error,
                    change=row.change,
                )
                for row in session.exec(query).all()
            ]

    def rating_delivered(
        self, impression_id: str, attention_paid: int | None, epoch: int | None = None
    ) -> None:
        """Acknowledged by the market: leave the outbox, and record what it paid and the epoch
        it counted the rating in (None: not said, e.g. an answer lost and the rating resent)."""
        with self._session() as session:
            sent = session.get(OutboxRow, impression_id)
            self._close_outbox(session, impression_id)
            impression = session.get(ImpressionRow, impression_id)
            if impression is not None:
                impression.delivered_at = utcnow()
                impression.attention_paid = attention_paid
                impression.rated_epoch = epoch
                if sent is not None:
                    impression.sent_vote = json.dumps(_vote_part(json.loads(sent.payload)))
                session.add(impression)
            uses = session.exec(select(DataUseRow).where(DataUseRow.impression_id == impression_id))
            for use in uses:
                use.paid_to_you = attention_paid
                session.add(use)
            session.commit()

    def vote_change_delivered(self, impression_id: str) -> None:
        """The market counted the new vote: it is what a later change compares with."""
        with self._session() as session:
            sent = session.get(OutboxRow, impression_id)
            impression = session.get(ImpressionRow, impression_id)
            if sent is None or impression is None:
                return
            impression.sent_vote = sent.payload
            impression.vote_changes += 1
            impression.change_failure = None
            session.add(impression)
            session.delete(sent)
            session.commit()

    def vote_change_refused(self, impression_id: str, reason: str) -> None:
        """The market refused the change (its epoch settled, no changes left): the vote stays
        on this device, and the history says that the market counts the earlier one, and why."""
        self._refused(impression_id, reason, change=True)

    def history(self, limit: int = 50) -> list[HistoryRound]:
        """The latest ``limit`` rounds, newest first: every list, its items, the user's votes
        and where each rating stands."""
        with self._session() as session:
            rounds = session.exec(
                select(RoundRow).order_by(col(RoundRow.created_at).desc()).limit(limit)
            ).all()
            outbox = {
                row.impression_id: row.change
                for row in session.exec(
                    select(OutboxRow)
                    .join(
                        ImpressionRow, col(ImpressionRow.impression_id) == OutboxRow.impression_id
                    )
                    .where(col(ImpressionRow.round_id).in_([round_.round_id for round_ in rounds]))
                ).all()
            }
            return [_history_round(session, round_, outbox) for round_ in rounds]

    def rating_refused(self, impression_id: str, reason: str) -> None:
        """The market refused it for good (e.g. the rating window closed): stop retrying."""
        self._refused(impression_id, reason, change=False)

    def _refused(self, impression_id: str, reason: str, *, change: bool) -> None:
        with self._session() as session:
            self._close_outbox(session, impression_id)
            impression = session.get(ImpressionRow, impression_id)
            if impression is not None:
                if change:
                    impression.change_failure = reason[:500]
                else:
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
        """Per model (developer/name), from this user's own likes and dislikes of the items
        its lists showed."""
        with self._session() as session:
            rows = session.exec(
                select(ImpressionRow.model_key, VoteRow.vote, func.count())
                .select_from(ShownItemRow)
                .join(ImpressionRow, col(ImpressionRow.impression_id) == ShownItemRow.impression_id)
                .join(VoteRow, _vote_on_item())
                .group_by(col(ImpressionRow.model_key), col(VoteRow.vote))
            ).all()
        counts: dict[str, dict[str, int]] = {}
        for key, vote, count in rows:
            counts.setdefault(key, {})[vote] = int(count)
        return {
            key: Reputation(likes=c.get("like", 0), dislikes=c.get("dislike", 0))
            for key, c in counts.items()
        }

    def model_labels(self) -> dict[str, str]:
        """The label each model id was last shown under on this device (ids as text): how the
        Privacy screen names a model it trained."""
        # SQLite gives a bare column the value of the row that max() picked: the latest label.
        latest = func.max(ImpressionRow.created_at)
        with self._session() as session:
            rows = session.exec(
                select(ImpressionRow.model_id, ImpressionRow.model_label, latest).group_by(
                    col(ImpressionRow.model_id)
                )
            ).all()
        return {str(model_id): label for model_id, label, _at in rows}

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


def _vote(value: str) -> Vote:
    return "like" if value == "like" else "dislike"


def _vote_on_item() -> Any:
    """Joins a vote to the items it applies to (with ImpressionRow and ShownItemRow)."""
    return and_(
        col(VoteRow.round_id) == ImpressionRow.round_id,
        col(VoteRow.source) == ShownItemRow.source,
        col(VoteRow.item_id) == ShownItemRow.item_id,
    )


def _items_of_round(round_id: str) -> Any:
    return (
        select(ShownItemRow)
        .join(ImpressionRow, col(ImpressionRow.impression_id) == ShownItemRow.impression_id)
        .where(ImpressionRow.round_id == round_id)
    )


def _round_votes(session: Session, round_id: str) -> dict[ItemKey, Vote]:
    """The votes cast in a round, in the order they were cast."""
    rows = session.exec(
        select(VoteRow).where(VoteRow.round_id == round_id).order_by(col(VoteRow.at))
    ).all()
    return {(row.source, row.item_id): _vote(row.vote) for row in rows}


def _spread_votes(
    session: Session, round_id: str, lists: list[tuple[ImpressionRow, list[ShownItemRow]]]
) -> dict[ItemKey, Vote]:
    """The round's votes on every row of the items they were cast on (one vote for "1984"
    from two catalogs): what the summaries count and the contributions weigh."""
    rows = [item for _, items in lists for item in items]
    return spread_votes(rows, _round_votes(session, round_id))


def _round_lists(session: Session, round_id: str) -> list[tuple[ImpressionRow, list[ShownItemRow]]]:
    """A round's lists in the order they were blended, each with its items, best first."""
    impressions = session.exec(
        select(ImpressionRow)
        .where(ImpressionRow.round_id == round_id)
        .order_by(col(ImpressionRow.position))
    ).all()
    items: dict[str, list[ShownItemRow]] = {row.impression_id: [] for row in impressions}
    for item in session.exec(_items_of_round(round_id).order_by(col(ShownItemRow.rank))).all():
        items[item.impression_id].append(item)
    return [(row, items[row.impression_id]) for row in impressions]


def _replace_vote(session: Session, round_id: str, key: ItemKey, vote: Vote | None) -> None:
    source, item_id = key
    shown = session.exec(
        _items_of_round(round_id).where(
            ShownItemRow.source == source, ShownItemRow.item_id == item_id
        )
    ).first()
    if shown is None:
        raise StoreError(f"item {item_id!r} was not shown in these recommendations")
    existing = session.get(VoteRow, (round_id, source, item_id))
    if existing is not None:
        session.delete(existing)
        session.flush()
    if vote is not None:
        session.add(
            VoteRow(round_id=round_id, source=source, item_id=item_id, vote=vote, at=utcnow())
        )


def _summary(
    impression: ImpressionRow,
    items: list[ShownItemRow],
    said: dict[ItemKey, Vote],
    found: dict[str, int],
    share_items: bool,
    *,
    always: bool,
) -> dict[str, Any] | None:
    """A list's rating summary from the round's votes; None when it has no vote on its items
    (unless ``always``: a list already rated keeps a summary, with no votes left in it)."""
    own = sorted(
        (item.item_id, said[item.source, item.item_id])
        for item in items
        if (item.source, item.item_id) in said
    )
    if not own and not always:
        return None
    liked = sum(vote == "like" for _, vote in own)
    payload: dict[str, Any] = {
        "impression_id": impression.impression_id,
        "shown": len(items),
        "liked": liked,
        "disliked": len(own) - liked,
        "contribution": found[impression.impression_id],
    }
    if share_items:
        payload["items"] = [{"item_id": i, "vote": v} for i, v in own]
    return payload


def _vote_part(payload: dict[str, Any]) -> dict[str, Any]:
    """What a vote change sends: the summary without the impression and its shown count."""
    return {key: value for key, value in payload.items() if key not in ("impression_id", "shown")}


def _status(impression: ImpressionRow, outbox: dict[str, bool]) -> str:
    if impression.failure is not None:
        return "refused"
    if impression.impression_id in outbox:
        return "changing" if outbox[impression.impression_id] else "queued"
    if impression.delivered_at is not None:
        return "counted"
    return "unrated"


def _history_round(session: Session, round_: RoundRow, outbox: dict[str, bool]) -> HistoryRound:
    lists = _round_lists(session, round_.round_id)
    said = _spread_votes(session, round_.round_id, lists)
    epochs = [row.rated_epoch for row, _ in lists if row.rated_epoch is not None]
    return HistoryRound(
        round_id=round_.round_id,
        market_url=round_.market_url,
        created_at=_aware(round_.created_at),
        epoch=max(epochs) if epochs else round_.epoch,
        submitted=round_.submitted_at is not None,
        lists=tuple(
            HistoryList(
                impression_id=row.impression_id,
                model_label=row.model_label,
                model_description=row.model_description,
                items=tuple(
                    (
                        ShownItem(
                            item.source, item.item_id, item.title_key, item.again, item.title
                        ),
                        said.get((item.source, item.item_id)),
                    )
                    for item in items
                ),
                status=_status(row, outbox),
                vote_changes=row.vote_changes,
                problem=row.change_failure or row.failure,
            )
            for row, items in lists
        ),
    )


def _weighed(
    session: Session, rounds: Iterable[RoundRow]
) -> Iterator[
    tuple[
        RoundRow,
        list[tuple[ImpressionRow, list[ShownItemRow]]],
        dict[ItemKey, Vote],
        dict[str, int],
    ]
]:
    """Each round with its lists, its votes spread over them and each list's contribution."""
    for round_ in rounds:
        lists = _round_lists(session, round_.round_id)
        said = _spread_votes(session, round_.round_id, lists)
        yield round_, lists, said, _contributions(round_, lists, said)


def _contributions(
    round_: RoundRow,
    lists: list[tuple[ImpressionRow, list[ShownItemRow]]],
    said: dict[ItemKey, Vote],
) -> dict[str, int]:
    # "Again" items were shown apart, never blended: they bring nothing to the blend.
    blended = [
        (impression.impression_id, impression.reputation, [i for i in items if not i.again])
        for impression, items in lists
    ]
    return contributions(blended, said, round_.blended_length)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
