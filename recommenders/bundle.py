"""Model bundles: the manifest, user-tower tensors, item table and catalog a developer deploys.

A bundle is data, never code. Everything here is validated before use and needs only numpy,
safetensors and the standard library, so the torch-free market server can load bundles too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import shutil
import stat
import struct
import tarfile
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import safetensors.numpy
from safetensors import SafetensorError

from crypto.errors import ParameterError
from crypto.profiles import MAX_ITEMS
from crypto.scorer import check_score_noise, table_score_scale

FORMAT: Final = "privrec-bundle-1"
CATEGORIES: Final = ("web", "music", "purchases", "books", "places")

MANIFEST_FILE: Final = "manifest.json"
TOWER_FILE: Final = "user_tower.safetensors"
ITEMS_FILE: Final = "items.safetensors"
CATALOG_FILE: Final = "catalog.csv"
BUNDLE_FILES: Final = (MANIFEST_FILE, TOWER_FILE, ITEMS_FILE, CATALOG_FILE)

ITEMS_TENSOR: Final = "items"
CATALOG_COLUMNS: Final = ("item_id", "title", "category", "metadata")

Float32Array: TypeAlias = npt.NDArray[np.float32]

_KIB: Final = 1024
_MIB: Final = 1024 * _KIB
# Archive headers, padding and central directory on top of the members' own limits.
_ARCHIVE_OVERHEAD: Final = _MIB
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_VERSION = re.compile(r"\d{1,9}\.\d{1,9}\.\d{1,9}(?:[-+][0-9A-Za-z.+-]{1,64})?")
_BLOCK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_SCHEMA = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# Control characters would corrupt the CSV round trip and the client's display.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Rows checked for NaN/Inf at a time, so a 1 GB item table needs no 1 GB mask.
_FINITE_CHUNK_ROWS: Final = 1 << 16
# Archive members are inflated this much at a time.
_READ_CHUNK: Final = _MIB
# Members this small may compress as well as they like: a ratio only matters for big outputs.
_RATIO_EXEMPT_BYTES: Final = _MIB
# A bundle's zip directory lists four members; zipfile would hold a huge one in memory whole.
_MAX_ZIP_DIRECTORY: Final = 64 * _KIB
_ZIP_END: Final = struct.Struct("<4s4H2LH")
_ZIP_END_MAGIC: Final = b"PK\x05\x06"
_SAFETENSORS_HEADER_BYTES: Final = 64 * _KIB
# Four members, each with at most a pax header and a GNU long name and link, plus a global one.
_MAX_TAR_HEADERS: Final = 16
_MAX_TAR_EXTENDED_HEADER: Final = 64 * _KIB
_TAR_EXTENDED_TYPES: Final = (
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
)
_ARCHIVE_ERRORS: Final = (
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    OverflowError,
    struct.error,
    zlib.error,
)


class InvalidBundle(ValueError):
    """A bundle (or one of its files) is malformed; the message says what and where."""


def items_file_bytes(cells: int) -> int:
    """The largest `items.safetensors` of a table of ``cells`` float32 cells (its header too)."""
    return 8 + _SAFETENSORS_HEADER_BYTES + 4 * cells


@dataclass(frozen=True)
class BundleLimits:
    """Bounds checked before anything is parsed or allocated."""

    manifest_bytes: int = 64 * _KIB
    catalog_bytes: int = 64 * _MIB
    # A 2^24 x 64 table (4 GiB); a market bounds it by its max_model_cells instead.
    items_bytes: int = items_file_bytes(MAX_ITEMS * 64)
    tower_bytes: int = 64 * _MIB
    max_dim: int = 256
    max_items: int = MAX_ITEMS  # what one scorer table holds (in shards); byte bounds still apply
    # Widest vector in the tower, its input included: a catalog history plus a few profiles.
    max_width: int = 1 << 21
    max_layers: int = 64
    # Deflate of real tensors and catalogs gains 1-5x; only crafted data reaches 1000x.
    max_compression_ratio: int = 100
    description_chars: int = 4000
    id_chars: int = 256
    title_chars: int = 512
    metadata_chars: int = 8 * _KIB

    def file_bytes(self, name: str) -> int:
        """The size limit of one bundle file."""
        return {
            MANIFEST_FILE: self.manifest_bytes,
            TOWER_FILE: self.tower_bytes,
            ITEMS_FILE: self.items_bytes,
            CATALOG_FILE: self.catalog_bytes,
        }[name]

    @property
    def archive_bytes(self) -> int:
        """The size limit of a packed bundle; the per-member limits bound its unpacked size."""
        return sum(self.file_bytes(name) for name in BUNDLE_FILES) + _ARCHIVE_OVERHEAD


DEFAULT_LIMITS: Final = BundleLimits()


# --- The manifest --------------------------------------------------------------------------


@dataclass(frozen=True)
class Linear:
    """A fully connected layer; its parameters are `weight` (out, in) and `bias` (out,)."""

    in_features: int
    out_features: int
    bias: bool = True


@dataclass(frozen=True)
class LayerNorm:
    """Layer normalisation over the last axis, with a learned `weight` and `bias` (size,)."""

    size: int


@dataclass(frozen=True)
class Dropout:
    """Dropout while training; the identity at inference."""

    p: float


@dataclass(frozen=True)
class Activation:
    """A parameter-free, size-preserving layer."""

    kind: Literal["relu", "tanh", "gelu", "l2norm"]


@dataclass(frozen=True)
class Constant:
    """Ignores its input and outputs ones: with a one-column item table, a popularity model."""

    out_features: int


Layer: TypeAlias = Linear | LayerNorm | Dropout | Activation | Constant

_ACTIVATIONS: Final[tuple[Literal["relu", "tanh", "gelu", "l2norm"], ...]] = (
    "relu",
    "tanh",
    "gelu",
    "l2norm",
)
# Layer type -> (required keys, optional keys) besides "type".
_LAYER_KEYS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "linear": (frozenset({"in", "out"}), frozenset({"bias"})),
    "layernorm": (frozenset({"size"}), frozenset()),
    "dropout": (frozenset({"p"}), frozenset()),
    "constant": (frozenset({"out"}), frozenset()),
    **{kind: (frozenset(), frozenset()) for kind in _ACTIVATIONS},
}


def layer_to_json(layer: Layer) -> dict[str, object]:
    """The manifest form of one layer."""
    match layer:
        case Linear():
            return {
                "type": "linear",
                "in": layer.in_features,
                "out": layer.out_features,
                "bias": layer.bias,
            }
        case LayerNorm():
            return {"type": "layernorm", "size": layer.size}
        case Dropout():
            return {"type": "dropout", "p": layer.p}
        case Constant():
            return {"type": "constant", "out": layer.out_features}
        case Activation():
            return {"type": layer.kind}


def _layer_output_size(layer: Layer, input_size: int) -> int:
    match layer:
        case Linear() | Constant():
            return layer.out_features
        case _:
            return input_size


def tower_tensor_shapes(layers: Iterable[Layer]) -> dict[str, tuple[int, ...]]:
    """The exact tensor names and shapes a layer list implies (`layers.{i}.weight`, ...)."""
    shapes: dict[str, tuple[int, ...]] = {}
    for i, layer in enumerate(layers):
        match layer:
            case Linear():
                shapes[f"layers.{i}.weight"] = (layer.out_features, layer.in_features)
                if layer.bias:
                    shapes[f"layers.{i}.bias"] = (layer.out_features,)
            case LayerNorm():
                shapes[f"layers.{i}.weight"] = (layer.size,)
                shapes[f"layers.{i}.bias"] = (layer.size,)
            case _:
                pass
    return shapes


@dataclass(frozen=True)
class InputBlock:
    """One block of the tower's input vector, concatenated in manifest order.

    An `optional` category profile does not make its category required: a user who has not
    opted into it is still asked, with a zero profile in its place (see Manifest).
    """

    name: str
    kind: Literal["category_profile", "catalog_history"]
    size: int
    category: str | None = None
    optional: bool = False

    def to_json(self) -> dict[str, object]:
        block: dict[str, object] = {"name": self.name, "kind": self.kind}
        if self.category is not None:
            block["category"] = self.category
        block["size"] = self.size
        # Written only when set, so manifests without optional inputs keep their bytes.
        if self.optional:
            block["optional"] = True
        return block


MATCH_MODES: Final = ("title", "artist", "url")
POLICIES: Final = ("new-only", "new-and-again")
# How a device combines one category's events before they weigh in a model's features
# (Manifest.aggregation, computed by recommenders.features.aggregate): "sum" adds their
# recency-weighted weights; "log-plays" gives an item's (or a title's) summed plays t the weight
# 1 + ln t from one play up, as Last.fm play counts are trained. A category a manifest does not
# name is summed: the behaviour of every bundle made before the field existed.
AGGREGATIONS: Final = ("sum", "log-plays")
DEFAULT_AGGREGATION: Final = "sum"
_MAX_DISPLAY_FIELDS: Final = 8
_INFO_CHARS: Final = 200
_LINK_CHARS: Final = 2048
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


@dataclass(frozen=True)
class DisplayField:
    """A catalog metadata key shown to people, with its label ("by", "published")."""

    field: str
    label: str

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "label": self.label}


@dataclass(frozen=True)
class CatalogInfo:
    """Where the catalog comes from, in people's words: `source` names the shop or service
    whose ids it uses; `match` how a device matches its activity to the rows ("title": by id
    from the same source, else normalised title; "artist": also the artist of an
    "Artist — Track" play; "url": also a visited page's URL against the items' links)."""

    source: str
    description: str = ""
    region: str = ""
    period: str = ""
    licence: str = ""
    licence_url: str = ""
    attribution: str = ""
    non_commercial: bool = False
    match: str = "title"
    display: tuple[DisplayField, ...] = ()
    link_field: str | None = None

    def in_words(self, items: int) -> str:
        """What the catalog holds, in people's words: "Books on Goodreads  ·  10,000 items  ·
        worldwide  ·  2006-2017  ·  CC BY-SA 4.0" (the parts it declares)."""
        description = self.description.strip() or f"Catalog of {self.source}"
        count = f"{items:,} item{'' if items == 1 else 's'}"
        parts = [description, count, self.region, self.period, self.licence]
        return "  ·  ".join(part.strip() for part in parts if part and part.strip())

    def to_json(self) -> dict[str, object]:
        # Only what is set, so a catalog that declares nothing keeps its old bytes.
        info: dict[str, object] = {"source": self.source}
        for name in ("description", "region", "period", "licence", "licence_url", "attribution"):
            if getattr(self, name):
                info[name] = getattr(self, name)
        if self.non_commercial:
            info["non_commercial"] = True
        if self.match != "title":
            info["match"] = self.match
        if self.display:
            info["display"] = [field.to_json() for field in self.display]
        if self.link_field is not None:
            info["link_field"] = self.link_field
        return info


