"""Downloaded model parts (manifest, user tower, whole catalog), cached on disk and in memory
per model version; parsed with the same checks the market applies."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from client_app.market import MAX_PART_BYTES, PARTS, MarketClient, MarketError
from crypto import private_file_writer
from recommenders.bundle import (
    DEFAULT_LIMITS,
    BundleLimits,
    Catalog,
    InvalidBundle,
    Manifest,
    parse_catalog,
    parse_manifest,
    parse_tower_tensors,
)
from recommenders.features import FEATURE_SCHEMA_VERSION, CatalogIndex, catalog_index
from recommenders.runner import TowerRunner

_MIB = 1024 * 1024
# Parsed models kept in memory: a catalog of 100k items is a few tens of MB.
_MEMORY_SLOTS = 8
# The largest catalog the app downloads unless told otherwise (about 6.7M items at 80 bytes):
# a market says how big each catalog is, so this is what bounds what a market run by an
# attacker can make the app download, store and parse.
DEFAULT_MAX_CATALOG_BYTES = 512 * _MIB
MAX_CATALOG_BYTES_ENV = "PRIVREC_APP_MAX_CATALOG_BYTES"
# A long download says how far it got every this many bytes.
PROGRESS_EVERY_BYTES = 16 * _MIB


class CatalogTooLarge(Exception):
    """A model's catalog is larger than this app downloads: the model is skipped, not the round."""


