"""Bundles: save/load round trips, and every kind of malformed bundle refused with a clear error."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import safetensors.numpy
from hypothesis import given, settings
from hypothesis import strategies as st

from recommenders.bundle import (
    BUNDLE_FILES,
    CATALOG_FILE,
    ITEMS_FILE,
    MANIFEST_FILE,
    TOWER_FILE,
    Bundle,
    BundleArchive,
    BundleLimits,
    Catalog,
    CatalogInfo,
    CatalogItem,
    DisplayField,
    InvalidBundle,
    check_archive,
    check_catalog,
    load_bundle,
    pack_bundle,
    parse_catalog,
    parse_items,
    parse_manifest,
    parse_tower_tensors,
    read_archive_manifest,
    save_bundle,
)
from tests.factories import (
    FEATURE_SCHEMA,
    BundleParts,
    bundle_parts,
    make_bundle,
    record_member_reads,
    zip_bomb_bundle,
)

N, D, PROFILE = 12, 4, 8


def load(source: Path | bytes, limits: BundleLimits | None = None) -> Bundle:
    if limits is None:
        return load_bundle(source, feature_schema=FEATURE_SCHEMA)
    return load_bundle(source, feature_schema=FEATURE_SCHEMA, limits=limits)


def assert_same(bundle: Bundle, parts: BundleParts) -> None:
    assert bundle.manifest == parts.manifest
    assert bundle.catalog == parts.catalog
    assert np.array_equal(bundle.items, parts.items)
    assert bundle.tower.keys() == parts.tower.keys()
    for name, array in parts.tower.items():
        assert np.array_equal(bundle.tower[name], array)


def test_optional_profiles_round_trip_and_split_the_categories(tmp_path: Path) -> None:
    parts = bundle_parts(n=N, d=D, categories=("web", "music", "books"), optional=("web", "music"))
    path = save_bundle(
        tmp_path / "model",
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=parts.catalog,
    )
    bundle = load(path)
    assert_same(bundle, parts)
    assert bundle.manifest.optional_categories == ("web", "music")
    assert bundle.manifest.required_categories == ("books",)
    written = json.loads((tmp_path / "model" / MANIFEST_FILE).read_text())
    assert [block.get("optional") for block in written["inputs"]] == [True, True, None]


def test_a_manifest_without_optional_inputs_has_every_category_required() -> None:
    manifest = bundle_parts(categories=("books", "music")).manifest
    assert manifest.required_categories == ("books", "music")
    assert manifest.optional_categories == ()
    assert b"optional" not in manifest.to_bytes()


def tar_bytes(members: dict[str, bytes], symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (symlinks or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def files_of(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in BUNDLE_FILES}


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    return make_bundle(tmp_path, n=N, d=D, profile_size=PROFILE)


# --- Round trips ---------------------------------------------------------------------------


def test_round_trip_directory(tmp_path: Path) -> None:
    parts = bundle_parts(n=N, d=D, categories=("books", "music"), history=True)
    path = save_bundle(
        tmp_path / "model",
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=parts.catalog,
    )
    bundle = load(path)
    assert_same(bundle, parts)
    assert bundle.manifest.input_size == 2 * PROFILE + N
    assert not bundle.items.flags.writeable
    assert sorted(os.listdir(tmp_path)) == ["model"]  # no staging directory left behind


def test_round_trip_zip_and_tar(bundle_dir: Path, tmp_path: Path) -> None:
    parts = bundle_parts(n=N, d=D, profile_size=PROFILE)
    packed = pack_bundle(bundle_dir)
    assert packed == pack_bundle(bundle_dir)  # deterministic: same bundle, same bytes
    zip_path = tmp_path / "bundle.zip"
    zip_path.write_bytes(packed)
    tar_path = tmp_path / "bundle.tar"
    tar_path.write_bytes(tar_bytes(files_of(bundle_dir)))
    for source in (packed, zip_path, tar_path, tar_path.read_bytes()):
        assert_same(load(source), parts)


def test_catalog_rows_and_lookup(bundle_dir: Path) -> None:
    catalog = load(bundle_dir).catalog
    assert len(catalog) == N
    assert catalog.row_of("item-3") == 3
    assert catalog.row_of("missing") is None
    item = catalog[3]
    assert (item.item_id, item.title, item.category) == ("item-3", "Item number 3", "books")
    assert item.metadata == {"rank": 3, "tags": ["test"]}
    assert [i.item_id for i in catalog] == [f"item-{i}" for i in range(N)]


def test_catalog_keeps_quotes_commas_and_unicode(tmp_path: Path) -> None:
    parts = bundle_parts(n=2, d=D)
    catalog = Catalog(
        item_ids=("a,1", 'b"2'),
        titles=('Ça, "va"', "日本語のタイトル"),
        categories=("books", "books"),
        metadata=('{"note": "x,\\"y\\""}', "{}"),
    )
    path = save_bundle(
        tmp_path / "m",
        manifest=parts.manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=catalog,
    )
    assert load(path).catalog == catalog


def test_save_refuses_an_existing_target(bundle_dir: Path) -> None:
    parts = bundle_parts(n=N, d=D, profile_size=PROFILE)
    with pytest.raises(FileExistsError):
        save_bundle(
            bundle_dir,
            manifest=parts.manifest,
            tower=parts.tower,
            items=parts.items,
            catalog=parts.catalog,
        )


def test_save_refuses_an_invalid_bundle_and_writes_nothing(tmp_path: Path) -> None:
    parts = bundle_parts(n=N, d=D)
    with pytest.raises(InvalidBundle, match="float64"):
        save_bundle(
            tmp_path / "model",
            manifest=parts.manifest,
            tower=parts.tower,
            items=parts.items.astype(np.float64),
            catalog=parts.catalog,
        )
    assert os.listdir(tmp_path) == []


def test_bundle_module_does_not_import_torch() -> None:
    # The market server loads bundles and must stay torch-free.
    code = "import sys, recommenders.bundle; assert 'torch' not in sys.modules"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_file_parsers_work_alone(bundle_dir: Path) -> None:
    # The client validates the public files it downloads one by one, without the item table.
    files = files_of(bundle_dir)
    manifest = parse_manifest(files[MANIFEST_FILE], feature_schema=FEATURE_SCHEMA)
    assert parse_tower_tensors(files[TOWER_FILE], manifest).keys() == {
        "layers.0.weight",
        "layers.0.bias",
    }
    assert parse_items(files[ITEMS_FILE], manifest).shape == (N, D)
    assert len(parse_catalog(files[CATALOG_FILE], manifest)) == N


# --- Malformed bundles ---------------------------------------------------------------------

Mutation = Callable[[Path], object]


def edit_manifest(change: Callable[[dict[str, Any]], object]) -> Mutation:
    def mutate(directory: Path) -> None:
        manifest = json.loads((directory / MANIFEST_FILE).read_text())
        change(manifest)
        (directory / MANIFEST_FILE).write_text(json.dumps(manifest))

    return mutate


def write_tensors(name: str, tensors: dict[str, np.ndarray]) -> Mutation:
    def mutate(directory: Path) -> None:
        (directory / name).write_bytes(safetensors.numpy.save(tensors))

    return mutate


def edit_text(name: str, change: Callable[[str], str]) -> Mutation:
    def mutate(directory: Path) -> None:
        (directory / name).write_text(change((directory / name).read_text()))

    return mutate


def truncate(name: str, keep: int) -> Mutation:
    def mutate(directory: Path) -> None:
        data = (directory / name).read_bytes()
        (directory / name).write_bytes(data[:keep])

    return mutate


def replace_catalog_line(line: int, text: str) -> Mutation:
    def change(catalog: str) -> str:
        lines = catalog.splitlines()
        lines[line] = text
        return "\n".join(lines) + "\n"

    return edit_text(CATALOG_FILE, change)


def tower_tensors(**overrides: np.ndarray) -> dict[str, np.ndarray]:
    tensors = {
        "layers.0.weight": np.zeros((D, PROFILE), np.float32),
        "layers.0.bias": np.zeros(D, np.float32),
    }
    tensors.update({name.replace("__", "."): array for name, array in overrides.items()})
    return tensors


def items_with(value: float, at: tuple[int, int]) -> np.ndarray:
    items = np.zeros((N, D), np.float32)
    items[at] = value
    return items


def nan_weight() -> np.ndarray:
    weight = np.zeros((D, PROFILE), np.float32)
    weight[1, 2] = np.nan
    return weight


def set_path(*keys: str | int, value: object) -> Mutation:
    def change(manifest: dict[str, Any]) -> None:
        target: Any = manifest
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return edit_manifest(change)


def make_symlink(directory: Path) -> None:
    target = directory.parent / "elsewhere.safetensors"
    (directory / TOWER_FILE).rename(target)
    (directory / TOWER_FILE).symlink_to(target)


def add_file(directory: Path) -> None:
    (directory / "setup.py").write_text("print('never run')\n")


MALFORMED: list[tuple[str, Mutation, str]] = [
    (
        "wrong item shape",
        write_tensors(ITEMS_FILE, {"items": np.zeros((N + 1, D), np.float32)}),
        r"items\.safetensors: tensor 'items' has shape \(13, 4\), expected \(12, 4\)",
    ),
    (
        "float64 items",
        write_tensors(ITEMS_FILE, {"items": np.zeros((N, D), np.float64)}),
        r"items\.safetensors: tensor 'items' has dtype float64, not float32",
    ),
    (
        "NaN in items",
        write_tensors(ITEMS_FILE, {"items": items_with(np.nan, (5, 2))}),
        r"items\.safetensors: tensor 'items' has a NaN or infinite value at \[5, 2\]",
    ),
    (
        "Inf in items",
        write_tensors(ITEMS_FILE, {"items": items_with(np.inf, (0, 0))}),
        r"items\.safetensors: .* NaN or infinite",
    ),
    (
        "extra tensor in items",
        write_tensors(ITEMS_FILE, {"items": np.zeros((N, D), np.float32), "x": np.zeros(1)}),
        r"items\.safetensors: unexpected tensor 'x'",
    ),
    (
        "NaN in tower weights",
        write_tensors(TOWER_FILE, tower_tensors(layers__0__weight=nan_weight())),
        r"user_tower\.safetensors: tensor 'layers\.0\.weight' has a NaN or infinite value",
    ),
    (
        "missing tower tensor",
        write_tensors(TOWER_FILE, {"layers.0.weight": np.zeros((D, PROFILE), np.float32)}),
        r"user_tower\.safetensors: missing tensor 'layers\.0\.bias'",
    ),
    (
        "wrong tower shape",
        write_tensors(TOWER_FILE, tower_tensors(layers__0__weight=np.zeros((PROFILE, D)))),
        r"user_tower\.safetensors: tensor 'layers\.0\.weight' has dtype float64",
    ),
    (
        "transposed tower weight",
        write_tensors(
            TOWER_FILE, tower_tensors(layers__0__weight=np.zeros((PROFILE, D), np.float32))
        ),
        r"user_tower\.safetensors: tensor 'layers\.0\.weight' has shape \(8, 4\)",
    ),
    (
        "truncated tower safetensors",
        truncate(TOWER_FILE, 40),
        r"user_tower\.safetensors: not a valid safetensors file",
    ),
    (
        "truncated items safetensors",
        truncate(ITEMS_FILE, 100),
        r"items\.safetensors: not a valid safetensors file",
    ),
    (
        "unknown layer",
        set_path("tower", 0, value={"type": "conv2d", "in": PROFILE, "out": D}),
        r"manifest\.json: tower\[0\]: unknown layer type 'conv2d'",
    ),
    (
        "unknown layer key",
        set_path("tower", 0, value={"type": "linear", "in": PROFILE, "out": D, "code": "x"}),
        r"manifest\.json: tower\[0\] \(linear\): unknown key 'code'",
    ),
    (
        "layer size does not chain",
        set_path("tower", 0, "in", value=PROFILE + 1),
        r"manifest\.json: tower\[0\]\.in: is 9 but the layer receives 8 values",
    ),
    (
        "tower output is not dim",
        set_path("dim", value=D + 1),
        r"manifest\.json: tower: outputs 4 values but dim is 5",
    ),
    (
        "unknown manifest key",
        set_path("entry_point", value="evil:main"),
        r"manifest\.json: unknown key 'entry_point'",
    ),
    (
        "missing manifest key",
        edit_manifest(lambda manifest: manifest.pop("catalog")),
        r"manifest\.json: missing key 'catalog'",
    ),
    (
        "bool where an int is expected",
        set_path("dim", value=True),
        r"manifest\.json: dim: expected an integer, got a boolean",
    ),
    (
        "string where an int is expected",
        set_path("items", value="12"),
        r"manifest\.json: items: expected an integer, got a string",
    ),
    (
        "dim out of range",
        set_path("dim", value=257),
        r"manifest\.json: dim: 257 is out of range \[1, 256\]",
    ),
    (
        "wrong feature schema",
        set_path("feature_schema", value="privrec-features-2"),
        r"feature_schema 'privrec-features-2' does not match the expected 'privrec-features-1'",
    ),
    (
        "wrong bundle format",
        set_path("format", value="privrec-bundle-9"),
        r"manifest\.json: format 'privrec-bundle-9' is not supported "
        r"\(expected 'privrec-bundle-1'\)",
    ),
    (
        "profile for a category the model does not declare",
        set_path("inputs", 0, "category", value="music"),
        r"manifest\.json: inputs\[0\]\.category: 'music' is not one of the model's categories",
    ),
    (
        "unknown category",
        set_path("categories", value=["books", "medical"]),
        r"manifest\.json: categories\[1\]: unknown category 'medical'",
    ),
    (
        "no categories",
        set_path("categories", value=[]),
        r"manifest\.json: categories: a model reads at least one category",
    ),
    (
        "catalog history of the wrong size",
        set_path("inputs", value=[{"name": "history", "kind": "catalog_history", "size": N + 1}]),
        r"manifest\.json: inputs\[0\]\.size: is 13 but the catalog has 12 items",
    ),
    (
        "optional that is not a boolean",
        set_path("inputs", 0, "optional", value="yes"),
        r"manifest\.json: inputs\[0\]\.optional: expected a boolean, got a string",
    ),
    (
        "optional catalog history",
        set_path(
            "inputs",
            value=[{"name": "history", "kind": "catalog_history", "size": N, "optional": True}],
        ),
        r"manifest\.json: inputs\[0\]\.optional: only a category_profile can be optional",
    ),
    (
        "unknown input kind",
        set_path("inputs", 0, "kind", value="raw_history"),
        r"manifest\.json: inputs\[0\]\.kind: expected 'category_profile' or 'catalog_history'",
    ),
    (
        "name that is not a slug",
        set_path("name", value="../etc"),
        r"manifest\.json: name: '\.\./etc' is not of the form",
    ),
    (
        "duplicate manifest key",
        edit_text(MANIFEST_FILE, lambda text: text.replace('"dim": 4', '"dim": 4, "dim": 5')),
        r"manifest\.json: duplicate key 'dim'",
    ),
    (
        "NaN literal in the manifest",
        edit_text(MANIFEST_FILE, lambda text: text.replace('"dim": 4', '"dim": NaN')),
        r"manifest\.json: NaN is not allowed",
    ),
    (
        "manifest not JSON",
        edit_text(MANIFEST_FILE, lambda text: text[:-3]),
        r"manifest\.json: invalid JSON",
    ),
    (
        "deeply nested manifest",
        edit_text(MANIFEST_FILE, lambda text: "[" * 50_000 + "]" * 50_000),
        r"manifest\.json: ",
    ),
    (
        "duplicate catalog ids",
        replace_catalog_line(4, 'item-1,Another,books,"{}"'),
        r"catalog\.csv line 5: duplicate item_id 'item-1'",
    ),
    (
        "too few catalog rows",
        edit_text(CATALOG_FILE, lambda text: "\n".join(text.splitlines()[:-1]) + "\n"),
        r"catalog\.csv: 11 rows but the manifest declares 12 items",
    ),
    (
        "too many catalog rows",
        edit_text(CATALOG_FILE, lambda text: text + 'item-99,Extra,books,"{}"\n'),
        r"catalog\.csv line 14: more rows than the manifest's 12 items",
    ),
    (
        "wrong catalog header",
        replace_catalog_line(0, "id,title,category,metadata"),
        r"catalog\.csv: the header must be item_id,title,category,metadata",
    ),
    (
        "metadata not an object",
        replace_catalog_line(2, 'item-1,Title,books,"[1, 2]"'),
        r"catalog\.csv line 3: metadata must be a JSON object",
    ),
    (
        "metadata not JSON",
        replace_catalog_line(2, "item-1,Title,books,{oops"),
        r"catalog\.csv line 3: metadata: invalid JSON",
    ),
    (
        "empty title",
        replace_catalog_line(2, 'item-1, ,books,"{}"'),
        r"catalog\.csv line 3: title must be 1 to 512 characters",
    ),
    (
        "title too long",
        replace_catalog_line(2, "item-1," + "x" * 513 + ',books,"{}"'),
        r"catalog\.csv line 3: title must be 1 to 512 characters",
    ),
    (
        "unknown item category",
        replace_catalog_line(2, 'item-1,Title,weapons,"{}"'),
        r"catalog\.csv line 3: unknown category 'weapons'",
    ),
    (
        "wrong field count",
        replace_catalog_line(2, "item-1,Title,books"),
        r"catalog\.csv line 3: 3 fields, expected 4",
    ),
    (
        "catalog not UTF-8",
        lambda directory: (directory / CATALOG_FILE).write_bytes(
            (directory / CATALOG_FILE).read_bytes().replace(b"Item number 2", b"Item \xff")
        ),
        r"catalog\.csv: not UTF-8",
    ),
    ("symlink", make_symlink, r"user_tower\.safetensors: is a symlink"),
    ("unexpected file", add_file, r"setup\.py: not a bundle file"),
    (
        "missing file",
        lambda directory: (directory / ITEMS_FILE).unlink(),
        r"items\.safetensors: missing",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=name) for name, mutate, message in MALFORMED],
)
def test_malformed_bundle_is_refused(bundle_dir: Path, mutate: Mutation, message: str) -> None:
    mutate(bundle_dir)
    with pytest.raises(InvalidBundle, match=message):
        load(bundle_dir)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_hanging(bundle_dir: Path) -> None:
    (bundle_dir / CATALOG_FILE).unlink()
    os.mkfifo(bundle_dir / CATALOG_FILE)
    with pytest.raises(InvalidBundle, match=r"catalog\.csv: not a regular file"):
        load(bundle_dir)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (BundleLimits(manifest_bytes=100), r"manifest\.json: \d+ bytes exceed the limit of 100"),
        (BundleLimits(catalog_bytes=100), r"catalog\.csv: \d+ bytes exceed the limit of 100"),
        (BundleLimits(items_bytes=100), r"items\.safetensors: \d+ bytes exceed the limit"),
        (BundleLimits(tower_bytes=100), r"user_tower\.safetensors: \d+ bytes exceed the limit"),
        (BundleLimits(title_chars=5), r"catalog\.csv line 2: title must be 1 to 5 characters"),
        (BundleLimits(max_items=10), r"manifest\.json: items: 12 is out of range \[1, 10\]"),
    ],
)
def test_limits_are_enforced(bundle_dir: Path, limits: BundleLimits, message: str) -> None:
    for source in (bundle_dir, pack_bundle(bundle_dir)):
        with pytest.raises(InvalidBundle, match=message):
            load(source, limits)


def test_oversized_archive_is_refused_before_unpacking(bundle_dir: Path) -> None:
    packed = pack_bundle(bundle_dir)
    limits = BundleLimits(manifest_bytes=10, catalog_bytes=10, items_bytes=10, tower_bytes=10)
    oversized = packed + b"\0" * limits.archive_bytes
    with pytest.raises(InvalidBundle, match=r"archive: \d+ bytes exceed the limit"):
        load(oversized, limits)


def test_truncated_zip_is_refused(bundle_dir: Path, tmp_path: Path) -> None:
    packed = pack_bundle(bundle_dir)
    path = tmp_path / "truncated.zip"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InvalidBundle, match=r"archive: corrupt"):
        load(path)


def test_truncated_tar_is_refused(bundle_dir: Path) -> None:
    data = tar_bytes(files_of(bundle_dir))
    with pytest.raises(InvalidBundle, match=r"archive: (member .* is truncated|corrupt|missing)"):
        load(data[:3000])


@pytest.mark.parametrize("evil", ["../evil", "/etc/passwd", "sub/../../evil", "C:\\evil"])
def test_zip_with_unsafe_path_is_refused(bundle_dir: Path, evil: str) -> None:
    members = files_of(bundle_dir)
    del members[CATALOG_FILE]
    members[evil] = b"x"
    with pytest.raises(InvalidBundle, match=r"archive: member .* is an unsafe path"):
        load(zip_bytes(members))


def test_tar_with_unsafe_path_is_refused(bundle_dir: Path) -> None:
    members = {"../evil": b"x", **files_of(bundle_dir)}
    with pytest.raises(InvalidBundle, match=r"archive: member '\.\./evil' is an unsafe path"):
        load(tar_bytes(members))


def test_archive_with_an_extra_member_is_refused(bundle_dir: Path) -> None:
    members = {"README.md": b"hello", **files_of(bundle_dir)}
    with pytest.raises(InvalidBundle, match=r"archive: (member 'README\.md'|5 members)"):
        load(zip_bytes(members))
    with pytest.raises(InvalidBundle, match=r"archive: member 'README\.md' is not a bundle file"):
        load(tar_bytes(members))


def test_archive_missing_a_file_is_refused(bundle_dir: Path) -> None:
    members = files_of(bundle_dir)
    del members[CATALOG_FILE]
    for data in (zip_bytes(members), tar_bytes(members)):
        with pytest.raises(InvalidBundle, match=r"archive: missing catalog\.csv"):
            load(data)


def test_symlinks_in_archives_are_refused(bundle_dir: Path) -> None:
    members = files_of(bundle_dir)
    del members[TOWER_FILE]
    with pytest.raises(InvalidBundle, match=r"member 'user_tower\.safetensors' is a link"):
        load(tar_bytes(members, symlinks={TOWER_FILE: "/etc/passwd"}))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo(TOWER_FILE)
        link.external_attr = 0o120777 << 16  # S_IFLNK
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(InvalidBundle, match=r"member 'user_tower\.safetensors' is a symlink"):
        load(buffer.getvalue())


def test_zip_with_duplicate_members_is_refused(bundle_dir: Path) -> None:
    members = files_of(bundle_dir)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in (MANIFEST_FILE, TOWER_FILE, ITEMS_FILE):
            archive.writestr(name, members[name])
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr(MANIFEST_FILE, members[MANIFEST_FILE])
    with pytest.raises(InvalidBundle, match=r"archive: duplicate member names"):
        load(buffer.getvalue())


def test_zip_bomb_is_refused_before_it_is_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 1 MB zip holding a 1,000,000 x 235 table of zeros (900 MiB) that its manifest
    # declares, so only the compression-ratio cap stands in the way.
    bomb = zip_bomb_bundle(items=1_000_000, dim=235)
    assert len(bomb) < 1_000_000
    inflated = record_member_reads(monkeypatch)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidBundle, match=r"'items\.safetensors' would inflate from"):
            load(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert inflated == []  # refused from the headers: no member was decompressed
    assert peak < 4 * 1024 * 1024


def test_member_sizes_are_checked_against_the_manifest_before_inflating(
    bundle_dir: Path,
) -> None:
    members = files_of(bundle_dir)
    wider = np.random.default_rng(0).standard_normal((N * 2000, D), dtype=np.float32)
    members[ITEMS_FILE] = safetensors.numpy.save({"items": wider})
    with pytest.raises(InvalidBundle, match=r"items\.safetensors: \d+ bytes, but the manifest"):
        load(zip_bytes(members))


def test_a_huge_extended_tar_header_is_refused_unread(bundle_dir: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in files_of(bundle_dir).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.pax_headers = {"comment": "x" * 200_000} if name == MANIFEST_FILE else {}
            archive.addfile(info, io.BytesIO(data))
    with pytest.raises(InvalidBundle, match=r"archive: an extended tar header of \d+ bytes"):
        load(buffer.getvalue())


def test_not_an_archive_is_refused() -> None:
    with pytest.raises(InvalidBundle, match=r"archive: neither a zip nor a tar file"):
        load(b"#!/bin/sh\nrm -rf /\n")


# --- Fuzzing: corrupt input only ever raises InvalidBundle ---------------------------------


@functools.cache
def packed(kind: str) -> bytes:
    """A tiny valid bundle as a deflated zip, a stored zip or a tar."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = make_bundle(Path(tmp), n=6, d=3, profile_size=4)
        files = files_of(directory)
        if kind == "zip":
            return pack_bundle(directory)
    if kind == "tar":
        return tar_bytes(files)
    # Stored, so flips reach the JSON, CSV and safetensors parsers instead of the zip CRC.
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return stored.getvalue()


