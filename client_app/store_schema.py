"""The tables of the app's local SQLite store, and the one-time upgrade of a store written by
an older version of the app (recorded in SQLite's ``user_version``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import Column, Index, Table, Text, UniqueConstraint
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import registry
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import Field, SQLModel

# 1: votes per list (table `vote`), items as a JSON list of ids. 2: rounds, votes per round.
# 3: a shown item's title key (the blend's "same item") and whether it was shown as "again".
# 4: an activity's title case-folded, which My data's search reads.
# 5: history: an item's title, a model's description, the epoch a rating was counted in, the
# vote last sent and its changes; an outbox entry may be a vote change.
# 6: federated training: the training opt-in per category and the record of each training run
# the device joined (new tables only: created whole, nothing older changes).
SCHEMA_VERSION = 6
# Stores of version 1 never recorded an item's catalog: each of their lists is a round of
# its own, where the source is not needed to tell items apart.
UNKNOWN_SOURCE = ""
# What a list of version 1 is blended with: the reputation of a model not yet rated.
NEUTRAL_REPUTATION = 0.5


class LocalTable(SQLModel, registry=registry()):
    """Base of the local tables: their own metadata, apart from the market server's."""


class EventRow(LocalTable, table=True):
    __tablename__ = "activity_event"
    # My data pages through a category newest first, searching the folded titles: the index
    # holds that order and those titles, so counting and skipping never read the table.
    __table_args__ = (Index("ix_activity_event_newest", "category", "time", "id", "title_folded"),)
    id: int | None = Field(default=None, primary_key=True)
    # A hash of the event's fields: importing the same file twice adds nothing.
    fingerprint: str = Field(max_length=64, unique=True)
    category: str = Field(max_length=16, index=True)
    source: str
    title: str
    # str.casefold() of the title: a search matches "Émile" for "émile", and SQLite's own
    # lower() folds ASCII only. Filled by the upgrade for events stored before version 4.
    title_folded: str = Field(default="", sa_column_kwargs={"server_default": ""})
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


class TrainingConsentRow(LocalTable, table=True):
    """ "Let models learn from my activity", per category: apart from the scoring opt-in."""

    __tablename__ = "training_consent"
    category: str = Field(primary_key=True, max_length=16)
    opted_in: bool = False
    changed_at: datetime


class TrainingRecordRow(LocalTable, table=True):
    """A training run of a model this device joined, charged whole to the user's ε for that
    model when joined; the plan (when known) lets the accountant compose the runs tightly."""

    __tablename__ = "training_record"
    __table_args__ = (UniqueConstraint("model_id", "round_id"),)
    id: int | None = Field(default=None, primary_key=True)
    model_id: str = Field(max_length=128, index=True)
    round_id: str = Field(max_length=128)
    categories: str = Field(description="comma-separated categories the update was computed on")
    epsilon: float
    delta: float
    noise_multiplier: float | None = None
    sampling_rate: float | None = None
    rounds: int | None = None
    clip_norm: float | None = None
    contributions: int = Field(default=1, description="rounds of the run this device took part in")
    at: datetime


class SettingRow(LocalTable, table=True):
    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str


class RoundRow(LocalTable, table=True):
    """One refresh: the lists of every model asked, blended into one of ``blended_length``."""

    __tablename__ = "recommendation_round"
    round_id: str = Field(primary_key=True, max_length=32)
    market_url: str
    epoch: int
    blended_length: int
    created_at: datetime
    submitted_at: datetime | None = Field(default=None, description="its summaries were queued")


class ImpressionRow(LocalTable, table=True):
    __tablename__ = "impression"
    impression_id: str = Field(primary_key=True, max_length=32)
    round_id: str = Field(index=True, max_length=32)
    position: int = Field(description="the list's place in the round: the blend breaks ties by it")
    reputation: float = Field(description="the model's reputation score the blend used")
    market_url: str
    model_id: int
    model_key: str = Field(index=True, description="developer/name: reputation outlives versions")
    model_label: str
    epoch: int
    created_at: datetime
    submitted_at: datetime | None = None
    delivered_at: datetime | None = None
    attention_paid: int | None = None
    failure: str | None = None
    # Version 4 (rows written before get "" / NULL / 0).
    model_description: str = Field(default="", sa_column_kwargs={"server_default": ""})
    rated_epoch: int | None = Field(
        default=None, description="the market's epoch its rating was counted in"
    )
    sent_vote: str | None = Field(
        default=None, description="JSON of the summary last queued: what a change compares with"
    )
    vote_changes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    change_failure: str | None = Field(default=None, description="why the market refused it")


class ShownItemRow(LocalTable, table=True):
    """An item of a model's list, best first; its "again" items (already consumed, shown
    apart, never blended) after the others."""

    __tablename__ = "impression_item"
    impression_id: str = Field(primary_key=True, max_length=32)
    rank: int = Field(primary_key=True)
    source: str = Field(description="the catalog the item id belongs to")
    item_id: str = Field(max_length=128)
    # Server defaults: rows written before version 3 (and the v1 upgrade's) get "" / false.
    title_key: str = Field(
        default="",
        description="category and normalised title: how the blend tells one item across catalogs",
        sa_column_kwargs={"server_default": ""},
    )
    again: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    title: str = Field(default="", sa_column_kwargs={"server_default": ""})  # version 4


class VoteRow(LocalTable, table=True):
    """A like or dislike of an item in a round: it holds in every list of the round with it."""

    __tablename__ = "round_vote"
    round_id: str = Field(primary_key=True, max_length=32)
    source: str = Field(primary_key=True)
    item_id: str = Field(primary_key=True, max_length=128)
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
    # Version 4: a change of the vote of a rating the market already counted.
    change: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


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