def configured_max_catalog_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """The catalog ceiling ``PRIVREC_APP_MAX_CATALOG_BYTES`` sets (whole bytes), else the default;
    ValueError if it is set to anything else."""
    text = environ.get(MAX_CATALOG_BYTES_ENV)
    if text is None:
        return DEFAULT_MAX_CATALOG_BYTES
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ValueError(f"{MAX_CATALOG_BYTES_ENV} must be a whole number of bytes, not {text!r}")
    return int(text)


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
    """One directory per market and model id (a model id names one immutable version). Safe to
    share between threads (recommendations and a training pass run on two): one model is
    loaded by one thread at a time, the others wait for it and take its copy.

    ``max_catalog_bytes`` is the largest catalog downloaded (None: `configured_max_catalog_bytes`);
    ``progress_every`` how many bytes of a download pass between two progress messages."""

    def __init__(
        self,
        directory: Path,
        *,
        max_catalog_bytes: int | None = None,
        progress_every: int = PROGRESS_EVERY_BYTES,
    ) -> None:
        self.directory = directory
        self.max_catalog_bytes = (
            configured_max_catalog_bytes() if max_catalog_bytes is None else max_catalog_bytes
        )
        if self.max_catalog_bytes < 1 or progress_every < 1:
            raise ValueError("the catalog ceiling and the progress step must be at least 1 byte")
        self.progress_every = progress_every
        self._limits: BundleLimits = dataclasses.replace(
            DEFAULT_LIMITS, catalog_bytes=self.max_catalog_bytes
        )
        self._loaded: OrderedDict[tuple[str, int], LoadedModel] = OrderedDict()
        # Parsed catalogs and their indexes by content: models trained on one dataset share them.
        self._catalogs: OrderedDict[tuple[object, ...], tuple[Catalog, CatalogIndex]] = (
            OrderedDict()
        )
        # Guards the two maps above and the one below, never held during a download or a parse.
        self._memory = threading.Lock()
        # Per model, held while it is downloaded and parsed: two threads downloading one model
        # would write the same files, and a failed one would delete them under the other.
        self._loading: dict[tuple[str, int], threading.Lock] = {}

    def _model_dir(self, market_url: str, model_id: int) -> Path:
        market = hashlib.sha256(market_url.encode()).hexdigest()[:16]
        return self.directory / market / str(model_id)

    def load(
        self,
        market: MarketClient,
        model_id: int,
        progress: Callable[[str], None] | None = None,
        *,
        catalog_bytes: int | None = None,
    ) -> LoadedModel:
        """The model's parts, downloaded only if not cached yet; InvalidBundle if bad.
        ``catalog_bytes``: its catalog's size as the market lists it (None if it does not say);
        CatalogTooLarge if that is above ``max_catalog_bytes``, MarketError if the market sends
        another size (nothing of the model stays cached then).

        A model id names one immutable version (the market serves its parts as such), so a
        complete cached copy is used as it is, without asking the market again."""
        key = (market.base_url, model_id)
        with self._memory:
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            return self._cached(key) or self._load(market, model_id, key, progress, catalog_bytes)

    def _cached(self, key: tuple[str, int]) -> LoadedModel | None:
        with self._memory:
            hit = self._loaded.get(key)
            if hit is not None:
                self._loaded.move_to_end(key)
            return hit

    def _load(
        self,
        market: MarketClient,
        model_id: int,
        key: tuple[str, int],
        progress: Callable[[str], None] | None,
        catalog_bytes: int | None,
    ) -> LoadedModel:
        folder = self._model_dir(market.base_url, model_id)
        # Parts are written atomically: a file that exists is whole.
        missing = [part for part in PARTS if not (folder / f"{part}.bin").exists()]
        if missing:
            catalog_limit = self._catalog_limit(market, model_id, catalog_bytes)
            try:
                for part in missing:
                    if part == "catalog":
                        limit, exact = catalog_limit, catalog_bytes
                    else:
                        limit, exact = MAX_PART_BYTES, None
                    self._download(market, model_id, part, folder, limit, exact, progress)
            except BaseException:
                # A model is cached whole or not at all: its next load starts afresh.
                shutil.rmtree(folder, ignore_errors=True)
                raise
        try:
            loaded = self._parse({part: (folder / f"{part}.bin").read_bytes() for part in PARTS})
        except InvalidBundle:
            # A corrupt cache must not stick: the next attempt downloads afresh.
            shutil.rmtree(folder, ignore_errors=True)
            raise
        with self._memory:
            self._loaded[key] = loaded
            while len(self._loaded) > _MEMORY_SLOTS:
                self._loaded.popitem(last=False)
        return loaded

    def _catalog_limit(self, market: MarketClient, model_id: int, declared: int | None) -> int:
        """The most bytes the catalog of this model may have, from its listed size."""
        if declared is None:
            return min(MAX_PART_BYTES, self.max_catalog_bytes)
        if declared > self.max_catalog_bytes:
            raise CatalogTooLarge(
                f"its catalog is {declared / _MIB:,.1f} MiB, more than this app downloads "
                f"({self.max_catalog_bytes / _MIB:,.1f} MiB; {MAX_CATALOG_BYTES_ENV} sets it)"
            )
        allowed = market.info().max_catalog_bytes
        if allowed is not None and declared > allowed:
            raise MarketError(
                f"the market lists model {model_id}'s catalog at {declared:,} bytes, above its "
                f"own limit of {allowed:,}"
            )
        return declared

    def _download(
        self,
        market: MarketClient,
        model_id: int,
        part: str,
        folder: Path,
        limit: int,
        exact: int | None,
        progress: Callable[[str], None] | None,
    ) -> None:
        """One part streamed to its file (never held whole in memory), at most ``limit`` bytes
        and, if ``exact`` is given, exactly that many."""
        written = reported = 0
        with private_file_writer(folder / f"{part}.bin") as handle:

            def write(chunk: bytes) -> None:
                nonlocal written, reported
                handle.write(chunk)
                written += len(chunk)
                if progress is not None and written - reported >= self.progress_every:
                    reported = written
                    of = "" if exact is None else f" of {exact / _MIB:,.1f}"
                    progress(
                        f"downloading the {part} of model {model_id}: {written / _MIB:,.1f}{of} MiB"
                    )

            size = market.download_part(model_id, part, write, limit=limit)
            if exact is not None and size != exact:
                raise MarketError(
                    f"the market sent {size:,} bytes of model {model_id}'s {part}, having listed "
                    f"{exact:,}"
                )
        if progress is not None:
            progress(f"downloaded the {part} of model {model_id} ({size:,} bytes)")

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
        with self._memory:
            cached = self._catalogs.get(key)
        if cached is None:  # (two models of one catalog loaded at once may both parse it)
            catalog = parse_catalog(data, manifest, self._limits)
            cached = (catalog, catalog_index(catalog, manifest))
        with self._memory:
            self._catalogs[key] = cached
            self._catalogs.move_to_end(key)
            while len(self._catalogs) > _MEMORY_SLOTS:
                self._catalogs.popitem(last=False)
        return cached
