"""The market's public identity: the key requests are signed for, and what it offers."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import Field
from sqlmodel import SQLModel

from crypto.identity import SIGNATURE_VERSION
from market_server.api.deps import SettingsDep, StoreDep

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


@router.get("", response_model=MarketInfoPublic)
def market_info(settings: SettingsDep, store: StoreDep) -> MarketInfoPublic:
    """Who this market is: its public key (sign requests for it), API version and mode."""
    return MarketInfoPublic(
        public_key=store.key.public_key_hex,
        api_version=API_VERSION,
        signature_version=SIGNATURE_VERSION,
        mode=settings.mode,
        faucet=settings.mode == "local",
    )
