"""Downloaded model parts (manifest, user tower, whole catalog), cached on disk and in memory
per model version; parsed with the same checks the market applies."""

from __future__ import annotations

import hashlib
import shutil
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from client_app.market import PARTS, MarketClient
from crypto import write_private_file
from recommenders.bundle import (
    Catalog,
    InvalidBundle,
    Manifest,
    parse_catalog,
    parse_manifest,
    parse_tower_tensors,
)
from recommenders.features import FEATURE_SCHEMA_VERSION, CatalogIndex, catalog_index
from recommenders.runner import TowerRunner

# Parsed models kept in memory: a catalog of 100k items is a few tens of MB.
_MEMORY_SLOTS = 8


@dataclass(frozen=True)
class LoadedModel:
    manifest: Manifest
    runner: TowerRunner
    catalog: Catalog
    index: CatalogIndex  # matches the user's activity to catalog rows, as the manifest says
    reads_history: bool  # the tower reads the catalog history (built with `index`)

    @property
    def history_index(self) -> CatalogIndex | None:
        return self.index if self.reads_history else None


class ModelCache:
    """One directory per market and model id (a model id names one immutable version)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._loaded: OrderedDict[tuple[str, int], LoadedModel] = OrderedDict()
        # Parsed catalogs and their indexes by content: models trained on one dataset share them.
        self._catalogs: OrderedDict[tuple[object, ...], tuple[Catalog, CatalogIndex]] = (
            OrderedDict()
        )

    def _model_dir(self, market_url: str, model_id: int) -> Path:
        market = hashlib.sha256(market_url.encode()).hexdigest()[:16]
        return self.directory / market / str(model_id)

    def load(
        self, market: MarketClient, model_id: int, progress: Callable[[str], None] | None = None
    ) -> LoadedModel:
        """The model's parts, downloaded only if not cached yet; InvalidBundle if bad.

        A model id names one immutable version (the market serves its parts as such), so a
        complete cached copy is used as it is, without asking the market again."""
        key = (market.base_url, model_id)
        hit = self._loaded.get(key)
        if hit is not None:
            self._loaded.move_to_end(key)
            return hit
        folder = self._model_dir(market.base_url, model_id)
        folder.mkdir(parents=True, exist_ok=True)
        raw: dict[str, bytes] = {}
        for part in PARTS:
            # Parts are written atomically: a file that exists is whole.
            path = folder / f"{part}.bin"
            if path.exists():
                raw[part] = path.read_bytes()
                continue
            raw[part] = market.download_part(model_id, part)
            if progress is not None:
                progress(f"downloaded the {part} of model {model_id} ({len(raw[part]):,} bytes)")
            write_private_file(path, raw[part])
        try:
            loaded = self._parse(raw)
        except InvalidBundle:
            # A corrupt cache must not stick: the next attempt downloads afresh.
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self._loaded[key] = loaded
        while len(self._loaded) > _MEMORY_SLOTS:
            self._loaded.popitem(last=False)
        return loaded

    def _parse(self, raw: dict[str, bytes]) -> LoadedModel:
        manifest = parse_manifest(raw["manifest"], feature_schema=FEATURE_SCHEMA_VERSION)
        tensors = parse_tower_tensors(raw["tower"], manifest)
        catalog, index = self._catalog(raw["catalog"], manifest)
        return LoadedModel(
            manifest=manifest,
            runner=TowerRunner(manifest, tensors),
            catalog=catalog,
            index=index,
            reads_history=any(block.kind == "catalog_history" for block in manifest.inputs),
        )

    def _catalog(self, data: bytes, manifest: Manifest) -> tuple[Catalog, CatalogIndex]:
        """The catalog parsed and indexed once per content and the manifest fields its checks
        and its index read, however many models share it (parsing is most of a cold round's
        model loading)."""
        key = (hashlib.sha256(data).digest(), manifest.items, manifest.catalog)
        cached = self._catalogs.get(key)
        if cached is None:
            catalog = parse_catalog(data, manifest)
            cached = (catalog, catalog_index(catalog, manifest))
        self._catalogs[key] = cached
        self._catalogs.move_to_end(key)
        while len(self._catalogs) > _MEMORY_SLOTS:
            self._catalogs.popitem(last=False)
        return cached
