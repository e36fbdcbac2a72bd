"""A federated training run as the market publishes it: the run's spec (versioned JSON, strict),
the per-round SecAgg+ parameters derived from it, and the model's public state (flat
parameters and catalog inputs) packed as safetensors. The server and the device import it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Final, Literal, Self, get_args

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load, save

from federated.contribution import coordinate_bound
from federated.errors import InvalidMessage
from federated.messages import MAX_CLIENTS, MAX_DIMENSION, RoundConfig
from federated.model import CatalogInputs, ContentTwoTower, FloatVector
from federated.privacy import PrivacyPlan

RUN_VERSION: Final = 2  # 2: the server optimiser (server_optimizer, server_decay, server_adam_eps)
RUN_ID_RE: Final = re.compile(r"[0-9a-f]{32}")
MAX_DEGREE: Final = 10  # SecAgg+ neighbours per client (the benchmark's), above: a sparse graph
MAX_EMBEDDING: Final = 4096  # width of the profile embedding the projection maps
MAX_FACTS: Final = 64  # public facts per item the item bias weighs (federated.model)
MAX_ROUNDS: Final = 10_000  # ledger.entries.MAX_TRAINING_ROUNDS: one contribution id per round
ServerOptimizer = Literal["sgd", "adam"]  # federated.server_optimizer.server_step
SERVER_OPTIMIZERS: Final = get_args(ServerOptimizer)
MAX_SERVER_DECAY: Final = 1e3
MAX_SERVER_ADAM_EPS: Final = 1.0
_CATEGORY_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _number(value: object, name: str, low: float, high: float, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidMessage(f"{name} must be a number")
    number = float(value)
    if not math.isfinite(number) or number > high or number < low or (low_open and number == low):
        raise InvalidMessage(f"{name} must be in {'(' if low_open else '['}{low:g}, {high:g}]")
    return number


def _integer(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidMessage(f"{name} must be an integer in [{low}, {high}]")
    return value


def secagg_degree(cohort: int) -> int:
    """Neighbours per client: the complete graph for small cohorts, else MAX_DEGREE."""
    return min(cohort - 1, MAX_DEGREE)


def secagg_threshold(cohort: int) -> int:
    """Shares that rebuild a secret: just over half of a client's share holders (itself and
    its neighbours), the least an honest client accepts (federated/secagg.py)."""
    return (secagg_degree(cohort) + 1) // 2 + 1


def parameter_count(dim: int, width: int, facts: int) -> int:
    """The content two-tower's parameters: two ``dim`` x ``width`` towers and one weight per
    public fact (federated.model.ContentTwoTower)."""
    return 2 * dim * width + facts


@dataclass(frozen=True)
class RunSpec:
    """Everything a device needs to decide whether to join a run and to compute its update.

    The model is the content two-tower of federated/model.py: towers of ``dim`` x ``width``
    and an item bias weighing ``facts`` public facts per catalog item (``items`` of them); the
    profile embedding has ``embedding`` values.
    Each round takes at most ``cohort`` devices and unmasks no sum of fewer than
    ``min_survivors``; each device joins a round with probability ``sampling_rate`` (drawn on
    the device: the amplification the accountant counts on), clips to ``clip_norm`` and adds
    its share of noise ``noise_multiplier`` x ``clip_norm``; the server steps the parameters with
    the noised mean update by ``server_optimizer`` ("sgd": FedAvg, "adam": DP-FedAdam with
    ε ``server_adam_eps``) at ``server_learning_rate`` / (1 + ``server_decay`` x r) in round r
    (counted from 1; federated.server_optimizer.server_step)."""

    training: str
    model: str
    categories: tuple[str, ...]
    dim: int
    width: int
    items: int
    embedding: int
    facts: int
    rounds: int
    cohort: int
    min_survivors: int
    clip_norm: float
    noise_multiplier: float
    sampling_rate: float
    delta: float
    learning_rate: float
    server_learning_rate: float
    server_optimizer: ServerOptimizer
    server_decay: float
    server_adam_eps: float
    reward: int

    def __post_init__(self) -> None:
        if not isinstance(self.training, str) or not RUN_ID_RE.fullmatch(self.training):
            raise InvalidMessage("training must be 32 lowercase hex characters")
        if not isinstance(self.model, str) or not 1 <= len(self.model) <= 160:
            raise InvalidMessage("model must be a ledger model name")
        categories = self.categories
        if (
            not isinstance(categories, tuple)
            or not 1 <= len(categories) <= 16
            or not all(isinstance(c, str) and _CATEGORY_RE.fullmatch(c) for c in categories)
            or list(categories) != sorted(set(categories))
        ):
            raise InvalidMessage("categories must be 1-16 sorted, distinct category names")
        _integer(self.dim, "dim", 1, 256)
        _integer(self.width, "width", self.dim, 1024)
        _integer(self.items, "items", 1, MAX_DIMENSION)
        _integer(self.embedding, "embedding", self.width, MAX_EMBEDDING)
        _integer(self.facts, "facts", 0, MAX_FACTS)
        _integer(self.rounds, "rounds", 1, MAX_ROUNDS)
        _integer(self.cohort, "cohort", 3, MAX_CLIENTS)
        _integer(self.min_survivors, "min_survivors", secagg_threshold(self.cohort), self.cohort)
        _number(self.clip_norm, "clip_norm", 0.0, 1e3, low_open=True)
        _number(self.noise_multiplier, "noise_multiplier", 0.0, 1e3)
        _number(self.sampling_rate, "sampling_rate", 0.0, 1.0, low_open=True)
        _number(self.delta, "delta", 0.0, 0.1, low_open=True)
        _number(self.learning_rate, "learning_rate", 0.0, 1e3, low_open=True)
        _number(self.server_learning_rate, "server_learning_rate", 0.0, 1e3, low_open=True)
        if self.server_optimizer not in SERVER_OPTIMIZERS:
            raise InvalidMessage(f"server_optimizer must be one of {', '.join(SERVER_OPTIMIZERS)}")
        _number(self.server_decay, "server_decay", 0.0, MAX_SERVER_DECAY)
        _number(self.server_adam_eps, "server_adam_eps", 0.0, MAX_SERVER_ADAM_EPS, low_open=True)
        _integer(self.reward, "reward", 1, 10**15)
        if self.parameters > MAX_DIMENSION:
            raise InvalidMessage(
                f"the model has {self.parameters} parameters, over {MAX_DIMENSION}"
            )

    @property
    def parameters(self) -> int:
        return parameter_count(self.dim, self.width, self.facts)

    @property
    def parameters_bytes(self) -> int:
        """The most a safetensors blob of the parameters may take."""
        return 16 * self.parameters + 1024

    @property
    def inputs_bytes(self) -> int:
        """The most a safetensors blob of the catalog inputs may take."""
        return 8 * ((self.items + self.embedding) * self.width + self.items * self.facts) + 1024

    @property
    def plan(self) -> PrivacyPlan:
        return PrivacyPlan(self.noise_multiplier, self.sampling_rate, self.rounds, self.clip_norm)

    def round_config(self, round_id: bytes, graph_seed: bytes) -> RoundConfig:
        """The SecAgg+ parameters of one of the run's rounds."""
        return RoundConfig(
            round_id,
            self.parameters,
            secagg_threshold(self.cohort),
            secagg_degree(self.cohort),
            self.min_survivors,
            self.cohort,
            coordinate_bound(self.plan, self.min_survivors),
            graph_seed,
        )

    def to_json(self) -> dict[str, Any]:
        return {"v": RUN_VERSION, **asdict(self), "categories": list(self.categories)}

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """Validate and build from parsed JSON; raises InvalidMessage."""
        if not isinstance(obj, Mapping):
            raise InvalidMessage("a run spec is a JSON object")
        # The version first: a spec of another version has other fields, and saying so is
        # the error that tells the device (or the market) what to do.
        if obj.get("v") != RUN_VERSION:
            raise InvalidMessage(
                f"unsupported run spec version {obj.get('v')!r:.20}: this side reads version "
                f"{RUN_VERSION}"
            )
        names = {"v"} | {f.name for f in fields(cls)}
        if set(obj) != names:
            raise InvalidMessage(f"a run spec has exactly the fields {sorted(names)}")
        categories = obj["categories"]
        if not isinstance(categories, list):
            raise InvalidMessage("categories must be a list")
        values = {f.name: obj[f.name] for f in fields(cls)}
        return cls(**{**values, "categories": tuple(categories)})


