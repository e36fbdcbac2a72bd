"""Database tables (SQLModel) and the public shapes the API returns; only *Public leaves."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import StrictInt, StringConstraints
from sqlalchemy import BigInteger, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ModelStatus(StrEnum):
    PENDING = "pending"
    VALIDATING = "validating"
    LIVE = "live"
    REJECTED = "rejected"
    RETIRED = "retired"


# --- users: pseudonymous, the account id is the Ed25519 public key -------------------------


class User(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(SQLModel):
    id: str
    created_at: datetime


class UsedNonce(SQLModel, table=True):
    """Nonces of signed requests seen within the clock-skew window (replays are refused)."""

    __table_args__ = (UniqueConstraint("account", "nonce"),)
    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=64, index=True)
    nonce: str = Field(max_length=32)
    seen_at: int = Field(index=True)  # unix seconds


class EvaluationKeySet(SQLModel, table=True):
    # One row per distinct key set of a user: uploading the same bytes again finds this row.
    __table_args__ = (
        UniqueConstraint("user_id", "digest", name="uq_evaluationkeyset_user_id_digest"),
    )
    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=64)
    profile: str = Field(max_length=32)
    digest: str = Field(max_length=64)
    size: int
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class EvaluationKeySetPublic(SQLModel):
    id: str
    profile: str
    size: int
    created_at: datetime


# --- developers: authenticated by an API key stored hashed --------------------------------


DeveloperName = Annotated[
    str, StringConstraints(min_length=3, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
]


class DeveloperBase(SQLModel):
    name: str = Field(max_length=64)


class DeveloperCreate(SQLModel):
    name: DeveloperName


class Developer(DeveloperBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=64)
    api_key_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class DeveloperPublic(DeveloperBase):
    id: int
    created_at: datetime


class DeveloperCreated(DeveloperPublic):
    """Returned once, at sign-up: the only time the API key is ever shown."""

    api_key: str


# --- models: deployed bundles and their lifecycle -----------------------------------------


class ModelVersion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=64)
    version: str = Field(max_length=64)
    developer_id: int = Field(foreign_key="developer.id", index=True)
    status: ModelStatus = Field(default=ModelStatus.PENDING, index=True)
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    categories: str = Field(default="", max_length=128)  # comma-separated, sorted
    dim: int = 0
    items: int = 0
    # Credits go up to ledger.economy.MAX_AMOUNT (10^15): beyond a 32-bit INTEGER.
    stake: int = Field(ge=0, sa_type=BigInteger)
    bid: int = Field(ge=0, sa_type=BigInteger)
    diagnostics: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    live_at: datetime | None = None


class BundleBlob(SQLModel, table=True):
    """The public parts of a deployed bundle served to clients, with their ETags."""

    model_id: int = Field(foreign_key="modelversion.id", primary_key=True)
    # The uploaded zip of a model deployed before item tables were kept in ItemChunk rows
    # (migration 0005); empty since.
    bundle: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    manifest: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    tower: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
    catalog: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))


class ItemChunk(SQLModel, table=True):
    """Consecutive rows of a deployed model's private item table (little-endian float32), in
    order of ``seq``: a big table never travels as one value (PostgreSQL caps one at 1 GB),
    and is written and read a chunk at a time."""

    model_id: int = Field(foreign_key="modelversion.id", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ModelPublic(SQLModel):
    id: int
    name: str
    version: str
    developer: str
    status: ModelStatus
    description: str
    categories: list[str]
    optional_categories: list[str] = Field(
        description="those of its categories a user need not opt into: the app feeds the model "
        "a zero profile for them (and reads none of their activity); every other category "
        "must be opted into for the model to be asked"
    )
    dim: int
    items: int
    catalog_bytes: int | None = Field(
        description="the bytes of its catalog, which the app downloads whole (null until its "
        "bundle is unpacked); never above the market's `max_catalog_bytes`"
    )
    stake: int
    bid: int
    escrow: int = Field(
        description="credits in the model's attention escrow: its bid is paid from there, and "
        "a model bidding more than it holds is not listed"
    )
    created_at: datetime
    live_at: datetime | None


class ModelRetiredPublic(ModelPublic):
    """A retired model: its stake and escrow returned at once if it was never shown, else
    released at the settlement of ``release_epoch`` (until then its stake can still burn)."""

    returned: int = Field(description="stake and escrow credits returned to you now")
    release_epoch: int | None = Field(
        description="the epoch whose settlement releases the stake and escrow (None: returned)"
    )
    detail: str


class ModelDiagnostics(SQLModel):
    id: int
    status: ModelStatus
    diagnostics: str


class LeaderboardRow(SQLModel):
    """One model's standing: sorted by contribution_paid_for - contribution_voted_against."""

    model_id: int
    name: str
    version: str
    developer: str
    status: ModelStatus
    categories: list[str]
    description: str = Field(description="what the model recommends, from its manifest")
    catalog: str = Field(description="what its catalog holds, from its manifest, in words")
    bid: int = Field(description="credits it pays per rated list")
    impressions: int
    ratings: int
    liked: int = Field(description="liked items over all its ratings, funded or not")
    disliked: int
    funded_liked: int = Field(
        description="liked items in ratings whose authors had committed credits to that epoch: "
        "only these move money"
    )
    funded_disliked: int
    unfunded_liked: int = Field(description="liked items in ratings that move nothing")
    unfunded_disliked: int
    contribution_paid_for: int = Field(
        description="budget credits settlements assigned it for its positive contribution to "
        "users' blended lists"
    )
    contribution_voted_against: int = Field(
        description="budget credits burned as votes against its negative contribution"
    )
    earnings: int
    stake_burned: int = Field(
        description="stake credits burned at settlements for a negative contribution"
    )
    stake: int
    escrow: int


