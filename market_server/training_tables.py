"""Tables and public shapes of federated training runs (docs/federated.md). The server keeps only
what SecAgg+ lets it see: public keys, share ciphertexts sealed to other devices, masked inputs
(deleted once their round is aggregated), and the noised aggregate."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from federated.messages import WIRE_VERSION
from market_server.models import utcnow

# What a round row written by code from before the column (wire version 2) holds.
_ROUNDS_BEFORE_VERSIONING = "2"


class RunStatus(StrEnum):
    OPEN = "open"
    FINISHED = "finished"  # every round ran; the escrow left went back
    CANCELLED = "cancelled"  # by its developer; the escrow left went back


class Stage(StrEnum):
    """A round's stage: what the server waits for (SecAgg+ steps 1, 3, 5, 7 and 9), then done
    or failed (too few devices at a stage's deadline: nothing is unmasked, nobody is paid)."""

    ADVERTISE = "advertise"
    SHARE = "share"
    MASK = "mask"
    CHECK = "check"  # the survivors sign the set of survivors (the consistency round)
    UNMASK = "unmask"
    DONE = "done"
    FAILED = "failed"


class TrainingRun(SQLModel, table=True):
    __tablename__ = "training_run"
    id: str = Field(primary_key=True, max_length=32)
    model_id: int = Field(foreign_key="modelversion.id", index=True)
    developer_id: int = Field(foreign_key="developer.id", index=True)
    spec: str = Field(sa_column=Column(Text, nullable=False))  # federated.runs.RunSpec JSON
    status: RunStatus = Field(default=RunStatus.OPEN, index=True)
    round_index: int = 0  # the round under way (== rounds once finished)
    stage_seconds: float  # how long each stage waits for missing devices
    budget: int = Field(ge=0, sa_type=BigInteger)
    parameters: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # safetensors
    inputs: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # public, safetensors
    # The server Adam's moments (federated.server_optimizer.AdamMoments), each packed like the
    # parameters; None until an "adam" run's first step. Steps: the rounds that released a mean.
    server_first_moment: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    server_second_moment: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    server_steps: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class TrainingRound(SQLModel, table=True):
    __tablename__ = "training_round"
    run_id: str = Field(foreign_key="training_run.id", primary_key=True, max_length=32)
    round_index: int = Field(primary_key=True)
    round_id: str = Field(max_length=32, unique=True)  # the SecAgg round id, hex
    graph_seed: str = Field(max_length=64)
    stage: Stage = Stage.ADVERTISE
    deadline: float  # unix seconds: when the stage closes even if devices are missing
    survivors: int = 0  # masked inputs in the released sum
    update: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    message: str = Field(default="", max_length=300)  # why a round failed
    # The SecAgg wire version the round was opened under: a server speaking another one drops
    # the round (nothing unmasked, nobody paid) rather than run it with the wrong messages.
    wire_version: int = Field(
        default=WIRE_VERSION, sa_column_kwargs={"server_default": _ROUNDS_BEFORE_VERSIONING}
    )


class TrainingClient(SQLModel, table=True):
    """One device in one round. Its masked input and unmask answer are deleted when the round
    ends; what remains is who took part (payments name them in the ledger anyway)."""

    __tablename__ = "training_client"
    __table_args__ = (UniqueConstraint("run_id", "round_index", "user_id"),)
    run_id: str = Field(primary_key=True, max_length=32)
    round_index: int = Field(primary_key=True)
    client: int = Field(primary_key=True)
    user_id: str = Field(foreign_key="user.id", max_length=64, index=True)
    channel_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    mask_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    # The account's Ed25519 signature over the two keys (federated.signed): relayed in the
    # roster so every device checks the keys are the ones this account advertised.
    key_signature: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    # Its signature over the consistency check (the survivors), relayed in the unmask request.
    consistency_signature: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    shared: bool = False
    masked: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    unmask: str | None = Field(default=None, sa_column=Column(Text))  # UnmaskResponse JSON
    included: bool = False  # its input is in the released sum (it was paid)


class TrainingShare(SQLModel, table=True):
    """A share ciphertext, sealed by its sender to its receiver (deleted when the round ends)."""

    __tablename__ = "training_share"
    run_id: str = Field(primary_key=True, max_length=32)
    round_index: int = Field(primary_key=True)
    sender: int = Field(primary_key=True)
    receiver: int = Field(primary_key=True)
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


# --- what the API returns ------------------------------------------------------------------------


class TrainingRoundPublic(SQLModel):
    round_index: int
    stage: Stage
    deadline: float
    survivors: int
    message: str


class TrainingRunPublic(SQLModel):
    id: str
    model_id: int
    status: RunStatus
    round_index: int
    budget: int
    escrow: int
    spec: dict[str, Any]
    rounds: list[TrainingRoundPublic]


class TrainingJoined(SQLModel):
    """A device's place in the round under way: its client id and the round's SecAgg+ config."""

    run_id: str
    round_index: int
    client: int
    config: dict[str, Any]
