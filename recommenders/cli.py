"""Handlers of ``privrec model ...``: list, train and export reference model bundles."""

from __future__ import annotations

import sys
from pathlib import Path

from recommenders.bundle import DEFAULT_LIMITS, InvalidBundle, load_bundle, pack_bundle
from recommenders.embeddings import TextEmbedder
from recommenders.features import FEATURE_SCHEMA_VERSION
from recommenders.reference import REFERENCE_MODELS, build_reference_model


def list_models() -> int:
    for name, spec in REFERENCE_MODELS.items():
        print(f"{name:18} {spec.kind:10} on {spec.dataset:14} ({spec.description})")
    return 0


def train(name: str, out: Path, *, cache_dir: Path, seed: int, progress: bool) -> int:
    """Build reference model ``name`` and write its bundle directory to ``out``."""
    if name not in REFERENCE_MODELS:
        print(f"error: unknown model {name!r}; `privrec model list` shows them", file=sys.stderr)
        return 2
    if out.exists():
        print(f"error: {out} exists; a bundle is never overwritten", file=sys.stderr)
        return 2
    built = build_reference_model(
        name, embedder=TextEmbedder(cache_dir), seed=seed, progress=progress
    )
    path = built.save(out)
    manifest = built.manifest
    print(f"wrote {path}: {manifest.name} {manifest.version}, n={manifest.items}, d={manifest.dim}")
    return 0


def export(bundle_dir: Path, out: Path) -> int:
    """Validate a bundle directory and pack it into one zip file for upload."""
    try:
        load_bundle(bundle_dir, feature_schema=FEATURE_SCHEMA_VERSION)
        data = pack_bundle(bundle_dir, limits=DEFAULT_LIMITS)
    except InvalidBundle as error:
        print(f"error: {bundle_dir} is not a valid bundle: {error}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0
