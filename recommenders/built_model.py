"""A reference model ready to ship: its manifest, weights and catalog, rounded to fit, with the
relevance floor set on real users' tower outputs computed as the device computes them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from recommenders import bundle
from recommenders.activity import ActivityEvent
from recommenders.datasets import Catalog
from recommenders.embeddings import Embedder
from recommenders.features import (
    FEATURE_SCHEMA_VERSION,
    PROFILE_DIM,
    catalog_index,
    extract_features,
    tower_inputs,
)
from recommenders.runner import TowerRunner
from recommenders.tasks import Task

FloatArray = NDArray[np.float32]


VERSION = "1.0.0"


@dataclass(frozen=True, eq=False)
class BuiltModel:
    """A reference model ready to export: manifest, tower weights, item table, catalog."""

    manifest: bundle.Manifest
    tower: dict[str, FloatArray]
    items: FloatArray
    catalog: bundle.Catalog

    def save(self, directory: str | Path) -> Path:
        return bundle.save_bundle(
            directory,
            manifest=self.manifest,
            tower=self.tower,
            items=self.items,
            catalog=self.catalog,
        )


def round_significand(values: NDArray[np.float32], bits: int) -> FloatArray:
    """float32 values rounded to nearest with ``bits`` of the 23 stored significand bits kept,
    the rest zero: deflate packs such tensors about 40% smaller (at 9 bits), and each value
    moves by at most 2 ** -(bits + 1) of itself."""
    if not 1 <= bits <= 23:
        raise ValueError(f"keep 1 to 23 significand bits, not {bits}")
    array = np.ascontiguousarray(values, dtype=np.float32)
    if not np.all(np.isfinite(array)):
        raise ValueError("only finite values can be rounded")
    dropped = 23 - bits
    if dropped == 0:
        return array.copy()
    pattern = array.view(np.uint32).astype(np.uint64)
    # Adding half of the dropped part carries into the exponent when the significand is full:
    # that is rounding up to the next power of two, as it should be.
    pattern = (pattern + (1 << (dropped - 1))) & ~np.uint64((1 << dropped) - 1)
    rounded = pattern.astype(np.uint32).view(np.float32)
    if not np.all(np.isfinite(rounded)):
        raise ValueError("rounding overflowed float32")
    return rounded


def with_significand_bits(built: BuiltModel, bits: int) -> BuiltModel:
    """``built`` with its tower and item table rounded by :func:`round_significand`."""
    tower = {name: round_significand(tensor, bits) for name, tensor in built.tower.items()}
    note = f" Weights rounded to {bits} significand bits, to keep the bundle small."
    manifest = dataclasses.replace(built.manifest, description=built.manifest.description + note)
    return BuiltModel(manifest, tower, round_significand(built.items, bits), built.catalog)


def bundle_catalog(catalog: Catalog) -> bundle.Catalog:
    return bundle.Catalog.from_items(
        bundle.CatalogItem(item_id=i, title=t, category=str(c), metadata=dict(m))
        for i, t, c, m in zip(
            catalog.item_ids, catalog.titles, catalog.categories, catalog.metadata, strict=True
        )
    )


def reference_manifest(
    name: str,
    description: str,
    task: Task,
    dim: int,
    inputs: Sequence[bundle.InputBlock],
    tower: Sequence[bundle.Layer],
    *,
    policy: str = "new-only",
    relevance_floor: float | None = None,
) -> bundle.Manifest:
    return bundle.Manifest(
        name=name,
        version=VERSION,
        description=description,
        categories=(task.category.value,),
        feature_schema=FEATURE_SCHEMA_VERSION,
        dim=dim,
        items=task.items,
        inputs=tuple(inputs),
        tower=tuple(tower),
        catalog=task.info,
        policy=policy,
        relevance_floor=relevance_floor,
        # Written only when not the default, so the other models keep their bytes.
        aggregation=(
            ()
            if task.aggregation == bundle.DEFAULT_AGGREGATION
            else ((task.category.value, task.aggregation),)
        ),
    )


def input_blocks(task: Task, history: bool) -> list[bundle.InputBlock]:
    blocks = [
        bundle.InputBlock(
            name=f"profile:{task.category.value}",
            kind="category_profile",
            size=PROFILE_DIM,
            category=task.category.value,
        )
    ]
    if history:
        blocks.append(bundle.InputBlock(name="history", kind="catalog_history", size=task.items))
    return blocks


FLOOR_QUANTILE = 0.01


def relevance_floor(
    user_vectors: FloatArray, items: FloatArray, quantile: float = FLOOR_QUANTILE
) -> float:
    """The score below which a list fits nobody: the ``quantile`` of the best score real
    users of the dataset get (their tower outputs, one row each, from validation data). A
    user whose best item scores lower than 99% of real users' best is told nothing fits,
    rather than shown a list of what happens to score least badly."""
    if user_vectors.ndim != 2 or user_vectors.shape[0] == 0:
        raise ValueError("need at least one user vector to set a relevance floor")
    best = (user_vectors.astype(np.float64) @ items.astype(np.float64).T).max(axis=1)
    return float(np.quantile(best, quantile))


def user_vectors(
    manifest: bundle.Manifest,
    tower: Mapping[str, FloatArray],
    catalog: bundle.Catalog,
    task: Task,
    users: NDArray[np.int64],
    embedder: Embedder,
    events: Callable[[int], list[ActivityEvent]] | None = None,
) -> NDArray[np.float64]:
    """Each user's tower output, computed exactly as the device computes it, from
    ``events(user)`` (by default the user's whole training history)."""
    events = events or task.events
    runner = TowerRunner(manifest, tower)
    reads_history = any(block.kind == "catalog_history" for block in manifest.inputs)
    index = catalog_index(catalog, manifest) if reads_history else None
    vectors = []
    for user in users.tolist():
        features = extract_features(
            events(user),
            set(manifest.categories),
            manifest.categories,
            index,
            embedder=embedder,
            now=task.times[user],
            optional=manifest.optional_categories,
            aggregation=manifest.aggregation_rules,
        )
        vectors.append(runner(tower_inputs(manifest.inputs, features)))
    return np.asarray(vectors, dtype=np.float64).reshape(len(users), manifest.dim)
