"""The market's public identity: the key requests are signed for, what it offers, and its
epoch clock (when the open epoch began and when it is due to be settled)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter
from pydantic import Field
from sqlmodel import SQLModel

from crypto.identity import SIGNATURE_VERSION
from market_server.api.deps import SessionDep, SettingsDep, StoreDep

router = APIRouter(prefix="/market", tags=["market"])
API_VERSION = "1"


class MarketInfoPublic(SQLModel):
    public_key: str = Field(
        description="the market's Ed25519 public key (hex): it signs the ledger, and every "
        "signed request names it"
    )
    api_version: str
    signature_version: int = Field(description="the signed-request form this market accepts")
    mode: Literal["local", "production"]
    faucet: bool = Field(description="whether free demo credits exist (local mode only)")
    epoch: int = Field(description="the open epoch: budgets and ratings go to it")
    epoch_seconds: int = Field(description="how long an epoch lasts before it is due")
    epoch_started: datetime | None = Field(
        description="when the open epoch began (its ledger's last close or first entry); null "
        "while the ledger is empty"
    )
    epoch_due: datetime | None = Field(
        description="epoch_started + epoch_seconds: from then the open epoch may be settled"
    )
    auto_settle: bool = Field(
        description="whether the market settles a due epoch by itself (else its operator does)"
    )
    max_catalog_bytes: int = Field(
        description="the largest catalog a model may have here: the app downloads each model's "
        "whole catalog (the model listing gives each one's `catalog_bytes`)"
    )


@router.get("", response_model=MarketInfoPublic)
def market_info(settings: SettingsDep, store: StoreDep, session: SessionDep) -> MarketInfoPublic:
    """Who this market is: its public key (sign requests for it), API version, mode, and where
    its epoch stands (kept per ledger head: no replay, no wait behind a change)."""
    glance = store.glance(session)
    started = glance.epoch_started
    return MarketInfoPublic(
        public_key=store.key.public_key_hex,
        api_version=API_VERSION,
        signature_version=SIGNATURE_VERSION,
        mode=settings.mode,
        faucet=settings.mode == "local",
        epoch=glance.open_epoch,
        epoch_seconds=settings.epoch_s,
        epoch_started=started,
        epoch_due=None if started is None else started + timedelta(seconds=settings.epoch_s),
        auto_settle=settings.auto_settle,
        max_catalog_bytes=settings.max_catalog_bytes,
    )