# --- the model's public state -----------------------------------------------------------------


def pack_parameters(values: FloatVector) -> bytes:
    return save({"parameters": np.ascontiguousarray(values, dtype="<f8")})


def unpack_parameters(data: bytes, spec: RunSpec) -> FloatVector:
    """The flat parameters (float64, finite, exactly the spec's size); raises InvalidMessage."""
    tensors = _load(data, spec.parameters_bytes, {"parameters"})
    return _checked(tensors["parameters"], (spec.parameters,), "parameters")


def pack_inputs(inputs: CatalogInputs) -> bytes:
    """The catalog's public inputs a device computes its loss with."""
    return save(
        {
            "items": np.ascontiguousarray(inputs.items, dtype="<f8"),
            "projection": np.ascontiguousarray(inputs.projection, dtype="<f8"),
            "facts": np.ascontiguousarray(inputs.facts, dtype="<f8"),
        }
    )


def unpack_inputs(data: bytes, spec: RunSpec) -> CatalogInputs:
    tensors = _load(data, spec.inputs_bytes, {"items", "projection", "facts"})
    items = _checked(tensors["items"], (spec.items, spec.width), "items")
    projection = _checked(tensors["projection"], (spec.embedding, spec.width), "projection")
    facts = _checked(tensors["facts"], (spec.items, spec.facts), "facts")
    return CatalogInputs(items, projection, facts)


def model_of(spec: RunSpec, parameters: FloatVector) -> ContentTwoTower:
    """The two-tower with these flat parameters."""
    shape = np.zeros((spec.dim, spec.width))
    return ContentTwoTower(shape, shape, np.zeros(spec.facts)).with_flat(parameters)


def _load(data: bytes, max_bytes: int, names: set[str]) -> dict[str, np.ndarray[Any, Any]]:
    if not isinstance(data, bytes) or len(data) > max_bytes:
        raise InvalidMessage(f"a safetensors blob of at most {max_bytes} bytes was expected")
    try:
        tensors = load(data)
    except (SafetensorError, ValueError, TypeError, OverflowError):
        raise InvalidMessage("not a safetensors blob") from None
    if set(tensors) != names:
        raise InvalidMessage(f"the blob must hold exactly the tensors {sorted(names)}")
    return tensors


def _checked(
    array: np.ndarray[Any, Any], shape: tuple[int, ...], name: str
) -> np.ndarray[Any, Any]:
    if array.dtype != np.float64 or array.shape != shape:
        raise InvalidMessage(f"{name} must be float64 of shape {shape}")
    if not np.all(np.isfinite(array)):
        raise InvalidMessage(f"{name} must be finite")
    return np.array(array, dtype=np.float64)