class ReceiptRow(LocalTable, table=True):
    """A verified ledger entry that moved this user's credits (their balance or a budget of
    theirs), kept as the ledger check passes it: the wallet's receipts and its chart."""

    __tablename__ = "ledger_receipt"
    market_url: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    market_key: str = Field(max_length=64)
    epoch: int
    time: str = Field(max_length=40, description="the entry's time, as the ledger writes it")
    kind: str = Field(max_length=16)
    source: str | None = None  # the account debited (None for a mint)
    target: str | None = None  # the account credited (None for a burn)
    amount: int
    memo: str


# --- upgrading an older store ------------------------------------------------------------------


def upgrade(path: Path) -> None:
    """Bring the store at ``path`` to SCHEMA_VERSION, in one transaction (all or nothing).
    A new store is only stamped: its tables are created as they are now."""
    connection = sqlite3.connect(path, isolation_level=None)  # transactions said explicitly
    try:
        connection.execute("BEGIN IMMEDIATE")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        columns = {row[1] for row in connection.execute("PRAGMA table_info(impression)")}
        if version < 2 and "items_json" in columns:
            _rounds_from_lists(connection)
        items = {row[1] for row in connection.execute("PRAGMA table_info(impression_item)")}
        if version < 3 and items and "title_key" not in items:
            connection.execute(
                "ALTER TABLE impression_item ADD COLUMN title_key VARCHAR DEFAULT '' NOT NULL"
            )
            connection.execute(
                "ALTER TABLE impression_item ADD COLUMN again BOOLEAN DEFAULT 0 NOT NULL"
            )
        events = {row[1] for row in connection.execute("PRAGMA table_info(activity_event)")}
        if version < 4 and events and "title_folded" not in events:
            _fold_titles(connection)
        if version < 5:
            _add_columns(connection, _VERSION_5_COLUMNS)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


_VERSION_5_COLUMNS = {
    "impression": (
        "model_description VARCHAR DEFAULT '' NOT NULL",
        "rated_epoch INTEGER",
        "sent_vote VARCHAR",
        "vote_changes INTEGER DEFAULT 0 NOT NULL",
        "change_failure VARCHAR",
    ),
    "impression_item": ("title VARCHAR DEFAULT '' NOT NULL",),
    "rating_outbox": ('"change" BOOLEAN DEFAULT 0 NOT NULL',),
}


def _add_columns(connection: sqlite3.Connection, columns: dict[str, tuple[str, ...]]) -> None:
    """Add the columns a table lacks (a new store's tables are created whole afterwards)."""
    for table, definitions in columns.items():
        have = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue
        for definition in definitions:
            if definition.split()[0].strip('"') not in have:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {definition}")


def _ddl(*tables: Table) -> Iterator[str]:
    dialect = sqlite_dialect.dialect()
    for table in tables:
        yield str(CreateTable(table).compile(dialect=dialect))
        for index in sorted(table.indexes, key=lambda index: str(index.name)):
            yield str(CreateIndex(index).compile(dialect=dialect))


def _rounds_from_lists(connection: sqlite3.Connection) -> None:
    """Version 1 -> 2: each list becomes a round of its own (as its votes were per list), its
    items rows of their own, its votes votes of that round."""
    connection.execute("ALTER TABLE impression RENAME TO impression_v1")
    connection.execute("DROP INDEX IF EXISTS ix_impression_model_key")  # the new table's name
    new = ("recommendation_round", "impression", "impression_item", "round_vote")
    for statement in _ddl(*(LocalTable.metadata.tables[name] for name in new)):
        connection.execute(statement)
    old = connection.execute(
        "SELECT impression_id, market_url, model_id, model_key, model_label, epoch, items_json, "
        "created_at, submitted_at, delivered_at, attention_paid, failure FROM impression_v1"
    ).fetchall()
    for (impression_id, market_url, model_id, model_key, label, epoch, items_json, created,
         submitted, delivered, paid, failure) in old:  # fmt: skip
        item_ids = json.loads(items_json)
        connection.execute(
            "INSERT INTO recommendation_round (round_id, market_url, epoch, blended_length, "
            "created_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?)",
            (impression_id, market_url, epoch, max(len(item_ids), 1), created, submitted),
        )
        connection.execute(
            "INSERT INTO impression (impression_id, round_id, position, reputation, market_url, "
            "model_id, model_key, model_label, epoch, created_at, submitted_at, delivered_at, "
            "attention_paid, failure) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (impression_id, impression_id, NEUTRAL_REPUTATION, market_url, model_id, model_key,
             label, epoch, created, submitted, delivered, paid, failure),
        )  # fmt: skip
        connection.executemany(
            "INSERT INTO impression_item (impression_id, rank, source, item_id) "
            "VALUES (?, ?, ?, ?)",
            [(impression_id, rank, UNKNOWN_SOURCE, item) for rank, item in enumerate(item_ids)],
        )
    connection.execute(
        "INSERT INTO round_vote (round_id, source, item_id, vote, at) "
        "SELECT impression_id, ?, item_id, vote, at FROM vote",
        (UNKNOWN_SOURCE,),
    )
    connection.execute("DROP TABLE vote")
    connection.execute("DROP TABLE impression_v1")


def _fold_titles(connection: sqlite3.Connection) -> None:
    """Version 3 -> 4: every stored title gets its case-folded copy."""
    connection.execute(
        "ALTER TABLE activity_event ADD COLUMN title_folded VARCHAR DEFAULT '' NOT NULL"
    )
    rows = connection.execute("SELECT id, title FROM activity_event").fetchall()
    connection.executemany(
        "UPDATE activity_event SET title_folded = ? WHERE id = ?",
        [(title.casefold(), event_id) for event_id, title in rows],
    )
