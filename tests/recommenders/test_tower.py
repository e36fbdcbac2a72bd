"""The user tower: built only from allow-listed layers, exported exactly, run in eval mode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from recommenders.bundle import (
    BundleLimits,
    CatalogInfo,
    InputBlock,
    InvalidBundle,
    Manifest,
    load_bundle,
    parse_tower,
    save_bundle,
    tower_tensor_shapes,
)
from recommenders.tower import (
    TowerRunner,
    UserTower,
    build_tower,
    load_tower_state,
    tower_state_dict,
)
from tests.factories import FEATURE_SCHEMA, bundle_parts, make_bundle

EVERY_LAYER = [
    {"type": "layernorm", "size": 6},
    {"type": "linear", "in": 6, "out": 16},
    {"type": "gelu"},
    {"type": "dropout", "p": 0.5},
    {"type": "linear", "in": 16, "out": 8, "bias": False},
    {"type": "relu"},
    {"type": "linear", "in": 8, "out": 8},
    {"type": "tanh"},
    {"type": "l2norm"},
]


def manifest_for(tower: object, inputs: tuple[InputBlock, ...], dim: int, n: int = 5) -> Manifest:
    return Manifest(
        name="tower-test",
        version="0.1.0",
        description="",
        categories=("music", "web"),
        feature_schema=FEATURE_SCHEMA,
        dim=dim,
        items=n,
        inputs=inputs,
        tower=parse_tower(tower, sum(block.size for block in inputs), output_size=dim),
        catalog=CatalogInfo(source="test"),
    )


def randomised(tower: UserTower, seed: int = 0) -> UserTower:
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in tower.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    return tower


# --- Building ------------------------------------------------------------------------------


def test_every_allowed_layer_builds_with_the_declared_tensor_names() -> None:
    tower = build_tower(EVERY_LAYER, 6, output_size=8)
    shapes = {name: tuple(t.shape) for name, t in tower.state_dict().items()}
    assert shapes == tower_tensor_shapes(tower.spec)
    assert shapes == {
        "layers.0.weight": (6,),
        "layers.0.bias": (6,),
        "layers.1.weight": (16, 6),
        "layers.1.bias": (16,),
        "layers.4.weight": (8, 16),
        "layers.6.weight": (8, 8),
        "layers.6.bias": (8,),
    }
    assert tower(torch.zeros(3, 6)).shape == (3, 8)


@pytest.mark.parametrize(
    ("spec", "input_size", "message"),
    [
        ([{"type": "conv2d"}], 4, r"tower\[0\]: unknown layer type 'conv2d' \(allowed: "),
        ([{"type": "__import__"}], 4, r"unknown layer type '__import__'"),
        ([{"type": "relu", "inplace": True}], 4, r"tower\[0\] \(relu\): unknown key 'inplace'"),
        ([{"type": "linear", "in": 4}], 4, r"tower\[0\] \(linear\): missing key 'out'"),
        ([{"in": 4, "out": 2}], 4, r"tower\[0\]: missing key 'type'"),
        ([{"type": "linear", "in": 4, "out": True}], 4, r"out: expected an integer, got a boolean"),
        ([{"type": "linear", "in": 4.0, "out": 2}], 4, r"in: expected an integer, got a number"),
        ([{"type": "linear", "in": 4, "out": 2, "bias": 1}], 4, r"bias: expected a boolean"),
        ([{"type": "linear", "in": 4, "out": 0}], 4, r"tower\[0\]\.out: 0 is out of range"),
        ([{"type": "linear", "in": 3, "out": 2}], 4, r"in: is 3 but the layer receives 4 values"),
        ([{"type": "layernorm", "size": 5}], 4, r"size: is 5 but the layer receives 4 values"),
        ([{"type": "dropout", "p": 1.0}], 4, r"tower\[0\]\.p: expected a number in \[0, 1\)"),
        ([{"type": "dropout", "p": "0.1"}], 4, r"tower\[0\]\.p: expected a number in \[0, 1\)"),
        (["relu"], 4, r"tower\[0\]: expected an object, got a string"),
        ({"type": "relu"}, 4, r"tower: expected an array, got an object"),
        ([{"type": "linear", "in": 4, "out": 3}], 4, r"tower: outputs 3 values but dim is 2"),
    ],
)
def test_bad_specs_are_refused(spec: object, input_size: int, message: str) -> None:
    with pytest.raises(InvalidBundle, match=message):
        build_tower(spec, input_size, output_size=2)


def test_parameter_bytes_are_bounded_before_allocation() -> None:
    spec = [{"type": "linear", "in": 100_000, "out": 256}]
    with pytest.raises(
        InvalidBundle, match=r"tower: 102401024 bytes of parameters exceed the limit of 67108864"
    ):
        build_tower(spec, 100_000)


def test_layer_count_and_width_are_bounded() -> None:
    with pytest.raises(InvalidBundle, match=r"tower: more than 64 entries"):
        build_tower([{"type": "relu"}] * 65, 4)
    with pytest.raises(InvalidBundle, match=r"tower: more than 2 entries"):
        build_tower([{"type": "relu"}] * 3, 4, limits=BundleLimits(max_layers=2))
    with pytest.raises(InvalidBundle, match=r"tower\[0\]\.out: .* is out of range"):
        build_tower([{"type": "constant", "out": 10**12}], 4)


def test_constant_tower_ignores_its_input() -> None:
    tower = build_tower([{"type": "constant", "out": 1}], 0, output_size=1)
    assert tower.state_dict() == {}
    assert torch.equal(tower(torch.zeros(0)), torch.ones(1))
    assert torch.equal(tower(torch.zeros(2, 0)), torch.ones(2, 1))


# --- Exporting and loading -----------------------------------------------------------------


def test_state_dict_round_trip_is_exact() -> None:
    source = randomised(build_tower(EVERY_LAYER, 6, output_size=8)).eval()
    state = tower_state_dict(source)
    assert all(array.dtype == np.float32 for array in state.values())
    copy = build_tower(EVERY_LAYER, 6, output_size=8).eval()
    load_tower_state(copy, state)
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(1))
    assert torch.equal(copy(x), source(x))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("layers.1.bias"), r"missing tensor 'layers\.1\.bias'"),
        (lambda s: s.update(extra=np.zeros(1, np.float32)), r"unexpected tensor 'extra'"),
        (
            lambda s: s.update({"layers.1.weight": np.zeros((6, 16), np.float32)}),
            r"tensor 'layers\.1\.weight' has shape \(6, 16\), expected \(16, 6\)",
        ),
        (
            lambda s: s.update({"layers.0.bias": np.zeros(6, np.float64)}),
            r"tensor 'layers\.0\.bias' has dtype float64, not float32",
        ),
        (
            lambda s: s.update({"layers.0.bias": np.full(6, np.inf, np.float32)}),
            r"tensor 'layers\.0\.bias' has a NaN or infinite value at \[0\]",
        ),
    ],
)
def test_loading_a_state_is_strict(
    change: Callable[[dict[str, np.ndarray]], object], message: str
) -> None:
    state = tower_state_dict(build_tower(EVERY_LAYER, 6, output_size=8))
    change(state)
    with pytest.raises(InvalidBundle, match=message):
        load_tower_state(build_tower(EVERY_LAYER, 6, output_size=8), state)


# --- Running -------------------------------------------------------------------------------


def test_runner_output_equals_the_exported_module_after_a_bundle_round_trip(
    tmp_path: Path,
) -> None:
    inputs = (
        InputBlock(name="profile:music", kind="category_profile", size=4, category="music"),
        InputBlock(name="profile:web", kind="category_profile", size=2, category="web"),
    )
    manifest = manifest_for(EVERY_LAYER, inputs, dim=8)
    module = randomised(UserTower(manifest.tower), seed=3).eval()
    parts = bundle_parts(n=manifest.items, d=manifest.dim)
    path = save_bundle(
        tmp_path / "m",
        manifest=manifest,
        tower=tower_state_dict(module),
        items=parts.items,
        catalog=parts.catalog,
    )
    bundle = load_bundle(path, feature_schema=FEATURE_SCHEMA)
    runner = TowerRunner(bundle.manifest, bundle.tower)

    rng = np.random.default_rng(7)
    music = rng.standard_normal(4).astype(np.float32)
    web = rng.standard_normal(2).astype(np.float32)
    u = runner({"profile:web": web, "profile:music": music, "unused": np.zeros(3)})
    with torch.no_grad():
        expected = module(torch.from_numpy(np.concatenate([music, web]))).numpy()
    assert u.dtype == np.float32
    assert u.shape == (8,)
    # The runner is numpy, the module torch: the same float32 maths, summed in another order.
    np.testing.assert_allclose(u, expected, rtol=1e-5, atol=1e-6)
    # Dropout is inactive and nothing is random: the same features give the same query.
    assert np.array_equal(runner({"profile:music": music, "profile:web": web}), u)
    np.testing.assert_allclose(np.linalg.norm(u), 1.0, rtol=1e-6)  # the final l2norm


def test_runner_concatenates_blocks_in_manifest_order() -> None:
    inputs = (
        InputBlock(name="b", kind="category_profile", size=1, category="web"),
        InputBlock(name="a", kind="category_profile", size=2, category="music"),
    )
    manifest = manifest_for([{"type": "linear", "in": 3, "out": 3, "bias": False}], inputs, 3)
    identity = {"layers.0.weight": np.eye(3, dtype=np.float32)}
    runner = TowerRunner(manifest, identity)
    u = runner({"a": np.array([2.0, 3.0]), "b": np.array([1.0])})
    assert u.tolist() == [1.0, 2.0, 3.0]


def test_runner_on_a_bundle_from_the_factory(tmp_path: Path) -> None:
    bundle = load_bundle(make_bundle(tmp_path, history=True), feature_schema=FEATURE_SCHEMA)
    runner = TowerRunner(bundle.manifest, bundle.tower)
    features = {block.name: np.ones(block.size) for block in bundle.manifest.inputs}
    weight, bias = bundle.tower["layers.0.weight"], bundle.tower["layers.0.bias"]
    x = np.ones(bundle.manifest.input_size, dtype=np.float32)
    np.testing.assert_allclose(runner(features), weight @ x + bias, rtol=1e-5)


def random_tower(rng: np.random.Generator, input_size: int) -> list[dict[str, object]]:
    """A random stack of every allowed layer kind, ending in a Linear to a random width."""
    layers: list[dict[str, object]] = []
    width = input_size
    for _ in range(int(rng.integers(1, 7))):
        kind = str(rng.choice(["linear", "layernorm", "relu", "tanh", "gelu", "l2norm", "dropout"]))
        if kind == "linear":
            out = int(rng.integers(1, 24))
            layers.append(
                {"type": "linear", "in": width, "out": out, "bias": bool(rng.random() < 0.7)}
            )
            width = out
        elif kind == "layernorm":
            layers.append({"type": "layernorm", "size": width})
        elif kind == "dropout":
            layers.append({"type": "dropout", "p": 0.3})
        else:
            layers.append({"type": kind})
    layers.append({"type": "linear", "in": width, "out": int(rng.integers(1, 12))})
    return layers


@pytest.mark.parametrize("seed", range(25))
def test_numpy_runner_equals_the_torch_tower_on_random_towers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 20))
    spec = random_tower(rng, size)
    inputs = (InputBlock(name="x", kind="category_profile", size=size, category="music"),)
    manifest = manifest_for(spec, inputs, dim=int(spec[-1]["out"]))  # type: ignore[call-overload]
    module = randomised(UserTower(manifest.tower), seed=seed).eval()
    runner = TowerRunner(manifest, tower_state_dict(module))
    for _ in range(3):
        x = (rng.standard_normal(size) * rng.choice([0.1, 1.0, 10.0])).astype(np.float32)
        with torch.no_grad():
            expected = module(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(runner({"x": x}), expected, rtol=2e-5, atol=2e-5)


def test_the_device_runs_towers_without_importing_torch() -> None:
    """Importing torch takes seconds on a cold device: the app (and the demo, which reads the
    reference tasks) must not."""
    code = (
        "import sys\n"
        "import client_app.sdk, client_app.demo, recommenders.reference, recommenders.runner\n"
        "sys.exit('torch was imported' if 'torch' in sys.modules else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout


def test_popularity_runner_returns_ones() -> None:
    manifest = manifest_for([{"type": "constant", "out": 1}], (), dim=1)
    assert TowerRunner(manifest, {})({}).tolist() == [1.0]


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ({}, r"missing input block 'x'"),
        ({"x": np.zeros(3)}, r"input block 'x' has shape \(3,\), expected \(2,\)"),
        ({"x": np.zeros((1, 2))}, r"input block 'x' has shape \(1, 2\), expected \(2,\)"),
        ({"x": np.array([0.0, np.nan])}, r"input block 'x' has NaN or infinite values"),
    ],
)
def test_runner_refuses_bad_features(features: dict[str, np.ndarray], message: str) -> None:
    inputs = (InputBlock(name="x", kind="category_profile", size=2, category="music"),)
    manifest = manifest_for([{"type": "linear", "in": 2, "out": 1}], inputs, dim=1)
    runner = TowerRunner(
        manifest,
        {"layers.0.weight": np.ones((1, 2), np.float32), "layers.0.bias": np.zeros(1, np.float32)},
    )
    with pytest.raises(ValueError, match=message):
        runner(features)


def test_runner_refuses_a_non_finite_output() -> None:
    inputs = (InputBlock(name="x", kind="category_profile", size=1, category="music"),)
    manifest = manifest_for([{"type": "linear", "in": 1, "out": 1, "bias": False}], inputs, 1)
    runner = TowerRunner(manifest, {"layers.0.weight": np.full((1, 1), 3e38, np.float32)})
    with pytest.raises(ValueError, match=r"the user tower produced NaN or infinite values"):
        runner({"x": np.array([10.0])})


def test_runner_refuses_a_state_that_does_not_match_the_manifest() -> None:
    inputs = (InputBlock(name="x", kind="category_profile", size=2, category="music"),)
    manifest = manifest_for([{"type": "linear", "in": 2, "out": 1, "bias": False}], inputs, 1)
    with pytest.raises(InvalidBundle, match=r"unexpected tensor 'layers\.0\.bias'"):
        TowerRunner(
            manifest,
            {"layers.0.weight": np.ones((1, 2), np.float32), "layers.0.bias": np.ones(1)},
        )