class ModelEpochPublic(SQLModel):
    """What one settled epoch did for a model version, and its stake at the epoch's end."""

    epoch: int
    earnings: int = Field(description="settlement shares paid to its developer, after fees")
    contribution_paid_for: int
    contribution_voted_against: int
    stake_burned: int
    stake: int = Field(description="its stake when the epoch closed")


class ModelVersionSummary(SQLModel):
    """One version of a model's name and where it stands."""

    id: int
    version: str
    status: ModelStatus
    created_at: datetime
    live_at: datetime | None


class PayoutLinePublic(SQLModel):
    """What one model got from your budget at a settlement, and why."""

    model: str
    contribution: int = Field(
        description="your summed contribution for it: liked minus disliked items of your "
        "blended lists that came from it"
    )
    paid: int = Field(description="credits paid to its developer")
    fee: int = Field(description="the market's fee on them")
    burned: int = Field(description="credits of your budget burned as your vote against it")


class SettlementPublic(SQLModel):
    """Your budget's part in the last settlement of an epoch you had a budget in."""

    epoch: int
    refunded: int = Field(description="credits of your budget given back to you")
    clawback: int = Field(
        description="attention you were paid that epoch, taken back (burned) from your budget "
        "because your ratings gave no model any contribution"
    )
    lines: list[PayoutLinePublic]


class WalletPublic(SQLModel):
    account: str
    balance: int
    epoch: int
    budget: int = Field(description="credits in this epoch's budget, split at settlement")
    attention_earned: int = Field(description="credits models paid for your ratings, in total")
    payouts: dict[str, int] = Field(description="what your budgets paid each model, in total")
    committed: int = Field(description="credits you put in this epoch's budget")
    attention_cap_left: int | None = Field(
        description="attention credits you can still earn this epoch (a share of what you "
        "committed); None while the epoch runs under rules 1 (a daily cap)"
    )
    last_settlement: SettlementPublic | None = Field(
        description="how your budget was split at the last settlement you took part in"
    )


class AmountIn(SQLModel):
    # Strict: JSON true or "5" is not an amount of credits (pydantic would coerce both).
    amount: StrictInt = Field(ge=1, le=10**12)


# --- recommendations and ratings -----------------------------------------------------------


class Impression(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=64)
    model_id: int = Field(foreign_key="modelversion.id", index=True)
    epoch: int = Field(index=True)
    # The most items of the model the user can be shown (rules 2); None before rules 2.
    list_length: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class Rating(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    impression_id: str = Field(foreign_key="impression.id", unique=True, max_length=32)
    user_id: str = Field(foreign_key="user.id", index=True, max_length=64)
    model_id: int = Field(foreign_key="modelversion.id", index=True)
    shown: int = Field(ge=0)
    liked: int = Field(ge=0)
    disliked: int = Field(ge=0)
    # The model's contribution to the user's blended list (liked - disliked items it brought);
    # None for ratings sent before rules 2.
    contribution: int | None = Field(default=None)
    per_item: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow)


class RatingPublic(SQLModel):
    impression_id: str
    model_id: int
    shown: int
    liked: int
    disliked: int
    contribution: int
    per_item: bool
    attention_paid: int
    created_at: datetime
    epoch: int  # the ledger epoch it was recorded in: under rules 3 its vote changes until then


class VoteChangePublic(SQLModel):
    """A rating's vote as changed (rules 3)."""

    impression_id: str
    epoch: int
    liked: int
    disliked: int
    contribution: int
    changes_left: int


# --- ledger: append-only, hash-chained, signed by the market ------------------------------


class LedgerEntryRow(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    seq: int = Field(primary_key=True)
    epoch: int = Field(index=True)
    time: str = Field(max_length=40)
    kind: str = Field(max_length=32, index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    signature: str = Field(max_length=128)


class LedgerCheckpointRow(SQLModel, table=True):
    """The ledger's replay state after entry ``seq`` (versioned canonical JSON), written in the
    same transaction as that entry, so a server process resumes from it instead of replaying."""

    __tablename__ = "ledger_checkpoint"
    seq: int = Field(primary_key=True)
    hash: str = Field(max_length=64)
    state: str = Field(sa_column=Column(Text, nullable=False))


class MarketState(SQLModel, table=True):
    """A single row, locked by every ledger append so appends are serialised across processes.
    (The open epoch is not stored: it follows from the ledger's last entry.)"""

    id: int = Field(default=1, primary_key=True)
