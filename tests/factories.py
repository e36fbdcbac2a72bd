"""Test data factories shared across the suite: small, valid, seeded model bundles."""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save as save_tensors

from client_app.developer import DeveloperClient
from crypto import IdentityKey, sign_request
from recommenders.bundle import (
    CATALOG_COLUMNS,
    CATALOG_FILE,
    ITEMS_FILE,
    ITEMS_TENSOR,
    MANIFEST_FILE,
    TOWER_FILE,
    BundleArchive,
    Catalog,
    CatalogInfo,
    CatalogItem,
    Float32Array,
    InputBlock,
    Linear,
    Manifest,
    pack_bundle,
    save_bundle,
)
from recommenders.features import FEATURE_SCHEMA_VERSION, PROFILE_DIM

FEATURE_SCHEMA = FEATURE_SCHEMA_VERSION


@dataclass(frozen=True)
class BundleParts:
    """Everything `save_bundle` takes, so tests can compare what they wrote with what loads."""

    manifest: Manifest
    tower: dict[str, Float32Array]
    items: Float32Array
    catalog: Catalog


def bundle_parts(
    *,
    n: int = 12,
    d: int = 4,
    profile_size: int = 8,
    categories: Sequence[str] = ("books",),
    history: bool = False,
    seed: int = 0,
    name: str = "test-model",
    version: str = "1.0.0",
    feature_schema: str = FEATURE_SCHEMA,
    source: str = "online-retail",
    score_noise: float = 0.0,
    optional: Sequence[str] = (),
) -> BundleParts:
    """A valid bundle: one profile block per category (those in ``optional`` marked optional;
    plus an optional catalog history) feeding a single linear layer to d, random items, and a
    catalog of n rows."""
    rng = np.random.default_rng(seed)
    inputs = [
        InputBlock(
            name=f"profile:{c}",
            kind="category_profile",
            size=profile_size,
            category=c,
            optional=c in optional,
        )
        for c in categories
    ]
    if history:
        inputs.append(InputBlock(name="history", kind="catalog_history", size=n))
    input_size = sum(block.size for block in inputs)
    manifest = Manifest(
        name=name,
        version=version,
        description=f"A seeded test model ({n} items, dim {d}).",
        categories=tuple(categories),
        feature_schema=feature_schema,
        dim=d,
        items=n,
        inputs=tuple(inputs),
        tower=(Linear(in_features=input_size, out_features=d),),
        catalog=CatalogInfo(source=source),
        score_noise=score_noise,
    )
    tower = {
        "layers.0.weight": rng.standard_normal((d, input_size), dtype=np.float32),
        "layers.0.bias": rng.standard_normal(d, dtype=np.float32),
    }
    items = rng.standard_normal((n, d), dtype=np.float32)
    catalog = Catalog.from_items(
        CatalogItem(
            item_id=f"item-{i}",
            title=f"Item number {i}",
            category=categories[i % len(categories)],
            metadata={"rank": i, "tags": ["test"]},
        )
        for i in range(n)
    )
    return BundleParts(manifest=manifest, tower=tower, items=items, catalog=catalog)


def make_bundle(tmp_path: Path, **options: Any) -> Path:
    """Write a valid small bundle (``bundle_parts(**options)``) under tmp_path; return its dir."""
    parts = bundle_parts(**options)
    return save_bundle(
        tmp_path / f"{parts.manifest.name}-{parts.manifest.version}",
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=parts.catalog,
    )


BIG_TABLE_BLOCK = 1 << 16  # rows of a big table generated (and written) at a time


def big_table(items: int, dim: int, *, seed: int = 5) -> Float32Array:
    """The random table :func:`write_big_bundle` writes, whole (each block seeded on its own)."""
    return np.concatenate(
        [_big_table_block(seed, start, items, dim) for start in range(0, items, BIG_TABLE_BLOCK)]
    )


def _big_table_block(seed: int, start: int, items: int, dim: int) -> Float32Array:
    rows = min(BIG_TABLE_BLOCK, items - start)
    rng = np.random.default_rng([seed, start])
    return rng.standard_normal((rows, dim), dtype=np.float32)


