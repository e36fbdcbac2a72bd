"""The user tower in torch, for training: rebuilt from a bundle's declarative layer list and
exported. The device runs towers in numpy (`recommenders.runner`, re-exported here).

Only this module imports torch, so bundle validation stays usable on the torch-free server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, assert_never

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor, nn

from recommenders.bundle import (
    DEFAULT_LIMITS,
    TOWER_FILE,
    Activation,
    BundleLimits,
    Constant,
    Dropout,
    Float32Array,
    Layer,
    LayerNorm,
    Linear,
    Manifest,
    check_tensors,
    parse_tower,
)
from recommenders.runner import TowerRunner as TowerRunner  # the stable import path


class L2Norm(nn.Module):
    """Scales each vector to unit length (zero vectors stay zero)."""

    def forward(self, x: Tensor) -> Tensor:
        return nn.functional.normalize(x, dim=-1)


class ConstantOnes(nn.Module):
    """Ignores its input and outputs ones, so the item table alone ranks (popularity)."""

    def __init__(self, out_features: int) -> None:
        super().__init__()
        self.out_features = out_features

    def forward(self, x: Tensor) -> Tensor:
        return x.new_ones((*x.shape[:-1], self.out_features))


_ACTIVATIONS: Final[dict[str, Callable[[], nn.Module]]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "gelu": nn.GELU,
    "l2norm": L2Norm,
}


def _module(layer: Layer) -> nn.Module:
    match layer:
        case Linear():
            return nn.Linear(layer.in_features, layer.out_features, bias=layer.bias)
        case LayerNorm():
            return nn.LayerNorm(layer.size)
        case Dropout():
            return nn.Dropout(layer.p)
        case Constant():
            return ConstantOnes(layer.out_features)
        case Activation():
            return _ACTIVATIONS[layer.kind]()
        case _:
            assert_never(layer)


class UserTower(nn.Module):
    """The layers of a validated spec in order; parameters are named `layers.{i}.weight` etc."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        super().__init__()
        self.spec: tuple[Layer, ...] = tuple(layers)
        self.layers = nn.Sequential(*(_module(layer) for layer in self.spec))

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.layers(x)
        return out


def build_tower(
    spec: object,
    input_size: int,
    *,
    output_size: int | None = None,
    limits: BundleLimits = DEFAULT_LIMITS,
) -> UserTower:
    """Build a freshly initialised tower from a manifest-style layer list.

    Raises InvalidBundle for an unknown layer, an unknown key or a size that does not chain
    from `input_size` (to `output_size`, when given).
    """
    return UserTower(parse_tower(spec, input_size, output_size=output_size, limits=limits))


def tower_state_dict(module: nn.Module) -> dict[str, Float32Array]:
    """The module's parameters as float32 numpy arrays, ready for `save_bundle`."""
    return {
        name: np.array(tensor.detach().cpu().to(torch.float32).numpy(), dtype=np.float32)
        for name, tensor in module.state_dict().items()
    }


def load_tower_state(
    module: nn.Module, tensors: Mapping[str, npt.NDArray[Any]], where: str = TOWER_FILE
) -> None:
    """Load parameters into `module`, requiring exactly its names and shapes, float32, finite."""
    expected = {name: tuple(t.shape) for name, t in module.state_dict().items()}
    checked = check_tensors(tensors, expected, where)
    # A copy: bundle arrays are read-only views, which torch.from_numpy warns about.
    module.load_state_dict(
        {name: torch.from_numpy(array.copy()) for name, array in checked.items()}, strict=True
    )


def load_tower(manifest: Manifest, tensors: Mapping[str, npt.NDArray[Any]]) -> UserTower:
    """The manifest's tower with the given parameters, in eval mode and without gradients."""
    tower = UserTower(manifest.tower)
    load_tower_state(tower, tensors)
    tower.eval()
    tower.requires_grad_(False)
    return tower