def load_or_refuse(data: bytes) -> None:
    # Damage may also leave a valid bundle (a flipped description, a cut in a tar's padding).
    with contextlib.suppress(InvalidBundle):
        load(data)


FUZZ = settings(max_examples=300, deadline=None)
KINDS = st.sampled_from(["zip", "stored", "tar"])


@FUZZ
@given(data=st.binary(max_size=4096), prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06"]))
def test_random_bytes_only_raise_invalid_bundle(data: bytes, prefix: bytes) -> None:
    with pytest.raises(InvalidBundle):
        load(prefix + data)


@FUZZ
@given(
    kind=KINDS,
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), max_size=8),
)
def test_bit_flipped_bundles_only_raise_invalid_bundle(
    kind: str, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(packed(kind))
    for position, bit in flips:
        data[int(position * len(data))] ^= 1 << bit
    load_or_refuse(bytes(data))


@FUZZ
@given(kind=KINDS, cut=st.floats(0, 1, exclude_max=True))
def test_truncated_bundles_only_raise_invalid_bundle(kind: str, cut: float) -> None:
    data = packed(kind)
    load_or_refuse(data[: int(cut * len(data))])


@FUZZ
@given(
    name=st.sampled_from(BUNDLE_FILES),
    position=st.floats(0, 1, exclude_max=True),
    replacement=st.binary(min_size=1, max_size=16),
)
def test_corrupted_files_only_raise_invalid_bundle(
    name: str, position: float, replacement: bytes
) -> None:
    with tarfile.open(fileobj=io.BytesIO(packed("tar"))) as archive:
        files = {name: archive.extractfile(name).read() for name in BUNDLE_FILES}  # type: ignore[union-attr]
    content = files[name]
    at = int(position * len(content))
    files[name] = content[:at] + replacement + content[at + len(replacement) :]
    load_or_refuse(tar_bytes(files))


# --- Catalog descriptions, policy and relevance floor ----------------------------------------

DESCRIBED = CatalogInfo(
    source="goodbooks",
    description="Popular books on Goodreads",
    region="worldwide",
    period="up to 2017",
    licence="CC BY-SA 4.0",
    licence_url="https://creativecommons.org/licenses/by-sa/4.0/",
    attribution="goodbooks-10k",
    non_commercial=True,
    match="url",
    display=(DisplayField("authors", "by"),),
    link_field="url",
)


def described_bundle(tmp_path: Path, link: str = "https://example.org/item/{i}") -> Path:
    parts = bundle_parts()
    manifest = dataclasses.replace(
        parts.manifest, catalog=DESCRIBED, policy="new-and-again", relevance_floor=-0.25
    )
    catalog = Catalog.from_items(
        CatalogItem(
            item_id=item.item_id,
            title=item.title,
            category=item.category,
            metadata={"authors": "A. Writer", "url": link.format(i=row)},
        )
        for row, item in enumerate(parts.catalog)
    )
    return save_bundle(
        tmp_path / "described",
        manifest=manifest,
        tower=parts.tower,
        items=parts.items,
        catalog=catalog,
    )


def test_catalog_description_policy_and_floor_round_trip(tmp_path: Path) -> None:
    bundle = load(described_bundle(tmp_path))
    assert bundle.manifest.catalog == DESCRIBED
    assert bundle.manifest.policy == "new-and-again"
    assert bundle.manifest.relevance_floor == -0.25
    assert bundle.catalog.metadata_value(3, "url") == "https://example.org/item/3"
    assert bundle.catalog.metadata_value(3, "missing") is None


def test_a_manifest_without_descriptions_keeps_its_old_form(bundle_dir: Path) -> None:
    manifest = json.loads((bundle_dir / MANIFEST_FILE).read_text())
    assert manifest["catalog"] == {"source": "online-retail"}
    assert "policy" not in manifest and "relevance_floor" not in manifest
    loaded = load(bundle_dir).manifest
    assert (loaded.policy, loaded.relevance_floor, loaded.catalog.match) == (
        "new-only",
        None,
        "title",
    )


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "https://",
        "https://example.org/a b",
        "ftp://example.org/x",
    ],
)
def test_a_catalog_link_that_is_not_http_is_refused(tmp_path: Path, link: str) -> None:
    with pytest.raises(InvalidBundle, match=r"catalog\.csv line 2: metadata\.url: .* not an http"):
        described_bundle(tmp_path, link=link)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(
            set_path("policy", value="sometimes"),
            r"manifest\.json: policy: 'sometimes' is not one of",
            id="unknown policy",
        ),
        pytest.param(
            set_path("relevance_floor", value="high"),
            r"manifest\.json: relevance_floor: expected a number, got a string",
            id="floor not a number",
        ),
        pytest.param(
            set_path("catalog", "match", value="fuzzy"),
            r"manifest\.json: catalog\.match: 'fuzzy' is not one of",
            id="unknown match",
        ),
        pytest.param(
            set_path("catalog", "match", value="url"),
            r"manifest\.json: catalog: match 'url' needs a link_field",
            id="url match without links",
        ),
        pytest.param(
            set_path("catalog", "licence_url", value="javascript:void(0)"),
            r"manifest\.json: catalog\.licence_url: .* not an http\(s\) URL",
            id="licence link not http",
        ),
        pytest.param(
            set_path("catalog", "description", value="x" * 201),
            r"manifest\.json: catalog\.description: longer than 200 characters",
            id="description too long",
        ),
        pytest.param(
            set_path("catalog", "region", value="Hel\x07sinki"),
            r"manifest\.json: catalog\.region: control characters",
            id="control character",
        ),
        pytest.param(
            set_path("catalog", "non_commercial", value="yes"),
            r"manifest\.json: catalog\.non_commercial: expected a boolean",
            id="non_commercial not a boolean",
        ),
        pytest.param(
            set_path("catalog", "display", value=[{"field": "authors"}]),
            r"manifest\.json: catalog\.display\[0\]: missing key 'label'",
            id="display without label",
        ),
        pytest.param(
            set_path("catalog", "display", value=[{"field": "a b", "label": "x"}] * 1),
            r"manifest\.json: catalog\.display\[0\]\.field: 'a b' is not of the form",
            id="display field not a key",
        ),
        pytest.param(
            set_path("catalog", "display", value=[{"field": "a", "label": "x"}] * 9),
            r"manifest\.json: catalog\.display: more than 8 entries",
            id="too many display fields",
        ),
        pytest.param(
            set_path("catalog", "colour", value="red"),
            r"manifest\.json: catalog: unknown key 'colour'",
            id="unknown catalog key",
        ),
    ],
)
def test_malformed_catalog_description_is_refused(
    bundle_dir: Path, mutate: Mutation, message: str
) -> None:
    mutate(bundle_dir)
    with pytest.raises(InvalidBundle, match=message):
        load(bundle_dir)


def test_a_checked_archive_is_the_loaded_bundle_with_its_catalog_as_uploaded(
    bundle_dir: Path,
) -> None:
    packed = pack_bundle(bundle_dir)
    loaded = load(packed)
    with BundleArchive(io.BytesIO(packed)) as archive:
        checked = check_archive(archive, read_archive_manifest(archive, feature_schema=None))
    assert checked.manifest == loaded.manifest
    assert np.array_equal(checked.items, loaded.items) and not checked.items.flags.writeable
    assert checked.tower.keys() == loaded.tower.keys()
    assert checked.catalog_csv == (bundle_dir / CATALOG_FILE).read_bytes()


def test_a_catalog_is_checked_as_it_is_parsed(bundle_dir: Path) -> None:
    manifest = load(bundle_dir).manifest
    data = (bundle_dir / CATALOG_FILE).read_bytes()
    check_catalog(data, manifest)  # a good catalog passes
    first, second = data.splitlines()[1:3]
    duplicated = data.replace(second, first.split(b",", 1)[0] + b"," + second.split(b",", 1)[1])
    for check in (check_catalog, parse_catalog):
        with pytest.raises(InvalidBundle, match=r"catalog\.csv line 3: duplicate item_id"):
            check(duplicated, manifest)