@dataclass(frozen=True)
class Manifest:
    """The validated `manifest.json`; `items` is the number of catalog items n."""

    name: str
    version: str
    description: str
    categories: tuple[str, ...]
    feature_schema: str
    dim: int
    items: int
    inputs: tuple[InputBlock, ...]
    tower: tuple[Layer, ...]
    catalog: CatalogInfo
    format: str = FORMAT
    # Optional noise flooding (docs/model_extraction.md): the standard deviation, in score
    # units of a unit-norm query, of fresh Gaussian noise the market adds to every score it
    # returns, to make extracting the item table costlier. 0 (the default) adds none.
    score_noise: float = 0.0
    # "new-only": the device never shows an item the user already consumed; "new-and-again":
    # it may show such items, apart, as "again" (re-buys, replays, revisits).
    policy: str = "new-only"
    # Below this best score a list fits nobody: the device says so instead of showing it.
    relevance_floor: float | None = None
    # (category, rule) for each category whose events are not simply summed (AGGREGATIONS),
    # in the order of ``categories``; a category not named is summed (DEFAULT_AGGREGATION).
    aggregation: tuple[tuple[str, str], ...] = ()

    @property
    def input_size(self) -> int:
        return sum(block.size for block in self.inputs)

    @property
    def optional_categories(self) -> tuple[str, ...]:
        """The categories read only through optional profiles, in manifest order: a user
        need not opt into them for the model to be asked."""
        optional = {block.category for block in self.inputs if block.optional}
        return tuple(c for c in self.categories if c in optional)

    @property
    def aggregation_rules(self) -> dict[str, str]:
        """Each category's aggregation rule (DEFAULT_AGGREGATION for those not named)."""
        return {c: dict(self.aggregation).get(c, DEFAULT_AGGREGATION) for c in self.categories}

    @property
    def required_categories(self) -> tuple[str, ...]:
        """The categories a user must have opted into for the model to be asked."""
        optional = set(self.optional_categories)
        return tuple(c for c in self.categories if c not in optional)

    def to_json(self) -> dict[str, object]:
        return {
            "format": self.format,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "categories": list(self.categories),
            "feature_schema": self.feature_schema,
            "dim": self.dim,
            "items": self.items,
            "inputs": [block.to_json() for block in self.inputs],
            "tower": [layer_to_json(layer) for layer in self.tower],
            "catalog": self.catalog.to_json(),
            # Written only when set, so manifests without them keep their bytes (and ETags).
            **({"score_noise": self.score_noise} if self.score_noise else {}),
            **({"policy": self.policy} if self.policy != "new-only" else {}),
            **(
                {"relevance_floor": self.relevance_floor}
                if self.relevance_floor is not None
                else {}
            ),
            **({"aggregation": dict(self.aggregation)} if self.aggregation else {}),
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode()


_MANIFEST_KEYS: Final = frozenset(
    {
        "format",
        "name",
        "version",
        "description",
        "categories",
        "feature_schema",
        "dim",
        "items",
        "inputs",
        "tower",
        "catalog",
    }
)


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _object(
    value: object, where: str, required: Collection[str], optional: Collection[str] = ()
) -> dict[str, object]:
    if not isinstance(value, dict):
        raise InvalidBundle(f"{where}: expected an object, got {_json_kind(value)}")
    unknown = sorted(set(value) - set(required) - set(optional))
    if unknown:
        raise InvalidBundle(f"{where}: unknown key {unknown[0]!r}")
    missing = sorted(set(required) - set(value))
    if missing:
        raise InvalidBundle(f"{where}: missing key {missing[0]!r}")
    return value


def _int(value: object, where: str, low: int, high: int) -> int:
    # bool is an int subclass; `true` where a size is expected is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidBundle(f"{where}: expected an integer, got {_json_kind(value)}")
    if not low <= value <= high:
        raise InvalidBundle(f"{where}: {value} is out of range [{low}, {high}]")
    return value


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidBundle(f"{where}: expected a boolean, got {_json_kind(value)}")
    return value


def _str(
    value: object, where: str, *, max_chars: int, pattern: re.Pattern[str] | None = None
) -> str:
    if not isinstance(value, str):
        raise InvalidBundle(f"{where}: expected a string, got {_json_kind(value)}")
    if len(value) > max_chars:
        raise InvalidBundle(f"{where}: longer than {max_chars} characters")
    if pattern is not None and not pattern.fullmatch(value):
        raise InvalidBundle(f"{where}: {value!r} is not of the form {pattern.pattern}")
    return value


def _list(value: object, where: str, max_len: int) -> list[object]:
    if not isinstance(value, list):
        raise InvalidBundle(f"{where}: expected an array, got {_json_kind(value)}")
    if len(value) > max_len:
        raise InvalidBundle(f"{where}: more than {max_len} entries")
    return value


def _json(text: str, where: str) -> object:
    """Strict JSON: no duplicate keys, no NaN/Infinity, no overflowing numbers."""

    def unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            counts = Counter(key for key, _ in pairs)
            duplicate = next(key for key, count in counts.items() if count > 1)
            raise InvalidBundle(f"{where}: duplicate key {duplicate!r}")
        return obj

    def finite(literal: str) -> float:
        value = float(literal)
        if not np.isfinite(value):
            raise InvalidBundle(f"{where}: number {literal} is not finite")
        return value

    def refuse(literal: str) -> object:
        raise InvalidBundle(f"{where}: {literal} is not allowed")

    try:
        return json.loads(
            text, object_pairs_hook=unique_keys, parse_float=finite, parse_constant=refuse
        )
    except InvalidBundle:
        raise
    except RecursionError:
        raise InvalidBundle(f"{where}: JSON nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and ints beyond Python's digit limit
        raise InvalidBundle(f"{where}: invalid JSON ({error})") from error


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidBundle(f"{where}: not UTF-8 (byte {error.start})") from error


def _check_size(where: str, size: int, limit: int) -> None:
    if size > limit:
        raise InvalidBundle(f"{where}: {size} bytes exceed the limit of {limit} bytes")


def _parse_layer(value: object, where: str, input_size: int, limits: BundleLimits) -> Layer:
    if not isinstance(value, dict):
        raise InvalidBundle(f"{where}: expected an object, got {_json_kind(value)}")
    if "type" not in value:
        raise InvalidBundle(f"{where}: missing key 'type'")
    kind = _str(value["type"], f"{where}.type", max_chars=64)
    if kind not in _LAYER_KEYS:
        allowed = ", ".join(sorted(_LAYER_KEYS))
        raise InvalidBundle(f"{where}: unknown layer type {kind!r} (allowed: {allowed})")
    required, optional = _LAYER_KEYS[kind]
    raw = _object(value, f"{where} ({kind})", required | {"type"}, optional)
    match kind:
        case "linear":
            linear = Linear(
                in_features=_int(raw["in"], f"{where}.in", 1, limits.max_width),
                out_features=_int(raw["out"], f"{where}.out", 1, limits.max_width),
                bias=_bool(raw.get("bias", True), f"{where}.bias"),
            )
            if linear.in_features != input_size:
                raise InvalidBundle(
                    f"{where}.in: is {linear.in_features} but the layer receives "
                    f"{input_size} values"
                )
            return linear
        case "layernorm":
            norm = LayerNorm(_int(raw["size"], f"{where}.size", 1, limits.max_width))
            if norm.size != input_size:
                raise InvalidBundle(
                    f"{where}.size: is {norm.size} but the layer receives {input_size} values"
                )
            return norm
        case "dropout":
            p = raw["p"]
            if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p < 1.0:
                raise InvalidBundle(f"{where}.p: expected a number in [0, 1), got {p!r}")
            return Dropout(float(p))
        case "constant":
            return Constant(_int(raw["out"], f"{where}.out", 1, limits.max_width))
        case "relu" | "tanh" | "gelu" | "l2norm":
            return Activation(kind)
        case _:  # pragma: no cover - _LAYER_KEYS and this match list the same types
            raise AssertionError(kind)


def parse_tower(
    spec: object,
    input_size: int,
    *,
    output_size: int | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
    where: str = "tower",
) -> tuple[Layer, ...]:
    """Validate a declarative layer list (the manifest's `tower`) against its input and output.

    Only allow-listed layers with exactly their own keys are accepted; each layer's size must
    match what the previous one outputs, and the parameters must fit `limits.tower_bytes`.
    """
    if not 0 <= input_size <= limits.max_width:
        raise InvalidBundle(f"{where}: input size {input_size} is out of [0, {limits.max_width}]")
    layers: list[Layer] = []
    size = input_size
    for i, value in enumerate(_list(spec, where, limits.max_layers)):
        layer = _parse_layer(value, f"{where}[{i}]", size, limits)
        layers.append(layer)
        size = _layer_output_size(layer, size)
    if output_size is not None and size != output_size:
        raise InvalidBundle(f"{where}: outputs {size} values but dim is {output_size}")
    parameter_bytes = 4 * sum(int(np.prod(shape)) for shape in tower_tensor_shapes(layers).values())
    if parameter_bytes > limits.tower_bytes:
        raise InvalidBundle(
            f"{where}: {parameter_bytes} bytes of parameters exceed the limit of "
            f"{limits.tower_bytes} bytes"
        )
    return tuple(layers)


def _parse_inputs(
    value: object, categories: tuple[str, ...], items: int, limits: BundleLimits
) -> tuple[InputBlock, ...]:
    where = f"{MANIFEST_FILE}: inputs"
    blocks: list[InputBlock] = []
    # At most one profile per category and one catalog history.
    for i, raw_block in enumerate(_list(value, where, len(CATEGORIES) + 1)):
        at = f"{where}[{i}]"
        raw = _object(raw_block, at, ("name", "kind", "size"), ("category", "optional"))
        name = _str(raw["name"], f"{at}.name", max_chars=64, pattern=_BLOCK_NAME)
        size = _int(raw["size"], f"{at}.size", 1, limits.max_width)
        optional = _bool(raw.get("optional", False), f"{at}.optional")
        kind = raw["kind"]
        block: InputBlock
        match kind:
            case "category_profile":
                if "category" not in raw:
                    raise InvalidBundle(f"{at}: missing key 'category'")
                category = _str(raw["category"], f"{at}.category", max_chars=64)
                if category not in categories:
                    raise InvalidBundle(
                        f"{at}.category: {category!r} is not one of the model's categories "
                        f"{list(categories)}"
                    )
                block = InputBlock(
                    name=name, kind=kind, size=size, category=category, optional=optional
                )
            case "catalog_history":
                if "category" in raw:
                    raise InvalidBundle(f"{at}: a catalog_history block takes no 'category'")
                # It is matched from every category the model reads: only a category's
                # profile can stand in for a category left out.
                if optional:
                    raise InvalidBundle(f"{at}.optional: only a category_profile can be optional")
                if size != items:
                    raise InvalidBundle(f"{at}.size: is {size} but the catalog has {items} items")
                block = InputBlock(name=name, kind=kind, size=size)
            case _:
                raise InvalidBundle(
                    f"{at}.kind: expected 'category_profile' or 'catalog_history', got {kind!r}"
                )
        if any(b.name == name for b in blocks):
            raise InvalidBundle(f"{at}.name: duplicate block name {name!r}")
        if any(b.kind == block.kind and b.category == block.category for b in blocks):
            what = block.category or "catalog history"
            raise InvalidBundle(f"{at}: a second input block for {what}")
        blocks.append(block)
    return tuple(blocks)


def _parse_manifest(data: bytes, expected_schema: str | None, limits: BundleLimits) -> Manifest:
    _check_size(MANIFEST_FILE, len(data), limits.manifest_bytes)
    value = _json(_utf8(data, MANIFEST_FILE), MANIFEST_FILE)
    # The format is checked before the keys: a newer format explains an unknown key.
    if isinstance(value, dict) and "format" in value and value["format"] != FORMAT:
        raise InvalidBundle(
            f"{MANIFEST_FILE}: format {value['format']!r} is not supported (expected {FORMAT!r})"
        )
    raw = _object(
        value,
        MANIFEST_FILE,
        _MANIFEST_KEYS,
        ("score_noise", "policy", "relevance_floor", "aggregation"),
    )
    at = f"{MANIFEST_FILE}: "
    schema = _str(raw["feature_schema"], f"{at}feature_schema", max_chars=64, pattern=_SCHEMA)
    if expected_schema is not None and schema != expected_schema:
        raise InvalidBundle(
            f"{at}feature_schema {schema!r} does not match the expected {expected_schema!r}"
        )
    categories: list[str] = []
    for i, raw_category in enumerate(_list(raw["categories"], f"{at}categories", 16)):
        category = _str(raw_category, f"{at}categories[{i}]", max_chars=64)
        if category not in CATEGORIES:
            raise InvalidBundle(
                f"{at}categories[{i}]: unknown category {category!r} (known: {list(CATEGORIES)})"
            )
        if category in categories:
            raise InvalidBundle(f"{at}categories[{i}]: duplicate category {category!r}")
        categories.append(category)
    if not categories:
        raise InvalidBundle(f"{at}categories: a model reads at least one category")
    dim = _int(raw["dim"], f"{at}dim", 1, limits.max_dim)
    items = _int(raw["items"], f"{at}items", 1, limits.max_items)
    inputs = _parse_inputs(raw["inputs"], tuple(categories), items, limits)
    return Manifest(
        name=_str(raw["name"], f"{at}name", max_chars=64, pattern=_SLUG),
        version=_str(raw["version"], f"{at}version", max_chars=64, pattern=_VERSION),
        description=_str(
            raw["description"], f"{at}description", max_chars=limits.description_chars
        ),
        categories=tuple(categories),
        feature_schema=schema,
        dim=dim,
        items=items,
        inputs=inputs,
        tower=parse_tower(
            raw["tower"],
            sum(block.size for block in inputs),
            output_size=dim,
            limits=limits,
            where=f"{at}tower",
        ),
        catalog=_parse_catalog_info(raw["catalog"], f"{at}catalog"),
        score_noise=_score_noise(raw.get("score_noise", 0.0), f"{at}score_noise"),
        policy=_choice(raw.get("policy", "new-only"), f"{at}policy", POLICIES),
        relevance_floor=_relevance_floor(raw.get("relevance_floor"), f"{at}relevance_floor"),
        aggregation=_aggregation(raw.get("aggregation", {}), f"{at}aggregation", categories),
    )


def _choice(value: object, where: str, allowed: tuple[str, ...]) -> str:
    text = _str(value, where, max_chars=64)
    if text not in allowed:
        raise InvalidBundle(f"{where}: {text!r} is not one of {list(allowed)}")
    return text


def _people_text(value: object, where: str) -> str:
    text = _str(value, where, max_chars=_INFO_CHARS)
    if _CONTROL.search(text):
        raise InvalidBundle(f"{where}: control characters are not allowed")
    return text


def _metadata_key(value: object, where: str) -> str:
    return _str(value, where, max_chars=64, pattern=_BLOCK_NAME)


def check_link(value: object, where: str) -> str:
    """An http(s) URL a device may open in the browser; anything else (javascript:, file:,
    data:, control characters) is refused."""
    if not isinstance(value, str) or len(value) > _LINK_CHARS or not _URL.fullmatch(value):
        raise InvalidBundle(f"{where}: {str(value)[:80]!r} is not an http(s) URL")
    return value


def _parse_catalog_info(value: object, where: str) -> CatalogInfo:
    texts = ("description", "region", "period", "licence", "attribution")
    raw = _object(
        value,
        where,
        ("source",),
        (*texts, "licence_url", "non_commercial", "match", "display", "link_field"),
    )
    display = []
    for i, entry in enumerate(
        _list(raw.get("display", []), f"{where}.display", _MAX_DISPLAY_FIELDS)
    ):
        field = _object(entry, f"{where}.display[{i}]", ("field", "label"))
        display.append(
            DisplayField(
                field=_metadata_key(field["field"], f"{where}.display[{i}].field"),
                label=_people_text(field["label"], f"{where}.display[{i}].label"),
            )
        )
    link_field = raw.get("link_field")
    match = _choice(raw.get("match", "title"), f"{where}.match", MATCH_MODES)
    if match == "url" and link_field is None:
        raise InvalidBundle(f"{where}: match 'url' needs a link_field (the items' addresses)")
    return CatalogInfo(
        source=_str(raw["source"], f"{where}.source", max_chars=64, pattern=_SLUG),
        **{name: _people_text(raw.get(name, ""), f"{where}.{name}") for name in texts},
        licence_url=(
            check_link(raw["licence_url"], f"{where}.licence_url") if "licence_url" in raw else ""
        ),
        non_commercial=_bool(raw.get("non_commercial", False), f"{where}.non_commercial"),
        match=match,
        display=tuple(display),
        link_field=None if link_field is None else _metadata_key(link_field, f"{where}.link_field"),
    )


def _aggregation(value: object, where: str, categories: list[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise InvalidBundle(f"{where}: expected an object, got {_json_kind(value)}")
    rules: dict[str, str] = {}
    for category, rule in value.items():
        if category not in categories:
            raise InvalidBundle(
                f"{where}: {category[:64]!r} is not one of the model's categories {categories}"
            )
        rules[category] = _choice(rule, f"{where}.{category}", AGGREGATIONS)
    return tuple((c, rules[c]) for c in categories if c in rules)


def _relevance_floor(value: object, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidBundle(f"{where}: expected a number, got {_json_kind(value)}")
    if not math.isfinite(value):
        raise InvalidBundle(f"{where}: {value} is not finite")
    return float(value)


def _score_noise(value: object, where: str) -> float:
    # Only the sign and finiteness here: the ceiling depends on the item table (checked when
    # the bundle's items are read, see _check_score_noise).
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidBundle(f"{where}: expected a number, got {_json_kind(value)}")
    if not math.isfinite(value) or value < 0:
        raise InvalidBundle(f"{where}: {value} is not a finite number >= 0")
    return float(value)


def _check_score_noise(manifest: Manifest, items: Float32Array) -> None:
    """The declared noise must leave the encrypted scores decryptable (crypto's ceiling)."""
    if manifest.score_noise:
        try:
            check_score_noise(manifest.score_noise, table_score_scale(items))
        except ParameterError as error:
            raise InvalidBundle(f"{MANIFEST_FILE}: {error}") from None


def parse_manifest(
    data: bytes, *, feature_schema: str, limits: BundleLimits = DEFAULT_LIMITS
) -> Manifest:
    """Validate `manifest.json`; `feature_schema` is the schema the caller computes features for."""
    return _parse_manifest(data, feature_schema, limits)


# --- Tensors -------------------------------------------------------------------------------


def _first_non_finite(array: npt.NDArray[Any]) -> tuple[int, ...] | None:
    for start in range(0, array.shape[0], _FINITE_CHUNK_ROWS):
        bad = np.argwhere(~np.isfinite(array[start : start + _FINITE_CHUNK_ROWS]))
        if len(bad):
            return (start + int(bad[0][0]), *(int(i) for i in bad[0][1:]))
    return None


def check_tensors(
    tensors: Mapping[str, npt.NDArray[Any]], expected: Mapping[str, tuple[int, ...]], where: str
) -> dict[str, Float32Array]:
    """Require exactly the expected tensor names, each float32, of its shape, and finite."""
    missing = sorted(expected.keys() - tensors.keys())
    if missing:
        raise InvalidBundle(f"{where}: missing tensor {missing[0]!r}")
    unexpected = sorted(tensors.keys() - expected.keys())
    if unexpected:
        raise InvalidBundle(f"{where}: unexpected tensor {unexpected[0]!r}")
    checked: dict[str, Float32Array] = {}
    for name, shape in expected.items():
        array = tensors[name]
        if array.dtype != np.float32:
            raise InvalidBundle(f"{where}: tensor {name!r} has dtype {array.dtype}, not float32")
        if array.shape != shape:
            raise InvalidBundle(
                f"{where}: tensor {name!r} has shape {array.shape}, expected {shape}"
            )
        bad = _first_non_finite(array)
        if bad is not None:
            raise InvalidBundle(
                f"{where}: tensor {name!r} has a NaN or infinite value at {list(bad)}"
            )
        checked[name] = array
    return checked


def _load_safetensors(data: bytes, where: str) -> dict[str, npt.NDArray[Any]]:
    try:
        tensors = safetensors.numpy.load(data)
    except KeyError as error:  # a dtype numpy cannot hold, such as BF16
        raise InvalidBundle(f"{where}: unsupported tensor dtype {error}") from error
    except (SafetensorError, ValueError, TypeError) as error:
        raise InvalidBundle(f"{where}: not a valid safetensors file ({error})") from error
    for array in tensors.values():
        array.flags.writeable = False  # a loaded bundle is shared between callers
    return tensors


def _encode_safetensors(tensors: Mapping[str, npt.NDArray[Any]], where: str) -> bytes:
    try:
        # safetensors reads raw memory, so a strided view must be made contiguous first.
        return safetensors.numpy.save({k: np.ascontiguousarray(v) for k, v in tensors.items()})
    except (SafetensorError, ValueError, TypeError) as error:
        raise InvalidBundle(f"{where}: cannot be encoded ({error})") from error


def parse_tower_tensors(
    data: bytes, manifest: Manifest, limits: BundleLimits = DEFAULT_LIMITS
) -> dict[str, Float32Array]:
    """Validate `user_tower.safetensors` against the tensors the manifest's tower implies."""
    _check_size(TOWER_FILE, len(data), limits.tower_bytes)
    return check_tensors(
        _load_safetensors(data, TOWER_FILE), tower_tensor_shapes(manifest.tower), TOWER_FILE
    )


def parse_items(
    data: bytes, manifest: Manifest, limits: BundleLimits = DEFAULT_LIMITS
) -> Float32Array:
    """Validate `items.safetensors`: one finite float32 tensor `items` of shape (n, d)."""
    return read_items(io.BytesIO(data), len(data), manifest, limits)


# safetensors' dtype names, as numpy names them (the ones numpy has).
_SAFETENSORS_DTYPES: Final = {
    "BOOL": "bool",
    "U8": "uint8",
    "I8": "int8",
    "I16": "int16",
    "U16": "uint16",
    "F16": "float16",
    "I32": "int32",
    "U32": "uint32",
    "F32": "float32",
    "F64": "float64",
    "I64": "int64",
    "U64": "uint64",
}


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    return data if len(data) == size else b""


def _items_header(stream: IO[bytes], size: int, manifest: Manifest) -> None:
    """Read and check the safetensors header of an item table of ``size`` bytes: exactly one
    float32 tensor ``items`` of the manifest's shape, whose data fills the rest of the file."""

    def invalid(why: str) -> InvalidBundle:
        return InvalidBundle(f"{ITEMS_FILE}: not a valid safetensors file ({why})")

    prefix = _read_exactly(stream, 8)
    if not prefix:
        raise invalid("shorter than its header")
    (length,) = struct.unpack("<Q", prefix)
    if length > min(_SAFETENSORS_HEADER_BYTES, size - 8):
        raise invalid(f"a header of {length} bytes")
    raw = _read_exactly(stream, length)
    if not raw or not raw.startswith(b"{"):
        raise invalid("its header is not a JSON object")
    header = _json(_utf8(raw, ITEMS_FILE).rstrip(" "), ITEMS_FILE)
    if not isinstance(header, dict):
        raise invalid("its header is not a JSON object")
    header.pop("__metadata__", None)
    for name in sorted(header):
        if name != ITEMS_TENSOR:
            raise InvalidBundle(f"{ITEMS_FILE}: unexpected tensor {name!r}")
    info = header.get(ITEMS_TENSOR)
    if info is None:
        raise InvalidBundle(f"{ITEMS_FILE}: missing tensor {ITEMS_TENSOR!r}")
    if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
        raise invalid(f"tensor {ITEMS_TENSOR!r} is not described by dtype, shape and offsets")
    dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    if dtype not in _SAFETENSORS_DTYPES:
        raise InvalidBundle(f"{ITEMS_FILE}: unsupported tensor dtype {dtype!r}")
    if dtype != "F32":
        raise InvalidBundle(
            f"{ITEMS_FILE}: tensor {ITEMS_TENSOR!r} has dtype {_SAFETENSORS_DTYPES[dtype]}, "
            "not float32"
        )
    if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)):
        raise invalid(f"tensor {ITEMS_TENSOR!r} has no valid shape")
    expected = (manifest.items, manifest.dim)
    if tuple(shape) != expected:
        raise InvalidBundle(
            f"{ITEMS_FILE}: tensor {ITEMS_TENSOR!r} has shape {tuple(shape)}, expected {expected}"
        )
    payload = 4 * manifest.items * manifest.dim
    if offsets != [0, payload] or size != 8 + length + payload:
        raise invalid(f"its data is not the {payload} bytes its header describes")


def read_items(
    stream: IO[bytes], size: int, manifest: Manifest, limits: BundleLimits = DEFAULT_LIMITS
) -> Float32Array:
    """Validate `items.safetensors` read from ``stream`` (``size`` bytes): one finite float32
    tensor `items` of shape (n, d). Streamed: the header is checked before any data is read,
    and the data goes straight into the one array returned, checked as it arrives (a 1 GiB
    table costs 1 GiB, not the two or three copies of reading the file whole first)."""
    _check_size(ITEMS_FILE, size, limits.items_bytes)
    _items_header(stream, size, manifest)
    items = np.empty((manifest.items, manifest.dim), dtype="<f4")
    rows_per_chunk = max(1, _READ_CHUNK // (4 * manifest.dim))
    for start in range(0, manifest.items, rows_per_chunk):
        rows = items[start : start + rows_per_chunk]
        view = rows.data.cast("B")
        got = 0
        while got < len(view):
            read = stream.readinto(view[got:])  # type: ignore[attr-defined]
            if not read:
                raise InvalidBundle(f"{ITEMS_FILE}: not a valid safetensors file (truncated)")
            got += read
        bad = _first_non_finite(rows)
        if bad is not None:
            raise InvalidBundle(
                f"{ITEMS_FILE}: tensor {ITEMS_TENSOR!r} has a NaN or infinite value at "
                f"{[start + bad[0], *bad[1:]]}"
            )
    items.flags.writeable = False  # a loaded bundle is shared between callers
    return items


# --- The catalog ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogItem:
    """One catalog row: what the client shows for one row of the item table."""

    item_id: str
    title: str
    category: str
    metadata: Mapping[str, Any]


@dataclass(frozen=True)
class Catalog:
    """The public catalog, stored by column (metadata as JSON text) to stay small at 10^6 rows."""

    item_ids: tuple[str, ...]
    titles: tuple[str, ...]
    categories: tuple[str, ...]
    metadata: tuple[str, ...]

    @classmethod
    def from_items(cls, items: Iterable[CatalogItem]) -> Catalog:
        rows = list(items)
        return cls(
            item_ids=tuple(item.item_id for item in rows),
            titles=tuple(item.title for item in rows),
            categories=tuple(item.category for item in rows),
            metadata=tuple(
                json.dumps(
                    dict(item.metadata),
                    ensure_ascii=False,
                    allow_nan=False,
                    sort_keys=True,
                    separators=(",", ":"),
                )
                for item in rows
            ),
        )

    def __len__(self) -> int:
        return len(self.item_ids)

    def __getitem__(self, row: int) -> CatalogItem:
        return CatalogItem(
            item_id=self.item_ids[row],
            title=self.titles[row],
            category=self.categories[row],
            metadata=json.loads(self.metadata[row]),
        )

    def __iter__(self) -> Iterator[CatalogItem]:
        return (self[row] for row in range(len(self)))

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {item_id: row for row, item_id in enumerate(self.item_ids)}

    def metadata_value(self, row: int, field: str) -> str | None:
        """One metadata field of row ``row`` as text, None when absent or null."""
        value = json.loads(self.metadata[row]).get(field)
        return None if value is None else str(value)

    def row_of(self, item_id: str) -> int | None:
        """The item-table row of an item id, or None if the catalog does not have it."""
        return self._rows.get(item_id)

    def to_csv(self) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CATALOG_COLUMNS)
        writer.writerows(
            zip(self.item_ids, self.titles, self.categories, self.metadata, strict=True)
        )
        return buffer.getvalue().encode()


def _parse_catalog_row(
    row: list[str], where: str, limits: BundleLimits, link_field: str | None = None
) -> tuple[str, str, str, str]:
    if len(row) != len(CATALOG_COLUMNS):
        raise InvalidBundle(f"{where}: {len(row)} fields, expected {len(CATALOG_COLUMNS)}")
    item_id, title, category, metadata = row
    if not item_id or len(item_id) > limits.id_chars or _CONTROL.search(item_id):
        raise InvalidBundle(
            f"{where}: item_id must be 1 to {limits.id_chars} characters without control characters"
        )
    if not title.strip() or len(title) > limits.title_chars or _CONTROL.search(title):
        raise InvalidBundle(
            f"{where}: title must be 1 to {limits.title_chars} characters without control "
            "characters"
        )
    if category not in CATEGORIES:
        raise InvalidBundle(f"{where}: unknown category {category!r} (known: {list(CATEGORIES)})")
    if len(metadata) > limits.metadata_chars:
        raise InvalidBundle(f"{where}: metadata longer than {limits.metadata_chars} characters")
    fields = _json(metadata, f"{where}: metadata")
    if not isinstance(fields, dict):
        raise InvalidBundle(f"{where}: metadata must be a JSON object")
    # The device opens an item's link in the browser: only http(s), never javascript: or file:.
    if link_field is not None and fields.get(link_field) is not None:
        check_link(fields[link_field], f"{where}: metadata.{link_field}")
    return item_id, title, category, metadata


def _catalog_rows(
    data: bytes, manifest: Manifest, limits: BundleLimits
) -> Iterator[tuple[str, str, str, str]]:
    """The rows of `catalog.csv`, each validated as it is read: a header, then exactly n rows
    with unique ids."""
    _check_size(CATALOG_FILE, len(data), limits.catalog_bytes)
    reader = csv.reader(io.StringIO(_utf8(data, CATALOG_FILE), newline=""), strict=True)
    seen: set[str] = set()
    try:
        header = next(reader, None)
        if header != list(CATALOG_COLUMNS):
            raise InvalidBundle(f"{CATALOG_FILE}: the header must be {','.join(CATALOG_COLUMNS)}")
        for row in reader:
            where = f"{CATALOG_FILE} line {reader.line_num}"
            if len(seen) == manifest.items:
                raise InvalidBundle(
                    f"{where}: more rows than the manifest's {manifest.items} items"
                )
            fields = _parse_catalog_row(row, where, limits, manifest.catalog.link_field)
            if fields[0] in seen:
                raise InvalidBundle(f"{where}: duplicate item_id {fields[0]!r}")
            seen.add(fields[0])
            yield fields
    except csv.Error as error:
        raise InvalidBundle(f"{CATALOG_FILE} line {reader.line_num}: {error}") from error
    if len(seen) != manifest.items:
        raise InvalidBundle(
            f"{CATALOG_FILE}: {len(seen)} rows but the manifest declares {manifest.items} items"
        )


def parse_catalog(
    data: bytes, manifest: Manifest, limits: BundleLimits = DEFAULT_LIMITS
) -> Catalog:
    """Validate `catalog.csv`: a header, then exactly n rows with unique ids."""
    columns: list[list[str]] = [[], [], [], []]
    for fields in _catalog_rows(data, manifest, limits):
        for column, field in zip(columns, fields, strict=True):
            column.append(field)
    item_ids, titles, categories, metadata = (tuple(column) for column in columns)
    return Catalog(item_ids=item_ids, titles=titles, categories=categories, metadata=metadata)


def check_catalog(data: bytes, manifest: Manifest, limits: BundleLimits = DEFAULT_LIMITS) -> None:
    """Validate `catalog.csv` as :func:`parse_catalog` does, keeping none of its rows (only
    their ids, to find duplicates): a market that serves the file as it is needs no copy."""
    for _ in _catalog_rows(data, manifest, limits):
        pass


# --- Whole bundles -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Bundle:
    """A validated bundle; arrays are read-only views of the loaded files."""

    manifest: Manifest
    tower: Mapping[str, Float32Array]
    items: Float32Array
    catalog: Catalog


def _validate(
    files: Mapping[str, bytes], expected_schema: str | None, limits: BundleLimits
) -> Bundle:
    manifest = _parse_manifest(files[MANIFEST_FILE], expected_schema, limits)
    tower = parse_tower_tensors(files[TOWER_FILE], manifest, limits)
    items = parse_items(files[ITEMS_FILE], manifest, limits)
    _check_score_noise(manifest, items)
    return Bundle(
        manifest=manifest,
        tower=tower,
        items=items,
        catalog=parse_catalog(files[CATALOG_FILE], manifest, limits),
    )


def _read_regular_file(path: Path, limit: int, where: str, *, follow_symlinks: bool) -> bytes:
    # O_NONBLOCK: opening a FIFO planted in a bundle must fail the type check, not hang.
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_symlinks:
        if path.is_symlink():
            raise InvalidBundle(f"{where}: is a symlink")
        flags |= getattr(os, "O_NOFOLLOW", 0)  # closes the race between the check and the open
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InvalidBundle(f"{where}: missing") from None
    except OSError as error:
        raise InvalidBundle(f"{where}: cannot be opened ({error.strerror})") from error
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InvalidBundle(f"{where}: not a regular file")
        _check_size(where, info.st_size, limit)
        data = file.read(limit + 1)  # bounded even if the file grows after the fstat
    _check_size(where, len(data), limit)
    return data


def _read_directory(path: Path, limits: BundleLimits) -> dict[str, bytes]:
    try:
        names = sorted(entry.name for entry in os.scandir(path))
    except OSError as error:
        raise InvalidBundle(f"{path}: cannot be listed ({error.strerror})") from error
    for name in names:
        if name not in BUNDLE_FILES:
            raise InvalidBundle(f"{name}: not a bundle file (allowed: {', '.join(BUNDLE_FILES)})")
    return {
        name: _read_regular_file(path / name, limits.file_bytes(name), name, follow_symlinks=False)
        for name in BUNDLE_FILES
    }


def _check_member_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or re.match(r"[A-Za-z]:", name):
        raise InvalidBundle(f"archive: member {name!r} is an unsafe path")
    if name not in BUNDLE_FILES:
        raise InvalidBundle(
            f"archive: member {name!r} is not a bundle file (allowed: {', '.join(BUNDLE_FILES)})"
        )


def _check_ratio(name: str, size: int, packed: int, limits: BundleLimits) -> None:
    if size > max(limits.max_compression_ratio * packed, _RATIO_EXEMPT_BYTES):
        raise InvalidBundle(
            f"archive: member {name!r} would inflate from {packed} to {size} bytes, more than "
            f"{limits.max_compression_ratio} times its packed size"
        )


def _check_zip_directory(file: IO[bytes], size: int) -> None:
    """The zip's end record, read before zipfile loads the central directory (whole, into
    memory): a bundle has at most four members, so its directory is small."""
    tail_size = min(size, _ZIP_END.size + 0xFFFF)  # the record, then a comment of up to 64 KiB
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_ZIP_END_MAGIC)
    if at < 0 or len(tail) - at < _ZIP_END.size:
        raise InvalidBundle("archive: corrupt (no zip end record)")
    entries, directory_size = _ZIP_END.unpack_from(tail, at)[4:6]
    if entries > len(BUNDLE_FILES):
        raise InvalidBundle(f"archive: {entries} members, at most {len(BUNDLE_FILES)}")
    if directory_size > _MAX_ZIP_DIRECTORY:
        raise InvalidBundle(
            f"archive: a zip directory of {directory_size} bytes, at most {_MAX_ZIP_DIRECTORY}"
        )
    file.seek(0)


def _check_tar_headers(file: IO[bytes]) -> None:
    """Walk the tar's 512-byte headers, skipping over member data, before tarfile reads them:
    tarfile holds an extended (pax or GNU long name) header's payload in memory whole."""
    offset = 0
    for _ in range(_MAX_TAR_HEADERS):
        file.seek(offset)
        block = file.read(tarfile.BLOCKSIZE)
        if len(block) < tarfile.BLOCKSIZE or block == bytes(tarfile.BLOCKSIZE):
            break  # the end of the archive (or a truncation tarfile reports)
        header = tarfile.TarInfo.frombuf(block, "utf-8", "surrogateescape")
        if header.type in _TAR_EXTENDED_TYPES and header.size > _MAX_TAR_EXTENDED_HEADER:
            raise InvalidBundle(
                f"archive: an extended tar header of {header.size} bytes, at most "
                f"{_MAX_TAR_EXTENDED_HEADER}"
            )
        offset += tarfile.BLOCKSIZE + -(-header.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE
    else:
        raise InvalidBundle(f"archive: more than {_MAX_TAR_HEADERS} tar headers")
    file.seek(0)


@contextlib.contextmanager
def _archive_errors() -> Iterator[None]:
    """Whatever the zip and tar modules raise on damaged input becomes one InvalidBundle."""
    try:
        yield
    except InvalidBundle:
        raise
    except _ARCHIVE_ERRORS as error:
        raise InvalidBundle(f"archive: corrupt ({error})") from error


@dataclass(frozen=True)
class ArchiveMember:
    """A member's header: its declared size and its packed (compressed) size."""

    name: str
    size: int
    packed: int


class BundleArchive:
    """A packed bundle (zip or tar) over a seekable file. Every member header is checked on
    opening, before anything is inflated; members are then read one at a time, in chunks, never
    past their declared size or their limit, and a zip member may not inflate more than
    ``limits.max_compression_ratio`` times its packed size: a zip bomb is refused unopened."""

    def __init__(self, file: IO[bytes], limits: BundleLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._zip_members: dict[str, zipfile.ZipInfo] = {}
        self._tar_members: dict[str, tarfile.TarInfo] = {}
        try:
            with _archive_errors():
                size = file.seek(0, os.SEEK_END)
                _check_size("archive", size, limits.archive_bytes)
                file.seek(0)
                head = file.read(262)
                file.seek(0)
                if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
                    self._open_zip(file, size)
                elif head[257:262] == b"ustar":
                    self._open_tar(file)
                else:
                    raise InvalidBundle("archive: neither a zip nor a tar file")
            names = self._zip_members.keys() | self._tar_members.keys()
            for name in BUNDLE_FILES:
                if name not in names:
                    raise InvalidBundle(f"archive: missing {name}")
        except BaseException:
            self.close()
            raise
        self.members: Mapping[str, ArchiveMember] = MappingProxyType(
            {
                **{
                    name: ArchiveMember(name, info.file_size, info.compress_size)
                    for name, info in self._zip_members.items()
                },
                **{
                    name: ArchiveMember(name, info.size, info.size)
                    for name, info in self._tar_members.items()
                },
            }
        )

    def _open_zip(self, file: IO[bytes], size: int) -> None:
        _check_zip_directory(file, size)
        self._zip = archive = zipfile.ZipFile(file)
        members = archive.infolist()
        if len(members) > len(BUNDLE_FILES):
            raise InvalidBundle(f"archive: {len(members)} members, at most {len(BUNDLE_FILES)}")
        for info in members:
            _check_member_name(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise InvalidBundle(f"archive: member {info.filename!r} is a symlink")
            if info.flag_bits & 0x1:
                raise InvalidBundle(f"archive: member {info.filename!r} is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InvalidBundle(
                    f"archive: member {info.filename!r} uses an unsupported compression"
                )
            _check_size(info.filename, info.file_size, self.limits.file_bytes(info.filename))
            _check_ratio(info.filename, info.file_size, info.compress_size, self.limits)
        self._zip_members = {info.filename: info for info in members}
        if len(self._zip_members) != len(members):
            raise InvalidBundle("archive: duplicate member names")

    def _open_tar(self, file: IO[bytes]) -> None:
        _check_tar_headers(file)
        # Closed by close(), like the zip: the archive outlives this method.
        self._tar = archive = tarfile.open(fileobj=file, mode="r:")  # noqa: SIM115
        while (member := archive.next()) is not None:
            if len(self._tar_members) == len(BUNDLE_FILES):
                raise InvalidBundle(f"archive: more than {len(BUNDLE_FILES)} members")
            _check_member_name(member.name)
            if member.issym() or member.islnk():
                raise InvalidBundle(f"archive: member {member.name!r} is a link")
            if not member.isfile() or member.issparse():
                raise InvalidBundle(f"archive: member {member.name!r} is not a regular file")
            if member.name in self._tar_members:
                raise InvalidBundle(f"archive: duplicate member {member.name!r}")
            _check_size(member.name, member.size, self.limits.file_bytes(member.name))
            self._tar_members[member.name] = member

    def read(self, name: str) -> bytes:
        """One member, inflated in chunks: never more than its declared size (itself within
        the member's limit), so a lying header costs at most that."""
        declared = self.members[name].size
        chunks: list[bytes] = []
        received = 0
        with _archive_errors(), self._open(name) as stream:
            # One byte past the declared size is asked for, to notice a member that lies.
            while chunk := stream.read(min(_READ_CHUNK, declared + 1 - received)):
                received += len(chunk)
                if received > declared:
                    raise InvalidBundle(
                        f"archive: member {name!r} inflates past its declared {declared} bytes"
                    )
                chunks.append(chunk)
        if received != declared:
            raise InvalidBundle(f"archive: member {name!r} is truncated")
        return b"".join(chunks)

    def _open(self, name: str) -> IO[bytes]:
        if self._zip is not None:
            return self._zip.open(self._zip_members[name])
        assert self._tar is not None
        stream = self._tar.extractfile(self._tar_members[name])
        if stream is None:
            raise InvalidBundle(f"archive: member {name!r} is not a regular file")
        return stream

    def read_items(self, manifest: Manifest) -> Float32Array:
        """The item table, validated as it is inflated, straight into the array returned (see
        :func:`read_items`): no copy of the member is held."""
        declared = self.members[ITEMS_FILE].size
        with _archive_errors(), self._open(ITEMS_FILE) as stream:
            items = read_items(stream, declared, manifest, self.limits)
            if stream.read(1):  # at the end also checks a zip member's CRC
                raise InvalidBundle(
                    f"archive: member {ITEMS_FILE!r} inflates past its declared {declared} bytes"
                )
        return items

    def close(self) -> None:
        for archive in (self._zip, self._tar):
            if archive is not None:
                archive.close()

    def __enter__(self) -> BundleArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def tensor_bytes(manifest: Manifest) -> dict[str, int]:
    """The float32 payload the manifest implies for each safetensors file of the bundle."""
    tower = tower_tensor_shapes(manifest.tower).values()
    return {
        TOWER_FILE: 4 * sum(math.prod(shape) for shape in tower),
        ITEMS_FILE: 4 * manifest.items * manifest.dim,
    }


def _check_member_sizes(members: Mapping[str, ArchiveMember], manifest: Manifest) -> None:
    # A safetensors file is an 8-byte header length, the JSON header, then the raw tensors.
    for name, payload in tensor_bytes(manifest).items():
        size = members[name].size
        if not payload + 8 <= size <= payload + 8 + _SAFETENSORS_HEADER_BYTES:
            raise InvalidBundle(
                f"{name}: {size} bytes, but the manifest implies {payload} bytes of float32 "
                f"tensors and a header of at most {_SAFETENSORS_HEADER_BYTES} bytes"
            )


def read_archive_manifest(archive: BundleArchive, *, feature_schema: str | None) -> Manifest:
    """Only the manifest of an opened archive, validated, and the declared sizes of the other
    members checked against it: nothing else is inflated yet."""
    manifest = _parse_manifest(archive.read(MANIFEST_FILE), feature_schema, archive.limits)
    _check_member_sizes(archive.members, manifest)
    return manifest


@dataclass(frozen=True, eq=False)
class CheckedBundle:
    """A bundle validated as :class:`Bundle` is, whose catalog was only checked and is kept as
    its file: what a market stores (the catalog is public, served as uploaded)."""

    manifest: Manifest
    tower: Mapping[str, Float32Array]
    items: Float32Array
    catalog_csv: bytes


def check_archive(archive: BundleArchive, manifest: Manifest) -> CheckedBundle:
    """The rest of a bundle whose manifest came from :func:`read_archive_manifest`, checked as
    :func:`load_archive` checks it, with the catalog left as its bytes: a table of millions of
    items costs its array and the catalog's file, not a Python string per catalog field."""
    limits = archive.limits
    tower = parse_tower_tensors(archive.read(TOWER_FILE), manifest, limits)
    items = archive.read_items(manifest)
    catalog = archive.read(CATALOG_FILE)
    check_catalog(catalog, manifest, limits)
    return CheckedBundle(manifest=manifest, tower=tower, items=items, catalog_csv=catalog)


def load_archive(archive: BundleArchive, manifest: Manifest) -> Bundle:
    """The rest of a bundle whose manifest came from :func:`read_archive_manifest`."""
    limits = archive.limits
    return Bundle(
        manifest=manifest,
        tower=parse_tower_tensors(archive.read(TOWER_FILE), manifest, limits),
        items=archive.read_items(manifest),
        catalog=parse_catalog(archive.read(CATALOG_FILE), manifest, limits),
    )


def _load_packed(data: bytes, feature_schema: str | None, limits: BundleLimits) -> Bundle:
    with BundleArchive(io.BytesIO(data), limits) as archive:
        return load_archive(archive, read_archive_manifest(archive, feature_schema=feature_schema))


def load_bundle(
    source: str | os.PathLike[str] | bytes,
    *,
    feature_schema: str,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> Bundle:
    """Load and fully validate a bundle from a directory, a .zip/.tar file, or archive bytes.

    `feature_schema` is the schema the caller computes features for; a bundle written for
    another one is refused. Raises InvalidBundle for anything malformed.
    """
    if isinstance(source, bytes):
        return _load_packed(source, feature_schema, limits)
    path = Path(source)
    if path.is_dir():
        return _validate(_read_directory(path, limits), feature_schema, limits)
    packed = _read_regular_file(path, limits.archive_bytes, str(path), follow_symlinks=True)
    return _load_packed(packed, feature_schema, limits)


def save_bundle(
    path: str | os.PathLike[str],
    *,
    manifest: Manifest,
    tower: Mapping[str, npt.NDArray[Any]],
    items: npt.NDArray[Any],
    catalog: Catalog,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> Path:
    """Write a bundle directory atomically; it is validated first, as `load_bundle` would.

    The target must not exist: a published version is never rewritten in place.
    """
    files = {
        MANIFEST_FILE: manifest.to_bytes(),
        TOWER_FILE: _encode_safetensors(tower, TOWER_FILE),
        ITEMS_FILE: _encode_safetensors({ITEMS_TENSOR: items}, ITEMS_FILE),
        CATALOG_FILE: catalog.to_csv(),
    }
    _validate(files, manifest.feature_schema, limits)
    target = Path(path)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        # A rename is atomic: readers see no bundle or a whole one, never a partial one.
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def pack_bundle(
    directory: str | os.PathLike[str], *, limits: BundleLimits = DEFAULT_LIMITS
) -> bytes:
    """Validate a bundle directory and pack it into a zip for upload (same bundle, same bytes)."""
    files = _read_directory(Path(directory), limits)
    _validate(files, None, limits)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in BUNDLE_FILES:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