def _stored_member(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED  # random floats do not compress
    info.file_size = size
    info.external_attr = 0o100644 << 16
    return info


def write_big_bundle(path: Path, items: int, dim: int, *, seed: int = 5) -> None:
    """A valid books bundle zip of ``items`` random rows (:func:`big_table`) and a terse
    catalog (ids and titles are the row numbers), written a block at a time: neither the table
    nor the catalog is ever held whole, and nothing is validated on the way (the market does)."""
    parts = bundle_parts(n=12, d=dim, profile_size=PROFILE_DIM, name="big-table", seed=seed)
    manifest = dataclasses.replace(parts.manifest, items=items)
    payload = 4 * items * dim
    header = json.dumps(
        {ITEMS_TENSOR: {"dtype": "F32", "shape": [items, dim], "data_offsets": [0, payload]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        archive.writestr(_stored_member(MANIFEST_FILE, 0), manifest.to_bytes())
        archive.writestr(_stored_member(TOWER_FILE, 0), save_tensors(dict(parts.tower)))
        size = 8 + len(header) + payload
        with archive.open(_stored_member(ITEMS_FILE, size), "w", force_zip64=True) as member:
            member.write(struct.pack("<Q", len(header)) + header)
            for start in range(0, items, BIG_TABLE_BLOCK):
                member.write(_big_table_block(seed, start, items, dim).tobytes())
        with archive.open(_stored_member(CATALOG_FILE, 0), "w", force_zip64=True) as member:
            member.write((",".join(CATALOG_COLUMNS) + "\n").encode())
            for start in range(0, items, BIG_TABLE_BLOCK):
                stop = min(start + BIG_TABLE_BLOCK, items)
                member.write("".join(f"{i},{i},books,{{}}\n" for i in range(start, stop)).encode())


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of one zip member."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _zip(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip of already deflated members, written by hand so a member never has to exist
    inflated in memory."""
    out = io.BytesIO()
    directory = []
    for name, (packed, crc, size) in members.items():
        offset, encoded = out.tell(), name.encode()
        fields = (20, 0, zlib.DEFLATED, 0, 0x21, crc, len(packed), size, len(encoded))
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + encoded + packed)
        attributes = (0, 0, 0, 0, 0o100644 << 16, offset)
        directory.append(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, *fields, *attributes) + encoded
        )
    listing = b"".join(directory)
    start = out.tell()
    count = len(members)
    out.write(
        listing + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(listing), start, 0)
    )
    return out.getvalue()


@functools.cache
def zip_bomb_bundle(*, items: int, dim: int, name: str = "bomb") -> bytes:
    """A bundle zip whose manifest declares an items x dim table and whose items.safetensors
    holds exactly that, all zeros: well under a MiB packed, 4 x items x dim bytes inflated.
    Built without ever inflating it (the CRC is computed over a reused zero block)."""
    parts = bundle_parts(n=12, d=dim, name=name)
    manifest = dataclasses.replace(parts.manifest, items=items)
    payload = 4 * items * dim
    header = json.dumps(
        {"items": {"dtype": "F32", "shape": [items, dim], "data_offsets": [0, payload]}}
    ).encode()
    header += b" " * (-len(header) % 8)
    head = struct.pack("<Q", len(header)) + header
    block = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh, so every zero block packs the same.
    chunks = [packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)]
    packed_block = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    whole, rest = divmod(payload, len(block))
    for _ in range(whole):
        chunks.append(packed_block)
        crc = zlib.crc32(block, crc)
    chunks.append(packer.compress(block[:rest]) + packer.flush())
    crc = zlib.crc32(block[:rest], crc)
    tower = save_tensors(parts.tower)
    return _zip(
        {
            MANIFEST_FILE: _deflated(manifest.to_bytes()),
            TOWER_FILE: _deflated(tower),
            ITEMS_FILE: (b"".join(chunks), crc, len(head) + payload),
            CATALOG_FILE: _deflated(parts.catalog.to_csv()),
        }
    )


@dataclass(frozen=True)
class ModelSpec:
    """One model a developer deploys: what it reads, its stake and its attention bid."""

    name: str
    developer: str
    categories: tuple[str, ...]
    stake: int
    bid: int
    history: bool = False  # also reads the user's catalog history (an item-item model)
    seed: int = 0
    escrow_bids: int = 10  # its attention escrow backs this many bids (an unbacked bid is unlisted)
    optional: tuple[str, ...] = ()  # categories read through optional profiles

    @property
    def escrow(self) -> int:
        return self.bid * self.escrow_bids

    @property
    def ledger_id(self) -> str:
        """How the ledger names the model (stake:<id>, settle memos, payouts)."""
        return f"{self.name}@1.0.0"  # bundle_parts writes version 1.0.0

    def bundle_options(self, items: int, dim: int) -> dict[str, Any]:
        """What `bundle_parts` takes for this model: real-size profiles, so the client's own
        features fit its tower (also used to recompute plaintext scores)."""
        return {
            "n": items,
            "d": dim,
            "profile_size": PROFILE_DIM,
            "categories": self.categories,
            "history": self.history,
            "name": self.name,
            "seed": self.seed,
            "source": "online-retail",
            "optional": self.optional,
        }


def upload_bundle(
    client: Any, headers: dict[str, str], bundle: bytes, *, stake: int, bid: int, escrow: int = 0
) -> Any:
    """POST a packed bundle as DeveloperClient.deploy does (stake, bid and attention escrow in
    the query, the archive as the body) over any httpx-like client, TestClient included; the
    raw response."""
    return client.post(
        "/v1/models",
        headers={**headers, "Content-Type": "application/zip"},
        params={"stake": stake, "bid": bid, **({"escrow": escrow} if escrow else {})},
        content=bundle,
    )


@dataclass(frozen=True)
class Deployed:
    model_ids: dict[str, int]  # model name -> market id
    faucet_balances: dict[str, int]  # developer -> balance right after the faucet


def deploy_models(
    url: str, workdir: Path, specs: Iterable[ModelSpec], *, items: int, dim: int
) -> Deployed:
    """Sign every developer up, take the faucet once each, deploy every model (small seeded
    bundles, with their stake, bid and attention escrow) through the developer API and wait
    until each is live."""
    developers: dict[str, DeveloperClient] = {}
    balances: dict[str, int] = {}
    ids: dict[str, int] = {}
    try:
        for spec in specs:
            client = developers.get(spec.developer)
            if client is None:
                client = developers[spec.developer] = DeveloperClient(url)
                client.sign_up(spec.developer)
                assert client.me()["name"] == spec.developer
                balances[spec.developer] = client.faucet()
            bundle = make_bundle(workdir, **spec.bundle_options(items, dim))
            deployment = client.deploy(
                pack_bundle(bundle), stake=spec.stake, bid=spec.bid, escrow=spec.escrow
            )
            live = client.wait_until_settled(deployment.id)
            assert (live.status, live.stake, live.bid, live.escrow) == (
                "live",
                spec.stake,
                spec.bid,
                spec.escrow,
            )
            ids[spec.name] = live.id
    finally:
        for client in developers.values():
            client.close()
    return Deployed(ids, balances)


def fund_escrow(developer: DeveloperClient, model_id: int, amount: int) -> int:
    """Put ``amount`` credits in a model's attention escrow; the escrow's balance after."""
    return developer.fund_escrow(model_id, amount).escrow


def market_identity(client: Any) -> str:
    """The public key (hex) of the market ``client`` talks to (``GET /v1/market``): what every
    signed request names, so a request signed for one market is refused by another."""
    response = client.request("GET", "/v1/market")
    assert response.status_code == 200, response.text
    public_key: str = response.json()["public_key"]
    return public_key


class SignedClient:
    """A user of the market: an Ed25519 identity signing every request for the market it talks
    to (asked once, unless ``market`` names another), over any client with
    ``request(method, url, content=, headers=)`` (FastAPI's TestClient or an httpx.Client)."""

    def __init__(
        self, client: Any, key: IdentityKey | None = None, market: str | None = None
    ) -> None:
        self.client = client
        self.key = key or IdentityKey.generate()
        self._market = market

    @property
    def account(self) -> str:
        return self.key.public_key_hex

    @property
    def market(self) -> str:
        if self._market is None:
            self._market = market_identity(self.client)
        return self._market

    def sign(
        self, method: str, path: str, body: bytes = b"", *, timestamp: int | None = None
    ) -> dict[str, str]:
        """The signature headers for one request (now, unless ``timestamp`` says otherwise)."""
        when = int(time.time()) if timestamp is None else timestamp
        return sign_request(self.key, method, path, body, market=self.market, timestamp=when)

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        body = (
            content
            if content is not None
            else (b"" if json_body is None else json.dumps(json_body).encode())
        )
        all_headers = {**self.sign(method, path, body), **(headers or {})}
        if json_body is not None:
            all_headers["content-type"] = "application/json"
        return self.client.request(method, path, content=body, headers=all_headers)

    def register(self) -> Any:
        return self.request("POST", "/v1/users")

    def fund_budget(self, amount: int = 10) -> Any:
        """Take the local-mode faucet and commit ``amount`` credits to this epoch's budget, as
        recommendations need (10: the default minimum); returns the wallet."""
        assert self.request("POST", "/v1/users/me/faucet").status_code == 200
        funded = self.request("POST", "/v1/users/me/budget", json_body={"amount": amount})
        assert funded.status_code == 200, funded.text
        return funded.json()


def record_member_reads(monkeypatch: Any) -> list[str]:
    """The names of the bundle-archive members decompressed from now on (in this process)."""
    names: list[str] = []
    read = BundleArchive.read

    def recording(archive: BundleArchive, name: str) -> bytes:
        names.append(name)
        return read(archive, name)

    monkeypatch.setattr(BundleArchive, "read", recording)
    return names
