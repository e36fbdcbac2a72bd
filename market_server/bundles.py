"""Bundles on the server: validated on upload (data only, never executed), stored, and split
into the public parts clients download and the private item table scorers load."""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import safetensors.numpy
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from market_server.models import BundleBlob, ItemChunk
from market_server.scoring import ItemLoader
from recommenders.bundle import (
    Bundle,
    BundleArchive,
    CheckedBundle,
    InvalidBundle,
    Manifest,
    check_archive,
    load_bundle,
    parse_manifest,
    read_archive_manifest,
)
from recommenders.features import FEATURE_SCHEMA_VERSION

__all__ = [
    "BundleArchive",
    "InvalidBundle",
    "PublicParts",
    "check_bundle",
    "etag",
    "item_table",
    "public_parts",
    "read_bundle",
    "read_manifest",
    "read_rest",
    "stored_catalog",
    "stored_catalog_sizes",
    "stored_catalog_texts",
    "stored_manifests",
    "stored_optional_categories",
]


# Bytes of item-table rows per stored ItemChunk: a big table is written and read this much
# at a time.
ITEM_CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class PublicParts:
    """What every client may download: manifest, user tower and the whole catalog."""

    manifest: bytes
    tower: bytes
    catalog: bytes


def read_bundle(data: bytes) -> Bundle:
    """Parse and validate an uploaded bundle; raises InvalidBundle with a diagnostic."""
    return load_bundle(data, feature_schema=FEATURE_SCHEMA_VERSION)


def read_manifest(archive: BundleArchive) -> Manifest:
    """An upload's manifest, validated, with the other members' declared sizes checked against
    it; nothing else is inflated, so this is all the server reads before the stake is escrowed."""
    return read_archive_manifest(archive, feature_schema=FEATURE_SCHEMA_VERSION)


def read_rest(archive: BundleArchive, manifest: Manifest) -> CheckedBundle:
    """The rest of an upload whose manifest was read (tower, item table, catalog), validated."""
    return check_archive(archive, manifest)


def check_bundle(data: bytes) -> CheckedBundle:
    """A whole packed bundle checked as an upload is (manifest first, then the rest)."""
    with BundleArchive(io.BytesIO(data)) as archive:
        return read_rest(archive, read_manifest(archive))


def public_parts(bundle: CheckedBundle) -> PublicParts:
    """What clients download: the catalog as uploaded (it passed the clients' own parser)."""
    return PublicParts(
        manifest=bundle.manifest.to_bytes(),
        tower=safetensors.numpy.save(dict(bundle.tower)),
        catalog=bundle.catalog_csv,
    )


def item_table(stored_bundle: bytes) -> npt.NDArray[np.float32]:
    """The private item table of a stored (already validated) bundle."""
    return np.asarray(read_bundle(stored_bundle).items, dtype=np.float32)


def stored_items(engine: Engine, model_id: int) -> ItemLoader:
    """Loads a deployed model's private item table from the database, when a scorer needs it:
    its chunks copied one at a time into the one array returned (a model stored before item
    chunks, from its stored bundle)."""

    def load() -> npt.NDArray[np.float32]:
        with Session(engine) as session:
            manifest = stored_manifests(session, [model_id]).get(model_id)
            if manifest is None:
                raise LookupError(f"model {model_id} has no stored bundle")
            seqs = session.exec(
                select(ItemChunk.seq)
                .where(ItemChunk.model_id == model_id)
                .order_by(col(ItemChunk.seq))
            ).all()
            if not seqs:
                blob = session.get(BundleBlob, model_id)
                assert blob is not None  # it has a manifest
                return item_table(blob.bundle)
            items = np.empty((manifest.items, manifest.dim), dtype="<f4")
            flat = items.reshape(-1).view(np.uint8)
            filled = 0
            for seq in seqs:
                data = session.exec(
                    select(ItemChunk.data).where(
                        ItemChunk.model_id == model_id, ItemChunk.seq == seq
                    )
                ).one()
                flat[filled : filled + len(data)] = np.frombuffer(data, dtype=np.uint8)
                filled += len(data)
                del data
            if filled != flat.shape[0]:
                raise LookupError(f"model {model_id}'s stored item table is incomplete")
            return items

    return load


def stored_catalog(session: Session, model_id: int) -> bytes:
    """A deployed model's catalog (CSV) as stored; only its bytes are read from the database."""
    catalog = session.exec(
        select(BundleBlob.catalog).where(BundleBlob.model_id == model_id)
    ).first()
    if catalog is None:
        raise LookupError(f"model {model_id} has no stored bundle")
    return catalog


def etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest() + '"'


@functools.lru_cache(maxsize=1024)
def _parsed_manifest(manifest: bytes) -> Manifest:
    # Keyed by the bytes: a stored manifest never changes, and parsing it is the costly part.
    return parse_manifest(manifest, feature_schema=FEATURE_SCHEMA_VERSION)


def stored_manifests(session: Session, model_ids: Collection[int]) -> dict[int, Manifest]:
    """Per model, its stored manifest, parsed. A model without a stored bundle (rejected
    before it was unpacked) is absent."""
    rows = session.exec(
        select(BundleBlob.model_id, BundleBlob.manifest).where(
            col(BundleBlob.model_id).in_(list(model_ids))
        )
    ).all()
    return {model_id: _parsed_manifest(manifest) for model_id, manifest in rows}


def stored_optional_categories(
    session: Session, model_ids: Collection[int]
) -> dict[int, tuple[str, ...]]:
    """Per model, the categories its stored manifest reads only optionally: derived from the
    manifest rather than kept in a column."""
    manifests = stored_manifests(session, model_ids)
    return {model_id: manifest.optional_categories for model_id, manifest in manifests.items()}


def stored_catalog_sizes(session: Session, model_ids: Collection[int]) -> dict[int, int]:
    """Per model, the bytes of its stored catalog (what the app downloads whole), measured by
    the database without reading the catalogs; a model whose parts are not stored is absent."""
    rows = session.exec(
        select(BundleBlob.model_id, func.length(BundleBlob.catalog)).where(
            col(BundleBlob.model_id).in_(list(model_ids))
        )
    ).all()
    return {model_id: size for model_id, size in rows if size}


def stored_catalog_texts(session: Session, model_ids: Collection[int]) -> dict[int, str]:
    """Per model, what its catalog holds in people's words (``CatalogInfo.in_words``)."""
    manifests = stored_manifests(session, model_ids)
    return {
        model_id: manifest.catalog.in_words(manifest.items)
        for model_id, manifest in manifests.items()
    }
