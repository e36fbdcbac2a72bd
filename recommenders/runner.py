"""The user tower as the device runs it, in numpy: a round needs no torch import.

`recommenders.tower` builds the same layers in torch for training; tests hold the two equal.
Arithmetic is float32, as in torch, so overflow and NaN behave the same way in both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final, assert_never

import numpy as np
import numpy.typing as npt

from recommenders.bundle import (
    TOWER_FILE,
    Activation,
    Constant,
    Dropout,
    Float32Array,
    Layer,
    LayerNorm,
    Linear,
    Manifest,
    check_tensors,
    tower_tensor_shapes,
)

Step = Callable[[Float32Array], Float32Array]
# torch's defaults: nn.LayerNorm's eps and nn.functional.normalize's eps.
LAYER_NORM_EPS: Final = 1e-5
L2_NORM_EPS: Final = 1e-12
_erf = np.frompyfunc(math.erf, 1, 1)


def _gelu(x: Float32Array) -> Float32Array:
    # The exact (erf) form, torch's nn.GELU default; towers are small, so math.erf per value
    # costs microseconds and spares importing scipy.
    erf = np.asarray(_erf(x.astype(np.float64) / math.sqrt(2.0)), dtype=np.float64)
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


def _l2norm(x: Float32Array) -> Float32Array:
    norm = np.float32(np.sqrt(np.sum(x * x, dtype=np.float32)))
    return x / max(norm, np.float32(L2_NORM_EPS))


_ACTIVATIONS: Final[dict[str, Step]] = {
    "relu": lambda x: np.maximum(x, np.float32(0.0)),
    "tanh": lambda x: np.tanh(x, dtype=np.float32),
    "gelu": _gelu,
    "l2norm": _l2norm,
}


def _step(index: int, layer: Layer, state: Mapping[str, Float32Array]) -> Step:
    """One layer as a function of its input vector, its parameters bound."""
    match layer:
        case Linear():
            weight = state[f"layers.{index}.weight"]
            bias = state.get(f"layers.{index}.bias")
            if bias is None:
                return lambda x: weight @ x
            return lambda x: weight @ x + bias
        case LayerNorm():
            scale, shift = state[f"layers.{index}.weight"], state[f"layers.{index}.bias"]

            def normalise(x: Float32Array) -> Float32Array:
                centred = x - x.mean(dtype=np.float32)
                variance = np.mean(centred * centred, dtype=np.float32)
                spread = np.sqrt(variance + np.float32(LAYER_NORM_EPS), dtype=np.float32)
                normalised: Float32Array = centred / spread * scale + shift
                return normalised

            return normalise
        case Dropout():
            return lambda x: x  # the identity at inference
        case Constant():
            size = layer.out_features
            return lambda _x: np.ones(size, dtype=np.float32)
        case Activation():
            return _ACTIVATIONS[layer.kind]
        case _:
            assert_never(layer)


class TowerRunner:
    """Runs a bundle's user tower on one user's features, giving the query vector u (d,).

    `state` must hold exactly the tensors the manifest's tower implies (InvalidBundle if not).
    """

    def __init__(self, manifest: Manifest, state: Mapping[str, npt.NDArray[Any]]) -> None:
        self.manifest = manifest
        checked = check_tensors(state, tower_tensor_shapes(manifest.tower), TOWER_FILE)
        self._steps = [_step(i, layer, checked) for i, layer in enumerate(manifest.tower)]

    def _input(self, features: Mapping[str, npt.NDArray[Any]]) -> Float32Array:
        blocks: list[Float32Array] = []
        for block in self.manifest.inputs:
            if block.name not in features:
                raise ValueError(f"missing input block {block.name!r}")
            values = np.asarray(features[block.name], dtype=np.float32)
            if values.shape != (block.size,):
                raise ValueError(
                    f"input block {block.name!r} has shape {values.shape}, expected ({block.size},)"
                )
            if not np.isfinite(values).all():
                raise ValueError(f"input block {block.name!r} has NaN or infinite values")
            blocks.append(values)
        return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)

    def __call__(self, features: Mapping[str, npt.NDArray[Any]]) -> Float32Array:
        """Blocks are taken by name in manifest order; other entries in `features` are ignored."""
        u = self._input(features)
        # Overflow gives inf or NaN, refused below with a clear error rather than a warning.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for step in self._steps:
                u = step(u)
        u = np.asarray(u, dtype=np.float32)
        if not np.isfinite(u).all():
            # Encrypting a NaN query would give the user garbage scores without any error.
            raise ValueError("the user tower produced NaN or infinite values")
        return u
