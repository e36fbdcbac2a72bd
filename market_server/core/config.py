"""Server settings from environment variables (PRIVREC_*) or a .env file, in one class."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal, Self

import platformdirs
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from crypto.profiles import MAX_DIM, MAX_ITEMS
from ledger.economy import MAX_LIST_LENGTH
from recommenders.bundle import BundleLimits, items_file_bytes

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class Settings(BaseSettings):
    """Every knob of the market. ``mode="local"`` allows the demo faucet and a generated key."""

    model_config = SettingsConfigDict(env_prefix="PRIVREC_", env_file=".env", extra="ignore")

    mode: Literal["local", "production"] = "local"
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("privrec-market"))
    )
    database_url: str | None = None  # default: a SQLite file in data_dir
    # Hex of the market's 32-byte Ed25519 seed. Local mode generates one into data_dir;
    # production refuses to start without an explicit key.
    market_key: str | None = None

    max_body_bytes: int = 8 * MIB
    # Deployments: checked before an upload is read, then on its manifest before it is unpacked.
    min_stake: int = Field(default=10, ge=1)  # so a developer without credits deploys nothing
    # A table's cells (items x dim) cost its developer this much more stake per 2^20 cells, on
    # top of min_stake (docs/sizing.md): unpacking, checking and encoding a big table is work
    # the market does before it can refuse it, so only a developer who commits credits in
    # proportion can make it (0: any table for min_stake).
    stake_per_mebicell: int = Field(default=1, ge=0, le=1_000_000)
    max_pending_deployments: int = Field(default=1, ge=1)  # per developer, being validated
    # Items x dim of one model (1M x 64 by default; the scorer takes up to 2^24 x 256). Its
    # item table's file may hold 4 bytes a cell, so this also bounds that member of a bundle.
    max_model_cells: int = Field(default=64 * 2**20, ge=1, le=MAX_ITEMS * MAX_DIM)
    # A bundle's public catalog (CSV; every client downloads it whole): about 30-80 bytes an
    # item, so 64 MiB holds roughly 1M items and a bigger table needs more.
    max_catalog_bytes: int = Field(default=64 * MIB, ge=MIB, le=16 * GIB)
    # An upload's bytes (streamed to a temporary file, never held in memory); None: what a
    # bundle within the limits above can take (about 4 bytes a cell plus the catalog).
    max_bundle_bytes: int | None = Field(default=None, ge=MIB)
    max_developer_cells: int = Field(default=256 * 2**20, ge=1)  # over live and pending models
    max_concurrent_probes: int = Field(default=2, ge=1)  # bundles unpacked or probed at once
    # A deployment still unsettled after this long was lost (a restart): rejected, stake returned.
    deployment_timeout_s: int = Field(default=3600, ge=60)
    max_models_per_request: int = 16
    scoring_workers: int = Field(default=1, ge=1, le=64)
    # Threads of the fused kernel in each worker process, sharing its table (docs/crypto.md).
    scoring_threads: int = Field(default=1, ge=1, le=64)
    scoring_timeout_s: float = Field(default=30.0, gt=0)
    # A Ray cluster ("host:port" of its head) to score on instead of local worker processes:
    # each table is then held by scoring_workers Ray actors there (docs/sizing.md).
    scoring_ray_address: str | None = Field(default=None, min_length=1)
    # Scoring limits (docs/sizing.md). The encoded tables of all cached models, in bytes, over
    # every worker process (about 8 bytes per item per padded dimension); least recently used
    # evicted first, and a model whose table alone is larger is refused.
    scoring_memory_bytes: int = Field(default=2 * GIB, ge=MIB)
    # One request's work: items x dim summed over the models it asks (refused with a 400 above).
    max_request_item_dims: int = Field(default=100_000_000, ge=1)
    # Query budgets tied to funding (docs/model_extraction.md): an account asks only while it
    # has committed this much to the open epoch's budget (None: min_funding), at most
    # queries_per_credit model queries per committed credit per epoch, and at most
    # queries_per_model_per_epoch of them to any one model.
    min_query_commitment: int | None = Field(default=None, ge=1)
    queries_per_credit: int = Field(default=10, ge=1)
    queries_per_model_per_epoch: int = Field(default=24, ge=1)
    max_cached_tables: int = Field(default=16, ge=1)

    signature_skew_s: int = Field(default=300, ge=1)
    # Evaluation-key sets stored per account (about 1 MiB each): a rotation needs 2 at most.
    max_evaluation_key_sets: int = Field(default=2, ge=1)
    rating_window_s: int = Field(default=7 * 24 * 3600, ge=1)
    epoch_s: int = Field(default=24 * 3600, ge=1)
    # Close the open epoch by itself once it is epoch_s old (else only `privrec market settle`).
    auto_settle: bool = False

    # Economy, in integer credits and basis points (docs/economy.md). The ledger records them
    # (its params entries); a server configured with other ones schedules a switch to them
    # from the next epoch, and a rules version never goes down.
    rules_version: int = Field(default=4, ge=1, le=4)
    fee_bps: int = Field(default=500, ge=0, le=10_000)
    burn_bps: int = Field(default=1000, ge=0, le=10_000)
    burn_cap: int = Field(default=1000, ge=0)
    per_item_multiplier: int = Field(default=2, ge=1)
    min_funding: int = Field(default=10, ge=0)
    attention_daily_cap: int = Field(default=100, ge=0)  # rules 1 only
    # Rules 2: a user earns attention per epoch up to this share of what they committed to it;
    # a retired model's stake is released this many epochs after its retirement; a model
    # shows a user at most this many items per list (a rating's `shown` is bounded by it).
    attention_bps: int = Field(default=400, ge=0, le=10_000)
    cooling_off_epochs: int = Field(default=2, ge=0, le=1000)
    list_length: int = Field(default=100, ge=1, le=MAX_LIST_LENGTH)
    # Rules 3: how often a user may change the vote of one rating before its epoch settles.
    max_vote_changes: int = Field(default=3, ge=0, le=100)
    # Rules 4 (federated training runs, docs/federated.md): a user is paid for training
    # contributions per epoch up to this share of what they committed to it.
    training_bps: int = Field(default=1000, ge=0, le=10_000)
    # What one training run may make the server do: devices per round (the unmasking rebuilds
    # a secret per device), parameters (each device's masked input is 4 bytes per parameter,
    # kept until its round is aggregated), and open runs per developer.
    training_max_cohort: int = Field(default=1000, ge=3, le=10_000)
    training_max_parameters: int = Field(default=2_000_000, ge=1, le=4_000_000)
    training_max_open_runs: int = Field(default=2, ge=1)
    # Per-item feedback names catalog items: the ids of recently rated models' catalogs are
    # kept parsed, least recently used evicted first, within about this many bytes.
    catalog_ids_cache_bytes: int = Field(default=256 * MIB, ge=MIB)
    faucet_amount: int = Field(default=1000, ge=1)

    # The ledger's replay state is saved every this many entries (and at every epoch close),
    # so a server process starts from it instead of replaying the whole ledger.
    ledger_checkpoint_every: int = Field(default=1000, ge=1, le=10_000_000)

    @model_validator(mode="after")
    def _production_needs_a_key(self) -> Self:
        if self.mode == "production" and not self.market_key:
            raise ValueError(
                "PRIVREC_MARKET_KEY must be set in production mode: the market never signs "
                "its ledger with a generated default key outside local mode"
            )
        if self.mode == "production" and not self.database_url:
            raise ValueError("PRIVREC_DATABASE_URL must be set in production mode")
        return self

    @property
    def bundle_limits(self) -> BundleLimits:
        """What a bundle's members may hold on this market, checked before they are read."""
        return BundleLimits(
            items_bytes=items_file_bytes(self.max_model_cells), catalog_bytes=self.max_catalog_bytes
        )

    @property
    def bundle_upload_bytes(self) -> int:
        """The largest upload read (413 above it)."""
        if self.max_bundle_bytes is not None:
            return self.max_bundle_bytes
        return self.bundle_limits.archive_bytes

    def deployment_stake(self, cells: int) -> int:
        """The least stake of a model whose table has ``cells`` cells (items x dim)."""
        return self.min_stake + self.stake_per_mebicell * (cells >> 20)

    @property
    def required_query_commitment(self) -> int:
        """Credits an account must have in the open epoch's budget to ask for recommendations."""
        if self.min_query_commitment is not None:
            return self.min_query_commitment
        return max(self.min_funding, 1)

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'market.sqlite3'}"
